"""The repository's own configuration: workflows, issue forms, pre-commit — checked as GitHub and pre-commit would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ..conftest import REPO, make_repo

WORLD = yaml.safe_load((REPO / "tests" / "rules" / "world.yaml").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name) or name


def run(*args: str, cwd: Path = REPO, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )


WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_validate_against_githubs_schema(workflow):
    done = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_expected_workflows_exist():
    names = {path.name for path in WORKFLOWS}
    assert {"check.yml", "pages.yml", "weekly.yml", "tests.yml"} <= names
    pages = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = [step.get("uses", "") for job in pages["jobs"].values() for step in job["steps"]]
    assert any(s.startswith("actions/upload-pages-artifact@") for s in steps)
    assert any(s.startswith("actions/deploy-pages@") for s in steps)
    weekly = yaml.safe_load((REPO / ".github/workflows/weekly.yml").read_text(encoding="utf-8"))
    assert weekly[True]["schedule"]  # PyYAML reads the key `on` as True
    check = (REPO / ".github/workflows/check.yml").read_text(encoding="utf-8")
    assert "--format github" in check and "GITHUB_STEP_SUMMARY" in check and "mkdocs build --strict" in check


def test_issue_forms_and_their_config_validate():
    forms = [str(p) for p in (REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml"]
    assert len(forms) == 2
    done = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", *forms)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.github-issue-config",
        str(REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml"),
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pull_request_template_holds_the_checklist():
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 5 and "dops check" in template and "dops new" in template


def test_pre_commit_files_are_valid():
    assert run(tool("pre-commit"), "validate-manifest", ".pre-commit-hooks.yaml").returncode == 0
    assert run(tool("pre-commit"), "validate-config", ".pre-commit-config.yaml").returncode == 0
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["pass_filenames"] is False and hooks[0]["require_serial"] is True


def _git(cwd: Path, *args: str) -> None:
    environment = {
        "GIT_AUTHOR_NAME": "测试",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "测试",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    done = run("git", *args, cwd=cwd, env=environment)
    assert done.returncode == 0, done.stderr


def test_pre_commit_runs_the_hook_for_real(tmp_path):
    """pre-commit installs this repository's hook into its own environment and runs it on a records repository."""
    records = make_repo(tmp_path / "records-repo", WORLD)
    _git(records, "init", "-q")
    _git(records, "add", "-A")
    _git(records, "commit", "-q", "-m", "records")
    home = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    clean = run(tool("pre-commit"), "try-repo", str(REPO), "dops-check", "--all-files", cwd=records, env=home)
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    assert "Passed" in clean.stdout

    person = records / "records/people/EMP-0003.yaml"
    person.write_text(
        person.read_text(encoding="utf-8").replace("superior: EMP-0002", "superior: EMP-0042"), encoding="utf-8"
    )
    broken = run(tool("pre-commit"), "try-repo", str(REPO), "dops-check", "--all-files", cwd=records, env=home)
    assert broken.returncode == 1
    assert "Failed" in broken.stdout and "records/people/EMP-0003.yaml" in broken.stdout
    assert "EMP-0042" in broken.stdout
