"""The schemas are generated from single sources: no drift, clear errors, derived texts of the documented shape."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dops.core import schema_build
from dops.core.schema_build import SourceError, build, check, generate, main, parse_source, render, write

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "schemas" / "src"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the schemas folder, sources and generated files alike."""
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    return tmp_path


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "schemas" / "src" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def subschemas(node: Any, where: str = "") -> Any:
    """Every schema object below ``node`` (not ``node`` itself), with its path."""
    if not isinstance(node, dict):
        return
    for key in ("items", "additionalProperties", "if", "then", "else", "not", "contains"):
        if isinstance(node.get(key), dict):
            yield f"{where}/{key}", node[key]
            yield from subschemas(node[key], f"{where}/{key}")
    for key in ("properties", "patternProperties"):
        for name, child in node.get(key, {}).items():
            yield f"{where}/{key}/{name}", child
            yield from subschemas(child, f"{where}/{key}/{name}")
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for index, child in enumerate(node.get(key, [])):
            yield f"{where}/{key}/{index}", child
            yield from subschemas(child, f"{where}/{key}/{index}")


# --- The committed schemas ------------------------------------------------------------------------


def test_the_committed_schemas_are_exactly_what_the_generator_writes():
    problems = check(REPO)
    assert problems == [], "\n".join(problems)
    generated = {f"schemas/{path.name}" for path in (REPO / "schemas").glob("*.schema.json")}
    assert set(build(REPO)) == generated


