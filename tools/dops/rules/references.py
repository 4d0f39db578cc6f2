"""Every person, project and plan item a record names exists (record integrity: each finding cites its field's clause).

Records point at each other by ID: a project's team and approver, a review's
assessors, a session's plan item, a risk's owner and project. A mistyped or
missing ID breaks the division of work, the approval chain, the training
archive and the ownership of risks without anyone noticing. Every value that
looks like a person ID (``EMP-0042``), a project ID (``PRJ-2026-001``) or a
plan item (``TRP-2026/T03``), wherever it appears in a record, must name a
record under ``records/`` (for plan items: the plan, and the item in it).
A record that exists but is itself invalid counts as existing; a closed
project is a fine target. A finding cites the clause of the field that holds
the broken reference, as its schema gives it (``x-clauses``): a peer
assessor 4.3.4, a risk's project 7.1.1, a risk's owner 7.2.2, a response's
owner 7.3.1, a session's attendee 5.2.3, its plan item 5.2.1, and so on.

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

from dops.core import kinds
from dops.core.model import Path, Record, msg
from dops.core.validation import load_schema
from dops.rules.base import Context, Problem, strings

DOC_ZH = """记录中提到的人员、项目和培训计划条目都必须存在（记录完整性：每项检查结果引用其字段的条款）。

记录之间通过编号相互引用：项目的团队成员和批准人、考核的评价人、培训活动对应的计划条
目、风险的负责人和所属项目。编号写错或缺失，会在无人察觉的情况下打乱分工、审批链、
培训档案和风险的责任归属。记录中任何位置上，凡是看起来像人员编号（``EMP-0042``）、
项目编号（``PRJ-2026-001``）或计划条目（``TRP-2026/T03``）的值，都必须对应
``records/`` 下的一条记录（计划条目要求计划存在，且计划中有这一项）。记录存在、
但本身不合规的，也算存在；引用已关闭的项目没有问题。检查结果引用的是存放这一引用的字段
在数据模式中注明的条款（``x-clauses``）：同事评价人 4.3.4，风险的所属项目 7.1.1，
风险负责人 7.2.2，应对措施的执行人 7.3.1，培训参加人 5.2.3，培训的计划条目 5.2.1，等等。

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
CLAUSES: tuple[str, ...] = ()  # record integrity: each finding cites the clause of its field instead
INTEGRITY = True
SEVERITY = "error"
TITLE = msg("记录中引用的人员、项目和培训计划条目必须存在", "People, projects and plan items named in records exist")
KINDS = ("person", "project", "review", "risk", "training-plan", "training-session")

PERSON = re.compile(r"EMP-[0-9]{4}\Z")
PROJECT = re.compile(r"PRJ-[0-9]{4}-[0-9]{3}\Z")
PLAN_ITEM = re.compile(r"(TRP-[0-9]{4})/(T[0-9]{2})\Z")


_PREFIXES = frozenset(("EMP-", "PRJ-", "TRP-"))


def _may_name_a_record(text: str) -> bool:
    return text[:4] in _PREFIXES


def field_clauses(schema: dict[str, Any], path: Path) -> tuple[str, ...]:
    """The ``x-clauses`` of the field at ``path`` in a (flattened) schema: the deepest node along it that has any."""
    node: Any = schema
    clauses: tuple[str, ...] = tuple(schema.get("x-clauses", ()))
    for step in path:
        if not isinstance(node, dict):
            break
        node = node.get("items") if isinstance(step, int) else (node.get("properties") or {}).get(step)
        if not isinstance(node, dict):
            break
        if node.get("x-clauses"):
            clauses = tuple(node["x-clauses"])
    return clauses


def _clauses(record: Record, path: Path, ctx: Context) -> tuple[str, ...] | None:
    """The clauses the schema gives the field at ``path``; None (the rule's) if the kind has no schema."""
    kind = kinds.KINDS.get(record.kind)
    if kind is None:
        return None
    schema = load_schema(ctx.settings.schemas_dir / kind.schema_file, f"{ctx.settings.schemas}/{kind.schema_file}")
    return field_clauses(schema.flat, path) or None


def _exists(ctx: Context, record_id: str, kind: str) -> bool:
    target = ctx.index.by_id.get(record_id)
    return target is not None and target.kind == kind


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    records = ctx.settings.records
    for key, value in record.data.items():
        if key == "id":
            continue
        for path, text in strings(value, _may_name_a_record, (key,)):
            prefix = text[:4]
            if prefix == "EMP-" and PERSON.match(text) and not _exists(ctx, text, "person"):
                yield Problem(
                    record,
                    path,
                    msg(
                        f"人员 {text} 不存在：请核对编号，或添加人员记录 {records}/people/{text}.yaml。",
                        f"{text} does not exist: check the ID or add {records}/people/{text}.yaml.",
                    ),
                    clauses=_clauses(record, path, ctx),
                )
            elif prefix == "PRJ-" and PROJECT.match(text) and not _exists(ctx, text, "project"):
                yield Problem(
                    record,
                    path,
                    msg(
                        f"项目 {text} 不存在：请核对编号，或添加项目记录 {records}/projects/{text}.yaml。",
                        f"{text} does not exist: check the ID or add {records}/projects/{text}.yaml.",
                    ),
                    clauses=_clauses(record, path, ctx),
                )
            elif prefix == "TRP-" and (match := PLAN_ITEM.match(text)):
                yield from _plan_item(record, path, text, match.group(1), match.group(2), ctx)


def _plan_item(record: Record, path: Path, text: str, plan_id: str, item: str, ctx: Context) -> Iterator[Problem]:
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
            clauses=_clauses(record, path, ctx),
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
            clauses=_clauses(record, path, ctx),
        )


def check_all(ctx: Context) -> Iterator[Problem]:
    """The settings name people too: ``responsible.hr`` must be an active person record."""
    hr = ctx.settings.responsible.hr
    if hr is None:
        return
    person = ctx.index.get(hr, "person")
    if person is not None and person.get("status") != "left":
        return
    why = "已离职" if person is not None else "没有这个人员记录"
    why_en = "has left" if person is not None else "has no person record"
    yield Problem(
        ctx.config,
        ("responsible", "hr"),
        msg(
            f"dops.yaml 的 responsible.hr 指定 {hr} 履行人力资源的义务，但 {hr} {why}。"
            "请改为现任的人力资源联系人，或删除这一项（由部门负责人履行）。",
            f"responsible.hr in dops.yaml names {hr} to act for HR, but {hr} {why_en}. Name the current HR "
            "contact, or remove the setting (the head of department then acts).",
        ),
        clauses=("5.1.1", "8.2.1"),
    )
