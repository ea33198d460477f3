"""The sentence prefilter of the meeting rules (RuleBook.meeting_rules_in): derived from the mapping
files, it passes every rule's own examples, and extraction with and without it gives the same facts."""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import pytest

from kg.articles import Article, Line, split_articles
from kg.build import input_files, load_pipeline
from kg.documents import Document, normalize, read_document
from kg.facts import extract_report
from kg.literals import Sieve, gate_of
from kg.mentions import ReportContext
from kg.rules import RuleBook, match
from kg.sentences import Sentence

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "seeds", ROOT / "tests" / "corpus", ROOT / "tests" / "devcorpus" / "docs"]


@pytest.fixture(scope="module")
def pipeline():
    return load_pipeline(None)


class Unsieved(RuleBook):
    """The rule book as it was before the prefilter: every rule of a kind (every meeting rule for
    the persons named) is tried on every sentence, and every pattern of a meeting only planned or
    recalled searched; `match` (or a pair rule's or pattern's gate) says no itself."""

    def meeting_rules_in(self, ms):
        return self.meeting_rules_for(ms.token_counts.get("⟨P", 0))

    def rules_in(self, kind, ms):
        return self.of_kind(kind)

    @functools.cached_property
    def told_patterns(self):
        told = RuleBook.told_patterns.func(self)
        return Sieve(told.items, [() for _ in told.items])


def _example_sentence(rule, example: str, finder):
    """The example as `kg validate` reads it (kg.rules.check_examples)."""
    text, offsets = normalize(example)
    doc = Document(rule.file, rule.file.name, example, text, offsets, (0,))
    article = Article(doc, 1, example if rule.kind == "statement" or rule.title else None, None, None, None,
                      (Line(0, len(text), text),), 1)
    return finder.find(Sentence(article, 0, 0, 0, len(text), text), ReportContext())


def test_every_rule_example_passes_the_prefilter(pipeline):
    book, checked = pipeline.rules, 0
    for rule in book.rules:
        for example in rule.examples:
            ms = _example_sentence(rule, example, pipeline.finder)
            present = book.cue_index.present(ms.lowered)
            assert all(not words.isdisjoint(present) for words in rule.words_needed) or not ms.plain, (rule.id, example)
            if not rule.title and match(rule, ms):
                assert rule in book.rules_in(rule.kind, ms), (rule.id, example)
                if rule.kind == "meeting":
                    assert rule in book.meeting_rules_in(ms), (rule.id, example)
                checked += 1
    assert checked > 70        # the sentence rules' examples were looked at


def test_the_prefilter_follows_the_mapping_files(pipeline):
    """The words come from the rules as loaded: none is kept by hand in the code."""
    book = pipeline.rules
    wanted = {w for r in book.rules for words in r.words_needed for w in words}
    wanted |= {w for p in (*book.hypothetical, *book.recalled) for words in gate_of(p).words for w in words}
    assert book.cue_index.words == frozenset(wanted)
    held_talks = next(r for r in book.rules if r.id == "meeting.held-talks")
    assert held_talks.words_needed and all(words <= book.cue_index.words for words in held_talks.words_needed)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.relative_to(ROOT).as_posix())
def test_extraction_with_and_without_the_prefilter_is_the_same(pipeline, folder):
    ex = pipeline.extractor
    plain = dataclasses.replace(ex, rules=Unsieved(**{f.name: getattr(ex.rules, f.name)
                                                      for f in dataclasses.fields(RuleBook)}))
    reports = meetings = 0
    for source in input_files((folder,)):
        doc, _ = read_document(source)
        for article in split_articles(doc, pipeline.layout):
            sieved, unsieved = extract_report(article, ex), extract_report(article, plain)
            assert sieved == unsieved, (source.name, article.key)
            reports += 1
            meetings += len(sieved.meetings)
    assert reports > 4 and meetings > 4
