"""Shortcomings found in an appraisal are recorded and answered by matching training, held and attended (4.4.3).

Where an appraisal finds a shortcoming, the employee is given matching
training. The rule states, for each review, these duties, all owed by the
person's superior on the period's last day (the reviewer):

- ``low-scores``: a completed review with a low result records at least
  one shortcoming. A result is low when any of the three indicator scores
  (1 to 5) is 2 or less, below "satisfactory", or the grade is D ("needs
  improvement"). Otherwise it is met all the same (recording shortcomings
  is then up to the reviewer): the duty's state must not tell whether a
  result was low.

- ``training-assigned``: each entry in ``shortcomings`` names the
  ``training`` plan item assigned (e.g. ``TRP-2026/T05``). The item must
  address the same area as the shortcoming (skills, management or
  communication: a communication shortcoming is not answered by a skills
  course) and come from the plan of the review's year or a later one. A
  review still in progress may lack the training until the appraisal is due
  (``review_grace_days`` after the period); a training named there is
  checked all the same. Not applicable without shortcomings.

- ``training:<item>``, for each plan item so assigned: the training is held
  and the employee attends it. A session of the item (``records/trainings/``
  ``TRS-…``, ``plan_item``) must list the person among its attendees with a
  result other than ``absent``, dated no earlier than 30 days before the
  period ended (when the appraisal can first have found the shortcoming:
  an earlier session does not answer it). It falls due at the end of the
  plan's year plus ``training_carry_over_days`` (``dops.yaml``, 31 by
  default: the days a plan item may slip into the next year) and is
  overdue after that. Not applicable once the person has left without
  attending.

Scores, grades and shortcomings are confidential (8.1): the findings name
the fields, never their values. A reference to an item that does not exist
is reported by the references rule.

Failing::

    id: REV-EMP-0003-2026Q3
    status: completed
    indicators: {results: {score: 4}, ability: {score: 2}, attitude: {score: 4}}
    # no shortcomings, though one score is low

    id: REV-EMP-0007-2026Q3
    status: completed
    shortcomings:
      - {area: communication, description: 向客户汇报不够及时}
      - {area: communication, description: 会议纪要不完整, training: TRP-2026/T01}  # T01 is a skills course
      - {area: skills, description: 对新版数据库不熟悉, training: TRP-2026/T04}
        # no session of T04 attended by EMP-0007, checked on 2027-02-05 (due 2027-01-31)

Passing::

    id: REV-EMP-0007-2026Q3
    status: completed
    shortcomings:
      - {area: communication, description: 向客户汇报不够及时, training: TRP-2026/T02}  # T02: communication
    # records/trainings/TRS-2026-012.yaml
    plan_item: TRP-2026/T02
    date: 2026-10-29
    attendees: [{person: EMP-0007, result: completed}]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dops.core.model import Message, Record, msg
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, pending, period_bounds
from dops.rules.review_due import due_on, reviewer
from dops.rules.review_identity import EARLIEST_DAYS

DOC_ZH = """考核发现的不足须记录下来，并安排对应的培训，培训须举办且员工须参加（4.4.3）。

考核发现不足时，要为员工提供相应的培训。规则为每条考核列出以下义务，均由被考核人在
周期最后一天的上级（即考核人）负责：

- ``low-scores``：考核结果偏低的已完成考核，至少记录一项不足。三项指标评分（1–5 分）
  中任何一项为 2 分或以下（低于“合格”），或考核等级为 D（待改进），即为偏低。结果不
  偏低时同样视为已履行（是否记录不足由考核人决定）：义务的状态不能透露结果是否偏低。

- ``training-assigned``：``shortcomings`` 中的每一项都要在 ``training`` 中写明所安排的
  培训计划条目（例如 ``TRP-2026/T05``）。该条目针对的方面必须与这项不足相同（专业技能、
  管理能力或沟通技巧：沟通方面的不足，不能用专业技能课程来弥补），而且必须来自考核
  当年或以后年份的培训计划。考核仍在进行中时，培训可以暂不安排，直到考核到期（周期
  结束后 ``review_grace_days`` 天）；但只要写了培训，同样会检查。没有不足时不适用。

- ``training:<条目>``，每个这样安排的计划条目一项：培训须举办，员工须参加。该条目的
  某次培训（``records/trainings/`` 中的 ``TRS-…``，``plan_item``）的参加人中须有此人，
  结果不是 ``absent``（缺席），且日期不早于周期结束前 30 天（考核最早在这时才能发现
  不足：更早的培训不算对这项不足的回应）。到期日为培训计划所属年度年末再加
  ``training_carry_over_days`` 天（``dops.yaml``，默认 31 天：计划条目可顺延到次年的
  天数），过期即逾期。员工未参加培训就已离职的，不再适用。

评分、等级和不足的内容都保密（8.1）：检查结果只指出字段，不写出其中的值。引用的条目
不存在时，由 ``references`` 规则报出。

