"""CSV downloads of the register, the appraisal completion matrix and the training tables.

Written beside their pages, one file per language (``risks.csv`` and ``risks.en.csv``: the
suffix layout of the pages, so each language's page links to ``risks.csv`` beside it). UTF-8
with a byte order mark, so that Excel reads Chinese correctly; a cell that a spreadsheet would
take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
written with a leading ``'``. Built from the public views only, like the pages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from dops.core.model import STATE_NAMES
from dops.outputs.site.pages import CATEGORY_NAMES, METHOD_NAMES, RESULT_NAMES

if TYPE_CHECKING:
    from dops.outputs.site.pages import Site
    from dops.outputs.site.risk_pages import RiskRow

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# docs-relative paths of the Chinese files; the English ones end in .en.csv
RISKS = "status/risks.csv"
APPRAISALS = "status/appraisals.csv"
TRAINING_SESSIONS = "status/training-sessions.csv"
TRAINING_PEOPLE = "status/training-people.csv"
LANGUAGES = (("zh", ".csv"), ("en", ".en.csv"))


def cell(value: object) -> str:
    """A value as a CSV cell that no spreadsheet runs: formulas are neutralised with a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    shown = str(value)
    return "'" + shown if shown.startswith(_FORMULA) else shown


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV file: byte order mark, header, rows; CRLF line ends as RFC 4180 and Excel expect."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    writer.writerows([cell(v) for v in row] for row in rows)
    return BOM + out.getvalue()


def localized(path: str, lang: str) -> str:
    """The file of ``path`` (a Chinese file's name) in ``lang``."""
    return path if lang == "zh" else path.removesuffix(".csv") + ".en.csv"


def _pick(pair: tuple[str, str] | None, lang: str, fallback: str = "") -> str:
    return (pair[0] if lang == "zh" else pair[1]) if pair else fallback


def _name(site: Site, person_id: str | None) -> str:
    if not person_id:
        return ""
    return str(site.public.get(person_id, {}).get("name") or "")


RISK_COLUMNS = (
    ("编号", "ID"),
    ("风险", "Risk"),
    ("类别", "Category"),
    ("项目", "Project"),
    ("负责人编号", "Owner ID"),
    ("负责人", "Owner"),
    ("识别日期", "Identified on"),
    ("可能性", "Likelihood"),
    ("影响程度", "Impact"),
    ("分值", "Score"),
    ("重点关注", "Focus"),
    ("状态", "Status"),
    ("关闭日期", "Closed on"),
    ("应对措施数", "Responses"),
    ("最近检查", "Last check"),
    ("跟进状态", "Follow-up"),
    ("下次到期", "Next due"),
    ("下次到期事项", "Next duty"),
)


def risks(site: Site, rows: list[RiskRow], lang: str) -> str:
    """The register: a row per risk, open ones first, as on the page."""
    zh = lang == "zh"
    header = [_pick(pair, lang) for pair in RISK_COLUMNS]
    body = []
    for row in rows:
        v = row.view
        body.append(
            [
                row.id,
                v.get("title"),
                _pick(CATEGORY_NAMES.get(str(v.get("category"))), lang, str(v.get("category") or "")),
                v.get("project") or ("部门级" if zh else "department"),
                v.get("owner"),
                _name(site, v.get("owner")),
                v.get("identified_on"),
                v.get("likelihood"),
                v.get("impact"),
                row.score,
                ("是" if zh else "yes") if row.focus else ("否" if zh else "no"),
                ("未关闭" if zh else "open") if row.open else ("已关闭" if zh else "closed"),
                v.get("closed_on"),
                len(v.get("responses", [])),
                row.last_check,
                _pick(STATE_NAMES.get(row.worst.state), lang) if row.worst else "",
                row.next_due.due if row.next_due else "",
                row.next_due.what.get(lang) if row.next_due else "",
            ]
        )
    return table(header, body)


APPRAISAL_WORDS = {
    "done": ("完成", "done"),
    "late": ("逾期完成", "done late"),
    "overdue": ("逾期", "overdue"),
    "due": ("待完成", "due"),
    "na": ("不适用", "not applicable"),
}
METHOD_WORDS = {
    "self": ("自评", "self"),
    "superior": ("上级评价", "superior"),
    "peers": ("同事评价", "peers"),
    "customers": ("客户评价", "customers"),
}


def appraisals(site: Site, matrix: dict[str, Any], lang: str) -> str:
    """The completion matrix: a row per person, a column per period; done, late, overdue or due, never a result."""
    zh = lang == "zh"
    periods = list(matrix["periods"])
    header = ["编号", "姓名"] if zh else ["ID", "Name"]
    header += [f"{p}{('年度' if zh else ' annual') if len(p) == 4 else ''}" for p in periods]
    body = []
    for row in matrix["rows"]:
        line: list[object] = [row["person"].id, row["data"].get("name")]
        for cell_ in row["cells"]:
            words = _pick(APPRAISAL_WORDS.get(cell_["state"]), lang, cell_["state"])
            if cell_.get("methods"):
                methods = ("、" if zh else ", ").join(_pick(METHOD_WORDS.get(m), lang, m) for m in cell_["methods"])
                words += f"（{methods}）" if zh else f" ({methods})"
            if cell_.get("due"):
                words += f"（截止 {cell_['due']}）" if zh else f" (due {cell_['due']})"
            line.append(words)
        body.append(line)
    return table(header, body)


def training_sessions(site: Site, training: dict[str, Any], lang: str) -> str:
    """The sessions held, as the training page lists them."""
    zh = lang == "zh"
    header = (
        ["编号", "日期", "主题", "计划条目", "方式", "学时", "参加人数"]
        if zh
        else ["ID", "Date", "Topic", "Plan item", "Methods", "Hours", "Attendees"]
    )
    body = []
    for session in training["sessions"]:
        v = site.public[session.id]
        methods = ("、" if zh else ", ").join(_pick(METHOD_NAMES.get(m), lang, m) for m in v.get("methods", []))
        body.append(
            [
                session.id,
                v.get("date"),
                v.get("title"),
                v.get("plan_item"),
                methods,
                v.get("hours"),
                len(v["attendees"]),
            ]
        )
    return table(header, body)


def training_people(site: Site, training: dict[str, Any], lang: str) -> str:
    """Each person's training record: a row per session attended."""
    zh = lang == "zh"
    header = (
        ["编号", "姓名", "日期", "培训编号", "培训", "结果", "学习成果"]
        if zh
        else ["ID", "Name", "Date", "Session ID", "Session", "Result", "Outcome"]
    )
    body = []
    for person in training["people"]:
        for session, attendee in training["history"].get(person.id, []):
            body.append(
                [
                    person.id,
                    _name(site, person.id),
                    site.public[session.id].get("date"),
                    session.id,
                    site.public[session.id].get("title"),
                    _pick(RESULT_NAMES.get(str(attendee.get("result"))), lang, str(attendee.get("result") or "")),
                    attendee.get("note"),
                ]
            )
    return table(header, body)


def files(site: Site, register: list[RiskRow], matrix: dict[str, Any], training: dict[str, Any]) -> dict[str, str]:
    """Every CSV download, keyed by its path under ``docs/``, in both languages."""
    found = {}
    for lang, _ in LANGUAGES:
        found[localized(RISKS, lang)] = risks(site, register, lang)
        found[localized(APPRAISALS, lang)] = appraisals(site, matrix, lang)
        found[localized(TRAINING_SESSIONS, lang)] = training_sessions(site, training, lang)
        found[localized(TRAINING_PEOPLE, lang)] = training_people(site, training, lang)
    return found
