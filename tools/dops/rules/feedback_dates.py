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

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """客户反馈的答复日期不得早于收到日期（6.2.2）。

每条 ``feedback`` 都记录客户的问题或建议何时收到（``received_on``）、何时答复
（``answered_on``）。答复日期早于收到日期，说明日期填错了，而且会掩盖客户实际等了多
久才得到答复。这一点与哪天运行检查无关，所以报为错误，已关闭的项目也照样检查。

不合规示例::

    feedback:
      - received_on: 2026-11-10
        summary: 告警短信过多
        answered_on: 2026-11-09     # 比收到日期还早一天
        answer: 已调整告警阈值。

合规示例::

    feedback:
      - received_on: 2026-11-10
        summary: 告警短信过多
        answered_on: 2026-11-11
        answer: 已调整告警阈值。
"""

ID = "feedback-dates"
CLAUSES = ("6.2.2",)
SEVERITY = "error"
TITLE = msg("客户反馈的答复日期不早于收到日期", "Customer feedback is not answered before it was received")
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    for index, item in enumerate(record.get("feedback", default=[])):
        received, answered = date(item["received_on"]), date(item.get("answered_on"))
        if received and answered and answered < received:
            yield Problem(
                record,
                ("feedback", index, "answered_on"),
                msg(
                    f"{received} 收到的客户反馈，答复日期却是更早的 {answered}。请核对这两个日期并改正。",
                    f"The customer feedback received on {received} is answered on {answered}, before it was received. "
                    "Check both dates and correct them.",
                ),
            )
