"""One error model for every command.

Three kinds of trouble, each with its exit code (README.md, "Exit codes"):

* :class:`RecordsError` — the records themselves break the policy or a generated
  file is out of date (1). Ordinary findings are *results*, not exceptions; this
  is for commands whose whole answer is "not compliant".
* :class:`UsageError` — a bad option, an invalid ``dops.yaml``, a missing or broken
  schema, policy text or clause list, git refusing (2). Subclasses name the part.
* :class:`InternalError` — a bug in dops (3).

Every exception carries a bilingual :class:`Message` and, where known, the file and
line at fault, and prints as one line per problem. The command line maps them to
exit codes in exactly one place (:class:`dops.cli.DopsGroup`); anything else that
escapes is an internal error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from dops.core.model import Message, msg

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class DopsError(Exception):
    """A problem dops explains to a person: a message in both languages, and where it is."""

    exit_code: ClassVar[int] = EXIT_USAGE
    label: ClassVar[Message] = msg("错误", "error")

    def __init__(self, message: Message | str, where: str | None = None) -> None:
        self.message = message if isinstance(message, Message) else msg(message, message)
        self.where = where  # "file" or "file:line"
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """``where: 中文 / English`` on one line (line breaks inside the texts become spaces)."""
        zh, en = (" ".join(text.split()) for text in self.message)
        text = zh if zh == en else f"{zh} / {en}"
        return f"{self.where}: {text}" if self.where else text

    def lines(self) -> list[str]:
        """What the command line prints: one line per problem."""
        return [self.one_line()]


class RecordsError(DopsError):
    """The records (or a file generated from them) are not compliant: exit 1."""

    exit_code = EXIT_FINDINGS
    label = msg("不合规", "not compliant")


class UsageError(DopsError):
    """A bad option or a repository dops cannot use as it is: exit 2."""

    label = msg("用法错误", "usage error")


class ConfigError(UsageError):
    """The settings (``dops.yaml``) cannot be used."""

    label = msg("配置错误", "configuration error")

    def __init__(self, message: Message | str, where: str | None = None, more: Sequence[DopsError] = ()) -> None:
        super().__init__(message, where)
        self.more = list(more)

    def lines(self) -> list[str]:
        return [self.one_line(), *(problem.one_line() for problem in self.more)]


class SchemaProblem(UsageError):
    """A schema file is missing, unreadable, not a valid JSON Schema, or too old for this dops."""

    label = msg("模式错误", "schema error")


class PolicyProblem(UsageError):
    """The policy text or the clause list (``schemas/clauses.yaml``) cannot be read."""

    label = msg("制度文本错误", "policy text error")


class InternalError(DopsError):
    """A bug in dops, not in the records: exit 3, and please report it."""

    exit_code = EXIT_INTERNAL
    label = msg("内部错误", "internal error")


__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_USAGE",
    "ConfigError",
    "DopsError",
    "InternalError",
    "PolicyProblem",
    "RecordsError",
    "SchemaProblem",
    "UsageError",
]
