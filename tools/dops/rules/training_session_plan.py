"""A training session delivers an item of its year's plan, to current staff, once per attendee (5.2.1, 5.2.3).

Training is organised according to the annual plan, so a session held in
2026 delivers an item of the 2026 plan (``plan_item: TRP-2026/T03``). A
plan item may slip into the first days of the next year: a session held up
to ``cadences.training_carry_over_days`` days (``dops.yaml``, 31 by default)
after its plan year's end still delivers that year's item; one held later,
or before the plan year, does not. The session is the training archive's
entry for each attendee: every person is listed once, with their result and
outcome, and only people still on the staff that day: an attendee who had
left before the session (``status: left``, ``left_on`` before its date)
cannot have attended. (Whether the plan item and the attendees exist is
checked by ``references``.) The session's ``organiser`` answers for it;
without one, HR does (``responsible.hr``, by default the head of
department).

Failing::

    id: TRS-2027-001
    plan_item: TRP-2026/T03     # a 2026 item, more than 31 days into 2027
    date: 2027-02-18
    attendees:
      - {person: EMP-0003, result: passed}
      - {person: EMP-0003, result: completed}   # listed twice
      - {person: EMP-0009, result: completed}   # left on 2026-06-26

Passing::

    id: TRS-2027-001
    plan_item: TRP-2026/T03     # a 2026 item, carried over into January
    date: 2027-01-14
    organiser: EMP-0002
    attendees:
      - {person: EMP-0003, result: passed}
      - {person: EMP-0004, result: completed}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Duty, Problem, date, duty

DOC_ZH = """每次培训活动都须落实当年培训计划中的一项，参加人是在职员工，每人只记录一次（5.2.1、5.2.3）。

培训要按照年度培训计划组织开展，因此 2026 年举办的培训，落实的是 2026 年计划中的一项
（``plan_item: TRP-2026/T03``）。计划中的培训可以顺延到次年年初：在计划年度结束后
``cadences.training_carry_over_days`` 天（``dops.yaml``，默认 31 天）之内举办的培训，
仍可落实该年度计划中的一项；更晚举办的，或在计划年度之前举办的，都不可以。
培训活动记录就是每位参加人在培训档案中的条目：每个人只列一次，写明其培训结果和学习成果，
而且只能是培训当天仍在职的人员：培训之前已离职（``status: left``、``left_on`` 早于培训日期）
的人不可能参加。（计划中的这一项和参加人是否存在，由 ``references`` 检查。）
培训活动由其组织人（``organiser``）负责；没有填写的，由人力资源（``responsible.hr``，
默认部门负责人）负责。

不合规示例::

    id: TRS-2027-001
    plan_item: TRP-2026/T03     # 2026 年计划中的一项，却在 2027 年顺延期过后才举办
    date: 2027-02-18
    attendees:
      - {person: EMP-0003, result: passed}
      - {person: EMP-0003, result: completed}   # 重复列出
      - {person: EMP-0009, result: completed}   # 已于 2026-06-26 离职

合规示例::

    id: TRS-2027-001
    plan_item: TRP-2026/T03     # 2026 年计划中的一项，顺延到次年 1 月举办
    date: 2027-01-14
    organiser: EMP-0002
    attendees:
      - {person: EMP-0003, result: passed}
      - {person: EMP-0004, result: completed}
