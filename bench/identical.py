"""Same output, byte for byte: build the seeds, tests/corpus and the devcorpus (and, with
--density N, the real-density corpus of bench/density.py) and compare each dump with the one a
reference build wrote.

    bench/identical --save REF_DIR     # on the code to compare against: write the references
    bench/identical REF_DIR            # on the changed code: exit 1 unless every dump is the same

A change meant only to make extraction faster must leave kg.nq and kg.ttl of every corpus as
they were; this says so, or names the dumps that differ.
"""
from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from density import replicate  # noqa: E402

KG = [sys.executable, "-m", "kg.cli"]
CORPORA = {"seeds": ROOT / "seeds", "corpus": ROOT / "tests" / "corpus", "devcorpus": ROOT / "tests" / "devcorpus" / "docs"}
DUMPS = ("kg.nq", "kg.ttl")


def build(source: Path, out: Path, jobs: int) -> None:
    r = subprocess.run([*KG, "build", str(source), "--out", str(out), "--no-cache", "--quiet", "--jobs", str(jobs)],
                       capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(f"kg build {source} failed: {r.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("references", type=Path, help="the folder of the reference dumps")
    parser.add_argument("--save", action="store_true", help="write the references instead of comparing")
    parser.add_argument("--density", type=int, default=0, metavar="N",
                        help="also the seeds copied N times (bench/density.py)")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    corpora = dict(CORPORA)
    with tempfile.TemporaryDirectory() as tmp:
        if args.density:
            corpora[f"density-{args.density}"] = Path(tmp) / "density"
            replicate(corpora[f"density-{args.density}"], args.density)
        differ = []
        for name, source in corpora.items():
            out = Path(tmp) / name
            build(source, out, args.jobs)
            for dump in DUMPS:
                reference = args.references / name / dump
                if args.save:
                    reference.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(out / dump, reference)
                elif not reference.exists():
                    raise SystemExit(f"no reference {reference}: write the references with --save first")
                elif not filecmp.cmp(out / dump, reference, shallow=False):
                    differ.append(f"{name}/{dump}")
            print(f"{name}: {'saved' if args.save else 'differs' if any(d.startswith(name + '/') for d in differ) else 'identical'}",
                  flush=True)
    if differ:
        raise SystemExit(f"dumps differ from the references: {', '.join(differ)}")


if __name__ == "__main__":
    main()
