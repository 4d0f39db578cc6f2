"""A training session delivers an item of its year's plan, once per attendee (5.2.1, 5.2.3).

Training is organised according to the annual plan, so a session held in
2026 delivers an item of the 2026 plan (``plan_item: TRP-2026/T03``). The
session is the training archive's entry for each attendee: every person is
listed once, with their result and outcome. (Whether the plan item exists
is checked by ``references``.)

Failing::

    id: TRS-2026-004
    plan_item: TRP-2025/T03     # a 2025 item for a session held in 2026
    date: 2026-03-18
    attendees:
      - {person: EMP-0003, result: passed}
      - {person: EMP-0003, result: completed}   # listed twice

Passing::

    id: TRS-2026-004
    plan_item: TRP-2026/T03
    date: 2026-03-18
    attendees:
      - {person: EMP-0003, result: passed}
      - {person: EMP-0004, result: completed}
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """每次培训活动都须落实当年培训计划中的一项，每位参加人只记录一次（5.2.1、5.2.3）。

培训要按照年度培训计划组织开展，因此 2026 年举办的培训，落实的是 2026 年计划中的一项
（``plan_item: TRP-2026/T03``）。培训活动记录就是每位参加人在培训档案中的条目：
每个人只列一次，写明其培训结果和学习成果。（计划中的这一项是否存在，由
``references`` 检查。）

不合规示例::

    id: TRS-2026-004
    plan_item: TRP-2025/T03     # 2026 年举办的培训，却对应 2025 年计划中的一项
    date: 2026-03-18
    attendees:
      - {person: EMP-0003, result: passed}
      - {person: EMP-0003, result: completed}   # 重复列出

合规示例::

    id: TRS-2026-004
    plan_item: TRP-2026/T03
    date: 2026-03-18
    attendees:
      - {person: EMP-0003, result: passed}
      - {person: EMP-0004, result: completed}
"""

ID = "training-session-plan"
CLAUSES = ("5.2.1", "5.2.3")
SEVERITY = "error"
TITLE = msg(
    "培训按当年的培训计划开展，参加人记录不重复",
    "Sessions deliver an item of their year's plan and list each attendee once",
)
KINDS = ("training-session",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    item = record.data["plan_item"]
    plan_id = item.split("/", 1)[0]
    plan_year = int(plan_id[4:8])
    held = date(record.data["date"])
    if held and held.year != plan_year:
        plan = ctx.index.by_id.get(plan_id)
        related = plan if plan is not None and plan.kind == "training-plan" else None
        yield Problem(
            record,
            ("date",),
            msg(
                f"培训于 {held} 举办，却引用了 {plan_year} 年度培训计划的条目 {item}。培训应按当年的计划开展：请核对"
                f"培训日期，或改为引用 {held.year} 年度计划（TRP-{held.year}）中的条目。",
                f"The session was held on {held} but delivers {item}, an item of the {plan_year} plan. Sessions "
                f"follow their year's plan: check the date, or cite an item of the {held.year} plan "
                f"(TRP-{held.year}).",
            ),
            related=related,
            related_path=("year",),
            clauses=("5.2.1",),
        )
    seen: set[str] = set()
    for index, attendee in enumerate(record.data["attendees"]):
        person = attendee["person"]
        if person in seen:
            yield Problem(
                record,
                ("attendees", index, "person"),
                msg(
                    f"{person} 在参加人名单中出现了不止一次。培训档案中每人只记录一条，结果和学习成果写在同一条里："
                    "请合并或删除重复的条目。",
                    f"{person} is listed more than once among the attendees. The archive holds one entry per "
                    "person with their result and outcome: merge or remove the repeated entry.",
                ),
                clauses=("5.2.3",),
            )
        seen.add(person)
