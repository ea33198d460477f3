"""kg export events against kg query with the same SELECT to CSV, on bench/graph.py's graphs.

`bench/export --meetings 100000 1000000` generates each graph (a fixed seed), loads it into a store
as a build does (the report graphs, and their merge in the default graph), then runs, one after
the other in child processes, `kg export events -o FILE` and `kg query --file Q --format csv > FILE`
with Q the export's own query (kg.export.events_query), and prints wall time, CPU time, peak resident
memory and rows of each as a Markdown table, with the resident memory and the rows written sampled
every --sample seconds while it runs (a run stopped early still gives its rate). The two files hold
the same rows.

The store is loaded as a build loads it, compaction included (Store.optimize, as
kg.store.StoreLoader does): the bulk loader writes each batch of some million quads as new files of
every index that overlap all the others (the keys are hashes), and every lookup of a query then
looks into each of them, so a lookup in a graph of many batches costs several times one in a
graph of one. A store is kept in --out and reused.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.graph import generate  # noqa: E402
from kg.export import events_query  # noqa: E402

KG = str(Path(sys.executable).with_name("kg"))


def store_for(out: Path, meetings: int) -> Path:
    from bench.graph import TRIPLES_PER_MEETING
    folder = out / f"events-{meetings}"
    if (folder / "store").is_dir():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    quads, triples = folder / "graph.nq", folder / "merge.nt"
    t0 = time.perf_counter()
    n = generate(quads, meetings * TRIPLES_PER_MEETING, default_graph=triples)
    t1 = time.perf_counter()
    store = ox.Store(str(folder / "store.tmp"))
    # lenient: the generator writes valid IRIs, so the loader need not check each one again
    store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS, lenient=True)
    store.bulk_load(path=str(triples), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
    store.flush()
    quads.unlink()
    triples.unlink()
    t2 = time.perf_counter()
    store.optimize()
    del store
    os.rename(folder / "store.tmp", folder / "store")
    print(f"{meetings} meetings: {n} quads generated in {t1 - t0:.0f} s, loaded in {t2 - t1:.0f} s, "
          f"compacted in {time.perf_counter() - t2:.0f} s", flush=True)
    return folder


def _rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), None)


class Rows:
    """Lines written so far to a file another process writes, counted as it grows (kg export writes
    `.NAME.*.tmp` beside it and renames it at the end)."""

    def __init__(self, path: Path) -> None:
        self.path, self.at, self.lines = path, 0, 0

    def count(self) -> int:
        writing = sorted(self.path.parent.glob(f".{self.path.name}.*.tmp"))
        try:
            with (self.path if self.path.exists() or not writing else writing[0]).open("rb") as f:
                f.seek(self.at)
                while chunk := f.read(1 << 20):
                    self.lines += chunk.count(b"\n")
                    self.at += len(chunk)
        except FileNotFoundError:
            pass
        return max(self.lines - 1, 0)   # the header


# Run in a fresh small process, which starts the command: a child forked from this process (which
# holds a generated graph) would count this process's memory in its peak resident set.
PROBE = """import os, subprocess, sys, time
command, stdout = eval(sys.argv[1]), sys.argv[2]
t = time.perf_counter()
child = subprocess.Popen(command, stdout=open(stdout, "wb"))
print(child.pid, flush=True)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - t, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
      os.waitstatus_to_exitcode(status), flush=True)
"""


def measured(command: list[str], stdout: Path, out: Path, every: float) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of a command; its RSS and the rows written so far
    printed every `every` seconds while it runs."""
    probe = subprocess.Popen([sys.executable, "-c", PROBE, repr(command), str(stdout)], stdout=subprocess.PIPE,
                             text=True)
    pid, t, rows = int(probe.stdout.readline()), time.perf_counter(), Rows(out)
    while True:
        try:
            probe.wait(timeout=every)
            break
        except subprocess.TimeoutExpired:
            print(f"    {time.perf_counter() - t:7.0f} s  RSS {_rss_mb(pid) or 0:6.0f} MB  rows {rows.count():,}",
                  flush=True)
    wall, cpu, rss, rc = probe.stdout.read().split()
    if rc != "0":
        raise SystemExit(f"{command[:3]} failed with exit code {rc}")
    return float(wall), float(cpu), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--sample", type=float, default=60.0, help="seconds between two samples of a run")
    args = parser.parse_args()
    query = args.out / "events.rq"
    args.out.mkdir(parents=True, exist_ok=True)
    query.write_text(events_query(), encoding="utf-8")
    for n in args.meetings:
        folder = store_for(args.out, n)
        for name, command, to, out in (
                ("kg export events", [KG, "export", "events", "--store", str(folder), "-o", str(folder / "export.csv")],
                 folder / "export.stdout", folder / "export.csv"),
                ("kg query --format csv", [KG, "query", "--file", str(query), "--store", str(folder), "--format", "csv"],
                 folder / "query.csv", folder / "query.csv")):
            print(f"{n:,} meetings: {name}", flush=True)
            out.unlink(missing_ok=True)
            wall, cpu, rss = measured(command, to, out, args.sample)
            print(f"| {n:,} | `{name}` | {wall:.1f} | {cpu:.1f} | {rss:.0f} | {Rows(out).count():,} |", flush=True)
    print("(columns: meetings, command, wall s, CPU s, peak RSS MB, rows)")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
