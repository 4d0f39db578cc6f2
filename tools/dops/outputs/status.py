"""``dops status``: the department at a glance, in a terminal or for a script.

Four parts, from one run of the checks: projects by phase, what is overdue
(the overdue obligations, each with who must act), the focus risks (open risks
whose likelihood × impact reaches ``risk.focus_score``) and what falls due in
the next days. With ``--person`` (or ``--me``), what one person owes instead:
everything not yet met that the obligations name them for, lapsed first. All
of it reads the one result of the check (``Result.obligations``); no date is
computed here. The text form fits an 80-column terminal:
widths are measured in terminal columns (a CJK character takes two) and a
cell that does not fit is cut with "…". The JSON form (``--format json``)
carries the same content, untruncated; its keys are listed in README.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass

from dops import __version__
from dops.core.config import Settings
from dops.core.model import STATE_NAMES, Obligation, Record
from dops.core.text import printable
from dops.rules import engine
from dops.rules.base import date

JSON_VERSION = 2  # 2: overdue and due items are obligations, with who must act
WIDTH = 80
GAP = "  "
PHASES = ("initiation", "execution", "monitoring", "acceptance", "closed")
PHASE_NAMES = {
    "initiation": ("启动", "initiation"),
    "execution": ("执行", "execution"),
    "monitoring": ("监控", "monitoring"),
    "acceptance": ("验收", "acceptance"),
    "closed": ("已关闭", "closed"),
}


@dataclass(frozen=True)
class FocusRisk:
    record: Record
    score: int
    owner: str | None
    owner_name: str | None
    last_check: dt.date | None


@dataclass(frozen=True)
class Overview:
    """What ``dops status`` shows, before it is laid out."""

    result: engine.Result
    projects: dict[str, list[Record]]  # phase → schema-valid projects, by ID
    invalid_projects: list[str]  # IDs of project records that fail their schema: not counted in a phase
    overdue: list[Obligation]
    late: list[Obligation]  # done late: warnings that can no longer be made good
    focus_score: int
    focus_risks: list[FocusRisk]
    days: int
    due: list[Obligation]

    @property
    def as_of(self) -> dt.date:
        return self.result.as_of


def overview(settings: Settings, as_of: dt.date | None = None, days: int | None = None) -> Overview:
    """Check every record once and gather the overview as of ``as_of`` (default today).

    ``days`` (default ``cadences.due_soon_days``) is how far ahead "due" looks.
    """
    result = engine.run(settings, as_of=as_of)
    return from_result(result, settings.cadences.due_soon_days if days is None else days)


def from_result(result: engine.Result, days: int) -> Overview:
    """The overview of a check already made."""
    index = result.index
    settings = result.settings
    projects: dict[str, list[Record]] = {phase: [] for phase in PHASES}
    for project in sorted(index.valid("project"), key=lambda r: r.id):
        projects.setdefault(project.get("phase"), []).append(project)
    invalid = sorted(r.id for r in result.records if r.kind == "project" and not r.valid)
    # The focus risks are those the risk-focus rule holds to 7.2.2 (its "focus" obligation applies).
    focused = {o.record for o in result.obligations if o.rule == "risk-focus" and o.subject == "focus" and o.applicable}
    focus = []
    for risk in index.valid("risk"):
        if risk.id not in focused or risk.get("status") != "open":
            continue
        likelihood, impact = risk.get("likelihood"), risk.get("impact")
        checks = [
            d
            for response in risk.get("responses", default=[])
            for check in response.get("checks") or []
            if (d := date(check.get("date")))
        ]
        owner = risk.get("owner")
        person = index.get(owner, "person")
        focus.append(
            FocusRisk(
                risk, likelihood * impact, owner, person.get("name") if person else None, max(checks, default=None)
            )
        )
    focus.sort(key=lambda f: (-f.score, f.record.id))
    return Overview(
        result=result,
        projects=projects,
        invalid_projects=invalid,
        overdue=[o for o in result.open_obligations(days) if o.state == "overdue"],
        late=result.done_late(),
        focus_score=settings.focus_score,
        focus_risks=focus,
        days=days,
        due=[o for o in result.open_obligations(days) if o.state != "overdue"],
    )


@dataclass(frozen=True)
class PersonView:
    """What ``dops status --person`` shows: one person's open obligations."""

    result: engine.Result
    person: Record
    owed: list[Obligation]

    @property
    def as_of(self) -> dt.date:
        return self.result.as_of


