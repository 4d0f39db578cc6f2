"""A project has a team of current staff, each in a role they hold (2.1.2, 2.2.1, 2.3.1, 1.2).

The project manager coordinates the team and gives each member a clear duty
(2.1.2); project specialists and operations-support staff work on projects in
the roles their person records give them (2.2.1, 2.3.1, 1.2). Two duties:

* ``manager`` (1.2), owed by the manager's superior, who assigns the project:
  the ``manager``'s person record must hold ``project_manager``.
* ``team`` (2.1.2), owed by the project manager: once a project is past
  initiation its ``team`` may not be empty; each member's ``role`` must be one
  of the ``roles`` in their person record; the manager is not listed again in
  the team; nobody may join a project after having left the department
  (person ``left_on`` before the member's ``joined_on``); and a member who left
  the department while the project ran must have left the project too: the
  member's ``left_on`` no later than the person's. During initiation an empty
  team is not yet a violation (the duty is not applicable).

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
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, phase_reached, role_name

DOC_ZH = """项目有由在职人员组成的团队，每个人担任的角色都是其本人的岗位（2.1.2、2.2.1、2.3.1、1.2）。

项目经理协调团队成员的工作，明确各成员的职责和分工（2.1.2）；项目专员和运营支持人员按照
人员记录中的岗位参与项目（2.2.1、2.3.1、1.2）。这是两项义务：

* ``manager``（1.2），由分派项目的项目经理上级履行：``manager`` 的人员记录中必须有
  ``project_manager``。
* ``team``（2.1.2），由项目经理履行：项目过了启动阶段，``team`` 就不能为空；每位成员的
  ``role`` 必须是其人员记录中的 ``roles`` 之一；项目经理不再重复列入团队；任何人都不能
  在离开部门之后加入项目（人员记录的 ``left_on`` 早于该成员的 ``joined_on``）；项目进行
  期间离职的成员也必须离开项目：成员的 ``left_on`` 不得晚于其离职日期。启动阶段团队为空
  还不算违规（这项义务不适用）。

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
CLAUSES = ("2.1.2", "2.2.1", "2.3.1", "1.2")
SEVERITY = "error"
TITLE = msg(
    "项目有由在职人员组成的团队，成员的角色须与其岗位一致",
    "A project has a team of current staff, each holding the role they play",
)
KINDS = ("project",)

ROLE_CLAUSES = {"project_specialist": ("2.2.1", "1.2"), "operations_support": ("2.3.1", "1.2")}


PAST_INITIATION = ("execution", "monitoring", "acceptance", "closed")
MANAGER = msg("由具备项目经理岗位的人担任项目经理", "Have a project manager by role manage the project")
TEAM = msg("组建项目团队并明确分工", "Staff the team and assign each member's duty")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager_id = record.data["manager"]
    superior = ctx.superior_on(manager_id, None)[0] or ctx.department_head
    yield duty(record, ("manager",), "manager", MANAGER, superior, _manager(record, ctx), clauses=("1.2",))
    team = record.get("team", default=[])
    if not team and record.get("phase") not in PAST_INITIATION:
        why = msg("项目尚在启动阶段，还没有组建团队。", "The project is still in initiation and has no team yet.")
        yield not_applicable(record, ("phase",), "team", TEAM, why, manager_id, clauses=("2.1.2",))
        return
    at = ("team",) if "team" in record.data else ("phase",)
    yield duty(record, at, "team", TEAM, manager_id, _team(record, ctx), clauses=("2.1.2",))


def _manager(record: Record, ctx: Context) -> Iterator[Problem]:
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


def _team(record: Record, ctx: Context) -> Iterator[Problem]:
    manager_id = record.data["manager"]
    team = record.get("team", default=[])
    if not team:
        yield Problem(
            record,
            ("team",) if "team" in record.data else ("phase",),
            msg(
                f"项目{phase_reached(record.data['phase']).zh}，但项目团队（team）为空。项目经理须组建团队、明确"
                "每位成员的职责和分工：请在 team 中列出成员、角色、分工和加入日期。",
                f"The project {phase_reached(record.data['phase']).en} but its team is empty. The manager staffs "
                "the team and gives each member a clear duty: list the members with their role, duty and date "
                "joined under team.",
            ),
            clauses=("2.1.2",),
        )
    for index, member in enumerate(team):
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
                clauses=("2.1.2",),
            )
            continue
        stayed = date(member.get("left_on"))
        ended = date(record.get("closed_on"))
        running = ended is None or (left is not None and ended > left)
        if person.get("status") == "left" and left and running and (stayed is None or stayed > left):
            at = ("team", index, "left_on") if stayed else ("team", index, "person")
            until = (
                msg(f"但在项目中的离开日期是 {stayed}", f"but the team lists them until {stayed}")
                if stayed
                else msg("但仍列为项目团队成员（没有离开日期 left_on）", "but is still listed on the team (no left_on)")
            )
            yield Problem(
                record,
                at,
                msg(
                    f"{person_id} 已于 {left} 离职，{until.zh}。离职的人不能再承担项目分工：请填写其离开项目的日期"
                    f"（不晚于 {left}），并把其分工交给其他成员。",
                    f"{person_id} left the department on {left}, {until.en}. Someone who has left holds no duty on "
                    f"the project: fill in the day they left the project (no later than {left}) and hand their "
                    "duty to another member.",
                ),
                related=person,
                related_path=("left_on",),
                clauses=("2.1.2",),
            )
