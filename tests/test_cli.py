import json
import subprocess
import sys

import pyoxigraph as ox

from conftest import GOLD, ROOT

KG = [sys.executable, "-m", "kg.cli"]


def kg(*args):
    return subprocess.run([*KG, *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def test_malformed_query_prints_position_and_exits_2(seeds_build):
    r = kg("query", "SELECT ?x WHERE { ?x ?y }", "--store", seeds_build)
    assert r.returncode == 2
    assert "malformed query" in r.stderr and "line 1, column" in r.stderr and "Traceback" not in r.stderr


def test_query_formats(seeds_build):
    q = "SELECT ?m WHERE { ?m a bkg:Meeting ; bkg:mode bkg:Video }"
    as_json = json.loads(kg("query", q, "--store", seeds_build, "--format", "json").stdout)
    assert len(as_json["results"]["bindings"]) == 1
    assert kg("query", q, "--store", seeds_build, "--format", "csv").stdout.splitlines()[0] == "m"
    table = kg("query", q, "--store", seeds_build).stdout
    assert "(1 row)" in table
    ttl = kg("query", "CONSTRUCT { ?m a bkg:Meeting } WHERE { ?m a bkg:Meeting }", "--store", seeds_build,
             "--format", "ttl").stdout
    assert "bkg:Meeting" in ttl


def test_query_without_store_is_a_clear_error(tmp_path):
    r = kg("query", "ASK {}", "--store", tmp_path / "nothing")
    assert r.returncode == 2 and "no Oxigraph store" in r.stderr


def test_dump_in_every_format_parses(seeds_build, tmp_path):
    fmts = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
            "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
    sizes = {}
    for name, fmt in fmts.items():
        out = tmp_path / f"kg.{name}"
        assert kg("dump", "--store", seeds_build, "--format", name, "-o", out).returncode == 0
        sizes[name] = len(list(ox.parse(path=str(out), format=fmt)))
    assert sizes["nq"] == sizes["trig"] == sizes["jsonld"] >= sizes["ttl"] == sizes["nt"] > 1000


def test_jsonld_is_compact_with_a_context_and_the_report_graphs_and_turtle_uses_id(seeds_build, tmp_path):
    """kg dump --format jsonld wrote expanded JSON-LD on one line, without @context or the report
    graphs; kg.ttl wrote every resource IRI in full. Both read back as the same graph (pyoxigraph
    and rdflib), and the N-Quads dump is what it was."""
    import json

    import rdflib

    out = tmp_path / "kg.jsonld"
    assert kg("dump", "--store", seeds_build, "--format", "jsonld", "-o", out).returncode == 0
    text = out.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert text.count("\n") > 1000 and doc["@context"]["id"] == "https://w3id.org/bilateral-kg/id/"
    graphs = {g["@id"] for g in doc["@graph"]}
    assert "id:graph/reference" in graphs and any(g.startswith("id:report/") for g in graphs)
    node = next(n for g in doc["@graph"] for n in g["@graph"] if n["@id"].startswith("id:meeting/"))
    assert "bkg:Meeting" in node["@type"] and all(":" in k for k in node if not k.startswith("@"))
    nquads = {str(q) for q in ox.parse(path=str(seeds_build / "kg.nq"), format=ox.RdfFormat.N_QUADS)}
    assert {str(q) for q in ox.parse(path=str(out), format=ox.RdfFormat.JSON_LD)} == nquads
    dataset = rdflib.Dataset()
    dataset.parse(out, format="json-ld")
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == len(nquads)
    # kg.ttl: resources as id:... (Turtle escapes the slashes), the union of the graphs, rdflib reads it
    ttl = (seeds_build / "kg.ttl").read_text(encoding="utf-8")
    body = "".join(line for line in ttl.splitlines(keepends=True) if not line.startswith("@prefix"))
    assert "@prefix id: <https://w3id.org/bilateral-kg/id/> ." in ttl and "<https://w3id.org/bilateral-kg/id/" \
        not in body and "id:meeting\\/" in body
    graph = rdflib.Graph().parse(seeds_build / "kg.ttl", format="turtle")
    union = {str(q.triple) for q in ox.parse(path=str(seeds_build / "kg.nq"), format=ox.RdfFormat.N_QUADS)}
    assert len(graph) == len(union)


def test_eval_meets_the_issue_thresholds_on_the_seeds(seeds_build):
    r = kg("eval", GOLD, "--store", seeds_build, "--json", "--min-meeting-f1", 0.95, "--min-participant-f1", 0.95,
           "--min-clauses-found", 1.0, "--min-clause-side-accuracy", 0.95)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["meeting_f1"] >= 0.95 and result["participant_f1"] >= 0.95
    assert result["date_accuracy"] >= 0.95
    assert result["clauses_found"] == 1.0 and result["clause_topic_recall"] >= 0.8


def test_eval_exits_1_below_a_threshold(seeds_build):
    r = kg("eval", GOLD, "--store", seeds_build, "--min-meeting-f1", 1.01)
    assert r.returncode == 1 and "below threshold: meeting_f1" in r.stderr


def test_every_command_has_help_with_an_example():
    from kg.cli import main
    for name, command in main.commands.items():
        assert "Example:" in (command.help or ""), name


def test_serve_without_store_or_with_a_taken_port_is_a_clear_error(tmp_path, seeds_build):
    import socket

    # Issue 16, item 13: this failed when something else (another server, `make run`) held the
    # default port 7878: the port was checked before the store. The store is checked first now,
    # and the test no longer depends on which ports of the machine are free: it holds the port.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = kg("serve", "--store", tmp_path / "nothing", "--port", port)
        assert r.returncode == 2 and "no Oxigraph store" in r.stderr and "Traceback" not in r.stderr
        r = kg("serve", "--store", seeds_build, "--port", port)
    assert r.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in r.stderr and "Traceback" not in r.stderr


def test_ctrl_c_is_130_a_closed_pipe_is_quiet_and_debug_goes_anywhere(tmp_path, seeds_build):
    import signal
    import subprocess
    import sys
    import time

    kg = [sys.executable, "-m", "kg.cli"]
    many = tmp_path / "many"
    many.mkdir()
    for k in range(400):
        (many / f"r{k:03d}.txt").write_text(f"Report {k}\n\nPresident Xi Jinping met President Joe Biden in "
                                            f"Beijing on May {1 + k % 28}, 2023.\n" * 40, encoding="utf-8")
    build = subprocess.Popen([*kg, "build", str(many), "--out", str(tmp_path / "out"), "--no-cache", "--jobs", "1"],
                             stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    build.send_signal(signal.SIGINT)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130 and "interrupted" in err
    assert not (tmp_path / "out").exists()                          # nothing half-written
    # a reader that closes the pipe early: no traceback, no exit 3
    meeting = subprocess.run([*kg, "query", "SELECT ?m WHERE { ?m a bkg:Meeting } LIMIT 1", "--store",
                              str(seeds_build), "--format", "csv"], capture_output=True, text=True).stdout.split()[1]
    r = subprocess.run(f"{' '.join(kg)} explain '{meeting}' --store {seeds_build} | head -1", shell=True,
                       capture_output=True, text=True)
    assert r.stdout.strip() and "Error" not in r.stderr and "internal error" not in r.stderr
    # --debug after the command is the group's option
    r = subprocess.run([*kg, "build", "--debug", str(tmp_path / "missing"), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "No such option" not in r.stderr


def test_the_extraction_dies_with_a_killed_build(tmp_path):
    """A container stop or the OOM killer kills only the main process: its extraction process
    must not stay blocked on a pipe forever."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    many = tmp_path / "many"
    many.mkdir()
    for k in range(400):
        (many / f"r{k:03d}.txt").write_text(f"Report {k}\n\nPresident Xi Jinping met President Joe Biden in "
                                            f"Beijing on May {1 + k % 28}, 2023.\n" * 40, encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(many), "--out", str(tmp_path / "out"),
                              "--no-cache", "--jobs", "2"], stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        """The build's descendants: its extraction process and that one's two workers."""
        parents = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(stat.parent.name)] = int(fields[1])
        found, grown = {build.pid}, True
        while grown:
            more = {pid for pid, parent in parents.items() if parent in found} - found
            found |= more
            grown = bool(more)
        return sorted(found - {build.pid})

    deadline = time.monotonic() + 30
    while len(children()) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    kids = children()
    assert len(kids) >= 3, "the build forks its extraction, which forks its workers"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{k}").exists() and "Z" not in Path(f"/proc/{k}/stat").read_text().rsplit(")", 1)[1][:3]
              for k in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [k for k in kids if Path(f"/proc/{k}").exists()
             and "Z" not in Path(f"/proc/{k}/stat").read_text().rsplit(")", 1)[1][:3]]
    assert alive == []
