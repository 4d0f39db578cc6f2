"""Each year's training plan is approved by its deadline (5.1.1).

Training is planned once a year, before the year gets under way: the plan
for a year must be approved by the date set in ``dops.yaml``
(``cadences.training_plan_due``, 31 January by default). It is HR's duty:
the person set as ``responsible.hr``, by default the head of department.
The plan for the current year and for the next are due items: until one is
recorded (``records/trainings/TRP-<year>.yaml``) it shows as due soon or not
yet due, and once the deadline has passed without it, as overdue at the
setting that sets the deadline. Every recorded plan is judged by its
approval date: a plan approved after its year's deadline is reported at
``approved_on``, as a warning, since the date cannot be undone (earlier
years too: the record is held to its history).

Failing (and so is having no ``TRP-2026`` at all on 2026-02-15)::

    id: TRP-2026
    year: 2026
    approved_on: 2026-03-10   # after 31 January

Passing::

    id: TRP-2026
    year: 2026
    approved_by: EMP-0001
    approved_on: 2026-01-20
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Message, msg
from dops.rules.base import Context, Duty, Problem, date, duty, pending

DOC_ZH = """每年的年度培训计划须在截止日期前批准（5.1.1）。

培训每年计划一次，要在当年工作全面展开之前定好：某一年的培训计划必须在 ``dops.yaml``
设定的日期（``cadences.training_plan_due``，默认 1 月 31 日）之前批准。这是人力资源的职责：
由 ``responsible.hr`` 指定的人员履行，默认由部门负责人履行。当年和下一年的计划都是待办事项：
在计划（``records/trainings/TRP-<year>.yaml``）记录之前，显示为即将到期或未到期；
过了截止日期仍没有计划的，报为逾期，并指向设定截止日期的那项配置。每份已记录的计划都按其
批准日期检查：晚于当年截止日期批准的，在 ``approved_on`` 处报出警告，因为日期已无法改变
（往年的计划也一样：记录按其历史检查）。

不合规示例（到 2026-02-15 还完全没有 ``TRP-2026``，同样不合规）::

    id: TRP-2026
    year: 2026
    approved_on: 2026-03-10   # 晚于 1 月 31 日

合规示例::

    id: TRP-2026
    year: 2026
    approved_by: EMP-0001
    approved_on: 2026-01-20
"""

ID = "training-plan-due"
CLAUSES = ("5.1.1",)
SEVERITY = "warning"
TITLE = msg("按期制定并批准当年的年度培训计划", "The year's training plan is approved by its deadline")


def _what(year: int) -> Message:
    return msg(f"制定并批准 {year} 年度培训计划", f"Draw up and approve the {year} training plan")


def check_all(ctx: Context) -> Iterator[Duty]:
    plans = ctx.index.valid("training-plan")
    for plan in plans:
        if ctx.index.by_id.get(plan.id) is not plan:
            continue  # a second file with the same ID: duplicate-id reports it
        year = plan.data["year"]
        due = ctx.settings.training_plan_due(year)
        approved = date(plan.data["approved_on"])
        problems = []
        if approved and approved > due:
            problems.append(
                Problem(
                    plan,
                    ("approved_on",),
                    msg(
                        f"{year} 年度培训计划于 {approved} 批准，晚于截止日期 {due}。年度培训计划应在"
                        "年初按期批准：请在截止日期前批准下一年度的计划；如批准日期填写有误，请改正。",
                        f"The {year} training plan was approved on {approved}, after its deadline {due}. Approve "
                        "next year's plan by its deadline; if the date is wrong, correct it.",
                    ),
                )
            )
        yield duty(plan, ("approved_on",), str(year), _what(year), ctx.hr, problems, due=due)
    for year in (ctx.as_of.year, ctx.as_of.year + 1):
        plan_id = f"TRP-{year}"
        if ctx.index.exists(plan_id) or any(plan.data["year"] == year for plan in plans):
            continue
        due = ctx.settings.training_plan_due(year)
        where = f"{ctx.settings.records}/trainings/{plan_id}.yaml"
        late = msg(
            f"{year} 年度培训计划最迟应于 {due} 批准，但至今仍没有该计划。请制定并批准 {year} 年度"
            f"培训计划，保存为 {where}（编号 {plan_id}）。",
            f"The {year} training plan was due by {due}, but there is none yet. Draw up and "
            f"approve the {year} plan and save it as {where} (ID {plan_id}).",
        )
        yield pending(ctx.config, ("cadences", "training_plan_due"), str(year), _what(year), ctx.hr, due, late)
