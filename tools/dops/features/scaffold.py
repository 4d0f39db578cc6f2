"""``dops new``: a new record, written from its kind's schema.

The record gets the next free ID of its kind, the day's date where a date is
needed, the few key values the user gives (asked for on a terminal, or passed
as options), and every other field a new record needs as a placeholder that
the ``placeholder-unfilled`` rule refuses until it is replaced. Each field is
preceded by its bilingual title and description, taken from the schema so
that the comments never drift from it, and the first line names the schema
for editors (``# yaml-language-server: $schema=…``).

Nothing here prints or prompts: :func:`plan` validates and builds the text,
:func:`write` writes it without ever replacing a file, and the caller passes
a ``prompt`` function when the user may be asked.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dops.core import inputs, loader
from dops.core.config import Settings
from dops.core.errors import UsageError
from dops.core.kinds import KINDS, kind_of
from dops.core.model import Message, Record, msg
from dops.core.validation import Schema
from dops.rules import engine, review_identity, review_methods
from dops.rules.base import Context, Index, date, period_bounds
from dops.rules.placeholder_unfilled import PLACEHOLDER, placeholder

WIDTH = 100  # comment lines are wrapped to this many terminal columns


class Invalid(UsageError):
    """A key value the user gave cannot be used; the message says why, in both languages."""


class Refused(UsageError):
    """The record cannot be written (its file exists, a value is missing); nothing was written."""


class _Placeholder:
    """Marks a value to be written as the placeholder named after the field's title."""

    def __repr__(self) -> str:
        return "PLACEHOLDER"


FILL = _Placeholder()


# --- the repository as it is ------------------------------------------------------------------


@dataclass
class Repo:
    """Every record read once: the IDs taken, the index rules use, the settings and the day."""

    settings: Settings
    schemas: dict[str, Schema]
    index: Index
    taken: dict[str, str]  # record ID → the first file holding it (repo-relative)
    day: dt.date

    @property
    def context(self) -> Context:
        return Context(
            index=self.index, settings=self.settings, as_of=self.day, config=engine.config_record(self.settings)
        )


def read_repo(settings: Settings, day: dt.date) -> Repo:
    """Read every record once. Broken files still reserve the ID in their name."""
    schemas = engine.load_schemas(settings)
    files = inputs.discover(settings.records_dir) if settings.records_dir.is_dir() else []
    records: list[Record] = []
    taken: dict[str, str] = {}
    for path in files:
        shown = inputs.display_path(path, settings.root)
        taken.setdefault(path.name.rsplit(".", 1)[0], shown)
        record, _ = engine.load_record(path, settings, schemas)
        if record is not None:
            records.append(record)
            taken.setdefault(record.id, shown)
    return Repo(settings, schemas, Index(records), taken, day)


def next_number(repo: Repo, prefix: str, digits: int) -> str:
    """``prefix`` followed by one more than the highest number taken after it (``EMP-0017`` → ``EMP-0018``)."""
    pattern = re.compile(re.escape(prefix) + rf"([0-9]{{{digits}}})\Z")
    numbers = [int(found.group(1)) for taken in repo.taken if (found := pattern.match(taken))]
    number = max(numbers, default=0) + 1
    if number >= 10**digits:
        raise Refused(msg(f"{prefix} 开头的编号已用完。", f"No IDs starting {prefix} are left."))
    return f"{prefix}{number:0{digits}d}"


# --- key values: what is asked for, and how it is checked -------------------------------------

Values = dict[str, Any]


@dataclass(frozen=True)
class Ask:
    """One key value: its option, its prompt, how it is checked, its default."""

    name: str  # the key in Values
    option: str | None  # the command-line option; None: only asked (its default comes from elsewhere)
    prompt: str  # "{choices}" in it lists the values the schema allows at ``choices``
    parse: Callable[[str, Repo, Values], Any]  # raises Invalid
    default: Callable[[Repo, Values], str | None] = lambda repo, values: None
    needed: Callable[[Values], bool] = lambda values: True  # False: may stay empty
    multiple: bool = False  # the option may be given several times (--role a --role b)
    choices: tuple[str, ...] = ()  # kind, then the path to an enum in its schema ("[]" for items)

    def text(self, repo: Repo) -> str:
        return self.prompt.format(choices=", ".join(_choices(repo, *self.choices))) if self.choices else self.prompt


