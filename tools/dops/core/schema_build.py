"""Generate ``schemas/*.schema.json`` from their single sources in ``schemas/src/``.

Each kind's schema is written once, in ``schemas/src/<kind>.schema.yaml``;
definitions shared by several kinds live in other YAML files there (such as
``common.yaml``), which hold nothing but ``$defs``. A source never holds text
that can be derived. The generator adds it:

* every ``$ref`` is inlined: the definition, with the referring node's own keys
  merged over it. yaml-language-server misreads ``x-*`` keys beside a ``$ref``,
  so the generated schemas hold no ``$ref`` and no ``$defs``;
* ``markdownDescription`` (what editors show on hover) for every subschema
  below the root with a title and a description: the description, then
  ``制度条款 / Policy clauses: …`` from ``x-clauses``, then a confidentiality
  note when ``x-confidential`` is true;
* ``patternErrorMessage`` (the editor's message for a ``pattern`` mismatch)
  from ``x-hint``: ``"<zh> / <en>"``;
* ``$schema``, ``$id`` (the file name), a ``$comment`` naming the source and
  ``x-dops-schema-version``, the version of the record model this dops reads.

Keys come out in a fixed order and the text is ``json.dumps(..., indent=2)``,
so the same sources always give the same bytes. Sources are read as YAML 1.2
core schema (``2026-03-31`` and ``no`` stay strings); duplicate keys, anchors,
aliases and tags are refused.

``python -m dops.core.schema_build`` rewrites the generated files that differ;
``--check`` writes nothing and exits 1 when one is out of date, missing, or has
no source. A broken source stops both with exit code 2 and a one-line message
naming the file.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from dops.core import bundled, loader
from dops.core.kinds import SCHEMA_VERSION, VERSION_KEY

SCHEMA_DIR = "schemas"
SOURCE_DIR = "schemas/src"
SOURCE_SUFFIX = ".schema.yaml"
TARGET_SUFFIX = ".schema.json"
COMMAND = "python -m dops.core.schema_build"

DRAFT = "https://json-schema.org/draft/2020-12/schema"
CLAUSES_LABEL = "制度条款 / Policy clauses: "
CONFIDENTIAL_NOTE = "保密字段，不会发布到网站 / Confidential: never published (8.1)."

# The order of keys in a generated schema object. Keys not listed here are
# x-* extensions; they follow, sorted by name.
KEY_ORDER = (
    "$schema", "$id", "$comment",
    "title", "description", "markdownDescription", "x-clauses", "x-confidential",
    "type", "const", "enum", "format", "minLength", "maxLength", "pattern", "patternErrorMessage", "x-hint",
    "contentEncoding", "contentMediaType", "contentSchema",
    "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf",
    "minItems", "maxItems", "uniqueItems", "prefixItems", "items", "contains", "minContains", "maxContains",
    "unevaluatedItems",
    "minProperties", "maxProperties", "additionalProperties", "propertyNames", "properties", "patternProperties",
    "required", "dependentRequired", "dependentSchemas", "unevaluatedProperties",
    "if", "then", "else", "x-message", "allOf", "anyOf", "oneOf", "not",
    "default", "examples", "deprecated", "readOnly", "writeOnly",
    "$anchor", "$dynamicAnchor", "$dynamicRef", "$vocabulary",
)  # fmt: skip
_RANK = {key: rank for rank, key in enumerate(KEY_ORDER)}

# Keywords whose value is a schema, a mapping of names to schemas, or a list of schemas.
_SCHEMA = frozenset({
    "items", "contains", "unevaluatedItems", "additionalProperties", "propertyNames", "unevaluatedProperties",
    "if", "then", "else", "not", "contentSchema",
})  # fmt: skip
_SCHEMA_MAP = frozenset(["properties", "patternProperties", "dependentSchemas"])
_SCHEMA_LIST = frozenset(["prefixItems", "allOf", "anyOf", "oneOf"])

# Generated keys: a source that writes one would silently disagree with the generator.
_GENERATED = {
    "markdownDescription": "it is generated from description, x-clauses and x-confidential",
    "patternErrorMessage": "it is generated from x-hint",
    "$schema": "every generated schema is JSON Schema 2020-12",
    "$id": "it is generated from the file name",
    VERSION_KEY: "it is the version of the record model this dops reads (dops.core.kinds.SCHEMA_VERSION)",
}

_REF = re.compile(r"(?:(?P<file>[A-Za-z0-9][A-Za-z0-9_.-]*\.yaml))?#/\$defs/(?P<name>[^/~]+)\Z")
_DEF_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


class SourceError(Exception):
    """A schema source cannot be read or turned into a schema.

    ``document`` is the source file's name when the problem lies in another
    file than the one being generated (a shared definition), else None.
    """

    def __init__(self, message: str, where: str = "", document: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.document = document

    def located(self) -> str:
        return f"{self.message} (at {self.where})" if self.where else self.message


# --- Reading sources ------------------------------------------------------------------------------------------------

_PLAIN, _QUOTED = "?plain", "?quoted"
_CORE = "tag:yaml.org,2002:"


try:  # libyaml parses several times faster; the pure-Python parser gives the same nodes.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):
    """Composes nodes only; implicit scalars are tagged by style and resolved by :func:`_scalar`."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _QUOTED
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


