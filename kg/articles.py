"""Stage 2, articles: split a document that compiles several articles into ``Article`` records
with title, publisher and publication date where the file states them.

The cues are layout, kept as data in ``mappings/layout.yaml``: a header line with a date and
a source, a title line (short, unpunctuated, set off by blank lines) optionally followed by an
outlet's name, a line announcing a reprint ("The following article was originally published
by the Xinhua News Agency."), a dateline opening the first paragraph ("ASTANA, May 20
(Xinhua) —"), and lines that end a post ("Continue reading ...").

Pages saved from the web come with their furniture: menus, breadcrumbs, banners and captions
(never title, never text), an archive's stamp, a head above the first paragraph that holds the
headline and the page's own date line ("Publication date 9.12.2016 15.50"), and text broken by
hard line breaks. ``logical_lines`` mends the breaks, ``read_head`` reads the head; every line
keeps the offsets of the document's normalized text, so evidence is still quoted verbatim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.dates import PartialDate, find_dates, parse_iso
from kg.documents import Document
from kg.gazetteer import Gazetteer, fold
from kg.mappings import Mappings


@dataclass(frozen=True, eq=False)   # one per build: identity is equality, and a cheap cache key
class Layout:
    header: re.Pattern[str]
    dateline: re.Pattern[str]
    reprint_markers: tuple[re.Pattern[str], ...]
    end_markers: tuple[re.Pattern[str], ...]
    abbreviations: tuple[str, ...]
    outlets: tuple[str, ...]
    boilerplate: re.Pattern[str] | None = None   # any one of the furniture patterns, as one expression
    archive_prefix: re.Pattern[str] | None = None
    date_line_words: re.Pattern[str] | None = None
    speaker_label: re.Pattern[str] | None = None
    bullet: re.Pattern[str] | None = None
    continuation_words: frozenset[str] = frozenset()
    genre_line: re.Pattern[str] | None = None
    field_prefix: re.Pattern[str] | None = None
    breadcrumb_prefix: re.Pattern[str] | None = None
    city_dateline: re.Pattern[str] | None = None


def build_layout(mappings: Mappings, gazetteer: Gazetteer) -> Layout:
    data = mappings.of_kind("layout")[0].data
    flags = re.I

    def optional(key: str, pattern_flags: int = 0) -> re.Pattern[str] | None:
        return re.compile(data[key], pattern_flags) if data.get(key) else None

    words = sorted(data.get("date_line_words", []), key=len, reverse=True)
    return Layout(re.compile(data["header"], flags), re.compile(data["dateline"]),
                  tuple(re.compile(p, flags) for p in data["reprint_markers"]),
                  tuple(re.compile(p, flags) for p in data["end_markers"]),
                  tuple(data.get("abbreviations", [])) + gazetteer.abbreviated_honorifics, gazetteer.outlets,
                  re.compile("|".join(f"(?:{p})" for p in data["boilerplate"]), flags) if data.get("boilerplate") else None,
                  optional("archive_prefix", flags),
                  re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", flags) if words else None,
                  optional("speaker_label"), optional("bullet"),
                  frozenset(w.lower() for w in data.get("continuation_words", [])),
                  optional("genre_line", flags), optional("field_prefix", flags),
                  optional("breadcrumb_prefix"), optional("city_dateline"))


@dataclass(frozen=True)
class Line:
    """A line of the page as the article reads it: one physical line, or several a hard wrap
    broke apart (then ``text`` has a space where each line break was, so offsets stay those of
    the document's normalized text)."""

    start: int
    end: int
    text: str
    speaker: str | None = None   # in a transcript, who says this line (see _turns)

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
        return f"{self.document.iri_stem}/{self.index}"


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


# ---------------------------------------------------------------- the page as it comes
# a sentence's end inside a line, but not the dot of an initial or of "U.S."
_SENTENCE_BREAK = re.compile(r"(?<!\b[A-Z])[.?!][\"”’)]* [(\"“‘A-Z–-]")
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"”’')\]]*$")
_NUMBERED_ITEM = re.compile(r"^(?:\(?\d{1,3}[.)]\s|\(\d{1,3}\))")
_LOWER_START = re.compile(r"^[(\"“‘]?[a-z]")
_LAST_WORD = re.compile(r"(?:^|\s)([a-z]+)$")
_DIGIT = re.compile(r"\d")
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d(?:[:.]\d\d)?(?:\s*(?:a\.m\.|p\.m\.|am|pm))?(?:\s+[A-Z]{2,5}\b)?", re.I)
_DATE_LINE_MAX = 90      # a page's date line is short: "Cabinet Secretariat, Friday, June 29, 2018"
_DATE_LINE_WORDS = 5     # besides the date and its labels: a place, a section or a byline
_FIELDS_LINE_MAX = 160
_WRAPPED_LINE_MIN = 60   # a line a hard wrap broke is long: a title or a byline is shorter
_WRAPPED_SECOND_MIN = 40
_UNFINISHED_MIN = 40     # a line this long that ends in "of" or "the" goes on in the next line
_WRAP_MIN_LINES = 6      # a text set at a fixed width: enough lines to tell,
_WRAP_MIN_WIDTH, _WRAP_MAX_WIDTH = 55, 90   # at a typewriter's or a terminal's width,
_WRAP_SLACK = 12         # the full lines ending within this many characters of it
_PROSE_MIN = 60          # running text: a line at least this long that ends as a sentence ends,
_CUT_PROSE_MIN = 240     # or one this long (a headline is shorter; a paragraph cut off by the page is not)
_HEADLINE_MAX = 120      # a headline written as one sentence is shorter than this


