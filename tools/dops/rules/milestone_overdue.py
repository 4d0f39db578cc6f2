"""Milestones and the agreed delivery date are met, or the delay is recorded as a deviation (2.1.1, 3.3.1, 3.1.1).

The project plan sets a timetable (2.1.1), the manager agrees the delivery
date with the customer (3.1.1) and monitors the schedule (3.3.1). Each is a
duty of the project's manager:

* one per milestone in ``plan.schedule.milestones``, named by its ID
  (category ``milestone``, clauses 2.1.1 and 3.3.1), due on its ``due`` date. Not reached yet
  (no ``done_on``), it is pending: due soon, then overdue once the date has
  passed. Reached on or before its date, it is met.
* ``delivery`` (category ``delivery``, clause 3.1.1): the agreed
  ``requirements.delivery_date``, reached with the customer's sign-off
  (``acceptance.accepted_on``). Until sign-off it is pending, due on that date.

Lateness itself is not what the policy forbids: it asks the manager to monitor
the schedule and to analyse and correct deviations (3.3.1, 3.3.2). So a
milestone reached late, or a sign-off after the delivery date, is met when a
schedule deviation (``deviations`` with ``area: schedule``) was recorded for
it (found on or before the day it was reached, and not closed before the date
it was due); without one it is a violation, reported as a warning (a past
slip that can no longer be undone). A closed project is held to its history:
a milestone never marked as reached, or a sign-off never recorded, is a
violation (a warning) rather than forgotten; for a project cancelled before
completion (``closure.reason: cancelled``) what was not reached is not
applicable.

Failing::

    # checked on 2026-11-24
    phase: execution
    requirements: {summary: 数据迁移, goals: [全部迁移], delivery_date: 2026-11-20}
    plan:
      schedule:
        milestones:
          - {id: M1, name: 方案评审, due: 2026-09-30, done_on: 2026-10-09}   # late, no deviation
          - {id: M2, name: 数据迁移完成, due: 2026-10-31}                    # not done

Passing::

    # checked on 2026-11-24
    phase: execution
    requirements: {summary: 数据迁移, goals: [全部迁移], delivery_date: 2026-12-20}
    plan:
      schedule:
        milestones:
          - {id: M1, name: 方案评审, due: 2026-09-30, done_on: 2026-10-09}
          - {id: M2, name: 数据迁移完成, due: 2026-10-31, done_on: 2026-10-29}
    deviations:
      - {id: D1, found_on: 2026-09-25, area: schedule, description: 方案评审推迟, closed_on: 2026-10-09}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dops.core.model import Message, Path, Record, msg
from dops.rules._acceptance import CANCELLED, cancelled
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, pending

DOC_ZH = """里程碑和约定的交付日期要按期达成，延误要作为偏差记录（2.1.1、3.3.1、3.1.1）。

项目计划规定了时间表（2.1.1），项目经理与客户约定交付时间（3.1.1），并监控项目进度
（3.3.1）。以下每一项都是项目经理的义务：

* ``plan.schedule.milestones`` 中的每个里程碑各一项，以里程碑编号命名（类别
  ``milestone``，条款 2.1.1、3.3.1），在其计划日期 ``due`` 到期。尚未达成（没有 ``done_on``）时为待办：先是
  即将到期，过了计划日期即为逾期。在计划日期当天或之前达成，即为已履行。
* ``delivery``（类别 ``delivery``，条款 3.1.1）：约定的交付日期
  ``requirements.delivery_date``，以客户确认验收通过（``acceptance.accepted_on``）为达成。
  验收通过之前为待办，在该日期到期。

制度并不禁止延误本身：它要求项目经理监控进度，并及时分析、纠正偏差（3.3.1、3.3.2）。
因此，晚于计划日期达成的里程碑，或晚于交付日期的验收通过，只要为它记录了进度偏差
（``deviations`` 中 ``area: schedule`` 的一条，发现日期不晚于达成之日，且没有在计划日期之前
关闭），就算已履行；没有记录的，属于违规，记为警告（过去的延误已无法挽回）。已关闭的项目
仍按其历史检查：从未标记达成的里程碑、从未记录的验收通过属于违规（警告），不会因关闭而
消失；未完成即取消的项目（``closure.reason: cancelled``）中未达成的事项不适用。

