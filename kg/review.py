"""Reviewing a build: where each fact of a resource comes from (``kg explain``), what one rule
produced (``kg explain --rule``), and what changed between two builds (``kg diff``)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, StoreError
from kg.store import all_quads, dataset, open_store, report_quads
from kg.triples import BKG, DEFAULT_BASE, PREFIXES, compact

EVIDENCE_LINKS = ("evidence", "dateEvidence", "locationEvidence")
_LABEL = PREFIXES["rdfs"] + "label"


def build_base(path: Path) -> str | None:
    """The base IRI a build folder was made with (from its report.json)."""
    for candidate in (path / "report.json", path.parent / "report.json"):
        if candidate.is_file():
            try:
                return json.loads(candidate.read_text(encoding="utf-8")).get("base")
            except (OSError, ValueError):
                return None
    return None


def short(term, base: str = DEFAULT_BASE) -> str:
    """A term as a reader wants it: prefixed names, ``id:`` for resources, literals as in Turtle."""
    if isinstance(term, ox.NamedNode):
        return compact(term.value, base) or str(term)
    if isinstance(term, ox.Literal) and term.datatype.value.startswith(PREFIXES["xsd"]):
        local = term.datatype.value[len(PREFIXES["xsd"]):]
        return json.dumps(term.value, ensure_ascii=False) + ("" if local in ("string", "langString") else f"^^xsd:{local}")
    return str(term)


@dataclass(frozen=True)
class Source:
    """One piece of evidence: the quote, where it is, and the rule that read it."""

    quote: str
    file: str
    line: int
    rule: str
    rule_file: str
    supports: str | None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Fact:
    predicate: str
    value: str
    graphs: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"predicate": self.predicate, "value": self.value, "graphs": self.graphs,
                "sources": [s.as_dict() for s in self.sources]}


def _resolve(iri: str, base: str) -> ox.NamedNode:
    if iri.startswith("<") and iri.endswith(">"):
        iri = iri[1:-1]
    if iri.startswith("id:"):
        iri = base + iri[3:]
    elif not iri.startswith(("http://", "https://", "urn:")):
        iri = base + iri.lstrip("/")
    return ox.NamedNode(iri)


def _rows(store: ox.Store, query: str) -> list[dict]:
    results = store.query(query, **dataset(store))
    names = [v.value for v in results.variables]
    return [{n: s[n] for n in names} for s in results]


def _sources(store: ox.Store, where: str) -> list[tuple[ox.NamedNode, Source]]:
    """Evidence matched by a SPARQL pattern binding ?e (and ?x, the resource it supports)."""
    rows = _rows(store, f"""
        PREFIX bkg: <{BKG}> PREFIX prov: <{PREFIXES['prov']}> PREFIX rdfs: <{PREFIXES['rdfs']}>
        SELECT DISTINCT ?x ?e ?quote ?file ?line ?rule ?ruleFile ?supports WHERE {{
          {where}
          ?e bkg:quote ?quote ; bkg:line ?line ; bkg:source/bkg:sourceFile ?file ;
             prov:wasGeneratedBy ?r . ?r rdfs:label ?rule .
          OPTIONAL {{ ?r bkg:ruleFile ?ruleFile }}
          OPTIONAL {{ ?e bkg:supports ?supports }}
        }} ORDER BY ?file ?line ?rule""")
    return [(r["x"], Source(r["quote"].value, r["file"].value, int(r["line"].value), r["rule"].value,
                            r["ruleFile"].value if r["ruleFile"] else "", r["supports"].value if r["supports"] else None))
            for r in rows]


def explain(store: ox.Store, iri: str, base: str = DEFAULT_BASE) -> tuple[ox.NamedNode, str | None, list[Fact]]:
    """Every fact of a resource with the report graphs that state it and the evidence behind it."""
    node = _resolve(iri, base)
    facts: dict[tuple[str, str], Fact] = {}
    for q in report_quads(store.quads_for_pattern(node, None, None, None)):
        if q.predicate.value in (BKG + link for link in EVIDENCE_LINKS):
            continue
        fact = facts.setdefault((str(q.predicate), str(q.object)), Fact(short(q.predicate, base), short(q.object, base)))
        graph = short(q.graph_name, base)
        if graph not in fact.graphs:
            fact.graphs.append(graph)
    if not facts:
        raise InputError(f"the graph says nothing about <{node.value}>")
    label = next((f.value.strip('"') for (p, _), f in facts.items() if p == f"<{_LABEL}>"), None)
    links = "|".join(f"bkg:{link}" for link in EVIDENCE_LINKS)
    sources = [s for _, s in _sources(store, f"BIND(<{node.value}> AS ?x) ?x {links} ?e .")]
    main = [s for s in sources if s.supports in (BKG + "participant", BKG + "assertedBy", BKG + "signed", None)]
    for (p, _), fact in facts.items():
        prop = p[1:-1]
        wanted = BKG + "date" if prop == BKG + "dateResolution" else prop
        own = [s for s in sources if s.supports == wanted]
        fact.sources = own or (main if prop.startswith(BKG) or prop in (_LABEL, PREFIXES["rdf"] + "type") else [])
    return node, label, sorted(facts.values(), key=lambda f: (f.predicate, f.value))


def explain_rule(store: ox.Store, rule_id: str, base: str = DEFAULT_BASE) -> tuple[str, list[tuple[str, str, Source]]]:
    """What one rule produced: each resource it gave evidence for, with the quote."""
    rule = ox.NamedNode(base + "rule/" + rule_id)
    described = _rows(store, f"SELECT ?c WHERE {{ <{rule.value}> <{PREFIXES['rdfs']}comment> ?c }}")
    if not described:
        raise InputError(f"no rule {rule_id!r} in this graph (it never fired, or there is no such rule)")
    links = "|".join(f"bkg:{link}" for link in EVIDENCE_LINKS)
    found = _sources(store, f"?x {links} ?e . ?e prov:wasGeneratedBy <{rule.value}> .")
    labels = {}
    out = []
    for x, s in found:
        if x.value not in labels:
            rows = _rows(store, f"SELECT ?l WHERE {{ <{x.value}> <{_LABEL}> ?l }} LIMIT 1")
            labels[x.value] = rows[0]["l"].value if rows else ""
        out.append((short(x, base), labels[x.value], s))
    return described[0]["c"].value, out


# kg diff ---------------------------------------------------------------------------------------------

_FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE,
            ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML}


def load_quads(path: Path) -> list[ox.Quad]:
    """The quads of a dump file (by extension) or of a build folder / store."""
    if path.is_dir():
        return all_quads(open_store(path))
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: not a build folder, store or dump ({', '.join(sorted(_FORMATS))})")
    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    try:
        return list(ox.parse(path=str(path), format=fmt))
    except SyntaxError as exc:
        raise InputError(f"{path}: {exc}") from None


@dataclass
class Change:
    subject: str
    label: str | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"subject": self.subject, "label": self.label, "added": self.added, "removed": self.removed}


def diff(old: list[ox.Quad], new: list[ox.Quad], graphs: bool = False, base: str = DEFAULT_BASE) -> list[Change]:
    """Triples (or, with graphs, quads) added and removed, grouped by subject, in a stable order."""
    def key(q: ox.Quad) -> tuple:
        return (q.subject, q.predicate, q.object, q.graph_name) if graphs else (q.subject, q.predicate, q.object)

    before, after = {key(q) for q in old}, {key(q) for q in new}
    labels = {str(q.subject): q.object.value for q in list(old) + list(new)
              if q.predicate.value == _LABEL and isinstance(q.object, ox.Literal)}
    changes: dict[str, Change] = {}

    def line(t: tuple) -> str:
        text = f"{short(t[1], base)} {short(t[2], base)}"
        return text + (f"  (in {short(t[3], base)})" if graphs else "")

    for sign, items in (("added", after - before), ("removed", before - after)):
        for t in items:
            subject = str(t[0])
            change = changes.setdefault(subject, Change(short(t[0], base), labels.get(subject)))
            getattr(change, sign).append(line(t))
    for c in changes.values():
        c.added.sort()
        c.removed.sort()
    return sorted(changes.values(), key=lambda c: c.subject)
