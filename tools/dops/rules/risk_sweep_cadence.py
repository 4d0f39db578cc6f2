"""Running projects sweep for risks regularly (7.1.2).

Potential risks are found by regular risk sweeps. From
``execution_started_on`` until the customer's sign-off (else the closing
date; until today while the project is still running, or until the
acceptance application while acceptance is pending), no more than
``cadences.risk_sweep_days`` days (30 by default) may pass between execution
start, the recorded ``risk_sweeps`` and the end of that window. Each gap is
reported at the sweep that ends it, or at the list when it runs to the end.
While the project runs, the next one is due at most that many days after the
last and is reported once overdue. A closed project is held to its history:
closing it does not make its gaps disappear.

The rule states two duties, both the project manager's: the record so far
(``risk_sweeps``: met, or violated by each gap) and, while the project runs, the
next risk sweep (``next-risk_sweeps``: not yet due, due soon or overdue, with its due
date). Before execution both are not applicable.

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

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules._timeline import Series, cadence_duties, execution_window
from dops.rules.base import Context, Duty

DOC_ZH = """进行中的项目须定期进行风险排查（7.1.2）。

潜在的风险因素要靠定期的风险排查及时发现。从 ``execution_started_on`` 起，
到客户确认验收通过为止（没有验收通过日期的，到项目关闭日期；项目仍在进行的，
到今天；正在等待验收的，到提交验收申请之日）。在这段时间里，从执行开始，
到已记录的每次排查（``risk_sweeps``），再到这段时间结束，相邻两点之间都不得超过
``cadences.risk_sweep_days`` 天（默认 30 天）。每段过长的间隔都在结束它的那次排查处
报出；一直持续到终点的，在排查列表处报出。项目进行期间，下一次最迟在上一次之后这么多天内到期，逾期即报出。
已关闭的项目仍按其历史检查：关闭项目并不会让以往的间隔消失。

本规则给出两项义务，都由项目经理履行：迄今的记录（``risk_sweeps``：已履行，或因每段过长的间隔
而违反），以及项目进行期间的下一次风险排查（``next-risk_sweeps``：未到期、即将到期或逾期，附到期日）。
执行阶段开始之前，两项都不适用。

不合规示例::

    phase: monitoring
    execution_started_on: 2026-08-03
    risk_sweeps:
      - {date: 2026-08-28, by: EMP-0002, notes: 发现接口供应商交付风险}
      - {date: 2026-10-20, by: EMP-0002, notes: 无新增风险}   # 与上次相隔 53 天

合规示例::

    phase: monitoring
    execution_started_on: 2026-08-03
    risk_sweeps:
      - {date: 2026-08-28, by: EMP-0002, notes: 发现接口供应商交付风险}
      - {date: 2026-09-25, by: EMP-0002, notes: 供应商风险已缓解}
      - {date: 2026-10-23, by: EMP-0002, notes: 无新增风险}
      - {date: 2026-11-20, by: EMP-0002, notes: 关注上线窗口人手}
"""

ID = "risk-sweep-cadence"
CLAUSES = ("7.1.2",)
SEVERITY = "warning"
TITLE = msg("进行中的项目定期开展风险排查", "Running projects hold regular risk sweeps")
KINDS = ("project",)

SERIES = Series(
    key="risk_sweeps",
    setting="risk_sweep_days",
    noun=msg("风险排查", "risk sweep"),
    advice=msg(
        "请按期开展风险排查并记入 risk_sweeps；已排查但漏记的请补录。",
        "Sweep for risks on schedule and record each sweep under risk_sweeps; add any sweep held but not recorded.",
    ),
)


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    yield from cadence_duties(record, ctx, SERIES, execution_window(record, ctx.as_of))
