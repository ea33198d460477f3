"""Event data: the codes in the graph, kg export events / dyad-years, kg plot, and the same from kg serve."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pandas as pd
import pytest

from kg.export import EVENT_COLUMNS, events_query
from kg.store import dataset

KG = str(Path(sys.executable).parent / "kg")
GOLD = Path(__file__).resolve().parent / "gold" / "seeds.json"
XI_DIAZ_CANEL = "https://w3id.org/bilateral-kg/id/meeting/2022-11-25/xi-jinping/miguel-mario-diaz-canel-bermudez"
VIDEO_CALL = "https://w3id.org/bilateral-kg/id/meeting/2022-08-23/anayansi-rodriguez-camejo/xie-feng"


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KG, *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def events_csv(seeds_build, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("events") / "events.csv"
    done = kg("export", "events", "--store", str(seeds_build), "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def rows(events_csv) -> list[dict]:
    with events_csv.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_csv_has_the_columns_and_loads_with_csv_and_pandas(events_csv, rows, seeds_store):
    assert tuple(rows[0]) == EVENT_COLUMNS
    frame = pd.read_csv(events_csv, dtype={"cameo_code": str})
    assert len(frame) == len(rows)
    assert frame["n_reports"].dtype.kind == "i" and frame["source_gw"].dtype.kind in "if"
    assert set(frame["cameo_code"]) <= {"040", "041", "042", "043", "044", "057"}
    # every sentence arrives as the graph quotes it (commas, quotes, line breaks and all)
    quotes = {q["q"].value for q in seeds_store.query(
        "SELECT ?q WHERE { ?e a <https://w3id.org/bilateral-kg/ontology#CodedEvent> ; "
        "<https://w3id.org/bilateral-kg/ontology#evidence>/<https://w3id.org/bilateral-kg/ontology#quote> ?q }",
        **dataset(seeds_store))}
    assert set(frame["sentence"]) == {r["sentence"] for r in rows} == quotes
    assert any("," in q or '"' in q or "\n" in q for q in quotes)


def test_every_gold_meeting_has_its_rows(rows):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["meetings"]
    for m in gold:
        names = {n for p in m["participants"] for n in [p["name"], *p.get("aliases_in_text", [])]}

        def named(name: str) -> bool:
            return any(n in name or name in n for n in names)
        mine = [r for r in rows if named(r["source_name"]) and named(r["target_name"])]
        assert mine, f"no rows for gold meeting {m['id']} ({', '.join(sorted(names))})"
        if len(m["date"] or "") == 10:
            assert any(r["event_date"] == m["date"] for r in mine), m["id"]


def test_state_codes_and_the_codes_of_a_visit_and_a_call(rows):
    china = [r for r in rows if r["source_country"] == "China"]
    cuba = [r for r in rows if r["source_country"] == "Cuba"]
    assert china and all((r["source_iso3"], r["source_gw"]) == ("CHN", "710") for r in china)
    assert cuba and all((r["source_iso3"], r["source_gw"]) == ("CUB", "40") for r in cuba)
    visit = {(r["cameo_code"], r["source_country"], r["target_country"], r["plover_mode"])
             for r in rows if r["meeting"] == XI_DIAZ_CANEL}
    assert ("042", "Cuba", "China", "visit") in visit and ("043", "China", "Cuba", "host") in visit
    assert ("042", "China", "Cuba", "visit") not in visit
    call = [(r["cameo_code"], r["source_country"], r["target_country"], r["plover_mode"], r["mode"])
            for r in rows if r["meeting"] == VIDEO_CALL]
    assert sorted(call) == [("041", "China", "Cuba", "phone", "Video"), ("041", "Cuba", "China", "phone", "Video")]
    assert all(r["plover_type"] == "SUPPORT" for r in rows if r["cameo_code"] == "057")
    northern_ireland = [r for r in rows if r["target_country"] == "Northern Ireland"]
    assert northern_ireland and all(r["target_iso3"] == r["target_gw"] == "" for r in northern_ireland)


def test_exported_files_get_the_mode_any_new_file_gets(events_csv, tmp_path):
    """Written through a private temporary file, then renamed: the table is still readable by whom
    the umask lets read it (a plot for a paper, a table for a shared folder)."""
    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    assert events_csv.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_the_row_count_is_the_directed_events_a_sparql_count_gives(rows, seeds_store):
    count = """PREFIX bkg: <https://w3id.org/bilateral-kg/ontology#>
    SELECT (COUNT(*) AS ?n) WHERE {
      ?m bkg:event ?e ; bkg:participation ?p, ?q . ?p bkg:agent ?a . ?q bkg:agent ?b . FILTER(?a != ?b)
      ?p bkg:represents ?sp . ?q bkg:represents ?sq .
      OPTIONAL { ?sp bkg:country ?cp } OPTIONAL { ?sq bkg:country ?cq }
      FILTER(COALESCE(?cp, ?sp) != COALESCE(?cq, ?sq))
      OPTIONAL { ?e bkg:sourceRole ?role } FILTER(!BOUND(?role) || EXISTS { ?p bkg:role ?role })
    }"""
    n = int(next(iter(seeds_store.query(count, **dataset(seeds_store))))["n"].value)
    assert n == len(rows) > 30
    assert len({r["event_id"] for r in rows}) == len(rows)


def test_undirected_gives_one_row_per_meeting_and_code(seeds_build, rows):
    done = kg("export", "events", "--store", str(seeds_build), "--undirected", "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    undirected = [json.loads(line) for line in done.stdout.splitlines()]
    assert isinstance(undirected[0]["n_reports"], int)
    pairs = {(r["meeting"], r["cameo_code"], frozenset((r["source_name"], r["target_name"]))) for r in undirected}
    assert len(pairs) == len(undirected)
    assert {r["cameo_code"] for r in undirected} == {r["cameo_code"] for r in rows} - {"043"}
    visit = [r for r in undirected if r["meeting"] == XI_DIAZ_CANEL and r["cameo_code"] == "042"]
    assert [(r["source_country"], r["target_country"]) for r in visit] == [("Cuba", "China")]


def test_period_filter_tsv_and_bad_input(seeds_build, rows):
    done = kg("export", "events", "--store", str(seeds_build), "--from", "2022-08", "--to", "2022-08-31",
              "--format", "tsv")
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout), delimiter="\t"))
    assert {r["meeting"] for r in table} == {VIDEO_CALL}
    bad = kg("export", "events", "--store", str(seeds_build), "--from", "2022-02-30")
    assert bad.returncode == 2 and "is no date" in bad.stderr
    missing = kg("export", "events", "--store", str(seeds_build) + "-none")
    assert missing.returncode == 2


def test_event_ids_are_stable_across_builds(rows, tmp_path):
    done = kg("build", "seeds", "--out", str(tmp_path / "again"), "--quiet", "--no-cache")
    assert done.returncode == 0, done.stderr
    again = kg("export", "events", "--store", str(tmp_path / "again"))
    assert {r["event_id"] for r in csv.DictReader(io.StringIO(again.stdout))} == {r["event_id"] for r in rows}


def test_dyad_years_count_what_kg_query_counts(seeds_build):
    done = kg("export", "dyad-years", "--store", str(seeds_build))
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    mine = {r["year"]: sum(int(x["meetings"]) for x in table if x["year"] == r["year"] and
                           {x["iso3_a"], x["iso3_b"]} == {"CHN", "CUB"}) for r in table}
    query = kg("query", "--store", str(seeds_build), "--format", "csv",
               "SELECT ?year (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a bkg:Meeting ; bkg:date ?d ; "
               "bkg:side <country/CN>, <country/CU> . FILTER(DATATYPE(?d) != xsd:gMonthDay) "
               "BIND(SUBSTR(STR(?d), 1, 4) AS ?year) } GROUP BY ?year")
    counted = {r["year"]: int(r["n"]) for r in csv.DictReader(io.StringIO(query.stdout))}
    assert counted == {y: n for y, n in mine.items() if n} and counted["2022"] == 4


def test_the_readme_gives_the_export_query(seeds_store):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert events_query() in readme


def test_the_crosswalk_names_only_concepts_of_the_scheme(mappings_copy):
    path = mappings_copy / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('cameo: "044"', 'cameo: "0449"'), encoding="utf-8")
    done = kg("validate", "--mappings", str(mappings_copy))
    assert done.returncode == 2 and "events.yaml:" in done.stderr and "'0449' is no concept" in done.stderr


def test_plots_are_valid_svg_with_escaped_labels(seeds_build, tmp_path):
    net, line = tmp_path / "network.svg", tmp_path / "timeline.svg"
    assert kg("plot", "network", "--store", str(seeds_build), "-o", str(net)).returncode == 0
    done = kg("plot", "timeline", "--store", str(seeds_build), "-o", str(line), "--country", "CN", "--country", "Cuba")
    assert done.returncode == 0, done.stderr
    docs = Path(__file__).resolve().parent.parent / "docs"        # the pictures the README shows
    assert net.read_bytes() == (docs / "plot-network.svg").read_bytes()
    assert line.read_bytes() == (docs / "plot-china-cuba.svg").read_bytes()
    svg = "{http://www.w3.org/2000/svg}"
    tree = ET.parse(net)
    titles = [t.text for t in tree.iter(svg + "title")]
    assert any(t.startswith("China: ") for t in titles) and any(t.startswith("China – Cuba: ") for t in titles)
    marks = [a for a in ET.parse(line).iter(svg + "a")]
    assert marks and all(a.get("href").startswith("https://w3id.org/bilateral-kg/id/meeting/") for a in marks)
    bad = kg("plot", "timeline", "--store", str(seeds_build), "-o", str(line), "--country", "Atlantis")
    assert bad.returncode == 2 and "no meeting of the graph has a side named" in bad.stderr
    from kg.plots import timeline_svg
    hostile = timeline_svg([{"m": "x", "date": "2020-01-01", "mode": "Phone", "partner": "p",
                             "partner_label": "<script>alert(1)</script>", "participants": "A & B",
                             "sentence": '"</title><script>'}], lambda iri: "javascript:alert(1)", "C")
    ET.fromstring(hostile)
    assert "<script>" not in hostile


def test_serve_exports_the_same_table_within_the_query_limits(seeds_server, rows):
    answer = httpx.get(seeds_server.url + "/export/events.csv", timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    served = list(csv.DictReader(io.StringIO(answer.text)))
    assert sorted(r["event_id"] for r in served) == sorted(r["event_id"] for r in rows)
    assert pd.read_csv(io.StringIO(answer.text), dtype={"cameo_code": str}).shape == (len(rows), len(EVENT_COLUMNS))
    call = httpx.get(seeds_server.url + "/export/events.csv", params={"from": "2022-08-23", "to": "2022-08-23"})
    assert {r["meeting"] for r in csv.DictReader(io.StringIO(call.text))} == {VIDEO_CALL}
    bad = httpx.get(seeds_server.url + "/export/events.csv", params={"to": "soon"})
    assert bad.status_code == 400 and bad.json()["error"] == "bad-request"
    years = httpx.get(seeds_server.url + "/export/dyad-years.csv")
    assert years.status_code == 200 and years.text.startswith("year,country_a")


def test_serve_caps_the_export_at_the_row_limit(seeds_build, tmp_path):
    from conftest import Server
    server = Server(seeds_build, tmp_path, "--max-rows", "5", "--workers", "1")
    try:
        answer = httpx.get(server.url + "/export/events.csv", timeout=30)
        assert answer.headers["x-truncated"] == "true" and answer.text.count("\n") <= 7
    finally:
        server.stop()


def test_serve_draws_the_pictures(seeds_server):
    page = httpx.get(seeds_server.url + "/network")
    assert page.status_code == 200 and "<svg" in page.text and 'href="/id/country/CN"' in page.text
    line = httpx.get(seeds_server.url + "/timeline", params={"country": "CN", "partner": "CU"})
    assert line.status_code == 200 and 'href="/id/meeting/2022-11-25/xi-jinping/' in line.text
    assert httpx.get(seeds_server.url + "/timeline", params={"country": "Atlantis"}).status_code == 400


def _browser():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("no Chromium on the PATH (`make test` installs Debian's chromium)")
    return path


def test_in_a_browser_the_pictures_link_through_to_a_meeting(seeds_server):
    from playwright.sync_api import sync_playwright
    path = _browser()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"])
        context = browser.new_context()
        elsewhere, errors = [], []
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(seeds_server.url)
                      else (elsewhere.append(route.request.url), route.abort()))
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(seeds_server.url + "/")
        page.wait_for_selector("#examples button")
        for button in page.locator("#examples button").all():      # every example query shows rows
            button.click()
            page.wait_for_selector("table.results tbody tr")
        page.click("#pictures a[href='/network']")
        page.wait_for_selector("#network svg circle.country")
        assert page.locator("#network svg circle.country").count() == 8
        page.fill("input[name=country]", "Cuba")
        page.click("form.filters button")
        page.wait_for_selector("#network svg")
        assert page.locator("#network svg circle.country").count() == 2
        page.locator("#network svg a").filter(has=page.locator("line.pair")).first.click()   # a pair: its timeline
        page.wait_for_selector("#timeline svg g.meeting")
        assert "Meetings of China with Cuba" in page.locator("#timeline svg > title").inner_html()
        page.locator("#timeline svg a").first.click()              # a mark: its meeting's page
        page.wait_for_selector("h1")
        assert page.url.startswith(seeds_server.url + "/id/meeting/")
        page.click(".nav a[href='/timeline']")                     # a resource page links the pictures
        page.wait_for_selector("#timeline svg g.meeting")
        assert elsewhere == [] and errors == []
        browser.close()


def _optional_groups(pattern) -> list:
    """The right side of every OPTIONAL in an rdflib algebra tree."""
    found = []
    if isinstance(pattern, dict):
        if getattr(pattern, "name", None) == "LeftJoin":
            found.append(pattern["p2"])
        for value in pattern.values():
            found += _optional_groups(value)
    elif isinstance(pattern, list):
        for value in pattern:
            found += _optional_groups(value)
    return found


def _opens_with_one_pattern(group) -> bool:
    while getattr(group, "name", None) in ("LeftJoin", "Filter", "Extend"):
        group = group["p1"] if group.name == "LeftJoin" else group["p"]
    return getattr(group, "name", None) == "BGP" and len(group["triples"]) == 1


@pytest.mark.parametrize("undirected", [False, True])
def test_every_optional_of_the_events_query_opens_with_one_pattern(undirected):
    """Oxigraph evaluates such an OPTIONAL row by row; one joining two patterns as a hash join that
    first reads the whole group into memory: the export would no longer stream (kg/export.py)."""
    from rdflib.plugins.sparql import prepareQuery
    from kg.export import Period
    algebra = prepareQuery(events_query(undirected, Period.parse("2022", None))).algebra
    groups = _optional_groups(algebra)
    assert len(groups) >= 8
    assert [g for g in groups if not _opens_with_one_pattern(g)] == []


def test_the_first_group_of_the_events_query_is_written_in_the_order_oxigraph_joins_it():
    """Oxigraph joins a group's patterns greedily, among equally cheap ones the first written: the
    event's codes before the participations, the source whole before the target (kg/export.py), so
    that they are looked up once per event and per participation, not once per pair of them."""
    query = events_query()
    group = query[query.index("WHERE {"):query.index("OPTIONAL")]
    order = ["?meeting a bkg:Meeting ; bkg:event ?event .", "?event bkg:cameo ?cameo", "skos:notation ?plover_type",
             "?meeting bkg:participation ?from .", "?source rdfs:label ?source_name",
             "?meeting bkg:participation ?to .", "FILTER(?source != ?target)", "?target rdfs:label ?target_name"]
    assert all(pattern in group for pattern in order), [p for p in order if p not in group]
    at = [group.index(pattern) for pattern in order]
    assert at == sorted(at)


# The served export, streamed: on a graph of bench/graph.py, large enough to come in many parts ----

STREAM_MEETINGS = 3000      # 6,000 directed events, about 2 MB of CSV: some thirty parts


@pytest.fixture(scope="module")
def large_build(tmp_path_factory) -> Path:
    """A store of STREAM_MEETINGS meetings of bench/graph.py's synthetic graph, loaded as a build does
    (the report graphs, and their merge as the default graph)."""
    import importlib.util

    import pyoxigraph as ox
    spec = importlib.util.spec_from_file_location("bench_graph", Path(__file__).resolve().parent.parent
                                                  / "bench" / "graph.py")
    graph = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(graph)
    folder = tmp_path_factory.mktemp("large")
    quads, merge = folder / "graph.nq", folder / "merge.nt"
    graph.generate(quads, STREAM_MEETINGS * graph.TRIPLES_PER_MEETING, default_graph=merge)
    (folder / "build").mkdir()
    store = ox.Store(str(folder / "build" / "store"))
    store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(path=str(merge), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.flush()
    del store
    return folder / "build"


@pytest.fixture(scope="module")
def large_server(large_build, tmp_path_factory):
    from conftest import Server
    server = Server(large_build, tmp_path_factory.mktemp("large-serve"), "--max-rows", "100000",
                    "--workers", "2", "--timeout", "120")
    yield server
    server.stop()


def _read(url: str, **params) -> tuple[httpx.Response, bytes, float, float, Exception | None]:
    """A streamed GET read part by part: the response, its body, the seconds to the first part and
    to the end, and the error that ended it early, if any."""
    t0 = time.perf_counter()
    parts, first, error = [], None, None
    with httpx.stream("GET", url, params=params, timeout=120) as response:
        try:
            for part in response.iter_raw():
                first = first if first is not None else time.perf_counter() - t0
                parts.append(part)
        except httpx.RemoteProtocolError as exc:
            error = exc
    return response, b"".join(parts), first or 0.0, time.perf_counter() - t0, error


@pytest.fixture(scope="module")
def streamed(large_server):
    return _read(large_server.url + "/export/events.csv")


def test_the_served_export_streams_rows_before_the_table_is_done(large_build, large_server, streamed, tmp_path):
    response, body, first, total, error = streamed
    assert response.status_code == 200 and error is None
    assert response.headers["transfer-encoding"] == "chunked" and "content-length" not in response.headers
    assert response.headers["x-row-limit"] == "100000"
    # the first rows came long before the table was done (a whole answer sent at the end arrives at once)
    assert first < total / 4, (first, total)
    # and the table is the one kg export writes, byte for byte
    done = kg("export", "events", "--store", str(large_build), "-o", str(tmp_path / "events.csv"))
    assert done.returncode == 0, done.stderr
    assert body == (tmp_path / "events.csv").read_bytes()
    assert body.count(b"\r\n") == 2 * STREAM_MEETINGS + 1
    logged = json.loads(large_server.log.read_text(encoding="utf-8").splitlines()[-1])
    assert logged["status"] == 200 and logged["rows"] == 2 * STREAM_MEETINGS and logged["bytes"] == len(body)


def test_the_time_limit_holds_for_the_whole_stream(large_server, streamed):
    """Past the time limit the worker is stopped and the body ends without its last chunk: the
    client sees a cut transfer, never a short table that looks whole."""
    total = streamed[3]
    response, body, first, _, error = _read(large_server.url + "/export/events.csv", timeout=f"{total / 3:.2f}")
    assert response.status_code == 200 and isinstance(error, httpx.RemoteProtocolError)
    assert body.startswith(b"event_id,") and 0 < body.count(b"\r\n") < 2 * STREAM_MEETINGS
    assert body.endswith(b"\r\n")                        # whole rows only
    logged = json.loads(large_server.log.read_text(encoding="utf-8").splitlines()[-1])
    assert logged["status"] == 504
    _wait_idle(large_server)


def test_a_client_that_leaves_stops_the_stream_and_its_worker(large_server):
    before = _replaced(large_server)
    with httpx.stream("GET", large_server.url + "/export/events.csv", timeout=60) as response:
        assert next(response.iter_raw()).startswith(b"event_id,")
    _wait_idle(large_server)
    assert _replaced(large_server) == before + 1
    logged = json.loads(large_server.log.read_text(encoding="utf-8").splitlines()[-1])
    assert logged["status"] == 499


def test_the_dyad_years_of_a_large_graph_come_within_the_time_limit(large_server):
    """Every meeting of the graph counted once (each has a year and two sides). The labels of the
    pair are joined in the meetings' group: after the BIND, Oxigraph joined all labels of the graph
    with all labels first, and took minutes on this graph (504 at the limit)."""
    answer = httpx.get(large_server.url + "/export/dyad-years.csv", params={"timeout": "30"}, timeout=60)
    assert answer.status_code == 200, answer.text
    table = list(csv.DictReader(io.StringIO(answer.text)))
    assert sum(int(r["meetings"]) for r in table) == STREAM_MEETINGS


@pytest.mark.parametrize("cap", [("--max-rows", "1000"), ("--max-answer-bytes", "150000")])
def test_the_row_and_byte_caps_cut_a_streamed_table(large_build, tmp_path, cap):
    from conftest import Server
    server = Server(large_build, tmp_path, *cap, "--workers", "1")
    try:
        response, body, _, _, error = _read(server.url + "/export/events.csv")
        assert response.status_code == 200 and {"x-row-limit", "x-byte-limit"} <= set(response.headers)
        assert isinstance(error, httpx.RemoteProtocolError)         # cut: no last chunk
        table = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
        if cap[0] == "--max-rows":
            assert len(table) == 1000
        else:                                       # whole rows within the cap (counted as TSV)
            assert 0 < len(table) < 2 * STREAM_MEETINGS and 100_000 < len(body) <= 160_000
        assert body.endswith(b"\r\n") and all(r["n_reports"] for r in table)
        logged = json.loads(server.log.read_text(encoding="utf-8").splitlines()[-1])
        assert logged["status"] == 200 and logged["truncated"] is True and logged["rows"] == len(table)
        # the worker that was cut is back: the next request is served, and a table within the cap whole
        month = httpx.get(server.url + "/export/events.csv", params={"from": "2000-01", "to": "2000-01"}, timeout=60)
        assert month.status_code == 200 and "x-truncated" not in month.headers
        assert 0 < len(list(csv.DictReader(io.StringIO(month.text)))) < 1000
    finally:
        server.stop()


def _replaced(server) -> float:
    metrics = httpx.get(server.url + "/metrics").text
    return float(next(line.split()[1] for line in metrics.splitlines() if line.startswith("kg_workers_replaced ")))


def _wait_idle(server) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        health = httpx.get(server.url + "/health").json()
        if health["in_flight"] == 0 and health["idle"] == health["workers"] == 2:
            return
        time.sleep(0.1)
    raise AssertionError(f"the endpoint did not come back to idle: {health}")
