"""The annual training plan uses every form and covers every area (5.1.2, 5.1.1).

The policy asks for internal training, external training and online
learning, covering professional skills, management and communication. The
plan needs at least one item of each form (``internal``, ``external``,
``online``) and of each area (``skills``, ``management``,
``communication``); one item may serve a form and an area at once. Item IDs
are unique within the plan, since sessions cite them (``TRP-2026/T03``), and
the plan's ID names its own year (``TRP-2026`` holds ``year: 2026``, 5.1.1).
Drawing up the plan is HR's duty: the person set as ``responsible.hr`` in
``dops.yaml``, by default the head of department.

Failing::

    id: TRP-2026
    year: 2026
    items:
      - {id: T01, title: 云平台运维, form: internal, area: skills, audience: [operations_support]}
      - {id: T01, title: 项目管理认证, form: external, area: management, audience: [project_manager]}
      # no online item, nothing on communication, T01 twice

Passing::

    id: TRP-2026
    year: 2026
    items:
      - {id: T01, title: 云平台运维, form: internal, area: skills, audience: [operations_support]}
      - {id: T02, title: 项目管理认证, form: external, area: management, audience: [project_manager]}
      - {id: T03, title: 客户沟通技巧, form: online, area: communication, audience: [project_specialist]}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dops.core.model import Record, msg
from dops.rules.base import Context, Duty, Problem, duty

DOC_ZH = """年度培训计划须包含每种培训形式、涵盖每个方面（5.1.2、5.1.1）。

制度要求培训计划包括内部培训、外部培训和在线学习，涵盖专业技能、管理能力和沟通技巧。
每种形式（``internal``、``external``、``online``）和每个方面
（``skills``、``management``、``communication``）在计划中都至少要有一项；
同一项可以同时算一种形式和一个方面。计划内各项的编号不得重复，因为培训活动要引用它们
（``TRP-2026/T03``）；计划编号还必须与其年份一致（``TRP-2026`` 对应
``year: 2026``，5.1.1）。制定培训计划是人力资源的职责：由 ``dops.yaml`` 中
``responsible.hr`` 指定的人员履行，默认由部门负责人履行。

不合规示例::

    id: TRP-2026
    year: 2026
    items:
      - {id: T01, title: 云平台运维, form: internal, area: skills, audience: [operations_support]}
      - {id: T01, title: 项目管理认证, form: external, area: management, audience: [project_manager]}
      # 没有在线学习，没有沟通技巧方面的内容，T01 出现两次

合规示例::

    id: TRP-2026
    year: 2026
    items:
      - {id: T01, title: 云平台运维, form: internal, area: skills, audience: [operations_support]}
      - {id: T02, title: 项目管理认证, form: external, area: management, audience: [project_manager]}
      - {id: T03, title: 客户沟通技巧, form: online, area: communication, audience: [project_specialist]}
"""

ID = "training-plan-content"
CLAUSES = ("5.1.2", "5.1.1")
SEVERITY = "error"
TITLE = msg(
    "培训计划包含内部、外部、在线三种形式，涵盖专业技能、管理能力、沟通技巧",
    "The training plan uses internal, external and online forms and covers skills, management and communication",
)
KINDS = ("training-plan",)

FORMS = {"internal": "内部培训", "external": "外部培训", "online": "在线学习"}
AREAS = {"skills": "专业技能", "management": "管理能力", "communication": "沟通技巧"}


WHAT = msg("年度培训计划包含各种形式、涵盖各个方面", "The year's training plan uses every form and covers every area")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second file with the same ID: duplicate-id reports it, its duties are the first file's
    yield duty(record, ("items",), "content", WHAT, ctx.hr, _problems(record))


def _problems(record: Record) -> Iterator[Problem]:
    items = record.data["items"]
    year = record.data["year"]
    if record.id != f"TRP-{year}":
        yield Problem(
            record,
            ("year",),
            msg(
                f"计划编号 {record.id} 与年度 {year} 不一致。年度培训计划的编号应为 TRP-{year}：请改正年度，"
                f"或改正编号并相应地给文件改名。",
                f"The plan ID {record.id} does not match its year {year}: the plan for {year} is TRP-{year}. "
                "Correct the year, or correct the ID and rename the file to match.",
            ),
            clauses=("5.1.1",),
        )

    forms = {item["form"] for item in items}
    areas = {item["area"] for item in items}
    missing_forms = [name for name in FORMS if name not in forms]
    missing_areas = [name for name in AREAS if name not in areas]
    if missing_forms or missing_areas:
        zh_parts, en_parts = [], []
        if missing_forms:
            zh_parts.append("缺少形式：" + "、".join(f"{FORMS[f]}（{f}）" for f in missing_forms))
            en_parts.append("no " + " or ".join(missing_forms) + " training")
        if missing_areas:
            zh_parts.append("未涵盖：" + "、".join(f"{AREAS[a]}（{a}）" for a in missing_areas))
            en_parts.append("nothing on " + " or ".join(missing_areas))
        yield Problem(
            record,
            ("items",),
            msg(
                f"培训计划{'；'.join(zh_parts)}。年度培训计划应包括内部培训、外部培训和在线学习，并涵盖专业技能、"
                "管理能力和沟通技巧：请为缺少的部分补充培训条目。",
                f"The plan has {' and '.join(en_parts)}. The annual plan uses internal, external and online "
                "training and covers skills, management and communication: add items for what is missing.",
            ),
            clauses=("5.1.2",),
        )

    first: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(items):
        earlier = first.setdefault(item["id"], item)
        if earlier is not item:
            yield Problem(
                record,
                ("items", index, "id"),
                msg(
                    f"条目编号 {item['id']} 重复：前面的条目“{earlier['title']}”已使用该编号。培训记录按编号引用条目，"
                    "请给本条目换一个未使用的编号。",
                    f"The item ID {item['id']} is already used by the earlier item '{earlier['title']}'. Sessions "
                    "cite items by ID: give this item an unused ID.",
                ),
                clauses=("5.1.2",),
            )
