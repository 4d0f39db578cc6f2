"""Shared by the acceptance rules (3.4): where a project stands in acceptance.

Not a rule itself (it is not registered). A project is *cancelled* when it is
closed with ``closure.reason: cancelled``: the acceptance and retrospective
clauses do not apply to it. Every other closed project counts as completed
and is held to the whole of 3.4, just like a project in the acceptance phase.
"""

from __future__ import annotations

from dops.core.model import Message, Path, Record, msg
from dops.rules.base import Duty

#: Phases before the project is complete: acceptance duties do not apply yet.
BEFORE_ACCEPTANCE = ("initiation", "execution", "monitoring")


def cancelled(record: Record) -> bool:
    """Closed with ``closure.reason: cancelled``."""
    return bool(record.get("phase") == "closed" and record.get("closure", "reason") == "cancelled")


def completed_closed(record: Record) -> bool:
    """Closed and not cancelled: the project went (or should have gone) through acceptance."""
    return record.get("phase") == "closed" and not cancelled(record)


CANCELLED = msg(
    "项目未完成即已取消（closure.reason: cancelled），不进行验收。",
    "The project was cancelled before completion (closure.reason: cancelled): there is no acceptance.",
)
NOT_COMPLETE = msg(
    "项目尚未完成（还没有进入验收阶段）。",
    "The project is not complete yet (it has not reached the acceptance phase).",
)


def why_not(record: Record) -> Message:
    """Why an acceptance duty does not apply: cancelled, or not complete yet."""
    return CANCELLED if cancelled(record) else NOT_COMPLETE


def waiting(
    record: Record, path: Path, subject: str, what: Message, owner: str | None, clauses: tuple[str, ...]
) -> Duty:
    """A duty of a project in acceptance that is not done yet and has no date of its own: not yet due."""
    return Duty(record, path, subject, what, owner, "open", clauses=clauses)


#: Added to a finding on a closed project that lacks part of its acceptance.
IF_CANCELLED = msg(
    "如果项目是未完成即取消的，请填写 closure: {reason: cancelled, note: 取消原因和决定人}。",
    "If the project was cancelled before completion, record closure: {reason: cancelled, note: why and who decided}.",
)
