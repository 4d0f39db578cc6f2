"""JSON Schema's own meaning of ``pattern`` and ``uniqueItems``, where Python's jsonschema differs."""

from __future__ import annotations

import pytest

from dops.core.keywords import Validator, canonical, whole_string


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("^[0-9]{4}$", "2025", True),
        ("^[0-9]{4}$", "2025\n", False),  # Python's $ would accept the final line break
        ("^[0-9]{4}$", "2025\n\n", False),
        ("^a[$]$", "a$", True),  # a $ in a character class stays a dollar sign
        (r"^a\$$", "a$", True),  # and so does an escaped one
        (r"^a\$$", "a$\n", False),
        (r"\S", "text\n", True),  # unanchored patterns are unchanged
        ("^(a|b$)", "b\n", False),
    ],
)
def test_a_dollar_sign_ends_the_string_as_in_ecma_262(pattern, value, matches):
    assert bool(whole_string(pattern).search(value)) is matches


def test_equal_json_values_are_equal_and_others_are_not():
    assert canonical(1) == canonical(1.0)
    assert canonical(True) != canonical(1)
    assert canonical(False) != canonical(0)
    assert canonical(None) != canonical(False)
    assert canonical("1") != canonical(1)
    assert canonical({"a": [1, {"b": 2}]}) == canonical({"a": [1.0, {"b": 2}]})
    assert canonical([1, 2]) != canonical([2, 1])


@pytest.mark.parametrize(
    ("items", "unique"),
    [
        ([1, "1", True, None, [1], {"a": 1}], True),
        ([1, "a", 1.0], False),
        ([{"a": 1, "b": 2}, {"b": 2, "a": 1}], False),
        ([True, 1], True),
        ([[True], [1]], True),
        (list(range(20_000)) + ["x"] * 1, True),
        ([*range(10_000), *map(str, range(10_000)), 9_999], False),
    ],
)
def test_unique_items(items, unique):
    errors = list(Validator({"type": "array", "uniqueItems": True}).iter_errors(items))
    assert (not errors) is unique
