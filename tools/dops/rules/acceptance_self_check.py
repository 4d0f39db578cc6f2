"""The manager's passed self-check precedes the acceptance application, which precedes sign-off (3.4.1, 3.4.2).

When the work is done, the project manager has the team check the deliverables
internally before asking the customer for acceptance (3.4.1), then submits the
acceptance application with the documents it needs (3.4.2). Two duties, both
owed by the project's ``manager``:

* ``acceptance.self_check`` (3.4.1): a recorded self-check names who organised
  it (``organised_by``), which must be the project's manager. Once the
  application is made, or once the project is closed, a self-check with
  result ``passed`` must be recorded, dated on or before the application.
* ``acceptance.application`` (3.4.2): once the customer signed off
  (``accepted_on``), or once the project is closed, an application must be
  recorded, dated on or before the sign-off.

A closed project is held to its acceptance just like one in the acceptance
phase: closing a project without a self-check or an application is a
violation. Only a project cancelled before completion, recorded as
``closure: {reason: cancelled, note: ...}``, has no acceptance (the duties are
not applicable, and say so). While the project is in the acceptance phase and
the step is not done yet, the duty is open without a due date; before the
acceptance phase it is not applicable, though a self-check recorded early is
checked all the same.

Failing::

    phase: closed
    manager: EMP-0002
    acceptance:
      self_check: {date: 2026-06-15, organised_by: EMP-0003, participants: [EMP-0002, EMP-0003], result: failed}
      application: {date: 2026-06-12, documents: [验收申请书, 测试报告]}
      accepted_on: 2026-06-30

Passing::

    phase: closed
    manager: EMP-0002
    acceptance:
      self_check: {date: 2026-06-10, organised_by: EMP-0002, participants: [EMP-0002, EMP-0003], result: passed}
      application: {date: 2026-06-12, documents: [验收申请书, 测试报告]}
      accepted_on: 2026-06-30
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dops.core.model import Record, msg
from dops.rules._acceptance import IF_CANCELLED, cancelled, completed_closed, waiting, why_not
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable

DOC_ZH = """项目经理在验收申请前组织内部自查并通过，验收通过前须已提交验收申请（3.4.1、3.4.2）。

工作完成后，项目经理先组织项目团队对交付成果进行内部自查（3.4.1），再向客户提交验收
申请并准备所需文档（3.4.2）。这是两项义务，都由项目经理（``manager``）履行：

* ``acceptance.self_check``（3.4.1）：记录的自查要写明组织人（``organised_by``），且
  必须是本项目的项目经理。一旦提交了验收申请，或项目已关闭，就必须有一次结果为
  ``passed``、日期不晚于申请日期的自查。
* ``acceptance.application``（3.4.2）：客户确认验收通过（``accepted_on``）后，或项目
  已关闭时，必须有验收申请，且申请日期不晚于验收通过日期。

已关闭的项目与验收阶段的项目一样要经过验收：没有自查或验收申请就关闭项目，属于违规。
只有未完成即取消、记为 ``closure: {reason: cancelled, note: ...}`` 的项目不进行验收
（两项义务记为不适用，并写明原因）。项目处于验收阶段而该步骤尚未完成时，义务为未到期，
没有到期日；进入验收阶段之前不适用，但提前记录的自查同样要检查。

不合规示例::

    phase: closed
    manager: EMP-0002
    acceptance:
      self_check: {date: 2026-06-15, organised_by: EMP-0003, participants: [EMP-0002, EMP-0003], result: failed}
      application: {date: 2026-06-12, documents: [验收申请书, 测试报告]}
      accepted_on: 2026-06-30

合规示例::

    phase: closed
    manager: EMP-0002
    acceptance:
      self_check: {date: 2026-06-10, organised_by: EMP-0002, participants: [EMP-0002, EMP-0003], result: passed}
      application: {date: 2026-06-12, documents: [验收申请书, 测试报告]}
      accepted_on: 2026-06-30
