"""`dops check --changed-since REF` on real git repositories: a pull request is blocked for what it breaks.

Each test builds a small department, commits it on ``main``, branches off and
changes something, as a pull request would; then runs the gate against
``main``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dops.core.config import load_settings
from dops.features import gate as dops_gate

from ..conftest import REPO, make_repo
from .test_cli import AS_OF, CLOSED_PROJECT, WORLD, run

RETROSPECTIVE = "retrospective: {date: 2026-07-08, summary: 按期交付, lessons: [迁移脚本先演练]}\n"
CAREER_PLAN = "career_plan: {goal: 项目经理, path: [独立负责子项目], updated_on: 2026-01-15}\n"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试 Tester",
    "GIT_AUTHOR_EMAIL": "tester@example.com",
    "GIT_COMMITTER_NAME": "测试 Tester",
    "GIT_COMMITTER_EMAIL": "tester@example.com",
    "GIT_AUTHOR_DATE": "2026-11-20T10:00:00+08:00",
    "GIT_COMMITTER_DATE": "2026-11-20T10:00:00+08:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.fixture
def main(tmp_path: Path) -> Path:
    """``main`` holds: a closed project (PRJ-2026-001, fine), a closed project without a retrospective
    (PRJ-2026-003, an error), a person without a career plan (EMP-0003, overdue: a warning) and a second
    manager EMP-0005. The work continues on the branch ``change``."""
    without_retrospective = CLOSED_PROJECT.replace("PRJ-2026-001", "PRJ-2026-003").replace(RETROSPECTIVE, "")
    manager = WORLD["records/people/EMP-0002.yaml"].replace("EMP-0002", "EMP-0005").replace("李娜", "赵敏")
    root = make_repo(
        tmp_path / "repo",
        {
            **WORLD,
            "records/people/EMP-0003.yaml": WORLD["records/people/EMP-0003.yaml"].replace(CAREER_PLAN, ""),
            "records/people/EMP-0005.yaml": manager,
            "records/projects/PRJ-2026-001.yaml": CLOSED_PROJECT,
            "records/projects/PRJ-2026-003.yaml": without_retrospective,
        },
    )
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "The department on main")
    git(root, "checkout", "-q", "-b", "change")
    return root


def gate(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run(root, "check", "--changed-since", "main", "--as-of", AS_OF, *args)


def report(result: subprocess.CompletedProcess) -> dict:
    return json.loads(result.stdout)


def where(findings: list[dict]) -> set[tuple[str, str]]:
    return {(f["file"], f["rule"]) for f in findings}


def test_fixing_one_record_passes_while_other_records_are_overdue_or_broken(main):
    project = main / "records/projects/PRJ-2026-001.yaml"
    edit(project, RETROSPECTIVE, "")
    commit_all(main, "main had two projects without a retrospective")
    git(main, "branch", "-f", "main")  # both are on main now; the branch fixes one of them
    edit(project, "archive:", RETROSPECTIVE + "archive:")
    commit_all(main, "PRJ-2026-001: the retrospective")

    assert run(main, "check", "--as-of", AS_OF, "--strict").returncode == 1  # the tree is not clean

    result = gate(main, "--strict", "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    document = report(result)
    assert document["findings"] == []
    assert document["summary"]["errors"] == 0 and document["summary"]["warnings"] == 0
    assert document["summary"]["changed_since"] == "main" and document["summary"]["changed_files"] == 1
    assert document["summary"]["pre_existing"] == len(document["pre_existing"])
    assert {
        ("records/projects/PRJ-2026-003.yaml", "project-retrospective"),
        ("records/people/EMP-0003.yaml", "career-plan"),
    } <= where(document["pre_existing"])

    text = gate(main, "--strict")
    assert text.returncode == 0
    heading = next(n for n, line in enumerate(text.stdout.splitlines()) if line.startswith("─── 不阻断本次变更"))
    assert "Not blocking this change" in text.stdout.splitlines()[heading]
    assert "records/people/EMP-0003.yaml" in text.stdout.split("\n", heading + 1)[-1]
    assert "本次变更通过" in text.stdout.splitlines()[-1]


def test_breaking_a_record_fails_at_its_file_and_line(main):
    project = main / "records/projects/PRJ-2026-001.yaml"
    expected_line = line_of(project, "accepted_on:")
    edit(project, RETROSPECTIVE, "")
    commit_all(main, "PRJ-2026-001: drop the retrospective")

    result = gate(main)
    assert result.returncode == 1, result.stdout
    blocking, _, rest = result.stdout.partition("─── 不阻断本次变更")
    assert re.search(
        rf"records/projects/PRJ-2026-001\.yaml\n  {expected_line}:3 +错误  project-retrospective", blocking
    )
    assert "PRJ-2026-003" not in blocking and "PRJ-2026-003" in rest  # the old error does not block
    assert "本次变更不通过" in result.stdout.splitlines()[-1]

    annotations = gate(main, "--format", "github").stdout.splitlines()
    assert any(
        line.startswith(f"::error file=records/projects/PRJ-2026-001.yaml,line={expected_line},")
        for line in annotations
    )
    old = [line for line in annotations if "PRJ-2026-003" in line]
    assert old and all(line.startswith("::notice ") and "not blocking" in line for line in old)


def test_a_new_superior_fails_the_untouched_project_whose_plan_approval_it_changes(main):
    # Under the default (superior_or_above) EMP-0001, above the new superior EMP-0005, could still approve:
    # the department on main asks for the direct superior only.
    git(main, "checkout", "-q", "main")
    edit(main / "dops.yaml", "plan_approval: superior_or_above", "plan_approval: superior")
    commit_all(main, "Plans are approved by the direct superior only")
    git(main, "checkout", "-q", "-B", "change")
    edit(main / "records/people/EMP-0002.yaml", "superior: EMP-0001", "superior: EMP-0005")
    commit_all(main, "EMP-0002 now reports to EMP-0005")

    result = gate(main, "--format", "json", "--lang", "en")
    assert result.returncode == 1
    document = report(result)
    approvals = [f for f in document["findings"] if f["rule"] == "plan-approved"]
    assert {f["file"] for f in approvals} == {
        "records/projects/PRJ-2026-001.yaml",
        "records/projects/PRJ-2026-003.yaml",
    }
    assert all(f["related"]["file"] == "records/people/EMP-0002.yaml" for f in approvals)
    assert document["summary"]["changed_files"] == 1  # only the person record was touched
    # PRJ-2026-003's missing retrospective stays pre-existing although its file shows a new error.
    assert ("records/projects/PRJ-2026-003.yaml", "project-retrospective") in where(document["pre_existing"])


def test_a_new_warning_on_a_touched_record_blocks_only_under_strict(main):
    person = main / "records/people/EMP-0004.yaml"
    edit(person, "career_plan: {goal: 运维架构师, path: [取得云平台认证], updated_on: 2026-01-15}\n", "")
    commit_all(main, "EMP-0004: drop the career plan")

    assert gate(main).returncode == 0
    strict = report(gate(main, "--strict", "--format", "json"))
    assert [(f["file"], f["rule"]) for f in strict["findings"]] == [("records/people/EMP-0004.yaml", "career-plan")]
    assert gate(main, "--strict").returncode == 1


def test_an_old_error_on_a_touched_record_does_not_block(main):
    edit(main / "records/projects/PRJ-2026-003.yaml", "name: 仓储系统上线", "name: 仓储系统二期上线")
    commit_all(main, "PRJ-2026-003: rename")

    result = gate(main, "--format", "json")
    assert result.returncode == 0, result.stdout
    assert ("records/projects/PRJ-2026-003.yaml", "project-retrospective") in where(report(result)["pre_existing"])


def test_uncommitted_changes_count_and_the_working_tree_is_left_alone(main):
    project = main / "records/projects/PRJ-2026-001.yaml"
    edit(project, RETROSPECTIVE, "")
    (main / "records/risks").mkdir()
    (main / "records/risks/RSK-2026-001.yaml").write_text("id: RSK-2026-001\n", encoding="utf-8")  # untracked
    before = {p: p.read_bytes() for p in main.rglob("*") if p.is_file()}
    status = git(main, "status", "--porcelain")

    document = report(gate(main, "--format", "json"))
    assert {"records/projects/PRJ-2026-001.yaml", "records/risks/RSK-2026-001.yaml"} <= {
        f["file"] for f in document["findings"]
    }
    assert document["summary"]["changed_files"] == 2
    assert {p: p.read_bytes() for p in main.rglob("*") if p.is_file()} == before
    assert git(main, "status", "--porcelain") == status


def test_a_setting_that_makes_records_wrong_blocks(main):
    """dops.yaml at the merge base is compared too: a tighter setting is a change the gate judges."""
    (main / "records/risks").mkdir()
    (main / "records/risks/RSK-2026-001.yaml").write_text(
        "id: RSK-2026-001\ntitle: 数据迁移延误\nproject: PRJ-2026-001\ncategory: schedule\n"
        "description: 历史数据清洗耗时超出预期\nidentified_on: 2026-02-10\nidentified_by: EMP-0002\n"
        "likelihood: 3\nimpact: 3\nstatus: open\n",
        encoding="utf-8",
    )
    commit_all(main, "A risk of score 9 on main")
    git(main, "branch", "-f", "main")
    assert gate(main).returncode == 0
    edit(main / "dops.yaml", "focus_score: 12", "focus_score: 9")  # now a focus risk without owner or response
    commit_all(main, "Lower the focus threshold")

    document = report(gate(main, "--format", "json"))
    assert any(
        f["file"] == "records/risks/RSK-2026-001.yaml" and f["severity"] == "error" for f in document["findings"]
    ), document["findings"]


def test_a_change_of_owner_blocks_until_codeowners_is_regenerated(main):
    assert run(main, "codeowners").returncode == 0
    commit_all(main, "CODEOWNERS on main")
    git(main, "branch", "-f", "main")
    edit(main / "records/people/EMP-0002.yaml", "superior: EMP-0001\n", "superior: EMP-0001\ngithub: li-na\n")
    commit_all(main, "EMP-0002's GitHub handle")

    document = report(gate(main, "--format", "json"))
    assert [(f["file"], f["rule"]) for f in document["findings"]] == [(".github/CODEOWNERS", "codeowners-current")]
    run(main, "codeowners")
    commit_all(main, "Regenerate CODEOWNERS")
    assert gate(main).returncode == 0


def test_codeowners_already_stale_on_main_does_not_block(main):
    run(main, "codeowners")
    codeowners = main / ".github/CODEOWNERS"
    edit(codeowners, "/records/people/ @delivery-ops/hr", "/records/people/ @someone")
    commit_all(main, "A hand edit on main")
    git(main, "branch", "-f", "main")
    edit(main / "records/projects/PRJ-2026-001.yaml", "name: 仓储系统上线", "name: 仓储系统一期上线")
    commit_all(main, "PRJ-2026-001: rename")

    result = gate(main, "--format", "json")
    assert result.returncode == 0, result.stdout
    assert (".github/CODEOWNERS", "codeowners-current") in where(report(result)["pre_existing"])


def test_a_change_to_the_checker_itself_judges_every_finding_as_new(main, monkeypatch):
    """With the rules changed there is no fair comparison: old errors block too (warnings elsewhere still not)."""
    monkeypatch.setattr(dops_gate, "_package_folder", lambda settings: "tools/dops")
    (main / "tools/dops/rules").mkdir(parents=True)
    (main / "tools/dops/rules/new_rule.py").write_text('"""A new rule."""\n', encoding="utf-8")
    commit_all(main, "A new rule")

    result = dops_gate.run(load_settings(main), "main", dt.date.fromisoformat(AS_OF))
    assert not result.compared and "tools/dops/" in result.note.en
    assert ("records/projects/PRJ-2026-003.yaml", "project-retrospective") in {
        (f.file, f.rule) for f in result.findings
    }
    assert all(f.severity == "warning" for f in result.pre_existing) and result.exit_code() == 1


def test_an_unknown_ref_is_a_usage_error(main):
    result = run(main, "check", "--changed-since", "origin/nowhere")
    assert result.returncode == 2
    assert "origin/nowhere" in result.stderr and "Traceback" not in result.stderr


def test_outside_a_git_repository_is_a_usage_error(tmp_path):
    root = make_repo(tmp_path / "plain", WORLD)
    result = run(root, "check", "--changed-since", "main", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.returncode == 2
    assert "git" in result.stderr and "Traceback" not in result.stderr


def test_paths_and_changed_since_exclude_each_other(main):
    result = run(main, "check", "records/projects/PRJ-2026-001.yaml", "--changed-since", "main")
    assert result.returncode == 2 and "--changed-since" in result.stderr


def test_a_link_among_the_base_records_is_left_out_not_followed(tmp_path):
    root = make_repo(tmp_path / "repo", dict(WORLD))
    (root / "records/people/EMP-0099.yaml").symlink_to("/etc/hostname")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "main with a link among the records")
    git(root, "checkout", "-q", "-b", "change")
    (root / "records/people/EMP-0099.yaml").unlink()
    commit_all(root, "remove the link")
    result = gate(root)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_inserting_a_list_item_does_not_turn_old_findings_into_new_ones(main):
    project = main / "records/projects/PRJ-2026-003.yaml"
    edit(
        project,
        "team:\n",
        "team:\n  - {person: EMP-0004, role: operations_support, duty: 环境运维, joined_on: 2026-01-10}\n",
    )
    commit_all(main, "one more member above the others")
    result = gate(main, "--format", "json")
    blocking = [f for f in report(result)["findings"] if f["severity"] == "error"]
    # the missing retrospective was on main already; moving team members down changes no old finding
    assert not [f for f in blocking if f["rule"] == "project-retrospective"], blocking


# --- fallbacks and git's refusals -------------------------------------------------------------


def test_a_merge_base_whose_settings_cannot_be_read_judges_every_finding_as_new(main):
    git(main, "checkout", "-q", "main")
    (main / "dops.yaml").write_text("cadences:\n  team_meeting_days: often\n", encoding="utf-8")
    commit_all(main, "A broken setting on main")
    git(main, "checkout", "-q", "-b", "repair")
    (main / "dops.yaml").write_bytes((REPO / "dops.yaml").read_bytes())
    commit_all(main, "Repair the setting")
    result = gate(main, "--format", "json")
    summary = report(result)["summary"]
    assert summary["compared_with_base"] is False and result.returncode == 1
    assert ("records/projects/PRJ-2026-003.yaml", "project-retrospective") in where(report(result)["findings"])
    text = gate(main).stdout
    assert "cannot be used by this checker" in text or "无法用当前的检查工具读取" in text


def test_records_that_did_not_exist_at_the_merge_base_are_all_new(tmp_path):
    root = make_repo(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    (root / "README").write_text("records come later\n", encoding="utf-8")
    shutil.rmtree(root / "records")
    commit_all(root, "Settings and schemas only")
    git(root, "checkout", "-q", "-b", "change")
    for relative, text in {
        **WORLD,
        "records/projects/PRJ-2026-003.yaml": CLOSED_PROJECT.replace("PRJ-2026-001", "PRJ-2026-003").replace(
            RETROSPECTIVE, ""
        ),
    }.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    commit_all(root, "The first records")
    found = report(gate(root, "--format", "json"))
    assert found["summary"]["compared_with_base"] is True, found["summary"]
    assert not [f for f in found["pre_existing"] if f["severity"] == "error"], found["pre_existing"]
    assert ("records/projects/PRJ-2026-003.yaml", "project-retrospective") in where(found["findings"])


def test_a_repository_without_commits_is_a_usage_error(tmp_path):
    root = make_repo(tmp_path / "repo", WORLD)
    git(root, "init", "-q", "-b", "main")
    result = run(root, "check", "--changed-since", "main")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "main" in result.stderr


def test_unrelated_histories_are_a_usage_error_that_mentions_shallow_clones(main):
    git(main, "checkout", "-q", "--orphan", "elsewhere")
    commit_all(main, "A history of its own")
    result = run(main, "check", "--changed-since", "change")
    assert result.returncode == 2 and "fetch-depth: 0" in result.stderr


def test_an_option_given_as_the_ref_is_refused_not_passed_to_git(main):
    result = run(main, "check", "--changed-since", "--output=/tmp/x")
    assert result.returncode == 2 and "--output=/tmp/x" in result.stderr


def test_without_git_the_gate_says_so(main, tmp_path):
    empty = tmp_path / "no-git"
    empty.mkdir()
    result = run(main, "check", "--changed-since", "main", env={"PATH": str(empty)})
    assert result.returncode == 2 and "git" in result.stderr and "Traceback" not in result.stderr
