"""Query evaluation in worker processes that can be killed: the endpoint's hard limits.

A pyoxigraph query cannot be cancelled from Python, so every query runs in a worker process
that holds its own read-only view of the store. The endpoint's event loop hands a job to an
idle worker and waits for the answer on the worker's pipe; when the time limit passes or the
client goes away, the worker is killed (the CPU is idle again at once) and a new one takes its
place. Workers come from a fork server started before the first request, so a replacement is
ready in milliseconds.

The worker serializes with pyoxigraph. The row cap is applied while serializing: SELECT
solutions are written as TSV and CONSTRUCT triples as N-Triples (one row or triple per line)
into a sink that stops the evaluation once it holds one line more than the cap; the kept lines
are then parsed back and written in the format the client asked for, all in Rust.

A streamed job (Job.stream: a SELECT in CSV or TSV) is written the same way, a part at a time:
each STREAM_PART bytes of whole TSV rows are converted and sent on the pipe as soon as they are
written, and the evaluation goes on only once the pipe has room for more, so the endpoint holds
one part at a time and a slow client slows the worker down instead of filling memory. The first
part comes back as the Answer of WorkerPool.run, the others from its `rest`; the time limit and
the caps hold for the whole stream.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import signal
import socket
import struct
from dataclasses import dataclass, field
from multiprocessing import reduction
from typing import AsyncIterator

import pyoxigraph as ox

from kg import network, protocol
from kg.protocol import Format
from kg.store import dataset, report_quads


@dataclass(frozen=True)
class Job:
    """One query for a worker. Graph lists are IRIs; None means the default (union of all graphs)."""

    query: str
    format_name: str               # a protocol.Format name (the pyoxigraph format objects do not pickle)
    kind: str                      # 'results' or 'graph'
    max_rows: int
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    prefixes: dict[str, str] = field(default_factory=dict)   # for Turtle / TriG output
    resource: str | None = None    # instead of a query: the quads whose subject is this IRI
    base: str | None = None        # the base IRI relative IRIs of the query resolve against
    max_bytes: int = 64 << 20      # bytes an answer may have (rows of huge literals): beyond, it is cut
    stream: bool = False           # a SELECT in CSV or TSV, sent in parts as it is written (Answer.rest)

    @property
    def format(self) -> Format:
        return protocol.by_name(self.format_name, self.kind)


@dataclass(frozen=True)
class Answer:
    status: str                    # ok, syntax, error
    body: bytes = b""
    rows: int = 0
    truncated: bool = False
    message: str = ""
    rest: AsyncIterator[bytes] | None = field(default=None, compare=False)   # a streamed answer's later parts


class Truncated(Exception):
    """A streamed answer reached the row or byte cap after its first part was sent."""


INLINE_ANSWER = 256 << 10   # bytes of an answer read on the event loop itself


def _pending_size(fd: int) -> int | None:
    """The size of the message waiting on a worker's pipe (a socket pair), read from its length
    prefix without taking it off the pipe; None when it cannot be told (a large message, whose
    prefix says so, counts as large)."""
    try:
        with socket.socket(fileno=os.dup(fd)) as peek:     # a duplicate: closing it leaves the pipe open
            head = peek.recv(4, socket.MSG_PEEK)
    except OSError:
        return None
    if len(head) < 4:
        return None
    (size,) = struct.unpack("!i", head)
    return size if size >= 0 else 1 << 62


class WorkerGone(Exception):
    """The worker died while evaluating."""


def _death(exitcode: int | None) -> str:
    """Why a worker died, in words, from its exit code."""
    if exitcode == -signal.SIGSEGV:
        return ("it crashed (SIGSEGV), which a query does when it is too deep for the parser's or the "
                "evaluator's stack (a very long chain of UNION, '/', '+' or nested groups)")
    if exitcode is not None and exitcode < 0:
        return f"it was killed by {signal.Signals(-exitcode).name}"
    return f"it exited with status {exitcode}" if exitcode is not None else "it stopped answering"


class OutOfMemory(WorkerGone):
    """The query needed more memory than a worker may have; the worker aborted."""


class _Full(Exception):
    pass


class _LineSink:
    """A binary writer that refuses more than `limit` lines or `max_bytes` bytes, to stop a
    serializer early: the row cap alone let 60 rows of 8 MB literals through."""

    def __init__(self, limit: int, max_bytes: int = 64 << 20) -> None:
        self.parts: list[bytes] = []
        self.lines = 0
        self.size = 0
        self.limit = limit
        self.max_bytes = max_bytes
        self.over_bytes = False

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.lines += data.count(b"\n")
        self.size += len(data)
        if self.size > self.max_bytes:
            self.over_bytes = True
            raise _Full
        if self.lines >= self.limit:
            raise _Full
        return len(data)

    def flush(self) -> None:
        pass

    def first_lines(self, n: int) -> tuple[bytes, bool]:
        """The first n lines (whole lines within the byte cap), and whether anything followed them."""
        text = b"".join(self.parts)
        if self.over_bytes:
            cut = text.rfind(b"\n", 0, self.max_bytes)
            return text[:cut + 1], True
        end = -1
        for _ in range(n):
            end = text.find(b"\n", end + 1)
            if end < 0:
                return text, False
        return text[:end + 1], len(text) > end + 1


def _capped(serialize, limit_lines: int, keep_lines: int, max_bytes: int = 64 << 20) -> tuple[bytes, bool]:
    sink = _LineSink(limit_lines, max_bytes)
    try:
        serialize(sink)
    except _Full:
        pass
    except OSError as exc:          # pyoxigraph may wrap the writer's exception
        if not isinstance(exc.__cause__ or exc.__context__, _Full) and "_Full" not in repr(exc):
            raise
    return sink.first_lines(keep_lines)


def _query(store: ox.Store, job: Job):
    kwargs = {"prefixes": job.prefixes} if job.prefixes else {}
    if job.base is not None:
        kwargs["base_iri"] = job.base
    if job.default_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    elif job.named_graphs is None:
        # no dataset in the request: the query's own FROM / FROM NAMED, else the store's
        # default graph, the merge of the reports (kg.store.dataset)
        kwargs.update(dataset(store))
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    return store.query(job.query, **kwargs)


def evaluate(store: ox.Store, job: Job) -> Answer:
    """Run one job against the store: the answer's bytes in the job's format, or the error."""
    try:
        if job.resource is not None:
            return _resource(store, job)
        results = _query(store, job)
        if isinstance(results, ox.QueryBoolean):
            return Answer("ok", results.serialize(format=job.format.oxigraph), 1)
        if isinstance(results, ox.QuerySolutions):
            return _solutions(results, job)
        return _triples(results, job)
    except SyntaxError as exc:
        return Answer("syntax", message=str(exc))
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        return Answer("error", message=str(exc))
    except MemoryError as exc:          # Oxigraph's result reader holds at most 16 MB of one value
        return Answer("error", message=f"a value of the answer is too large to serve ({exc})")


def _solutions(results: ox.QuerySolutions, job: Job) -> Answer:
    tsv, truncated = _capped(lambda out: results.serialize(out, format=ox.QueryResultsFormat.TSV),
                             job.max_rows + 2, job.max_rows + 1, job.max_bytes)
    rows = tsv.count(b"\n") - 1
    if job.format.oxigraph == ox.QueryResultsFormat.TSV:
        body = tsv
    else:
        body = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=job.format.oxigraph)
    if truncated:
        body = _mark_truncated(body, job.format, job.max_rows)
    return Answer("ok", body, max(rows, 0), truncated)


STREAM_PART = 64 << 10      # bytes of TSV rows per part of a streamed answer
STREAM_FORMATS = (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)


class _PartSink:
    """The writer a streamed SELECT is serialized into, as TSV: every STREAM_PART bytes, the whole
    rows written so far go on the pipe in the job's format. Refuses (_Full) once the job's row or
    byte cap is reached, as _LineSink does, having sent the rows within it."""

    def __init__(self, conn, job: Job) -> None:
        self.conn, self.job = conn, job
        self.pending: list[bytes] = []
        self.pending_size = 0
        self.header: bytes | None = None
        self.rows = 0
        self.size = 0
        self.truncated = False
        self.sent = 0                  # parts sent

    def write(self, data) -> int:
        data = bytes(data)
        self.pending.append(data)
        self.pending_size += len(data)
        over = self.size + self.pending_size > self.job.max_bytes      # a row longer than the cap, too
        if over or (self.pending_size >= STREAM_PART and b"\n" in data):
            self.conn.send(("part", self.take(), self.rows))
            if self.truncated or over:
                self.truncated = True
                raise _Full
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        """The whole rows written and not yet taken, within the caps, in the job's format."""
        text = b"".join(self.pending)
        cut = text.rfind(b"\n") + 1
        rows, rest = text[:cut], text[cut:]
        self.pending, self.pending_size = ([rest], len(rest)) if rest else ([], 0)
        if self.header is None:
            end = rows.find(b"\n") + 1
            self.header, rows = rows[:end], rows[end:]
            self.size = len(self.header)
        keep = len(rows)
        if self.rows + rows.count(b"\n") > self.job.max_rows:
            keep = 0
            for _ in range(self.job.max_rows - self.rows):
                keep = rows.index(b"\n", keep) + 1
            self.truncated = True
        if self.size + keep > self.job.max_bytes:
            keep = rows.rfind(b"\n", 0, self.job.max_bytes - self.size) + 1
            self.truncated = True
        rows = rows[:keep]
        self.rows += rows.count(b"\n")
        self.size += len(rows)
        self.sent += 1
        if self.job.format.oxigraph == ox.QueryResultsFormat.TSV:
            return self.header + rows if self.sent == 1 else rows
        body = ox.parse_query_results(self.header + rows, format=ox.QueryResultsFormat.TSV) \
            .serialize(format=self.job.format.oxigraph)
        return body if self.sent == 1 else body[body.find(b"\n") + 1:]     # the header line once


