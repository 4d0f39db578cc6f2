"""A recorded escalation of a major issue goes to the project manager's superior (3.3.3).

The project manager asks their superior about major issues. An issue marked
``major: true`` that records an escalation must name in ``escalated_to`` the
manager's superior on the day of the escalation (``superior`` in the
manager's person record, or the entry of ``superior_history`` in force that
day), with ``escalated_on`` not before ``raised_on``; both fields go together.
When the manager has no superior on record the recipient is not checked
(``superior-chain`` reports that). Each issue of a project has its own ``id``.

This rule states one duty per major issue, named by its ID (``I1``): what the
record says of its escalation. Who must act is the project manager: 3.3.3
makes asking the superior the manager's duty (3.3 is the manager's
monitoring); the superior is whom it goes to, and the finding points at the
person record that names them. These are errors: the record can be put right.
An issue not escalated (yet) has no escalation to check here (not
applicable): whether and when it had to be escalated is the duty
``I1.escalate`` of ``escalation-late``, which also covers a major issue
resolved, or left on a finished project, without ever being escalated.

Failing::

    manager: EMP-0002            # superior: EMP-0001
    issues:
      - id: I1
        raised_on: 2026-05-06
        description: 客户要求提前两周上线
        major: true
        escalated_to: EMP-0003   # not the manager's superior
        escalated_on: 2026-05-05 # before it was raised

Passing::

    manager: EMP-0002
    issues:
      - id: I1
        raised_on: 2026-05-06
        description: 客户要求提前两周上线
        major: true
        escalated_to: EMP-0001
        escalated_on: 2026-05-07
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dops.core.model import Message, Record, msg
from dops.rules._timeline import item_subjects
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable

DOC_ZH = """重大问题的请示须提交给项目经理的上级（3.3.3）。

项目经理就重大问题向上级请示。标记为 ``major: true`` 并记录了请示的问题，
``escalated_to`` 必须是请示当天项目经理的上级（项目经理人员记录中的 ``superior``，或当天
有效的 ``superior_history`` 条目），``escalated_on`` 不得早于 ``raised_on``；这两个字段要一
起填写。项目经理没有登记上级时，不检查请示对象（由 ``superior-chain`` 报出）。同一项目中
每个问题的编号（``id``）都不能重复。

本规则对每个重大问题给出一项义务，以问题编号命名（``I1``）：记录中的请示是否正确。
须采取行动的是项目经理：第 3.3.3 条把向上级请示规定为项目经理的职责（第 3.3 节是项目
经理的监控工作）；上级是请示的对象，报出的问题会指向记载上级的人员记录。这些都是错误：
记录可以改正。尚未请示的问题在这里没有可检查的请示（不适用）：是否必须请示、何时到期，
是 ``escalation-late`` 的义务 ``I1.escalate``，已解决却从未请示、或项目结束时仍未请示的重
大问题也由它报出。

不合规示例::

    manager: EMP-0002            # 其上级为 EMP-0001
    issues:
      - id: I1
        raised_on: 2026-05-06
        description: 客户要求提前两周上线
        major: true
        escalated_to: EMP-0003   # 不是项目经理的上级
        escalated_on: 2026-05-05 # 早于问题提出日期

合规示例::

    manager: EMP-0002
    issues:
      - id: I1
        raised_on: 2026-05-06
        description: 客户要求提前两周上线
        major: true
        escalated_to: EMP-0001
        escalated_on: 2026-05-07
