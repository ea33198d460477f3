"""Build benchmark: generated corpora of growing size, built with `kg build`, against a reference.

    bench/run [--sizes 1000 10000] [--density-copies 70] [--jobs N] [--no-single]

First the real-density corpus (bench/density.py: the seeds copied with their years shifted,
about 15 quads per KB as real news has), then for each size N: generate N reports (bench/corpus.py, cached in bench/out/), build them with a
clean `kg build --no-cache` in a child process, and report documents, MB of text, meetings,
triples, wall time per stage, MB/s (in all and per core) and reports/s, peak RSS, and `kg eval`
meeting F1 against the generated gold. The reference is what any tool must spend on the same
text: reading the files and splitting them into sentences with one regular expression, plus
pyoxigraph bulk-loading the resulting N-Quads dump. The ratio build / reference is the figure to
track; the reference's MB/s per core is a ceiling no build that loads the graph can pass. The
first size is also built with --jobs 1 to show the parallel speed-up. The table goes to
bench/out/run.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import generate  # noqa: E402
from density import replicate  # noqa: E402

KG = [sys.executable, "-m", "kg.cli"]
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def reference(folder: Path, dump: Path, scratch: Path) -> tuple[float, float]:
    """Seconds to read and sentence-split the text, and to bulk-load the dump into a new store."""
    t0 = time.perf_counter()
    sentences = 0
    for path in sorted(folder.glob("*.txt")):
        sentences += len(SENTENCE.split(path.read_text(encoding="utf-8")))
    read = time.perf_counter() - t0
    shutil.rmtree(scratch, ignore_errors=True)
    t0 = time.perf_counter()
    store = ox.Store(str(scratch))
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    store.flush()
    load = time.perf_counter() - t0
    del store
    shutil.rmtree(scratch, ignore_errors=True)
    return read, load


def build(folder: Path, out: Path, jobs: int) -> tuple[float, int, dict]:
    """Wall seconds, peak RSS (MB) of the build process (its report.json's peak_rss_mb: the
    extraction workers are forked from it and share most of their pages), and its report.json."""
    t0 = time.perf_counter()
    r = subprocess.run([*KG, "build", str(folder), "--out", str(out), "--no-cache", "--jobs", str(jobs), "--quiet"],
                       capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"kg build failed: {r.stderr[-2000:]}")
    report = json.loads((out / "report.json").read_text())
    return wall, max(report["peak_rss_mb"].values()), report


def measure(label: str, folder: Path, out: Path, scratch: Path, jobs: int, single: bool,
            gold: Path | None) -> list[dict]:
    """One table row per build of `folder` (with `jobs` workers, and with one when `single`)."""
    cores = os.cpu_count() or 1
    files = sorted(folder.glob("*.txt"))
    n, mb = len(files), sum(p.stat().st_size for p in files) / 1e6
    runs = [(jobs, *build(folder, out, jobs))]
    if single and jobs > 1:
        runs.append((1, *build(folder, out.with_name(out.name + "-1"), 1)))
    read, load = reference(folder, out / "kg.nq", scratch)
    f1 = None
    if gold is not None:
        f1 = json.loads(subprocess.run([*KG, "eval", str(gold), "--store", str(out), "--json"],
                                       capture_output=True, text=True, check=True).stdout)["meeting_f1"]
    rows = []
    for jobs_, wall, peak, report in runs:
        t = report["timings_s"]
        rows.append({"corpus": label, "reports": n, "MB": round(mb, 2), "jobs": jobs_,
                     "meetings": report["counts"]["meetings"], "triples": report["counts"]["triples"],
                     "quads_per_KB": round(report["counts"]["triples"] / (mb * 1000), 1),
                     "wall_s": round(wall, 1), "facts_s": t["facts"], "coref_s": t["coreference"],
                     "triples_s": t["triples"], "shacl_s": t.get("shacl", 0),
                     "store_dumps_s": round(t["store"] + t["dumps"], 2),
                     "MB_per_s": round(mb / wall, 3), "MB_per_s_core": round(mb / wall / cores, 3),
                     "reports_per_s": round(n / wall, 1), "ms_per_report": round(1000 * wall / n, 2),
                     "peak_rss_MB": peak, "reference_s": round(read + load, 2), "read_split_s": round(read, 2),
                     "bulk_load_s": round(load, 2),
                     "reference_MB_per_s_core": round(mb / (read + load) / cores, 3),
                     "ratio": round(wall / (read + load), 1), "meeting_f1": f1})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--density-copies", type=int, default=70,
                        help="copies of the seeds in the real-density corpus (bench/density.py); 0 skips it")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--no-single", action="store_true", help="do not also build the first corpus with --jobs 1")
    args = parser.parse_args()
    rows: list[dict] = []
    scratch = args.out / "scratch-store"
    if args.density_copies:
        folder = args.out / f"density-{args.density_copies}"
        if not folder.exists():
            replicate(folder, args.density_copies)
        rows += measure(f"seeds x{args.density_copies}", folder, args.out / f"build-density-{args.density_copies}",
                        scratch, args.jobs, not args.no_single, None)
    for i, n in enumerate(args.sizes):
        folder = args.out / f"corpus-{n}"
        if not (folder / "gold.json").exists():
            generate(folder, n)
        rows += measure(f"generated {n}", folder, args.out / f"build-{n}", scratch, args.jobs,
                        i == 0 and not args.no_single and not args.density_copies, folder / "gold.json")
    keys = list(rows[0])
    table = [f"Build benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores (`bench/run --sizes "
             f"{' '.join(map(str, args.sizes))} --density-copies {args.density_copies}`)", "",
             "| " + " | ".join(keys) + " |", "|" + " --- |" * len(keys)]
    table += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    (args.out / "run.md").write_text("\n".join(table) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    main()
