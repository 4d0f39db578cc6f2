"""A closed deviation records its cause and corrective action, and every deviation is closed by acceptance (3.3.2).

Deviations in schedule, quality or cost are analysed for their cause and
corrected. A deviation with ``closed_on`` – and every deviation of a project
that has been accepted (``acceptance.accepted_on``) or closed – must state its
``cause`` and ``corrective_action``. Once the project is accepted or closed,
every deviation must also be closed (``closed_on``): one still open then is
either corrected and just not recorded as closed, or was never corrected, in
which case ``corrective_action`` says why and what follows. A deviation
cannot be closed before it was found (``closed_on`` not before ``found_on``),
and each deviation of a project has its own ``id``.

This rule states one duty per deviation, named by its ID (``D1``): what the
record says of it. The project manager must act (3.3 makes monitoring, and
with it the handling of deviations, the manager's task). A deviation still
open on a running project has nothing to check yet (not applicable); how long
it may stay open is the duty ``D1.close`` of ``deviation-overdue``. These are
errors: the record can always be put right, and a closed project is held to
it like any other.

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
from typing import Any

from dops.core.model import Message, Record, msg
from dops.rules._timeline import End, item_subjects, project_end
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable

DOC_ZH = """已关闭的偏差须记录原因和纠正措施，项目验收时所有偏差都须已关闭（3.3.2）。

进度、质量或成本上的偏差，要分析原因并采取纠正措施。填了 ``closed_on`` 的偏差，
以及已验收（``acceptance.accepted_on``）或已关闭项目的所有偏差，都必须写明 ``cause``
和 ``corrective_action``。项目验收或关闭后，所有偏差还必须已关闭（``closed_on``）：
这时仍未关闭的偏差，要么已经纠正、只是没有记录关闭，要么从未纠正——后一种情况要在
``corrective_action`` 中说明原因和后续安排。偏差不能在发现之前关闭（``closed_on`` 不
得早于 ``found_on``），同一项目中每个偏差的编号（``id``）都不能重复。

本规则对每个偏差给出一项义务，以偏差编号命名（``D1``）：记录中关于它的内容是否完整、
正确。须采取行动的是项目经理（第 3.3 节把项目监控、也就是偏差的处理交给项目经理）。
进行中项目里尚未关闭的偏差，暂时没有可检查的内容（不适用）；它最多可以开放多久，是
``deviation-overdue`` 的义务 ``D1.close``。这些都是错误：记录总可以改正，已关闭的项目
也同样要求。

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


def _what(name: str) -> Message:
    return msg(f"记录偏差 {name} 的原因、纠正措施和关闭", f"Record deviation {name}'s cause, action and closure")


def _problems(record: Record, index: int, deviation: dict[str, Any], end: End | None) -> Iterator[Problem]:
    found, closed = date(deviation["found_on"]), date(deviation.get("closed_on"))
    why = msg(f"已于 {closed} 关闭", f"was closed on {closed}") if closed else end.belongs if end else None
    if why is not None:  # closed, or its project is over
        missing = [(zh, en) for name, zh, en in _PARTS if not deviation.get(name)]
        if end and not closed:
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
                f"Deviation {deviation['id']} was closed on {closed}, before it was found on {found}. Check the dates.",
            ),
        )


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    deviations = record.get("deviations", default=[])
    if not deviations:
        yield not_applicable(
            record,
            ("deviations",),
            "deviations",
            msg("记录偏差的原因、纠正措施和关闭", "Record each deviation's cause, action and closure"),
            msg("项目没有记录偏差。", "The project records no deviations."),
            manager,
        )
        return
    end = project_end(record)
    subjects = item_subjects(deviation["id"] for deviation in deviations)
    for index, (deviation, subject) in enumerate(zip(deviations, subjects, strict=True)):
        what = _what(deviation["id"])
        problems = list(_problems(record, index, deviation, end))
        if subject != deviation["id"]:
            problems.append(
                Problem(
                    record,
                    ("deviations", index, "id"),
                    msg(
                        f"偏差编号 {deviation['id']} 在本项目中重复使用。请给这个偏差一个未使用的编号。",
                        f"The deviation ID {deviation['id']} is used more than once in this project. Give this "
                        "deviation an unused ID.",
                    ),
                )
            )
        if not problems and end is None and not deviation.get("closed_on"):
            yield not_applicable(
                record,
                ("deviations", index),
                subject,
                what,
                msg(
                    "偏差仍在处理中：关闭时再检查原因和纠正措施；最迟何时关闭见 deviation-overdue。",
                    "The deviation is still being handled: its cause and action are checked once it is closed; "
                    "deviation-overdue says by when that is due.",
                ),
                manager,
            )
            continue
        yield duty(record, ("deviations", index), subject, what, manager, problems)
