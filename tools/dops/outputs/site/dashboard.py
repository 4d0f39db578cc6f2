"""The dashboard's context, and the trend each policy chapter shows.

Everything an obligation says (its state, its due date, who must act) comes from the check's one
result (``site.result.obligations``); nothing here computes a deadline. The trend comes from
:mod:`dops.features.trends`: the check replayed at past points of git history, counted the same way
as today's result (:func:`dops.features.trends.tally`).

Charts are drawn here as geometry (coordinates in a fixed ``viewBox``) and rendered as inline SVG by
``templates/_charts.md.j2``, each followed by a table of the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dops.core.model import Obligation
from dops.features import trends
from dops.features.trends import Tally, Trend

if TYPE_CHECKING:
    from dops.outputs.site.pages import Site

#: How far ahead the headline counts what falls due (the dashboard's list uses the same).
DAYS = 30
#: The chart's drawing area, in viewBox units; the SVG scales to its column.
WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 14, 14, 30

HEADLINE = (
    ("errors", ("错误", "Errors")),
    ("warnings", ("警告", "Warnings")),
    ("overdue", ("逾期事项", "Overdue")),
    ("due", (f"{DAYS} 天内到期", f"Due in {DAYS} days")),
)
SERIES = HEADLINE[:3]  # what history has: the due count depends on the day, so it is not charted
APPRAISAL_STATES = (
    ("done", ("按时完成", "Done")),
    ("late", ("迟办", "Done late")),
    ("overdue", ("逾期", "Overdue")),
    ("due", ("待办", "Due")),
)


@dataclass(frozen=True)
class Now:
    """Today's numbers, counted as the history's are, plus what falls due in the next days."""

    total: Tally
    chapters: dict[str, Tally]
    due: int


def today(site: Site) -> Now:
    total, chapters = trends.tally(site.result.findings, site.result.obligations)
    due = sum(1 for o in site.result.open_obligations(DAYS) if o.state != "overdue")
    return Now(total, chapters, due)


def _step(top: float) -> int:
    """A round step (1, 2, 3, 5, then 10, 20, 25, 50 times a power of ten) for four grid lines reaching ``top``."""
    wanted = max(top, 4) / 4
    power = 1
    while True:
        for factor in (1, 2, 3, 5) if power == 1 else (1, 2, 2.5, 5):
            if factor * power >= wanted:
                return int(factor * power)
        power *= 10


def _y_ticks(step: int) -> list[dict[str, Any]]:
    plot = HEIGHT - TOP - BOTTOM
    return [{"y": round(TOP + plot * (1 - n / 4), 1), "value": n * step} for n in range(5)]


def _anchor(number: int, count: int) -> str:
    """Where an axis label hangs from its point: the first and last stay inside the drawing."""
    if count == 1:
        return "middle"
    return "start" if number == 0 else "end" if number == count - 1 else "middle"


def line_chart(rows: list[dict[str, Any]], series: tuple[tuple[str, tuple[str, str]], ...]) -> dict[str, Any]:
    """Lines through points in date order. ``rows``: dicts with ``date`` and one number per series key.

    The points are evenly spaced, not on a time scale: a month's merges would otherwise sit on top of
    each other. The axis names the dates of a few points; the table under the chart names them all.
    """
    step = _step(max((row[key] for row in rows for key, _ in series), default=0))
    top = 4 * step
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(rows)

    def x(number: int) -> float:
        return round(LEFT + (plot_width * number / (count - 1) if count > 1 else plot_width / 2), 1)

    def y(value: int) -> float:
        return round(TOP + plot_height * (1 - value / top), 1)

    lines = []
    for key, name in series:
        dots = [{"x": x(n), "y": y(row[key]), "value": row[key], "date": row["date"]} for n, row in enumerate(rows)]
        lines.append({"key": key, "name": name, "points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots})
    labelled = sorted({round(i * (count - 1) / 4) for i in range(5)}) if count > 5 else list(range(count))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "series": lines,
        "y_ticks": _y_ticks(step),
        "x_ticks": [
            {"x": x(n), "label": rows[n]["date"].isoformat(), "anchor": _anchor(place, len(labelled))}
            for place, n in enumerate(labelled)
        ],
        "rows": rows,
    }


def bar_chart(
    categories: list[str], stacks: tuple[tuple[str, tuple[str, str]], ...], values: dict[str, dict[str, float]]
) -> dict[str, Any]:
    """Stacked bars, one per category. ``values[category][stack key]``: a number."""
    totals = [sum(values[c].get(key, 0) for key, _ in stacks) for c in categories]
    step = _step(max(totals, default=0))
    top = 4 * step
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(categories), 1)
    bars = []
    for number, category in enumerate(categories):
        base = 0.0
        segments = []
        for key, name in stacks:
            value = values[category].get(key, 0)
            height = plot_height * value / top
            segments.append(
                {
                    "key": key,
                    "name": name,
                    "value": value,
                    "y": round(TOP + plot_height - base - height, 1),
                    "height": round(height, 1),
                }
            )
            base += height
        bars.append(
            {
                "label": category,
                "x": round(LEFT + band * number + band * 0.2, 1),
                "width": round(band * 0.6, 1),
                "middle": round(LEFT + band * (number + 0.5), 1),
                "segments": [s for s in segments if s["value"]],
                "values": {key: values[category].get(key, 0) for key, _ in stacks},
                "total": totals[number],
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "stacks": stacks,
        "bars": bars,
        "y_ticks": _y_ticks(step),
    }


def _history_rows(trend: Trend, now: Now, as_of: dt.date, chapter: str | None = None) -> list[dict[str, Any]]:
    """The trend's points and today's, as chart rows."""
    rows = []
    for point in trend.points:
        counted = point.chapter(chapter) if chapter else point.total
        rows.append(
            {
                "date": point.date,
                "commit": point.commit[:12],
                "month_end": point.month_end,
                "merge": point.merge,
                "errors": counted.errors,
                "warnings": counted.warnings,
                "overdue": counted.overdue,
            }
        )
    counted = now.chapters.get(chapter, Tally()) if chapter else now.total
    rows.append(
        {
            "date": as_of,
            "commit": "",
            "month_end": False,
            "merge": False,
            "today": True,
            "errors": counted.errors,
            "warnings": counted.warnings,
            "overdue": counted.overdue,
        }
    )
    return rows


def _headline(now: Now, before: trends.Point | None, chapter: str | None = None) -> list[dict[str, Any]]:
    counted = now.chapters.get(chapter, Tally()) if chapter else now.total
    then = (before.chapter(chapter) if chapter else before.total) if before else None
    found = []
    for key, name in HEADLINE if chapter is None else SERIES:
        value = now.due if key == "due" else getattr(counted, key)
        # The due count of a past point is not kept: a day's "due in 30 days" is not history's.
        previous = None if then is None or key == "due" else getattr(then, key)
        found.append({"key": key, "name": name, "value": value, "previous": previous})
    return found


def _by_owner(overdue: list[Obligation]) -> list[dict[str, Any]]:
    groups: dict[str | None, list[Obligation]] = defaultdict(list)
    for obligation in overdue:
        groups[obligation.owner].append(obligation)
    rows = [
        {
            "owner": owner,
            "count": len(items),
            "oldest": min((o.due for o in items if o.due), default=None),
            "records": sorted({(o.record, o.kind) for o in items}),
        }
        for owner, items in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r["count"], r["oldest"] or dt.date.max, r["owner"] or ""))


def _by_clause(overdue: list[Obligation]) -> list[dict[str, Any]]:
    groups: dict[str, list[Obligation]] = defaultdict(list)
    for obligation in overdue:
        for clause in obligation.clauses:
            groups[clause].append(obligation)
    rows = [
        {"clause": clause, "count": len(items), "owners": sorted({o.owner for o in items if o.owner})}
        for clause, items in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r["count"], [int(p) for p in r["clause"].split(".") if p.isdigit()]))


def _project_state(site: Site, project_id: str) -> dict[str, Any]:
    """A project's state from its obligations and findings: errors, lapsed duties and who must act."""
    obligations = site.obligations_by_record.get(project_id, [])
    findings = site.findings_by_record.get(project_id, [])
    errors = sum(1 for f in findings if f.severity == "error")
    lapsed = [o for o in obligations if o.lapsed]
    pending = [o for o in obligations if o.state in ("due_soon", "not_yet_due")]
    if errors:
        state = "error"
    elif any(o.state == "overdue" for o in lapsed):
        state = "overdue"
    elif lapsed:
        state = "late"
    elif any(o.state == "due_soon" for o in pending):
        state = "due_soon"
    else:
        state = "pass"
    return {
        "state": state,
        "errors": errors,
        "lapsed": len(lapsed),
        "owners": sorted({o.owner for o in lapsed if o.owner}),
    }


