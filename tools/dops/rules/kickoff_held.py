"""A project past initiation held a kickoff meeting before execution, attended by the whole team (3.1.2, 2.1.2).

The project manager opens the project with a kickoff meeting that sets out
the goals, the division of work and the milestones. Once a project is in
execution, monitoring, acceptance or closed, its ``kickoff`` must be recorded
with a date no later than ``execution_started_on``. The manager and every
team member who had joined by the kickoff date (``joined_on`` on or before
it, and not ``left_on`` before it) must be among the attendees, and nobody
who had already left the department (person ``status: left`` with ``left_on``
before the kickoff) may be listed as attending. The duty (``kickoff``) is the
project manager's. During initiation it is not applicable until a kickoff is
recorded; a kickoff recorded then is checked all the same.

Failing::

    phase: execution
    manager: EMP-0002
    execution_started_on: 2026-03-02
    team:
      - {person: EMP-0003, role: project_specialist, duty: 接口开发, joined_on: 2026-02-10}
    kickoff:
      date: 2026-03-09           # after execution started
      attendees: [EMP-0002, EMP-0009]   # EMP-0003 had joined but is missing; EMP-0009 left on 2026-02-27
      notes: 明确目标与分工

Passing::

    phase: execution
    manager: EMP-0002
    execution_started_on: 2026-03-02
    team:
      - {person: EMP-0003, role: project_specialist, duty: 接口开发, joined_on: 2026-02-10}
      - {person: EMP-0004, role: operations_support, duty: 环境运维, joined_on: 2026-04-01}
    kickoff:
      date: 2026-02-24
      attendees: [EMP-0002, EMP-0003]   # EMP-0004 joined later
      notes: 明确目标与分工
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Message, Record, msg
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, phase_reached

DOC_ZH = """已过启动阶段的项目必须在执行前召开启动会，全体团队成员参加（3.1.2、2.1.2）。

项目经理通过启动会开启项目，会上明确项目目标、任务分工和时间节点。项目一旦进入执行、
监控、验收阶段或已关闭，就必须记录 ``kickoff``，且启动会日期不得晚于
``execution_started_on``。项目经理，以及在启动会当天已加入团队的每位成员
（``joined_on`` 不晚于启动会日期，且没有早于该日期的 ``left_on``），都必须在参会人之
列；在启动会之前已离职的人（人员记录 ``status: left`` 且 ``left_on`` 早于启动会日期）
不能列为参会人。这项义务（``kickoff``）由项目经理履行。启动阶段在记录启动会之前不适用；
在启动阶段就已记录的启动会，同样要检查。

不合规示例::

    phase: execution
    manager: EMP-0002
    execution_started_on: 2026-03-02
    team:
      - {person: EMP-0003, role: project_specialist, duty: 接口开发, joined_on: 2026-02-10}
    kickoff:
      date: 2026-03-09           # 晚于执行开始日期
      attendees: [EMP-0002, EMP-0009]   # EMP-0003 已加入团队，却没有参会；EMP-0009 已于 2026-02-27 离职
      notes: 明确目标与分工

合规示例::

    phase: execution
    manager: EMP-0002
    execution_started_on: 2026-03-02
    team:
      - {person: EMP-0003, role: project_specialist, duty: 接口开发, joined_on: 2026-02-10}
      - {person: EMP-0004, role: operations_support, duty: 环境运维, joined_on: 2026-04-01}
    kickoff:
      date: 2026-02-24
      attendees: [EMP-0002, EMP-0003]   # EMP-0004 是会后才加入的
      notes: 明确目标与分工
