"""The people pages: what each person owes and when, their projects, trainings, appraisals and risks.

Public views only (8.1): a person's page shows whether an appraisal was done, never its
result; no contact data, no career plan. What a person owes is read from the obligations
of the one check result (``owner``), never worked out again here.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from dops.core.model import Obligation, Record

if TYPE_CHECKING:
    from dops.outputs.site.pages import Site

ROLE_ORDER = ("department_head", "project_manager", "project_specialist", "operations_support")


def people_views(site: Site, appraisals: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each valid person's page context, keyed by person ID."""
    as_of = site.as_of
    owed = site.result.owed()
    done_late: dict[str, list[Obligation]] = defaultdict(list)
    for obligation in site.result.done_late():
        if obligation.owner:
            done_late[obligation.owner].append(obligation)
    projects: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for project in sorted(site.valid("project"), key=lambda r: r.id):
        data = site.public.get(project.id)
        if data is None:
            continue
        if data.get("manager"):
            manager = {"role": "project_manager", "duty": None, "joined": None, "left": None}
            projects[data["manager"]].append({"project": project, "data": data, **manager})
        for member in data.get("team", []):
            projects[member["person"]].append(
                {
                    "project": project,
                    "data": data,
                    "role": member.get("role"),
                    "duty": member.get("duty"),
                    "joined": member.get("joined_on"),
                    "left": member.get("left_on"),
                }
            )
    trainings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for session in sorted(site.valid("training-session"), key=lambda r: (r.data["date"], r.id)):
        view = site.public.get(session.id)
        if view is None:
            continue
        for attendee in view.get("attendees", []):
            trainings[attendee["person"]].append({"session": session, "view": view, "attendee": attendee})
    risks: dict[str, list[Record]] = defaultdict(list)
    for risk in sorted(site.valid("risk"), key=lambda r: r.id):
        view = site.public.get(risk.id, {})
        if view.get("owner"):
            risks[view["owner"]].append(risk)
    appraisal_rows = {row["person"].id: row["cells"] for row in appraisals["rows"]}
    reports: dict[str, list[str]] = defaultdict(list)
    for person in site.valid("person"):
        superior = site.public.get(person.id, {}).get("superior")
        if superior:
            reports[superior].append(person.id)

    views = {}
    for person in sorted(site.valid("person"), key=lambda r: r.id):
        data = site.public[person.id]
        attended = trainings.get(person.id, [])
        this_year = [item for item in attended if str(item["view"]["date"])[:4] == str(as_of.year)]
        hours = sum(item["view"].get("hours") or 0 for item in this_year if item["attendee"].get("result") != "absent")
        mine = owed.get(person.id, [])
        views[person.id] = {
            "record": person,
            "data": data,
            "owes": mine,
            "lapsed": [o for o in mine if o.lapsed],
            "done_late": done_late.get(person.id, []),
            "involved": projects.get(person.id, []),
            "trainings": list(reversed(attended)),
            "year": as_of.year,
            "hours": hours,
            "sessions_this_year": len(this_year),
            "appraisals": list(zip(appraisals["periods"], appraisal_rows.get(person.id, []), strict=False)),
            "risks": risks.get(person.id, []),
            "reports": sorted(reports.get(person.id, [])),
        }
    return views


def people_index(site: Site, views: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The people index: everyone by role, with what they owe."""
    by_role: dict[str, list[dict[str, Any]]] = {role: [] for role in ROLE_ORDER}
    for view in views.values():
        roles = view["data"].get("roles") or ["operations_support"]
        main = next((role for role in ROLE_ORDER if role in roles), roles[0])
        by_role.setdefault(main, []).append(view)
    return {"by_role": {role: found for role, found in by_role.items() if found}}
