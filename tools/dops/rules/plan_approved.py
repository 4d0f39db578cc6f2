"""A project past initiation has a complete plan approved by the manager's superior before execution (3.1.3, 2.1.1).

The project manager draws up a plan with a schedule (milestones with dates),
a quality part and a cost part, and submits it to their superior for
approval. Once a project is in execution, monitoring, acceptance or closed,
its ``plan`` must hold all three parts and ``approved_by`` / ``approved_on``.
Who may approve is the setting ``plan_approval`` in ``dops.yaml``:

* ``superior_or_above`` (the default, the policy's reading of "提交上级审核"):
  the manager's superior on the day of approval, or anyone above them in the
  superior chain on that day (the superior's superior, and so on), e.g. the
  head of department approving for a deputy;
* ``superior``: only the manager's direct superior on that day.

Each superior is the one on the day of approval, as recorded in the person
records (``superior``, or the entry of ``superior_history`` in force that
day); when the manager has no superior on record, the approver is not checked
(``superior-chain`` reports that). The plan must be approved no later than
``execution_started_on``, and submitted (``submitted_on``) no later than it
was approved. The duty (``plan``) is the project manager's. During
initiation it is not applicable until the plan is approved; the approver and
the dates are checked whenever they are filled in, also during initiation.

Failing::

    phase: execution
    manager: EMP-0002          # superior: EMP-0001
    execution_started_on: 2026-03-02
    plan:
      schedule: {summary: 分两期上线, milestones: [{id: M1, name: 一期上线, due: 2026-05-31}]}
      quality: {summary: 缺陷率低于 1%}
      # no cost part
      approved_by: EMP-0003    # not the manager's superior
      approved_on: 2026-03-05  # after execution started

Passing::

    phase: execution
    manager: EMP-0002
    execution_started_on: 2026-03-02
    plan:
      schedule: {summary: 分两期上线, milestones: [{id: M1, name: 一期上线, due: 2026-05-31}]}
      quality: {summary: 缺陷率低于 1%}
      cost: {summary: 人力 120 人天}
      submitted_on: 2026-02-20
      approved_by: EMP-0001
      approved_on: 2026-02-25
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dops.core.model import Record, msg
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, phase_reached

DOC_ZH = """已过启动阶段的项目必须有完整的项目计划，并在执行前经项目经理的上级批准（3.1.3、2.1.1）。

项目经理制定项目计划，包括进度计划（里程碑及日期）、质量计划和成本计划，
并提交上级审核。项目一旦进入执行、监控、验收阶段或已关闭，其 ``plan`` 就必须包含这三
部分，并填写 ``approved_by`` / ``approved_on``。谁可以批准，由 ``dops.yaml`` 中的设置
``plan_approval`` 决定：

* ``superior_or_above``（默认，即制度“提交上级审核”的本意）：批准当天项目经理的上级，
  或当天上级链中更上面的任何人（上级的上级，依此类推），例如由部门负责人代为审批副职
  负责的项目；
* ``superior``：只能是批准当天项目经理的直接上级。

每一级上级都以批准当天为准，依据人员记录（``superior``，或当天有效的
``superior_history`` 条目）；项目经理没有登记上级时，不检查批准人（由
``superior-chain`` 报出）。计划的批准日期不得晚于 ``execution_started_on``，提交日期
（``submitted_on``）不得晚于批准日期。这项义务（``plan``）由项目经理履行。启动阶段在计划
获批之前不适用；只要填写了批准人和日期就会检查，在启动阶段也一样。

不合规示例::

    phase: execution
    manager: EMP-0002          # 其上级为 EMP-0001
    execution_started_on: 2026-03-02
    plan:
      schedule: {summary: 分两期上线, milestones: [{id: M1, name: 一期上线, due: 2026-05-31}]}
      quality: {summary: 缺陷率低于 1%}
      # 缺少成本计划
      approved_by: EMP-0003    # 不是项目经理的上级
      approved_on: 2026-03-05  # 晚于执行开始日期

合规示例::

    phase: execution
    manager: EMP-0002
    execution_started_on: 2026-03-02
    plan:
      schedule: {summary: 分两期上线, milestones: [{id: M1, name: 一期上线, due: 2026-05-31}]}
      quality: {summary: 缺陷率低于 1%}
      cost: {summary: 人力 120 人天}
      submitted_on: 2026-02-20
      approved_by: EMP-0001
      approved_on: 2026-02-25
