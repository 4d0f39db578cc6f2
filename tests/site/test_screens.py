"""The site as its readers see it, in Chromium: pictures of the main pages, and every page measured.

Issue 10, item 9. The browser, its fixtures and its rules come from ``test_browser.py``: the site is
served on 127.0.0.1 only, and the tests wait for what a page shows, never for a length of time.

- Screenshots of the dashboard, a person page, a project page and the risk register at 1280 and 390
  pixels, light and dark, in both languages, go to ``test-artifacts/screens/`` (CI keeps that folder).
- Every generated page (``status/``, ``policy/``, both languages) is measured at both widths for
  content wider than its column (see ``test_no_page_is_wider_than_its_column``); the measurements go
  to ``test-artifacts/screens/overflow-<width>.json``.
- Records with hostile names reach a person page, a risk page and the lessons-learned page, and run no script.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from ..conftest import REPO
from . import test_browser as shared
from .screens import (
    LANGUAGES,
    OVERFLOW,
    SCHEMES,
    SCREENS,
    WIDTHS,
    open_tab,
    page_paths,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Locator, Page

# The browser fixtures of test_browser.py, used here under their own names. `chromium` comes first
# (it is automatic and session-wide): on CI without Chromium every test here fails before a site is built.
chromium = shared.chromium
browser = shared.browser
sample_base = shared.sample_base
expect = shared.expect

PERSON = "EMP-0002"  # manages three projects and owns risks: a page with something in every section
PROJECT = "PRJ-2025-007"  # closed, with its acceptance and retrospective: the whole story

# name → (path, what the page must show before its picture is taken)
PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "dashboard": ("status/", ("article svg",)),  # its charts are inline SVG (issue 10, item 4)
    "person": (f"status/people/{PERSON}/", ("article table",)),
    "project": (f"status/projects/{PROJECT}/", ("article table",)),
    "risk-register": ("status/risks/", ("article table",)),
}
# What the first heading of each page says, in each language.
HEADINGS = {
    "person": {"zh": PERSON, "en": PERSON},
    "project": {"zh": PROJECT, "en": PROJECT},
    "risk-register": {"zh": "风险", "en": "Risk"},
}


def wait_until_shown(page: Page, selectors: tuple[str, ...]) -> None:
    """Waits until the page shows its heading and ``selectors``, Material has wrapped its tables, and fonts are in."""
    expect(page.locator("article h1").first).to_be_visible()
    for selector in selectors:
        expect(page.locator(selector).first).to_be_visible()
    page.wait_for_function(  # Material wraps each plain table (no class) in a box that scrolls: wait for that layout
        "[...document.querySelectorAll('article table:not([class])')].every(t => t.closest('.md-typeset__scrollwrap'))"
    )
    page.evaluate("document.fonts.ready.then(() => document.fonts.status)")


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("name", list(PAGES))
def test_screenshots_of_the_main_pages(browser: Browser, sample_base: str, name, language, width, scheme):
    path, shows = PAGES[name]
    tab = open_tab(browser, sample_base, LANGUAGES[language] + path, width=width, scheme=scheme, language=language)
    try:
        page = tab.page
        expect(page.locator("html")).to_have_attribute("lang", language)
        # Material picks the palette whose media query matches the system's scheme: slate when dark.
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
        wait_until_shown(page, shows)
        if name in HEADINGS:
            expect(page.locator("article h1").first).to_contain_text(HEADINGS[name][language])
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{name}-{language}-{width}-{scheme}.png"), full_page=True)
        assert not tab.outside(), f"requests that left 127.0.0.1: {tab.outside()}"
        assert not tab.errors, tab.errors
    finally:
        tab.page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_its_column(browser: Browser, sample_base: str, sample_site: Path, width: int):
    """Every generated page, both languages, measured in Chromium at ``width`` pixels.

    What counts as too wide, on every page:

    - the page scrolls sideways (the document is wider than the window);
    - the main column (``.md-content``) scrolls sideways (its ``scrollWidth`` exceeds its
      ``clientWidth`` by more than one pixel, which rounding can give);
    - an element of the column reaches past the window, and no box around it scrolls;
    - a box in the column that clips or scrolls its content (``overflow-x`` not ``visible``) holds
      content wider than itself: a reader sees part of it and may not know there is more.

    Two kinds of box may scroll their content, and only these:

    - code blocks (``pre``), at both widths: code is not wrapped, because a wrapped line is another
      line of code; Material scrolls them;
    - tables, in Material's ``.md-typeset__scrollwrap`` or a page's own box around a table, at 390
      pixels only. A phone cannot show a table of more than two or three columns side by side;
      swiping the table while the page stays still is what readers expect there. At 1280 pixels the
      column is 688 pixels wide and a table must fit in it: a table that scrolls there hides its
      last columns, which is the bug issue 10 reports (the risk register's owner, response, last
      check and state cut off).

    The measurements, including the tables that scroll at 390 pixels, are written to
    ``test-artifacts/screens/overflow-<width>.json``.
    """
    paths = page_paths(sample_site, generated_only=True)
    assert len(paths) >= 40 and any(p.startswith("en/") for p in paths), paths
    too_wide: dict[str, list[dict[str, Any]]] = {}
    measured: dict[str, list[dict[str, Any]]] = {}
    for language in LANGUAGES:
        tab = open_tab(browser, sample_base, "", width=width, scheme="light", language=language)
        try:
            for path in (p for p in paths if p.startswith("en/") == (language == "en")):
                tab.visit(path)
                wait_until_shown(tab.page, ())
                found = tab.page.evaluate(OVERFLOW, width < 1000)
                measured[path] = found
                if problems := [f for f in found if not f["allowed"]]:
                    too_wide[path] = problems
            assert not tab.outside(), f"requests that left 127.0.0.1: {tab.outside()}"
        finally:
            tab.page.close()
    SCREENS.mkdir(parents=True, exist_ok=True)
    (SCREENS / f"overflow-{width}.json").write_text(
        json.dumps(measured, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    report = [
        f"{path}: {p['px']} px too wide, {p['where']} {p['what']}" for path, found in too_wide.items() for p in found
    ]
    assert not too_wide, f"{len(too_wide)} of {len(paths)} pages too wide at {width} px:\n" + "\n".join(report)


# Pages of the hostile site that show its hostile records (conftest.HOSTILE), and what each shows as text.
HOSTILE_PAGES = {
    "person": ("status/people/EMP-0099/", ["<script>window.__xss = 'person'</script>", "onerror="]),
    "risk": ("status/risks/RSK-2026-099/", ["<script>window.__xss = 'risk'</script>", "{{ 7 * 7 }}"]),
    "lessons": ("status/lessons/", ["window.__xss='lesson'", "{{ config.site_name }}"]),
}


@pytest.fixture(scope="module")
def hostile_base(hostile_site: Path) -> Iterator[str]:
    server, base = shared._serve(hostile_site)
    yield base
    server.shutdown()


def _active_content(article: Locator) -> list[str]:
    """Elements in the article that could run script: script, iframe, on… attributes, javascript: links."""
    found: list[str] = article.evaluate("""article => [...article.querySelectorAll("*")].flatMap(element => {
        const name = element.tagName.toLowerCase();
        const found = [];
        if (["script", "iframe", "object", "embed"].includes(name)) found.push(name);
        for (const attribute of element.attributes) {
            const value = attribute.value.trim().toLowerCase();
            if (attribute.name.startsWith("on")) found.push(`${name} ${attribute.name}`);
            if (["href", "src", "action", "formaction"].includes(attribute.name) && value.startsWith("javascript:")) {
                found.push(`${name} ${attribute.name}=${value}`);
            }
        }
        return found;
    })""")
    return found


@pytest.mark.parametrize("name", list(HOSTILE_PAGES))
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_hostile_records_run_no_script_on_the_new_pages(browser: Browser, hostile_base: str, name, language):
    path, shown_as_text = HOSTILE_PAGES[name]
    tab = open_tab(browser, hostile_base, LANGUAGES[language] + path, width=1280, scheme="light", language=language)
    dialogs: list[str] = []
    tab.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        article = tab.page.locator("article")
        for text in shown_as_text:
            expect(article).to_contain_text(text)
        wait_until_shown(tab.page, ())
        SCREENS.mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(SCREENS / f"hostile-{name}-{language}.png"), full_page=True)
        assert tab.page.evaluate("typeof window.__xss") == "undefined"
        assert not dialogs
        assert not _active_content(article)
        assert not tab.outside()
    finally:
        tab.page.close()


def test_ci_keeps_the_screenshots():
    """CI uploads test-artifacts/ after the tests, also when they fail; .ci/run writes it where the upload looks."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["tests"]["steps"]
    runs = [i for i, step in enumerate(steps) if "bash .ci/run" in step.get("run", "")]
    uploads = [i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert runs and uploads and runs[0] < uploads[0], steps
    upload = steps[uploads[0]]
    assert upload["if"] == "always()"
    assert upload["with"]["path"].rstrip("/") == SCREENS.parent.relative_to(REPO).as_posix()
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'cd "$(dirname "$0")/.."' in ci_run  # the tests run at the repository's root, where the upload looks
    assert "test-artifacts" not in ci_run  # nothing there moves or removes them
