"""The risk register and a page per risk (chapter 7), read from the public views and the obligations.

The register lists the open risks first, in a table narrow enough for the page, and the closed
ones folded away; each risk's page shows its assessment, its responses with their checks, what
is owed on it and its findings. Due dates are the obligations' own (``site.obligations_by_record``):
nothing here works one out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dops.core.model import LAPSED, PENDING, STATES, Finding, Obligation, Record
from dops.outputs.site import text

if TYPE_CHECKING:
    from dops.outputs.site.pages import Site

REGISTER = "status/risks.md"
CHECKS_RULE = "risk-response-checked"  # its obligations are a risk's responses' next checks, by response ID
RESPONSE_TYPES = {
    "contingency_plan": ("应急预案", "Contingency plan"),
    "quality_control": ("加强质量控制", "Quality control"),
    "technical_change": ("优化技术方案", "Technical change"),
    "training": ("加强人员培训", "Training"),
    "customer_relationship": ("维护客户关系", "Customer relationship"),
    "other": ("其他", "Other"),
}


def risk_page(risk_id: str) -> str:
    """A risk's page, docs-relative."""
    return f"status/risks/{text.anchor(risk_id)}.md"


@dataclass(frozen=True)
class RiskRow:
    """One risk as the register and its downloads show it."""

    record: Record
    view: dict[str, Any]  # the public view: the only data shown
    score: int | None
    focus: bool
    worst: Obligation | None  # the applicable obligation in the worst state (violated first)
    next_due: Obligation | None  # the open obligation (lapsed or still to do) that falls due first
    last_check: str | None  # the latest check of any response (a date, as written)
    owner_name: str  # the owner's name from their public view; "" without an owner

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def open(self) -> bool:
        return self.view.get("status") == "open"


def _row(site: Site, record: Record) -> RiskRow:
    view = site.public[record.id]
    likelihood, impact = view.get("likelihood"), view.get("impact")
    score = likelihood * impact if isinstance(likelihood, int) and isinstance(impact, int) else None
    owed = [o for o in site.obligations_by_record.get(record.id, []) if o.applicable]
    worst = min(owed, key=Obligation.sort_key, default=None)
    waiting = [o for o in owed if (o.state in LAPSED or o.state in PENDING) and o.due is not None]
    next_due = min(waiting, key=lambda o: (o.due, STATES.index(o.state), o.key), default=None)
    checks = [str(c["date"]) for r in view.get("responses", []) for c in r.get("checks", []) if c.get("date")]
    return RiskRow(
        record=record,
        view=view,
        score=score,
        focus=score is not None and score >= site.settings.focus_score,
        worst=worst,
        next_due=next_due,
        last_check=max(checks) if checks else None,
        owner_name=str(site.public.get(str(view.get("owner")), {}).get("name") or "") if view.get("owner") else "",
    )


def register_rows(site: Site) -> list[RiskRow]:
    """Every published risk: open ones first, the highest score first; then closed ones, the latest closed first."""
    rows = [_row(site, r) for r in site.valid("risk") if r.id in site.public]
    open_rows = sorted((r for r in rows if r.open), key=lambda r: (-(r.score or 0), r.id))
    closed = sorted((r for r in rows if not r.open), key=lambda r: r.id)
    closed.sort(key=lambda r: str(r.view.get("closed_on") or ""), reverse=True)
    return open_rows + closed


def _groups(rows: list[RiskRow], key: str) -> list[tuple[str, list[RiskRow]]]:
    """The open risks grouped by a field of theirs (category, project or owner); "" for none."""
    grouped: dict[str, list[RiskRow]] = defaultdict(list)
    for row in rows:
        if row.open:
            grouped[str(row.view.get(key) or "")].append(row)
    return sorted(grouped.items(), key=lambda item: (item[0] == "", item[0]))


def _responses(site: Site, record: Record) -> list[dict[str, Any]]:
    """Each response with its checks and the obligations of its checks (``risk-response-checked``).

    That rule names a response's duties by its ID (``R1``; a second response with the same ID
    ``R1.2``), and a follow-up of an ineffective one ``R1.follow-up``.
    """
    owed = [o for o in site.obligations_by_record.get(record.id, []) if o.rule == CHECKS_RULE]
    seen: dict[str, int] = defaultdict(int)
    found = []
    for response in site.public[record.id].get("responses", []):
        rid = str(response.get("id", ""))
        seen[rid] += 1
        subject = rid if seen[rid] == 1 else f"{rid}.{seen[rid]}"
        mine = [o for o in owed if o.subject in (subject, f"{subject}.follow-up")]
        found.append(
            {
                "response": response,
                "subject": subject,
                "obligations": sorted(mine, key=Obligation.sort_key),
                "checks": sorted(response.get("checks", []), key=lambda c: str(c.get("date", ""))),
            }
        )
    return found


def pages(site: Site, heat: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The register (with the heat map ``heat``) and a page per risk: path → (template, values)."""
    rows = register_rows(site)
    found: dict[str, tuple[str, dict[str, Any]]] = {
        REGISTER: (
            "risks.md.j2",
            {
                "open_rows": [r for r in rows if r.open],
                "closed_rows": [r for r in rows if not r.open],
                "by_category": _groups(rows, "category"),
                "by_project": _groups(rows, "project"),
                "by_owner": _groups(rows, "owner"),
                "heat": heat,
                "csv": "status/risks.csv",
            },
        )
    }
    for row in rows:
        owed = sorted(site.obligations_by_record.get(row.id, []), key=Obligation.sort_key)
        findings: list[Finding] = site.findings_by_record.get(row.id, [])
        found[risk_page(row.id)] = (
            "risk.md.j2",
            {
                "row": row,
                "record": row.record,
                "v": row.view,
                "responses": _responses(site, row.record),
                "owed": [o for o in owed if o.applicable],
                "not_applicable": [o for o in owed if not o.applicable],
                "findings": findings,
                "focus_score": site.settings.focus_score,
                "RESPONSE_TYPES": RESPONSE_TYPES,
            },
        )
    return found
