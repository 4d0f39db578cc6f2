"""Every person, project and plan item a record names exists (2.1.2, 3.1.3, 4.3.2, 4.4.3, 5.2.1, 7.1.1, 7.2.2, 7.3.1).

Records point at each other by ID: a project's team and approver, a review's
assessors, a session's plan item, a risk's owner and project. A mistyped or
missing ID breaks the division of work, the approval chain, the training
archive and the ownership of risks without anyone noticing. Every value that
looks like a person ID (``EMP-0042``), a project ID (``PRJ-2026-001``) or a
plan item (``TRP-2026/T03``), wherever it appears in a record, must name a
record under ``records/`` (for plan items: the plan, and the item in it).
A record that exists but is itself invalid counts as existing; a closed
project is a fine target. A finding cites the clause the reference serves: a
risk's project 7.1.1, a response's owner 7.3.1, the other people on a risk
7.2.2, a person's superior 3.1.3 and 4.3.2, a team member 2.1.2, a plan's
approver 3.1.3, a superior's assessment 4.3.2, a shortcoming's training
4.4.3 and a session's plan item 5.2.1.

Failing::

    id: RSK-2026-001
    project: PRJ-2026-009     # no such project
    owner: EMP-0042           # no such person

Passing::

    id: RSK-2026-001
    project: PRJ-2026-001     # records/projects/PRJ-2026-001.yaml exists
    owner: EMP-0002           # records/people/EMP-0002.yaml exists
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from dops.core.model import Path, Record, msg
from dops.rules.base import Context, Problem

DOC_ZH = """记录中提到的人员、项目和培训计划条目都必须存在（2.1.2、3.1.3、4.3.2、4.4.3、5.2.1、7.1.1、7.2.2、7.3.1）。

记录之间通过编号相互引用：项目的团队成员和批准人、考核的评价人、培训活动对应的计划条
目、风险的负责人和所属项目。编号写错或缺失，会在无人察觉的情况下打乱分工、审批链、
培训档案和风险的责任归属。记录中任何位置上，凡是看起来像人员编号（``EMP-0042``）、
项目编号（``PRJ-2026-001``）或计划条目（``TRP-2026/T03``）的值，都必须对应
``records/`` 下的一条记录（计划条目要求计划存在，且计划中有这一项）。记录存在、
但本身不合规的，也算存在；引用已关闭的项目没有问题。检查结果引用的是该引用所服务的条
款：风险的所属项目 7.1.1，应对措施的负责人 7.3.1，风险中的其他人员 7.2.2，
人员的上级 3.1.3 和 4.3.2，团队成员 2.1.2，计划的批准人 3.1.3，上级评价 4.3.2，
不足对应的培训 4.4.3，培训活动的计划条目 5.2.1。

不合规示例::

    id: RSK-2026-001
    project: PRJ-2026-009     # 没有这个项目
    owner: EMP-0042           # 没有这个人

合规示例::

    id: RSK-2026-001
    project: PRJ-2026-001     # records/projects/PRJ-2026-001.yaml 存在
    owner: EMP-0002           # records/people/EMP-0002.yaml 存在
"""

ID = "references"
CLAUSES = ("2.1.2", "3.1.3", "4.3.2", "4.4.3", "5.2.1", "7.1.1", "7.2.2", "7.3.1")
INTEGRITY = True
SEVERITY = "error"
TITLE = msg("记录中引用的人员、项目和培训计划条目必须存在", "People, projects and plan items named in records exist")
KINDS = ("person", "project", "review", "risk", "training-plan", "training-session")

PERSON = re.compile(r"EMP-[0-9]{4}\Z")
PROJECT = re.compile(r"PRJ-[0-9]{4}-[0-9]{3}\Z")
PLAN_ITEM = re.compile(r"(TRP-[0-9]{4})/(T[0-9]{2})\Z")


def _strings(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, (*path, index))
    elif isinstance(value, str):
        yield path, value


def _clauses(record: Record, path: Path) -> tuple[str, ...] | None:
    """The clause a reference serves, where one stands out; else the rule's."""
    head = path[0]
    if record.kind == "risk":
        if head == "project":
            return ("7.1.1",)  # the risk was identified for this project
        if head == "responses" and path[-1] == "owner":
            return ("7.3.1",)  # who carries out the response
        return ("7.2.2",)
    if record.kind == "person" and head in ("superior", "superior_history"):
        return ("3.1.3", "4.3.2")
    if record.kind == "project" and head == "team":
        return ("2.1.2",)
    if record.kind == "project" and head == "plan":
        return ("3.1.3",)
    if record.kind == "review" and path[:2] == ("assessments", "superior"):
        return ("4.3.2",)
    if record.kind == "review" and head == "shortcomings":
        return ("4.4.3",)
    return None


def _exists(ctx: Context, record_id: str, kind: str) -> bool:
    target = ctx.index.by_id.get(record_id)
    return target is not None and target.kind == kind


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    records = ctx.settings.records
    for key, value in record.data.items():
        if key == "id":
            continue
        for path, text in _strings(value, (key,)):
            prefix = text[:4]
            if prefix == "EMP-" and PERSON.match(text) and not _exists(ctx, text, "person"):
                yield Problem(
                    record,
                    path,
                    msg(
                        f"人员 {text} 不存在：请核对编号，或添加人员记录 {records}/people/{text}.yaml。",
                        f"{text} does not exist: check the ID or add {records}/people/{text}.yaml.",
                    ),
                    clauses=_clauses(record, path),
                )
            elif prefix == "PRJ-" and PROJECT.match(text) and not _exists(ctx, text, "project"):
                yield Problem(
                    record,
                    path,
                    msg(
                        f"项目 {text} 不存在：请核对编号，或添加项目记录 {records}/projects/{text}.yaml。",
                        f"{text} does not exist: check the ID or add {records}/projects/{text}.yaml.",
                    ),
                    clauses=_clauses(record, path),
                )
            elif prefix == "TRP-" and (match := PLAN_ITEM.match(text)):
                yield from _plan_item(
                    record, path, text, match.group(1), match.group(2), ctx, _clauses(record, path) or ("5.2.1",)
                )


def _plan_item(
    record: Record, path: Path, text: str, plan_id: str, item: str, ctx: Context, clauses: tuple[str, ...]
) -> Iterator[Problem]:
    plan = ctx.index.by_id.get(plan_id)
    if plan is None or plan.kind != "training-plan":
        yield Problem(
            record,
            path,
            msg(
                f"培训计划 {plan_id} 不存在，无法引用其条目 {text}：请核对编号，或添加 "
                f"{ctx.settings.records}/trainings/{plan_id}.yaml。",
                f"{plan_id} does not exist, so {text} cannot be cited: check the ID or add "
                f"{ctx.settings.records}/trainings/{plan_id}.yaml.",
            ),
            clauses=clauses,
        )
    elif plan.valid and text not in ctx.index.plan_items:
        yield Problem(
            record,
            path,
            msg(
                f"培训计划 {plan_id} 中没有条目 {item}：请核对条目编号，或在计划中添加该条目。",
                f"{plan_id} has no item {item}: check the item ID or add the item to the plan.",
            ),
            related=plan,
            related_path=("items",),
            clauses=clauses,
        )
