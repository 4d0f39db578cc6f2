"""JSON Schema validation of records, with findings people can act on.

jsonschema's own messages ("'x' is a required property") are replaced by
bilingual ones that name the field by its title, cite the clauses the schema
attaches to it (``x-clauses``), and say what to do. Conditional blocks
(``if``/``then``) carry their own ``x-message``.

Records are checked against a variant of the schema in which each confidential value (8.2.3) may
also be stored encrypted: an ``ENC[...]`` string whose SOPS type tag suits the field (see
:func:`accepting_encrypted`). So a check without the key still validates the structure and the type
of every encrypted value, and a value in clear is validated as before.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema._utils import Unset
from jsonschema.exceptions import SchemaError, ValidationError

from dops.core import confidential, sops
from dops.core.errors import SchemaProblem
from dops.core.keywords import Validator
from dops.core.model import Finding, Message, Path, Record, msg

RULE = "schema"

# Dates are real calendar days in a plausible range: year 9999 is a typo, and date arithmetic on it overflows.
FORMATS = FormatChecker()
for _name, _check in Draft202012Validator.FORMAT_CHECKER.checkers.items():
    FORMATS.checkers[_name] = _check


@FORMATS.checks("date", raises=ValueError)
def _is_date(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    return (
        len(instance) == 10
        and instance[4] == "-"
        and instance[7] == "-"
        and 1900 <= dt.date.fromisoformat(instance).year <= 2199
    )


@dataclass(frozen=True)
class Schema:
    """A kind's schema as written (``root``) and with local references inlined (``flat``).

    Validating against ``flat`` is about twice as fast: jsonschema resolves
    no ``$ref`` at run time. ``checked`` is ``flat`` with each confidential value also accepted
    encrypted (:func:`accepting_encrypted`): what ``validator`` validates, and where error paths
    are walked. ``fast`` is jsonschema-rs's ``is_valid`` on a copy of ``checked`` that is never
    more lenient than jsonschema (see :func:`_fast_validator`); None where that cannot be promised.
    """

    name: str
    file: str
    root: dict[str, Any]
    flat: dict[str, Any]
    validator: Draft202012Validator
    fast: Callable[[Any], bool] | None = None
    checked: dict[str, Any] | None = None  # None: the same as ``flat``


def _inline(node: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    """Replace ``{"$ref": "#/$defs/x", ...}`` by the definition merged with the node's own keys."""
    if depth > 50:
        raise SchemaProblem(
            msg("$ref 嵌套超过 50 层（引用成环？）。", "$ref nesting deeper than 50 levels (a reference cycle?).")
        )
    if isinstance(node, list):
        return [_inline(item, defs, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs:
        own = {key: _inline(value, defs, depth + 1) for key, value in node.items() if key != "$ref"}
        return {**_inline(defs[ref[8:]], defs, depth + 1), **own}
    return {key: _inline(value, defs, depth + 1) for key, value in node.items() if key != "$defs"}


def load_schema(path: FsPath, display: str) -> Schema:
    """The schema in ``path``; SchemaProblem (naming ``display``) when it cannot be read or is not valid."""
    try:
        content = path.read_bytes()
    except OSError as err:
        raise SchemaProblem(msg(f"无法读取（{err.strerror}）。", f"cannot be read ({err.strerror})."), display) from err
    return _compile(content, path.stem.removesuffix(".schema"), display)


@functools.lru_cache(maxsize=32)
def _compile(content: bytes, name: str, display: str) -> Schema:
    """Parse, check against the metaschema and prepare a validator: once per distinct file content.

    Checking a schema against the 2020-12 metaschema costs more than validating a hundred records;
    the settings' schema is read twice per run, and the same schemas in every test repository.
    """
    try:
        root = json.loads(content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise SchemaProblem(msg(f"不是有效的 JSON（{err}）。", f"is not valid JSON ({err})."), display) from err
    try:
        Draft202012Validator.check_schema(root)
    except SchemaError as err:
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        raise SchemaProblem(
            msg(
                f"不是有效的 JSON Schema（位置 {where}：{err.message}）。",
                f"is not a valid JSON Schema at {where}: {err.message}.",
            ),
            display,
        ) from err
    flat = _inline(root, root.get("$defs", {}))
    checked = accepting_encrypted(flat)
    validator = Validator(checked, format_checker=FORMATS)  # ECMA-262 `$`, linear uniqueItems (core/keywords.py)
    return Schema(name, display, root, flat, validator, _fast_validator(checked), checked)


#: Marks a confidential value's schema in :func:`accepting_encrypted`'s variant: the SOPS type tags it may carry.
SEALED = "x-sealed"
#: What the mark keeps of the value's own schema, for the findings' labels and clauses.
_KEPT = ("title", "description", "x-clauses", "x-confidential", "x-hint")
_LOOKS_ENCRYPTED = {"type": "string", "pattern": r"^ENC\["}


def accepting_encrypted(flat: dict[str, Any]) -> dict[str, Any]:
    """``flat`` with each confidential scalar's schema ``S`` replaced by "an encrypted value, or ``S``".

    A string that starts with ``ENC[`` must be a whole ``ENC[AES256_GCM,...,type:T]`` value whose tag
    ``T`` suits ``S`` (:meth:`dops.core.confidential.Fields.tags_at`): ``int`` for a score, ``str`` for a
    text; any other value is validated against ``S`` as before (``if``/``then``/``else``, so that every
    finding comes from one branch and an encrypted text is never taken for a text in clear). Objects
    marked confidential (an outcome, a budget, a contact) keep their keys in clear; their values are
    what is encrypted. ``if`` conditions are left as they are: an encrypted value never satisfies a
    condition on its value, so a ``then`` that depends on it waits for the key. A schema without
    confidential fields is returned as it is.
    """
    fields = confidential.fields(flat)
    if not fields.patterns:
        return flat
    result: dict[str, Any] = _sealable(flat, (), False, fields)
    return result


def _sealable(node: Any, pattern: tuple[str, ...], marked: bool, fields: confidential.Fields) -> Any:
    if not isinstance(node, dict):
        return node
    marked = marked or node.get("x-confidential") is True
    tags = fields.tags_at(pattern) if marked else frozenset()
    if tags and "properties" not in node and "items" not in node:
        encrypted = {"type": "string", "pattern": sops.ENC_SCHEMA_PATTERN % "|".join(sorted(tags))}
        return {
            **{key: node[key] for key in _KEPT if key in node},
            SEALED: sorted(tags),
            "if": _LOOKS_ENCRYPTED,
            "then": encrypted,
            "else": node,
        }
    copy = dict(node)
    if isinstance(node.get("properties"), dict):
        copy["properties"] = {
            key: _sealable(child, (*pattern, key), marked, fields) for key, child in node["properties"].items()
        }
    if isinstance(node.get("items"), dict):
        copy["items"] = _sealable(node["items"], (*pattern, confidential.ANY_ITEM), marked, fields)
    for keyword in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(keyword), list):
            copy[keyword] = [_sealable(branch, pattern, marked, fields) for branch in node[keyword]]
    for keyword in ("then", "else"):
        if keyword in node:
            copy[keyword] = _sealable(node[keyword], pattern, marked, fields)
    return copy


# The fast first pass. jsonschema-rs (Rust) decides valid / invalid some 30 times faster than
# jsonschema; jsonschema still writes every message, for the records jsonschema-rs calls invalid.
# So the findings stay exactly jsonschema's as long as jsonschema-rs never accepts what jsonschema
# rejects; where it is stricter (NaN as a number, "$" before a final newline, U+FEFF as a space)
# jsonschema is asked as well and has the last word. The differences that would make it more
# lenient are removed here:
# - formats: every format the schema names is checked by the very function jsonschema uses;
# - "\s" / "\S": jsonschema-rs follows ECMAScript, whose white space lacks U+001C-U+001F and
#   U+0085, which Python's re counts (str.isspace); the copy's classes name Python's set;
# - any other escape in a pattern (\d, \w, \b, ...) could differ as well: no fast pass then.
_PY_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace() and chr(c) not in "\t\n\r\f\v ")
_PLAIN_ESCAPES = set("\\.-+*?()[]{}|^$/")


class _Unsafe(Exception):
    """A schema the fast pass cannot be trusted with."""


def _fast_pattern(pattern: str) -> str:
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            escaped = pattern[i + 1 : i + 2]
            if escaped == "s":
                out.append(f"\\s{_PY_SPACE}" if in_class else f"[\\s{_PY_SPACE}]")
            elif escaped == "S" and not in_class:
                out.append(f"[^\\s{_PY_SPACE}]")
            elif escaped in _PLAIN_ESCAPES and escaped:
                out.append(pattern[i : i + 2])
            else:
                raise _Unsafe(pattern)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def _fast_schema(node: Any, formats: set[str]) -> Any:
    if isinstance(node, list):
        return [_fast_schema(item, formats) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: _fast_schema(value, formats) for key, value in node.items()}
    if isinstance(node.get("pattern"), str):
        copy["pattern"] = _fast_pattern(node["pattern"])
    if isinstance(node.get("format"), str):
        formats.add(node["format"])
    return copy


def _format_check(name: str) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        return FORMATS.conforms(value, name)

    return check


def _fast_validator(flat: dict[str, Any]) -> Callable[[Any], bool] | None:
    formats: set[str] = set()
    try:
        schema = _fast_schema(flat, formats)
        fast = jsonschema_rs.validator_for(
            schema,
            formats={name: _format_check(name) for name in formats if name in FORMATS.checkers},
            validate_formats=True,
        )
    except (_Unsafe, ValueError, jsonschema_rs.ValidationError):
        return None
    is_valid: Callable[[Any], bool] = fast.is_valid
    return is_valid


def _label(schema: dict[str, Any] | None, fallback: str) -> Message:
    title = (schema or {}).get("title")
    if isinstance(title, str) and " / " in title:
        zh, en = title.split(" / ", 1)
        return msg(f"{fallback}（{zh}）", f"{fallback} ({en})")
    return msg(fallback, fallback)


def _walk(schema: Schema, schema_path: Sequence[str | int]) -> tuple[list[dict[str, Any]], list[str]]:
    """The subschemas along ``schema_path`` (the keyword excluded) and the deepest clauses."""
    node: Any = schema.checked if schema.checked is not None else schema.flat
    trail: list[dict[str, Any]] = [node]
    clauses: list[str] = list(node.get("x-clauses", []))
    for step in schema_path[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            if node.get("x-clauses"):
                clauses = list(node["x-clauses"])
            trail.append(node)
    return trail, clauses


def _field_name(path: Path) -> str:
    named = [p for p in path if isinstance(p, str)]
    return ".".join(str(p) for p in path) if path else "(record)" if not named else named[-1]


def _describe(error: ValidationError, schema: Schema, record: Record) -> tuple[Path, Message, list[str]]:
    path: Path = tuple(error.absolute_path)
    trail, clauses = _walk(schema, list(error.absolute_schema_path))
    parent = trail[-1] if trail else {}
    own = error.schema if isinstance(error.schema, dict) else {}
    field = _field_name(path)
    keyword = error.validator
    value = error.instance
    # iter_errors sets these; only an error built by hand leaves one unset.
    assert not isinstance(keyword, Unset) and not isinstance(value, Unset)
    assert not isinstance(error.validator_value, Unset)
    hint_source = own.get("x-hint") or parent.get("x-hint")
    hint = msg(hint_source["zh"], hint_source["en"]) if isinstance(hint_source, dict) else None
    conditional = next((node for node in reversed(trail) if "x-message" in node), None)

    def with_hint(message: Message) -> Message:
        if hint is None:
            return message
        return msg(f"{message.zh}（{hint.zh}）", f"{message.en} ({hint.en}.)")

    if sops.is_sealed(value):
        sealable = next((node for node in reversed(trail) if SEALED in node), None)
        if sealable is not None:  # an encrypted value of a confidential field: a tag it cannot take, or damaged
            return path, _sealed_message(value, sealable, _label(sealable, field)), clauses
        if any(node.get("x-confidential") for node in trail):  # a whole outcome, budget or contact encrypted
            return path, _sealed_whole(_label(parent, field)), clauses
        return path, _sealed_where_public(_label(parent, field)), clauses
    if keyword == "required":
        # jsonschema gives one error per missing field, in the schema's order, each naming its field in
        # its message: the field is read from there, or every error would name the first missing one.
        absent = [name for name in error.validator_value if name not in value]
        missing = next((name for name in absent if error.message == f"{name!r} is a required property"), None)
        missing = missing or (absent[0] if absent else "?")
        properties = parent.get("properties", {})
        target = properties.get(missing, {})
        target_clauses = target.get("x-clauses")
        if target_clauses and conditional is None:
            clauses = list(target_clauses)
        label = _label(target, missing)
        if conditional is not None:
            text = conditional["x-message"]
            clauses = list(conditional.get("x-clauses", clauses))
            message = msg(f"{text['zh']} 缺少：{label.zh}。", f"{text['en']} Missing: {label.en}.")
        else:
            where = msg(f"“{field}”中", f"in '{field}'") if path else msg("", "")
            message = msg(
                f"{where.zh}缺少必填字段 {label.zh}。请补充这一项。",
                f"Required field {label.en} is missing{' ' + where.en if path else ''}. Add it.",
            )
        return path, message, clauses
    if keyword == "dependentRequired":
        properties = parent.get("properties", {}) or own.get("properties", {})
        pairs = [
            (name, need)
            for name, needs in error.validator_value.items()
            if name in value
            for need in needs
            if need not in value
        ]
        # One error per missing dependency too, named in its message (as for "required" above).
        given, missing = next(
            (pair for pair in pairs if error.message == f"{pair[1]!r} is a dependency of {pair[0]!r}"),
            pairs[0] if pairs else ("?", "?"),
        )
        target = properties.get(missing, {})
        clauses = list(target.get("x-clauses") or clauses)
        have, lack = _label(properties.get(given, {}), given), _label(target, missing)
        return (
            (*path, given),
            msg(
                f"填写了 {have.zh}，就必须同时填写 {lack.zh}。请补充这一项。",
                f"{have.en} is filled in, so {lack.en} is required too. Add it.",
            ),
            clauses,
        )
    if keyword == "additionalProperties":
        known = list(parent.get("properties", {}))
        extras = [key for key in value if key not in known]
        key = extras[0] if extras else "?"
        guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        suggestion = (
            msg(f"是否应为 “{guess[0]}”？", f"Did you mean '{guess[0]}'?")
            if guess
            else msg(f"可用的字段：{', '.join(known)}。", f"Known fields: {', '.join(known)}.")
        )
        return (
            (*path, key),
            msg(
                f"未知字段 “{key}”。{suggestion.zh}拼错的字段不会被检查，请改正或删除。",
                f"Unknown field '{key}'. {suggestion.en} A misspelt field is never checked: correct or remove it.",
            ),
            clauses,
        )
    if conditional is not None and keyword in ("const", "enum"):
        text = conditional["x-message"]
        return path, msg(text["zh"], text["en"]), list(conditional.get("x-clauses", clauses))
    label = _label(parent, field)
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 60:
        shown = shown[:57] + "…"
    secret = any(node.get("x-confidential") for node in trail)
    if keyword == "type":
        expected = error.validator_value
        kinds = expected if isinstance(expected, list) else [expected]
        zh = "或".join(_TYPE_NAMES.get(k, (k, k))[0] for k in kinds)
        en = " or ".join(_TYPE_NAMES.get(k, (k, k))[1] for k in kinds)
        message = msg(f"{label.zh}应为{zh}，现在是 {shown}。", f"{label.en} must be {en}, not {shown}.")
    elif keyword in ("enum", "const"):
        allowed = error.validator_value if keyword == "enum" else [error.validator_value]
        options = ", ".join(json.dumps(a, ensure_ascii=False) for a in allowed)
        guess = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.5)
        tip = msg(f"是否应为 {guess[0]}？", f"Did you mean {guess[0]}?") if guess else msg("", "")
        message = msg(
            f"{label.zh}的值 {shown} 不在允许范围内，可选：{options}。{tip.zh}",
            f"{label.en} is {shown}, which is not allowed; use one of: {options}. {tip.en}".rstrip(),
        )
    elif keyword == "format":
        message = with_hint(
            msg(
                f"{label.zh}的值 {shown} 不是有效的{error.validator_value}。",
                f"{label.en} is {shown}, not a valid {error.validator_value}.",
            )
        )
        if error.validator_value == "date":
            message = msg(
                f"{label.zh}的值 {shown} 不是有效日期，应写成 YYYY-MM-DD，例如 2026-03-31。",
                f"{label.en} is {shown}, not a valid date; write YYYY-MM-DD, e.g. 2026-03-31.",
            )
    elif keyword == "pattern":
        if isinstance(value, str) and not value.strip():
            message = msg(f"{label.zh}不能为空。请填写内容。", f"{label.en} must not be empty. Fill it in.")
        else:
            message = with_hint(
                msg(f"{label.zh}的值 {shown} 格式不对。", f"{label.en} is {shown}, which is not well-formed.")
            )
    elif keyword == "minLength":
        message = msg(f"{label.zh}不能为空。请填写内容。", f"{label.en} must not be empty. Fill it in.")
    elif keyword == "minItems":
        n = error.validator_value
        message = msg(f"{label.zh}至少需要 {n} 项。请补充。", f"{label.en} needs at least {n} item(s). Add them.")
    elif keyword == "uniqueItems":
        message = msg(f"{label.zh}中有重复的项。请删除重复项。", f"{label.en} lists an item twice. Remove the repeat.")
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = error.validator_value
        word = {
            "minimum": ("不能小于", "at least"),
            "maximum": ("不能大于", "at most"),
            "exclusiveMinimum": ("必须大于", "more than"),
            "exclusiveMaximum": ("必须小于", "less than"),
        }[keyword]
        message = msg(
            f"{label.zh}的值 {shown} {word[0]} {bound}。", f"{label.en} is {shown}; it must be {word[1]} {bound}."
        )
    else:
        message = msg(f"{label.zh}不符合规范。", f"{label.en} is invalid: {error.message}.")
    if secret:  # never echo a confidential value (8.1): findings are shown on the site and in CI logs
        message = msg(message.zh.replace(shown, "（保密值）"), message.en.replace(shown, "(a confidential value)"))
        if error.message and error.message in message.en:
            message = msg(message.zh, message.en.replace(error.message, "not allowed"))
    return path, message, clauses


#: What each SOPS type tag stores, and what each JSON type is called in a finding.
_TAG_NAMES = {
    "str": ("文字", "text"),
    "int": ("整数", "a whole number"),
    "float": ("小数", "a decimal number"),
    "bool": ("true 或 false", "true or false"),
    "time": ("时间", "a timestamp"),
}
_TYPE_NAMES = {
    "string": ("文字", "text"),
    "integer": ("整数", "a whole number"),
    "number": ("数字", "a number"),
    "boolean": ("true 或 false", "true or false"),
    "array": ("列表", "a list"),
    "object": ("映射（字段: 值）", "a mapping (field: value)"),
    "null": ("空", "empty"),
}


def _wanted(node: dict[str, Any]) -> Message:
    """What a value of ``node`` must be, in a few words: "a whole number 1–5", "one of A, B, C, D"."""
    if isinstance(node.get("enum"), list):
        options = ", ".join(json.dumps(option, ensure_ascii=False) for option in node["enum"])
        return msg(f"{options} 之一", f"one of {options}")
    declared = node.get("type")
    kinds = declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else ["string"]
    zh = "或".join(_TYPE_NAMES.get(k, (k, k))[0] for k in kinds)
    en = " or ".join(_TYPE_NAMES.get(k, (k, k))[1] for k in kinds)
    if node.get("format") == "date":
        zh, en = "日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        return msg(f"{zh} {low}–{high}", f"{en} {low}–{high}")
    if low is not None:
        return msg(f"{zh}（不小于 {low}）", f"{en}, at least {low}")
    if high is not None:
        return msg(f"{zh}（不大于 {high}）", f"{en}, at most {high}")
    return msg(zh, en)


def _sealed_message(value: Any, wrapper: dict[str, Any], label: Message) -> Message:
    """An encrypted value its field cannot take: a type tag the schema does not allow, or a damaged value."""
    found = sops.ENC.match(value) if isinstance(value, str) else None
    if found is None:
        return msg(
            f"{label.zh}以 ENC[ 开头，却不是完整的加密值（应为 ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]），"
            "可能在复制或合并时被截断或改动。请从版本历史中恢复这个值，或重新填写后加密。",
            f"{label.en} starts with ENC[ but is not a whole encrypted value (ENC[AES256_GCM,data:…,iv:…,tag:…,"
            "type:…]); it may have been cut or changed in a copy or a merge. Restore the value from the history, "
            "or write it again and encrypt it.",
        )
    tag = found.group("type")
    stored = _TAG_NAMES.get(tag, (f"type:{tag}", f"type:{tag}"))
    clear = wrapper.get("else")
    wanted = _wanted(clear if isinstance(clear, dict) else {})
    return msg(
        f"{label.zh}加密时保存为{stored[0]}（type:{tag}），而模式要求{wanted.zh}。"
        "请用 dops edit 打开记录，改正这个值后保存（保存时重新加密）。",
        f"{label.en} is encrypted as {stored[1]} (type:{tag}); the schema wants {wanted.en}. Open the record "
        "with dops edit and correct the value; it is encrypted again when saved.",
    )


def _sealed_whole(label: Message) -> Message:
    """A group of confidential fields encrypted as one value."""
    return msg(
        f"{label.zh}整体保存成了一个加密值。应逐项加密其中的值，字段名保持明文（dops encrypt 就是这样写的）："
        "请解密后按字段填写，再加密。",
        f"{label.en} is stored as one encrypted value. Each of its values is encrypted on its own and its field "
        "names stay in clear (as dops encrypt writes it): decrypt it, write the fields, then encrypt them.",
    )


def _sealed_where_public(label: Message) -> Message:
    """An encrypted value in a field that is not confidential."""
    return msg(
        f"{label.zh}不是保密字段，却保存为加密值（ENC[…]）。公开字段应以明文保存：请解密后填写原值。",
        f"{label.en} is not a confidential field but holds an encrypted value (ENC[…]). A public field is "
        "stored in clear: decrypt it and write the value itself.",
    )


def _fast_valid(schema: Schema, data: Any) -> bool:
    """True when jsonschema-rs finds ``data`` valid; False when it does not or cannot tell."""
    if schema.fast is None:
        return False
    try:
        return schema.fast(data)
    except Exception:  # data it cannot take (a lone surrogate, ...): jsonschema decides
        return False


def validate(record: Record, schema: Schema, fast: bool = True) -> Iterator[Finding]:
    """Yield one finding per schema violation in ``record``.

    With ``fast``, jsonschema-rs first decides whether there is any: a valid record (nearly all
    of them) costs a thirtieth. ``fast=False`` gives the same findings the slow way (the tests
    compare the two).
    """
    if fast and _fast_valid(schema, record.data):
        return
    for error in schema.validator.iter_errors(record.data):
        path, message, clauses = _describe(error, schema, record)
        line, column = record.at(path)
        yield Finding(
            rule=RULE,
            clauses=tuple(clauses),
            severity="error",
            file=record.file,
            line=line,
            column=column,
            record=record.id,
            message=message,
        )
