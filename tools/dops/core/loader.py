"""Strict YAML loading with line tracking.

Records are small YAML documents edited by hand. The loader reads them with
YAML 1.2 core-schema semantics (``no`` stays a string, ``2026-01-05`` stays a
string) on top of libyaml's parser, and keeps the line and column of every key
and item. Anything surprising is returned as a finding, never raised:
syntax errors, duplicate keys, aliases and merge keys, tags outside the core
schema or on the wrong kind of node, anchors (even without an alias), numbers
that are not finite or have more digits than any record needs, several
documents, empty files, bytes that are not UTF-8, files over the size limit and
paths that are not regular files (a named pipe is never opened, so it cannot
block). Nothing is ever written.

libyaml implements YAML 1.1, which also breaks lines at NEL (U+0085) and the
Unicode line and paragraph separators (U+2028, U+2029); YAML 1.2 and every
editor's line numbers do not. Those characters are swapped for private-use
stand-ins while parsing and put back in the values, so that lines, columns and
values are YAML 1.2's.
"""

from __future__ import annotations

import errno
import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any, TypeVar

import yaml
from yaml.resolver import BaseResolver

try:  # libyaml is ~10x faster; the pure-Python parser gives the same events.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


from dops.core.model import Finding, Message, msg
from dops.core.model import Path as RecordPath

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
_ANCHOR = msg(
    "此处定义了锚点（&名称）。记录中不允许锚点和别名：请删除锚点，把内容直接写出来。",
    "An anchor (&name) is defined here. Anchors and aliases are not allowed in records: remove it and write "
    "the content out.",
)
_CLAUSES = ("2.2.2",)  # records must be complete and accurate

#: The most digits an integer may have: amounts, scores and counts need far fewer, and a longer run of digits
#: is text written without quotes (Python refuses to print integers of more than 4,300 digits).
MAX_DIGITS = 30

#: Characters YAML 1.1 (libyaml) takes for line breaks and YAML 1.2 does not.
_NOT_BREAKS = "\x85\u2028\u2029"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # YAML 1.2 line breaks (https://yaml.org/spec/1.2.2/#54-line-break-characters)


class _Loader(_Parser):
    """libyaml's event parser: records are built straight from its events (``_build``)."""


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


def _reject(node: Any, message: Message) -> _Rejected:
    """A refusal at the start of ``node``, a libyaml event."""
    mark = node.start_mark
    return _Rejected(mark.line + 1, mark.column + 1, message)


_EXPECTED: dict[str, type | tuple[type, ...]] = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}
_SCALAR_TAGS = {_CORE + name for name in _EXPECTED}


def _shown_tag(tag: str) -> str:
    """``!!map`` rather than ``tag:yaml.org,2002:map``: the tag as it was written."""
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _wrong_kind(node: Any) -> _Rejected:
    kind = msg("单个值", "a single value")
    if isinstance(node, yaml.SequenceStartEvent):
        kind = msg("列表", "a list")
    elif isinstance(node, yaml.MappingStartEvent):
        kind = msg("映射", "a mapping")
    tag = node.tag or ""
    return _reject(
        node,
        msg(
            f"标签 {_shown_tag(tag)} 不能用于{kind.zh}。请去掉标签，直接写内容。",
            f"Tag {_shown_tag(tag)} cannot be put on {kind.en}. Remove the tag and write the content plainly.",
        ),
    )


def _number(node: yaml.ScalarEvent, value: str) -> Any:
    """``value`` under the core schema; a finding for integers too long and for numbers that are not finite."""
    digits = value.lstrip("+-")
    if _OCT.match(value) or _HEX.match(value):
        digits = digits[2:]
    if (_INT.match(value) or _OCT.match(value) or _HEX.match(value)) and len(digits) > MAX_DIGITS:
        shown = value[:20] + "…"
        raise _reject(
            node,
            msg(
                f"数字 {shown} 有 {len(digits):,} 位，超过记录允许的 {MAX_DIGITS} 位。"
                "如果这是文字（例如编号），请加上引号。",
                f"The number {shown} has {len(digits):,} digits, more than the {MAX_DIGITS} a record allows. "
                "If it is text (a reference, say), put it in quotes.",
            ),
        )
    converted = core_scalar(value)
    if isinstance(converted, float) and not math.isfinite(converted):
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise _reject(
            node,
            msg(
                f"{shown} 不是有限的数字（过大、无穷大或“非数”）。记录中的金额、分数和数量都必须是有限的数字："
                "请写出具体数值；如果这是文字，请加上引号。",
                f"{shown} is not a finite number (too large, an infinity or not-a-number). Amounts, scores and "
                "counts in a record are finite numbers: write the number; if it is text, put it in quotes.",
            ),
        )
    return converted


