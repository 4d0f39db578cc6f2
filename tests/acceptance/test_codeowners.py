"""`dops codeowners` and the `codeowners-current` rule: who reviews what, and drift reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..conftest import REPO, make_repo
from .test_cli import AS_OF, CLOSED_PROJECT, WORLD, run

# EMP-0002 (li-na) manages PRJ-2026-001 and is the superior of EMP-0003 (wang-lei) and EMP-0004 (no handle).
# EMP-0005 (no handle, superior EMP-0004 without handle either, then EMP-0002) manages PRJ-2026-002.
PEOPLE = {
    "records/people/EMP-0002.yaml": WORLD["records/people/EMP-0002.yaml"].replace(
        "superior: EMP-0001\n", "superior: EMP-0001\ngithub: li-na\n"
    ),
    "records/people/EMP-0003.yaml": WORLD["records/people/EMP-0003.yaml"].replace(
        "superior: EMP-0002\n", "superior: EMP-0002\ngithub: wang-lei\n"
    ),
    "records/people/EMP-0005.yaml": WORLD["records/people/EMP-0004.yaml"]
    .replace("EMP-0004", "EMP-0005")
    .replace("superior: EMP-0002", "superior: EMP-0004")
    .replace("陈静", "孙悦")
    .replace("roles: [operations_support]", "roles: [project_manager]"),
}
SECOND_PROJECT = """\
id: PRJ-2026-002
name: 客服平台运维
phase: initiation
manager: EMP-0005
customer: {code: C-002, full_name: 某城商行}
started_on: 2026-11-02
"""
RISK = """\
id: RSK-2026-00{n}
title: 数据迁移延误
{project}category: schedule
description: 历史数据清洗耗时超出预期
identified_on: 2026-11-10
likelihood: 2
impact: 3
status: open
"""


@pytest.fixture
def department(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "repo",
        {
            **WORLD,
            **PEOPLE,
            "records/projects/PRJ-2026-001.yaml": CLOSED_PROJECT,
            "records/projects/PRJ-2026-002.yaml": SECOND_PROJECT,
            "records/risks/RSK-2026-001.yaml": RISK.format(n=1, project="project: PRJ-2026-001\n"),
            "records/risks/RSK-2026-002.yaml": RISK.format(n=2, project=""),  # a department risk
        },
    )


def owners(text: str) -> list[str]:
    """The rule lines of a CODEOWNERS file, without comments and blank lines."""
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_the_generated_file_puts_general_patterns_first_and_each_record_with_its_owner(department):
    result = run(department, "codeowners")
    assert result.returncode == 0, result.stderr
    text = (department / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert text.startswith("# 由 `dops codeowners` 根据 records/")
    assert "Do not edit by hand" in text.splitlines()[1]
    assert owners(text) == [
        "* @delivery-ops/policy-owners",
        "/records/ @delivery-ops/policy-owners",
        "/records/people/ @delivery-ops/hr",
        "/records/trainings/ @delivery-ops/hr",
        "/policy/ @delivery-ops/policy-owners",
        "/schemas/ @delivery-ops/policy-owners",
        "/tools/dops/rules/ @delivery-ops/policy-owners",
        "/dops.yaml @delivery-ops/policy-owners",
        "/.github/CODEOWNERS @delivery-ops/policy-owners",
        "/records/projects/PRJ-2026-001.yaml @li-na",
        "/records/risks/RSK-2026-001.yaml @li-na",
        "/records/projects/PRJ-2026-002.yaml @li-na",
        "/records/reviews/REV-EMP-0001-* @delivery-ops/hr",
        "/records/reviews/REV-EMP-0002-* @delivery-ops/hr",
        "/records/reviews/REV-EMP-0003-* @li-na @delivery-ops/hr",
        "/records/reviews/REV-EMP-0004-* @li-na @delivery-ops/hr",
        "/records/reviews/REV-EMP-0005-* @li-na @delivery-ops/hr",
    ]
    lines = text.splitlines()
    stand_in = lines.index("/records/projects/PRJ-2026-002.yaml @li-na") - 1
    assert lines[stand_in] == (
        "# PRJ-2026-002: EMP-0005 没有 GitHub 账号 / has no GitHub handle → "
        "EMP-0004 没有 GitHub 账号 / has no GitHub handle → 由 EMP-0002 代为审核 / "
        "EMP-0002 reviews instead"
    )
    assert "# REV-EMP-0002: EMP-0001 没有 GitHub 账号 / has no GitHub handle" in text


def test_owners_come_from_the_settings(department):
    config = department / "dops.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('["@delivery-ops/hr"]', '["@acme/people-team", "@hr-lead"]'),
        encoding="utf-8",
    )
    text = run(department, "codeowners", "--stdout").stdout
    assert "/records/people/ @acme/people-team @hr-lead" in text
    assert "/records/reviews/REV-EMP-0003-* @li-na @acme/people-team @hr-lead" in text
    assert not (department / ".github/CODEOWNERS").exists()  # --stdout writes nothing


def test_an_owner_that_is_not_a_github_user_or_team_is_a_configuration_error(department):
    config = department / "dops.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('["@delivery-ops/hr"]', '["hr@example.com"]'), encoding="utf-8"
    )
    result = run(department, "codeowners")
    assert result.returncode == 2
    assert re.search(r"dops\.yaml:\d+:\d+: ", result.stderr) and "Traceback" not in result.stderr


def test_drift_is_reported_by_check_at_the_line_and_codeowners_fixes_it(department):
    assert run(department, "check", "--as-of", AS_OF).returncode == 0  # no CODEOWNERS: nothing to compare
    run(department, "codeowners")
    assert run(department, "check", "--as-of", AS_OF).returncode == 0
    committed = department / ".github/CODEOWNERS"
    stale_line = (
        committed.read_text(encoding="utf-8").splitlines().index("/records/projects/PRJ-2026-001.yaml @li-na") + 1
    )

    project = department / "records/projects/PRJ-2026-001.yaml"
    project.write_text(
        project.read_text(encoding="utf-8").replace("manager: EMP-0002", "manager: EMP-0003"), encoding="utf-8"
    )
    result = run(department, "check", "--as-of", AS_OF)
    assert result.returncode == 1
    assert re.search(
        rf"\.github/CODEOWNERS\n  {stale_line}:1 +错误  codeowners-current  \[记录完整性\] "
        r".*“/records/projects/PRJ-2026-001\.yaml @wang-lei @li-na”.*dops codeowners",
        result.stdout,
    ), result.stdout
    github = run(department, "check", "--as-of", AS_OF, "--format", "github").stdout
    assert (
        f"::error file=.github/CODEOWNERS,line={stale_line},col=1,title=dops codeowners-current [记录完整性]" in github
    )

    assert run(department, "codeowners").returncode == 0
    # the manager's superior co-owns the project, so a manager's own change can be approved
    assert "/records/projects/PRJ-2026-001.yaml @wang-lei @li-na" in committed.read_text(encoding="utf-8")
    assert "codeowners-current" not in run(department, "check", "--as-of", AS_OF).stdout


def test_check_option_exit_codes_and_writes_nothing(department):
    missing = run(department, "codeowners", "--check")
    assert missing.returncode == 1 and ".github/CODEOWNERS" in missing.stderr
    assert not (department / ".github").exists()

    assert run(department, "codeowners").returncode == 0
    assert run(department, "codeowners", "--check").returncode == 0

    committed = department / ".github/CODEOWNERS"
    lines = committed.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = next(n for n, line in enumerate(lines) if line.startswith("/records/people/"))
    lines[edited] = "/records/people/ @someone-else\n"
    committed.write_text("".join(lines), encoding="utf-8")
    before = committed.stat().st_mtime_ns, committed.read_bytes()
    drift = run(department, "codeowners", "--check")
    assert drift.returncode == 1
    assert drift.stderr.startswith(f".github/CODEOWNERS:{edited + 1}: ")
    assert (committed.stat().st_mtime_ns, committed.read_bytes()) == before

    assert run(department, "codeowners", "--check", "--stdout").returncode == 2


def test_a_record_value_cannot_add_an_ownership_line(department):
    """Text from a record reaches the file only inside a comment: a line break in it is neutralised."""
    manager = department / "records/projects/PRJ-2026-002.yaml"
    manager.write_text(
        manager.read_text(encoding="utf-8").replace("manager: EMP-0005", 'manager: "EMP-0099\\n/records/ @intruder"'),
        encoding="utf-8",
    )
    text = run(department, "codeowners", "--stdout").stdout
    assert "@intruder" in text  # quoted in the comment that explains the fallback ...
    assert not any(line.startswith("/") and "@intruder" in line for line in text.splitlines())  # ... never a rule


def test_the_committed_file_of_the_sample_records_is_current():
    result = run(REPO, "codeowners", "--check")
    assert result.returncode == 0, result.stderr
