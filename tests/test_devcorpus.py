"""Quality on real pages: tests/devcorpus holds 100 openly licensed pages from about 30 publishers
(readouts, transcripts, joint statements, hard negatives; see its SOURCES.md) with a gold made by
hand. The rules were not written for any one of them; these figures are the measure of whether
they read real text. The thresholds are the ones the project promises (README, Quality)."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.evaluate import evaluate
from kg.store import dataset

ROOT = Path(__file__).resolve().parent.parent
DEVCORPUS = ROOT / "tests" / "devcorpus"
GOLD = DEVCORPUS / "gold.json"


def _pages_without_meeting_or_statement() -> list[str]:
    """Pages with no bilateral meeting and no joint statement in the gold (its notes say why):
    condolence messages, domestic and multilateral meetings, planned meetings and visits,
    briefings, interviews."""
    gold = json.loads(GOLD.read_text())
    told = {f for item in gold["meetings"] + gold["joint_statements"] for f in item["reported_in"]}
    return sorted(d["file"] for d in gold["documents"] if d["file"] not in told)


NEGATIVES = _pages_without_meeting_or_statement()


def test_the_devcorpus_is_whole():
    gold = json.loads(GOLD.read_text())
    files = {p.name for p in (DEVCORPUS / "docs").glob("*.txt")}
    assert len(files) == 100
    assert {d["file"] for d in gold["documents"]} == files
    assert {f for m in gold["meetings"] for f in m["reported_in"]} <= files
    sources = (DEVCORPUS / "SOURCES.md").read_text()
    assert all(f in sources for f in files), "every page has its source and licence in SOURCES.md"


def test_devcorpus_builds_with_the_default_shapes(devcorpus_build):
    report = json.loads((devcorpus_build / "report.json").read_text())
    assert report["counts"]["meetings"] > 0
    assert (devcorpus_build / "kg.nq").stat().st_size > 0


@pytest.mark.parametrize("page", NEGATIVES)
def test_pages_without_a_bilateral_meeting_yield_none(devcorpus_store: ox.Store, page: str):
    found = list(devcorpus_store.query(
        f"""PREFIX bkg: <https://w3id.org/bilateral-kg/ontology#>
        SELECT ?m WHERE {{ ?m a bkg:Meeting ; bkg:reportedIn/bkg:sourceFile ?f . FILTER(STRENDS(?f, "/{page}")) }}""",
        **dataset(devcorpus_store)))
    assert found == [], f"{page} has no bilateral meeting"


def test_devcorpus_figures_hold(devcorpus_store):
    """The figures README's Quality table gives, as floors: a change that reads real pages worse
    fails here, not in the reviewer's hands."""
    result = evaluate(devcorpus_store, json.loads(GOLD.read_text()))
    assert result["meeting_f1"] >= 0.93, result["meeting_f1"]
    assert result["meeting_precision"] >= 0.95, result["meeting_precision"]
    assert result["participant_f1"] >= 0.95, result["participant_f1"]
    assert result["date_accuracy"] >= 0.9, result["date_accuracy"]
    assert result["clauses_found"] >= 0.95, result["clauses_found"]
    assert result["clause_asserted_by_accuracy_own_file"] >= 0.9, result["clause_asserted_by_accuracy_own_file"]
    assert result["location_accuracy"] >= 0.6, result["location_accuracy"]
    assert result["side_accuracy"] >= 0.9, result["side_accuracy"]


def test_count_star_on_the_devcorpus_is_the_number_of_distinct_triples(devcorpus_build, devcorpus_store):
    from kg.store import dataset

    lines = (devcorpus_build / "kg.nq").read_text(encoding="utf-8").splitlines()
    distinct = len({line.rsplit(" <", 1)[0] for line in lines})
    (row,) = devcorpus_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **dataset(devcorpus_store))
    assert int(row["n"].value) == distinct < len(lines)
