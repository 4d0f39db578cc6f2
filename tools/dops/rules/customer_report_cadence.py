"""The customer hears about progress regularly throughout execution (3.2.4, 6.2.3).

The project keeps the customer informed of its progress. From
``execution_started_on`` until the customer's sign-off (else the closing date;
until today while the project is still running, or until the acceptance
application while acceptance is pending), no more than
``cadences.customer_report_days`` days (14 by default) may pass between
execution start, the recorded ``customer_reports`` and the end of that window.
Each gap is reported at the report that ends it, or at the list when it runs
to the end. While the project runs, the next one is due at most that many days after the
last and is reported once overdue. A closed project is held to its history:
closing it does not make its gaps disappear.

The rule states two duties, both the project manager's: the record so far
(``customer_reports``: met, or violated by each gap) and, while the project runs, the
next progress report to the customer (``next-customer_reports``: not yet due, due soon or overdue, with its due
date). Before execution both are not applicable.

Failing::

    phase: execution
    execution_started_on: 2026-10-01
    customer_reports:
      - {date: 2026-10-12, summary: 第一批数据迁移完成}
      # nothing since: more than 14 days before today (2026-11-24)

Passing::

    phase: execution
    execution_started_on: 2026-10-01
    customer_reports:
      - {date: 2026-10-12, summary: 第一批数据迁移完成}
      - {date: 2026-10-26, summary: 测试环境就绪}
      - {date: 2026-11-09, summary: 用户验收测试开始}
      - {date: 2026-11-20, summary: 缺陷修复进展}
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules._timeline import Series, cadence_duties, execution_window
from dops.rules.base import Context, Duty

DOC_ZH = """执行期间须定期向客户汇报项目进展（3.2.4、6.2.3）。

项目要让客户及时了解项目进展。从 ``execution_started_on`` 起，到客户确认验收通过为止
（没有验收通过日期的，到项目关闭日期；项目仍在进行的，到今天；正在等待验收的，
到提交验收申请之日）。在这段时间里，从执行开始，到已记录的每次汇报
（``customer_reports``），再到这段时间结束，相邻两点之间都不得超过
``cadences.customer_report_days`` 天（默认 14 天）。每段过长的间隔都在结束它的那次汇
报处报出；一直持续到终点的，在汇报列表处报出。项目进行期间，下一次最迟在上一次之后这么多天内到期，逾期即报出。
已关闭的项目仍按其历史检查：关闭项目并不会让以往的间隔消失。

本规则给出两项义务，都由项目经理履行：迄今的记录（``customer_reports``：已履行，或因每段过长的间隔
而违反），以及项目进行期间的下一次客户进展汇报（``next-customer_reports``：未到期、即将到期或逾期，附到期日）。
执行阶段开始之前，两项都不适用。

不合规示例::

    phase: execution
    execution_started_on: 2026-10-01
    customer_reports:
      - {date: 2026-10-12, summary: 第一批数据迁移完成}
      # 此后再无汇报：距今天（2026-11-24）已超过 14 天

合规示例::

    phase: execution
    execution_started_on: 2026-10-01
    customer_reports:
      - {date: 2026-10-12, summary: 第一批数据迁移完成}
      - {date: 2026-10-26, summary: 测试环境就绪}
      - {date: 2026-11-09, summary: 用户验收测试开始}
      - {date: 2026-11-20, summary: 缺陷修复进展}
"""

ID = "customer-report-cadence"
CLAUSES = ("3.2.4", "6.2.3")
SEVERITY = "warning"
TITLE = msg("执行期间定期向客户汇报项目进展", "The customer is told of progress regularly during execution")
KINDS = ("project",)

SERIES = Series(
    key="customer_reports",
    setting="customer_report_days",
    noun=msg("客户进展汇报", "progress report to the customer"),
    advice=msg(
        "请按期向客户汇报项目进展并记入 customer_reports；已汇报但漏记的请补录。",
        "Report progress to the customer on schedule and record each report under customer_reports; "
        "add any report made but not recorded.",
    ),
)


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    yield from cadence_duties(record, ctx, SERIES, execution_window(record, ctx.as_of))
