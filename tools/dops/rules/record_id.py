"""A record's file is named after its ID and sits in its kind's folder (record integrity).

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

from dops.core.model import msg

DOC_ZH = """记录文件以记录编号命名，并放在该类记录的目录下（记录完整性：各条款的前提）。

``records/projects/PRJ-2026-001.yaml`` 里必须是 ``id: PRJ-2026-001``。
人员记录放在 ``records/people/`` 下，考核放在 ``records/reviews/`` 下，
风险放在 ``records/risks/`` 下，培训计划和培训活动放在 ``records/trainings/`` 下（可
以再分子目录）。这样，记录之间的引用、网站上发布的页面和审阅人打开的文件才能一一对
应。

不合规示例（``records/projects/PRJ-2026-002.yaml``）::

    id: PRJ-2026-001

合规示例（``records/projects/PRJ-2026-001.yaml``）::

    id: PRJ-2026-001
"""

ID = "record-id"
CLAUSES: tuple[str, ...] = ()  # record integrity: no clause of its own, a precondition of them all
INTEGRITY = True
SEVERITY = "error"
TITLE = msg("文件名与记录编号一致，并放在对应目录", "File name matches the ID, in the kind's folder")
