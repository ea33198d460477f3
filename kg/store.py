"""Stage 6, store: the embedded Oxigraph store on disk, the dumps, and SPARQL queries.

Dumps are byte-stable: quads are sorted before pyoxigraph serializes them, so the N-Quads
lines and the Turtle subjects come out in the same order on every run.
"""
from __future__ import annotations

import errno
import heapq
import json
import io
import re
import queue
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg import protocol
from kg.triples import PREFIXES, compact

DUMP_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
                "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
# the formats of `kg query`, named as in the endpoint's `format` parameter (kg.protocol)
RESULT_FORMATS = {f.name: f.oxigraph for f in protocol.RESULT_FORMATS}
GRAPH_FORMATS = {name: protocol.by_name(name, "graph").oxigraph for name in ("ttl", "nt", "jsonld")}


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads in the order of their N-Quads lines (subject, predicate, object, graph): the key is the
    one string Oxigraph writes for a quad (a tuple of four term strings made the sort of a 10k-report
    graph three times slower). The build's dumps come in this order too (SortedRuns)."""
    return sorted(quads, key=str)


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The union of all graphs: each triple once, in the order of its N-Triples line."""
    return list(iter_union(sorted_quads(quads)))


def iter_union(ordered_quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    """The union of sorted_quads(), one triple at a time. A quad's line is its triple's line, a
    space and its graph, and no term's text continues another's past a space, so the quads of
    one triple are neighbours and only the last one needs remembering."""
    last = None
    for q in ordered_quads:
        triple = q.triple
        text = str(triple)
        if text != last:
            yield triple
            last = text


class SortedRuns:
    """Text records (one line each) sorted with bounded memory: held until there are `run_size`,
    then sorted and written to a run file in `folder`; ``merged()`` yields every record in sorted
    order, merging the runs. A 100,000-report graph held as sorted Python quads took 8.8 GB; as
    runs on disk it takes one run's worth."""

    def __init__(self, folder: Path, run_size: int = 250_000) -> None:
        self.folder, self.run_size = folder, run_size
        self.pending: list[str] = []
        self.runs: list[Path] = []
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, record: str) -> None:
        self.pending.append(record)
        if len(self.pending) >= self.run_size:
            self.spill()

    def spill(self) -> None:
        """Sort what is pending and write it to a run file of its own."""
        self.pending.sort()
        path = self.folder / f"run-{len(self.runs):05d}.txt"
        with path.open("w", encoding="utf-8", newline="\n") as f:   # line by line: no second copy of the run
            f.writelines(record + "\n" for record in self.pending)
        self.runs.append(path)
        self.pending = []

    def merged(self) -> Iterator[str]:
        """Every record, in sorted order (as sorted() would give them), without its newline."""
        if not self.runs:
            self.pending.sort()
            yield from self.pending
            return
        if self.pending:
            self.spill()
        files = [path.open(encoding="utf-8", newline="\n") for path in self.runs]
        try:
            for line in heapq.merge(*files):
                yield line[:-1]
        finally:
            for f in files:
                f.close()

    def remove(self) -> None:
        self.pending = []
        shutil.rmtree(self.folder, ignore_errors=True)


SLICE_BYTES = 64 << 20     # of kg.nq, loaded by the bulk loader in one call (see StoreLoader)


@dataclass(frozen=True)
class DumpCounts:
    quads: int
    triples: int        # of the union of all graphs
    graphs: int


