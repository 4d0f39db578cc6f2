"""An accepted or closed project holds a retrospective (3.4.4).

After acceptance the team summarises the project and writes down lessons
learned for later projects. A project counts as accepted once the customer
signed off (``acceptance.accepted_on``) or once it is ``closed``. Its
``retrospective`` must exist, with a date no earlier than the sign-off. The
duty (``retrospective``) is the project manager's. It does not apply before
acceptance, nor to a project cancelled before completion
(``closure: {reason: cancelled, note: ...}``): there was no acceptance to
follow.

Failing::

    phase: closed
    acceptance:
      accepted_on: 2026-06-30
    # no retrospective

Passing::

    phase: closed
    acceptance:
      accepted_on: 2026-06-30
    retrospective:
      date: 2026-07-08
      summary: 按期交付，数据迁移返工两次。
      lessons:
        - 迁移脚本须先在预生产环境演练。
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules._acceptance import cancelled, why_not
from dops.rules.base import Context, Duty, Problem, date, duty, not_applicable

DOC_ZH = """已验收或已关闭的项目必须有复盘记录（3.4.4）。

项目验收完成后，团队要进行项目总结和复盘，记下经验教训，供后续项目参考。
客户确认验收通过（``acceptance.accepted_on``）或项目已关闭（``closed``），
即视为已验收。这时必须有 ``retrospective``，且复盘日期不得早于验收通过的日期。
这项义务（``retrospective``）由项目经理履行。验收之前不适用；未完成即取消的项目
（``closure: {reason: cancelled, note: ...}``）没有验收，也不适用。

不合规示例::

    phase: closed
    acceptance:
      accepted_on: 2026-06-30
    # 没有复盘（retrospective）

合规示例::

    phase: closed
    acceptance:
      accepted_on: 2026-06-30
    retrospective:
      date: 2026-07-08
      summary: 按期交付，数据迁移返工两次。
      lessons:
        - 迁移脚本须先在预生产环境演练。
"""

ID = "project-retrospective"
CLAUSES = ("3.4.4",)
SEVERITY = "error"
TITLE = msg("已验收或已关闭的项目必须有复盘", "Accepted or closed projects hold a retrospective")
KINDS = ("project",)


WHAT = msg("验收后进行项目总结和复盘", "Hold the retrospective after acceptance")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    manager = record.get("manager")
    if cancelled(record):
        yield not_applicable(record, ("closure",), "retrospective", WHAT, why_not(record), manager)
        return
    accepted_on = record.get("acceptance", "accepted_on")
    if not accepted_on and record.get("phase") != "closed":
        why = msg("项目尚未验收通过。", "The project has not been accepted yet.")
        yield not_applicable(record, ("phase",), "retrospective", WHAT, why, manager)
        return
    at = ("retrospective",) if record.get("retrospective") else ("phase",)
    yield duty(record, at, "retrospective", WHAT, manager, _problems(record))


def _problems(record: Record) -> Iterator[Problem]:
    accepted_on = record.get("acceptance", "accepted_on")
    retrospective = record.get("retrospective")
    if retrospective is None:
        when = (
            msg(f"已于 {accepted_on} 验收", f"was accepted on {accepted_on}")
            if accepted_on
            else msg("已关闭", "is closed")
        )
        at = ("acceptance", "accepted_on") if accepted_on else ("phase",)
        yield Problem(
            record,
            at,
            msg(
                f"项目{when.zh}，但没有复盘记录。请补充 retrospective：日期、总结和经验教训。",
                f"The project {when.en} but holds no retrospective. Add retrospective with its date, "
                "summary and lessons learned.",
            ),
        )
        return
    held, signed = date(retrospective["date"]), date(accepted_on)
    if held and signed and held < signed:
        yield Problem(
            record,
            ("retrospective", "date"),
            msg(
                f"复盘日期 {held} 早于验收通过日期 {signed}。复盘应在验收完成之后进行：请核对日期。",
                f"The retrospective ({held}) predates the customer's sign-off ({signed}). The retrospective "
                "follows acceptance: check the dates.",
            ),
        )
