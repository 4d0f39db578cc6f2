"""What every rule module gets: the index of all records, the settings, "today".

A rule module declares ``ID``, ``CLAUSES``, ``SEVERITY``, ``TITLE`` and ``DOC_ZH`` and
defines either ``check(record, ctx)`` (called for each schema-valid record of
the ``KINDS`` it names) or ``check_all(ctx)`` (called once). A policy rule yields
:class:`Duty` objects: every duty it finds in the records, met or not, with who
must act and by when. The engine turns each into an obligation with its state
and derives the findings from the lapsed ones. Only record-integrity rules
(``INTEGRITY = True``: syntax, IDs, schema, references) yield bare
:class:`Problem` objects, which become findings directly. A rule that reads a
confidential value (a score, an outcome, a budget, a contact: ``x-confidential``
in the schemas) declares ``CONFIDENTIAL = True``: the site then shows its findings
as a neutral text, and the engine skips it for a record whose confidential values
are still encrypted (``Record.locked``: no key opened them), which a notice says
once per rule. The module docstring is the rule's documentation:
what it enforces, why, a failing and a passing example; ``DOC_ZH`` is the
same in Chinese, with the same examples.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from dops.core.config import Settings
from dops.core.model import Message, Path, Record, msg


@dataclass(frozen=True)
class Problem:
    """A rule's raw result: which record, where in it, and what is wrong."""

    record: Record
    path: Path
    message: Message
    related: Record | None = None
    related_path: Path = ()
    clauses: tuple[str, ...] | None = None  # narrower than the rule's, when it helps


#: What a rule says of a duty; the engine turns "open" into overdue, due soon or not yet due by the date.
DUTY_STATUSES = ("met", "open", "violated", "not_applicable")


@dataclass(frozen=True)
class Duty:
    """A rule's raw obligation: what the records oblige someone to do, and how it stands.

    ``subject`` names the duty within its record and stays the same while the
    duty lasts (a period, a milestone's ID, "kickoff"); ``owner`` is the ID of
    the person who must act. A violated duty carries one :class:`Problem` per
    finding; an open one carries the problems to report once it is overdue.
    ``severity`` overrides the rule's for a violated duty (a lapse that can no
    longer be made good is a warning, not a block on every later change).
    """

    record: Record
    path: Path
    subject: str
    what: Message
    owner: str | None
    status: str
    due: dt.date | None = None
    problems: tuple[Problem, ...] = ()
    why_not: Message | None = None
    clauses: tuple[str, ...] | None = None
    category: str = ""
    severity: str | None = None


def duty(
    record: Record,
    path: Path,
    subject: str,
    what: Message,
    owner: str | None,
    problems: Iterable[Problem] = (),
    *,
    due: dt.date | None = None,
    clauses: tuple[str, ...] | None = None,
    category: str = "",
    severity: str | None = None,
) -> Duty:
    """A duty judged by the record alone: met without ``problems``, violated with them."""
    found = tuple(problems)
    return Duty(
        record,
        path,
        subject,
        what,
        owner,
        "violated" if found else "met",
        due=due,
        problems=found,
        clauses=clauses,
        category=category,
        severity=severity,
    )


def pending(
    record: Record,
    path: Path,
    subject: str,
    what: Message,
    owner: str | None,
    due: dt.date,
    late: Message | Problem | Iterable[Problem],
    *,
    clauses: tuple[str, ...] | None = None,
    category: str = "",
) -> Duty:
    """A duty not done yet that falls due on ``due``: ``late`` is what to report once that day has passed."""
    if isinstance(late, Message):
        problems: tuple[Problem, ...] = (Problem(record, path, late),)
    elif isinstance(late, Problem):
        problems = (late,)
    else:
        problems = tuple(late)
    return Duty(
        record, path, subject, what, owner, "open", due=due, problems=problems, clauses=clauses, category=category
    )