@lru_cache(maxsize=8192)
def is_boilerplate(text: str, layout: Layout) -> bool:
    """Navigation, menus, captions and banners: the page's furniture, not the article. (Cached:
    the splitter asks of a line several times, and pages of one site repeat their furniture.)"""
    t = text.strip()
    return bool(t) and layout.boilerplate is not None and layout.boilerplate.fullmatch(t) is not None


def strip_archive_prefix(line: Line, layout: Layout) -> Line:
    """Drop an archive's stamp ("date 2015-04-10 ") from the start of a line: it dates the
    copy, not the page, and must neither date nor title anything. Drop also a breadcrumb before
    the page's own heading ("Newsroom > Statements > A-B Dialogue: joint statement" is the
    heading) and the labelled fields before a description ("Date: ... Location: ...
    Description: "), which are not text."""
    for prefix in (layout.archive_prefix, layout.breadcrumb_prefix, layout.field_prefix):
        m = prefix.match(line.text) if prefix else None
        if m:
            line = Line(line.start + m.end(), line.end, line.text[m.end():])
    return line


@lru_cache(maxsize=8192)
def page_date(text: str, layout: Layout) -> PartialDate | None:
    """The date of a line that states only a date: alone, with a label ("Publication date",
    "Last Update :"), a weekday, a time and its zone, brackets, or a place or section name of
    up to five capitalized words ("Tokyo, 28 April 2010", "By Jane Q. Doe March 3, 2021, 6:34 pm").
    A line of fields set apart by bars ("Source: Xinhua | 2019-03-12 21:05:31 | Editor: xu")
    gives the date of its one field that is a date line. None for a line that says more, for a
    span of days across months, and for a date without a year."""
    t = text.strip()
    if not t or not _DIGIT.search(t):
        return None
    if "|" in t and len(t) <= _FIELDS_LINE_MAX:
        fields = [d for f in t.split("|") if f.strip() and (d := page_date(f, layout)) is not None]
        if len(fields) == 1:
            return fields[0]
    if len(t) > _DATE_LINE_MAX:
        return None
    found = [e for e in find_dates(t) if e.kind not in ("weekday", "today", "yesterday", "same-day", "last-year",
                                                         "this-year", "last-week", "last-month", "month", "year")]
    date = _one_date(found)
    if date is None or date.year is None:
        return None
    rest = t
    for e in sorted(found, key=lambda e: -e.start):
        rest = rest[:e.start] + " " + rest[e.end:]
    rest = _TIME.sub(" ", rest)
    if layout.date_line_words is not None:
        rest = layout.date_line_words.sub(" ", rest)
    words = re.findall(r"[^\s\[\]()|,:;–—-]+", rest)
    if len(words) > _DATE_LINE_WORDS or any(not w[0].isupper() for w in words):
        return None
    return date


