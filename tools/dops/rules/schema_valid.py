"""Every record satisfies the JSON Schema of its kind, ``schemas/<kind>.schema.json`` (2.2.2).

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

from ..model import msg
from ..validation import RULE as ID

CLAUSES = ("2.2.2",)
SEVERITY = "error"
TITLE = msg("记录符合其类型的数据模式", "Records satisfy their kind's schema")
