"""Records whose confidential values are encrypted are validated without the key (8.2.3).

Each confidential value may be stored as an ``ENC[AES256_GCM,…,type:T]`` string: its type tag must
suit the field (``int`` for a score, ``str`` for a text), a value in clear is validated as before, and
every finding stands at the value's line without showing it.
"""

from __future__ import annotations

import textwrap

import pytest

from dops.core import loader
from dops.core.config import config_schema
from dops.core.model import Record
from dops.core.validation import accepting_encrypted, load_schema, validate

from ..conftest import REPO

IV = "nV3kG8qR2mXwYtB7cLpZ0aHsJ4uE6fKdN1oQ9iW5gTM="
TAG = "Zx8Qv2LkP4mN7rT1sW3yBg=="


def enc(tag: str, data: str = "Mw==") -> str:
    return f'"ENC[AES256_GCM,data:{data},iv:{IV},tag:{TAG},type:{tag}]"'


def review(score: str = enc("int"), grade: str = enc("str"), band: str = enc("int"), date: str = "2026-10-12") -> str:
    return textwrap.dedent(f"""\
        id: REV-EMP-0003-2026Q3
        person: EMP-0003
        period: 2026Q3
        status: completed
        completed_on: 2026-10-14
        indicators:
          results: {{score: {score}, comment: {enc("str")}}}
          ability: {{score: {enc("int")}}}
          attitude: {{score: {enc("int")}}}
        assessments:
          self: {{date: {date}, summary: {enc("str")}}}
          superior: {{assessor: EMP-0002, date: 2026-10-14, summary: {enc("str")}}}
          peers:
            - {{assessor: EMP-0004, date: 2026-10-10, summary: {enc("str")}}}
        outcome:
          grade: {grade}
          bonus_band: {band}
          promotion_eligible: {enc("bool", "ZmFsc2U=")}
        """)


@pytest.fixture(scope="module")
def schemas():
    return {
        kind: load_schema(REPO / "schemas" / f"{kind}.schema.json", f"schemas/{kind}.schema.json")
        for kind in ("review", "project", "person")
    }


def findings(schemas, kind: str, text: str) -> list[tuple[int, str, str]]:
    parsed = loader.parse(text.encode("utf-8"), 256 * 1024, 0)
    assert isinstance(parsed, loader.Document), parsed
    record = Record(kind, "x", f"records/{kind}.yaml", parsed.data, parsed.lines)
    fast = [(f.line, f.message.en, f.message.zh) for f in validate(record, schemas[kind], fast=True)]
    slow = [(f.line, f.message.en, f.message.zh) for f in validate(record, schemas[kind], fast=False)]
    assert fast == slow
    return slow


def test_encrypted_values_with_the_right_tags_are_valid(schemas):
    assert findings(schemas, "review", review()) == []


def test_a_wrong_tag_fails_at_its_line_and_says_what_the_field_wants(schemas):
    found = findings(schemas, "review", review(score=enc("str")))
    assert len(found) == 1, found
    line, en, zh = found[0]
    assert line == 7
    assert "indicators.results.score (Score) is encrypted as text (type:str); the schema wants a whole number 1–5" in en
    assert "加密时保存为文字（type:str），而模式要求整数 1–5" in zh
    assert "anyOf" not in en and "ENC[" not in en.replace("ENC[…]", "")


def test_a_wrong_tag_in_an_enumerated_field_names_the_choices(schemas):
    found = findings(schemas, "review", review(grade=enc("int")))
    wanted = (
        'outcome.grade (Grade) is encrypted as a whole number (type:int); the schema wants one of "A", "B", "C", '
        '"D". Open the record with dops edit and correct the value; it is encrypted again when saved.'
    )
    assert [(line, en) for line, en, _ in found] == [(16, wanted)]


def test_a_value_in_clear_is_still_validated_as_before_and_not_shown(schemas):
    found = findings(schemas, "review", review(score="7"))
    assert [(line, en) for line, en, _ in found] == [
        (7, "indicators.results.score (Score) is (a confidential value); it must be at most 5.")
    ]
    assert findings(schemas, "review", review(score="4", grade="B", band="3")) == []


def test_a_damaged_encrypted_value_fails_at_its_line(schemas):
    cut = f'"ENC[AES256_GCM,data:Mw==,iv:{IV}"'
    found = findings(schemas, "review", review(band=cut))
    assert [line for line, _, _ in found] == [17]
    assert "starts with ENC[ but is not a whole encrypted value" in found[0][1]
    assert "不是完整的加密值" in found[0][2]


def test_an_encrypted_value_in_a_public_field_fails_and_says_so(schemas):
    found = findings(schemas, "review", review(date=enc("str")))
    assert [line for line, _, _ in found] == [11]
    assert "assessments.self.date (Date) is not a confidential field but holds an encrypted value" in found[0][1]


def test_a_completed_review_still_needs_its_outcome(schemas):
    text = review().split("outcome:")[0]
    found = findings(schemas, "review", text)
    assert len(found) == 1 and "A completed review needs" in found[0][1], found


def test_the_leaves_of_a_confidential_object_are_what_is_encrypted(schemas):
    project = textwrap.dedent(f"""\
        id: PRJ-2026-002
        name: 客服平台运维
        phase: initiation
        manager: EMP-0002
        customer: {{code: C-002, full_name: {enc("str")}, contact: {{name: {enc("str")}}}}}
        started_on: 2026-09-01
        budget:
          currency: {enc("str")}
          amount: {enc("float", "ODAwMDAwLjU=")}
          actual_cost: {enc("int")}
          overrun_approved_by: {enc("str")}
        """)
    assert findings(schemas, "project", project) == []
    whole = project.replace("budget:\n", f"budget: {enc('str')}\n").split("  currency")[0]
    found = findings(schemas, "project", whole)
    assert [line for line, _, _ in found] == [7], found
    assert "budget (Budget and cost) is stored as one encrypted value. Each of its values is encrypted" in found[0][1]


def test_a_schema_without_confidential_fields_is_left_as_it_is():
    schema = config_schema()
    assert accepting_encrypted(schema.flat) is schema.flat
    assert schema.checked is schema.flat
