"""Every shortcoming found in an appraisal is answered by a matching training (4.4.3).

Where a review finds a shortcoming, the employee is offered training for it:
each entry in ``shortcomings`` of a completed review names the ``training``
plan item assigned (e.g. ``TRP-2026/T05``). The item must address the same
area as the shortcoming (skills, management or communication: a
communication shortcoming is not answered by a skills course), and it must
come from the plan of the review's year or a later one, not from an earlier
year's plan. While a review is in progress the training may still be open;
a training named there is checked all the same. A reference to an item that
does not exist is reported by the references rule.

Failing::

    id: REV-EMP-0003-2026Q3
    status: completed
    shortcomings:
      - {area: communication, description: 向客户汇报不够及时}
      - {area: communication, description: 会议纪要不完整, training: TRP-2026/T01}  # T01 is a skills course

Passing::

    id: REV-EMP-0003-2026Q3
    status: completed
    shortcomings:
      - {area: communication, description: 向客户汇报不够及时, training: TRP-2026/T02}  # T02: communication
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem

DOC_ZH = """考核发现的每项不足都须安排对应的培训（4.4.3）。

考核发现不足时，要为员工提供相应的培训：已完成考核的 ``shortcomings`` 中，
每一项都要在 ``training`` 中写明所安排的培训计划条目（例如 ``TRP-2026/T05``）。
该条目针对的方面必须与这项不足相同（专业技能、管理能力或沟通技巧：沟通方面的不足，
不能用专业技能课程来弥补），而且必须来自考核当年或以后年份的培训计划，
不能来自往年的计划。考核仍在进行中时，培训可以暂不安排；但只要写了培训，
同样会检查。引用的条目不存在时，由 ``references`` 规则报出。

不合规示例::

    id: REV-EMP-0003-2026Q3
    status: completed
    shortcomings:
      - {area: communication, description: 向客户汇报不够及时}
      - {area: communication, description: 会议纪要不完整, training: TRP-2026/T01}  # T01 是专业技能课程

合规示例::

    id: REV-EMP-0003-2026Q3
    status: completed
    shortcomings:
      - {area: communication, description: 向客户汇报不够及时, training: TRP-2026/T02}  # T02：沟通技巧
"""

ID = "review-shortcomings-training"
CLAUSES = ("4.4.3",)
SEVERITY = "error"
TITLE = msg("考核发现的不足都安排了对应的培训", "Shortcomings found in appraisals are answered by matching training")
KINDS = ("review",)

AREAS = {
    "skills": msg("专业技能", "skills"),
    "management": msg("管理能力", "management"),
    "communication": msg("沟通技巧", "communication"),
}


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    completed = record.get("status") == "completed"
    year = int(record.data["period"][:4])
    for index, shortcoming in enumerate(record.get("shortcomings", default=[])):
        area = AREAS[shortcoming["area"]]
        reference = shortcoming.get("training")
        if reference is None:
            if completed:
                yield Problem(
                    record,
                    ("shortcomings", index),
                    msg(
                        f"考核发现了{area.zh}方面的不足，但没有安排培训。请从培训计划中选一项{area.zh}培训，"
                        "填写到 training（例如 TRP-2026/T05）。",
                        f"The appraisal found a shortcoming in {area.en} but assigns no training. Pick a {area.en} "
                        "item from the training plan and fill in training (e.g. TRP-2026/T05).",
                    ),
                )
            continue
        found = ctx.index.plan_items.get(reference)
        if found is None:  # an unknown plan item is the references rule's finding
            continue
        plan, item_index = found
        item = plan.data["items"][item_index]
        if plan.data["year"] < year:
            yield Problem(
                record,
                ("shortcomings", index, "training"),
                msg(
                    f"安排的培训 {reference} 出自 {plan.data['year']} 年的培训计划，早于考核年度 {year}，已无法参加。"
                    f"请从 {year} 年或之后的培训计划中安排培训。",
                    f"The training assigned, {reference}, is from the {plan.data['year']} plan, before the "
                    f"appraisal's year {year}, and can no longer be attended. Assign an item from the plan for "
                    f"{year} or later.",
                ),
                related=plan,
                related_path=("year",),
            )
        if item["area"] != shortcoming["area"]:
            offered = AREAS[item["area"]]
            yield Problem(
                record,
                ("shortcomings", index, "training"),
                msg(
                    f"不足在于{area.zh}，但安排的培训 {reference}（{item['title']}）属于{offered.zh}方面。"
                    f"请改为一项{area.zh}方面的培训。",
                    f"The shortcoming is in {area.en}, but the training assigned, {reference} ({item['title']}), "
                    f"is a {offered.en} course. Assign a {area.en} item instead.",
                ),
                related=plan,
                related_path=("items", item_index, "area"),
            )
