"""One truth: every output shows the same obligations, item for item.

Two kinds of department are compared. The bundled samples, made worse (see
``_worsen``) and checked on a date well after the samples' own "today", so that
duties of every state abound; and, for violations of every kind, the first
failing case of every policy rule (``tests/rules/cases``) as a department of
its own. For each, the check's findings, ``dops status``, the dashboard, the
calendar feed and every clause box of the policy pages are compared with the
obligations of one run, and with each other.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import icalendar
import pytest
import yaml

from dops import rules
from dops.core import policy
from dops.core.config import load_settings
from dops.outputs import status
from dops.outputs.site.pages import build_pages
from dops.rules import engine

from ..conftest import REPO, make_repo, run, sample_settings

AS_OF = "2027-02-20"


def _worsen(root: Path) -> None:
    """Break the samples in ways the rules must each notice (errors and lapses alike)."""

    def edit(relative: str, old: str, new: str) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    # a closed project's retrospective is gone (3.4.4)
    project = next((root / "records/projects").glob("PRJ-2026-001.yaml"))
    text = project.read_text(encoding="utf-8")
    project.write_text(re.sub(r"(?ms)^retrospective:.*?(?=^\S|\Z)", "", text), encoding="utf-8")
    # a review is removed: the appraisal is owed and, by now, overdue (4.2)
    reviews = sorted((root / "records/reviews").glob("REV-*-2026Q3.yaml"))
    reviews[0].unlink()
    # a deviation found shortly before the check date is open and due soon (3.3.2)
    edit(
        "records/projects/PRJ-2026-004.yaml",
        "\ndeviations:\n",
        "\ndeviations:\n  - {id: D9, found_on: 2027-01-28, area: schedule, description: 稽核月报延迟}\n",
    )


@pytest.fixture(scope="module")
def department(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("one-truth") / "repo"
    for name in ("schemas", "policy", "records"):
        shutil.copytree(REPO / name, root / name)
    sample_settings(root)
    _worsen(root)
    assert run(root, "keys").returncode == 0  # the removed review's readers leave .sops.yaml, as a PR would do
    return root


@pytest.fixture(scope="module")
def checked(department):
    settings = load_settings(department)
    result = engine.run(settings, as_of=dt.date.fromisoformat(AS_OF))
    pages, _ = build_pages(settings, as_of=dt.date.fromisoformat(AS_OF), site_url="https://ops.example/")
    return result, pages


def test_the_department_has_every_state(checked):
    result, _ = checked
    states = Counter(o.state for o in result.obligations)
    assert set(states) == {"met", "violated", "overdue", "due_soon", "not_yet_due", "not_applicable"}, states
    assert result.errors and result.warnings
    # every obligation not met names who must act, and that person exists
    for o in result.obligations:
        if o.state not in ("met", "not_applicable"):
            assert o.owner and o.owner_name, o


def test_the_checks_findings_are_the_lapsed_obligations(checked):
    result, _ = checked
    overdue = {o.key for o in result.obligations if o.state == "overdue"}
    lapsed = {o.key for o in result.obligations if o.lapsed}
    policy_findings = [f for f in result.findings if f.obligation]
    assert {f.obligation for f in policy_findings if f.state == "overdue"} == overdue
    assert {f.obligation for f in policy_findings} == lapsed
    assert all(f.severity == "warning" for f in policy_findings if f.state == "overdue")
    # the policy's warnings are the overdue obligations and the lapses that can no longer be made good
    late = {o.key for o in result.done_late()}
    assert {f.obligation for f in policy_findings if f.severity == "warning"} == overdue | late
    assert late and all(o.state == "violated" for o in result.done_late())
    # a finding without an obligation comes only from a record-integrity rule
    from dops import rules

    assert all(rules.RULES[f.rule].integrity for f in result.findings if not f.obligation)


def test_status_lists_the_overdue_obligations_and_the_same_due_items(department, checked):
    result, _ = checked
    report = json.loads(run(department, "status", "--as-of", AS_OF, "--format", "json", "--days", "30").stdout)
    assert {o["key"] for o in report["overdue"]} == {o.key for o in result.obligations if o.state == "overdue"}
    assert [o["key"] for o in report["due"]["items"]] == [
        o.key for o in result.open_obligations(30) if o.state != "overdue"
    ]
    assert all(o["owner"] for o in report["overdue"])
    assert [o["key"] for o in report["late"]] == [o.key for o in result.done_late()]


def _table_rows(markdown: str, heading: str) -> list[list[str]]:
    section = markdown.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("|---")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[1:]]


def _link_text(cell: str) -> str:
    """A table cell's text, a Markdown link read as its words (records and people are linked)."""
    return re.sub(r"<[^>]+>", "", re.sub(r"\[([^]]+)\]\([^)]*\)", r"\1", cell))


