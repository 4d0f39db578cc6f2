"""Company settings (``dops.yaml``), validated against the package's own ``config.schema.json``."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dops.core import bundled
from dops.core.errors import ConfigError
from dops.core.model import Finding, Record, msg

if TYPE_CHECKING:
    from dops.core.validation import Schema

# The loader (PyYAML) and validation (jsonschema) are imported where settings are read, not here: the
# command line imports this module at start-up for CONFIG_NAME and find_root, and `dops --help` loads neither.

CONFIG_NAME = "dops.yaml"
CONFIG_SCHEMA = "config.schema.json"


@dataclass(frozen=True)
class Cadences:
    """How often the policy's "regularly" (定期) is, in days; the training plan's due date as MM-DD."""

    team_meeting_days: int
    customer_report_days: int
    superior_report_days: int
    deviation_open_days: int
    escalation_days: int
    feedback_answer_days: int
    risk_sweep_days: int
    response_check_days: int
    review_grace_days: int
    training_plan_due: str
    career_plan_grace_days: int
    rectification_grace_days: int
    training_carry_over_days: int
    due_soon_days: int


@dataclass(frozen=True)
class RiskSettings:
    focus_score: int  # likelihood × impact from which a risk is a focus risk (7.2.2)


@dataclass(frozen=True)
class Responsible:
    """Who acts on duties the policy gives to a function: person IDs (None: the head of department)."""

    hr: str | None = None


@dataclass(frozen=True)
class Owners:
    """GitHub users or teams (``@name``, ``@org/team``) written into CODEOWNERS (8.2.4)."""

    hr: tuple[str, ...] = ()
    policy: tuple[str, ...] = ()


@dataclass(frozen=True)
class Encryption:
    """Confidential values at rest (8.2.3), and who reads them beyond what the records give.

    ``required``: a confidential value in clear is an error (rule confidential-in-clear);
    ``always``: age public keys added to every encrypted file (e.g. the protected CI job's);
    ``hr`` and ``policy_owners``: person IDs, empty for the defaults (:mod:`dops.rules.recipients`).
    """

    required: bool = False
    always: tuple[str, ...] = ()
    hr: tuple[str, ...] = ()
    policy_owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """The company settings, typed; built only by :func:`load_settings` from a validated ``dops.yaml``."""

    root: Path
    language: str
    timezone: str
    records: str
    schemas: str
    max_file_kib: int
    cadences: Cadences
    risk: RiskSettings
    owners: Owners
    plan_approval: str = "superior_or_above"
    responsible: Responsible = Responsible()
    encryption: Encryption = Encryption()

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """Today's date in the company's time zone (``now``, an aware time, for tests)."""
        moment = now or dt.datetime.now(dt.UTC)
        return moment.astimezone(ZoneInfo(self.timezone)).date()

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
        """A cadence in days by its name in ``dops.yaml`` (``team_meeting_days``)."""
        value = getattr(self.cadences, name, None)
        if not isinstance(value, int):
            raise KeyError(f"no cadence in days called {name!r}")
        return value

    @property
    def focus_score(self) -> int:
        return self.risk.focus_score

    @property
    def hr_owners(self) -> list[str]:
        """GitHub users or teams (``@name``, ``@org/team``) who own people records and co-own appraisals."""
        return list(self.owners.hr)

    @property
    def policy_owners(self) -> list[str]:
        """GitHub users or teams who own the policy, schemas, rules and settings."""
        return list(self.owners.policy)

    def training_plan_due(self, year: int) -> dt.date:
        month, day = (int(part) for part in self.cadences.training_plan_due.split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError:  # 02-29 in a common year
            return dt.date(year, month, 28)


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``dops.yaml``.

    Whatever the ``dops.yaml`` is: a named pipe or a folder by that name is this repository's settings
    gone wrong, which :func:`load_settings` reports as not a regular file (it is looked at, never
    opened), rather than a reason to look further up or to say there is no ``dops.yaml``.
    """
    for folder in (start, *start.parents):
        try:
            (folder / CONFIG_NAME).stat()
        except OSError:  # none here (or a link to nothing, or a folder we may not look into)
            continue
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
        merged[key] = (
            _merge(defaults[key], value) if isinstance(value, dict) and isinstance(defaults.get(key), dict) else value
        )
    return merged


def _problem(finding: Finding, display: str) -> ConfigError:
    return ConfigError(finding.message, f"{display}:{finding.line}:{finding.column}")


def _known_timezone(name: str, where: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            msg(
                f"时区（timezone）“{name}” 不是已知的 IANA 时区名称，例如 Asia/Shanghai 或 UTC。",
                f"The time zone (timezone) '{name}' is not a known IANA name such as Asia/Shanghai or UTC.",
            ),
            where,
        ) from None
    return name


def config_schema() -> Schema:
    """The settings' schema as this dops understands them: shipped with the package, never the repository's.

    The settings describe what the code reads, so they are checked against the code's own copy; a
    ``dops.yaml`` written for another version gets findings at its lines, never a crash.
    """
    from dops.core.validation import load_schema

    return load_schema(bundled.path("schemas", CONFIG_SCHEMA), f"dops/{CONFIG_SCHEMA}")


def load_settings(root: Path, config_file: Path | None = None, use_cache: bool = True) -> Settings:
    """Read the settings at ``root`` (or ``config_file``); defaults fill what is missing.

    Raises :class:`ConfigError` with a file:line message when the file cannot be used. Settings that
    were valid before are taken from the cache (:mod:`dops.core.cache`) when the file's bytes, its place
    and the checker are the same: reading them costs more than the YAML and the schema check, it loads
    them.
    """
    from dops.core import cache

    path = config_file or root / CONFIG_NAME
    content = cache.file_bytes(path)
    # A file that is there but cannot be read as one (a pipe, a folder) is for the loader to report.
    folder = cache.folder() if use_cache and (content is not None or not os.path.lexists(path)) else None
    store = cache.Store(folder, cache.digest("settings", cache.tool_key())) if folder is not None else None
    marked = b"-" if content is None else b"+" + content  # no file is not an empty file
    key = cache.digest(str(root), str(config_file), marked) if store is not None else ""
    kept = store.get_one(key) if store is not None else None
    if isinstance(kept, Settings):
        return kept
    settings = _load_settings(root, path, config_file)
    if store is not None:
        store.put_one(key, settings)
    return settings


def _load_settings(root: Path, path: Path, config_file: Path | None) -> Settings:
    from dops.core import loader
    from dops.core.validation import validate

    display = path.name if config_file is None else str(config_file)
    schema = config_schema()
    given: dict[str, Any] = {}
    where = display
    if path.exists():
        parsed = loader.read(path, 256 * 1024)
        if isinstance(parsed, Finding):
            raise _problem(parsed, display)
        record = Record(kind="config", id=CONFIG_NAME, file=display, data=parsed.data, lines=parsed.lines)
        line, column = record.at(("timezone",))
        where = f"{display}:{line}:{column}"
        problems = sorted(validate(record, schema), key=Finding.sort_key)
        if problems:
            first, *more = (_problem(p, display) for p in problems)
            raise ConfigError(first.message, first.where, more=more)
        given = parsed.data
    values = _merge(_defaults(schema.root), given)
    return Settings(
        root=root,
        language=values["language"],
        timezone=_known_timezone(values["timezone"], where),
        records=values["records"],
        schemas=values["schemas"],
        max_file_kib=values["max_file_kib"],
        cadences=Cadences(**values["cadences"]),
        risk=RiskSettings(**values["risk"]),
        owners=Owners(hr=tuple(values["owners"].get("hr", ())), policy=tuple(values["owners"].get("policy", ()))),
        plan_approval=values["plan_approval"],
        responsible=Responsible(hr=values.get("responsible", {}).get("hr")),
        encryption=Encryption(
            required=values["encryption"]["required"],
            always=tuple(values["encryption"].get("always", ())),
            hr=tuple(values["encryption"].get("hr", ())),
            policy_owners=tuple(values["encryption"].get("policy_owners", ())),
        ),
    )