def _text(raw: str, repo: Repo, values: Values) -> str:
    text = raw.strip()
    if not text:
        raise Invalid(msg("不能为空。", "must not be empty."))
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in text):
        raise Invalid(msg("不能含有换行或控制字符。", "must be one line without control characters."))
    if PLACEHOLDER.search(text):
        raise Invalid(msg("请填写实际内容，而不是占位符。", "give the real value, not a placeholder."))
    return text


def _person(raw: str, repo: Repo, *, active: bool = True) -> Record:
    person_id = raw.strip().upper()
    if not re.fullmatch(r"EMP-[0-9]{4}", person_id):
        raise Invalid(
            msg(
                f"“{raw.strip()}” 不是人员编号，格式为 EMP-0000。",
                f"'{raw.strip()}' is not a person ID; person IDs look like EMP-0000.",
            )
        )
    record = repo.index.by_id.get(person_id)
    if record is None or record.kind != "person":
        folder = f"{repo.settings.records}/{KINDS['person'].folder}/"
        raise Invalid(
            msg(
                f"{folder} 中没有人员 {person_id}。请先用 `dops new person` 建立其记录。",
                f"There is no person {person_id} under {folder}. Create their record first with `dops new person`.",
            )
        )
    if active and record.data.get("status") == "left":
        raise Invalid(
            msg(
                f"{person_id} 已于 {record.data.get('left_on', '?')} 离职。",
                f"{person_id} left on {record.data.get('left_on', '?')}.",
            )
        )
    return record


def _roles_of(record: Record) -> list[str]:
    roles = record.data.get("roles")
    return [role for role in roles if isinstance(role, str)] if isinstance(roles, list) else []


def _choices(repo: Repo, kind: str, *path: str) -> list[str]:
    node: Any = repo.schemas[kind].flat
    for step in path:
        node = node["items"] if step == "[]" else node["properties"][step]
    return list(node["enum"])


def _roles(raw: str, repo: Repo, values: Values) -> list[str]:
    allowed = _choices(repo, "person", "roles", "[]")
    given = [part for part in re.split(r"[\s,，、]+", raw.strip()) if part]
    if not given:
        raise Invalid(
            msg(f"至少填写一个角色：{', '.join(allowed)}。", f"give at least one role: {', '.join(allowed)}.")
        )
    unknown = [role for role in given if role not in allowed]
    if unknown:
        raise Invalid(
            msg(
                f"没有角色 {', '.join(unknown)}；可选：{', '.join(allowed)}。",
                f"no role {', '.join(unknown)}; use one of: {', '.join(allowed)}.",
            )
        )
    return list(dict.fromkeys(given))


def _superior(raw: str, repo: Repo, values: Values) -> str | None:
    if not raw.strip():
        if "department_head" in values.get("roles", []):
            return None
        raise Invalid(
            msg(
                "只有部门负责人（department_head）可以没有直接上级。请填写上级的人员编号。",
                "Only the head of department (department_head) has no superior. Give the superior's person ID.",
            )
        )
    return _person(raw, repo).id


def _manager(raw: str, repo: Repo, values: Values) -> str:
    record = _person(raw, repo)
    if "project_manager" not in _roles_of(record):
        raise Invalid(
            msg(
                f"{record.id} 不是项目经理（其角色：{', '.join(_roles_of(record)) or '无'}）。"
                "项目经理须有 project_manager 角色（2.1）。",
                f"{record.id} is not a project manager (roles: {', '.join(_roles_of(record)) or 'none'}). "
                "A project's manager holds the role project_manager (2.1).",
            )
        )
    return record.id


def _customer(raw: str, repo: Repo, values: Values) -> str:
    code = raw.strip().upper()
    if not re.fullmatch(r"C-[0-9]{3}", code):
        raise Invalid(
            msg(
                f"“{raw.strip()}” 不是客户代号，格式为 C-000。",
                f"'{raw.strip()}' is not a customer code; codes look like C-000.",
            )
        )
    return code


def _reviewed(raw: str, repo: Repo, values: Values) -> str:
    return _person(raw, repo, active=False).id


