"""Company settings (``dops.yaml``), validated against ``schemas/config.schema.json``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dops.core import loader
from dops.core.errors import ConfigError, DopsError, SchemaProblem
from dops.core.model import Finding, Record
from dops.core.validation import load_schema, validate

CONFIG_NAME = "dops.yaml"
CONFIG_SCHEMA = "config.schema.json"


@dataclass(frozen=True)
class Settings:
    root: Path
    language: str = "zh"
    records: str = "records"
    schemas: str = "schemas"
    max_file_kib: int = 256
    cadences: dict[str, Any] = field(default_factory=dict)
    risk: dict[str, Any] = field(default_factory=dict)
    owners: dict[str, list[str]] = field(default_factory=dict)

    @property
    def records_dir(self) -> Path:
        return self.root / self.records

    @property
    def schemas_dir(self) -> Path:
        return self.root / self.schemas

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_kib * 1024

    def cadence(self, name: str) -> int:
        return self.cadences[name]

    @property
    def focus_score(self) -> int:
        return self.risk["focus_score"]

    @property
    def hr_owners(self) -> list[str]:
        """GitHub users or teams (``@name``, ``@org/team``) who own people records and co-own appraisals."""
        return list(self.owners.get("hr", []))

    @property
    def policy_owners(self) -> list[str]:
        """GitHub users or teams who own the policy, schemas, rules and settings."""
        return list(self.owners.get("policy", []))

    def training_plan_due(self, year: int) -> dt.date:
        month, day = (int(part) for part in self.cadences["training_plan_due"].split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError:  # 02-29 in a common year
            return dt.date(year, month, 28)


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``dops.yaml``."""
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def _defaults(schema: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        if prop.get("type") == "object":
            result[name] = _defaults(prop)
        elif "default" in prop:
            result[name] = prop["default"]
    return result


def _merge(defaults: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    merged = dict(defaults)
    for key, value in given.items():
        merged[key] = _merge(defaults[key], value) if isinstance(value, dict) and isinstance(defaults.get(key), dict) else value
    return merged


def _problem(finding: Finding, display: str) -> ConfigError:
    return ConfigError(finding.message, f"{display}:{finding.line}:{finding.column}")


def load_settings(root: Path, config_file: Path | None = None) -> Settings:
    """Read the settings at ``root`` (or ``config_file``); defaults fill what is missing.

    Raises :class:`ConfigError` with a file:line message when the file or the
    schemas folder it names cannot be used.
    """
    path = config_file or root / CONFIG_NAME
    display = path.name if config_file is None else str(config_file)
    given: dict[str, Any] = {}
    doc: loader.Document | None = None
    if path.exists():
        parsed = loader.read(path, 256 * 1024)
        if isinstance(parsed, Finding):
            raise _problem(parsed, display)
        doc = parsed
        given = parsed.data
    schema_dir = root / str(given.get("schemas", "schemas"))
    try:
        schema = load_schema(schema_dir / CONFIG_SCHEMA, f"{given.get('schemas', 'schemas')}/{CONFIG_SCHEMA}")
    except SchemaProblem as err:
        raise ConfigError(err.message, err.where) from err
    if doc is not None:
        record = Record(kind="config", id=CONFIG_NAME, file=display, data=doc.data, lines=doc.lines)
        problems = sorted(validate(record, schema), key=Finding.sort_key)
        if problems:
            first, *more = (_problem(p, display) for p in problems)
            raise ConfigError(first.message, first.where, more=list[DopsError](more))
    values = _merge(_defaults(schema.root), given)
    return Settings(root=root, **values)
