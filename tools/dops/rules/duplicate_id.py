"""Each record ID is held by one file only (record integrity: a precondition of every clause).

Records point at each other by ID, and the archive keeps one record per
person, project, review, risk, plan and session. Two files with the same
ID (say ``records/people/EMP-0005.yaml`` and a copy in
``records/people/old/EMP-0005.yaml``) make every reference to that ID
ambiguous: the first file in path order is the one other records see, and
each later one is reported, pointing back at the first.

Failing::

    # records/people/EMP-0005.yaml
    id: EMP-0005
    # records/people/old/EMP-0005.yaml
    id: EMP-0005

Passing::

    # records/people/EMP-0005.yaml
    id: EMP-0005
    # records/people/EMP-0006.yaml
    id: EMP-0006
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import msg
from dops.rules.base import Context, Problem

DOC_ZH = """每个记录编号只能对应一个文件（记录完整性：各条款的前提）。

记录之间通过编号相互引用，档案中每个人员、项目、考核、风险、培训计划和培训活动都只有
一条记录。两个文件用了同一个编号（例如 ``records/people/EMP-0005.yaml`` 和它在
``records/people/old/EMP-0005.yaml`` 的副本），对这个编号的所有引用就都说不清指的是
哪个：其他记录看到的是按路径排序的第一个文件，之后的每个文件都会被报出，
并指回第一个文件。

不合规示例::

    # records/people/EMP-0005.yaml
    id: EMP-0005
    # records/people/old/EMP-0005.yaml
    id: EMP-0005

合规示例::

    # records/people/EMP-0005.yaml
    id: EMP-0005
    # records/people/EMP-0006.yaml
    id: EMP-0006
"""

ID = "duplicate-id"
CLAUSES: tuple[str, ...] = ()  # record integrity: no clause of its own, a precondition of them all
INTEGRITY = True
SEVERITY = "error"
TITLE = msg("每个记录编号只对应一个文件", "Each record ID is held by one file")


def check_all(ctx: Context) -> Iterator[Problem]:
    for record_id, later in ctx.index.duplicates.items():
        first = ctx.index.by_id[record_id]
        for record in later:
            yield Problem(
                record,
                ("id",),
                msg(
                    f"编号 {record_id} 已被 {first.file} 使用。一个编号只能对应一个文件：请给本记录换一个未使用的编号"
                    "（并相应地给文件改名），或删除重复的文件。",
                    f"The ID {record_id} is already used by {first.file}. An ID belongs to one file only: give "
                    "this record an unused ID (and rename the file to match), or remove the duplicate file.",
                ),
                related=first,
                related_path=("id",),
            )
