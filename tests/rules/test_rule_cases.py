"""Every rule's failing and passing cases, kept as data in ``cases/<rule-id>.yaml``.

A case lists record files (added to the small department in ``world.yaml``)
and the findings the rule must report: file and line, and optionally text
the message must contain, the related file:line and the clauses cited. Cases
expecting nothing must still be schema-valid, so a pass can never come from a
record the rule skipped.

A policy rule states duties, not just problems. A case may list the
``obligations`` it must produce (record, subject, and optionally state, owner
and due date); every passing case of a policy rule must show at least one of
the rule's obligations on the case's own records, none of them lapsed, so that
"nothing found" always means "checked and met" (or "not applicable", and why).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from dops import rules
from dops.core.config import load_settings
from dops.rules import engine

from ..conftest import make_repo

HERE = Path(__file__).parent
WORLD = yaml.safe_load((HERE / "world.yaml").read_text(encoding="utf-8"))
ENGINE_RULES = {"yaml", "record-kind", "record-id", "schema", "encryption"}


def _cases():
    for path in sorted((HERE / "cases").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            case = {"key": spec.get("key"), **case}  # an age secret key the case runs with (SOPS_AGE_KEY)
            yield pytest.param(spec["rule"], spec.get("as_of"), case, id=f"{spec['rule']}: {case['name']}")


@pytest.mark.parametrize(("rule_id", "as_of", "case"), list(_cases()))
def test_rule_case(tmp_path, monkeypatch, rule_id, as_of, case):
    monkeypatch.setenv("HOME", str(tmp_path))  # no key of the user's own
    monkeypatch.delenv("SOPS_AGE_KEY_FILE", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    if case.get("key"):
        monkeypatch.setenv("SOPS_AGE_KEY", case["key"])
    else:
        monkeypatch.delenv("SOPS_AGE_KEY", raising=False)
    records = dict(WORLD) if case.get("world", True) else {}
    records.update(case.get("records", {}))
    root = make_repo(tmp_path / "repo", records)
    settings = load_settings(root)
    when = dt.date.fromisoformat(str(case.get("as_of", as_of or "2026-11-24")))
    result = engine.run(settings, as_of=when)

    if rule_id not in ENGINE_RULES:
        broken = [f for f in result.findings if f.rule in ENGINE_RULES]
        assert not broken, f"case records must be valid: {[(f.file, f.line, f.message.en) for f in broken]}"
    got = sorted((f.file, f.line) for f in result.findings if f.rule == rule_id)
    want = sorted((e["file"], e["line"]) for e in case.get("expect", []))
    assert got == want, [f.message.en for f in result.findings if f.rule == rule_id]
    for expected in case.get("expect", []):
        if "contains" in expected:
            messages = [
                f.message.zh + " " + f.message.en
                for f in result.findings
                if f.rule == rule_id and (f.file, f.line) == (expected["file"], expected["line"])
            ]
            assert any(expected["contains"] in m for m in messages), messages
        if "clauses" in expected:
            cited = [
                list(f.clauses)
                for f in result.findings
                if f.rule == rule_id and (f.file, f.line) == (expected["file"], expected["line"])
            ]
            assert [str(c) for c in expected["clauses"]] in cited, cited
        if "related" in expected:
            related = [
                f"{f.related_file}:{f.related_line}"
                for f in result.findings
                if f.rule == rule_id and (f.file, f.line) == (expected["file"], expected["line"])
            ]
            assert expected["related"] in related, related

    rule = rules.RULES[rule_id]
    mine = [o for o in result.obligations if o.rule == rule_id]
    for expected in case.get("obligations", []):
        matching = [o for o in mine if o.record == expected["record"] and o.subject == str(expected["subject"])]
        assert matching, (expected, [(o.record, o.subject, o.state) for o in mine])
        got_obligation = matching[0]
        for field in ("state", "owner"):
            if field in expected:
                assert getattr(got_obligation, field) == expected[field], (expected, got_obligation)
        if "due" in expected:
            assert str(got_obligation.due) == str(expected["due"]), (expected, got_obligation)
    if not rule.integrity and not case.get("expect"):
        files = set(case.get("records", {}))
        own = [o for o in mine if o.file in files]
        assert own, f"a passing case must show the rule's obligation on its records: {sorted(files)}"
        lapsed = [(o.key, o.state) for o in own if o.lapsed]
        assert not lapsed, lapsed


def test_every_rule_has_failing_and_passing_cases():
    covered: dict[str, set[str]] = {}
    for path in (HERE / "cases").glob("*.yaml"):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == spec["rule"], f"{path.name} should be named after its rule"
        kinds = covered.setdefault(spec["rule"], set())
        for case in spec["cases"]:
            kinds.add("fail" if case.get("expect") else "pass")
    missing = {rule_id: sorted({"fail", "pass"} - covered.get(rule_id, set())) for rule_id in rules.RULES}
    missing = {rule_id: gaps for rule_id, gaps in missing.items() if gaps}
    assert not missing, f"rules without failing/passing cases: {missing}"