def _scalar(value: str) -> Any:
    """A plain scalar's value under the YAML 1.2 core schema (infinities and NaN are not JSON: left as text)."""
    converted = loader.core_scalar(value)
    return value if isinstance(converted, float) and not math.isfinite(converted) else converted


class _Refused(Exception):
    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.message = message
        self.line = node.start_mark.line + 1
        self.column = node.start_mark.column + 1


def _convert(node: yaml.Node, seen: set[int]) -> Any:
    if node.tag not in (_PLAIN, _QUOTED, _CORE + "str", _CORE + "map", _CORE + "seq"):
        raise _Refused(f"tag {node.tag} is not allowed: write the value plainly", node)
    if id(node) in seen:
        raise _Refused("anchors and aliases are not allowed: share a definition with $defs and $ref", node)
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node.value) if node.tag == _PLAIN else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, seen) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, seen)
            if not isinstance(key, str):
                raise _Refused(f"key {key!r} is not text: quote it", key_node)
            if key in result:
                raise _Refused(f"duplicate key {key!r}", key_node)
            result[key] = _convert(value_node, seen)
        return result
    raise _Refused("unexpected YAML node", node)  # pragma: no cover - PyYAML has no other kind


def parse_source(text: str, display: str) -> dict[str, Any]:
    """A source document from YAML text; SourceError (naming ``display``) if it is not one."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        detail = f"{err.problem} ({err.context})" if err.context else str(err.problem)
        raise SourceError(f"{display}{where}: not valid YAML: {detail}") from None
    except yaml.YAMLError as err:
        raise SourceError(f"{display}: not valid YAML: {' '.join(str(err).split())}") from None
    if node is None:
        raise SourceError(f"{display}: the file is empty")
    try:
        data = _convert(node, set())
    except _Refused as err:
        raise SourceError(f"{display}:{err.line}:{err.column}: {err.message}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{display}: expected a mapping at the top")
    return data


# --- Generating one schema ------------------------------------------------------------------------------------------


def _kind_of(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true or false", type(None): "empty"}.get(
        type(value), "a number"
    )


def _data(value: Any, where: str) -> Any:
    """A copy of a JSON value (enum, default, x-hint, …)."""
    if isinstance(value, dict):
        return {key: _data(item, f"{where}/{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [_data(item, f"{where}/{index}") for index, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise SourceError(f"{value} is not a JSON number", where)
    return value


def _check_annotations(node: Mapping[str, Any], where: str) -> None:
    """The keys the derived texts and the checker's messages are made from must have the right shape.

    Raises SourceError with ``where`` but no document: the caller knows which file it is.
    """
    for key in ("title", "description", "$comment"):
        if key in node and not isinstance(node[key], str):
            raise SourceError(f"{key} must be text, not {_kind_of(node[key])}", where)
    if "x-clauses" in node:
        clauses = node["x-clauses"]
        if not isinstance(clauses, list) or not all(isinstance(c, str) and c.strip() for c in clauses):
            raise SourceError('x-clauses must be a list of clause numbers written as text, e.g. ["2.1.4"]', where)
    if "x-confidential" in node and not isinstance(node["x-confidential"], bool):
        raise SourceError("x-confidential must be true or false", where)
    for key in ("x-hint", "x-message"):
        if key in node:
            value = node[key]
            if not (
                isinstance(value, dict)
                and set(value) == {"zh", "en"}
                and all(isinstance(text, str) and text.strip() for text in value.values())
            ):
                raise SourceError(f"{key} must be a mapping with two texts, zh and en", where)


class _Generator:
    """Inlines references and derives texts for one source; ``used`` collects the definitions it inlined."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]], home: str) -> None:
        self.documents = documents
        self.home = home
        self.used: set[tuple[str, str]] = set()
        self.stack: list[tuple[str, str]] = []

    def error(self, message: str, document: str, where: str) -> SourceError:
        return SourceError(message, where, None if document == self.home else document)

    def schema(self, node: Any, document: str, where: str, *, root: bool = False) -> Any:
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            raise self.error(
                f"expected a schema (a mapping, or true or false), found {_kind_of(node)}", document, where
            )
        own: dict[str, Any] = {}
        for key, value in node.items():
            here = f"{where}/{key}" if where else key
            if key in _GENERATED:
                raise self.error(f"do not write {key}: {_GENERATED[key]}", document, here)
            if key == "$defs":
                if not root:
                    raise self.error("$defs belongs at the top of a source file", document, here)
            elif key == "$comment" and root:
                raise self.error("$comment at the top is generated: use a YAML comment instead", document, here)
            elif key == "$ref":
                continue
            elif key in _SCHEMA:
                own[key] = self.schema(value, document, here)
            elif key in _SCHEMA_MAP:
                if not isinstance(value, dict):
                    raise self.error(f"{key} must be a mapping of names to schemas", document, here)
                own[key] = {name: self.schema(item, document, f"{here}/{name}") for name, item in value.items()}
            elif key in _SCHEMA_LIST:
                if not isinstance(value, list) or not value:
                    raise self.error(f"{key} must be a non-empty list of schemas", document, here)
                own[key] = [self.schema(item, document, f"{here}/{index}") for index, item in enumerate(value)]
            elif key in _RANK or key.startswith("x-"):
                try:
                    own[key] = _data(value, here)
                except SourceError as err:
                    raise self.error(err.message, document, err.where) from None
            else:
                raise self.error(f"unknown keyword {key!r} (a typo? extensions start with x-)", document, here)
        try:
            _check_annotations(node, where or "(top)")
        except SourceError as err:
            raise self.error(err.message, document, err.where) from None
        merged = own
        if "$ref" in node:
            merged = {**self.inline(node["$ref"], document, f"{where}/$ref" if where else "$ref"), **own}
            merged.pop("markdownDescription", None)
            merged.pop("patternErrorMessage", None)
        return _finish(merged, root=root)

    def inline(self, ref: Any, document: str, where: str) -> dict[str, Any]:
        """The definition ``ref`` names, generated (without the keys only a root gets)."""
        match = _REF.match(ref) if isinstance(ref, str) else None
        if match is None:
            raise self.error(
                f"unsupported $ref {ref!r}: write '#/$defs/<name>' or '<file>.yaml#/$defs/<name>'", document, where
            )
        target = match["file"] or document
        name = match["name"]
        if target not in self.documents:
            raise self.error(f"$ref {ref!r}: there is no source file {target}", document, where)
        definitions = self.documents[target].get("$defs", {})
        if not isinstance(definitions, dict) or name not in definitions:
            raise self.error(f"$ref {ref!r}: {target} has no definition {name!r}", document, where)
        key = (target, name)
        if key in self.stack:
            cycle = " -> ".join(f"{file}#/$defs/{def_name}" for file, def_name in [*self.stack, key])
            raise self.error(f"reference cycle: {cycle}", document, where)
        self.stack.append(key)
        self.used.add(key)
        try:
            generated = self.schema(definitions[name], target, f"$defs/{name}")
        finally:
            self.stack.pop()
        if not isinstance(generated, dict):
            raise self.error(f"$ref {ref!r}: a definition used by reference must be a mapping", document, where)
        return generated


