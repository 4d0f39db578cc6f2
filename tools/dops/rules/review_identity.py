"""An appraisal is named after its person and period, and completed at the period's end (4.2).

A review's ID is ``REV-<person>-<period>`` made from its own ``person`` and
``period`` fields, so that each person has one review per quarter or year
and the missing ones can be found. Quarterly reviews happen at the end of
the quarter and annual ones at the end of the year: ``completed_on`` may be
no earlier than 30 days before the period ends, and never before it began.
(Completing it too late is the ``review-due`` rule's finding.) One duty per
review, owed by the person's superior on the period's last day (after a
change of superior, the ``superior_history`` entry in force that day): it
is that superior who corrects the record.

Failing::

    id: REV-EMP-0003-2026Q2
    person: EMP-0003
    period: 2026Q3
    status: completed
    completed_on: 2026-07-15

Passing::

    id: REV-EMP-0003-2026Q3
    person: EMP-0003
    period: 2026Q3
    status: completed
    completed_on: 2026-10-12
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Duty, Problem, date, duty, period_bounds
from dops.rules.review_due import reviewer

DOC_ZH = """考核编号须与被考核人和考核周期一致，并在周期末完成（4.2）。

考核编号 ``REV-<person>-<period>`` 由考核记录自己的 ``person`` 和 ``period`` 字段组
成，这样每人每个季度或年度只有一条考核，缺了哪条也能查出来。季度考核在季度末进行，
年度考核在年末进行：``completed_on`` 最早只能是周期结束前 30 天，而且绝不能早于周期
开始（完成得太晚，由 ``review-due`` 规则报出）。每条考核一项义务，由被考核人在周期
最后一天的上级负责（上级变更过的，按当天有效的 ``superior_history`` 条目），记录有误
时由这位上级改正。

不合规示例::

    id: REV-EMP-0003-2026Q2
    person: EMP-0003
    period: 2026Q3
    status: completed
    completed_on: 2026-07-15

合规示例::

    id: REV-EMP-0003-2026Q3
    person: EMP-0003
    period: 2026Q3
    status: completed
    completed_on: 2026-10-12
"""

ID = "review-identity"
CLAUSES = ("4.2",)
SEVERITY = "error"
TITLE = msg(
    "考核编号与被考核人、周期一致，并在周期末完成",
    "Appraisals are named after person and period, and completed at the period's end",
)
KINDS = ("review",)

EARLIEST_DAYS = 30


WHAT = msg("考核编号与人员、周期一致，在周期末完成", "Review named after person and period, done at its end")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second record with the same ID is the duplicate-id rule's finding
    owner = reviewer(ctx, record.data["person"], record.data["period"])
    yield duty(record, ("id",), "identity", WHAT, owner, _problems(record))


def _problems(record: Record) -> Iterator[Problem]:
    person, period = record.data["person"], record.data["period"]
    expected = f"REV-{person}-{period}"
    if record.data["id"] != expected:
        yield Problem(
            record,
            ("id",),
            msg(
                f"考核编号 {record.data['id']} 与被考核人 {person}、考核周期 {period} 不一致，应为 {expected}。"
                "请改正编号（连同文件名），或改正被考核人和周期。",
                f"The review ID {record.data['id']} does not match its person {person} and period {period}: it "
                f"should be {expected}. Correct the ID (and the file name), or the person and period.",
            ),
        )
    completed = date(record.get("completed_on"))
    if completed is None:
        return
    start, end = period_bounds(period)
    earliest = end - dt.timedelta(days=EARLIEST_DAYS)
    if completed < start:
        yield Problem(
            record,
            ("completed_on",),
            msg(
                f"完成日期 {completed} 早于考核周期 {period} 的开始日期 {start}：周期还没开始，考核不可能已完成。"
                "请核对完成日期和考核周期。",
                f"completed_on {completed} is before the period {period} even began ({start}). Check the date "
                "and the period.",
            ),
        )
    elif completed < earliest:
        yield Problem(
            record,
            ("completed_on",),
            msg(
                f"完成日期 {completed} 距考核周期 {period} 结束（{end}）还有 30 天以上。考核应在周期末进行："
                f"最早 {earliest}。请核对完成日期和考核周期。",
                f"completed_on {completed} is more than 30 days before the period {period} ends ({end}). "
                f"Appraisals take place at the period's end, on {earliest} at the earliest: check the date "
                "and the period.",
            ),
        )
