"""Two JSON Schema keywords as the specification means them, where jsonschema's Python versions differ.

``pattern``: JSON Schema regular expressions are ECMA-262's, whose ``$`` matches only at the end of the
string. Python's ``$`` also matches before a final line break, so ``period: "2025\\n"`` passed
``^[0-9]{4}$`` and then broke the rules, which trust a valid record. Here ``$`` (outside a character
class) means the end of the string, as in ECMA-262 and in jsonschema-rs.

``uniqueItems``: jsonschema compares every pair of items when they cannot be sorted (a list mixing text
and numbers): 20,000 items took minutes. Here each item becomes a hashable canonical value in which
``1`` equals ``1.0`` but not ``true`` (JSON Schema's equality), so the check takes linear time.

:data:`Validator` is the 2020-12 validator with both.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError


@functools.lru_cache(maxsize=512)
def whole_string(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled with ECMA-262's ``$``: the end of the string, never before a final line break."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
        index += 1
    return re.compile("".join(out))


def pattern(validator: Any, expected: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not whole_string(expected).search(instance):
        yield ValidationError(f"{instance!r} does not match {expected!r}")


def canonical(value: Any) -> Any:
    """A hashable stand-in for a JSON value; two are equal exactly when JSON Schema calls the values equal."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", value)  # 1 == 1.0 and hash(1) == hash(1.0)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(canonical(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, canonical(item)) for key, item in value.items()))
    return ("other", value)


def unique_items(validator: Any, unique: bool, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[Any] = set()
    for item in instance:
        key = canonical(item)
        if key in seen:
            yield ValidationError(f"{item!r} is listed more than once")
            return
        seen.add(key)


Validator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"pattern": pattern, "uniqueItems": unique_items}
)

__all__ = ["Validator", "canonical", "pattern", "unique_items", "whole_string"]