def _one_date(found: list) -> PartialDate | None:
    """The one date a page line gives: a single date, or what a span of days has in common
    ("April 13, 2012 to April 19, 2012": April 2012, which dates "April 18-19" and "today")."""
    dates = {e.date for e in found}
    if any(e.day2 for e in found):
        first = found[0].date
        return PartialDate(first.year, first.month, None) if len(found) == 1 else None
    if len(dates) == 1:
        return next(iter(dates))
    if len(dates) == 2:
        a, b = sorted(dates, key=lambda d: (d.year or 0, d.month or 0, d.day or 0))
        if a.year and a.year == b.year and a.full and b.full:
            return PartialDate(a.year, a.month if a.month == b.month else None, None)
    return None


def _trailing_date(title: str) -> PartialDate | None:
    """A title that ends in the page's date ("PM call with the President of X: 3 June 2018")."""
    if not _DIGIT.search(title):
        return None
    found = [e for e in find_dates(title) if e.date.full]
    if not found:
        return None
    last = found[-1]
    tail = _TIME.sub("", title[last.end:].split("|")[0])
    return last.date if not re.search(r"[A-Za-z]{6,}", tail) and re.search(r"[:|–—-]\s*$|\s$", title[:last.start]) \
        else None


def _continues(a: Line, b: Line, blank_between: bool, layout: Layout, width: int | None = None,
               a_last: str = "") -> bool:
    """Whether line ``b`` goes on with the sentence line ``a`` left unfinished: a hard wrap. A
    line that ends a sentence, a short line (a title, a byline), a list item, a speaker's turn
    and a page's date line all stand alone. In a text set at a fixed width, a line that fills
    the width (``a_last``, the last of the lines ``a`` joins) goes on in the next one."""
    at, bt = a.text.strip(), b.text.strip()
    if not at or not bt or _ENDS_SENTENCE.search(at) or _new_item(bt, layout):
        return False
    if is_boilerplate(at, layout) or is_boilerplate(bt, layout) or page_date(bt, layout) or page_date(at, layout):
        return False
    if layout.speaker_label is not None and layout.speaker_label.match(bt):
        return False
    if _LOWER_START.match(bt):
        return len(at) >= _WRAPPED_LINE_MIN or not blank_between
    if width is not None and not blank_between and len(a_last.strip()) >= width - _WRAP_SLACK:
        return True
    last = _LAST_WORD.search(at)
    return not blank_between and len(at) >= _UNFINISHED_MIN and last is not None \
        and last.group(1) in layout.continuation_words


def _new_item(text: str, layout: Layout) -> bool:
    """A numbered paragraph or a list item opens a paragraph of its own."""
    return bool(_NUMBERED_ITEM.match(text) or (layout.bullet is not None and layout.bullet.match(text))
                or any(p.match(text) for p in layout.end_markers))


def wrap_width(lines: list[Line]) -> int | None:
    """The width a text was set at, when it was (a printed record, a plain-text release: most
    long lines end within a few characters of the same column, and none is much longer); None
    for a page whose paragraphs are each one line."""
    lengths = sorted(len(ln.text.strip()) for ln in lines if not ln.blank)
    if len(lengths) < _WRAP_MIN_LINES:
        return None
    width = lengths[int(len(lengths) * 0.9) - 1]
    near = sum(1 for n in lengths if width - _WRAP_SLACK <= n <= width + _WRAP_SLACK)
    if not _WRAP_MIN_WIDTH <= width <= _WRAP_MAX_WIDTH or near < len(lengths) * 0.3:
        return None
    return width