"""

ID = "major-issue-escalated"
CLAUSES = ("3.3.3",)
SEVERITY = "error"
TITLE = msg("重大问题须向项目经理的上级请示", "Major issues are escalated to the project manager's superior")
KINDS = ("project",)


def _to_whom(superior: str | None) -> Message:
    return (
        msg(f"项目经理的上级 {superior} ", f"the manager's superior {superior}")
        if superior
        else msg("项目经理的上级", "the manager's superior")
    )


def _problems(record: Record, ctx: Context, index: int, issue: dict[str, Any]) -> Iterator[Problem]:
    manager_id = record.get("manager")
    name = issue["id"]
    escalated_to, escalated_on = issue.get("escalated_to"), issue.get("escalated_on")
    raised, escalated = date(issue["raised_on"]), date(escalated_on)
    superior, manager, superior_at = ctx.superior_on(manager_id, escalated or raised)
    related = manager if superior else None
    related_path = superior_at if superior else ()
    to_whom = _to_whom(superior)
    if not escalated_on:
        yield Problem(
            record,
            ("issues", index, "escalated_to"),
            msg(
                f"重大问题 {name} 已向 {escalated_to} 请示，但没有填写请示日期（escalated_on）。请补充日期。",
                f"Major issue {name} was escalated to {escalated_to}, but escalated_on is missing. Add the date.",
            ),
        )
    if not escalated_to:
        yield Problem(
            record,
            ("issues", index, "escalated_on"),
            msg(
                f"重大问题 {name} 记录了请示日期 {escalated_on}，但没有填写请示对象（escalated_to）。"
                f"请填写{to_whom.zh.strip()}。",
                f"Major issue {name} has escalated_on {escalated_on} but no escalated_to. Fill in {to_whom.en}.",
            ),
            related=related,
            related_path=related_path,
        )
    elif superior and escalated_to != superior:
        day = escalated or raised
        yield Problem(
            record,
            ("issues", index, "escalated_to"),
            msg(
                f"重大问题 {name} 向 {escalated_to} 请示，但 {day} 时项目经理 {manager_id} 的直接上级是 "
                f"{superior}。重大问题须向项目经理当时的上级请示：请向 {superior} 请示，或核对人员记录中的上级"
                "（上级变更过的，请在 superior_history 中记录原上级及其任期的最后一天）。",
                f"Major issue {name} was escalated to {escalated_to}, but on {day} the superior of the project "
                f"manager {manager_id} was {superior}. Major issues go to the manager's superior of the day: "
                f"escalate to {superior}, or check the superior in the person record (after a change of "
                "superior, record the previous one and their last day under superior_history).",
            ),
            related=manager,
            related_path=superior_at,
        )
    if raised and escalated and escalated < raised:
        yield Problem(
            record,
            ("issues", index, "escalated_on"),
            msg(
                f"重大问题 {name} 的请示日期 {escalated} 早于提出日期 {raised}。请核对日期。",
                f"Major issue {name} was escalated on {escalated}, before it was raised on {raised}. Check the dates.",
            ),
        )


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    issues = record.get("issues", default=[])
    if not any(issue["major"] for issue in issues):
        yield not_applicable(
            record,
            ("issues",),
            "issues",
            msg("向上级请示重大问题", "Escalate major issues to the superior"),
            msg("项目没有记录重大问题。", "The project records no major issue."),
            manager,
        )
        return
    subjects = item_subjects(issue["id"] for issue in issues)
    for index, (issue, subject) in enumerate(zip(issues, subjects, strict=True)):
        if not issue["major"]:
            continue
        name = issue["id"]
        what = msg(f"向上级请示重大问题 {name}", f"Escalate major issue {name} to the superior")
        problems = []
        if subject != name:
            problems.append(
                Problem(
                    record,
                    ("issues", index, "id"),
                    msg(
                        f"问题编号 {name} 在本项目中重复使用。请给这个问题一个未使用的编号。",
                        f"The issue ID {name} is used more than once in this project. Give this issue an unused ID.",
                    ),
                )
            )
        if issue.get("escalated_to") or issue.get("escalated_on"):
            problems.extend(_problems(record, ctx, index, issue))
        elif not problems:
            yield not_applicable(
                record,
                ("issues", index),
                subject,
                what,
                msg(
                    "尚未记录请示：是否必须请示、何时到期，见 escalation-late。",
                    "No escalation is recorded yet: escalation-late says whether and by when it is due.",
                ),
                manager,
            )
            continue
        yield duty(record, ("issues", index), subject, what, manager, problems)
