from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import BuildConfig, build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds.json"


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "build"
    build(BuildConfig((SEEDS,), out))
    return out


@pytest.fixture(scope="session")
def seeds_store(seeds_build) -> ox.Store:
    return ox.Store.read_only(str(seeds_build / "store"))


@pytest.fixture
def mappings_copy(tmp_path) -> Path:
    dst = tmp_path / "mappings"
    shutil.copytree(ROOT / "mappings", dst)
    return dst
