"""A record holds no template placeholder left unfilled (record integrity: a precondition of every clause).

``dops new`` writes a record with a placeholder such as
``"<填写：协议编号 / fill in: Reference>"`` wherever a value only a person can
give is needed. Records must be complete and accurate, so every text that
still holds such a placeholder – ``<填写…>`` or ``<fill in…>`` in angle
brackets, anywhere in the value – is reported at its line, naming the field.
Replace each placeholder with the real value. The rule also reads records
that fail their schema, so that all placeholders are listed at once. A
placeholder in a field that takes an ID, a date, a number or one of fixed
values is refused by the schema already, whose finding lists what the field
accepts; it is not reported twice.

Failing::

    id: EMP-0018
    name: 赵敏
    title: "<填写：职位 / fill in: Job title>"   # left as generated

Passing::

    id: EMP-0018
    name: 赵敏
    title: 项目专员
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dops.core.kinds import KINDS
from dops.core.model import Path, Record, msg
from dops.core.validation import Schema, load_schema
from dops.rules.base import Context, Problem, strings

DOC_ZH = """记录中不得留有未填写的模板占位符（记录完整性：各条款的前提）。

``dops new`` 生成记录时，凡是需要人来填写的值，都写成占位符，例如
``"<填写：协议编号 / fill in: Reference>"``。记录应当完整、准确，因此仍含有这种占位符的文字
——任何位置出现用尖括号括起的 ``<填写…>`` 或 ``<fill in…>``——都会在其所在行报出，
并指明字段。请把每个占位符换成实际内容。不符合数据模式的记录也会检查，所以所有占位符一次列全。
填人员编号、日期、数字或固定取值的字段中的占位符，数据模式已经拒绝，其检查结果会列出该字段
接受的值，这里不再重复报出。

不合规示例::

    id: EMP-0018
    name: 赵敏
    title: "<填写：职位 / fill in: Job title>"   # 保留了生成时的占位符

合规示例::

    id: EMP-0018
    name: 赵敏
    title: 项目专员
"""

ID = "placeholder-unfilled"
CLAUSES: tuple[str, ...] = ()  # record integrity: no clause of its own, a precondition of them all
INTEGRITY = True
SEVERITY = "error"
TITLE = msg("记录中没有未填写的模板占位符", "Records hold no unfilled template placeholder")

#: Any placeholder, also one a user shortened or half-edited.
PLACEHOLDER = re.compile(r"<\s*(?:填写|fill in)[^<>]*>", re.IGNORECASE)
# The form ``placeholder()`` writes, to name the field in the message.
_NAMED = re.compile(r"<填写：(?P<zh>[^<>]+?) / fill in: (?P<en>[^<>]+?)>")


def _may_hold_one(text: str) -> bool:
    return "<" in text


def placeholder(zh: str, en: str) -> str:
    """The placeholder for a field titled ``zh`` / ``en``; this rule refuses it until replaced."""
    return f"<填写：{zh} / fill in: {en}>"


def _dotted(path: Path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _refused_by_schema(record: Record, ctx: Context, schemas: dict[str, Schema]) -> set[Path]:
    """Where the schema finds fault with ``record`` (it already said so there)."""
    kind = KINDS.get(record.kind)
    if record.valid or kind is None:
        return set()
    if kind.name not in schemas:  # loaded only for invalid records that hold a placeholder: rare
        schemas[kind.name] = load_schema(
            ctx.settings.schemas_dir / kind.schema_file, f"{ctx.settings.schemas}/{kind.schema_file}"
        )
    return {tuple(error.absolute_path) for error in schemas[kind.name].validator.iter_errors(record.data)}


def check_all(ctx: Context) -> Iterator[Problem]:
    schemas: dict[str, Schema] = {}
    # Every record, valid or not: a placeholder in a date or ID field makes the
    # record fail its schema, and the text placeholders must still be listed.
    for record in ctx.index.records:
        if "<" not in repr(record.data):  # most records hold no "<" at all: one pass in C says so
            continue
        placeholders = [
            (path, found)
            for path, text in strings(record.data, _may_hold_one)
            if (found := PLACEHOLDER.search(text)) is not None
        ]
        refused = _refused_by_schema(record, ctx, schemas) if placeholders else set()
        for path, found in placeholders:
            if path in refused:
                continue
            field = _dotted(path)
            named = _NAMED.fullmatch(found.group())
            zh = f"“{named['zh']}”（{field}）" if named else f"“{field}”"
            en = f"{named['en']} ({field})" if named else f"'{field}'"
            yield Problem(
                record,
                path,
                msg(
                    f"{zh}仍是模板占位符 {found.group()}，尚未填写。请按字段上方的注释填写实际内容。",
                    f"{en} still holds the template placeholder {found.group()}. Fill in the real value, as the "
                    "comment above the field explains.",
                ),
            )