class UnknownPerson(LookupError):
    """No valid person record has this ID (or e-mail)."""


def for_person(result: engine.Result, person_id: str) -> PersonView:
    person = result.index.get(person_id, "person")
    if person is None:
        raise UnknownPerson(person_id)
    return PersonView(result, person, result.owed_by(person_id))


def people_by_email(result: engine.Result, email: str) -> list[str]:
    """The IDs of the people whose ``contact.email`` is ``email`` (case-insensitive)."""
    wanted = email.strip().lower()
    return [
        p.id
        for p in result.index.valid("person")
        if isinstance(p.get("contact", "email"), str) and p.get("contact", "email").strip().lower() == wanted
    ]


# --- text -----------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width (CJK) characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\s]+")
_WORDS = re.compile(r"\s+|[^\s\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+|\S")


def _clean(value: object) -> str:
    """Record text on one line: no line breaks, tabs or control characters (nor bidirectional overrides)."""
    return printable(_CONTROL.sub(" ", "" if value is None else str(value)).strip())


def _lines(lines: list[str]) -> str:
    """The text output: every line safe for a terminal, whatever the records hold (table cells already are)."""
    return "\n".join(printable(line) for line in lines)


def _prefix(text: str, width: int) -> str:
    """The longest start of ``text`` that takes at most ``width`` columns."""
    kept, used = [], 0
    for char in text:
        used += display_width(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept)


