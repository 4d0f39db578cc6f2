"""Plain data shared by the loader, the schemas, the rules and the reporters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

#: A location inside a record: keys and list indexes from the top, e.g. ("team", 2, "person").
Path = tuple[str | int, ...]

SEVERITIES = ("error", "warning", "notice")  # a notice informs and never fails a check
LANGUAGES = ("zh", "en")

#: The states of an obligation, in the order a reader cares about them.
STATES = ("violated", "overdue", "due_soon", "not_yet_due", "met", "not_applicable")
#: States that count as "not done and should have been": a finding says so.
LAPSED = ("violated", "overdue")
#: States still to be done in time.
PENDING = ("due_soon", "not_yet_due")
STATE_NAMES: dict[str, tuple[str, str]] = {
    "violated": ("违反", "violated"),
    "overdue": ("逾期", "overdue"),
    "due_soon": ("即将到期", "due soon"),
    "not_yet_due": ("未到期", "not yet due"),
    "met": ("已履行", "met"),
    "not_applicable": ("不适用", "not applicable"),
}


class Message(NamedTuple):
    """A user-facing message in both languages; the reporter picks one."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def msg(zh: str, en: str) -> Message:
    return Message(zh, en)


@dataclass(frozen=True)
class Finding:
    """One problem found in one record, at one place.

    ``related_file``/``related_line`` name the other side of a cross-record
    finding (the person record whose superior was expected, the first of two
    duplicate keys, ...).
    """

    rule: str
    clauses: tuple[str, ...]
    severity: str
    file: str
    line: int
    column: int
    record: str | None
    message: Message
    related_file: str | None = None
    related_line: int | None = None
    related_record: str | None = None
    # From the obligation behind the finding (none for a record-integrity finding).
    obligation: str | None = None  # the obligation's key
    state: str | None = None  # violated or overdue
    owner: str | None = None  # the person ID who must act
    owner_name: str | None = None
    due: dt.date | None = None
    # The one finding that stands for the findings of its rule in its file left out of the report (at the
    # first of them): it sorts after every finding of that rule at its place, hence after all those listed.
    summary: bool = False

    def sort_key(self) -> tuple[str, int, int, str, bool, str]:
        return (self.file, self.line, self.column, self.rule, self.summary, self.message.en)

    def to_json(self, lang: str) -> dict[str, Any]:
        """The finding as the JSON reports give it (README.md, "JSON output"), in one language."""
        related = None
        if self.related_file:
            related = {"file": self.related_file, "line": self.related_line, "record": self.related_record}
        return {
            "rule": self.rule,
            "clauses": list(self.clauses),
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "record": self.record,
            "message": self.message.get(lang),
            "related": related,
            "obligation": self.obligation,
            "state": self.state,
            "owner": self.owner,
            "owner_name": self.owner_name,
            "due": self.due.isoformat() if self.due else None,
        }


@dataclass(frozen=True)
class Obligation:
    """One duty the policy places, derived from the records as of a date: computed once, read by every output.

    ``key`` (rule, record, subject) stays the same from run to run while the
    duty lasts, even when its due date moves. ``note`` says why it is not
    applicable, or what is wrong when it is violated or overdue.
    """

    rule: str
    clauses: tuple[str, ...]
    record: str
    kind: str
    file: str
    line: int
    subject: str
    what: Message
    owner: str | None
    owner_name: str | None
    due: dt.date | None
    state: str
    note: Message | None = None
    category: str = ""

    @property
    def key(self) -> str:
        return f"{self.rule}:{self.record}:{self.subject}"

    @property
    def lapsed(self) -> bool:
        return self.state in LAPSED

    @property
    def applicable(self) -> bool:
        return self.state != "not_applicable"

    def sort_key(self) -> tuple[int, dt.date, str, str]:
        """Worst state first, then earliest due date."""
        return (STATES.index(self.state), self.due or dt.date.max, self.record, self.key)

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "key": self.key,
            "rule": self.rule,
            "clauses": list(self.clauses),
            "record": self.record,
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "subject": self.subject,
            "what": self.what.get(lang),
            "owner": self.owner,
            "owner_name": self.owner_name,
            "due": self.due.isoformat() if self.due else None,
            "state": self.state,
            "note": self.note.get(lang) if self.note else None,
            "category": self.category,
        }


@dataclass
class Record:
    """One parsed record file.

    ``data`` is plain JSON-like data; ``lines`` maps each key or item path to
    its (line, column) in the file. ``valid`` is set once the record passed
    its schema: rules read only valid records' data.

    ``sealed`` is the file's ``sops:`` metadata block (8.2.3), taken out of
    ``data``, or None for a file without one. ``locked`` is True while ``data``
    still holds confidential values as ``ENC[...]`` strings (no key could open
    them): rules that read confidential values skip such a record. ``opened``
    names the values a key decrypted, so that a rule can still tell them from
    values written in clear.
    """

    kind: str
    id: str
    file: str  # repo-relative, forward slashes
    data: dict[str, Any]
    lines: dict[Path, tuple[int, int]] = field(default_factory=dict)
    valid: bool = False
    sealed: dict[str, Any] | None = None
    locked: bool = False
    opened: frozenset[Path] = frozenset()  # the values a key decrypted in memory: they were stored encrypted

    def at(self, path: Path) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that exists."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, (1, 1))

    def line(self, path: Path) -> int:
        return self.at(path)[0]

    def get(self, *path: str | int, default: Any = None) -> Any:
        value: Any = self.data
        for step in path:
            if not isinstance(step, (str, int)):  # a default passed positionally, e.g. get("roles", [])
                raise TypeError(f"path steps are keys or indexes, not {step!r}; pass default= by keyword")
            try:
                value = value[step]
            except (KeyError, IndexError, TypeError):
                return default
        return default if value is None else value