def stream(store: ox.Store, job: Job, conn) -> None:
    """Run a streamed job: its parts on the pipe as they are written, then its Answer, whose body is
    the last part (the whole answer when it is small). conn.send waits while the pipe is full, so
    the evaluation goes no faster than the client reads."""
    try:
        results = _query(store, job)
        if not isinstance(results, ox.QuerySolutions) or job.format.oxigraph not in STREAM_FORMATS:
            conn.send(Answer("error", message="only SELECT results in CSV or TSV are streamed"))
            return
        sink = _PartSink(conn, job)
        try:
            results.serialize(sink, format=ox.QueryResultsFormat.TSV)
        except _Full:
            pass
        except OSError as exc:          # pyoxigraph may wrap the writer's exception
            if not isinstance(exc.__cause__ or exc.__context__, _Full) and "_Full" not in repr(exc):
                raise
        last = b"" if sink.truncated else sink.take()     # cut: what followed the cap is dropped
        conn.send(Answer("ok", last, sink.rows, sink.truncated))
    except SyntaxError as exc:
        conn.send(Answer("syntax", message=str(exc)))
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        conn.send(Answer("error", message=str(exc)))


def _triples(results: ox.QueryTriples, job: Job) -> Answer:
    nt, truncated = _capped(lambda out: results.serialize(out, format=ox.RdfFormat.N_TRIPLES),
                            job.max_rows + 1, job.max_rows, job.max_bytes)
    rows = nt.count(b"\n")
    if job.format.oxigraph == ox.RdfFormat.N_TRIPLES:
        body = nt
    else:
        triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
        body = ox.serialize(triples, format=job.format.oxigraph, prefixes=_prefixes(job))
    if truncated:
        body = _mark_truncated(body, job.format, job.max_rows)
    return Answer("ok", body, rows, truncated)


