"""The rule registry: every rule, keyed by its ID.

Adding a rule is one module in this package and one line below. The module's
docstring is the rule's English documentation and its ``DOC_ZH`` the Chinese one.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import ModuleType
from typing import Callable, Iterable

from dops.core.model import SEVERITIES, Message, Record

# Checked by the engine while loading (documented here).
from dops.rules import record_id, record_kind, schema_valid, yaml_syntax
from dops.rules.base import Context, Problem

_LOADING = (yaml_syntax, record_kind, record_id, schema_valid)

# Projects: chapters 2, 3 and 6.
from dops.rules import (
    acceptance_comments_rectified,  # noqa: E402
    acceptance_self_check,  # noqa: E402
    budget_within,  # noqa: E402
    customer_report_cadence,  # noqa: E402
    deviation_handled,  # noqa: E402
    deviation_overdue,  # noqa: E402
    escalation_late,  # noqa: E402
    feedback_answered,  # noqa: E402
    feedback_dates,  # noqa: E402
    kickoff_held,  # noqa: E402
    major_issue_escalated,  # noqa: E402
    milestone_overdue,  # noqa: E402
    plan_approved,  # noqa: E402
    project_retrospective,  # noqa: E402
    risk_sweep_cadence,  # noqa: E402
    self_check_specialist,  # noqa: E402
    status_report_to_superior,  # noqa: E402
    superior_report_cadence,  # noqa: E402
    team_meeting_cadence,  # noqa: E402
    team_roles,  # noqa: E402
)

_PROJECT_RULES: tuple[ModuleType, ...] = (
    project_retrospective,
    milestone_overdue,
    plan_approved,
    kickoff_held,
    acceptance_self_check,
    self_check_specialist,
    acceptance_comments_rectified,
    deviation_handled,
    deviation_overdue,
    major_issue_escalated,
    escalation_late,
    budget_within,
    customer_report_cadence,
    feedback_answered,
    feedback_dates,
    risk_sweep_cadence,
    status_report_to_superior,
    superior_report_cadence,
    team_meeting_cadence,
    team_roles,
)

# People, appraisals, training, risks, confidentiality, references: chapters 1, 4, 5, 7, 8.
from dops.rules import (
    career_plan,  # noqa: E402
    codeowners_current,  # noqa: E402
    confidentiality_agreement,  # noqa: E402
    duplicate_id,  # noqa: E402
    placeholder_unfilled,  # noqa: E402
    references,  # noqa: E402
    review_due,  # noqa: E402
    review_identity,  # noqa: E402
    review_methods,  # noqa: E402
    review_shortcomings_training,  # noqa: E402
    risk_assessed,  # noqa: E402
    risk_focus,  # noqa: E402
    risk_response_checked,  # noqa: E402
    superior_chain,  # noqa: E402
    training_plan_content,  # noqa: E402
    training_plan_due,  # noqa: E402
    training_session_plan,  # noqa: E402
)

_OTHER_RULES: tuple[ModuleType, ...] = (
    training_plan_content,
    training_plan_due,
    training_session_plan,
    risk_assessed,
    risk_focus,
    risk_response_checked,
    references,
    duplicate_id,
    placeholder_unfilled,
    codeowners_current,
    career_plan,
    confidentiality_agreement,
    review_due,
    review_identity,
    review_methods,
    review_shortcomings_training,
    superior_chain,
)

_MODULES = _LOADING + _PROJECT_RULES + _OTHER_RULES


@dataclass(frozen=True)
class Rule:
    id: str
    clauses: tuple[str, ...]
    severity: str
    title: Message
    doc: str  # English documentation: the module docstring
    doc_zh: str  # the same in Chinese: the module's DOC_ZH
    kinds: tuple[str, ...]
    check: Callable[[Record, Context], Iterable[Problem]] | None  # check(record, ctx), per record of ``kinds``
    check_all: Callable[[Context], Iterable[Problem]] | None  # check_all(ctx), once

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""

    def doc_for(self, lang: str) -> str:
        """The documentation in ``lang``: Chinese for ``zh``, English otherwise."""
        return self.doc_zh if lang == "zh" else self.doc


def _rule(module: ModuleType) -> Rule:
    name = module.__name__
    for attribute in ("ID", "CLAUSES", "SEVERITY", "TITLE", "DOC_ZH"):
        if not hasattr(module, attribute):
            raise TypeError(f"rule module {name} lacks {attribute}")
    if module.SEVERITY not in SEVERITIES:
        raise TypeError(f"rule module {name}: SEVERITY must be one of {SEVERITIES}")
    return Rule(
        id=module.ID,
        clauses=tuple(module.CLAUSES),
        severity=module.SEVERITY,
        title=module.TITLE,
        doc=inspect.cleandoc(module.__doc__ or ""),
        doc_zh=inspect.cleandoc(module.DOC_ZH),
        kinds=tuple(getattr(module, "KINDS", ())),
        check=getattr(module, "check", None),
        check_all=getattr(module, "check_all", None),
    )


RULES: dict[str, Rule] = {}
for _module in _MODULES:
    _entry = _rule(_module)
    if _entry.id in RULES:
        raise TypeError(f"rule ID {_entry.id} is registered twice")
    RULES[_entry.id] = _entry


def get(rule_id: str) -> Rule:
    """The rule with this ID; KeyError names the known IDs."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule {rule_id!r}; known rules: {', '.join(sorted(RULES))}") from None