def logical_lines(text: str, layout: Layout) -> list[Line]:
    """The document's lines with archive stamps dropped and hard-wrapped lines joined, each
    joined line keeping the document's offsets (a line break read as one space). A blank line
    stays a blank line so that the article splitter still sees paragraph breaks."""
    physical = [strip_archive_prefix(ln, layout) for ln in lines_of(text)]
    width = wrap_width(physical)
    out: list[Line] = []
    for line in physical:
        if out and not line.blank:
            k = len(out) - 1
            blanks = 0
            while k >= 0 and out[k].blank and blanks < 1:
                k, blanks = k - 1, blanks + 1
            if k >= 0 and not out[k].blank and _continues(out[k], line, blanks > 0, layout, width,
                                                          text[out[k].start:out[k].end].rsplit("\n", 1)[-1]):
                joined = text[out[k].start:line.end].replace("\n", " ")
                del out[k:]
                out.append(Line(line.start - (len(joined) - (line.end - line.start)), line.end, joined))
                continue
        out.append(line)
    return out


def is_prose(text: str) -> bool:
    """A line of running text: long, and ending as a sentence ends (a headline, a menu run
    together and a caption do not), or too long for anything but text cut off mid-sentence."""
    t = text.strip()
    return len(t) >= _PROSE_MIN and (bool(_ENDS_SENTENCE.search(t)) or len(t) >= _CUT_PROSE_MIN)


@dataclass(frozen=True)
class PageHead:
    """What a page says above its first paragraph: the title, the date and the publisher, and
    where the article's own lines begin (under the headline: its byline is the article's)."""

    title: int | None
    date: PartialDate | None
    publisher: str | None
    body: int
    title_text: str | None = None   # when the title is more than its line (see _full_title)
    skipped: frozenset[int] = frozenset()   # lines of the head between title and text that are not text
    text: int = 0                           # the first paragraph of running text


def read_head(lines: list[Line], layout: Layout) -> PageHead | None:
    """The head of a page that comes with its furniture (menus, a date line, a section name
    above the headline): its title (see ``_title_candidates``), its first date line, an outlet
    named there. None for a plain text (a title, then the text; or a file that compiles several
    articles), which the article splitter reads line by line."""
    first = next((i for i, ln in enumerate(lines) if is_prose(ln.text) and not is_boilerplate(ln.text, layout)
                  and not layout.header.match(ln.text.strip())), None)
    if first is None:
        return None
    head = [i for i in range(first) if not lines[i].blank]
    texts = {i: lines[i].text.strip() for i in head}
    if any(layout.header.match(t) for t in texts.values()):
        return None
    furniture = {i for i in head if is_boilerplate(texts[i], layout)}
    dates = {i: d for i in head if (d := page_date(texts[i], layout)) is not None}
    if not (furniture or dates or len(head) >= 3 or any(_trailing_date(t) for t in texts.values())):
        return None
    counts = {t: list(texts.values()).count(t) for t in texts.values()}
    ranked = _title_candidates(lines, head, furniture, dates, counts, layout)
    genre = [i for i in ranked if layout.genre_line is not None and layout.genre_line.fullmatch(texts[i])]
    named = [i for i in ranked if i not in genre] or genre
    title = named[0] if named else None
    title_lines: list[int] = []
    title_text = _full_title(lines, title, named, genre, title_lines) if title is not None else None
    date = next((d for d in dates.values() if d.full), None) or next(iter(dates.values()), None)
    if date is None and title is not None:
        date = _trailing_date(texts[title])
    publisher = next((o for t in texts.values() if (o := _outlet(t, layout))), None)
    if title is None and _one_sentence_headline(lines[first].text):
        title = first   # a headline written as a sentence ("Joint statement by A and B on ..."): also the text
    # the lines under the headline (a byline: "John Kerry / Secretary of State / Moscow, Russia") are
    # the article's, but not its repeated captions nor the lines the title is made of
    body = max(title_lines) + 1 if title_lines and max(title_lines) < first else first
    repeated = frozenset(i for i in head if counts[texts[i]] >= 2)
    return PageHead(title, date, publisher, body, title_text, repeated, first)


