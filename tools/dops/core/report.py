"""What a check found, as its reports read it: findings, obligations and counts, without the records.

:class:`Report` is what the cache keeps of a run and what ``dops check`` prints from; the full
:class:`~dops.rules.engine.Result` adds the records and their index. A gated check
(``--changed-since``) is a :class:`GateResult`. Kept in the core, so that printing a report kept in
the cache loads no rule.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TypedDict

from dops.core.model import Finding, Message, Obligation


class Summary(TypedDict):
    """A run's counts, as the JSON reports give them."""

    files: int
    records: int
    errors: int
    warnings: int
    as_of: str
    by_rule: dict[str, int]


class Outcome:
    """What every check outcome answers from its findings and obligations."""

    findings: tuple[Finding, ...]
    files: int
    as_of: dt.date
    obligations: tuple[Obligation, ...]
    pre_existing: tuple[Finding, ...]

    @property
    def record_count(self) -> int:
        raise NotImplementedError

    def open_obligations(self, days: int | None = None) -> list[Obligation]:
        """Not met yet and dated: every overdue one, and those pending that fall due within ``days`` (all if None).

        Earliest due date first. What the status overview, the dashboard and the calendar list as "due".
        """
        horizon = self.as_of + dt.timedelta(days=days) if days is not None else dt.date.max
        found = [
            o
            for o in self.obligations
            if o.due is not None
            and (o.state == "overdue" or (o.state in ("due_soon", "not_yet_due") and o.due <= horizon))
        ]
        return sorted(found, key=lambda o: (o.due or dt.date.max, o.record, o.key))

    def done_late(self) -> list[Obligation]:
        """Violated obligations reported as warnings: lapses that can no longer be made good, earliest first."""
        late = {f.obligation for f in self.findings if f.state == "violated" and f.severity == "warning"}
        found = [o for o in self.obligations if o.key in late]
        return sorted(found, key=lambda o: (o.due or dt.date.max, o.record, o.key))

    def owed_by(self, person_id: str) -> list[Obligation]:
        """What ``person_id`` must act on and has not: lapsed first, then by due date."""
        return sorted((o for o in self.obligations if o.owner == person_id and _open(o)), key=Obligation.sort_key)

    def owed(self) -> dict[str, list[Obligation]]:
        """What each person must act on and has not, as :meth:`owed_by` gives it, in one pass for everyone."""
        found: dict[str, list[Obligation]] = defaultdict(list)
        for obligation in self.obligations:
            if obligation.owner and _open(obligation):
                found[obligation.owner].append(obligation)
        return {owner: sorted(items, key=Obligation.sort_key) for owner, items in found.items()}

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def exit_code(self, strict: bool = False) -> int:
        """0 compliant, 1 non-compliant (errors, or warnings under --strict)."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def summary(self) -> Summary:
        return {
            "files": self.files,
            "records": self.record_count,
            "errors": self.errors,
            "warnings": self.warnings,
            "as_of": self.as_of.isoformat(),
            "by_rule": dict(sorted(Counter(f.rule for f in self.findings).items())),
        }


@dataclass(frozen=True)
class Report(Outcome):
    """A check's findings without its records: what ``dops check``'s reports read, and what the cache keeps."""

    findings: tuple[Finding, ...]
    files: int
    as_of: dt.date
    record_total: int
    obligations: tuple[Obligation, ...] = ()
    pre_existing: tuple[Finding, ...] = ()

    @property
    def record_count(self) -> int:
        return self.record_total


class GateSummary(Summary):
    """The summary of a gated check: what it compared with."""

    pre_existing: int
    changed_since: str
    merge_base: str
    changed_files: int
    compared_with_base: bool


@dataclass(frozen=True)
class GateResult(Report):
    """A check result split by the gate: ``findings`` block, ``pre_existing`` do not."""

    changed_since: str = ""
    merge_base: str = ""
    changed: tuple[str, ...] = ()
    compared: bool = True  # False: every finding was judged as new (see ``note``)
    note: Message | None = None

    def summary(self) -> GateSummary:
        return {
            **super().summary(),
            "pre_existing": len(self.pre_existing),
            "changed_since": self.changed_since,
            "merge_base": self.merge_base,
            "changed_files": len(self.changed),
            "compared_with_base": self.compared,
        }


__all__ = ["GateResult", "GateSummary", "Outcome", "Report", "Summary"]


def _open(obligation: Obligation) -> bool:
    """Still to act on: neither met nor beside the point."""
    return obligation.state not in ("met", "not_applicable")
