"""A completed appraisal combines self, superior, peer and customer assessments (4.3).

Each completed review holds the employee's self-assessment (4.3.1); the
superior's assessment, by whoever was the superior on the last day of the
period (``superior`` in the person record, or the entry of
``superior_history`` in force that day) (4.3.2); at least one peer assessment
by a colleague who is neither the employee nor that superior (4.3.4); and a
customer assessment for every customer project the employee worked on during
the period, as a team member or as its manager (4.3.3). A project counts when
the employee's time on it (a manager's from the project's start) overlaps the
period, its execution had started by the end of the period and it was not
closed before the period began. Reviews still in progress are not checked yet.
When the person record names no superior for the period's end (the head of
department), the superior's assessment is not required.

Failing::

    id: REV-EMP-0003-2026Q3
    person: EMP-0003          # superior: EMP-0002; on PRJ-2026-001's team all quarter
    status: completed
    assessments:
      self: {date: 2026-09-28, summary: 按期完成数据迁移}
      superior: {assessor: EMP-0001, date: 2026-10-09, summary: 表现良好}
      peers: [{assessor: EMP-0002, date: 2026-10-08, summary: 配合积极}]
      # no customers

Passing::

    id: REV-EMP-0003-2026Q3
    person: EMP-0003
    status: completed
    assessments:
      self: {date: 2026-09-28, summary: 按期完成数据迁移}
      superior: {assessor: EMP-0002, date: 2026-10-09, summary: 表现良好}
      peers: [{assessor: EMP-0004, date: 2026-10-08, summary: 配合积极}]
      customers:
        - {project: PRJ-2026-001, date: 2026-10-10, summary: 响应及时}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dops.core.model import Path, Record, msg
from dops.rules.base import Context, Problem, date, period_bounds

DOC_ZH = """已完成的考核须包含自评、上级评价、同事评价和客户评价（4.3）。

每条已完成的考核都要包含：员工的自评（4.3.1）；上级评价，由考核周期最后一天时的上级
作出（人员记录中的 ``superior``，或当天有效的 ``superior_history`` 条目）
（4.3.2）；至少一份同事评价，评价人既不是员工本人，也不是这位上级（4.3.4）；
以及员工在该周期内参与的每个客户项目（无论是作为团队成员还是项目经理）
的客户评价（4.3.3）。一个项目要计入，需同时满足：员工在项目上的时间（项目经理从项目
开始算起）与考核周期有重叠，项目在周期结束前已开始执行，且不是在周期开始前就已关闭。
仍在进行中的考核暂不检查。人员记录中没有周期末的上级时（即部门负责人），
不要求上级评价。

不合规示例::

    id: REV-EMP-0003-2026Q3
    person: EMP-0003          # 其上级为 EMP-0002；整个季度都在 PRJ-2026-001 的团队中
    status: completed
    assessments:
      self: {date: 2026-09-28, summary: 按期完成数据迁移}
      superior: {assessor: EMP-0001, date: 2026-10-09, summary: 表现良好}
      peers: [{assessor: EMP-0002, date: 2026-10-08, summary: 配合积极}]
      # 没有客户评价（customers）

合规示例::

    id: REV-EMP-0003-2026Q3
    person: EMP-0003
    status: completed
    assessments:
      self: {date: 2026-09-28, summary: 按期完成数据迁移}
      superior: {assessor: EMP-0002, date: 2026-10-09, summary: 表现良好}
      peers: [{assessor: EMP-0004, date: 2026-10-08, summary: 配合积极}]
      customers:
        - {project: PRJ-2026-001, date: 2026-10-10, summary: 响应及时}
