"""Where a build spends its time: py-spy samples `kg build` (its worker processes included) and
the functions are ranked by the share of samples in which they were running.

    bench/profile [--reports 10000] [--top 25]

It builds bench/out/corpus-N (generated if missing) into bench/out/profile-N and prints two
tables: self time per function, and the build stages' own timings from report.json. py-spy is
in the `bench` extra (pip install -e '.[bench]').
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import generate  # noqa: E402

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def hot_spots(raw: Path, top: int) -> list[tuple[float, str]]:
    """(share of samples, function) by self time, from py-spy's collapsed stacks."""
    counts: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        total += int(n)
        leaf = FRAME.match(stack.split(";")[-1])
        counts[f"{leaf['function']} ({leaf['file']})" if leaf else stack.split(";")[-1]] += int(n)
    return [(n / total, f) for f, n in counts.most_common(top)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--jobs", type=int, default=0, help="kg build --jobs (default: its own default)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if not spy:
        raise SystemExit("py-spy is not installed: pip install -e '.[bench]'")
    folder = args.out / f"corpus-{args.reports}"
    if not (folder / "gold.json").exists():
        generate(folder, args.reports)
    out, raw = args.out / f"profile-{args.reports}", args.out / f"profile-{args.reports}.txt"
    build = [sys.executable, "-m", "kg.cli", "build", str(folder), "--out", str(out), "--no-cache", "--quiet"]
    if args.jobs:
        build += ["--jobs", str(args.jobs)]
    subprocess.run([spy, "record", "--subprocesses", "--rate", "50", "--format", "raw", "--output", str(raw),
                    "--", *build], check=True, capture_output=True)
    print(f"self time, {args.reports} reports (py-spy samples of every process):")
    for share, function in hot_spots(raw, args.top):
        print(f"{share:6.1%}  {function}")
    timings = json.loads((out / "report.json").read_text())["timings_s"]
    print("\nstages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


if __name__ == "__main__":
    main()