不合规示例::

    id: REV-EMP-0003-2026Q3
    status: completed
    indicators: {results: {score: 4}, ability: {score: 2}, attitude: {score: 4}}
    # 有一项评分偏低，却没有记录不足（shortcomings）

    id: REV-EMP-0007-2026Q3
    status: completed
    shortcomings:
      - {area: communication, description: 向客户汇报不够及时}
      - {area: communication, description: 会议纪要不完整, training: TRP-2026/T01}  # T01 是专业技能课程
      - {area: skills, description: 对新版数据库不熟悉, training: TRP-2026/T04}
        # 检查日期 2027-02-05（应在 2027-01-31 前参加）：没有 EMP-0007 参加 T04 的培训记录

合规示例::

    id: REV-EMP-0007-2026Q3
    status: completed
    shortcomings:
      - {area: communication, description: 向客户汇报不够及时, training: TRP-2026/T02}  # T02：沟通技巧
    # records/trainings/TRS-2026-012.yaml
    plan_item: TRP-2026/T02
    date: 2026-10-29
    attendees: [{person: EMP-0007, result: completed}]
"""

ID = "review-shortcomings-training"
CONFIDENTIAL = True  # reads confidential results: the site shows a neutral text; skipped without the key
CLAUSES = ("4.4.3",)
SEVERITY = "error"
TITLE = msg(
    "考核发现的不足都有记录，并安排、举办了对应的培训且本人参加",
    "Shortcomings found in appraisals are recorded and answered by matching training, held and attended",
)
KINDS = ("review",)

AREAS = {
    "skills": msg("专业技能", "skills"),
    "management": msg("管理能力", "management"),
    "communication": msg("沟通技巧", "communication"),
}
#: An indicator score at or below this (on the schema's 1–5 scale) is low: below "satisfactory".
LOW_SCORE = 2
#: The grade that is low by itself: D, "needs improvement".
LOW_GRADE = "D"

WHAT_LOW = msg("考核结果偏低时记录不足", "Record the shortcomings behind a low appraisal result")
WHAT_ASSIGNED = msg("为考核发现的不足安排对应的培训", "Assign matching training for each shortcoming found")


def _what_training(reference: str) -> Message:
    return msg(f"举办培训 {reference} 并由员工参加", f"Hold training {reference} and have the employee attend")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second record with the same ID is the duplicate-id rule's finding
    owner = reviewer(ctx, record.data["person"], record.data["period"])
    yield _low_scores(record, owner)
    yield _assigned(record, ctx, owner)
    yield from _attended(record, ctx, owner)


def is_low(record: Record) -> bool:
    """Whether the review's result is low: an indicator score of ``LOW_SCORE`` or less, or grade ``LOW_GRADE``."""
    scores = [
        indicator.get("score")
        for indicator in record.get("indicators", default={}).values()
        if isinstance(indicator, dict)
    ]
    low_score = any(isinstance(score, int) and score <= LOW_SCORE for score in scores)
    return low_score or record.get("outcome", "grade") == LOW_GRADE


def _low_scores(record: Record, owner: str | None) -> Duty:
    if record.get("status") != "completed":
        why = msg("考核仍在进行中：完成时再检查。", "The appraisal is still in progress: it is checked once completed.")
        return not_applicable(record, ("status",), "low-scores", WHAT_LOW, why, owner)
    # Met, not "not applicable", when the result is not low: the state must not tell whether it was (8.1).
    problems = []
    if is_low(record) and not record.get("shortcomings"):
        problems.append(
            Problem(
                record,
                ("indicators",),
                msg(
                    f"考核结果偏低（有指标评分在 {LOW_SCORE} 分或以下，或等级为 {LOW_GRADE}），但没有记录任何不足。"
                    "请在 shortcomings 中写明发现的不足及其方面，并为每项安排培训。",
                    f"The appraisal result is low (an indicator scored {LOW_SCORE} or less, or the grade is "
                    f"{LOW_GRADE}) but records no shortcoming. Record the shortcomings found, with their area, "
                    "under shortcomings, and assign training for each.",
                ),
            )
        )
    return duty(record, ("shortcomings",), "low-scores", WHAT_LOW, owner, problems)


def _item(ctx: Context, reference: str) -> tuple[Record, int, dict[str, Any]] | None:
    found = ctx.index.plan_items.get(reference)
    if found is None:
        return None
    plan, index = found
    return plan, index, plan.data["items"][index]