def test_the_command_runs_as_a_module_and_reports_no_drift():
    done = subprocess.run(
        [sys.executable, "-m", "dops.core.schema_build", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


@pytest.mark.parametrize("path", sorted((REPO / "schemas").glob("*.schema.json")), ids=lambda p: p.name)
def test_derived_texts_have_the_documented_shape(path: Path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    kind = path.name.removesuffix(".schema.json")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == path.name
    assert f"schemas/src/{kind}.schema.yaml" in schema["$comment"]
    assert "markdownDescription" not in schema  # the root has none
    text = path.read_text(encoding="utf-8")
    assert '"$ref"' not in text and '"$defs"' not in text  # yaml-language-server misreads x-* beside $ref
    described = 0
    for where, node in subschemas(schema):
        # A derived key lands only in schema objects, never among a record's fields (risk once had one).
        assert where.rsplit("/", 1)[-1] not in ("markdownDescription", "patternErrorMessage"), where
        if "title" in node and "description" in node:
            described += 1
            expected = node["description"]
            if node.get("x-clauses"):
                expected += "\n\n制度条款 / Policy clauses: " + ", ".join(node["x-clauses"])
            if node.get("x-confidential"):
                expected += "\n\n保密字段，不会发布到网站 / Confidential: never published (8.1)."
            assert node["markdownDescription"] == expected, where
        else:
            assert "markdownDescription" not in node, where
        if "pattern" in node and "x-hint" in node:
            assert node["patternErrorMessage"] == f"{node['x-hint']['zh']} / {node['x-hint']['en']}", where
        else:
            assert "patternErrorMessage" not in node, where
    assert described > 10


def keys(node: Any) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from keys(item)


def test_no_source_writes_derived_text_by_hand():
    for path in SOURCES.glob("*.yaml"):
        data = parse_source(path.read_text(encoding="utf-8"), path.name)
        written = set(keys(data))
        for key in ("markdownDescription", "patternErrorMessage", "$schema", "$id"):
            assert key not in written, f"{path.name} holds {key}"
        assert "Policy clauses" not in json.dumps(data, ensure_ascii=False), path.name


def test_no_definition_is_written_twice():
    seen: dict[str, str] = {}
    for path in sorted(SOURCES.glob("*.yaml")):
        definitions = parse_source(path.read_text(encoding="utf-8"), path.name).get("$defs", {})
        for name, definition in definitions.items():
            text = json.dumps(definition, sort_keys=True, ensure_ascii=False)
            assert text not in seen, f"{path.name}: $defs/{name} repeats {seen.get(text)}"
            seen[text] = f"{path.name}: $defs/{name}"
    common = parse_source((SOURCES / "common.yaml").read_text(encoding="utf-8"), "common.yaml")["$defs"]
    assert {"date", "text", "personId", "projectId", "planItemRef"} <= set(common)


# --- Drift ----------------------------------------------------------------------------------------


def test_a_changed_source_is_drift_that_names_the_file_and_the_command(repo: Path, capsys):
    edit(repo, "risk.schema.yaml", "一句话描述风险。", "用一句话描述风险。")
    problems = check(repo)
    assert len(problems) == 1
    assert problems[0].startswith("schemas/risk.schema.json: ")
    assert "schemas/src/risk.schema.yaml" in problems[0] and "python -m dops.core.schema_build" in problems[0]
    assert main(["--check", "--root", str(repo)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == problems[0]


def test_a_changed_shared_definition_is_drift_in_every_schema_that_uses_it(repo: Path):
    edit(repo, "common.yaml", "dates are written YYYY-MM-DD", "write dates as YYYY-MM-DD")
    drifted = sorted(line.split(":")[0] for line in check(repo))
    assert drifted == [
        f"schemas/{kind}.schema.json"
        for kind in ("person", "project", "review", "risk", "training-plan", "training-session")
    ]


def test_a_hand_edited_schema_is_drift(repo: Path):
    path = repo / "schemas" / "person.schema.json"
    path.write_text(path.read_text(encoding="utf-8").replace("人员编号", "员工编号"), encoding="utf-8")
    assert [line.split(":")[0] for line in check(repo)] == ["schemas/person.schema.json"]


def test_a_missing_schema_and_a_schema_without_source_are_drift(repo: Path):
    (repo / "schemas" / "risk.schema.json").unlink()
    (repo / "schemas" / "extra.schema.json").write_text("{}\n", encoding="utf-8")
    problems = check(repo)
    assert len(problems) == 2
    assert problems[0].startswith("schemas/risk.schema.json: ") and "missing" in problems[0]
    assert problems[1].startswith("schemas/extra.schema.json: ") and "schemas/src/extra.schema.yaml" in problems[1]


def test_write_regenerates_only_what_changed_and_then_check_is_clean(repo: Path, capsys):
    edit(repo, "person.schema.yaml", "员工姓名。", "员工的姓名。")
    (repo / "schemas" / "risk.schema.json").unlink()
    assert write(repo) == ["schemas/person.schema.json", "schemas/risk.schema.json"]
    assert check(repo) == []
    assert "员工的姓名。" in (repo / "schemas" / "person.schema.json").read_text(encoding="utf-8")
    assert write(repo) == []
    assert main(["--root", str(repo)]) == 0
    assert "already up to date" in capsys.readouterr().out
    assert not list((repo / "schemas").glob(".*.tmp"))  # no temporary file left behind


def test_the_command_refuses_to_leave_a_schema_without_source(repo: Path, capsys):
    (repo / "schemas" / "extra.schema.json").write_text("{}\n", encoding="utf-8")
    assert main(["--root", str(repo)]) == 1
    assert "schemas/extra.schema.json" in capsys.readouterr().err


# --- Broken sources -------------------------------------------------------------------------------


def broken(repo: Path, capsys) -> str:
    """The one-line message for a broken source, from the functions and from the command."""
    with pytest.raises(SourceError) as raised:
        build(repo)
    assert main(["--check", "--root", str(repo)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(raised.value) in err
    return str(raised.value)


def test_a_yaml_syntax_error_names_the_file_and_the_line(repo: Path, capsys):
    edit(repo, "risk.schema.yaml", "type: object\n", "type: object\n  bad: [\n")
    message = broken(repo, capsys)
    assert message.startswith("schemas/src/risk.schema.yaml:")
    assert "not valid YAML" in message


def test_a_reference_to_a_missing_definition_names_the_file_and_the_reference(repo: Path, capsys):
    edit(repo, "person.schema.yaml", "common.yaml#/$defs/date", "common.yaml#/$defs/day")
    message = broken(repo, capsys)
    assert message.startswith("schemas/src/person.schema.yaml: ")
    assert "'common.yaml#/$defs/day'" in message and "no definition 'day'" in message


def test_a_reference_to_a_missing_file_is_an_error(repo: Path, capsys):
    edit(repo, "person.schema.yaml", "common.yaml#/$defs/date", "shared.yaml#/$defs/date")
    assert "there is no source file shared.yaml" in broken(repo, capsys)


def test_a_reference_cycle_is_an_error_not_a_recursion(repo: Path, capsys):
    edit(repo, "common.yaml", "  text:\n", "  text:\n    $ref: '#/$defs/echo'\n  echo:\n    $ref: '#/$defs/text'\n")
    message = broken(repo, capsys)
    assert message.startswith("schemas/src/common.yaml: reference cycle: ")
    assert "common.yaml#/$defs/text -> common.yaml#/$defs/echo -> common.yaml#/$defs/text" in message


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("  name:\n    $ref", "  name:\n    markdownDescription: x\n    $ref", "do not write markdownDescription"),
    ("  name:\n    $ref", "  name:\n    requried: [x]\n    $ref", "unknown keyword 'requried'"),
    ('x-clauses: ["1.2"]', "x-clauses: [1.2]", "x-clauses must be a list of clause numbers written as text"),
    ("  name:\n    $ref", "  name:\n    title: x\n    $ref", "duplicate key 'title'"),
    ("  name:\n    $ref", "  name:\n    minLength: -1\n    $ref", "not a valid JSON Schema"),
    ("  name:\n    $ref", "  name:\n    x-hint: {zh: 只有中文}\n    $ref", "x-hint must be a mapping with two texts"),
])  # fmt: skip
def test_other_mistakes_in_a_source_are_clear_errors(repo: Path, capsys, old: str, new: str, expected: str):
    edit(repo, "person.schema.yaml", old, new)
    message = broken(repo, capsys)
    assert message.startswith("schemas/src/person.schema.yaml")
    assert expected in message


def test_a_mistake_in_a_shared_definition_names_the_shared_file(repo: Path, capsys):
    edit(repo, "common.yaml", "      en: dates are written YYYY-MM-DD, e.g. 2026-03-31\n", "")
    message = broken(repo, capsys)
    assert message == "schemas/src/common.yaml: x-hint must be a mapping with two texts, zh and en (at $defs/date)"


def test_an_unused_definition_is_an_error(repo: Path, capsys):
    edit(repo, "common.yaml", "  text:\n", "  spare:\n    type: string\n  text:\n")
    assert broken(repo, capsys) == "schemas/src/common.yaml: $defs/spare is not used by any schema: remove it"


def test_a_missing_source_folder_is_an_error(tmp_path: Path, capsys):
    assert main(["--check", "--root", str(tmp_path)]) == 2
    assert "schemas/src/" in capsys.readouterr().err


# --- The generator itself -------------------------------------------------------------------------

LIBRARY = {
    "lib.yaml": parse_source(
        "$defs:\n"
        "  code:\n"
        "    type: string\n"
        "    pattern: '^C-[0-9]+$'\n"
        "    description: |-\n      编号。\n\n      A code.\n"
        "    x-hint: {zh: 编号形如 C-1, en: codes look like C-1}\n",
        "lib.yaml",
    )
}


def test_a_reference_is_inlined_with_the_nodes_own_keys_over_the_definition():
    source = parse_source(
        "type: object\n"
        "properties:\n"
        "  a:\n"
        "    $ref: '#/$defs/local'\n"
        "    title: 甲 / A\n"
        "    description: |-\n      自己的说明。\n\n      Its own description.\n"
        "    x-clauses: ['1.2', '3.4']\n"
        "    x-confidential: true\n"
        "$defs:\n"
        "  local:\n"
        "    $ref: lib.yaml#/$defs/code\n"
        "    minLength: 3\n",
        "t.schema.yaml",
    )
    schema = generate(source, "t", LIBRARY)
    assert "$defs" not in schema
    wrapper = schema["properties"]["a"]  # confidential: it may be stored encrypted (8.2.3)
    assert wrapper["x-sealed"] is True and wrapper["title"] == "甲 / A" and wrapper["x-confidential"] is True
    assert wrapper["if"] == {"type": "string", "pattern": "^ENC\\["}
    assert wrapper["then"]["pattern"].startswith("^ENC\\[AES256_GCM,data:")
    assert schema["properties"]["sops"]["type"] == "object"  # the SOPS metadata block is allowed
    assert wrapper["else"] == {
        "title": "甲 / A",
        "description": "自己的说明。\n\nIts own description.",
        "markdownDescription": "自己的说明。\n\nIts own description.\n\n制度条款 / Policy clauses: 1.2, 3.4"
                               "\n\n保密字段，不会发布到网站 / Confidential: never published (8.1).",
        "x-clauses": ["1.2", "3.4"],
        "x-confidential": True,
        "type": "string",
        "minLength": 3,
        "pattern": "^C-[0-9]+$",
        "patternErrorMessage": "编号形如 C-1 / codes look like C-1",
        "x-hint": {"zh": "编号形如 C-1", "en": "codes look like C-1"},
    }  # fmt: skip
    assert list(schema)[:3] == ["$schema", "$id", "$comment"] and schema["$id"] == "t.schema.json"


def test_the_output_does_not_depend_on_the_order_keys_are_written_in():
    forward = parse_source(
        "type: object\ntitle: 甲 / A\nproperties:\n  b: {type: string}\n  a: {type: integer}\n", "t.schema.yaml"
    )
    backward = parse_source(
        "properties:\n  b: {type: string}\n  a: {type: integer}\ntitle: 甲 / A\ntype: object\n", "t.schema.yaml"
    )
    text = render(generate(forward, "t"))
    assert text == render(generate(backward, "t"))
    assert text.endswith("}\n") and "\n  " in text
    assert list(json.loads(text)["properties"]) == ["b", "a"]  # property order is the author's


def test_sources_are_read_as_yaml_1_2_core_schema():
    data = parse_source("a: 2026-03-31\nb: no\nc: on\nd: 012\ne: 0x1f\nf: 1.5\ng: ~\nh: true\ni: '1.2'\n", "t.yaml")
    assert data == {
        "a": "2026-03-31",
        "b": "no",
        "c": "on",
        "d": 12,
        "e": 31,
        "f": 1.5,
        "g": None,
        "h": True,
        "i": "1.2",
    }


@pytest.mark.parametrize(("text", "expected"), [
    ("a: &x {type: string}\nb: *x\n", "anchors and aliases are not allowed"),
    ("a: !!binary aGk=\n", "tag tag:yaml.org,2002:binary is not allowed"),
    ("a: 1\n---\nb: 2\n", "not valid YAML"),
    ("", "the file is empty"),
    ("- a\n", "expected a mapping at the top"),
])  # fmt: skip
def test_yaml_that_is_no_source_is_refused(text: str, expected: str):
    with pytest.raises(SourceError, match=r"^t\.yaml") as raised:
        parse_source(text, "t.yaml")
    assert expected in str(raised.value)


def test_only_references_to_definitions_are_supported():
    source = parse_source("properties:\n  a: {$ref: '#/properties/b'}\n  b: {type: string}\n", "t.schema.yaml")
    with pytest.raises(SourceError, match="unsupported \\$ref '#/properties/b'") as raised:
        generate(source, "t")
    assert raised.value.where == "properties/a/$ref"


def test_the_module_documents_its_command():
    assert schema_build.COMMAND == "python -m dops.core.schema_build"
    assert "--check" in (schema_build.__doc__ or "")