def _finish(node: dict[str, Any], *, root: bool) -> dict[str, Any]:
    """Add the derived texts and put the keys in their fixed order."""
    title, description = node.get("title"), node.get("description")
    if not root and isinstance(title, str) and isinstance(description, str):
        parts = [description]
        if node.get("x-clauses"):
            parts.append(CLAUSES_LABEL + ", ".join(node["x-clauses"]))
        if node.get("x-confidential") is True:
            parts.append(CONFIDENTIAL_NOTE)
        node["markdownDescription"] = "\n\n".join(parts)
    hint = node.get("x-hint")
    if "pattern" in node and isinstance(hint, dict):
        node["patternErrorMessage"] = f"{hint['zh']} / {hint['en']}"
    return {key: node[key] for key in sorted(node, key=lambda key: (_RANK.get(key, len(_RANK)), key))}


#: Wraps a confidential value's schema so that the file may hold it encrypted (``ENC[...]``, SOPS).
SEALED = "x-sealed"
_ENCRYPTED_VALUE = (
    r"^ENC\[AES256_GCM,data:[A-Za-z0-9+/]*={0,2},iv:[A-Za-z0-9+/]+={0,2},tag:[A-Za-z0-9+/]+={0,2},"
    r"type:(str|int|float|bool|time)\]$"
)
_WRAPPER_KEEPS = ("title", "description", "markdownDescription", "x-clauses", "x-confidential")
_SOPS_BLOCK = {
    "title": "SOPS 元数据 / SOPS metadata",
    "description": "加密文件的数据密钥（为每位读者分别封装）和 MAC，由 dops 或 sops 写入，请勿手工修改（8.2.3）。\n\n"
    "The encrypted file's data key, wrapped for each reader, and its MAC; written by dops or sops, never by hand "
    "(8.2.3).",
    "type": "object",
}


