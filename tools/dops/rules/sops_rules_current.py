"""The committed .sops.yaml is the one the records give: sops encrypts for those who may read (8.2.3).

``.sops.yaml`` tells the real ``sops`` (and anyone's editor plugin) for whom
each record file's confidential values are encrypted: an appraisal for the
person's chain of superiors and HR, a project's budget and customer for its
manager, the manager's superior and the policy owners, people's contact data
for HR, each by the ``age_key`` in their person record. ``dops keys`` writes
it from the records. When a record changes who may read — a new superior, a
new manager, a leaver, a new key — the file must be regenerated in the same
pull request, or the next value encrypted with sops would be readable by the
wrong people. The finding points at the first line of the committed file
that differs. A repository without the file gets no finding.

Failing::

    # records/people/EMP-0003.yaml
    superior: EMP-0004
    # .sops.yaml, as committed
    # REV-EMP-0003-2026Q3: EMP-0001 (人力资源/HR), EMP-0002 (上级/superior)

Passing::

    # records/people/EMP-0003.yaml
    superior: EMP-0004
    # .sops.yaml, regenerated with dops keys
    # REV-EMP-0003-2026Q3: EMP-0001 (人力资源/HR), EMP-0004 (上级/superior)
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules import recipients
from dops.rules.base import Context, Problem

DOC_ZH = """已提交的 .sops.yaml 与记录生成的一致：sops 只为有权阅读者加密（8.2.3）。

``.sops.yaml`` 告诉 ``sops``（以及各人编辑器中的插件）每个记录文件的保密字段为谁加密：考核
为被考核人的上级链和人力资源，项目的预算和客户信息为项目经理、其上级和制度负责人，人员
联系方式为人力资源，各人的公钥取自其人员记录中的 ``age_key``。``dops keys`` 根据记录生成
这个文件。记录改变了谁有权阅读——换了上级、换了项目经理、有人离职、有人换了密钥——就必须
在同一个 Pull Request 中重新生成该文件，否则下一次用 sops 加密的值会让不该读的人读到。
检查结果指向已提交文件中第一处不一致的行。仓库中没有这个文件时不报告。

不合规示例::

    # records/people/EMP-0003.yaml
    superior: EMP-0004
    # 已提交的 .sops.yaml
    # REV-EMP-0003-2026Q3: EMP-0001 (人力资源/HR), EMP-0002 (上级/superior)

合规示例::

    # records/people/EMP-0003.yaml
    superior: EMP-0004
    # 用 dops keys 重新生成的 .sops.yaml
    # REV-EMP-0003-2026Q3: EMP-0001 (人力资源/HR), EMP-0004 (上级/superior)
"""

ID = "sops-rules-current"
CLAUSES = ("8.2.3",)
INTEGRITY = True  # a generated file that drifted, like CODEOWNERS: a finding, not a duty of the policy
SEVERITY = "error"
TITLE = msg(".sops.yaml 须与记录一致", ".sops.yaml matches the records")


def check_all(ctx: Context) -> Iterator[Problem]:
    committed = recipients.committed(ctx.settings)
    if committed is None:
        return
    drift = recipients.compare(committed, recipients.render(recipients.of(ctx.index, ctx.settings)))
    if drift is None:
        return
    at = ("line", drift.line)
    # The file is not a record; a stand-in lets the engine place the finding on its line.
    file = Record(
        kind="sops-rules", id=recipients.PATH, file=recipients.PATH, data={}, lines={at: (drift.line, 1)}, valid=True
    )
    yield Problem(file, at, drift.message())
