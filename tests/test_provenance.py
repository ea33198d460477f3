"""Every fact says where it comes from: the sentence at its offsets in the source file, and the rule."""
from __future__ import annotations

from collections import defaultdict

import pytest

from conftest import SEEDS
from kg.store import dataset

P = """PREFIX bkg: <https://w3id.org/bilateral-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def rows(store, query):
    results = store.query(P + query, **dataset(store))
    names = [v.value for v in results.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in results]


@pytest.mark.parametrize("cls", ["Meeting", "Participation", "Clause", "Agreement"])
def test_every_fact_bearing_resource_has_a_verbatim_quote_at_its_offsets(seeds_store, cls):
    found = rows(seeds_store, f"""
        SELECT ?x ?quote ?file ?start ?end ?exact ?prefix ?suffix ?rule WHERE {{
          ?x a bkg:{cls} .
          OPTIONAL {{
            ?x bkg:evidence ?e . ?e bkg:quote ?quote ; oa:hasSource/rdfs:label ?file ; prov:wasGeneratedBy ?rule ;
               oa:hasSelector ?pos, ?q .
            ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
            ?q a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
          }}
        }}""")
    by_resource = defaultdict(list)
    for r in found:
        by_resource[r["x"]].append(r)
    assert len(by_resource) >= {"Meeting": 16, "Participation": 30, "Clause": 28, "Agreement": 4}[cls]
    texts = {}
    for x, evidence in by_resource.items():
        assert all(e["quote"] for e in evidence), f"{x} has no evidence"
        for e in evidence:
            text = texts.setdefault(e["file"], (SEEDS / e["file"]).read_text(encoding="utf-8"))
            start, end = int(e["start"]), int(e["end"])
            assert text[start:end] == e["quote"] == e["exact"], (x, e["quote"][:60])
            assert text[max(0, start - 32):start] == e["prefix"] and text[end:end + 32] == e["suffix"]
            assert e["rule"].startswith("https://w3id.org/bilateral-kg/id/rule/")


def test_dates_and_locations_say_where_and_how_they_were_read(seeds_store):
    dated = rows(seeds_store, """
        SELECT ?m ?how ?rule ?quote WHERE {
          ?m a bkg:Meeting ; bkg:date ?d ; bkg:dateResolution ?how .
          OPTIONAL { ?m bkg:dateEvidence ?e . ?e bkg:supports bkg:date ; bkg:quote ?quote ;
                        prov:wasGeneratedBy/rdfs:label ?rule }
        }""")
    assert dated and all(r["rule"] and r["rule"].startswith("date.") and r["quote"] for r in dated)
    how = {r["rule"] for r in dated}
    assert {"date.stated", "date.weekday", "date.narrative"} <= how, how
    located = rows(seeds_store, """
        SELECT ?m ?rule WHERE { ?m bkg:location|bkg:city ?place ; bkg:locationEvidence ?e .
                                ?e prov:wasGeneratedBy/rdfs:label ?rule }""")
    assert {r["rule"] for r in located} >= {"location.venue", "location.visit-to"}


def test_attendee_links_have_their_own_evidence(seeds_store):
    attendees = rows(seeds_store, """
        SELECT ?m ?p (COUNT(?e) AS ?n) WHERE {
          ?m bkg:attendee ?p .
          OPTIONAL { ?m bkg:evidence ?e . ?e bkg:supports bkg:attendee ; prov:wasGeneratedBy/bkg:ruleKind "attendance" }
        } GROUP BY ?m ?p""")
    assert attendees and all(int(r["n"]) >= 1 for r in attendees)


def test_rules_are_resources_a_query_can_ask_about(seeds_store):
    described = rows(seeds_store, """
        SELECT ?rule ?id ?file ?comment (COUNT(DISTINCT ?e) AS ?evidence) WHERE {
          ?rule a bkg:Rule ; rdfs:label ?id ; bkg:ruleFile ?file ; rdfs:comment ?comment .
          ?e prov:wasGeneratedBy ?rule
        } GROUP BY ?rule ?id ?file ?comment""")
    by_id = {r["id"]: r for r in described}
    assert by_id["meeting.held-talks"]["file"] == "mappings/rules/meetings.yaml"
    assert by_id["date.stated"]["file"] == "built-in"
    assert all(r["comment"] and int(r["evidence"]) >= 1 for r in described)


def test_planned_and_recalled_meetings_are_skipped_with_the_reason(tmp_path):
    from kg.build import BuildConfig, build

    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "h1.txt").write_text(
        "Xi, Putin hold talks in Beijing\n\n"
        "BEIJING, May 16, 2024 (Xinhua) -- Chinese President Xi Jinping held talks with Russian President "
        "Vladimir Putin in Beijing on Thursday.\n\n"
        "Xi Jinping had met with Vladimir Putin more than 40 times before this visit.\n\n"
        "Putin is expected to meet Kazakh President Kassym-Jomart Tokayev next week.\n\n"
        "Xi Jinping invited him to visit China again next year.\n", encoding="utf-8")
    report = build(BuildConfig((corpus,), tmp_path / "out"))
    assert report.counts["meetings"] == 1
    skipped = {(w.code, w.line): w.message for w in report.warnings if w.code.startswith("skipped-")}
    assert "'had met'" in skipped[("skipped-historical", 5)]
    assert "'is expected to meet'" in skipped[("skipped-hypothetical", 7)]
    assert "'invited him to visit'" in skipped[("skipped-hypothetical", 9)]
