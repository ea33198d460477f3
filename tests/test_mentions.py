from pathlib import Path

from kg.articles import build_layout, split_articles
from kg.documents import decode
from kg.gazetteer import build_gazetteer
from kg.mappings import load_mappings
from kg.mentions import MentionFinder, ReportContext
from kg.sentences import split_sentences

MAPPINGS = load_mappings()
GAZ = build_gazetteer(MAPPINGS)
LAYOUT = build_layout(MAPPINGS, GAZ)
FINDER = MentionFinder(GAZ)


def mentions(text: str):
    doc, _ = decode(Path("m.txt"), text.encode())
    (article,) = split_articles(doc, LAYOUT)
    ctx = ReportContext()
    return [FINDER.find(s, ctx) for s in split_sentences(article, LAYOUT.abbreviations)], ctx


def test_unknown_person_found_from_title_with_country():
    (ms,), _ = mentions("Cuban Deputy Foreign Minister Anayansi Rodríguez Camejo held talks with Xie Feng.")
    people = ms.of_kind("person")
    assert [p.key for p in people] == ["anayansi-rodriguez-camejo", "xie-feng"]
    assert people[0].country == "CU" and people[0].titles == ("Cuban Deputy Foreign Minister",)


def test_appositive_title_and_party_side():
    (ms,), _ = mentions("Liu Jianchao met here today with a delegation led by Sophia Shaningwa, "
                        "Secretary General of the SWAPO Party of Namibia.")
    sophia = [p for p in ms.of_kind("person") if p.key == "sophia-shaningwa"][0]
    assert sophia.titles == ("Secretary General of the SWAPO Party of Namibia",) and sophia.country == "NA"


def test_spelling_variants_and_surnames_resolve_to_one_person():
    out, ctx = mentions("President Xi Jinping met Cuban President Miguel Daz-Canel. Later Diaz-Canel thanked Xi. "
                        "Díaz-Canel left.")
    keys = {p.key for ms in out for p in ms.of_kind("person")}
    assert keys == {"xi-jinping", "miguel-mario-diaz-canel-bermudez"}


def test_three_lis_are_three_people_and_a_bare_li_is_left_alone():
    out, _ = mentions("Li Keqiang, Li Zhanshu and Li Qiang attended. Li spoke.")
    assert [p.key for p in out[0].of_kind("person")] == ["li-keqiang", "li-zhanshu", "li-qiang"]
    assert out[1].of_kind("person") == []


def test_acronym_defined_for_two_bodies_is_not_merged():
    out, ctx = mentions("The Communist Party of China (CPC) and the Communist Party of Cuba (CPC) met. The CPC spoke.")
    assert [p.code for p in ctx.problems] == ["ambiguous-acronym"]
    assert all(m.text != "CPC" for m in out[1].of_kind("org"))


def test_trie_alternation_finds_what_the_flat_alternation_finds():
    """The gazetteer's names as a trie match exactly as the longest-first flat list did, with the
    lookarounds the gazetteer puts around them, on the real names and on names that are prefixes
    of one another."""
    import random
    import re

    from kg.gazetteer import _alternation, trie_alternation

    rng = random.Random(11)
    made_up = ["".join(rng.choice("ab -'") for _ in range(rng.randint(1, 6))).strip() for _ in range(300)]
    for words in (list(GAZ.country_index), list(GAZ.person_index), list(GAZ.place_index), made_up):
        alphabet = sorted(set("".join(words)) | set(" -'x,."))
        texts = [" ".join(rng.sample(words, 6))] * 5 + \
                ["".join(rng.choice(alphabet) for _ in range(60)) for _ in range(400)] + \
                [" ".join(rng.choice(words) + rng.choice(["", "s", "-x", "'s", "'s side", " side"]) for _ in range(6))
                 for _ in range(400)]
        for before, after in ((r"(?<![\w-])", r"(?![\w-])"), (r"(?<!\w)(?<!South )", r"(?:'s)?(?: side)?(?![\w])")):
            flat = re.compile(before + "(?:" + _alternation(words) + ")" + after)
            trie = re.compile(before + "(?:" + trie_alternation(words) + ")" + after)
            found = [[m.span() for m in flat.finditer(t)] for t in texts]
            assert [[m.span() for m in trie.finditer(t)] for t in texts] == found
            assert sum(map(len, found)) > 100
    assert re.compile(trie_alternation([])).search("anything") is None


