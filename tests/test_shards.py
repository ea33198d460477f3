"""Past one machine: shards extracted separately (here by Dask) merge into the same build."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import CORPUS, ROOT, SEEDS

KG = [sys.executable, "-m", "kg.cli"]


def outputs(folder):
    return {name: (folder / name).read_bytes() for name in ("kg.nq", "kg.ttl")}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference") / "build"
    subprocess.run([*KG, "build", SEEDS, CORPUS, "--out", out, "--no-cache", "--quiet"], check=True, cwd=ROOT)
    return out


def test_kg_extract_and_merge_equal_kg_build(tmp_path, reference):
    for k in (1, 2, 3):
        subprocess.run([*KG, "extract", SEEDS, CORPUS, "--shard", f"{k}/3", "-o", tmp_path / f"{k}.shard"],
                       check=True, capture_output=True, cwd=ROOT)
    r = subprocess.run([*KG, "merge", *(tmp_path / f"{k}.shard" for k in (3, 1, 2)), "--out", tmp_path / "merged"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert outputs(tmp_path / "merged") == outputs(reference)
    missing = subprocess.run([*KG, "merge", tmp_path / "1.shard", "--out", tmp_path / "m2"],
                             capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 2 and "every shard 1..3 is needed" in missing.stderr
    assert subprocess.run([*KG, "extract", SEEDS, "--shard", "4/3", "-o", tmp_path / "x"], capture_output=True,
                          cwd=ROOT).returncode == 2


def test_dask_local_cluster_builds_the_same_graph(tmp_path, reference):
    from kg.shards import build_with_dask

    report = build_with_dask([SEEDS, CORPUS], tmp_path / "dask", shards=4)
    files = len(list(SEEDS.glob("*.txt"))) + len(list(CORPUS.glob("*.txt")))
    assert report.documents["extracted"] == report.counts["files"] == files
    assert outputs(tmp_path / "dask") == outputs(reference)
