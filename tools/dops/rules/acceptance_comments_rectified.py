"""The customer signs off, and every acceptance comment is rectified promptly (3.4.3).

The team works with the customer through acceptance, records the customer's
comments and rectifies the problems they raise promptly (及时). Duties owed
by the project's ``manager``:

* ``acceptance.sign_off``: the customer's sign-off (``acceptance.accepted_on``).
  A closed project must have one; in the acceptance phase it is open without a
  due date; before that it is not applicable.
* one per comment in ``acceptance.comments``, named by its ID: each comment is
  rectified, with ``rectified_on`` and a ``rectification`` saying what was
  done. "Promptly" allows the rectification to finish after sign-off, within
  ``cadences.rectification_grace_days`` days of it (14 by default): a comment
  rectified later is a violation (a warning: it can no longer be made good);
  a comment still open falls due on sign-off + that grace and is overdue
  after it. Before sign-off an open comment is not yet due. ``rectified_on``
  may never be earlier than the day the comment was raised.

A closed project is held to its acceptance like any other: closing it without
sign-off, or with a comment never rectified, is a violation. Only a project
cancelled before completion (``closure: {reason: cancelled, note: ...}``) has
no acceptance: its duties are not applicable, and say so. Set
``rectification_grace_days: 0`` for the strict reading (all comments fixed by
sign-off).

Failing::

    # rectification_grace_days: 14
    phase: closed
    acceptance:
      comments:
        - {id: A1, raised_on: 2026-06-18, comment: 报表导出缺少合计行}
        - id: A2
          raised_on: 2026-06-20
          comment: 缺少运维手册
          rectified_on: 2026-07-20
          rectification: 补交运维手册
      accepted_on: 2026-06-30

Passing::

    # rectification_grace_days: 14
    phase: closed
    acceptance:
      comments:
        - id: A1
          raised_on: 2026-06-18
          comment: 报表导出缺少合计行
          rectified_on: 2026-06-24
          rectification: 已增加合计行并经客户复核
        - id: A2
          raised_on: 2026-06-20
          comment: 缺少运维手册
          rectified_on: 2026-07-08
          rectification: 补交运维手册
      accepted_on: 2026-06-30
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dops.core.model import Record, msg
from dops.rules._acceptance import IF_CANCELLED, cancelled, completed_closed, waiting, why_not
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, pending

DOC_ZH = """客户确认验收通过，每条验收意见都及时整改（3.4.3）。

团队配合客户进行验收，记录整理客户的验收意见，并及时整改其中指出的问题。以下义务由项目经
理（``manager``）履行：

* ``acceptance.sign_off``：客户确认验收通过（``acceptance.accepted_on``）。已关闭的项
  目必须有；验收阶段中为未到期，没有到期日；此前不适用。
* 每条验收意见一项（以意见编号命名）：意见须整改完毕，填写 ``rectified_on`` 和说明整改
  内容的 ``rectification``。“及时”允许在验收通过之后完成整改，但不得超过
  ``cadences.rectification_grace_days`` 天（默认 14 天）：晚于此的整改属于违规（警告：
  已无法补救）；仍未整改的意见在验收通过日加宽限天数当天到期，过后即为逾期。验收通过之
  前，未整改的意见为未到期。``rectified_on`` 任何时候都不得早于提出该意见的日期。

已关闭的项目同样要经过验收：没有验收通过就关闭项目，或关闭时仍有意见从未整改，均属违规。
只有未完成即取消的项目（``closure: {reason: cancelled, note: ...}``）不进行验收：其义务
记为不适用，并写明原因。设置 ``rectification_grace_days: 0`` 即为最严格的解读（全部意见
须在验收通过前整改完毕）。

不合规示例::

    # rectification_grace_days: 14
    phase: closed
    acceptance:
      comments:
        - {id: A1, raised_on: 2026-06-18, comment: 报表导出缺少合计行}
        - id: A2
          raised_on: 2026-06-20
          comment: 缺少运维手册
          rectified_on: 2026-07-20
          rectification: 补交运维手册
      accepted_on: 2026-06-30

合规示例::

    # rectification_grace_days: 14
    phase: closed
    acceptance:
      comments:
        - id: A1
          raised_on: 2026-06-18
          comment: 报表导出缺少合计行
          rectified_on: 2026-06-24
          rectification: 已增加合计行并经客户复核
        - id: A2
          raised_on: 2026-06-20
          comment: 缺少运维手册
          rectified_on: 2026-07-08
          rectification: 补交运维手册
      accepted_on: 2026-06-30
