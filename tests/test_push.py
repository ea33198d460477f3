"""kg push against a real second store: the Oxigraph server (PyPI `oxigraph`) on 127.0.0.1."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from conftest import ROOT, free_port

KG = [sys.executable, "-m", "kg.cli"]


@pytest.fixture
def oxigraph_server(tmp_path):
    port = free_port()
    binary = Path(sys.executable).parent / "oxigraph"
    process = subprocess.Popen([str(binary), "serve", "--location", str(tmp_path / "remote"),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_push_loads_every_graph_and_the_remote_equals_the_local(seeds_build, seeds_store, oxigraph_server):
    r = subprocess.run([*KG, "push", "--store", seeds_build, "--endpoint", oxigraph_server + "/store"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    graphs = {q.graph_name for q in seeds_store}
    assert f"pushed {len(graphs)} graphs, {len(seeds_store)} triples" in r.stdout and "0 failed" in r.stdout
    dump = httpx.get(oxigraph_server + "/store", headers={"Accept": "application/n-quads"}).content
    remote = set(ox.parse(dump, format=ox.RdfFormat.N_QUADS))
    assert remote == set(seeds_store)                        # the same quads, graph by graph
    # pushing again replaces each graph (PUT): nothing is doubled
    subprocess.run([*KG, "push", "--store", seeds_build, "--endpoint", oxigraph_server + "/store"], check=True,
                   capture_output=True, cwd=ROOT)
    again = set(ox.parse(httpx.get(oxigraph_server + "/store", headers={"Accept": "application/n-quads"}).content,
                         format=ox.RdfFormat.N_QUADS))
    assert again == remote


def test_push_retries_then_reports_what_failed(seeds_build):
    port = free_port()                                          # nothing listens there
    t0 = time.monotonic()
    r = subprocess.run([*KG, "push", "--store", seeds_build, "--endpoint", f"http://127.0.0.1:{port}/store",
                        "--retries", "1"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1
    assert "failed: <https://w3id.org/bilateral-kg/id/" in r.stderr and "Connection refused" in r.stderr
    assert "1 retries; 1 failed" in r.stdout and "not sent (the endpoint could not be reached)" in r.stdout
    assert time.monotonic() - t0 < 10
    bad = subprocess.run([*KG, "push", "--store", seeds_build, "--endpoint", "ftp://example.org/store"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "not an http(s) URL" in bad.stderr
