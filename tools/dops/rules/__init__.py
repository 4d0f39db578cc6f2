"""The rule registry: every rule, keyed by its ID.

Adding a rule is one module in this package and one line below. The module's
docstring is the rule's English documentation and its ``DOC_ZH`` the Chinese one.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

from dops.core.model import SEVERITIES, Message, Record

# Checked by the engine while loading (documented here).
from dops.rules import (
    acceptance_comments_rectified,
    acceptance_self_check,
    age_key_present,
    budget_within,
    career_plan,
    codeowners_current,
    confidential_in_clear,
    confidentiality_agreement,
    customer_report_cadence,
    deviation_handled,
    deviation_overdue,
    duplicate_id,
    encryption,
    escalation_late,
    feedback_answered,
    feedback_dates,
    kickoff_held,
    major_issue_escalated,
    milestone_overdue,
    needs_key,
    placeholder_unfilled,
    plan_approved,
    project_retrospective,
    recipients_current,
    record_id,
    record_kind,
    references,
    review_due,
    review_identity,
    review_methods,
    review_outcome,
    review_shortcomings_training,
    risk_assessed,
    risk_focus,
    risk_response_checked,
    risk_sweep_cadence,
    schema_valid,
    self_check_specialist,
    sops_rules_current,
    status_report_to_superior,
    superior_chain,
    superior_report_cadence,
    team_meeting_cadence,
    team_roles,
    training_plan_content,
    training_plan_due,
    training_session_plan,
    yaml_syntax,
)
from dops.rules.base import Context, Duty, Problem

_LOADING = (yaml_syntax, record_kind, record_id, schema_valid, encryption, needs_key)

# Projects: chapters 2, 3 and 6.
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
    confidential_in_clear,
    review_due,
    review_identity,
    review_methods,
    review_outcome,
    review_shortcomings_training,
    superior_chain,
    # Confidential data at rest: chapter 8.
    sops_rules_current,
    recipients_current,
    age_key_present,
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
    check: Callable[[Record, Context], Iterable[Problem | Duty]] | None  # check(record, ctx), per record of ``kinds``
    check_all: Callable[[Context], Iterable[Problem | Duty]] | None  # check_all(ctx), once
    integrity: bool = False  # a record-integrity rule: yields findings, not the policy's duties
    # It reads confidential values: its findings are published only as a neutral text, and it skips a record
    # whose values no key opened (record.locked), saying so once (engine.apply_rules).
    confidential: bool = False

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
        integrity=bool(getattr(module, "INTEGRITY", False)),
        confidential=bool(getattr(module, "CONFIDENTIAL", False)),
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
