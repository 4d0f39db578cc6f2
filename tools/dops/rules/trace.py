"""Which rules and schema fields enforce each clause: the traceability every output shows.

A schema field enforces a clause only if a record must have it (required,
possibly conditionally) or a rule citing that clause reads it (its key appears
in the rule's code). An optional field nobody reads only records the clause:
it is listed, but the clause does not count as machine-checked because of it.
"""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dops import rules
from dops.core import policy


@dataclass(frozen=True)
class ClauseTrace:
    """How one clause is checked: the rules that cite it and the fields that enforce or merely record it."""

    rules: tuple[rules.Rule, ...]
    enforcing: tuple[str, ...]  # kind:path of fields that are required or read by a citing rule
    recording: tuple[str, ...]  # kind:path of optional fields nothing reads

    @property
    def enforced(self) -> bool:
        return bool(self.rules or self.enforcing)


@cache
def _source(rule_id: str) -> str:
    """The rule module's code, and that of the shared helpers (``dops.rules._*``) it uses."""
    rule = rules.RULES[rule_id]
    function = rule.check or rule.check_all
    module = sys.modules.get(function.__module__) if function else None
    if module is None:
        return ""
    helpers = {
        getattr(value, "__module__", "")
        for value in vars(module).values()
        if getattr(value, "__module__", "").startswith("dops.rules._")
    }
    return "\n".join(inspect.getsource(m) for m in [module, *(sys.modules[h] for h in sorted(helpers))])


def rules_for(clause_id: str) -> tuple[rules.Rule, ...]:
    """The policy rules that cite ``clause_id`` or a section containing it."""
    return tuple(
        r for r in rules.RULES.values() if not r.integrity and any(policy.covers(clause_id, c) for c in r.clauses)
    )


def _quoted(key: str, source: str) -> bool:
    return f'"{key}"' in source or f"'{key}'" in source


def reads(rule: rules.Rule, ref: policy.FieldRef) -> bool:
    """Whether ``rule`` reads the field: its key, and the key of the field holding it, appear quoted in the
    rule's module (or a shared helper it uses). ``status_reports[].schedule`` is not read by a rule that
    only reads ``plan.schedule``."""
    source = _source(rule.id)
    keys = [part.removesuffix("[]") for part in ref.path.split(".")]
    return all(_quoted(key, source) for key in keys[-2:])


def traces(root: Path, schemas_folder: str = "schemas") -> dict[str, ClauseTrace]:
    """Clause ID → its trace, for every clause the policy has."""
    refs = policy.schema_field_refs(root, schemas_folder)
    result: dict[str, ClauseTrace] = {}
    for clause_id in policy.clauses(root):
        citing = rules_for(clause_id)
        enforcing, recording = [], []
        for ref in refs:
            if ref.clause != clause_id:
                continue
            if ref.required or any(reads(r, ref) for r in citing):
                enforcing.append(ref.name)
            else:
                recording.append(ref.name)
        result[clause_id] = ClauseTrace(citing, tuple(sorted(enforcing)), tuple(sorted(recording)))
    return result


__all__ = ["ClauseTrace", "reads", "rules_for", "traces"]