def _assigned(record: Record, ctx: Context, owner: str | None) -> Duty:
    shortcomings = record.get("shortcomings", default=[])
    if not shortcomings:
        why = msg("考核没有记录不足。", "The appraisal records no shortcoming.")
        return not_applicable(record, ("shortcomings",), "training-assigned", WHAT_ASSIGNED, why, owner)
    completed = record.get("status") == "completed"
    year = int(record.data["period"][:4])
    wrong: list[Problem] = []
    missing: list[Problem] = []
    for index, shortcoming in enumerate(shortcomings):
        area = AREAS[shortcoming["area"]]
        reference = shortcoming.get("training")
        if reference is None:
            missing.append(
                Problem(
                    record,
                    ("shortcomings", index),
                    msg(
                        f"考核发现了{area.zh}方面的不足，但没有安排培训。请从培训计划中选一项{area.zh}培训，"
                        "填写到 training（例如 TRP-2026/T05）。",
                        f"The appraisal found a shortcoming in {area.en} but assigns no training. Pick a {area.en} "
                        "item from the training plan and fill in training (e.g. TRP-2026/T05).",
                    ),
                )
            )
            continue
        found = _item(ctx, reference)
        if found is None:  # an unknown plan item is the references rule's finding
            continue
        plan, item_index, item = found
        if plan.data["year"] < year:
            wrong.append(
                Problem(
                    record,
                    ("shortcomings", index, "training"),
                    msg(
                        f"安排的培训 {reference} 出自 {plan.data['year']} 年的培训计划，早于考核年度 {year}，"
                        f"已无法参加。请从 {year} 年或之后的培训计划中安排培训。",
                        f"The training assigned, {reference}, is from the {plan.data['year']} plan, before the "
                        f"appraisal's year {year}, and can no longer be attended. Assign an item from the plan for "
                        f"{year} or later.",
                    ),
                    related=plan,
                    related_path=("year",),
                )
            )
        if item["area"] != shortcoming["area"]:
            offered = AREAS[item["area"]]
            wrong.append(
                Problem(
                    record,
                    ("shortcomings", index, "training"),
                    msg(
                        f"不足在于{area.zh}，但安排的培训 {reference}（{item['title']}）属于{offered.zh}方面。"
                        f"请改为一项{area.zh}方面的培训。",
                        f"The shortcoming is in {area.en}, but the training assigned, {reference} "
                        f"({item['title']}), is a {offered.en} course. Assign a {area.en} item instead.",
                    ),
                    related=plan,
                    related_path=("items", item_index, "area"),
                )
            )
    if completed or wrong:
        return duty(record, ("shortcomings",), "training-assigned", WHAT_ASSIGNED, owner, wrong + missing)
    if missing:
        due = due_on(ctx, record.data["period"])
        return pending(record, ("shortcomings",), "training-assigned", WHAT_ASSIGNED, owner, due, missing)
    return duty(record, ("shortcomings",), "training-assigned", WHAT_ASSIGNED, owner)


def _attended(record: Record, ctx: Context, owner: str | None) -> Iterator[Duty]:
    person_id, period = record.data["person"], record.data["period"]
    year = int(period[:4])
    since = period_bounds(period)[1] - dt.timedelta(days=EARLIEST_DAYS)
    carry_over = dt.timedelta(days=ctx.settings.cadence("training_carry_over_days"))
    person = ctx.index.get(person_id, "person")
    left = date(person.get("left_on")) if person is not None and person.get("status") == "left" else None
    seen: set[str] = set()
    for index, shortcoming in enumerate(record.get("shortcomings", default=[])):
        reference = shortcoming.get("training")
        found = _item(ctx, reference) if reference else None
        if reference is None or reference in seen or found is None:
            continue
        plan, item_index, item = found
        if plan.data["year"] < year or item["area"] != shortcoming["area"]:
            continue  # a wrong assignment is the training-assigned duty's finding: fix it first
        seen.add(reference)
        subject, what, at = f"training:{reference}", _what_training(reference), ("shortcomings", index, "training")
        due = dt.date(plan.data["year"], 12, 31) + carry_over
        attended = [
            session
            for session in ctx.index.sessions_by_item.get(reference, [])
            if (held := date(session.data["date"])) is not None
            and held >= since
            and any(a["person"] == person_id and a["result"] != "absent" for a in session.data["attendees"])
        ]
        if attended:
            yield duty(record, at, subject, what, owner, due=due)
            continue
        if left is not None:
            why = msg(
                f"{person_id} 已于 {left} 离职，未参加培训 {reference}。",
                f"{person_id} left on {left} without attending {reference}.",
            )
            yield not_applicable(record, at, subject, what, why, owner)
            continue
        late = Problem(
            record,
            at,
            msg(
                f"为考核（{period}）发现的不足安排的培训 {reference}（{item['title']}）最迟应于 {due} 前参加，"
                f"但至今（{ctx.as_of}）没有 {person_id} 在 {since} 之后参加该培训的记录。请举办该培训并安排其参加，"
                "在培训记录（records/trainings/TRS-…）中写明参加人和结果。",
                f"The training {reference} ({item['title']}) assigned for a shortcoming found in the {period} "
                f"appraisal was to be attended by {due}, but as of {ctx.as_of} no session of it since {since} "
                f"lists {person_id} as attending. Hold the training, have them attend, and record the session "
                "(records/trainings/TRS-…) with its attendees and results.",
            ),
            related=plan,
            related_path=("items", item_index),
        )
        yield pending(record, at, subject, what, owner, due, late)
