"""Drift between the policy, the schemas, the rules and the docs fails the build.

Every rule cites clauses that exist and documents itself with examples; every
clause of the policy is enforced by a rule or a schema field, or is listed in
schemas/clauses.yaml with the reason it is not machine-checked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dops import rules
from dops.cli import main as cli_main
from dops.core import policy
from dops.core.kinds import KINDS
from dops.rules.trace import traces

from .conftest import REPO

CLAUSES = policy.clauses(REPO)
TRACE = policy.trace_table(REPO)
FIELDS = policy.schema_fields(REPO)
TRACES = traces(REPO)


def exists(cited: str) -> bool:
    return any(policy.covers(clause, cited) for clause in CLAUSES)


def test_the_policy_parses_into_all_its_clauses():
    assert len(CLAUSES) == 76
    assert CLAUSES["3.4.4"].text["zh"].startswith("完成项目验收后")
    assert CLAUSES["4.2"].text["en"].startswith("Appraisal combines")
    assert all(set(c.text) == {"zh", "en"} for c in CLAUSES.values()), "both languages carry every clause"


@pytest.mark.parametrize("rule", rules.RULES.values(), ids=lambda r: r.id)
def test_every_rule_cites_real_clauses_and_documents_itself(rule):
    # A record-integrity rule (syntax, IDs, schema, references) is a precondition of every clause and cites none.
    assert (rule.clauses or rule.integrity) and all(exists(c) for c in rule.clauses), rule.clauses
    assert re.fullmatch(r"[a-z][a-z0-9-]+", rule.id)
    assert rule.title.zh and rule.title.en and rule.title.zh != rule.title.en
    assert re.search(r"^Failing\b.*::$", rule.doc, re.M) and re.search(r"^Passing\b.*::$", rule.doc, re.M), (
        f"{rule.id}: doc needs a failing and a passing example"
    )
    assert (
        rule.check
        or rule.check_all
        or rule.id in {"yaml", "record-kind", "record-id", "schema", "encryption", "needs-key"}
    )
    assert not rule.check or rule.kinds, f"{rule.id}: a per-record rule names its KINDS"
    assert all(kind in KINDS for kind in rule.kinds)
    # The Chinese documentation (DOC_ZH) mirrors the English one, for the staff who read it.
    zh = rule.doc_zh
    assert re.search(r"[\u4e00-\u9fff]", zh), f"{rule.id}: DOC_ZH is not Chinese"
    assert re.search(r"^不合规示例.*::$", zh, re.M) and re.search(r"^合规示例.*::$", zh, re.M), (
        f"{rule.id}: DOC_ZH needs a 不合规示例:: and a 合规示例:: example"
    )
    if rule.integrity and not rule.clauses:
        assert "record integrity" in rule.summary and "记录完整性" in zh.splitlines()[0], rule.id
        assert _examples(zh) == _examples(rule.doc), f"{rule.id}: DOC_ZH's examples differ from the English ones"
        return
    english_clauses = re.search(r"\(([\d.,\s]+)\)\.?$", rule.summary)
    chinese_clauses = re.search(r"（([\d.、]+)）。?$", zh.splitlines()[0])
    assert english_clauses and chinese_clauses, f"{rule.id}: the summary line ends with its clauses"
    assert chinese_clauses.group(1).split("、") == re.split(r",\s*", english_clauses.group(1)), (
        f"{rule.id}: DOC_ZH's summary cites other clauses than the English one"
    )
    assert _examples(zh) == _examples(rule.doc), f"{rule.id}: DOC_ZH's examples differ from the English ones"


def _examples(doc: str) -> list[list[str]]:
    """The example blocks of a rule's documentation, in order, without comments and trailing spaces."""
    blocks: list[list[str]] = []
    lines = doc.splitlines()
    for index, line in enumerate(lines):
        if not line.rstrip().endswith("::"):
            continue
        block = []
        for following in lines[index + 1 :]:
            if following.strip() and not following.startswith("    "):
                break
            block.append(re.sub(r"(^|\s)#.*$", "", following).rstrip())
        while block and not block[-1]:
            block.pop()
        blocks.append(block)
    assert blocks, "no example blocks"
    return blocks


def test_every_clause_is_enforced_or_has_a_stated_reason():
    """Enforced means a policy rule cites it, or a field that cites it is required or read by such a rule.

    An optional field nobody reads only records a clause; such a clause needs its entry in clauses.yaml.
    """
    unaccounted = [clause for clause in CLAUSES if not TRACES[clause].enforced and clause not in TRACE]
    assert not unaccounted, f"clauses neither enforced nor listed in schemas/clauses.yaml: {unaccounted}"


def test_an_optional_field_nobody_reads_does_not_count_as_enforcing(tmp_path):
    # 6.2.1 is cited only by the optional customer.contact, which no rule reads.
    assert "project:customer.contact" in TRACES["6.2.1"].recording
    assert "project:customer.contact" not in TRACES["6.2.1"].enforcing
    # A required field does count: every person record has a name.
    assert "person:name" in TRACES["1.2"].enforcing


def test_the_list_of_unchecked_clauses_is_honest():
    for clause, entry in TRACE.items():
        assert clause in CLAUSES, f"schemas/clauses.yaml names {clause}, which the policy lacks"
        assert entry["status"] in {"manual", "site"}
        assert entry["reason"]["zh"] and entry["reason"]["en"]
        trace = TRACES[clause]
        assert not trace.enforced, (
            f"{clause} is listed as not machine-checked but {[r.id for r in trace.rules]} {trace.enforcing} enforce it"
        )


def _properties(node, where=""):
    if isinstance(node, dict):
        for name, child in node.get("properties", {}).items():
            yield f"{where}.{name}" if where else name, child
            yield from _properties(child, f"{where}.{name}" if where else name)
        if isinstance(node.get("items"), dict):
            yield from _properties(node["items"], f"{where}[]")
        for name, child in node.get("$defs", {}).items():
            yield from _properties(child, f"$defs.{name}")


@pytest.mark.parametrize("path", sorted((REPO / "schemas").glob("*.schema.json")), ids=lambda p: p.name)
def test_every_schema_property_is_bilingual_and_traced(path: Path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for where, prop in _properties(schema):
        title, description = prop.get("title", ""), prop.get("description", "")
        assert " / " in title, f"{path.name}:{where}: title should read '中文 / English'"
        zh, _, en = description.partition("\n\n")
        assert re.search(r"[\u4e00-\u9fff]", zh) and re.search(r"[A-Za-z]", en), (
            f"{path.name}:{where}: description needs Chinese, a blank line, then English"
        )
        assert all(exists(c) for c in prop.get("x-clauses", [])), f"{path.name}:{where}: {prop.get('x-clauses')}"


def test_confidential_fields_cover_what_chapter_8_names():
    marked = set()
    for path in (REPO / "schemas").glob("*.schema.json"):
        for where, prop in _properties(json.loads(path.read_text(encoding="utf-8"))):
            if prop.get("x-confidential"):
                marked.add(f"{path.name.removesuffix('.schema.json')}:{where}")
    for expected in (
        "project:customer.full_name",
        "project:customer.contact",
        "project:budget",
        "review:outcome",
        "review:indicators.results.score",
        "person:contact",
    ):
        assert expected in marked, expected


def test_the_readme_documents_every_command_and_exit_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in cli_main.commands:
        assert f"dops {name}" in readme, f"README.md does not mention `dops {name}`"
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in readme
