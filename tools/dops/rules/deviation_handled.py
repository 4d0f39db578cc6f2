"""A closed deviation records its cause and corrective action, and every deviation is closed by acceptance (3.3.2).

Deviations in schedule, quality or cost are analysed for their cause and
corrected. A deviation with ``closed_on`` – and every deviation of a project
that has been accepted (``acceptance.accepted_on``) or closed – must state its
``cause`` and ``corrective_action``. Once the project is accepted or closed,
every deviation must also be closed (``closed_on``): one still open then is
either corrected and just not recorded as closed, or was never corrected, in
which case ``corrective_action`` says why and what follows. A deviation
cannot be closed before it was found (``closed_on`` not before ``found_on``).

Failing::

    deviations:
      - id: D1
        found_on: 2026-04-08
        area: schedule
        description: 接口联调比计划晚 5 天
        closed_on: 2026-04-02      # before it was found; no cause or action

Passing::

    deviations:
      - id: D1
        found_on: 2026-04-08
        area: schedule
        description: 接口联调比计划晚 5 天
        cause: 客户测试环境交付延迟
        corrective_action: 增派一名专员并行联调，周末加班追回进度
        closed_on: 2026-04-20
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """已关闭的偏差须记录原因和纠正措施，项目验收时所有偏差都须已关闭（3.3.2）。

进度、质量或成本上的偏差，要分析原因并采取纠正措施。填了 ``closed_on`` 的偏差，
以及已验收（``acceptance.accepted_on``）或已关闭项目的所有偏差，都必须写明 ``cause``
和 ``corrective_action``。项目验收或关闭后，所有偏差还必须已关闭（``closed_on``）：
这时仍未关闭的偏差，要么已经纠正、只是没有记录关闭，要么从未纠正——后一种情况要在
``corrective_action`` 中说明原因和后续安排。偏差不能在发现之前关闭（``closed_on`` 不
得早于 ``found_on``）。

不合规示例::

    deviations:
      - id: D1
        found_on: 2026-04-08
        area: schedule
        description: 接口联调比计划晚 5 天
        closed_on: 2026-04-02      # 早于发现日期；也没有原因和纠正措施

合规示例::

    deviations:
      - id: D1
        found_on: 2026-04-08
        area: schedule
        description: 接口联调比计划晚 5 天
        cause: 客户测试环境交付延迟
        corrective_action: 增派一名专员并行联调，周末加班追回进度
        closed_on: 2026-04-20
"""

ID = "deviation-handled"
CLAUSES = ("3.3.2",)
SEVERITY = "error"
TITLE = msg(
    "已关闭的偏差须记录原因和纠正措施；项目验收或关闭时，所有偏差都须关闭",
    "Closed deviations record their cause and corrective action; by acceptance every deviation is closed",
)
KINDS = ("project",)

_PARTS = (
    ("cause", "原因分析（cause）", "cause"),
    ("corrective_action", "纠正措施（corrective_action）", "corrective_action"),
)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    accepted_on = record.get("acceptance", "accepted_on")
    if accepted_on:
        project_done = msg(f"所在项目已于 {accepted_on} 验收通过", f"belongs to a project accepted on {accepted_on}")
    elif record.get("phase") == "closed":
        project_done = msg("所在项目已关闭", "belongs to a closed project")
    else:
        project_done = None
    for index, deviation in enumerate(record.get("deviations", default=[])):
        found, closed = date(deviation["found_on"]), date(deviation.get("closed_on"))
        why = msg(f"已于 {closed} 关闭", f"was closed on {closed}") if closed else project_done
        if why is not None:  # closed, or its project is done
            missing = [(zh, en) for name, zh, en in _PARTS if not deviation.get(name)]
            if project_done and not closed:
                missing.append(("关闭日期（closed_on）", "closed_on"))
            if missing:
                if closed:
                    advice = msg(
                        "请补充偏差产生的原因和采取的纠正措施。",
                        "Record what caused it and what was done to correct it.",
                    )
                else:
                    parts = (
                        msg("记录偏差产生的原因和纠正措施，并", "Record its cause and corrective action, and ")
                        if len(missing) > 1
                        else msg("", "")
                    )
                    advice = msg(
                        f"请{parts.zh}填写纠正完成的日期作为关闭日期；如果偏差最终没有纠正，"
                        "请在 corrective_action 中说明原因和后续安排，再关闭该偏差。",
                        f"{parts.en}{'close' if parts.en else 'Close'} it with the day it was corrected; if it "
                        "was never corrected, explain why and what follows under corrective_action, then close it.",
                    )
                yield Problem(
                    record,
                    ("deviations", index),
                    msg(
                        f"偏差 {deviation['id']}（{found} 发现）{why.zh}，但缺少{'和'.join(zh for zh, _ in missing)}。"
                        f"{advice.zh}",
                        f"Deviation {deviation['id']} (found {found}) {why.en} but lacks "
                        f"{' and '.join(en for _, en in missing)}. {advice.en}",
                    ),
                )
        if closed and found and closed < found:
            yield Problem(
                record,
                ("deviations", index, "closed_on"),
                msg(
                    f"偏差 {deviation['id']} 的关闭日期 {closed} 早于发现日期 {found}。请核对日期。",
                    f"Deviation {deviation['id']} was closed on {closed}, before it was found on {found}. "
                    "Check the dates.",
                ),
            )
