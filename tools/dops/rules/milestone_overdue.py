"""Milestones and the agreed delivery date are met, or the delay is visible (2.1.1, 3.3.1).

The project plan sets a timetable (2.1.1) and the manager monitors the
schedule (3.3.1). A milestone of a project that is not closed whose due date
has passed without ``done_on``, or an agreed ``requirements.delivery_date``
that has passed before the customer's sign-off, is overdue: record the date
it was reached, or re-plan and record the deviation. A closed project is no
longer warned about: nothing can be done.

Failing::

    # checked on 2026-11-24
    phase: execution
    plan:
      schedule:
        milestones:
          - {id: M2, name: 数据迁移完成, due: 2026-10-31}   # not done

Passing::

    phase: execution
    plan:
      schedule:
        milestones:
          - {id: M2, name: 数据迁移完成, due: 2026-10-31, done_on: 2026-10-29}
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """里程碑和约定的交付日期要按期达成，延误要看得见（2.1.1、3.3.1）。

项目计划规定了时间表（2.1.1），项目经理负责监控进度（3.3.1）。未关闭项目的里程碑已过计划日期
却没有 ``done_on``，或约定的交付日期 ``requirements.delivery_date`` 已过而客户尚未验收通过，
就是逾期：请填写实际完成日期，或重新安排计划并记录偏差。已关闭的项目不再提醒：已无法补救。

不合规示例::

    # 检查日期 2026-11-24
    phase: execution
    plan:
      schedule:
        milestones:
          - {id: M2, name: 数据迁移完成, due: 2026-10-31}   # 未完成

合规示例::

    phase: execution
    plan:
      schedule:
        milestones:
          - {id: M2, name: 数据迁移完成, due: 2026-10-31, done_on: 2026-10-29}
"""

ID = "milestone-overdue"
CLAUSES = ("2.1.1", "3.3.1")
SEVERITY = "warning"
TITLE = msg("里程碑和交付日期按期达成", "Milestones and delivery dates are met on time")
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if record.get("phase") == "closed":
        return
    for index, milestone in enumerate(record.get("plan", "schedule", "milestones", default=[])):
        due = date(milestone.get("due"))
        if milestone.get("done_on") or due is None or due >= ctx.as_of:
            continue
        days = (ctx.as_of - due).days
        yield Problem(
            record,
            ("plan", "schedule", "milestones", index, "due"),
            msg(
                f"里程碑 {milestone['id']}（{milestone['name']}）计划于 {due} 完成，至今（{ctx.as_of}）已逾期 "
                f"{days} 天，"
                ""
                "仍没有完成日期。已完成的请填写 done_on；未完成的请调整计划，并在 deviations 中记录这一进度偏差。",
                f"Milestone {milestone['id']} ({milestone['name']}) was due on {due} and is {days} days overdue as of "
                f"{ctx.as_of}, with no done_on. If it was reached, fill in done_on; if not, re-plan and record the "
                "schedule deviation under deviations.",
            ),
        )
    delivery = date(record.get("requirements", "delivery_date"))
    if delivery is not None and delivery < ctx.as_of and not record.get("acceptance", "accepted_on"):
        days = (ctx.as_of - delivery).days
        yield Problem(
            record,
            ("requirements", "delivery_date"),
            msg(
                f"约定交付日期 {delivery} 已过 {days} 天，客户尚未验收通过。请与客户确认新的交付日期，"
                "更新 requirements.delivery_date，并在 deviations 中记录这一进度偏差。",
                f"The agreed delivery date {delivery} passed {days} days ago and the customer has not signed off. "
                "Agree a new date with the customer, update requirements.delivery_date and record the schedule "
                "deviation under deviations.",
            ),
        )
