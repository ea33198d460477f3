"""Stage 5b, triples: meetings, statements and reports as RDF quads, one named graph per report.

IRIs are minted from the data only (names, dates, codes, file names and offsets), so the same
input always gives the same IRIs. Every fact-bearing resource carries ``bkg:evidence``: the
verbatim sentence, the report, the offsets into the original file and the rule.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Protocol

from pyoxigraph import Literal, NamedNode

from kg.coreference import Meeting
from kg.documents import iri_path
from kg.events import Crosswalk, state_codes
from kg.facts import BUILT_IN_RULES, AgreementFact, ClauseFact, Evidence, MeetingFact, ReportFacts, StatementFact
from kg.gazetteer import Gazetteer, slug
from kg.rules import RuleBook
from kg.sentences import Sentence

BKG = "https://w3id.org/bilateral-kg/ontology#"
DEFAULT_BASE = "https://w3id.org/bilateral-kg/id/"
PREFIXES = {
    "bkg": BKG, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/", "prov": "http://www.w3.org/ns/prov#", "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#", "foaf": "http://xmlns.com/foaf/0.1/",
}
TYPE_LABEL = {"Talks": "Talks", "Meeting": "Meeting", "Consultation": "Consultation", "Call": "Call",
              "Conversation": "Conversation"}


def compact(iri: str, base: str | None = None) -> str | None:
    """``id:path`` for a resource under ``base``, ``prefix:local`` for a known namespace, else None."""
    if base and iri.startswith(base):
        return "id:" + iri[len(base):]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return None


@functools.lru_cache(maxsize=None)
def term(curie: str) -> NamedNode:
    prefix, local = curie.split(":", 1)
    return NamedNode(PREFIXES[prefix] + local)


RDF_TYPE = term("rdf:type")
PER_REPORT = {BKG + "reportedIn", BKG + "evidence", BKG + "dateEvidence", BKG + "locationEvidence", BKG + "attendee", BKG + "title", BKG + "issued",
              PREFIXES["skos"] + "altLabel"}
LABEL = term("rdfs:label")
ALT_LABEL = term("skos:altLabel")


@dataclass
class Topics:
    scheme: str
    scheme_label: str
    concepts: list[tuple[str, str, tuple[str, ...], tuple[re.Pattern[str], ...], str | None]]

    def of(self, text: str) -> list[str]:
        return [c[0] for c in self.concepts if any(p.search(text) for p in c[3])]


class QuadSink(Protocol):
    def add(self, record: str) -> None: ...


@dataclass
class GraphWriter:
    """Writes the graph's quads as records to a sink (kg.store.SortedRuns) in the order the
    facts are told; placed_quads() turns the sorted records into the graph. Nothing here holds
    the graph: a 100,000-report graph as a set of quads and a placement index took 8.8 GB."""

    base: str
    gazetteer: Gazetteer
    topics: Topics
    rules: RuleBook
    names: dict[str, str]                       # person key -> canonical label
    out: QuadSink
    fired: Counter = field(default_factory=Counter)
    current: str = "(reference)"
    written: int = 0                             # records written: the order in which triples were stated
    described: set[str] = field(default_factory=set)      # what the reference graph describes already
    crosswalk: Crosswalk | None = None           # the event codes' rules and concept scheme

    @property
    def reference(self) -> NamedNode:
        """The one graph that describes people, countries, places, topics and rules; reports
        point to them. Repeating these in every report graph multiplied union-graph joins."""
        return self.iri("graph/reference")

    # -- IRIs
    def iri(self, path: str) -> NamedNode:
        return NamedNode(self.base + path)

    def add(self, graph: NamedNode, s: NamedNode, p: str | NamedNode, o) -> None:
        """A descriptive triple goes to the first report's graph that states it; what each report
        says for itself (reported in, evidence, attendees, titles, spellings) goes to every one.
        Oxigraph's union default graph repeats a triple once per graph holding it, so
        repeating descriptions multiplied the rows of ordinary queries.

        The record is the quad's N-Quads line (without " ."), the order of this statement, whether
        the triple is per report, and the current rule: sorted, the statements of one triple are
        neighbours and the first one comes first (placed_quads)."""
        if o is None:
            return
        pred = term(p) if isinstance(p, str) else p
        self.written += 1
        self.out.add(statement_record(s, pred, o, graph, self.written, self.current))

    def first_description(self, node: NamedNode) -> bool:
        """True the first time an entity of the reference graph is described: its description
        is the same every time, so it is written once."""
        if node.value in self.described:
            return False
        self.described.add(node.value)
        return True

    def lit(self, value, datatype: str | None = None) -> Literal:
        return Literal(str(value), datatype=term(datatype)) if datatype else Literal(str(value))

    # -- entities that many facts point to
    def person(self, g: NamedNode, key: str, spellings: set[str] = frozenset()) -> NamedNode:  # type: ignore[assignment]
        node = self.iri(f"person/{key}")
        label = self.names.get(key, key)
        if self.first_description(node):
            ref = self.reference
            self.add(ref, node, RDF_TYPE, term("bkg:Person"))
            self.add(ref, node, RDF_TYPE, term("foaf:Person"))
            self.add(ref, node, LABEL, Literal(label))
        for s in spellings:
            if s != label:
                self.add(g, node, "skos:altLabel", Literal(s))
        return node

    def country(self, code: str) -> NamedNode:
        g = self.reference
        node = self.iri(f"country/{code}")
        if not self.first_description(node):
            return node
        c = self.gazetteer.countries.get(code)
        self.add(g, node, RDF_TYPE, term("bkg:Country"))
        self.add(g, node, LABEL, Literal(c.label if c else code))
        self.add(g, node, "bkg:code", Literal(code))
        codes = state_codes(code)
        if codes:
            self.add(g, node, "bkg:iso3", Literal(codes[0]))
            if codes[1] is not None:
                self.add(g, node, "bkg:gwCode", self.lit(codes[1], "xsd:integer"))
        if c and c.parent:
            self.add(g, node, "bkg:partOf", self.country(c.parent))
        return node

    def organization(self, key: str) -> NamedNode:
        g = self.reference
        node = self.iri(f"org/{key}")
        if not self.first_description(node):
            return node
        o = self.gazetteer.organizations[key]
        self.add(g, node, RDF_TYPE, term("bkg:Organization"))
        self.add(g, node, LABEL, Literal(o.label))
        self.add(g, node, "bkg:country", self.country(o.country))
        return node

    def place(self, key: str) -> NamedNode:
        g = self.reference
        if key.startswith("country:"):
            return self.country(key.split(":", 1)[1])
        if key.startswith("venue:"):     # named in the text, no gazetteer knowing it: labelled as written
            label = key.split(":", 1)[1]
            node = self.iri(f"place/{slug(label)}")
            if self.first_description(node):
                self.add(g, node, RDF_TYPE, term("bkg:Place"))
                self.add(g, node, LABEL, Literal(label))
            return node
        node = self.iri(f"place/{key}")
        if not self.first_description(node):
            return node
        p = self.gazetteer.places[key]
        self.add(g, node, RDF_TYPE, term("bkg:Place"))
        self.add(g, node, LABEL, Literal(p.label))
        self.add(g, node, "bkg:country", self.country(p.country))
        if p.city and p.city in self.gazetteer.places:
            self.add(g, node, "bkg:city", self.place(p.city))
        return node

    def topic(self, key: str) -> NamedNode:
        g = self.reference
        node = self.iri(f"topic/{key}")
        if not self.first_description(node):
            return node
        concept = next(c for c in self.topics.concepts if c[0] == key)
        scheme = self.iri(f"scheme/{self.topics.scheme}")
        self.add(g, node, RDF_TYPE, term("bkg:Topic"))
        self.add(g, node, RDF_TYPE, term("skos:Concept"))
        self.add(g, node, LABEL, Literal(concept[1]))
        self.add(g, node, "skos:prefLabel", Literal(concept[1], language="en"))
        for alt in concept[2]:
            self.add(g, node, "skos:altLabel", Literal(alt, language="en"))
        if concept[4]:
            self.add(g, node, "skos:broader", self.iri(f"topic/{concept[4]}"))
        self.add(g, node, "skos:inScheme", scheme)
        self.add(g, scheme, RDF_TYPE, term("skos:ConceptScheme"))
        self.add(g, scheme, LABEL, Literal(self.topics.scheme_label))
        return node

    def report(self, facts: ReportFacts) -> NamedNode:
        a = facts.article
        node = self.iri(f"report/{a.key}")
        self.add(node, node, RDF_TYPE, term("bkg:Report"))
        self.add(node, node, "bkg:sourceFile", Literal(a.document.name))
        self.add(node, node, "bkg:firstLine", self.lit(a.first_line, "xsd:integer"))
        label = a.title or f"{a.document.name}, article {a.index}"
        self.add(node, node, LABEL, Literal(label))
        if a.title:
            self.add(node, node, "dcterms:title", Literal(a.title))
        if a.publisher:
            self.add(node, node, "dcterms:publisher", Literal(a.publisher))
        if a.date:
            value, dtype = a.date.lexical()
            if value:
                self.add(node, node, "dcterms:date", self.lit(value, f"xsd:{dtype}"))
        return node

    def evidence(self, g: NamedNode, ev: Evidence, supports: str, last: Sentence | None = None) -> NamedNode:
        """The evidence node of a fact: the sentence (through ``last`` for a clause), where it is in the
        source file (a W3C Web Annotation specific resource with a position and a quote selector), the
        report, the rule, and the property whose value it supports."""
        s = ev.sentence
        doc = s.article.document
        o_start, _ = doc.original_span(s.start, s.end)
        _, o_end = doc.original_span((last or s).start, (last or s).end)
        node = self.iri(f"evidence/{doc.iri_stem}/{o_start}-{o_end}/{ev.rule}")
        self.add(g, node, RDF_TYPE, term("bkg:Evidence"))
        self.add(g, node, RDF_TYPE, term("oa:SpecificResource"))
        self.add(g, node, "bkg:quote", Literal(doc.original[o_start:o_end]))
        self.add(g, node, "bkg:source", self.iri(f"report/{s.article.key}"))
        self.add(g, node, "bkg:supports", term(supports))
        self.add(g, node, "bkg:line", self.lit(doc.line_of(s.start), "xsd:integer"))
        self.add(g, node, "oa:start", self.lit(o_start, "xsd:integer"))
        self.add(g, node, "oa:end", self.lit(o_end, "xsd:integer"))
        self.add(g, node, "oa:hasSource", self.source_file(doc.name))
        position, quote = NamedNode(node.value + "/position"), NamedNode(node.value + "/quote")
        self.add(g, node, "oa:hasSelector", position)
        self.add(g, position, RDF_TYPE, term("oa:TextPositionSelector"))
        self.add(g, position, "oa:start", self.lit(o_start, "xsd:integer"))
        self.add(g, position, "oa:end", self.lit(o_end, "xsd:integer"))
        self.add(g, node, "oa:hasSelector", quote)
        self.add(g, quote, RDF_TYPE, term("oa:TextQuoteSelector"))
        self.add(g, quote, "oa:exact", Literal(doc.original[o_start:o_end]))
        self.add(g, quote, "oa:prefix", Literal(doc.original[max(0, o_start - 32):o_start]))
        self.add(g, quote, "oa:suffix", Literal(doc.original[o_end:o_end + 32]))
        self.add(g, node, "prov:wasGeneratedBy", self.rule(ev.rule))
        self.fired[ev.rule] += 1
        return node

    def event_scheme(self) -> None:
        """The concept scheme of the event codes (ontology/events.ttl), once, in the reference graph."""
        marker = NamedNode(BKG + "EventCodes")
        if self.crosswalk is None or not self.first_description(marker):
            return
        for t in self.crosswalk.scheme:
            self.add(self.reference, t.subject, t.predicate, t.object)

    def source_file(self, name: str) -> NamedNode:
        node = self.iri(f"file/{iri_path(name)}")
        if not self.first_description(node):
            return node
        self.add(self.reference, node, RDF_TYPE, term("bkg:SourceFile"))
        self.add(self.reference, node, LABEL, Literal(name))
        return node

    def rule(self, rule_id: str) -> NamedNode:
        g = self.reference
        node = self.iri(f"rule/{rule_id}")
        if not self.first_description(node):
            return node
        rule = next((r for r in self.rules.rules if r.id == rule_id), None)
        entry = self.crosswalk.entry(rule_id) if self.crosswalk and rule_id.startswith("event.") else None
        self.add(g, node, RDF_TYPE, term("bkg:Rule"))
        self.add(g, node, RDF_TYPE, term("prov:Plan"))
        self.add(g, node, LABEL, Literal(rule_id))
        if entry:
            self.add(g, node, "rdfs:comment", Literal(entry.description))
            self.add(g, node, "bkg:ruleFile", Literal(self.crosswalk.file))  # type: ignore[union-attr]
            self.add(g, node, "bkg:ruleKind", Literal("event"))
        elif rule:
            self.add(g, node, "rdfs:comment", Literal(rule.description))
            self.add(g, node, "bkg:ruleFile", Literal(f"mappings/{rule.file.parent.name}/{rule.file.name}"))
            self.add(g, node, "bkg:ruleKind", Literal(rule.kind))
        else:
            self.add(g, node, "rdfs:comment", Literal(BUILT_IN_RULES[rule_id]))
            self.add(g, node, "bkg:ruleFile", Literal("built-in"))
            self.add(g, node, "bkg:ruleKind", Literal(rule_id.split(".")[0]))
        return node


def meeting_path(meeting: Meeting, roles: dict[str, str | None]) -> str:
    if meeting.path is not None:
        return meeting.path
    value = meeting.date.value()
    date = value.lexical()[0] if value else "undated-" + meeting.facts[0].article.key.replace("/", "-")
    hosts = sorted(k for k in meeting.principals if roles.get(k) == "Host")
    others = sorted(k for k in meeting.principals if roles.get(k) != "Host")
    tail = f"/{meeting.ordinal}" if meeting.ordinal else ""
    if value is None and meeting.recalled:
        tail += "/earlier"      # beside the same principals' undated meeting the report tells
    return f"meeting/{date}/" + "/".join(hosts + others) + tail


def _roles(meeting: Meeting) -> dict[str, str | None]:
    return meeting.roles()


def write_meeting(w: GraphWriter, meeting: Meeting, reports: dict[str, ReportFacts]) -> NamedNode:
    roles = _roles(meeting)
    node = w.iri(meeting_path(meeting, roles))
    value = meeting.date.value()
    kinds = sorted({f.type for f in meeting.facts if f.type})
    kind = "Talks" if "Talks" in kinds else (kinds[0] if kinds else "Meeting")
    mode = meeting.mode()
    order = sorted(meeting.principals, key=lambda k: (roles.get(k) != "Host", k))
    names = [w.names.get(k, k) for k in order]
    label = f"{TYPE_LABEL[kind]} between " + (", ".join(names[:-1]) + " and " + names[-1])
    location, city = meeting.location(), meeting.city()
    agreements: dict[str, str] = {}
    # one side per participation: the party only when every report tells it as a meeting of parties
    party_meeting = all(_is_party_meeting(f, w) for f in meeting.facts)
    # how the date was resolved, once per meeting: the reports' common way, or "merged"
    methods = {f.date.method for f in meeting.facts if f.date.known and f.date.value() == value}
    resolution = meeting.date.method if len(meeting.facts) == 1 else \
        methods.pop() if len(methods) == 1 and len({f.date.known for f in meeting.facts}) == 1 else "merged"
    first: tuple[NamedNode, NamedNode] | None = None     # the first report's graph and evidence
    for f in meeting.facts:
        w.current = f.evidence.rule
        g = w.iri(f"report/{f.article.key}")
        info = reports[f.article.key].persons
        w.add(g, node, RDF_TYPE, term("bkg:Meeting"))
        if kind != "Meeting":
            w.add(g, node, RDF_TYPE, term(f"bkg:{kind}"))
        w.add(g, node, LABEL, Literal(label))
        if value:
            lex, dtype = value.lexical()
            w.add(g, node, "bkg:date", w.lit(lex, f"xsd:{dtype}"))
            w.add(g, node, "bkg:dateResolution", Literal(resolution))
        if mode:
            w.add(g, node, "bkg:mode", term(f"bkg:{mode}"))
        if location:
            w.add(g, node, "bkg:location", w.place(location))
        if city:
            w.add(g, node, "bkg:city", w.place(city))
        w.add(g, node, "bkg:reportedIn", g)
        ev = w.evidence(g, f.evidence, "bkg:participant")
        w.add(g, node, "bkg:evidence", ev)
        first = first or (g, ev)
        if value and f.date.known:
            how = f.date.method if f.date.method in ("stated", "stated+report-year", "report-date", "previous-date",
                                                      "weekday", "range", "narrative", "same-day") else "merged"
            w.current = f"date.{how}"
            w.add(g, node, "bkg:dateEvidence", w.evidence(g, Evidence(f.date.source or f.evidence.sentence,
                                                                      f"date.{how}"), "bkg:date"))
        if f.located_by and (f.location or f.city):
            w.current = f.located_by
            w.add(g, node, "bkg:locationEvidence", w.evidence(g, Evidence(f.evidence.sentence, f.located_by),
                                                              "bkg:location" if f.location else "bkg:city"))
        w.current = f.evidence.rule
        for p in f.participants:
            person = w.person(g, p.key, info[p.key].spellings if p.key in info else set())
            w.add(g, node, "bkg:participant", person)
            part = w.iri(f"{meeting_path(meeting, roles)}/{p.key}")
            w.add(g, node, "bkg:participation", part)
            w.add(g, part, RDF_TYPE, term("bkg:Participation"))
            w.add(g, part, "bkg:agent", person)
            w.add(g, part, "bkg:evidence", ev)
            role = roles.get(p.key)
            if role:
                w.add(g, part, "bkg:role", term(f"bkg:{role}"))
            for t in p.titles:
                w.add(g, part, "bkg:title", Literal(t))
            side = p.organization if p.organization in w.gazetteer.organizations and \
                w.gazetteer.organizations[p.organization].country == p.country and party_meeting else None
            if side:
                w.add(g, part, "bkg:represents", w.organization(side))
            elif p.country:
                w.add(g, part, "bkg:represents", w.country(p.country))
            if p.country:
                w.add(g, node, "bkg:side", w.country(p.country))
        for key, aev in f.attendees:
            w.current = aev.rule
            person = w.person(g, key, info[key].spellings if key in info else set())
            w.add(g, node, "bkg:attendee", person)
            w.add(g, node, "bkg:evidence", w.evidence(g, aev, "bkg:attendee"))
        for label_text, gev in f.agreements:
            w.current = gev.rule
            key = w.rules.agreement_key(label_text)
            first_label = agreements.setdefault(key, label_text)  # one document, however each report names it
            agr = w.iri(f"{meeting_path(meeting, roles)}/agreement/{slug(key)}")
            w.add(g, agr, RDF_TYPE, term("bkg:Agreement"))
            w.add(g, agr, LABEL if label_text == first_label else ALT_LABEL, Literal(label_text))
            w.add(g, agr, "bkg:evidence", w.evidence(g, gev, "bkg:signed"))
            for p in f.participants:
                if p.country:
                    w.add(g, agr, "bkg:side", w.country(p.country))
            w.add(g, node, "bkg:signed", agr)
    if first is not None:
        write_events(w, meeting, node, *first)
    return node


def write_events(w: GraphWriter, meeting: Meeting, node: NamedNode, g: NamedNode, ev: NamedNode) -> None:
    """The meeting's event codes (kg.events decided them) as coded events below its IRI, with the
    sentence that told it as their evidence, and the number of reports that describe it (event
    data weighs an event by it)."""
    w.current = meeting.facts[0].evidence.rule
    w.add(g, node, "bkg:reportCount", w.lit(len({f.article.key for f in meeting.facts}), "xsd:integer"))
    if meeting.events:
        w.event_scheme()
    for code in meeting.events:
        w.current = code.rule
        w.fired[code.rule] += 1
        cameo, plover, mode = code.concepts
        event = NamedNode(f"{node.value}/event/{code.cameo}")
        w.add(g, node, "bkg:event", event)
        w.add(g, event, RDF_TYPE, term("bkg:CodedEvent"))
        w.add(g, event, "bkg:cameo", NamedNode(cameo))
        w.add(g, event, "bkg:ploverType", NamedNode(plover))
        if mode:
            w.add(g, event, "bkg:ploverMode", NamedNode(mode))
        if code.source:
            w.add(g, event, "bkg:sourceRole", term(f"bkg:{code.source}"))
        w.add(g, event, "bkg:evidence", ev)
        w.add(g, event, "prov:wasGeneratedBy", w.rule(code.rule))


def _is_party_meeting(fact: MeetingFact, w: GraphWriter) -> bool:
    """A participant represents a party when the report gives every principal a party title."""
    return all(p.organization and p.organization in w.gazetteer.organizations and
               re.search(r"\bpart(?:y|ies)\b|\bCPC\b|\bIDCPC\b|\bSWAPO\b", " ".join(p.titles), re.I)
               for p in fact.participants)


def write_statement(w: GraphWriter, st: StatementFact | None, meeting_node: NamedNode | None,
                    meeting_path_: str | None, reports: list[NamedNode], sides: tuple[str, ...],
                    title: str | None, key: str) -> NamedNode:
    node = w.iri(f"statement/{meeting_path_.removeprefix('meeting/') if meeting_path_ else key}")
    w.current = st.rule if st is not None else "statement.issued"
    for g in reports:
        w.add(g, node, RDF_TYPE, term("bkg:JointStatement"))
        w.add(g, node, LABEL, Literal(title or "Joint statement"))
        if title:
            w.add(g, node, "dcterms:title", Literal(title))
        for code in sides:
            w.add(g, node, "bkg:side", w.country(code))
        w.add(g, node, "bkg:reportedIn", g)
        if meeting_node is not None:
            w.add(g, meeting_node, "bkg:issued", node)
    if st is not None:
        g = w.iri(f"report/{st.article.key}")
        for k, clause in enumerate(st.clauses, start=1):
            write_clause(w, g, node, clause, k)
    return node


def write_clause(w: GraphWriter, g: NamedNode, statement: NamedNode, clause: ClauseFact, position: int) -> None:
    w.current = clause.rule
    suffix, label = _clause_name(clause, position)
    node = NamedNode(f"{statement.value}/clause/{suffix}")
    w.add(g, statement, "bkg:clause", node)
    w.add(g, node, RDF_TYPE, term("bkg:Clause"))
    w.add(g, node, LABEL, Literal(label))
    if clause.number is not None:
        w.add(g, node, "bkg:number", w.lit(clause.number, "xsd:integer"))
    w.add(g, node, "bkg:position", w.lit(position, "xsd:integer"))
    w.add(g, node, "bkg:text", Literal(clause.text))
    for code in clause.sides:
        w.add(g, node, "bkg:assertedBy", w.country(code))
    for t in w.topics.of(clause.text):
        w.add(g, node, "bkg:topic", w.topic(t))
    ev = w.evidence(g, Evidence(clause.sentences[0], clause.rule), "bkg:assertedBy", clause.sentences[-1])
    w.add(g, node, "bkg:evidence", ev)


def write_agreement(w: GraphWriter, r: ReportFacts, a: AgreementFact) -> None:
    """A document the report says was signed at no meeting it tells: in the report's graph, with the
    sides its sentence names (no bkg:signed, since no meeting of the graph signed it)."""
    w.current = a.evidence.rule
    g = w.iri(f"report/{r.article.key}")
    node = w.iri(f"agreement/{r.article.key}/{slug(w.rules.agreement_key(a.label))}")
    w.add(g, node, RDF_TYPE, term("bkg:Agreement"))
    w.add(g, node, LABEL, Literal(a.label))
    for code in a.sides:
        w.add(g, node, "bkg:side", w.country(code))
    w.add(g, node, "bkg:evidence", w.evidence(g, a.evidence, "rdfs:label"))


def _clause_name(clause: ClauseFact, position: int) -> tuple[str, str]:
    """The IRI suffix and label of a clause: its own number ("7", "Clause 7"); where the numbering
    starts again under a later heading, the part too ("part2-1", "Clause 1 of part 2"), so that two
    clauses numbered 1 stay two; an unnumbered one by its position ("p3", "Point 3")."""
    if clause.number is None:
        return f"p{position}", f"Point {position}"
    if clause.part:
        return f"part{clause.part + 1}-{clause.number}", f"Clause {clause.number} of part {clause.part + 1}"
    return str(clause.number), f"Clause {clause.number}"


def mint_meeting_paths(meetings: list[Meeting]) -> None:
    """One IRI path per meeting. Two meetings that coreference kept apart but that share date,
    principals and roles (two people of one name) would get the same path and be merged in the
    graph: the later one gets the countries of its principals, and a number if that is not enough."""
    taken: set[str] = set()
    for m in meetings:
        base = path = meeting_path(m, _roles(m))
        if path in taken:
            countries = "-".join(sorted({c for cs in m.countries.values() for c in cs})) or "other"
            path, n = f"{base}/{countries}", 2
            while path in taken:
                path, n = f"{base}/{countries}-{n}", n + 1
        taken.add(path)
        m.path = path


def write_graph(w: GraphWriter, reports: list[ReportFacts], meetings: list[Meeting]) -> None:
    mint_meeting_paths(meetings)
    by_key = {r.article.key: r for r in reports}
    w.current = "(report)"
    for r in reports:
        w.report(r)
    meeting_of_fact: dict[int, tuple[Meeting, NamedNode]] = {}
    for m in meetings:
        node = write_meeting(w, m, by_key)
        for f in m.facts:
            meeting_of_fact[id(f)] = (m, node)
    done: set[str] = set()
    for r in reports:
        for a in r.agreements:
            write_agreement(w, r, a)
        for st in r.statements:
            if st.meeting is not None and id(st.meeting) in meeting_of_fact:
                m, node = meeting_of_fact[id(st.meeting)]
                path = meeting_path(m, _roles(m))
                graphs = sorted({w.iri(f"report/{f.article.key}") for f in m.facts if f.statement}
                                | {w.iri(f"report/{r.article.key}")}, key=lambda n: n.value)
                done.add(path)
                write_statement(w, st, node, path, graphs, st.sides, st.title, r.article.key)
            else:
                write_statement(w, st, None, None, [w.iri(f"report/{r.article.key}")], st.sides, st.title,
                                f"{r.article.key}")
    for m in meetings:
        path = meeting_path(m, _roles(m))
        issued = [f for f in m.facts if f.statement]
        if issued and path not in done:
            sides = tuple(sorted({p.country for f in m.facts for p in f.participants if p.country}))
            node = w.iri(path)
            graphs = sorted({w.iri(f"report/{f.article.key}") for f in issued}, key=lambda n: n.value)
            title = next((f.statement_title for f in issued if f.statement_title), None)
            write_statement(w, None, node, path, graphs, sides, title, path)


def statement_record(s: NamedNode, p: NamedNode, o, g: NamedNode, order: int, rule: str) -> str:
    """One statement of the quad (s, p, o, g) as the writer records it: its N-Quads line (without
    " ."), the order in which it was stated, whether its predicate is per report ('r') or
    descriptive ('d'), and the rule. The line is the terms' own N-Triples forms joined by spaces,
    which is str(Quad(s, p, o, g)) without making the quad. N-Quads escapes every control
    character, so NUL separates the fields, and records sort by line first, then by order."""
    kind = "r" if p.value in PER_REPORT else "d"
    return f"{s} {p} {o} {g}\0{order:012d}\0{kind}\0{rule}"


def placed_quads(records: Iterable[str], by_rule: Counter) -> Iterator[str]:
    """The graph, from the writer's records (statement_record) in sorted order: N-Quads lines
    (without " .") in the order of kg.store.sorted_quads, each quad once; a descriptive triple only
    in the graph that stated it first. Each quad kept is counted in `by_rule` for the rule that
    wrote it first.

    Sorted, the records of one quad are neighbours, first statement first, and so are the records
    of one triple (its graphs follow it on the line), so one pending triple is all there is to hold."""
    def keep(line: str, rule: str) -> str:
        by_rule[rule] += 1
        return line

    pending: tuple[str, str, str, str] | None = None     # (triple, order, line, rule) of a descriptive triple
    last = None
    for record in records:
        line, order, kind, rule = record.split("\0")
        triple = line[:line.rindex(" <")] if kind == "d" else None
        if pending is not None and pending[0] != triple:
            yield keep(*pending[2:])
            pending = None
        if kind == "r":
            if line != last:
                yield keep(line, rule)
                last = line
        elif pending is None or order < pending[1]:
            pending = (triple, order, line, rule)
    if pending is not None:
        yield keep(*pending[2:])
