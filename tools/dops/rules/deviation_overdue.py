"""A deviation is not left open longer than the set number of days (3.3.2).

Deviations are to be analysed and corrected promptly. A deviation without
``closed_on`` that was found more than ``cadences.deviation_open_days`` days
(default 30, set in ``dops.yaml``) before the date of the check is reported,
with how long it has been open and whether its cause and corrective action are
still missing. This is a warning: it depends on the day the check runs. A
closed project is no longer warned about: nothing can be done. Nor is a
project the customer has accepted (``acceptance.accepted_on``): its open
deviations are errors of ``deviation-handled``, which asks to close them or
explain why they stayed open.

Failing (checked on 2026-11-24)::

    deviations:
      - {id: D2, found_on: 2026-09-15, area: cost, description: 外包费用超出预算 8%}

Passing (checked on 2026-11-24)::

    deviations:
      - id: D2
        found_on: 2026-09-15
        area: cost
        description: 外包费用超出预算 8%
        cause: 需求变更增加了数据清洗工作量
        corrective_action: 与客户签订变更单，追加预算
        closed_on: 2026-10-09
"""

from __future__ import annotations

from typing import Iterator

from ..model import Record, msg
from .base import Context, Problem, date

ID = "deviation-overdue"
CLAUSES = ("3.3.2",)
SEVERITY = "warning"
TITLE = msg("项目偏差须及时分析和纠正，不得长期未关闭",
            "Deviations are analysed and corrected promptly, not left open")
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if record.get("phase") == "closed" or record.get("acceptance", "accepted_on"):
        return  # nothing can be done any more; deviation-handled reports deviations left open
    limit = ctx.settings.cadence("deviation_open_days")
    for index, deviation in enumerate(record.get("deviations", default=[])):
        found = date(deviation["found_on"])
        if deviation.get("closed_on") or found is None:
            continue
        days = (ctx.as_of - found).days
        if days <= limit:
            continue
        missing = [(zh, en) for name, zh, en in (
            ("cause", "原因分析", "cause"), ("corrective_action", "纠正措施", "corrective action"),
        ) if not deviation.get(name)]
        if missing:
            state = msg(f"目前仍缺少{'和'.join(zh for zh, _ in missing)}。请尽快分析原因、落实纠正措施，",
                        f"Its {' and '.join(en for _, en in missing)} {'are' if len(missing) > 1 else 'is'} still "
                        "missing. Analyse the cause and take corrective action, ")
        else:
            state = msg("原因和纠正措施已记录。", "Its cause and corrective action are recorded. ")
        yield Problem(record, ("deviations", index), msg(
            f"偏差 {deviation['id']} 于 {found} 发现，至 {ctx.as_of} 已 {days} 天仍未关闭，超过 {limit} 天的期限。"
            f"{state.zh}纠正完成后请填写关闭日期（closed_on）。",
            f"Deviation {deviation['id']}, found on {found}, has been open for {days} days as of {ctx.as_of}, "
            f"longer than the {limit} days allowed. {state.en}"
            f"{'and fill' if missing else 'Fill'} in closed_on once it is corrected.",
        ))
