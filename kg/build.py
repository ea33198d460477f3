"""``kg.build(config) -> BuildReport``: the whole pipeline, written to a temporary folder beside
the output and swapped in only when every stage succeeded, so a failed or killed build leaves
the previous output whole.

Extraction is a pure function of one document, the mapping files and the code, so its result is
cached under the hash of the three (``FactCache``): a rebuild re-extracts only the documents that
changed, and gives the same bytes as a clean build. Before anything is written the graph is
validated against ``ontology/shapes.ttl`` and the rules are linted; ``--strict`` turns every
warning, lint finding and SHACL warning into a failure (``--accept CODE`` accepts a kind of
warning the corpus is known to have).

Memory stays within what coreference needs: each worker reads, decodes and extracts its own
files, so the build holds the facts and never the documents as well; the quads are written as
records to sorted runs on disk (``kg.store.SortedRuns``) by a process that then ends
(``extract_apart``), so the facts' memory is back with the system before the runs are merged
into ``kg.nq``; the store is bulk-loaded from ``kg.nq`` in slices, two at a time, each as soon as
it is written (``kg.store.StoreLoader``). At 100,000 generated reports the extraction's process
peaked at 1.2 GB and the build's own at 1.0 GB (8.8 GB when facts, quads and store load were all
in memory at once).
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import re
import resource
import shutil
import signal
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.articles import build_layout, split_articles
from kg.coreference import resolve_meetings
from kg.events import Crosswalk, code_meetings, load_crosswalk
from kg.dates import DateCues
from kg.documents import Input, find_inputs, read_document
from kg.errors import GraphError, InputError, Problem, RuleError, StoreError
from kg.facts import Extractor, ReportFacts, extract_report
from kg.gazetteer import build_gazetteer
from kg.mappings import load_mappings
from kg.mentions import MentionFinder
from kg.rules import load_rules
from kg.lint import lint_corpus, lint_rules
from kg.shapes import SHAPES, validate as validate_shapes
from kg.store import DISK_ERRORS, SortedRuns, StoreLoader, dataset, os_errno, write_dumps
from kg.triples import DEFAULT_BASE, GraphWriter, Topics, placed_quads, write_graph

REPORT_VERSION = 2
CODE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class BuildConfig:
    paths: tuple[Path, ...]
    out: Path
    mappings: Path | None = None
    base: str = DEFAULT_BASE
    strict: bool = False
    cache: Path | None = None                 # a folder for extracted facts; None: extract everything
    accept: tuple[str, ...] = ()              # warning codes --strict lets through
    validate: bool = True                     # SHACL validation of the graph
    shapes: Path | None = None                # the SHACL shapes; default ontology/shapes.ttl
    jobs: int = 1                             # extraction processes (the CLI's default: the number of cores)
    shards: tuple = ()                        # kg.shards.Shard: facts extracted elsewhere, merged here
    run_size: int = 250_000                   # quads sorted in memory at a time (kg.store.SortedRuns)
    document_timeout: float | None = None     # seconds one document's extraction may take; None: by size


@dataclass
class BuildReport:
    counts: dict[str, int] = field(default_factory=dict)
    rules: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    lint: list[Problem] = field(default_factory=list)
    shacl: dict = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=lambda: {"extracted": 0, "reused": 0})
    timings: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: dict[str, int] = field(default_factory=dict)   # the build process's peak so far, after each stage
    inputs: dict[str, str] = field(default_factory=dict)
    mappings_digest: str = ""
    code_digest: str = ""
    out: str = ""
    base: str = DEFAULT_BASE

    def as_dict(self) -> dict:
        return {"version": REPORT_VERSION, "out": self.out, "base": self.base, "counts": self.counts,
                "documents": self.documents, "rules": self.rules,
                "warnings": [w.as_dict() for w in self.warnings], "lint": [p.as_dict() for p in self.lint],
                "shacl": self.shacl, "timings_s": self.timings, "peak_rss_mb": self.peak_rss_mb,
                "inputs": self.inputs, "mappings": self.mappings_digest, "code": self.code_digest}


def code_digest() -> str:
    """The hash of the package's source: extracted facts cached by older code are not reused."""
    h = hashlib.sha256()
    for path in sorted(CODE.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


class FactCache:
    """Extracted facts of one document, keyed by its name and content, the mappings and the code.

    One folder per (mappings, code) digest; folders of other digests are removed, since nothing
    can reuse them. Entries are written to a temporary file and renamed, so a killed build never
    leaves half an entry.
    """

    def __init__(self, root: Path, mappings_digest: str, code: str) -> None:
        self.root = root
        self.broken = False
        self.folder = root / hashlib.sha256(f"{mappings_digest}:{code}".encode()).hexdigest()[:24]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{root}: cannot create the cache folder ({exc.strerror}); use --no-cache") from None
        for stale in root.iterdir():
            if stale.is_dir() and stale != self.folder:
                shutil.rmtree(stale, ignore_errors=True)

    @staticmethod
    def drop_since(root: Path, since: float) -> int:
        """Remove the entries written at `since` or later (a build that ran out of room: what it
        cached would keep the disk full for every later build); how many."""
        dropped = 0
        for entry in root.glob("*/*.pickle"):
            try:
                if entry.stat().st_mtime >= since:
                    entry.unlink()
                    dropped += 1
            except OSError:
                pass
        return dropped

    def _path(self, name: str, original: str) -> Path:
        key = hashlib.sha256(name.encode() + b"\0" + original.encode("utf-8", "surrogatepass")).hexdigest()
        return self.folder / f"{key}.pickle"

    def get(self, name: str, original: str) -> list[ReportFacts] | None:
        path = self._path(name, original)
        try:
            with path.open("rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            return None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            path.unlink(missing_ok=True)         # a damaged entry is extracted again
            return None

    def put(self, name: str, original: str, facts: list[ReportFacts]) -> None:
        """Store an entry. A build with other mappings or code, run at the same time beside the
        same output, removes this folder as stale: the entry is then not kept (the cache only
        saves time), and the build goes on."""
        path = self._path(name, original)
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        if self.broken:
            return
        try:
            with tmp.open("wb") as f:
                pickle.dump(facts, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except FileNotFoundError:
            tmp.unlink(missing_ok=True)
        except OSError:                      # a full disk: stop caching, leave nothing half-written
            tmp.unlink(missing_ok=True)
            self.broken = True


def peak_rss_mb() -> int:
    """This process's peak resident memory so far. Linux's VmHWM belongs to the process's own
    memory; getrusage's ru_maxrss also keeps the peak of the process that started it (a
    benchmark's parent holding a store showed as the build's peak)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


class _Clock:
    def __init__(self, report: BuildReport) -> None:
        self.report, self.t = report, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = round(self.report.timings.get(stage, 0.0) + now - self.t, 4)
        self.report.peak_rss_mb[stage] = peak_rss_mb()
        self.t = now


def load_topics(mappings) -> Topics:
    f = mappings.of_kind("topics")[0].data
    return Topics(f["scheme"]["id"], f["scheme"]["label"],
                  [(t["id"], t["label"], tuple(t.get("altLabels", [])),
                    tuple(re.compile(p, re.I) for p in t["patterns"]), t.get("broader")) for t in f["topics"]])


@dataclass
class Extracted:
    """One input file, read, decoded and extracted (or taken from the cache) in a worker."""

    name: str
    digest: str | None = None                  # sha256 of its decoded text; None when it is unreadable
    facts: list[ReportFacts] | None = None
    problem: Problem | None = None
    reused: bool = False                       # the facts came from the cache


_WORKER: tuple | None = None   # (extractor, layout, cache) of a worker process, inherited when it is forked
_BUDGET: float | None = None   # seconds a document's extraction may take (None: by its size)


class DocumentTimeout(Exception):
    """A document's extraction ran past its time budget."""


def document_budget(size: int, fixed: float | None) -> float:
    """Seconds a document of `size` bytes may take to extract: generous (real news extracts at
    well under a second per 100 KB), so that only text the rules cannot read in bounded time (a
    pathological sentence) reaches it."""
    return fixed if fixed is not None else 30.0 + size / 10_000


def _on_alarm(signum, frame) -> None:
    raise DocumentTimeout


def _within_budget(seconds: float, work):
    """work() under a time limit: SIGALRM interrupts it (Python's regular expressions check for
    signals as they run). Only the main thread gets signals; elsewhere the work runs unlimited."""
    if threading.current_thread() is not threading.main_thread():
        return work()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _extract_file(source: Input) -> Extracted:
    extractor, layout, cache = _WORKER  # type: ignore[misc]
    document, problem = read_document(source)
    if document is None:
        return Extracted(source.name, problem=problem)
    digest = hashlib.sha256(document.original.encode()).hexdigest()
    facts = cache.get(document.name, document.original) if cache else None
    if facts is not None:
        return Extracted(document.name, digest, facts, reused=True)
    budget = document_budget(len(document.original.encode()), _BUDGET)
    try:
        facts = _within_budget(budget, lambda: [extract_report(a, extractor) for a in split_articles(document, layout)])
    except DocumentTimeout:
        return Extracted(source.name, problem=Problem(
            "extraction-timeout", f"{source.name}: extraction took longer than {budget:g} s and was stopped; the "
            "document is left out (a sentence the rules cannot read in bounded time)", file=source.name))
    if cache:
        cache.put(document.name, document.original, facts)
    return Extracted(document.name, digest, facts)


def extract_files(paths: list[Input], extractor: Extractor, layout, jobs: int,
                  cache: FactCache | None = None, strict: bool = False,
                  timeout: float | None = None) -> list[Extracted]:
    """Extraction is a pure function of one document: read, decode and extract each file in `jobs`
    processes, results in input order. The parent never holds the documents themselves, only
    their facts (which keep what evidence needs). Under `strict` the first unreadable file stops
    the extraction at once (InputError).

    The workers are forked after the mappings are compiled, so each starts with the extractor ready;
    a few documents are not worth a process pool."""
    global _WORKER, _BUDGET
    _WORKER = (extractor, layout, cache)
    _BUDGET = timeout
    if jobs <= 1 or len(paths) < 2 * jobs or "fork" not in multiprocessing.get_all_start_methods():
        return _collect(map(_extract_file, paths), strict)
    # once here, not once per worker
    _compile_lazy_patterns(extractor.finder, extractor.finder.gaz, extractor.rules, *extractor.rules.rules)
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    with context.Pool(jobs, initializer=die_with_parent) as pool:  # leaving it terminates the workers
        return _collect(pool.imap(_extract_file, paths, chunksize=chunk), strict)


def _collect(results, strict: bool) -> list[Extracted]:
    extracted = []
    for e in results:
        if strict and e.problem is not None:
            raise InputError(f"{e.problem} (--strict: the first unreadable input stops the build)")
        extracted.append(e)
    return extracted


def _compile_lazy_patterns(*objects) -> None:
    """Touch every functools.cached_property of these objects: the gazetteer's large patterns are
    compiled on first use, and the rules' gates derived (kg.literals), which each forked worker
    would otherwise do again (about a second)."""
    for obj in objects:
        for name, attr in vars(type(obj)).items():
            if isinstance(attr, functools.cached_property):
                getattr(obj, name)


@dataclass
class Pipeline:
    """Everything compiled from the mapping files, ready to extract documents and write the graph."""

    mappings: object
    gazetteer: object
    layout: object
    rules: object
    topics: Topics
    finder: MentionFinder
    extractor: Extractor
    crosswalk: Crosswalk


def load_pipeline(mappings_dir: Path | None) -> Pipeline:
    mappings = load_mappings(mappings_dir)
    gazetteer = build_gazetteer(mappings)
    layout = build_layout(mappings, gazetteer)
    rules = load_rules(mappings)
    rules.cue_index      # every rule's gate, for the one pass: built with the mappings, not by the first document
    finder = MentionFinder(gazetteer)
    extractor = Extractor(gazetteer, finder, rules, layout.abbreviations,
                          DateCues.from_data(mappings.of_kind("dates")[0].data))
    return Pipeline(mappings, gazetteer, layout, rules, load_topics(mappings), finder, extractor,
                    load_crosswalk(mappings))


def input_files(paths: tuple[Path, ...], problems: list[Problem] | None = None) -> list[Input]:
    try:
        return find_inputs(list(paths), problems)
    except FileNotFoundError as exc:
        raise InputError(str(exc)) from None


def readable(extracted: list[Extracted], paths: tuple[Path, ...], folders: list[Problem] = ()) -> list[Problem]:
    """The problems of unreadable inputs (and of unreadable folders); fatal when nothing could be read."""
    problems = [*folders, *(e.problem for e in extracted if e.problem is not None)]
    if not any(e.facts is not None for e in extracted):
        reasons = "".join(f"\n  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise InputError("no readable *.txt documents under " + ", ".join(map(str, paths)) + reasons + more)
    return problems


@dataclass
class Written:
    """What the rules' counts need once the dumps are written; the graph itself is in the sorted
    runs. Plain data: it comes back from the process that extracted (extract_apart)."""

    rule_ids: list[str]
    fired: dict[str, int]          # facts each rule matched, from the extraction
    made: dict[str, int]           # facts the writer counted per rule (the built-ins: evidence it made)
    by_rule: Counter = field(default_factory=Counter)   # quads kept per rule, counted by placed_quads


def extract_all(config: BuildConfig, report: BuildReport, runs: SortedRuns) -> Written:
    """Stages 1-5: documents (or shards of extracted facts) to the graph's records in `runs`,
    without touching the output folder; lints the rules."""
    clock = _Clock(report)
    pipeline = load_pipeline(config.mappings)
    mappings, gazetteer, rules, topics, finder = (pipeline.mappings, pipeline.gazetteer, pipeline.rules,
                                                  pipeline.topics, pipeline.finder)
    report.mappings_digest = mappings.digest
    report.code_digest = code_digest()
    clock.lap("mappings")
    if config.shards:
        from kg.shards import combine
        file_names, problems, per_document, report.inputs = combine(config.shards, mappings.digest,
                                                                    report.code_digest)
        report.warnings.extend(problems)
        report.documents = {"extracted": len(file_names), "reused": 0}
        clock.lap("documents")
    else:
        folders: list[Problem] = []         # folders that cannot be read
        files = input_files(config.paths, folders)
        if config.strict and folders:
            raise InputError(f"{folders[0]} (--strict: the first unreadable input stops the build)")
        clock.lap("documents")    # found; each is read and decoded by the worker that extracts it
        cache = FactCache(config.cache, mappings.digest, report.code_digest) if config.cache else None
        extracted = extract_files(files, pipeline.extractor, pipeline.layout, config.jobs, cache, config.strict,
                                  config.document_timeout)
        problems = readable(extracted, config.paths, folders)
        report.warnings.extend(problems)
        report.inputs = {e.name: e.digest for e in extracted if e.digest is not None}
        reused = sum(e.reused for e in extracted)
        report.documents = {"extracted": len(report.inputs) - reused, "reused": reused}
        file_names = [e.name for e in extracted if e.facts is not None]
        per_document = [e.facts for e in extracted if e.facts is not None]
        del extracted
    facts: list[ReportFacts] = [f for found in per_document for f in found]  # type: ignore[union-attr]
    del per_document
    clock.lap("facts")
    fired: dict[str, int] = {}
    for f in facts:
        report.warnings.extend(f.problems)
        for rule, n in f.fired.items():
            fired[rule] = fired.get(rule, 0) + n
    report.lint = lint_rules(rules, finder) + lint_corpus(rules, [f.fired for f in facts])
    clock.lap("lint")
    meetings = resolve_meetings(facts)
    code_meetings(meetings, pipeline.crosswalk, gazetteer)
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
    writer = GraphWriter(config.base, gazetteer, topics, rules, names, runs, crosswalk=pipeline.crosswalk)
    write_graph(writer, facts, meetings)
    clock.lap("triples")
    report.counts = {
        "files": len(file_names), "files_skipped": sum(p.code != "unreadable-folder" for p in problems), "articles": len(facts),
        "sentences": sum(f.sentences for f in facts), "meeting_facts": sum(len(f.meetings) for f in facts),
        "meetings": len(meetings), "statements": sum(len(f.statements) for f in facts),
        "clauses": sum(len(s.clauses) for f in facts for s in f.statements),
        "agreements": len({(id(m), rules.agreement_key(a)) for m in meetings for f in m.facts for a, _ in f.agreements})
        + len({(f.article.key, rules.agreement_key(a.label)) for f in facts for a in f.agreements}),  # at no meeting
        "persons": len({p.key for m in meetings for f in m.facts for p in f.participants}
                       | {k for m in meetings for f in m.facts for k, _ in f.attendees}),
        "quads": 0, "triples": 0, "graphs": 0, "quads_outside_rules": 0,   # counted as the dumps are written
    }
    return Written([r.id for r in rules.rules], fired, dict(writer.fired))


def extract_apart(config: BuildConfig, report: BuildReport, runs: SortedRuns) -> tuple[BuildReport, Written]:
    """extract_all in a forked process of its own, which ends when the graph's records are in the
    runs: the facts (1.0 GB at 100,000 reports) and the heap they leave behind go back to the
    system before the store is loaded and validated. Python keeps most of a freed heap: in one
    process the build still held 1.1 GB when the store's loading and SHACL's joins came on top.

    Returns the report as the extraction filled it in and what the rules' counts need; an error
    is raised here as it was raised there, with the other process's traceback as its cause.

    A process with other threads (a Dask client calling kg.shards, say) is not forked, as a lock
    another thread holds would stay locked in the copy: there it all runs in this process."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        written = extract_all(config, report, runs)
        gc.collect()        # what the extraction left in cycles, before the store's buffers
        return report, written
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_extract_apart, args=(config, report, runs, send), name="kg-extract")
    child.start()
    send.close()
    try:
        try:
            outcome = receive.recv()
        except EOFError:
            child.join()
            how = f"killed by signal {-child.exitcode}" if (child.exitcode or 0) < 0 else f"exit code {child.exitcode}"
            outcome = ("error", RuntimeError(f"the extraction process ended without a result ({how})"), "")
        except BaseException:
            child.terminate()                 # interrupted (Ctrl-C): the extraction stops with the build
            raise
    finally:
        receive.close()
        child.join(timeout=60)           # it ends once it has sent its result
        if child.is_alive():
            child.terminate()
            child.join()
    if outcome[0] == "error":
        _, exc, trace = outcome
        exc.__cause__ = _Traceback(trace)
        raise exc
    _, report, written, runs.runs = outcome
    return report, written


class _Traceback(Exception):
    """The traceback of an error raised in the extraction process, shown as the cause (--debug)."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0])


def die_with_parent() -> None:
    """Ask Linux to kill this (child) process when its parent dies: a build killed by a container
    stop or the OOM killer leaves no extraction blocked on a pipe forever. Elsewhere a no-op."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)          # PR_SET_PDEATHSIG
        if os.getppid() == 1:                  # the parent died before the request took hold
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _extract_apart(config: BuildConfig, report: BuildReport, runs: SortedRuns, send) -> None:
    die_with_parent()
    try:
        written = extract_all(config, report, runs)
        if runs.pending:
            runs.spill()             # what is still pending would end with this process
        send.send(("done", report, written, runs.runs))
    except BaseException as exc:     # noqa: BLE001 - raised again in the build's own process
        try:
            send.send(("error", exc, traceback.format_exc()))
        except Exception:            # noqa: BLE001 - an exception that cannot be pickled
            send.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}"), traceback.format_exc()))
    finally:
        send.close()


def count_written(report: BuildReport, written: Written) -> None:
    """The rules' and the graph's counts, known once the dumps are written (placed_quads)."""
    fired, by_rule = written.fired, written.by_rule
    for rule_id in sorted(set(written.rule_ids) | set(fired) | set(by_rule) - {"(report)", "(reference)"}):
        facts_of = fired[rule_id] if rule_id in fired else written.made.get(rule_id, 0)  # built-ins: evidence made
        report.rules[rule_id] = {"facts": facts_of, "triples": by_rule.get(rule_id, 0)}
    report.counts["quads_outside_rules"] = by_rule.get("(report)", 0) + by_rule.get("(reference)", 0)


def _canonical_names(facts: list[ReportFacts], gazetteer) -> dict[str, str]:
    """One label per person: the gazetteer's name, else the longest spelling seen."""
    spellings: dict[str, set[str]] = {}
    for f in facts:
        for key, info in f.persons.items():
            spellings.setdefault(key, set()).update(info.spellings | {info.name})
    return {k: gazetteer.persons[k].name if k in gazetteer.persons else sorted(v, key=lambda s: (-len(s), s))[0]
            for k, v in spellings.items()}


def build(config: BuildConfig) -> BuildReport:
    """The whole build. Python's cyclic garbage collector is paused while it runs: the build makes
    millions of long-lived objects and no cycles worth collecting, and the collector's full passes
    over them made the triples and SHACL stages grow faster than the corpus."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(config)
    finally:
        if enabled:
            gc.enable()


def _build(config: BuildConfig) -> BuildReport:
    report = BuildReport(out=str(config.out), base=config.base)
    start = time.perf_counter()
    out = config.out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{config.out}: cannot create the output folder ({exc.strerror})") from None
    check_output(out, config.paths)          # before the lock, which leaves a file beside it
    with _output_lock(out):
        return _build_into(config, report, out, start)


def _build_into(config: BuildConfig, report: BuildReport, out: Path, start: float) -> BuildReport:
    _recover(out)
    check_output(out, config.paths)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    started = time.time()                    # cache entries written since: this build's
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        runs = SortedRuns(tmp / "runs", config.run_size)
        report, written = extract_apart(config, report, runs)
        if config.strict:
            refused = [p for p in report.warnings + report.lint if p.code not in config.accept]
            if refused:
                lines = "\n  ".join(f"{p.code}: {p}" for p in refused[:20])
                more = f"\n  ... and {len(refused) - 20} more" if len(refused) > 20 else ""
                error = RuleError if any(p in report.lint for p in refused) else InputError
                raise error(f"{len(refused)} warning(s) and lint finding(s) under --strict:\n  {lines}{more}\n"
                            f"(accept a kind the corpus is known to have with --accept CODE)")
        clock = _Clock(report)
        # the store loads kg.nq slice by slice in a thread while the dumps are written
        loader = StoreLoader(tmp / "store", tmp / "kg.nq")
        try:
            dumped = write_dumps(tmp, placed_quads(runs.merged(), written.by_rule), loader.load,
                                 on_union=loader.load_default, base=config.base)
            runs.remove()
            report.counts.update(quads=dumped.quads, triples=dumped.triples, graphs=dumped.graphs)
            count_written(report, written)
            del written
            clock.lap("dumps")
            store = loader.finish()
        except BaseException:
            loader.abandon()
            raise
        clock.lap("store")      # what loading took beyond the dumps
        if config.validate:
            # validated in the new store, before anything is swapped in: a failure leaves the old graph
            shapes = validate_shapes(store, config.shapes or SHAPES, config.jobs)
            report.shacl = {**shapes.summary(), "triples": report.counts["triples"]}
            clock.lap("shacl")
            expected = report.counts["quads"] + report.counts["triples"]   # the reports' and their merge
            if shapes.quads != expected:     # counted by the validation anyway
                raise StoreError(f"the new store holds {shapes.quads} quads, kg.nq {report.counts['quads']} and "
                                 f"their merge {report.counts['triples']} triples; nothing was written")
            if shapes.violations and not config.strict:
                # a fact that breaks a shape is left out and reported; the rest of the graph stands
                left_out = _report_violations(store, shapes, report)
                del store, loader    # closed: its folder is made again without what is left out
                store, shapes = _leave_out(tmp, left_out, report, config)
                clock.lap("shacl")
            failing = shapes.violations + (shapes.warnings if config.strict else [])
            if failing:
                lines = "\n  ".join(str(f) for f in failing[:30])
                more = f"\n  ... and {len(failing) - 30} more" if len(failing) > 30 else ""
                raise GraphError(f"the graph does not conform to {(config.shapes or SHAPES).name} "
                                 f"({len(shapes.violations)} violation(s), {len(shapes.warnings)} warning(s)); "
                                 f"nothing was written:\n  {lines}{more}")
        del store
        report.timings["total"] = round(time.perf_counter() - start, 4)
        (tmp / "report.json").write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
        (tmp / BUILD_MARK).write_text(BUILD_MARK_TEXT)
        _swap(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        number = os_errno(exc)
        if number in USER_FIXABLE:
            freed = ""
            if number in NO_ROOM and config.cache is not None:
                dropped = FactCache.drop_since(config.cache, started)
                freed = f"; the {dropped} cache entries it wrote in {config.cache} are removed" if dropped else ""
            where = f" (writing {exc.filename})" if exc.filename and Path(exc.filename) != out else ""
            raise InputError(f"{out}: {exc.strerror or os.strerror(number)}{where}; nothing was written, the previous output is "
                             f"as it was{freed}") from None
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


_QUAD_IRIS = re.compile(r"^<([^>]*)> <[^>]*> (?:<([^>]*)> )?")

_WHERE_FOUND = """PREFIX bkg: <https://w3id.org/bilateral-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?file ?line ?rule WHERE {
  <%s> bkg:evidence ?e . ?e bkg:line ?line ; prov:wasGeneratedBy ?rule ; bkg:source/bkg:sourceFile ?file
} ORDER BY ?file ?line ?rule LIMIT 1"""


def _report_violations(store: ox.Store, shapes, report: BuildReport) -> list[str]:
    """Each violation as a `shape-violation` warning with the file, line and rule of its
    evidence; the resources they are about."""
    for finding in shapes.violations:
        where = list(store.query(_WHERE_FOUND % finding.focus, **dataset(store)))
        file = line = rule = None
        if where:
            file, line, rule = where[0]["file"].value, int(where[0]["line"].value), where[0]["rule"].value
            rule = rule.rsplit("/", 1)[-1]
        shape = _shape_name(finding.shape)
        report.warnings.append(Problem("shape-violation", f"{finding} (shape {shape}); left out of the graph",
                                       file=file, line=line, rule=rule, shape=shape))
    return sorted({f.focus for f in shapes.violations})


def _shape_name(shape: str | None) -> str:
    """A shape as its file writes it: bkgsh:Meeting for the project's shapes, else <IRI>."""
    if not shape:
        return "(a blank node)"
    shape = shape[1:-1] if shape.startswith("<") and shape.endswith(">") else shape
    if shape.startswith(SHAPES_NS):
        return "bkgsh:" + shape[len(SHAPES_NS):]
    return shape if shape.startswith("_:") else f"<{shape}>"


SHAPES_NS = "https://w3id.org/bilateral-kg/shapes#"


def _leave_out(tmp: Path, focus: list[str], report: BuildReport, config: BuildConfig):
    """Leave out of the graph every resource a SHACL violation is about, with its parts (IRIs
    below its own: a statement's clauses, a meeting's participations) and every statement that
    points at it (each reported by _report_violations). One report that breaks a shape (three sides at a meeting, two texts for one
    clause) no longer sinks a build of thousands; `--strict` still fails on it.

    kg.nq is filtered line by line in its own order (the dumps stay deterministic), kg.ttl and
    the store are made again from it, and the graph is validated again: what still violates a
    shape then fails the build as before. Returns the new store and its validation."""
    shutil.rmtree(tmp / "store")
    unchecked = tmp / "kg.unchecked.nq"
    (tmp / "kg.nq").rename(unchecked)
    parts = tuple(f + "/" for f in focus)
    dropped = set(focus)

    def kept(lines):
        for raw in lines:
            m = _QUAD_IRIS.match(raw)
            iris = [i for i in (m.group(1), m.group(2)) if i] if m else []
            if any(i in dropped or i.startswith(parts) for i in iris):
                continue
            yield raw[:-3]          # without " .\n"

    loader = StoreLoader(tmp / "store", tmp / "kg.nq")
    try:
        with unchecked.open(encoding="utf-8") as lines:
            dumped = write_dumps(tmp, kept(lines), loader.load, on_union=loader.load_default, base=config.base)
        store = loader.finish()
    except BaseException:
        loader.abandon()
        raise
    unchecked.unlink()
    report.counts.update(quads=dumped.quads, triples=dumped.triples, graphs=dumped.graphs)
    checked = validate_shapes(store, config.shapes or SHAPES, config.jobs)
    report.shacl = {**checked.summary(), "triples": report.counts["triples"]}
    return store, checked


# what the user fixes (room on the disk, permissions, a shorter path), not a bug: exit 2, not 3
USER_FIXABLE = DISK_ERRORS | {errno.ENAMETOOLONG}
NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}     # the disk, a quota or a file size limit is full

BUILD_MARK = ".kg-build"
BUILD_MARK_TEXT = ("This folder was made by kg build; the next kg build with --out here replaces it whole.\n")


BUILD_ENTRIES = frozenset({"kg.nq", "kg.ttl", "report.json", "store", BUILD_MARK})   # what a build writes


def made_by_a_build(folder: Path) -> bool:
    """A folder kg build made: its mark, or (older builds) a report.json beside a store."""
    return (folder / BUILD_MARK).is_file() or ((folder / "report.json").is_file() and (folder / "store").is_dir())


def check_output(out: Path, inputs: tuple[Path, ...]) -> None:
    """Refuse an --out the build could harm. The build's own entries (BUILD_ENTRIES) are swapped
    in and what else the folder holds is carried over (a log the caller writes there), so a folder
    a build made, an empty one or one holding only files of other names is fine; a file, a folder
    with subfolders that no build made (the working tree, a corpus) or one holding inputs is not."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise InputError(f"{out}: --out names a file, not a build folder; nothing was touched")
    if out.is_dir() and not made_by_a_build(out) and any(
            e.is_dir() or e.name in BUILD_ENTRIES for e in out.iterdir()):
        raise InputError(f"{out}: --out names a folder that kg build did not make, holding folders or build "
                         "output of its own; a build writes into a new folder, one an earlier build made, or "
                         "one holding only loose files (kept as they are); nothing was touched")
    for path in inputs:
        held = path.resolve()
        if held == out or out in held.parents:
            raise InputError(f"{path}: this input is inside --out {out}, which the build replaces; "
                             "nothing was touched")


@contextlib.contextmanager
def _output_lock(out: Path):
    """One build at a time into one output folder: a second is refused at once, never races."""
    lock = out.parent / f".{out.name}.lock"
    try:
        handle = lock.open("a")
    except OSError as exc:
        raise InputError(f"{lock}: cannot create the build's lock file ({exc.strerror})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(f"{out}: another kg build is writing this output folder now; "
                             "run this one when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _recover(out: Path) -> None:
    """Finish or undo a swap that a kill interrupted; drop folders of killed builds."""
    old = out.parent / f".{out.name}.old"
    if not out.exists() and old.exists():
        old.rename(out)
    _carry_over(old, out)
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
    _carry_over(old, out)
    shutil.rmtree(old, ignore_errors=True)


def _carry_over(old: Path, out: Path) -> None:
    """Move what the user keeps in the output folder (a build log, notes) from the folder the swap
    replaced into the new one: a build replaces only what builds make."""
    if not old.is_dir():
        return
    for entry in old.iterdir():
        if entry.name not in BUILD_ENTRIES and not (out / entry.name).exists():
            entry.rename(out / entry.name)