def _period(raw: str, repo: Repo, values: Values) -> str:
    period = raw.strip().upper()
    if not re.fullmatch(r"(19|20|21)[0-9]{2}(Q[1-4])?", period):
        raise Invalid(
            msg(
                f"“{raw.strip()}” 不是考核周期：季度写作 2026Q3，年度写作 2026。",
                f"'{raw.strip()}' is not a period: a quarter is 2026Q3, a year 2026.",
            )
        )
    start, end = period_bounds(period)
    earliest = end - dt.timedelta(days=review_identity.EARLIEST_DAYS)  # the rule's own bound: appraised at the end
    if repo.day < earliest:
        raise Invalid(
            msg(
                f"{period} 要到 {end} 才结束，考核最早在 {earliest} 进行。",
                f"{period} ends on {end}; it is appraised on {earliest} at the earliest.",
            )
        )
    person_id = values.get("person", "")
    person = repo.index.by_id.get(person_id)
    joined = date(person.data.get("joined_on")) if person is not None else None
    if joined is not None and joined > end:
        raise Invalid(
            msg(
                f"{person_id} 于 {joined} 入职，晚于 {period} 结束。",
                f"{person_id} joined on {joined}, after {period} ended.",
            )
        )
    left = date(person.data.get("left_on")) if person is not None else None
    if left is not None and left < start:
        raise Invalid(
            msg(
                f"{person_id} 已于 {left} 离职，早于 {period} 开始。",
                f"{person_id} left on {left}, before {period} began.",
            )
        )
    _unused(f"REV-{values.get('person')}-{period}", repo)
    return period


def _unused(record_id: str, repo: Repo) -> None:
    """Ask again (or stop) at once when the record the key values name exists already."""
    if record_id in repo.taken:
        raise Invalid(_exists(repo.taken[record_id]))


def _exists(shown: str) -> Message:
    return msg(
        f"{shown} 已经存在，不会被覆盖。请直接编辑该文件。",
        f"{shown} already exists and is never overwritten. Edit that file instead.",
    )


def _last_quarter(repo: Repo, values: Values) -> str:
    quarter = (repo.day.month - 1) // 3  # the current quarter, 0-based: the previous one has ended
    return f"{repo.day.year - 1}Q4" if quarter == 0 else f"{repo.day.year}Q{quarter}"


def _project(raw: str, repo: Repo, values: Values) -> str | None:
    if not raw.strip():
        return None
    project_id = raw.strip().upper()
    record = repo.index.by_id.get(project_id)
    if record is None or record.kind != "project":
        raise Invalid(
            msg(
                f"没有项目 {project_id}（项目编号形如 PRJ-2026-001；与项目无关的风险请留空）。",
                f"There is no project {project_id} (project IDs look like PRJ-2026-001; leave it "
                "empty for a risk outside any project).",
            )
        )
    return project_id


def _category(raw: str, repo: Repo, values: Values) -> str:
    allowed = _choices(repo, "risk", "category")
    if raw.strip() not in allowed:
        raise Invalid(
            msg(
                f"没有类别 “{raw.strip()}”；可选：{', '.join(allowed)}。",
                f"no category '{raw.strip()}'; use one of: {', '.join(allowed)}.",
            )
        )
    return raw.strip()


def _plan_item(raw: str, repo: Repo, values: Values) -> str:
    reference = raw.strip().upper()
    if not re.fullmatch(r"TRP-[0-9]{4}/T[0-9]{2}", reference):
        raise Invalid(
            msg(
                f"“{raw.strip()}” 不是培训计划条目，格式为 TRP-年份/T序号，例如 TRP-2026/T03。",
                f"'{raw.strip()}' is not a plan item; plan items look like TRP-2026/T03.",
            )
        )
    if reference not in repo.index.plan_items:
        raise Invalid(
            msg(
                f"培训计划中没有条目 {reference}。培训须按年度计划开展（5.2.1）：请核对编号，或先把它加入计划。",
                f"No training plan holds the item {reference}. Training follows the annual plan "
                "(5.2.1): check the reference, or add the item to the plan first.",
            )
        )
    return reference


def _item_title(repo: Repo, values: Values) -> str | None:
    found = repo.index.plan_items.get(values.get("plan_item", ""))
    return found[0].data["items"][found[1]]["title"] if found else None


def _session_date(raw: str, repo: Repo, values: Values) -> str:
    try:
        day = dt.date.fromisoformat(raw.strip()) if len(raw.strip()) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise Invalid(
            msg(f"“{raw.strip()}” 不是 YYYY-MM-DD 格式的日期。", f"'{raw.strip()}' is not a YYYY-MM-DD date.")
        )
    plan_year = values.get("plan_item", "TRP-0000")[4:8]
    if str(day.year) != plan_year:
        raise Invalid(
            msg(
                f"培训日期在 {day.year} 年，但计划条目属于 {plan_year} 年的计划（5.2.1）。",
                f"The session is in {day.year} but the plan item belongs to the {plan_year} plan (5.2.1).",
            )
        )
    return day.isoformat()


