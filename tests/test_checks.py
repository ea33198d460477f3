"""What CI relies on: exit codes, rule lint, SHACL, incremental builds, kg explain and kg diff."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

KG = [sys.executable, "-m", "kg.cli"]
ACCEPT = ["--accept", "date-without-year", "--accept", "unnamed-principals", "--accept", "ambiguous-acronym",
          "--accept", "rule-never-fired"]
ALWAYS_LOCATED = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix bkg: <https://w3id.org/bilateral-kg/ontology#> .
<urn:shape:located> a sh:NodeShape ; sh:targetClass bkg:Meeting ;
    sh:property [ sh:path bkg:location ; sh:minCount 1 ; sh:severity sh:%s ;
                  sh:message "every meeting must have a location" ] .
"""


def kg(*args, cwd=ROOT):
    return subprocess.run([*KG, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def add_rule(mappings: Path, text: str, first: bool = True) -> None:
    path = mappings / "rules" / "meetings.yaml"
    source = path.read_text(encoding="utf-8")
    at = source.index("rules:\n") + len("rules:\n") if first else len(source)
    path.write_text(source[:at] + text + source[at:], encoding="utf-8")


# Exit codes -------------------------------------------------------------------------------------------

def test_exit_0_built_and_valid(tmp_path):
    r = kg("build", SEEDS, "--out", tmp_path / "out", "--no-cache")
    assert r.returncode == 0, r.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["shacl"]["conforms"] and report["shacl"]["violations"] == 0


@pytest.mark.parametrize("severity,strict,code", [("Violation", True, 1), ("Warning", False, 0),
                                                  ("Warning", True, 1)])
def test_exit_1_when_the_graph_does_not_conform(tmp_path, severity, strict, code):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(ALWAYS_LOCATED % severity)
    out = tmp_path / "out"
    assert kg("build", SEEDS, "--out", out, "--no-cache").returncode == 0
    before = (out / "kg.nq").read_bytes()
    r = kg("build", SEEDS, "--out", out, "--no-cache", "--shapes", shapes, *(["--strict", *ACCEPT] if strict else []))
    assert r.returncode == code, r.stderr
    if code == 1:
        assert "does not conform" in r.stderr and "nothing was written" in r.stderr
        # a readable line: the focus node's label, the path, the message
        assert "Meeting between" in r.stderr and "bkg:location: every meeting must have a location" in r.stderr
        assert (out / "kg.nq").read_bytes() == before          # the previous graph is intact
    else:
        assert "every meeting must have a location" in r.stderr   # reported, not fatal


def test_a_fact_that_breaks_a_shape_is_left_out_and_reported(tmp_path):
    """Without --strict, the meetings that violate a shape are left out (with their parts and
    every statement pointing at them), each reported with file, line and rule; the rest stands."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(ALWAYS_LOCATED % "Violation")
    out, full = tmp_path / "out", tmp_path / "full"
    assert kg("build", SEEDS, "--out", full, "--no-cache").returncode == 0
    r = kg("build", SEEDS, "--out", out, "--no-cache", "--shapes", shapes)
    assert r.returncode == 0, r.stderr
    report = json.loads((out / "report.json").read_text())
    left_out = [w for w in report["warnings"] if w["code"] == "shape-violation"]
    assert left_out and all(w["file"].endswith(".txt") and w["line"] >= 1 and w["rule"] for w in left_out)
    assert report["shacl"]["violations"] == 0
    assert all("left out of the graph" in w["message"] and "bkg:location" in w["message"] for w in left_out)
    focus = [w["message"].split("<", 1)[1].split(">", 1)[0] for w in left_out]
    dump = (out / "kg.nq").read_text()
    assert not any(f"<{iri}>" in dump or f"<{iri}/" in dump for iri in focus)

    def meetings(nquads: str) -> set[str]:
        return {line.split(">", 1)[0] for line in nquads.splitlines() if "rdf-syntax-ns#type> <https://w3id.org/"
                "bilateral-kg/ontology#Meeting>" in line}
    assert meetings(dump) == meetings((full / "kg.nq").read_text()) - {f"<{iri}" for iri in focus}
    assert meetings(dump)                                      # the located meetings stand
    again = tmp_path / "again"
    assert kg("build", SEEDS, "--out", again, "--no-cache", "--shapes", shapes).returncode == 0
    assert (again / "kg.nq").read_bytes() == (out / "kg.nq").read_bytes()   # deterministic
    assert (again / "kg.ttl").read_bytes() == (out / "kg.ttl").read_bytes()


def test_exit_2_bad_input_rules_or_usage(tmp_path, mappings_copy):
    assert kg("build", tmp_path / "missing", "--out", tmp_path / "o").returncode == 2
    (mappings_copy / "rules" / "meetings.yaml").write_text("kind: rules\nrules: [\n")
    r = kg("build", SEEDS, "--out", tmp_path / "o", "--mappings", mappings_copy)
    assert r.returncode == 2 and "meetings.yaml" in r.stderr
    assert kg("build", SEEDS, "--bogus-option").returncode == 2
    r = kg("build", SEEDS, "--out", tmp_path / "o", "--no-cache", "--strict")   # warnings under --strict
    assert r.returncode == 2 and "under --strict" in r.stderr and "--accept" in r.stderr


def _build_replacing_extract_all(body: str, out: Path) -> subprocess.CompletedProcess:
    """kg build on the seeds in a new interpreter, with kg.build.extract_all replaced by `body`."""
    code = ("import os, kg.build as b\n"
            f"def replaced(*args): {body}\n"
            "b.extract_all = replaced\n"
            "from kg.cli import main\n"
            f"main(['build', {str(SEEDS)!r}, '--out', {str(out)!r}])\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_exit_3_internal_error(tmp_path):
    r = _build_replacing_extract_all("raise ZeroDivisionError('a bug')", tmp_path / "o")
    assert r.returncode == 3
    assert "internal error: ZeroDivisionError: a bug" in r.stderr and "Traceback" not in r.stderr


def test_an_extraction_process_that_dies_is_an_internal_error(tmp_path):
    """The extraction runs in a process of its own (kg.build.extract_apart); if it ends without a
    result (killed, say), the build says so and leaves no output."""
    r = _build_replacing_extract_all("os._exit(7)", tmp_path / "o")
    assert r.returncode == 3
    assert "the extraction process ended without a result (exit code 7)" in r.stderr
    assert not (tmp_path / "o").exists() and not list(tmp_path.glob(".o.tmp-*"))


# Lint -------------------------------------------------------------------------------------------------------

def _lint(report_dir: Path) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for p in json.loads((report_dir / "report.json").read_text())["lint"]:
        found.setdefault(p["code"], []).append(p)
    return found


def test_each_lint_finding_with_file_line_and_rule(tmp_path, mappings_copy):
    add_rule(mappings_copy, """  - id: lint.example-does-not-fire
    kind: meeting
    description: "a rule whose example is not what it matches"
    pattern: '{a:person} played chess with {b:person}'
    roles: {a: Host, b: Guest, c: Guest}
    examples:
      - "Xi Jinping met with Vladimir Putin."
  - id: lint.never-resolved
    kind: meeting
    description: "met with, and a slot that cannot fill: dates are taken out before matching"
    pattern: '{a:person} met with {b:person}(?: on {when:date})?'
    roles: {a: Host, b: Guest}
""")
    out = tmp_path / "out"
    r = kg("build", SEEDS, "--out", out, "--mappings", mappings_copy, "--no-cache")
    assert r.returncode == 0, r.stderr
    found = _lint(out)
    example = found["example-does-not-fire"][0]
    assert example["rule"] == "lint.example-does-not-fire" and example["file"] == "mappings/rules/meetings.yaml"
    assert example["line"] > 0
    assert [p["rule"] for p in found["unknown-slot"]] == ["lint.example-does-not-fire"]
    assert "'c'" in found["unknown-slot"][0]["message"]
    assert "lint.example-does-not-fire" in [p["rule"] for p in found["rule-never-fired"]]
    assert [(p["rule"], "'when'" in p["message"]) for p in found["slot-never-resolved"]] == [
        ("lint.never-resolved", True)]
    assert "lint: mappings/rules/meetings.yaml:" in r.stderr
    # under --strict every finding is an error (exit 2), even with the data warnings accepted
    r = kg("build", SEEDS, "--out", out, "--mappings", mappings_copy, "--no-cache", "--strict",
           "--accept", "date-without-year", "--accept", "rule-never-fired")
    assert r.returncode == 2
    for code in ("example-does-not-fire", "unknown-slot", "slot-never-resolved"):
        assert f"{code}: mappings/rules/meetings.yaml:" in r.stderr, code


def test_rules_that_never_fired_are_one_line_unless_verbose(tmp_path):
    """A default build of the seeds printed one `rule never fired` line per rule (43): one line
    counts them; --verbose lists each, report.json has each, --strict fails on them."""
    r = kg("build", SEEDS, "--out", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    unfired = [p for p in json.loads((tmp_path / "out" / "report.json").read_text())["lint"]
               if p["code"] == "rule-never-fired"]
    assert len(unfired) > 10 and "never fired" not in r.stderr.replace(f"lint: {len(unfired)} rules never fired", "")
    assert f"lint: {len(unfired)} rules never fired on this corpus (--verbose lists them" in r.stderr
    r = kg("build", SEEDS, "--out", tmp_path / "out", "--verbose")
    listed = [line for line in r.stderr.splitlines() if line.startswith("lint: ") and "never fired" in line]
    assert len(listed) == len(unfired) and listed[0] == f"lint: {unfired[0]['file']}:{unfired[0]['line']}: " \
        f"{unfired[0]['message']}"
    r = kg("build", SEEDS, "--out", tmp_path / "out", "--strict", "--accept", "date-without-year",
           "--accept", "unnamed-principals", "--accept", "ambiguous-acronym")
    assert r.returncode == 2 and "rule-never-fired: mappings/rules/" in r.stderr


def test_strict_build_of_the_whole_corpus_needs_only_the_data_warnings_accepted(tmp_path):
    """Every rule fires somewhere in seeds/ and tests/corpus/, every slot resolves, the graph conforms."""
    r = kg("build", SEEDS, ROOT / "tests" / "corpus", "--out", tmp_path / "all", "--no-cache", "--strict",
           "--accept", "date-without-year", "--accept", "unnamed-principals", "--accept", "skipped-hypothetical",
           "--accept", "ambiguous-acronym")
    assert r.returncode == 0, r.stderr


# Incremental builds -------------------------------------------------------------------------------------

def _outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ("kg.nq", "kg.ttl")}


def test_incremental_build_equals_a_clean_build(tmp_path):
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    cache = tmp_path / "cache"
    r = kg("build", corpus, "--out", tmp_path / "a", "--cache", cache)
    assert "(5 extracted, 0 from the cache)" in r.stdout
    r = kg("build", corpus, "--out", tmp_path / "b", "--cache", cache)
    assert "(0 extracted, 5 from the cache)" in r.stdout
    assert _outputs(tmp_path / "a") == _outputs(tmp_path / "b")
    # change one document: one document is extracted again, and the result is a clean build's
    changed = sorted(corpus.glob("*.txt"))[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nLater, Xi Jinping met with Vladimir Putin in "
                       "Beijing on May 17, 2024.\n", encoding="utf-8")
    r = kg("build", corpus, "--out", tmp_path / "c", "--cache", cache)
    assert "(1 extracted, 4 from the cache)" in r.stdout, r.stdout
    kg("build", corpus, "--out", tmp_path / "clean", "--no-cache")
    assert _outputs(tmp_path / "c") == _outputs(tmp_path / "clean")
    assert _outputs(tmp_path / "c") != _outputs(tmp_path / "a")
    report = json.loads((tmp_path / "c" / "report.json").read_text())
    assert report["documents"] == {"extracted": 1, "reused": 4}


def test_a_change_to_the_mappings_extracts_everything_again(tmp_path, mappings_copy):
    cache = tmp_path / "cache"
    kg("build", SEEDS, "--out", tmp_path / "a", "--cache", cache, "--mappings", mappings_copy)
    places = mappings_copy / "gazetteers" / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "\n# a comment changes the digest\n", encoding="utf-8")
    r = kg("build", SEEDS, "--out", tmp_path / "b", "--cache", cache, "--mappings", mappings_copy)
    assert "(5 extracted, 0 from the cache)" in r.stdout
    assert len([p for p in cache.iterdir() if p.is_dir()]) == 1      # the old entries are gone


# kg explain and kg diff ----------------------------------------------------------------------------------

def test_explain_a_meeting(seeds_build):
    r = kg("explain", "id:meeting/2022-08-23/anayansi-rodriguez-camejo/xie-feng", "--store", seeds_build, "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    facts = {(f["predicate"], f["value"]): f for f in data["facts"]}
    date = facts[("bkg:date", '"2022-08-23"^^xsd:date')]
    assert date["sources"][0]["rule"] == "date.stated" and date["sources"][0]["file"] == "002_1495c7d7e4d9c6bc.txt"
    mode = facts[("bkg:mode", "bkg:Video")]
    assert mode["sources"][0]["rule"] == "meeting.joint-consultation"
    assert mode["sources"][0]["rule_file"] == "mappings/rules/meetings.yaml"
    assert "via video link" in mode["sources"][0]["quote"] and mode["sources"][0]["line"] == 6
    text = kg("explain", "meeting/2022-08-23/anayansi-rodriguez-camejo/xie-feng", "--store", seeds_build).stdout
    assert "002_1495c7d7e4d9c6bc.txt:6 by date.stated (built-in)" in text
    assert kg("explain", "id:person/nobody", "--store", seeds_build).returncode == 2


def test_explain_a_rule(seeds_build):
    data = json.loads(kg("explain", "--rule", "meeting.held-talks", "--store", seeds_build, "--json").stdout)
    assert data["description"] and len(data["produced"]) >= 4
    assert all(p["rule"] == "meeting.held-talks" and p["resource"].startswith("id:meeting/") for p in data["produced"])
    assert kg("explain", "--rule", "no.such-rule", "--store", seeds_build).returncode == 2


def test_diff_shows_what_a_one_rule_change_did(tmp_path, mappings_copy, seeds_build):
    path = mappings_copy / "rules" / "meetings.yaml"
    source = path.read_text(encoding="utf-8")
    start = source.index("  - id: meeting.received\n")
    end = source.index("  - id:", start + 10)
    path.write_text(source[:start] + source[end:], encoding="utf-8")
    r = kg("build", SEEDS, "--out", tmp_path / "new", "--mappings", mappings_copy, "--no-cache")
    assert r.returncode == 0, r.stderr
    r = kg("diff", seeds_build / "kg.nq", tmp_path / "new", "--json", "--exit-code")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["removed"] > 0
    by = {c["subject"]: c for c in data["resources"]}
    assert "id:rule/meeting.received" in by
    touched = [s for s in by if s.startswith("id:evidence/")]
    assert touched and all("/meeting.received" in s or "/location." in s or "/date." in s for s in touched)
    text = kg("diff", seeds_build, tmp_path / "new").stdout
    assert "  - bkg:evidence id:evidence/" in text and text.rstrip().endswith("resource(s)")
    same = kg("diff", seeds_build / "kg.nq", seeds_build, "--exit-code")
    assert same.returncode == 0 and same.stdout.startswith("0 added, 0 removed")


def test_the_sample_ci_workflow_passes_on_this_repository(tmp_path):
    """The README's CI example runs the commands it shows: strict build, quality thresholds."""
    import re

    import yaml

    workflow = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    steps = {s.get("name"): s for s in workflow["jobs"]["build"]["steps"]}
    for name in ("Build (strict)", "Quality must not drop"):
        script = steps[name]["run"].replace("\\\n", " ")
        script = re.sub(r"--(out|store) (\S+)", lambda m: f"--{m.group(1)} {tmp_path / m.group(2)}", script)
        script = script.replace(".venv/bin/kg", f"{sys.executable} -m kg.cli")
        r = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 0, (name, r.stderr[-2000:])


# The output folder: a build replaces only what a build made ------------------------------------------

def test_out_that_no_build_made_is_refused_and_untouched(tmp_path):
    corpus = tmp_path / "x" / "c"
    corpus.mkdir(parents=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, corpus / seed.name)
    before = sorted(p.name for p in corpus.iterdir())
    r = kg("build", corpus, "--out", corpus, "--no-cache")
    assert r.returncode == 2 and "nothing was touched" in r.stderr
    assert sorted(p.name for p in corpus.iterdir()) == before
    # the working tree: --out . and --out '' resolve to the current folder
    for out in (".", ""):
        r = kg("build", corpus, "--out", out, "--no-cache", cwd=tmp_path / "x")
        assert r.returncode == 2 and "did not make" in r.stderr, r.stderr
    assert sorted(p.name for p in corpus.iterdir()) == before
    # a regular file is neither replaced nor renamed
    file = tmp_path / "notes.txt"
    file.write_text("keep me")
    r = kg("build", corpus, "--out", file, "--no-cache")
    assert r.returncode == 2 and "names a file" in r.stderr
    assert file.read_text() == "keep me" and not list(tmp_path.glob(".notes.txt*"))


def test_a_log_beside_the_output_is_kept(tmp_path):
    """`kg build ... --out DIR > DIR/build.log`: loose files the caller keeps there stay, across builds."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "build.log").write_text("started\n")
    for _ in range(2):
        r = kg("build", SEEDS, "--out", out, "--no-cache")
        assert r.returncode == 0, r.stderr
        assert (out / "build.log").read_text() == "started\n" and (out / "kg.nq").is_file()


def test_out_made_by_a_build_or_empty_is_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert kg("build", SEEDS, "--out", out, "--no-cache").returncode == 0      # empty: fine
    assert (out / ".kg-build").is_file()
    assert kg("build", SEEDS, "--out", out, "--no-cache").returncode == 0      # its own: replaced
    inside = out / "docs"                                                      # but not with inputs inside
    inside.mkdir()
    shutil.copy(next(SEEDS.glob("*.txt")), inside)
    r = kg("build", inside, "--out", out, "--no-cache")
    assert r.returncode == 2 and "inside --out" in r.stderr and (inside).is_dir()


def test_a_second_build_into_the_same_out_is_refused_while_the_first_runs(tmp_path):
    import fcntl
    out = tmp_path / "out"
    with open(tmp_path / ".out.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        r = kg("build", SEEDS, "--out", out, "--no-cache")
    assert r.returncode == 2 and "another kg build" in r.stderr and not out.exists()
    assert kg("build", SEEDS, "--out", out, "--no-cache").returncode == 0


def test_two_real_builds_into_one_out_at_once_the_second_is_refused(tmp_path):
    """Two kg build processes into one --out: while the first writes, the second is refused at
    once with a clear message, touches nothing, and the first finishes whole."""
    import time

    docs = tmp_path / "docs"
    docs.mkdir()
    for k in range(40):
        (docs / f"r{k:03d}.txt").write_text(f"Report {k}\n\nPresident Xi Jinping met President Joe Biden in "
                                            f"Beijing on May {1 + k % 28}, 2023.\n" * 40, encoding="utf-8")
    out = tmp_path / "out"
    first = subprocess.Popen([*KG, "build", str(docs), "--out", str(out), "--no-cache", "--jobs", "1", "--quiet"],
                             stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob(".out.tmp-*")), "the first build started writing"
    second = kg("build", SEEDS, "--out", out, "--no-cache", "--quiet")
    assert first.poll() is None, "the first build was still running when the second was refused"
    assert second.returncode == 2 and "another kg build is writing this output folder now" in second.stderr
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert json.loads((out / "report.json").read_text())["counts"]["files"] == 40
    assert not list(tmp_path.glob(".out.tmp-*"))


def test_a_full_disk_is_a_user_error_that_names_the_path_and_cleans_up(tmp_path):
    """No room to write (here a file size limit, as a full disk answers EFBIG/ENOSPC): exit 2
    with the path, no temporary folder or cache entry left behind, the previous output intact."""
    import resource
    import signal

    out = tmp_path / "out"
    assert kg("build", SEEDS, "--out", out, "--no-cache").returncode == 0
    before = (out / "kg.nq").read_bytes()

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)        # a write past the limit fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    r = subprocess.run([*KG, "build", str(SEEDS), "--out", str(out), "--cache", str(tmp_path / "cache")],
                       capture_output=True, text=True, cwd=ROOT, preexec_fn=small_files)
    assert r.returncode == 2, r.stderr
    assert "nothing was written" in r.stderr and str(tmp_path) in r.stderr
    assert (out / "kg.nq").read_bytes() == before
    assert not list(tmp_path.glob(".out.tmp-*"))
    assert not list((tmp_path / "cache").rglob("*.tmp-*"))


def test_a_full_disk_is_exit_2_naming_the_output_and_leaves_the_disk_as_it_was(tmp_path):
    """A real full disk: a 600 KB tmpfs mounted in a mount namespace of the build's own
    (unshare), too small for the seeds' build. Exit 2 naming --out, the previous output whole,
    and nothing left behind: no temporary folder, and no cache entry this build wrote (they
    filled the disk, and every later build failed on them until they were deleted by hand)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    small = tmp_path / "small"
    small.mkdir()
    (small / "one.txt").write_text("Xi Jinping met Joe Biden in Beijing on May 3, 2023.\n", encoding="utf-8")
    script = (f'mount -t tmpfs -o size=1500k tmpfs "$1" || exit 99\n'
              f'{" ".join(KG)} build "$2" --out "$1/out" --quiet --no-cache || exit 98\n'
              f'sha256sum "$1/out/kg.nq" > "$1.before"\n'
              f'{" ".join(KG)} build "$3" --out "$1/out" --quiet\n'
              f'echo "rc=$?"\n'
              f'sha256sum "$1/out/kg.nq" | cmp -s - "$1.before" && echo "previous output whole"\n'
              f'cd "$1" && find . -name "*.pickle" -o -name "*tmp*" | sed "s/^/left: /"\n')
    r = subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-c", script, "sh", str(disk), str(small),
                        str(SEEDS)], capture_output=True, text=True, cwd=ROOT)
    assert "rc=2" in r.stdout, (r.stdout, r.stderr)
    assert f"{disk}/out: No space left on device" in r.stderr and "nothing was written" in r.stderr
    assert "previous output whole" in r.stdout and "left:" not in r.stdout, r.stdout
    assert "cache entries it wrote" in r.stderr and "Traceback" not in r.stderr
    # a disk that fills while the store is written (Oxigraph says "os error 28", with no errno)
    script = (f'mount -t tmpfs -o size=400k tmpfs "$1" || exit 99\n'
              f'{" ".join(KG)} build "$2" --out "$1/out" --quiet\n'
              f'echo "rc=$?"\n'
              f'cd "$1" && find . -name "*.pickle" -o -name "*tmp*" -o -name out | sed "s/^/left: /"\n')
    r = subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-c", script, "sh", str(disk), str(small)],
                       capture_output=True, text=True, cwd=ROOT)
    assert "rc=2" in r.stdout and "left:" not in r.stdout, (r.stdout, r.stderr)
    assert f"{disk}/out: No space left on device" in r.stderr and "internal error" not in r.stderr


