"""The year's training plan is approved by its deadline (5.1.1).

Training is planned once a year, before the year gets under way: the plan
for a year must be approved by the date set in ``dops.yaml``
(``cadences.training_plan_due``, 31 January by default). Once that date has
passed, a plan for the current year (``records/trainings/TRP-<year>.yaml``)
must exist; the finding points at the setting that sets the deadline. The
current year's plan approved after the deadline is reported at its approval
date; earlier years' plans are no longer warned about: nothing can be done.

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

from dops.core.model import msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """当年的年度培训计划须在截止日期前批准（5.1.1）。

培训每年计划一次，要在当年工作全面展开之前定好：某一年的培训计划必须在 ``dops.yaml``
设定的日期（``cadences.training_plan_due``，默认 1 月 31 日）之前批准。
过了这个日期，当年的培训计划（``records/trainings/TRP-<year>.yaml``）就必须已经存
在；检查结果会指向设定截止日期的那项配置。当年的计划在截止日期之后才批准的，
在批准日期处报出；往年的计划不再提示：事情已无法补救。

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


def check_all(ctx: Context) -> Iterator[Problem]:
    plans = ctx.index.valid("training-plan")
    year = ctx.as_of.year
    due = ctx.settings.training_plan_due(year)
    plan_id = f"TRP-{year}"
    has_plan = ctx.index.exists(plan_id) or any(plan.data["year"] == year for plan in plans)
    if ctx.as_of > due and not has_plan:
        where = f"{ctx.settings.records}/trainings/{plan_id}.yaml"
        yield Problem(
            ctx.config,
            ("cadences", "training_plan_due"),
            msg(
                f"{year} 年度培训计划最迟应于 {due} 批准，但截至 {ctx.as_of} 仍没有该计划。请制定并批准 {year} 年度"
                f"培训计划，保存为 {where}（编号 {plan_id}）。",
                f"The {year} training plan was due by {due}, but as of {ctx.as_of} there is none. Draw up and "
                f"approve the {year} plan and save it as {where} (ID {plan_id}).",
            ),
        )
    for plan in plans:
        if plan.data["year"] != year:
            continue  # a past year's late plan can no longer be helped; next year's is not due yet
        approved = date(plan.data["approved_on"])
        if approved and approved > due:
            yield Problem(
                plan,
                ("approved_on",),
                msg(
                    f"{year} 年度培训计划于 {approved} 批准，晚于截止日期 {due}。年度培训计划应在"
                    "年初按期批准：请在截止日期前批准下一年度的计划；如批准日期填写有误，请改正。",
                    f"The {year} training plan was approved on {approved}, after its deadline {due}. Approve next "
                    "year's plan by its deadline; if the date is wrong, correct it.",
                ),
            )
