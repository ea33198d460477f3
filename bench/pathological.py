"""Time per KB against document size for text the rules were not written for (on demand).

    bench/pathological                          # 1 KB to 2 MB, each input
    bench/pathological --sizes 16 256 --inputs names

Each input is extracted as one document in this process (the mappings compiled once), under a
time limit per document (--limit, as the build's SIGALRM budget would stop it). Extraction must
be linear: the time per KB stays flat as the size grows. The inputs:

- titles: "Minister of Foreign Affairs and " repeated (a title read in every split of its "and"s)
- names: "President Xi Jinping met President Joe Biden and " repeated (a name every 25 characters,
  no full stop: the searches around each name over the sentence before it)
- unpunctuated: the seeds with every punctuation mark taken out (one sentence of real words,
  names, countries and dates)
- words: the seeds as they are (real news, for comparison)
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.articles import split_articles  # noqa: E402
from kg.build import DocumentTimeout, _within_budget, load_pipeline  # noqa: E402
from kg.documents import decode  # noqa: E402
from kg.facts import extract_report  # noqa: E402


def _seeds() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))


def _repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


INPUTS = {
    "titles": lambda size: _repeated("Minister of Foreign Affairs and ", size),
    "names": lambda size: _repeated("President Xi Jinping met President Joe Biden and ", size),
    "unpunctuated": lambda size: _repeated(re.sub(r"\s+", " ", re.sub(r"[^\w ]+", " ", _seeds())), size),
    "words": lambda size: _repeated(_seeds(), size),
}


def extract_seconds(pipeline, text: str, limit: float) -> float | None:
    """Seconds to extract `text` as one document; None past `limit`."""
    doc, problem = decode(Path("pathological.txt"), text.encode())
    if doc is None:
        raise SystemExit(f"cannot decode the input: {problem}")
    t0 = time.perf_counter()
    try:
        _within_budget(limit, lambda: [extract_report(a, pipeline.extractor) for a in split_articles(doc, pipeline.layout)])
    except DocumentTimeout:
        return None
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16, 64, 256, 1024, 2048], metavar="KB")
    parser.add_argument("--inputs", nargs="+", choices=sorted(INPUTS), default=list(INPUTS))
    parser.add_argument("--limit", type=float, default=600.0, help="seconds one document may take")
    args = parser.parse_args()
    pipeline = load_pipeline(None)
    extract_seconds(pipeline, INPUTS["words"](4096), args.limit)     # the lazy patterns, compiled once
    print(f"{'input':<13} {'KB':>6} {'seconds':>9} {'ms per KB':>10}")
    for name in args.inputs:
        for kb in args.sizes:
            took = extract_seconds(pipeline, INPUTS[name](kb * 1024), args.limit)
            if took is None:
                print(f"{name:<13} {kb:>6} {'> ' + format(args.limit, 'g'):>9} {'-':>10}", flush=True)
                break           # larger ones would take longer still
            print(f"{name:<13} {kb:>6} {took:>9.2f} {1000 * took / kb:>10.1f}", flush=True)


if __name__ == "__main__":
    main()