"""

ID = "review-methods"
CLAUSES = ("4.3.1", "4.3.2", "4.3.3", "4.3.4")
SEVERITY = "error"
TITLE = msg(
    "已完成的考核包含自评、上级评价、同事评价和客户评价",
    "Completed appraisals hold self, superior, peer and customer assessments",
)
KINDS = ("review",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if record.get("status") != "completed":
        return
    person_id = record.get("person")
    period = record.get("period")
    period_end = period_bounds(period)[1]
    superior_id, person, superior_at = ctx.superior_on(person_id, period_end)
    assessments = record.get("assessments", default={})

    if not assessments.get("self"):
        yield Problem(
            record,
            ("assessments",),
            msg(
                f"{period} 的考核已完成，但没有员工自评。请补充 assessments.self：日期和评价内容。",
                f"The {period} appraisal is completed but holds no self-assessment. Add assessments.self with "
                "its date and summary.",
            ),
            clauses=("4.3.1",),
        )

    given = assessments.get("superior")
    if given is None:
        if superior_id is not None:
            yield Problem(
                record,
                ("assessments",),
                msg(
                    f"{period} 的考核已完成，但没有上级评价。{period_end} 时 {person_id} 的直接上级是 {superior_id}："
                    f"请由 {superior_id} 评价，并补充 assessments.superior。",
                    f"The {period} appraisal is completed but holds no assessment by the superior. On {period_end} "
                    f"the superior of {person_id} was {superior_id}: have {superior_id} assess and add "
                    "assessments.superior.",
                ),
                related=person,
                related_path=superior_at,
                clauses=("4.3.2",),
            )
    elif superior_id is not None and given["assessor"] != superior_id:
        yield Problem(
            record,
            ("assessments", "superior", "assessor"),
            msg(
                f"上级评价由 {given['assessor']} 做出，但 {period} 末（{period_end}）{person_id} 的直接上级是 "
                f"{superior_id}。上级评价须由考核期末的直接上级做出：请核对评价人，或更正人员记录中的上级（上级变更过的，"
                "请在 superior_history 中记录原上级及其任期的最后一天）。",
                f"The superior's assessment is by {given['assessor']}, but on {period_end}, the end of {period}, "
                f"the superior of {person_id} was {superior_id}. The superior at the end of the period assesses: "
                "check the assessor, or correct the superior in the person record (after a change of superior, "
                "record the previous one and their last day under superior_history).",
            ),
            related=person,
            related_path=superior_at,
            clauses=("4.3.2",),
        )

    if superior_id is None and given is not None:
        superior_id = given["assessor"]
    peers = assessments.get("peers", [])
    if not any(peer["assessor"] not in (person_id, superior_id) for peer in peers):
        at = ("assessments", "peers") if peers else ("assessments",)
        yield Problem(
            record,
            at,
            msg(
                f"{period} 的考核没有同事评价（本人和直接上级的评价不算）。请至少请一位同事评价，并补充到 "
                "assessments.peers。",
                f"The {period} appraisal holds no peer assessment (neither the employee's own nor the "
                "superior's count). Ask at least one colleague and add it to assessments.peers.",
            ),
            clauses=("4.3.4",),
        )

    yield from _customers(record, ctx, person_id, period, assessments)


def _customers(
    record: Record, ctx: Context, person_id: str, period: str, assessments: dict[str, Any]
) -> Iterator[Problem]:
    start, end = period_bounds(period)
    assessed = {item["project"] for item in assessments.get("customers", [])}
    at = ("assessments", "customers") if "customers" in assessments else ("assessments",)
    seen: set[str] = set()
    # Team members from the day they joined; the manager from the project's start.
    roles: list[tuple[Record, Path, dict[str, Any]]]
    roles = [
        (project, ("team", index, "person"), project.data["team"][index])
        for project, index in ctx.index.memberships.get(person_id, [])
    ]
    roles += [
        (project, ("manager",), {"joined_on": project.data["started_on"]})
        for project in ctx.index.managed.get(person_id, [])
    ]
    for project, where, member in roles:
        if project.id in seen or project.id in assessed:
            continue
        joined, left = date(member["joined_on"]), date(member.get("left_on"))
        executing, closed = date(project.get("execution_started_on")), date(project.get("closed_on"))
        if joined is None or joined > end or (left is not None and left < start):
            continue
        if executing is None or executing > end or (closed is not None and closed < start):
            continue
        seen.add(project.id)
        yield Problem(
            record,
            at,
            msg(
                f"{person_id} 在 {period} 期间参与了客户项目 {project.id}，但考核中没有该项目的客户评价。"
                f"请收集客户对其工作的评价，并在 assessments.customers 中补充 project: {project.id} 的一条。",
                f"{person_id} worked on customer project {project.id} during {period}, but the appraisal "
                f"holds no customer assessment for it. Collect the customer's assessment and add one with "
                f"project: {project.id} to assessments.customers.",
            ),
            related=project,
            related_path=where,
            clauses=("4.3.3",),
        )