def _resource(store: ox.Store, job: Job) -> Answer:
    """Every quad whose subject is the resource (with its graph for TriG / N-Quads)."""
    quads = list(report_quads(store.quads_for_pattern(ox.NamedNode(job.resource), None, None, None)))
    if job.format.quads:
        data = sorted(quads, key=lambda q: (str(q.graph_name), str(q.predicate), str(q.object)))
    else:
        data = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                      key=lambda t: (str(t.predicate), str(t.object)))
    if len(data) > job.max_rows:
        data = data[:job.max_rows]
        body = _mark_truncated(ox.serialize(data, format=job.format.oxigraph, prefixes=_prefixes(job)),
                               job.format, job.max_rows)
        return Answer("ok", body, len(data), True)
    return Answer("ok", ox.serialize(data, format=job.format.oxigraph, prefixes=_prefixes(job)), len(data))


def _prefixes(job: Job) -> dict[str, str] | None:
    return job.prefixes if job.format.oxigraph in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3) \
        else None


TRUNCATED_IRI = "https://w3id.org/bilateral-kg/ontology#truncated"


def _mark_truncated(body: bytes, fmt: Format, cap: int) -> bytes:
    """Say in the body, where the format has room for it, that rows were left out."""
    note = f"truncated: at most the first {cap} results are given (the server's row or byte cap)"
    if fmt.name == "json":                     # a member SPARQL JSON readers ignore
        return body[:body.rfind(b"}")] + f',"truncated":true,"limit":{cap}}}'.encode()
    if fmt.name == "xml":                      # a <link> in <head>, as the results format allows
        link = f'<link href="{TRUNCATED_IRI}"/><!-- {note} -->'.encode()
        return body.replace(b"</head>", link + b"</head>", 1) if b"</head>" in body \
            else body.replace(b"<head/>", b"<head>" + link + b"</head>", 1)
    if fmt.name in ("turtle", "ntriples", "nquads", "trig", "n3"):
        return f"# {note}\n".encode() + body
    if fmt.name == "rdfxml":
        head, sep, rest = body.partition(b"?>")
        return head + sep + f"\n<!-- {note} -->".encode() + rest if sep else body
    return body                                # CSV, TSV, JSON-LD: the header says it


