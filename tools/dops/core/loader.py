"""Strict YAML loading with line tracking.

Records are small YAML documents edited by hand. The loader reads them with
YAML 1.2 core-schema semantics (``no`` stays a string, ``2026-01-05`` stays a
string) on top of libyaml's parser, and keeps the line and column of every key
and item. Anything surprising is returned as a finding, never raised:
syntax errors, duplicate keys, aliases and merge keys, tags outside the core
schema, several documents, empty files, bytes that are not UTF-8 and files over
the size limit. Nothing is ever written.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

try:  # libyaml is ~10x faster; the pure-Python parser gives the same events.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


from dops.core.model import Finding, Message, msg
from dops.core.model import Path as RecordPath

# Tags the resolver hands back for untagged scalars, so that explicit tags stay
# distinguishable from implicit ones.
_PLAIN = "?plain"
_QUOTED = "?quoted"
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")

RULE = "yaml"
_EMPTY = msg(
    "文件是空的。请填写记录内容，或删除这个文件。", "The file is empty. Fill in the record, or delete the file."
)
_ALIAS = msg(
    "此处使用了别名（*引用）。记录中不允许锚点和别名：请把内容直接写出来。",
    "An alias (*reference) is used here. Anchors and aliases are not allowed in records: write the content out.",
)
_CLAUSES = ("2.2.2",)  # records must be complete and accurate


class _Loader(_Parser, BaseResolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind: type[Node], value: str | None, implicit: tuple[bool, bool] | bool) -> str:
        """PyYAML hook: scalars get (plain, quoted), collections one bool."""
        if kind is ScalarNode:
            plain = implicit[0] if isinstance(implicit, tuple) else implicit
            return _PLAIN if plain else _QUOTED
        # What BaseResolver.resolve answers for collections when no path resolvers are set.
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG


@dataclass
class Document:
    """A parsed file: plain data plus the position of every key and item."""

    data: dict[str, Any]
    lines: dict[RecordPath, tuple[int, int]] = field(default_factory=dict)


class _Rejected(Exception):
    def __init__(self, line: int, column: int, message: Message, related_line: int | None = None) -> None:
        super().__init__(message.en)
        self.line, self.column, self.message, self.related_line = line, column, message, related_line


def core_scalar(value: str) -> Any:
    """A plain scalar's value under the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution)."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


def _reject(node: Node, message: Message) -> _Rejected:
    mark = node.start_mark
    return _Rejected(mark.line + 1, mark.column + 1, message)


_EXPECTED: dict[str, type | tuple[type, ...]] = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}


