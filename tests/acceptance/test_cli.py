"""`dops` end to end: what a user or CI sees — output, formats, exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from dops import cli, rules

from ..conftest import REPO, make_repo, run, run_installed, sample_settings

AS_OF = "2026-11-24"
WORLD = yaml.safe_load((REPO / "tests" / "rules" / "world.yaml").read_text(encoding="utf-8"))

CLOSED_PROJECT = """\
id: PRJ-2026-001
name: 仓储系统上线
phase: closed
manager: EMP-0002
customer: {code: C-001, full_name: 某物流集团}
started_on: 2026-01-05
execution_started_on: 2026-02-02
closed_on: 2026-07-20
requirements: {summary: 仓储系统上线, goals: [三个仓库切换], delivery_date: 2026-06-30}
team:
  - {person: EMP-0003, role: project_specialist, duty: 数据迁移, joined_on: 2026-01-10}
kickoff: {date: 2026-01-20, attendees: [EMP-0002, EMP-0003], notes: 明确目标与分工}
plan:
  schedule: {summary: 三阶段切换, milestones: [{id: M1, name: 切换完成, due: 2026-06-15, done_on: 2026-06-08}]}
  quality: {summary: 数据零差错}
  cost: {summary: 人力为主}
  submitted_on: 2026-01-22
  approved_by: EMP-0001
  approved_on: 2026-01-26
acceptance:
  self_check: {date: 2026-06-10, organised_by: EMP-0002, participants: [EMP-0002, EMP-0003], result: passed}
  application: {date: 2026-06-12, documents: [验收报告]}
  accepted_on: 2026-06-30
