"""A focus risk has an owner and at least one response (7.2.2, 7.3.1).

Risks are ranked by their score, likelihood × impact. An open risk whose
score reaches ``risk.focus_score`` in ``dops.yaml`` (12 by default) is a
focus risk: someone must own it (``owner``) and at least one response
measure must be planned for it (``responses``), e.g. a contingency plan or
stronger quality control. Risks not yet rated are left to ``risk-assessed``.

Failing::

    status: open
    likelihood: 4
    impact: 4          # score 16 ≥ 12
    # no owner, no responses

Passing::

    status: open
    likelihood: 4
    impact: 4
    owner: EMP-0002
    responses:
      - {id: R1, type: contingency_plan, action: 预留备用服务器, owner: EMP-0004, due: 2026-10-15}
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem

DOC_ZH = """重点风险必须有负责人和至少一项应对措施（7.2.2、7.3.1）。

风险按得分排序，得分 = 可能性 × 影响程度。未关闭的风险，得分达到 ``dops.yaml`` 中的
``risk.focus_score``（默认 12）即为重点风险：必须有负责人（``owner``），
并至少制定一项应对措施（``responses``），例如制定应急预案或加强质量控制。
尚未评分的风险由 ``risk-assessed`` 负责。

不合规示例::

    status: open
    likelihood: 4
    impact: 4          # 得分 16 ≥ 12
    # 没有负责人，也没有应对措施

合规示例::

    status: open
    likelihood: 4
    impact: 4
    owner: EMP-0002
    responses:
      - {id: R1, type: contingency_plan, action: 预留备用服务器, owner: EMP-0004, due: 2026-10-15}
"""

ID = "risk-focus"
CLAUSES = ("7.2.2", "7.3.1")
SEVERITY = "error"
TITLE = msg("重点风险必须有负责人和应对措施", "Focus risks have an owner and a response")
KINDS = ("risk",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if record.data["status"] != "open":
        return
    likelihood, impact = record.get("likelihood"), record.get("impact")
    if likelihood is None or impact is None:
        return
    score, threshold = likelihood * impact, ctx.settings.focus_score
    if score < threshold:
        return
    zh_score = f"该风险得分 {score}（可能性 {likelihood} × 影响 {impact}），达到重点风险阈值 {threshold}"
    en_score = (
        f"The risk scores {score} (likelihood {likelihood} × impact {impact}), at or above the focus "
        f"threshold {threshold}"
    )
    if not record.get("owner"):
        yield Problem(
            record,
            ("likelihood",),
            msg(
                f"{zh_score}，但没有指定负责人。请在 owner 中填写风险负责人。",
                f"{en_score}, but has no owner. Name the person who owns it in owner.",
            ),
            clauses=("7.2.2",),
        )
    if not record.get("responses"):
        at = ("responses",) if "responses" in record.data else ("likelihood",)
        yield Problem(
            record,
            at,
            msg(
                f"{zh_score}，但没有任何应对措施。请在 responses 中制定至少一项应对措施，如应急预案、加强质量控制、"
                "优化技术方案、加强人员培训或维护客户关系。",
                f"{en_score}, but has no response. Plan at least one in responses: a contingency plan, quality "
                "control, a technical change, training or customer relationship work.",
            ),
            clauses=("7.3.1",),
        )
