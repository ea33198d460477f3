"""ontology/shapes.ttl catches what is wrong, in readable lines; the seeds' graph conforms."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import RuleError
from kg.shapes import SHAPES, validate
from kg.store import union_triples
from kg.triples import compact

BKG = "https://w3id.org/bilateral-kg/ontology#"
ID = "https://w3id.org/bilateral-kg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


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
    report = validate(seeds_store)
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
    # a side the reports do not give stays unknown: a warning, not a violation
    assert not any(" bkg:side: " in line for line in lines)
    assert any("Talks between A and B" in str(f) and " bkg:side: " in str(f) and "fewer than two" in str(f)
               for f in report.warnings)


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


# --- the compiled validator agrees with pySHACL, the reference implementation ---------------

OA = "http://www.w3.org/ns/oa#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _pyshacl(triples: list[ox.Triple]) -> set[tuple]:
    """pySHACL's findings on the same data and shapes: (severity, focus, path, component)."""
    import rdflib
    from pyshacl import validate as reference
    from rdflib.namespace import SH

    data = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode() or " ",
                                format="nt")
    _, results, _ = reference(data, shacl_graph=str(SHAPES), inference="none", advanced=True, allow_warnings=True)
    found = set()
    for r in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        path = results.value(r, SH.resultPath)
        inverse = results.value(path, SH.inversePath) if isinstance(path, rdflib.BNode) else None
        found.add((str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[1], str(results.value(r, SH.focusNode)),
                   compact(str(path)) if isinstance(path, rdflib.URIRef)
                   else "^" + compact(str(inverse)) if inverse is not None else None,
                   "sh:" + str(results.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[1]))
    return found


def _ours(triples) -> set[tuple]:
    return {(f.severity, f.focus, f.path, f.component) for f in validate(triples).findings}


def _evidence(name: str, *, position=True, quote=True, line=ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")),
              start="10") -> list[ox.Triple]:
    e = ox.NamedNode(ID + name)
    triples = [ox.Triple(e, RDF_TYPE, ox.NamedNode(BKG + "Evidence")),
               ox.Triple(e, ox.NamedNode(BKG + "quote"), ox.Literal("They met.")),
               ox.Triple(e, ox.NamedNode(BKG + "line"), line),
               ox.Triple(e, ox.NamedNode(BKG + "supports"), ox.NamedNode(ID + "meeting/m")),
               ox.Triple(e, ox.NamedNode(BKG + "source"), ox.NamedNode(ID + "report/r")),
               ox.Triple(ox.NamedNode(ID + "report/r"), RDF_TYPE, ox.NamedNode(BKG + "Report"))]
    for kind, present in (("TextPositionSelector", position), ("TextQuoteSelector", quote)):
        if present:
            s = ox.NamedNode(f"{ID}{name}/{kind}")
            triples += [ox.Triple(e, ox.NamedNode(OA + "hasSelector"), s),
                        ox.Triple(s, RDF_TYPE, ox.NamedNode(OA + kind))]
            if kind == "TextPositionSelector":
                triples += [ox.Triple(s, ox.NamedNode(OA + "start"), ox.Literal(start, datatype=ox.NamedNode(XSD + "integer"))),
                            ox.Triple(s, ox.NamedNode(OA + "end"), ox.Literal("20", datatype=ox.NamedNode(XSD + "integer")))]
            else:
                triples.append(ox.Triple(s, ox.NamedNode(OA + "exact"), ox.Literal("They met.")))
    return triples


SCHEME = list(ox.parse(path=str(SHAPES.parent / "events.ttl"), format=ox.RdfFormat.TURTLE))


def _coded_event(name: str, *codes: str, role: str | None = None, meetings: tuple[str, ...] = ("meeting/m",),
                 evidence: bool = True, rule: bool = True) -> list[ox.Triple]:
    """A coded event below `meetings`, with its codes (bkg:cameo CAMEO_042 ...)."""
    triples = [t(name, "a", "bkg:CodedEvent")] + [t(m, "event", f"id:{name}") for m in meetings]
    for code in codes:
        prop, concept = code.split(" ")
        triples.append(t(name, prop, f"bkg:{concept}"))
    if role:
        triples.append(t(name, "sourceRole", f"bkg:{role}"))
    if evidence:
        triples += [t(name, "evidence", "id:e6")] + _evidence("e6")
    if rule:
        triples += [ox.Triple(ox.NamedNode(ID + name), ox.NamedNode("http://www.w3.org/ns/prov#wasGeneratedBy"),
                              ox.NamedNode(ID + "rule/event.visit")),
                    t("rule/event.visit", "a", "bkg:Rule")]
    return triples


GOOD_VISIT = ("cameo CAMEO_042", "ploverType PLOVER_CONSULT", "ploverMode PLOVERMode_visit")
CODED_EVENTS = SCHEME + [t("meeting/m", "a", "bkg:Meeting"), t("meeting/m/a", "role", "bkg:Guest"),
                         t("meeting/m", "participation", "id:meeting/m/a")] + [
    *_coded_event("meeting/m/event/042", *GOOD_VISIT, role="Guest"),                # as a build writes it
    *_coded_event("meeting/m/event/043", "cameo CAMEO_043", "ploverType PLOVER_CONSULT", role="Host"),
    *_coded_event("meeting/m/event/999", "cameo CAMEO_999", "cameo CAMEO_040", "ploverType CAMEO_041",
                  "ploverMode PLOVERMode_visit", "ploverMode PLOVERMode_phone"),
    *_coded_event("meeting/m/event/044", "ploverType PLOVER_CONSULT", meetings=(), evidence=False, rule=False),
    *_coded_event("meeting/m/event/040", "cameo CAMEO_040", "ploverType PLOVER_CONSULT",
                  meetings=("meeting/m", "meeting/n")),
]


def test_a_broken_coded_event_is_found_and_a_good_one_is_not():
    findings = [f for f in validate(CODED_EVENTS).violations if "/event/" in f.focus]
    lines = {(f.focus.rsplit("/", 1)[1], f.path, f.message) for f in findings}
    assert ("043", None, "source role bkg:Host: no principal of its meeting has it") in {
        (w, p, m.replace(BKG, "bkg:")) for w, p, m in lines}
    expected = [
        ("999", "bkg:cameo", "exactly one CAMEO code"),
        ("999", None, f"bkg:cameo {BKG}CAMEO_999 is no concept of its family"),
        ("999", None, f"bkg:ploverType {BKG}CAMEO_041 is no concept of its family"),
        ("999", "bkg:ploverMode", "at most one PLOVER mode"),
        ("044", "bkg:cameo", "exactly one CAMEO code"),
        ("044", "^bkg:event", "exactly one bkg:Meeting"),
        ("044", "bkg:evidence", "the sentence that told its meeting"),
        ("044", "prov:wasGeneratedBy", "crosswalk entry that gave it"),
        ("040", "^bkg:event", "exactly one bkg:Meeting"),
    ]
    for who, path, words in expected:
        assert any(w == who and p == path and words in m for w, p, m in lines), (who, path, words, sorted(lines))
    assert not any(w == "042" for w, _, _ in lines)
    assert not any(w == "999" and "CAMEO_040" in m for w, _, m in lines)      # a CAMEO code, if one too many


BROKEN = {
    "coded events": CODED_EVENTS,
    "meeting and clause": [
        t("meeting/m", "a", "bkg:Meeting"), t("meeting/m", "label", "Talks between A and B"),
        t("meeting/m", "side", "id:country/CN"), t("meeting/m", "mode", "bkg:Teleportation"),
        t("meeting/m", "date", ox.Literal("2022-11-25")),
        t("meeting/m", "dateResolution", ox.Literal("guessed")),
        t("country/CN", "a", "bkg:Country"), t("country/CN", "label", "China"), t("country/CN", "code", "china"),
        t("person/a", "a", "bkg:Person"), t("person/a", "label", "A"), t("person/a", "label", "A. Person"),
        t("clause/1", "a", "bkg:Clause"), t("clause/1", "label", "Clause 1"), t("clause/1", "text", ""),
        t("clause/1", "number", ox.Literal("one", datatype=ox.NamedNode(XSD + "integer"))),
    ],
    "a side nobody represents": [
        t("meeting/m", "a", "bkg:Meeting"), t("meeting/m", "label", "M"),
        t("meeting/m", "side", "id:country/CN"), t("meeting/m", "side", "id:country/CU"),
        t("meeting/m", "participation", "id:meeting/m/a"), t("meeting/m/a", "a", "bkg:Participation"),
        t("meeting/m/a", "represents", "id:org/party"), t("org/party", "a", "bkg:Organization"),
        t("org/party", "label", "Party"), t("org/party", "country", "id:country/CN"),
        t("country/CN", "a", "bkg:Country"), t("country/CN", "label", "China"), t("country/CN", "code", "CN"),
        t("country/CU", "a", "bkg:Country"), t("country/CU", "label", "Cuba"), t("country/CU", "code", "CU"),
    ],
    "evidence without its quote selector": _evidence("e1", quote=False) + _evidence("e2", position=False),
    # sh:class and sh:targetClass take the subclasses declared in the data graph
    "instances of subclasses": _evidence("e5") + [
        ox.Triple(ox.NamedNode(ID + "Envoy"), SUBCLASS_OF, ox.NamedNode(BKG + "Person")),
        ox.Triple(ox.NamedNode(ID + "Party"), SUBCLASS_OF, ox.NamedNode(BKG + "Organization")),
        t("person/a", "a", "id:Envoy"), t("person/a", "label", "A"), t("org/p", "a", "id:Party"),
        t("org/p", "label", "Party"), t("org/p", "country", "id:country/CN"),
        t("country/CN", "a", "bkg:Country"), t("country/CN", "label", "China"), t("country/CN", "code", "CN"),
        t("meeting/m/a", "a", "bkg:Participation"), t("meeting/m/a", "agent", "id:person/a"),
        t("meeting/m/a", "represents", "id:org/p"), t("meeting/m/a", "evidence", "id:e5"),
        t("meeting/m/b", "a", "bkg:Participation"), t("meeting/m/b", "agent", "id:country/CN"),
        t("meeting/m/b", "represents", "id:person/a"), t("meeting/m/b", "evidence", "id:org/p")],
    "evidence with a negative offset and a text line": _evidence("e3", start="-4", line=ox.Literal("three")),
    "evidence with two position selectors": _evidence("e4") + [
        ox.Triple(ox.NamedNode(ID + "e4"), ox.NamedNode(OA + "hasSelector"), ox.NamedNode(ID + "e4/extra")),
        ox.Triple(ox.NamedNode(ID + "e4/extra"), RDF_TYPE, ox.NamedNode(OA + "TextPositionSelector"))],
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_compiled_shapes_find_what_pyshacl_finds(case):
    expected = _pyshacl(BROKEN[case])
    assert expected, "the case must break something"
    assert _ours(BROKEN[case]) == expected


def test_the_seeds_graph_conforms_for_pyshacl_too(seeds_store):
    triples = union_triples(seeds_store.quads_for_pattern(None, None, None, None))
    assert _pyshacl(triples) == set() == _ours(triples)


def _shapes_file(tmp_path, body: str):
    path = tmp_path / "shapes.ttl"
    path.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n" + body)
    return path


def test_a_shape_the_compiler_cannot_run_is_refused_by_name(tmp_path):
    closed = _shapes_file(tmp_path, "ex:Closed a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .")
    with pytest.raises(RuleError, match=r"shapes.ttl: shape <http://example.org/Closed>: sh:closed is not supported"):
        validate([t("x", "a", "bkg:Meeting")], closed)
    minus = _shapes_file(tmp_path, 'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select '
                                   '"SELECT $this WHERE { $this ?p ?o MINUS { $this a ex:D } }" ] .')
    with pytest.raises(RuleError, match="uses MINUS, which SHACL does not allow"):
        validate([t("x", "a", "bkg:Meeting")], minus)
    broken = _shapes_file(tmp_path, "ex:S a sh:NodeShape ; sh:targetClass ex:C")
    with pytest.raises(RuleError, match="not valid Turtle"):
        validate([t("x", "a", "bkg:Meeting")], broken)
