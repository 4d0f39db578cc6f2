"""The responses to an open risk are checked regularly and followed up (7.3.2).

While a risk is open, each response measure is checked for how it is carried
out and whether it works, at least every ``cadences.response_check_days``
days (``dops.yaml``, 30 by default). The clock runs from the response's
latest check (``checks[].date``); for a response never checked, from its
due date, else from the day the risk was identified. A response whose
latest check found it ineffective (``effective: false``) needs a follow-up:
another response of the risk checked or due after that check, or added
after it (listed later and not yet dated). Once an ineffective response has
been followed up, the follow-up carries on and the old response is no longer
due for checks.

Each response of an open risk is a duty of its ``owner`` (else of the risk's
owner): its next check falls due ``response_check_days`` after the latest
check (or after its due date, or the risk's identification), shows as due
soon before that day and is reported as overdue after it. Following up an
ineffective response is the risk owner's duty (else the project manager's):
deciding on a new measure is theirs. A closed risk needs no more checks.

Failing (checked on 2026-11-24)::

    status: open
    responses:
      - id: R1
        due: 2026-08-01
        checks:
          - {date: 2026-09-01, effective: false}   # over 30 days ago, and not followed up

Passing (checked on 2026-11-24)::

    status: open
    responses:
      - id: R1
        checks:
          - {date: 2026-09-01, effective: false}
      - id: R2                                    # the follow-up
        due: 2026-11-10
        checks:
          - {date: 2026-11-15, effective: true}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dops.core.model import Message, Path, Record, msg
from dops.rules._risk import response_owner, risk_owner
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, pending

DOC_ZH = """未关闭风险的应对措施须定期检查，无效的措施须跟进（7.3.2）。

风险未关闭期间，每项应对措施的执行情况和效果至少每 ``cadences.response_check_days``
天（``dops.yaml``，默认 30 天）检查一次。从该措施最近一次检查（``checks[].date``）
起计算；从未检查过的措施，从其截止日期起计算，没有截止日期的，从风险识别之日起计算。
最近一次检查认定无效（``effective: false``）的措施需要跟进：该风险的另一项措施在那次
检查之后做过检查或到期，或者是在那之后新增的（列在后面，尚未填写日期）。
无效的措施有了跟进之后，由跟进措施接着执行，原来的措施不再需要检查。

未关闭风险的每项应对措施都是其执行人（``owner``，没有的由风险负责人）的一项义务：
下一次检查在最近一次检查之后（从未检查的，在截止日期或风险识别之后）
``response_check_days`` 天到期，到期前显示为即将到期，过期即报为逾期。
跟进无效的措施由风险负责人（没有的由项目经理）负责：是否调整措施由他们决定。
已关闭的风险不再需要检查。

不合规示例（检查日期 2026-11-24）::

    status: open
    responses:
      - id: R1
        due: 2026-08-01
        checks:
          - {date: 2026-09-01, effective: false}   # 已超过 30 天，且没有跟进

合规示例（检查日期 2026-11-24）::

    status: open
    responses:
      - id: R1
        checks:
          - {date: 2026-09-01, effective: false}
      - id: R2                                    # 跟进措施
        due: 2026-11-10
        checks:
          - {date: 2026-11-15, effective: true}
"""

ID = "risk-response-checked"
CLAUSES = ("7.3.2",)
SEVERITY = "warning"
TITLE = msg(
    "定期检查风险应对措施的执行情况，无效的措施要跟进",
    "Risk responses are checked regularly and ineffective ones followed up",
)
KINDS = ("risk",)


def _latest(response: dict[str, Any]) -> tuple[int, dt.date] | None:
    """(index, date) of the response's latest check; the later entry wins a tie."""
    best: tuple[int, dt.date] | None = None
    for index, check_ in enumerate(response.get("checks") or []):
        when = date(check_["date"])
        if when and (best is None or when >= best[1]):
            best = (index, when)
    return best


def _followed_up(responses: list[dict[str, Any]], at: int, since: dt.date) -> bool:
    for index, other in enumerate(responses):
        if index == at:
            continue
        dates = [date(c["date"]) for c in other.get("checks") or []]
        due = date(other.get("due"))
        if any(d and d > since for d in dates) or (due and due > since):
            return True
        if index > at and not dates and due is None:
            return True
    return False


WHAT_CHECKS = msg("定期检查风险应对措施", "Check the risk's responses regularly")