def write_dumps(folder: Path, lines: Iterable[str], on_slice: Callable[[int, int], None] | None = None,
                slice_bytes: int = SLICE_BYTES, on_union: Callable[[Path], None] | None = None,
                base: str | None = None) -> DumpCounts:
    """kg.nq from the graph's quads as N-Quads lines without their " .", in the order of
    sorted_quads (each quad once), written as they come; then kg.ttl, the union of all graphs.

    A quad's line is its triple's line, a space and its graph (every quad is in a named graph), so
    the quads of one triple are neighbours: the union's N-Triples lines are written beside kg.nq
    in the same pass, and Oxigraph turns them into Turtle. No file is held in memory.

    Every `slice_bytes` or so, and at the end, `on_slice(start, end)` is told that bytes
    start..end of kg.nq are written and flushed, whole lines (a StoreLoader loads them meanwhile).
    `on_union(path)` is given the union's N-Triples file (each distinct triple once) before it
    goes: the store's default graph is loaded from it. kg.ttl writes the resources below `base` with
    the ``id:`` prefix."""
    quads = triples = written = cut = 0
    graphs: set[str] = set()
    union = folder / "union.nt"
    last = None
    with (folder / "kg.nq").open("wb") as f, union.open("w", encoding="utf-8", newline="\n") as nt:
        for line in lines:
            data = (line + " .\n").encode()
            f.write(data)
            written += len(data)
            quads += 1
            mark = line.rindex(" <")
            graphs.add(line[mark:])
            triple = line[:mark]
            if triple != last:
                nt.write(triple)
                nt.write(" .\n")
                triples += 1
                last = triple
            if on_slice is not None and written - cut >= slice_bytes:
                f.flush()
                on_slice(cut, written)
                cut = written
        f.flush()
        if on_slice is not None and written > cut:
            on_slice(cut, written)
    try:
        ox.serialize(ox.parse(path=str(union), format=ox.RdfFormat.N_TRIPLES), output=str(folder / "kg.ttl"),
                     format=ox.RdfFormat.TURTLE, prefixes=dump_prefixes(base))
        if on_union is not None:
            on_union(union)
    finally:
        union.unlink()
    return DumpCounts(quads, triples, len(graphs))


# what a disk answers when it is full, over a quota or read-only, or a folder may not be written
DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS}


def os_errno(exc: OSError) -> int | None:
    """The system's error number of an OSError: Oxigraph's (RocksDB's) have none of their own but
    say it in the message ("No space left on device (os error 28)")."""
    if exc.errno is not None:
        return exc.errno
    found = re.search(r"\(os error (\d+)\)", str(exc))
    return int(found.group(1)) if found else None


class StoreLoader:
    """A new store on disk, filled by Oxigraph's bulk loader from slices of an N-Quads file in
    threads of their own, possibly while the file is still being written: the bulk loader releases
    Python's lock, so `kg build` writes its dumps and loads its store at the same time.

    Slices keep the loader's memory down: Oxigraph sizes its buffers for about 2 GB a thread, and
    took 1.9 GB for a 100,000-report dump in one go, 0.6 GB in slices of 128 MB. A slice of a few
    hundred thousand quads is one batch, which Oxigraph loads on one core, so two threads load two
    slices at once: the 100,000-report dump (1.85 GB) loaded in 153 s as 128 MB slices one after
    another and in 126 s as 64 MB slices two at a time, both at 0.6 GB. Blank nodes would not be
    shared across slices; the graph has none (every node is an IRI made from the data).

    Each slice is a batch the loader writes as new files of every index, and as the keys are hashes
    the files of all batches overlap: every lookup of a query then looks into each of them, until
    RocksDB compacts them. `finish` compacts the store (Store.optimize) before anyone queries it:
    on bench/graph.py's graph of 20,000 meetings loaded as 12 batches, `kg export events` took
    1.8 ms of CPU a row before and 0.8 ms after (a few seconds of compaction)."""

    def __init__(self, path: Path, nquads: Path, threads: int = 2) -> None:
        self.store = ox.Store(str(path))
        self.nquads = nquads
        self.slices: queue.Queue[tuple[int, int] | None] = queue.Queue()
        self.error: BaseException | None = None
        self.threads = [threading.Thread(target=self._run, name=f"store-loader-{i}", daemon=True)
                        for i in range(max(1, threads))]
        for thread in self.threads:
            thread.start()

    def load(self, start: int, end: int) -> None:
        """Load bytes start..end of the file (whole lines, already on disk)."""
        self._raise()
        self.slices.put((start, end))

    def load_default(self, ntriples: Path) -> None:
        """Load an N-Triples file (the union of all graphs) into the default graph, in this thread."""
        self._raise()
        try:
            self.store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)
        except OSError as exc:
            if os_errno(exc) in DISK_ERRORS:     # the disk (full, read-only): the build says so and cleans up
                raise
            raise StoreError(f"{ntriples}: the store could not load the union of the graphs: {exc}") from exc
        except (ValueError, SyntaxError) as exc:
            raise StoreError(f"{ntriples}: the store could not load the union of the graphs: {exc}") from exc

    def finish(self) -> ox.Store:
        """The store, once every slice is loaded; flushed, compacted and left open."""
        self._stop()
        self._raise()
        self.store.flush()
        self.store.optimize()
        return self.store

    def abandon(self) -> None:
        """Stop after the slices being loaded (the build failed; its folder goes away)."""
        self.error = self.error or RuntimeError("abandoned")
        self._stop()

    def _stop(self) -> None:
        for _ in self.threads:
            self.slices.put(None)
        for thread in self.threads:
            thread.join()

    def _run(self) -> None:
        f = None                 # opened at the first slice: the file may not exist before
        try:
            while (piece := self.slices.get()) is not None:
                if self.error is None:
                    f = f or self.nquads.open("rb")
                    self.store.bulk_load(input=_ByteRange(f, *piece), format=ox.RdfFormat.N_QUADS)
        except BaseException as exc:   # noqa: BLE001 - handed to the building thread (load, finish)
            self.error = self.error or exc
        finally:
            if f is not None:
                f.close()

    def _raise(self) -> None:
        if isinstance(self.error, OSError) and os_errno(self.error) in DISK_ERRORS:
            raise self.error              # the disk (full, read-only): the build says so and cleans up
        if self.error is not None:
            raise StoreError(f"{self.nquads}: the store could not load it: {self.error}") from self.error


