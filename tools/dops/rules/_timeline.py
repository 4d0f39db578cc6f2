"""Shared by the project rules: a project's execution window, its end, the gaps in a dated series.

Not a rule itself (it is not registered). The execution window runs from
``execution_started_on`` until the customer's sign-off (``acceptance.accepted_on``),
else the closing date, else "today" (``ctx.as_of``) for a project still in
execution or monitoring. A project in the acceptance phase that is not yet
signed off is measured until its acceptance application, else until today.
A window never runs past today: what lies ahead cannot be late yet. A
closed project is held to its history: closing it does not make gaps disappear.

A project is over (:func:`project_end`) once the customer signed it off or it
was closed: what was still open then is no longer "due" but was left undone.
List items get stable duty subjects (:func:`item_subjects`): their own ID or
date, never their position in the list.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dops.core.model import Message, Path, Record, msg
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, pending

SIGN_OFF = msg("验收通过日", "the customer's sign-off")
CLOSURE = msg("项目关闭日", "the project's closure")
APPLICATION = msg("提交验收申请日", "the acceptance application")
TODAY = msg("今天", "today")


@dataclass(frozen=True)
class Window:
    """From ``start`` to ``end`` (both included); ``until`` names what ends it."""

    start: dt.date
    end: dt.date
    until: Message


@dataclass(frozen=True)
class Series:
    """A dated list in a project record that must not fall silent for too long.

    ``key`` is the list (each item has a ``date``), ``setting`` the cadence in
    ``dops.yaml``, ``noun`` one item in words ("团队会议" / "team meeting"),
    ``advice`` what to do about a gap.
    """

    key: str
    setting: str
    noun: Message
    advice: Message


@dataclass(frozen=True)
class End:
    """How a project ended: the customer's sign-off or its closure, on ``on`` (None if the record has no date)."""

    on: dt.date | None
    accepted: bool

    @property
    def belongs(self) -> Message:
        """To follow "偏差 D1" / "Deviation D1": 所在项目已于 … 验收通过 / belongs to a project accepted on …"""
        if self.accepted:
            return msg(f"所在项目已于 {self.on} 验收通过", f"belongs to a project accepted on {self.on}")
        if self.on:
            return msg(f"所在项目已于 {self.on} 关闭", f"belongs to a project closed on {self.on}")
        return msg("所在项目已关闭", "belongs to a closed project")

    @property
    def when(self) -> Message:
        """To follow "when" / "在": 项目于 … 验收通过时 / the project was accepted on …"""
        if self.accepted:
            return msg(f"项目于 {self.on} 验收通过", f"the project was accepted on {self.on}")
        if self.on:
            return msg(f"项目于 {self.on} 关闭", f"the project was closed on {self.on}")
        return msg("项目关闭", "the project was closed")


def project_end(record: Record) -> End | None:
    """The project's end: the customer's sign-off (``acceptance.accepted_on``), else its closure; None while it runs."""
    accepted_on = date(record.get("acceptance", "accepted_on"))
    if accepted_on:
        return End(accepted_on, True)
    if record.get("phase") == "closed":
        return End(date(record.get("closed_on")), False)
    return None


def item_subjects(names: Iterable[str]) -> list[str]:
    """Duty subjects for list items from their own names: a repeated name gets "#2", "#3" in list order."""
    seen: Counter[str] = Counter()
    subjects = []
    for name in names:
        seen[name] += 1
        subjects.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return subjects


def _bounded(start: dt.date | None, end: dt.date | None, until: Message, as_of: dt.date) -> Window | None:
    if start is None or end is None:
        return None
    if end > as_of:
        end, until = as_of, TODAY
    return Window(start, end, until) if end >= start else None


def execution_window(record: Record, as_of: dt.date) -> Window | None:
    """The project's execution window, or None before execution (or with no start date)."""
    phase = record.get("phase")
    if phase == "initiation":
        return None
    start = date(record.get("execution_started_on"))
    accepted_on = date(record.get("acceptance", "accepted_on"))
    closed_on = date(record.get("closed_on"))
    if accepted_on:
        return _bounded(start, accepted_on, SIGN_OFF, as_of)
    if closed_on:
        return _bounded(start, closed_on, CLOSURE, as_of)
    if phase == "acceptance":
        applied_on = date(record.get("acceptance", "application", "date"))
        if applied_on:
            return _bounded(start, applied_on, APPLICATION, as_of)
    if phase in ("execution", "monitoring", "acceptance"):
        return _bounded(start, as_of, TODAY, as_of)
    return None


