"""Quarterly and annual appraisals are completed on time (4.2).

Every member of staff is appraised at the end of each quarter and of each
year. For the quarters that ended in the twelve months before the check date
and for the last full calendar year, a review ``REV-<person>-<period>`` must
be completed within ``review_grace_days`` (``dops.yaml``, 15 by default)
after the period's end. Someone who joined less than 60 days before a
period ended is not yet appraised for it; someone who has left is appraised
only for the periods that ended before they left. The head of department
(role ``department_head``) is appraised by company leadership, outside these
records. A missing review is reported on the person record, one still in
progress on the review.

Failing::

    # records/people/EMP-0003.yaml, checked on 2026-11-24
    id: EMP-0003
    joined_on: 2022-07-04
    status: active
    # no records/reviews/REV-EMP-0003-2026Q3.yaml (due 2026-10-15)

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

from dops.core.model import msg
from dops.rules.base import Context, Problem, date, period_bounds

DOC_ZH = """季度考核和年度考核须按期完成（4.2）。

每位员工在每季度末和每年年末接受考核。检查日期之前十二个月内结束的各个季度，
以及最近一个完整的自然年度，都必须在周期结束后 ``review_grace_days`` 天内
（``dops.yaml``，默认 15 天）完成考核 ``REV-<person>-<period>``。周期结束时入职不满
60 天的员工，暂不参加该周期的考核；已离职的员工，只考核其离职前已经结束的周期。
部门负责人（岗位为 ``department_head``）由公司领导考核，不在这些记录之内。
缺少考核的，在人员记录上报出；考核仍在进行中的，在考核记录上报出。

不合规示例::

    # records/people/EMP-0003.yaml，检查日期 2026-11-24
    id: EMP-0003
    joined_on: 2022-07-04
    status: active
    # 没有 records/reviews/REV-EMP-0003-2026Q3.yaml（应在 2026-10-15 前完成）

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

NEW_STARTER_DAYS = 60


def periods(as_of: dt.date) -> list[str]:
    """The quarters that ended in the twelve months before ``as_of``, and the last full year."""
    try:
        cutoff = as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        cutoff = as_of.replace(year=as_of.year - 1, day=28)
    found = []
    for year in (as_of.year - 1, as_of.year):
        for quarter in range(1, 5):
            period = f"{year}Q{quarter}"
            end = period_bounds(period)[1]
            if cutoff <= end < as_of:
                found.append(period)
    found.append(str(as_of.year - 1))
    return found


def check_all(ctx: Context) -> Iterator[Problem]:
    grace = dt.timedelta(days=ctx.settings.cadence("review_grace_days"))
    ends = [(period, period_bounds(period)[1]) for period in periods(ctx.as_of)]
    due_periods = [(period, end, end + grace) for period, end in ends if ctx.as_of > end + grace]
    for person in ctx.index.valid("person"):
        joined = date(person.get("joined_on"))
        left = date(person.get("left_on")) if person.get("status") == "left" else None
        if joined is None or "department_head" in person.get("roles", default=[]):
            continue  # the head of department is appraised by company leadership, outside these records
        for period, end, due in due_periods:
            if joined > end - dt.timedelta(days=NEW_STARTER_DAYS) or (left is not None and end >= left):
                continue
            review = ctx.index.reviews.get((person.id, period))
            review_id = f"REV-{person.id}-{period}"
            if review is None:
                yield Problem(
                    person,
                    ("id",),
                    msg(
                        f"{person.id} 的 {period} 考核最迟应于 {due} 完成，但至今（{ctx.as_of}）还没有考核记录。"
                        f"请完成考核，并新建 {review_id}。",
                        f"{person.id}'s appraisal for {period} was due by {due}, but there is no review for it "
                        f"as of {ctx.as_of}. Carry out the appraisal and add {review_id}.",
                    ),
                )
            elif review.get("status") != "completed":
                yield Problem(
                    review,
                    ("status",),
                    msg(
                        f"{person.id} 的 {period} 考核最迟应于 {due} 完成，但至今（{ctx.as_of}）仍在进行中。"
                        "请尽快完成考核，并把状态改为 completed。",
                        f"{person.id}'s appraisal for {period} was due by {due} but is still in progress as of "
                        f"{ctx.as_of}. Complete it and set status to completed.",
                    ),
                    related=person,
                    related_path=("id",),
                )