def test_known_spellings_are_found_as_whole_words():
    import random
    import re

    from kg.mentions import _whole_words

    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(["Xi Li", "Xi", " ", "-", "’", "'", "é", "_", "a", ".", "Li"]) for _ in range(12))
        words = rng.choice(["Xi Li", "Li Xi", "Xi", "Li"])
        pattern = re.compile(rf"(?<![\w’'-]){re.escape(words)}(?![\w’'-])")
        assert list(_whole_words(text, words)) == [m.span() for m in pattern.finditer(text)]


def test_case_insensitive_trie_finds_what_the_flat_alternation_finds():
    """Under re.I the titles as a lower-case trie match as the flat list does, although the list has
    words that differ only in case where they begin ("External Affairs Minister", "envoy")."""
    import random
    import re

    from kg.gazetteer import _alternation, case_insensitive_alternation

    rng = random.Random(3)
    words = list(GAZ.titles) + ["Vice President", "vice president of", "VICE", "Envoy", "e"]
    mangle = lambda w: "".join(c.upper() if rng.random() < 0.3 else c.lower() for c in w)   # noqa: E731
    texts = [" ".join(mangle(rng.choice(words)) + rng.choice(["", " of", "s", " x"]) for _ in range(5))
             for _ in range(2000)]
    flat = re.compile(r"\b(?:" + _alternation(words) + r")\b(?: of)?", re.I)
    trie = re.compile(r"\b(?:" + case_insensitive_alternation(words) + r")\b(?: of)?", re.I)
    found = [[m.span() for m in flat.finditer(t)] for t in texts]
    assert [[m.span() for m in trie.finditer(t)] for t in texts] == found and sum(map(len, found)) > 1000
    assert case_insensitive_alternation(["Straße", "STRASSE"]) == _alternation(["Straße", "STRASSE"])  # not ASCII


def test_word_gates_change_no_scan(monkeypatch):
    """scan() tries the title, honorific and descriptor patterns only on a sentence that holds a
    title, an honorific or a leader word; on every sentence of the seeds, the test corpus and the
    devcorpus (and each in capitals), that finds what trying them on every sentence finds."""
    import re

    from kg.literals import Gate

    root = Path(__file__).resolve().parent.parent
    texts = []
    for folder in (root / "seeds", root / "tests" / "corpus", root / "tests" / "devcorpus" / "docs"):
        for path in sorted(folder.glob("*.txt")):
            doc, _ = decode(path, path.read_bytes())
            for article in split_articles(doc, LAYOUT):
                texts += [s.text for s in split_sentences(article, LAYOUT.abbreviations)]
    texts += [t.upper() for t in texts[::7]] + ["the ſecretary of ſtate Antony Blinken", "the KING met Dr. Who"]

    def found(scan):
        return (scan.named, [m.span() for m in scan.descriptors], [m.span() for m in scan.title_only])

    finder = MentionFinder(GAZ)
    gated = [found(finder.scan(t)) for t in texts]
    finder = MentionFinder(GAZ)
    monkeypatch.setattr(MentionFinder, "_titles_held", lambda self, folded: (True, True))
    monkeypatch.setattr(MentionFinder, "honorific_word_re", re.compile(""))
    monkeypatch.setattr(MentionFinder, "leader_words", Gate(()))
    assert [found(finder.scan(t)) for t in texts] == gated
    assert sum(len(g[0]) + len(g[2]) for g in gated) > 500       # the comparison is not vacuous


