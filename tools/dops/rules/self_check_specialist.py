"""A project specialist takes part in the internal self-check (2.2.4).

Project specialists take part in testing and acceptance and check the
deliverables first. When a project's team has project specialists and an
``acceptance.self_check`` is recorded, its participants must include at least
one of them. Specialists who left the project (or the department) before the
self-check, or joined it only afterwards, are not counted. The duty
(``acceptance.self_check.specialist``) is the project manager's, who
organises the self-check; it is not applicable before a self-check is
recorded (``acceptance-self-check`` says when one is needed), nor when no
project specialist was on the team that day.

Failing::

    team:
      - {person: EMP-0003, role: project_specialist, duty: 测试验证, joined_on: 2026-01-10}
    acceptance:
      self_check: {date: 2026-06-10, participants: [EMP-0002], result: passed}

Passing::

    team:
      - {person: EMP-0003, role: project_specialist, duty: 测试验证, joined_on: 2026-01-10}
    acceptance:
      self_check: {date: 2026-06-10, participants: [EMP-0002, EMP-0003], result: passed}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dops.core.model import Record, msg
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable

DOC_ZH = """项目专员须参加内部自查（2.2.4）。

项目专员参与项目的测试和验收工作，先对交付成果进行初步检查。项目团队中有项目专员、
并且记录了 ``acceptance.self_check`` 时，自查的参加人中至少要有一位项目专员。
在自查之前已离开项目（或已离职）、或在自查之后才加入的专员不计在内。这项义务
（``acceptance.self_check.specialist``）由组织自查的项目经理履行；尚未记录自查时不适用
（何时须自查由 ``acceptance-self-check`` 检查），自查当天团队中没有项目专员时也不适用。

不合规示例::

    team:
      - {person: EMP-0003, role: project_specialist, duty: 测试验证, joined_on: 2026-01-10}
    acceptance:
      self_check: {date: 2026-06-10, participants: [EMP-0002], result: passed}

合规示例::

    team:
      - {person: EMP-0003, role: project_specialist, duty: 测试验证, joined_on: 2026-01-10}
    acceptance:
      self_check: {date: 2026-06-10, participants: [EMP-0002, EMP-0003], result: passed}
"""

ID = "self-check-specialist"
CLAUSES = ("2.2.4",)
SEVERITY = "error"
TITLE = msg("项目专员须参加项目内部自查", "A project specialist takes part in the internal self-check")
KINDS = ("project",)


SUBJECT = "acceptance.self_check.specialist"
WHAT = msg("让项目专员参加内部自查", "Have a project specialist take part in the self-check")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    self_check = record.get("acceptance", "self_check")
    if not self_check:
        why = msg("尚未记录内部自查。", "No internal self-check is recorded yet.")
        yield not_applicable(record, ("acceptance",), SUBJECT, WHAT, why, manager)
        return
    checked = date(self_check["date"])
    specialists: list[str] = []
    for member in record.get("team", default=[]):
        if member["role"] != "project_specialist":
            continue
        joined, left = date(member["joined_on"]), date(member.get("left_on"))
        if checked and ((joined and joined > checked) or (left and left < checked)):
            continue
        person = ctx.index.get(member["person"], "person")
        gone = date(person.get("left_on")) if person is not None and person.get("status") == "left" else None
        if checked and gone and gone < checked:
            continue
        if member["person"] not in specialists:
            specialists.append(member["person"])
    at = ("acceptance", "self_check", "participants")
    if not specialists:
        why = msg(f"{checked} 自查时项目团队中没有项目专员。", f"No project specialist was on the team on {checked}.")
        yield not_applicable(record, at, SUBJECT, WHAT, why, manager)
        return
    yield duty(record, at, SUBJECT, WHAT, manager, _problems(record, ctx, self_check, checked, specialists))


def _problems(
    record: Record, ctx: Context, self_check: dict[str, Any], checked: dt.date | None, specialists: list[str]
) -> Iterator[Problem]:
    if set(specialists) & set(self_check["participants"]):
        return
    names_zh, names_en = [], []
    for person_id in specialists:
        person = ctx.index.get(person_id, "person")
        names_zh.append(f"{person_id}（{person.data['name']}）" if person is not None else person_id)
        names_en.append(f"{person_id} ({person.data['name']})" if person is not None else person_id)
    yield Problem(
        record,
        ("acceptance", "self_check", "participants"),
        msg(
            f"{checked} 的内部自查没有项目专员参加。项目团队中的项目专员有：{'、'.join(names_zh)}。"
            "项目专员应参与自查、对交付成果进行初步检查：请核对参加人员，或在有专员参加的情况下重新自查。",
            f"No project specialist took part in the internal self-check on {checked}. The team's project "
            f"specialists are: {', '.join(names_en)}. Specialists check the deliverables first: check the "
            "participants, or repeat the self-check with a specialist.",
        ),
    )
