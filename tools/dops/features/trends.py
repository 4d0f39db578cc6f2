"""Trends from git history: the check replayed at past points of the branch the site is built from.

A *point* is the check of one commit's records, schemas and settings, as of one date:

* each of the last :data:`MONTH_ENDS` month ends before the date checked as of: the last commit on the
  first-parent history made on or before that day, checked as of that day;
* every merge commit on the first-parent history (a pull request landing on ``main``) made in the last
  :data:`MERGE_MONTHS` months, at most :data:`MAX_MERGES` of them, checked as of the day it was made.

Commits are read from git without touching the working tree (``git archive`` into a temporary folder,
as ``dops check --changed-since`` reads its merge base) and checked by the running dops. A point never
changes once its commit, its date and the checker are fixed, so each is kept in dops's cache
(:mod:`dops.core.cache`): a build replays only the points it has not seen. Commit dates are read in the
company's time zone (``timezone`` in ``dops.yaml``).

No git, not a repository, a shallow clone or no commit yet: there is no trend, and
:attr:`Trend.reason` says why in words. A commit whose records this dops cannot check (settings or
schemas of another version) is left out and listed in :attr:`Trend.skipped`.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from dops.core import cache
from dops.core.config import Settings, load_settings
from dops.core.errors import DopsError
from dops.core.model import Finding, Message, Obligation, msg
from dops.features import gate
from dops.rules import engine

#: How many month ends are replayed, at most.
MONTH_ENDS = 24
#: Merge commits of how many months back are replayed.
MERGE_MONTHS = 6
#: At most this many merge commits are replayed (the newest).
MAX_MERGES = 100


@dataclass(frozen=True)
class Tally:
    """What one check found: errors, warnings and obligations overdue."""

    errors: int = 0
    warnings: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class Point:
    """The check at one point of history."""

    date: dt.date  # the date checked as of
    commit: str
    month_end: bool  # the last commit of a month, checked as of the month's last day
    merge: bool  # a merge commit, checked as of the day it was made
    total: Tally
    chapters: dict[str, Tally] = field(default_factory=dict)  # chapter number ("4") → its tally

    def chapter(self, number: str) -> Tally:
        return self.chapters.get(number, Tally())


@dataclass(frozen=True)
class Trend:
    """The points of history, oldest first; or why there are none."""

    points: tuple[Point, ...] = ()
    reason: Message | None = None  # why history could not be read at all
    skipped: tuple[tuple[dt.date, str], ...] = ()  # (date, commit) this dops could not check
    replayed: int = 0  # points computed by this call (the others came from the cache)
    month_ends: int = MONTH_ENDS
    merge_months: int = MERGE_MONTHS
    max_merges: int = MAX_MERGES

    def last_month_end(self, before: dt.date) -> Point | None:
        """The newest month-end point dated before ``before``."""
        found = [p for p in self.points if p.month_end and p.date < before]
        return found[-1] if found else None


def tally(findings: Iterable[Finding], obligations: Iterable[Obligation]) -> tuple[Tally, dict[str, Tally]]:
    """Errors, warnings and overdue obligations, in total and per chapter of the clauses they cite.

    A finding or an obligation citing clauses of two chapters counts in each. The dashboard reads
    today's numbers through this too, so that today and the history are counted alike.
    """
    totals = [0, 0, 0]
    chapters: dict[str, list[int]] = {}
    for finding in findings:
        if finding.severity not in ("error", "warning"):
            continue  # a notice (a rule skipped for want of a key) is neither
        column = 0 if finding.severity == "error" else 1
        totals[column] += 1
        for number in _chapters(finding.clauses):
            chapters.setdefault(number, [0, 0, 0])[column] += 1
    for obligation in obligations:
        if obligation.state == "overdue":
            totals[2] += 1
            for number in _chapters(obligation.clauses):
                chapters.setdefault(number, [0, 0, 0])[2] += 1
    return Tally(*totals), {number: Tally(*counts) for number, counts in sorted(chapters.items())}


def _chapters(clauses: Iterable[str]) -> set[str]:
    return {clause.split(".")[0] for clause in clauses if clause}


def _months_back(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def month_ends(as_of: dt.date, count: int = MONTH_ENDS) -> list[dt.date]:
    """The last ``count`` month ends before ``as_of``, oldest first."""
    ends = []
    end = as_of.replace(day=1) - dt.timedelta(days=1)
    for _ in range(count):
        ends.append(end)
        end = end.replace(day=1) - dt.timedelta(days=1)
    return ends[::-1]


@dataclass(frozen=True)
class _Commit:
    sha: str
    merge: bool
    date: dt.date


_SKIPPED = ("skipped",)  # the cache's answer for a commit this dops cannot check


def _git(root: Path, *args: str) -> bytes:
    """git's output in ``root``; CalledProcessError when git says no."""
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True, timeout=600).stdout


