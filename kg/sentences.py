"""Stage 3a, sentences: split each paragraph of an article into sentences.

A full stop ends a sentence (also one a page ran into the next: "in Moscow.The talks") unless it closes a known abbreviation ("H.E.", "U.S.", "Dr.",
"No. 7", listed in ``mappings/layout.yaml``), an initial ("S. Jaishankar") or the number of a
numbered paragraph ("7. The Cuban side ..."), which is kept as the paragraph's number.
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

    @property
    def line(self) -> int:
        return self.article.document.line_of(self.start)


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
        if text[m.start()] == "." and _NUMBER_SIGN.search(text, 0, dot_end):
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
            chunk = text[offset + s: offset + e]
            lead = len(chunk) - len(chunk.lstrip())
            chunk = chunk.strip()
            if not chunk:
                continue
            start = line.start + offset + s + lead
            out.append(Sentence(article, len(out), p, start, start + len(chunk), chunk,
                                number if k == 0 else None, line.speaker))
    return out
