"""The trend on the built site: from a real git history, and in words when there is none.

One site is built from the sample records committed at three dates: the first commit lacks an
appraisal (overdue then), a merge on 15 October brings it. What the dashboard says of each point is
what ``dops check --as-of`` said of the same records on that day, in a plain copy without git.
"""

from __future__ import annotations

import html as html_module
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import GIT_ENV, run
from .conftest import build, copy_repo

MISSING = "records/reviews/REV-EMP-0005-2026Q2.yaml"


def git(root: Path, *args: str, when: str) -> None:
    environment = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=environment, timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the built site, the repository) of the sample records with a short history."""
    root = copy_repo(tmp_path_factory.mktemp("trend") / "repo")
    review = (root / MISSING).read_bytes()
    (root / MISSING).unlink()
    git(root, "init", "-q", "-b", "main", when="2026-09-20T10:00:00+08:00")
    git(root, "add", "-A", when="2026-09-20T10:00:00+08:00")
    git(root, "commit", "-q", "-m", "The records, one appraisal short", when="2026-09-20T10:00:00+08:00")
    git(root, "checkout", "-q", "-b", "appraisal", when="2026-10-12T10:00:00+08:00")
    (root / MISSING).write_bytes(review)
    git(root, "add", "-A", when="2026-10-12T10:00:00+08:00")
    git(root, "commit", "-q", "-m", "The missing appraisal", when="2026-10-12T10:00:00+08:00")
    git(root, "checkout", "-q", "main", when="2026-10-15T10:00:00+08:00")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge the appraisal", "appraisal", when="2026-10-15T10:00:00+08:00")
    return build(root), root


def checked(
    root: Path, tmp_path: Path, day: str, without: str | None = None, chapter: str | None = None
) -> tuple[int, int, int]:
    """(errors, warnings, overdue) from `dops check --as-of day` on a plain copy of the records;
    with ``chapter``, of the findings and obligations citing a clause of that chapter."""
    plain = tmp_path / f"plain-{day}"
    if not plain.exists():
        shutil.copytree(root, plain, ignore=shutil.ignore_patterns(".git", "site", "docs"))
        if without:
            (plain / without).unlink()
    document = json.loads(run(plain, "check", "--format", "json", "--as-of", day).stdout)

    def cites(item: dict) -> bool:
        return chapter is None or any(c.split(".")[0] == chapter for c in item["clauses"])

    findings = [f for f in document["findings"] if cites(f)]
    return (
        sum(1 for f in findings if f["severity"] == "error"),
        sum(1 for f in findings if f["severity"] == "warning"),
        sum(1 for o in document["obligations"] if o["state"] == "overdue" and cites(o)),
    )


def numbers(page: str) -> dict[str, tuple[str, tuple[int, int, int]]]:
    """The rows of the trend's table: date → (what the point is, its three numbers)."""
    table = page.split('class="dops-chart-numbers"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for cells in re.findall(
        r"<tr><td>([^<]*)</td><td>(.*?)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", table
    ):
        day, what, *counts = cells
        rows.setdefault(day, (html_module.unescape(re.sub(r"<[^>]+>", "", what)), tuple(int(c) for c in counts)))
    return rows


def test_the_dashboard_charts_the_history_with_the_numbers_the_check_gave_on_each_day(history_site, tmp_path):
    site, root = history_site
    september = checked(root, tmp_path, "2026-09-30", without=MISSING)
    merged = checked(root, tmp_path, "2026-10-15")
    october = checked(root, tmp_path, "2026-10-31")
    today = checked(root, tmp_path, "2026-11-24")
    assert len({september, merged, october}) > 1  # the history has something to show

    page = (site / "en" / "status" / "index.html").read_text(encoding="utf-8")
    rows = numbers(page)
    assert rows["2026-09-30"][1] == september and rows["2026-09-30"][0].startswith("month end")
    assert rows["2026-10-15"][1] == merged and rows["2026-10-15"][0].startswith("merge")
    assert rows["2026-10-31"][1] == october
    assert rows["2026-11-24"] == ("today (the records as built)", today)
    assert len(rows) == 4
    assert re.search(r"<svg[^>]*viewBox=\"0 0 640 220\"[^>]*role=\"img\"", page)
    assert '<title id="trend-title">Errors, warnings and overdue items over time</title>' in page

    # The headline compares today with the last month end, in words.
    headline = page.split("At a glance", 1)[1].split("</table>", 1)[0]
    overdue_row = re.search(r"<td>Overdue</td>\s*<td[^>]*><strong>(\d+)</strong></td>\s*<td[^>]*>(\d+)</td>", headline)
    assert overdue_row and (int(overdue_row.group(1)), int(overdue_row.group(2))) == (today[2], october[2])
    assert "Month end 2026-10-31" in headline

    chinese = (site / "status" / "index.html").read_text(encoding="utf-8")
    assert numbers(chinese)["2026-09-30"] == ("月末 " + rows["2026-09-30"][0].split(" ", 2)[2], september)


def test_each_chapter_page_shows_its_trend_at_the_top(history_site, tmp_path):
    site, root = history_site
    page = (site / "en" / "policy" / "chapter-4" / "index.html").read_text(encoding="utf-8")
    top = page.split('id="clause-4.1"', 1)[0]
    assert "This chapter&rsquo;s trend" in top or "This chapter's trend" in top
    assert 'id="chapter-4-trend-title"' in top
    rows = numbers(top)
    # The missing appraisal cites chapter 4: the chapter's line counts what cites its clauses.
    assert rows["2026-09-30"][1] == checked(root, tmp_path, "2026-09-30", without=MISSING, chapter="4")
    assert rows["2026-10-31"][1] == checked(root, tmp_path, "2026-10-31", chapter="4")
    assert rows["2026-11-24"][1] == checked(root, tmp_path, "2026-11-24", chapter="4")
    assert page.count('class="dops-chapter-trend"') == 1


def test_without_history_the_pages_say_so_in_both_languages(sample_site):
    english = (sample_site / "en" / "status" / "index.html").read_text(encoding="utf-8")
    chinese = (sample_site / "status" / "index.html").read_text(encoding="utf-8")
    assert "No trend: The records' folder is not a git repository" in html_module.unescape(english)
    assert "没有趋势：记录所在的文件夹不是 git 仓库" in chinese
    assert "the last 24 month ends" in english and "最近 24 个月末" in chinese
    assert 'class="dops-chart-numbers"' in english  # the appraisal chart and its numbers are still there
    chapter = (sample_site / "en" / "policy" / "chapter-3" / "index.html").read_text(encoding="utf-8")
    assert "No trend" in html_module.unescape(chapter)