def _history(root: Path, zone: ZoneInfo) -> list[_Commit] | Message:
    """The first-parent history of HEAD, newest first; or why it cannot be read."""
    try:
        inside = subprocess.run(
            ["git", "rev-parse", "--is-inside-work-tree", "--is-shallow-repository"],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (FileNotFoundError, PermissionError):
        return msg("没有安装 git，无法读取历史。", "git is not installed, so the history cannot be read.")
    except (OSError, subprocess.SubprocessError) as err:
        return msg(f"无法运行 git（{err}）。", f"git cannot be run ({err}).")
    answers = inside.stdout.decode("utf-8", "replace").split()
    if inside.returncode != 0 or answers[:1] != ["true"]:
        return msg(
            "记录所在的文件夹不是 git 仓库（例如从压缩包解出的副本），没有可回溯的历史。",
            "The records' folder is not a git repository (a copy unpacked from an archive, say), "
            "so there is no history to replay.",
        )
    if answers[1:2] == ["true"]:
        return msg(
            "这是浅克隆，只有最近的提交，无法回溯历史。在 CI 中用 fetch-depth: 0 取完整历史。",
            "This is a shallow clone with only the latest commits, so the history cannot be replayed. "
            "Fetch the whole history (fetch-depth: 0 in CI).",
        )
    try:
        log = _git(root, "log", "--first-parent", "--format=%H %ct %P", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return msg("仓库还没有任何提交，没有可回溯的历史。", "The repository has no commit yet: there is no history.")
    commits = []
    for line in log.decode("ascii", "replace").splitlines():
        sha, stamp, *parents = line.split()
        day = dt.datetime.fromtimestamp(int(stamp), dt.UTC).astimezone(zone).date()
        commits.append(_Commit(sha, len(parents) > 1, day))
    if not commits:
        return msg("仓库还没有任何提交，没有可回溯的历史。", "The repository has no commit yet: there is no history.")
    return commits


def _wanted(commits: list[_Commit], as_of: dt.date) -> list[tuple[dt.date, _Commit, bool, bool]]:
    """(date, commit, month end?, merge?) for every point in the bound, oldest first, one per commit and date."""
    chosen: dict[tuple[dt.date, str], tuple[dt.date, _Commit, bool, bool]] = {}
    for end in month_ends(as_of):
        commit = next((c for c in commits if c.date <= end), None)
        if commit is not None:
            chosen[(end, commit.sha)] = (end, commit, True, False)
    since = _months_back(as_of, MERGE_MONTHS)
    merges = [c for c in commits if c.merge and since < c.date <= as_of][:MAX_MERGES]
    for commit in merges:
        earlier = chosen.get((commit.date, commit.sha))
        chosen[(commit.date, commit.sha)] = (commit.date, commit, earlier is not None, True)
    return sorted(chosen.values(), key=lambda item: item[0])


def history(settings: Settings, as_of: dt.date, use_cache: bool = True) -> Trend:
    """The check replayed at the points of history within the bound (see the module's text)."""
    commits = _history(settings.root, ZoneInfo(settings.timezone))
    if isinstance(commits, Message):
        return Trend(reason=commits)
    store: cache.Store | None = None
    folder = cache.folder() if use_cache else None
    prefix = ""
    if folder is not None:
        store = cache.Store(folder, cache.digest("trend", cache.tool_key()))
    try:
        prefix = _git(settings.root, "rev-parse", "--show-prefix").decode().strip()
        tracked = _git(settings.root, "ls-tree", "-r", "--name-only", "HEAD", "--", settings.records).strip()
    except (OSError, subprocess.SubprocessError):
        return Trend(reason=msg("无法读取 git 仓库。", "The git repository cannot be read."))
    if not tracked:  # a copy of the records inside another repository, say: its history is not theirs
        return Trend(
            reason=msg(
                f"记录文件夹 {settings.records}/ 不在所在 git 仓库的提交中，没有可回溯的历史。",
                f"The records' folder {settings.records}/ is not committed in the git repository around it, "
                "so there is no history to replay.",
            )
        )
    points: list[Point] = []
    skipped: list[tuple[dt.date, str]] = []
    replayed = 0
    for day, commit, month_end, merge in _wanted(commits, as_of):
        key = cache.digest(commit.sha, prefix, settings.records, settings.schemas, day.isoformat())
        kept = store.get_one(key) if store is not None else None
        if kept == _SKIPPED:
            skipped.append((day, commit.sha))
            continue
        if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], Tally)):
            kept = _replay(settings, commit.sha, day, use_cache)
            replayed += 1
            if store is not None:
                store.put_one(key, _SKIPPED if kept is None else kept)
            if kept is None:
                skipped.append((day, commit.sha))
                continue
        total, chapters = kept
        points.append(Point(day, commit.sha, month_end, merge, total, chapters))
    return Trend(points=tuple(points), skipped=tuple(skipped), replayed=replayed)


def _replay(settings: Settings, commit: str, as_of: dt.date, use_cache: bool) -> tuple[Tally, dict[str, Tally]] | None:
    """The tally of ``commit`` checked as of ``as_of``; None when this dops cannot check it."""
    with tempfile.TemporaryDirectory(prefix="dops-trend-") as folder:
        try:
            gate.materialise(settings, commit, Path(folder))
            then = load_settings(Path(folder), use_cache=use_cache)
            result = engine.run(then, None, as_of, use_cache)
        # Settings or schemas written for another dops, or git refusing to give the files.
        except (DopsError, subprocess.SubprocessError, tarfile.TarError, OSError):
            return None
    return tally(result.findings, result.obligations)


__all__ = ["MAX_MERGES", "MERGE_MONTHS", "MONTH_ENDS", "Point", "Tally", "Trend", "history", "month_ends", "tally"]
