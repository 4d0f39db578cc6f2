"""Every member of staff has a career development plan (5.3.1).

The department helps each employee set a career goal and the path to it.
An active person who joined more than ``career_plan_grace_days`` days ago
(``dops.yaml``, 90 by default) needs ``career_plan`` with the goal, the steps
and the date it was last agreed with their superior. Newcomers get the grace
period to work the plan out: the plan falls due that many days after joining
and is overdue after that. The duty is owed by the person's current superior
(the head of department's by HR, ``responsible.hr``, else the head); it is
not applicable to people who have left.

Failing::

    id: EMP-0005
    joined_on: 2026-03-02
    status: active
    # no career_plan, checked on 2026-11-24

Passing::

    id: EMP-0005
    joined_on: 2026-03-02
    status: active
    career_plan:
      goal: 项目经理
      path: [独立负责子项目, 取得 PMP 认证]
      updated_on: 2026-05-20
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Duty, date, duty, not_applicable, pending

DOC_ZH = """每位员工都须有职业发展规划（5.3.1）。

部门帮助每位员工明确职业发展目标和路径。在职、且入职已超过
``career_plan_grace_days`` 天（``dops.yaml``，默认 90 天）的员工，必须有
``career_plan``，写明目标、路径，以及最近一次与上级商定的日期。新员工有这段宽限期来
想清楚自己的规划：规划在入职满这么多天时到期，过期即逾期。这项义务由员工现在的上级负责
（部门负责人的由人力资源负责，即 ``responsible.hr``，未设定时为部门负责人本人）；
对已离职的员工不适用。

不合规示例::

    id: EMP-0005
    joined_on: 2026-03-02
    status: active
    # 没有 career_plan，检查日期 2026-11-24

合规示例::

    id: EMP-0005
    joined_on: 2026-03-02
    status: active
    career_plan:
      goal: 项目经理
      path: [独立负责子项目, 取得 PMP 认证]
      updated_on: 2026-05-20
"""

ID = "career-plan"
CLAUSES = ("5.3.1",)
SEVERITY = "warning"
TITLE = msg("每位员工都有职业发展规划", "Every member of staff has a career development plan")
KINDS = ("person",)


WHAT = msg("与上级商定职业发展规划", "Agree a career development plan with the superior")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second record with the same ID is the duplicate-id rule's finding
    superior, _, _ = ctx.superior_on(record.id, None)
    owner = superior or ctx.hr
    if record.get("status") != "active":
        why = msg(f"{record.id} 已离职。", f"{record.id} has left.")
        yield not_applicable(record, ("status",), "career-plan", WHAT, why, owner)
        return
    if record.get("career_plan") is not None:
        yield duty(record, ("career_plan",), "career-plan", WHAT, owner)
        return
    joined = date(record.get("joined_on"))
    if joined is None:
        return  # the schema requires joined_on: an invalid record is the schema's finding
    grace = ctx.settings.cadence("career_plan_grace_days")
    due = joined + dt.timedelta(days=grace)
    late = msg(
        f"{record.id} 于 {joined} 入职，至今（{ctx.as_of}）已超过 {grace} 天，但还没有职业发展规划"
        f"（最迟应于 {due} 制定）。请与其上级一起制定规划，并填写 career_plan：发展目标（goal）、"
        "发展路径（path）和确认日期（updated_on）。",
        f"{record.id} joined on {joined}, more than {grace} days before {ctx.as_of}, but has no career plan "
        f"(it was due by {due}). Agree one with their superior and fill in career_plan with the goal, "
        "the path and updated_on.",
    )
    yield pending(record, ("id",), "career-plan", WHAT, owner, due, late)