def _accepting_encrypted(node: Any, marked: bool = False) -> Any:
    """The generated schema, with each confidential value allowed to be stored encrypted (8.2.3).

    Editors and other validators read the published schema, so an encrypted record must be valid against
    it: a confidential scalar becomes "a string that starts with ENC[ is a whole encrypted value, anything
    else is the value as before" (``if``/``then``/``else``, marked ``x-sealed``), and a schema with
    confidential fields allows the ``sops`` metadata block. dops narrows each ``type:`` tag to what the
    field allows when it compiles the schema (:func:`dops.core.validation.accepting_encrypted`).
    """
    if isinstance(node, list):
        return [_accepting_encrypted(item, marked) for item in node]
    if not isinstance(node, dict) or SEALED in node:
        return node
    marked = marked or node.get("x-confidential") is True
    if marked and "properties" not in node and "items" not in node and node.get("type") not in ("object", "array"):
        inner = dict(node)
        return {
            **{key: node[key] for key in _WRAPPER_KEEPS if key in node},
            SEALED: True,
            "if": {"type": "string", "pattern": "^ENC\\["},
            "then": {"type": "string", "pattern": _ENCRYPTED_VALUE},
            "else": inner,
        }
    out = {}
    for key, value in node.items():
        if key in ("properties", "$defs") and isinstance(value, dict):
            inherit = marked if key == "properties" else False
            out[key] = {name: _accepting_encrypted(child, inherit) for name, child in value.items()}
        elif key in ("items", "allOf", "anyOf", "oneOf", "then", "else"):
            out[key] = _accepting_encrypted(value, marked)
        else:
            out[key] = value
    return out


