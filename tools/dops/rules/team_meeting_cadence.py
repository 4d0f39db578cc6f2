"""Team meetings are held regularly throughout execution (3.2.2, 6.1.1).

The project manager holds regular team meetings to check progress and sort out
problems. From ``execution_started_on`` until the customer's sign-off (else
the closing date; until today while the project is still running, or until the
acceptance application while acceptance is pending), no more than
``cadences.team_meeting_days`` days (14 by default) may pass between execution
start, the recorded ``meetings`` and the end of that window. Each gap is
reported at the meeting that ends it, or at the list when it runs to the end.
While the project runs, the next one is due at most that many days after the
last and is reported once overdue. A closed project is held to its history:
closing it does not make its gaps disappear.

The rule states two duties, both the project manager's: the record so far
(``meetings``: met, or violated by each gap) and, while the project runs, the
next team meeting (``next-meetings``: not yet due, due soon or overdue, with its due
date). Before execution both are not applicable.

Failing::

    phase: execution
    execution_started_on: 2026-10-01
    meetings:
      - {date: 2026-10-09, notes: 检查迁移进度}
      - {date: 2026-11-02, notes: 协调测试环境}   # 24 days after the previous one

Passing::

    phase: execution
    execution_started_on: 2026-10-01
    meetings:
      - {date: 2026-10-09, notes: 检查迁移进度}
      - {date: 2026-10-21, notes: 协调测试环境}
      - {date: 2026-11-04, notes: 确认上线窗口}
      - {date: 2026-11-18, notes: 复核缺陷清单}
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules._timeline import Series, cadence_duties, execution_window
from dops.rules.base import Context, Duty

DOC_ZH = """执行期间须定期召开项目团队会议（3.2.2、6.1.1）。

项目经理定期组织项目团队会议，检查项目进度，协调解决项目中出现的问题。
从 ``execution_started_on`` 起，到客户确认验收通过为止（没有验收通过日期的，
到项目关闭日期；项目仍在进行的，到今天；正在等待验收的，到提交验收申请之日）。
在这段时间里，从执行开始，到已记录的每次会议（``meetings``），再到这段时间结束，
相邻两点之间都不得超过 ``cadences.team_meeting_days`` 天（默认 14 天）。
每段过长的间隔都在结束它的那次会议处报出；一直持续到终点的，在会议列表处报出。
项目进行期间，下一次最迟在上一次之后这么多天内到期，逾期即报出。
已关闭的项目仍按其历史检查：关闭项目并不会让以往的间隔消失。

本规则给出两项义务，都由项目经理履行：迄今的记录（``meetings``：已履行，或因每段过长的间隔
而违反），以及项目进行期间的下一次团队会议（``next-meetings``：未到期、即将到期或逾期，附到期日）。
执行阶段开始之前，两项都不适用。

不合规示例::

    phase: execution
    execution_started_on: 2026-10-01
    meetings:
      - {date: 2026-10-09, notes: 检查迁移进度}
      - {date: 2026-11-02, notes: 协调测试环境}   # 距上次会议 24 天

合规示例::

    phase: execution
    execution_started_on: 2026-10-01
    meetings:
      - {date: 2026-10-09, notes: 检查迁移进度}
      - {date: 2026-10-21, notes: 协调测试环境}
      - {date: 2026-11-04, notes: 确认上线窗口}
      - {date: 2026-11-18, notes: 复核缺陷清单}
"""

ID = "team-meeting-cadence"
CLAUSES = ("3.2.2", "6.1.1")
SEVERITY = "warning"
TITLE = msg("执行期间定期召开项目团队会议", "Team meetings are held regularly during execution")
KINDS = ("project",)

SERIES = Series(
    key="meetings",
    setting="team_meeting_days",
    noun=msg("团队会议", "team meeting"),
    advice=msg(
        "请按期召开团队会议并记入 meetings；已召开但漏记的会议请补录。",
        "Hold team meetings on schedule and record each under meetings; add any meeting held but not recorded.",
    ),
)


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    yield from cadence_duties(record, ctx, SERIES, execution_window(record, ctx.as_of))
