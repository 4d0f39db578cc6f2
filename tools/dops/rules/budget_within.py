"""The project stays within budget, or the superior approves the overrun (2.1.5).

The project manager controls cost and keeps the project within its budget.
When ``budget.actual_cost`` exceeds ``budget.amount``, the overrun must be
approved by the project manager's superior (per the manager's person record):
``budget.overrun_approved_by`` names that person and ``overrun_approved_on``
gives the date. The budget is confidential, so findings never show amounts.

Failing::

    manager: EMP-0002          # superior: EMP-0001
    budget: {currency: CNY, amount: 800000, actual_cost: 860000}

Passing::

    manager: EMP-0002
    budget:
      currency: CNY
      amount: 800000
      actual_cost: 860000
      overrun_approved_by: EMP-0001
      overrun_approved_on: 2026-10-15
"""

from __future__ import annotations

from typing import Iterator

from ..model import Record, msg
from .base import Context, Problem

ID = "budget-within"
CLAUSES = ("2.1.5",)
SEVERITY = "error"
TITLE = msg("项目成本控制在预算内，超支须经上级批准", "Cost stays within budget unless the superior approves the overrun")
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    budget = record.get("budget", default={})
    actual = budget.get("actual_cost")
    if actual is None or actual <= budget["amount"]:
        return
    approver = budget.get("overrun_approved_by")
    manager = record.data["manager"]
    if approver is None:
        yield Problem(record, ("budget", "actual_cost"), msg(
            "实际成本超出预算，但没有记录超支审批。请报项目经理的直接上级审批，并填写 overrun_approved_by 和 "
            "overrun_approved_on。",
            "The actual cost exceeds the budget, but no approval of the overrun is recorded. Have the project "
            "manager's superior approve it and fill in overrun_approved_by and overrun_approved_on.",
        ))
        return
    superior, person = ctx.superior_of(manager)
    if person is not None and approver != superior:
        expected = msg(f"其直接上级是 {superior}", f"whose superior is {superior}") if superior else \
            msg("其人员记录没有填写直接上级", "whose person record names no superior")
        yield Problem(record, ("budget", "overrun_approved_by"), msg(
            f"实际成本超出预算，超支由 {approver} 批准，但应由项目经理 {manager} 的直接上级批准（{expected.zh}）。"
            "请由直接上级审批，或更正人员记录中的上级。",
            f"The actual cost exceeds the budget and the overrun was approved by {approver}, but it must be "
            f"approved by the superior of the project manager {manager} ({expected.en}). Have the superior "
            "approve it, or correct the superior in the person record.",
        ), related=person, related_path=("superior",))
    if budget.get("overrun_approved_on") is None:
        yield Problem(record, ("budget", "overrun_approved_by"), msg(
            f"实际成本超出预算，超支审批人为 {approver}，但没有审批日期。请填写 overrun_approved_on。",
            f"The actual cost exceeds the budget and {approver} approved the overrun, but the approval has no "
            "date. Fill in overrun_approved_on.",
        ))
