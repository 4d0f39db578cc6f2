"""Running projects sweep for risks regularly (7.1.2).

Potential risks are found by regular risk sweeps. From
``execution_started_on`` until the customer's sign-off (else the closing
date; until today while the project is still running, or until the
acceptance application while acceptance is pending), no more than
``cadences.risk_sweep_days`` days (30 by default) may pass between execution
start, the recorded ``risk_sweeps`` and the end of that window. Each gap is
reported at the sweep that ends it, or at the list when it runs to the end.
A closed project is no longer warned about: nothing can be done.

Failing::

    phase: monitoring
    execution_started_on: 2026-08-03
    risk_sweeps:
      - {date: 2026-08-28, by: EMP-0002, notes: 发现接口供应商交付风险}
      - {date: 2026-10-20, by: EMP-0002, notes: 无新增风险}   # 53 days later

Passing::

    phase: monitoring
    execution_started_on: 2026-08-03
    risk_sweeps:
      - {date: 2026-08-28, by: EMP-0002, notes: 发现接口供应商交付风险}
      - {date: 2026-09-25, by: EMP-0002, notes: 供应商风险已缓解}
      - {date: 2026-10-23, by: EMP-0002, notes: 无新增风险}
      - {date: 2026-11-20, by: EMP-0002, notes: 关注上线窗口人手}
"""

from __future__ import annotations

from typing import Iterator

from ..model import Record, msg
from ._timeline import Series, cadence_problems, execution_window
from .base import Context, Problem

ID = "risk-sweep-cadence"
CLAUSES = ("7.1.2",)
SEVERITY = "warning"
TITLE = msg("进行中的项目定期开展风险排查", "Running projects hold regular risk sweeps")
KINDS = ("project",)

SERIES = Series(
    key="risk_sweeps",
    setting="risk_sweep_days",
    noun=msg("风险排查", "risk sweep"),
    advice=msg("请按期开展风险排查并记入 risk_sweeps；已排查但漏记的请补录。",
               "Sweep for risks on schedule and record each sweep under risk_sweeps; add any sweep held but "
               "not recorded."),
)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if record.get("phase") == "closed":
        return  # a closed project is no longer warned about: nothing can be done
    yield from cadence_problems(record, ctx, SERIES, execution_window(record, ctx.as_of))
