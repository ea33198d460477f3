"""Stage 3a, sentences: split each paragraph of an article into sentences.

A full stop ends a sentence (also one a page ran into the next: "in Moscow.The talks") unless it closes a known abbreviation ("H.E.", "U.S.", "Dr.",
"No. 7", listed in ``mappings/layout.yaml``), an initial ("S. Jaishankar") or the number of a
numbered paragraph ("7. The Cuban side ..."), which is kept as the paragraph's number.

A sentence is at most ``MAX_SENTENCE`` characters: a longer one (text without full stops, a list
run together; the longest sentence of the 100 real pages has 757) is read in pieces, each ended
at a semicolon, a comma or a space, and the report says so. The mention patterns look around
every name of a sentence, so a sentence of unbounded length made reading it quadratic or worse;
in pieces, reading a document takes time linear in its size whatever its punctuation.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.articles import Article

_NUMBERED = re.compile(r"^\s*(?:\(?(\d{1,3})[.)]\s+|\((\d{1,3})\)\s*)(?=\S)")
# a sentence ends at its punctuation before a space and a capital, or, where a page lost the
# space ("in Moscow.The talks"), between a word's last letters and a capitalized word
_BOUNDARY = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|(?<=[a-z]{2})[.!?](?=[A-Z][a-z])")


@dataclass(frozen=True)
class Sentence:
    article: Article
    index: int       # position in the article, from 0
    paragraph: int   # position of its paragraph in the article, from 0
    start: int       # offsets into the document's normalized text
    end: int
    text: str
    number: int | None = None  # the paragraph's own number, on its first sentence only
    speaker: str | None = None  # in a transcript, who says it ("SECRETARY KERRY")
    cut_from: int | None = None  # on the first piece of a sentence too long to read whole: its length

    @property
    def line(self) -> int:
        return self.article.document.line_of(self.start)


MAX_SENTENCE = 1000     # characters read as one sentence; a longer one is read in pieces
_PIECE_ENDS = ("; ", ", ", " ")    # where a piece may end, best first


def _pieces(text: str, limit: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    """Spans of `text` of at most `limit` characters, each ended at the last semicolon, comma or
    space of its second half (a word longer than that is cut where it must be)."""
    spans, begin = [], 0
    while len(text) - begin > limit:
        end = begin + limit
        for mark in _PIECE_ENDS:
            at = text.rfind(mark, begin + limit // 2, end)
            if at >= 0:
                end = at + len(mark.rstrip())
                break
        spans.append((begin, end))
        begin = end
        while begin < len(text) and text[begin] == " ":
            begin += 1
    spans.append((begin, len(text)))
    return spans


_INITIAL = re.compile(r"[a-z]\.")
_INITIALS = re.compile(r"(?:[a-z]\.){2,}")
_NUMBER_SIGN = re.compile(r"\bNo\.$")


@functools.lru_cache(maxsize=8)
def _lowered(abbreviations: tuple[str, ...]) -> frozenset[str]:
    """The abbreviations in lower case (asked for every paragraph: the same few lists)."""
    return frozenset(a.lower() for a in abbreviations)


def split_text(text: str, abbreviations: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the sentences of one paragraph."""
    spans, begin = [], 0
    lowered = _lowered(abbreviations)
    for m in _BOUNDARY.finditer(text):
        dot_end = m.start() + 1
        word = _word_before(text, dot_end).lower().lstrip("(\"“‘[")
        if word in lowered or _INITIAL.fullmatch(word) or _INITIALS.fullmatch(word):
            continue
        if text[m.start()] == "." and _NUMBER_SIGN.search(text, max(0, dot_end - 3), dot_end):  # "No." only
            continue
        spans.append((begin, m.end()))
        begin = m.end()
        while begin < len(text) and text[begin] == " ":
            begin += 1
    if begin < len(text) and text[begin:].strip():
        spans.append((begin, len(text)))
    return spans


def _word_before(text: str, end: int) -> str:
    """The whitespace-separated word that ends at `end` (what text[:end].rsplit(None, 1)[-1] is,
    without copying the paragraph up to there at every full stop)."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def split_sentences(article: Article, abbreviations: tuple[str, ...]) -> list[Sentence]:
    out: list[Sentence] = []
    for p, line in enumerate(article.body):
        text = line.text
        number = None
        offset = 0
        m = _NUMBERED.match(text)
        if m:
            number = int(m.group(1) or m.group(2))
            offset = m.end()
        for k, (s, e) in enumerate(split_text(text[offset:], abbreviations)):
            whole = text[offset + s: offset + e]
            lead = len(whole) - len(whole.lstrip())
            whole = whole.strip()
            pieces = _pieces(whole) if len(whole) > MAX_SENTENCE else [(0, len(whole))]
            for i, j in pieces:
                chunk = whole[i:j].rstrip()
                if not chunk.strip():
                    continue
                start = line.start + offset + s + lead + i + len(chunk) - len(chunk.lstrip())
                chunk = chunk.lstrip()
                out.append(Sentence(article, len(out), p, start, start + len(chunk), chunk,
                                    number if k == 0 and i == 0 else None, line.speaker,
                                    len(whole) if len(pieces) > 1 and i == 0 else None))
    return out
