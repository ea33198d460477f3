"""Stage 6a, shapes: the built graph validated against ontology/shapes.ttl, inside Oxigraph.

Each shape is compiled to SPARQL once and evaluated by Oxigraph over the union of all graphs of
the built store: one query per property shape for the constraints on each value (datatype,
class, node kind, sh:in, pattern, length, range, sh:or / sh:and / sh:not of those), one per
property shape for sh:minCount / sh:maxCount, and one per SHACL-SPARQL constraint. The focus
nodes and the values of a path are each a sub-SELECT, so Oxigraph hash-joins them (see `_focus`).
The cost is linear in the graph and needs no second copy of it (pySHACL, which `kg build` used
before, held the graph again as rdflib objects and grew twenty-fold for ten times the reports).

The compiler covers the SHACL Core components listed in ``COMPONENTS`` and SHACL-SPARQL
constraints of targeted shapes; a shape using anything else is refused with the shape's name, so
a check is never silently dropped. The test suite runs pySHACL on the same graphs and shapes and
requires the same findings. Each finding is one readable line: the focus node's label, the path,
the message.
"""
from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD

from kg.errors import RuleError
from kg.store import dataset
from kg.triples import compact

SHAPES = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"

# Constraint components compiled to SPARQL, and the parameters that only qualify others.
VALUE_COMPONENTS = {SH.datatype: "Datatype", SH["class"]: "Class", SH.nodeKind: "NodeKind", SH["in"]: "In",
                    SH.pattern: "Pattern", SH.minLength: "MinLength", SH.maxLength: "MaxLength",
                    SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive",
                    SH.minExclusive: "MinExclusive", SH.maxExclusive: "MaxExclusive",
                    SH["or"]: "Or", SH["and"]: "And", SH["not"]: "Not"}
COUNT_COMPONENTS = {SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.qualifiedValueShape: "QualifiedValueShape",
                    SH.qualifiedMinCount: "QualifiedMinCount", SH.qualifiedMaxCount: "QualifiedMaxCount"}
COMPONENTS = {**VALUE_COMPONENTS, SH.minCount: "MinCount", SH.maxCount: "MaxCount",
              SH.qualifiedValueShape: "QualifiedValueShape", SH.sparql: "SPARQL"}
# SHACL 1.0, section 5.3.1: what a SPARQL-based constraint must not contain, so that the focus
# node can be pre-bound.
_FORBIDDEN_IN_SELECT = re.compile(r"\b(MINUS|VALUES|SERVICE)\b|\bAS\s+[?$]this\b", re.I)
# Words about a shape that are not constraints (targets are read separately).
NON_CONSTRAINTS = {RDF.type, SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group,
                   SH.deactivated, SH.flags, SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                   SH.targetObjectsOf, RDFS.label, RDFS.comment, SH.declare, SH.defaultValue,
                   SH.qualifiedValueShapesDisjoint}   # refused below when true
# Datatypes Oxigraph can cast to: a literal of one of them must also be well formed.
CASTABLE = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date, XSD.dateTime, XSD.time,
            XSD.duration, XSD.string}
NODE_KINDS = {SH.IRI: "isIRI(?v)", SH.BlankNode: "isBlank(?v)", SH.Literal: "isLiteral(?v)",
              SH.BlankNodeOrIRI: "!isLiteral(?v)", SH.BlankNodeOrLiteral: "!isIRI(?v)",
              SH.IRIOrLiteral: "!isBlank(?v)"}
COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
# SELECT [DISTINCT] vars WHERE { body } with no solution modifiers: its body can be inlined.
_SIMPLE_SELECT = re.compile(r"\s*SELECT\s+(?P<projection>(?:DISTINCT\s+)?(?:\?\w+\s*)+)\s*(?:WHERE\s*)?"
                            r"\{(?P<body>.*)\}\s*", re.S | re.I)


