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
DEVCORPUS = ROOT / "tests" / "devcorpus"   # real, openly licensed pages (SOURCES.md), gold by hand


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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`kg serve` started for real on a free loopback port, stopped at the end of its fixture."""

    def __init__(self, store: Path, tmp: Path, *options: str, port: int | None = None) -> None:
        import subprocess
        import sys
        import time

        import httpx

        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = self.url + "/sparql"
        self.log = tmp / f"queries-{self.port}.jsonl"
        self.stderr = open(tmp / f"serve-{self.port}.err", "w+")
        kg = Path(sys.executable).parent / "kg"
        self.process = subprocess.Popen([str(kg), "serve", "--store", str(store), "--port", str(self.port),
                                         "--query-log", str(self.log), *options],
                                        stdout=self.stderr, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stderr.seek(0)
                raise RuntimeError(f"kg serve exited: {self.stderr.read()}")
            try:
                if httpx.get(self.url + "/health", timeout=1).json()["status"] == "ok":
                    return
            except (httpx.HTTPError, ValueError, KeyError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("kg serve did not become healthy within 60 s")

    def stop(self) -> None:
        import subprocess

        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr.close()


@pytest.fixture(scope="session")
def seeds_server(seeds_build, tmp_path_factory):
    server = Server(seeds_build, tmp_path_factory.mktemp("serve"), "--timeout", "20")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def devcorpus_build(tmp_path_factory) -> Path:
    """The real pages of tests/devcorpus, built with the default shapes (as a user would)."""
    return _built(tmp_path_factory, DEVCORPUS / "docs")


@pytest.fixture(scope="session")
def devcorpus_store(devcorpus_build) -> ox.Store:
    return ox.Store.read_only(str(devcorpus_build / "store"))
