"""Which fields of a kind are confidential (chapter 8): read from the schema's ``x-confidential``.

A schema marks a field ``x-confidential: true``; everything below a marked field is confidential
too. The marks are read once per schema into :class:`Fields`, which answers for a record path
(``("assessments", "peers", 0, "summary")``) whether its value must be stored encrypted (8.2.3),
and which SOPS type tag its encrypted form may carry.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dops.core.model import Path

#: A path in a schema: keys, with ``*`` for any item of a list.
Pattern = tuple[str, ...]
ANY_ITEM = "*"

#: The SOPS type tags a value of each JSON Schema type may be stored as (sops writes ``int`` for a
#: whole number even where the schema allows any number; ``time`` for a date it parsed as one).
TAGS: dict[str, frozenset[str]] = {
    "string": frozenset({"str", "time"}),
    "integer": frozenset({"int"}),
    "number": frozenset({"int", "float"}),
    "boolean": frozenset({"bool"}),
    "null": frozenset(),
    "object": frozenset(),
    "array": frozenset(),
}
_ALL_TAGS = frozenset({"str", "int", "float", "bool", "time"})


@dataclass(frozen=True)
class Fields:
    """The confidential fields of one kind: each top-most marked pattern, and the tags its leaves may take."""

    patterns: frozenset[Pattern]
    tags: dict[Pattern, frozenset[str]]

    def covers(self, path: Path) -> bool:
        """True when the value at ``path`` (or a field above it) is confidential."""
        return _covered(self.patterns, _pattern(path))

    def tags_at(self, path: Path) -> frozenset[str]:
        """The type tags an encrypted value at ``path`` may carry (every tag where the schema does not say)."""
        return self.tags.get(_pattern(path), _ALL_TAGS)

    def key_names(self) -> list[str]:
        """The names of the marked keys, for a ``.sops.yaml`` ``encrypted_regex``; sorted."""
        return sorted({pattern[-1] for pattern in self.patterns if pattern and pattern[-1] != ANY_ITEM})

    def encrypted_regex(self) -> str | None:
        """``^(a|b)$`` over :meth:`key_names`, as SOPS matches each key on a value's path; None without any."""
        names = self.key_names()
        return f"^({'|'.join(re.escape(name) for name in names)})$" if names else None


def _pattern(path: Path) -> Pattern:
    return tuple(ANY_ITEM if isinstance(step, int) else step for step in path)


def _covered(patterns: frozenset[Pattern], pattern: Pattern) -> bool:
    return any(pattern[:size] in patterns for size in range(1, len(pattern) + 1))


def fields(flat: dict[str, Any]) -> Fields:
    """The confidential fields of a schema with its references inlined (``Schema.flat``)."""
    return _fields_of(_Frozen(flat))


class _Frozen:
    """A schema wrapped so that :func:`functools.lru_cache` can key on its identity."""

    def __init__(self, flat: dict[str, Any]) -> None:
        self.flat = flat

    def __hash__(self) -> int:
        return id(self.flat)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Frozen) and other.flat is self.flat


@functools.lru_cache(maxsize=64)
def _fields_of(frozen: _Frozen) -> Fields:
    patterns: set[Pattern] = set()
    tags: dict[Pattern, frozenset[str]] = {}
    for pattern, node, marked in _walk(frozen.flat, (), False):
        if marked:
            if not _covered(frozenset(patterns), pattern):
                patterns.add(pattern)
            tags[pattern] = tags.get(pattern, frozenset()) | _leaf_tags(node)
    return Fields(frozenset(patterns), tags)


def _walk(node: Any, pattern: Pattern, marked: bool) -> Iterator[tuple[Pattern, dict[str, Any], bool]]:
    if not isinstance(node, dict):
        return
    if node.get("x-sealed") is True and isinstance(node.get("else"), dict):
        node = {**node["else"], "x-confidential": True}  # the published schema's wrapper: the value's own schema
    marked = marked or node.get("x-confidential") is True
    yield pattern, node, marked
    for key, child in (node.get("properties") or {}).items():
        yield from _walk(child, (*pattern, key), marked)
    items = node.get("items")
    if isinstance(items, dict):
        yield from _walk(items, (*pattern, ANY_ITEM), marked)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(keyword) or []:
            yield from _walk(branch, pattern, marked)
    for keyword in ("then", "else"):
        yield from _walk(node.get(keyword), pattern, marked)


def _leaf_tags(node: dict[str, Any]) -> frozenset[str]:
    """The tags a scalar of this schema may be stored under; empty for an object or a list."""
    declared = node.get("type")
    if isinstance(declared, str):
        return TAGS.get(declared, _ALL_TAGS)
    if isinstance(declared, list):
        return frozenset().union(*(TAGS.get(name, _ALL_TAGS) for name in declared if isinstance(name, str)))
    if "enum" in node or "const" in node:
        values = node.get("enum", [node.get("const")])
        return frozenset().union(*(_tags_of_value(value) for value in values))
    return _ALL_TAGS


def _tags_of_value(value: Any) -> frozenset[str]:
    if isinstance(value, bool):
        return TAGS["boolean"]
    if isinstance(value, int):
        return TAGS["integer"]
    if isinstance(value, float):
        return TAGS["number"]
    if isinstance(value, str):
        return TAGS["string"]
    return frozenset()
