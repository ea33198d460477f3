"""Stage 7, endpoint: the SPARQL 1.1 Protocol over the built store, safe to leave running.

A Starlette application on uvicorn. It parses the request, decides what may run (read-only, no
SERVICE, size and concurrency limits), and hands the query to a worker process (kg.workers)
that evaluates and serializes it with pyoxigraph under a time limit that really stops it.

Routes
    /sparql           the query operation (GET, POST form, POST application/sparql-query);
                      without a query: the Service Description
    /void             VoID statistics of the dataset
    /id/...           a resource of the graph: HTML for a browser, RDF for everything else
    /                 the query page (works offline); /static/... its script and style
    /examples         the competency questions and prefixes, as JSON, for the page
    /health, /metrics readiness (JSON) and Prometheus counters
    /export/events.csv, /export/dyad-years.csv
                      the event-data tables of kg export, with its filters, under the query limits,
                      streamed as the worker writes them (StreamedTable)
    /network, /timeline
                      kg plot's pictures as pages: who met whom, one side's meetings over time

Every error is a real 4xx/5xx whose body is one JSON object of a pinned shape:
``{"status": 400, "error": "malformed-query", "message": "...", "line": 3, "column": 17}``
(``line`` and ``column`` where a position is known).
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import html
import json
import logging
import os
import re
import sys
import time
from datetime import datetime, timezone
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode

import pyoxigraph as ox
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram,
                               disable_created_metrics, generate_latest)
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from kg import protocol
from kg.errors import InputError
from kg.export import Period, dyad_years_query, events_query
from kg.plots import countries_query, find_country, network_queries, network_svg, timeline_query, timeline_svg
from kg.protocol import Format, QueryShape
from kg.review import build_base
from kg.store import dataset
from kg.triples import BKG, DEFAULT_BASE, PREFIXES, compact
from kg.workers import (Answer, Busy, ClientGone, Job, OutOfMemory, Parts, TimedOut, Truncated, WorkerGone,
                        WorkerPool)

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_EXAMPLES = Path(__file__).resolve().parent.parent / "queries"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RESULT_FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                      "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
                      "jsonld": "JSON-LD", "rdfxml": "RDF_XML", "trig": "TriG", "nquads": "N-Quads", "n3": "N3"}


@dataclass(frozen=True)
class ServeConfig:
    store: Path                               # the build folder or its store/
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0                     # seconds; a request may ask for less, never more
    max_rows: int = 10_000
    max_body: int = 1_000_000                 # bytes of a POST body or a GET query string
    workers: int = max(2, os.cpu_count() or 2)
    max_in_flight: int = 64                   # queries running or waiting; beyond: 503
    allow_service: tuple[str, ...] = ()       # SERVICE endpoints a query may call
    base: str | None = None                   # resource namespace; default: the build's
    query_log: str | None = None              # a file for one JSON line per query; '-' is stderr
    allocator: str = "auto"                   # of the workers: auto (jemalloc if installed), jemalloc, glibc
    worker_memory: int | None = 4096          # MB of heap a worker may use; a query wanting more gets 500
    examples: Path = DEFAULT_EXAMPLES
    max_answer_bytes: int = 64 << 20          # bytes of one answer; beyond, it is cut like the rows
    max_head: int = 64 << 10                  # bytes of a request line and headers: beyond, 414 / 431
    head_timeout: float = 10.0                # seconds to send them (from the connection or last answer): 408
    body_timeout: float = 30.0                # seconds to send a body once the headers are in: 408

    @property
    def store_dir(self) -> Path:
        return self.store / "store" if (self.store / "store").is_dir() else self.store


_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                   r"|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


class Refused(Exception):
    """A request answered with an error status and the pinned JSON body."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None, **where) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers, self.where = status, code, message, headers or {}, where


def problem(status: int, code: str, message: str, headers: dict | None = None, **where) -> JSONResponse:
    body = {"status": status, "error": code, "message": message}
    body.update({k: v for k, v in where.items() if v is not None})
    return JSONResponse(body, status_code=status, headers=headers)


# Statistics for the Service Description and VoID, read once at start-up --------------------------

@dataclass
class Statistics:
    triples: int = 0                          # triples of the default graph: the merge of all graphs
    quads: int = 0
    graphs: list[tuple[str, int]] = field(default_factory=list)
    subjects: int = 0
    objects: int = 0
    classes: list[tuple[str, int]] = field(default_factory=list)
    properties: list[tuple[str, int]] = field(default_factory=list)