def test_the_dashboard_lists_the_same_overdue_and_due_items(checked):
    result, pages = checked
    dashboard = pages["status/index.en.md"]
    shown = {
        (_link_text(row[0]), _link_text(row[1]).split(" ")[0], html.unescape(row[2]), _link_text(row[3]))
        for row in _table_rows(dashboard, "Overdue")
    }
    expected = {
        (str(o.due), o.record, o.what.en, f"{o.owner} {o.owner_name}")
        for o in result.obligations
        if o.state == "overdue"
    }
    assert shown == expected
    late = _table_rows(dashboard, "Done late, cannot be made good")
    expected_late = [(str(o.due), o.what.en) for o in result.done_late()]
    assert [(_link_text(row[0]), html.unescape(row[2])) for row in late] == expected_late
    due = _table_rows(dashboard, "Due in the next 30 days")
    assert len(due) == len([o for o in result.open_obligations(30) if o.state != "overdue"])


def test_the_calendar_holds_every_open_dated_obligation(checked):
    result, pages = checked
    calendar = icalendar.Calendar.from_ical(pages["status/deadlines.ics"])
    uids = {str(event["uid"]).removesuffix("@dops") for event in calendar.walk("VEVENT")}
    assert uids == {o.key for o in result.open_obligations(400)}
    late = {
        str(event["uid"]).removesuffix("@dops") for event in calendar.walk("VEVENT") if "逾期" in str(event["summary"])
    }
    assert late == {o.key for o in result.obligations if o.state == "overdue"}


_TALLY = re.compile(r"applicable (\d+) · met (\d+) · violated or overdue (\d+) · pending (\d+) · not applicable (\d+)")


def test_each_clause_box_counts_the_obligations_of_its_clause(department, checked):
    result, pages = checked
    seen = 0
    for clause_id in policy.clauses(department):
        chapter = pages[f"policy/chapter-{clause_id.split('.')[0]}.en.md"]
        block = re.search(rf"\{{#clause-{re.escape(clause_id)}\}}\n(.*?)(?=\{{#clause-|\Z)", chapter, re.S)
        assert block, clause_id
        mine = [o for o in result.obligations if any(policy.covers(clause_id, c) for c in o.clauses)]
        box = _TALLY.search(block.group(1))
        if not mine:
            assert box is None or box.group(1) == "0", clause_id
            continue
        assert box, f"{clause_id} has obligations but its page shows no count"
        applicable = [o for o in mine if o.applicable]
        assert [int(n) for n in box.groups()] == [
            len(applicable),
            sum(o.state == "met" for o in applicable),
            sum(o.lapsed for o in applicable),
            sum(o.state in ("due_soon", "not_yet_due") for o in applicable),
            len(mine) - len(applicable),
        ], clause_id
        kind = re.search(r'^!!! (\w+) "Checked: ', block.group(1), re.M)
        green = kind is not None and kind.group(1) == "success"
        assert green == (len(applicable) > 0 and all(o.state == "met" for o in applicable)), clause_id
        seen += 1
    assert seen > 30


def _failing_cases():
    """The first failing case of every policy rule, as (rule ID, as-of date, case)."""
    for path in sorted((REPO / "tests/rules/cases").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        if rules.RULES[spec["rule"]].integrity:
            continue
        case = next(c for c in spec["cases"] if c.get("expect"))
        yield pytest.param(spec["rule"], str(case.get("as_of", spec.get("as_of", "2026-11-24"))), case, id=spec["rule"])


WORLD = yaml.safe_load((REPO / "tests/rules/world.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("rule_id", "as_of", "case"), list(_failing_cases()))
def test_every_kind_of_violation_reads_the_same_everywhere(tmp_path, rule_id, as_of, case):
    records = dict(WORLD) if case.get("world", True) else {}
    records.update(case.get("records", {}))
    root = make_repo(tmp_path / "repo", records)
    settings = load_settings(root)
    day = dt.date.fromisoformat(as_of)
    result = engine.run(settings, as_of=day)
    pages, _ = build_pages(settings, as_of=day, site_url="https://ops.example/")

    mine = [o for o in result.obligations if o.rule == rule_id and o.lapsed]
    assert mine, f"the failing case of {rule_id} shows no lapsed obligation"
    lapsed = {o.key for o in result.obligations if o.lapsed}
    assert {f.obligation for f in result.findings if f.obligation} == lapsed
    overdue = {o.key for o in result.obligations if o.state == "overdue"}
    view = status.from_result(result, 30)
    assert {o.key for o in view.overdue} == overdue
    calendar = icalendar.Calendar.from_ical(pages["status/deadlines.ics"])
    assert {str(e["uid"]).removesuffix("@dops") for e in calendar.walk("VEVENT")} == {
        o.key for o in result.open_obligations(400)
    }
    assert len(_table_rows(pages["status/index.en.md"], "Overdue")) == len(overdue)
    for clause_id in {c for o in mine for c in o.clauses}:
        chapter = pages[f"policy/chapter-{clause_id.split('.')[0]}.en.md"]
        block = re.search(rf"\{{#clause-{re.escape(clause_id)}\}}\n(.*?)(?=\{{#clause-|\Z)", chapter, re.S)
        assert block, clause_id
        box = _TALLY.search(block.group(1))
        assert box, clause_id
        covered = [
            o for o in result.obligations if o.applicable and any(policy.covers(clause_id, c) for c in o.clauses)
        ]
        assert int(box.group(3)) == sum(o.lapsed for o in covered) > 0, clause_id
        kind = re.search(r'^!!! (\w+) "Checked: ', block.group(1), re.M)
        assert kind and kind.group(1) in ("failure", "warning"), clause_id  # never green with a lapse
