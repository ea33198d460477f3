"""The SPARQL 1.1 Protocol, apart from HTTP: what a query is, and which format answers it.

Two things the endpoint must know before a query is evaluated:

* its shape (``inspect_query``): the query form (SELECT, ASK, CONSTRUCT, DESCRIBE), whether it is
  an update, and every ``SERVICE`` clause with its line and column, so that a query that would make
  the server fetch a URL is refused before evaluation. The scan is lexical (strings, IRIs and
  comments are skipped), so ``"SERVICE"`` in a literal or ``<http://x/service>`` is not a clause;
  the query is parsed for real by Oxigraph afterwards.
* its result format (``choose_format``): from a ``format`` parameter (a short name or a media type)
  or from the ``Accept`` header with q-values, among the formats of the query form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

READ_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w\-.\u00b7\u00c0-\uffff]*)?:[^\s{}()\[\];,"'<>]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
""", re.X | re.S)


@dataclass(frozen=True)
class Service:
    """One SERVICE clause: its target as written (an IRI, a prefixed name or a variable) and where."""

    target: str
    iri: str | None
    line: int
    column: int


@dataclass(frozen=True)
class QueryShape:
    form: str | None                        # SELECT, ASK, CONSTRUCT, DESCRIBE, an update keyword, or None
    services: tuple[Service, ...] = field(default=())
    form_line: int = 1
    form_column: int = 1

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_FORMS

    @property
    def result_kind(self) -> str:
        """'results' (SELECT), 'boolean' (ASK) or 'graph' (CONSTRUCT, DESCRIBE)."""
        return "graph" if self.form in ("CONSTRUCT", "DESCRIBE") else "boolean" if self.form == "ASK" else "results"


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def inspect_query(text: str) -> QueryShape:
    prefixes: dict[str, str] = {}
    base = None
    form, form_at = None, 0
    services: list[Service] = []
    tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)
              if m.lastgroup not in ("space", "comment")]
    for i, (kind, value, start) in enumerate(tokens):
        if kind != "word":
            continue
        word = value.upper()
        if form is None and word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1][0] == "pname" \
                and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
        elif form is None and word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = tokens[i + 1][1][1:-1]
        elif form is None and word in READ_FORMS + UPDATE_FORMS:
            form, form_at = word, start
        elif word == "SERVICE":
            j = i + 1
            if j < len(tokens) and tokens[j][1].upper() == "SILENT":
                j += 1
            target_kind, target = (tokens[j][0], tokens[j][1]) if j < len(tokens) else ("other", "")
            services.append(Service(target, _resolve(target_kind, target, prefixes, base), *position(text, start)))
    line, column = position(text, form_at)
    return QueryShape(form, tuple(services), line, column)


def _resolve(kind: str, target: str, prefixes: dict[str, str], base: str | None) -> str | None:
    if kind == "iri":
        iri = target[1:-1]
        if base and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
            return base + iri
        return iri
    if kind == "pname":
        prefix, _, local = target.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


# Result formats --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Format:
    name: str                  # the short name of the `format` parameter
    media_type: str            # what the Content-Type says
    kind: str                  # 'results' (SELECT / ASK) or 'graph' (CONSTRUCT / DESCRIBE, resources)
    oxigraph: object           # the pyoxigraph QueryResultsFormat or RdfFormat
    aliases: tuple[str, ...] = ()   # other names and media types that ask for it
    quads: bool = False        # carries named graphs

    @property
    def content_type(self) -> str:
        return self.media_type + ("; charset=utf-8" if self.media_type.startswith("text/")
                                  or self.media_type.endswith(("json", "xml")) else "")


RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", "results", ox.QueryResultsFormat.JSON,
           ("application/json", "text/javascript", "application/javascript")),
    Format("xml", "application/sparql-results+xml", "results", ox.QueryResultsFormat.XML,
           ("application/xml", "text/xml")),
    Format("csv", "text/csv", "results", ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", "results", ox.QueryResultsFormat.TSV, ("tab",)),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", "graph", ox.RdfFormat.TURTLE, ("ttl", "application/x-turtle")),
    Format("ntriples", "application/n-triples", "graph", ox.RdfFormat.N_TRIPLES,
           ("nt", "n-triples", "text/plain")),
    Format("jsonld", "application/ld+json", "graph", ox.RdfFormat.JSON_LD,
           ("json-ld", "json", "application/json")),
    Format("rdfxml", "application/rdf+xml", "graph", ox.RdfFormat.RDF_XML,
           ("xml", "rdf", "application/xml", "text/xml")),
    Format("trig", "application/trig", "graph", ox.RdfFormat.TRIG, (), quads=True),
    Format("nquads", "application/n-quads", "graph", ox.RdfFormat.N_QUADS, ("nq", "n-quads"), quads=True),
    Format("n3", "text/n3", "graph", ox.RdfFormat.N3, ("text/rdf+n3",)),
)
HTML = "text/html"


BOOLEAN_FORMATS = RESULT_FORMATS[:2]   # the CSV and TSV results formats are for SELECT only


def formats_for(kind: str) -> tuple[Format, ...]:
    return RESULT_FORMATS if kind == "results" else BOOLEAN_FORMATS if kind == "boolean" else GRAPH_FORMATS


def by_name(value: str, kind: str) -> Format | None:
    """The format a `format` parameter names: a short name or a media type (parameters ignored)."""
    wanted = value.split(";")[0].strip().lower()
    for f in formats_for(kind):
        if wanted in (f.name, f.media_type) + f.aliases:
            return f
    return None


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q-values (malformed q counts as 0)."""
    ranges = []
    for part in header.split(","):
        items = [p.strip() for p in part.split(";")]
        media = items[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in items[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The q-value of the most specific range that matches a media type (RFC 9110, 12.5.1)."""
    kind = media_type.split("/")[0]
    best, specificity = 0.0, -1
    for media, q in ranges:
        s = 2 if media == media_type else 1 if media == f"{kind}/*" else 0 if media == "*/*" else -1
        if s > specificity:
            best, specificity = q, s
    return best if specificity >= 0 else 0.0


def negotiate(accept: str | None, offers: list[tuple[str, object]],
              aliases: dict[int, tuple[str, ...]] | None = None) -> object | None:
    """The offer (media type, value) with the highest q; the first offer when Accept is absent.

    `aliases` maps an offer's index to other media types that ask for it by exact match only
    (``application/json`` asks for SPARQL JSON, but ``application/*`` means the primary types).
    """
    if not accept or not accept.strip():
        return offers[0][1]
    ranges = parse_accept(accept)
    exact = dict(ranges)
    scored = []
    for i, (media, value) in enumerate(offers):
        q = max([_quality(media, ranges)] + [exact[a] for a in (aliases or {}).get(i, ()) if a in exact])
        scored.append((q, -i, value))
    q, _, value = max(scored, key=lambda s: (s[0], s[1]))
    return value if q > 0 else None


def choose_format(kind: str, accept: str | None, format_param: str | None) -> Format | None:
    """The format of a query's answer, or None (406): the parameter wins over Accept."""
    if format_param:
        return by_name(format_param, kind)
    formats = formats_for(kind)
    return negotiate(accept, [(f.media_type, f) for f in formats],
                     {i: tuple(a for a in f.aliases if "/" in a) for i, f in enumerate(formats)})


def syntax_position(message: str) -> tuple[int, int] | None:
    """Line and column of an Oxigraph parse error ('error at 3:17: expected ...')."""
    m = re.search(r"error at (\d+):(\d+)", message)
    return (int(m.group(1)), int(m.group(2))) if m else None
