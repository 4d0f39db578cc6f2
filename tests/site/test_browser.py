"""The built site in a real browser: headless Chromium driven by Playwright.

The site is served on 127.0.0.1 by a server this test starts; every request
the page makes is recorded, and none may leave that address. Screenshots go to
``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import ARTIFACTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser tests (see .ci/run)")
    pytest.skip("Chromium is not installed (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-default-apps"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def _serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


class Visit:
    """One page load with its console errors, failed and outside requests, and script dialogs."""

    def __init__(self, browser, base: str, path: str, shot: str | None):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else self.outside.append(r.url))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(base + path, wait_until="networkidle")
        ARTIFACTS.mkdir(exist_ok=True)
        if shot:
            self.page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.outside, f"requests that left 127.0.0.1: {self.outside}"
        assert not self.failed, self.failed


@pytest.fixture(scope="module")
def sample_base(sample_site):
    server, base = _serve(sample_site)
    yield base
    server.shutdown()


@pytest.mark.parametrize(("path", "shot", "expected"), [
    ("status/", "dashboard", "合规总览"),
    ("status/risks/", "risk-register", "风险热力图"),
    ("status/appraisals/", "appraisals", "绩效考核完成情况"),
    ("policy/chapter-3/", "policy-chapter-3", "3.4.4"),
    ("en/status/", "dashboard-en", "Compliance dashboard"),
])
def test_pages_load_cleanly_and_stay_on_this_host(browser, sample_base, path, shot, expected):
    visit = Visit(browser, sample_base, path, shot)
    assert expected in visit.page.inner_text("article")
    visit.assert_clean()


def test_a_project_page_loads_cleanly(browser, sample_base, sample_site):
    project = sorted((sample_site / "status" / "projects").glob("PRJ-*"))[0].name
    visit = Visit(browser, sample_base, f"status/projects/{project}/", "project")
    article = visit.page.inner_text("article")
    assert project in article and "工作流程检查" in article and "团队与分工" in article
    visit.assert_clean()


def test_the_heat_map_is_readable_without_colour(browser, sample_base):
    visit = Visit(browser, sample_base, "status/risks/", "heat-map")
    cells = visit.page.locator(".dops-heatmap svg text.count")
    assert cells.count() == 25
    counts = [int(cells.nth(i).text_content()) for i in range(25)]
    table_total = sum(int(row.locator("td").nth(3).inner_text())
                      for row in visit.page.locator("article table").first.locator("tbody tr").all())
    assert sum(counts) == table_total > 0


def test_the_risk_register_sorts_by_score(browser, sample_base):
    visit = Visit(browser, sample_base, "status/risks/", "risk-sort")
    table = visit.page.locator("article table").nth(1)
    table.locator("th", has_text="分值").click()
    table.locator("th", has_text="分值").click()  # descending
    scores = [cell.inner_text().replace("★", "").strip() for cell in table.locator("tbody tr td:nth-child(7)").all()]
    numbers = [int(s) for s in scores if s.isdigit()]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) >= 20
    visit.assert_clean()


def _search(browser, base: str, path: str, query: str, shot: str) -> list[str]:
    # No full-page screenshot before searching: resizing the page for it has left Material's
    # search stuck at "type to start searching" in headless Chromium.
    visit = Visit(browser, base, path, None)
    page = visit.page
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)  # one input event, as an input method sends for Chinese (emptying it first stalls Material)
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"))
    links = page.locator(".md-search-result a").all()
    visit.assert_clean()
    # Result links look like …/policy/chapter-3/?h=复盘#clause-3.4.4: keep the path and the fragment.
    found = []
    for link in links:
        parts = urlsplit(link.get_attribute("href") or "")
        found.append(parts.path + ("#" + parts.fragment if parts.fragment else ""))
    return found


def test_a_chinese_search_finds_the_retrospective_clause(browser, sample_base):
    hrefs = _search(browser, sample_base, "policy/", "复盘", "search-zh")
    assert "/policy/chapter-3/#clause-3.4.4" in hrefs, hrefs


def test_a_chinese_search_finds_compounds_by_their_parts(browser, sample_base):
    hrefs = _search(browser, sample_base, "policy/", "考核", "search-zh-compound")
    assert any("chapter-4/" in href for href in hrefs), hrefs


def test_an_english_search_finds_the_retrospective_clause(browser, sample_base):
    hrefs = _search(browser, sample_base, "en/policy/", "retrospective", "search-en")
    assert "/en/policy/chapter-3/#clause-3.4.4" in hrefs, hrefs


def test_hostile_records_run_no_script(browser, hostile_site):
    server, base = _serve(hostile_site)
    try:
        visit = Visit(browser, base, "status/projects/PRJ-2026-099/", "hostile-project")
        assert visit.page.evaluate("window.__xss") is None
        assert not visit.dialogs
        article = visit.page.inner_text("article")
        assert "<script>window.__xss = 'name'</script>攻击测试项目" in article
        assert "[点我](javascript:window.__xss='link')" in article  # shown as text, not as a link
        assert "{{ config.site_name }}" in article
        for link in visit.page.locator("article a").all():
            assert not (link.get_attribute("href") or "").lower().startswith("javascript")
        dashboard = Visit(browser, base, "status/", "hostile-dashboard")
        assert dashboard.page.evaluate("window.__xss") is None
    finally:
        server.shutdown()
