"""Every assessed risk is answered, a focus risk by an owner and a response (7.2.2, 7.3.1).

Risks are ranked by their score, likelihood × impact. For each risk a
response is drawn up (``responses``: a contingency plan, stronger quality
control, a better technical approach, staff training, customer-relationship
work, 7.3.1), whatever its score. Where the department decides to live with a
minor risk instead, that decision is recorded explicitly in ``acceptance``
(who decided, when and why), and it counts in place of a response. A risk
below the focus threshold is due to be answered within one check cycle
(``cadences.response_check_days``, 30 days) of being identified, so that the
first regular check of responses (7.3.2) has something to check; until then
it shows as not yet due or due soon, and after it as overdue (a warning). A risk closed before
that day needed no answer.

A risk whose score reaches ``risk.focus_score`` in ``dops.yaml`` (12 by
default) is a focus risk (7.2.2): someone must own it (``owner``) and it needs
at least one response at once. Acceptance alone is not enough for a focus
risk: the policy singles these risks out for focused attention, and a risk
that is merely accepted gets none; if it is accepted, at least a contingency plan is
still drawn up for it.

Who must act: the risk's ``owner``, else the project's manager (for a
department-wide risk, the head of department). Risks not yet rated are left
to ``risk-assessed``. An open focus risk without an owner or a response,
and a response ID used twice, are errors; a closed risk is held to its
history, as a warning.

Failing::

    status: open
    likelihood: 2
    impact: 3          # score 6: not a focus risk, but still needs an answer
    owner: EMP-0002
    identified_on: 2026-10-10
    # no responses, no acceptance 30 days later

Passing::

    status: open
    likelihood: 2
    impact: 3
    owner: EMP-0002
    identified_on: 2026-10-10
    acceptance:
      decided_by: EMP-0002
      decided_on: 2026-10-12
      reason: 影响仅限内部报表延迟一天，应对成本高于可能的损失
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules._risk import risk_owner, score
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, pending

DOC_ZH = """每项已评估的风险都要有应对，重点风险要有负责人和应对措施（7.2.2、7.3.1）。

风险按得分（可能性 × 影响程度）排序。无论得分高低，都要针对每项风险制定相应的应对措施
（``responses``：应急预案、加强质量控制、优化技术方案、加强人员培训、维护客户关系，7.3.1）。
部门决定对影响很小的风险不采取措施、予以接受的，要在 ``acceptance`` 中明确记录这一决定
（决定人、日期和理由），这一决定可以代替应对措施。低于重点风险阈值的风险，应在识别后一个检查周期
（``cadences.response_check_days``，30 天）内作出应对，使第一次定期检查（7.3.2）有内容可查：
在此之前显示为未到期或即将到期，过期则报为逾期（警告）。在此之前已关闭的风险不需要应对。

得分达到 ``dops.yaml`` 中 ``risk.focus_score``（默认 12）的风险是重点风险（7.2.2）：
必须有负责人（``owner``），并且立即至少有一项应对措施。重点风险不能只接受、不应对：
制度要求对这些风险重点关注，只接受而不应对，就谈不上关注；即使决定接受，
也至少要为它制定应急预案。

由谁履行：风险负责人（``owner``），没有负责人的由项目经理履行（部门级风险由部门负责人履行）。
尚未评分的风险由 ``risk-assessed`` 检查。未关闭的重点风险没有负责人或应对措施，以及应对措施编号重复，
属于错误；已关闭的风险按其历史检查，报为警告。

不合规示例::

    status: open
    likelihood: 2
    impact: 3          # 得分 6：不是重点风险，但同样需要应对
    owner: EMP-0002
    identified_on: 2026-10-10
    # 30 天后仍没有应对措施，也没有接受风险的决定

合规示例::

    status: open
    likelihood: 2
    impact: 3
    owner: EMP-0002
    identified_on: 2026-10-10
    acceptance:
      decided_by: EMP-0002
      decided_on: 2026-10-12
      reason: 影响仅限内部报表延迟一天，应对成本高于可能的损失