def _has_confidential(node: Any) -> bool:
    if isinstance(node, dict):
        return node.get("x-confidential") is True or any(_has_confidential(value) for value in node.values())
    if isinstance(node, list):
        return any(_has_confidential(item) for item in node)
    return False


def _check_definitions(document: Mapping[str, Any], display: str) -> None:
    definitions = document.get("$defs", {})
    if not isinstance(definitions, dict):
        raise SourceError(f"{display}: $defs must be a mapping of names to schemas")
    for name in definitions:
        if not _DEF_NAME.match(name):
            raise SourceError(f"{display}: definition name {name!r} must be letters, digits, - and _")


def _generate(
    source: Mapping[str, Any], kind: str, library: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, Any], set[tuple[str, str]]]:
    home = kind + SOURCE_SUFFIX
    generator = _Generator({**library, home: source}, home)
    body = generator.schema(dict(source), home, "", root=True)
    comment = (
        f"由 {SOURCE_DIR}/{home} 生成，请勿直接修改 / Generated from {SOURCE_DIR}/{home}: "
        f"edit the source and run {COMMAND}."
    )
    stamp = {"$schema": DRAFT, "$id": kind + TARGET_SUFFIX, "$comment": comment, VERSION_KEY: SCHEMA_VERSION}
    sealable = _accepting_encrypted(body)
    if _has_confidential(body) and isinstance(sealable.get("properties"), dict):
        sealable["properties"] = {**sealable["properties"], "sops": _finish(dict(_SOPS_BLOCK), root=False)}
    schema = _finish({**stamp, **sealable}, root=True)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as err:
        where = "/".join(str(step) for step in err.absolute_path) or "(top)"
        raise SourceError(f"not a valid JSON Schema: {err.message}", where) from None
    return schema, generator.used


