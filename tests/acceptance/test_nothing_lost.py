"""Nothing lost (issue 9, item 5): every command changes only the files it documents, and a write that
fails half-way leaves the old file whole and no stray temporary file behind."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from ..conftest import REPO, Ran, run

AS_OF = "2026-11-24"
NEW_PERSON = ("new", "person", "--no-input", "--name", "王五", "--role", "project_specialist", "--superior", "EMP-0002")


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A copy of this repository's records, settings, schemas, policy, site sources and CODEOWNERS."""
    root = tmp_path / "samples"
    for folder in ("records", "schemas", "policy", "docs", "overrides", ".github"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("policy", "status", "__pycache__"))
    for name in ("dops.yaml", ".sops.yaml", "mkdocs.yml", "README.md"):
        shutil.copy(REPO / name, root / name)
    return root


def snapshot(root: Path) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for current, _, files in os.walk(root):
        for name in files:
            path = os.path.join(current, name)
            mode = os.lstat(path).st_mode
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = (hashlib.sha256(handle.read()).hexdigest(), stat.S_IMODE(mode))
    return found


def changes(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def dops(root: Path, *args: str) -> Ran:
    return run(root, *args, env={"NO_COLOR": "1", "DOPS_AS_OF": AS_OF})


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--as-of", AS_OF),
        ("check", "--as-of", AS_OF, "--format", "json"),
        ("check", "--as-of", AS_OF, "--format", "markdown"),
        ("check", "--as-of", AS_OF, "records/projects/PRJ-2026-003.yaml"),
        ("status", "--as-of", AS_OF),
        ("status", "--as-of", AS_OF, "--person", "EMP-0002", "--format", "json"),
        ("calendar", "--as-of", AS_OF),
        ("codeowners", "--check"),
        ("codeowners", "--stdout"),
        ("codeowners",),  # the committed file is current: left as it is
        ("rules",),
        ("explain", "3.4.4"),
    ],
)
def test_commands_that_only_read_change_nothing(samples, args):
    before = snapshot(samples)
    ran = dops(samples, *args)
    assert ran.returncode in (0, 1), ran.stderr
    assert changes(before, snapshot(samples)) == set()


def test_calendar_writes_only_the_file_named(samples):
    before = snapshot(samples)
    ran = dops(samples, "calendar", "--as-of", AS_OF, "-o", "deadlines.ics")
    assert ran.returncode == 0, ran.stderr
    assert changes(before, snapshot(samples)) == {"deadlines.ics"}


def test_codeowners_rewrites_only_codeowners_and_keeps_its_permissions(samples):
    target = samples / ".github" / "CODEOWNERS"
    target.write_text("# out of date\n", encoding="utf-8")
    target.chmod(0o644)
    before = snapshot(samples)
    ran = dops(samples, "codeowners")
    assert ran.returncode == 0, ran.stderr
    assert changes(before, snapshot(samples)) == {".github/CODEOWNERS"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_site_generate_writes_only_the_generated_folders(samples):
    before = snapshot(samples)
    ran = dops(samples, "site", "generate", "--as-of", AS_OF)
    assert ran.returncode == 0, ran.stderr
    changed = changes(before, snapshot(samples))
    assert changed and all(name.startswith(("docs/policy/", "docs/status/")) for name in changed), changed


def test_new_writes_only_the_new_record(samples):
    before = snapshot(samples)
    ran = dops(
        samples,
        *NEW_PERSON,
        "--date",
        AS_OF,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    changed = changes(before, snapshot(samples))
    assert len(changed) == 1 and next(iter(changed)).startswith("records/people/EMP-"), changed


# --- an interrupted write -------------------------------------------------------------------


@pytest.fixture
def replace_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rename onto a file fails, as when the disk fills or the process is stopped just before it."""

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    monkeypatch.setattr(os, "link", fail)  # dops new links the finished file into place when it can


def test_an_interrupted_codeowners_write_leaves_the_old_file_whole(samples, replace_fails):
    target = samples / ".github" / "CODEOWNERS"
    target.write_text("# the old file\n", encoding="utf-8")
    before = snapshot(samples)
    ran = dops(samples, "codeowners")
    assert ran.returncode == 2 and "cannot write: No space left on device" in ran.stderr
    assert snapshot(samples) == before  # the old content, and no temporary file left behind


def test_an_interrupted_calendar_write_leaves_the_old_file_whole(samples, replace_fails):
    (samples / "deadlines.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    before = snapshot(samples)
    ran = dops(samples, "calendar", "--as-of", AS_OF, "-o", "deadlines.ics")
    assert ran.returncode == 2 and "deadlines.ics: " in ran.stderr and "cannot write" in ran.stderr
    assert snapshot(samples) == before


def test_an_interrupted_site_generation_leaves_every_old_page_whole(samples, monkeypatch):
    assert dops(samples, "site", "generate", "--as-of", AS_OF).returncode == 0
    for page in (samples / "docs" / "status").rglob("*.md"):
        page.write_text("old page\n", encoding="utf-8")
    before = snapshot(samples)
    monkeypatch.setattr(os, "replace", lambda *args, **kwargs: (_ for _ in ()).throw(OSError(28, "disk full")))
    ran = dops(samples, "site", "generate", "--as-of", AS_OF)
    assert ran.returncode == 2 and "cannot write the generated pages: disk full" in ran.stderr
    assert snapshot(samples) == before


def test_an_interrupted_new_record_leaves_no_file(samples, replace_fails):
    before = snapshot(samples)
    ran = dops(
        samples,
        *NEW_PERSON,
    )
    assert ran.returncode == 2 and "cannot write the file" in ran.stderr
    assert snapshot(samples) == before