@dataclass(frozen=True)
class Finding:
    severity: str          # Violation, Warning, Info
    focus: str             # IRI
    label: str | None
    path: str | None
    message: str
    shape: str | None
    component: str | None = None   # the SHACL constraint component, e.g. sh:MinCountConstraintComponent

    def __str__(self) -> str:
        who = f"{self.label} <{self.focus}>" if self.label else f"<{self.focus}>"
        return f"{self.severity.lower()}: {who}" + (f" {self.path}" if self.path else "") + f": {self.message}"

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class ShapesReport:
    conforms: bool = True
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    quads: int = 0              # the quads validated (their union is the data graph)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "Violation"]

    def summary(self) -> dict:
        return {"conforms": not self.violations, "violations": len(self.violations), "warnings": len(self.warnings),
                "seconds": round(self.seconds, 3), "quads": self.quads,
                "findings": [f.as_dict() for f in self.findings[:200]]}


@dataclass(frozen=True)
class Check:
    """One compiled query. Each row is a finding: ?this (the focus), and per kind:
    values: ?v and one boolean ?f<i> per value constraint (true where the value fails it);
    counts: ?n, the number of values; sparql: the constraint's own variables."""
    kind: str                                  # values, counts, sparql
    shape: str                                 # the shape's name for the report
    path: str | None                           # prefixed path for the report
    severity: str
    message: str | None                        # the shape's sh:message, if any
    query: str
    constraints: tuple[tuple[str, str], ...] = ()   # values: (component, default message); counts: (min, max)


def _short(node) -> str:
    if str(node).startswith(str(SH)):
        return "sh:" + str(node)[len(str(SH)):]
    return compact(str(node)) or f"<{node}>"


def _term(node: rdflib.term.Node) -> str:
    """An rdflib term as SPARQL syntax."""
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if isinstance(node, rdflib.Literal):
        text = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if node.language:
            return f'"{text}"@{node.language}'
        return f'"{text}"^^<{node.datatype or XSD.string}>'
    raise RuleError(f"a blank node cannot be a constraint value here: {node}")


