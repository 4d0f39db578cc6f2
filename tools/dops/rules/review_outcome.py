"""An appraisal's grade, bonus band and promotion flag agree with each other (4.4.1, 4.4.2).

The appraisal result decides the performance bonus (4.4.1), and an excellent
result gives priority for promotion and pay rises (4.4.2). The ``outcome`` of
a review must therefore not contradict itself. The bonus band (1 to 5) must
lie in the range its grade allows, and only an excellent result (grade A)
may carry ``promotion_eligible: true``. The table the rule applies::

    grade  bonus_band  promotion_eligible
    A      4-5         true or false   # excellent
    B      3-4         false           # good
    C      2-3         false           # satisfactory
    D      1           false           # needs improvement

A missing bonus band or promotion flag contradicts nothing. One duty per
review that states an outcome (``bonus`` for 4.4.1, ``promotion`` for
4.4.2), owed by the person's superior on the period's last day, who
completes the appraisal; not applicable while a review in progress has no
outcome yet. The outcome is confidential (8.1): the findings name the
fields, never their values.

Failing::

    outcome: {grade: C, bonus_band: 4, promotion_eligible: false}   # band above what C allows
    outcome: {grade: D, bonus_band: 1, promotion_eligible: true}    # promotion with the lowest grade

Passing::

    outcome: {grade: A, bonus_band: 5, promotion_eligible: true}
    outcome: {grade: B, bonus_band: 3, promotion_eligible: false}
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Duty, Problem, duty, not_applicable
from dops.rules.review_due import reviewer

DOC_ZH = """考核等级、奖金档位和晋升资格须相互一致（4.4.1、4.4.2）。

绩效奖金根据考核结果发放（4.4.1），考核结果优秀的员工有优先晋升和调薪的机会（4.4.2）。
因此考核的 ``outcome`` 不能自相矛盾：奖金档位（1–5）必须在其等级允许的范围内，而且只有
考核结果优秀（等级 A）时才能标记 ``promotion_eligible: true``。规则采用的对照表::

    grade  bonus_band  promotion_eligible
    A      4-5         true or false   # 优秀
    B      3-4         false           # 良好
    C      2-3         false           # 合格
    D      1           false           # 待改进

没有填写奖金档位或晋升资格的，不算矛盾。每条写明考核结果的考核有两项义务（4.4.1 的
``bonus`` 和 4.4.2 的 ``promotion``），由被考核人在周期最后一天的上级负责，因为考核由其
完成；仍在进行中、尚无考核结果的考核不适用。考核结果保密（8.1）：检查结果只指出字段，
不写出其中的值。

不合规示例::

    outcome: {grade: C, bonus_band: 4, promotion_eligible: false}   # 档位高于 C 允许的范围
    outcome: {grade: D, bonus_band: 1, promotion_eligible: true}    # 最低等级却有晋升资格

合规示例::

    outcome: {grade: A, bonus_band: 5, promotion_eligible: true}
    outcome: {grade: B, bonus_band: 3, promotion_eligible: false}
"""

ID = "review-outcome"
CONFIDENTIAL = True  # reads confidential results: the site shows a neutral text; skipped without the key
CLAUSES = ("4.4.1", "4.4.2")
SEVERITY = "error"
TITLE = msg(
    "考核等级、奖金档位和晋升资格相互一致",
    "An appraisal's grade, bonus band and promotion flag agree with each other",
)
KINDS = ("review",)

#: Grade → (lowest, highest) bonus band it allows (4.4.1).
BONUS_BANDS: dict[str, tuple[int, int]] = {"A": (4, 5), "B": (3, 4), "C": (2, 3), "D": (1, 1)}
#: The grades that may carry promotion priority (4.4.2: an excellent result).
PROMOTION_GRADES = ("A",)

WHAT_BONUS = msg("奖金档位与考核等级一致", "Bonus band agrees with the grade")
WHAT_PROMOTION = msg("晋升资格与考核等级一致", "Promotion flag agrees with the grade")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second record with the same ID is the duplicate-id rule's finding
    owner = reviewer(ctx, record.data["person"], record.data["period"])
    outcome = record.get("outcome")
    if not outcome:
        why = msg("考核仍在进行中，尚无考核结果。", "The appraisal is still in progress and has no outcome yet.")
        yield not_applicable(record, ("status",), "bonus", WHAT_BONUS, why, owner, clauses=("4.4.1",))
        yield not_applicable(record, ("status",), "promotion", WHAT_PROMOTION, why, owner, clauses=("4.4.2",))
        return
    grade = outcome["grade"]
    problems = []
    band = outcome.get("bonus_band")
    lowest, highest = BONUS_BANDS[grade]
    if band is not None and not lowest <= band <= highest:
        problems.append(
            Problem(
                record,
                ("outcome", "bonus_band"),
                msg(
                    "奖金档位（bonus_band）与考核等级（grade）不一致：每个等级允许的档位见 review-outcome 规则的"
                    "对照表。请核对等级和档位。",
                    "The bonus band (bonus_band) does not agree with the grade (grade): the table in the "
                    "review-outcome rule gives the bands each grade allows. Check the grade and the band.",
                ),
            )
        )
    yield duty(record, ("outcome",), "bonus", WHAT_BONUS, owner, problems, clauses=("4.4.1",))
    problems = []
    if outcome.get("promotion_eligible") is True and grade not in PROMOTION_GRADES:
        problems.append(
            Problem(
                record,
                ("outcome", "promotion_eligible"),
                msg(
                    "标记了优先晋升资格（promotion_eligible），但考核等级（grade）不是优秀："
                    "只有考核结果优秀的员工才有优先晋升和调薪的机会。请核对等级和晋升资格。",
                    "Promotion priority is set (promotion_eligible) but the grade is not excellent: only an "
                    "excellent result gives priority for promotion and pay rises. Check the grade and the flag.",
                ),
            )
        )
    yield duty(record, ("outcome",), "promotion", WHAT_PROMOTION, owner, problems, clauses=("4.4.2",))
