"""The references rule cites the clause of the field that holds a reference, as the schemas give it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dops.core.kinds import KINDS
from dops.core.model import Path as RecordPath
from dops.core.validation import load_schema
from dops.rules.references import field_clauses

REPO = Path(__file__).resolve().parents[2]
REFERENCE_PATTERNS = ("EMP-", "PRJ-", "TRP-")


def _flat(kind: str) -> dict[str, Any]:
    schema_file = KINDS[kind].schema_file
    return load_schema(REPO / "schemas" / schema_file, schema_file).flat


def _reference_fields(node: dict[str, Any], path: RecordPath) -> Iterator[tuple[RecordPath, dict[str, Any]]]:
    """Every field whose pattern takes an ID of another record, with an item index 0 for lists."""
    pattern = node.get("pattern", "")
    if path and path[-1] != "id" and any(prefix in pattern for prefix in REFERENCE_PATTERNS):
        yield path, node
    for name, child in (node.get("properties") or {}).items():
        yield from _reference_fields(child, (*path, name))
    if isinstance(node.get("items"), dict):
        yield from _reference_fields(node["items"], (*path, 0))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_reference_field_cites_its_own_x_clauses(kind: str) -> None:
    flat = _flat(kind)
    fields = list(_reference_fields(flat, ()))
    assert fields, f"{kind}: no reference fields found"
    for path, node in fields:
        own = node.get("x-clauses")
        if own:
            assert field_clauses(flat, path) == tuple(own), path


@pytest.mark.parametrize(
    ("kind", "path", "clauses"),
    [
        ("review", ("assessments", "peers", 0, "assessor"), ("4.3.4",)),
        ("review", ("assessments", "superior", "assessor"), ("4.3.2",)),
        ("risk", ("project",), ("7.1.1",)),
        ("risk", ("responses", 1, "owner"), ("7.3.1",)),
        ("risk", ("acceptance", "decided_by"), ("7.3.1",)),
        ("project", ("team", 3, "person"), ("2.1.2",)),
        ("training-session", ("plan_item",), ("5.2.1",)),
        ("training-session", ("attendees", 0, "person"), ("5.2.3",)),
    ],
)
def test_known_fields_cite_their_clause(kind: str, path: RecordPath, clauses: tuple[str, ...]) -> None:
    assert field_clauses(_flat(kind), path) == clauses


def test_a_path_beyond_the_schema_keeps_the_deepest_clause_found() -> None:
    assert field_clauses(_flat("risk"), ("responses", 0, "unknown", "deeper")) == ("7.3.1", "7.3.2")
