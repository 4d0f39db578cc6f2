"""An acceptance application follows a passed internal self-check, and sign-off follows the application (3.4.1, 3.4.2).

When the work is done, the project manager has the team check the deliverables
internally before asking the customer for acceptance. A recorded
``acceptance.application`` therefore needs an ``acceptance.self_check`` dated
on or before the application, with result ``passed``; a recorded
``acceptance.accepted_on`` needs an application dated on or before it.

Failing::

    acceptance:
      self_check: {date: 2026-06-15, participants: [EMP-0002, EMP-0003], result: failed}
      application: {date: 2026-06-12, documents: [验收申请书, 测试报告]}
      accepted_on: 2026-06-30

Passing::

    acceptance:
      self_check: {date: 2026-06-10, participants: [EMP-0002, EMP-0003], result: passed}
      application: {date: 2026-06-12, documents: [验收申请书, 测试报告]}
      accepted_on: 2026-06-30
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """提交验收申请前须完成内部自查且结果为通过，验收通过前须已提交验收申请（3.4.1、3.4.2）。

工作完成后，项目经理先组织团队对交付成果进行内部自查，再向客户申请验收。因此，
记录了 ``acceptance.application`` 的，必须有一次日期不晚于申请日期、结果为
``passed`` 的 ``acceptance.self_check``；记录了 ``acceptance.accepted_on`` 的，
必须有日期不晚于验收通过日期的验收申请。

不合规示例::

    acceptance:
      self_check: {date: 2026-06-15, participants: [EMP-0002, EMP-0003], result: failed}
      application: {date: 2026-06-12, documents: [验收申请书, 测试报告]}
      accepted_on: 2026-06-30

合规示例::

    acceptance:
      self_check: {date: 2026-06-10, participants: [EMP-0002, EMP-0003], result: passed}
      application: {date: 2026-06-12, documents: [验收申请书, 测试报告]}
      accepted_on: 2026-06-30
"""

ID = "acceptance-self-check"
CLAUSES = ("3.4.1", "3.4.2")
SEVERITY = "error"
TITLE = msg(
    "验收申请前须完成内部自查并通过，验收通过前须提交验收申请",
    "A passed self-check precedes the acceptance application, and the application precedes sign-off",
)
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    acceptance = record.get("acceptance")
    if not acceptance:
        return
    application = acceptance.get("application")
    self_check = acceptance.get("self_check")
    applied = date(application["date"]) if application else None

    if application:
        at = ("acceptance", "application")
        if self_check is None:
            yield Problem(
                record,
                at,
                msg(
                    f"项目已于 {applied} 提交验收申请，但没有内部自查记录（self_check）。请补充自查的日期、"
                    "参加人员和结果；"
                    ""
                    "自查应在申请之前完成并通过。",
                    f"The acceptance application was made on {applied} but there is no internal self-check. Add the "
                    "self_check with its date, participants and result; it must be passed before the application.",
                ),
                clauses=("3.4.1",),
            )
        else:
            checked = date(self_check["date"])
            if checked and applied and checked > applied:
                yield Problem(
                    record,
                    at,
                    msg(
                        f"内部自查日期 {checked} 晚于验收申请日期 {applied}。应先完成自查、再向客户提交验收申请："
                        "请核对日期。"
                        "",
                        f"The internal self-check ({checked}) is after the acceptance application ({applied}). The "
                        "self-check comes first: check the dates.",
                    ),
                    clauses=("3.4.1",),
                )
            if self_check["result"] != "passed":
                yield Problem(
                    record,
                    at,
                    msg(
                        f"内部自查（{checked}）的结果为未通过（{self_check['result']}），却已于 {applied} "
                        "提交验收申请。"
                        ""
                        "请整改后重新自查，并记录通过的自查结果。",
                        f"The internal self-check ({checked}) did not pass (result: {self_check['result']}), yet the "
                        f"acceptance application was made on {applied}. Rectify, check again and record the passed "
                        "self-check.",
                    ),
                    clauses=("3.4.1",),
                )

    accepted = date(acceptance.get("accepted_on"))
    if accepted:
        at = ("acceptance", "accepted_on")
        if not application:
            yield Problem(
                record,
                at,
                msg(
                    f"项目已于 {accepted} 验收通过，但没有验收申请记录（application）。请补充申请日期和提交的验收文档。"
                    "",
                    f"The project was accepted on {accepted} but there is no acceptance application. Add the "
                    "application with its date and the documents submitted.",
                ),
                clauses=("3.4.2",),
            )
        elif applied and applied > accepted:
            yield Problem(
                record,
                at,
                msg(
                    f"验收通过日期 {accepted} 早于验收申请日期 {applied}。应先提交申请、再由客户验收：请核对日期。",
                    f"The sign-off ({accepted}) predates the acceptance application ({applied}). The application "
                    "comes first: check the dates.",
                ),
                clauses=("3.4.2",),
            )