class _Compiler:
    def __init__(self, shapes: rdflib.Graph, source: Path, subclasses: dict[str, set[str]]) -> None:
        self.g = shapes
        self.source = source
        self.subclasses = subclasses     # class IRI -> its subclasses in the data graph (rdfs:subClassOf+)
        self.instances: dict[str, str] = {}   # class IRI -> the variable bound where ?v is an instance of it

    def instance_of(self, var: str, cls) -> str:
        """A pattern matching var to the SHACL instances of cls: typed with it or a subclass of it.
        The class hierarchy is read from the data first, so no query walks rdfs:subClassOf*."""
        classes = sorted({str(cls)} | self.subclasses.get(str(cls), set()))
        if len(classes) == 1:
            return f"{var} a <{classes[0]}> ."
        return f"VALUES ?class_{var[1:]} {{ {' '.join(f'<{c}>' for c in classes)} }} {var} a ?class_{var[1:]} ."

    def name(self, shape) -> str:
        return _short(shape) if isinstance(shape, rdflib.URIRef) else "a blank-node shape"

    def refuse(self, shape, what: str) -> RuleError:
        return RuleError(f"{self.source.name}: shape {self.name(shape)}: {what}; the validator compiles SHACL Core "
                         f"({', '.join(sorted('sh:' + str(c).rsplit('#', 1)[1] for c in COMPONENTS))}) and "
                         "SHACL-SPARQL constraints of targeted shapes")

    def list_items(self, node) -> list:
        return list(rdflib.collection.Collection(self.g, node))

    def check_words(self, shape, allowed: set) -> None:
        for p in set(self.g.predicates(shape)):
            if p not in allowed and p not in NON_CONSTRAINTS and str(p).startswith(str(SH)):
                raise self.refuse(shape, f"{_short(p)} is not supported")

    def value_constraints(self, shape) -> tuple[list[tuple[str, str, str]], str]:
        """The value constraints of a shape (see value_expression) and the patterns their sh:class
        constraints need. Each class's instances are a sub-SELECT joined to ?v as an OPTIONAL, and a
        class constraint is BOUND of its variable: Oxigraph hash-joins the instances, where
        EXISTS { ?v a C } would look each value up in the store."""
        self.instances = {}
        exprs = self.value_expression(shape)
        joins = " ".join(f"OPTIONAL {{ SELECT DISTINCT ?v (true AS {var}) WHERE {{ {self.instance_of('?v', cls)} }} }}"
                         for cls, var in self.instances.items())
        return exprs, joins

    def value_expression(self, shape) -> list[tuple[str, str, str]]:
        """(component, SPARQL expression true where ?v conforms, default message) for each value
        constraint of a shape."""
        out = []
        for p, comp in VALUE_COMPONENTS.items():
            for value in sorted(self.g.objects(shape, p), key=str):
                out.append((comp, self.one(shape, p, value), self.default_message(shape, p, value)))
        return out

    def one(self, shape, p, value) -> str:
        if p == SH.datatype:
            expr = f"(isLiteral(?v) && datatype(?v) = <{value}>"
            if value in CASTABLE:
                expr += f" && COALESCE(<{value}>(STR(?v)) = <{value}>(STR(?v)), false)"
            return expr + ")"
        if p == SH["class"]:
            return f"BOUND({self.instances.setdefault(str(value), f'?is_class_{len(self.instances)}')})"
        if p == SH.nodeKind:
            if value not in NODE_KINDS:
                raise self.refuse(shape, f"sh:nodeKind {value} is not a node kind")
            return NODE_KINDS[value]
        if p == SH["in"]:
            items = self.list_items(value)
            return "(" + (" || ".join(f"sameTerm(?v, {_term(i)})" for i in items) or "false") + ")"
        if p == SH.pattern:
            flags = self.g.value(shape, SH.flags)
            return f"(!isBlank(?v) && REGEX(STR(?v), {_term(rdflib.Literal(str(value)))}" + \
                (f", {_term(rdflib.Literal(str(flags)))}" if flags else "") + "))"
        if p in (SH.minLength, SH.maxLength):
            op = ">=" if p == SH.minLength else "<="
            return f"(!isBlank(?v) && STRLEN(STR(?v)) {op} {int(value)})"
        if p in COMPARISONS:
            return f"COALESCE(?v {COMPARISONS[p]} {_term(value)}, false)"
        members = self.list_items(value) if p != SH["not"] else [value]
        parts = []
        for member in members:
            if self.g.value(member, SH.path) is not None:
                raise self.refuse(shape, f"{_short(p)} over property shapes is not supported")
            self.check_words(member, set(VALUE_COMPONENTS))
            exprs = [e for _, e, _ in self.value_expression(member)]
            parts.append("(" + (" && ".join(exprs) or "true") + ")")
        if p == SH["not"]:
            return f"!{parts[0]}"
        return "(" + (" || " if p == SH["or"] else " && ").join(parts or ["true" if p == SH["and"] else "false"]) + ")"

    def default_message(self, shape, p, value) -> str:
        if p == SH.datatype:
            return f"value {{v}} is not a well-formed {_short(value)}"
        if p == SH["class"]:
            return f"value {{v}} is not a {_short(value)}"
        if p == SH.nodeKind:
            return f"value {{v}} is not of node kind {_short(value)}"
        if p == SH["in"]:
            return "value {v} is not one of " + ", ".join(_plain_rdflib(i) for i in self.list_items(value))
        if p == SH.pattern:
            return f"value {{v}} does not match /{value}/"
        if p in (SH["or"], SH["and"], SH["not"]):
            return f"value {{v}} does not conform to the shapes of {_short(p)}"
        return f"value {{v}} fails {_short(p)} {value}"

    def targets(self, shape) -> str | None:
        """A SPARQL pattern binding ?this to each focus node of the shape, or None. A focus node
        may come more than once (typed with a class and its subclass); findings are a set and
        counts are of distinct values, so that changes nothing."""
        parts = [f"{{ {self.instance_of('?this', c)} }}" for c in sorted(self.g.objects(shape, SH.targetClass), key=str)]
        nodes = sorted(self.g.objects(shape, SH.targetNode), key=str)
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(_term(n) for n in nodes) + " } }")
        parts += [f"{{ ?this <{p}> [] }}" for p in sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str)]
        parts += [f"{{ [] <{p}> ?this }}" for p in sorted(self.g.objects(shape, SH.targetObjectsOf), key=str)]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else "{ " + " UNION ".join(parts) + " }"

    def path(self, shape, prop) -> tuple[str, str]:
        path = self.g.value(prop, SH.path)
        if isinstance(path, rdflib.URIRef):
            return f"<{path}>", _short(path)
        inverse = self.g.value(path, SH.inversePath) if path is not None else None
        if isinstance(inverse, rdflib.URIRef):
            return f"^<{inverse}>", f"^{_short(inverse)}"
        raise self.refuse(shape, "a property shape needs sh:path, an IRI or [ sh:inversePath IRI ]")

    def compile(self) -> list[Check]:
        checks: list[Check] = []
        shapes = {s for t in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                  for s in self.g.subjects(t, None)}
        for shape in sorted(shapes, key=str):
            if self.g.value(shape, SH.deactivated) == rdflib.Literal(True):
                continue
            self.check_words(shape, set(VALUE_COMPONENTS) | {SH.sparql})
            targets = self.targets(shape)
            name = self.name(shape)
            # constraints on the focus node itself: ?v is ?this
            exprs, joins = self.value_constraints(shape)
            if exprs:
                checks.append(self.values_check(shape, name, None, None, targets, exprs, joins, focus_is_value=True))
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                if self.g.value(prop, SH.deactivated) == rdflib.Literal(True):
                    continue
                self.check_words(prop, set(VALUE_COMPONENTS) | set(COUNT_COMPONENTS))
                sparql_path, label = self.path(shape, prop)
                prop_name = self.name(prop) if isinstance(prop, rdflib.URIRef) else name
                exprs, joins = self.value_constraints(prop)
                if exprs:
                    checks.append(self.values_check(prop, prop_name, sparql_path, label, targets, exprs, joins))
                low, high = self.g.value(prop, SH.minCount), self.g.value(prop, SH.maxCount)
                if low is not None or high is not None:
                    checks.append(self.counts_check(prop, prop_name, sparql_path, label, targets, low, high))
                qualified = self.g.value(prop, SH.qualifiedValueShape)
                if qualified is not None:
                    if self.g.value(prop, SH.qualifiedValueShapesDisjoint) == rdflib.Literal(True):
                        raise self.refuse(prop, "sh:qualifiedValueShapesDisjoint is not supported")
                    if self.g.value(qualified, SH.path) is not None:
                        raise self.refuse(prop, "a sh:qualifiedValueShape that is a property shape is not supported")
                    self.check_words(qualified, set(VALUE_COMPONENTS))
                    exprs, joins = self.value_constraints(qualified)
                    condition = " && ".join(f"COALESCE({e}, false)" for _, e, _ in exprs) or "true"
                    checks.append(self.counts_check(prop, prop_name, sparql_path, label, targets,
                                                    self.g.value(prop, SH.qualifiedMinCount),
                                                    self.g.value(prop, SH.qualifiedMaxCount), condition, joins))
            for constraint in sorted(self.g.objects(shape, SH.sparql), key=str):
                checks.append(self.sparql_check(shape, name, constraint, targets))
        return checks

    def counts_check(self, prop, name, sparql_path, label, targets, low, high, condition: str | None = None,
                     joins: str = "") -> Check:
        """Focus nodes with fewer than `low` or more than `high` distinct values (those meeting
        `condition`, for a qualified value shape, with the `joins` its class constraints need)."""
        if low is None and high is None:
            raise self.refuse(prop, "a sh:qualifiedValueShape needs sh:qualifiedMinCount or sh:qualifiedMaxCount")
        having = " || ".join(([f"?n < {int(low)}"] if low is not None else [])
                             + ([f"?n > {int(high)}"] if high is not None else []))
        values = f"?this {sparql_path} ?v . {joins}" + (f" FILTER({condition})" if condition else "")
        query = (f"SELECT ?this ?n WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ "
                 f"{_focus(targets)} OPTIONAL {{ SELECT ?this ?v WHERE {{ {values} }} }} }} GROUP BY ?this }} "
                 f"FILTER({having}) }}")
        return Check("counts", name, label, self.severity(prop), self.message(prop), query,
                     ((str(low) if low is not None else ""), (str(high) if high is not None else ""),
                      "Qualified" if condition else ""))

    def values_check(self, shape, name, sparql_path, label, targets, exprs, joins: str,
                     focus_is_value=False) -> Check:
        flags = " ".join(f"(!COALESCE({e}, false) AS ?f{i})" for i, (_, e, _) in enumerate(exprs))
        values = "BIND(?this AS ?v)" if focus_is_value else f"{{ SELECT ?this ?v WHERE {{ ?this {sparql_path} ?v }} }}"
        query = (f"SELECT ?this ?v {flags} WHERE {{ {_focus(targets)} {values} {joins} "
                 f"FILTER({' || '.join(f'!COALESCE({e}, false)' for _, e, _ in exprs)}) }}")
        return Check("values", name, label, self.severity(shape), self.message(shape), query,
                     tuple((comp, msg) for comp, _, msg in exprs))

    def sparql_check(self, shape, name, constraint, targets) -> Check:
        select = self.g.value(constraint, SH.select)
        if select is None:
            raise self.refuse(shape, "a sh:sparql constraint needs sh:select")
        declared = []
        for prefixes in self.g.objects(constraint, SH.prefixes):
            for decl in self.g.objects(prefixes, SH.declare):
                declared.append(f"PREFIX {self.g.value(decl, SH.prefix)}: <{self.g.value(decl, SH.namespace)}>")
        forbidden = _FORBIDDEN_IN_SELECT.search(str(select))
        if forbidden:
            raise self.refuse(shape, f"its sh:select uses {forbidden.group(0).strip()}, which SHACL does not allow in a "
                                     "SPARQL-based constraint (the focus node could not be pre-bound)")
        text = re.sub(r"\$this\b", "?this", str(select))
        inline = _SIMPLE_SELECT.fullmatch(text)
        if not inline or "?this" not in inline.group("projection").split():
            raise self.refuse(shape, "its sh:select must have the form SELECT $this ?var ... WHERE { ... } "
                                     "with no solution modifiers")
        # The focus nodes are bound by the target pattern before the body runs, as SHACL pre-binds
        # $this. (As a sub-SELECT joined afterwards, $this would be unbound inside the body's
        # FILTER NOT EXISTS, and the constraint would silently find nothing.)
        query = "\n".join(declared) + f"\nSELECT {inline.group('projection')} WHERE {{ {targets} {inline.group('body')} }}"
        severity = self.g.value(constraint, SH.severity) or self.g.value(shape, SH.severity) or SH.Violation
        message = self.g.value(constraint, SH.message) or self.g.value(shape, SH.message)
        return Check("sparql", name, None, str(severity).rsplit("#", 1)[-1], str(message) if message else None, query)

    def severity(self, shape) -> str:
        return str(self.g.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]

    def message(self, shape) -> str | None:
        message = self.g.value(shape, SH.message)
        return str(message) if message is not None else None