def cut(text: str, width: int) -> str:
    """``text``, or its start followed by "…", in at most ``width`` columns."""
    return text if display_width(text) <= width else _prefix(text, width - 1) + "…"


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns and padded to exactly ``width``."""
    text = cut(text, width)
    return text + " " * (width - display_width(text))


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """``text`` in at most ``max_lines`` lines of ``width`` columns; the last one cut with "…" if need be.

    English breaks at spaces, Chinese between any two characters.
    """
    lines: list[str] = []
    current = ""
    for word in _WORDS.findall(text):
        if display_width(current + word) <= width:
            current += word
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = "" if word.isspace() else word
        while display_width(current) > width:  # a word longer than a line
            head = _prefix(current, width)
            lines.append(head)
            current = current[len(head) :]
    if current.strip() or not lines:
        lines.append(current.rstrip())
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], _prefix(rest, width - 1) + "…"]
    return lines


def table(
    headers: tuple[str, ...], rows: list[tuple[str, ...]], flexible: int, width: int = WIDTH, max_lines: int = 1
) -> list[str]:
    """Columns two spaces apart, within ``width``; the ``flexible`` column gives way first.

    A cell too wide for its column is cut with "…"; with ``max_lines`` > 1 the
    flexible column first wraps onto up to that many lines.
    """
    cells = [tuple(_clean(cell) for cell in row) for row in [headers, *rows]]
    count = len(headers)
    widths = [max(display_width(row[column]) for row in cells) for column in range(count)]
    minimum = 4
    while (excess := sum(widths) + len(GAP) * (count - 1) - width) > 0:
        column = flexible if widths[flexible] > minimum else max(range(count), key=widths.__getitem__)
        if widths[column] <= minimum:
            break  # more columns than an 80-column line can hold; not a table of ours
        widths[column] -= min(excess, widths[column] - minimum)
    out = []
    for number, row in enumerate([cells[0], tuple("-" * w for w in widths), *cells[1:]]):
        parts = [[cell] for cell in row]
        if number > 1 and max_lines > 1:
            parts[flexible] = wrap(row[flexible], widths[flexible], max_lines)
        for line in range(len(parts[flexible])):
            texts = [part[line] if line < len(part) else "" for part in parts]
            out.append(GAP.join(fit(text, w) for text, w in zip(texts, widths, strict=True)).rstrip())
    return out


def _heading(title: str) -> list[str]:
    return ["", title, "=" * display_width(title)]


def as_text(view: Overview, lang: str) -> str:
    zh = lang == "zh"

    def t(chinese: str, english: str) -> str:
        return chinese if zh else english

    result = view.result
    lines = [
        t(f"dops 状态总览 · 截至 {view.as_of}", f"dops status · as of {view.as_of}"),
        t(
            f"{result.files} 个记录文件：{result.errors} 个错误，{result.warnings} 个警告。",
            f"{result.files} record files: {result.errors} errors, {result.warnings} warnings.",
        ),
    ]
    if result.errors:
        lines.append(t("有记录不符合制度：运行 dops check 查看。", "Some records do not comply: run dops check."))

    lines += _heading(t("项目阶段", "Projects by phase"))
    counts = [f"{PHASE_NAMES[p][0 if zh else 1]} {len(view.projects.get(p, []))}" for p in PHASES]
    lines.append(" · ".join(counts))
    running = [p for phase in PHASES if phase != "closed" for p in view.projects.get(phase, [])]
    if running:
        lines.append("")
        lines += table(
            (t("阶段", "Phase"), t("项目", "Project"), t("名称", "Name"), t("项目经理", "Manager")),
            [
                (PHASE_NAMES[p.get("phase")][0 if zh else 1], p.id, p.get("name"), _person(view, p.get("manager")))
                for p in running
            ],
            flexible=2,
        )
    if view.invalid_projects:
        lines.append(
            t(
                f"未通过数据模式检查、未计入的项目：{'、'.join(view.invalid_projects)}",
                f"Not counted (fail their schema): {', '.join(view.invalid_projects)}",
            )
        )

    lines += _heading(t(f"逾期事项（{len(view.overdue)}）", f"Overdue ({len(view.overdue)})"))
    if view.overdue:
        lines += table(
            (t("到期", "Due"), t("记录", "Record"), t("事项", "What"), t("负责人", "Who")),
            [(str(o.due), o.record, o.what.get(lang), _owner(o)) for o in view.overdue],
            flexible=2,
            max_lines=2,
        )
    else:
        lines.append(t("没有逾期事项。", "Nothing is overdue."))

    if view.late:
        lines += _heading(
            t(f"迟办事项，已无法补救（{len(view.late)}）", f"Done late, cannot be made good ({len(view.late)})")
        )
        lines += table(
            (t("应于", "Due"), t("记录", "Record"), t("事项", "What"), t("负责人", "Who")),
            [(str(o.due) if o.due else "—", o.record, o.what.get(lang), _owner(o)) for o in view.late],
            flexible=2,
            max_lines=2,
        )

    lines += _heading(
        t(
            f"重点风险（分值 ≥ {view.focus_score}，共 {len(view.focus_risks)} 项）",
            f"Focus risks (score ≥ {view.focus_score}) ({len(view.focus_risks)})",
        )
    )
    if view.focus_risks:
        lines += table(
            (t("风险", "Risk"), t("分值", "Score"), t("负责人", "Owner"), t("最近检查", "Checked"), t("标题", "Title")),
            [
                (
                    f.record.id,
                    str(f.score),
                    _person(view, f.owner),
                    str(f.last_check) if f.last_check else "—",
                    f.record.get("title"),
                )
                for f in view.focus_risks
            ],
            flexible=4,
        )
    else:
        lines.append(t("没有重点风险。", "No focus risks."))

    lines += _heading(
        t(f"未来 {view.days} 天到期（{len(view.due)}）", f"Due in the next {view.days} days ({len(view.due)})")
    )
    if view.due:
        lines += table(
            (t("日期", "Date"), t("记录", "Record"), t("事项", "Item"), t("负责人", "Who")),
            [(str(o.due), o.record, o.what.get(lang), _owner(o)) for o in view.due],
            flexible=2,
            max_lines=2,
        )
    else:
        lines.append(t(f"未来 {view.days} 天内没有到期事项。", f"Nothing falls due in the next {view.days} days."))
    return _lines(lines)


def _owner(obligation: Obligation) -> str:
    if not obligation.owner:
        return "—"
    return f"{obligation.owner} {obligation.owner_name}" if obligation.owner_name else obligation.owner


def person_text(view: PersonView, lang: str) -> str:
    """One person's open obligations: lapsed first, then by due date."""
    zh = lang == "zh"

    def t(chinese: str, english: str) -> str:
        return chinese if zh else english

    name = view.person.get("name")
    lines = [
        t(
            f"{view.person.id} {name} 的待办事项 · 截至 {view.as_of}",
            f"What {view.person.id} {name} owes · as of {view.as_of}",
        )
    ]
    lapsed = [o for o in view.owed if o.lapsed]
    pending = [o for o in view.owed if not o.lapsed]
    lines.append(
        t(
            f"{len(lapsed)} 项违反或逾期，{len(pending)} 项待办。",
            f"{len(lapsed)} violated or overdue, {len(pending)} pending.",
        )
    )
    if not view.owed:
        lines.append(t("没有待办事项。", "Nothing is owed."))
        return _lines(lines)
    lines.append("")
    lines += table(
        (t("状态", "State"), t("到期", "Due"), t("记录", "Record"), t("事项", "What"), t("条款", "Clauses")),
        [
            (
                STATE_NAMES[o.state][0 if zh else 1],
                str(o.due) if o.due else "—",
                o.record,
                o.what.get(lang),
                ", ".join(o.clauses),
            )
            for o in view.owed
        ],
        flexible=3,
        max_lines=2,
    )
    return _lines(lines)


