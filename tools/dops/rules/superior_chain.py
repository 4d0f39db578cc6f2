"""Everyone reports to a real superior, and the reporting lines end at the head of department (2.1.4, 4.3.2).

Plan approvals, escalations and the superior's assessment in appraisals are
all checked against ``superior`` in the person records, so the reporting
lines must make sense: nobody is their own superior, nobody active reports to
someone who has left (nor did a leaver report to someone who left before
them), and following superiors upwards never comes back to where it started
(EMP-0003 → EMP-0002 → EMP-0003). Only the head of department (role
``department_head``) may have no superior; anyone else without one has
nobody to approve their plans and appraisals. One duty per person record,
owed by HR (``responsible.hr`` in ``dops.yaml``, else the head of
department), who keeps the person records.

Failing::

    # records/people/EMP-0002.yaml
    id: EMP-0002
    roles: [project_manager]
    superior: EMP-0003
    # records/people/EMP-0003.yaml
    id: EMP-0003
    roles: [project_specialist]
    superior: EMP-0002

Passing::

    # records/people/EMP-0002.yaml
    id: EMP-0002
    roles: [project_manager]
    superior: EMP-0001
    # records/people/EMP-0003.yaml
    id: EMP-0003
    roles: [project_specialist]
    superior: EMP-0002
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Duty, Index, Problem, date, duty

DOC_ZH = """每个人都有有效的上级，汇报关系最终归到部门负责人（2.1.4、4.3.2）。

项目计划的审批、重大问题的请示和考核中的上级评价，都以人员记录中的 ``superior`` 为
准，所以汇报关系必须说得通：任何人都不能是自己的上级；在职人员的上级不能是已离职的人
（已离职人员的上级也不能比他更早离职）；顺着上级一路往上，不能绕回起点（EMP-0003 →
EMP-0002 → EMP-0003）。只有部门负责人（岗位为 ``department_head``）可以没有上级；
其他人没有上级，就没有人审批其计划、对其进行考核。每条人员记录一项义务，由人力资源
负责（``dops.yaml`` 中的 ``responsible.hr``，未设定时为部门负责人），人员记录由其维护。

不合规示例::

    # records/people/EMP-0002.yaml
    id: EMP-0002
    roles: [project_manager]
    superior: EMP-0003
    # records/people/EMP-0003.yaml
    id: EMP-0003
    roles: [project_specialist]
    superior: EMP-0002

合规示例::

    # records/people/EMP-0002.yaml
    id: EMP-0002
    roles: [project_manager]
    superior: EMP-0001
    # records/people/EMP-0003.yaml
    id: EMP-0003
    roles: [project_specialist]
    superior: EMP-0002
"""

ID = "superior-chain"
CLAUSES = ("2.1.4", "4.3.2")
SEVERITY = "error"
TITLE = msg(
    "每位员工都有有效的直接上级，汇报关系不成环", "Everyone has a valid superior, and reporting lines never loop"
)
KINDS = ("person",)


WHAT = msg("人员记录写明有效的直接上级", "The person record names a valid superior")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second record with the same ID is the duplicate-id rule's finding
    yield duty(record, ("superior",), "superior", WHAT, ctx.hr, _problems(record, ctx))


def _problems(record: Record, ctx: Context) -> Iterator[Problem]:
    superior_id = record.get("superior")
    if superior_id is None:
        if "department_head" not in record.get("roles", default=[]):
            yield Problem(
                record,
                ("id",),
                msg(
                    f"{record.id} 没有填写直接上级（superior），而只有部门负责人可以不填。没有上级，"
                    "就无人审批其项目计划、"
                    ""
                    "也无人做上级评价：请填写直接上级的人员编号。",
                    f"{record.id} names no superior, and only the head of department may go without one. Without a "
                    "superior nobody approves their plans or assesses them: fill in superior with the person ID.",
                ),
            )
        return
    if superior_id == record.id:
        yield Problem(
            record,
            ("superior",),
            msg(
                f"{record.id} 把自己填成了自己的直接上级。请填写其真正的直接上级。",
                f"{record.id} names themself as their own superior. Fill in their actual superior.",
            ),
        )
        return
    superior = ctx.index.get(superior_id, "person")
    if superior is None:  # an unknown person is the references rule's finding
        return
    superior_left = date(superior.get("left_on")) if superior.get("status") == "left" else None
    own_left = date(record.get("left_on"))
    if superior_left and record.get("status") == "active":
        yield Problem(
            record,
            ("superior",),
            msg(
                f"{record.id} 的直接上级 {superior_id} 已于 {superior_left} 离职。请改为现任的直接上级，"
                "否则项目计划审批和上级评价都无法核对。",
                f"{record.id}'s superior {superior_id} left on {superior_left}. Name their current superior: "
                "plan approvals and the superior's assessment are checked against it.",
            ),
            related=superior,
            related_path=("left_on",),
        )
    elif superior_left and own_left and superior_left < own_left:
        yield Problem(
            record,
            ("superior",),
            msg(
                f"{record.id} 于 {own_left} 离职，但记录中的直接上级 {superior_id} 早在 {superior_left} 就已离职。"
                "请填写其离职前最后一位直接上级。",
                f"{record.id} left on {own_left}, but the superior on record, {superior_id}, had already left on "
                f"{superior_left}. Name the superior they reported to when they left.",
            ),
            related=superior,
            related_path=("left_on",),
        )
    cycle = _cycles(ctx.index).get(record.id)
    if cycle:
        shown = " → ".join([*cycle, cycle[0]])
        yield Problem(
            record,
            ("superior",),
            msg(
                f"汇报关系成环：{shown}。沿直接上级向上必须最终到达部门负责人，请改正其中的 superior。",
                f"The reporting line loops: {shown}. Following superiors upwards must end at the head of "
                "department: correct the superior in one of these records.",
            ),
            related=superior,
            related_path=("superior",),
        )


@functools.lru_cache(maxsize=1)
def _cycles(index: Index) -> dict[str, list[str]]:
    """Person ID → the loop of superiors it sits on (starting with itself), for people on a loop.

    Self-references are left out: the rule reports them on their own.
    """
    superior_of = {person.id: person.data.get("superior") for person in index.valid("person")}
    state: dict[str, int] = {}  # 1 on the current walk, 2 done
    loops: dict[str, list[str]] = {}
    for start in superior_of:
        walk: list[str] = []
        current: str | None = start
        while current in superior_of and current not in state:
            state[current] = 1
            walk.append(current)
            current = superior_of[current]
        if current in state and state[current] == 1:
            loop = walk[walk.index(current) :]
            if len(loop) > 1:
                for position, member in enumerate(loop):
                    loops[member] = loop[position:] + loop[:position]
        for member in walk:
            state[member] = 2
    return loops