不合规示例::

    # 检查日期 2026-11-24
    phase: execution
    requirements: {summary: 数据迁移, goals: [全部迁移], delivery_date: 2026-11-20}
    plan:
      schedule:
        milestones:
          - {id: M1, name: 方案评审, due: 2026-09-30, done_on: 2026-10-09}   # 延误，且没有记录偏差
          - {id: M2, name: 数据迁移完成, due: 2026-10-31}                    # 未完成

合规示例::

    # 检查日期 2026-11-24
    phase: execution
    requirements: {summary: 数据迁移, goals: [全部迁移], delivery_date: 2026-12-20}
    plan:
      schedule:
        milestones:
          - {id: M1, name: 方案评审, due: 2026-09-30, done_on: 2026-10-09}
          - {id: M2, name: 数据迁移完成, due: 2026-10-31, done_on: 2026-10-29}
    deviations:
      - {id: D1, found_on: 2026-09-25, area: schedule, description: 方案评审推迟, closed_on: 2026-10-09}
"""

ID = "milestone-overdue"
CLAUSES = ("2.1.1", "3.3.1", "3.1.1")
SEVERITY = "warning"
TITLE = msg(
    "里程碑和交付日期按期达成，延误记为偏差",
    "Milestones and delivery dates are met on time, or the delay is a deviation",
)
KINDS = ("project",)

MILESTONE_CLAUSES = ("2.1.1", "3.3.1")
DELIVERY = msg("按约定日期交付并经客户验收", "Deliver by the agreed date, with the customer's sign-off")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    seen: set[str] = set()
    for index, milestone in enumerate(record.get("plan", "schedule", "milestones", default=[])):
        subject = str(milestone["id"])
        if subject in seen:
            subject = f"{milestone['id']}/{milestone['due']}"
        if subject in seen:
            continue
        seen.add(subject)
        yield _milestone(record, index, milestone, subject, manager, ctx)
    yield _delivery(record, manager, ctx)


def covered(record: Record, due: dt.date, done: dt.date) -> bool:
    """A schedule deviation recorded for a slip from ``due`` to ``done``."""
    for deviation in record.get("deviations", default=[]):
        found, closed = date(deviation.get("found_on")), date(deviation.get("closed_on"))
        if deviation.get("area") != "schedule" or found is None or found > done:
            continue
        if closed is None or closed >= due:
            return True
    return False


def _late(record: Record, at: Path, due: dt.date, done: dt.date, thing: Message) -> Problem:
    days = (done - due).days
    return Problem(
        record,
        at,
        msg(
            f"{thing.zh}计划于 {due} 达成，实际在 {done}，晚了 {days} 天，但没有记录这一进度偏差。项目经理须监控进度、"
            "及时分析和纠正偏差：请在 deviations 中补记这次延误（area: schedule）的原因和纠正措施。",
            f"{thing.en} was due on {due} but reached only on {done}, {days} days late, and no schedule deviation "
            "is recorded. The manager monitors the schedule and analyses and corrects deviations: record this "
            "delay under deviations (area: schedule) with its cause and corrective action.",
        ),
    )


def _milestone(record: Record, index: int, milestone: dict[str, Any], subject: str, manager: Any, ctx: Context) -> Duty:
    at: Path = ("plan", "schedule", "milestones", index)
    mid, name = milestone["id"], milestone["name"]
    what = msg(f"达成里程碑 {mid}", f"Reach milestone {mid}")
    thing = msg(f"里程碑 {mid}（{name}）", f"Milestone {mid} ({name})")
    due, done = date(milestone.get("due")), date(milestone.get("done_on"))
    if due is None:  # the schema requires a date; nothing to measure against
        return not_applicable(
            record, at, subject, what, msg("没有计划日期。", "No due date."), manager, clauses=MILESTONE_CLAUSES
        )
    if done is not None:
        problems = (
            [] if done <= due or covered(record, due, done) else [_late(record, (*at, "done_on"), due, done, thing)]
        )
        return duty(
            record, at, subject, what, manager, problems, due=due, clauses=MILESTONE_CLAUSES, category="milestone"
        )
    if cancelled(record):
        return not_applicable(record, at, subject, what, CANCELLED, manager, clauses=MILESTONE_CLAUSES)
    if record.get("phase") == "closed":
        return duty(
            record,
            at,
            subject,
            what,
            manager,
            [
                Problem(
                    record,
                    (*at, "due"),
                    msg(
                        f"项目已关闭，但{thing.zh}（计划 {due}）没有完成日期。请补填实际达成的日期（done_on）；"
                        "未达成的，请在 deviations 中说明。",
                        f"The project is closed but {thing.en} (due {due}) has no done_on. Fill in the day it was "
                        "reached; if it never was, explain it under deviations.",
                    ),
                )
            ],
            due=due,
            clauses=MILESTONE_CLAUSES,
            category="milestone",
        )
    days = (ctx.as_of - due).days
    return pending(
        record,
        (*at, "due"),
        subject,
        what,
        manager,
        due,
        msg(
            f"{thing.zh}计划于 {due} 完成，至今（{ctx.as_of}）已逾期 {days} 天，仍没有完成日期。"
            "已完成的请填写 done_on；未完成的请调整计划，并在 deviations 中记录这一进度偏差。",
            f"{thing.en} was due on {due} and is {days} days overdue as of {ctx.as_of}, with no done_on. If it "
            "was reached, fill in done_on; if not, re-plan and record the schedule deviation under deviations.",
        ),
        clauses=MILESTONE_CLAUSES,
        category="milestone",
    )


def _delivery(record: Record, manager: Any, ctx: Context) -> Duty:
    at: Path = ("requirements", "delivery_date")
    clauses = ("3.1.1",)
    delivery = date(record.get("requirements", "delivery_date"))
    if delivery is None:
        why = msg("尚未与客户约定交付日期。", "No delivery date has been agreed with the customer yet.")
        return not_applicable(record, ("phase",), "delivery", DELIVERY, why, manager, clauses=clauses)
    accepted = date(record.get("acceptance", "accepted_on"))
    thing = msg("约定的交付", "The agreed delivery")
    if accepted is not None:
        problems = (
            []
            if accepted <= delivery or covered(record, delivery, accepted)
            else [_late(record, at, delivery, accepted, thing)]
        )
        return duty(
            record, at, "delivery", DELIVERY, manager, problems, due=delivery, clauses=clauses, category="delivery"
        )
    if cancelled(record):
        return not_applicable(record, at, "delivery", DELIVERY, CANCELLED, manager, clauses=clauses)
    if record.get("phase") == "closed":
        return duty(
            record,
            at,
            "delivery",
            DELIVERY,
            manager,
            [
                Problem(
                    record,
                    at,
                    msg(
                        f"项目已关闭，但约定交付日期 {delivery} 的交付没有客户验收通过的记录"
                        "（acceptance.accepted_on）。请记录客户确认验收通过的日期。",
                        f"The project is closed, but no customer sign-off (acceptance.accepted_on) records the "
                        f"delivery agreed for {delivery}. Record the day the customer signed off.",
                    ),
                )
            ],
            due=delivery,
            clauses=clauses,
            category="delivery",
        )
    days = (ctx.as_of - delivery).days
    return pending(
        record,
        at,
        "delivery",
        DELIVERY,
        manager,
        delivery,
        msg(
            f"约定交付日期 {delivery} 已过 {days} 天，客户尚未验收通过。请与客户确认新的交付日期，"
            "更新 requirements.delivery_date，并在 deviations 中记录这一进度偏差。",
            f"The agreed delivery date {delivery} passed {days} days ago and the customer has not signed off. "
            "Agree a new date with the customer, update requirements.delivery_date and record the schedule "
            "deviation under deviations.",
        ),
        clauses=clauses,
        category="delivery",
    )
