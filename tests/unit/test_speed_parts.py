"""The fast paths of a check give exactly the answers of the slow ones.

jsonschema-rs decides valid / invalid first and jsonschema writes the messages only for the records
it calls invalid (``validate(..., fast=True)``). That is only right if jsonschema-rs never accepts a
record jsonschema rejects: these tests run both on the sample department, on every record of the
rule cases and on records broken on purpose, leaf by leaf, and compare the findings exactly.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from dops.core import loader
from dops.core.kinds import KINDS, kind_of
from dops.core.model import Record
from dops.core.validation import Schema, _fast_validator, load_schema, validate

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "tests" / "rules"

# Values a person (or a fuzzer) may put anywhere, chosen where jsonschema-rs and jsonschema could part:
# white space Python counts and ECMAScript does not, a newline before "$", non-finite and huge
# numbers, 1.0 for an integer, a lone surrogate, impossible dates, a repeated item.
HOSTILE: list[Any] = [
    None,
    "",
    " ",
    "\x1c",
    "\x1f",
    "\x85",
    "\u3000",
    "\ufeff",
    "2025\n",
    "EMP-0001\n",
    "2026-02-30",
    "9999-01-01",
    "2026-1-5",
    "\ud800",
    math.nan,
    math.inf,
    -math.inf,
    10**100,
    -1,
    1.0,
    0.5,
    True,
    [],
    {},
    ["a", "a"],
    [{"a": 1}, {"a": 1.0}],
    [1, True],
]


@pytest.fixture(scope="module")
def schemas() -> dict[str, Schema]:
    return {name: load_schema(REPO / "schemas" / kind.schema_file, kind.schema_file) for name, kind in KINDS.items()}


def _record(name: str, text: str) -> Record | None:
    parsed = loader.parse(text.encode("utf-8"), 1 << 20)
    if not isinstance(parsed, loader.Document):
        return None
    parsed.data.pop("sops", None)  # the metadata block of an encrypted record, as the engine takes it out
    kind = kind_of(name.rsplit("/", 1)[-1]) or kind_of(parsed.data.get("id"))
    if kind is None:
        return None
    return Record(kind=kind.name, id=str(parsed.data.get("id")), file=name, data=parsed.data, lines=parsed.lines)


def _all_records() -> Iterator[tuple[str, str]]:
    for path in sorted((REPO / "records").rglob("*.yaml")):
        yield path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8")
    yield from yaml.safe_load((RULES / "world.yaml").read_text(encoding="utf-8")).items()
    for path in sorted((RULES / "cases").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, case in enumerate(spec["cases"]):
            for name, text in case.get("records", {}).items():
                yield f"{path.stem}#{number}:{name}", text


def _same(record: Record, schema: Schema) -> bool:
    fast = list(validate(record, schema, fast=True))
    slow = list(validate(record, schema, fast=False))
    assert fast == slow, (record.file, record.data)
    return not slow


def test_every_bundled_schema_has_the_fast_pass(schemas):
    assert all(schema.fast is not None for schema in schemas.values())


def test_samples_and_rule_cases_give_the_same_findings(schemas):
    valid = invalid = 0
    for name, text in _all_records():
        record = _record(name, text)
        if record is None:
            continue
        if _same(record, schemas[record.kind]):
            valid += 1
        else:
            invalid += 1
    assert valid > 200 and invalid > 0, (valid, invalid)  # both sides of the first pass were taken


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:2]):  # the first two items stand for the rest
            yield from _leaves(value, (*path, index))


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    node = changed
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return changed


def _one_sample_per_kind() -> list[Path]:
    chosen: dict[str, Path] = {}
    for path in sorted((REPO / "records").rglob("*.yaml")):
        kind = kind_of(path.stem)
        if kind is not None and (kind.name not in chosen or path.stat().st_size > chosen[kind.name].stat().st_size):
            chosen[kind.name] = path  # the largest record of each kind: the most fields to break
    return sorted(chosen.values())


@pytest.mark.parametrize("path", _one_sample_per_kind(), ids=lambda p: p.stem)
def test_every_field_broken_in_every_way_gives_the_same_findings(schemas, path):
    record = _record(path.name, path.read_text(encoding="utf-8"))
    assert record is not None
    schema = schemas[record.kind]
    broken = 0
    leaves = list(_leaves(record.data))
    each = max(2, 120 // len(leaves))
    for number, leaf in enumerate(leaves):
        # Each field gets a few of the hostile values in turn (every value still reaches every kind of
        # record; the whole square would take minutes), and is removed once.
        for value in (HOSTILE * 2)[number % len(HOSTILE) :][:each]:
            changed = Record(record.kind, record.id, record.file, _replaced(record.data, leaf, value), record.lines)
            broken += not _same(changed, schema)
        removed = _replaced(record.data, leaf, None)
        parent = removed
        for step in leaf[:-1]:
            parent = parent[step]
        del parent[leaf[-1]]
        _same(Record(record.kind, record.id, record.file, removed, record.lines), schema)
    assert broken > 20


@pytest.mark.parametrize(
    "pattern",
    ["\\S", "^[^@\\s]+@[^@\\s]+$", "^EMP-[0-9]{4}$", "^[0-9]{4}(Q[1-4])?$", "^[0-9+\\- ]{5,20}$"],
)
def test_patterns_are_never_more_lenient_than_python(pattern):
    """Every character, alone and inside a value the pattern would take: jsonschema-rs rejects what re rejects."""
    from jsonschema import Draft202012Validator

    schema = {"type": "string", "pattern": pattern}
    fast = _fast_validator(schema)
    assert fast is not None
    slow = Draft202012Validator(schema)
    lenient = [
        ascii(value)
        for code in range(0x3100)
        for value in (chr(code), "a" + chr(code), chr(code) + "@x", "EMP-000" + chr(code), "2026" + chr(code))
        if fast(value) and not slow.is_valid(value)
    ]
    assert not lenient


def test_a_pattern_with_an_escape_that_may_differ_gets_no_fast_pass():
    assert _fast_validator({"type": "string", "pattern": "^\\d+$"}) is None
    assert _fast_validator({"type": "string", "pattern": "^\\w+$"}) is None
    assert _fast_validator({"type": "string", "pattern": "^[\\S]+$"}) is None


def test_a_value_jsonschema_rs_cannot_take_falls_back_to_jsonschema(schemas):
    record = _record("records/people/EMP-0001.yaml", (REPO / "records/people/EMP-0001.yaml").read_text("utf-8"))
    assert record is not None
    record.data["name"] = "\ud800"  # a lone surrogate cannot be encoded for Rust; jsonschema takes it
    assert _same(record, schemas["person"])
