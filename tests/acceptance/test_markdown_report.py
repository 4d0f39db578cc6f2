"""The Markdown report CI writes into every pull request's summary ($GITHUB_STEP_SUMMARY).

Read as GitHub shows it: rendered by a Markdown renderer with tables, then looked at as HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown

from ..conftest import make_repo, run
from .test_cli import AS_OF, CLOSED_PROJECT, WORLD, drop_retrospective
from .test_gate import commit_all, git


class _Tables(HTMLParser):
    """Every table of a page as rows of cell texts, and the headings."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.headings: list[str] = []
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h3", "h4"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag in ("h3", "h4") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._heading):
            if part is not None:
                part.append(data)


def rendered(text: str) -> _Tables:
    parser = _Tables()
    parser.feed(markdown.markdown(text, extensions=["tables"]))
    return parser


def test_every_finding_is_a_row_with_rule_clause_place_and_message(tmp_path):
    root = make_repo(tmp_path / "repo", {**WORLD, "records/projects/PRJ-2026-001.yaml": CLOSED_PROJECT})
    drop_retrospective(root / "records/projects/PRJ-2026-001.yaml")
    result = run(root, "check", "--as-of", AS_OF, "--format", "markdown", "--lang", "en")
    assert result.returncode == 1
    page = rendered(result.stdout)
    assert page.headings[0] == "dops check" and page.headings[1].startswith("To fix (")
    assert re.search(r"\*\*1\*\* errors, \*\*\d+\*\* warnings\. ❌ Not compliant\.", result.stdout)
    (table,) = page.tables
    assert table[0] == ["Severity", "Rule", "Clauses", "Where", "Message", "Who must act"]
    row = next(r for r in table[1:] if r[1] == "project-retrospective")
    assert row[0] == "❌ error" and row[2] == "3.4.4"
    assert re.fullmatch(r"records/projects/PRJ-2026-001\.yaml:\d+", row[3])
    assert "retrospective" in row[4]
    assert row[5].startswith("EMP-0002 ")  # the project's manager writes the retrospective
    assert all(len(r) == 6 for r in table)


def test_text_that_looks_like_markdown_stays_in_its_cell(tmp_path):
    root = make_repo(tmp_path / "repo", WORLD)
    (root / "records/people/a|b_*x*`.yaml").write_text("id: [1\n", encoding="utf-8")
    result = run(root, "check", "--as-of", AS_OF, "--format", "markdown", "--lang", "en")
    (table,) = rendered(result.stdout).tables
    row = next(r for r in table[1:] if r[1] == "yaml")
    assert len(row) == 6 and row[3] == "records/people/a|b_*x*`.yaml:2"


def test_a_compliant_tree_says_so_and_has_no_table(tmp_path):
    root = make_repo(tmp_path / "repo", {**WORLD, "records/projects/PRJ-2026-001.yaml": CLOSED_PROJECT})
    result = run(root, "check", "--as-of", AS_OF, "--format", "markdown")
    assert result.returncode == 0 and "✅ 符合制度。" in result.stdout
    assert not rendered(result.stdout).tables or all(
        r[0].startswith("⚠️") for t in rendered(result.stdout).tables for r in t[1:]
    )


def test_under_the_gate_old_findings_get_a_section_of_their_own(tmp_path):
    without = CLOSED_PROJECT.replace("PRJ-2026-001", "PRJ-2026-003").replace(
        "retrospective: {date: 2026-07-08, summary: 按期交付, lessons: [迁移脚本先演练]}\n", ""
    )
    root = make_repo(tmp_path / "repo", {**WORLD, "records/projects/PRJ-2026-003.yaml": without})
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "main")
    git(root, "checkout", "-q", "-b", "change")
    result = run(root, "check", "--changed-since", "main", "--as-of", AS_OF, "--format", "markdown", "--lang", "en")
    assert result.returncode == 0
    assert "✅ The change introduces no problem." in result.stdout
    page = rendered(result.stdout)
    assert any(h.startswith("Pre-existing (not blocking) (") for h in page.headings)
    assert any(r[1] == "project-retrospective" for t in page.tables for r in t[1:])
