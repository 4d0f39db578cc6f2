"""A project past initiation has a budget, and stays within it or the superior approves the overrun (2.1.5).

The project manager manages the budget and controls cost, so that the project
finishes within budget. Two duties, both the project manager's:

* ``budget``: once a project is past initiation (execution, monitoring,
  acceptance or closed) it records its ``budget`` (``currency`` and
  ``amount``). During initiation it is not applicable until a budget is
  recorded.
* ``overrun``, only while ``budget.actual_cost`` exceeds ``budget.amount``:
  the overrun is approved.

When ``budget.actual_cost`` exceeds ``budget.amount``, the overrun must be
approved by the project manager's superior: ``budget.overrun_approved_by``
names that person and ``overrun_approved_on`` gives the date. The superior is
the one on the day of approval (``superior`` in the manager's person record,
or the entry of ``superior_history`` in force that day); when the manager has
no superior on record the approver is not checked (``superior-chain``
reports that). The budget is confidential, so findings never show amounts.

Failing::

    phase: execution
    manager: EMP-0002          # superior: EMP-0001
    budget: {currency: CNY, amount: 800000, actual_cost: 860000}

Failing::

    phase: execution
    # no budget

Passing::

    phase: execution
    manager: EMP-0002
    budget:
      currency: CNY
      amount: 800000
      actual_cost: 860000
      overrun_approved_by: EMP-0001
      overrun_approved_on: 2026-10-15
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, phase_reached

DOC_ZH = """已过启动阶段的项目须有预算，成本须控制在预算内，超支须经上级批准（2.1.5）。

项目经理负责项目成本的控制和预算管理，确保项目在预算范围内完成。这是两项义务，都由项目
经理履行：

* ``budget``：项目一旦进入执行、监控、验收阶段或已关闭，就必须记录预算 ``budget``
  （``currency`` 和 ``amount``）。启动阶段在记录预算之前不适用。
* ``overrun``：仅当 ``budget.actual_cost`` 超过 ``budget.amount`` 时才有，即超支须经批准。

``budget.actual_cost`` 超过
``budget.amount`` 时，超支必须经项目经理的上级批准：``budget.overrun_approved_by``
写批准人，``overrun_approved_on`` 写批准日期。这里的上级指批准当天的上级（项目经理人
员记录中的 ``superior``，或当天有效的 ``superior_history`` 条目）；项目经理没有登记
上级时，不检查批准人（由 ``superior-chain`` 报出）。预算属于保密信息，
检查结果中从不显示金额。

不合规示例::

    phase: execution
    manager: EMP-0002          # 其上级为 EMP-0001
    budget: {currency: CNY, amount: 800000, actual_cost: 860000}

不合规示例::

    phase: execution
    # 没有预算

合规示例::

    phase: execution
    manager: EMP-0002
    budget:
      currency: CNY
      amount: 800000
      actual_cost: 860000
      overrun_approved_by: EMP-0001
      overrun_approved_on: 2026-10-15
