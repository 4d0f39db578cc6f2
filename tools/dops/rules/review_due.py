"""Quarterly and annual appraisals are completed on time, by the superior at the period's end (4.2).

Every member of staff is appraised at the end of each quarter and of each
year. The appraisal of a person for a period is owed by their superior on the
period's last day (``superior``, or the ``superior_history`` entry in force
that day) and falls due ``review_grace_days`` (``dops.yaml``, 15 by default)
after the period ends. The rule states one duty per person and period, for
the quarters that ended in the twelve months before the check date, the
quarter under way, the last full year and the year under way, and for every
earlier period that has a review:

- no review ``REV-<person>-<period>`` yet, or one still ``in_progress``: due
  on the period's end plus the grace days, overdue (a warning) after that; a
  missing review is reported on the person record, one in progress on its
  status;

- a completed review: met, unless ``completed_on`` is later than the due
  date. Then it is violated, reported at ``completed_on`` as a warning: a
  late appraisal cannot be made good, but the lapse stays on record;

- not applicable: to the head of department (role ``department_head``),
  appraised by company leadership outside these records; to someone who
  joined less than 60 days before the period ended (a new starter); to a
  leaver for the periods that ended on or after the day they left (the
  periods that ended before are still owed).

Failing::

    # records/people/EMP-0003.yaml, checked on 2026-11-24
    id: EMP-0003
    superior: EMP-0002
    joined_on: 2022-07-04
    status: active
    # no records/reviews/REV-EMP-0003-2026Q3.yaml (due 2026-10-15, owed by EMP-0002)

    # records/reviews/REV-EMP-0004-2026Q2.yaml: due 2026-07-15
    period: 2026Q2
    status: completed
    completed_on: 2026-09-02       # seven weeks late

Passing::

    # records/reviews/REV-EMP-0003-2026Q3.yaml
    id: REV-EMP-0003-2026Q3
    person: EMP-0003
    period: 2026Q3
    status: completed
    completed_on: 2026-10-12
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dops.core.model import Message, Record, msg
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, pending, period_bounds

DOC_ZH = """季度考核和年度考核须由周期末的上级按期完成（4.2）。

每位员工在每季度末和每年年末接受考核。某人某一周期的考核，由其在周期最后一天的上级
（``superior``，或当天有效的 ``superior_history`` 条目）负责，应在周期结束后
``review_grace_days`` 天内（``dops.yaml``，默认 15 天）完成。规则为每人每个周期列出一项
义务：检查日期之前十二个月内结束的各个季度、正在进行的季度、最近一个完整的自然年度和
正在进行的年度，以及已有考核记录的更早周期：

- 还没有考核 ``REV-<person>-<period>``，或考核仍为 ``in_progress``：在周期结束日加宽限
  天数时到期，过期即逾期（警告）；缺少考核的在人员记录上报出，仍在进行中的在考核的
  状态处报出；

- 已完成的考核：按期完成即已履行；``completed_on`` 晚于到期日的为违反，在
  ``completed_on`` 处以警告报出：迟到的考核无法补救，但这次延误留在记录中；

- 不适用：部门负责人（岗位为 ``department_head``）由公司领导考核，不在这些记录之内；
  周期结束时入职不满 60 天的新员工；已离职的员工，离职当天及之后才结束的周期（离职前
  已结束的周期仍须考核）。

不合规示例::

    # records/people/EMP-0003.yaml，检查日期 2026-11-24
    id: EMP-0003
    superior: EMP-0002
    joined_on: 2022-07-04
    status: active
    # 没有 records/reviews/REV-EMP-0003-2026Q3.yaml（应由 EMP-0002 在 2026-10-15 前完成）

    # records/reviews/REV-EMP-0004-2026Q2.yaml：应在 2026-07-15 前完成
    period: 2026Q2
    status: completed
    completed_on: 2026-09-02       # 晚了七周

合规示例::

    # records/reviews/REV-EMP-0003-2026Q3.yaml
    id: REV-EMP-0003-2026Q3
    person: EMP-0003
    period: 2026Q3
    status: completed
    completed_on: 2026-10-12
