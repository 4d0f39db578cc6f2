"""Staff sign a confidentiality agreement before they work on any project (8.2.1).

Every active person record holds ``confidentiality_agreement`` with its date
and HR reference. On each project, every team member must have signed on or
before the day they joined the team (``team[].joined_on``), and the project
manager on or before the project was initiated (``started_on``): nobody sees
customer information before they are bound to keep it secret. The finding on
the project points to the person record as well.

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
from dops.rules.base import Context, Problem, date

DOC_ZH = """员工在参与任何项目之前都须签订保密协议（8.2.1）。

每条在职人员记录都要有 ``confidentiality_agreement``，写明签订日期和人事部门的协议编
号。在每个项目上，每位团队成员都必须在加入团队当天或之前签订
（``team[].joined_on``），项目经理必须在项目立项当天或之前签订（``started_on``）：
任何人在承担保密义务之前，都不能接触客户信息。项目上的检查结果也会指向相应的人员记
录。

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


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if record.kind == "person":
        if record.get("status") == "active" and record.get("confidentiality_agreement") is None:
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
        return
    started = date(record.get("started_on"))
    if started is not None:
        yield from _member(
            record, ("manager",), record.get("manager"), started, ctx, msg("担任项目经理", "became its manager")
        )
    for index, member in enumerate(record.get("team", default=[])):
        joined = date(member.get("joined_on"))
        if joined is not None:
            yield from _member(
                record,
                ("team", index, "person"),
                member.get("person"),
                joined,
                ctx,
                msg("加入项目团队", "joined its team"),
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
