"""`dops status --person` and `--me`: what one person owes, overdue first, from the one result."""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml

from ..conftest import REPO, make_repo, run

AS_OF = "2026-11-24"
WORLD = yaml.safe_load((REPO / "tests/rules/world.yaml").read_text(encoding="utf-8"))


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


@pytest.fixture
def department(tmp_path) -> Path:
    """The small world of the rule cases: no appraisals recorded, so EMP-0002 owes those of EMP-0003 and -0004."""
    root = make_repo(tmp_path / "repo", WORLD)
    person = root / "records/people/EMP-0002.yaml"
    person.write_text(person.read_text(encoding="utf-8") + "contact: {email: li.na@example.com}\n", encoding="utf-8")
    return root


def test_a_person_sees_what_they_owe_lapsed_first(department):
    done = run(department, "status", "--person", "EMP-0002", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"EMP-0002 李娜 的待办事项 · 截至 {AS_OF}"
    assert lines[1] == "10 项违反或逾期，4 项待办。"
    states = [line.split()[0] for line in lines[5:] if line and not line.startswith(" ")]
    assert states == ["逾期"] * 10 + ["未到期"] * 4, states
    assert "EMP-0003" in done.stdout and "2026Q3" in done.stdout
    assert all(columns(line) <= 80 for line in lines)

    report = json.loads(run(department, "status", "--person", "EMP-0002", "--as-of", AS_OF, "--format", "json").stdout)
    assert report["person"] == {"id": "EMP-0002", "name": "李娜"}
    owed = report["owed"]
    assert {o["owner"] for o in owed} == {"EMP-0002"} and len(owed) == 14
    assert [o["state"] for o in owed][:10] == ["overdue"] * 10
    dues = [o["due"] for o in owed[:10]]
    assert dues == sorted(dues), "overdue items earliest first"
    # the same items the check reports as overdue for this person, no more and no fewer
    check = json.loads(run(department, "check", "--as-of", AS_OF, "--format", "json").stdout)
    assert {f["obligation"] for f in check["findings"] if f["owner"] == "EMP-0002"} == {
        o["key"] for o in owed if o["state"] == "overdue"
    }


def test_someone_who_owes_nothing_is_told_so(department):
    done = run(department, "status", "--person", "EMP-0003", "--as-of", AS_OF, "--lang", "en")
    assert done.returncode == 0
    assert "0 violated or overdue, 0 pending." in done.stdout and "Nothing is owed." in done.stdout


def test_me_is_the_person_with_gits_email(department):
    subprocess.run(["git", "init", "-q"], cwd=department, check=True)
    subprocess.run(["git", "config", "user.email", "Li.Na@Example.com"], cwd=department, check=True)
    done = run(department, "status", "--me", "--as-of", AS_OF, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["person"]["id"] == "EMP-0002"

    subprocess.run(["git", "config", "user.email", "nobody@example.com"], cwd=department, check=True)
    unknown = run(department, "status", "--me", "--as-of", AS_OF, "--lang", "en")
    assert unknown.returncode == 2
    assert "No person record has contact.email 'nobody@example.com'" in unknown.stderr
    assert "--person EMP-XXXX" in unknown.stderr and "Traceback" not in unknown.stderr


def test_bad_choices_are_usage_errors(department):
    missing = run(department, "status", "--person", "EMP-0999", "--lang", "en")
    assert missing.returncode == 2 and "no valid person record with the ID EMP-0999" in missing.stderr
    both = run(department, "status", "--person", "EMP-0002", "--me", "--lang", "en")
    assert both.returncode == 2 and "--person or --me, not both" in both.stderr
