"""The protocol's pure parts: what a query is and which format answers it."""
from __future__ import annotations

import pytest

from kg import protocol


@pytest.mark.parametrize("query,form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX select: <http://x/>\nBASE <http://y/>\n# SELECT in a comment\nask { ?s ?p ?o }", "ASK"),
    ("PREFIX : <http://x/> CONSTRUCT WHERE { ?s :p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://x/a>", "DESCRIBE"),
    ("PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }", "INSERT"),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("garbage", None),
])
def test_query_form(query, form):
    shape = protocol.inspect_query(query)
    assert shape.form == form
    assert shape.is_update == (form in protocol.UPDATE_FORMS)


def test_service_clauses_with_their_positions_and_targets():
    query = ("PREFIX ep: <http://127.0.0.1:9/>\nBASE <http://base.example/>\nSELECT * WHERE {\n"
             "  SERVICE <http://a.example/sparql> { ?s ?p ?o }\n"
             "  SERVICE SILENT ep:sparql { ?s ?p ?o }\n"
             "  SERVICE ?where { ?s ?p ?o }\n"
             "  SERVICE <relative> { ?s ?p ?o }\n}")
    services = protocol.inspect_query(query).services
    assert [(s.iri, s.line, s.column) for s in services] == [
        ("http://a.example/sparql", 4, 3), ("http://127.0.0.1:9/sparql", 5, 3), (None, 6, 3),
        ("http://base.example/relative", 7, 3)]


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
    "SELECT * WHERE { ?s ?p '''multi\nline SERVICE <http://x/>''' }",
    "SELECT * WHERE { ?s <http://x/SERVICE> ?o } # SERVICE <http://x/>",
    "PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }",
    "SELECT ?service WHERE { ?service ?p ?o }",
])
def test_the_word_service_elsewhere_is_not_a_clause(query):
    assert protocol.inspect_query(query).services == ()


@pytest.mark.parametrize("accept,kind,expected", [
    (None, "results", "json"),
    ("", "graph", "turtle"),
    ("application/sparql-results+xml", "results", "xml"),
    ("application/json", "results", "json"),
    ("application/json", "graph", "jsonld"),
    ("text/csv;q=0.5, text/tab-separated-values", "results", "tsv"),
    ("text/*;q=0.3, application/sparql-results+json;q=0.2", "results", "csv"),
    ("application/*", "results", "json"),
    ("*/*;q=0.1, application/n-triples;q=0.2", "graph", "ntriples"),
    ("application/rdf+xml, text/turtle;q=0.9", "graph", "rdfxml"),
    ("text/turtle;q=0", "graph", None),                 # q=0 refuses Turtle, and nothing else is asked for
    ("image/png", "results", None),
    ("application/sparql-results+json;q=0", "results", None),
    ("application/sparql-results+json;q=zero", "results", None),   # a malformed q counts as 0
])
def test_negotiation(accept, kind, expected):
    chosen = protocol.choose_format(kind, accept, None)
    assert (chosen.name if chosen else None) == expected


@pytest.mark.parametrize("param,kind,expected", [
    ("json", "results", "json"), ("xml", "results", "xml"), ("xml", "graph", "rdfxml"),
    ("json", "graph", "jsonld"), ("ttl", "graph", "turtle"), ("text/turtle", "graph", "turtle"),
    ("nq", "graph", "nquads"), ("csv", "graph", None), ("turtle", "results", None), ("bogus", "results", None),
])
def test_format_parameter_wins_and_depends_on_the_query_form(param, kind, expected):
    chosen = protocol.choose_format(kind, "text/csv", param)
    assert (chosen.name if chosen else None) == expected


def test_syntax_position():
    assert protocol.syntax_position("error at 3:17: expected one of ABS") == (3, 17)
    assert protocol.syntax_position("something else") is None


SERVER_BASE = "https://w3id.org/bilateral-kg/id/"
LISTENER = "http://127.0.0.1:9"


def test_every_generated_spelling_of_a_service_clause_is_found():
    """Issue 16, item 8: `m:.SERVICE<...>` read as one prefixed name let a query call any URL.
    Every spelling (tests/service_spellings.py) is a clause naming the endpoint exactly as the
    allow list would need it, or naming another one, which must be refused."""
    from kg.triples import PREFIXES
    from service_spellings import spellings

    data = {"INT_S": "<x:s>", "INT_P": "<x:p>", "INT": "756", "LANG_S": "<x:s>", "LANG_P": "<x:p>",
            "LANG": '"GSI"@en', "RULE": "clause.one-side"}
    checked = 0
    for spelling in spellings(LISTENER, data):
        denied = protocol.inspect_query(spelling.denied, PREFIXES, SERVER_BASE).services
        assert denied and any(s.iri != f"{LISTENER}/allowed" for s in denied), spelling.name
        allowed = protocol.inspect_query(spelling.allowed, PREFIXES, SERVER_BASE).services
        if "relative" in spelling.name:         # BASE or the server's base: two readings, refused
            assert allowed and any(s.iri is None for s in allowed), spelling.name
        else:
            assert allowed and all(s.iri == f"{LISTENER}/allowed" for s in allowed), (spelling.name, allowed)
        checked += 1
    assert checked > 3_000


@pytest.mark.parametrize("query", [
    # spellings a lexical scan missed (issue 16): a prefixed name's '.', a comment ended by CR,
    # a keyword glued to what precedes or follows it, a '<' that compares, a local name with dots
    "PREFIX m: <https://w3id.org/bilateral-kg/ontology#Meeting> SELECT ?x WHERE { ?s a m:.SERVICE<http://127.0.0.1:9/x>{?x ?p ?o} }",
    "SELECT * WHERE { ?s ?p ?o # c\rSERVICE<http://127.0.0.1:9/x>{?x ?y ?z} }",
    "PREFIX m: <http://127.0.0.1:9/> PREFIX servicem: <http://x/> SELECT * WHERE { servicem:a{?x ?y ?z} }",
    "PREFIX m: <http://127.0.0.1:9/> SELECT * WHERE { ?s ?p trueSERVICEm:a{?x ?y ?z} }",
    "SELECT * WHERE { ?s ?p 1e1SERVICESILENT<http://127.0.0.1:9/x>{?x ?y ?z} }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<'x'&&'a>'=EXISTS{SERVICE<http://127.0.0.1:9/x>{?x ?y ?z}}) }",
    "PREFIX m: <http://x/> SELECT * WHERE { ?s ?p m:a.b.SERVICE<http://127.0.0.1:9/x>{?x ?y ?z} }",
    "SELECT * WHERE { ?s ?p ?o SERVICE<http://127.0.0.1:9/\\u0078>{?x ?y ?z} }",
])
def test_spellings_a_lexical_scan_missed_are_clauses(query):
    services = protocol.inspect_query(query).services
    assert services and all(s.iri != "http://x/" for s in services)


def test_a_query_with_too_many_readings_is_refused_not_read_forever():
    # each '<' may open an IRI or compare; comparing, the backslash after it is code and a long
    # string opens that no later ''' closes (each is escaped): every unit would read to the end
    query = "SELECT * WHERE { ?s ?p ?o FILTER(?o" + "<\\'''a>" * 40_000 + ") SERVICE <x:y> {} }"
    with pytest.raises(protocol.UncheckableQuery):
        protocol.inspect_query(query)
