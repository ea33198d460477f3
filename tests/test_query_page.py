"""The query page at / in headless Chromium (Debian's chromium, driven by Playwright), offline."""
from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

from kg.store import dataset


def chromium_path() -> str:
    path = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is missing: `make test` installs Debian's chromium; or set KG_CHROMIUM"
    return path


@pytest.fixture(scope="module")
def page(seeds_server):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        context = browser.new_context()
        elsewhere: list[str] = []

        def only_this_server(route):               # the page must work with no internet
            if route.request.url.startswith(seeds_server.url):
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        context.route("**/*", only_this_server)
        page = context.new_page()
        page.elsewhere = elsewhere
        page.goto(seeds_server.url + "/")
        yield page
        browser.close()


def test_an_example_runs_and_fills_a_table_of_links(page, seeds_server):
    examples = page.locator("#examples button")
    assert examples.count() == 10
    page.locator('[data-example="cq01-china-cuba-meetings"]').click()
    page.wait_for_selector("table.results tbody tr")
    header = page.locator("table.results thead th").all_inner_texts()
    assert header == ["meeting", "date", "participants"]
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 8
    assert "8 rows" in page.locator("#status").inner_text()
    link = rows.first.locator("td a").first
    assert link.get_attribute("href").startswith("/id/meeting/")
    assert "Díaz-Canel" in page.locator("table.results").inner_text()
    link.click()                                    # the IRI dereferences to the resource's page
    page.wait_for_selector("h1")
    assert page.url.startswith(seeds_server.url + "/id/meeting/")
    assert "Talks between" in page.locator("h1").inner_text() or "Meeting" in page.locator("h1").inner_text()
    assert page.locator("ol.evidence li").count() >= 1
    page.go_back()
    page.wait_for_selector("#query")
    assert page.elsewhere == []


def test_an_undeclared_prefix_works_and_an_error_shows_its_position(page, seeds_store):
    n = len(list(seeds_store.query("SELECT ?m WHERE { ?m a <https://w3id.org/bilateral-kg/ontology#Meeting> }",
                                   **dataset(seeds_store))))
    page.fill("#query", "SELECT ?m WHERE { ?m a bkg:Meeting } ORDER BY ?m")
    page.click("#run")
    expect(page.locator("table.results tbody tr")).to_have_count(n)   # (the page's CSP forbids eval)
    page.fill("#query", "SELECT ?m\nWHERE {\n  ?m a ) .\n}")
    page.focus("#query")
    page.keyboard.press("Control+Enter")            # the editor's shortcut runs it
    page.wait_for_selector("#error:not([hidden])")
    error = page.locator("#error").inner_text()
    assert "400 malformed-query" in error and "line 3" in error
    # issue 16: the last query's table stayed under the new error, as if it were its answer
    expect(page.locator("#results table")).to_have_count(0)
    assert page.locator("#results").inner_text() == ""


def test_a_javascript_iri_in_a_result_is_no_link_and_a_click_runs_nothing(page, seeds_server):
    """One-click XSS: /?query= runs on load; a result IRI with the javascript: scheme must not
    become a link (nor one of data:, file:), and the page sends a Content-Security-Policy."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    query = ('SELECT ?x WHERE { VALUES ?s { "javascript:alert(document.domain)" "data:text/html,<script>alert(1)'
             '</script>" "https://example.org/a" } BIND(IRI(?s) AS ?x) }')
    from urllib.parse import quote
    response = page.goto(seeds_server.url + "/?query=" + quote(query))
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    expect(page.locator("table.results tbody tr")).to_have_count(3)
    links = page.locator("table.results a")
    assert links.count() == 1 and links.first.get_attribute("href") == "https://example.org/a"
    for cell in page.locator("table.results tbody td").all():
        if "example.org" not in cell.inner_text():
            cell.click()
    page.wait_for_timeout(300)
    assert dialogs == [] and page.url.startswith(seeds_server.url + "/")
    page.goto(seeds_server.url + "/")