"""

ID = "kickoff-held"
CLAUSES = ("3.1.2", "2.1.2")
SEVERITY = "error"
TITLE = msg(
    "执行前须召开项目启动会，项目经理和已加入的团队成员均须参加",
    "A kickoff meeting attended by the manager and the team is held before execution",
)
KINDS = ("project",)

PAST_INITIATION = ("execution", "monitoring", "acceptance", "closed")


def _named(person_id: str, ctx: Context) -> Message:
    """``EMP-0003（王磊）`` / ``EMP-0003 (王磊)``; the Chinese form runs straight into the next word."""
    person = ctx.index.get(person_id, "person")
    if person is None:
        return msg(f"{person_id} ", person_id)
    return msg(f"{person_id}（{person.data['name']}）", f"{person_id} ({person.data['name']})")


WHAT = msg("执行前召开项目启动会", "Hold the kickoff meeting before execution")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    if record.get("kickoff") is None and record.get("phase") not in PAST_INITIATION:
        why = msg(
            "项目尚在启动阶段，还没有记录启动会。", "The project is still in initiation and records no kickoff yet."
        )
        yield not_applicable(record, ("phase",), "kickoff", WHAT, why, manager)
        return
    at = ("kickoff",) if record.get("kickoff") is not None else ("phase",)
    yield duty(record, at, "kickoff", WHAT, manager, _problems(record, ctx))


def _problems(record: Record, ctx: Context) -> Iterator[Problem]:
    phase = record.get("phase")
    kickoff = record.get("kickoff")
    started = date(record.get("execution_started_on"))
    if kickoff is None:
        if phase in PAST_INITIATION:
            reached = phase_reached(phase)
            yield Problem(
                record,
                ("phase",),
                msg(
                    f"项目{reached.zh}，但没有启动会记录（kickoff）。请补充启动会的日期、参会人员和会议纪要"
                    "（目标、分工、时间节点）。",
                    f"The project {reached.en} but has no kickoff record. Add the kickoff with its date, "
                    "attendees and notes (goals, division of work, milestones).",
                ),
            )
        return

    held = date(kickoff["date"])
    if held and started and held > started:
        yield Problem(
            record,
            ("kickoff", "date"),
            msg(
                f"启动会日期 {held} 晚于执行开始日期 {started}。启动会须在执行开始前召开：请核对日期。",
                f"The kickoff ({held}) is after execution started ({started}). The kickoff comes before "
                "execution: check the dates.",
            ),
        )

    attendees = set(kickoff["attendees"])
    manager = record.get("manager")
    if manager and manager not in attendees:
        named = _named(manager, ctx)
        yield Problem(
            record,
            ("kickoff", "attendees"),
            msg(
                f"项目经理 {named.zh}不在启动会参会人员中。启动会由项目经理组织：请把 {manager} "
                "加入 attendees，或核对记录。",
                f"The project manager {named.en} is not among the kickoff attendees. The manager runs the "
                f"kickoff: add {manager} to attendees, or check the record.",
            ),
        )
    if held is None:
        return
    for index, person_id in enumerate(kickoff["attendees"]):
        person = ctx.index.get(person_id, "person")
        gone = date(person.get("left_on")) if person is not None and person.get("status") == "left" else None
        if person is None or gone is None or gone >= held:
            continue
        named = _named(person_id, ctx)
        yield Problem(
            record,
            ("kickoff", "attendees", index),
            msg(
                f"{named.zh}已于 {gone} 离职，却被列为 {held} 启动会的参会人。请核对参会人员，或核对人员记录中的"
                "离职日期。",
                f"{named.en} left the department on {gone}, yet is listed as attending the kickoff on {held}. "
                "Check the attendees, or the date left in the person record.",
            ),
            related=person,
            related_path=("left_on",),
            clauses=("3.1.2",),
        )
    for index, member in enumerate(record.get("team", default=[])):
        person = member["person"]
        joined, left = date(member["joined_on"]), date(member.get("left_on"))
        if person in attendees or person == manager or joined is None or joined > held:
            continue
        if left is not None and left < held:
            continue
        named = _named(person, ctx)
        yield Problem(
            record,
            ("team", index, "person"),
            msg(
                f"团队成员 {named.zh}于 {joined} 加入项目，{held} 召开启动会时已是团队成员，但不在参会人员中。"
                f"启动会须向每位成员明确分工：请把 {person} 加入启动会 attendees，或核对加入日期。",
                f"Team member {named.en} joined on {joined} and was on the team at the kickoff on {held}, but is not "
                f"among its attendees. The kickoff assigns each member's duties: add {person} to the kickoff "
                "attendees, "
                "or check the date they joined.",
            ),
        )
