"""The rule registry: every rule, keyed by its ID.

Adding a rule is one module in this package and one line below.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import ModuleType
from typing import Callable

from ..model import Message, SEVERITIES
# Checked by the engine while loading (documented here).
from . import record_id, record_kind, schema_valid, yaml_syntax

_LOADING = (yaml_syntax, record_kind, record_id, schema_valid)

# Projects: chapters 2, 3 and 6.
from . import project_retrospective  # noqa: E402

_PROJECT_RULES: tuple[ModuleType, ...] = (
    project_retrospective,
)

# People, appraisals, training, risks, confidentiality, references: chapters 1, 4, 5, 7, 8.
_OTHER_RULES: tuple[ModuleType, ...] = (
)

_MODULES = _LOADING + _PROJECT_RULES + _OTHER_RULES


@dataclass(frozen=True)
class Rule:
    id: str
    clauses: tuple[str, ...]
    severity: str
    title: Message
    doc: str
    kinds: tuple[str, ...]
    check: Callable | None  # check(record, ctx), per record of ``kinds``
    check_all: Callable | None  # check_all(ctx), once

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


def _rule(module: ModuleType) -> Rule:
    name = module.__name__
    for attribute in ("ID", "CLAUSES", "SEVERITY", "TITLE"):
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