def _explicit_scalar(node: ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == _CORE + "str":
        return value
    converted = core_scalar(value)
    expected = _EXPECTED[tag[len(_CORE) :]]
    if isinstance(converted, bool) and expected is not bool:
        converted = value  # a bool is an int to Python, not to YAML
    if not isinstance(converted, expected):
        raise _reject(
            node,
            msg(
                f"标签 {tag} 与值 {value!r} 不符。请去掉标签，直接写值。",
                f"Tag {tag} does not fit the value {value!r}. Remove the tag and write the value plainly.",
            ),
        )
    return float(converted) if isinstance(converted, int) and tag.endswith("float") else converted


def _convert(node: Node, path: RecordPath, lines: dict[RecordPath, tuple[int, int]], seen: set[int]) -> Any:
    if id(node) in seen:
        raise _reject(node, _ALIAS)
    seen.add(id(node))
    tag = node.tag
    if isinstance(node, ScalarNode):
        if tag == _PLAIN:
            return core_scalar(node.value)
        if tag == _QUOTED or tag == "!":
            return node.value
        if tag in _ALLOWED_TAGS:
            return _explicit_scalar(node)
        raise _reject(
            node,
            msg(
                f"不支持的标签 {tag}。记录只能使用普通的 YAML 值：请去掉标签。",
                f"Unsupported tag {tag}. Records use plain YAML values only: remove the tag.",
            ),
        )
    if tag not in _ALLOWED_TAGS:
        raise _reject(
            node,
            msg(
                f"不支持的标签 {tag}。记录只能使用普通的 YAML 映射和列表：请去掉标签。",
                f"Unsupported tag {tag}. Records use plain YAML mappings and lists only: remove the tag.",
            ),
        )
    if isinstance(node, SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(_convert(item, child, lines, seen))
        return items
    assert isinstance(node, MappingNode)
    result: dict[str, Any] = {}
    first_seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not isinstance(key_node, ScalarNode):
            raise _reject(
                key_node,
                msg(
                    "键必须是简单的文字，不能是列表或映射。",
                    "A key must be plain text, not a list or a mapping.",
                ),
            )
        if key_node.tag == _PLAIN and key_node.value == "<<":
            raise _reject(
                key_node,
                msg(
                    "不允许使用合并键 <<。请把要合并的字段直接写在这里。",
                    "Merge keys (<<) are not allowed. Write the merged fields out here.",
                ),
            )
        key = _convert(key_node, path, lines, seen)
        if not isinstance(key, str):
            key = str(key).lower() if isinstance(key, bool) else ("" if key is None else str(key))
        if key in first_seen:
            raise _Rejected(
                line,
                column,
                msg(
                    f"键 “{key}” 重复：第 {first_seen[key]} 行和第 {line} 行。请删除或合并其中一个。",
                    f"Duplicate key '{key}' on lines {first_seen[key]} and {line}. Remove or merge one of them.",
                ),
                related_line=first_seen[key],
            )
        first_seen[key] = line
        child = (*path, key)
        lines[child] = (line, column)
        result[key] = _convert(value_node, child, lines, seen)
    return result


def _offset_to_line(text: bytes, offset: int) -> tuple[int, int]:
    line = text.count(b"\n", 0, offset) + 1
    column = offset - (text.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def _alias_position(text: str) -> tuple[int, int]:
    """The line and column of the first alias in ``text`` (what ``yaml.parse`` would show)."""
    events = _Loader(text)
    try:
        while events.check_event():
            event = events.get_event()
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                return event.start_mark.line + 1, event.start_mark.column + 1
    finally:
        events.dispose()
    return 1, 1


def parse(raw: bytes, max_bytes: int, size: int | None = None) -> Document | Finding:
    """Parse one file's bytes; return the document or a finding (without file)."""

    def finding(line: int, column: int, message: Message, related_line: int | None = None) -> Finding:
        return Finding(
            rule=RULE,
            clauses=_CLAUSES,
            severity="error",
            file="",
            line=line,
            column=column,
            record=None,
            message=message,
            related_line=related_line,
        )

    size = len(raw) if size is None else size
    if size > max_bytes:
        return finding(
            1,
            1,
            msg(
                f"文件有 {size:,} 字节，超过上限 {max_bytes:,} 字节。一个文件只放一条记录；"
                "附件请放到档案库并引用其位置。"
                "",
                f"The file has {size:,} bytes, over the limit of {max_bytes:,}. Keep one record per file; "
                "put attachments in the archive and reference their location.",
            ),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _offset_to_line(raw, err.start)
        return finding(
            line,
            column,
            msg(
                f"文件不是 UTF-8 编码（第 {err.start + 1} 字节无法识别）。请用 UTF-8 重新保存文件。",
                f"The file is not UTF-8 (byte {err.start + 1} cannot be decoded). Save the file as UTF-8.",
            ),
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = err.problem or str(err)
        if "expected a single document" in (err.context or "") + problem:
            return finding(
                line,
                column,
                msg(
                    "一个文件里有多个 YAML 文档（---）。一个文件只能放一条记录：请把其余文档拆到各自的文件中。",
                    "The file holds several YAML documents (---). One file holds one record: "
                    "move the other documents to files of their own.",
                ),
            )
        return finding(
            line,
            column,
            msg(
                f"YAML 语法错误：{problem}。请检查这一行的缩进、冒号和引号。",
                f"YAML syntax error: {problem}. Check the indentation, colons and quotes on this line.",
            ),
        )
    except yaml.YAMLError as err:  # reader errors: control characters and the like
        position = getattr(err, "position", None)
        line, column = (
            _offset_to_line(text.encode("utf-8"), len(text[:position].encode("utf-8")))
            if isinstance(position, int)
            else (1, 1)
        )
        character = getattr(err, "character", None)
        if isinstance(character, str):
            character = ord(character)
        code = f"U+{character:04X}" if isinstance(character, int) else "?"
        return finding(
            line,
            column,
            msg(
                f"文件含有 YAML 不允许的控制字符 {code}。请删除这个字符。",
                f"The file holds a control character YAML does not allow ({code}). Remove it.",
            ),
        )
    finally:
        loader.dispose()
    if node is None or (isinstance(node, ScalarNode) and node.tag == _PLAIN and node.value in _NULL):
        return finding(1, 1, _EMPTY)
    lines: dict[RecordPath, tuple[int, int]] = {(): (node.start_mark.line + 1, node.start_mark.column + 1)}
    try:
        data = _convert(node, (), lines, set())
    except _Rejected as rejected:
        line, column = rejected.line, rejected.column
        if rejected.message is _ALIAS:  # composed nodes forget where the alias stood; the events know
            line, column = _alias_position(text)
        return finding(line, column, rejected.message, related_line=rejected.related_line)
    except RecursionError:
        return finding(
            1,
            1,
            msg(
                "文件嵌套层次过深。请把记录写平。",
                "The file is nested too deeply. Flatten the record.",
            ),
        )
    if not isinstance(data, dict):
        return finding(
            1,
            1,
            msg(
                "记录必须是一个映射（“字段: 值”的形式），而不是列表或单个值。",
                "A record must be a mapping ('field: value' lines), not a list or a single value.",
            ),
        )
    return Document(data, lines)


def read(path: Path, max_bytes: int) -> Document | Finding:
    """Read and parse one file. File-system errors become findings too."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
            size = len(raw) if len(raw) <= max_bytes else path.stat().st_size
    except OSError as err:
        return Finding(
            rule=RULE,
            clauses=_CLAUSES,
            severity="error",
            file="",
            line=1,
            column=1,
            record=None,
            message=msg(f"无法读取文件：{err.strerror}。", f"Cannot read the file: {err.strerror}."),
        )
    return parse(raw, max_bytes, size)