"""

ID = "acceptance-comments-rectified"
CLAUSES = ("3.4.3",)
SEVERITY = "error"
TITLE = msg(
    "客户确认验收通过，验收意见及时整改",
    "The customer signs off, and every acceptance comment is rectified promptly",
)
KINDS = ("project",)

SIGN_OFF = msg("请客户确认验收通过", "Obtain the customer's sign-off")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    accepted_on = date(record.get("acceptance", "accepted_on"))
    if cancelled(record):
        yield not_applicable(record, ("closure",), "acceptance.sign_off", SIGN_OFF, why_not(record), manager)
    elif accepted_on is not None:
        yield duty(record, ("acceptance", "accepted_on"), "acceptance.sign_off", SIGN_OFF, manager)
    elif completed_closed(record):
        yield duty(
            record,
            ("phase",),
            "acceptance.sign_off",
            SIGN_OFF,
            manager,
            [
                Problem(
                    record,
                    ("phase",),
                    msg(
                        "项目已关闭，但没有客户确认验收通过的日期（acceptance.accepted_on）。请记录客户确认验收"
                        f"通过的日期。{IF_CANCELLED.zh}",
                        "The project is closed but records no customer sign-off (acceptance.accepted_on). Record "
                        f"the day the customer signed off. {IF_CANCELLED.en}",
                    ),
                )
            ],
        )
    elif record.get("phase") == "acceptance":
        yield waiting(record, ("phase",), "acceptance.sign_off", SIGN_OFF, manager, CLAUSES)
    else:
        yield not_applicable(record, ("phase",), "acceptance.sign_off", SIGN_OFF, why_not(record), manager)

    grace = ctx.settings.cadence("rectification_grace_days")
    for index, comment in enumerate(record.get("acceptance", "comments", default=[])):
        yield _comment(record, index, comment, manager, accepted_on, grace)


def _comment(
    record: Record, index: int, comment: dict[str, Any], manager: Any, accepted_on: dt.date | None, grace: int
) -> Duty:
    cid = comment["id"]
    subject = f"acceptance.comments.{cid}"
    what = msg(f"整改验收意见 {cid}", f"Rectify acceptance comment {cid}")
    at = ("acceptance", "comments", index)
    if cancelled(record):
        return not_applicable(record, at, subject, what, why_not(record), manager)
    raised, rectified = date(comment["raised_on"]), date(comment.get("rectified_on"))
    deadline = accepted_on + dt.timedelta(days=grace) if accepted_on else None
    problems: list[Problem] = []
    if rectified and raised and rectified < raised:
        problems.append(
            Problem(
                record,
                (*at, "rectified_on"),
                msg(
                    f"验收意见 {cid} 的整改日期 {rectified} 早于意见提出日期 {raised}。"
                    "意见提出后才能整改：请核对这两个日期并改正。",
                    f"Acceptance comment {cid} was rectified on {rectified}, before it was raised on "
                    f"{raised}. A comment is rectified after it is raised: check both dates and correct them.",
                ),
            )
        )
    if rectified and not comment.get("rectification"):
        problems.append(
            Problem(
                record,
                at,
                msg(
                    f"验收意见 {cid} 已于 {rectified} 整改，但没有整改说明（rectification）。请写明整改内容。",
                    f"Acceptance comment {cid} was rectified on {rectified} but lacks the rectification: say "
                    "what was done.",
                ),
            )
        )
    if problems:
        return duty(record, at, subject, what, manager, problems, due=deadline)
    if rectified:
        if deadline and rectified > deadline:
            days = (rectified - accepted_on).days if accepted_on else 0
            return duty(
                record,
                (*at, "rectified_on"),
                subject,
                what,
                manager,
                [
                    Problem(
                        record,
                        (*at, "rectified_on"),
                        msg(
                            f"验收意见 {cid} 到 {rectified} 才整改完毕，已是验收通过（{accepted_on}）后 {days} 天，"
                            f"超过允许的 {grace} 天（rectification_grace_days）。验收意见须及时整改：请核对日期；"
                            "今后请在验收通过前或宽限期内完成整改。",
                            f"Acceptance comment {cid} was rectified only on {rectified}, {days} days after the "
                            f"sign-off ({accepted_on}): more than the {grace} days allowed "
                            "(rectification_grace_days). Comments are rectified promptly: check the date, and "
                            "rectify before sign-off or within the grace period from now on.",
                        ),
                    )
                ],
                due=deadline,
                severity="warning",
            )
        return duty(record, at, subject, what, manager, due=deadline)
    # Not rectified yet.
    if deadline is not None:
        return pending(
            record,
            at,
            subject,
            what,
            manager,
            deadline,
            msg(
                f"项目已于 {accepted_on} 验收通过，但验收意见 {cid}（{raised} 提出）至今没有整改记录；"
                f"验收通过后最多可再用 {grace} 天整改，已于 {deadline} 到期。请尽快整改，并填写整改日期"
                "（rectified_on）和整改说明（rectification）。",
                f"The project was accepted on {accepted_on}, but acceptance comment {cid} (raised {raised}) is "
                f"still not rectified; the {grace} days allowed after sign-off ended on {deadline}. Rectify it "
                "and fill in rectified_on and rectification.",
            ),
        )
    if completed_closed(record):
        return duty(
            record,
            at,
            subject,
            what,
            manager,
            [
                Problem(
                    record,
                    at,
                    msg(
                        f"项目已关闭，但验收意见 {cid}（{raised} 提出）没有整改记录。请记录整改完成的日期"
                        "（rectified_on）和整改内容（rectification）。",
                        f"The project is closed but acceptance comment {cid} (raised {raised}) was never "
                        "rectified. Record when (rectified_on) and how (rectification) it was rectified.",
                    ),
                )
            ],
        )
    return waiting(record, at, subject, what, manager, CLAUSES)
