"""`dops status`: the overview in an 80-column terminal, and its JSON for scripts."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from collections import Counter

import pytest
import yaml

from ..conftest import REPO, make_repo, run, sample_settings

AS_OF = "2026-11-24"
LATE = "2027-01-20"  # the 2026 appraisals are overdue by then


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def sample(kind: str) -> list[dict]:
    return [
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for path in sorted((REPO / "records" / kind).glob("*.yaml"))
    ]


@pytest.mark.parametrize(
    ("lang", "sections"),
    [
        ("zh", ["状态总览", "项目阶段", "逾期事项", "重点风险", "未来 14 天到期"]),
        ("en", ["dops status", "Projects by phase", "Overdue", "Focus risks", "Due in the next 14 days"]),
    ],
)
@pytest.mark.parametrize("as_of", [AS_OF, LATE])
def test_every_line_fits_an_80_column_terminal(lang, sections, as_of):
    done = run(REPO, "status", "--as-of", as_of, "--lang", lang)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    too_wide = [line for line in lines if columns(line) > 80]
    assert not too_wide, too_wide[:5]
    for section in sections:
        assert any(section in line for line in lines), section
    assert any("PRJ-2026-005" in line for line in lines)  # a project in execution, listed under its phase


def overdue_findings(as_of: str) -> set[str]:
    """The obligations the check reports as overdue (warnings) on that day."""
    done = run(REPO, "check", "--as-of", as_of, "--format", "json")
    return {f["obligation"] for f in json.loads(done.stdout)["findings"] if f["state"] == "overdue"}


def test_chinese_is_the_default_and_overdue_items_are_the_checks_overdue_warnings():
    done = run(REPO, "status", "--as-of", LATE)
    assert f"逾期事项（{len(overdue_findings(LATE))}）" in done.stdout
    # the 2026 appraisals fall due on 2027-01-15, owed by each person's superior
    assert re.search(r"2027-01-15\s+EMP-0002\s+完成 2026Q4 季度考核\s+EMP-0001 孟庆国", done.stdout), done.stdout
    on_time = run(REPO, "status", "--as-of", AS_OF)
    # the living department: one appraisal still in progress after its due date, owed by the superior
    assert "逾期事项（1）" in on_time.stdout
    assert re.search(r"2026-10-15\s+EMP-0014\s+完成 2026Q3 季度考核\s+EMP-0005 欧阳静怡", on_time.stdout)
    # deviations closed after their 30 days and an appraisal completed late cannot be made good: listed apart
    assert "迟办事项，已无法补救（5）" in on_time.stdout


def test_json_holds_the_counts_of_the_sample_records():
    done = run(REPO, "status", "--as-of", AS_OF, "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {"version", "tool", "lang", "as_of", "summary", "projects", "overdue", "focus_risks", "due"} <= set(report)
    assert report["version"] == 2 and report["as_of"] == AS_OF and report["lang"] == "zh"

    phases = Counter(project["phase"] for project in sample("projects"))
    assert report["projects"]["counts"] == {
        phase: phases.get(phase, 0) for phase in ("initiation", "execution", "monitoring", "acceptance", "closed")
    }
    listed = {p["id"]: phase for phase, items in report["projects"]["by_phase"].items() for p in items}
    assert listed == {p["id"]: p["phase"] for p in sample("projects")}

    assert [o["key"] for o in report["overdue"]] == ["review-due:EMP-0014:2026Q3"]
    assert report["overdue"][0]["owner"] == "EMP-0005" and report["overdue"][0]["state"] == "overdue"
    assert report["summary"]["warnings"] == len(report["overdue"]) + len(report["late"]) == 6

    focus = report["focus_risks"]
    assert focus["threshold"] == 12
    expected = {
        r["id"]
        for r in sample("risks")
        if r["status"] == "open"
        and "likelihood" in r
        and "impact" in r
        and int(r["likelihood"]) * int(r["impact"]) >= 12
    }
    assert {item["id"] for item in focus["items"]} == expected and expected
    top = focus["items"][0]
    assert top["score"] == top["likelihood"] * top["impact"] == max(i["score"] for i in focus["items"])
    risk_014 = next(item for item in focus["items"] if item["id"] == "RSK-2026-014")
    assert risk_014 == {
        **risk_014,
        "owner": "EMP-0001",
        "score": 12,
        "last_check": "2026-11-16",
        "file": "records/risks/RSK-2026-014.yaml",
    }

    assert report["due"]["days"] == 14
    dates = [dt.date.fromisoformat(item["due"]) for item in report["due"]["items"]]
    assert dates == sorted(dates) and dates[0] >= dt.date(2026, 11, 24) and dates[-1] <= dt.date(2026, 12, 8)
    meeting = next(i for i in report["due"]["items"] if i["key"] == "team-meeting-cadence:PRJ-2026-004:next-meetings")
    assert meeting == {
        **meeting,
        "due": "2026-12-01",
        "category": "meeting",
        "record": "PRJ-2026-004",
        "file": "records/projects/PRJ-2026-004.yaml",
        "what": "下一次团队会议",
        "owner": "EMP-0002",
        "owner_name": "谢婉清",
        "clauses": ["3.2.2", "6.1.1"],
        "state": "due_soon",
    }
    # a project in acceptance is past its execution window: no "next meeting" is announced for it
    assert not any(i["key"].startswith("team-meeting-cadence:PRJ-2026-003") for i in report["due"]["items"])
    assert any(item["category"] == "risk-check" for item in report["due"]["items"])


def test_json_overdue_items_are_obligations_in_the_chosen_language():
    report = json.loads(run(REPO, "status", "--as-of", LATE, "--format", "json", "--lang", "en", "--days", "3").stdout)
    assert {o["key"] for o in report["overdue"]} == overdue_findings(LATE) and report["overdue"]
    first = report["overdue"][0]
    assert set(first) >= {"key", "rule", "clauses", "record", "file", "line", "what", "owner", "due", "state", "note"}
    assert first["state"] == "overdue" and first["owner"]
    assert any("appraisal" in o["what"] for o in report["overdue"])
    assert report["due"]["days"] == 3


def test_long_and_multi_line_record_text_is_cut_to_fit(tmp_path):
    root = make_repo(tmp_path / "repo")
    shutil.rmtree(root / "records")
    shutil.copytree(REPO / "records", root / "records")
    sample_settings(root)
    project = root / "records" / "projects" / "PRJ-2026-005.yaml"
    text = project.read_text(encoding="utf-8")
    original = next(line for line in text.splitlines() if line.startswith("name:"))
    long_name = "连锁药房会员与处方流转系统实施" * 6 + " with an English tail\\tand a tab"
    project.write_text(text.replace(original, f'name: "{long_name}\\nsecond line"'), encoding="utf-8")
    done = run(root, "status", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if "PRJ-2026-005" in line)
    assert "…" in row and "second line" not in done.stdout and "\t" not in done.stdout
    assert all(columns(line) <= 80 for line in done.stdout.splitlines())


def test_bad_options_are_usage_errors():
    assert run(REPO, "status", "--as-of", "2026-13-01").returncode == 2
    assert run(REPO, "status", "--format", "xml").returncode == 2
    assert run(REPO, "status", "--days", "-1").returncode == 2
