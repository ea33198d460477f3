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
