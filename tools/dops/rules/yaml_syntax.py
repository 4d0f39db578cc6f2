"""Every record file is one well-formed, plain YAML document (record integrity: a precondition of every clause).

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

from dops.core.loader import RULE as ID  # noqa: F401 - the rule module names its ID
from dops.core.model import msg

DOC_ZH = """每个记录文件都必须是一份格式正确、写法简单的 YAML 文档（记录完整性：各条款的前提）。

记录按 YAML 1.2 的规则读取，因此 ``no`` 仍是文字“no”，``2026-03-31`` 仍是日期字符
串。以下情况会被拒绝，并指出所在的行：语法错误；重复的键（两行都会指出）；锚点、
别名和合并键（``&a``、``*a``、``<<``），它们会让审阅人看不到部分内容；
核心标签以外的标签（``!!python/object``、``!custom``）；一个文件里有多份文档
（``---``）；空文件；不是 UTF-8 编码的内容；控制字符；超过大小上限
（``max_file_kib``）的文件。

不合规示例::

    id: PRJ-2026-001
    phase: execution
    phase: closed        # 重复的键：第 2 行和第 3 行

合规示例::

    id: PRJ-2026-001
    phase: closed
"""

CLAUSES: tuple[str, ...] = ()  # record integrity: no clause of its own, a precondition of them all
INTEGRITY = True
SEVERITY = "error"
TITLE = msg("记录文件必须是格式正确的 YAML", "Record files are well-formed YAML")
