"""Customer feedback is answered promptly (6.2.2).

Problems and suggestions raised by the customer are handled and answered
without delay. Each ``feedback`` entry must be answered (``answered_on`` with
the ``answer`` given) within ``cadences.feedback_answer_days`` days (3 by
default) of ``received_on``; an entry still unanswered that long after it was
received is overdue. An answer dated before the feedback arrived, or dated
without saying what was answered, is reported too.

Failing::

    feedback:
      - {received_on: 2026-11-02, summary: 希望增加周报导出功能}
        # unanswered on 2026-11-24

Passing::

    feedback:
      - received_on: 2026-11-02
        summary: 希望增加周报导出功能
        answered_on: 2026-11-04
        answer: 已排入下一迭代，预计 11 月底上线。
"""

from __future__ import annotations

from typing import Iterator

from ..model import Record, msg
from .base import Context, Problem, date

ID = "feedback-answered"
CLAUSES = ("6.2.2",)
SEVERITY = "warning"
TITLE = msg("及时答复客户反馈", "Customer feedback is answered promptly")
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    limit = ctx.settings.cadence("feedback_answer_days")
    for index, item in enumerate(record.get("feedback", default=[])):
        received, answered = date(item["received_on"]), date(item.get("answered_on"))
        if received is None:
            continue
        at = ("feedback", index, "answered_on")
        if answered is None:
            waiting = (ctx.as_of - received).days
            if waiting > limit:
                yield Problem(record, ("feedback", index, "received_on"), msg(
                    f"{received} 收到的客户反馈至今（{ctx.as_of}）已 {waiting} 天仍未答复，超过规定的 {limit} 天。"
                    "请尽快答复客户，并填写 answered_on 和 answer。",
                    f"The customer feedback received on {received} is still unanswered after {waiting} days "
                    f"(as of {ctx.as_of}); it should be answered within {limit}. Answer the customer and fill in "
                    "answered_on and answer.",
                ))
            continue
        if not item.get("answer"):
            yield Problem(record, at, msg(
                f"{received} 收到的客户反馈记录了答复日期 {answered}，但没有写答复内容。请在 answer 中补充答复了什么。",
                f"The customer feedback received on {received} has an answer date ({answered}) but no answer. "
                "Write what was answered under answer.",
            ))
        if answered < received:
            yield Problem(record, at, msg(
                f"客户反馈的答复日期 {answered} 早于收到日期 {received}。请核对日期。",
                f"The customer feedback is answered on {answered}, before it was received on {received}. "
                "Check the dates.",
            ))
        elif (answered - received).days > limit:
            yield Problem(record, at, msg(
                f"{received} 收到的客户反馈到 {answered} 才答复，用了 {(answered - received).days} 天，"
                f"超过规定的 {limit} 天。今后请在 {limit} 天内答复客户。",
                f"The customer feedback received on {received} was answered only on {answered}, "
                f"{(answered - received).days} days later: more than the {limit} days allowed. Answer customer "
                f"feedback within {limit} days.",
            ))
