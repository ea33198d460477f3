"""The competency questions of the public contract, each asserting the facts its README states."""
from collections import defaultdict
from pathlib import Path

import pytest

from kg.store import dataset

CQ = Path(__file__).resolve().parent.parent / "queries"


def ask(store, name: str) -> list[dict]:
    sols = store.query((CQ / name).read_text(), **dataset(store))
    names = [v.value for v in sols.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in sols]


def test_cq01_china_cuba_meetings(seeds_store):
    rows = ask(seeds_store, "cq01-china-cuba-meetings.rq")
    seen = {(r["date"], frozenset(r["participants"].split(" | "))) for r in rows}
    dc = "Miguel Mario Díaz-Canel Bermúdez"
    assert ("2022-08-23", frozenset({"Xie Feng", "Anayansi Rodríguez Camejo"})) in seen
    assert ("2022-11-25", frozenset({"Xi Jinping", dc})) in seen
    assert any(p == frozenset({"Li Keqiang", dc}) for _, p in seen)
    assert any(p == frozenset({"Li Zhanshu", dc}) for _, p in seen)
    assert ("--04-23", frozenset({"Liu Jianchao", "Ludmila Alamo"})) in seen
    assert (None, frozenset({"Xi Jinping", dc})) in seen
    everyone = {n for _, p in seen for n in p}
    assert not everyone & {"Vladimir Putin", "Sophia Shaningwa", "Michelle O’Neill"}


def test_cq02_who_met_diaz_canel_under_any_spelling(seeds_store):
    rows = ask(seeds_store, "cq02-who-met-diaz-canel.rq")
    assert {"other": "Xi Jinping", "date": "2022-11-25", "place": "Great Hall of the People"} in rows
    assert {r["other"] for r in rows if r["date"] == "2022-11"} | {r["other"] for r in rows if r["date"] == "2022-11-25"} \
        >= {"Li Keqiang", "Li Zhanshu"}
    assert any(r["other"] == "Xi Jinping" and r["date"] is None for r in rows)
    spellings = {r["n"].value for r in seeds_store.query(
        "SELECT ?n WHERE { <https://w3id.org/bilateral-kg/id/person/miguel-mario-diaz-canel-bermudez> "
        "<http://www.w3.org/2004/02/skos/core#altLabel> ?n }", **dataset(seeds_store))}
    assert {"Diaz-Canel", "Daz-Canel", "Díaz-Canel"} <= spellings


def test_cq03_one_meeting_many_reports(seeds_store):
    rows = ask(seeds_store, "cq03-reports-per-meeting.rq")
    talks = [r for r in rows if r["date"] == "2022-11-25" and "xi-jinping" in r["meeting"]]
    assert len(talks) == 1
    assert int(talks[0]["files"]) == 2 and int(talks[0]["reports"]) >= 4


def test_cq04_taiwan_clauses(seeds_store):
    rows = ask(seeds_store, "cq04-taiwan-clauses.rq")
    assert any(r["number"] == "7" and r["side"] == "Cuba" for r in rows)
    assert any(r["number"] is None and r["side"] == "Russia" and "vladimir-putin" in r["statement"] for r in rows)


def test_cq05_clause_count(seeds_store):
    rows = {frozenset(r["sides"].split(" | ")): int(r["clauses"]) for r in ask(seeds_store, "cq05-clause-count.rq")}
    assert rows[frozenset({"China", "Cuba"})] == 18
    assert rows[frozenset({"China", "Russia"})] >= 8


def test_cq06_agreements_at_the_talks(seeds_store):
    labels = {r["agreement"].lower() for r in ask(seeds_store, "cq06-agreements.rq") if r["date"] == "2022-11-25"}
    for words in ("party-to-party exchange", "consultation mechanism between the two foreign ministries",
                  "belt and road cooperation", "practical cooperation"):
        assert any(words in label for label in labels), words


def test_cq07_evidence_of_the_video_consultation(seeds_store):
    (row,) = ask(seeds_store, "cq07-evidence.rq")
    assert row["date"] == "2022-08-23" and row["mode"].endswith("#Video")
    assert row["quote"] == ("On August 23, 2022, Vice Foreign Minister Xie Feng and Cuban Deputy Foreign Minister "
                            "Anayansi Rodríguez Camejo held political consultation between Chinese and Cuban Foreign "
                            "Ministries via video link.")
    assert row["file"] == "002_1495c7d7e4d9c6bc.txt"


def test_cq08_roles_titles_sides(seeds_store):
    rows = ask(seeds_store, "cq08-participation-titles.rq")
    by = defaultdict(list)
    for r in rows:
        by[(r["date"], r["person"])].append(r)
    xi = by[("2022-11-25", "Xi Jinping")]
    assert any(r["role"].endswith("#Host") and "president" in (r["title"] or "").lower() and r["side"] == "China" for r in xi)
    dc = by[("2022-11-25", "Miguel Mario Díaz-Canel Bermúdez")]
    assert any(r["role"].endswith("#Guest") and r["side"] == "Cuba" for r in dc)
    assert any(r["title"] == "Vice Foreign Minister" and r["side"] == "China" for r in by[("2022-08-23", "Xie Feng")])
    assert any("Deputy Foreign Minister" in r["title"] and r["side"] == "Cuba"
               for r in by[("2022-08-23", "Anayansi Rodríguez Camejo")])


def test_cq09_topics_by_side(seeds_store):
    rows = {(r["side"], r["topic"]) for r in ask(seeds_store, "cq09-topics-by-side.rq")}
    assert {("Cuba", "One-China principle"), ("Cuba", "Taiwan"), ("Cuba", "Global Development Initiative"),
            ("China", "Blockade")} <= rows


def test_cq10_which_report_said_wang_yi_attended(seeds_store):
    rows = ask(seeds_store, "cq10-which-report-said-it.rq")
    graphs = {r["graph"] for r in rows}
    assert "https://w3id.org/bilateral-kg/id/report/000_d6b15d2e5c287d12/3" in graphs
    assert "https://w3id.org/bilateral-kg/id/report/001_65bd95d5408cf1d8/1" in graphs
