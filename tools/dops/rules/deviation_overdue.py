"""A deviation is not left open longer than the set number of days (3.3.2).

Deviations are to be analysed and corrected promptly. Each deviation must be
closed (``closed_on``) within ``cadences.deviation_open_days`` days (default
30, set in ``dops.yaml``) of being found (``found_on``). This rule states
that duty for each deviation as ``D1.close`` (the deviation's ID), owed by
the project manager, who handles deviations (3.3). While the project runs, an
open deviation falls due on ``found_on`` plus that many days: until then it is
not yet due (or due soon), afterwards overdue, with how long it has been open
and whether its cause and corrective action are still missing.

A deviation closed later than that, and one still open when the project was
accepted (``acceptance.accepted_on``) or closed, was not corrected in time:
that cannot be made good any more, so it stays a warning, also once the
project is closed (closing a project does not make its past lapses
disappear). What the record itself lacks – the missing ``closed_on``, cause
or action – is an error of ``deviation-handled``.

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

import datetime as dt
from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules._timeline import item_subjects, project_end
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, pending

DOC_ZH = """偏差不得超过规定天数仍未关闭（3.3.2）。

偏差要及时分析和纠正。每个偏差都必须在发现（``found_on``）后
``cadences.deviation_open_days`` 天内（默认 30 天，在 ``dops.yaml`` 中设置）关闭
（``closed_on``）。本规则对每个偏差给出这项义务，命名为 ``D1.close``（偏差编号），
由负责处理偏差的项目经理履行（第 3.3 节）。项目进行期间，未关闭的偏差在
``found_on`` 加上这个天数的那天到期：之前为未到期（或即将到期），之后为逾期，
并说明它已拖了多少天、原因和纠正措施是否还没填写。

超过期限才关闭的偏差，以及项目验收（``acceptance.accepted_on``）或关闭时仍未关闭的偏差，
都没有及时纠正。这已无法补救，所以报为警告；项目关闭后也照样报出（关闭项目并不会让
以往的疏漏消失）。记录本身缺少的内容——没有 ``closed_on``、原因或纠正措施——属于
``deviation-handled`` 报出的错误。

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


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    deviations = record.get("deviations", default=[])
    if not deviations:
        yield not_applicable(
            record,
            ("deviations",),
            "deviations",
            msg("及时纠正并关闭偏差", "Correct and close deviations promptly"),
            msg("项目没有记录偏差。", "The project records no deviations."),
            manager,
        )
        return
    limit = ctx.settings.cadence("deviation_open_days")
    end = project_end(record)
    subjects = item_subjects(deviation["id"] for deviation in deviations)
    for index, (deviation, subject) in enumerate(zip(deviations, subjects, strict=True)):
        name = deviation["id"]
        what = msg(f"在 {limit} 天内关闭偏差 {name}", f"Close deviation {name} within {limit} days")
        where = ("deviations", index)
        found, closed = date(deviation["found_on"]), date(deviation.get("closed_on"))
        if found is None:
            continue  # the schema requires a date
        due = found + dt.timedelta(days=limit)
        if closed is not None:
            days = (closed - found).days
            late = []
            if days > limit:
                late.append(
                    Problem(
                        record,
                        (*where, "closed_on"),
                        msg(
                            f"偏差 {name} 于 {found} 发现，{closed} 才关闭，历时 {days} 天，超过 {limit} 天的期限。"
                            "偏差应及时分析和纠正；如日期有误请更正。",
                            f"Deviation {name}, found on {found}, was closed only on {closed}, {days} days later: "
                            f"longer than the {limit} days allowed. Deviations are to be corrected promptly; if a "
                            "date is wrong, correct it.",
                        ),
                    )
                )
            yield duty(record, where, f"{subject}.close", what, manager, late, due=due, severity="warning")
            continue
        missing = [
            (zh, en)
            for key, zh, en in (("cause", "原因分析", "cause"), ("corrective_action", "纠正措施", "corrective action"))
            if not deviation.get(key)
        ]
        if end is not None and (end.on is None or end.on >= found):  # found after the end: still to close
            open_days = (end.on - found).days if end.on else None
            open_for = (
                msg(f"（发现后 {open_days} 天）", f" ({open_days} days after it was found)")
                if open_days is not None
                else msg("", "")
            )
            yield duty(
                record,
                where,
                f"{subject}.close",
                what,
                manager,
                [
                    Problem(
                        record,
                        where,
                        msg(
                            f"偏差 {name} 于 {found} 发现，到{end.when.zh}{open_for.zh}仍未关闭："
                            f"没有在 {limit} 天内纠正。"
                            "这已无法补救；如果偏差其实已经纠正，请填写关闭日期（closed_on）。",
                            f"Deviation {name}, found on {found}, was still open when {end.when.en}{open_for.en}: it "
                            f"was not corrected within {limit} days. That cannot be made good now; if it was in fact "
                            "corrected, fill in closed_on.",
                        ),
                    )
                ],
                due=due,
                severity="warning",
            )
            continue
        if missing:
            state = msg(
                f"目前仍缺少{'和'.join(zh for zh, _ in missing)}。请尽快分析原因、落实纠正措施，",
                f"Its {' and '.join(en for _, en in missing)} {'are' if len(missing) > 1 else 'is'} still "
                "missing. Analyse the cause and take corrective action, ",
            )
        else:
            state = msg("原因和纠正措施已记录。", "Its cause and corrective action are recorded. ")
        days = (ctx.as_of - found).days
        yield pending(
            record,
            where,
            f"{subject}.close",
            what,
            manager,
            due,
            msg(
                f"偏差 {name} 于 {found} 发现，至 {ctx.as_of} 已 {days} 天仍未关闭，"
                f"超过 {limit} 天的期限（{due} 到期）。"
                f"{state.zh}纠正完成后请填写关闭日期（closed_on）。",
                f"Deviation {name}, found on {found}, has been open for {days} days as of {ctx.as_of}, "
                f"longer than the {limit} days allowed (due {due}). {state.en}"
                f"{'and fill' if missing else 'Fill'} in closed_on once it is corrected.",
            ),
        )