def _appraisal_matrix(appraisals: dict[str, Any]) -> dict[str, Any]:
    """Per period: how many appraisals are done, done late, overdue and still due (from the appraisals page)."""
    periods: list[str] = appraisals["periods"]
    values: dict[str, dict[str, float]] = {period: {} for period in periods}
    for row in appraisals["rows"]:
        for period, cell in zip(periods, row["cells"], strict=True):
            if cell["state"] != "na":
                values[period][cell["state"]] = values[period].get(cell["state"], 0) + 1
    return bar_chart(periods, APPRAISAL_STATES, values)


def _training(site: Site, training: dict[str, Any]) -> dict[str, Any] | None:
    """The current year's plan against the sessions held: items held and hours, month by month.

    A session held in the first days of the next year for this year's plan (5.2.1) counts as held;
    the months shown are the plan's year.
    """
    year = site.as_of.year
    plan = next((p for p in training["plans"] if site.public[p.id].get("year") == year), None)
    if plan is None:
        return None
    items = site.public[plan.id].get("items", [])
    views = [site.public[s.id] for s in training["sessions"]]
    sessions = [v for v in views if str(v.get("plan_item", "")).startswith(plan.id + "/")]
    held = {str(v["plan_item"]).split("/", 1)[1] for v in sessions}
    planned = Counter(str(item.get("planned_month") or "") for item in items)
    rows: list[dict[str, Any]] = []
    for month in (f"{year}-{m:02d}" for m in range(1, 13)):
        here = [v for v in sessions if str(v.get("date"))[:7] == month]
        rows.append(
            {
                "month": month,
                "planned": planned.get(month, 0),
                "sessions": len(here),
                "hours": sum(float(v.get("hours") or 0) for v in here),
                "people_hours": sum(float(v.get("hours") or 0) * len(v.get("attendees", [])) for v in here),
            }
        )
    months = [r["month"][5:] for r in rows]
    chart = bar_chart(months, (("hours", ("学时", "Hours")),), {r["month"][5:]: {"hours": r["hours"]} for r in rows})
    return {
        "plan": plan,
        "planned_items": len(items),
        "held": sum(1 for item in items if item.get("id") in held),
        "hours": sum(float(v.get("hours") or 0) for v in sessions),
        "people_hours": sum(float(v.get("hours") or 0) * len(v.get("attendees", [])) for v in sessions),
        "rows": rows,
        "chart": chart,
    }