def cadence_duties(record: Record, ctx: Context, series: Series, window: Window | None) -> Iterator[Duty]:
    """The duties a dated series places on a project's manager, as of ``ctx.as_of``.

    Two duties: the record so far (``<key>``), violated by each gap longer than
    the cadence between the window's start, the series' dates inside the window
    (sorted) and, once the window has ended, its end; and while the window is
    still open, the next item (``next-<key>``), due at most the cadence after
    the last one and overdue once that day has passed. A gap is reported at the
    item that ends it; the overdue next item at the list (or at
    ``execution_started_on`` when the list is empty). Before execution both
    are not applicable.
    """
    owner = record.get("manager")
    thing, to, whom = series.noun.en.partition(" to ")
    what = msg(f"按期{series.noun.zh}", f"Regular {thing}s{to}{whom}")  # "progress reports to the customer"
    what_next = msg(f"下一次{series.noun.zh}", f"Next {series.noun.en}")
    if window is None:
        why = msg(
            "项目尚未进入执行阶段（或没有执行开始日期）。",
            "The project has not started execution (or has no start date).",
        )
        yield not_applicable(record, (series.key,), series.key, what, why, owner)
        return
    limit = ctx.settings.cadence(series.setting)
    noun, advice, until = series.noun, series.advice, window.until
    items = record.get(series.key, default=[])
    dated = sorted(
        (when, index)
        for index, item in enumerate(items)
        if isinstance(item, dict) and (when := date(item.get("date"))) and window.start <= when <= window.end
    )
    gaps: list[Problem] = []
    previous: dt.date | None = None
    start = window.start
    for when, index in dated:
        days = (when - (previous or start)).days
        if days > limit:
            if previous is None:
                text = msg(
                    f"执行阶段于 {start} 开始，但第一次{noun.zh}在 {when}，相隔 {days} 天，"
                    f"超过规定的 {limit} 天。{advice.zh}",
                    f"Execution started on {start} but the first {noun.en} came only on {when}, {days} days "
                    f"later: more than the {limit} days allowed. {advice.en}",
                )
            else:
                text = msg(
                    f"{previous} 的{noun.zh}与下一次（{when}）相隔 {days} 天，超过规定的 {limit} 天。{advice.zh}",
                    f"The {noun.en} of {previous} was followed by the next only on {when}, {days} days later: "
                    f"more than the {limit} days allowed. {advice.en}",
                )
            gaps.append(Problem(record, (series.key, index, "date"), text))
        previous = when
    last = previous or start
    days = (window.end - last).days
    where: Path = (series.key,) if items else ("execution_started_on",)
    if previous is None:
        tail = msg(
            f"执行阶段于 {start} 开始，到{until.zh}（{window.end}）已有 {days} 天，没有任何{noun.zh}记录，"
            f"超过规定的 {limit} 天。{advice.zh}",
            f"Execution started on {start} and no {noun.en} is recorded in the {days} days up to {until.en} "
            f"({window.end}): at most {limit} days may pass without one. {advice.en}",
        )
    else:
        tail = msg(
            f"最近一次{noun.zh}在 {previous}，到{until.zh}（{window.end}）已间隔 {days} 天，"
            f"超过规定的 {limit} 天。{advice.zh}",
            f"The last {noun.en} was on {previous}, {days} days before {until.en} ({window.end}): "
            f"more than the {limit} days allowed. {advice.en}",
        )
    running = until is TODAY
    if not running and days > limit:
        gaps.append(Problem(record, where, tail))
    yield duty(record, (series.key,), series.key, what, owner, gaps)
    if running:
        due = last + dt.timedelta(days=limit)
        yield pending(
            record,
            where,
            f"next-{series.key}",
            what_next,
            owner,
            due,
            Problem(record, where, tail),
            category=series.key.rstrip("s").replace("_", "-"),
        )
