"""The committed .github/CODEOWNERS is the one the records give (record integrity: who reviews a change to a record).

Who may approve a change to a record is part of regulating the use of
information: a project's record and its risks are reviewed by the project
manager, a person's appraisals by their superior and HR, the policy, schemas
and rules by the policy owners. ``dops codeowners`` writes these owners into
``.github/CODEOWNERS``, and branch protection asks them for a review. When a
record changes who is responsible — a new manager, a new superior, a new
GitHub handle — the file must be regenerated in the same pull request, or the
wrong person would approve the next change. The finding points at the first
line of the committed file that differs. A repository without the file gets
no finding.

Failing::

    # records/projects/PRJ-2026-003.yaml
    manager: EMP-0003
    # .github/CODEOWNERS, as committed
    /records/projects/PRJ-2026-003.yaml @xie-wanqing

Passing::

    # records/projects/PRJ-2026-003.yaml
    manager: EMP-0003
    # .github/CODEOWNERS, regenerated with dops codeowners
    /records/projects/PRJ-2026-003.yaml @dengzhiyuan
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules import ownership
from dops.rules.base import Context, Problem

DOC_ZH = """已提交的 .github/CODEOWNERS 与记录生成的一致（记录完整性：谁审核记录的改动）。

谁可以批准对记录的修改，是规范信息使用的一部分：项目记录及其风险由项目经理审核，
个人的绩效考核由其上级和人力资源审核，制度、模式和规则由制度负责人审核。
``dops codeowners`` 把这些审核人写入 ``.github/CODEOWNERS``，分支保护据此要求他们评审。
记录改变了负责人——换了项目经理、换了上级、换了 GitHub 账号——就必须在同一个 Pull Request
中重新生成该文件，否则下一次修改会由不该批准的人批准。检查结果指向已提交文件中第一处
不一致的行。仓库中没有这个文件时不报告。

不合规示例::

    # records/projects/PRJ-2026-003.yaml
    manager: EMP-0003
    # 已提交的 .github/CODEOWNERS
    /records/projects/PRJ-2026-003.yaml @xie-wanqing

合规示例::

    # records/projects/PRJ-2026-003.yaml
    manager: EMP-0003
    # 用 dops codeowners 重新生成的 .github/CODEOWNERS
    /records/projects/PRJ-2026-003.yaml @dengzhiyuan
"""

ID = "codeowners-current"
CLAUSES: tuple[str, ...] = ()  # record integrity: no clause of its own, a precondition of them all
INTEGRITY = True
SEVERITY = "error"
TITLE = msg(".github/CODEOWNERS 须与记录一致", ".github/CODEOWNERS matches the records")


def check_all(ctx: Context) -> Iterator[Problem]:
    committed = ownership.committed(ctx.settings)
    if committed is None:
        return
    difference = ownership.compare(committed, ownership.render(ctx.settings, ctx.index.records))
    if difference is None:
        return
    at = ("line", difference.line)
    # The file is not a record; a stand-in lets the engine place the finding on its line.
    file = Record(
        kind="codeowners", id=ownership.PATH, file=ownership.PATH, data={}, lines={at: (difference.line, 1)}, valid=True
    )
    yield Problem(file, at, difference.message())
