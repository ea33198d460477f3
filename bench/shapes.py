"""What SHACL validation spends its time on: each compiled check of ontology/shapes.ttl timed on
its own, one after the other, over a built store, slowest first.

    bench/shapes [--store bench/out/build-10000] [--top 25]

The build runs the same checks in `--jobs` threads (kg.shapes.validate); here they run one at a
time, so each time is the check's own. The store is opened read-only and left as it is.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from kg.shapes import class_hierarchy, compile_shapes  # noqa: E402
from kg.store import dataset  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=HERE / "out" / "build-10000",
                        help="a build folder or its store/ subfolder")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    path = args.store / "store" if (args.store / "store").is_dir() else args.store
    if not path.is_dir():
        raise SystemExit(f"{path}: no store here (build one first: bench/run, or kg build --out)")
    store = ox.Store.read_only(str(path))
    checks = compile_shapes(subclasses=class_hierarchy(store))
    timed = []
    for check in checks:
        start = time.perf_counter()
        rows = sum(1 for _ in store.query(check.query, **dataset(store)))
        timed.append((time.perf_counter() - start, check, rows))
    total = sum(t for t, _, _ in timed)
    print(f"{len(checks)} checks over {len(store):,} quads, one after the other: {total:.1f} s")
    for seconds, check, rows in sorted(timed, key=lambda x: -x[0])[:args.top]:
        print(f"{seconds:7.2f} s  {100 * seconds / total:4.1f}%  {check.kind:6}  {check.shape}"
              f"{'  ' + check.path if check.path else ''}  ({rows} finding rows)")


if __name__ == "__main__":
    main()
