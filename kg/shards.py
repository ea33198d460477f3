"""Past one machine: extraction by shards anywhere, then one merge that coreferences and loads.

Extraction is a pure function of one document (and the mappings and code), so a corpus can be
cut into N shards, each extracted on its own machine (``extract_shard``, or ``kg extract --shard
K/N``), and the shards merged into one build (``merge``, or ``kg merge``). Shard K takes the
documents whose position in the corpus is K-1 modulo N, and the merge puts them back in that
order, so the merged build is byte-identical to ``kg build`` of the same documents.

``build_with_dask`` runs the shards as tasks of a Dask cluster: a ``LocalCluster`` by default, or
a real scheduler given by its address. The workers must see the documents at the same paths (a
shared file system or a copy on each machine).
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError, Problem

SHARD_FORMAT = 1


@dataclass
class Shard:
    k: int
    n: int
    mappings: str                     # digest of the mapping files it was extracted with
    code: str                         # digest of the package's code
    total: int                        # documents in the whole corpus
    documents: list[tuple[int, str, str, list]] = field(default_factory=list)  # (position, name, sha256, facts)
    problems: list[Problem] = field(default_factory=list)                       # its unreadable inputs


def parse_shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise InputError(f"--shard {text!r}: write it as K/N, e.g. 2/8") from None
    if not 1 <= k <= n:
        raise InputError(f"--shard {text!r}: K must be between 1 and N")
    return k, n


def extract_shard(paths: list[str | Path], k: int, n: int, mappings: str | Path | None = None,
                  jobs: int = 1) -> Shard:
    """The facts of shard K of N of the documents under PATHS (a pure function of its inputs).
    Only the shard's own files are read."""
    from kg.build import code_digest, extract_files, input_files, load_pipeline

    pipeline = load_pipeline(Path(mappings) if mappings else None)
    files = input_files(tuple(Path(p) for p in paths))
    mine = [(i, path) for i, path in enumerate(files) if i % n == k - 1]
    extracted = extract_files([path for _, path in mine], pipeline.extractor, pipeline.layout, jobs)
    return Shard(k, n, pipeline.mappings.digest, code_digest(), len(files),
                 [(i, e.name, e.digest, e.facts) for (i, _), e in zip(mine, extracted) if e.facts is not None],
                 [e.problem for e in extracted if e.problem is not None])


def save(shard: Shard, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        pickle.dump((SHARD_FORMAT, shard), f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def load(path: Path) -> Shard:
    try:
        with path.open("rb") as f:
            version, shard = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError) as exc:
        raise InputError(f"{path}: not a shard written by kg extract ({exc})") from None
    if version != SHARD_FORMAT or not isinstance(shard, Shard):
        raise InputError(f"{path}: a shard of another format ({version}); extract it again")
    return shard


def combine(shards, mappings: str, code: str) -> tuple[list[str], list[Problem], list[list], dict[str, str]]:
    """Names, problems, facts per document and input hashes of all shards, in corpus order.

    Refuses shards made with other mappings or code, and an incomplete or overlapping set."""
    shards = list(shards)
    n, total = shards[0].n, shards[0].total
    for s in shards:
        if s.mappings != mappings or s.code != code:
            raise InputError(f"shard {s.k}/{s.n} was extracted with other mappings or code; extract it again")
        if s.n != n or s.total != total:
            raise InputError(f"shard {s.k}/{s.n} belongs to another cut of the corpus ({s.total} documents)")
    ks = sorted(s.k for s in shards)
    if ks != list(range(1, n + 1)):
        raise InputError(f"shards {ks} of {n}: every shard 1..{n} is needed, once")
    documents = sorted((d for s in shards for d in s.documents), key=lambda d: d[0])
    names = [name for _, name, _, _ in documents]
    problems = sorted((p for s in shards for p in s.problems), key=lambda p: p.file or "")   # as kg build: by file
    return (names, problems, [facts for _, _, _, facts in documents],
            {name: sha for _, name, sha, _ in documents})


def merge(shards: list[Shard], out: Path, **options):
    """Coreference, triples, checks and store of shards: the same build as ``kg build``."""
    from kg.build import BuildConfig, build

    return build(BuildConfig((), out, shards=tuple(shards), **options))


def build_with_dask(paths: list[str | Path], out: Path, shards: int, scheduler: str | None = None,
                    mappings: str | Path | None = None, **options):
    """Extract the shards as Dask tasks (a LocalCluster, or the scheduler at `scheduler`), then merge.

        build_with_dask(["corpus/"], Path("build"), shards=64, scheduler="tcp://10.0.0.5:8786")
    """
    from dask.distributed import Client, LocalCluster

    paths = [str(Path(p).resolve()) for p in paths]
    cluster = None if scheduler else LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                                  dashboard_address=None)
    with Client(scheduler or cluster) as client:
        futures = [client.submit(extract_shard, paths, k, shards, str(mappings) if mappings else None,
                                 pure=False, key=f"kg-extract-{k}-of-{shards}") for k in range(1, shards + 1)]
        results = client.gather(futures)
    if cluster is not None:
        cluster.close()
    return merge(results, out, mappings=Path(mappings) if mappings else None, **options)
