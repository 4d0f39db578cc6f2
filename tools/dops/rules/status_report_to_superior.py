"""Status reports go to the project manager's superior (3.3.3, 2.1.4).

The project manager reports on the project, and escalates major problems, to
the superior. The superior is whoever the manager's person record names as
``superior``: each entry of ``status_reports`` must be addressed (``to``) to
that person. A report sent elsewhere does not count as reporting upwards.

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

from typing import Iterator

from ..model import Record, msg
from .base import Context, Problem

ID = "status-report-to-superior"
CLAUSES = ("3.3.3", "2.1.4")
SEVERITY = "error"
TITLE = msg("状态报告须提交给项目经理的直接上级", "Status reports go to the project manager's superior")
KINDS = ("project",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    reports = record.get("status_reports", default=[])
    if not reports:
        return
    manager = record.data["manager"]
    superior, person = ctx.superior_of(manager)
    if person is None:
        return  # an unknown manager is reported by the reference checks
    if superior is None:
        yield Problem(record, ("status_reports",), msg(
            f"项目经理 {manager} 的人员记录没有填写直接上级（superior），无法确认状态报告是否报给了上级。"
            "请在其人员记录中补充 superior。",
            f"The person record of the project manager, {manager}, names no superior, so the status reports "
            "cannot be shown to reach the superior. Add superior to that person record.",
        ), related=person, related_path=("superior",))
        return
    for index, report in enumerate(reports):
        if report["to"] != superior:
            yield Problem(record, ("status_reports", index, "to"), msg(
                f"{report['date']} 的状态报告提交给了 {report['to']}，但项目经理 {manager} 的直接上级是 {superior}。"
                f"状态报告应提交给 {superior}：请核对接收人，或更正人员记录中的上级。",
                f"The status report of {report['date']} went to {report['to']}, but the project manager "
                f"{manager} reports to {superior}. Status reports go to {superior}: check the recipient, or "
                "correct the superior in the person record.",
            ), related=person, related_path=("superior",))