# The worker process ------------------------------------------------------------------------------

def _serve_jobs(conn, store_dir: str, memory_mb: int | None, plan: network.Plan) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)       # the parent stops workers, not Ctrl-C
    if memory_mb:           # heap and anonymous mappings: a query that wants more aborts this worker only
        resource.setrlimit(resource.RLIMIT_DATA, (memory_mb << 20, memory_mb << 20))
    try:
        listening = network.leave_the_network(plan)
    except OSError as exc:
        conn.send((f"its network could not be limited to the allowed SERVICE endpoints ({exc.strerror})",
                   os.getpid(), False))
        return
    store = ox.Store.read_only(store_dir)
    conn.send(("ready", os.getpid(), listening is not None))
    for sock in listening or ():        # to the endpoint process, which relays what they accept
        reduction.send_handle(conn, sock.fileno(), os.getppid())
        sock.close()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job.stream:
            stream(store, job, conn)
        else:
            conn.send(evaluate(store, job))


class Worker:
    """A worker process; `isolated` says it has a network namespace of its own, and `relay`
    carries its connections to the allowed SERVICE endpoints (kg.network)."""

    def __init__(self, context, store_dir: str, memory_mb: int | None = None,
                 plan: network.Plan = network.Plan()) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve_jobs, args=(child, store_dir, memory_mb, plan), daemon=True)
        self.process.start()
        child.close()
        status, self.pid, self.isolated = self.conn.recv()       # waits until the store is open
        if status != "ready":
            self.process.join(timeout=5)
            raise RuntimeError(f"worker failed to start: {status}")
        listening = [socket.socket(fileno=reduction.recv_handle(self.conn)) for _ in plan.listeners] \
            if self.isolated else []
        self.relay = network.Relay(list(zip(listening, (l.service for l in plan.listeners))))

    def stop(self) -> None:
        """SIGKILL: the evaluation stops now, whatever it was doing; its relayed connections end."""
        self.relay.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def reap(self) -> None:
        self.process.join(timeout=5)
        self.conn.close()


JEMALLOC = ("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
            "/usr/lib64/libjemalloc.so.2", "/usr/lib/libjemalloc.so.2", "/usr/local/lib/libjemalloc.so.2")


def start_fork_server(allocator: str = "auto") -> str:
    """Start the fork server the workers come from, with the allocator they evaluate with.

    Oxigraph's evaluation allocates and frees many small buffers; with jemalloc it runs about
    15% faster than with glibc's malloc (measured on the benchmark's queries), with glibc and a
    larger per-thread cache about 7%. 'auto' takes jemalloc when the system has it (Debian:
    libjemalloc2). Only the workers are affected: the variables are set while the fork server
    starts and removed at once. Returns the allocator used.
    """
    from multiprocessing import forkserver

    library = next((p for p in JEMALLOC if os.path.exists(p)), None)
    if allocator == "jemalloc" and library is None:
        raise RuntimeError("--allocator jemalloc: libjemalloc.so.2 is not installed (Debian: libjemalloc2)")
    chosen = "jemalloc" if allocator in ("auto", "jemalloc") and library else "glibc"
    saved = {k: os.environ.get(k) for k in ("LD_PRELOAD", "GLIBC_TUNABLES")}
    if chosen == "jemalloc":
        os.environ["LD_PRELOAD"] = " ".join(filter(None, [saved["LD_PRELOAD"], library]))
    else:
        os.environ["GLIBC_TUNABLES"] = ":".join(filter(None, [saved["GLIBC_TUNABLES"],
                                                               "glibc.malloc.tcache_count=1000"]))
    try:
        forkserver.ensure_running()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return chosen


