"""Page contexts: from one check result and the public views to Markdown files.

Every page is rendered twice, Chinese (``x.md``) and English (``x.en.md``).
Templates live in ``templates/``; this module prepares what they show.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypedDict, TypeVar

import jinja2

from dops import rules
from dops.core import policy
from dops.core.config import Settings, config_schema
from dops.core.kinds import kind_of
from dops.core.model import LAPSED, PENDING, Finding, Message, Obligation, Record
from dops.features import calendar as ical
from dops.features import trends
from dops.outputs.site import dashboard, text
from dops.outputs.site.people import people_index, people_views
from dops.outputs.site.provenance import Provenance
from dops.outputs.site.public import public_view
from dops.rules import engine, needs_key, trace
from dops.rules.base import Context
from dops.rules.trace import ClauseTrace

TEMPLATES = Path(__file__).parent / "templates"
PHASES = ("initiation", "execution", "monitoring", "acceptance", "closed")
PHASE_NAMES = {
    "initiation": ("启动", "Initiation"),
    "execution": ("执行", "Execution"),
    "monitoring": ("监控", "Monitoring"),
    "acceptance": ("验收", "Acceptance"),
    "closed": ("已关闭", "Closed"),
}
CHAPTERS = {
    "1": ("第一章 总则", "1 General provisions"),
    "2": ("第二章 岗位职责", "2 Responsibilities"),
    "3": ("第三章 工作流程", "3 Workflow"),
    "4": ("第四章 绩效考核", "4 Performance appraisal"),
    "5": ("第五章 培训与发展", "5 Training and development"),
    "6": ("第六章 沟通与协作", "6 Communication and collaboration"),
    "7": ("第七章 风险管理", "7 Risk management"),
    "8": ("第八章 保密管理", "8 Confidentiality"),
}
CATEGORY_NAMES = {
    "schedule": ("进度", "Schedule"),
    "quality": ("质量", "Quality"),
    "technical": ("技术", "Technical"),
    "personnel": ("人员", "Personnel"),
    "customer": ("客户", "Customer"),
    "other": ("其他", "Other"),
}
FORM_NAMES = {
    "internal": ("内部培训", "Internal"),
    "external": ("外部培训", "External"),
    "online": ("在线学习", "Online"),
}
AREA_NAMES = {
    "skills": ("专业技能", "Skills"),
    "management": ("管理能力", "Management"),
    "communication": ("沟通技巧", "Communication"),
}
METHOD_NAMES = {
    "lecture": ("课堂讲授", "Lecture"),
    "case_study": ("案例分析", "Case study"),
    "discussion": ("小组讨论", "Discussion"),
    "practice": ("实践操作", "Practice"),
}
ROLE_NAMES = {
    "project_manager": ("项目经理", "Project manager"),
    "project_specialist": ("项目专员", "Project specialist"),
    "operations_support": ("运营支持", "Operations support"),
    "department_head": ("部门负责人", "Head of department"),
}
RESULT_NAMES = {
    "completed": ("完成", "Completed"),
    "passed": ("通过", "Passed"),
    "failed": ("未通过", "Failed"),
    "absent": ("缺席", "Absent"),
}
DASHBOARD_DAYS = 30  # how far ahead the dashboard lists what falls due
WORKFLOW = ("3.1.1", "3.1.2", "3.1.3", "3.2.2", "3.2.4", "3.3.1", "3.3.2", "3.3.3", "3.4.1", "3.4.2", "3.4.3", "3.4.4")


class Counts(TypedDict):
    """Obligations by state: what the policy pages, the rules page and the checklists show."""

    applicable: int
    met: int
    violated: int  # violated or overdue
    pending: int  # due soon or not yet due
    not_applicable: int
    state: str  # success (all applicable met), failure (an error), warning (overdue or a late lapse), info


class RuleStatus(TypedDict):
    """How a rule fares on the records: its findings, and its obligations' counts (None for an integrity rule)."""

    findings: list[Finding]
    failing: list[str]
    counts: Counts | None
    errors: int
    warnings: int