def _explicit_scalar(node: yaml.ScalarEvent, value: str) -> Any:
    tag = node.tag or ""
    if tag == _CORE + "str":
        return value
    if tag not in _SCALAR_TAGS:
        raise _wrong_kind(node)
    converted = _number(node, value)
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


# Plain scalars that may be something other than a string start with one of these; most text does not.
_NOT_TEXT_START = frozenset("0123456789+-.~nNtTfF")
# Every plain scalar the core schema reads as a number, in one pattern: the rest of text starting with a digit
# (dates, IDs) is a string after a single match.
_ANY_NUMBER = re.compile(
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_WORDS: dict[str, Any] = {**dict.fromkeys(_NULL), **dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}

#: Text this short is kept once however often it occurs (``sys.intern``): a department's keys, dates, IDs
#: and states repeat across records, and each copy would cost some 60 bytes.
_SHARED_UP_TO = 32

_SHARED: dict[tuple[Any, ...], tuple[Any, ...]] = {}
#: Past this many, the table of shared paths and positions starts afresh (hostile files make many).
_SHARED_AT_MOST = 500_000


_Tuple = TypeVar("_Tuple", bound=tuple[Any, ...])


def share(item: _Tuple) -> _Tuple:
    """One copy of each path and (line, column) pair, however many records hold it.

    The same paths (``("team", 0, "role")``) and positions (``(8, 11)``) recur in every record of a
    kind; the line table of a 10,000-record department holds 680,000 of each, 113 MB held apart, a
    third of that shared.
    """
    kept = _SHARED.get(item)
    if kept is None:
        if len(_SHARED) >= _SHARED_AT_MOST:
            _SHARED.clear()
        _SHARED[item] = kept = item
    return kept  # type: ignore[return-value] # equal to item, so of its type


#: Records are a few levels deep; past this a file is refused rather than built (and later walked) level by level.
MAX_DEPTH = 100
_TOO_DEEP = msg("文件嵌套层次过深。请把记录写平。", "The file is nested too deeply. Flatten the record.")


def _scalar(event: yaml.ScalarEvent, restore: dict[int, str] | None) -> Any:
    """A scalar's value under the YAML 1.2 core schema; the common case (plain text) first."""
    value: str = event.value
    if restore is not None:
        value = value.translate(restore)
    tag = event.tag
    if tag is None or tag == "!":
        if not event.implicit[0]:  # quoted, a block scalar, or tagged "!": text
            return value
        if value and value[0] not in _NOT_TEXT_START:
            return value
        if value in _WORDS:
            return _WORDS[value]
        if _ANY_NUMBER.fullmatch(value) is None:
            return value
        return _number(event, value)
    if tag in _ALLOWED_TAGS:
        return _explicit_scalar(event, value)
    raise _reject(
        event,
        msg(
            f"不支持的标签 {tag}。记录只能使用普通的 YAML 值：请去掉标签。",
            f"Unsupported tag {tag}. Records use plain YAML values only: remove the tag.",
        ),
    )


def _collection(event: yaml.CollectionStartEvent, default: str) -> None:
    """Refuse a tag on a mapping or a list other than its own."""
    tag = event.tag
    if tag is None or tag == "!" or tag == default:
        return
    if tag not in _ALLOWED_TAGS:
        raise _reject(
            event,
            msg(
                f"不支持的标签 {tag}。记录只能使用普通的 YAML 映射和列表：请去掉标签。",
                f"Unsupported tag {tag}. Records use plain YAML mappings and lists only: remove the tag.",
            ),
        )
    raise _wrong_kind(event)


_KEY_NOT_TEXT = msg("键必须是简单的文字，不能是列表或映射。", "A key must be plain text, not a list or a mapping.")
_MERGE_KEY = msg(
    "不允许使用合并键 <<。请把要合并的字段直接写在这里。",
    "Merge keys (<<) are not allowed. Write the merged fields out here.",
)
_SEVERAL_DOCUMENTS = msg(
    "一个文件里有多个 YAML 文档（---）。一个文件只能放一条记录：请把其余文档拆到各自的文件中。",
    "The file holds several YAML documents (---). One file holds one record: "
    "move the other documents to files of their own.",
)
_NO_KEY = object()
_MAP, _SEQ = BaseResolver.DEFAULT_MAPPING_TAG, BaseResolver.DEFAULT_SEQUENCE_TAG


class _Built:
    """What one pass over a document's events gave: the data and lines, or why it is refused."""

    __slots__ = ("data", "empty", "lines", "rejected")

    def __init__(self) -> None:
        self.data: Any = None
        self.empty = True
        self.lines: dict[RecordPath, tuple[int, int]] = {}
        self.rejected: _Rejected | None = None


def _build(events: _Loader, restore: dict[int, str] | None) -> _Built:
    """Plain data and the line and column of every key and item, straight from libyaml's events.

    One pass, no node tree: this runs for every record on every check. A problem in the data (a tag, a
    duplicate key, a number) does not stop the pass: the rest of the document is still parsed, so that a
    syntax error anywhere (raised from ``get_event``) comes first, then several documents (raised here),
    then an alias, an anchor, and last the first problem in the data (in ``rejected``).
    """
    built = _Built()
    lines = built.lines
    get: Callable[[], Any] = events.get_event  # the events' types, untyped: this loop is hot
    alias: _Rejected | None = None
    anchor: _Rejected | None = None
    rejected: _Rejected | None = None
    # Open collections, innermost last: [container, path, the key awaiting its value or _NO_KEY, the line
    # of each key so far (None for a list)]. After a rejection the containers are None: only depth counts.
    stack: list[list[Any]] = []
    get()  # the stream's start
    if get().__class__ is yaml.StreamEndEvent:  # else the document's start
        return built
    while True:
        event = get()
        cls = event.__class__
        if cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            done = stack.pop()
            if not stack:
                built.data = done[0]
                continue
            top = stack[-1]
            if top[0] is None:
                continue
            if top[3] is None:
                top[0].append(done[0])
            else:
                top[0][top[2]] = done[0]
                top[2] = _NO_KEY
            continue
        if cls is yaml.DocumentEndEvent:
            break
        mark = event.start_mark
        at = (mark.line + 1, mark.column + 1)
        value: Any = None
        if cls is yaml.AliasEvent:
            alias = alias or _Rejected(*at, _ALIAS)
        else:
            if event.anchor is not None:
                anchor = anchor or _Rejected(*at, _ANCHOR)
            if cls is yaml.ScalarEvent:
                try:
                    value = _scalar(event, restore)
                    if value.__class__ is str and len(value) <= _SHARED_UP_TO:
                        value = intern(value)  # keys, dates, IDs and states repeat in every record: one copy each
                except _Rejected as problem:
                    rejected = rejected or problem
            else:  # a mapping or a list starts
                is_map = cls is yaml.MappingStartEvent
                parent = stack[-1] if stack else None
                if rejected is None:
                    try:
                        _collection(event, _MAP if is_map else _SEQ)
                    except _Rejected as problem:
                        rejected = problem
                    else:
                        if len(stack) >= MAX_DEPTH:
                            rejected = _Rejected(*at, _TOO_DEEP)
                        elif parent is not None and parent[3] is not None and parent[2] is _NO_KEY:
                            rejected = _reject(event, _KEY_NOT_TEXT)
                if rejected is not None:
                    stack.append([None, (), _NO_KEY, None])
                    continue
                if parent is None:
                    path: RecordPath = ()
                    built.empty = False
                elif parent[3] is None:
                    path = (*parent[1], len(parent[0]))
                else:
                    path = (*parent[1], parent[2])
                if parent is None or parent[3] is None:
                    lines[share(path)] = share(at)
                stack.append([{} if is_map else [], path, _NO_KEY, {} if is_map else None])
                continue
        if not stack:  # the document is a single value
            built.data = value
            built.empty = value is None and cls is yaml.ScalarEvent and bool(event.implicit[0])
            continue
        top = stack[-1]
        if rejected is not None or top[0] is None:
            continue
        first_seen = top[3]
        if first_seen is None:  # an item
            lines[share((*top[1], len(top[0])))] = share(at)
            top[0].append(value)
            continue
        if top[2] is not _NO_KEY:  # a key's value
            top[0][top[2]] = value
            top[2] = _NO_KEY
            continue
        # A key.
        if cls is yaml.ScalarEvent and event.value == "<<" and event.tag is None and event.implicit[0]:
            rejected = _reject(event, _MERGE_KEY)
            continue
        if value.__class__ is not str:
            value = str(value).lower() if isinstance(value, bool) else ("" if value is None else str(value))
        line = at[0]
        if value in first_seen:
            rejected = _Rejected(
                *at,
                msg(
                    f"键 “{value}” 重复：第 {first_seen[value]} 行和第 {line} 行。请删除或合并其中一个。",
                    f"Duplicate key '{value}' on lines {first_seen[value]} and {line}. Remove or merge one of them.",
                ),
                related_line=first_seen[value],
            )
            continue
        first_seen[value] = line
        top[2] = value
        lines[share((*top[1], value))] = share(at)
    following = get()
    if following.__class__ is yaml.DocumentStartEvent:
        raise _reject(following, _SEVERAL_DOCUMENTS)
    built.rejected = alias or anchor or rejected
    return built


def _position(before: str) -> tuple[int, int]:
    """Line and column (in characters, from 1) just after ``before``, with YAML 1.2's line breaks."""
    line, start = 1, 0
    for found in _LINE_BREAK.finditer(before):
        line, start = line + 1, found.end()
    return line, len(before) - start + 1


def _byte_position(encoded: bytes, offset: int) -> tuple[int, int]:
    """Line and column of the character at byte ``offset`` of UTF-8 ``encoded`` (a leading BOM not counted)."""
    before = encoded[:offset].decode("utf-8", errors="ignore")
    return _position(before.removeprefix("\ufeff"))


def _stand_ins(text: str) -> tuple[str, dict[int, str] | None]:
    """``text`` with YAML 1.1's extra line breaks swapped for unused private-use characters, and the way back."""
    if not any(char in text for char in _NOT_BREAKS):
        return text, None
    free = (chr(code) for code in range(0xE000, 0xF900) if chr(code) not in text)
    swap = {char: next(free) for char in _NOT_BREAKS}
    return text.translate({ord(a): b for a, b in swap.items()}), {ord(b): a for a, b in swap.items()}


def event_parser(text: str) -> Any:
    """libyaml's event parser over ``text`` (without a byte-order mark), with YAML 1.2's line breaks.

    Marks are character offsets into ``text``: for tools that change a value's bytes in place.
    """
    return _Loader(_stand_ins(text)[0])


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
        line, column = _byte_position(raw, err.start)
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
    text, restore = _stand_ins(text)
    loader = _Loader(text)
    try:
        built = _build(loader, restore)
    except _Rejected as several:
        return finding(several.line, several.column, several.message)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        # libyaml marks the end of a file without a final line break on the line after the last: point at
        # the end of the last line instead, where an editor shows the cursor.
        last = re.split(r"\r\n|\r|\n", text)
        if line > len(last) and not text.endswith(("\n", "\r")):
            line, column = len(last), len(last[-1]) + 1
        problem = err.problem or str(err)
        return finding(
            line,
            column,
            msg(
                f"YAML 语法错误：{problem}。请检查这一行的缩进、冒号和引号。",
                f"YAML syntax error: {problem}. Check the indentation, colons and quotes on this line.",
            ),
        )
    except yaml.YAMLError as err:  # reader errors: control characters and the like
        position = getattr(err, "position", None)  # libyaml counts bytes of the UTF-8 it was given
        line, column = _byte_position(text.encode("utf-8"), position) if isinstance(position, int) else (1, 1)
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
    if built.empty:
        return finding(1, 1, _EMPTY)
    if built.rejected is not None:
        rejected = built.rejected
        return finding(rejected.line, rejected.column, rejected.message, related_line=rejected.related_line)
    data = built.data
    if not isinstance(data, dict):
        return finding(
            1,
            1,
            msg(
                "记录必须是一个映射（“字段: 值”的形式），而不是列表或单个值。",
                "A record must be a mapping ('field: value' lines), not a list or a single value.",
            ),
        )
    return Document(data, built.lines)


_FILE_TYPES = (
    (stat.S_ISDIR, msg("目录", "a directory")),
    (stat.S_ISFIFO, msg("命名管道（FIFO）", "a named pipe (FIFO)")),
    (stat.S_ISSOCK, msg("套接字", "a socket")),
    (stat.S_ISCHR, msg("字符设备", "a character device")),
    (stat.S_ISBLK, msg("块设备", "a block device")),
)


def _not_regular(mode: int) -> Message | None:
    """Why a file of ``mode`` is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _FILE_TYPES if test(mode)), msg("特殊文件", "a special file"))
    return msg(
        f"这不是普通文件，而是{kind.zh}，因此不会读取。dops 只读取普通文件：请删除它，或换成普通文件。",
        f"This is not a regular file but {kind.en}, so it is not read. dops reads regular files only: "
        "remove it, or put a regular file in its place.",
    )


def _unreadable(err: OSError) -> Message:
    if err.errno == errno.ELOOP:
        return msg(
            "无法读取文件：符号链接形成了循环，指不到真正的文件。请让链接指向实际的记录文件，或删除它。",
            "Cannot read the file: its symbolic links lead round in a loop and never reach a file. "
            "Point the link at the record file, or remove it.",
        )
    if err.errno == errno.ENOENT:
        return msg(
            "无法读取文件：它是一个指向不存在文件的符号链接，或已被删除。请修正链接或删除它。",
            "Cannot read the file: it is a symbolic link to a file that does not exist, or it was removed. "
            "Fix the link or remove it.",
        )
    return msg(f"无法读取文件：{err.strerror}。", f"Cannot read the file: {err.strerror}.")


def read_raw(path: str | Path, max_bytes: int) -> tuple[bytes, int] | Finding:
    """One file's bytes (at most ``max_bytes`` + 1 of them) and its size; file-system problems as findings.

    Whatever the path names is looked at before it is opened, and opened without blocking, so that a
    named pipe or a device under ``records/`` cannot make the check wait forever.
    """

    def finding(message: Message) -> Finding:
        return Finding(
            rule=RULE, clauses=_CLAUSES, severity="error", file="", line=1, column=1, record=None, message=message
        )

    try:
        why = _not_regular(os.stat(path).st_mode)
        if why is not None:
            return finding(why)
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            status = os.fstat(handle)
            why = _not_regular(status.st_mode)  # replaced between the look and the open
            if why is not None:
                return finding(why)
            chunks = []
            wanted = min(max_bytes + 1, status.st_size or max_bytes + 1)
            while wanted > 0:  # a file may still be growing, and a short read is not its end
                chunk = os.read(handle, wanted)
                if not chunk:
                    break
                chunks.append(chunk)
                wanted -= len(chunk)
        finally:
            os.close(handle)
    except OSError as err:
        return finding(_unreadable(err))
    raw = b"".join(chunks)
    size = len(raw) if len(raw) <= max_bytes else status.st_size
    return raw, size


def read(path: Path, max_bytes: int) -> Document | Finding:
    """Read and parse one file. File-system errors and files that are not regular become findings too."""
    got = read_raw(path, max_bytes)
    if isinstance(got, Finding):
        return got
    return parse(got[0], max_bytes, got[1])