"""

ID = "review-due"
CLAUSES = ("4.2",)
SEVERITY = "warning"
TITLE = msg("季度和年度考核按期完成", "Quarterly and annual appraisals are completed on time")

#: Someone who joined less than this many days before a period ended is not appraised for it.
NEW_STARTER_DAYS = 60


def _year_ago(as_of: dt.date) -> dt.date:
    try:
        return as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - 1, day=28)


def periods(as_of: dt.date) -> list[str]:
    """The quarters that ended in the twelve months before ``as_of``, and the last full year.

    TRANSITION: kept for the site's appraisal table; the duties come from :func:`owed_periods`.
    """
    cutoff = _year_ago(as_of)
    found = []
    for year in (as_of.year - 1, as_of.year):
        for quarter in range(1, 5):
            period = f"{year}Q{quarter}"
            end = period_bounds(period)[1]
            if cutoff <= end < as_of:
                found.append(period)
    found.append(str(as_of.year - 1))
    return found


def owed_periods(as_of: dt.date) -> list[str]:
    """The periods whose appraisals this rule states as of ``as_of``, oldest end first.

    The quarters that ended in the twelve months before ``as_of`` and the quarter
    under way; the last full year and the year under way. (Earlier periods
    that have a review are judged as well, see :func:`check_all`.)
    """
    found = [*periods(as_of), f"{as_of.year}Q{(as_of.month - 1) // 3 + 1}", str(as_of.year)]
    return sorted(dict.fromkeys(found), key=lambda p: (period_bounds(p)[1], len(p)))


def reviewer(ctx: Context, person_id: object, period: str) -> str | None:
    """Who owes the appraisal of ``person_id`` for ``period``: the superior on its last day, else HR."""
    superior, _, _ = ctx.superior_on(person_id, period_bounds(period)[1])
    return superior or ctx.hr


def due_on(ctx: Context, period: str) -> dt.date:
    """The day the appraisal for ``period`` falls due: its end plus ``review_grace_days``."""
    return period_bounds(period)[1] + dt.timedelta(days=ctx.settings.cadence("review_grace_days"))


def why_not_owed(person: Record, period: str) -> Message | None:
    """Why ``person`` is not appraised here for ``period``; None when they are."""
    end = period_bounds(period)[1]
    if "department_head" in person.get("roles", default=[]):
        return msg(
            "部门负责人由公司领导考核，不在这些记录之内。",
            "The head of department is appraised by company leadership, outside these records.",
        )
    joined = date(person.get("joined_on"))
    if joined is not None and joined > end:
        return msg(
            f"{person.id} 于 {joined} 入职，{period} 在其入职前（{end}）就已结束。",
            f"{person.id} joined on {joined}, after {period} ended ({end}).",
        )
    if joined is not None and joined > end - dt.timedelta(days=NEW_STARTER_DAYS):
        return msg(
            f"{person.id} 于 {joined} 入职，到 {period} 结束（{end}）时不满 {NEW_STARTER_DAYS} 天，"
            "暂不参加该周期的考核。",
            f"{person.id} joined on {joined}, less than {NEW_STARTER_DAYS} days before {period} ended ({end}): "
            "a new starter is not appraised for it.",
        )
    left = date(person.get("left_on")) if person.get("status") == "left" else None
    if left is not None and end >= left:
        return msg(
            f"{person.id} 已于 {left} 离职，{period} 到 {end} 才结束，不再考核。",
            f"{person.id} left on {left}, before {period} ended ({end}): no appraisal is owed for it.",
        )
    return None


def _what(period: str) -> Message:
    if len(period) == 4:
        return msg(f"完成 {period} 年度考核", f"Complete the {period} annual appraisal")
    return msg(f"完成 {period} 季度考核", f"Complete the {period} quarterly appraisal")


def appraisal_duty(ctx: Context, person: Record, period: str, review: Record | None) -> Duty:
    """The duty to appraise ``person`` for ``period``, given its review (or None)."""
    what, owner, due = _what(period), reviewer(ctx, person.id, period), due_on(ctx, period)
    review_id = f"REV-{person.id}-{period}"
    why = why_not_owed(person, period)
    if why is not None:  # a review made anyway (a new starter's, say) is welcome but owes no date
        return not_applicable(person, ("id",), period, what, why, owner)
    if review is None:
        late = msg(
            f"{person.id} 的 {period} 考核最迟应于 {due} 完成，但至今（{ctx.as_of}）还没有考核记录。"
            f"请由 {owner} 完成考核，并新建 {review_id}。",
            f"{person.id}'s appraisal for {period} was due by {due}, but there is no review for it as of "
            f"{ctx.as_of}. {owner} should carry out the appraisal and add {review_id}.",
        )
        return pending(person, ("id",), period, what, owner, due, late)
    completed = date(review.get("completed_on"))
    if review.get("status") != "completed" or completed is None:
        late_problem = Problem(
            review,
            ("status",),
            msg(
                f"{person.id} 的 {period} 考核最迟应于 {due} 完成，但至今（{ctx.as_of}）仍在进行中。"
                f"请由 {owner} 尽快完成考核，并把状态改为 completed。",
                f"{person.id}'s appraisal for {period} was due by {due} but is still in progress as of "
                f"{ctx.as_of}. {owner} should complete it and set status to completed.",
            ),
            related=person,
            related_path=("id",),
        )
        return pending(person, ("id",), period, what, owner, due, late_problem)
    problems = []
    if completed > due:
        end = period_bounds(period)[1]
        problems.append(
            Problem(
                review,
                ("completed_on",),
                msg(
                    f"{period} 的考核于 {completed} 才完成，距周期结束（{end}）{(completed - end).days} 天，"
                    f"晚于最迟完成日 {due}（周期结束后 {(due - end).days} 天）。考核应在周期末进行："
                    "这次延误已无法补救，请按期完成以后的考核。",
                    f"The {period} appraisal was completed on {completed}, {(completed - end).days} days after "
                    f"the period ended ({end}) and later than its due date {due} ({(due - end).days} days "
                    "after the end). Appraisals take place at the period's end: this lapse cannot be undone; "
                    "complete later appraisals on time.",
                ),
                related=person,
                related_path=("id",),
            )
        )
    return duty(person, ("id",), period, what, owner, problems, due=due, severity="warning")


def check_all(ctx: Context) -> Iterator[Duty]:
    window = owed_periods(ctx.as_of)
    history: dict[str, list[str]] = {}
    for person_id, period in ctx.index.reviews:
        if period not in window:
            history.setdefault(person_id, []).append(period)
    for person in ctx.index.valid("person"):
        if ctx.index.by_id.get(person.id) is not person:
            continue  # a second record with the same ID is the duplicate-id rule's finding
        if date(person.get("joined_on")) is None:
            continue  # the schema requires joined_on: an invalid record is the schema's finding
        earlier = sorted(history.get(person.id, []), key=lambda p: (period_bounds(p)[1], len(p)))
        for period in [*earlier, *window]:
            yield appraisal_duty(ctx, person, period, ctx.index.reviews.get((person.id, period)))
