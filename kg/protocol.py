"""The SPARQL 1.1 Protocol, apart from HTTP: what a query is, and which format answers it.

Two things the endpoint must know before a query is evaluated:

* its shape (``inspect_query``): the query form (SELECT, ASK, CONSTRUCT, DESCRIBE), whether it is
  an update, and every ``SERVICE`` clause with its line and column, so that a query that would make
  the server fetch a URL is refused before evaluation. The scan reads the grammar's terminals as
  Oxigraph's parser does, which is stricter than the standard in places (a keyword needs no space
  before what follows it: ``SERVICEm:x`` is ``SERVICE m:x``; a local name holds one run of dots:
  ``m:a.b.SERVICE`` is ``m:a.b . SERVICE``), and where the characters alone do not decide (``<``
  opens an IRI or compares) it follows every reading. A doubt counts as a clause; strings,
  comments, variables and IRIs in every reading are not, so ``"SERVICE"`` or ``?service`` is not.
  The query is parsed for real by Oxigraph afterwards, in a worker whose network reaches the
  allowed SERVICE endpoints and nothing else (kg.network).
* its result format (``choose_format``): from a ``format`` parameter (a short name or a media type)
  or from the ``Accept`` header with q-values, among the formats of the query form.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

import pyoxigraph as ox

READ_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

# The terminals of the SPARQL 1.1 grammar (section 19.8) as Oxigraph reads them.
_BASE_CHARS = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
               "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_CHARS_U = _BASE_CHARS + "_"
_CHARS = _CHARS_U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_SPACE = re.compile(r"(?:[ \t\r\n]|#[^\r\n]*+)*+")               # WS and comments: nothing else is space
_VARNAME = re.compile(f"[{_CHARS_U}0-9][{_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*+")
_WORD = re.compile(f"[{_CHARS}]++")                                # keywords, numbers, a prefix's first part
_PREFIX = re.compile(f"(?:[{_BASE_CHARS}][{_CHARS}.]*+)?:")        # PNAME_NS (trailing dots refused below)
_LOCAL_HEAD = re.compile(f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*+")
_LOCAL_DOTS = re.compile(f"\\.++(?:[{_CHARS}:]|{_PLX})++")         # Oxigraph reads one group of dots
_BNODE = re.compile(f"_:[{_CHARS_U}0-9][{_CHARS}]*+")              # its dots left out: read as code
_ECHAR = r"\\[tbnrf\"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
# possessive (*+, ?+) as the PEG reads them: a string that does not close fails at once
_STRINGS = (re.compile(f"'''(?:(?:''|')?+(?:[^'\\\\]|{_ECHAR}))*+'''"),
            re.compile(f'"""(?:(?:""|")?+(?:[^"\\\\]|{_ECHAR}))*+"""'),
            re.compile(f"'(?:[^'\\\\\\n\\r]|{_ECHAR})*+'"), re.compile(f'"(?:[^"\\\\\\n\\r]|{_ECHAR})*+"'))
_LINE_END = re.compile(r"[\r\n]|\Z")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# after these words a '<' can only open an IRI (or '<<'), never compare
_NOT_OPERANDS = {"SELECT", "WHERE", "FROM", "NAMED", "GRAPH", "SERVICE", "SILENT", "PREFIX", "BASE", "CONSTRUCT",
                 "DESCRIBE", "ASK", "A", "OPTIONAL", "MINUS", "UNION", "FILTER", "BIND", "AS", "VALUES", "BY",
                 "DISTINCT", "REDUCED", "IN", "NOT", "EXISTS", "ORDER", "GROUP", "HAVING", "LIMIT", "OFFSET"}


# Oxigraph's parser and evaluator recurse: about 1,500 nested groups overflow a worker's stack
MAX_NESTING = 256


class UncheckableQuery(Exception):
    """A query whose readings are too many to check for SERVICE in reasonable time."""


@dataclass(frozen=True)
class Service:
    """One SERVICE clause: its target as written (an IRI, a prefixed name or a variable), the IRI
    it names (None for a variable or when it cannot be told for sure) and where it stands."""

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
    too_deep: tuple[int, int] | None = None   # where groups, brackets or parentheses nest past MAX_NESTING

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


def inspect_query(text: str, prefixes: dict[str, str] | None = None, base: str | None = None) -> QueryShape:
    """The query's form and every SERVICE clause that any reading of it may hold.

    `prefixes` and `base` are those the query is evaluated with (declared for it by the server).
    Raises UncheckableQuery when the query has too many readings to check.
    """
    form, form_at = None, 0
    brackets: list[tuple[int, str]] = []
    for start, end in _code_words(text, fork=False, brackets=brackets):   # one reading, in order
        if form is None and text[end:end + 1] != ":" and text[start:end].upper() in READ_FORMS + UPDATE_FORMS:
            form, form_at = text[start:end].upper(), start
    too_deep, depth = None, 0
    for at, c in brackets:
        depth += 1 if c in "{([" else -1
        if depth > MAX_NESTING:
            too_deep = position(text, at)
            break
    services = []
    if _SERVICE.search(text):                  # (no clause can be spelt without the word)
        words = sorted(set(_code_words(text, fork=True)))
        declared, bases = _prologue(text, words, prefixes or {}, base)
        for start, end in words:
            for m in _SERVICE.finditer(text, start, end):
                for target in _targets(text, m.end()):
                    if target[0] == "pname" and target[1] not in declared:
                        continue                # an undeclared prefix: no reading takes it as a target
                    services.append(Service(target[2], _named(target, declared, bases),
                                            *position(text, m.start())))
    line, column = position(text, form_at)
    return QueryShape(form, tuple(services), line, column, too_deep)


_SERVICE = re.compile("service", re.I)
_PREFIX_WORD = re.compile("prefix", re.I)
_BASE_WORD = re.compile("base", re.I)


def _code_words(text: str, fork: bool, brackets: list | None = None) -> Iterator[tuple[int, int]]:
    """The runs of name characters (keywords, numbers, a prefixed name's prefix) that stand in
    the query's code in some reading of it: not in a string, an IRI, a comment, a variable's
    name or the local part of a prefixed name.

    The grammar is read as Oxigraph's parser reads it, and where that depends on more than the
    characters (a '<' after an operand opens an IRI in a triple but compares in a FILTER), both
    readings are followed (`fork`); without it, the IRI is taken (the query's likely reading).
    The states are (offset, whether an operand ends there), each visited once; without `fork`
    there is one path, and the words (and `brackets`, offset and character) come in order.
    """
    n = len(text)
    closers = [m.start() for m in re.finditer(">", text)]
    budget = 64 * n + 1_000_000
    strings: dict[int, int] = {}
    seen: set[tuple[int, bool]] = set()
    todo = [(0, False)]
    while todo:
        state = todo.pop()
        if state in seen:
            continue
        seen.add(state)
        at = _SPACE.match(text, state[0]).end()
        if at >= n:
            continue
        c = text[at]
        if c in "'\"":
            if at not in strings:               # the long form first, as the PEG tries it
                long, short = _STRINGS[c == '"'], _STRINGS[2 + (c == '"')]
                m = None
                if text.startswith(c * 3, at):
                    m = long.match(text, at)
                    budget -= (m.end() if m else n) - at
                m = m or short.match(text, at)
                strings[at] = m.end() if m else 0
                budget -= (m.end() if m else _LINE_END.search(text, at).start()) - at
            todo.append((strings[at], True) if strings[at] else (at + 1, False))
        elif c == "<":
            i = bisect.bisect_right(closers, at)
            close = closers[i] if i < len(closers) else -1
            if close >= 0:
                todo.append((close + 1, True))
            if close < 0 or (fork and (state[1] or text.startswith("<", at + 1))):
                todo.append((at + 1, False))
        elif c in "?$":
            m = _VARNAME.match(text, at + 1)
            todo.append((m.end(), True) if m else (at + 1, False))
        elif text.startswith("_:", at) and _BNODE.match(text, at):
            todo.append((_BNODE.match(text, at).end(), True))
        elif c == ":" or _WORD.match(text, at):
            word = _WORD.match(text, at)
            end = word.end() if word else at
            if word:
                yield at, end
            if text.startswith(":", end):
                local = _LOCAL_HEAD.match(text, end + 1)
                todo.append((local.end() if local else end + 1, True))
            else:
                todo.append((end, text[at:end].upper() not in _NOT_OPERANDS))
        else:
            if brackets is not None and c in "{}()[]":
                brackets.append((at, c))
            todo.append((at + 1, c in ")]"))
        budget -= 1
        if budget < 0:
            raise UncheckableQuery("the query has too many readings to check it for SERVICE clauses")


def _iri_at(text: str, at: int) -> str | None:
    """The IRIREF opening at `at` (Oxigraph: anything up to the first '>'), its escapes read."""
    if not text.startswith("<", at) or (close := text.find(">", at + 1)) < 0:
        return None
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text[at + 1:close])


def _targets(text: str, at: int) -> list[tuple[str, str, str]]:
    """What may follow SERVICE at `at` as its endpoint, with and without a SILENT: (kind, key, as written)."""
    at = _SPACE.match(text, at).end()
    found = [_target(text, at)]
    if text[at:at + 6].upper() == "SILENT":
        found.append(_target(text, _SPACE.match(text, at + 6).end()))
    return [t for t in found if t]


def _target(text: str, at: int) -> tuple[str, str, str] | None:
    iri = _iri_at(text, at)
    if iri is not None:
        return "iri", iri, text[at:text.find(">", at) + 1]
    if text[at:at + 1] in ("?", "$") and (var := _VARNAME.match(text, at + 1)):
        return "var", var.group(), text[at:var.end()]
    ns = _PREFIX.match(text, at)
    if ns and not ns.group().endswith(".:"):
        local = _LOCAL_HEAD.match(text, ns.end())
        end = (_LOCAL_DOTS.match(text, local.end()) or local).end() if local else ns.end()
        return "pname", ns.group()[:-1], text[at:end]
    return None


def _prologue(text: str, words: list[tuple[int, int]], prefixes: dict[str, str],
              base: str | None) -> tuple[dict[str, set[str]], set[str]]:
    """Every prefix and base any reading may declare (a prefix may be declared twice)."""
    bases = {base} if base else set()
    declared_at: list[tuple[str, str]] = []
    for start, end in words:
        for m in _BASE_WORD.finditer(text, start, end):
            iri = _iri_at(text, _SPACE.match(text, m.end()).end())
            if iri is not None:
                bases.add(iri)
        for m in _PREFIX_WORD.finditer(text, start, end):
            at = _SPACE.match(text, m.end()).end()
            ns = _PREFIX.match(text, at)
            iri = _iri_at(text, _SPACE.match(text, ns.end()).end()) if ns else None
            if iri is not None:
                declared_at.append((ns.group()[:-1], iri))
    declared: dict[str, set[str]] = {k: {v} for k, v in prefixes.items()}
    for name, iri in declared_at:
        declared.setdefault(name, set()).update(_resolutions(iri, bases))
    return declared, bases


def _resolutions(iri: str, bases: set[str]) -> set[str]:
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
        return {iri}
    return {urljoin(b, iri) for b in bases}


def _named(target: tuple[str, str, str], declared: dict[str, set[str]], bases: set[str]) -> str | None:
    """The one IRI a SERVICE target names in every reading, or None."""
    kind, key, written = target
    if kind == "iri":
        names = _resolutions(key, bases)
    elif kind == "pname":
        local = written[len(key) + 1:].replace("\\", "")
        names = {ns + local for ns in declared.get(key, ())}
    else:
        names = set()
    return next(iter(names)) if len(names) == 1 else None


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
