"""Major issues are escalated to the project manager's superior (3.3.3).

The project manager asks their superior about major issues. An issue marked
``major: true`` that records an escalation must name in ``escalated_to`` the
manager's superior on the day of the escalation (``superior`` in the
manager's person record, or the entry of ``superior_history`` in force that
day), with ``escalated_on`` not before ``raised_on``; both fields go together.
When the manager has no superior on record the recipient is not checked
(``superior-chain`` reports that). A major issue that was resolved
(``resolved_on``), or that belongs to a project already accepted or closed,
must have been escalated. An open major issue not yet escalated is left to
``escalation-late``, which warns once the time set for escalating has passed.

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

from dops.core.model import Message, Record, msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """重大问题须向项目经理的上级请示（3.3.3）。

项目经理就重大问题向上级请示。标记为 ``major: true`` 并记录了请示的问
题，``escalated_to`` 必须是请示当天项目经理的上级（项目经理人员记录中的
``superior``，或当天有效的 ``superior_history`` 条目），``escalated_on`` 不得早于
``raised_on``；这两个字段要一起填写。项目经理没有登记上级时，不检查请示对象（由
``superior-chain`` 报出）。已解决（``resolved_on``）的重大问题，以及已验收或已关闭项
目中的重大问题，都必须已经请示过。尚未解决、也还没有请示的重大问题交给
``escalation-late``：超过规定的请示期限后，它会给出警告。

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


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    issues = [(i, issue) for i, issue in enumerate(record.get("issues", default=[])) if issue["major"]]
    if not issues:
        return
    manager_id = record.get("manager")
    accepted_on = record.get("acceptance", "accepted_on")
    if accepted_on:
        project_done = msg(f"所在项目已于 {accepted_on} 验收通过", f"belongs to a project accepted on {accepted_on}")
    elif record.get("phase") == "closed":
        project_done = msg("所在项目已关闭", "belongs to a closed project")
    else:
        project_done = None
    for index, issue in issues:
        name = issue["id"]
        escalated_to, escalated_on = issue.get("escalated_to"), issue.get("escalated_on")
        raised, escalated = date(issue["raised_on"]), date(escalated_on)
        superior, manager, superior_at = ctx.superior_on(manager_id, escalated or raised)
        related = manager if superior else None
        related_path = superior_at if superior else ()
        to_whom = _to_whom(superior)
        if not escalated_to and not escalated_on:
            resolved = issue.get("resolved_on")
            why = msg(f"已于 {resolved} 解决", f"was resolved on {resolved}") if resolved else project_done
            if why is not None:
                yield Problem(
                    record,
                    ("issues", index),
                    msg(
                        f"重大问题 {name}（{issue['raised_on']} 提出）{why.zh}，但没有向上级请示的记录。"
                        f"重大问题须向{to_whom.zh}请示：请补充 escalated_to 和 escalated_on。",
                        f"Major issue {name} (raised {issue['raised_on']}) {why.en}, but no escalation is recorded. "
                        f"Major issues are escalated to {to_whom.en}: fill in escalated_to and escalated_on.",
                    ),
                    related=related,
                    related_path=related_path,
                )
            continue
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
                    f"{superior}。"
                    ""
                    f"重大问题须向项目经理当时的上级请示：请向 {superior} 请示，或核对人员记录中的上级"
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
                    f"Major issue {name} was escalated on {escalated}, before it was raised on {raised}. "
                    "Check the dates.",
                ),
            )
