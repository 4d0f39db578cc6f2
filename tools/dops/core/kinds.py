"""The record kinds: where their files live, how their IDs look, which schema checks them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dops.core.model import Message, msg


@dataclass(frozen=True)
class Kind:
    name: str
    folder: str  # under records/
    prefix: str  # every ID of the kind starts with it
    id_pattern: re.Pattern[str]
    label: Message

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("person", "people", "EMP-", re.compile(r"EMP-[0-9]{4}\Z"), msg("人员", "person")),
        Kind("project", "projects", "PRJ-", re.compile(r"PRJ-[0-9]{4}-[0-9]{3}\Z"), msg("项目", "project")),
        Kind(
            "review", "reviews", "REV-", re.compile(r"REV-EMP-[0-9]{4}-[0-9]{4}(Q[1-4])?\Z"), msg("绩效考核", "review")
        ),
        Kind("risk", "risks", "RSK-", re.compile(r"RSK-[0-9]{4}-[0-9]{3}\Z"), msg("风险", "risk")),
        Kind("training-plan", "trainings", "TRP-", re.compile(r"TRP-[0-9]{4}\Z"), msg("年度培训计划", "training plan")),
        Kind(
            "training-session",
            "trainings",
            "TRS-",
            re.compile(r"TRS-[0-9]{4}-[0-9]{3}\Z"),
            msg("培训记录", "training session"),
        ),
    )
}

_BY_PREFIX = {kind.prefix: kind for kind in KINDS.values()}
RECORD_SUFFIXES = (".yaml", ".yml")

#: The version of the record model this dops reads. The generated schemas carry it (``VERSION_KEY``); a
#: repository whose schemas carry another was made for another dops, and its records cannot be read by
#: these rules. Raise it when a schema changes in a way the rules depend on.
SCHEMA_VERSION = 1
VERSION_KEY = "x-dops-schema-version"


def kind_of(name: object) -> Kind | None:
    """The kind whose IDs start like ``name`` (a file stem or an ID), if any."""
    return _BY_PREFIX.get(name[:4]) if isinstance(name, str) else None