def _focus(targets: str) -> str:
    """The focus nodes as a sub-SELECT. A check joins it with the values, also a sub-SELECT, and
    Oxigraph joins the two by hashing. Written as one group, the same join looks up each focus
    node's values one at a time, and each lookup opens an iterator on the on-disk store: on the
    10k-report graph the checks took 43 s that way and take 16.5 s this way."""
    return f"{{ SELECT ?this WHERE {{ {targets} }} }}"


def compile_shapes(shapes: Path = SHAPES, subclasses: dict[str, set[str]] | None = None) -> list[Check]:
    """The shapes file as SPARQL checks; a broken or unsupported shapes file is a RuleError."""
    if not shapes.is_file():
        raise RuleError(f"{shapes}: no such shapes file")
    try:
        graph = rdflib.Graph().parse(shapes, format="turtle")
    except Exception as exc:  # noqa: BLE001 - any parser error is a broken shapes file
        raise RuleError(f"{shapes}: not valid Turtle: {exc}") from None
    return _Compiler(graph, shapes, subclasses or {}).compile()


def class_hierarchy(store: ox.Store) -> dict[str, set[str]]:
    """Each class of the data graph and its subclasses (rdfs:subClassOf+)."""
    subclasses: dict[str, set[str]] = {}
    query = f"SELECT DISTINCT ?sub ?super WHERE {{ ?sub <{RDFS.subClassOf}>+ ?super }}"
    for row in store.query(query, **dataset(store)):
        subclasses.setdefault(row["super"].value, set()).add(row["sub"].value)
    return subclasses


