"""A record's file is named after its ID and sits in its kind's folder (2.2.2).

``records/projects/PRJ-2026-001.yaml`` must hold ``id: PRJ-2026-001``; a
person lives under ``records/people/``, a review under ``records/reviews/``,
a risk under ``records/risks/``, plans and sessions under
``records/trainings/`` (sub-folders are fine). The rule keeps links between
records, the published pages and the file a reviewer opens in step.

Failing (``records/projects/PRJ-2026-002.yaml``)::

    id: PRJ-2026-001

Passing (``records/projects/PRJ-2026-001.yaml``)::

    id: PRJ-2026-001
"""

from ..model import msg

ID = "record-id"
CLAUSES = ("2.2.2",)
SEVERITY = "error"
TITLE = msg("文件名与记录编号一致，并放在对应目录", "File name matches the ID, in the kind's folder")