def test_names_open_the_gazetteer_patterns():
    """The gazetteer's name patterns open with the names' first letters (trie_alternation's
    not_after) and find what the same patterns opening with a lookbehind find, on every line of
    the three corpora and on made-up edge cases."""
    import random
    import re

    from kg.gazetteer import fold, trie_alternation

    g = GAZ
    before = {
        "person_re": r"(?<![\w-])(?:" + trie_alternation(list(g.person_index)) + r")(?![\w-])",
        "country_re": r"(?<!\w)(?<!Latin )(?<!South )(?<!North )(?<!Central )(?<!latin )(?<!south )"
                      r"(?:" + trie_alternation(list(g.country_index)) + r")(?:'s)?(?: side)?(?![\w])",
        "org_re": r"(?<![\w-])(?:" + trie_alternation(list(g.org_index)) + r")(?: \((?P<acr>[A-Z][A-Za-z]{1,9})\))?(?![\w])",
        "acronym_re": r"(?<![\w-])[A-Z][A-Z]{1,9}(?![\w-])",
        "place_re": r"(?<![\w-])(?:" + trie_alternation(list(g.place_index)) + r")(?![\w-])",
    }
    root = Path(__file__).resolve().parent.parent
    lines = [fold(line) for folder in (root / "seeds", root / "tests" / "corpus", root / "tests" / "devcorpus" / "docs")
             for f in sorted(folder.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    names = [*list(g.country_index)[:40], *list(g.person_index)[:40], *list(g.org_index)[:20], *list(g.place_index)[:20]]
    glue = ["", " ", "-", "x", "Latin ", "South ", "north ", "'s", " side", " (UN)", "\n", "EU", "UNGA", "é"]
    rng = random.Random(3)
    lines += ["".join(rng.choice(names + glue) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    for name, pattern in before.items():
        old, new = re.compile(pattern), getattr(g, name)
        assert old.pattern != new.pattern
        found = [[(m.span(), m.groupdict()) for m in old.finditer(line)] for line in lines]
        assert [[(m.span(), m.groupdict()) for m in new.finditer(line)] for line in lines] == found, name
        assert sum(map(len, found)) > 100, name


class CountingFinder(MentionFinder):
    """A finder that counts the texts it scans afresh."""

    def __init__(self, gazetteer) -> None:
        super().__init__(gazetteer)
        self.scanned: list[str] = []

    def _scan(self, text: str):
        self.scanned.append(text)
        return super()._scan(text)


def test_a_report_scans_its_title_once():
    """The title is read by both readings, the headline, the statement's heading and the title's
    meetings: its scan (a function of the text alone) is kept, and is the one a fresh finder makes."""
    from dataclasses import replace

    from kg.build import load_pipeline
    from kg.facts import extract_report

    p = load_pipeline(None)
    finder = CountingFinder(p.gazetteer)
    text = ("Readout of the Meeting of Prime Minister Anthony Albanese with President Joko Widodo\n\n"
            "Prime Minister Anthony Albanese met President Joko Widodo in Jakarta on 6 June 2022.\n"
            "The leaders discussed trade.\n")
    doc, _ = decode(Path("r.txt"), text.encode())
    (article,) = split_articles(doc, p.layout)
    facts = extract_report(article, replace(p.extractor, finder=finder))
    assert facts.meetings and article.title
    assert finder.scanned.count(article.title) == 1 and len(finder.scanned) == len(set(finder.scanned))
    def found(scan):     # what a scan found (its matches compared by where they are)
        return (scan.folded, scan.dates, scan.named, scan.places, scan.countries,
                *([m.span() for m in ms] for ms in (scan.descriptors, scan.title_only, scan.organizations, scan.acronyms)))

    assert found(finder.scan(article.title)) == found(MentionFinder(p.gazetteer).scan(article.title))
    for i in range(MentionFinder.SCANS_KEPT):         # a text scanned long ago is scanned again
        finder.scan(f"Sentence {i}.")
    finder.scan(article.title)
    assert finder.scanned.count(article.title) == 2
