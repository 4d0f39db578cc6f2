"""The customer hears about progress regularly throughout execution (3.2.4, 6.2.3).

The project keeps the customer informed of its progress. From
``execution_started_on`` until the customer's sign-off (else the closing date;
until today while the project is still running, or until the acceptance
application while acceptance is pending), no more than
``cadences.customer_report_days`` days (14 by default) may pass between
execution start, the recorded ``customer_reports`` and the end of that window.
Each gap is reported at the report that ends it, or at the list when it runs
to the end. A closed project is no longer warned about: nothing can be done.

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

from typing import Iterator

from ..model import Record, msg
from ._timeline import Series, cadence_problems, execution_window
from .base import Context, Problem

ID = "customer-report-cadence"
CLAUSES = ("3.2.4", "6.2.3")
SEVERITY = "warning"
TITLE = msg("执行期间定期向客户汇报项目进展", "The customer is told of progress regularly during execution")
KINDS = ("project",)

SERIES = Series(
    key="customer_reports",
    setting="customer_report_days",
    noun=msg("客户进展汇报", "progress report to the customer"),
    advice=msg("请按期向客户汇报项目进展并记入 customer_reports；已汇报但漏记的请补录。",
               "Report progress to the customer on schedule and record each report under customer_reports; "
               "add any report made but not recorded."),
)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if record.get("phase") == "closed":
        return  # a closed project is no longer warned about: nothing can be done
    yield from cadence_problems(record, ctx, SERIES, execution_window(record, ctx.as_of))
