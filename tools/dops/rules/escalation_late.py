"""Major issues are escalated within the set number of days (3.3.3).

Major issues are to be escalated to the superior promptly ("及时"): within
``cadences.escalation_days`` days (default 2, set in ``dops.yaml``) of being
raised. This rule states that duty for each major issue as ``I1.escalate``
(the issue's ID). The project manager owes it: 3.3.3 makes asking the
superior the manager's duty, and the superior only learns of the issue that
way (the message names the superior of the day).

While the project runs, an open major issue not yet escalated falls due on
``raised_on`` plus that many days: until then it is not yet due (or due
soon), afterwards overdue. An escalation recorded later than that, a major
issue resolved (``resolved_on``) without ever being escalated, and one still
not escalated when the project was accepted (``acceptance.accepted_on``) or
closed, are lapses that cannot be made good any more: warnings, also once the
project is closed (closing a project does not make its past lapses
disappear). If the issue was in fact escalated, record ``escalated_to`` and
``escalated_on``. Whether the recorded escalation went to the right person
is ``major-issue-escalated``'s duty ``I1``.

Failing (checked on 2026-11-24)::

    issues:
      - {id: I2, raised_on: 2026-11-10, description: 核心数据库需停机升级, major: true}

Passing (checked on 2026-11-24)::

    issues:
      - id: I2
        raised_on: 2026-11-10
        description: 核心数据库需停机升级
        major: true
        escalated_to: EMP-0001
        escalated_on: 2026-11-11
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dops.core.model import Message, Record, msg
from dops.rules._timeline import item_subjects, project_end
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable, pending

DOC_ZH = """重大问题须在规定天数内向上级请示（3.3.3）。

重大问题要“及时”向上级请示：在提出后 ``cadences.escalation_days`` 天内（默认 2 天，
在 ``dops.yaml`` 中设置）。本规则对每个重大问题给出这项义务，命名为 ``I1.escalate``
（问题编号）。履行义务的是项目经理：第 3.3.3 条把向上级请示规定为项目经理的职责，
上级也只有通过请示才知道这个问题（报出的信息会写明当时的上级是谁）。

项目进行期间，尚未解决、也还没有请示的重大问题，在 ``raised_on`` 加上这个天数的那天到期：
之前为未到期（或即将到期），之后为逾期。超过期限才请示的、已经解决（``resolved_on``）却从未
请示的，以及项目验收（``acceptance.accepted_on``）或关闭时仍未请示的重大问题，都是已无法
补救的疏漏：报为警告，项目关闭后也照样报出（关闭项目并不会让以往的疏漏消失）。如果其实已经
请示过，请填写 ``escalated_to`` 和 ``escalated_on``。记录的请示对象是否正确，是
``major-issue-escalated`` 的义务 ``I1``。

不合规示例（检查日期 2026-11-24）::

    issues:
      - {id: I2, raised_on: 2026-11-10, description: 核心数据库需停机升级, major: true}

合规示例（检查日期 2026-11-24）::

    issues:
      - id: I2
        raised_on: 2026-11-10
        description: 核心数据库需停机升级
        major: true
        escalated_to: EMP-0001
        escalated_on: 2026-11-11