def _year(raw: str, repo: Repo, values: Values) -> int:
    if not re.fullmatch(r"[0-9]{4}", raw.strip()) or not 2000 <= int(raw) <= 2100:
        raise Invalid(msg(f"“{raw.strip()}” 不是年份（2000–2100）。", f"'{raw.strip()}' is not a year (2000–2100)."))
    _unused(f"TRP-{int(raw)}", repo)
    return int(raw)


def _free_year(repo: Repo, values: Values) -> str:
    year = repo.day.year
    while f"TRP-{year}" in repo.taken:
        year += 1
    return str(year)


def _approver(raw: str, repo: Repo, values: Values) -> str:
    return _person(raw, repo).id


def _department_head(repo: Repo, values: Values) -> str | None:
    heads = [
        p.id
        for p in repo.index.valid("person")
        if "department_head" in _roles_of(p) and p.data.get("status") == "active"
    ]
    return heads[0] if len(heads) == 1 else None


ASKS: dict[str, tuple[Ask, ...]] = {
    "person": (
        Ask("name", "--name", "姓名 / Name", _text),
        Ask(
            "roles",
            "--role",
            "岗位角色 / Roles ({choices}; 多个用逗号分隔 / comma-separated)",
            _roles,
            multiple=True,
            choices=("person", "roles", "[]"),
        ),
        Ask(
            "superior",
            "--superior",
            "直接上级 / Superior (EMP-0000)",
            _superior,
            needed=lambda values: "department_head" not in values.get("roles", []),
        ),
    ),
    "project": (
        Ask("name", "--name", "项目名称 / Project name", _text),
        Ask("manager", "--manager", "项目经理 / Project manager (EMP-0000)", _manager),
        Ask("customer", "--customer", "客户代号 / Customer code (C-000)", _customer),
    ),
    "review": (
        Ask("person", "--person", "被考核人 / Person appraised (EMP-0000)", _reviewed),
        Ask("period", "--period", "考核周期 / Period (2026Q3, 2026)", _period, default=_last_quarter),
    ),
    "risk": (
        Ask("title", "--title", "风险名称 / Title", _text),
        Ask(
            "project",
            "--project",
            "所属项目 / Project (PRJ-2026-001; 与项目无关请留空 / empty if none)",
            _project,
            needed=lambda values: False,
        ),
        Ask("category", "--category", "类别 / Category ({choices})", _category, choices=("risk", "category")),
    ),
    "training-plan": (
        Ask("year", "--year", "年度 / Year", _year, default=_free_year),
        Ask("approved_by", "--approved-by", "批准人 / Approved by (EMP-0000)", _approver, default=_department_head),
    ),
    "training-session": (
        Ask("plan_item", "--plan-item", "计划条目 / Plan item (TRP-2026/T03)", _plan_item),
        Ask("title", "--title", "主题 / Topic", _text, default=_item_title),
        # The session's date defaults to the day of --date, so it has no option of its own.
        Ask("date", None, "日期 / Date (YYYY-MM-DD)", _session_date, default=lambda repo, values: repo.day.isoformat()),
    ),
}

#: Every option some kind takes, by the key it fills, for the command line.
OPTIONS: dict[str, Ask] = {ask.name: ask for asks in ASKS.values() for ask in asks if ask.option}

#: ``prompt(text, default, parse)`` asks until ``parse`` accepts the answer (it raises Invalid) and returns
#: what ``parse`` returned; ``default`` None means an answer is needed, "" that it may stay empty.
Prompt = Callable[[str, "str | None", Callable[[str], Any]], Any]


