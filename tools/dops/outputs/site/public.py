"""What of a record may be published (8.1, 8.2.4).

The site is built from public views only: a copy of each schema-valid record
with every value under a property marked ``x-confidential`` removed. Pages
never see the original data, so a template cannot leak what it was never
given. Records that fail their schema are not published at all, only their
findings.
"""

from __future__ import annotations

from typing import Any

from dops.core.model import Record
from dops.core.validation import Schema


def strip(value: Any, schema: dict[str, Any]) -> Any:
    """``value`` without the parts its (inlined) schema marks confidential."""
    if isinstance(value, dict):
        return _strip_fields(value, schema)
    if isinstance(value, list):
        items = schema.get("items")
        if not isinstance(items, dict):
            return []
        return [strip(item, items) for item in value]
    return value


def _strip_fields(value: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties", {})
    result = {}
    for key, item in value.items():
        child = properties.get(key)
        if child is None or child.get("x-confidential"):
            continue  # unknown keys cannot be judged, so they are not published either
        result[key] = strip(item, child)
    return result


def confidential_values(value: Any, schema: dict[str, Any], secret: bool = False) -> list[str]:
    """Every scalar held under a confidential property, as text (for leak tests)."""
    secret = secret or bool(schema.get("x-confidential"))
    found: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, item in value.items():
            found += confidential_values(item, properties.get(key, {}), secret)
    elif isinstance(value, list):
        items: dict[str, Any] = schema["items"] if isinstance(schema.get("items"), dict) else {}
        for item in value:
            found += confidential_values(item, items, secret)
    elif secret and value is not None:
        found.append(str(value))
    return found


def public_view(record: Record, schemas: dict[str, Schema]) -> dict[str, Any] | None:
    """The publishable part of a valid record; None for an invalid one."""
    if not record.valid or record.kind not in schemas:
        return None
    return _strip_fields(record.data, schemas[record.kind].flat)