def _what(rid: str) -> Message:
    return msg(f"检查应对措施 {rid} 的执行情况", f"Check how response {rid} is carried out")


def _what_follow_up(rid: str) -> Message:
    return msg(f"跟进无效的应对措施 {rid}", f"Follow up the ineffective response {rid}")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second file with the same ID: duplicate-id reports it, its duties are the first file's
    responses = record.get("responses", default=[])
    if record.data["status"] != "open":
        why = msg("风险已关闭，应对措施不再需要检查。", "The risk is closed: its responses need no further checks.")
        yield not_applicable(record, ("status",), "checks", WHAT_CHECKS, why, risk_owner(record, ctx))
        return
    if not responses:
        why = msg(
            "该风险还没有应对措施，没有可检查的内容（是否需要应对措施，由 risk-focus 检查）。",
            "The risk has no response yet, so there is nothing to check (risk-focus asks for responses).",
        )
        yield not_applicable(record, ("status",), "checks", WHAT_CHECKS, why, risk_owner(record, ctx))
        return
    days = ctx.settings.cadence("response_check_days")
    seen: dict[str, int] = {}
    for index, response in enumerate(responses):
        # A response ID used twice (risk-focus reports it) still gives each response its own duty.
        seen[response["id"]] = seen.get(response["id"], 0) + 1
        rid = response["id"] if seen[response["id"]] == 1 else f"{response['id']}.{seen[response['id']]}"
        yield from _response_duties(record, responses, index, rid, days, ctx)


def _response_duties(
    record: Record, responses: list[dict[str, Any]], index: int, rid: str, days: int, ctx: Context
) -> Iterator[Duty]:
    response = responses[index]
    owner = response_owner(record, response, ctx)
    latest = _latest(response)
    ineffective = latest is not None and response["checks"][latest[0]]["effective"] is False
    followed_up = ineffective and latest is not None and _followed_up(responses, index, latest[1])
    if latest is not None and ineffective:
        check_index, checked_on = latest
        problems: list[Problem] = []
        if not followed_up:
            problems.append(
                Problem(
                    record,
                    ("responses", index, "checks", check_index, "effective"),
                    msg(
                        f"应对措施 {rid} 在 {checked_on} 的检查中被判定为无效，此后没有新增或检查其他应对措施。"
                        "请调整该措施或增加新的应对措施，并记录后续检查，确保风险得到有效控制。",
                        f"Response {rid} was found ineffective on {checked_on}, and no other response has been "
                        "added or checked since. Follow up: change the measure or add a new response, and record "
                        "its checks.",
                    ),
                )
            )
        yield duty(
            record,
            ("responses", index, "checks", check_index, "effective"),
            f"{rid}.follow-up",
            _what_follow_up(rid),
            risk_owner(record, ctx),
            problems,
        )
    if followed_up:
        why = msg(
            "该措施检查认定无效，已有跟进措施，改为检查跟进措施。",
            "The response was found ineffective and has been followed up: the follow-up is checked instead.",
        )
        yield not_applicable(record, ("responses", index, "id"), rid, _what(rid), why, owner)
        return
    since: dt.date | None
    at: Path
    if latest is not None:
        since = latest[1]
        at = ("responses", index, "checks", latest[0], "date")
        zh_basis, en_basis = f"最近一次检查是在 {since}", f"was last checked on {since}"
    elif date(response.get("due")):
        since = date(response["due"])
        at = ("responses", index, "due")
        zh_basis = f"自 {since} 到期以来从未检查"
        en_basis = f"has not been checked since it fell due on {since}"
    else:
        since = date(record.data["identified_on"])
        at = ("responses", index, "id")
        zh_basis = f"自风险识别（{since}）以来从未检查"
        en_basis = f"has not been checked since the risk was identified on {since}"
    if since is None:
        return
    deadline = since + dt.timedelta(days=days)
    late = msg(
        f"应对措施 {rid} {zh_basis}。措施每 {days} 天至少检查一次，最迟应于 {deadline} 检查，现已逾期。"
        "请检查措施的执行情况，并在 checks 中记录日期和是否有效。",
        f"Response {rid} {en_basis}. Responses are checked at least every {days} days, so a check was due "
        f"by {deadline} and is overdue. Check how it is carried out and record the date and whether it works "
        "in checks.",
    )
    yield pending(record, at, rid, _what(rid), owner, deadline, Problem(record, at, late))
