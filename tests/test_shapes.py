"""ontology/shapes.ttl catches what is wrong, in readable lines; the seeds' graph conforms."""
from __future__ import annotations

import pyoxigraph as ox

from kg.shapes import validate
from kg.store import union_triples

BKG = "https://w3id.org/bilateral-kg/ontology#"
ID = "https://w3id.org/bilateral-kg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def t(s, p, o):
    s = ox.NamedNode(ID + s)
    p = RDF_TYPE if p == "a" else LABEL if p == "label" else ox.NamedNode(BKG + p)
    if isinstance(o, str) and o.startswith("bkg:"):
        o = ox.NamedNode(BKG + o[4:])
    elif isinstance(o, str) and o.startswith("id:"):
        o = ox.NamedNode(ID + o[3:])
    elif not isinstance(o, ox.Literal):
        o = ox.Literal(str(o))
    return ox.Triple(s, p, o)


def test_the_seeds_graph_conforms(seeds_store):
    report = validate(union_triples(seeds_store.quads_for_pattern(None, None, None, None)))
    assert report.conforms and report.findings == []


def test_broken_resources_are_found_with_label_path_and_message():
    triples = [
        t("meeting/m", "a", "bkg:Meeting"), t("meeting/m", "label", "Talks between A and B"),
        t("meeting/m", "side", "id:country/CN"),                              # one side only
        t("meeting/m", "mode", "bkg:Teleportation"),                          # not a mode
        t("meeting/m", "date", ox.Literal("2022-11-25")),                     # a plain string, not a date
        t("country/CN", "a", "bkg:Country"), t("country/CN", "label", "China"), t("country/CN", "code", "CN"),
        t("person/a", "a", "bkg:Person"), t("person/a", "label", "A"), t("person/a", "label", "A. Person"),
        t("clause/1", "a", "bkg:Clause"), t("clause/1", "label", "Clause 1"),    # no text, no side, no evidence
    ]
    report = validate(triples)
    assert not report.conforms
    lines = [str(f) for f in report.violations]
    expected = [
        ("Talks between A and B", "bkg:side", "two sides"),
        ("Talks between A and B", "bkg:mode", ""),
        ("Talks between A and B", "bkg:date", "at most one date"),
        ("Talks between A and B", "bkg:participant", "two principals"),
        ("Talks between A and B", "bkg:evidence", "sentence it was read from"),
        ("person/a", "rdfs:label", "exactly one rdfs:label"),
        ("Clause 1", "bkg:text", "full text"),
        ("Clause 1", "bkg:assertedBy", "asserting side"),
    ]
    for who, path, words in expected:
        assert any(who in line and f" {path}: " in line and words in line for line in lines), (who, path, lines)
    assert all(line.startswith("violation: ") for line in lines)


def test_a_side_without_participant_is_a_warning():
    triples = [t("meeting/m", "a", "bkg:Meeting"), t("meeting/m", "label", "M"),
               t("meeting/m", "side", "id:country/CN"), t("meeting/m", "side", "id:country/CU"),
               t("meeting/m", "participation", "id:meeting/m/a"), t("meeting/m/a", "a", "bkg:Participation"),
               t("meeting/m/a", "represents", "id:country/CN")]
    for code, label in (("CN", "China"), ("CU", "Cuba")):
        triples += [t(f"country/{code}", "a", "bkg:Country"), t(f"country/{code}", "label", label),
                    t(f"country/{code}", "code", code)]
    warnings = [str(f) for f in validate(triples).warnings]
    assert any("CU" in w and "has no participant" in w for w in warnings), warnings
    assert not any("/CN" in w and "has no participant" in w for w in warnings)
