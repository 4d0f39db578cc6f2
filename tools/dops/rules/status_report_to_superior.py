"""Status reports go to the project manager's superior (3.3.3, 2.1.4).

The project manager reports on the project, and escalates major problems, to
the superior. Each entry of ``status_reports`` must be addressed (``to``) to
whoever was the manager's superior on the report's ``date``: the ``superior``
in the manager's person record, or the entry of ``superior_history`` in force
that day. A report sent elsewhere does not count as reporting upwards. When
the manager has no superior on record the recipients are not checked
(``superior-chain`` reports that).

This rule states one duty per report, named after its date (``2026-10-30``; a
second report of the same day is ``2026-10-30#2``), owed by the project
manager, who reports (2.1.4, 3.3.3); a report sent to the wrong person is an
error, also on a closed project: the record can be corrected, or the report
sent to the superior. Whether reports come often enough is
``superior-report-cadence``'s duty.

Failing::

    manager: EMP-0002          # superior: EMP-0001
    status_reports:
      - {date: 2026-10-30, to: EMP-0003, schedule: green, quality: green, cost: green, summary: 按计划推进}

Passing::

    manager: EMP-0002
    status_reports:
      - {date: 2026-10-30, to: EMP-0001, schedule: green, quality: green, cost: green, summary: 按计划推进}
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules._timeline import item_subjects
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable

DOC_ZH = """项目状态报告须提交给项目经理的上级（3.3.3、2.1.4）。

项目经理向上级汇报项目情况，重大问题也向上级请示。``status_reports`` 中每份报告的接
收人（``to``）必须是报告日期（``date``）当天项目经理的上级：项目经理人员记录中的
``superior``，或当天有效的 ``superior_history`` 条目。报告发给别人，不算向上级汇报。
项目经理没有登记上级时，不检查接收人（由 ``superior-chain`` 报出）。

本规则对每份报告给出一项义务，以报告日期命名（``2026-10-30``；同一天的第二份为
``2026-10-30#2``），由负责汇报的项目经理履行（2.1.4、3.3.3）。报告发错了人是错误，
已关闭的项目也一样：记录可以改正，或者把报告提交给上级。汇报是否足够频繁，是
``superior-report-cadence`` 的义务。

不合规示例::

    manager: EMP-0002          # 其上级为 EMP-0001
    status_reports:
      - {date: 2026-10-30, to: EMP-0003, schedule: green, quality: green, cost: green, summary: 按计划推进}

合规示例::

    manager: EMP-0002
    status_reports:
      - {date: 2026-10-30, to: EMP-0001, schedule: green, quality: green, cost: green, summary: 按计划推进}
"""

ID = "status-report-to-superior"
CLAUSES = ("3.3.3", "2.1.4")
SEVERITY = "error"
TITLE = msg("状态报告须提交给项目经理的直接上级", "Status reports go to the project manager's superior")
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.data["manager"]
    reports = record.get("status_reports", default=[])
    if not reports:
        yield not_applicable(
            record,
            ("status_reports",),
            "status_reports",
            msg("向直接上级提交状态报告", "Send status reports to the superior"),
            msg(
                "项目没有记录状态报告；是否应当汇报，见 superior-report-cadence。",
                "The project records no status report; superior-report-cadence says whether one is due.",
            ),
            manager,
        )
        return
    subjects = item_subjects(str(report["date"]) for report in reports)
    for index, (report, subject) in enumerate(zip(reports, subjects, strict=True)):
        where = ("status_reports", index)
        what = msg(
            f"把 {report['date']} 的状态报告提交给直接上级",
            f"Send the status report of {report['date']} to the superior",
        )
        superior, person, superior_at = ctx.superior_on(manager, date(report["date"]))
        if not superior:  # an unknown manager, or one without a superior: references and superior-chain report it
            yield not_applicable(
                record,
                where,
                subject,
                what,
                msg(
                    "项目经理没有登记上级，无法核对接收人（见 superior-chain）。",
                    "The manager has no superior on record, so the recipient cannot be checked (see superior-chain).",
                ),
                manager,
            )
            continue
        problems = []
        if report["to"] != superior:
            problems.append(
                Problem(
                    record,
                    (*where, "to"),
                    msg(
                        f"{report['date']} 的状态报告提交给了 {report['to']}，但当时项目经理 {manager} 的直接上级是 "
                        f"{superior}。状态报告应提交给当时的直接上级：请核对接收人，或更正人员记录中的上级"
                        "（上级变更过的，请在 superior_history 中记录原上级及其任期的最后一天）。",
                        f"The status report of {report['date']} went to {report['to']}, but on {report['date']} the "
                        f"superior of the project manager {manager} was {superior}. Status reports go to the superior "
                        "of the day: check the recipient, or correct the superior in the person record (after a "
                        "change of superior, record the previous one and their last day under superior_history).",
                    ),
                    related=person,
                    related_path=superior_at,
                )
            )
        yield duty(record, where, subject, what, manager, problems)