def generate(
    source: Mapping[str, Any], kind: str, library: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """The schema ``<kind>.schema.json`` generated from its source document.

    ``library`` maps the names of other source files to their documents, for
    references such as ``common.yaml#/$defs/date``. Raises SourceError.
    """
    return _generate(source, kind, library or {})[0]


def render(schema: Mapping[str, Any]) -> str:
    """The generated file's text."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


# --- The repository -------------------------------------------------------------------------------------------------


def _read(path: Path, display: str) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as err:
        raise SourceError(f"{display}: cannot read ({err.strerror})") from None
    except UnicodeDecodeError:
        raise SourceError(f"{display}: not UTF-8 text") from None
    return parse_source(text, display)


def _sources(root: Path) -> list[Path]:
    folder = root / SOURCE_DIR
    if not folder.is_dir():
        raise SourceError(f"{SOURCE_DIR}/: no such folder (run from the repository root, or pass --root)")
    return sorted(folder.glob("*.yaml"))


def build(root: Path) -> dict[str, str]:
    """Every generated schema's path (relative to ``root``, with /) and text. Raises SourceError."""
    documents: dict[str, dict[str, Any]] = {}
    for path in _sources(root):
        display = f"{SOURCE_DIR}/{path.name}"
        documents[path.name] = _read(path, display)
        _check_definitions(documents[path.name], display)
        if not path.name.endswith(SOURCE_SUFFIX) and set(documents[path.name]) != {"$defs"}:
            raise SourceError(
                f"{display}: a file of shared definitions holds only $defs "
                f"(a schema's source is named <kind>{SOURCE_SUFFIX})"
            )
    result: dict[str, str] = {}
    used: set[tuple[str, str]] = set()
    for name, document in documents.items():
        if not name.endswith(SOURCE_SUFFIX):
            continue
        kind = name.removesuffix(SOURCE_SUFFIX)
        try:
            schema, inlined = _generate(document, kind, documents)
        except SourceError as err:
            raise SourceError(f"{SOURCE_DIR}/{err.document or name}: {err.located()}") from None
        used |= inlined
        result[f"{SCHEMA_DIR}/{kind}{TARGET_SUFFIX}"] = render(schema)
    if not result:
        raise SourceError(f"{SOURCE_DIR}/: no schema sources (*{SOURCE_SUFFIX})")
    for name, document in documents.items():
        for definition in document.get("$defs", {}):
            if (name, definition) not in used:
                raise SourceError(f"{SOURCE_DIR}/{name}: $defs/{definition} is not used by any schema: remove it")
    return result


def _orphans(root: Path, expected: Mapping[str, str]) -> list[str]:
    """One line per schema in the schemas folder that no source generates."""
    problems: list[str] = []
    for path in sorted((root / SCHEMA_DIR).glob("*" + TARGET_SUFFIX)):
        relative = f"{SCHEMA_DIR}/{path.name}"
        if relative not in expected:
            source = f"{SOURCE_DIR}/{path.name.removesuffix(TARGET_SUFFIX)}{SOURCE_SUFFIX}"
            problems.append(
                f"{relative}: 没有源文件 / has no source {source}: write the source and run {COMMAND}, "
                "or delete the file."
            )
    return problems


def check(root: Path) -> list[str]:
    """One line per generated schema that differs from, or is missing for, its source, or has no source."""
    expected = build(root)
    problems: list[str] = []
    for relative, text in expected.items():
        source = f"{SOURCE_DIR}/{Path(relative).name.removesuffix(TARGET_SUFFIX)}{SOURCE_SUFFIX}"
        path = root / relative
        if not path.is_file():
            problems.append(f"{relative}: 缺失 / is missing (its source is {source}): run {COMMAND} and commit it.")
        elif path.read_bytes() != text.encode("utf-8"):
            problems.append(f"{relative}: 与源文件不一致 / differs from {source}: run {COMMAND} and commit the result.")
    return problems + _orphans(root, expected)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write(root: Path) -> list[str]:
    """Write the generated schemas that differ from what is on disk; the paths written."""
    written: list[str] = []
    for relative, text in build(root).items():
        path = root / relative
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        _write_atomically(path, data)
        written.append(relative)
    return written


def _print(lines: Iterable[str], *, err: bool = False) -> None:
    for line in lines:
        print(line, file=sys.stderr if err else sys.stdout)


def _holds_the_package(root: Path) -> bool:
    """Whether ``root`` is the repository this dops is developed in (its copies in dops/data live there)."""
    return bundled.DATA.is_relative_to(root.resolve())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description=f"Generate {SCHEMA_DIR}/*{TARGET_SUFFIX} from {SOURCE_DIR}/, and the package's copies of the "
        "policy, schemas and clause list (dops.core.bundled). Exit codes: 0 done or up to date, "
        "1 out of date (--check) or a generated schema without a source, 2 a broken source or a usage error.",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a generated schema differs from its source"
    )
    parser.add_argument(
        "--root", type=Path, default=Path(), help="the repository root (default: the current directory)"
    )
    args = parser.parse_args(argv)
    root: Path = args.root
    try:
        if args.check:
            problems = [*check(root), *(bundled.drift(root) if _holds_the_package(root) else [])]
            _print(problems, err=True)
            if not problems:
                print(f"{SCHEMA_DIR}/*{TARGET_SUFFIX} 与源文件一致 / are up to date.")
            return 1 if problems else 0
        written = write(root)
        if _holds_the_package(root):  # the package's copies, kept where its source is
            written += [f"tools/dops/data/{name}" for name in bundled.sync(root)]
        _print(f"{relative} 已生成 / written." for relative in written)
        orphans = _orphans(root, build(root))
        _print(orphans, err=True)
        if not written and not orphans:
            print(f"{SCHEMA_DIR}/*{TARGET_SUFFIX} 已是最新 / already up to date.")
        return 1 if orphans else 0
    except SourceError as err:
        print(f"模式源文件错误 / schema source error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"{err.filename or root}: {err.strerror or err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
