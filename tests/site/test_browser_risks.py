"""The risk register and a risk's page in Chromium: they fit the main column, closed risks are folded
away, and the filters and the sorting work. The rules at the top of ``test_browser.py`` apply."""

from __future__ import annotations

import pytest

from .test_browser import browser, chromium, expect, sample_base, visit

__all__ = ["browser", "chromium", "sample_base", "visit"]  # fixtures, shared with test_browser

WIDTHS = (1280, 390)
# What overflows, measured in the page: the content column, every table's scroll box, and each table
# against the article's right edge. Material's own table boxes stick out 16 px into the article's
# padding on purpose (the article's own scrollWidth is always that much larger), so the article is
# measured by its edges, not its scrollWidth.
OVERFLOW = """() => {
  const article = document.querySelector("article");
  const right = article.getBoundingClientRect().right;
  const found = [];
  const content = document.querySelector(".md-content");
  if (content.scrollWidth > content.clientWidth) found.push(`content ${content.scrollWidth} > ${content.clientWidth}`);
  article.querySelectorAll(".md-typeset__scrollwrap, table").forEach((box, place) => {
    if (box.offsetParent === null) return;  // folded away: measured once opened
    if (box.scrollWidth > box.clientWidth) found.push(`box ${place}: ${box.scrollWidth} > ${box.clientWidth}`);
    const edge = box.getBoundingClientRect().right;
    if (box.tagName === "TABLE" && edge > right + 0.5) found.push(`table ${place} ends at ${edge} > ${right}`);
  });
  return found;
}"""


def _at_width(tab, width: int) -> None:
    tab.page.set_viewport_size({"width": width, "height": 900})


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "heading"), [("status/risks/", "未关闭的风险"), ("en/status/risks/", "Open risks")])
def test_the_register_fits_the_main_column(visit, sample_base, path, heading, width):
    tab = visit(sample_base, path)
    _at_width(tab, width)
    expect(tab.page.locator("article h2#open")).to_contain_text(heading)
    expect(tab.page.locator("[data-dops-risk-filter] select")).to_have_count(3)  # the script has run
    assert tab.page.evaluate(OVERFLOW) == []
    tab.page.locator("details.dops-closed-risks > summary").click()
    expect(tab.page.locator("details.dops-closed-risks table")).to_be_visible()
    assert tab.page.evaluate(OVERFLOW) == []
    name = "risk-register" + ("-en" if path.startswith("en/") else "") + f"-{width}"
    tab.shot(name)
    tab.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["status/risks/RSK-2026-018/", "en/status/risks/RSK-2026-001/"])
def test_a_risk_page_fits_the_main_column(visit, sample_base, path, width):
    tab = visit(sample_base, path)
    _at_width(tab, width)
    risk = path.rstrip("/").rsplit("/", 1)[1]
    expect(tab.page.locator("article h1")).to_contain_text(risk)
    expect(tab.page.locator("article #responses")).to_be_visible()
    assert tab.page.evaluate(OVERFLOW) == []
    tab.shot(f"risk-page-{risk}-{width}")
    tab.assert_clean()


def test_closed_risks_are_folded_until_asked_for(visit, sample_base):
    tab = visit(sample_base, "status/risks/")
    closed = tab.page.locator("details.dops-closed-risks")
    summary = closed.locator("summary")
    expect(summary).to_contain_text("已关闭的风险")
    rows = closed.locator("tbody tr")
    assert rows.count() > 5
    expect(rows.first).to_be_hidden()
    summary.click()
    expect(rows.first).to_be_visible()
    expect(rows.first).to_contain_text("RSK-")
    tab.assert_clean()


def test_the_filters_show_one_owners_risks(visit, sample_base):
    tab = visit(sample_base, "en/status/risks/")
    page = tab.page
    owner = page.locator('[data-dops-risk-filter] select[data-field="owner"]')
    expect(owner).to_be_visible()
    open_rows = page.locator("article table:has(.dops-risk)").first.locator("tbody tr")
    total = open_rows.count()
    owner.select_option(label=owner.locator("option").nth(1).inner_text())
    wanted = owner.input_value().removeprefix("=")
    visible = page.locator("article table:has(.dops-risk) tbody tr:visible")
    expect(visible.first).to_be_visible()
    markers = [row.locator(".dops-risk").get_attribute("data-owner") for row in open_rows.all() if row.is_visible()]
    assert markers and set(markers) == {wanted} and len(markers) < total
    expect(page.locator("[data-dops-risk-filter] output")).to_have_text(f"{len(markers)} open risks shown")
    category = page.locator('[data-dops-risk-filter] select[data-field="category"]')
    category.select_option(index=0)
    owner.select_option(index=0)  # all again
    expect(page.locator("[data-dops-risk-filter] output")).to_have_text(f"{total} open risks shown")
    tab.shot("risk-register-filtered", full_page=False)
    tab.assert_clean()


def test_the_register_sorts_by_score(visit, sample_base):
    tab = visit(sample_base, "status/risks/")
    table = tab.page.locator("article table:has(.dops-risk)").first
    heading = table.locator("th", has_text="分值")
    expect(heading).to_have_attribute("role", "button")  # sortable.js has made the headings clickable
    heading.click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    scores = [int(c.inner_text().replace("★", "").strip()) for c in table.locator("tbody tr td:nth-child(4)").all()]
    assert scores == sorted(scores) and len(scores) >= 10
    heading.click()
    expect(heading).to_have_attribute("aria-sort", "descending")
    scores = [int(c.inner_text().replace("★", "").strip()) for c in table.locator("tbody tr td:nth-child(4)").all()]
    assert scores == sorted(scores, reverse=True)
    tab.shot("risk-sort")
    tab.assert_clean()