def gather(kind: str, given: dict[str, Any], repo: Repo, prompt: Prompt | None) -> Values:
    """The key values of ``kind``: from ``given`` (options), else asked with ``prompt``, else defaults.

    An option that is given but wrong raises :class:`Invalid` naming it; without
    ``prompt`` a needed value nobody gave raises :class:`Refused` listing the options.
    """
    asks = ASKS[kind]
    names = {ask.name for ask in asks if ask.option}
    stray = [
        OPTIONS[name].option or name for name, value in given.items() if value not in (None, ()) and name not in names
    ]
    takes = ", ".join(ask.option for ask in asks if ask.option)
    if stray:
        raise Refused(
            msg(
                f"{kind} 不接受选项 {', '.join(stray)}。可用的选项：{takes}。",
                f"{', '.join(stray)} does not apply to {kind}; {kind} takes {takes}.",
            )
        )
    values: Values = {}
    missing: list[str] = []
    for ask in asks:
        raw = given.get(ask.name) if ask.option else None
        if isinstance(raw, (tuple, list)):
            raw = ",".join(raw) if raw else None
        if raw is not None:
            try:
                values[ask.name] = ask.parse(raw, repo, values)
            except Invalid as problem:
                raise Invalid(
                    msg(f"{ask.option}：{problem.message.zh}", f"{ask.option}: {problem.message.en}")
                ) from None
            continue
        default = ask.default(repo, values)
        if default is None and not ask.needed(values):
            default = ""  # may stay empty
        if prompt is not None:
            values[ask.name] = prompt(ask.text(repo), default, _parser(ask, repo, values))
        elif default is not None:
            values[ask.name] = ask.parse(default, repo, values)
        else:
            missing.append(ask.option or ask.name)
    if missing:
        raise Refused(
            msg(
                f"缺少 {', '.join(missing)}。使用 --no-input 时，必须通过选项给出这些值。",
                f"Missing {', '.join(missing)}. With --no-input, give these values as options.",
            )
        )
    return values


def _parser(ask: Ask, repo: Repo, values: Values) -> Callable[[str], Any]:
    """``ask.parse`` for one answer, as ``prompt`` calls it."""
    return lambda text: ask.parse(text, repo, values)


# --- what a new record of each kind holds -----------------------------------------------------


def _id_for(kind: str, values: Values, repo: Repo) -> str:
    year = repo.day.year
    if kind == "person":
        return next_number(repo, "EMP-", 4)
    if kind == "review":
        return f"REV-{values['person']}-{values['period']}"
    if kind == "training-plan":
        return f"TRP-{values['year']}"
    if kind == "training-session":
        year = int(values["date"][:4])
    return next_number(repo, f"{KINDS[kind].prefix}{year}-", 3)


def content(kind: str, record_id: str, values: Values, repo: Repo) -> dict[str, Any]:
    """The fields of the new record; the schema adds whatever it requires besides, as placeholders."""
    today = repo.day.isoformat()
    if kind == "person":
        return {
            "id": record_id,
            "name": values["name"],
            "title": FILL,
            "roles": values["roles"],
            **({"superior": values["superior"]} if values.get("superior") else {}),
            "joined_on": today,
            "status": "active",
            "confidentiality_agreement": {"signed_on": today, "reference": FILL},
        }
    if kind == "project":
        return {
            "id": record_id,
            "name": values["name"],
            "phase": "initiation",
            "manager": values["manager"],
            "customer": {"code": values["customer"], "full_name": FILL},
            "started_on": today,
        }
    if kind == "review":
        return _review(record_id, values, repo)
    if kind == "risk":
        return {
            "id": record_id,
            "title": values["title"],
            **({"project": values["project"]} if values.get("project") else {}),
            "category": values["category"],
            "description": FILL,
            "identified_on": today,
            "likelihood": FILL,
            "impact": FILL,
            "status": "open",
        }
    if kind == "training-plan":
        # One item of each form and of each area (5.1.1, 5.1.2); the user gives topics and audiences.
        pairs = zip(
            _choices(repo, kind, "items", "[]", "form"), _choices(repo, kind, "items", "[]", "area"), strict=False
        )
        return {
            "id": record_id,
            "year": values["year"],
            "approved_by": values["approved_by"],
            "approved_on": today,
            "items": [
                {"id": f"T{n:02d}", "title": FILL, "form": form, "area": area, "audience": [FILL]}
                for n, (form, area) in enumerate(pairs, start=1)
            ],
        }
    if kind == "training-session":
        return {
            "id": record_id,
            "plan_item": values["plan_item"],
            "title": values["title"],
            "date": values["date"],
            "methods": [FILL],
            "attendees": [{"person": FILL, "result": FILL}],
            "outcomes": FILL,
        }
    raise KeyError(kind)