"""

ID = "acceptance-self-check"
CLAUSES = ("3.4.1", "3.4.2")
SEVERITY = "error"
TITLE = msg(
    "项目经理组织内部自查并通过后再申请验收，验收通过前须提交验收申请",
    "The manager organises a passed self-check before the acceptance application, which precedes sign-off",
)
KINDS = ("project",)


SELF_CHECK = msg("组织内部自查并通过", "Organise the internal self-check and pass it")
APPLICATION = msg("向客户提交验收申请", "Submit the acceptance application to the customer")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    if cancelled(record):
        yield not_applicable(
            record, ("closure",), "acceptance.self_check", SELF_CHECK, why_not(record), manager, clauses=("3.4.1",)
        )
        yield not_applicable(
            record, ("closure",), "acceptance.application", APPLICATION, why_not(record), manager, clauses=("3.4.2",)
        )
        return
    yield _self_check(record, manager)
    yield _application(record, manager)


def _self_check(record: Record, manager: Any) -> Duty:
    phase = record.get("phase")
    acceptance = record.get("acceptance", default={})
    application = acceptance.get("application")
    self_check = acceptance.get("self_check")
    applied = date(application["date"]) if application else None
    closed = completed_closed(record)
    subject, clauses = "acceptance.self_check", ("3.4.1",)
    if self_check is None:
        if application:
            return duty(
                record,
                ("acceptance", "application"),
                subject,
                SELF_CHECK,
                manager,
                [
                    Problem(
                        record,
                        ("acceptance", "application"),
                        msg(
                            f"项目已于 {applied} 提交验收申请，但没有内部自查记录（self_check）。请补充自查的日期、"
                            "组织人、参加人员和结果；自查应由项目经理组织，在申请之前完成并通过。",
                            f"The acceptance application was made on {applied} but there is no internal self-check. "
                            "Add the self_check with its date, organiser, participants and result; the project "
                            "manager organises it, and it must be passed before the application.",
                        ),
                    )
                ],
                clauses=clauses,
            )
        if closed:
            return duty(
                record,
                ("phase",),
                subject,
                SELF_CHECK,
                manager,
                [
                    Problem(
                        record,
                        ("phase",),
                        msg(
                            "项目已关闭，但没有内部自查记录（acceptance.self_check）。项目完成后应由项目经理组织团队"
                            f"进行内部自查：请补充自查的日期、组织人、参加人员和结果。{IF_CANCELLED.zh}",
                            "The project is closed but records no internal self-check (acceptance.self_check). "
                            "Once the project is complete the manager organises the team's self-check: add its "
                            f"date, organiser, participants and result. {IF_CANCELLED.en}",
                        ),
                    )
                ],
                clauses=clauses,
            )
        if phase == "acceptance":
            return waiting(record, ("phase",), subject, SELF_CHECK, manager, clauses)
        return not_applicable(record, ("phase",), subject, SELF_CHECK, why_not(record), manager, clauses=clauses)

    at = ("acceptance", "self_check")
    checked = date(self_check["date"])
    problems: list[Problem] = []
    organiser = self_check.get("organised_by")
    if organiser is None:
        problems.append(
            Problem(
                record,
                at,
                msg(
                    f"{checked} 的内部自查没有写明组织人（organised_by）。内部自查由项目经理组织："
                    f"请填写 organised_by: {manager}。",
                    f"The internal self-check on {checked} does not say who organised it (organised_by). The "
                    f"project manager organises the self-check: fill in organised_by: {manager}.",
                ),
            )
        )
    elif organiser != manager:
        problems.append(
            Problem(
                record,
                ("acceptance", "self_check", "organised_by"),
                msg(
                    f"{checked} 的内部自查由 {organiser} 组织，但项目经理是 {manager}。内部自查应由项目经理组织："
                    "请核对组织人，或由项目经理重新组织自查。",
                    f"The internal self-check on {checked} was organised by {organiser}, but the project manager "
                    f"is {manager}. The project manager organises the self-check: check the organiser, or have "
                    "the manager organise it again.",
                ),
            )
        )
    if application:
        where = ("acceptance", "application")
        if checked and applied and checked > applied:
            problems.append(
                Problem(
                    record,
                    where,
                    msg(
                        f"内部自查日期 {checked} 晚于验收申请日期 {applied}。应先完成自查、再向客户提交验收申请："
                        "请核对日期。",
                        f"The internal self-check ({checked}) is after the acceptance application ({applied}). The "
                        "self-check comes first: check the dates.",
                    ),
                )
            )
        if self_check["result"] != "passed":
            problems.append(
                Problem(
                    record,
                    where,
                    msg(
                        f"内部自查（{checked}）的结果为未通过（{self_check['result']}），却已于 {applied} "
                        "提交验收申请。请整改后重新自查，并记录通过的自查结果。",
                        f"The internal self-check ({checked}) did not pass (result: {self_check['result']}), yet "
                        f"the acceptance application was made on {applied}. Rectify, check again and record the "
                        "passed self-check.",
                    ),
                )
            )
    elif self_check["result"] != "passed":
        if closed:
            problems.append(
                Problem(
                    record,
                    ("acceptance", "self_check", "result"),
                    msg(
                        f"项目已关闭，但内部自查（{checked}）的结果为未通过（{self_check['result']}），"
                        f"此后没有通过的自查。请记录整改后通过的自查。{IF_CANCELLED.zh}",
                        f"The project is closed, but its internal self-check ({checked}) did not pass (result: "
                        f"{self_check['result']}) and no passed one follows. Record the self-check that passed "
                        f"after rectification. {IF_CANCELLED.en}",
                    ),
                )
            )
        elif not problems:
            # Failed and no application yet: rectify and check again; nothing is late.
            return waiting(record, at, subject, SELF_CHECK, manager, clauses)
    return duty(record, at, subject, SELF_CHECK, manager, problems, clauses=clauses)


def _application(record: Record, manager: Any) -> Duty:
    acceptance = record.get("acceptance", default={})
    application = acceptance.get("application")
    applied = date(application["date"]) if application else None
    accepted = date(acceptance.get("accepted_on"))
    subject, clauses = "acceptance.application", ("3.4.2",)
    if application:
        problems: list[Problem] = []
        if accepted and applied and applied > accepted:
            problems.append(
                Problem(
                    record,
                    ("acceptance", "accepted_on"),
                    msg(
                        f"验收通过日期 {accepted} 早于验收申请日期 {applied}。应先提交申请、再由客户验收：请核对日期。",
                        f"The sign-off ({accepted}) predates the acceptance application ({applied}). The "
                        "application comes first: check the dates.",
                    ),
                )
            )
        return duty(record, ("acceptance", "application"), subject, APPLICATION, manager, problems, clauses=clauses)
    if accepted:
        return duty(
            record,
            ("acceptance", "accepted_on"),
            subject,
            APPLICATION,
            manager,
            [
                Problem(
                    record,
                    ("acceptance", "accepted_on"),
                    msg(
                        f"项目已于 {accepted} 验收通过，但没有验收申请记录（application）。请补充申请日期和提交的验收"
                        "文档。",
                        f"The project was accepted on {accepted} but there is no acceptance application. Add the "
                        "application with its date and the documents submitted.",
                    ),
                )
            ],
            clauses=clauses,
        )
    if completed_closed(record):
        return duty(
            record,
            ("phase",),
            subject,
            APPLICATION,
            manager,
            [
                Problem(
                    record,
                    ("phase",),
                    msg(
                        "项目已关闭，但没有验收申请记录（acceptance.application）。请补充向客户提交验收申请的日期和"
                        f"验收文档。{IF_CANCELLED.zh}",
                        "The project is closed but records no acceptance application (acceptance.application). Add "
                        f"the date the application went to the customer and its documents. {IF_CANCELLED.en}",
                    ),
                )
            ],
            clauses=clauses,
        )
    if record.get("phase") == "acceptance":
        return waiting(record, ("phase",), subject, APPLICATION, manager, clauses)
    return not_applicable(record, ("phase",), subject, APPLICATION, why_not(record), manager, clauses=clauses)