def validate(data: ox.Store | Iterable[ox.Triple], shapes: Path = SHAPES, jobs: int = 1) -> ShapesReport:
    """Validate the merge of all graphs of a store (its default graph, see kg.store.dataset) or a
    list of triples; findings sorted, so
    the report is the same on every run. The checks run in `jobs` threads: Oxigraph evaluates a
    query without holding Python's interpreter lock."""
    start = time.perf_counter()
    if not isinstance(data, ox.Store):
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in data)
        data = store
    checks = compile_shapes(shapes, class_hierarchy(data))
    store = data
    seen_as = dataset(store)           # the merge in the default graph, once per triple

    def run(check: Check) -> list[Finding]:
        try:
            return list(_findings(check, store.query(check.query, **seen_as)))
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            raise RuleError(f"{shapes.name}: shape {check.shape}: its SPARQL does not run: {exc}") from None

    with ThreadPoolExecutor(max(1, jobs)) as pool:
        findings = [f for found in pool.map(run, checks) for f in found]
    labels = {}
    label = ox.NamedNode(str(RDFS.label))
    for focus in sorted({f.focus for f in findings}):
        found = sorted(q.object.value for q in data.quads_for_pattern(ox.NamedNode(focus), label, None))
        labels[focus] = found[0] if found else None
    findings = sorted({Finding(f.severity, f.focus, labels.get(f.focus), f.path, f.message, f.shape, f.component)
                       for f in findings},
                      key=lambda f: (f.severity != "Violation", f.focus, f.path or "", f.message, f.component or ""))
    return ShapesReport(not any(f.severity == "Violation" for f in findings), findings,
                        time.perf_counter() - start, len(data))


