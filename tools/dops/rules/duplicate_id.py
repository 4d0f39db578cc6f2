"""Each record ID is held by one file only (2.2.2).

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

from typing import Iterator

from ..model import msg
from .base import Context, Problem

ID = "duplicate-id"
CLAUSES = ("2.2.2",)
SEVERITY = "error"
TITLE = msg("每个记录编号只对应一个文件", "Each record ID is held by one file")


def check_all(ctx: Context) -> Iterator[Problem]:
    for record_id, later in ctx.index.duplicates.items():
        first = ctx.index.by_id[record_id]
        for record in later:
            yield Problem(record, ("id",), msg(
                f"编号 {record_id} 已被 {first.file} 使用。一个编号只能对应一个文件：请给本记录换一个未使用的编号"
                "（并相应地给文件改名），或删除重复的文件。",
                f"The ID {record_id} is already used by {first.file}. An ID belongs to one file only: give "
                "this record an unused ID (and rename the file to match), or remove the duplicate file.",
            ), related=first, related_path=("id",))
