"""Shared by the risk rules: who answers for a risk, and how its score stands.

Not a rule itself (it is not registered).
"""

from __future__ import annotations

from dops.core.model import Record
from dops.rules.base import Context


def risk_owner(record: Record, ctx: Context) -> str | None:
    """Who must act on a risk: its ``owner``, else its project's manager, else the head of department."""
    owner = record.get("owner")
    if isinstance(owner, str) and owner:
        return owner
    project = ctx.index.get(record.get("project"), "project")
    manager = project.get("manager") if project is not None else None
    if isinstance(manager, str) and manager:
        return manager
    return ctx.department_head


def response_owner(record: Record, response: dict[str, object], ctx: Context) -> str | None:
    """Who carries out a response: its ``owner``, else the risk's owner (see :func:`risk_owner`)."""
    owner = response.get("owner")
    return owner if isinstance(owner, str) and owner else risk_owner(record, ctx)


def score(record: Record) -> int | None:
    """likelihood × impact, or None while either is missing."""
    likelihood, impact = record.get("likelihood"), record.get("impact")
    if isinstance(likelihood, int) and isinstance(impact, int):
        return likelihood * impact
    return None
