"""What falls due, and when: the dates the policy and the settings put on each record.

Used by the dashboard ("what falls due in the next 30 days"), ``dops status``
and the calendar feed (``dops calendar``). Overdue items are the rules'
business (they warn); this module only computes dates, from schema-valid
records, and reads only fields that may be published (no ``x-confidential``
value reaches a label).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from dops.core.model import Message, Path, Record, msg
from dops.rules.base import Context, date, period_bounds
from dops.rules.review_due import NEW_STARTER_DAYS

RUNNING = ("execution", "monitoring", "acceptance")


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    category: str  # review, milestone, delivery, meeting, customer-report, status-report, risk-sweep, ...
    record: Record
    path: Path
    label: Message
    clauses: tuple[str, ...]
    # What the deadline is about within its record: an appraisal's period, a plan's year, a milestone's,
    # deviation's or response's ID, a piece of feedback's date. Not a list position: items get inserted.
    subject: str = ""

    @property
    def key(self) -> str:
        """Stable identity across runs: the same obligation keeps its key even when its date moves."""
        where = self.subject or ".".join(str(step) for step in self.path if not isinstance(step, int)) or "-"
        return f"{self.category}-{self.record.id}-{where}"


def _next_after(record: Record, key: str, start: dt.date | None, days: int) -> dt.date | None:
    dates = [d for item in record.get(key, default=[]) if (d := date(item.get("date")))]
    last = max(dates, default=start)
    return last + dt.timedelta(days=days) if last else None


def _periods_ending(start: dt.date, end: dt.date) -> Iterator[str]:
    for year in range(start.year - 1, end.year + 1):
        for quarter in range(1, 5):
            yield f"{year}Q{quarter}"
        yield str(year)


def upcoming(ctx: Context, horizon_days: int = 30) -> list[Deadline]:
    """Deadlines from today (``ctx.as_of``) up to ``horizon_days`` ahead, earliest first."""
    return falling_due(ctx, ctx.as_of, horizon_days)


def falling_due(ctx: Context, start: dt.date | None = None, horizon_days: int = 30) -> list[Deadline]:
    """Deadlines from ``start`` (default: ``ctx.as_of``) up to ``horizon_days`` after it, earliest first.

    Each obligation appears once, at its next date: the next team meeting,
    not every fortnight after it.
    """
    first = start or ctx.as_of
    horizon = first + dt.timedelta(days=horizon_days)
    cadence = ctx.settings.cadence
    found: list[Deadline] = []

    def add(
        when: dt.date | None,
        category: str,
        record: Record,
        path: Path,
        label: Message,
        clauses: tuple[str, ...],
        subject: str = "",
    ) -> None:
        if when is not None and first <= when <= horizon:
            found.append(Deadline(when, category, record, path, label, clauses, subject))

    for project in ctx.index.valid("project"):
        phase = project.get("phase")
        if phase == "closed":
            continue
        accepted = project.get("acceptance", "accepted_on")
        for index, milestone in enumerate(project.get("plan", "schedule", "milestones", default=[])):
            if not milestone.get("done_on"):
                add(
                    date(milestone["due"]),
                    "milestone",
                    project,
                    ("plan", "schedule", "milestones", index),
                    msg(
                        f"{project.id} 里程碑 {milestone['id']}：{milestone['name']}",
                        f"{project.id} milestone {milestone['id']}: {milestone['name']}",
                    ),
                    ("2.1.1",),
                    subject=milestone["id"],
                )
        if not accepted:
            add(
                date(project.get("requirements", "delivery_date")),
                "delivery",
                project,
                ("requirements", "delivery_date"),
                msg(f"{project.id} 约定交付日期", f"{project.id} agreed delivery date"),
                ("3.1.1",),
            )
        if phase in RUNNING and not accepted:
            start = date(project.get("execution_started_on"))
            for key, setting, label, clauses in (
                ("meetings", "team_meeting_days", msg("下一次团队会议", "next team meeting"), ("3.2.2", "6.1.1")),
                (
                    "customer_reports",
                    "customer_report_days",
                    msg("下一次客户进展汇报", "next progress report to the customer"),
                    ("3.2.4", "6.2.3"),
                ),
                (
                    "status_reports",
                    "superior_report_days",
                    msg("下一次向上级汇报", "next status report to the superior"),
                    ("2.1.4", "3.3.3"),
                ),
                ("risk_sweeps", "risk_sweep_days", msg("下一次风险排查", "next risk sweep"), ("7.1.2",)),
            ):
                add(
                    _next_after(project, key, start, cadence(setting)),
                    key.replace("_", "-").rstrip("s"),
                    project,
                    (key,),
                    msg(f"{project.id} {label.zh}", f"{project.id}: {label.en}"),
                    clauses,
                )
        for index, deviation in enumerate(project.get("deviations", default=[])):
            if not deviation.get("closed_on"):
                found_on = date(deviation["found_on"])
                add(
                    found_on + dt.timedelta(days=cadence("deviation_open_days")) if found_on else None,
                    "deviation",
                    project,
                    ("deviations", index),
                    msg(
                        f"{project.id} 偏差 {deviation['id']} 关闭期限",
                        f"{project.id} deviation {deviation['id']} to close",
                    ),
                    ("3.3.2",),
                    subject=deviation["id"],
                )
        for index, item in enumerate(project.get("feedback", default=[])):
            if not item.get("answered_on"):
                received = date(item["received_on"])
                add(
                    received + dt.timedelta(days=cadence("feedback_answer_days")) if received else None,
                    "feedback",
                    project,
                    ("feedback", index),
                    msg(f"{project.id} 答复客户反馈", f"{project.id}: answer the customer's feedback"),
                    ("6.2.2",),
                    subject=f"feedback-{item['received_on']}",
                )

    for risk in ctx.index.valid("risk"):
        if risk.get("status") != "open":
            continue
        for index, response in enumerate(risk.get("responses", default=[])):
            checks = [d for check in response.get("checks", []) if (d := date(check.get("date")))]
            last = max(checks, default=date(response.get("due")) or date(risk.get("identified_on")))
            if last:
                add(
                    last + dt.timedelta(days=cadence("response_check_days")),
                    "risk-check",
                    risk,
                    ("responses", index),
                    msg(f"{risk.id} 应对措施 {response['id']} 执行检查", f"{risk.id}: check response {response['id']}"),
                    ("7.3.2",),
                    subject=response["id"],
                )

    # Appraisals as the review-due rule judges them: not the head of department, nor someone who
    # joined less than NEW_STARTER_DAYS before the period ended, nor a leaver for periods after leaving.
    grace = dt.timedelta(days=cadence("review_grace_days"))
    ends = [(p, period_bounds(p)[1]) for p in _periods_ending(first, horizon)]
    periods = [(p, end, end + grace) for p, end in ends if first <= end + grace <= horizon]
    for person in ctx.index.valid("person"):
        joined = date(person.get("joined_on"))
        left = date(person.get("left_on")) if person.get("status") == "left" else None
        if "department_head" in person.get("roles", default=[]) or not joined:
            continue
        for period, end, due in periods:
            # someone who left is still appraised for the periods that ended before they left
            if joined > end - dt.timedelta(days=NEW_STARTER_DAYS) or (left is not None and end >= left):
                continue
            review = ctx.index.reviews.get((person.id, period))
            if review is None or review.get("status") != "completed":
                which = msg(f"{period} 年度", f"{period} annual") if len(period) == 4 else msg(f"{period} ", period)
                add(
                    due,
                    "review",
                    review or person,
                    ("id",),
                    msg(
                        f"{person.id}（{person.get('name')}）{which.zh}绩效考核",
                        f"{person.id} ({person.get('name')}) {which.en} appraisal",
                    ),
                    ("4.2",),
                    subject=period,
                )

    for year in range(first.year, horizon.year + 1):
        if not ctx.index.exists(f"TRP-{year}"):
            add(
                ctx.settings.training_plan_due(year),
                "training-plan",
                ctx.config,
                ("cadences", "training_plan_due"),
                msg(f"{year} 年度培训计划（TRP-{year}）", f"Training plan for {year} (TRP-{year})"),
                ("5.1.1",),
                subject=str(year),
            )

    found.sort(key=lambda d: (d.due, d.record.id, d.category, d.key))
    return found
