"""``kg push``: load a build into any SPARQL 1.1 Graph Store Protocol endpoint, graph by graph.

Each named graph of the build (one per report, and the reference graph) is sent as N-Triples with
``PUT ENDPOINT?graph=IRI`` (``POST`` with ``merge``), so a store that outgrows one machine can take
the graph a build made here. Transient failures (connection errors, 429, 5xx) are retried with
a growing pause; the summary says what was sent, what was retried and what failed.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.store import open_store


@dataclass
class PushReport:
    graphs: int = 0
    triples: int = 0
    bytes: int = 0
    retries: int = 0
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)
    not_sent: int = 0          # graphs left when the endpoint could not be reached at all


def _graphs(store: ox.Store) -> list[tuple[ox.NamedNode | ox.DefaultGraph, list[ox.Triple]]]:
    by_graph: dict[str, tuple[object, list[ox.Triple]]] = {}
    for q in store.quads_for_pattern(None, None, None, None):
        entry = by_graph.setdefault(str(q.graph_name), (q.graph_name, []))
        entry[1].append(ox.Triple(q.subject, q.predicate, q.object))
    return [by_graph[k] for k in sorted(by_graph)]  # type: ignore[misc]


def push(build: Path, endpoint: str, *, merge: bool = False, retries: int = 3, timeout: float = 60.0,
         headers: dict[str, str] | None = None, pause: float = 0.5) -> PushReport:
    parsed = urllib.parse.urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InputError(f"{endpoint}: not an http(s) URL of a Graph Store Protocol endpoint")
    report = PushReport()
    start = time.perf_counter()
    graphs = _graphs(open_store(build))
    for n, (graph, triples) in enumerate(graphs):
        triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        target = "default" if isinstance(graph, ox.DefaultGraph) else "graph=" + urllib.parse.quote(graph.value, safe="")
        url = endpoint + ("&" if "?" in endpoint else "?") + target
        request_headers = {"Content-Type": "application/n-triples", **(headers or {})}
        for attempt in range(retries + 1):
            request = urllib.request.Request(url, data=body, method="POST" if merge else "PUT",
                                             headers=request_headers)
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    response.read()
                report.graphs += 1
                report.triples += len(triples)
                report.bytes += len(body)
                break
            except urllib.error.HTTPError as exc:
                transient = exc.code == 429 or exc.code >= 500
                reason = f"HTTP {exc.code}: {exc.read()[:200].decode('utf-8', 'replace').strip()}"
            except (urllib.error.URLError, OSError) as exc:
                transient, reason = True, str(getattr(exc, "reason", exc))
                unreachable = True
            else:
                unreachable = False
            if not transient or attempt == retries:
                report.failed.append((str(graph), reason))
                break
            report.retries += 1
            time.sleep(pause * 2 ** attempt)
        if report.failed and report.failed[-1][0] == str(graph) and unreachable and report.graphs == 0:
            report.not_sent = len(graphs) - n - 1      # nothing ever got through: stop knocking
            break
    report.seconds = time.perf_counter() - start
    return report