def _without_root(command: list) -> list:
    """The command without the privileges that let root read and write any file (as root, a
    folder's permissions stop nothing): the same permission checks as any user's."""
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--", *command] \
        if os.geteuid() == 0 else command


def test_an_unreadable_folder_is_a_warning_or_fails_under_strict(tmp_path):
    docs = tmp_path / "docs"
    (docs / "ok").mkdir(parents=True)
    (docs / "locked").mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    shutil.copy(seeds[0], docs / "ok")
    shutil.copy(seeds[1], docs / "locked")
    (docs / "locked").chmod(0)
    try:
        r = subprocess.run(_without_root([*KG, "build", str(docs), "--out", str(tmp_path / "out"), "--no-cache"]),
                           capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 0, r.stderr
        assert "warning: locked/: the folder cannot be read (Permission denied)" in r.stderr
        report = json.loads((tmp_path / "out" / "report.json").read_text())
        assert [w for w in report["warnings"] if w["code"] == "unreadable-folder"][0]["file"] == "locked/"
        assert report["counts"]["files"] == 1 and report["counts"]["files_skipped"] == 0
        r = subprocess.run(_without_root([*KG, "build", str(docs), "--out", str(tmp_path / "out"), "--no-cache",
                                          "--strict"]), capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 2 and "locked/: the folder cannot be read" in r.stderr
    finally:
        (docs / "locked").chmod(0o755)


def test_a_read_only_output_folder_is_exit_2(tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        r = subprocess.run(_without_root([*KG, "build", str(SEEDS), "--out", str(parent / "out"), "--no-cache"]),
                           capture_output=True, text=True, cwd=ROOT)
    finally:
        parent.chmod(0o755)
    assert r.returncode == 2 and str(parent) in r.stderr and "Permission denied" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and list(parent.iterdir()) == []


def test_user_mistakes_are_exit_2(tmp_path):
    r = kg("build", SEEDS, "--out", tmp_path / "o", "--base", "not an iri")
    assert r.returncode == 2 and "--base" in r.stderr
    r = kg("build", SEEDS, "--out", tmp_path / ("x" * 300) / "o")
    assert r.returncode == 2 and "File name too long" in r.stderr


def test_a_sentence_the_rules_cannot_read_in_bounded_time_is_left_out_named(tmp_path):
    """The time budget is the safety net under linear reading (tests/test_pathological_text.py): a
    document that takes longer than it (here 128 KB of names, about ten seconds, under a budget of three)
    is stopped and left out with a located warning; the build goes on."""
    import time

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "odd.txt").write_text("President Xi Jinping met President Joe Biden and " * 2600, encoding="utf-8")
    shutil.copy(min(SEEDS.glob("*.txt"), key=lambda p: p.stat().st_size), docs)   # well within the budget
    t0 = time.monotonic()
    r = kg("build", docs, "--out", tmp_path / "out", "--no-cache", "--document-timeout", "3")
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - t0 < 60
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    (late,) = [w for w in report["warnings"] if w["code"] == "extraction-timeout"]
    assert late["file"] == "odd.txt" and "3 s" in late["message"]
    assert report["counts"]["meetings"] > 0                       # the other document stands
