"""Trends from git history on real repositories: the check replayed at month ends and merges of ``main``.

Each test commits a small department at chosen dates (the author and committer dates set through git's
environment), then asks :func:`dops.features.trends.history` for the points. What a point says is
compared with ``dops check --format json --as-of DATE`` run on a plain copy of the same records: the
trend must say what the check said on that day.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from dops.core.config import load_settings
from dops.features import trends
from dops.features.trends import Tally

from ..conftest import GIT_ENV, REPO, make_repo, run
from .test_cli import CLOSED_PROJECT, WORLD

AS_OF = dt.date(2026, 11, 24)
RETROSPECTIVE = "retrospective: {date: 2026-07-08, summary: 按期交付, lessons: [迁移脚本先演练]}\n"
CAREER_PLAN = "career_plan: {goal: 项目经理, path: [独立负责子项目], updated_on: 2026-01-15}\n"
WITHOUT_RETROSPECTIVE = CLOSED_PROJECT.replace("PRJ-2026-001", "PRJ-2026-003").replace(RETROSPECTIVE, "")
WITH_RETROSPECTIVE = CLOSED_PROJECT.replace("PRJ-2026-001", "PRJ-2026-003")
# On main: a project without its retrospective (an error under 3.4.4) and a person without a career
# plan (overdue under 5.3.1: a warning and an overdue obligation).
FIRST = {
    **WORLD,
    "records/people/EMP-0003.yaml": WORLD["records/people/EMP-0003.yaml"].replace(CAREER_PLAN, ""),
    "records/projects/PRJ-2026-001.yaml": CLOSED_PROJECT,
    "records/projects/PRJ-2026-003.yaml": WITHOUT_RETROSPECTIVE,
}
FIXED = {**FIRST, "records/projects/PRJ-2026-003.yaml": WITH_RETROSPECTIVE}  # merged from a branch
LAST = {**FIXED, "records/people/EMP-0003.yaml": WORLD["records/people/EMP-0003.yaml"]}  # then on main


def git(root: Path, *args: str, when: str = "2026-07-10T10:00:00+08:00") -> str:
    environment = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=environment, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def write(root: Path, records: dict[str, str]) -> None:
    for relative, content in records.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def commit(root: Path, records: dict[str, str], when: str, message: str) -> str:
    write(root, records)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, when=when)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def history(tmp_path: Path) -> dict[str, str | Path]:
    """main: FIRST on 10 July; a branch fixes the retrospective on 20 August and is merged on 5 September;
    the career plan is added on main on 12 October."""
    root = make_repo(tmp_path / "repo", FIRST)
    git(root, "init", "-q", "-b", "main")
    first = commit(root, {}, "2026-07-10T10:00:00+08:00", "The department")
    git(root, "checkout", "-q", "-b", "fix")
    commit(root, FIXED, "2026-08-20T10:00:00+08:00", "PRJ-2026-003: the retrospective")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge fix", "fix", when="2026-09-05T10:00:00+08:00")
    merge = git(root, "rev-parse", "HEAD").strip()
    last = commit(root, LAST, "2026-10-12T10:00:00+08:00", "EMP-0003: career plan")
    return {"root": root, "first": first, "merge": merge, "last": last}


def checked(tmp_path: Path, records: dict[str, str], day: dt.date) -> tuple[Tally, dict[str, Tally]]:
    """What ``dops check`` says of ``records`` as of ``day``, in a plain folder (no git)."""
    root = make_repo(tmp_path / f"plain-{len(list(tmp_path.iterdir()))}", records)
    done = run(root, "check", "--format", "json", "--as-of", day.isoformat())
    document = json.loads(done.stdout)
    totals = [document["summary"]["errors"], document["summary"]["warnings"], 0]
    chapters: dict[str, list[int]] = {}
    for finding in document["findings"]:
        column = 0 if finding["severity"] == "error" else 1
        for chapter in {c.split(".")[0] for c in finding["clauses"]}:
            chapters.setdefault(chapter, [0, 0, 0])[column] += 1
    for obligation in document["obligations"]:
        if obligation["state"] == "overdue":
            totals[2] += 1
            for chapter in {c.split(".")[0] for c in obligation["clauses"]}:
                chapters.setdefault(chapter, [0, 0, 0])[2] += 1
    return Tally(*totals), {chapter: Tally(*counts) for chapter, counts in chapters.items()}


def test_month_ends_and_merges_are_checked_as_of_their_dates(history, tmp_path):
    root = Path(history["root"])
    trend = trends.history(load_settings(root), AS_OF)

    assert trend.reason is None and trend.skipped == ()
    found = [(p.date, p.commit, p.month_end, p.merge) for p in trend.points]
    assert found == [
        (dt.date(2026, 7, 31), history["first"], True, False),
        # The fix was committed on its branch on 20 August: main still had the first commit on 31 August.
        (dt.date(2026, 8, 31), history["first"], True, False),
        (dt.date(2026, 9, 5), history["merge"], False, True),
        (dt.date(2026, 9, 30), history["merge"], True, False),
        (dt.date(2026, 10, 31), history["last"], True, False),
    ]
    states = [FIRST, FIRST, FIXED, FIXED, LAST]
    for point, records in zip(trend.points, states, strict=True):
        total, chapters = checked(tmp_path, records, point.date)
        assert (point.total, point.chapters) == (total, chapters), point.date
    first, _, merged, _, last = trend.points
    assert first.chapter("3").errors == 1 and merged.chapter("3").errors == 0  # the merge fixed 3.4.4
    assert first.chapter("5").overdue == last.chapter("5").overdue + 1  # the career plan came later
    assert last.total.errors == 0


def test_a_second_build_replays_nothing_and_a_new_merge_adds_one_point(history, tmp_path, monkeypatch):
    # Commits made alike are the same commits: another test's points must not be found in the cache.
    monkeypatch.setenv("DOPS_CACHE_DIR", str(tmp_path / "cache"))
    root = Path(history["root"])
    settings = load_settings(root)
    first = trends.history(settings, AS_OF)
    again = trends.history(settings, AS_OF)
    assert first.replayed == 5 and again.replayed == 0
    assert again.points == first.points

    git(root, "checkout", "-q", "-b", "more")
    commit(
        root,
        {"records/people/EMP-0004.yaml": FIRST["records/people/EMP-0004.yaml"] + "# 备注\n"},
        "2026-11-18T10:00:00+08:00",
        "A note",
    )
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge more", "more", when="2026-11-20T10:00:00+08:00")
    after = trends.history(settings, AS_OF)
    assert after.replayed == 1
    assert len(after.points) == 6 and after.points[-1].date == dt.date(2026, 11, 20) and after.points[-1].merge

    uncached = trends.history(settings, AS_OF, use_cache=False)
    assert uncached.replayed == 6 and uncached.points == after.points


def test_the_working_tree_is_never_touched(history):
    root = Path(history["root"])
    person = root / "records/people/EMP-0003.yaml"
    person.write_text(person.read_text(encoding="utf-8") + "# 未提交的修改\n", encoding="utf-8")
    before = git(root, "status", "--porcelain", "--untracked-files=all")

    trends.history(load_settings(root), AS_OF, use_cache=False)

    assert git(root, "status", "--porcelain", "--untracked-files=all") == before == " M records/people/EMP-0003.yaml\n"
    assert person.read_text(encoding="utf-8").endswith("# 未提交的修改\n")


def test_commit_dates_are_read_in_the_company_time_zone(tmp_path):
    root = make_repo(tmp_path / "repo", FIRST)
    git(root, "init", "-q", "-b", "main")
    commit(root, {}, "2026-09-10T10:00:00+08:00", "The department")
    # 31 October, 20:00 in London is 1 November, 04:00 in Shanghai (dops.yaml: timezone Asia/Shanghai).
    late = commit(root, LAST, "2026-10-31T20:00:00+00:00", "After midnight in Shanghai")
    trend = trends.history(load_settings(root), AS_OF)
    october = next(p for p in trend.points if p.date == dt.date(2026, 10, 31))
    assert october.commit != late


def test_the_bound_keeps_the_last_month_ends_and_merges(tmp_path):
    root = make_repo(tmp_path / "repo", FIRST)
    git(root, "init", "-q", "-b", "main")
    commit(root, {}, "2023-01-05T10:00:00+08:00", "Long ago")
    git(root, "checkout", "-q", "-b", "old")
    commit(root, FIXED, "2026-01-05T10:00:00+08:00", "Fix")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "An old merge", "old", when="2026-02-10T10:00:00+08:00")

    trend = trends.history(load_settings(root), AS_OF)

    month_ends = [p.date for p in trend.points if p.month_end]
    assert len(month_ends) == trends.MONTH_ENDS == 24
    assert month_ends[0] == dt.date(2024, 11, 30) and month_ends[-1] == dt.date(2026, 10, 31)
    assert not any(p.merge for p in trend.points)  # February is more than six months before 24 November


def test_a_commit_this_dops_cannot_check_is_left_out_and_named(history):
    root = Path(history["root"])
    settings_file = root / "dops.yaml"
    good = settings_file.read_text(encoding="utf-8")
    git(root, "checkout", "-q", "-b", "broken")
    settings_file.write_text(good.replace("max_file_kib: 256", "max_file_kib: many"), encoding="utf-8")
    commit(root, {}, "2026-11-01T10:00:00+08:00", "Settings this dops cannot read")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge broken", "broken", when="2026-11-02T10:00:00+08:00")
    broken = git(root, "rev-parse", "HEAD").strip()
    settings_file.write_text(good, encoding="utf-8")
    commit(root, {}, "2026-11-10T10:00:00+08:00", "Repair the settings")

    trend = trends.history(load_settings(root), AS_OF)

    assert trend.reason is None
    assert trend.skipped == ((dt.date(2026, 11, 2), broken),)
    assert [p.date for p in trend.points][-1] == dt.date(2026, 10, 31)
    assert trends.history(load_settings(root), AS_OF).skipped == trend.skipped  # the cache remembers it


def no_trend(root: Path, **environment: str) -> str:
    settings = load_settings(root)
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        trend = trends.history(settings, AS_OF)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert trend.points == () and trend.reason is not None
    return trend.reason.en


def test_no_repository_no_commit_a_shallow_clone_or_no_git_give_no_trend_and_say_why(history, tmp_path):
    plain = make_repo(tmp_path / "plain", FIRST)
    assert "not a git repository" in no_trend(plain)

    empty = make_repo(tmp_path / "empty", FIRST)
    git(empty, "init", "-q", "-b", "main")
    assert "no commit yet" in no_trend(empty)

    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history['root']}", str(shallow))
    assert "shallow clone" in no_trend(shallow)

    inside = make_repo(Path(history["root"]) / "copy", FIRST)  # untracked, inside another repository
    assert "is not committed in the git repository around it" in no_trend(inside)

    nowhere = tmp_path / "no-programs"
    nowhere.mkdir()
    assert "git is not installed" in no_trend(Path(history["root"]), PATH=str(nowhere))


def test_the_published_site_is_rebuilt_daily_with_the_whole_history():
    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    assert [entry["cron"] for entry in workflow[True]["schedule"]]  # PyYAML reads the key `on` as True
    assert {"push", "workflow_dispatch", "schedule"} <= set(workflow[True])
    checkout = next(s for s in workflow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # a shallow clone has no trend
