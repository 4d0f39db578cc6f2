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

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """偏差不得超过规定天数仍未关闭（3.3.2）。

偏差要及时分析和纠正。没有 ``closed_on`` 的偏差，如果发现日期比检查日期早了超过
``cadences.deviation_open_days`` 天（默认 30 天，在 ``dops.yaml`` 中设置），
就会被报出，并说明它已拖了多少天、原因和纠正措施是否还没填写。这是警告：
结果取决于哪天运行检查。已关闭的项目不再提示：事情已无法补救。客户已验收的项目
（``acceptance.accepted_on``）也不再提示：其未关闭的偏差属于 ``deviation-handled``
报出的错误，该规则要求关闭这些偏差，或说明为何仍未关闭。

不合规示例（检查日期 2026-11-24）::

    deviations:
      - {id: D2, found_on: 2026-09-15, area: cost, description: 外包费用超出预算 8%}

合规示例（检查日期 2026-11-24）::

    deviations:
      - id: D2
        found_on: 2026-09-15
        area: cost
        description: 外包费用超出预算 8%
        cause: 需求变更增加了数据清洗工作量
        corrective_action: 与客户签订变更单，追加预算
        closed_on: 2026-10-09
"""

ID = "deviation-overdue"
CLAUSES = ("3.3.2",)
SEVERITY = "warning"
TITLE = msg("项目偏差须及时分析和纠正，不得长期未关闭", "Deviations are analysed and corrected promptly, not left open")
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
        missing = [
            (zh, en)
            for name, zh, en in (
                ("cause", "原因分析", "cause"),
                ("corrective_action", "纠正措施", "corrective action"),
            )
            if not deviation.get(name)
        ]
        if missing:
            state = msg(
                f"目前仍缺少{'和'.join(zh for zh, _ in missing)}。请尽快分析原因、落实纠正措施，",
                f"Its {' and '.join(en for _, en in missing)} {'are' if len(missing) > 1 else 'is'} still "
                "missing. Analyse the cause and take corrective action, ",
            )
        else:
            state = msg("原因和纠正措施已记录。", "Its cause and corrective action are recorded. ")
        yield Problem(
            record,
            ("deviations", index),
            msg(
                f"偏差 {deviation['id']} 于 {found} 发现，至 {ctx.as_of} 已 {days} 天仍未关闭，超过 {limit} 天的期限。"
                f"{state.zh}纠正完成后请填写关闭日期（closed_on）。",
                f"Deviation {deviation['id']}, found on {found}, has been open for {days} days as of {ctx.as_of}, "
                f"longer than the {limit} days allowed. {state.en}"
                f"{'and fill' if missing else 'Fill'} in closed_on once it is corrected.",
            ),
        )
