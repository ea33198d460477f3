from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import BuildConfig, build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds.json"


CORPUS = ROOT / "tests" / "corpus"


def _built(tmp_path_factory, source: Path) -> Path:
    out = tmp_path_factory.mktemp(source.name) / "build"
    build(BuildConfig((source,), out))
    return out


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory) -> Path:
    return _built(tmp_path_factory, SEEDS)


@pytest.fixture(scope="session")
def seeds_store(seeds_build) -> ox.Store:
    return ox.Store.read_only(str(seeds_build / "store"))


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory) -> Path:
    """The project's own corpus of reports the rules were not written for."""
    return _built(tmp_path_factory, CORPUS)


@pytest.fixture(scope="session")
def corpus_store(corpus_build) -> ox.Store:
    return ox.Store.read_only(str(corpus_build / "store"))


@pytest.fixture
def mappings_copy(tmp_path) -> Path:
    dst = tmp_path / "mappings"
    shutil.copytree(ROOT / "mappings", dst)
    return dst
