"""Major issues are escalated within the set number of days (3.3.3).

Major issues are to be escalated to the superior promptly ("及时"). A major
issue is reported when it was escalated more than ``cadences.escalation_days``
days (default 2, set in ``dops.yaml``) after it was raised, or when it is
still open, not escalated, and was raised more than that many days before the
date of the check. This is a warning: whether it applies depends on the day
the check runs. A closed project is no longer warned about: nothing can be
done. Unescalated issues that are already resolved, or on an accepted or
closed project, are errors of ``major-issue-escalated`` instead.

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

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem, date

DOC_ZH = """重大问题须在规定天数内向上级请示（3.3.3）。

重大问题要“及时”向上级请示。以下两种情况会被报出：重大问题在提出后超过
``cadences.escalation_days`` 天（默认 2 天，在 ``dops.yaml`` 中设置）才请示；
或者问题仍未解决、尚未请示，而提出日期比检查日期早了超过这个天数。这是警告：
是否报出取决于哪天运行检查。已关闭的项目不再提示：事情已无法补救。已经解决却没有请示
的问题，以及已验收或已关闭项目中没有请示的问题，改由 ``major-issue-escalated`` 作为
错误报出。

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


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if record.get("phase") == "closed":
        return  # a closed project is no longer warned about: nothing can be done
    limit = ctx.settings.cadence("escalation_days")
    done = bool(record.get("acceptance", "accepted_on"))
    superior, _ = ctx.superior_of(record.get("manager"))
    to_whom = (
        msg(f"项目经理的上级 {superior} ", f"the manager's superior {superior}")
        if superior
        else msg("项目经理的上级", "the manager's superior")
    )
    for index, issue in enumerate(record.get("issues", default=[])):
        raised = date(issue["raised_on"])
        if not issue["major"] or raised is None:
            continue
        escalated = date(issue.get("escalated_on"))
        if escalated is not None:
            days = (escalated - raised).days
            if days > limit:
                yield Problem(
                    record,
                    ("issues", index, "escalated_on"),
                    msg(
                        f"重大问题 {issue['id']} 于 {raised} 提出，{escalated} 才向上级请示，相隔 {days} 天，"
                        f"超过 {limit} 天的期限。重大问题应及时请示，今后请在问题提出后 {limit} 天内上报；"
                        "如日期有误请更正。"
                        "",
                        f"Major issue {issue['id']} was raised on {raised} but escalated only on {escalated}, "
                        f"{days} days later, beyond the {limit} days allowed. Escalate major issues within {limit} "
                        "days "
                        "of raising them; if a date is wrong, correct it.",
                    ),
                )
            continue
        if issue.get("escalated_to") or issue.get("resolved_on") or done:
            continue  # major-issue-escalated reports these
        days = (ctx.as_of - raised).days
        if days > limit:
            yield Problem(
                record,
                ("issues", index),
                msg(
                    f"重大问题 {issue['id']} 于 {raised} 提出，至 {ctx.as_of} 已 {days} 天仍未向上级请示，"
                    f"超过 {limit} 天的期限。请尽快向{to_whom.zh}请示，并填写 escalated_to 和 escalated_on。",
                    f"Major issue {issue['id']} was raised on {raised} and, {days} days later ({ctx.as_of}), "
                    f"has still not been escalated, beyond the {limit} days allowed. Escalate it to {to_whom.en} "
                    "now and fill in escalated_to and escalated_on.",
                ),
            )
