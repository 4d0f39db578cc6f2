"""Search finds pages in the reader's language only: each language has an index of its own.

mkdocs-static-i18n writes one index for every language, so a search listed each page twice, once per
language; the dops plugin splits it, and points each translated page at its language's index.
The browser tests follow the rules at the top of ``test_browser.py``.
"""

from __future__ import annotations

import json

from .test_browser import (
    _results,
    _search_box,
    browser,
    chromium,
    expect,
    sample_base,
    type_with_input_method,
    visit,
)

__all__ = ["browser", "chromium", "sample_base", "visit"]  # fixtures, shared with test_browser


def _index(site, prefix=""):
    return json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_each_language_has_an_index_of_its_own_pages(sample_site):
    chinese, english = _index(sample_site), _index(sample_site, "en")
    for index in (chinese, english):
        locations = [doc["location"] for doc in index["docs"]]
        assert len(locations) > 100
        assert not [loc for loc in locations if loc.startswith("en/")]  # relative to the language's root
        assert "policy/chapter-3/#clause-3.4.4" in locations
        assert "benchmarks/" in locations  # a page without a translation is found in both languages
    english_titles = {doc["location"]: doc["title"] for doc in english["docs"]}
    chinese_titles = {doc["location"]: doc["title"] for doc in chinese["docs"]}
    assert english_titles["policy/chapter-3/"] == "3 Workflow"
    assert "工作" in chinese_titles["policy/chapter-3/"]


def test_a_search_on_an_english_page_lists_english_pages_only(visit, sample_base):
    tab = visit(sample_base, "en/policy/")
    box = _search_box(tab)
    box.press_sequentially("retrospective")
    expect(box).to_have_value("retrospective")
    hrefs = _results(tab, "retrospective", "en/policy/chapter-3/", "clause-3.4.4", shot="search-en-only")
    assert "/en/policy/chapter-3/#clause-3.4.4" in hrefs, hrefs
    assert all(href.startswith("/en/") for href in hrefs), hrefs
    assert len(hrefs) == len(set(hrefs)), hrefs  # no page listed twice


def test_a_search_on_a_chinese_page_lists_chinese_pages_only(visit, sample_base):
    tab = visit(sample_base, "policy/")
    box = _search_box(tab)
    box.press_sequentially("retrospective")  # English words are on the Chinese pages too (rule IDs)
    expect(box).to_have_value("retrospective")
    hrefs = _results(tab, "retrospective", "policy/chapter-3/", "clause-3.4.4", shot="search-zh-only")
    assert "/policy/chapter-3/#clause-3.4.4" in hrefs, hrefs
    assert not [href for href in hrefs if href.startswith("/en/")], hrefs
    assert len(hrefs) == len(set(hrefs)), hrefs


def test_a_chinese_query_on_an_english_page_stays_in_english(visit, sample_base):
    tab = visit(sample_base, "en/status/")
    box = _search_box(tab)
    type_with_input_method(tab.page, "fupan", "复盘")  # a Chinese word found on English pages: names of trainings
    expect(box).to_have_value("复盘")
    hrefs = _results(tab, "复盘", "en/status/training/", shot="search-en-chinese-word")
    assert hrefs and all(href.startswith("/en/") for href in hrefs), hrefs