"""

ID = "risk-focus"
CLAUSES = ("7.2.2", "7.3.1")
SEVERITY = "error"
TITLE = msg(
    "每项风险都要有应对措施或接受决定，重点风险必须有负责人和应对措施",
    "Every risk has a response or an acceptance decision; focus risks have an owner and a response",
)
KINDS = ("risk",)

WHAT_FOCUS = msg("为重点风险指定负责人", "Name an owner for the focus risk")
WHAT_RESPONSE = msg("制定风险应对措施或记录接受决定", "Draw up a response to the risk, or record its acceptance")
NOT_RATED = msg(
    "该风险尚未评估可能性和影响程度（见 risk-assessed），无法判断。",
    "The risk is not yet rated for likelihood and impact (see risk-assessed), so this cannot be judged.",
)


def _scored(record: Record, points: int, threshold: int) -> tuple[str, str]:
    likelihood, impact = record.data["likelihood"], record.data["impact"]
    return (
        f"该风险得分 {points}（可能性 {likelihood} × 影响 {impact}），达到重点风险阈值 {threshold}",
        f"The risk scores {points} (likelihood {likelihood} × impact {impact}), at or above the focus threshold "
        + str(threshold),
    )


def _owner_problems(record: Record, points: int, threshold: int) -> Iterator[Problem]:
    if record.get("owner"):
        return
    zh_score, en_score = _scored(record, points, threshold)
    yield Problem(
        record,
        ("likelihood",),
        msg(
            f"{zh_score}，但没有指定负责人。请在 owner 中填写风险负责人。",
            f"{en_score}, but has no owner. Name the person who owns it in owner.",
        ),
        clauses=("7.2.2",),
    )


def _response_problems(record: Record, points: int, threshold: int, days: int) -> Iterator[Problem]:
    if record.get("responses"):
        return
    accepted = record.get("acceptance") is not None
    at = ("responses",) if "responses" in record.data else ("likelihood",)
    if points < threshold:
        if accepted:
            return
        yield Problem(
            record,
            at,
            msg(
                f"该风险已评估（得分 {points}），但识别 {days} 天后仍既没有应对措施，也没有接受风险的决定。"
                "请在 responses 中制定应对"
                "措施，如应急预案、加强质量控制、优化技术方案、加强人员培训或维护客户关系；如决定接受该风险，"
                "请在 acceptance 中记录决定人（decided_by）、日期（decided_on）和理由（reason）。",
                f"The risk is assessed (score {points}) but {days} days after it was identified it has neither a "
                "response nor an acceptance decision. Plan "
                "a response in responses (a contingency plan, quality control, a technical change, training or "
                "customer relationship work); if it is decided to accept the risk, record who decided, when and why "
                "in acceptance (decided_by, decided_on, reason).",
            ),
            clauses=("7.3.1",),
        )
        return
    zh_score, en_score = _scored(record, points, threshold)
    if accepted:
        yield Problem(
            record,
            ("acceptance",),
            msg(
                f"{zh_score}，只记录了接受风险的决定，没有任何应对措施。重点风险须重点关注，不能只接受、不应对："
                "请在 responses 中至少制定一项应对措施，例如应急预案。",
                f"{en_score}, and is only accepted, with no response. A focus risk needs focused attention and "
                "may not merely be accepted: plan at least one response in responses, e.g. a contingency plan.",
            ),
            clauses=("7.2.2", "7.3.1"),
        )
        return
    yield Problem(
        record,
        at,
        msg(
            f"{zh_score}，但没有任何应对措施。请在 responses 中制定至少一项应对措施，如应急预案、加强质量控制、"
            "优化技术方案、加强人员培训或维护客户关系。",
            f"{en_score}, but has no response. Plan at least one in responses: a contingency plan, quality "
            "control, a technical change, training or customer relationship work.",
        ),
        clauses=("7.2.2", "7.3.1"),
    )


def _duplicate_ids(record: Record) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, response in enumerate(record.get("responses", default=[])):
        rid = response["id"]
        if rid in seen:
            yield Problem(
                record,
                ("responses", index, "id"),
                msg(
                    f"应对措施编号 {rid} 重复：前面已有一项措施使用该编号。检查记录按编号跟踪措施，"
                    "请换一个未使用的编号。",
                    f"The response ID {rid} is already used by an earlier response. Checks follow responses by "
                    "their ID: give this one an unused ID.",
                ),
                clauses=("7.3.1",),
            )
        seen.add(rid)


def _response_path(record: Record) -> tuple[str]:
    for key in ("responses", "acceptance"):
        if key in record.data:
            return (key,)
    return ("likelihood",)


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second file with the same ID: duplicate-id reports it, its duties are the first file's
    owner = risk_owner(record, ctx)
    points = score(record)
    if points is None:
        yield not_applicable(record, ("status",), "focus", WHAT_FOCUS, NOT_RATED, owner, clauses=("7.2.2",))
        yield not_applicable(record, ("status",), "response", WHAT_RESPONSE, NOT_RATED, owner, clauses=("7.3.1",))
        return
    severity = None if record.data["status"] == "open" else "warning"
    threshold = ctx.settings.focus_score
    if points >= threshold:
        yield duty(
            record,
            ("owner",) if record.get("owner") else ("likelihood",),
            "focus",
            WHAT_FOCUS,
            owner,
            _owner_problems(record, points, threshold),
            clauses=("7.2.2",),
            severity=severity,
        )
    else:
        why = msg(
            f"该风险得分低于重点风险阈值 {threshold}，不是重点风险。",
            f"The risk scores below the focus threshold {threshold}: it is not a focus risk.",
        )
        yield not_applicable(record, ("likelihood",), "focus", WHAT_FOCUS, why, owner, clauses=("7.2.2",))
    focus = points >= threshold
    days = ctx.settings.cadence("response_check_days")
    problems = [*_response_problems(record, points, threshold, days), *_duplicate_ids(record)]
    clauses = ("7.2.2", "7.3.1") if focus else ("7.3.1",)
    identified = date(record.data["identified_on"])
    unanswered = not record.get("responses") and record.get("acceptance") is None
    if unanswered and not focus and identified is not None:
        # A minor risk gets one check cycle to be answered: the first regular check needs something to check.
        due = identified + dt.timedelta(days=days)
        closed_on = date(record.get("closed_on"))
        if record.data["status"] == "open":
            yield pending(
                record, _response_path(record), "response", WHAT_RESPONSE, owner, due, problems, clauses=clauses
            )
            return
        if closed_on is not None and closed_on <= due:
            why = msg(
                f"该风险在应有应对的期限（识别后 {days} 天，{due}）之前已关闭。",
                f"The risk was closed before a response was due ({days} days after identification, {due}).",
            )
            yield not_applicable(record, ("closed_on",), "response", WHAT_RESPONSE, why, owner, clauses=clauses)
            return
    yield duty(
        record,
        _response_path(record),
        "response",
        WHAT_RESPONSE,
        owner,
        problems,
        clauses=clauses,
        severity=severity,
    )