def counts(obligations: list[Obligation], findings: list[Finding]) -> Counts:
    """The honest tally: a box is green only when every applicable obligation is met."""
    applicable = [o for o in obligations if o.applicable]
    met = sum(1 for o in applicable if o.state == "met")
    lapsed = sum(1 for o in applicable if o.state in LAPSED)
    pending = sum(1 for o in applicable if o.state in PENDING)
    if any(f.severity == "error" for f in findings):
        state = "failure"
    elif lapsed:
        state = "warning"
    elif applicable and met == len(applicable):
        state = "success"
    else:
        state = "info"
    return {
        "applicable": len(applicable),
        "met": met,
        "violated": lapsed,
        "pending": pending,
        "not_applicable": len(obligations) - len(applicable),
        "state": state,
    }


class AppraisalCell(TypedDict, total=False):
    """One person's appraisal for one period on the appraisals page."""

    state: str  # na, done, late, overdue or due: always there
    methods: list[str]  # done, late
    id: str  # done, late
    due: dt.date  # overdue, due


@dataclass
class Site:
    """Everything the templates may read, computed once per build."""

    settings: Settings
    result: engine.Result
    context: Context
    public: dict[str, dict[str, Any]]
    clauses: dict[str, policy.Clause]
    trace: dict[str, dict[str, Any]]
    traces: dict[str, ClauseTrace]
    findings_by_record: dict[str, list[Finding]] = field(default_factory=dict)
    findings_by_rule: dict[str, list[Finding]] = field(default_factory=dict)
    obligations_by_rule: dict[str, list[Obligation]] = field(default_factory=dict)
    obligations_by_record: dict[str, list[Obligation]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)  # as published: see _public_finding
    # Rules skipped for want of a key (needs-key notices): said once, on the dashboard, not on record pages.
    skipped: list[Finding] = field(default_factory=list)

    @property
    def as_of(self) -> dt.date:
        return self.result.as_of

    def valid(self, kind: str) -> list[Record]:
        return self.context.index.valid(kind)

    def name(self, person_id: str | None) -> str:
        person = self.context.index.get(person_id, "person")
        return f"{person_id} {person.data['name']}" if person else (person_id or "")

    def rule_status(self, rule: rules.Rule) -> RuleStatus:
        found = self.findings_by_rule.get(rule.id, [])
        failing = sorted({f.record or f.file for f in found})
        return {
            "findings": found,
            "failing": failing,
            "counts": None if rule.integrity else counts(self.obligations_by_rule.get(rule.id, []), found),
            "errors": sum(1 for f in found if f.severity == "error"),
            "warnings": sum(1 for f in found if f.severity == "warning"),
        }

    def rules_for(self, clause_id: str) -> list[rules.Rule]:
        return list(self.traces[clause_id].rules)

    @cached_property
    def _obligations_by_citation(self) -> dict[tuple[str, ...], list[tuple[int, Obligation]]]:
        return _group_by_citation(o for found in self.obligations_by_rule.values() for o in found)

    @cached_property
    def _findings_by_citation(self) -> dict[tuple[str, ...], list[tuple[int, Finding]]]:
        return _group_by_citation(f for found in self.findings_by_rule.values() for f in found)

    def clause_obligations(self, clause_id: str) -> list[Obligation]:
        """The obligations citing ``clause_id`` (or a section containing it)."""
        return _citing(self._obligations_by_citation, lambda c: policy.covers(clause_id, c))

    def clause_counts(self, clause_id: str) -> Counts:
        findings = _citing(self._findings_by_citation, lambda c: policy.covers(clause_id, c))
        return counts(self.clause_obligations(clause_id), findings)

    def clause_findings(self, clause_id: str) -> list[Finding]:
        return _citing(self._findings_by_citation, lambda c: policy.covers(clause_id, c) or policy.covers(c, clause_id))


_Cited = TypeVar("_Cited", Finding, Obligation)


def _group_by_citation(items: Iterable[_Cited]) -> dict[tuple[str, ...], list[tuple[int, _Cited]]]:
    """Findings or obligations grouped by the clauses they cite, each with its place in ``items``.

    A department has a few dozen distinct citations and up to hundreds of thousands of
    obligations: a clause's page asks each citation once instead of each obligation.
    """
    groups: dict[tuple[str, ...], list[tuple[int, _Cited]]] = defaultdict(list)
    for place, item in enumerate(items):
        groups[item.clauses].append((place, item))
    return groups