def _review(record_id: str, values: Values, repo: Repo) -> dict[str, Any]:
    """A completed appraisal's skeleton: the superior of the period's end, and a customer per project."""
    today = repo.day.isoformat()
    context = repo.context
    person, period = values["person"], values["period"]
    superior, _, _ = context.superior_on(person, period_bounds(period)[1])
    data: dict[str, Any] = {
        "id": record_id,
        "person": person,
        "period": period,
        "status": "completed",
        "completed_on": today,
        "indicators": {name: {"score": FILL} for name in ("results", "ability", "attitude")},
        "assessments": {
            "self": {"date": today, "summary": FILL},
            "superior": {"assessor": superior or FILL, "date": today, "summary": FILL},
            "peers": [{"assessor": FILL, "date": today, "summary": FILL}],
        },
        "outcome": {"grade": FILL},
    }
    # Which customer projects need an assessment is the review-methods rule's decision: ask it, so
    # that the scaffold and the check cannot disagree.
    projects = [project.id for project, _ in review_methods.customer_projects(context, person, period)]
    if projects:
        data["assessments"]["customers"] = [
            {"date": today, "summary": FILL, "project": project} for project in dict.fromkeys(projects)
        ]
    return data


# --- the YAML text ----------------------------------------------------------------------------

_CLOSING = set("，。；：、）」』！？,.;:)")  # never starts a line
_WIDE = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"  # CJK characters and punctuation: one token each
_TOKENS = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+|\\s+")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns; Chinese breaks between characters, English between words."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        line = ""
        for token in _TOKENS.findall(paragraph):
            if token.isspace():
                line += " " if line else ""
                continue
            if line and _width(line.rstrip() + token) > width and token[0] not in _CLOSING:
                lines.append(line.rstrip())
                line = ""
            line += token
        if line.strip():
            lines.append(line.rstrip())
    return lines


def _plain_is_safe(text: str) -> bool:
    if not text or text != text.strip() or text.lower() in _YAML11_WORDS:
        return False
    if re.fullmatch(r"[-+0-9._:eE]+", text) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return False  # YAML 1.1 editors would read 1:20 or 0755 as numbers
    parsed = loader.parse(f"k: {text}\n".encode(), 1 << 20)
    return isinstance(parsed, loader.Document) and parsed.data == {"k": text}


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return text if _plain_is_safe(text) else json.dumps(text, ensure_ascii=False)


def _title(node: dict[str, Any]) -> tuple[str, str]:
    zh, _, en = str(node.get("title", "")).partition(" / ")
    return zh or "?", en or zh or "?"


