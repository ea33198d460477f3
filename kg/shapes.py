"""Stage 6a, shapes: the built graph validated against ontology/shapes.ttl with pySHACL.

pySHACL runs on an rdflib graph made from the union of all graphs (on a pyoxigraph store it
gives false ``sh:in`` violations and is slow). Each result becomes one readable line: the focus
node's label, the path, the message.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDFS, SH

from kg.errors import RuleError
from kg.triples import compact

SHAPES = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"


@dataclass(frozen=True)
class Finding:
    severity: str          # Violation, Warning, Info
    focus: str             # IRI
    label: str | None
    path: str | None
    message: str
    shape: str | None

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
    triples: int = 0

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "Violation"]

    def summary(self) -> dict:
        return {"conforms": not self.violations, "violations": len(self.violations), "warnings": len(self.warnings),
                "seconds": round(self.seconds, 3), "triples": self.triples,
                "findings": [f.as_dict() for f in self.findings[:200]]}


def _short(node) -> str:
    return compact(str(node)) or f"<{node}>"


def validate(triples: list[ox.Triple], shapes: Path = SHAPES) -> ShapesReport:
    """Validate the union of all graphs; findings sorted, so the report is the same on every run."""
    from pyshacl import validate as shacl

    start = time.perf_counter()
    data = rdflib.Graph()
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    if not shapes.is_file():
        raise RuleError(f"{shapes}: no such shapes file")
    try:
        shapes_graph = rdflib.Graph().parse(shapes, format="turtle")
    except Exception as exc:  # noqa: BLE001 - any parser error is a broken shapes file
        raise RuleError(f"{shapes}: not valid Turtle: {exc}") from None
    checks = _take_sparql_constraints(shapes_graph)
    conforms, results, _ = shacl(data, shacl_graph=shapes_graph, inference="none", advanced=True,
                                 allow_warnings=True, inplace=True)
    findings = _run_sparql_constraints(checks, triples, data)
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        message = results.value(result, SH.resultMessage)
        source = results.value(result, SH.sourceShape)
        label = data.value(focus, RDFS.label)
        findings.append(Finding(str(severity).rsplit("#", 1)[-1], str(focus), str(label) if label else None,
                                _short(path) if isinstance(path, rdflib.URIRef) else None,
                                str(message) if message else "does not conform",
                                _short(source) if isinstance(source, rdflib.URIRef) else None))
    findings.sort(key=lambda f: (f.severity != "Violation", f.focus, f.path or "", f.message))
    return ShapesReport(not any(f.severity == "Violation" for f in findings), findings,
                        time.perf_counter() - start, len(data))


@dataclass(frozen=True)
class _SparqlCheck:
    shape: str
    target: str
    severity: str
    message: str
    query: str


def _take_sparql_constraints(shapes: rdflib.Graph) -> list[_SparqlCheck]:
    """SHACL-SPARQL constraints of class-targeted shapes, taken out of the shapes graph: Oxigraph
    evaluates them over the whole graph in one query (pySHACL runs one rdflib query per focus node,
    which took half the validation time at a thousand reports)."""
    checks = []
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        target = shapes.value(shape, SH.targetClass)
        select = shapes.value(constraint, SH.select)
        if target is None or select is None:
            continue
        declared = []
        for prefixes in shapes.objects(constraint, SH.prefixes):
            for decl in shapes.objects(prefixes, SH.declare):
                declared.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
        body = str(select).replace("$this", "?this")
        query = "\n".join(declared) + f"\nSELECT * WHERE {{ ?this a <{target}> . {{ {body} }} }}"
        severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message) or "does not conform"
        checks.append(_SparqlCheck(_short(shape) if isinstance(shape, rdflib.URIRef) else str(shape), str(target),
                                   str(severity).rsplit("#", 1)[-1], str(message), query))
        shapes.remove((shape, SH.sparql, constraint))
    return checks


def _run_sparql_constraints(checks: list[_SparqlCheck], triples: list[ox.Triple], data: rdflib.Graph) -> list[Finding]:
    if not checks:
        return []
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    found = []
    for check in checks:
        results = store.query(check.query)
        names = [v.value for v in results.variables]
        for row in results:
            focus = row["this"]
            values = {n: row[n] for n in names}
            message = re.sub(r"\{[?$](\w+)\}", lambda m: _plain(values.get(m.group(1))), check.message)
            label = data.value(rdflib.URIRef(focus.value), RDFS.label) if isinstance(focus, ox.NamedNode) else None
            found.append(Finding(check.severity, focus.value, str(label) if label else None, None, message,
                                 check.shape))
    return found


def _plain(term) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)