class _ByteRange(io.RawIOBase):
    """Bytes start..end of an open binary file, read as a file of their own."""

    def __init__(self, f, start: int, end: int) -> None:
        super().__init__()
        self.f, self.at, self.end = f, start, end
        f.seek(start)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.end - self.at)
        if n <= 0:
            return 0
        data = self.f.read(n)
        buffer[:len(data)] = data
        self.at += len(data)
        return len(data)


def dump_prefixes(base: str | None) -> dict[str, str]:
    """The prefixes of Turtle and TriG dumps: the project's, and ``id:`` for the resources minted
    below the build's base (``id:meeting\\/2022-11-25\\/...``: Turtle escapes the slashes)."""
    return {**PREFIXES, "id": base} if base else PREFIXES


def serialize(quads: Iterable[ox.Quad], fmt: str, base: str | None = None) -> bytes:
    """The graph in one of the dump formats, in a stable order; triple formats get the union of
    all graphs, TriG and JSON-LD each report's graph. `base` is the build's resource base (the
    ``id:`` prefix)."""
    target = DUMP_FORMATS[fmt]
    if fmt == "trig":   # grouped by graph, so each graph is written as one block
        by_graph = sorted(quads, key=lambda q: (str(q.graph_name), str(q)))
        return ox.serialize(by_graph, format=target, prefixes=dump_prefixes(base))
    ordered = sorted_quads(quads)
    if fmt == "nq":
        return ox.serialize(ordered, format=target)
    if fmt == "jsonld":
        return compact_jsonld(ordered, base)
    return ox.serialize(iter_union(ordered), format=target, prefixes=dump_prefixes(base) if fmt == "ttl" else None)