def _title_candidates(lines: list[Line], head: list[int], furniture: set[int], dates: dict[int, PartialDate],
                      counts: dict[str, int], layout: Layout) -> list[int]:
    """The head's lines that could be the headline, best first: not furniture, not a date line,
    not an outlet's name, not a caption repeated under a gallery (three times or more). Lines
    below the last furniture come first (a site's name and its sections stand above the
    headline), then the longer (a section name is shorter than a headline), then the earlier."""
    below = max(furniture, default=-1)
    lines_ok = [i for i in head if i not in furniture and i not in dates and counts[lines[i].text.strip()] < 3
                and _looks_like_title(lines[i]) and not _outlet(lines[i].text, layout)]
    return sorted(lines_ok, key=lambda i: (i < below, -len(lines[i].text.strip()), i))


def _full_title(lines: list[Line], title: int, candidates: list[int], genres: list[int], used: list[int]) -> str:
    """The headline as the page gives it: a headline wrapped onto a second line at a fixed
    width is both lines, and a genre line alone under it ("Joint Press Statement" under "19th
    Japan-EU Summit") is its subtitle, so the title names both."""
    text = lines[title].text.strip()
    used.append(title)
    before, after = lines[title - 1] if title > 0 else None, lines[title + 1] if title + 1 < len(lines) else None
    if before is not None and title - 1 in candidates and _wrapped(before.text.strip(), text):
        text = f"{before.text.strip()} {text}"
    elif after is not None and title + 1 in candidates and _wrapped(text, after.text.strip()):
        text = f"{text} {after.text.strip()}"
        used.append(title + 1)
    subtitle = next((i for i in sorted(genres) if i > title), None)
    if subtitle is None:
        return text
    used.append(subtitle)
    return f"{text} {lines[subtitle].text.strip()}"


def _wrapped(first: str, second: str) -> bool:
    """Two adjacent headline lines that are one headline cut at a fixed width: both long (a
    repeated headline, a caption or an attribution under it is not)."""
    return first != second and len(first) >= _WRAPPED_LINE_MIN and len(second) >= _WRAPPED_SECOND_MIN


def _one_sentence_headline(text: str) -> bool:
    t = text.strip()
    return len(t) < _HEADLINE_MAX and not re.search(r"[.!?][\"”’)]*\s", t)


def _looks_like_title(line: Line) -> bool:
    t = line.text.strip()
    if not t or len(t) > 200 or len(t.split()) < 2:
        return False
    if t[-1] in ".,;:?!\"”" or (t[-1] in "’'" and "‘" not in t) or t.startswith(("-", "•", "*", "“", '"')) or _SENTENCE_BREAK.search(t):
        return False
    return t[0].isupper() or t[0].isdigit()


def _outlet(line: str, layout: Layout) -> str | None:
    t = line.strip()
    if len(t) > 120:
        return None
    base = fold(re.sub(r"\s*\([^)]*\)\s*$", "", t)).lower()
    return t if base in _folded_outlets(layout) else None


@lru_cache(maxsize=8)
def _folded_outlets(layout: Layout) -> frozenset[str]:
    return frozenset(fold(o).lower() for o in layout.outlets)


def split_articles(doc: Document, layout: Layout) -> list[Article]:
    lines = logical_lines(doc.text, layout)
    starts: list[dict] = []  # each: {"title": i|None, "publisher": str|None, "body": i, "date": ...}
    pending: dict = {}
    i, n = 0, len(lines)
    head = read_head(lines, layout)
    if head is not None:
        starts.append({"title": head.title, "publisher": head.publisher, "date": head.date, "body": head.body,
                       "title_text": head.title_text, "skipped": head.skipped})
    previous_blank = 2  # the file start counts as a break
    if head is not None:
        i, previous_blank = head.text, 0
    while i < n:
        line = lines[i]
        if line.blank or is_boilerplate(line.text, layout):
            previous_blank += 1
            i += 1
            continue
        m = layout.header.match(line.text.strip())
        if m:
            pending = {"date": parse_iso(m.group("date")), "publisher": m.group("publisher")}
            i += 1
            previous_blank = 2
            continue
        nxt, dated = _next_text_line(lines, i + 1, layout)
        followed_by_blank = i + 1 < n and lines[i + 1].blank
        is_title = (_looks_like_title(line) and previous_blank >= 1 and not _outlet(line.text, layout) and nxt is not None
                    and (followed_by_blank or previous_blank >= 2)
                    # in a page read with its head, a heading is a section of the article unless
                    # a date line under it opens another dated item
                    and (head is None or dated is not None)
                    and not any(p.match(line.text.strip()) for p in layout.end_markers)
                    and not _section_heading(lines, nxt, starts)
                    and (len(lines[nxt].text) >= 60 or _outlet(lines[nxt].text, layout)))
        if is_title:
            start = {"title": i, "publisher": pending.get("publisher"), "date": pending.get("date") or dated,
                     "body": nxt}
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


