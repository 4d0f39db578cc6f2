"""The cache (issue 9): a warm check answers as a cold one, and changing any of its keys changes the answer.

Each test runs ``dops check`` on a copy of the samples twice or more, as a user would, and changes one
thing between the runs: a record, a schema, the settings, CODEOWNERS, the date, the checker itself.
The answer must follow the change; with nothing changed it must come from the cache.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

import dops
from dops.core import cache, inputs, loader
from dops.rules import RULES

from ..conftest import REPO, Ran, run

AS_OF = "2026-11-24"
PROJECT = "records/projects/PRJ-2026-003.yaml"


@pytest.fixture
def samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "samples"
    for folder in ("records", "schemas", "policy", ".github"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "dops.yaml", root / "dops.yaml")
    monkeypatch.setenv("DOPS_CACHE_DIR", str(tmp_path / "cache"))
    return root


def check(root: Path, *args: str) -> Ran:
    return run(root, "check", "--as-of", AS_OF, *args, env={"NO_COLOR": "1"})


def entries(root: Path) -> list[Path]:
    folder = Path(os.environ["DOPS_CACHE_DIR"])
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def findings(ran: Ran) -> set[tuple[str, str]]:
    """(rule, file) of each finding of a ``--format github`` report."""
    return set(re.findall(r"^::\w+ file=([^,]+),.*?title=dops ([\w-]+)", ran.stdout, re.M))


def test_a_warm_check_says_exactly_what_a_cold_one_says(samples: Path):
    cold = check(samples)
    assert entries(samples), "the first run fills the cache"
    warm = check(samples)
    uncached = check(samples, "--no-cache")
    assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout) == (uncached.returncode, uncached.stdout)
    assert "warning" in cold.stdout or "警告" in cold.stdout  # the samples are a living department


def test_an_unchanged_tree_is_answered_without_running_a_rule(samples: Path, monkeypatch: pytest.MonkeyPatch):
    first = check(samples)

    def broken(*_: object) -> Iterator[object]:
        raise AssertionError("a rule ran although nothing changed")

    for rule_id, rule in RULES.items():
        if rule.check is not None:
            monkeypatch.setitem(RULES, rule_id, dataclasses.replace(rule, check=broken))
    again = check(samples)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)


def test_a_changed_record_is_checked_again(samples: Path):
    before = check(samples, "--format", "github")
    path = samples / PROJECT
    path.write_text(path.read_text(encoding="utf-8").replace("phase:", "phase_typo:", 1), encoding="utf-8")
    after = check(samples, "--format", "github")
    assert after.returncode == 1 and before.returncode == 0
    assert (PROJECT, "schema") in findings(after) and (PROJECT, "schema") not in findings(before)


def test_a_renamed_record_is_reported_under_its_new_name(samples: Path):
    check(samples)
    (samples / PROJECT).rename(samples / "records/projects/PRJ-2026-099.yaml")
    after = check(samples)
    assert "records/projects/PRJ-2026-099.yaml" in after.stdout and after.returncode == 1  # id and name differ


def test_a_changed_schema_is_applied(samples: Path):
    assert check(samples).returncode == 0
    schema_path = samples / "schemas/project.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["name"]["maxLength"] = 2
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    after = check(samples, "--format", "github")
    assert after.returncode == 1 and (PROJECT, "schema") in findings(after)


def test_changed_settings_are_applied(samples: Path):
    before = check(samples, "--format", "github")
    settings = samples / "dops.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "team_meeting_days: 14" in text
    settings.write_text(text.replace("team_meeting_days: 14", "team_meeting_days: 1"), encoding="utf-8")
    after = check(samples, "--format", "github")
    assert after.stdout.count("team-meeting-cadence") > before.stdout.count("team-meeting-cadence")


def test_a_changed_codeowners_file_is_noticed(samples: Path):
    assert "codeowners-current" not in check(samples).stdout
    (samples / ".github/CODEOWNERS").write_text("* @someone\n", encoding="utf-8")
    after = check(samples)
    assert "codeowners-current" in after.stdout and after.returncode == 1


def test_another_date_is_another_answer(samples: Path):
    today = check(samples, "--format", "github")
    later = run(samples, "check", "--as-of", "2027-06-30", "--format", "github", env={"NO_COLOR": "1"})
    assert later.stdout.count("::warning") > today.stdout.count("::warning")


def test_another_checker_does_not_reuse_the_old_answers(samples: Path, monkeypatch: pytest.MonkeyPatch):
    first = check(samples)
    rule = RULES["kickoff-held"]
    original = rule.check
    assert original is not None

    def stricter(record, context):  # type: ignore[no-untyped-def]
        yield from original(record, context)
        raise RuntimeError("the changed checker ran")

    monkeypatch.setitem(RULES, rule.id, dataclasses.replace(rule, check=stricter))
    # The same checker (same version, same files): the answer comes from the cache, the change is unseen.
    assert check(samples).stdout == first.stdout
    # Another checker: its package files differ, and so does its key; the old answers are not used.
    monkeypatch.setattr(dops, "__version__", dops.__version__ + "+changed")
    cache.tool_key.cache_clear()
    try:
        after = check(samples)
    finally:
        cache.tool_key.cache_clear()
    assert after.returncode == 3 and "the changed checker ran" in after.stderr + after.stdout


def test_the_tool_key_follows_every_file_of_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    package = Path(dops.__file__).parent
    copy = tmp_path / "dops"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(dops, "__file__", str(copy / "__init__.py"))
    cache.tool_key.cache_clear()
    try:
        before = cache.tool_key()
        rule = copy / "rules" / "kickoff_held.py"
        rule.write_text(rule.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        cache.tool_key.cache_clear()
        assert cache.tool_key() != before
    finally:
        cache.tool_key.cache_clear()


def test_torn_entries_are_misses_and_are_rewritten(samples: Path):
    first = check(samples)
    for entry in entries(samples):
        entry.write_bytes(b"\x80\x05 not a pickle")
    assert check(samples).stdout == first.stdout
    assert check(samples).stdout == first.stdout


def test_no_cache_reads_and_writes_nothing(samples: Path):
    ran = check(samples, "--no-cache")
    assert ran.returncode == 0 and entries(samples) == []


def test_an_unusable_cache_folder_does_not_stop_the_check(
    samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be\n", encoding="utf-8")
    monkeypatch.setenv("DOPS_CACHE_DIR", str(blocker / "dops"))
    expected = check(samples, "--no-cache")
    assert check(samples).stdout == expected.stdout


def test_the_cache_folder_is_the_users_alone(samples: Path):
    check(samples)
    folder = Path(os.environ["DOPS_CACHE_DIR"])
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_a_cache_folder_others_can_write_to_is_not_used(samples: Path):
    folder = Path(os.environ["DOPS_CACHE_DIR"])
    folder.mkdir(mode=0o700)
    folder.chmod(0o777)
    ran = check(samples)
    assert ran.returncode == 0 and entries(samples) == []


@pytest.mark.parametrize("cached", [False, True])
def test_parsing_in_worker_processes_gives_the_same_answer(samples: Path, cached: bool):
    """A big tree is parsed on every CPU (forked workers); DOPS_JOBS forces it here on the samples."""
    flags = () if cached else ("--no-cache",)
    alone = run(samples, "check", "--as-of", AS_OF, "--format", "json", "--no-cache", env={"DOPS_JOBS": "1"})
    shared = run(samples, "check", "--as-of", AS_OF, "--format", "json", *flags, env={"DOPS_JOBS": "2"})
    assert (shared.returncode, shared.stdout) == (alone.returncode, alone.stdout)
    if cached:  # what the workers parsed was kept: the next run parses nothing and says the same
        again = run(samples, "check", "--as-of", AS_OF, "--format", "json", env={"DOPS_JOBS": "2"})
        assert again.stdout == alone.stdout


def test_an_unchanged_tree_is_not_even_read_again(samples: Path, monkeypatch: pytest.MonkeyPatch):
    """The stat index vouches for files whose size, times and inode are unchanged (git's index does the same)."""
    monkeypatch.setattr(inputs, "_RACY_NS", 0)  # the files were written a moment ago: trust them at once
    first = check(samples)
    check(samples)  # the index now knows every file

    def unread(*_: object) -> object:
        raise AssertionError("a file was read although the stat index knew it")

    monkeypatch.setattr(loader, "read_raw", unread)
    assert check(samples).stdout == first.stdout


def test_a_change_that_keeps_size_and_modification_time_is_still_seen(samples: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(inputs, "_RACY_NS", 0)
    before = check(samples, "--format", "github")
    check(samples, "--format", "github")
    path = samples / PROJECT
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "phase:" in text
    path.write_text(text.replace("phase:", "phasX:", 1), encoding="utf-8")  # same size
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # same modification time; the ctime moves
    assert path.stat().st_size == status.st_size and path.stat().st_mtime_ns == status.st_mtime_ns
    after = check(samples, "--format", "github")
    assert (PROJECT, "schema") in findings(after) and (PROJECT, "schema") not in findings(before)


def test_a_file_written_a_moment_ago_is_read_every_time(samples: Path, monkeypatch: pytest.MonkeyPatch):
    """The racy case: a file changed within the timestamps' granularity of being indexed is never vouched for."""
    monkeypatch.setattr(inputs, "_RACY_NS", 600 * 10**9)  # "a moment": the copy was made well within it
    check(samples)
    reads: list[object] = []
    real = loader.read_raw

    def counted(path: Path, max_bytes: int) -> object:
        reads.append(path)
        return real(path, max_bytes)

    monkeypatch.setattr(loader, "read_raw", counted)
    check(samples)
    assert len(reads) >= len(list((samples / "records").rglob("*.yaml")))  # all written just now: all read
