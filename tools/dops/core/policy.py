"""The policy text, clause by clause, and what traces back to each clause.

Clause IDs are ``chapter.section.item`` (``3.4.4``); a section with no items
of its own (``4.2``) is a clause too. The Chinese text is authoritative; the
English rendering has the same IDs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dops.core import loader
from dops.core.errors import PolicyProblem, SchemaProblem
from dops.core.model import Finding, msg

POLICY_FILES = {"zh": "policy/policy.zh.md", "en": "policy/policy.en.md"}
TRACE_FILE = "schemas/clauses.yaml"

_SECTION = re.compile(r"^### (\d+\.\d+) (.+)$")
_ITEM = re.compile(r"^- \*\*(\d+\.\d+\.\d+)\*\* (.+)$")
_CHAPTER = re.compile(r"^## (.+)$")


@dataclass
class Clause:
    id: str
    text: dict[str, str] = field(default_factory=dict)  # language → text
    section: dict[str, str] = field(default_factory=dict)  # language → section title


def _parse(path: Path) -> Iterator[tuple[str, str, str]]:
    """(clause ID, section title, text) for each clause in one language's file."""
    section_id: str | None = None
    section_title: str | None = None
    section_text: list[str] = []
    has_items = False

    def flush() -> Iterator[tuple[str, str, str]]:
        if section_id and not has_items and section_text:
            yield section_id, section_title or "", " ".join(section_text)

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PolicyProblem(
            msg(f"无法读取制度文本（{err}）。", f"cannot read the policy text ({err})."), path.name
        ) from err
    for raw in text.splitlines():
        line = raw.strip()
        if match := _SECTION.match(line):
            yield from flush()
            section_id, section_title = match.group(1), match.group(2)
            section_text, has_items = [], False
            if "原文在此中断" in section_title or "source stops" in section_title:
                section_id = None  # the source breaks off here: no clause
        elif _CHAPTER.match(line):
            yield from flush()
            section_id, section_text, has_items = None, [], False
        elif match := _ITEM.match(line):
            has_items = True
            yield match.group(1), section_title or "", match.group(2)
        elif line and section_id and not line.startswith(">"):
            section_text.append(line)
    yield from flush()


def clauses(root: Path) -> dict[str, Clause]:
    """Every clause of the policy, in document order."""
    result: dict[str, Clause] = {}
    for lang, relative in POLICY_FILES.items():
        path = root / relative
        if not path.is_file():
            continue
        for clause_id, title, text in _parse(path):
            clause = result.setdefault(clause_id, Clause(clause_id))
            clause.text[lang] = text
            clause.section[lang] = title
    return result


def covers(clause_id: str, cited: str) -> bool:
    """Whether citing ``cited`` (a clause or a whole section like ``3.1``) covers ``clause_id``."""
    return clause_id == cited or clause_id.startswith(cited + ".")


@dataclass(frozen=True)
class FieldRef:
    """A schema property that cites a clause: ``kind:path`` and whether a record must have it.

    ``required`` holds when a record must have the property: it and every
    property above it are required, where they sit or conditionally (inside
    ``allOf``/``anyOf``/``oneOf``/``then``/``else``). A required key inside an
    optional list's items does not count: nothing makes the record keep the list.
    """

    clause: str
    kind: str
    path: str
    required: bool

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.path}"

    @property
    def leaf(self) -> str:
        return self.path.rsplit(".", 1)[-1].removesuffix("[]")


_BRANCHES = ("allOf", "anyOf", "oneOf")


def _required_paths(node: Any, where: str, found: set[str]) -> None:
    """Every property path some branch of the schema requires (the ``if`` conditions aside)."""
    if not isinstance(node, dict):
        return
    for name in node.get("required", []):
        found.add(f"{where}.{name}" if where else name)
    for name, child in node.get("properties", {}).items():
        _required_paths(child, f"{where}.{name}" if where else name, found)
    if isinstance(node.get("items"), dict):
        _required_paths(node["items"], f"{where}[]", found)
    for key in _BRANCHES:
        for branch in node.get(key, []):
            _required_paths(branch, where, found)
    for key in ("then", "else"):
        _required_paths(node.get(key), where, found)


def _all_required(where: str, required: set[str]) -> bool:
    parts = where.split(".")
    prefixes = [".".join(parts[: n + 1]) for n in range(len(parts))]
    return all(prefix.removesuffix("[]") in required for prefix in prefixes)


def schema_field_refs(root: Path, schemas_folder: str = "schemas") -> list[FieldRef]:
    """Every (clause, property) pair the record schemas cite, with whether the property is required."""
    refs: list[FieldRef] = []

    def walk(node: Any, where: str, kind: str, required: set[str]) -> None:
        if isinstance(node, dict):
            cited = node.get("x-clauses", []) if where else []
            refs.extend(FieldRef(clause, kind, where, _all_required(where, required)) for clause in cited)
            for name, child in node.get("properties", {}).items():
                walk(child, f"{where}.{name}" if where else name, kind, required)
            if isinstance(node.get("items"), dict):
                walk(node["items"], f"{where}[]", kind, required)

    for path in sorted((root / schemas_folder).glob("*.schema.json")):
        kind = path.name.removesuffix(".schema.json")
        if kind == "config":
            continue
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise SchemaProblem(
                msg(f"不是可读的 JSON（{err}）。", f"is not readable JSON ({err})."), f"{schemas_folder}/{path.name}"
            ) from err
        required: set[str] = set()
        _required_paths(schema, "", required)
        walk(schema, "", kind, required)
    return refs


def schema_fields(root: Path, schemas_folder: str = "schemas") -> dict[str, list[str]]:
    """Clause ID (as cited) → ``kind:field.path`` of every schema property that cites it."""
    result: dict[str, list[str]] = {}
    for ref in schema_field_refs(root, schemas_folder):
        result.setdefault(ref.clause, []).append(ref.name)
    return result


def trace_table(root: Path) -> dict[str, dict[str, Any]]:
    """The hand-kept part of the traceability: clauses not machine-checked, and why.

    ``schemas/clauses.yaml`` maps clause IDs to ``{status: manual|site, reason: {zh, en}}``.
    """
    parsed = loader.read(root / TRACE_FILE, 1024 * 1024)
    if isinstance(parsed, Finding):
        raise PolicyProblem(parsed.message, f"{TRACE_FILE}:{parsed.line}")
    table = parsed.data.get("clauses")
    if not isinstance(table, dict) or not all(
        isinstance(entry, dict) and isinstance(entry.get("reason"), dict) for entry in table.values()
    ):
        raise PolicyProblem(
            msg(
                "应为 clauses: 下按条款编号列出的 {status, reason: {zh, en}}。",
                "must map clause IDs under clauses: to {status, reason: {zh, en}}.",
            ),
            TRACE_FILE,
        )
    return table
