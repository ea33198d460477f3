"""A corpus as dense as real news: the seeds, copied N times with every year shifted.

    python bench/density.py OUT_DIR --copies 70

Generated reports (bench/corpus.py) are short and carry about 135 quads per KB; real news
carries about 15, so most of its sentences say nothing about a meeting. This corpus keeps the
seeds' own text and density. Copy k (0-based) moves every year of the seeds' own time (2000 to
2025) back by k + 1, so each copy's meetings fall on dates of their own and coreference keeps
them apart; with fewer than 75 copies no shifted year leaves the 20th century's second half,
where the date patterns still read it. History ("founded in 1949") and targets ("by 2030") stay
as written: shifted, they would date another copy's meetings through anniversaries and
present-tense years. The same N gives byte-identical files.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
MAX_COPIES = 74
TOLD_YEARS = range(2000, 2026)    # the seeds' own time; earlier years are history, later ones targets


def replicate(out: Path, copies: int, seeds: Path = ROOT / "seeds") -> list[Path]:
    """Write `copies` shifted copies of every seed document into `out`; the files written."""
    if not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be 1..{MAX_COPIES} (more would shift years into real ones), not {copies}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(copies):
        shift = k + 1
        for seed in sorted(seeds.glob("*.txt")):
            text = YEAR.sub(lambda m: _shifted(m.group(0), shift), seed.read_text(encoding="utf-8"))
            path = out / f"{seed.stem}-copy{k:02d}.txt"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def _shifted(year: str, shift: int) -> str:
    return str(int(year) - shift) if int(year) in TOLD_YEARS else year


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--copies", type=int, default=70)
    args = parser.parse_args()
    files = replicate(args.out, args.copies)
    print(f"{len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.2f} MB in {args.out}")


if __name__ == "__main__":
    main()