"""

ID = "plan-approved"
CLAUSES = ("3.1.3", "2.1.1")
SEVERITY = "error"
TITLE = msg(
    "执行前项目计划须包含进度、质量、成本三部分，并经项目经理的上级批准",
    "Before execution the plan holds schedule, quality and cost parts and is approved by the manager's superior",
)
KINDS = ("project",)

PAST_INITIATION = ("execution", "monitoring", "acceptance", "closed")

# (field, Chinese name, English name), in the order they are named in messages.
_PARTS = (
    ("schedule", "进度计划（schedule，含里程碑）", "schedule (with milestones)"),
    ("quality", "质量计划（quality）", "quality"),
    ("cost", "成本计划（cost）", "cost"),
    ("approved_by", "审批人（approved_by）", "approved_by"),
    ("approved_on", "审批日期（approved_on）", "approved_on"),
)


def _missing(plan: dict[str, Any]) -> list[tuple[str, str, str]]:
    missing = []
    for name, zh, en in _PARTS:
        value = plan.get(name)
        if name == "schedule" and value and not value.get("milestones"):
            value = None
        if not value:
            missing.append((name, zh, en))
    return missing


WHAT = msg("制定项目计划并报上级审批", "Draw up the plan and have it approved by the superior")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    plan = record.get("plan") or {}
    if record.get("phase") not in PAST_INITIATION and not (plan.get("approved_by") or plan.get("approved_on")):
        why = msg(
            "项目尚在启动阶段，计划还没有审批；进入执行阶段前须获批准。",
            "The project is still in initiation and its plan is not approved yet; it must be before execution.",
        )
        yield not_applicable(record, ("phase",), "plan", WHAT, why, manager)
        return
    at = ("plan",) if record.get("plan") is not None else ("phase",)
    yield duty(record, at, "plan", WHAT, manager, _problems(record, ctx))


def chain_on(person_id: object, day: dt.date | None, ctx: Context) -> list[str]:
    """The superiors of ``person_id`` on ``day``, nearest first, stopping at a loop."""
    chain: list[str] = []
    current = person_id
    while True:
        superior = ctx.superior_on(current, day)[0]
        if not superior or superior in chain or superior == person_id:
            return chain
        chain.append(superior)
        current = superior


def _problems(record: Record, ctx: Context) -> Iterator[Problem]:
    phase = record.get("phase")
    plan = record.get("plan")
    approved_on = date(plan.get("approved_on")) if plan else None
    manager_id = record.get("manager")
    superior, manager, superior_at = ctx.superior_on(manager_id, approved_on)
    who = (
        msg(f"，应由项目经理的上级 {superior} 审批", f"; the manager's superior {superior} approves it")
        if superior
        else msg("", "")
    )

    if phase in PAST_INITIATION:
        reached = phase_reached(phase)
        if plan is None:
            yield Problem(
                record,
                ("phase",),
                msg(
                    f"项目{reached.zh}，但没有项目计划（plan）。请补充包括进度计划（含里程碑）、质量计划和"
                    f"成本计划的项目计划，并填写审批人和审批日期{who.zh}。",
                    f"The project {reached.en} but has no plan. Add the plan with its schedule (with "
                    f"milestones), quality and cost parts, and fill in approved_by and approved_on{who.en}.",
                ),
            )
            return
        missing = _missing(plan)
        if missing:
            note = who if any(name == "approved_by" for name, _, _ in missing) else msg("", "")
            yield Problem(
                record,
                ("plan",),
                msg(
                    f"项目{reached.zh}，但项目计划缺少：{'、'.join(zh for _, zh, _ in missing)}。请补齐计划{note.zh}。",
                    f"The project {reached.en} but its plan lacks: {', '.join(en for _, _, en in missing)}. "
                    f"Complete the plan{note.en}.",
                ),
            )
    if not plan:
        return

    approved_by = plan.get("approved_by")
    above = ctx.settings.plan_approval != "superior"
    allowed = chain_on(manager_id, approved_on, ctx) if above else [superior] if superior else []
    # No superior on record: nothing to compare with; superior-chain reports the gap.
    if approved_by and superior and approved_by not in allowed:
        day = (
            msg(f"{approved_on} 时", f"on {approved_on} the superior of the project manager {manager_id} was")
            if approved_on
            else msg("", f"the superior of the project manager {manager_id} is")
        )
        if above and len(allowed) > 1:
            chain = msg(
                f"，其上级链为 {' → '.join(allowed)}",
                f", and the chain above is {' → '.join(allowed)}",
            )
            rule = msg(
                "项目计划须提交项目经理的上级（或上级链中更上面的人）审批",
                "The manager's superior (or someone above them) approves the plan",
            )
        else:
            chain = msg("", "")
            rule = msg("项目计划须提交给项目经理的上级审批", "The manager's superior approves the plan")
        yield Problem(
            record,
            ("plan", "approved_by"),
            msg(
                f"项目计划由 {approved_by} 审批，但{day.zh}项目经理 {manager_id} 的直接上级是 {superior}{chain.zh}。"
                f"{rule.zh}：请由 {superior} 审批，或核对人员记录中的上级"
                "（上级变更过的，请在 superior_history 中记录原上级及其任期的最后一天）。",
                f"The plan was approved by {approved_by}, but {day.en} {superior}{chain.en}. {rule.en}: have "
                f"{superior} approve it, or check the superior in the person record (after a change of superior, "
                "record the previous one and their last day under superior_history).",
            ),
            related=manager,
            related_path=superior_at,
        )

    started = date(record.get("execution_started_on"))
    if approved_on and started and approved_on > started:
        yield Problem(
            record,
            ("plan", "approved_on"),
            msg(
                f"项目计划的审批日期 {approved_on} 晚于执行开始日期 {started}。计划须在执行开始前获得批准：请核对日期。"
                "",
                f"The plan was approved on {approved_on}, after execution started on {started}. The plan must be "
                "approved before execution starts: check the dates.",
            ),
        )
    submitted_on = date(plan.get("submitted_on"))
    if submitted_on and approved_on and submitted_on > approved_on:
        yield Problem(
            record,
            ("plan", "submitted_on"),
            msg(
                f"项目计划的提交日期 {submitted_on} 晚于审批日期 {approved_on}。计划应先提交再审批：请核对日期。",
                f"The plan was submitted on {submitted_on}, after it was approved on {approved_on}. A plan is "
                "submitted before it is approved: check the dates.",
            ),
        )