class Board:
    """The dashboard and the chapters' trends of one build: today's numbers are counted once."""

    def __init__(self, site: Site, trend: Trend) -> None:
        self.site = site
        self.trend = trend
        self.now = today(site)
        self.before = trend.last_month_end(site.as_of)

    def context(self, appraisals: dict[str, Any], training: dict[str, Any]) -> dict[str, Any]:
        """What ``dashboard.md.j2`` shows besides the lists it already had.

        ``appraisals`` and ``training``: the appraisals' and the training page's contexts.
        """
        site = self.site
        overdue = [o for o in site.result.obligations if o.state == "overdue"]
        projects = sorted(site.valid("project"), key=lambda r: r.id)
        return {
            "trend": self.trend,
            "series": SERIES,
            "headline": _headline(self.now, self.before),
            "before": self.before,
            "history": self._chart(None),
            "overdue_by_owner": _by_owner(overdue),
            "overdue_by_clause": _by_clause(overdue),
            "project_states": {p.id: _project_state(site, p.id) for p in projects},
            "appraisal_matrix": _appraisal_matrix(appraisals),
            "training_plan": _training(site, training),
        }

    def chapter(self, chapter: str) -> dict[str, Any]:
        """The trend a policy chapter's page shows at its top."""
        return {
            "trend": self.trend,
            "series": SERIES,
            "before": self.before,
            "headline": _headline(self.now, self.before, chapter),
            "history": self._chart(chapter),
        }

    def _chart(self, chapter: str | None) -> dict[str, Any] | None:
        if not self.trend.points:
            return None
        return line_chart(_history_rows(self.trend, self.now, self.site.as_of, chapter), SERIES)


__all__ = ["DAYS", "Board", "Now", "bar_chart", "line_chart", "today"]
