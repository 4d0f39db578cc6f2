"""Every record file is one well-formed, plain YAML document (2.2.2).

Records are read with YAML 1.2 semantics, so ``no`` stays the text "no" and
``2026-03-31`` stays a date string. The loader refuses, with the line:
syntax errors; duplicate keys (both lines are named); anchors, aliases and
merge keys (``&a``, ``*a``, ``<<``), which hide content from reviewers; tags
other than the core ones (``!!python/object``, ``!custom``); several
documents in one file (``---``); empty files; bytes that are not UTF-8;
control characters; files over the size limit (``max_file_kib``).

Failing::

    id: PRJ-2026-001
    phase: execution
    phase: closed        # duplicate key: lines 2 and 3

Passing::

    id: PRJ-2026-001
    phase: closed
"""

from ..loader import RULE as ID
from ..model import msg

CLAUSES = ("2.2.2",)
SEVERITY = "error"
TITLE = msg("记录文件必须是格式正确的 YAML", "Record files are well-formed YAML")