"""

ID = "escalation-late"
CLAUSES = ("3.3.3",)
SEVERITY = "warning"
TITLE = msg("重大问题须及时向上级请示", "Major issues are escalated promptly")
KINDS = ("project",)


def _to_whom(superior: str | None) -> Message:
    return (
        msg(f"项目经理的上级 {superior} ", f"the manager's superior {superior}")
        if superior
        else msg("项目经理的上级", "the manager's superior")
    )


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    issues = record.get("issues", default=[])
    if not any(issue["major"] for issue in issues):
        yield not_applicable(
            record,
            ("issues",),
            "issues",
            msg("及时向上级请示重大问题", "Escalate major issues promptly"),
            msg("项目没有记录重大问题。", "The project records no major issue."),
            manager,
        )
        return
    limit = ctx.settings.cadence("escalation_days")
    end = project_end(record)
    subjects = item_subjects(issue["id"] for issue in issues)
    for index, (issue, subject) in enumerate(zip(issues, subjects, strict=True)):
        raised = date(issue["raised_on"])
        if not issue["major"] or raised is None:
            continue
        name = issue["id"]
        where = ("issues", index)
        what = msg(f"在 {limit} 天内向上级请示重大问题 {name}", f"Escalate major issue {name} within {limit} days")
        due = raised + dt.timedelta(days=limit)
        escalated = date(issue.get("escalated_on"))
        if escalated is not None:
            days = (escalated - raised).days
            late = []
            if days > limit:
                late.append(
                    Problem(
                        record,
                        (*where, "escalated_on"),
                        msg(
                            f"重大问题 {name} 于 {raised} 提出，{escalated} 才向上级请示，相隔 {days} 天，"
                            f"超过 {limit} 天的期限。重大问题应及时请示，今后请在问题提出后 {limit} 天内上报；"
                            "如日期有误请更正。",
                            f"Major issue {name} was raised on {raised} but escalated only on {escalated}, "
                            f"{days} days later, beyond the {limit} days allowed. Escalate major issues within "
                            f"{limit} days of raising them; if a date is wrong, correct it.",
                        ),
                    )
                )
            yield duty(record, where, f"{subject}.escalate", what, manager, late, due=due, severity="warning")
            continue
        if issue.get("escalated_to"):
            yield not_applicable(
                record,
                where,
                f"{subject}.escalate",
                what,
                msg(
                    "已记录请示对象，但没有请示日期，无法判断是否及时：major-issue-escalated 要求补上日期。",
                    "An escalation is recorded without its date, so its timeliness cannot be judged: "
                    "major-issue-escalated asks for the date.",
                ),
                manager,
            )
            continue
        resolved = date(issue.get("resolved_on"))
        ended = end if end is not None and (end.on is None or end.on >= raised) else None  # not raised after it
        if resolved is not None or ended is not None:
            to_whom = _to_whom(ctx.superior_on(manager, raised)[0])
            after = msg(
                f"重大问题须在 {limit} 天内请示。这已无法补救；如果其实请示过，请填写 escalated_to 和 escalated_on。",
                f"major issues are escalated within {limit} days. That cannot be made good now; if it was in fact "
                "escalated, fill in escalated_to and escalated_on.",
            )
            if resolved is not None:
                text = msg(
                    f"重大问题 {name}（{raised} 提出）已于 {resolved} 解决，却从未向{to_whom.zh}请示：{after.zh}",
                    f"Major issue {name} (raised {raised}) was resolved on {resolved} without ever being escalated "
                    f"to {to_whom.en}: {after.en}",
                )
            else:
                assert ended is not None
                text = msg(
                    f"{ended.when.zh}时，重大问题 {name}（{raised} 提出）仍未向{to_whom.zh}请示：{after.zh}",
                    f"Major issue {name} (raised {raised}) had still not been escalated to {to_whom.en} when "
                    f"{ended.when.en}: {after.en}",
                )
            yield duty(
                record,
                where,
                f"{subject}.escalate",
                what,
                manager,
                [Problem(record, where, text)],
                due=due,
                severity="warning",
            )
            continue
        superior, _, _ = ctx.superior_on(manager, ctx.as_of)
        days = (ctx.as_of - raised).days
        yield pending(
            record,
            where,
            f"{subject}.escalate",
            what,
            manager,
            due,
            msg(
                f"重大问题 {name} 于 {raised} 提出，至 {ctx.as_of} 已 {days} 天仍未向上级请示，"
                f"超过 {limit} 天的期限（{due} 到期）。请尽快向{_to_whom(superior).zh}请示，"
                "并填写 escalated_to 和 escalated_on。",
                f"Major issue {name} was raised on {raised} and, {days} days later ({ctx.as_of}), "
                f"has still not been escalated, beyond the {limit} days allowed (due {due}). Escalate it to "
                f"{_to_whom(superior).en} now and fill in escalated_to and escalated_on.",
            ),
        )
