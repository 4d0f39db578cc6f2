"""Every customer acceptance comment is rectified before sign-off (3.4.3).

The team records the customer's acceptance comments and rectifies the
problems they raise. A project counts as accepted once the customer signed off
(``acceptance.accepted_on``) or once it is ``closed``; from then on every
comment in ``acceptance.comments`` must have ``rectified_on`` and a
``rectification`` saying what was done, and no comment may be rectified after
the sign-off date. Whenever ``rectified_on`` is filled in, also before
sign-off, it may not be earlier than the day the comment was raised.

Failing::

    phase: acceptance
    acceptance:
      comments:
        - {id: A1, raised_on: 2026-06-18, comment: 报表导出缺少合计行}
      accepted_on: 2026-06-30

Passing::

    phase: acceptance
    acceptance:
      comments:
        - id: A1
          raised_on: 2026-06-18
          comment: 报表导出缺少合计行
          rectified_on: 2026-06-24
          rectification: 已增加合计行并经客户复核
      accepted_on: 2026-06-30
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """验收通过前，客户的每条验收意见都须整改完毕（3.4.3）。

团队记录客户的验收意见，并整改其中指出的问题。客户确认验收通过
（``acceptance.accepted_on``）或项目已关闭（``closed``），即视为已验收；
从这时起，``acceptance.comments`` 中的每条意见都必须有 ``rectified_on`` 和说明整改内
容的 ``rectification``，且整改日期不得晚于验收通过日期。只要填写了
``rectified_on``（验收通过之前也一样），它就不得早于提出该意见的日期。

不合规示例::

    phase: acceptance
    acceptance:
      comments:
        - {id: A1, raised_on: 2026-06-18, comment: 报表导出缺少合计行}
      accepted_on: 2026-06-30

合规示例::

    phase: acceptance
    acceptance:
      comments:
        - id: A1
          raised_on: 2026-06-18
          comment: 报表导出缺少合计行
          rectified_on: 2026-06-24
          rectification: 已增加合计行并经客户复核
      accepted_on: 2026-06-30
"""

ID = "acceptance-comments-rectified"
CLAUSES = ("3.4.3",)
SEVERITY = "error"
TITLE = msg(
    "验收通过前，客户的每条验收意见都须整改完毕", "Every customer acceptance comment is rectified before sign-off"
)
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    accepted_on = date(record.get("acceptance", "accepted_on"))
    done = accepted_on is not None or record.get("phase") == "closed"
    when = (
        msg(f"已于 {accepted_on} 验收通过", f"was accepted on {accepted_on}")
        if accepted_on
        else msg("已关闭", "is closed")
    )
    for index, comment in enumerate(record.get("acceptance", "comments", default=[])):
        raised, rectified = date(comment["raised_on"]), date(comment.get("rectified_on"))
        if rectified and raised and rectified < raised:
            yield Problem(
                record,
                ("acceptance", "comments", index, "rectified_on"),
                msg(
                    f"验收意见 {comment['id']} 的整改日期 {rectified} 早于意见提出日期 {raised}。"
                    "意见提出后才能整改：请核对这两个日期并改正。",
                    f"Acceptance comment {comment['id']} was rectified on {rectified}, before it was raised on "
                    f"{raised}. A comment is rectified after it is raised: check both dates and correct them.",
                ),
            )
        if not done:
            continue
        missing = [
            (zh, en)
            for name, zh, en in (
                ("rectified_on", "整改日期（rectified_on）", "rectified_on"),
                ("rectification", "整改说明（rectification）", "rectification"),
            )
            if not comment.get(name)
        ]
        if missing:
            yield Problem(
                record,
                ("acceptance", "comments", index),
                msg(
                    f"项目{when.zh}，但验收意见 {comment['id']}（{comment['raised_on']} 提出）缺少"
                    f"{'和'.join(zh for zh, _ in missing)}。请记录整改完成的日期和整改内容；尚未整改的，"
                    "应先整改再确认验收。"
                    "",
                    f"The project {when.en} but acceptance comment {comment['id']} (raised {comment['raised_on']}) "
                    f"lacks {' and '.join(en for _, en in missing)}. Record when and how it was rectified; if it "
                    "is not rectified yet, rectify it before sign-off.",
                ),
            )
            continue
        if accepted_on and rectified and rectified > accepted_on:
            yield Problem(
                record,
                ("acceptance", "comments", index, "rectified_on"),
                msg(
                    f"验收意见 {comment['id']} 的整改日期 {rectified} 晚于验收通过日期 {accepted_on}。"
                    "验收意见应在验收通过前整改完毕：请核对日期。",
                    f"Acceptance comment {comment['id']} was rectified on {rectified}, after the sign-off on "
                    f"{accepted_on}. Comments are rectified before sign-off: check the dates.",
                ),
            )
