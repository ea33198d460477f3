"""Endpoint benchmark: `kg serve` against `oxigraph serve-read-only` on the same store, with wrk.

    bench/serve [--triples 1000000] [--duration 20] [--connections 8]

Makes a graph of about a million triples (bench/graph.py), loads it once into an Oxigraph store
that both servers open read-only, and runs three queries for `duration` seconds each with
`connections` concurrent clients against each server: one meeting by IRI; the meetings of one
country pair ordered by date (LIMIT 100); the number of meetings per country pair. Prints
requests/s, p50, p99 and errors, and writes the table to bench/out/serve.md. `kg serve` runs
twice: with its workers on jemalloc (installed here with wrk) and on glibc's malloc.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from kg.store import dataset  # noqa: E402
from graph import BKG, ID, generate  # noqa: E402

QUERIES = {
    "meeting by IRI": "SELECT ?p ?o WHERE {{ <{meeting}> ?p ?o }}",
    "one pair by date, LIMIT 100": f"""PREFIX bkg: <{BKG}>
SELECT ?m ?date WHERE {{{{ ?m a bkg:Meeting ; bkg:side <{ID}country/{{a}}>, <{ID}country/{{b}}> ; bkg:date ?date }}}}
ORDER BY ?date LIMIT 100""",
    "count per pair": f"""PREFIX bkg: <{BKG}>
SELECT ?a ?b (COUNT(?m) AS ?n) WHERE {{{{ ?m a bkg:Meeting ; bkg:side ?a, ?b . FILTER(STR(?a) < STR(?b)) }}}}
GROUP BY ?a ?b""",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def ensure_tools() -> tuple[str, str]:
    from kg.workers import JEMALLOC

    wrk = shutil.which("wrk")
    if not wrk or not any(os.path.exists(p) for p in JEMALLOC):
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "wrk", "libjemalloc2"], check=True)
        wrk = shutil.which("wrk")
    oxigraph = Path(sys.executable).parent / "oxigraph"
    if not oxigraph.exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "oxigraph"], check=True)
    return wrk, str(oxigraph)


def run_wrk(wrk: str, url: str, accept: str, duration: int, connections: int) -> dict:
    out = subprocess.run([wrk, "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", "--timeout", "60s",
                          "-H", f"Accept: {accept}", url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                                                       r"timeout (\d+)"):
        m = re.search(pattern, out)
        if m:
            errors += sum(int(x) for x in m.groups())
    return {"rps": rps, "p50": lat.get("50", "?"), "p99": lat.get("99", "?"), "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    wrk, oxigraph = ensure_tools()
    args.out.mkdir(parents=True, exist_ok=True)
    data, store_dir = args.out / f"graph-{args.triples}.nq", args.out / f"store-merged-{args.triples}"
    if not store_dir.exists():
        t0 = time.perf_counter()
        n = generate(data, args.triples)
        store = ox.Store(str(store_dir))
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        # as kg build does: the merge of the graphs, each triple once, in the default graph
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        store.flush()
        del store
        print(f"generated and loaded {n} quads in {time.perf_counter() - t0:.1f} s", flush=True)
    store = ox.Store.read_only(str(store_dir))
    quads = len(store)
    meeting = next(iter(store.query(f"SELECT ?m WHERE {{ ?m a <{BKG}Meeting> }} LIMIT 1",
                                    **dataset(store))))["m"].value
    pair = next(iter(store.query(f"SELECT ?a ?b (COUNT(*) AS ?n) WHERE {{ ?m <{BKG}side> ?a, ?b FILTER(STR(?a) < "
                                 f"STR(?b)) }} GROUP BY ?a ?b ORDER BY DESC(?n) LIMIT 1",
                                 **dataset(store))))
    a, b = pair["a"].value.rsplit("/", 1)[1], pair["b"].value.rsplit("/", 1)[1]
    del store
    queries = {name: q.format(meeting=meeting, a=a, b=b) for name, q in QUERIES.items()}

    kg_port, glibc_port, ox_port = free_port(), free_port(), free_port()
    kg_bin = Path(sys.executable).parent / "kg"

    def kg_serve(port: int, allocator: str):
        return (subprocess.Popen([str(kg_bin), "serve", "--store", str(store_dir), "--port", str(port),
                                  "--timeout", "60", "--max-rows", "100000", "--max-concurrent", "256",
                                  "--allocator", allocator], stderr=subprocess.DEVNULL),
                f"http://127.0.0.1:{port}/sparql")

    servers = {
        "kg serve": kg_serve(kg_port, "jemalloc"),
        "kg serve (glibc malloc)": kg_serve(glibc_port, "glibc"),
        "oxigraph serve": (subprocess.Popen([oxigraph, "serve-read-only", "--location", str(store_dir),
                                             "--bind", f"127.0.0.1:{ox_port}"],
                                            stderr=subprocess.DEVNULL), f"http://127.0.0.1:{ox_port}/query"),
    }
    results: dict[tuple[str, str], dict] = {}
    try:
        for name, (_, url) in servers.items():
            wait_until_up(url + "?query=" + urllib.parse.quote("ASK {}"))
        for qname, query in queries.items():
            for name, (_, url) in servers.items():
                full = url + "?query=" + urllib.parse.quote(query)
                urllib.request.urlopen(urllib.request.Request(
                    full, headers={"Accept": "application/sparql-results+json"}), timeout=60).read()   # warm up
                results[(qname, name)] = r = run_wrk(wrk, full, "application/sparql-results+json",
                                                     args.duration, args.connections)
                print(f"{qname:28} {name:24} {r['rps']:9.1f} req/s  p50 {r['p50']:>8}  p99 {r['p99']:>8}  "
                      f"errors {r['errors']}", flush=True)
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(timeout=20)

    lines = [f"Endpoint benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; {quads} quads; "
             f"wrk, {args.connections} connections, {args.duration} s per query and server.", "",
             "| query | server | requests/s | p50 | p99 | errors | kg / oxigraph |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for qname in queries:
        base = results[(qname, "oxigraph serve")]["rps"]
        for name in servers:
            r = results[(qname, name)]
            # no request of the reference finished within the duration: no ratio (run longer)
            ratio = f"{r['rps'] / base:.2f}" if name.startswith("kg serve") and base else ""
            rps = f"{r['rps']:.0f}" if r["rps"] >= 100 else f"{r['rps']:.1f}"
            lines.append(f"| {qname} | {name} | {rps} | {r['p50']} | {r['p99']} | {r['errors']} | {ratio} |")
    table = "\n".join(lines) + "\n"
    (args.out / "serve.md").write_text(table)
    print("\n" + table)


if __name__ == "__main__":
    main()
