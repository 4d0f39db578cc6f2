"""Plain data shared by the loader, the schemas, the rules and the reporters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

#: A location inside a record: keys and list indexes from the top, e.g. ("team", 2, "person").
Path = tuple[str | int, ...]

SEVERITIES = ("error", "warning")
LANGUAGES = ("zh", "en")


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

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message.en)

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
        }


@dataclass
class Record:
    """One parsed record file.

    ``data`` is plain JSON-like data; ``lines`` maps each key or item path to
    its (line, column) in the file. ``valid`` is set once the record passed
    its schema: rules read only valid records' data.
    """

    kind: str
    id: str
    file: str  # repo-relative, forward slashes
    data: dict[str, Any]
    lines: dict[Path, tuple[int, int]] = field(default_factory=dict)
    valid: bool = False

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
