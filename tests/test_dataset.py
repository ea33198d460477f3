"""The default graph is the RDF merge of the report graphs: a set, so COUNT and SUM without
DISTINCT are right; a query's FROM and FROM NAMED are honoured; relative IRIs resolve against
the resource namespace; and every way of reading a build (kg query, kg serve, kg explain, kg
dump, the resource pages, the Service Description and VoID) sees the same graph."""
from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pyoxigraph as ox

from conftest import ROOT

KG = [sys.executable, "-m", "kg.cli"]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
VOID_TRIPLES = "http://rdfs.org/ns/void#triples"


def kg(*args) -> str:
    r = subprocess.run([*KG, *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return r.stdout


def distinct_triples(build) -> int:
    return len({line.rsplit(" <", 1)[0] for line in (build / "kg.nq").read_text().splitlines()})


def served(server, query: str, **params) -> list[dict]:
    r = httpx.get(server.endpoint, params={"query": query, **params},
                  headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


def test_count_star_is_the_number_of_distinct_triples(seeds_build, seeds_server):
    quads = len((seeds_build / "kg.nq").read_text().splitlines())
    triples = distinct_triples(seeds_build)
    assert triples < quads                    # several reports state some triples: a bag would differ
    assert json.loads(kg("query", COUNT, "--store", seeds_build, "--format", "json"))[
        "results"]["bindings"][0]["n"]["value"] == str(triples)
    assert served(seeds_server, COUNT)[0]["n"]["value"] == str(triples)
    report = json.loads((seeds_build / "report.json").read_text())
    assert report["counts"]["triples"] == triples == report["shacl"]["triples"]


def test_a_querys_from_is_honoured(seeds_build, seeds_server):
    graph = (seeds_build / "kg.nq").read_text().splitlines()[0].rsplit(" <", 1)[1][:-3]
    in_graph = sum(1 for line in (seeds_build / "kg.nq").read_text().splitlines() if line.endswith(f"<{graph}> ."))
    query = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"
    assert served(seeds_server, query)[0]["n"]["value"] == str(in_graph)
    assert served(seeds_server, COUNT, **{"default-graph-uri": graph})[0]["n"]["value"] == str(in_graph)
    assert json.loads(kg("query", query, "--store", seeds_build, "--format", "json"))[
        "results"]["bindings"][0]["n"]["value"] == str(in_graph)
    # FROM NAMED alone: GRAPH ?g sees only that graph
    named = f"SELECT DISTINCT ?g FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert [b["g"]["value"] for b in served(seeds_server, named)] == [graph]


def test_graph_still_gives_each_reports_own_statements(seeds_build, seeds_server):
    graphs = {line.rsplit(" <", 1)[1][:-3] for line in (seeds_build / "kg.nq").read_text().splitlines()}
    found = served(seeds_server, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert found[0]["n"]["value"] == str(len(graphs))
    quads = served(seeds_server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert quads[0]["n"]["value"] == str(len((seeds_build / "kg.nq").read_text().splitlines()))


def test_relative_iris_resolve_against_the_resource_namespace(seeds_build, seeds_server):
    meeting = served(seeds_server, "SELECT ?m WHERE { ?m a bkg:Meeting } ORDER BY ?m LIMIT 1",
                     )[0]["m"]["value"]
    relative = meeting.removeprefix("https://w3id.org/bilateral-kg/id/")
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{relative}> ?p ?o }}"
    n = served(seeds_server, query)[0]["n"]["value"]
    assert int(n) > 0
    assert json.loads(kg("query", query, "--store", seeds_build, "--format", "json"))[
        "results"]["bindings"][0]["n"]["value"] == n
    r = httpx.post(seeds_server.endpoint, content="CONSTRUCT { <s> <p> 1 } WHERE {}",
                   headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
    assert r.status_code == 200 and "<https://w3id.org/bilateral-kg/id/s>" in r.text


def test_every_reader_sees_the_same_graph(seeds_build, seeds_server, tmp_path):
    triples = distinct_triples(seeds_build)
    # kg dump: the report graphs as they are, the merge once per triple
    nq = kg("dump", "--store", seeds_build, "--format", "nq")
    assert len(nq.splitlines()) == len((seeds_build / "kg.nq").read_text().splitlines())
    nt = kg("dump", "--store", seeds_build, "--format", "nt")
    assert len(nt.splitlines()) == triples
    # the Service Description and VoID give the same count
    sd = httpx.get(seeds_server.endpoint, headers={"Accept": "application/n-triples"})
    void = httpx.get(seeds_server.url + "/void", headers={"Accept": "application/n-triples"})
    for doc in (sd.text, void.text):
        counts = [int(ox.Literal(t.object.value).value) for t in ox.parse(doc.encode(), format=ox.RdfFormat.N_TRIPLES)
                  if t.predicate.value == VOID_TRIPLES]
        assert triples in counts
    # a resource page and kg explain: each of its facts once, with every report graph that states it
    meeting = served(seeds_server, "SELECT ?m WHERE { ?m a bkg:Meeting ; bkg:reportedIn ?r1, ?r2 "
                                   "FILTER(?r1 != ?r2) } ORDER BY ?m LIMIT 1")[0]["m"]["value"]
    page = httpx.get(meeting.replace("https://w3id.org/bilateral-kg", seeds_server.url),
                     headers={"Accept": "application/n-quads"})
    assert page.status_code == 200
    quads = list(ox.parse(page.content, format=ox.RdfFormat.N_QUADS))
    assert quads and all(isinstance(q.graph_name, ox.NamedNode) for q in quads)
    explained = json.loads(kg("explain", meeting, "--store", seeds_build, "--json"))
    facts = explained["facts"] if isinstance(explained, dict) else explained
    assert all(f["graphs"] and all(g.startswith("id:report/") for g in f["graphs"]) for f in facts)
    listed = served(seeds_server, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{meeting}> ?p ?o }}")[0]["n"]["value"]
    assert int(listed) == len({(q.predicate, q.object) for q in quads})


def test_browser_redirects_vary_on_accept_and_ask_has_no_csv(seeds_server):
    r = httpx.get(seeds_server.endpoint, params={"query": "ASK {}"},
                  headers={"Accept": "text/html,application/xhtml+xml"}, follow_redirects=False)
    assert r.status_code == 303 and "accept" in r.headers["vary"].lower()
    r = httpx.get(seeds_server.endpoint, params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert r.status_code == 406 and "ASK" in r.json()["message"]
    r = httpx.get(seeds_server.endpoint, params={"query": "SELECT * WHERE {} LIMIT 1"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200