"""

ID = "budget-within"
CONFIDENTIAL = True  # reads confidential amounts: the site shows a neutral text; skipped without the key
CLAUSES = ("2.1.5",)
SEVERITY = "error"
TITLE = msg(
    "已过启动阶段的项目须有预算，成本控制在预算内，超支须经上级批准",
    "A project past initiation has a budget; cost stays within it unless the superior approves the overrun",
)
KINDS = ("project",)


PAST_INITIATION = ("execution", "monitoring", "acceptance", "closed")
BUDGET = msg("制定并记录项目预算", "Set and record the project's budget")
OVERRUN = msg("超支报上级批准", "Have the overrun approved by the superior")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.data["manager"]
    phase = record.get("phase")
    budget = record.get("budget")
    if budget is None:
        if phase not in PAST_INITIATION:
            why = msg(
                "项目尚在启动阶段，还没有记录预算。", "The project is still in initiation and records no budget yet."
            )
            yield not_applicable(record, ("phase",), "budget", BUDGET, why, manager)
            return
        reached = phase_reached(phase)
        yield duty(
            record,
            ("phase",),
            "budget",
            BUDGET,
            manager,
            [
                Problem(
                    record,
                    ("phase",),
                    msg(
                        f"项目{reached.zh}，但没有预算（budget）。项目经理负责预算管理：请记录批准的预算金额和币种"
                        "（budget.amount、budget.currency），以及截至目前的实际成本（actual_cost）。",
                        f"The project {reached.en} but records no budget. The manager manages the budget: record "
                        "the approved amount and currency (budget.amount, budget.currency) and the actual cost to "
                        "date (actual_cost).",
                    ),
                )
            ],
        )
        return
    yield duty(record, ("budget",), "budget", BUDGET, manager)
    actual = budget.get("actual_cost")
    # Stated for every budgeted project, so that the obligation's presence never tells an overrun (8.1).
    within = actual is None or actual <= budget["amount"]
    yield duty(record, ("budget", "actual_cost"), "overrun", OVERRUN, manager, () if within else _overrun(record, ctx))


def _overrun(record: Record, ctx: Context) -> Iterator[Problem]:
    budget = record.get("budget", default={})
    approver, approved_on = budget.get("overrun_approved_by"), budget.get("overrun_approved_on")
    manager = record.data["manager"]
    superior, person, superior_at = ctx.superior_on(manager, date(approved_on))
    related, related_path = (person, superior_at) if superior else (None, ())
    who = msg(f" {superior} ", f" {superior}") if superior else msg("", "")
    if approver is None and approved_on is None:
        yield Problem(
            record,
            ("budget", "actual_cost"),
            msg(
                f"实际成本超出预算，但没有记录超支审批。请报项目经理的直接上级{who.zh}审批，并填写 "
                "overrun_approved_by 和 "
                ""
                "overrun_approved_on。",
                f"The actual cost exceeds the budget, but no approval of the overrun is recorded. Have the project "
                f"manager's superior{who.en} approve it and fill in overrun_approved_by and overrun_approved_on.",
            ),
            related=related,
            related_path=related_path,
        )
        return
    if approver is None:
        yield Problem(
            record,
            ("budget", "overrun_approved_on"),
            msg(
                f"实际成本超出预算，超支审批日期为 {approved_on}，但没有填写审批人。请在 overrun_approved_by 中填写"
                f"批准超支的人，即当时项目经理的直接上级{who.zh.rstrip()}。",
                f"The actual cost exceeds the budget and the overrun approval is dated {approved_on}, but the approver "
                f"is missing. Fill in overrun_approved_by with the person who approved it: the project manager's "
                f"superior at the time{who.en}.",
            ),
            related=related,
            related_path=related_path,
        )
        return
    if superior and approver != superior:
        day = (
            msg(f"{approved_on} 时", f"on {approved_on} the superior of the project manager {manager} was")
            if approved_on
            else msg("", f"the superior of the project manager {manager} is")
        )
        yield Problem(
            record,
            ("budget", "overrun_approved_by"),
            msg(
                f"实际成本超出预算，超支由 {approver} 批准，但{day.zh}项目经理 {manager} 的直接上级是 {superior}。"
                f"超支须经项目经理的直接上级批准：请由 {superior} 审批，或更正人员记录中的上级（上级变更过的，请在 "
                "superior_history 中记录原上级及其任期的最后一天）。",
                f"The actual cost exceeds the budget and the overrun was approved by {approver}, but {day.en} "
                f"{superior}. The manager's superior approves an overrun: have {superior} approve it, or correct the "
                "superior in the person record (after a change of superior, record the previous one and their last "
                "day under superior_history).",
            ),
            related=person,
            related_path=superior_at,
        )
    if approved_on is None:
        yield Problem(
            record,
            ("budget", "overrun_approved_by"),
            msg(
                f"实际成本超出预算，超支审批人为 {approver}，但没有审批日期。请填写 overrun_approved_on。",
                f"The actual cost exceeds the budget and {approver} approved the overrun, but the approval has no "
                "date. Fill in overrun_approved_on.",
            ),
        )