def read_statistics(store_dir: Path) -> Statistics:
    store = ox.Store.read_only(str(store_dir))

    seen_as = dataset(store)

    def rows(query: str) -> list[list]:
        return [[t.value if t is not None else None for t in s] for s in store.query(query, **seen_as)]

    def count(query: str) -> int:
        return int(rows(query)[0][0])

    stats = Statistics()
    stats.graphs = [(g, int(n)) for g, n in rows(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")]
    stats.quads = sum(n for _, n in stats.graphs)       # the reports' quads, not their merge
    stats.triples = count("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    stats.subjects = count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    stats.objects = count("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }")
    stats.classes = [(c, int(n)) for c, n in rows(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c")]
    stats.properties = [(p, int(n)) for p, n in rows(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p ORDER BY ?p")]
    del store
    return stats


def _n(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


def service_description(endpoint: str, void_url: str, stats: Statistics, allow_service: bool) -> list[ox.Triple]:
    """SPARQL 1.1 Service Description of the endpoint (its URL as the client used it)."""
    sd, me = (lambda local: ox.NamedNode(SD + local)), ox.NamedNode(endpoint)
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    dataset, default = ox.NamedNode(void_url + "#dataset"), ox.BlankNode("defaultGraph")
    out = [ox.Triple(me, rdf_type, sd("Service")), ox.Triple(me, sd("endpoint"), me),
           ox.Triple(me, sd("supportedLanguage"), sd("SPARQL11Query")),
           ox.Triple(me, sd("feature"), sd("UnionDefaultGraph")),
           ox.Triple(me, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
           ox.Triple(me, sd("defaultDataset"), dataset),
           ox.Triple(dataset, rdf_type, sd("Dataset")),
           ox.Triple(dataset, rdf_type, ox.NamedNode(VOID + "Dataset")),
           ox.Triple(dataset, sd("defaultGraph"), default),
           ox.Triple(default, rdf_type, sd("Graph")),
           ox.Triple(default, ox.NamedNode(VOID + "triples"), _n(stats.triples)),
           ox.Triple(me, ox.NamedNode(PREFIXES["rdfs"] + "comment"), ox.Literal(
               "bilateral-kg: read-only SPARQL 1.1 query endpoint; the default graph is the RDF merge of all "
               "named graphs (one per report), each triple once; a query's FROM and FROM NAMED are honoured; "
               "relative IRIs resolve against the resource namespace."))]
    if allow_service:
        out.append(ox.Triple(me, sd("feature"), sd("BasicFederatedQuery")))
    for name in RESULT_FORMAT_IRIS.values():
        out.append(ox.Triple(me, sd("resultFormat"), ox.NamedNode(FORMATS_NS + name)))
    for i, (graph, n) in enumerate(stats.graphs):
        named, g = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
        out += [ox.Triple(dataset, sd("namedGraph"), named), ox.Triple(named, rdf_type, sd("NamedGraph")),
                ox.Triple(named, sd("name"), ox.NamedNode(graph)), ox.Triple(named, sd("graph"), g),
                ox.Triple(g, rdf_type, sd("Graph")), ox.Triple(g, ox.NamedNode(VOID + "triples"), _n(n))]
    return out


def void_description(void_url: str, endpoint: str, base: str, stats: Statistics) -> list[ox.Triple]:
    """VoID statistics: sizes, class and property partitions, the endpoint and the URI space."""
    v, me = (lambda local: ox.NamedNode(VOID + local)), ox.NamedNode(void_url + "#dataset")
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    dct = lambda local: ox.NamedNode(PREFIXES["dcterms"] + local)  # noqa: E731
    out = [ox.Triple(me, rdf_type, v("Dataset")),
           ox.Triple(me, dct("title"), ox.Literal("bilateral-kg")),
           ox.Triple(me, dct("description"), ox.Literal(
               "Bilateral diplomatic meetings, joint statements, clauses and agreements read from news reports.")),
           ox.Triple(me, v("sparqlEndpoint"), ox.NamedNode(endpoint)),
           ox.Triple(me, v("uriSpace"), ox.Literal(base)),
           ox.Triple(me, v("vocabulary"), ox.NamedNode(BKG)),
           ox.Triple(me, v("triples"), _n(stats.triples)),
           ox.Triple(me, v("distinctSubjects"), _n(stats.subjects)),
           ox.Triple(me, v("distinctObjects"), _n(stats.objects)),
           ox.Triple(me, v("classes"), _n(len(stats.classes))),
           ox.Triple(me, v("properties"), _n(len(stats.properties))),
           ox.Triple(me, v("entities"), _n(stats.subjects))]
    for i, (cls, n) in enumerate(stats.classes):
        part = ox.BlankNode(f"class{i}")
        out += [ox.Triple(me, v("classPartition"), part), ox.Triple(part, v("class"), ox.NamedNode(cls)),
                ox.Triple(part, v("entities"), _n(n))]
    for i, (prop, n) in enumerate(stats.properties):
        part = ox.BlankNode(f"property{i}")
        out += [ox.Triple(me, v("propertyPartition"), part), ox.Triple(part, v("property"), ox.NamedNode(prop)),
                ox.Triple(part, v("triples"), _n(n))]
    return out


# Metrics and the query log ------------------------------------------------------------------------

class Metrics:
    def __init__(self, pool: WorkerPool | None = None) -> None:
        disable_created_metrics()
        self.registry = CollectorRegistry()
        self.requests = Counter("kg_sparql_requests", "SPARQL query requests by status", ["status"],
                                registry=self.registry)
        self.latency = Histogram("kg_sparql_request_seconds", "Time to answer a SPARQL query request",
                                 buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60),
                                 registry=self.registry)
        self.timeouts = Counter("kg_sparql_timeouts", "Queries stopped at the time limit", registry=self.registry)
        self.refused = Counter("kg_sparql_refused", "Queries refused before evaluation, by reason", ["reason"],
                               registry=self.registry)
        self.truncated = Counter("kg_sparql_truncated", "Answers cut at the row cap", registry=self.registry)
        self.rows = Counter("kg_sparql_rows", "Result rows (or triples) served", registry=self.registry)
        self.in_flight = Gauge("kg_sparql_in_flight", "Queries running or waiting for a worker",
                               registry=self.registry)
        self.workers = Gauge("kg_workers", "Worker processes alive", registry=self.registry)
        self.killed = Gauge("kg_workers_replaced", "Workers killed (timeout, client gone) and replaced",
                            registry=self.registry)
        if pool is not None:
            self.in_flight.set_function(lambda: pool.in_flight)
            self.workers.set_function(lambda: len(pool.workers))
            self.killed.set_function(lambda: pool.stats.killed)


def query_logger(target: str | None) -> logging.Logger:
    log = logging.getLogger("kg.queries")
    log.propagate = False
    log.setLevel(logging.INFO)
    for h in list(log.handlers):
        log.removeHandler(h)
        h.close()
    if target:
        handler = logging.StreamHandler(sys.stderr) if target == "-" else logging.FileHandler(target, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    else:
        log.addHandler(logging.NullHandler())
    return log


# The application ---------------------------------------------------------------------------------

@dataclass
class QueryRequest:
    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    format_param: str | None
    timeout_param: str | None


def check_store(config: ServeConfig) -> Path:
    """The store's folder, or a StoreError naming the folder given."""
    store_dir = config.store_dir
    if not store_dir.is_dir() or not any(store_dir.iterdir()):
        from kg.errors import StoreError
        raise StoreError(f"{config.store}: no Oxigraph store here; run 'kg build --out {config.store}' first")
    return store_dir


class Endpoint:
    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        store_dir = check_store(config)
        self.base = config.base or build_base(config.store) or DEFAULT_BASE
        self.stats = read_statistics(store_dir)
        try:
            self.pool = WorkerPool(str(store_dir), config.workers, config.max_in_flight, config.allocator,
                                   config.worker_memory, config.allow_service)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        self.metrics = Metrics(self.pool)
        self.log = query_logger(config.query_log)
        self.examples = load_examples(config.examples)
        self.started = time.time()

    # -- the query operation --------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        t0 = time.perf_counter()
        query_text, answer, status, fmt_name = "", None, 500, ""
        try:
            parsed = await self._read(request)
            if parsed is None:
                status = 0                          # not a query: no metrics, no log line
                return self._service_description(request)
            query_text = parsed.query
            if request.method == "GET" and parsed.format_param is None and _prefers_html(request):
                status = 303                        # a browser following a query link: show it on the page
                return RedirectResponse("/?" + urlencode({"query": parsed.query}), status_code=303,
                                        headers={"Vary": "Accept"})
            shape = await self._admit(parsed.query)
            fmt = protocol.choose_format(shape.result_kind, request.headers.get("accept"), parsed.format_param)
            if fmt is None:
                raise Refused(406, "not-acceptable", _not_acceptable(shape.result_kind, parsed.format_param))
            fmt_name = fmt.name
            job = Job(parsed.query, fmt.name, fmt.kind, self.config.max_rows, parsed.default_graphs, parsed.named_graphs,
                      PREFIXES, base=self.base, max_bytes=self.config.max_answer_bytes)
            answer = await self._run(job, self._timeout(parsed.timeout_param), request)
            status = 200
            return self._answer(answer, fmt, request.method)
        except Refused as r:
            status = r.status
            return problem(r.status, r.code, r.message, r.headers, **r.where)
        finally:
            if status:
                self.metrics.requests.labels(str(status)).inc()
                self.metrics.latency.observe(time.perf_counter() - t0)
            if query_text:
                self._log(query_text, status, answer, fmt_name, t0)

    async def _read(self, request: Request) -> QueryRequest | None:
        """The protocol's three forms of a query request, or None for the Service Description."""
        url_params = parse_qsl(request.url.query, keep_blank_values=True)
        if len(request.url.query) > self.config.max_body:
            raise Refused(414, "uri-too-long", f"the query string has {len(request.url.query)} bytes; the limit is "
                          f"{self.config.max_body}; send long queries with POST")
        if request.method in ("GET", "HEAD"):
            params = url_params
            body_query = None
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            charset = re.search(r";\s*charset\s*=\s*\"?([^\";\s]+)", request.headers.get("content-type", ""), re.I)
            if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
                raise Refused(415, "unsupported-media-type",
                              f"the body must be UTF-8 (the protocol's only encoding), not {charset.group(1)}")
            if ctype == "application/sparql-update":
                raise Refused(403, "read-only", "this endpoint is read-only: updates are not accepted")
            if ctype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
                raise Refused(415, "unsupported-media-type",
                              f"POST a query as application/x-www-form-urlencoded or application/sparql-query, "
                              f"not {ctype or 'a body without Content-Type'}")
            body = await self._body(request)
            if ctype == "application/sparql-query":
                params, body_query = url_params, _decode(body, "the request body")
            else:
                params = url_params + parse_qsl(_decode(body, "the form"), keep_blank_values=True)
                body_query = None
        values: dict[str, list[str]] = {}
        for k, v in params:
            values.setdefault(k, []).append(v)
        if "update" in values:
            raise Refused(403, "read-only", "this endpoint is read-only: updates are not accepted")
        queries = values.get("query", []) + ([body_query] if body_query is not None else [])
        if not queries:
            if request.method == "POST":
                raise Refused(400, "missing-query", "the request has no query")
            return None
        if len(queries) > 1:
            raise Refused(400, "bad-request", "give exactly one query")
        if not queries[0].strip():
            raise Refused(400, "missing-query", "the query is empty")
        default = tuple(values["default-graph-uri"]) if "default-graph-uri" in values else None
        named = tuple(values["named-graph-uri"]) if "named-graph-uri" in values else None
        for graph in (default or ()) + (named or ()):
            if not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$", graph):
                raise Refused(400, "bad-request", f"not an absolute IRI: {graph!r}")
        fmt = (values.get("format") or values.get("output") or [None])[0]
        timeout = (values.get("timeout") or [None])[0]
        return QueryRequest(queries[0], default, named, fmt, timeout)

    async def _body(self, request: Request) -> bytes:
        limit = self.config.max_body
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise Refused(413, "too-large", f"the body has {declared} bytes; the limit is {limit}")
        chunks, size = [], 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise Refused(413, "too-large", f"the body is larger than the limit of {limit} bytes")
                chunks.append(chunk)
        except ClientDisconnect:        # the client left (or was cut off at the body timeout) mid-body
            raise Refused(499, "client-gone", "the client closed the connection before the body ended") from None
        return b"".join(chunks)

    async def _admit(self, query: str) -> QueryShape:
        inspect = functools.partial(protocol.inspect_query, query, PREFIXES, self.base)
        try:                    # a long query is read in a thread: the event loop serves others meanwhile
            shape = inspect() if len(query) < 65536 else await asyncio.to_thread(inspect)
        except protocol.UncheckableQuery as exc:
            self.metrics.refused.labels("service").inc()
            raise Refused(400, "service-refused", f"{exc}; this endpoint does not fetch other endpoints") from None
        if shape.too_deep:
            self.metrics.refused.labels("too-deep").inc()
            line, column = shape.too_deep
            raise Refused(400, "too-deep", f"groups, brackets or parentheses nest more than {protocol.MAX_NESTING} "
                          f"deep at line {line}, column {column}; the query parser would run out of stack",
                          line=line, column=column)
        if shape.is_update:
            self.metrics.refused.labels("read-only").inc()
            raise Refused(403, "read-only", f"this endpoint is read-only: {shape.form} is an update",
                          line=shape.form_line, column=shape.form_column)
        for service in shape.services:
            if service.iri is None or service.iri not in self.config.allow_service:
                self.metrics.refused.labels("service").inc()
                raise Refused(400, "service-refused",
                              f"SERVICE {service.target} at line {service.line}, column {service.column}: this "
                              f"endpoint does not fetch other endpoints"
                              + (f" (allowed: {', '.join(self.config.allow_service)})"
                                 if self.config.allow_service else ""),
                              line=service.line, column=service.column)
        return shape

    def _timeout(self, param: str | None) -> float:
        if param is None or param == "":
            return self.config.timeout
        try:
            asked = float(param)
        except ValueError:
            raise Refused(400, "bad-request", f"timeout must be a number of seconds, not {param!r}") from None
        if not asked > 0:
            raise Refused(400, "bad-request", "timeout must be more than 0 seconds")
        return min(asked, self.config.timeout)

    async def _run(self, job: Job, timeout: float, request: Request) -> Answer:
        gone = asyncio.ensure_future(_disconnected(request))
        try:
            answer = await self.pool.run(job, timeout, gone)
        except Busy:
            self.metrics.refused.labels("busy").inc()
            raise Refused(503, "busy", f"{self.config.max_in_flight} queries are already running or waiting; "
                          f"try again shortly", {"Retry-After": "1"}) from None
        except TimedOut:
            self.metrics.timeouts.inc()
            raise Refused(504, "timeout", f"the query ran longer than {timeout:g} s and was stopped") from None
        except ClientGone:
            raise Refused(499, "client-gone", "the client closed the connection; the query was stopped") from None
        except OutOfMemory as exc:
            self.metrics.refused.labels("memory").inc()
            raise Refused(500, "out-of-memory", f"{exc}; it was stopped") from None
        except WorkerGone as exc:
            self.metrics.refused.labels("worker-crashed").inc()
            raise Refused(500, "worker-crashed", f"the query's worker died: {exc}; it has been replaced") from None
        finally:
            gone.cancel()
        if answer.status == "syntax":
            where = protocol.syntax_position(answer.message)
            line, column = where if where else (None, None)
            raise Refused(400, "malformed-query", answer.message, line=line, column=column)
        if answer.status == "error":
            raise Refused(500, "evaluation-failed", answer.message)
        return answer

    def _answer(self, answer: Answer, fmt: Format, method: str) -> Response:
        self.metrics.rows.inc(answer.rows)
        headers = {"Vary": "Accept", "X-Result-Rows": str(answer.rows)}
        if answer.truncated:
            self.metrics.truncated.inc()
            headers["X-Truncated"] = "true"
            headers["X-Row-Limit"] = str(self.config.max_rows)
            headers["X-Byte-Limit"] = str(self.config.max_answer_bytes)
        return Response(b"" if method == "HEAD" else answer.body, media_type=fmt.content_type, headers=headers)

    def _log(self, query: str, status: int, answer: Answer | None, fmt: str, t0: float,
             size: int | None = None) -> None:
        self.log.info(json.dumps({
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "hash": hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()[:16],
            "status": status, "ms": round((time.perf_counter() - t0) * 1000, 2),
            "rows": answer.rows if answer else 0, "truncated": bool(answer and answer.truncated),
            "format": fmt, "bytes": size if size is not None else len(answer.body) if answer else 0}))

    # -- self-description -------------------------------------------------------------------------

    def _urls(self, request: Request) -> tuple[str, str]:
        """The endpoint's and VoID's URLs as the client reached them. A Host header that is no
        host name, IP literal or port (a forged one, with spaces, quotes, brackets or a path) is
        not copied into the descriptions: the server's own address is given instead."""
        host = request.headers.get("host", "")
        if not _HOST.fullmatch(host):
            host = f"{self.config.host}:{self.config.port}"
        root = f"{request.url.scheme}://{host}"
        return root + "/sparql", root + "/void"

    def _service_description(self, request: Request) -> Response:
        offers = [(f.media_type, f) for f in protocol.GRAPH_FORMATS] + [(protocol.HTML, protocol.HTML)]
        fmt = protocol.negotiate(request.headers.get("accept"), offers)
        if fmt == protocol.HTML:
            return RedirectResponse("/", status_code=303)
        if fmt is None:
            raise Refused(406, "not-acceptable", _not_acceptable("graph", None))
        endpoint, void_url = self._urls(request)
        triples = service_description(endpoint, void_url, self.stats, bool(self.config.allow_service))
        return _graph_response(triples, fmt, {"sd": SD, "void": VOID, "formats": FORMATS_NS})

    async def void(self, request: Request) -> Response:
        fmt = protocol.negotiate(request.headers.get("accept"), [(f.media_type, f) for f in protocol.GRAPH_FORMATS])
        if fmt is None:
            return problem(406, "not-acceptable", _not_acceptable("graph", None))
        endpoint, void_url = self._urls(request)
        return _graph_response(void_description(void_url, endpoint, self.base, self.stats), fmt,
                               {"void": VOID, "dcterms": PREFIXES["dcterms"], "bkg": BKG})

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok" if self.pool.workers else "starting",
                             "workers": len(self.pool.workers), "worker_pids": self.pool.pids(),
                             "idle": self.pool.idle.qsize(), "in_flight": self.pool.in_flight,
                             "allocator": self.pool.allocator,
                             "workers_without_network": all(w.isolated for w in self.pool.workers),
                             "triples": self.stats.triples, "graphs": len(self.stats.graphs),
                             "uptime_s": round(time.time() - self.started, 1)})

    async def metrics_page(self, request: Request) -> Response:
        return Response(generate_latest(self.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    # -- for people -----------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file():
            return problem(404, "not-found", f"no such file: /static/{name}")
        return FileResponse(path)

    async def examples_page(self, request: Request) -> Response:
        return JSONResponse({"prefixes": PREFIXES, "base": self.base, "examples": self.examples})

    async def resource(self, request: Request) -> Response:
        path = request.path_params["path"]
        iri = self.base + quote(path, safe="/:@!$&'()*+,;=-._~%")
        offers = [(protocol.HTML, protocol.HTML)] + [(f.media_type, f) for f in protocol.GRAPH_FORMATS]
        accept = request.headers.get("accept") or "text/turtle"
        fmt = protocol.by_name(request.query_params["format"], "graph") if "format" in request.query_params \
            else protocol.negotiate(accept, offers)
        try:
            if fmt is None:
                raise Refused(406, "not-acceptable", "this resource is served as HTML or as "
                              + ", ".join(f.media_type for f in protocol.GRAPH_FORMATS))
            if fmt == protocol.HTML:
                return await self._resource_page(iri, request)
            answer = await self._run(Job("", fmt.name, fmt.kind, self.config.max_rows, prefixes=PREFIXES, resource=iri),
                                     self.config.timeout, request)
            if answer.rows == 0:
                raise Refused(404, "not-found", f"the graph says nothing about <{iri}>")
            return self._answer(answer, fmt, request.method)
        except Refused as r:
            return problem(r.status, r.code, r.message, r.headers, **r.where)

    async def _select(self, query: str, request: Request) -> list[dict]:
        fmt = protocol.RESULT_FORMATS[0]
        answer = await self._run(Job(query, fmt.name, fmt.kind, self.config.max_rows), self.config.timeout, request)
        return json.loads(answer.body)["results"]["bindings"]

    async def _resource_page(self, iri: str, request: Request) -> Response:
        facts = await self._select(
            f"SELECT DISTINCT ?p ?o (SAMPLE(?l) AS ?label) WHERE {{ <{iri}> ?p ?o "
            f"OPTIONAL {{ ?o <{PREFIXES['rdfs']}label> ?l }} }} GROUP BY ?p ?o ORDER BY ?p ?o", request)
        if not facts:
            return resource_not_found(iri)
        evidence = await self._select(
            f"PREFIX bkg: <{BKG}> PREFIX prov: <{PREFIXES['prov']}> "
            f"SELECT DISTINCT ?quote ?file ?line ?rule WHERE {{ <{iri}> bkg:evidence ?ev . ?ev bkg:quote ?quote . "
            f"OPTIONAL {{ ?ev bkg:source/bkg:sourceFile ?file }} OPTIONAL {{ ?ev bkg:line ?line }} "
            f"OPTIONAL {{ ?ev prov:wasGeneratedBy ?rule }} }} ORDER BY ?file ?line ?quote", request)
        incoming = await self._select(
            f"SELECT DISTINCT ?s ?p (SAMPLE(?l) AS ?label) WHERE {{ ?s ?p <{iri}> "
            f"OPTIONAL {{ ?s <{PREFIXES['rdfs']}label> ?l }} }} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT 500", request)
        return Response(render_resource(iri, facts, evidence, incoming, self.base),
                        media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})

    # -- event data: tables and pictures ---------------------------------------------------------

    def _period(self, request: Request) -> Period | None:
        try:
            return Period.parse(request.query_params.get("from") or None, request.query_params.get("to") or None)
        except InputError as exc:
            raise Refused(400, "bad-request", str(exc)) from None

    async def _table(self, query: str, name: str, request: Request) -> Response:
        """A table of kg export as CSV, run like any query (worker, time limit, row and byte caps,
        concurrency), and streamed: the worker sends it in parts as it writes them, and each goes to
        the client as it comes (StreamedTable). A table that fits in one part is a plain response."""
        t0 = time.perf_counter()
        answer, status = None, 500
        fmt = protocol.by_name("csv", "results")
        try:
            job = Job(query, fmt.name, fmt.kind, self.config.max_rows, base=self.base,
                      max_bytes=self.config.max_answer_bytes, stream=True)
            answer = await self._run(job, self._timeout(request.query_params.get("timeout")), request)
            status = 200
        except Refused as r:
            status = r.status
            return problem(r.status, r.code, r.message, r.headers, **r.where)
        finally:
            if answer is None or answer.rest is None:
                self._count(query, status, answer, t0)
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        if answer.rest is None:
            response = self._answer(answer, fmt, request.method)
            response.headers.update(headers)
            return response
        headers.update({"Vary": "Accept", "X-Row-Limit": str(self.config.max_rows),
                        "X-Byte-Limit": str(self.config.max_answer_bytes)})

        def ended(status: int, parts: Parts) -> None:
            self.metrics.rows.inc(parts.rows)
            if parts.truncated:
                self.metrics.truncated.inc()
            if status == 504:
                self.metrics.timeouts.inc()
            self._count(query, status, Answer("ok", rows=parts.rows, truncated=parts.truncated), t0,
                        len(answer.body) + parts.size)

        return StreamedTable(answer.body, answer.rest, fmt.content_type, headers, ended)

    def _count(self, query: str, status: int, answer: Answer | None, t0: float, size: int | None = None) -> None:
        """The metrics and the log line of a table's request, once it is answered."""
        self.metrics.requests.labels(str(status)).inc()
        self.metrics.latency.observe(time.perf_counter() - t0)
        self._log(query, status, answer, "csv", t0, size)

    async def export_events(self, request: Request) -> Response:
        try:
            period = self._period(request)
        except Refused as r:
            return problem(r.status, r.code, r.message)
        undirected = request.query_params.get("undirected", "").lower() in ("1", "true", "yes", "on")
        return await self._table(events_query(undirected, period), "events.csv", request)

    async def export_dyad_years(self, request: Request) -> Response:
        try:
            period = self._period(request)
        except Refused as r:
            return problem(r.status, r.code, r.message)
        return await self._table(dyad_years_query(period), "dyad-years.csv", request)

    async def _rows(self, query: str, request: Request) -> list[dict]:
        return [{k: int(v["value"]) if v.get("datatype", "").endswith("#integer") else v["value"] for k, v in b.items()}
                for b in await self._select(query, request)]

    def _href(self, iri: str) -> str:
        return "/id/" + iri[len(self.base):] if iri.startswith(self.base) else iri

    async def _countries(self, request: Request) -> list[dict]:
        return await self._rows(countries_query(), request)

    async def network_page(self, request: Request) -> Response:
        q = request.query_params
        try:
            period = self._period(request)
            countries = await self._countries(request)
            focus = find_country(countries, q["country"]) if q.get("country") else None
            pairs_q, nodes_q = network_queries(period, str(focus["country"]) if focus else None)
            code = {str(c["country"]): str(c.get("code") or c["label"]) for c in countries}
            svg = network_svg(await self._rows(pairs_q, request), await self._rows(nodes_q, request), self._href,
                              lambda a, b: "/timeline?" + urlencode({"country": code.get(a, a), "partner": code.get(b, b)}),
                              title="Who met whom" + (f": {focus['label']}" if focus else ""))
        except InputError as exc:
            return problem(400, "bad-request", str(exc))
        except Refused as r:
            return problem(r.status, r.code, r.message, r.headers, **r.where)
        form = (f'<form class="filters" method="get" action="/network">'
                f'<label>from <input name="from" value="{html.escape(q.get("from", ""))}" placeholder="YYYY-MM-DD"></label> '
                f'<label>to <input name="to" value="{html.escape(q.get("to", ""))}" placeholder="YYYY-MM-DD"></label> '
                f'<label>country <input name="country" value="{html.escape(q.get("country", ""))}" placeholder="CN, CUB, Cuba">'
                f'</label> <button type="submit">Draw</button></form>')
        body = (f'<p class="nav"><a href="/">query page</a> · <a href="/timeline">meetings over time</a></p>'
                f'<h1>Who met whom</h1>{form}<p class="hint">A country links to its page, a line to the pair\'s '
                f'meetings over time.</p><figure class="plot" id="network">{svg}</figure>')
        return Response(_html_page("Who met whom", body), media_type="text/html; charset=utf-8")

    async def timeline_page(self, request: Request) -> Response:
        q = request.query_params
        try:
            countries = await self._countries(request)
            name = q.get("country") or _busiest(countries, await self._rows(network_queries()[1], request))
            svg = ""
            if name:
                side = find_country(countries, name)
                partner = find_country(countries, q["partner"]) if q.get("partner") else None
                label = str(side["label"]) + (f" with {partner['label']}" if partner else "")
                rows = await self._rows(timeline_query(str(side["country"]), str(partner["country"]) if partner else None),
                                        request)
                svg = timeline_svg(rows, self._href, label)
        except InputError as exc:
            return problem(400, "bad-request", str(exc))
        except Refused as r:
            return problem(r.status, r.code, r.message, r.headers, **r.where)
        options = "".join(f'<option value="{html.escape(str(c.get("code") or c["label"]))}">{html.escape(str(c["label"]))}'
                          f'</option>' for c in countries)
        form = (f'<form class="filters" method="get" action="/timeline"><datalist id="sides">{options}</datalist>'
                f'<label>country <input name="country" list="sides" value="{html.escape(name or "")}"></label> '
                f'<label>with <input name="partner" list="sides" value="{html.escape(q.get("partner", ""))}"></label> '
                f'<button type="submit">Draw</button></form>')
        body = (f'<p class="nav"><a href="/">query page</a> · <a href="/network">who met whom</a></p>'
                f'<h1>Meetings over time</h1>{form}<p class="hint">Each mark links to its meeting; its title gives the '
                f'date, participants and sentence.</p><figure class="plot" id="timeline">{svg or "No meetings."}</figure>')
        return Response(_html_page("Meetings over time", body), media_type="text/html; charset=utf-8")

    # -- the ASGI application -------------------------------------------------------------------

    def app(self) -> Starlette:
        @contextlib.asynccontextmanager
        async def lifespan(app):
            await self.pool.start()
            try:
                yield
            finally:
                self.pool.close()

        async def http_error(request: Request, exc: HTTPException) -> Response:
            codes = {404: "not-found", 405: "method-not-allowed"}
            message = {405: f"{request.method} is not allowed here: the endpoint is read-only"}.get(
                exc.status_code, f"no such page: {request.url.path}" if exc.status_code == 404 else str(exc.detail))
            return problem(exc.status_code, codes.get(exc.status_code, "bad-request"), message, exc.headers)

        async def internal_error(request: Request, exc: Exception) -> Response:
            return problem(500, "internal", f"{type(exc).__name__}: {exc}")

        routes = [
            Route("/sparql", self.sparql, methods=["GET", "POST"]),
            Route("/void", self.void, methods=["GET"]),
            Route("/.well-known/void", lambda r: RedirectResponse("/void", status_code=303), methods=["GET"]),
            Route("/health", self.health, methods=["GET"]),
            Route("/metrics", self.metrics_page, methods=["GET"]),
            Route("/examples", self.examples_page, methods=["GET"]),
            Route("/", self.page, methods=["GET"]),
            Route("/static/{name}", self.static, methods=["GET"]),
            Route("/id/{path:path}", self.resource, methods=["GET"]),
            Route("/export/events.csv", self.export_events, methods=["GET"]),
            Route("/export/dyad-years.csv", self.export_dyad_years, methods=["GET"]),
            Route("/network", self.network_page, methods=["GET"]),
            Route("/timeline", self.timeline_page, methods=["GET"]),
        ]
        middleware = [Middleware(SecurityHeaders),
                      Middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                                 allow_methods=["GET", "POST", "HEAD", "OPTIONS"], allow_headers=["*"],
                                 expose_headers=["X-Truncated", "X-Row-Limit", "X-Byte-Limit", "X-Result-Rows", "Retry-After"],
                                 max_age=86400)]
        return Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                         exception_handlers={HTTPException: http_error, Exception: internal_error})


SECURITY_HEADERS = [
    # the page and the resource pages load only their own script and style, run nothing inline,
    # and may not be framed by another site; no response is sniffed into another type
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                 b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    """ASGI middleware: SECURITY_HEADERS on every HTTP response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _disconnected(request: Request) -> None:
    """Resolves when the client closes the connection (the body has been read by then)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


class StreamedTable(Response):
    """A table sent as its worker writes it: the first part with the headers, each later part as a
    chunk as soon as it comes, the next read from the worker only once the client took the last
    (uvicorn waits while the socket is full), so memory holds one part whatever the table's size.

    The status and headers go with the first part, before the limits of the query are known to
    hold for the whole table. When one is reached later (the row or byte cap: `X-Row-Limit`,
    `X-Byte-Limit`, the time limit) or the worker dies, the body stops after the last whole row and
    the response is left without its last chunk: a client reports an incomplete transfer instead of
    taking a short table for the whole one. `ended(status, parts)` is told how it went: 200, or
    the status the limit has for a query (cut at the cap: 200 with parts.truncated; 504 time limit;
    499 client gone; 500 worker died)."""

    def __init__(self, first: bytes, parts: Parts, media_type: str, headers: dict, ended) -> None:
        super().__init__(b"", media_type=media_type, headers=headers)
        del self.headers["content-length"]            # chunked
        self.first, self.parts, self.ended = first, parts, ended

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        status, complete = 499, False
        if scope.get("method") == "HEAD":
            status, complete = 200, True
        else:
            gone = asyncio.ensure_future(_disconnected(Request(scope, receive)))
            sending = asyncio.ensure_future(self._send_parts(send))
            await asyncio.wait({gone, sending}, return_when=asyncio.FIRST_COMPLETED)
            gone.cancel()
            sending.cancel()                          # the client left: the worker is stopped
            with contextlib.suppress(asyncio.CancelledError):
                status, complete = await sending
        await self.parts.aclose()
        self.ended(status, self.parts)
        if complete:
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _send_parts(self, send) -> tuple[int, bool]:
        try:
            await send({"type": "http.response.body", "body": self.first, "more_body": True})
            async for part in self.parts:
                await send({"type": "http.response.body", "body": part, "more_body": True})
        except Truncated:
            return 200, False
        except TimedOut:
            return 504, False
        except WorkerGone:
            return 500, False
        except OSError:                               # the connection broke while sending
            return 499, False
        return 200, True


def _prefers_html(request: Request) -> bool:
    accept = request.headers.get("accept")
    if not accept:
        return False
    offers = [(f.media_type, f) for f in protocol.RESULT_FORMATS] + [(protocol.HTML, protocol.HTML)]
    return protocol.negotiate(accept, offers) == protocol.HTML


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(400, "bad-request", f"{what} is not UTF-8 (byte {exc.start})") from None


def _not_acceptable(kind: str, asked: str | None) -> str:
    names = ", ".join(f"{f.name} ({f.media_type})" for f in protocol.formats_for(kind))
    what = {"results": "SELECT results", "boolean": "ASK results"}.get(kind, "CONSTRUCT and DESCRIBE results")
    return (f"format {asked!r} cannot be served; " if asked else "no acceptable format; ") + f"{what} are served as {names}"


def _graph_response(triples: list[ox.Triple], fmt: Format, prefixes: dict[str, str]) -> Response:
    prefixes = {**prefixes, "rdf": PREFIXES["rdf"], "rdfs": PREFIXES["rdfs"]}
    use = prefixes if fmt.oxigraph in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3) else None
    triples = sorted(triples, key=lambda t: (isinstance(t.subject, ox.BlankNode), str(t.subject)))
    return Response(ox.serialize(triples, format=fmt.oxigraph, prefixes=use), media_type=fmt.content_type,
                    headers={"Vary": "Accept"})


def load_examples(folder: Path) -> list[dict]:
    """The competency questions (*.rq): the first comment line is the title."""
    examples = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        title = first.lstrip("#").strip() if first.startswith("#") else path.stem
        examples.append({"id": path.stem, "title": title, "query": text})
    return examples


# HTML of a resource ------------------------------------------------------------------------------

def resource_not_found(iri: str) -> Response:
    body = _html_page("Not found", f"<h1>Not found</h1><p>The graph says nothing about "
                                   f"<code>{html.escape(iri)}</code>.</p>")
    return Response(body, status_code=404, media_type="text/html; charset=utf-8")


def _short(iri: str, base: str) -> str:
    return compact(iri, base) or iri


def _link(iri: str, base: str, label: str | None = None) -> str:
    """A link to a resource of the graph (served here) or to an http(s) IRI; any other scheme
    (javascript:, data: ...) is shown as text, never as something to click."""
    text = html.escape(label) if label else html.escape(_short(iri, base))
    title = f' title="{html.escape(iri)}"'
    if iri.startswith(base):
        href = "/id/" + iri[len(base):]
    elif re.match(r"https?://", iri, re.I):
        href = iri
    else:
        return f"<span{title}>{text}</span>"
    return f'<a href="{html.escape(href)}"{title} rel="noopener noreferrer">{text}</a>'


def _value(binding: dict, base: str, label: dict | None = None) -> str:
    if binding["type"] == "uri":
        return _link(binding["value"], base, label["value"] if label else None)
    if binding["type"] == "bnode":
        return html.escape("_:" + binding["value"])
    extra = f'@{binding["xml:lang"]}' if "xml:lang" in binding else \
        f' <span class="dt">{html.escape(_short(binding["datatype"], base))}</span>' \
        if binding.get("datatype") and not binding["datatype"].endswith("#string") else ""
    return f'{html.escape(binding["value"])}{extra}'


def render_resource(iri: str, facts: list[dict], evidence: list[dict], incoming: list[dict], base: str) -> str:
    label = next((f["o"]["value"] for f in facts if f["p"]["value"] == PREFIXES["rdfs"] + "label"), _short(iri, base))
    types = [_link(f["o"]["value"], base) for f in facts if f["p"]["value"] == PREFIXES["rdf"] + "type"]
    rows = "".join(f'<tr><th>{_link(f["p"]["value"], base)}</th><td>{_value(f["o"], base, f.get("label"))}</td></tr>'
                   for f in facts)
    quotes = "".join(
        f'<li><blockquote>{html.escape(e["quote"]["value"])}</blockquote><p class="where">'
        f'{html.escape(e["file"]["value"]) if "file" in e else ""}'
        f'{":" + html.escape(e["line"]["value"]) if "line" in e else ""}'
        f'{" · rule " + _link(e["rule"]["value"], base) if "rule" in e else ""}</p></li>' for e in evidence)
    back = "".join(f'<tr><td>{_value(b["s"], base, b.get("label"))}</td><th>{_link(b["p"]["value"], base)}</th></tr>'
                   for b in incoming)
    body = (f'<p class="nav"><a href="/">query page</a> · <a href="/network">who met whom</a> · '
            f'<a href="/timeline">meetings over time</a></p><h1>{html.escape(label)}</h1>'
            f'<p class="iri"><code>{html.escape(iri)}</code> {" ".join(types)}</p>'
            f'<p class="formats">As <a href="?format=turtle">Turtle</a> · <a href="?format=ntriples">N-Triples</a>'
            f' · <a href="?format=jsonld">JSON-LD</a> · <a href="?format=trig">TriG (with report graphs)</a></p>'
            f'<h2>Facts</h2><table class="facts">{rows}</table>'
            + (f'<h2>Evidence</h2><ol class="evidence">{quotes}</ol>' if evidence else "")
            + (f'<h2>Referred to by</h2><table class="incoming">{back}</table>' if incoming else ""))
    return _html_page(label, body)


def _busiest(countries: list[dict], nodes: list[dict]) -> str | None:
    """The side with the most meetings (the timeline page's default), by its code."""
    if not nodes:
        return None
    top = max(nodes, key=lambda n: (n["meetings"], str(n["country"])))
    return next((str(c.get("code") or c["label"]) for c in countries if c["country"] == top["country"]), None)


def _html_page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} · '
            f'bilateral-kg</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="stylesheet" href="/static/page.css"></head><body class="resource">{body}</body></html>')


def serve(config: ServeConfig) -> None:
    """Run the endpoint until interrupted."""
    import socket

    import uvicorn

    from kg.connections import limited_protocol
    from kg.errors import InputError

    check_store(config)                             # the user's mistakes first, then the machine's:
    try:                                            # say so before any work when the port is taken
        with socket.socket(socket.AF_INET6 if ":" in config.host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((config.host, config.port))
    except OSError as exc:
        raise InputError(f"cannot listen on {config.host}:{config.port}: {exc.strerror}") from None
    endpoint = Endpoint(config)
    print(f"serving {config.store} ({endpoint.stats.triples} triples in {len(endpoint.stats.graphs)} graphs) at "
          f"http://{config.host}:{config.port}/ (SPARQL endpoint /sparql), {config.workers} workers, "
          f"timeout {config.timeout:g} s, row cap {config.max_rows}", file=sys.stderr, flush=True)
    http = limited_protocol(config.max_head, config.head_timeout, config.body_timeout, SECURITY_HEADERS)
    uvicorn.run(endpoint.app(), host=config.host, port=config.port, log_level="warning", access_log=False,
                timeout_graceful_shutdown=2, http=http)
