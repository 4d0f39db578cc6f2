"""The project manager reports to the superior regularly throughout execution (2.1.4, 3.3.3).

The project manager monitors schedule, quality and cost and reports on them to
the superior regularly. From ``execution_started_on`` until the customer's
sign-off (else the closing date; until today while the project is still
running, or until the acceptance application while acceptance is pending), no
more than ``cadences.superior_report_days`` days (30 by default) may pass
between execution start, the recorded ``status_reports`` and the end of that
window. Each gap is reported at the report that ends it, or at the list when
it runs to the end. While the project runs, the next one is due at most that
many days after the last and is reported once overdue. A closed project is
held to its history: closing it does not make its gaps disappear.

The rule states two duties, both the project manager's: the record so far
(``status_reports``: met, or violated by each gap) and, while the project runs, the
next status report to the superior (``next-status_reports``: not yet due, due soon or overdue, with its due
date). Before execution both are not applicable.

Failing::

    phase: execution
    execution_started_on: 2026-08-03
    # no status_reports at all by 2026-11-24

Passing::

    phase: execution
    execution_started_on: 2026-08-03
    status_reports:
      - {date: 2026-08-31, to: EMP-0001, schedule: green, quality: green, cost: green, summary: 按计划推进}
      - {date: 2026-09-28, to: EMP-0001, schedule: amber, quality: green, cost: green, summary: 接口联调延后一周}
      - {date: 2026-10-26, to: EMP-0001, schedule: green, quality: green, cost: green, summary: 进度已追回}
      - {date: 2026-11-23, to: EMP-0001, schedule: green, quality: green, cost: amber, summary: 外包费用偏高}
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules._timeline import Series, cadence_duties, execution_window
from dops.rules.base import Context, Duty

DOC_ZH = """执行期间项目经理须定期向上级汇报（2.1.4、3.3.3）。

项目经理监控项目的进度、质量和成本，并定期向上级汇报。从 ``execution_started_on``
起，到客户确认验收通过为止（没有验收通过日期的，到项目关闭日期；项目仍在进行的，
到今天；正在等待验收的，到提交验收申请之日）。在这段时间里，从执行开始，
到已记录的每次汇报（``status_reports``），再到这段时间结束，相邻两点之间都不得超过
``cadences.superior_report_days`` 天（默认 30 天）。每段过长的间隔都在结束它的那次汇
报处报出；一直持续到终点的，在汇报列表处报出。项目进行期间，下一次最迟在上一次之后这么多天内到期，逾期即报出。
已关闭的项目仍按其历史检查：关闭项目并不会让以往的间隔消失。

本规则给出两项义务，都由项目经理履行：迄今的记录（``status_reports``：已履行，或因每段过长的间隔
而违反），以及项目进行期间的下一次上级状态汇报（``next-status_reports``：未到期、即将到期或逾期，附到期日）。
执行阶段开始之前，两项都不适用。

不合规示例::

    phase: execution
    execution_started_on: 2026-08-03
    # 截至 2026-11-24 没有任何状态报告（status_reports）

合规示例::

    phase: execution
    execution_started_on: 2026-08-03
    status_reports:
      - {date: 2026-08-31, to: EMP-0001, schedule: green, quality: green, cost: green, summary: 按计划推进}
      - {date: 2026-09-28, to: EMP-0001, schedule: amber, quality: green, cost: green, summary: 接口联调延后一周}
      - {date: 2026-10-26, to: EMP-0001, schedule: green, quality: green, cost: green, summary: 进度已追回}
      - {date: 2026-11-23, to: EMP-0001, schedule: green, quality: green, cost: amber, summary: 外包费用偏高}
"""

ID = "superior-report-cadence"
CLAUSES = ("2.1.4", "3.3.3")
SEVERITY = "warning"
TITLE = msg("执行期间定期向上级汇报项目情况", "The superior receives status reports regularly during execution")
KINDS = ("project",)

SERIES = Series(
    key="status_reports",
    setting="superior_report_days",
    noun=msg("上级状态汇报", "status report to the superior"),
    advice=msg(
        "请按期向直接上级汇报进度、质量和成本情况并记入 status_reports；已汇报但漏记的请补录。",
        "Report schedule, quality and cost to your superior on schedule and record each report under "
        "status_reports; add any report made but not recorded.",
    ),
)


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    yield from cadence_duties(record, ctx, SERIES, execution_window(record, ctx.as_of))
