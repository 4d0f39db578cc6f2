"""The built site in a real browser: headless Chromium driven by Playwright.

The site is served on 127.0.0.1 by a server this test starts; every request the page makes is
recorded, and none may leave that address. The tests type as a person does, key by key, or through
an input method for Chinese, and they wait for what the page shows, never for a length of time.
Screenshots go to ``test-artifacts/`` for a person to look at, taken once what they show is there.

The browser is Debian's Chromium (see ``chromium_path``). Without it, or without the playwright
package, the tests are skipped on a developer's machine and fail on CI (``CI`` set, as CI sets it).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

import pytest

from .conftest import ARTIFACTS

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # see missing_requirement
    expect = sync_playwright = None

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from playwright.sync_api import Browser, Locator, Page, Request

INSTALL = "apt-get install chromium fonts-noto-cjk"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
# How long a wait on the page may take before the test fails: an upper bound, not a time waited.
PATIENCE_MS = 30_000


def chromium_path() -> Path:
    """Where Chromium is: ``$DOPS_CHROMIUM`` if set, else ``chromium`` on the PATH, else Debian's place."""
    return Path(os.environ.get("DOPS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def missing_requirement() -> str | None:
    """What the browser tests lack, with how to install it; None when they can run."""
    if sync_playwright is None:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not chromium_path().is_file():
        return f"Chromium is not installed at {chromium_path()} ({INSTALL})"
    return None


MISSING = missing_requirement()
if MISSING and not on_ci():
    pytest.skip(MISSING, allow_module_level=True)  # on a developer's machine: one line in the summary


@pytest.fixture(scope="session", autouse=True)
def chromium() -> Path:
    """Chromium's path; on CI, where the browser tests must run, a missing requirement fails each test.

    Failing here, not at import, lets the rest of the test session run. Session-scoped and automatic,
    this fixture comes before the session's other fixtures: the sites are not built first.
    """
    if MISSING:
        pytest.fail(f"{MISSING}; CI must run the browser tests (see .ci/run)", pytrace=False)
    return chromium_path()


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    expect.set_options(timeout=PATIENCE_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=LAUNCH_ARGS)
        yield launched
        launched.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def _serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def sample_base(sample_site):
    server, base = _serve(sample_site)
    yield base
    server.shutdown()


class Tab:
    """A browser tab with one page loaded, its console errors, requests and script dialogs recorded from the start."""

    def __init__(self, browser: Browser, base: str, path: str):
        self.base = base
        self.page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        self.page.set_default_timeout(PATIENCE_MS)
        self.errors: list[str] = []
        self.requests: list[Request] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(base + path, wait_until="load")

    def shot(self, name: str, *, full_page: bool = True) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        if full_page:  # from the top, or the sticky header lands in the middle of the picture
            self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    def settle(self) -> None:
        """Waits until the page shows that it has done what it does after loading.

        Material's search worker fetches the index and the language scripts after the page has
        loaded; once it answers, the search box's message changes from "initializing" to one of the
        messages below. By then the page has also asked for the sitemaps; this waits until every
        request made so far has its response (or has failed).
        """
        words = json.loads(self.page.locator("#__config").text_content() or "{}")["translations"]
        messages = [
            re.escape(words[key]) for key in ("search.result.placeholder", "search.result.none", "search.result.one")
        ]
        messages.append(r"[\d.]+k?".join(map(re.escape, words["search.result.other"].split("#"))))  # "# results"
        answered = re.compile("^(?:{})$".format("|".join(messages)))
        expect(self.page.locator(".md-search-result__meta")).to_have_text(answered)
        outside = [r.url for r in self.requests if not r.url.startswith((self.base, "data:", "blob:"))]
        assert not outside, f"requests that left 127.0.0.1: {outside}"  # before waiting for their answers
        for request in list(self.requests):
            request.response()

    def assert_clean(self) -> None:
        self.settle()
        assert not self.errors, self.errors
        failed = [
            f"{response.status} {request.url}"
            for request in self.requests
            if (response := request.response()) is not None and response.status >= 400
        ]
        assert not failed, failed


@pytest.fixture
def visit(browser: Browser) -> Iterator[Callable[[str, str], Tab]]:
    """Opens pages (``visit(base, path)``) and closes them after the test."""
    opened: list[Tab] = []

    def open_page(base: str, path: str) -> Tab:
        opened.append(Tab(browser, base, path))
        return opened[-1]

    yield open_page
    for tab in opened:
        tab.page.close()


@pytest.mark.parametrize(
    ("path", "shot", "expected"),
    [
        ("status/", "dashboard", "合规总览"),
        ("status/risks/", "risk-register", "风险热力图"),
        ("status/appraisals/", "appraisals", "绩效考核完成情况"),
        ("policy/chapter-3/", "policy-chapter-3", "3.4.4"),
        ("en/status/", "dashboard-en", "Compliance dashboard"),
    ],
)
def test_pages_load_cleanly_and_stay_on_this_host(visit, sample_base, path, shot, expected):
    tab = visit(sample_base, path)
    expect(tab.page.locator("article")).to_contain_text(expected)
    tab.shot(shot)
    tab.assert_clean()


def test_a_project_page_loads_cleanly(visit, sample_base, sample_site):
    project = sorted((sample_site / "status" / "projects").glob("PRJ-*"))[0].name
    tab = visit(sample_base, f"status/projects/{project}/")
    article = tab.page.locator("article")
    for expected in (project, "工作流程检查", "团队与分工"):
        expect(article).to_contain_text(expected)
    tab.shot("project")
    tab.assert_clean()


def test_the_heat_map_is_readable_without_colour(visit, sample_base):
    tab = visit(sample_base, "status/risks/")
    cells = tab.page.locator(".dops-heatmap svg text.count")
    expect(cells).to_have_count(25)
    tab.shot("heat-map")
    counts = [int(cells.nth(i).text_content()) for i in range(25)]
    table_total = sum(
        int(row.locator("td").nth(3).inner_text())
        for row in tab.page.locator("article table").first.locator("tbody tr").all()
    )
    assert sum(counts) == table_total > 0


def test_the_risk_register_sorts_by_score(visit, sample_base):
    tab = visit(sample_base, "status/risks/")
    table = tab.page.locator("article table").nth(1)
    heading = table.locator("th", has_text="分值")
    expect(heading).to_have_attribute("role", "button")  # sortable.js has made the headings clickable
    heading.click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    heading.click()
    expect(heading).to_have_attribute("aria-sort", "descending")
    tab.shot("risk-sort")
    scores = [cell.inner_text().replace("★", "").strip() for cell in table.locator("tbody tr td:nth-child(7)").all()]
    numbers = [int(s) for s in scores if s.isdigit()]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) >= 20
    tab.assert_clean()


def type_with_input_method(page: Page, pinyin: str, text: str) -> None:
    """Types ``text`` into the focused field as a Chinese input method delivers it, from ``pinyin``.

    Through Chrome's DevTools protocol, as the operating system's input method would: for each
    letter a key-down that the input method takes (key "Process", key code 229, inserting nothing),
    the letters so far as the composition, and the letter's key-up, which reaches the page; then a
    key-down 229 for Space, ``text`` committed in place of the composition, and Space's key-up.
    The page sees compositionstart, input and keyup for each letter, then input, compositionend
    and keyup (test_the_input_method_helper_types_as_an_input_method_does checks that).
    """
    session = page.context.new_cdp_session(page)

    def key(kind: str, name: str, code: str, key_code: int) -> None:
        event = {"type": kind, "key": name, "code": code, "windowsVirtualKeyCode": key_code}
        session.send("Input.dispatchKeyEvent", {**event, "nativeVirtualKeyCode": key_code})

    try:
        for typed, letter in enumerate(pinyin, start=1):
            key("rawKeyDown", "Process", f"Key{letter.upper()}", 229)
            session.send(
                "Input.imeSetComposition", {"text": pinyin[:typed], "selectionStart": typed, "selectionEnd": typed}
            )
            key("keyUp", letter, f"Key{letter.upper()}", ord(letter.upper()))
        key("rawKeyDown", "Process", "Space", 229)
        session.send("Input.insertText", {"text": text})
        key("keyUp", " ", "Space", 32)
    finally:
        session.detach()


def test_the_input_method_helper_types_as_an_input_method_does(browser):
    page = browser.new_page()
    try:
        page.set_content("<input id=box>")
        page.evaluate("""() => {
            const box = document.getElementById("box");
            window.seen = [];
            for (const kind of ["keydown", "compositionstart", "compositionend", "input", "keyup"]) {
                box.addEventListener(kind, event => window.seen.push(
                    kind === "keydown" ? `keydown ${event.keyCode}` : `${kind} ${box.value}`.trim()));
            }
        }""")
        page.locator("#box").click()
        type_with_input_method(page, "fupan", "复盘")
        expected = []
        for typed in range(1, 6):
            letters = "fupan"[:typed]
            start = ["compositionstart"] if typed == 1 else []
            expected += ["keydown 229", *start, f"input {letters}", f"keyup {letters}"]
        expected += ["keydown 229", "input 复盘", "compositionend 复盘", "keyup 复盘"]
        assert page.evaluate("window.seen") == expected
    finally:
        page.close()


def _search_box(tab: Tab) -> Locator:
    """The search box, clicked once the search is ready, so that only typing can start the search.

    Material also reads the box when its worker becomes ready: text put in before then (as fill()
    does, with an input event only) would be searched for without any key event.
    """
    tab.settle()
    box = tab.page.locator("input.md-search__input")
    box.click()
    return box


def _results(tab: Tab, query: str, path: str, fragment: str = "", *, shot: str) -> list[str]:
    """Waits until the results of the search for ``query`` link to ``path`` (``#fragment``, if given),
    then returns every result link as path#fragment.

    Material puts the query into each result link (…/chapter-3/?h=%E5%A4%8D%E7%9B%98#clause-3.4.4),
    so the link waited for is one of the results for the whole query, not for the letters typed so far.
    """
    # Material's "h" holds the query's words that the result matched; a Chinese query is split into
    # characters there, so its first character stands for it (pinyin letters typed before never match it).
    words = query if query.isascii() else query[0]
    selector = f'.md-search-result a[href^="{tab.base}{path}?{urlencode({"h": words})}"]'
    if fragment:
        selector += f'[href$="#{fragment}"]'
    _scroll_results_until(tab, selector, f'.md-search-result a[href*="?{urlencode({"h": words})}"]')
    tab.shot(shot, full_page=False)
    found = []
    for link in tab.page.locator(".md-search-result a").all():
        parts = urlsplit(link.get_attribute("href") or "")
        found.append(parts.path + ("#" + parts.fragment if parts.fragment else ""))
    tab.assert_clean()
    return found


def _scroll_results_until(tab: Tab, selector: str, for_query: str) -> None:
    """Scrolls the result list, as a reader does, until a result matching ``selector`` is shown.

    Material shows the best ten pages first and the next ten each time the list is scrolled to its
    end; the project pages' retrospectives rank beside the policy's clause on retrospectives. The
    list is scrolled only once it holds the results of the whole query (``for_query``), not of the
    letters typed before.
    """
    items = tab.page.locator(".md-search-result__item")
    expect(tab.page.locator(for_query).first).to_be_attached()
    for _ in range(10):
        if tab.page.locator(selector).count():
            break
        shown = items.count()
        items.last.scroll_into_view_if_needed()
        tab.page.locator(".md-search__scrollwrap").evaluate("wrap => wrap.scrollTo(0, wrap.scrollHeight)")
        expect(items.nth(shown)).to_be_attached()  # the next page of results has come
    expect(tab.page.locator(selector).first).to_be_attached()


def test_a_chinese_search_finds_the_retrospective_clause(visit, sample_base):
    tab = visit(sample_base, "policy/")
    box = _search_box(tab)
    type_with_input_method(tab.page, "fupan", "复盘")
    expect(box).to_have_value("复盘")
    hrefs = _results(tab, "复盘", "policy/chapter-3/", "clause-3.4.4", shot="search-zh")
    assert "/policy/chapter-3/#clause-3.4.4" in hrefs, hrefs


def test_a_chinese_search_finds_compounds_by_their_parts(visit, sample_base):
    tab = visit(sample_base, "policy/")
    box = _search_box(tab)
    type_with_input_method(tab.page, "kaohe", "考核")
    expect(box).to_have_value("考核")
    hrefs = _results(tab, "考核", "policy/chapter-4/", shot="search-zh-compound")
    assert any("chapter-4/" in href for href in hrefs), hrefs


def test_an_english_search_finds_the_retrospective_clause(visit, sample_base):
    tab = visit(sample_base, "en/policy/")
    box = _search_box(tab)
    box.press_sequentially("retrospective")  # keydown, keypress, input and keyup for each letter
    expect(box).to_have_value("retrospective")
    hrefs = _results(tab, "retrospective", "en/policy/chapter-3/", "clause-3.4.4", shot="search-en")
    assert "/en/policy/chapter-3/#clause-3.4.4" in hrefs, hrefs


def test_hostile_records_run_no_script(visit, hostile_site):
    server, base = _serve(hostile_site)
    try:
        tab = visit(base, "status/projects/PRJ-2026-099/")
        article = tab.page.locator("article")
        expect(article).to_contain_text("攻击测试项目")
        tab.settle()
        tab.shot("hostile-project")
        assert tab.page.evaluate("window.__xss") is None
        assert not tab.dialogs
        text = article.inner_text()
        assert "<script>window.__xss = 'name'</script>攻击测试项目" in text
        assert "[点我](javascript:window.__xss='link')" in text  # shown as text, not as a link
        assert "{{ config.site_name }}" in text
        for link in article.locator("a").all():
            assert not (link.get_attribute("href") or "").lower().startswith("javascript")
        dashboard = visit(base, "status/")
        expect(dashboard.page.locator("article")).to_contain_text("合规总览")
        dashboard.settle()
        dashboard.shot("hostile-dashboard")
        assert dashboard.page.evaluate("window.__xss") is None
    finally:
        server.shutdown()