def not_applicable(
    record: Record,
    path: Path,
    subject: str,
    what: Message,
    why: Message,
    owner: str | None = None,
    *,
    clauses: tuple[str, ...] | None = None,
) -> Duty:
    """A duty the clause would place that does not apply to this record, and why."""
    return Duty(record, path, subject, what, owner, "not_applicable", why_not=why, clauses=clauses)


def strings(value: Any, test: Callable[[str], object], path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every string under ``value`` that passes ``test``, with its path.

    Rules that look at every string of every record (placeholders, references) call this for each
    record on each check: leaves are tested in their parent's loop, and a path is built only for a
    container and for a string that passes.
    """
    if value.__class__ is str:
        if test(value):
            yield path, value
        return
    items: Iterable[tuple[Any, Any]]
    if value.__class__ is dict:
        items = value.items()
    elif value.__class__ is list:
        items = enumerate(value)
    else:
        return
    for key, child in items:
        kind = child.__class__
        if kind is str:
            if test(child):
                yield (*path, key), child
        elif kind is dict or kind is list:
            yield from strings(child, test, (*path, key))


def date(value: object) -> dt.date | None:
    """A schema-checked ISO date string as a date; None for anything else."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


_PHASES = {"initiation": "启动阶段", "execution": "执行阶段", "monitoring": "监控阶段", "acceptance": "验收阶段"}
_ROLES = {
    "project_manager": "项目经理",
    "project_specialist": "项目专员",
    "operations_support": "运营支持人员",
    "department_head": "部门负责人",
}


def phase_reached(phase: str) -> Message:
    """What a project in ``phase`` has reached, to follow "项目" / "The project": 已进入执行阶段（execution）."""
    if phase == "closed":
        return msg("已关闭（closed）", "is closed")
    return msg(f"已进入{_PHASES.get(phase, phase)}（{phase}）", f"is in phase {phase}")


def role_name(role: str) -> Message:
    """A role for a sentence: 项目专员（project_specialist） / project_specialist."""
    return msg(f"{_ROLES[role]}（{role}）", role) if role in _ROLES else msg(role, role)


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``2026Q3`` or ``2026``."""
    year = int(period[:4])
    if len(period) == 4:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    quarter = int(period[5])
    start = dt.date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    end = dt.date(year + (end_month == 12), end_month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


class Index:
    """Every record, indexed once so that no rule needs to scan the others."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.records = list(records)
        self.by_id: dict[str, Record] = {}
        self.duplicates: dict[str, list[Record]] = defaultdict(list)
        self._valid: dict[str, list[Record]] = defaultdict(list)
        for record in self.records:
            if record.id in self.by_id:
                # A second file with an ID already taken: duplicate-id reports it; the rules read the first.
                self.duplicates[record.id].append(record)
                continue
            self.by_id[record.id] = record
            if record.valid:
                self._valid[record.kind].append(record)

    def valid(self, kind: str) -> list[Record]:
        """Schema-valid records of one kind, in file order; of two files with one ID, the first."""
        return self._valid.get(kind, [])

    def exists(self, record_id: str) -> bool:
        return record_id in self.by_id

    def get(self, record_id: object, kind: str | None = None) -> Record | None:
        """The schema-valid record with this ID (and kind), or None."""
        record = self.by_id.get(record_id) if isinstance(record_id, str) else None
        if record is None or not record.valid or (kind is not None and record.kind != kind):
            return None
        return record

    @cached_property
    def plan_items(self) -> dict[str, tuple[Record, int]]:
        """``TRP-2026/T03`` → (plan record, index of the item)."""
        items: dict[str, tuple[Record, int]] = {}
        for plan in self.valid("training-plan"):
            for index, item in enumerate(plan.data.get("items", [])):
                items.setdefault(f"{plan.id}/{item['id']}", (plan, index))
        return items

    @cached_property
    def memberships(self) -> dict[str, list[tuple[Record, int]]]:
        """Person ID → [(project, index in its team list)]."""
        result: dict[str, list[tuple[Record, int]]] = defaultdict(list)
        for project in self.valid("project"):
            for index, member in enumerate(project.data.get("team", [])):
                result[member["person"]].append((project, index))
        return result

    @cached_property
    def managed(self) -> dict[str, list[Record]]:
        """Person ID → projects they manage."""
        result: dict[str, list[Record]] = defaultdict(list)
        for project in self.valid("project"):
            result[project.data["manager"]].append(project)
        return result

    @cached_property
    def reviews(self) -> dict[tuple[str, str], Record]:
        """(person ID, period) → the review record."""
        result: dict[tuple[str, str], Record] = {}
        for review in self.valid("review"):
            result.setdefault((review.data["person"], review.data["period"]), review)
        return result

    @cached_property
    def risks_by_project(self) -> dict[str, list[Record]]:
        result: dict[str, list[Record]] = defaultdict(list)
        for risk in self.valid("risk"):
            if risk.data.get("project"):
                result[risk.data["project"]].append(risk)
        return result

    @cached_property
    def sessions_by_item(self) -> dict[str, list[Record]]:
        """Plan item reference → sessions that deliver it."""
        result: dict[str, list[Record]] = defaultdict(list)
        for session in self.valid("training-session"):
            result[session.data["plan_item"]].append(session)
        return result

    @cached_property
    def sessions_by_person(self) -> dict[str, list[tuple[Record, int]]]:
        """Person ID → [(session, index in attendees)]."""
        result: dict[str, list[tuple[Record, int]]] = defaultdict(list)
        for session in self.valid("training-session"):
            for index, attendee in enumerate(session.data["attendees"]):
                result[attendee["person"]].append((session, index))
        return result


@dataclass(eq=False)
class Context:
    """Everything a rule may read. Rules never write."""

    index: Index
    settings: Settings
    as_of: dt.date
    config: Record  # dops.yaml, for findings about a setting (e.g. a deadline it sets)

    @property
    def soon(self) -> dt.timedelta:
        """How far ahead an open duty counts as "due soon" (``cadences.due_soon_days``)."""
        return dt.timedelta(days=self.settings.cadences.due_soon_days)

    @cached_property
    def department_head(self) -> str | None:
        """The active head of department (role ``department_head``), the first by ID."""
        heads = sorted(
            p.id
            for p in self.index.valid("person")
            if "department_head" in p.get("roles", default=[]) and p.get("status") != "left"
        )
        return heads[0] if heads else None

    @property
    def hr(self) -> str | None:
        """Who acts for HR (``responsible.hr`` in dops.yaml), else the head of department."""
        return self.settings.responsible.hr or self.department_head

    def superior_of(self, person_id: object) -> tuple[str | None, Record | None]:
        """(superior ID, the person record that names it) for a valid person."""
        person = self.index.get(person_id, "person")
        if person is None:
            return None, None
        return person.data.get("superior"), person

    def superior_on(self, person_id: object, day: dt.date | None) -> tuple[str | None, Record | None, Path]:
        """(superior ID, the person record, the path of the field that names it) on ``day``.

        The superior in force on ``day`` is the ``superior_history`` entry with
        the earliest ``until`` on or after ``day``; without one, the current
        ``superior``. ``day`` None asks for the current superior. An unknown
        person gives (None, None, ("superior",)).
        """
        person = self.index.get(person_id, "person")
        if person is None:
            return None, None, ("superior",)
        if day is not None:
            best: tuple[dt.date, int] | None = None
            for index, entry in enumerate(person.data.get("superior_history") or []):
                until = date(entry.get("until")) if isinstance(entry, dict) else None
                if until is not None and until >= day and (best is None or until < best[0]):
                    best = (until, index)
            if best is not None:
                index = best[1]
                return (
                    person.data["superior_history"][index]["superior"],
                    person,
                    ("superior_history", index, "superior"),
                )
        return person.data.get("superior"), person, ("superior",)
