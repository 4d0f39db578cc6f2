"""The text of every built page as a reader gets it: no Markdown left as text, no state told by an emoji alone.

Read from the built HTML, without a browser: the main column (``<article>``) with its tags taken
away, lines kept as the page has them and a line break wherever a block (paragraph, cell, row, item)
ends. Collapsed sections (``<details>``) count: a reader who opens them reads them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from .screens import page_paths

if TYPE_CHECKING:
    from pathlib import Path

BLOCKS = {
    "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "blockquote", "details", "summary", "figure", "figcaption", "dd", "dt", "br", "hr", "section",
}  # fmt: skip
# States the site once showed by an emoji alone (issue 10); a cell needs words beside them.
STATE_EMOJI = "✅❌⚠⏳❗🕓📝"
RAW_TABLE_RULE = re.compile(r"\|\s*:?-{3,}:?\s*\|")  # a Markdown table's rule: | --- |, |---|, |:---|


class _Article(HTMLParser):
    """The text of a page's ``<article>``, of each of its table cells and of each of its paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside the article: how many elements deep
        self.parts: list[str] = []
        self.cells: list[str] = []
        self.cell: list[str] | None = None
        self.paragraphs: list[str] = []
        self.paragraph: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" and not self.depth:
            self.depth = 1
            return
        if not self.depth:
            return
        if tag not in {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col"}:
            self.depth += 1
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in {"td", "th"}:
            self.cell = []
        if tag == "p":
            self.paragraph = []

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or tag in {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col"}:
            return
        self.depth -= 1
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in {"td", "th"} and self.cell is not None:
            self.cells.append("".join(self.cell))
            self.cell = None
        if tag == "p" and self.paragraph is not None:
            self.paragraphs.append("".join(self.paragraph))
            self.paragraph = None

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)
            for collecting in (self.cell, self.paragraph):
                if collecting is not None:
                    collecting.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def read(site: Path, path: str) -> _Article:
    page = site / path / "index.html" if path.endswith("/") or not path else site / path
    parser = _Article()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_the_reader_helper_reads_articles_as_a_reader_does(tmp_path):
    (tmp_path / "index.html").write_text(
        "<nav>| menu |</nav><article><h1>标题</h1><p>| 编号 | 主题 |\n| --- | --- |</p>"
        "<table><tr><th>状态</th></tr><tr><td><span>✅</span> 完成</td></tr><tr><td>❗</td></tr></table>"
        "<details><summary>已关闭</summary><p>a<br>b</p></details><p>总结\n- 教训一\n- 教训二</p></article>"
        "<footer>x</footer>",
        encoding="utf-8",
    )
    article = read(tmp_path, "")
    lines = [line for line in article.text.splitlines() if line]
    assert lines == [
        *("标题", "| 编号 | 主题 |", "| --- | --- |", "状态", "✅ 完成", "❗", "已关闭", "a", "b"),
        *("总结", "- 教训一", "- 教训二"),
    ]
    assert article.cells == ["状态", "✅ 完成", "❗"]
    assert article.paragraphs == ["| 编号 | 主题 |\n| --- | --- |", "ab", "总结\n- 教训一\n- 教训二"]


def test_no_page_shows_markdown_table_syntax(sample_site):
    """A Markdown table that did not become a table shows its pipes as text (issue 10: the training plan did)."""
    paths = page_paths(sample_site)
    assert len(paths) >= 40
    raw = {}
    for path in paths:
        lines = [line.strip() for line in read(sample_site, path).text.splitlines()]
        found = [line for line in lines if RAW_TABLE_RULE.search(line) or line.startswith("| ")]
        if found:
            raw[path] = found[:3]
    assert not raw, raw


RAW_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s")


def test_no_paragraph_holds_a_markdown_list(sample_site):
    """A list written right under a line of text, with no blank line between, stays in that line's paragraph:
    the reader sees "… summary - first lesson - second lesson" run together (a template tag ending the
    line above takes the blank line, as it did to the training plan's table)."""
    raw = {}
    for path in page_paths(sample_site):
        found = [
            line.strip()
            for paragraph in read(sample_site, path).paragraphs
            for line in paragraph.splitlines()[1:]
            if RAW_LIST_ITEM.match(line)
        ]
        if found:
            raw[path] = found[:3]
    assert not raw, raw


def test_no_table_cell_shows_a_state_by_an_emoji_alone(sample_site):
    """Without an emoji font (as in CI's screenshots) an emoji alone says nothing: the words must be there too."""
    bare = {}
    emoji = re.compile(f"[{STATE_EMOJI}\ufe0f\\s]")
    for path in page_paths(sample_site):
        cells = read(sample_site, path).cells
        alone = [cell.strip() for cell in cells if any(e in cell for e in STATE_EMOJI) and not emoji.sub("", cell)]
        if alone:
            bare[path] = alone[:5]
    assert not bare, bare
