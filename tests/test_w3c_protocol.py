"""The W3C SPARQL 1.1 Protocol test suite, run from its own manifest against a real `kg serve`.

tests/w3c/ holds the manifest and data as the W3C publishes them, with the licence notice that
travels with them (tests/w3c/README.md). Every test is read from the manifest: its requests
(method, path, headers, body) and each response's expected status, format and boolean. The data
files are loaded as the named graphs the manifest names. The endpoint is read-only by design:
an update request must get a 4xx refusal (never a 5xx), and the query that then checks the
update's effect must answer, and find nothing changed.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from conftest import Server

SUITE = Path(__file__).resolve().parent / "w3c" / "sparql11-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
             "application/trig", "application/n-quads", "text/n3"}


def _manifest() -> tuple[rdflib.Graph, list[rdflib.term.Node]]:
    g = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    return g, list(Collection(g, g.value(manifest, MF.entries)))


GRAPH, ENTRIES = _manifest()


def _name(entry) -> str:
    return str(entry).rsplit("#", 1)[-1]


def _requests(entry) -> list[dict]:
    g = GRAPH
    out = []
    for r in Collection(g, g.value(g.value(entry, MF.action), HT.requests)):
        headers = {}
        if g.value(r, HT.headers) is not None:
            for h in Collection(g, g.value(r, HT.headers)):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body = g.value(r, HT.body)
        resp = g.value(r, HT.resp)
        out.append({
            "method": str(g.value(r, HT.methodName)),
            # the manifest's paths start with /sparql/; this endpoint's query operation is /sparql
            "path": str(g.value(r, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
            "headers": headers,
            "body": str(g.value(body, CNT.chars)).encode("utf-8") if body is not None else None,
            "statuses": sorted(str(s).rsplit("StatusCode", 1)[-1][0] for s in g.objects(resp, MF.expectedStatus)),
            "format": str(g.value(resp, MF.expectedFormat)) if g.value(resp, MF.expectedFormat) else None,
            "boolean": g.value(resp, MF.expectedBoolean).toPython() if g.value(resp, MF.expectedBoolean) is not None
            else None,
        })
    return out


def _is_update(request: dict) -> bool:
    ctype = request["headers"].get("content-type", "")
    return ctype.startswith("application/sparql-update") or (request["body"] or b"").startswith(b"update=")


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory):
    """kg serve over a real store holding data1.nt-data3.nt as the manifest's named graphs."""
    folder = tmp_path_factory.mktemp("w3c")
    store = ox.Store(str(folder / "store"))
    for entry in ENTRIES:
        for data in GRAPH.objects(entry, UT.graphData):
            file, name = GRAPH.value(data, UT.graph), GRAPH.value(data, RDFS.label)
            path = SUITE / Path(str(file)).name
            graph = ox.NamedNode(str(name))
            if next(store.quads_for_pattern(None, None, None, graph), None) is None:
                store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    store.flush()
    assert len(list(store.named_graphs())) == 3
    del store
    server = Server(folder, folder)
    yield server
    server.stop()


def test_the_manifest_has_the_suite():
    names = [_name(e) for e in ENTRIES]
    assert len(names) == 34
    assert sum(n.startswith(("query_", "bad_query", "bad_multiple_queries")) for n in names) == 20


def _boolean(response: httpx.Response) -> bool:
    ctype = response.headers["content-type"].split(";")[0]
    if ctype == "application/sparql-results+json":
        return json.loads(response.content)["boolean"]
    assert ctype == "application/sparql-results+xml", ctype
    node = ET.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return node.text.strip() == "true"


@pytest.mark.parametrize("entry", ENTRIES, ids=_name)
def test_w3c_protocol(w3c_server, entry):
    requests = _requests(entry)
    refused_update = False
    for request in requests:
        response = httpx.request(request["method"], w3c_server.url + request["path"], headers=request["headers"],
                                 content=request["body"], timeout=30)
        status = str(response.status_code)[0]
        assert status != "5", (request, response.text)
        if _is_update(request):
            # read-only by design: every update is refused with a 4xx, whatever the manifest expects
            assert status == "4", (request, response.status_code, response.text)
            refused_update = True
            continue
        assert status in request["statuses"], (request["path"], response.status_code, response.text)
        if status != "2":
            continue
        ctype = response.headers["content-type"].split(";")[0]
        if request["format"] == "boolean":
            assert ctype in {"application/sparql-results+json", "application/sparql-results+xml"}, ctype
        elif request["format"] == "tabular":
            assert ctype in RESULT_TYPES, ctype
        elif request["format"] == "RDF":
            assert ctype in RDF_TYPES, ctype
            ox.parse(response.content, format=ox.RdfFormat.from_media_type(ctype))
        if request["boolean"] is not None:
            # after a refused update, the check of its effect finds nothing changed
            assert _boolean(response) is (False if refused_update else request["boolean"]), response.text