def _next_text_line(lines: list[Line], i: int, layout: Layout) -> tuple[int | None, PartialDate | None]:
    """The next line of text after line ``i - 1``, past blank lines, page furniture and date
    lines (a headline, then "Foreign Affairs, Friday, June 29, 2018", then the text), and the
    date such a line gave."""
    date = None
    for j in range(i, len(lines)):
        text = lines[j].text
        if not text.strip() or is_boilerplate(text, layout):
            continue
        stated = page_date(text, layout)
        if stated is not None:
            date = date or stated
            continue
        return j, date
    return None, date


def _materialize(doc: Document, lines: list[Line], starts: list[dict], layout: Layout) -> list[Article]:
    articles: list[Article] = []
    for k, s in enumerate(starts):
        end = starts[k + 1]["title"] if k + 1 < len(starts) and starts[k + 1]["title"] is not None \
            else (starts[k + 1]["body"] if k + 1 < len(starts) else len(lines))
        skipped = s.get("skipped", frozenset())
        body = [ln for j, ln in enumerate(lines[s["body"]:end], s["body"])
                if not ln.blank and not is_boilerplate(ln.text, layout) and j not in skipped]
        kept: list[Line] = []
        stated: PartialDate | None = None
        for ln in body:
            if any(p.match(ln.text.strip()) for p in layout.end_markers):
                continue
            on_its_own = page_date(ln.text, layout)
            if on_its_own is not None:   # the page's date line under the text, not a sentence of it
                stated = stated or on_its_own
                continue
            kept.append(_without_bullet(ln, layout))
        if not kept:
            continue  # a page heading with nothing under it
        kept = _turns(kept, layout)
        date, city, publisher = s.get("date"), None, s.get("publisher")
        m = layout.dateline.match(kept[0].text)
        dateline = m.end() if m else 0
        if m:
            date = date or _dateline_date(m.group("date"))
            city = m.group("city")
            publisher = publisher or m.group("source")
        elif layout.city_dateline and (c := layout.city_dateline.match(kept[0].text)):
            city = c.group("city")      # "London: Prime Minister X ...": the city of 'here', no date
        title = s.get("title_text") or (lines[s["title"]].text.strip() if s["title"] is not None else None)
        if date is None and title is not None:
            date = _trailing_date(title)
        date = date or stated
        first = s["title"] if s["title"] is not None else s["body"]
        articles.append(Article(doc, len(articles) + 1, title, publisher, date, city, tuple(kept),
                                doc.line_of(lines[first].start), dateline))
    return articles


def _turns(body: list[Line], layout: Layout) -> list[Line]:
    """In a transcript (two or more paragraphs open with a speaker's label), every line is said
    by the last speaker named: "I am very pleased to meet you" is the speaker's first person. A
    single "Name: ..." line is not a transcript, and its line keeps no speaker."""
    labels = [layout.speaker_label.match(ln.text) if layout.speaker_label else None for ln in body]
    if sum(1 for m in labels if m) < 2:
        return body
    out, speaker = [], None
    for line, label in zip(body, labels):
        if label:
            speaker = label.group("speaker")
        out.append(replace(line, speaker=speaker))
    return out


def _without_bullet(line: Line, layout: Layout) -> Line:
    """A list item's text without its marker ("• The two sides agreed ..."), offsets kept."""
    m = layout.bullet.match(line.text) if layout.bullet else None
    return Line(line.start + m.end(), line.end, line.text[m.end():], line.speaker) if m else line


def _dateline_date(text: str) -> PartialDate | None:
    """The date of a dateline, month first or day first, with its year when it gives one."""
    found = [e.date for e in find_dates(text) if e.date.month and e.date.day]
    return found[0] if found else None
