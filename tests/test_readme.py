"""The README's examples are real output of the commands they show, on the seeds: an example that
goes stale (the cq01 table showed meetings the build no longer makes, whose IRIs `kg explain`
then refused) fails here."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
KG = [sys.executable, "-m", "kg.cli"]
SECTION = README.split("## Three example queries on the seeds (real output of `kg query`)")[1].split("\n## ")[0]
# a query (a file named in the text, or a ```sparql block), then the block of its output
EXAMPLE = re.compile(r"\(`(?P<file>queries/[\w.-]+\.rq)`\):\s*```\n(?P<out1>.*?)```"
                     r"|```sparql\n(?P<query>.*?)```\s*```\n(?P<out2>.*?)```", re.S)


def _kg(*args) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def _examples() -> list[tuple[str, str, str]]:
    found = []
    for m in EXAMPLE.finditer(SECTION):
        if m.group("file"):
            found.append((m.group("file"), ("--file", m.group("file")), m.group("out1")))
        else:
            found.append((m.group("query").splitlines()[0], (m.group("query"),), m.group("out2")))
    return found


def test_the_section_has_its_three_examples():
    assert len(_examples()) == 3


@pytest.mark.parametrize("name, query, shown", _examples(), ids=lambda x: x if isinstance(x, str) and
                         x.startswith("queries/") else None)
def test_a_readme_query_shows_what_kg_query_prints(seeds_build, name, query, shown):
    done = _kg("query", *query, "--store", seeds_build)
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown, f"README's output of {name} is stale; kg query now prints:\n{done.stdout}"


def test_every_resource_the_readme_names_is_in_the_graph(seeds_build):
    """Pasting an IRI of the README (whole, not cut with '...') into kg explain works."""
    named = set(re.findall(r"https://w3id\.org/bilateral-kg/id/[^\s|`)\"'<>,]+", README))
    named |= {"https://w3id.org/bilateral-kg/id/" + m for m in re.findall(r"kg explain id:(\S+)", README)}
    whole = sorted(i for i in named if not i.endswith(("...", "…")))
    assert len(whole) >= 2
    for iri in whole:
        done = _kg("explain", iri, "--store", seeds_build)
        assert done.returncode == 0 and done.stdout.startswith(f"<{iri}>"), (iri, done.stderr)


def test_the_explain_example_begins_as_kg_explain_does(seeds_build):
    block = README.split("$ kg explain id:")[1]
    iri, shown = block.split(" --store build\n", 1)
    done = _kg("explain", "id:" + iri, "--store", seeds_build)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == shown.splitlines()[0]
