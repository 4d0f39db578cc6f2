"""Every record file tells which kind of record it holds (2.2.2).

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

from ..model import msg

ID = "record-kind"
CLAUSES = ("2.2.2",)
SEVERITY = "error"
TITLE = msg("每个记录文件都能看出记录类型", "Every record file shows its kind")