def _citing(groups: dict[tuple[str, ...], list[tuple[int, _Cited]]], cites: Callable[[str], bool]) -> list[_Cited]:
    """The items of the groups whose citation has a clause ``cites`` accepts, in their first order."""
    chosen = [pair for clauses, pairs in groups.items() if any(cites(c) for c in clauses) for pair in pairs]
    chosen.sort(key=lambda pair: pair[0])
    return [item for _, item in chosen]


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory and shared by the environments of one build.

    The environments differ only in their globals (language, the page's folder), never in
    how a template compiles, so each template is compiled once per build. Jinja keys an
    entry by the template's name and checks it against the source's checksum.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


# Each state's words; the badge's icon comes from the stylesheet, drawn as a shape, so it needs no emoji font.
STATE_LABELS = {
    "met": ("已履行", "met"),
    "done": ("完成", "done"),
    "pass": ("符合", "pass"),
    "violated": ("违反", "violated"),
    "fail": ("不符合", "fail"),
    "error": ("错误", "error"),
    "overdue": ("逾期", "overdue"),
    "late": ("逾期完成", "done late"),
    "warning": ("警告", "warning"),
    "notice": ("提示", "notice"),
    "due_soon": ("即将到期", "due soon"),
    "due": ("待完成", "due"),
    "pending": ("待办", "pending"),
    "not_yet_due": ("未到期", "not yet due"),
    "not_applicable": ("不适用", "not applicable"),
    "na": ("不适用", "not applicable"),
    "open": ("未关闭", "open"),
    "closed": ("已关闭", "closed"),
    "manual": ("人工判断", "manual"),
}
# The icon a state's badge wears (a class in docs/assets/dops.css): few shapes, each with one meaning.
STATE_ICONS = {
    "met": "ok",
    "done": "ok",
    "pass": "ok",
    "closed": "ok",
    "violated": "bad",
    "fail": "bad",
    "error": "bad",
    "overdue": "late",
    "late": "late",
    "warning": "late",
    "notice": "none",
    "due_soon": "wait",
    "due": "wait",
    "pending": "wait",
    "not_yet_due": "wait",
    "open": "wait",
    "not_applicable": "none",
    "na": "none",
    "manual": "none",
}


def person_page(person_id: str) -> str:
    """A person's page, docs-relative."""
    return f"status/people/{text.anchor(person_id)}.md"


def _environment(
    lang: str,
    folder: str,
    compiled: jinja2.BytecodeCache | None = None,
    people: dict[str, str] | None = None,
    repository: Provenance | None = None,
    as_of: dt.date | None = None,
) -> jinja2.Environment:
    """The Jinja environment for pages in ``folder`` (docs-relative) in ``lang``.

    Links are relative, so what differs between pages is only their folder: one environment
    serves every page of a folder and compiles each template once, not once per page.
    ``people`` names the people who have a page (ID → name): ``person(id)`` links to it;
    ``repository`` says where a record's file and history are (``source(record)``).
    """
    people = people or {}
    repository = repository or Provenance(None, False, None, "main")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=compiled,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown's attribute lists ({#anchor}) would open a Jinja comment.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    zh = lang == "zh"

    def t(chinese: str, english: str) -> str:
        return chinese if zh else english

    def name_of(table: dict[str, tuple[str, str]], key: str) -> str:
        pair = table.get(key)
        return (pair[0] if zh else pair[1]) if pair else text.inline(key)

    @cache  # os.path.relpath is slow, and a large department's pages link the same records many times
    def url(target: str) -> str:
        """A link from this page to another generated or static page (docs-relative)."""
        path, _, fragment = target.partition("#")
        relative = os.path.relpath(path, folder or ".").replace(os.sep, "/")
        return relative + (f"#{fragment}" if fragment else "")

    def message(value: Message) -> str:
        return text.inline(value.get(lang))

    def clause_link(clause_id: str) -> str:
        chapter = clause_id.split(".")[0]
        return f"[{clause_id}]({url(f'policy/chapter-{chapter}.md#clause-{clause_id}')})"

    def rule_doc(rule: rules.Rule) -> str:
        return _doc_markdown(rule.doc_for(lang), lang)

    def record_kind(record_id: str) -> str:
        kind = kind_of(record_id)
        return kind.name if kind else ""

    @cache
    def person(person_id: str | None) -> str:
        """A person by ID and name, linked to their page when they have one; "—" for nobody."""
        if not person_id:
            return "—"
        name = people.get(person_id)
        if name is None:
            return text.inline(person_id)
        return f"[{text.inline(person_id)} {text.inline(name)}]({url(person_page(person_id))})"

    def state(name: str, label: str | None = None) -> str:
        """A state as a badge: an icon drawn by the stylesheet, and words (``label`` or the state's own)."""
        words = label if label is not None else t(*STATE_LABELS.get(name, (name, name)))
        icon = STATE_ICONS.get(name, "none")
        return f'<span class="dops-state dops-{icon}" data-state="{text.anchor(name)}">{words}</span>'

    def source(record: Record) -> str:
        """Where a record's page comes from: its file, and links to it and its history in the repository."""
        shown_path = f"`{record.file}`" if "`" not in record.file else text.inline(record.file)
        line = f"{t('记录文件', 'Record file')}{t('：', ': ')}{shown_path}"
        links = [
            (t("查看文件", "view the file"), repository.file_url(record.file)),
            (t("修改历史", "history"), repository.history_url(record.file)),
            (t("提出修改", "propose a change"), repository.edit_url(record.file)),
        ]
        shown = [f"[{label}]({href})" for label, href in links if href]
        if repository.short:
            line += f"{t('，', ', ')}{t('版本', 'commit')} `{repository.short}`"
        return line + (f" · {' · '.join(shown)}" if shown else "")

    def overdue_days(obligation: Obligation) -> int | None:
        """Days since a lapsed obligation fell due."""
        if as_of is None or obligation.due is None or not obligation.lapsed:
            return None
        return max((as_of - obligation.due).days, 0)

    env.globals.update(
        t=t,
        source=source,
        overdue_days=overdue_days,
        lang=lang,
        zh=zh,
        url=url,
        name_of=name_of,
        clause_link=clause_link,
        record_kind=record_kind,
        person=person,
        state=state,
        rule_doc=rule_doc,
        PHASES=PHASES,
        PHASE_NAMES=PHASE_NAMES,
        CATEGORY_NAMES=CATEGORY_NAMES,
        FORM_NAMES=FORM_NAMES,
        AREA_NAMES=AREA_NAMES,
        METHOD_NAMES=METHOD_NAMES,
        ROLE_NAMES=ROLE_NAMES,
        RESULT_NAMES=RESULT_NAMES,
        CHAPTERS=CHAPTERS,
    )

    def day(value: object) -> str:
        """A date that never breaks at its hyphens (2026-06-<br>10 reads as two things)."""
        return f'<span class="dops-day">{text.inline(value)}</span>' if value else "—"

    env.filters.update(day=day, text=text.inline, block=text.block, message=message, anchor=text.anchor)
    return env


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _paragraph(lines: list[str]) -> str:
    """Wrapped lines as one: Chinese text breaks between characters, where a space would show."""
    joined = ""
    for line in (line.strip() for line in lines):
        if joined and not (_wide(joined[-1]) and _wide(line[0])):
            joined += " "
        joined += line
    return joined


def _doc_markdown(doc: str, lang: str = "en") -> str:
    """A rule's documentation (reStructuredText-like ``Example::`` / ``示例::`` blocks) as Markdown."""
    out: list[str] = []
    lines = doc.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.rstrip().endswith("::"):
            label = line.rstrip()[:-2].rstrip() + ("：" if lang == "zh" else ":")
            out.append(text.inline(label).replace("&#96;&#96;", ""))
            out.append("")
            index += 1
            block: list[str] = []
            while index < len(lines) and (not lines[index].strip() or lines[index].startswith("    ")):
                block.append(lines[index][4:])
                index += 1
            while block and not block[-1].strip():
                block.pop()
            while block and not block[0].strip():
                block.pop(0)
            fence = "```"
            while fence in "\n".join(block):
                fence += "`"
            out += [f"{fence}yaml", *block, fence, ""]
            continue
        if not line.strip():
            out.append("")
            index += 1
            continue
        paragraph = [line]
        index += 1
        while index < len(lines) and lines[index].strip() and not lines[index].rstrip().endswith("::"):
            paragraph.append(lines[index])
            index += 1
        out.append(text.inline(_paragraph(paragraph)).replace("&#96;&#96;", ""))
    return "\n".join(out)


def _project_view(site: Site, project: Record) -> dict[str, Any]:
    data = site.public[project.id]
    findings = site.findings_by_record.get(project.id, [])
    mine = site.obligations_by_record.get(project.id, [])
    checklist = []
    for clause_id in WORKFLOW:
        related = [f for f in findings if any(policy.covers(clause_id, c) for c in f.clauses)]
        duties = [o for o in mine if any(policy.covers(clause_id, c) for c in o.clauses)]
        tally = counts(duties, related)
        if tally["state"] == "failure":
            state = "fail"
        elif tally["state"] == "warning":
            state = "warn"
        elif tally["state"] == "success":
            state = "pass"
        elif tally["pending"]:
            state = "pending"
        else:
            state = "na"
        checklist.append(
            {
                "clause": clause_id,
                "text": site.clauses[clause_id],
                "state": state,
                "findings": related,
                "counts": tally,
                "open": sorted((o for o in duties if o.state in PENDING and o.due), key=Obligation.sort_key),
            }
        )
    timeline = [
        ("initiation", data.get("started_on")),
        ("execution", data.get("execution_started_on")),
        ("acceptance", data.get("acceptance", {}).get("application", {}).get("date")),
        ("accepted", data.get("acceptance", {}).get("accepted_on")),
        ("closed", data.get("closed_on")),
    ]
    risks = sorted(site.context.index.risks_by_project.get(project.id, []), key=lambda r: r.id)
    # The banner: what is overdue or violated on the project and its risks, and who must act.
    around = mine + [o for r in risks for o in site.obligations_by_record.get(r.id, [])]
    lapsed = sorted((o for o in around if o.lapsed), key=Obligation.sort_key)
    upcoming = sorted((o for o in around if o.state == "due_soon"), key=Obligation.sort_key)
    milestones = {o.subject: o for o in mine if o.rule == "milestone-overdue"}
    return {
        "record": project,
        "data": data,
        "checklist": checklist,
        "timeline": timeline,
        "risks": risks,
        "findings": findings,
        "lapsed": lapsed,
        "upcoming": upcoming,
        "errors": sum(1 for f in findings if f.severity == "error"),
        "milestone_states": {key: o.state for key, o in milestones.items()},
        "activity": _activity(data),
    }


def _lessons(site: Site, projects: list[Record]) -> dict[str, Any]:
    """Every retrospective's lessons (3.4.4), grouped by customer code, newest first within a group."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    total = 0
    for project in projects:
        data = site.public[project.id]
        retro = data.get("retrospective")
        if not retro or not retro.get("lessons"):
            continue
        code = str((data.get("customer") or {}).get("code") or "—")
        groups[code].append({"record": project, "data": data, "retro": retro})
        total += len(retro["lessons"])
    for found in groups.values():
        found.sort(key=lambda item: str(item["retro"].get("date", "")), reverse=True)
    return {"groups": sorted(groups.items()), "total": total}


def _activity(data: dict[str, Any]) -> dict[str, Any]:
    """Meetings and reports as a compact timeline: one row a month, and the latest few in words."""
    kinds = (("meeting", "meetings"), ("customer", "customer_reports"), ("status", "status_reports"))
    events = [
        (str(item["date"]), kind, item)
        for kind, field_name in kinds
        for item in data.get(field_name, []) or []
        if item.get("date")
    ]
    events.sort(key=lambda event: event[0])
    months: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for day, kind, item in events:
        months.setdefault(day[:7], {"meeting": [], "customer": [], "status": []})[kind].append(item)
    return {
        "months": sorted(months.items(), reverse=True),
        "latest": list(reversed(events[-6:])),
        "counts": Counter(kind for _, kind, _ in events),
    }


def _heatmap(site: Site) -> dict[str, Any]:
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for risk in site.valid("risk"):
        data = site.public[risk.id]
        if data.get("status") == "open" and data.get("likelihood") and data.get("impact"):
            cells[(data["likelihood"], data["impact"])].append(risk.id)
    focus = site.settings.focus_score
    grid = []
    for likelihood in range(5, 0, -1):
        row = []
        for impact in range(1, 6):
            score = likelihood * impact
            band = "high" if score >= focus else "medium" if score >= 6 else "low"
            row.append(
                {
                    "likelihood": likelihood,
                    "impact": impact,
                    "score": score,
                    "band": band,
                    "risks": cells.get((likelihood, impact), []),
                }
            )
        grid.append(row)
    return {"grid": grid, "focus": focus, "total": sum(len(v) for v in cells.values())}


def _appraisals(site: Site) -> dict[str, Any]:
    """The appraisal matrix, read from the review-due rule's obligations (subject: the period)."""
    index = site.context.index
    by_cell: dict[tuple[str, str], Obligation] = {}
    for obligation in site.obligations_by_rule.get("review-due", []):
        owing = index.by_id.get(obligation.record)
        if owing is None:
            continue
        appraised = owing.id if owing.kind == "person" else str(owing.data.get("person"))
        by_cell[(appraised, obligation.subject)] = obligation
    periods = sorted({period for _, period in by_cell}, key=lambda p: (p[:4], len(p) == 4, p))
    rows = []
    for person in sorted(site.valid("person"), key=lambda r: r.id):
        data = site.public[person.id]
        if "department_head" in data.get("roles", []):
            continue
        cells: list[AppraisalCell] = []
        for period in periods:
            cell = by_cell.get((person.id, period))
            review = index.reviews.get((person.id, period))
            if cell is None or cell.state == "not_applicable":
                cells.append({"state": "na"})
            elif cell.state in ("met", "violated") and review is not None:
                view = site.public.get(review.id, {})
                assessments = view.get("assessments", {})
                methods = [key for key in ("self", "superior", "peers", "customers") if assessments.get(key)]
                state = "done" if cell.state == "met" else "late"
                cells.append({"state": state, "methods": methods, "id": review.id})
            elif cell.state in LAPSED and cell.due is not None:
                cells.append({"state": "overdue", "due": cell.due})
            elif cell.due is not None:
                cells.append({"state": "due", "due": cell.due})
            else:
                cells.append({"state": "na"})
        rows.append({"person": person, "data": data, "cells": cells})
    return {"periods": periods, "rows": rows}


def _training(site: Site) -> dict[str, Any]:
    plans = sorted(site.valid("training-plan"), key=lambda r: r.id, reverse=True)
    sessions = sorted(site.valid("training-session"), key=lambda r: (r.data["date"], r.id))
    held = Counter(s.data["plan_item"] for s in sessions)
    coverage = {}
    for plan in plans:
        grid: dict[tuple[str, str], int] = Counter()
        for item in site.public[plan.id]["items"]:
            grid[(item["form"], item["area"])] += 1
        coverage[plan.id] = grid
    history: dict[str, list[tuple[Record, dict[str, Any]]]] = defaultdict(list)
    for session in sessions:
        for attendee in site.public[session.id]["attendees"]:
            history[attendee["person"]].append((session, attendee))
    people = sorted(site.valid("person"), key=lambda r: r.id)
    return {
        "plans": plans,
        "sessions": sessions,
        "held": held,
        "coverage": coverage,
        "history": history,
        "people": people,
    }


def _traceability(site: Site) -> dict[str, Any]:
    rows = []
    enforced = 0
    for clause_id, clause in site.clauses.items():
        clause_trace = site.traces[clause_id]
        if clause_trace.enforced:
            enforced += 1
        rows.append(
            {
                "clause": clause,
                "rules": list(clause_trace.rules),
                "fields": list(clause_trace.enforcing),
                "recording": list(clause_trace.recording),
                "enforced": clause_trace.enforced,
                "entry": site.trace.get(clause_id),
                "counts": site.clause_counts(clause_id),
            }
        )
    total = len(site.clauses)
    return {
        "rows": rows,
        "enforced": enforced,
        "total": total,
        "manual": total - enforced,
        "percent": round(100 * enforced / total) if total else 0,
    }


@dataclass(frozen=True)
class SettingNote:
    """A company setting that decides how a clause is read (``dops.yaml``), for the clause's page."""

    name: str  # dotted, as in dops.yaml: cadences.team_meeting_days
    value: str
    title: dict[str, str]
    description: dict[str, str]


def _settings_by_clause(settings: Settings) -> dict[str, list[SettingNote]]:
    """Clause ID → the settings that cite it (``x-clauses`` in the settings' schema), with their values."""
    found: dict[str, list[SettingNote]] = defaultdict(list)

    def value_of(path: list[str]) -> str:
        node: Any = settings
        for step in path:
            node = getattr(node, step, None)
        if isinstance(node, tuple):
            return ", ".join(str(v) for v in node) or "—"
        return "—" if node is None else str(node)

    def walk(node: dict[str, Any], path: list[str]) -> None:
        for name, child in node.get("properties", {}).items():
            here = [*path, name]
            if child.get("x-clauses"):
                title_zh, _, title_en = str(child.get("title", name)).partition(" / ")
                zh, _, en = str(child.get("description", "")).partition("\n\n")
                note = SettingNote(
                    ".".join(here),
                    value_of(here),
                    {"zh": title_zh, "en": title_en or title_zh},
                    {"zh": " ".join(zh.split()), "en": " ".join(en.split())},
                )
                for clause in child["x-clauses"]:
                    found[clause].append(note)
            walk(child, here)

    walk(config_schema().root, [])
    return found


def _policy_chapters(site: Site) -> dict[str, list[dict[str, Any]]]:
    chapters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    sections: dict[str, dict[str, Any]] = {}
    by_clause = _settings_by_clause(site.settings)
    for clause_id, clause in site.clauses.items():
        chapter = clause_id.split(".")[0]
        section_id = ".".join(clause_id.split(".")[:2])
        if section_id not in sections:
            sections[section_id] = {"id": section_id, "title": clause.section, "clauses": []}
            chapters[chapter].append(sections[section_id])
        clause_trace = site.traces[clause_id]
        statuses = [(r, site.rule_status(r)) for r in clause_trace.rules]
        sections[section_id]["clauses"].append(
            {
                "clause": clause,
                "own": clause_id != section_id,
                "rules": statuses,
                "counts": site.clause_counts(clause_id),
                "fields": list(clause_trace.enforcing),
                "recording": list(clause_trace.recording),
                "entry": site.trace.get(clause_id),
                "settings": by_clause.get(clause_id, []),
            }
        )
    return chapters


def build_pages(
    settings: Settings,
    as_of: dt.date | None = None,
    site_url: str | None = None,
    repository: Provenance | None = None,
) -> tuple[dict[str, str], engine.Result]:
    """Every generated page, keyed by its path under ``docs/``; and the check result behind them.

    Besides the Markdown pages, ``status/deadlines.ics`` holds the calendar feed of
    what falls due (``dops calendar``), linking to ``site_url`` (default: $DOPS_SITE_URL).
    """
    base_url = ical.site_url(site_url)
    result = engine.run(settings, as_of=as_of)
    context = result.context
    schemas = engine.load_schemas(settings)
    public = {r.id: view for r in result.records if (view := public_view(r, schemas)) is not None}
    site = Site(
        settings=settings,
        result=result,
        context=context,
        public=public,
        clauses=policy.clauses(settings.root),
        trace=policy.trace_table(settings.root),
        traces=trace.traces(settings.root, settings.schemas),
    )
    published = [_public_finding(f) for f in result.findings]
    site.skipped = [f for f in published if f.rule == needs_key.ID]
    site.findings = [f for f in published if f.rule != needs_key.ID]
    for finding in site.findings:
        site.findings_by_record.setdefault(finding.record or finding.file, []).append(finding)
        site.findings_by_rule.setdefault(finding.rule, []).append(finding)
    for obligation in result.obligations:
        site.obligations_by_record.setdefault(obligation.record, []).append(obligation)
        site.obligations_by_rule.setdefault(obligation.rule, []).append(obligation)

    projects = sorted(site.valid("project"), key=lambda r: r.id)
    invalid_projects = sorted((r for r in result.records if r.kind == "project" and not r.valid), key=lambda r: r.id)
    shared = {"site": site, "as_of": result.as_of, "projects": projects}
    tracing = _traceability(site)  # the traceability page and the policy index show the same totals
    appraisals, training = _appraisals(site), _training(site)  # their pages, CSV downloads and the dashboard
    people = people_views(site, appraisals)
    board = dashboard.Board(site, trends.history(settings, result.as_of))
    pages: dict[str, tuple[str, dict[str, Any]]] = {
        "status/index.md": (
            "dashboard.md.j2",
            {
                "by_phase": {phase: [p for p in projects if p.data["phase"] == phase] for phase in PHASES},
                "deadlines": [o for o in result.open_obligations(DASHBOARD_DAYS) if o.state != "overdue"],
                "overdue": [o for o in result.open_obligations(DASHBOARD_DAYS) if o.state == "overdue"],
                "late": result.done_late(),
                "days": DASHBOARD_DAYS,
                "by_clause": _findings_by_clause(result.findings),
                "invalid_projects": invalid_projects,
                "feed": {"path": ical.FEED_PATH, "webcal": ical.webcal_url(base_url + ical.FEED_PATH)},
                **board.context(appraisals, training),
            },
        ),
        "status/projects/index.md": ("projects.md.j2", {"invalid_projects": invalid_projects}),
        "status/appraisals.md": ("appraisals.md.j2", appraisals),
        "status/people/index.md": ("people.md.j2", people_index(site, people)),
        "status/lessons.md": ("lessons.md.j2", _lessons(site, projects)),
        "status/training.md": ("training.md.j2", training),
        "status/rules.md": ("rules.md.j2", {"rules": [(r, site.rule_status(r)) for r in rules.RULES.values()]}),
        "status/traceability.md": ("traceability.md.j2", tracing),
        "policy/index.md": ("policy-index.md.j2", tracing),
    }
    for chapter, sections in _policy_chapters(site).items():
        pages[f"policy/chapter-{chapter}.md"] = (
            "policy-chapter.md.j2",
            {"chapter": chapter, "sections": sections, "trend": board.chapter(chapter)},
        )
    for project in projects:
        pages[f"status/projects/{text.anchor(project.id)}.md"] = ("project.md.j2", _project_view(site, project))
    for person_id, view in people.items():
        pages[person_page(person_id)] = ("person.md.j2", {"person_id": person_id, **view})
    names = {person_id: str(view["data"].get("name", "")) for person_id, view in people.items()}
    # The risk register and a page per risk; the CSV downloads (risk_pages and downloads read this module).
    from dops.outputs.site import downloads, risk_pages

    pages.update(risk_pages.pages(site, _heatmap(site)))
    csv_files = downloads.files(site, risk_pages.register_rows(site), appraisals, training)

    rendered: dict[str, str] = {}
    environments: dict[tuple[str, str], jinja2.Environment] = {}
    compiled = _CompiledTemplates()
    for relative, (template, values) in pages.items():
        for lang, suffix in (("zh", ".md"), ("en", ".en.md")):
            key = (lang, os.path.dirname(relative))
            if key not in environments:
                environments[key] = _environment(*key, compiled, names, repository, result.as_of)
            env = environments[key]
            target = re.sub(r"\.md$", suffix, relative)
            rendered[target] = env.get_template(template).render(**shared, **values)
    rendered[ical.FEED_PATH] = ical.feed_for(result, base_url=base_url).decode("utf-8")
    rendered.update(csv_files)
    return rendered, result


def _public_finding(finding: Finding) -> Finding:
    """The finding as the site may show it: a rule whose findings rest on confidential values
    (appraisal results, budgets) is published with a neutral text that names no value (8.1)."""
    rule = rules.RULES.get(finding.rule)
    if rule is None or not rule.confidential:
        return finding
    clauses = ", ".join(finding.clauses)
    return replace(
        finding,
        message=Message(
            f"{finding.record} 有一处不符合第 {clauses} 条的问题。涉及保密信息（8.1），网站不显示详情："
            "请有权限的人在本地运行 dops check 查看。",
            f"{finding.record} has a problem under clause {clauses}. It concerns confidential information (8.1), "
            "so the site shows no details: someone entitled to see them can run dops check locally.",
        ),
    )


def _findings_by_clause(findings: Sequence[Finding]) -> list[tuple[str, int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for finding in findings:
        if finding.severity not in ("error", "warning"):
            continue  # a notice informs; it is neither an error nor a warning
        for clause in finding.clauses:
            counts[clause][0 if finding.severity == "error" else 1] += 1
    return sorted(
        ((c, e, w) for c, (e, w) in counts.items()), key=lambda row: [int(part) for part in row[0].split(".")]
    )