def _comment(node: dict[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    title = node.get("title", "")
    clauses = node.get("x-clauses", [])
    head = f"{title}  [{', '.join(clauses)}]" if clauses else title
    lines = [f"{pad}# {head}"] if head else []
    for paragraph in str(node.get("description", "")).split("\n\n"):
        lines += [f"{pad}# {line}" for line in wrap(paragraph, WIDTH - indent - 2)]
    allowed = node.get("enum") or (node.get("items") or {}).get("enum")
    if allowed:
        lines += [
            f"{pad}# {line}" for line in wrap("可选 / one of: " + ", ".join(map(str, allowed)), WIDTH - indent - 2)
        ]
    return lines


def _fill(node: dict[str, Any]) -> Any:
    """A placeholder value shaped as ``node`` asks: a mapping, a list of one item, or a scalar."""
    if node.get("type") == "object" or "properties" in node:
        return {}
    if node.get("type") == "array":
        return [_fill(node.get("items") or {})]
    return FILL


def _mapping(data: dict[str, Any], node: dict[str, Any], indent: int, comments: bool) -> list[str]:
    """``data`` in the schema's field order; required fields it lacks are added as placeholders."""
    lines: list[str] = []
    properties = node.get("properties", {})
    required = node.get("required", [])
    for key, child in properties.items():
        if key not in data and key not in required:
            continue
        value = data[key] if key in data else _fill(child)
        if comments and indent == 0 and lines:
            lines.append("")  # top-level fields stand apart
        if comments:
            lines += _comment(child, indent)
        lines += _entry(key, value, child, indent, comments)
    for key in data:
        if key not in properties:
            raise KeyError(f"{key} is not a field of the schema")
    return lines


def _entry(key: str, value: Any, node: dict[str, Any], indent: int, comments: bool) -> list[str]:
    pad = " " * indent
    if value is FILL and node.get("type") == "array":
        value = _fill(node)
    if value is FILL:
        zh, en = _title(node)
        return [f"{pad}{key}: {scalar(placeholder(zh, en))}"]
    if isinstance(value, dict):
        return [f"{pad}{key}:", *_mapping(value, node, indent + 2, comments)]
    if isinstance(value, list):
        items = node.get("items") or {}
        lines = [f"{pad}{key}:"]
        for position, item in enumerate(value):
            if isinstance(item, dict):
                # Comment the fields of the first item only: the others repeat them.
                block = _mapping(item, items, indent + 4, comments and position == 0)
                first = next(i for i, line in enumerate(block) if not line.lstrip().startswith("#"))
                block[first] = f"{pad}  - {block[first][indent + 4 :]}"
                lines += block
            else:
                zh, en = _title(node)
                lines.append(f"{pad}  - {scalar(placeholder(zh, en) if item is FILL else item)}")
        return lines
    return [f"{pad}{key}: {scalar(value)}"]


def render(data: dict[str, Any], schema: Schema, modeline: str, shown: str, day: dt.date) -> str:
    """The record's YAML: modeline, a header, every field with its comment, then the other fields."""
    flat = schema.flat
    zh, en = _title(flat)
    header = [
        f"# yaml-language-server: $schema={modeline}",
        f"# {zh} / {en} {data['id']}：由 dops new 于 {day} 生成 / written by dops new on {day}.",
        *[f"# {line}" for part in str(flat.get("description", "")).split("\n\n") for line in wrap(part, WIDTH - 2)],
        '# 请把每个 "<填写…>" 换成实际内容，然后运行 / Replace every "<填写…>" with the real value, then run:',
        f"#   dops check {shown}",
        "",
    ]
    body = _mapping(data, flat, 0, True)
    others = [name for name in flat.get("properties", {}) if name not in data]
    footer: list[str] = []
    if others:
        footer = ["", "# 其他字段，适用时再添加 / Other fields, to add when they apply:"]
        footer += [f"#   {name}: {flat['properties'][name].get('title', '')}" for name in others]
    return "\n".join(header + body + footer) + "\n"


# --- planning and writing ---------------------------------------------------------------------


@dataclass
class NewRecord:
    kind: str
    id: str
    path: Path
    shown: str  # repo-relative
    text: str
    placeholder_lines: list[int] = field(default_factory=list)


def plan(
    settings: Settings, kind_name: str, given: dict[str, Any], day: dt.date, prompt: Prompt | None = None
) -> NewRecord:
    """Validate the key values and build the record; nothing is written.

    Raises :class:`Invalid` for a wrong value given as an option, :class:`Refused`
    when a needed value is missing or the record's ID is taken, and
    ``engine.SchemaProblem`` when a schema cannot be read.
    """
    kind = KINDS[kind_name]
    repo = read_repo(settings, day)
    values = gather(kind_name, given, repo, prompt)
    record_id = _id_for(kind_name, values, repo)
    folder = settings.records_dir / kind.folder
    path = folder / f"{record_id}.yaml"
    shown = inputs.display_path(path, settings.root)
    holder = repo.taken.get(record_id) or (shown if path.exists() else None)
    if holder is not None:
        raise Refused(_exists(holder))
    modeline = os.path.relpath(settings.schemas_dir / kind.schema_file, folder).replace(os.sep, "/")
    text = render(content(kind_name, record_id, values, repo), repo.schemas[kind_name], modeline, shown, day)
    parsed = loader.parse(text.encode("utf-8"), settings.max_file_bytes)
    if not isinstance(parsed, loader.Document) or kind_of(record_id) is not kind:
        raise AssertionError(f"the scaffold of {record_id} does not load: {parsed}")  # a bug of ours
    lines = [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if not line.lstrip().startswith("#") and PLACEHOLDER.search(line)
    ]
    return NewRecord(kind_name, record_id, path, shown, text, lines)


def write(new: NewRecord) -> None:
    """Write the file atomically, never replacing one: Refused if it appeared meanwhile."""
    new.path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - written in the `with` below; its name outlives it for the link
        "w", encoding="utf-8", dir=new.path.parent, prefix=f".{new.id}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(new.text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)  # a temporary file is private; a record is not
        try:
            os.link(handle.name, new.path)  # atomic, and fails rather than replace a file
        except FileExistsError:
            raise Refused(_exists(new.shown)) from None
        except OSError:  # a file system without hard links
            if new.path.exists():
                raise Refused(_exists(new.shown)) from None
            os.replace(handle.name, new.path)
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
