"""``kg.build(config) -> BuildReport``: the whole pipeline, written to a temporary folder beside
the output and swapped in only when every stage succeeded, so a failed or killed build leaves
the previous output whole."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.articles import build_layout, split_articles
from kg.coreference import resolve_meetings
from kg.dates import DateCues
from kg.documents import read_documents
from kg.errors import InputError, Problem
from kg.facts import Extractor, ReportFacts, extract_report
from kg.gazetteer import build_gazetteer
from kg.mappings import load_mappings
from kg.mentions import MentionFinder
from kg.rules import load_rules
from kg.store import serialize, sorted_quads, write_store
from kg.triples import DEFAULT_BASE, GraphWriter, Topics, write_graph

REPORT_VERSION = 1


@dataclass(frozen=True)
class BuildConfig:
    paths: tuple[Path, ...]
    out: Path
    mappings: Path | None = None
    base: str = DEFAULT_BASE
    strict: bool = False


@dataclass
class BuildReport:
    counts: dict[str, int] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    mappings_digest: str = ""
    out: str = ""
    base: str = DEFAULT_BASE

    def as_dict(self) -> dict:
        return {"version": REPORT_VERSION, "out": self.out, "counts": self.counts, "rules": self.rules,
                "warnings": [w.as_dict() for w in self.warnings], "timings_s": self.timings,
                "inputs": self.inputs, "mappings": self.mappings_digest, "base": self.base}


class _Clock:
    def __init__(self, report: BuildReport) -> None:
        self.report, self.t = report, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = round(self.report.timings.get(stage, 0.0) + now - self.t, 4)
        self.t = now


def load_topics(mappings) -> Topics:
    f = mappings.of_kind("topics")[0].data
    return Topics(f["scheme"]["id"], f["scheme"]["label"],
                  [(t["id"], t["label"], tuple(t.get("altLabels", [])),
                    tuple(re.compile(p, re.I) for p in t["patterns"]), t.get("broader")) for t in f["topics"]])


def extract_all(config: BuildConfig, report: BuildReport):
    """Stages 1-5: documents to quads, without touching the output folder."""
    clock = _Clock(report)
    mappings = load_mappings(config.mappings)
    gazetteer = build_gazetteer(mappings)
    layout = build_layout(mappings, gazetteer)
    rules = load_rules(mappings)
    topics = load_topics(mappings)
    report.mappings_digest = mappings.digest
    clock.lap("mappings")
    try:
        documents, problems = read_documents(list(config.paths))
    except FileNotFoundError as exc:
        raise InputError(str(exc)) from None
    report.warnings.extend(problems)
    if config.strict and problems:
        raise InputError("; ".join(str(p) for p in problems) + " (--strict)")
    if not documents:
        raise InputError("no readable *.txt documents under " + ", ".join(map(str, config.paths)))
    report.inputs = {d.name: hashlib.sha256(d.original.encode()).hexdigest() for d in documents}
    clock.lap("documents")
    articles = [a for d in documents for a in split_articles(d, layout)]
    clock.lap("articles")
    extractor = Extractor(gazetteer, MentionFinder(gazetteer), rules, layout.abbreviations,
                          DateCues.from_data(mappings.of_kind("dates")[0].data))
    facts: list[ReportFacts] = [extract_report(a, extractor) for a in articles]
    for f in facts:
        report.warnings.extend(f.problems)
        for rule, n in f.fired.items():
            report.rules[rule] = report.rules.get(rule, 0) + n
    clock.lap("facts")
    meetings = resolve_meetings(facts)
    for m in meetings:
        value = m.date.value()
        if value is not None and value.year is None:
            ev = m.facts[0].evidence.sentence
            report.warnings.append(Problem(
                "date-without-year", f"meeting of {', '.join(sorted(m.principals))} is dated {value.lexical()[0]}: "
                "no report of it gives the year, so the graph gives month and day only",
                file=ev.article.document.name, line=ev.line))
    names = _canonical_names(facts, gazetteer)
    clock.lap("coreference")
    writer = GraphWriter(config.base, gazetteer, topics, rules, names)
    write_graph(writer, facts, meetings)
    quads = sorted_quads(writer.quads)
    clock.lap("triples")
    for rule in rules.rules:
        report.rules.setdefault(rule.id, 0)
    report.counts = {
        "files": len(documents), "files_skipped": len(problems), "articles": len(articles),
        "sentences": sum(f.sentences for f in facts), "meeting_facts": sum(len(f.meetings) for f in facts),
        "meetings": len(meetings), "statements": sum(len(f.statements) for f in facts),
        "clauses": sum(len(s.clauses) for f in facts for s in f.statements),
        "agreements": len({(id(m), rules.agreement_key(a)) for m in meetings for f in m.facts for a, _ in f.agreements}),
        "persons": len({p.key for m in meetings for f in m.facts for p in f.participants}
                       | {k for m in meetings for f in m.facts for k, _ in f.attendees}),
        "quads": len(quads), "triples": len({(q.subject, q.predicate, q.object) for q in quads}),
        "graphs": len({q.graph_name for q in quads}),
    }
    return quads


def _canonical_names(facts: list[ReportFacts], gazetteer) -> dict[str, str]:
    """One label per person: the gazetteer's name, else the longest spelling seen."""
    spellings: dict[str, set[str]] = {}
    for f in facts:
        for key, info in f.persons.items():
            spellings.setdefault(key, set()).update(info.spellings | {info.name})
    return {k: gazetteer.persons[k].name if k in gazetteer.persons else sorted(v, key=lambda s: (-len(s), s))[0]
            for k, v in spellings.items()}


def build(config: BuildConfig) -> BuildReport:
    report = BuildReport(out=str(config.out), base=config.base)
    start = time.perf_counter()
    quads = extract_all(config, report)
    if config.strict and report.warnings:
        raise InputError(f"{len(report.warnings)} warning(s) under --strict; first: {report.warnings[0]}")
    out = config.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        clock = _Clock(report)
        write_store(tmp / "store", quads)
        clock.lap("store")
        (tmp / "kg.nq").write_bytes(serialize(quads, "nq"))
        (tmp / "kg.ttl").write_bytes(serialize(quads, "ttl"))
        clock.lap("dumps")
        report.timings["total"] = round(time.perf_counter() - start, 4)
        (tmp / "report.json").write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


def _recover(out: Path) -> None:
    """Finish or undo a swap that a kill interrupted; drop folders of killed builds."""
    old = out.parent / f".{out.name}.old"
    if not out.exists() and old.exists():
        old.rename(out)
    for stale in out.parent.glob(f".{out.name}.tmp-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return pid != os.getpid()


def _swap(tmp: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old"
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