@dataclass
class PoolStats:
    busy: int = 0
    waiting: int = 0
    killed: int = 0


class Busy(Exception):
    """More queries in flight than the pool admits."""


class TimedOut(Exception):
    pass


class ClientGone(Exception):
    pass


class Parts:
    """The parts of a streamed answer after its first, read from its worker one at a time as they
    are asked for, under the time limit of the job. Iterate to the end or close: until then the
    worker is busy with the job; closing early kills it (the evaluation stops at once). At the end
    `rows` and `truncated` are the answer's; a cut answer raises Truncated after its last part,
    since the response's headers, sent with the first part, could not say so."""

    def __init__(self, pool: WorkerPool, worker: Worker, deadline: float) -> None:
        self.pool, self.worker, self.deadline = pool, worker, deadline
        self.rows = 0
        self.truncated = False
        self.size = 0                 # bytes of the parts given
        self.done = False
        self.said = False             # Truncated raised

    def __aiter__(self) -> Parts:
        return self

    async def __anext__(self) -> bytes:
        while not self.done:
            try:
                message = await self.pool._receive(self.worker, self.deadline)
            except BaseException:        # the time limit, a dead worker, or the request cancelled
                self._end(keep_worker=False)
                raise
            if isinstance(message, Answer):
                self._end(keep_worker=True)
                if message.status != "ok":
                    raise WorkerGone(message.message)
                self.truncated = message.truncated
                message = ("part", message.body, message.rows)
            self.rows = message[2]
            if message[1]:                   # an empty chunk would end the response
                self.size += len(message[1])
                return message[1]
        if self.truncated and not self.said:
            self.said = True
            raise Truncated(f"cut after {self.rows} rows at the row or byte cap")
        raise StopAsyncIteration

    async def aclose(self) -> None:
        if not self.done:
            self._end(keep_worker=False)

    def _end(self, keep_worker: bool) -> None:
        self.done = True
        if keep_worker:
            self.pool.idle.put_nowait(self.worker)
        else:
            self.pool._replace(self.worker)
        self.pool.stats.busy -= 1
        self.pool.in_flight -= 1


