"""Everyone on a project holds the role they play there (2.2.1, 2.3.1, 1.2).

Project specialists and operations-support staff work on projects in the roles
their person records give them, under a project manager. Each ``team`` member's
``role`` must be one of the ``roles`` in that member's person record; the
``manager``'s person record must hold ``project_manager``; the manager is not
listed again in the team; and nobody may join a project after having left the
department (person ``left_on`` before the member's ``joined_on``).

Failing::

    manager: EMP-0002
    team:
      - {person: EMP-0004, role: project_specialist, duty: 数据迁移, joined_on: 2026-09-05}
        # EMP-0004 holds operations_support only

Passing::

    manager: EMP-0002
    team:
      - {person: EMP-0004, role: operations_support, duty: 日常运维, joined_on: 2026-09-05}
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem, date, role_name

DOC_ZH = """每个人在项目中担任的角色，都须是其本人的岗位（2.2.1、2.3.1、1.2）。

项目专员和运营支持人员按照人员记录中的岗位，在项目经理的安排下参与项目。``team`` 中
每位成员的 ``role`` 必须是该成员人员记录中的 ``roles`` 之一；``manager`` 的人员记录
中必须有 ``project_manager``；项目经理不再重复列入团队；任何人都不能在离开部门之后加
入项目（人员记录的 ``left_on`` 早于该成员的 ``joined_on``）。

不合规示例::

    manager: EMP-0002
    team:
      - {person: EMP-0004, role: project_specialist, duty: 数据迁移, joined_on: 2026-09-05}
        # EMP-0004 的岗位只有 operations_support

合规示例::

    manager: EMP-0002
    team:
      - {person: EMP-0004, role: operations_support, duty: 日常运维, joined_on: 2026-09-05}
"""

ID = "team-roles"
CLAUSES = ("2.2.1", "2.3.1", "1.2")
SEVERITY = "error"
TITLE = msg("项目成员的角色须与其岗位一致", "Project members hold the roles they play on the project")
KINDS = ("project",)

ROLE_CLAUSES = {"project_specialist": ("2.2.1", "1.2"), "operations_support": ("2.3.1", "1.2")}


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    manager_id = record.data["manager"]
    manager = ctx.index.get(manager_id, "person")
    if manager is not None and "project_manager" not in manager.data["roles"]:
        yield Problem(
            record,
            ("manager",),
            msg(
                f"项目经理 {manager_id} 的人员记录中没有项目经理（project_manager）岗位，"
                f"只有：{'、'.join(role_name(r).zh for r in manager.data['roles'])}。请改派项目经理，"
                "或在人员记录中补充该岗位。"
                "",
                f"The project manager {manager_id} does not hold the project_manager role in their person record "
                f"(only {', '.join(manager.data['roles'])}). Assign another manager, or add the role to the person "
                "record.",
            ),
            related=manager,
            related_path=("roles",),
            clauses=("1.2",),
        )
    for index, member in enumerate(record.get("team", default=[])):
        person_id = member["person"]
        if person_id == manager_id:
            yield Problem(
                record,
                ("team", index, "person"),
                msg(
                    f"项目经理 {person_id} 不应同时列为团队成员。请从 team 中删除这一项。",
                    f"The project manager {person_id} is also listed as a team member. Remove the entry from team.",
                ),
            )
            continue
        person = ctx.index.get(person_id, "person")
        if person is None:
            continue  # an unknown person is reported by the reference checks
        role = member["role"]
        if role not in person.data["roles"]:
            yield Problem(
                record,
                ("team", index, "role"),
                msg(
                    f"{person_id} 在项目中担任{role_name(role).zh}，但其人员记录中的岗位只有："
                    f"{'、'.join(role_name(r).zh for r in person.data['roles'])}。"
                    "请改为此人拥有的岗位，或先更新人员记录。",
                    f"{person_id} plays {role} on the project, but their person record holds only "
                    f"{', '.join(person.data['roles'])}. Use a role the person holds, or update the person record "
                    "first.",
                ),
                related=person,
                related_path=("roles",),
                clauses=ROLE_CLAUSES.get(role),
            )
        left, joined = date(person.get("left_on")), date(member["joined_on"])
        if person.get("status") == "left" and left and joined and left < joined:
            yield Problem(
                record,
                ("team", index, "joined_on"),
                msg(
                    f"{person_id} 已于 {left} 离职，却在 {joined} 加入项目。请核对加入日期或人员记录。",
                    f"{person_id} left on {left} but is recorded as joining the project on {joined}. Check the "
                    "joining date or the person record.",
                ),
                related=person,
                related_path=("left_on",),
            )
