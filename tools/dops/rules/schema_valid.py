"""Every record satisfies the JSON Schema of its kind, ``schemas/<kind>.schema.json`` (record integrity).

The schemas are derived from the policy clause by clause: every field names
the clauses it serves (``x-clauses``), and the finding cites them. Required
fields, allowed values (``phase: closed``, not ``phase: done``), dates
(``YYYY-MM-DD``, real calendar days), ID formats and unknown (misspelt)
fields are checked here, as is completeness that depends on the record's own
state, e.g. a closed project must name its archive (2.2.2).

Failing::

    id: PRJ-2026-001
    phase: done             # not a phase
    started_on: 2026-02-30  # not a date

Passing::

    id: PRJ-2026-001
    phase: closed
    started_on: 2026-02-28
"""

from dops.core.model import msg
from dops.core.validation import RULE as ID  # noqa: F401 - the rule module names its ID

DOC_ZH = """每个记录都必须符合其类型的 JSON Schema，即 ``schemas/<kind>.schema.json``（记录完整性：各条款的前提）。

这些数据模式是对照制度逐条制定的：每个字段都注明它所服务的条款（``x-clauses``），
检查结果会引用这些条款。这里检查必填字段、允许的取值（应写 ``phase: closed``，
不能写 ``phase: done``）、日期（``YYYY-MM-DD``，且必须是日历上真实存在的日子）、
编号格式，以及未知的（拼错的）字段；也检查随记录自身状态而定的完整性，
例如已关闭的项目必须写明其归档（2.2.2）。

不合规示例::

    id: PRJ-2026-001
    phase: done             # 没有这个阶段
    started_on: 2026-02-30  # 不是有效的日期

合规示例::

    id: PRJ-2026-001
    phase: closed
    started_on: 2026-02-28
"""

CLAUSES: tuple[str, ...] = ()  # record integrity: no clause of its own, a precondition of them all
INTEGRITY = True
SEVERITY = "error"
TITLE = msg("记录符合其类型的数据模式", "Records satisfy their kind's schema")
