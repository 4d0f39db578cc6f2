"""Customer feedback is answered promptly (6.2.2).

Problems and suggestions raised by the customer are handled and answered
without delay. Each ``feedback`` entry must be answered (``answered_on``)
within ``cadences.feedback_answer_days`` days (3 by default) of
``received_on``. This rule states that duty for each entry, named after the
day it arrived (``feedback-2026-11-02.answer``; a second entry of the same
day is ``feedback-2026-11-02#2.answer``). The project manager owes it: the
manager answers for the project's contact with the customer (6.2.1, 6.2.2),
whoever drafts the reply.

An entry not yet answered falls due on ``received_on`` plus that many days:
until then it is not yet due (or due soon), afterwards overdue. An answer that
came later is reported at its date, and an entry still unanswered when the
project was closed is reported at the entry: both are lapses that cannot be
made good any more, so they are warnings, also once the project is closed
(closing a project does not make its past lapses disappear). An answer dated
before the feedback arrived is an error of ``feedback-dates``, and an answer
date without the answer is refused by the schema.

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

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dops.core.model import Record, msg
from dops.rules._timeline import item_subjects
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, pending

DOC_ZH = """客户反馈须及时答复（6.2.2）。

客户提出的问题和建议，要及时处理和回复。每条 ``feedback`` 都必须在收到
（``received_on``）后 ``cadences.feedback_answer_days`` 天内（默认 3 天）答复
（``answered_on``）。本规则对每条反馈给出这项义务，以收到日期命名
（``feedback-2026-11-02.answer``；同一天的第二条为 ``feedback-2026-11-02#2.answer``）。
履行义务的是项目经理：无论由谁起草答复，项目与客户的沟通都由项目经理负责（6.2.1、6.2.2）。

尚未答复的反馈在 ``received_on`` 加上这个天数的那天到期：之前为未到期（或即将到期），
之后为逾期。答复晚了的，在答复日期处报出；项目关闭时仍未答复的，在该条反馈处报出：
两者都是已无法补救的疏漏，所以报为警告，项目关闭后也照样报出（关闭项目并不会让以往
的疏漏消失）。答复日期早于收到日期的，属于 ``feedback-dates`` 报出的错误；只填了答复
日期、没有答复内容的，数据模式会直接拒绝。

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


def subjects(items: list[dict[str, Any]]) -> list[str]:
    """Each feedback entry's name: ``feedback-<received_on>``, ``#2`` for a second one the same day."""
    return item_subjects(f"feedback-{item['received_on']}" for item in items)


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    items = record.get("feedback", default=[])
    if not items:
        yield not_applicable(
            record,
            ("feedback",),
            "feedback",
            msg("及时答复客户反馈", "Answer customer feedback promptly"),
            msg("项目没有记录客户反馈。", "The project records no customer feedback."),
            manager,
        )
        return
    limit = ctx.settings.cadence("feedback_answer_days")
    closed = record.get("phase") == "closed"
    closed_on = date(record.get("closed_on"))
    for index, (item, subject) in enumerate(zip(items, subjects(items), strict=True)):
        received, answered = date(item["received_on"]), date(item.get("answered_on"))
        if received is None:
            continue  # the schema requires a date
        what = msg(
            f"在 {limit} 天内答复 {received} 收到的客户反馈",
            f"Answer the customer feedback of {received} within {limit} days",
        )
        due = received + dt.timedelta(days=limit)
        where = ("feedback", index)
        if answered is not None:
            days = (answered - received).days
            late = []
            if days > limit:  # an answer before the feedback (days < 0) is feedback-dates' finding
                late.append(
                    Problem(
                        record,
                        (*where, "answered_on"),
                        msg(
                            f"{received} 收到的客户反馈到 {answered} 才答复，用了 {days} 天，超过规定的 {limit} 天。"
                            f"今后请在 {limit} 天内答复客户。",
                            f"The customer feedback received on {received} was answered only on {answered}, "
                            f"{days} days later: more than the {limit} days allowed. Answer customer feedback within "
                            f"{limit} days.",
                        ),
                    )
                )
            yield duty(record, where, f"{subject}.answer", what, manager, late, due=due)
            continue
        if closed and (closed_on is None or closed_on >= received):
            when = msg(f"于 {closed_on} 关闭", f"was closed on {closed_on}") if closed_on else msg("关闭", "was closed")
            yield duty(
                record,
                where,
                f"{subject}.answer",
                what,
                manager,
                [
                    Problem(
                        record,
                        (*where, "received_on"),
                        msg(
                            f"{received} 收到的客户反馈，到项目{when.zh}时仍未答复：应在 {limit} 天内答复。"
                            "这已无法补救；如果其实答复过，请填写 answered_on 和 answer。",
                            f"The customer feedback received on {received} was still unanswered when the project "
                            f"{when.en}: it should have been answered within {limit} days. That cannot be made good "
                            "now; if it was in fact answered, fill in answered_on and answer.",
                        ),
                    )
                ],
                due=due,
            )
            continue
        waiting = (ctx.as_of - received).days
        yield pending(
            record,
            (*where, "received_on"),
            f"{subject}.answer",
            what,
            manager,
            due,
            msg(
                f"{received} 收到的客户反馈至今（{ctx.as_of}）已 {waiting} 天仍未答复，超过规定的 {limit} 天"
                f"（{due} 到期）。请尽快答复客户，并填写 answered_on 和 answer。",
                f"The customer feedback received on {received} is still unanswered after {waiting} days "
                f"(as of {ctx.as_of}); it should be answered within {limit} days (due {due}). Answer the customer "
                "and fill in answered_on and answer.",
            ),
        )
