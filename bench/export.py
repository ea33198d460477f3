"""kg export events against kg query with the same SELECT to CSV, on bench/graph.py's graphs.

`bench/export --meetings 100000 1000000` generates each graph (a fixed seed), loads it into a store
as a build does (the report graphs, and their merge in the default graph), then runs, one after
the other in child processes, `kg export events -o FILE` and `kg query --file Q --format csv > FILE`
with Q the export's own query (kg.export.events_query), and prints wall time, peak resident memory
and rows of each as a Markdown table. The two files hold the same rows.
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
    store = ox.Store(str(folder / "store.tmp"))
    store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(path=str(triples), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.flush()
    del store
    os.rename(folder / "store.tmp", folder / "store")
    quads.unlink()
    triples.unlink()
    print(f"{meetings} meetings: {n} quads generated and loaded in {time.perf_counter() - t0:.0f} s", flush=True)
    return folder


def measured(command: list[str], stdout: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command run in a child of a fresh process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             f"rc = subprocess.run({command!r}, stdout=open({str(stdout)!r}, 'wb')).returncode; "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, rc)")
    wall, rss, rc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                   check=True).stdout.split()
    if rc != "0":
        raise SystemExit(f"{command[:3]} failed with exit code {rc}")
    return float(wall), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    query = args.out / "events.rq"
    args.out.mkdir(parents=True, exist_ok=True)
    query.write_text(events_query(), encoding="utf-8")
    print("| meetings | command | wall s | peak RSS MB | rows |\n| --- | --- | --- | --- | --- |", flush=True)
    for n in args.meetings:
        folder = store_for(args.out, n)
        for name, command, to in (
                ("kg export events", [KG, "export", "events", "--store", str(folder), "-o", str(folder / "export.csv")],
                 folder / "export.stdout"),
                ("kg query --format csv", [KG, "query", "--file", str(query), "--store", str(folder), "--format", "csv"],
                 folder / "query.csv")):
            wall, rss = measured(command, to)
            out = folder / "export.csv" if name.startswith("kg export") else to
            with out.open("rb") as f:
                rows = sum(1 for _ in f) - 1
            print(f"| {n:,} | `{name}` | {wall:.1f} | {rss:.0f} | {rows:,} |", flush=True)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
