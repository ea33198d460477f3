"""Stage 2, articles: split a document that compiles several articles into ``Article`` records
with title, publisher and publication date where the file states them.

The cues are layout, kept as data in ``mappings/layout.yaml``: a header line with a date and
a source, a title line (short, unpunctuated, set off by blank lines) optionally followed by an
outlet's name, a line announcing a reprint ("The following article was originally published
by the Xinhua News Agency."), a dateline opening the first paragraph ("ASTANA, May 20
(Xinhua) —"), and lines that end a post ("Continue reading ...").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.dates import MONTHS, PartialDate, parse_iso
from kg.documents import Document
from kg.gazetteer import Gazetteer, fold
from kg.mappings import Mappings


@dataclass(frozen=True)
class Layout:
    header: re.Pattern[str]
    dateline: re.Pattern[str]
    reprint_markers: tuple[re.Pattern[str], ...]
    end_markers: tuple[re.Pattern[str], ...]
    abbreviations: tuple[str, ...]
    outlets: tuple[str, ...]


def build_layout(mappings: Mappings, gazetteer: Gazetteer) -> Layout:
    data = mappings.of_kind("layout")[0].data
    flags = re.I
    return Layout(re.compile(data["header"], flags), re.compile(data["dateline"]),
                  tuple(re.compile(p, flags) for p in data["reprint_markers"]),
                  tuple(re.compile(p, flags) for p in data["end_markers"]),
                  tuple(data.get("abbreviations", [])) + gazetteer.abbreviated_honorifics, gazetteer.outlets)


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Article:
    """One article of a document: ``index`` is its 1-based position in the file."""

    document: Document
    index: int
    title: str | None
    publisher: str | None
    date: PartialDate | None
    city: str | None
    body: tuple[Line, ...]
    first_line: int
    dateline: int = 0  # characters of the first body line that are the dateline ("ASTANA, May 20 (Xinhua) --")

    @property
    def key(self) -> str:
        return f"{self.document.path.stem}/{self.index}"


def lines_of(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


_NUMBERED_PARAGRAPH = re.compile(r"^\s*\(?\d{1,3}[.)]\s+\S")


def _section_heading(lines: list[Line], nxt: int, starts: list[dict]) -> bool:
    """A heading directly above a numbered paragraph, inside an article already begun, heads a
    section of that article (a joint statement's "Bilateral Relations"), not a new article."""
    return bool(starts) and bool(_NUMBERED_PARAGRAPH.match(lines[nxt].text))


def _looks_like_title(line: Line) -> bool:
    t = line.text.strip()
    if not t or len(t) > 200 or len(t.split()) < 2:
        return False
    if t[-1] in ".,;:?!\"”" or (t[-1] in "’'" and "‘" not in t) or t.startswith(("-", "•", "*", "“", '"')) or re.search(r"[.?!] [A-Z]", t):
        return False
    return t[0].isupper() or t[0].isdigit()


def _outlet(line: str, layout: Layout) -> str | None:
    t = line.strip()
    base = fold(re.sub(r"\s*\([^)]*\)\s*$", "", t)).lower()
    if len(t) <= 120 and any(base == fold(o).lower() for o in layout.outlets):
        return t
    return None


def split_articles(doc: Document, layout: Layout) -> list[Article]:
    lines = lines_of(doc.text)
    starts: list[dict] = []  # each: {"title": i|None, "publisher": str|None, "body": i, "date": ...}
    pending: dict = {}
    i, n = 0, len(lines)
    previous_blank = 2  # the file start counts as a break
    while i < n:
        line = lines[i]
        if line.blank:
            previous_blank += 1
            i += 1
            continue
        m = layout.header.match(line.text.strip())
        if m:
            pending = {"date": parse_iso(m.group("date")), "publisher": m.group("publisher")}
            i += 1
            previous_blank = 2
            continue
        nxt = next((j for j in range(i + 1, n) if not lines[j].blank), None)
        followed_by_blank = i + 1 < n and lines[i + 1].blank
        is_title = (_looks_like_title(line) and previous_blank >= 1 and not _outlet(line.text, layout) and nxt is not None
                    and (followed_by_blank or previous_blank >= 2)
                    and not any(p.match(line.text.strip()) for p in layout.end_markers)
                    and not _section_heading(lines, nxt, starts)
                    and (len(lines[nxt].text) >= 60 or _outlet(lines[nxt].text, layout)))
        if is_title:
            start = {"title": i, "publisher": pending.get("publisher"), "date": pending.get("date"), "body": nxt}
            outlet = _outlet(lines[nxt].text, layout)
            if outlet:
                start["publisher"] = outlet
                start["body"] = next((j for j in range(nxt + 1, n) if not lines[j].blank), n)
            starts.append(start)
            pending = {}
            i = start["body"]
            previous_blank = 0
            continue
        marker = next((m for p in layout.reprint_markers if (m := p.match(line.text.strip()))), None)
        if marker and nxt is not None:
            pending = {"publisher": marker.group("publisher").strip()}
            if not _looks_like_title(lines[nxt]):
                starts.append({"title": None, "publisher": pending["publisher"], "date": None, "body": nxt})
                pending = {}
                i = nxt
                previous_blank = 0
                continue
        if not starts:
            starts.append({"title": None, "publisher": pending.get("publisher"), "date": pending.get("date"), "body": i})
            pending = {}
        previous_blank = 0
        i += 1
    return _materialize(doc, lines, starts, layout)


def _materialize(doc: Document, lines: list[Line], starts: list[dict], layout: Layout) -> list[Article]:
    articles: list[Article] = []
    for k, s in enumerate(starts):
        end = starts[k + 1]["title"] if k + 1 < len(starts) and starts[k + 1]["title"] is not None \
            else (starts[k + 1]["body"] if k + 1 < len(starts) else len(lines))
        body = [ln for ln in lines[s["body"]:end] if not ln.blank]
        kept: list[Line] = []
        for ln in body:
            if any(p.match(ln.text.strip()) for p in layout.end_markers):
                continue
            kept.append(ln)
        if not kept:
            continue  # a page heading with nothing under it
        date, city, publisher = s.get("date"), None, s.get("publisher")
        m = layout.dateline.match(kept[0].text)
        dateline = m.end() if m else 0
        if m:
            date = date or _dateline_date(m.group("date"))
            city = m.group("city")
            publisher = publisher or m.group("source")
        title = lines[s["title"]].text.strip() if s["title"] is not None else None
        first = s["title"] if s["title"] is not None else s["body"]
        articles.append(Article(doc, len(articles) + 1, title, publisher, date, city, tuple(kept),
                                doc.line_of(lines[first].start), dateline))
    return articles


def _dateline_date(text: str) -> PartialDate | None:
    m = re.match(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,\s+(\d{4}))?", text)
    if not m or m.group(1).lower() not in MONTHS:
        return None
    return PartialDate(int(m.group(3)) if m.group(3) else None, MONTHS[m.group(1).lower()], int(m.group(2)))
