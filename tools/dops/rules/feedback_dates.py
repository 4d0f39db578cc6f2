"""Customer feedback is not answered before it was received (6.2.2).

Each ``feedback`` entry records when the customer's problem or suggestion
arrived (``received_on``) and when it was answered (``answered_on``). An
answer dated before the feedback arrived is a wrong date, and it would hide
how long the customer really waited for a reply. This does not depend on the
day of the check, so it is an error, also for closed projects.

Failing::

    feedback:
      - received_on: 2026-11-10
        summary: 告警短信过多
        answered_on: 2026-11-09     # the day before it was received
        answer: 已调整告警阈值。

Passing::

    feedback:
      - received_on: 2026-11-10
        summary: 告警短信过多
        answered_on: 2026-11-11
        answer: 已调整告警阈值。
"""

from __future__ import annotations

from typing import Iterator

from ..model import Record, msg
from .base import Context, Problem, date

ID = "feedback-dates"
CLAUSES = ("6.2.2",)
SEVERITY = "error"
TITLE = msg("客户反馈的答复日期不早于收到日期", "Customer feedback is not answered before it was received")
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    for index, item in enumerate(record.get("feedback", default=[])):
        received, answered = date(item["received_on"]), date(item.get("answered_on"))
        if received and answered and answered < received:
            yield Problem(record, ("feedback", index, "answered_on"), msg(
                f"{received} 收到的客户反馈，答复日期却是更早的 {answered}。"
                "请核对这两个日期并改正。",
                f"The customer feedback received on {received} is answered on {answered}, before it was received. "
                "Check both dates and correct them.",
            ))