def person_json(view: PersonView, lang: str) -> str:
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "dops", "version": __version__},
        "lang": lang,
        "as_of": view.as_of.isoformat(),
        "person": {"id": view.person.id, "name": view.person.get("name")},
        "owed": [o.to_json(lang) for o in view.owed],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


PERSON_FORMATS = {"text": person_text, "json": person_json}


def _person(view: Overview, person_id: str | None) -> str:
    if not person_id:
        return "—"
    person = view.result.index.get(person_id, "person")
    return f"{person_id} {person.get('name')}" if person else person_id


# --- JSON -----------------------------------------------------------------------------------


def as_json(view: Overview, lang: str) -> str:
    """Version 1; keys are added within a version, never renamed or removed."""
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "dops", "version": __version__},
        "lang": lang,
        "as_of": view.as_of.isoformat(),
        "summary": view.result.summary(),
        "projects": {
            "counts": {phase: len(view.projects.get(phase, [])) for phase in PHASES},
            "by_phase": {
                phase: [
                    {"id": p.id, "name": p.get("name"), "manager": p.get("manager")}
                    for p in view.projects.get(phase, [])
                ]
                for phase in PHASES
            },
            "invalid": view.invalid_projects,
        },
        "overdue": [o.to_json(lang) for o in view.overdue],
        "late": [o.to_json(lang) for o in view.late],
        "focus_risks": {
            "threshold": view.focus_score,
            "items": [
                {
                    "id": f.record.id,
                    "title": f.record.get("title"),
                    "project": f.record.get("project"),
                    "likelihood": f.record.get("likelihood"),
                    "impact": f.record.get("impact"),
                    "score": f.score,
                    "owner": f.owner,
                    "owner_name": f.owner_name,
                    "last_check": f.last_check.isoformat() if f.last_check else None,
                    "file": f.record.file,
                }
                for f in view.focus_risks
            ],
        },
        "due": {
            "days": view.days,
            "items": [o.to_json(lang) for o in view.due],
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


FORMATS = {"text": as_text, "json": as_json}
