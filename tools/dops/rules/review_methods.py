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
closed before the period began.

Each completed review gets four duties, one per method and clause (``self``,
``superior``, ``peers``, ``customers``), owed by the superior on the period's
last day, who completes the appraisal. They are not applicable while the
review is in progress (checked once it is completed); the superior's
assessment is not applicable when the person record names no superior for
the period's end (the head of department); the customers' assessments when
the employee worked on no customer project in execution during the period.

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
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, period_bounds
from dops.rules.review_due import reviewer

DOC_ZH = """已完成的考核须包含自评、上级评价、同事评价和客户评价（4.3）。

每条已完成的考核都要包含：员工的自评（4.3.1）；上级评价，由考核周期最后一天时的上级
作出（人员记录中的 ``superior``，或当天有效的 ``superior_history`` 条目）
（4.3.2）；至少一份同事评价，评价人既不是员工本人，也不是这位上级（4.3.4）；
以及员工在该周期内参与的每个客户项目（无论是作为团队成员还是项目经理）
的客户评价（4.3.3）。一个项目要计入，需同时满足：员工在项目上的时间（项目经理从项目
开始算起）与考核周期有重叠，项目在周期结束前已开始执行，且不是在周期开始前就已关闭。

每条已完成的考核有四项义务，每种考核方式、每个条款一项（``self``、``superior``、
``peers``、``customers``），由周期最后一天的上级负责，因为考核由其完成。考核仍在进行
中时，这些义务暂不适用（完成后再检查）；人员记录中没有周期末的上级时（即部门负责人），
上级评价不适用；员工在该周期内没有参与执行中的客户项目时，客户评价不适用。

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


WHAT = {
    "self": msg("考核包含员工自评", "Appraisal holds the self-assessment"),
    "superior": msg("考核包含上级评价", "Appraisal holds the superior's assessment"),
    "peers": msg("考核包含同事评价", "Appraisal holds a peer assessment"),
    "customers": msg("考核包含客户评价", "Appraisal holds the customers' assessments"),
}
CLAUSE = {"self": "4.3.1", "superior": "4.3.2", "customers": "4.3.3", "peers": "4.3.4"}


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second record with the same ID is the duplicate-id rule's finding
    person_id = record.get("person")
    period = record.get("period")
    owner = reviewer(ctx, person_id, period)
    if record.get("status") != "completed":
        why = msg(
            "考核仍在进行中：完成时再检查各项评价。",
            "The appraisal is still in progress: its assessments are checked once it is completed.",
        )
        for key in ("self", "superior", "peers", "customers"):
            yield not_applicable(record, ("status",), key, WHAT[key], why, owner, clauses=(CLAUSE[key],))
        return
    period_end = period_bounds(period)[1]
    superior_id, person, superior_at = ctx.superior_on(person_id, period_end)
    assessments = record.get("assessments", default={})

    def stated(key: str, problems: list[Problem]) -> Duty:
        return duty(record, ("assessments", key), key, WHAT[key], owner, problems, clauses=(CLAUSE[key],))

    found: list[Problem] = []
    if not assessments.get("self"):
        found.append(
            Problem(
                record,
                ("assessments",),
                msg(
                    f"{period} 的考核已完成，但没有员工自评。请补充 assessments.self：日期和评价内容。",
                    f"The {period} appraisal is completed but holds no self-assessment. Add assessments.self with "
                    "its date and summary.",
                ),
            )
        )
    yield stated("self", found)

    given = assessments.get("superior")
    found = []
    if given is None and superior_id is None:
        yield not_applicable(
            record,
            ("assessments",),
            "superior",
            WHAT["superior"],
            msg(
                f"{period_end} 时 {person_id} 没有上级（部门负责人由公司领导考核）。",
                f"{person_id} had no superior on {period_end} (the head of department is appraised by company "
                "leadership).",
            ),
            owner,
            clauses=(CLAUSE["superior"],),
        )
    else:
        if given is None:
            found.append(
                Problem(
                    record,
                    ("assessments",),
                    msg(
                        f"{period} 的考核已完成，但没有上级评价。{period_end} 时 {person_id} 的直接上级是 "
                        f"{superior_id}：请由 {superior_id} 评价，并补充 assessments.superior。",
                        f"The {period} appraisal is completed but holds no assessment by the superior. On "
                        f"{period_end} the superior of {person_id} was {superior_id}: have {superior_id} assess "
                        "and add assessments.superior.",
                    ),
                    related=person,
                    related_path=superior_at,
                )
            )
        elif superior_id is not None and given["assessor"] != superior_id:
            found.append(
                Problem(
                    record,
                    ("assessments", "superior", "assessor"),
                    msg(
                        f"上级评价由 {given['assessor']} 做出，但 {period} 末（{period_end}）{person_id} 的直接上级是 "
                        f"{superior_id}。上级评价须由考核期末的直接上级做出：请核对评价人，或更正人员记录中的上级"
                        "（上级变更过的，请在 superior_history 中记录原上级及其任期的最后一天）。",
                        f"The superior's assessment is by {given['assessor']}, but on {period_end}, the end of "
                        f"{period}, the superior of {person_id} was {superior_id}. The superior at the end of the "
                        "period assesses: check the assessor, or correct the superior in the person record (after "
                        "a change of superior, record the previous one and their last day under "
                        "superior_history).",
                    ),
                    related=person,
                    related_path=superior_at,
                )
            )
        yield stated("superior", found)

    if superior_id is None and given is not None:
        superior_id = given["assessor"]
    peers = assessments.get("peers", [])
    found = []
    if not any(peer["assessor"] not in (person_id, superior_id) for peer in peers):
        at = ("assessments", "peers") if peers else ("assessments",)
        found.append(
            Problem(
                record,
                at,
                msg(
                    f"{period} 的考核没有同事评价（本人和直接上级的评价不算）。请至少请一位同事评价，并补充到 "
                    "assessments.peers。",
                    f"The {period} appraisal holds no peer assessment (neither the employee's own nor the "
                    "superior's count). Ask at least one colleague and add it to assessments.peers.",
                ),
            )
        )
    yield stated("peers", found)

    projects = customer_projects(ctx, person_id, period)
    if not projects:
        yield not_applicable(
            record,
            ("assessments",),
            "customers",
            WHAT["customers"],
            msg(
                f"{person_id} 在 {period} 期间没有参与执行中的客户项目。",
                f"{person_id} worked on no customer project in execution during {period}.",
            ),
            owner,
            clauses=(CLAUSE["customers"],),
        )
        return
    assessed = {item["project"] for item in assessments.get("customers", [])}
    where_customers: Path = ("assessments", "customers") if "customers" in assessments else ("assessments",)
    found = [
        Problem(
            record,
            where_customers,
            msg(
                f"{person_id} 在 {period} 期间参与了客户项目 {project.id}，但考核中没有该项目的客户评价。"
                f"请收集客户对其工作的评价，并在 assessments.customers 中补充 project: {project.id} 的一条。",
                f"{person_id} worked on customer project {project.id} during {period}, but the appraisal "
                f"holds no customer assessment for it. Collect the customer's assessment and add one with "
                f"project: {project.id} to assessments.customers.",
            ),
            related=project,
            related_path=where,
        )
        for project, where in projects
        if project.id not in assessed
    ]
    yield stated("customers", found)


def customer_projects(ctx: Context, person_id: str, period: str) -> list[tuple[Record, Path]]:
    """The customer projects ``person_id`` worked on during ``period``, with where the record says so."""
    start, end = period_bounds(period)
    seen: set[str] = set()
    found: list[tuple[Record, Path]] = []
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
        if project.id in seen:
            continue
        joined, left = date(member["joined_on"]), date(member.get("left_on"))
        executing, closed = date(project.get("execution_started_on")), date(project.get("closed_on"))
        if joined is None or joined > end or (left is not None and left < start):
            continue
        if executing is None or executing > end or (closed is not None and closed < start):
            continue
        seen.add(project.id)
        found.append((project, where))
    return found
