"""Customer feedback is not answered before it was received (6.2.2).

Each ``feedback`` entry records when the customer's problem or suggestion
arrived (``received_on``) and when it was answered (``answered_on``). An
answer dated before the feedback arrived is a wrong date, and it would hide
how long the customer really waited for a reply. This does not depend on the
day of the check, so it is an error, also for closed projects.

This rule states one duty per answered entry, named after the day it arrived
(``feedback-2026-11-02``; a second entry of the same day is
``feedback-2026-11-02#2``), owed by the project manager, who answers for the
project's contact with the customer (6.2.1, 6.2.2). An entry not answered yet
has no answer date to check (not applicable); when the answer is due is
``feedback-answered``'s duty.

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
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable
from dops.rules.feedback_answered import subjects

DOC_ZH = """客户反馈的答复日期不得早于收到日期（6.2.2）。

每条 ``feedback`` 都记录客户的问题或建议何时收到（``received_on``）、何时答复
（``answered_on``）。答复日期早于收到日期，说明日期填错了，而且会掩盖客户实际等了多
久才得到答复。这一点与哪天运行检查无关，所以报为错误，已关闭的项目也照样检查。

本规则对每条已答复的反馈给出一项义务，以收到日期命名（``feedback-2026-11-02``；同一天
的第二条为 ``feedback-2026-11-02#2``），由负责项目与客户沟通的项目经理履行（6.2.1、
6.2.2）。尚未答复的反馈没有答复日期可查（不适用）；答复何时到期，是
``feedback-answered`` 的义务。

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


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    items = record.get("feedback", default=[])
    if not items:
        yield not_applicable(
            record,
            ("feedback",),
            "feedback",
            msg("如实记录客户反馈的答复日期", "Record the true dates of the answers to customer feedback"),
            msg("项目没有记录客户反馈。", "The project records no customer feedback."),
            manager,
        )
        return
    for index, (item, subject) in enumerate(zip(items, subjects(items), strict=True)):
        received, answered = date(item["received_on"]), date(item.get("answered_on"))
        what = msg(
            f"如实记录 {item['received_on']} 收到的客户反馈的答复日期",
            f"Record the true date of the answer to the customer feedback of {item['received_on']}",
        )
        if answered is None:
            yield not_applicable(
                record,
                ("feedback", index),
                subject,
                what,
                msg(
                    "尚未答复：何时到期见 feedback-answered。",
                    "Not answered yet: feedback-answered says when it is due.",
                ),
                manager,
            )
            continue
        problems = []
        if received and answered < received:
            problems.append(
                Problem(
                    record,
                    ("feedback", index, "answered_on"),
                    msg(
                        f"{received} 收到的客户反馈，答复日期却是更早的 {answered}。请核对这两个日期并改正。",
                        f"The customer feedback received on {received} is answered on {answered}, before it was "
                        "received. Check both dates and correct them.",
                    ),
                )
            )
        yield duty(record, ("feedback", index), subject, what, manager, problems)
