"""Staff sign a confidentiality agreement before they work on any project (8.2.1).

Every active person record holds ``confidentiality_agreement`` with its date
and HR reference. On each project, every team member must have signed on or
before the day they joined the team (``team[].joined_on``), and the project
manager on or before the project was initiated (``started_on``): nobody sees
customer information before they are bound to keep it secret. The finding on
the project points to the person record as well.

Who must act: for a person record (duty ``agreement``), HR (the setting
``responsible.hr``, else the head of department), who has the agreement
signed; the duty is not applicable once the person has left. On a project,
one duty per person on it (named by the person ID, checked against the
earliest day they joined or, for the manager, the day the project was
initiated), owed by the project's manager, who lets nobody work on the
customer's project unbound. An agreement still missing is an error; one
signed only after the person had joined is a past lapse that can no longer
be made good, so a warning.

Failing::

    # records/people/EMP-0005.yaml
    id: EMP-0005
    status: active
    confidentiality_agreement: {signed_on: 2026-03-01, reference: HR-NDA-2026-005}
    # records/projects/PRJ-2026-001.yaml
    team:
      - {person: EMP-0005, role: project_specialist, duty: 数据迁移, joined_on: 2026-02-10}

Passing::

    # records/people/EMP-0005.yaml
    id: EMP-0005
    status: active
    confidentiality_agreement: {signed_on: 2026-02-03, reference: HR-NDA-2026-005}
    # records/projects/PRJ-2026-001.yaml
    team:
      - {person: EMP-0005, role: project_specialist, duty: 数据迁移, joined_on: 2026-02-10}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dops.core.model import Message, Path, Record, msg
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable

DOC_ZH = """员工在参与任何项目之前都须签订保密协议（8.2.1）。

每条在职人员记录都要有 ``confidentiality_agreement``，写明签订日期和人事部门的协议编
号。在每个项目上，每位团队成员都必须在加入团队当天或之前签订
（``team[].joined_on``），项目经理必须在项目立项当天或之前签订（``started_on``）：
任何人在承担保密义务之前，都不能接触客户信息。项目上的检查结果也会指向相应的人员记
录。

由谁履行：人员记录上的义务（``agreement``）由人力资源负责人履行（设置
``responsible.hr``，不设置时为部门负责人），负责与员工签订协议；人员离职后不再适用。
项目上每个参与者各一项义务（以人员编号命名，按其最早加入项目的日期检查；项目经理按立项
日期检查），由项目经理履行：不得让未签协议的人接触客户项目。仍未签订协议的属于错误；加入
之后才补签的，是已无法补救的过去的疏漏，记为警告。

不合规示例::

    # records/people/EMP-0005.yaml
    id: EMP-0005
    status: active
    confidentiality_agreement: {signed_on: 2026-03-01, reference: HR-NDA-2026-005}
    # records/projects/PRJ-2026-001.yaml
    team:
      - {person: EMP-0005, role: project_specialist, duty: 数据迁移, joined_on: 2026-02-10}

合规示例::

    # records/people/EMP-0005.yaml
    id: EMP-0005
    status: active
    confidentiality_agreement: {signed_on: 2026-02-03, reference: HR-NDA-2026-005}
    # records/projects/PRJ-2026-001.yaml
    team:
      - {person: EMP-0005, role: project_specialist, duty: 数据迁移, joined_on: 2026-02-10}
"""

ID = "confidentiality-agreement"
CLAUSES = ("8.2.1",)
SEVERITY = "error"
TITLE = msg("员工在参与项目之前必须签订保密协议", "Staff sign a confidentiality agreement before joining any project")
KINDS = ("person", "project")


AGREEMENT = msg("与员工签订保密协议", "Have the confidentiality agreement signed")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if record.kind == "person":
        if record.get("status") != "active":
            why = msg("此人已离职。", "The person has left.")
            yield not_applicable(record, ("status",), "agreement", AGREEMENT, why, ctx.hr)
            return
        yield duty(record, ("id",), "agreement", AGREEMENT, ctx.hr, _person(record))
        return
    manager = record.get("manager")
    # Each person on the project, with the earliest day they came to it and where.
    since: dict[str, tuple[dt.date, Path, Message]] = {}
    started = date(record.get("started_on"))
    if started is not None and isinstance(manager, str):
        since[manager] = (started, ("manager",), msg("担任项目经理", "became its manager"))
    for index, member in enumerate(record.get("team", default=[])):
        joined, person_id = date(member.get("joined_on")), member.get("person")
        if joined is None or not isinstance(person_id, str):
            continue
        if person_id not in since or joined < since[person_id][0]:
            since[person_id] = (joined, ("team", index, "person"), msg("加入项目团队", "joined its team"))
    for person_id, (day, at, how) in since.items():
        what = msg(f"确认 {person_id} 在参与项目前已签保密协议", f"Make sure {person_id} signed before joining")
        person = ctx.index.get(person_id, "person")
        if person is None:  # an unknown person is the references rule's finding
            continue
        # Signed, but after joining: a past lapse that can no longer be made good.
        late = date(person.get("confidentiality_agreement", "signed_on")) is not None
        yield duty(
            record,
            at,
            person_id,
            what,
            manager,
            _member(record, at, person_id, day, ctx, how),
            severity="warning" if late else None,
        )


def _person(record: Record) -> Iterator[Problem]:
    if record.get("confidentiality_agreement") is None:
        yield Problem(
            record,
            ("id",),
            msg(
                f"{record.id} 是在职人员，但没有保密协议记录。请与其签订保密协议，并填写 "
                "confidentiality_agreement：签订日期（signed_on）和协议编号（reference）。",
                f"{record.id} is active but has no confidentiality agreement on record. Have the agreement "
                "signed and fill in confidentiality_agreement with signed_on and reference.",
            ),
        )


def _member(
    project: Record, at: Path, person_id: object, since: dt.date, ctx: Context, how: Message
) -> Iterator[Problem]:
    person = ctx.index.get(person_id, "person")
    if person is None:  # an unknown person is the references rule's finding
        return
    signed = date(person.get("confidentiality_agreement", "signed_on"))
    if signed is None:
        yield Problem(
            project,
            at,
            msg(
                f"{person.id} 于 {since} {how.zh}，但其人员记录中没有保密协议。参与项目之前必须签订保密协议："
                "请补签协议并在人员记录中填写 confidentiality_agreement。",
                f"{person.id} {how.en} on {since}, but their person record holds no confidentiality agreement. "
                "The agreement comes before any project work: have it signed and fill in "
                "confidentiality_agreement in the person record.",
            ),
            related=person,
            related_path=("id",),
        )
    elif signed > since:
        yield Problem(
            project,
            at,
            msg(
                f"{person.id} 于 {since} {how.zh}，但保密协议到 {signed} 才签订。保密协议必须在参与项目之前签订："
                "请核对加入日期和协议签订日期。",
                f"{person.id} {how.en} on {since} but signed the confidentiality agreement only on {signed}. "
                "The agreement must come first: check the date joined and the date signed.",
            ),
            related=person,
            related_path=("confidentiality_agreement", "signed_on"),
        )
