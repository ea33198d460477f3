import re
from pathlib import Path

import pytest

from kg.literals import Gate, required_words

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("pattern, flags, words", [
    (r"⟨P\d+⟩ (?:met|meets) with ⟨P\d+⟩", 0, {"⟩ met with ⟨p", "⟩ meets with ⟨p"}),
    (r"\b(?:held|had) (?:talks|a meeting) with\b", re.I, {"held talks with", "held a meeting with",
                                                          "had talks with", "had a meeting with"}),
    (r"Joint (?:Statement|Declaration)", 0, {"joint statement", "joint declaration"}),
])
def test_the_words_a_match_holds(pattern, flags, words):
    assert set(required_words(pattern, flags)[0]) == words


@pytest.mark.parametrize("pattern", [r".*", r"\w+", r"(?:met)?", r"a|.", r"[^x]{3}", r"(?=met)", r"(.)\1"])
def test_no_words_where_a_match_may_hold_none(pattern):
    assert required_words(pattern) == ()


def test_a_repeated_and_optional_part():
    needs = required_words(r"(?:very )*(?:big )?talks{1}")
    assert needs and all(any("talks" in w or w in "talks" for w in words) for words in needs)


def test_case_folding_letters_are_searched_anyway():
    gate = Gate.of(re.compile(r"august", re.I))
    assert gate.admits("on august 1", True) and not gate.admits("on june 1", True)
    text = "on auguſt 1"            # re.I matches "ſ" to "s": the gate may not say no
    assert re.search(r"august", text, re.I) and gate.admits(text.lower(), False)


def _texts_and_patterns():
    """Every pattern of the rules and of the date cues, with the sentences of the seeds and the test
    corpus as the rules see them (masked) and as they are written, their articles, and every rule's
    examples."""
    from kg.build import load_pipeline
    from kg.documents import read_document
    from kg.build import input_files
    from kg.articles import split_articles
    from kg.mentions import ReportContext
    from kg.sentences import split_sentences

    p = load_pipeline(None)
    texts: list[str] = []
    for folder in (ROOT / "seeds", ROOT / "tests" / "corpus"):
        for source in input_files((folder,)):
            doc, _ = read_document(source)
            for article in split_articles(doc, p.layout):
                texts.append(" ".join(line.text for line in article.body))
                ctx = ReportContext()
                for sentence in split_sentences(article, p.extractor.abbreviations):
                    texts += [sentence.text, p.finder.find(sentence, ctx).masked]
    texts += [e for r in p.rules.rules for e in r.examples]
    texts += [t.upper() for t in texts[:2000]] + [t.swapcase() for t in texts[:2000]]
    book, cues = p.rules, p.extractor.date_cues
    patterns = [r.regex for r in book.rules] + [u for r in book.rules for u in r.unless]
    patterns += [*cues.current_year, *cues.anniversary, *cues.visit_days]
    for value in vars(book).values():
        if isinstance(value, tuple):
            patterns += [v for v in value if isinstance(v, re.Pattern)]
    return texts, patterns


def test_every_match_holds_its_words():
    """The gate never refuses a text the pattern matches: every pattern of the rules and the date
    cues against every sentence and article of the seeds and the test corpus, and the rules' examples."""
    texts, patterns = _texts_and_patterns()
    matched = 0
    for regex in patterns:
        gate = Gate.of(regex)
        for text in texts:
            if regex.search(text):
                matched += 1
                assert gate.admits(text.lower(), True), (regex.pattern[:200], text)
    assert matched > 2000       # the comparison is not vacuous


def test_the_word_index_finds_every_word_a_text_holds():
    """Overlapping words, a word inside another, words of one letter and of many: the index says
    what `word in text` says for each word."""
    from kg.literals import WordIndex

    words = ["met", "meet", "meeting", "eting", "⟩ met with ⟨p", "talks", "alks", "a", "held talks with", ""]
    index = WordIndex(words)
    for text in ["they held talks with ⟨p0⟩", "⟨p0⟩ met with ⟨p1⟩ at the meeting", "nothing here", "",
                 "meetingmeeting", "alkstalks"]:
        assert index.present(text) == {w for w in words if w in text}, text


def test_a_sieve_admits_what_the_gates_admit():
    """Every pattern of the rules and the date cues, sieved by the words the index finds, against
    the seeds' and the test corpus' sentences: the same answer as each pattern's own gate."""
    from kg.literals import Sieve, WordIndex

    texts, patterns = _texts_and_patterns()
    gates = [Gate.of(p) for p in patterns]
    index = WordIndex(w for g in gates for words in g.words for w in words)
    sieve = Sieve(range(len(gates)), [g.words for g in gates])
    admitted = 0
    for text in texts[:3000]:
        lowered = text.lower()
        expected = tuple(i for i, g in enumerate(gates) if g.admits(lowered, True))
        assert sieve.admitted(index.present(lowered)) == expected, text
        admitted += len(expected)
    assert 0 < admitted < 3000 * len(gates) / 2      # the gates say yes to some and no to most