retrospective: {date: 2026-07-08, summary: 按期交付, lessons: [迁移脚本先演练]}
archive: {location: 档案库/2026/PRJ-2026-001, archived_on: 2026-07-20}
budget: {currency: CNY, amount: 600000, actual_cost: 574000}
"""


@pytest.fixture
def world(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {**WORLD, "records/projects/PRJ-2026-001.yaml": CLOSED_PROJECT})


def drop_retrospective(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith("retrospective:")]
    path.write_text("".join(kept), encoding="utf-8")


# --- the bundled sample records -------------------------------------------------------------


def test_the_sample_records_are_compliant():
    result = run_installed(REPO, "check", "--as-of", AS_OF, "--format", "json")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] == 0
    assert report["summary"]["records"] >= 100


def test_removing_a_retrospective_from_an_accepted_sample_project_fails_citing_3_4_4(tmp_path):
    copy = tmp_path / "repo"
    make_repo(copy)
    shutil.rmtree(copy / "records")
    shutil.copytree(REPO / "records", copy / "records")
    sample_settings(copy)
    accepted = [
        p
        for p in sorted((copy / "records" / "projects").glob("*.yaml"))
        if "accepted_on:" in p.read_text(encoding="utf-8")
    ]
    assert accepted, "the sample records should hold an accepted project"
    target = accepted[0]
    drop_retrospective(target)
    expected_line = next(
        number
        for number, line in enumerate(target.read_text(encoding="utf-8").splitlines(), start=1)
        if "accepted_on:" in line
    )

    result = run(copy, "check", "--as-of", AS_OF)
    assert result.returncode == 1
    relative = target.relative_to(copy).as_posix()
    assert re.search(
        rf"{re.escape(relative)}\n(.*\n)*?  {expected_line}:\d+ +错误  project-retrospective  "
        r"\[第 3\.4\.4 条\]",
        result.stdout,
    ), result.stdout

    github = run(copy, "check", "--as-of", AS_OF, "--format", "github")
    assert f"::error file={relative},line={expected_line}," in github.stdout
    assert "title=dops project-retrospective [3.4.4]" in github.stdout


# --- formats --------------------------------------------------------------------------------


def test_text_output_groups_findings_by_file_and_summarises(world):
    drop_retrospective(world / "records/projects/PRJ-2026-001.yaml")
    result = run(world, "check", "--as-of", AS_OF)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    header = lines.index("records/projects/PRJ-2026-001.yaml")
    assert header == 0 or lines[header - 1] == ""  # files are separated by a blank line
    group = lines[header + 1 : lines.index("", header)]
    assert any(
        re.match(r"  23:3 +错误  project-retrospective  \[第 3\.4\.4 条\] 项目已于 2026-06-30 验收", line)
        for line in group
    ), group
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert "1 个错误" in lines[-1] and "不符合制度" in lines[-1]


def test_english_output(world):
    drop_retrospective(world / "records/projects/PRJ-2026-001.yaml")
    result = run(world, "check", "--as-of", AS_OF, "--lang", "en")
    assert "error  project-retrospective  [clause 3.4.4] The project was accepted on 2026-06-30" in result.stdout
    assert re.search(r"1 error, \d+ warnings?\. Not compliant\.", result.stdout)


def test_json_output_is_versioned_and_complete(world):
    drop_retrospective(world / "records/projects/PRJ-2026-001.yaml")
    result = run(world, "check", "--as-of", AS_OF, "--format", "json", "--lang", "en")
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert report["summary"]["errors"] == 1 and report["summary"]["as_of"] == AS_OF
    finding = next(f for f in report["findings"] if f["rule"] == "project-retrospective")
    assert finding == {
        "rule": "project-retrospective",
        "clauses": ["3.4.4"],
        "severity": "error",
        "file": "records/projects/PRJ-2026-001.yaml",
        "line": 23,
        "column": 3,
        "record": "PRJ-2026-001",
        "message": finding["message"],
        "related": None,
        "obligation": "project-retrospective:PRJ-2026-001:retrospective",
        "state": "violated",
        "owner": "EMP-0002",
        "owner_name": finding["owner_name"],
        "due": finding["due"],
    }
    assert finding["message"].startswith("The project was accepted on 2026-06-30")
    # the obligations behind the findings, met or not, are part of the report
    duty = next(o for o in report["obligations"] if o["key"] == finding["obligation"])
    assert duty["state"] == "violated" and duty["owner"] == "EMP-0002" and duty["clauses"] == ["3.4.4"]
    assert {o["state"] for o in report["obligations"]} >= {"met", "violated"}


def test_cross_record_findings_name_the_other_file(world):
    project = world / "records/projects/PRJ-2026-001.yaml"
    project.write_text(
        project.read_text(encoding="utf-8").replace("approved_by: EMP-0001", "approved_by: EMP-0004"), encoding="utf-8"
    )
    report = json.loads(run(world, "check", "--as-of", AS_OF, "--format", "json").stdout)
    related = [f["related"] for f in report["findings"] if f["related"]]
    assert {"file": "records/people/EMP-0002.yaml", "line": 5, "record": "EMP-0002"} in related


def test_github_annotations_escape_their_data(world):
    weird = world / "records/people/50%,odd:name.yaml"
    weird.write_text("a: [1\n", encoding="utf-8")
    result = run(world, "check", "--as-of", AS_OF, "--format", "github")
    line = next(line for line in result.stdout.splitlines() if "odd" in line)
    assert line.startswith("::error file=records/people/50%25%2Codd%3Aname.yaml,line=2,col=1,title=dops yaml [2.2.2]::")
    assert "\n" not in line


def _run_in_terminal(root: Path, *args: str, env: dict | None = None) -> str:
    """Run dops with its output on a pseudo-terminal, as a person at a shell would."""
    controller, terminal = os.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "dops", *args],
            cwd=root,
            stdout=terminal,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            timeout=120,
        )
    finally:
        os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_only_on_a_terminal_and_never_with_no_color(world):
    drop_retrospective(world / "records/projects/PRJ-2026-001.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("NO_COLOR", raising=False)
        coloured = _run_in_terminal(world, "check", "--as-of", AS_OF)
        plain = _run_in_terminal(world, "check", "--as-of", AS_OF, env={"NO_COLOR": "1"})
    assert "\x1b[" in coloured and "project-retrospective" in coloured
    assert "\x1b[" not in plain and "project-retrospective" in plain


# --- time -----------------------------------------------------------------------------------


def test_as_of_turns_date_dependent_findings_into_warnings_not_errors(tmp_path):
    person = WORLD["records/people/EMP-0003.yaml"].replace(
        "career_plan: {goal: 项目经理, path: [独立负责子项目], updated_on: 2026-01-15}\n", ""
    )
    root = make_repo(tmp_path / "repo", {**WORLD, "records/people/EMP-0003.yaml": person})
    report = json.loads(run(root, "check", "--as-of", AS_OF, "--format", "json").stdout)
    assert report["summary"]["errors"] == 0
    warnings = [f for f in report["findings"] if f["severity"] == "warning" and f["file"].endswith("EMP-0003.yaml")]
    assert warnings, report["findings"]
    assert run(root, "check", "--as-of", AS_OF).returncode == 0
    assert run(root, "check", "--as-of", AS_OF, "--strict").returncode == 1


def test_as_of_must_be_a_date(world):
    for bad in ("2026-13-01", "tomorrow", "2026-1-5"):
        result = run(world, "check", "--as-of", bad)
        assert result.returncode == 2
        assert "YYYY-MM-DD" in result.stderr


# --- exit codes -----------------------------------------------------------------------------


def test_an_invalid_setting_is_a_configuration_error_with_its_line(world):
    config = world / "dops.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("team_meeting_days: 14", "team_meeting_days: often"),
        encoding="utf-8",
    )
    result = run(world, "check")
    assert result.returncode == 2
    assert re.search(r"dops\.yaml:\d+:\d+: .*team_meeting_days", result.stderr), result.stderr


def test_an_unknown_setting_is_refused(world):
    config = world / "dops.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "team_meetng_days: 7\n", encoding="utf-8")
    result = run(world, "check")
    assert result.returncode == 2 and "team_meetng_days" in result.stderr


def test_a_broken_schema_is_a_configuration_error(world):
    (world / "schemas/risk.schema.json").write_text('{"type": "objekt"}', encoding="utf-8")
    result = run(world, "check")
    assert result.returncode == 2
    assert "schemas/risk.schema.json" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_path_is_a_usage_error(world):
    result = run(world, "check", "records/people/EMP-9999.yaml")
    assert result.returncode == 2


def test_a_crashing_rule_is_an_internal_error(world, monkeypatch):
    def explode(record, ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    broken = rules.Rule(
        id="explodes",
        clauses=("3.4.4",),
        severity="error",
        title=rules.RULES["schema"].title,
        doc="",
        doc_zh="",
        kinds=("project",),
        check=explode,
        check_all=None,
    )
    monkeypatch.setitem(rules.RULES, "explodes", broken)
    monkeypatch.chdir(world)
    result = CliRunner().invoke(cli.main, ["check", "--as-of", AS_OF])
    assert result.exit_code == 3
    assert "internal error" in result.output and "explodes" in result.output


# --- paths ----------------------------------------------------------------------------------


def test_checking_one_file_reports_only_that_file_but_sees_the_others(world):
    project = world / "records/projects/PRJ-2026-001.yaml"
    project.write_text(
        project.read_text(encoding="utf-8").replace("approved_by: EMP-0001", "approved_by: EMP-0004"), encoding="utf-8"
    )
    (world / "records/risks").mkdir()
    (world / "records/risks/RSK-2026-001.yaml").write_text("id: [\n", encoding="utf-8")
    report = json.loads(
        run(world, "check", "records/projects/PRJ-2026-001.yaml", "--as-of", AS_OF, "--format", "json").stdout
    )
    assert {f["file"] for f in report["findings"]} == {"records/projects/PRJ-2026-001.yaml"}
    assert report["summary"]["files"] == 1


def test_a_file_outside_the_records_tree_is_checked_too(world, tmp_path):
    outside = tmp_path / "EMP-0042.yaml"
    outside.write_text("id: EMP-0042\nname: 新同事\n", encoding="utf-8")
    result = run(world, "check", str(outside), "--as-of", AS_OF, "--lang", "en")
    assert result.returncode == 1
    assert "Required field" in result.stdout


def test_each_missing_field_is_one_finding_naming_it(world):
    """jsonschema reports each missing field apart; every finding once named the first of them."""
    (world / "records/people/EMP-0004.yaml").write_text(
        "id: EMP-0004\ntitle: 实施顾问\ncareer_plan:\n  target_date: 2028-06-30\n", encoding="utf-8"
    )
    report = json.loads(
        run(world, "check", "records/people/EMP-0004.yaml", "--as-of", AS_OF, "--lang", "en", "--format", "json").stdout
    )
    missing = [(f["line"], f["message"]) for f in report["findings"] if "is missing" in f["message"]]
    assert len(missing) == len(set(missing)) == 7
    named = {(line, re.match(r"Required field (\w+) ", message).group(1)) for line, message in missing}
    top = {(1, name) for name in ("name", "roles", "joined_on", "status")}
    assert named == top | {(3, name) for name in ("goal", "path", "updated_on")}


def test_check_never_writes(world):
    (world / "records/risks").mkdir()
    (world / "records/risks/RSK-2026-001.yaml").write_text("id: RSK-2026-001\nid: again\n", encoding="utf-8")
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in world.rglob("*") if p.is_file()}
    for fmt in ("text", "json", "github"):
        run(world, "check", "--format", fmt)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in world.rglob("*") if p.is_file()}
    assert before == after


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe\x00junk",
        b"a: &x 1\nb: *x\n",
        b"- not\n- a mapping\n",
        b"a: 1\n---\nb: 2\n",
        b"id: EMP-0100\nname: !!python/object:os.system ls\n",
        b"\x00\x01\x02",
    ],
)
def test_hostile_files_give_findings_never_tracebacks(world, content):
    (world / "records/people/EMP-0100.yaml").write_bytes(content)
    result = run(world, "check", "--as-of", AS_OF, "--format", "json")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    findings = [f for f in json.loads(result.stdout)["findings"] if f["file"] == "records/people/EMP-0100.yaml"]
    assert findings and all(f["line"] >= 1 for f in findings)


# --- rules and explain ----------------------------------------------------------------------


def test_rules_lists_every_rule(world):
    result = run(world, "rules", "--format", "json", "--lang", "en")
    listed = json.loads(result.stdout)
    assert [entry["id"] for entry in listed] == list(rules.RULES)
    # a record-integrity rule (syntax, IDs, schema, references...) is a precondition of every clause
    assert all((entry["clauses"] or entry["integrity"]) and entry["title"] for entry in listed)
    assert [e["id"] for e in listed if not e["clauses"]] == [
        r.id for r in rules.RULES.values() if r.integrity and not r.clauses
    ]
    text = run(world, "rules").stdout
    assert "project-retrospective" in text and "3.4.4" in text


def test_explain_a_rule_shows_its_examples(world):
    result = run(world, "explain", "project-retrospective")
    assert result.returncode == 0
    assert "不合规示例::" in result.stdout and "合规示例::" in result.stdout
    assert "完成项目验收后" in result.stdout  # the clause's own text


def test_explain_documents_a_rule_in_the_chosen_language(world):
    chinese = run(world, "explain", "project-retrospective")  # zh is the default language
    assert chinese.returncode == 0
    assert "不合规示例" in chinese.stdout and "Failing" not in chinese.stdout
    english = run(world, "explain", "project-retrospective", "--lang", "en")
    assert english.returncode == 0
    assert "Failing::" in english.stdout and "Passing::" in english.stdout and "不合规示例" not in english.stdout


def test_explain_a_clause_shows_the_rules_and_fields(world):
    result = run(world, "explain", "3.4.4", "--lang", "en")
    assert result.returncode == 0
    assert "After acceptance is complete" in result.stdout
    assert "project-retrospective" in result.stdout and "project:retrospective" in result.stdout


def test_explain_an_unknown_subject_is_a_usage_error(world):
    result = run(world, "explain", "9.9.9")
    assert result.returncode == 2 and "dops rules" in result.stderr


def test_help_is_bilingual():
    result = CliRunner().invoke(cli.main, ["check", "--help"])
    assert "检查记录" in result.output and "Check records" in result.output


def test_runs_from_a_sub_folder_of_the_repository(world):
    result = run(world / "records" / "projects", "check", "--as-of", AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_finding_stays_on_one_line_for_grep(world):
    drop_retrospective(world / "records/projects/PRJ-2026-001.yaml")
    out = run(world, "check", "--as-of", AS_OF).stdout
    matching = [line for line in out.splitlines() if "project-retrospective" in line]
    assert len(matching) == 1
    assert "23:3" in matching[0] and "3.4.4" in matching[0] and "retrospective：" in matching[0]