"""

ID = "training-session-plan"
CLAUSES = ("5.2.1", "5.2.3")
SEVERITY = "error"
TITLE = msg(
    "培训按当年的培训计划开展，参加人是在职员工且记录不重复",
    "Sessions deliver an item of their year's plan and list each attendee, still on the staff, once",
)
KINDS = ("training-session",)


WHAT_PLAN = msg("按年度培训计划组织培训", "Deliver an item of the year's training plan")
WHAT_ATTENDEES = msg("在培训档案中记录每位参加人", "Record each attendee in the training archive")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second file with the same ID: duplicate-id reports it, its duties are the first file's
    organiser = record.get("organiser")
    owner = organiser if isinstance(organiser, str) and organiser else ctx.hr
    yield duty(record, ("plan_item",), "plan_item", WHAT_PLAN, owner, _plan_problems(record, ctx), clauses=("5.2.1",))
    yield duty(
        record,
        ("attendees",),
        "attendees",
        WHAT_ATTENDEES,
        owner,
        _attendee_problems(record, ctx),
        clauses=("5.2.3",),
    )


def _plan_problems(record: Record, ctx: Context) -> Iterator[Problem]:
    item = record.data["plan_item"]
    plan_id = item.split("/", 1)[0]
    plan_year = int(plan_id[4:8])
    held = date(record.data["date"])
    if held is None or held.year == plan_year:
        return
    carry_over = ctx.settings.cadence("training_carry_over_days")
    last_day = dt.date(plan_year, 12, 31) + dt.timedelta(days=carry_over)
    if plan_year < held.year and held <= last_day:
        return  # carried over into the first days of the next year
    plan = ctx.index.by_id.get(plan_id)
    related = plan if plan is not None and plan.kind == "training-plan" else None
    if held.year > plan_year:
        text = msg(
            f"培训于 {held} 举办，却引用了 {plan_year} 年度培训计划的条目 {item}。年度计划中的培训最迟可顺延到"
            f"次年的 {last_day}（年度结束后 {carry_over} 天）：请核对培训日期，或改为引用 {held.year} 年度计划"
            f"（TRP-{held.year}）中的条目。",
            f"The session was held on {held} but delivers {item}, an item of the {plan_year} plan. A plan's "
            f"items may slip into the next year until {last_day} ({carry_over} days after the plan year's end): "
            f"check the date, or cite an item of the {held.year} plan (TRP-{held.year}).",
        )
    else:
        text = msg(
            f"培训于 {held} 举办，却引用了 {plan_year} 年度培训计划的条目 {item}。培训应按当年的计划开展：请核对"
            f"培训日期，或改为引用 {held.year} 年度计划（TRP-{held.year}）中的条目。",
            f"The session was held on {held} but delivers {item}, an item of the {plan_year} plan. Sessions "
            f"follow their year's plan: check the date, or cite an item of the {held.year} plan "
            f"(TRP-{held.year}).",
        )
    yield Problem(record, ("date",), text, related=related, related_path=("year",), clauses=("5.2.1",))


def _attendee_problems(record: Record, ctx: Context) -> Iterator[Problem]:
    held = date(record.data["date"])
    seen: set[str] = set()
    for index, attendee in enumerate(record.data["attendees"]):
        person = attendee["person"]
        if person in seen:
            yield Problem(
                record,
                ("attendees", index, "person"),
                msg(
                    f"{person} 在参加人名单中出现了不止一次。培训档案中每人只记录一条，结果和学习成果写在同一条里："
                    "请合并或删除重复的条目。",
                    f"{person} is listed more than once among the attendees. The archive holds one entry per "
                    "person with their result and outcome: merge or remove the repeated entry.",
                ),
                clauses=("5.2.3",),
            )
        seen.add(person)
        known = ctx.index.get(person, "person")
        left_on = date(known.get("left_on")) if known is not None and known.get("status") == "left" else None
        if known is not None and held is not None and left_on is not None and left_on < held:
            name = known.data["name"]
            yield Problem(
                record,
                ("attendees", index, "person"),
                msg(
                    f"{person}（{name}）已于 {left_on} 离职，不可能参加 {held} 的培训。"
                    "培训档案只记录实际参加的在职员工：请删除该条目，或核对人员编号和培训日期。",
                    f"{person} ({name}) left on {left_on} and cannot have attended the session on {held}. The "
                    "archive records the staff who actually attended: remove the entry, or check the person ID "
                    "and the date.",
                ),
                related=known,
                related_path=("left_on",),
                clauses=("5.2.3",),
            )
