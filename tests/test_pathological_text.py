"""Text the rules were not written for must be read in time linear in its size (issue 16, item 2):
no pattern backtracks catastrophically, and no sentence is long enough for the searches around
each of its names to add up. bench/pathological prints the whole curve; these pin its points."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from kg.articles import split_articles
from kg.build import DocumentTimeout, _within_budget, load_pipeline
from kg.documents import decode
from kg.facts import extract_report
from kg.sentences import MAX_SENTENCE, _pieces, split_sentences

from conftest import SEEDS


@pytest.fixture(scope="module")
def pipeline():
    return load_pipeline(None)


def _extract(pipeline, text: str, seconds: float) -> tuple[float, list]:
    """Extract one document under a time limit (a failure, not a hang, when it is passed); the CPU
    seconds it took (the work done, whatever else the machine runs)."""
    doc, problem = decode(Path("odd.txt"), text.encode())
    assert problem is None
    t0 = time.process_time()
    try:
        facts = _within_budget(seconds, lambda: [extract_report(a, pipeline.extractor)
                                                 for a in split_articles(doc, pipeline.layout)])
    except DocumentTimeout:
        pytest.fail(f"{len(text)} characters took longer than {seconds} s")
    return time.process_time() - t0, facts


def _repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def test_titles_joined_by_and_are_not_tried_in_every_split(pipeline):
    """'Minister of Foreign Affairs and ' * 18 took 106 s, each repetition about twice as long
    again; 64 repetitions now take what one does."""
    for n in (18, 24, 64):
        took, _ = _extract(pipeline, "Minister of Foreign Affairs and " * n, 5)
        assert took < 1.5, (n, took)     # about 0.6 s of CPU; each "and" more doubled it before


def test_a_long_run_of_names_is_read_in_linear_time(pipeline):
    """'President Xi Jinping met President Joe Biden and ' to 16 KB took 50 s (cubic; 6.5 s after
    the speed work); 64 KB now takes a few seconds."""
    took, _ = _extract(pipeline, _repeated("President Xi Jinping met President Joe Biden and ", 64_000), 40)
    assert took < 25, took          # about 6 s on 2 busy cores; cubic, it would take minutes


def test_a_text_without_punctuation_is_read_in_linear_time(pipeline):
    """The seeds with every punctuation mark taken out: one sentence of 256 KB took 46 s
    (quadratic: each name searched the text before it); now a few seconds, and the pieces still
    find the people."""
    words = re.sub(r"\s+", " ", re.sub(r"[^\w ]+", " ", " ".join(
        p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))))
    took, facts = _extract(pipeline, _repeated(words, 256_000), 30)
    assert took < 15, took
    persons = {k for f in facts for k in f.persons}
    assert {"xi-jinping", "miguel-mario-diaz-canel-bermudez"} <= persons
    warned = [p for f in facts for p in f.problems if p.code == "long-sentence"]
    assert warned and warned[0].file == "odd.txt" and warned[0].line == 1


def test_a_sentence_too_long_is_read_in_pieces_that_keep_their_offsets(pipeline):
    text = "Headline\n\n" + _repeated("Xi Jinping met Joe Biden and Lula da Silva, then ", 5000) + ".\n"
    doc, _ = decode(Path("r.txt"), text.encode())
    (article,) = split_articles(doc, pipeline.layout)
    body = text.split("\n\n")[1].strip()
    pieces = [s for s in split_sentences(article, pipeline.layout.abbreviations) if s.text != "Headline"]
    assert len(pieces) >= 5 and all(len(s.text) <= MAX_SENTENCE for s in pieces)
    assert [s.cut_from for s in pieces][:2] == [len(body), None]      # the first piece says it was cut
    for s in pieces:
        assert doc.text[s.start:s.end] == s.text                 # offsets into the document
        assert s.text.endswith(",") or s is pieces[-1]           # cut after a comma where there is one
    # every character of the long sentence is in exactly one piece (spaces between them aside)
    assert "".join(s.text for s in pieces).replace(" ", "") == body.replace(" ", "")
    # a word longer than a piece is cut where it must be
    assert _pieces("x" * 2500) == [(0, 1000), (1000, 2000), (2000, 2500)]
