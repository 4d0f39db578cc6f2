"""One finding per missing field, each naming its own field ("required" and "dependentRequired")."""

from __future__ import annotations

import json

from dops.core.model import Record
from dops.core.validation import _compile, validate

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "a": {"title": "甲 / A"},
        "b": {"title": "乙 / B"},
        "c": {"title": "丙 / C"},
        "answered_on": {"title": "答复日期 / Answered on"},
        "answer": {"title": "答复 / Answer"},
        "by": {"title": "答复人 / By"},
    },
    "required": ["a", "b", "c"],
    "dependentRequired": {"answered_on": ["answer", "by"]},
}


def _messages(data: dict[str, object]) -> list[str]:
    schema = _compile(json.dumps(SCHEMA).encode(), "test", "test.schema.json")
    record = Record(kind="test", id="T-1", file="t.yaml", data=data, lines={})
    fast, slow = ([f.message.en for f in validate(record, schema, fast=way)] for way in (True, False))
    assert fast == slow
    return fast


def test_every_missing_required_field_is_named_once():
    assert _messages({"b": 1}) == [
        "Required field a (A) is missing. Add it.",
        "Required field c (C) is missing. Add it.",
    ]


def test_every_missing_dependency_is_named_once():
    assert _messages({"a": 1, "b": 1, "c": 1, "answered_on": "2026-01-01"}) == [
        "answered_on (Answered on) is filled in, so answer (Answer) is required too. Add it.",
        "answered_on (Answered on) is filled in, so by (By) is required too. Add it.",
    ]