def compact_jsonld(quads: Iterable[ox.Quad], base: str | None = None) -> bytes:
    """The report graphs as compacted JSON-LD: an ``@context`` with the project's prefixes (and
    ``id:`` for the resources), each report's graph as a node with its own ``@graph``, IRIs as
    prefixed names, one node per subject, sorted: the same graph always gives the same bytes."""
    context = dump_prefixes(base)

    def short(iri: str) -> str:
        for prefix, ns in context.items():
            if iri.startswith(ns) and iri != ns and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def value(term) -> dict | str:
        if isinstance(term, ox.NamedNode):
            return {"@id": short(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return {"@value": term.value}
        return {"@value": term.value, "@type": short(term.datatype.value)}

    graphs: dict[str, dict[str, dict[str, list]]] = {}
    for q in quads:
        graph = graphs.setdefault(q.graph_name.value, {})
        subject = graph.setdefault(q.subject.value if isinstance(q.subject, ox.NamedNode) else f"_:{q.subject.value}", {})
        if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            subject.setdefault("@type", []).append(short(q.object.value))
        else:
            subject.setdefault(short(q.predicate.value), []).append(value(q.object))
    document = {"@context": context, "@graph": [
        {"@id": short(g), "@graph": [{"@id": subject if subject.startswith("_:") else short(subject), **properties}
                                     for subject, properties in sorted(nodes.items())]}
        for g, nodes in sorted(graphs.items())]}
    return (json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n").encode()


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def open_store(path: Path) -> ox.Store:
    store_dir = path / "store" if (path / "store").is_dir() else path
    if not store_dir.is_dir() or not any(store_dir.iterdir()):
        raise StoreError(f"{path}: no Oxigraph store here; run 'kg build --out {path}' first")
    try:
        return ox.Store.read_only(str(store_dir))
    except OSError as exc:
        raise StoreError(f"{store_dir}: cannot open the store: {exc}") from None


def all_quads(store: ox.Store) -> list[ox.Quad]:
    """The quads of the report graphs (the default graph is their merge, made from them)."""
    return list(report_quads(store.quads_for_pattern(None, None, None, None)))


def report_quads(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads in named graphs (the reports'), without the default graph's merge of them."""
    return (q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))


def dataset(store: ox.Store) -> dict:
    """How a query without a dataset of its own sees the store. A build writes the RDF merge of
    all report graphs into the store's default graph once: a set, so a triple several reports
    state is counted once, and a query's own FROM and FROM NAMED are honoured. A store without
    a default graph (made by another tool, or by a build before the merge was written) gets the
    union of its named graphs as default graph instead, as before."""
    if next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None:
        return {}
    return {"use_default_graph_as_union": True}


def run_query(store: ox.Store, query: str, base: str | None = None):
    """Evaluate on the store's default graph (see `dataset`); relative IRIs resolve against `base`."""
    try:
        return store.query(query, base_iri=base, **dataset(store))
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def render(results, fmt: str) -> str:
    """Results as text: a table, or a standard serialization."""
    if isinstance(results, bool):
        return "true" if results else "false" if fmt == "table" else \
            ox.QueryBoolean(results).serialize(format=RESULT_FORMATS.get(fmt, ox.QueryResultsFormat.JSON)).decode()
    if isinstance(results, ox.QueryBoolean):
        if fmt == "table":
            return "true" if bool(results) else "false"
        return results.serialize(format=RESULT_FORMATS[fmt]).decode()
    if isinstance(results, ox.QuerySolutions):
        if fmt in RESULT_FORMATS:
            return results.serialize(format=RESULT_FORMATS[fmt]).decode()
        if fmt != "table":
            raise QueryError(f"format {fmt!r} is for CONSTRUCT/DESCRIBE; use table, json, csv, tsv or xml")
        names = [v.value for v in results.variables]
        rows = [[_cell(sol[n]) for n in names] for sol in results]
        return _table(names, rows)
    if fmt not in GRAPH_FORMATS:
        raise QueryError(f"format {fmt!r} is for SELECT/ASK; use ttl, nt or jsonld for CONSTRUCT/DESCRIBE")
    triples = sorted(results, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES if fmt == "ttl" else None).decode()


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value) or term.value
    return term.value


def _table(names: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(n)] + [min(len(r[i]), 80) for r in rows]) for i, n in enumerate(names)]
    out = io.StringIO()
    out.write(" | ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip() + "\n")
    out.write("-+-".join("-" * w for w in widths) + "\n")
    for r in rows:
        cells = [(c if len(c) <= 80 else c[:77] + "...").ljust(w) for c, w in zip(r, widths)]
        out.write(" | ".join(cells).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return out.getvalue()
