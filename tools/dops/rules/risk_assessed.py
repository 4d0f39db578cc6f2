"""Every open risk is assessed for likelihood and impact (7.2.1).

An identified risk is assessed: how likely it is to happen and how badly it
would hurt, each rated 1 (very low) to 5 (very high). The ratings rank the
risks and pick out the focus risks (7.2.2), so an open risk must carry both
``likelihood`` and ``impact``. Closed risks are left as they were recorded.

Failing::

    id: RSK-2026-003
    status: open
    likelihood: 4
    # no impact

Passing::

    id: RSK-2026-003
    status: open
    likelihood: 4
    impact: 3
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules.base import Context, Problem

DOC_ZH = """未关闭的风险必须评估可能性和影响程度（7.2.1）。

识别出的风险要进行评估：发生的可能性有多大，一旦发生影响有多严重，两者都按 1（很低）
到 5（很高）打分。这两项评分用于给风险排序、确定重点关注的风险（7.2.2），
所以未关闭的风险必须同时填写 ``likelihood`` 和 ``impact``。已关闭的风险保持原样，
不再检查。

不合规示例::

    id: RSK-2026-003
    status: open
    likelihood: 4
    # 没有影响程度（impact）

合规示例::

    id: RSK-2026-003
    status: open
    likelihood: 4
    impact: 3
"""

ID = "risk-assessed"
CLAUSES = ("7.2.1",)
SEVERITY = "error"
TITLE = msg("未关闭的风险必须评估可能性和影响程度", "Open risks are rated for likelihood and impact")
KINDS = ("risk",)

FIELDS = {"likelihood": ("发生的可能性", "likelihood"), "impact": ("影响程度", "impact")}


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if record.data["status"] != "open":
        return
    missing = [name for name in FIELDS if record.get(name) is None]
    if not missing:
        return
    present = [name for name in FIELDS if name not in missing]
    at = (present[0],) if present else ("status",)
    yield Problem(
        record,
        at,
        msg(
            "该风险尚未关闭，但没有评估"
            + "和".join(f"{FIELDS[n][0]}（{n}）" for n in missing)
            + "。请按 1（很低）到 5（很高）补充评分，以便排序并确定重点关注的风险。",
            "The risk is open but has no " + " or ".join(missing) + " rating. Rate it from 1 (very low) to "
            "5 (very high) so that risks can be ranked and the focus risks picked out.",
        ),
    )
