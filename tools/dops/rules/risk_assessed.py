"""Every identified risk is assessed for likelihood and impact (7.2.1).

An identified risk is assessed: how likely it is to happen and how badly it
would hurt, each rated 1 (very low) to 5 (very high). The ratings rank the
risks and pick out the focus risks (7.2.2), so every risk must carry both
``likelihood`` and ``impact``. The duty falls on the risk's ``owner``, else
the project's manager (for a department-wide risk without an owner, the head
of department). An open risk without them is an error: rate it now. A
closed risk that was never rated is held to its history too: it is reported
as a warning, since the assessment it lacked can no longer steer how it was
handled; record the ratings it was given at the time, if it had any.

Failing::

    id: RSK-2026-003
    status: closed
    closed_on: 2026-07-15
    likelihood: 4
    # no impact: never fully assessed

Passing::

    id: RSK-2026-003
    status: open
    likelihood: 4
    impact: 3
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules._risk import risk_owner
from dops.rules.base import Context, Duty, Problem, duty

DOC_ZH = """每项识别出的风险都必须评估可能性和影响程度（7.2.1）。

识别出的风险要进行评估：发生的可能性有多大，一旦发生影响有多严重，两者都按 1（很低）
到 5（很高）打分。这两项评分用于给风险排序、确定重点关注的风险（7.2.2），
所以每项风险都必须同时填写 ``likelihood`` 和 ``impact``。这项义务由风险负责人
（``owner``）履行，没有负责人的由项目经理履行（没有负责人的部门级风险，由部门负责人履行）。
未关闭的风险缺少评分，属于错误：请立即评估。已关闭的风险从未评分的，同样按其历史检查，
报为警告，因为缺少的评估已无法再指导当时的应对；如当时做过评估，请补录当时的评分。

不合规示例::

    id: RSK-2026-003
    status: closed
    closed_on: 2026-07-15
    likelihood: 4
    # 没有影响程度（impact）：从未完整评估

合规示例::

    id: RSK-2026-003
    status: open
    likelihood: 4
    impact: 3
"""

ID = "risk-assessed"
CLAUSES = ("7.2.1",)
SEVERITY = "error"
TITLE = msg("识别出的风险必须评估可能性和影响程度", "Identified risks are rated for likelihood and impact")
KINDS = ("risk",)

WHAT = msg("评估风险的可能性和影响程度", "Rate the risk's likelihood and impact")
FIELDS = {"likelihood": ("发生的可能性", "likelihood"), "impact": ("影响程度", "impact")}


def _problems(record: Record, missing: list[str]) -> Iterator[Problem]:
    if not missing:
        return
    present = [name for name in FIELDS if name not in missing]
    at = (present[0],) if present else ("status",)
    fields = "和".join(f"{FIELDS[n][0]}（{n}）" for n in missing)
    if record.data["status"] == "open":
        text = msg(
            f"该风险尚未关闭，但没有评估{fields}。请按 1（很低）到 5（很高）补充评分，以便排序并确定重点关注的风险。",
            "The risk is open but has no " + " or ".join(missing) + " rating. Rate it from 1 (very low) to "
            "5 (very high) so that risks can be ranked and the focus risks picked out.",
        )
    else:
        text = msg(
            f"该风险已关闭，但从未评估{fields}。识别出的每项风险都要评估可能性和影响程度：如当时做过评估，"
            "请补录当时的评分；今后请在识别风险时即行评估。",
            "The risk is closed but was never given a " + " or ".join(missing) + " rating. Every identified "
            "risk is assessed for likelihood and impact: if it was rated at the time, record those ratings; "
            "rate risks as soon as they are identified.",
        )
    yield Problem(record, at, text)


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    if ctx.index.by_id.get(record.id) is not record:
        return  # a second file with the same ID: duplicate-id reports it, its duties are the first file's
    missing = [name for name in FIELDS if record.get(name) is None]
    closed = record.data["status"] != "open"
    yield duty(
        record,
        ("likelihood",),
        "assessment",
        WHAT,
        risk_owner(record, ctx),
        _problems(record, missing),
        severity="warning" if closed else None,
    )