class WorkerPool:
    """A fixed number of worker processes and a bounded number of queries in flight."""

    def __init__(self, store_dir: str, size: int, max_in_flight: int, allocator: str = "auto",
                 memory_mb: int | None = None, allow_service: tuple[str, ...] = ()) -> None:
        """allow_service: the URLs of the SERVICE endpoints the workers may reach (their hosts and
        ports; none: the workers have no network). ValueError names one that is not http(s)."""
        self.store_dir, self.size, self.max_in_flight = store_dir, size, max_in_flight
        self.memory_mb = memory_mb
        self.plan = network.plan(network.services(allow_service))
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["pyoxigraph", "kg.workers"])
        self.allocator = allocator
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.workers: set[Worker] = set()
        self.in_flight = 0
        self.stats = PoolStats()
        self._closing = False

    async def start(self) -> None:
        self.allocator = start_fork_server(self.allocator)
        loop = asyncio.get_running_loop()
        started = await asyncio.gather(*(loop.run_in_executor(None, Worker, self.context, self.store_dir, self.memory_mb,
                                                              self.plan)
                                         for _ in range(self.size)))
        for w in started:
            self._add(w)

    def _add(self, worker: Worker) -> None:
        worker.relay.open(asyncio.get_running_loop())
        self.workers.add(worker)
        self.idle.put_nowait(worker)

    def pids(self) -> list[int]:
        return sorted(w.pid for w in self.workers)

    async def run(self, job: Job, timeout: float, gone: asyncio.Future | None = None) -> Answer:
        """Evaluate a job; raises Busy, TimedOut, ClientGone or WorkerGone. The Answer of a streamed
        job holds its first part; when more follow, its `rest` (Parts) gives them, and the job
        counts as in flight, its worker as busy, until they are read or closed."""
        if self.in_flight >= self.max_in_flight:
            raise Busy
        self.in_flight += 1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        streaming = False
        try:
            self.stats.waiting += 1
            try:
                worker = await asyncio.wait_for(self.idle.get(), timeout)
            except asyncio.TimeoutError:
                raise TimedOut from None
            finally:
                self.stats.waiting -= 1
            if gone is not None and gone.done():      # the client left while the query waited
                self.idle.put_nowait(worker)
                raise ClientGone
            self.stats.busy += 1
            try:
                answer = await self._on(worker, job, deadline, gone)
                streaming = answer.rest is not None
                return answer
            finally:
                if not streaming:
                    self.stats.busy -= 1
        finally:
            if not streaming:
                self.in_flight -= 1

    async def _on(self, worker: Worker, job: Job, deadline: float, gone: asyncio.Future | None) -> Answer:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future = loop.create_future()
        fd = worker.conn.fileno()

        def received(reading: asyncio.Future) -> None:
            if answer.done():
                return
            exc = reading.exception()
            if exc is None:
                answer.set_result(reading.result())
            else:
                answer.set_exception(WorkerGone(str(exc)) if isinstance(exc, (EOFError, OSError)) else exc)

        def readable() -> None:
            loop.remove_reader(fd)
            if answer.done():
                return
            os.set_blocking(fd, True)      # the event loop made it non-blocking; a big answer comes in parts
            if (_pending_size(fd) or 0) <= INLINE_ANSWER:
                direct = loop.create_future()      # small: read at once (a thread's hand-off costs
                try:                               # more than the read: 40% of a lookup's throughput)
                    direct.set_result(worker.conn.recv())
                except BaseException as exc:       # noqa: BLE001 - handed to the waiting request
                    direct.set_exception(exc)
                received(direct)
            else:
                # large: read in a thread, so the event loop (every other request, /health too)
                # does not wait while it arrives
                loop.run_in_executor(None, worker.conn.recv).add_done_callback(received)

        try:
            worker.conn.send(job)
        except (BrokenPipeError, OSError):
            self._replace(worker)
            raise WorkerGone("the worker's pipe is closed") from None
        loop.add_reader(fd, readable)
        waiters = {answer} | ({gone} if gone is not None else set())
        done, _ = await asyncio.wait(waiters, timeout=max(0.0, deadline - loop.time()),
                                     return_when=asyncio.FIRST_COMPLETED)
        if answer in done and answer.exception() is None:
            result = answer.result()
            if isinstance(result, tuple):           # the first part of a streamed answer
                return Answer("ok", result[1], rest=Parts(self, worker, deadline))
            self.idle.put_nowait(worker)
            return result
        loop.remove_reader(fd)
        answer.cancel()
        if answer in done:                  # the worker died: an allocation over the limit aborts it
            worker.process.join(timeout=1)
            self._replace(worker)
            if worker.process.exitcode == -signal.SIGABRT:
                raise OutOfMemory(f"the query needed more than the {self.memory_mb} MB a worker may use")
            raise WorkerGone(_death(worker.process.exitcode))
        self._replace(worker)
        if gone is not None and gone in done:
            raise ClientGone
        raise TimedOut

    async def _receive(self, worker: Worker, deadline: float):
        """The worker's next message (a part, or the Answer that ends a stream) before the deadline."""
        loop = asyncio.get_running_loop()
        fd = worker.conn.fileno()
        ready: asyncio.Future = loop.create_future()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await asyncio.wait_for(ready, max(0.0, deadline - loop.time()))
        except asyncio.TimeoutError:
            raise TimedOut from None
        finally:
            loop.remove_reader(fd)
        os.set_blocking(fd, True)
        try:
            if (_pending_size(fd) or 0) <= INLINE_ANSWER:
                return worker.conn.recv()
            return await loop.run_in_executor(None, worker.conn.recv)     # a part of huge rows
        except (EOFError, OSError) as exc:
            worker.process.join(timeout=1)
            if worker.process.exitcode == -signal.SIGABRT:
                raise OutOfMemory(f"the query needed more than the {self.memory_mb} MB a worker may use") from None
            raise WorkerGone(str(exc)) from None

    def _replace(self, worker: Worker) -> None:
        """Kill a worker (its query stops at once) and start another in the background."""
        self.workers.discard(worker)
        self.stats.killed += 1
        worker.stop()
        loop = asyncio.get_running_loop()

        def kill_and_start() -> Worker | None:
            worker.reap()
            return None if self._closing else Worker(self.context, self.store_dir, self.memory_mb, self.plan)

        def started(fut: asyncio.Future) -> None:
            if fut.exception() is None and fut.result() is not None:
                if self._closing:
                    fut.result().stop()
                else:
                    self._add(fut.result())

        loop.run_in_executor(None, kill_and_start).add_done_callback(started)

    def close(self) -> None:
        self._closing = True
        for w in list(self.workers):
            w.stop()
            w.reap()
        self.workers.clear()
