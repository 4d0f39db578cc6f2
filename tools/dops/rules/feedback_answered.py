"""Customer feedback is answered promptly (6.2.2).

Problems and suggestions raised by the customer are handled and answered
without delay. Each ``feedback`` entry must be answered (``answered_on``)
within ``cadences.feedback_answer_days`` days (3 by default) of
``received_on``: an answer that came later is reported at its date, and an
entry still unanswered that long after it was received is overdue. A closed
project is no longer warned about: nothing can be done. An answer dated before
the feedback arrived is an error of ``feedback-dates``, and an answer date
without the answer is refused by the schema.

Failing (checked on 2026-11-24)::

    phase: execution
    feedback:
      - {received_on: 2026-11-02, summary: 希望增加周报导出功能}
        # unanswered 22 days later

Passing (checked on 2026-11-24)::

    phase: execution
    feedback:
      - received_on: 2026-11-02
        summary: 希望增加周报导出功能
        answered_on: 2026-11-04
        answer: 已排入下一迭代，预计 11 月底上线。
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """客户反馈须及时答复（6.2.2）。

客户提出的问题和建议，要及时处理和回复。每条 ``feedback`` 都必须在收到
（``received_on``）后 ``cadences.feedback_answer_days`` 天内（默认 3 天）
答复（``answered_on``）：答复晚了的，在答复日期处报出；收到后超过期限仍未答复的，
视为逾期。已关闭的项目不再提示：事情已无法补救。答复日期早于收到日期的，
属于 ``feedback-dates`` 报出的错误；只填了答复日期、没有答复内容的，数据模式会直接拒
绝。

不合规示例（检查日期 2026-11-24）::

    phase: execution
    feedback:
      - {received_on: 2026-11-02, summary: 希望增加周报导出功能}
        # 22 天后仍未答复

合规示例（检查日期 2026-11-24）::

    phase: execution
    feedback:
      - received_on: 2026-11-02
        summary: 希望增加周报导出功能
        answered_on: 2026-11-04
        answer: 已排入下一迭代，预计 11 月底上线。
"""

ID = "feedback-answered"
CLAUSES = ("6.2.2",)
SEVERITY = "warning"
TITLE = msg("及时答复客户反馈", "Customer feedback is answered promptly")
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if record.get("phase") == "closed":
        return  # a closed project is no longer warned about: nothing can be done
    limit = ctx.settings.cadence("feedback_answer_days")
    for index, item in enumerate(record.get("feedback", default=[])):
        received, answered = date(item["received_on"]), date(item.get("answered_on"))
        if received is None:
            continue
        if answered is None:
            waiting = (ctx.as_of - received).days
            if waiting > limit:
                yield Problem(
                    record,
                    ("feedback", index, "received_on"),
                    msg(
                        f"{received} 收到的客户反馈至今（{ctx.as_of}）已 {waiting} 天仍未答复，超过规定的 {limit} 天。"
                        "请尽快答复客户，并填写 answered_on 和 answer。",
                        f"The customer feedback received on {received} is still unanswered after {waiting} days "
                        f"(as of {ctx.as_of}); it should be answered within {limit} days. Answer the customer and "
                        "fill in answered_on and answer.",
                    ),
                )
            continue
        days = (answered - received).days
        if days > limit:  # an answer before the feedback (days < 0) is feedback-dates' finding
            yield Problem(
                record,
                ("feedback", index, "answered_on"),
                msg(
                    f"{received} 收到的客户反馈到 {answered} 才答复，用了 {days} 天，超过规定的 {limit} 天。"
                    f"今后请在 {limit} 天内答复客户。",
                    f"The customer feedback received on {received} was answered only on {answered}, {days} days "
                    f"later: more than the {limit} days allowed. Answer customer feedback within {limit} days.",
                ),
            )
