"""Every record file tells which kind of record it holds (record integrity: a precondition of every clause).

The kind comes from the file name's ID prefix (``EMP-`` person, ``PRJ-``
project, ``REV-`` review, ``RSK-`` risk, ``TRP-`` training plan, ``TRS-``
training session) or, failing that, from the ``id`` inside the file. A file
under ``records/`` that shows neither is refused: it would otherwise never be
checked.

Failing (``records/projects/notes.yaml``)::

    name: 会议记录

Passing (``records/projects/PRJ-2026-001.yaml``)::

    id: PRJ-2026-001
    name: 华东仓储系统上线
"""

from dops.core.model import msg

DOC_ZH = """每个记录文件都必须能看出它是哪一类记录（记录完整性：各条款的前提）。

记录类型由文件名中编号的前缀决定（``EMP-`` 人员、``PRJ-`` 项目、``REV-`` 考
核、``RSK-`` 风险、``TRP-`` 培训计划、``TRS-`` 培训活动）；文件名看不出时，
再看文件里的 ``id``。``records/`` 下两处都看不出类型的文件会被拒绝，否则它永远不会被
检查。

不合规示例（``records/projects/notes.yaml``）::

    name: 会议记录

合规示例（``records/projects/PRJ-2026-001.yaml``）::

    id: PRJ-2026-001
    name: 华东仓储系统上线
"""

ID = "record-kind"
CLAUSES: tuple[str, ...] = ()  # record integrity: no clause of its own, a precondition of them all
INTEGRITY = True
SEVERITY = "error"
TITLE = msg("每个记录文件都能看出记录类型", "Every record file shows its kind")
