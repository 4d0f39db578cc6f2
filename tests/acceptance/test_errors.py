"""One error model: every command, over a broken configuration, schema or clause list.

Each command either does not read the broken part (and does its job) or stops with the
documented exit code and one line that names the file — never a traceback, never silence.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dops.rules import RULES

from ..conftest import REPO, make_repo, run, sample_settings

AS_OF = "2026-11-24"

COMMANDS = {
    "check": ["check", "--as-of", AS_OF],
    "status": ["status", "--as-of", AS_OF],
    "calendar": ["calendar", "--as-of", AS_OF],
    "codeowners": ["codeowners", "--stdout"],
    "new": ["new", "risk", "--no-input", "--title", "接口延期", "--category", "schedule", "--date", AS_OF],
    "site generate": ["site", "generate", "--as-of", AS_OF],
    "rules": ["rules"],
    "explain clause": ["explain", "3.4.4"],
    "explain rule": ["explain", "project-retrospective"],
}

BREAKAGES = {
    # what is broken → (file, broken content, the commands that do not read it)
    "configuration": ("dops.yaml", "cadences:\n  team_meeting_days: often\n", set()),
    "schema": ("schemas/risk.schema.json", '{"type": "object", "properties": {', {"rules", "explain rule"}),
    "clause list": (
        "schemas/clauses.yaml",
        "clauses:\n  3.4.4: [unclosed\n",
        {"check", "status", "calendar", "codeowners", "new", "rules", "explain rule"},
    ),
}


@pytest.fixture
def department(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "repo")
    shutil.rmtree(root / "records")
    shutil.copytree(REPO / "records", root / "records")
    sample_settings(root)
    return root


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("broken", BREAKAGES)
def test_every_command_over_a_broken_part(department, broken, command):
    relative, content, unread = BREAKAGES[broken]
    (department / relative).write_text(content, encoding="utf-8")
    result = run(department, *COMMANDS[command])
    assert "Traceback" not in result.stdout + result.stderr
    if command in unread:
        assert result.returncode in (0, 1), result.stderr  # does its job: compliant or not
        return
    assert result.returncode == 2, (result.returncode, result.stdout[-500:], result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("dops: ") and relative in lines[0], lines[0]


def test_a_broken_setting_names_its_line(department):
    (department / "dops.yaml").write_text("language: zh\ncadences:\n  team_meeting_days: often\n", encoding="utf-8")
    result = run(department, "check")
    assert result.returncode == 2
    assert "dops.yaml:3:" in result.stderr and "team_meeting_days" in result.stderr


def test_several_broken_settings_give_a_line_each(department):
    (department / "dops.yaml").write_text("language: fr\nmax_file_kib: -1\n", encoding="utf-8")
    lines = run(department, "check").stderr.splitlines()
    assert [line.split(":")[1:3] for line in lines] == [[" 配置错误 / configuration error", " dops.yaml"]] * 2
    assert "dops.yaml:1:" in lines[0] and "dops.yaml:2:" in lines[1]


def test_a_bug_is_an_internal_error_that_asks_to_be_reported(department, monkeypatch):
    def crash(record, ctx):
        raise ZeroDivisionError("boom")
        yield

    rule = RULES["project-retrospective"]
    monkeypatch.setitem(RULES, rule.id, type(rule)(**{**rule.__dict__, "check": crash}))
    result = run(department, "check", "--as-of", AS_OF)
    assert result.returncode == 3
    assert result.stderr.startswith("dops: 内部错误 / internal error: ")
    assert "project-retrospective" in result.stderr and "please report" in result.stderr


def test_outside_a_repository_the_policy_commands_work_and_the_others_say_where_to_run(tmp_path):
    assert run(tmp_path, "explain", "3.4.4").returncode == 0
    assert run(tmp_path, "rules").returncode == 0
    result = run(tmp_path, "check")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "dops.yaml" in result.stderr and "--root" in result.stderr


def test_a_settings_file_from_another_version_gets_findings_not_a_crash(department):
    # An older or newer dops.yaml: a setting this dops does not know is reported at its line.
    (department / "dops.yaml").write_text("cadences:\n  team_meeting_days: 14\n  standup_days: 1\n", encoding="utf-8")
    result = run(department, "status")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "dops.yaml:3:" in result.stderr and "standup_days" in result.stderr


@pytest.mark.parametrize(("version", "says"), [(None, "older dops"), (0, "older dops"), (99, "newer dops")])
def test_schemas_made_for_another_dops_are_named_not_crashed_on(department, version, says):
    path = department / "schemas" / "project.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema.pop("x-dops-schema-version")
    if version is not None:
        schema["x-dops-schema-version"] = version
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    result = run(department, "check", "--lang", "en")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert "schemas/project.schema.json" in line and says in line