def _findings(check: Check, results: ox.QuerySolutions) -> Iterable[Finding]:
    names = [v.value for v in results.variables]
    for row in results:
        focus = row["this"]
        if not isinstance(focus, ox.NamedNode):
            focus_id = str(focus)
        else:
            focus_id = focus.value
        if check.kind == "counts":
            n = int(row["n"].value)
            low, high, qualified = check.constraints
            too_few = bool(low) and n < int(low)
            component = f"sh:{qualified}{'Min' if too_few else 'Max'}CountConstraintComponent"
            which = "conforming value(s)" if qualified else "value(s)"
            default = f"{n} {which}; at least {low} expected" if too_few else f"{n} {which}; at most {high} expected"
            yield Finding(check.severity, focus_id, None, check.path, check.message or default, check.shape, component)
        elif check.kind == "values":
            value = _plain(row["v"])
            for i, (component, default) in enumerate(check.constraints):
                if row[f"f{i}"] is not None and row[f"f{i}"].value == "true":
                    yield Finding(check.severity, focus_id, None, check.path,
                                  check.message or default.replace("{v}", value), check.shape,
                                  f"sh:{component}ConstraintComponent")
        else:
            values = {n: row[n] for n in names}
            message = re.sub(r"\{[?$](\w+)\}", lambda m: _plain(values.get(m.group(1))),
                             check.message or "does not conform to " + check.shape)
            yield Finding(check.severity, focus_id, None, None, message, check.shape, "sh:SPARQLConstraintComponent")


def _plain(term) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _plain_rdflib(node) -> str:
    return _short(node) if isinstance(node, rdflib.URIRef) else str(node)
