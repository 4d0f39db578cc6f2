"""The strict loader: YAML 1.2 values with positions, and a finding for every kind of bad input."""

from __future__ import annotations

import pytest

from dops.core.loader import Document, parse
from dops.core.model import Finding

LIMIT = 64 * 1024


def load(text: str | bytes) -> Document | Finding:
    return parse(text.encode("utf-8") if isinstance(text, str) else text, LIMIT)


def rejected(text: str | bytes) -> Finding:
    result = load(text)
    assert isinstance(result, Finding), f"expected a finding, got {result!r}"
    assert result.rule == "yaml" and result.severity == "error"
    return result


def test_yaml_1_2_values_stay_what_they_look_like():
    doc = load(
        "a: no\nb: yes\nc: on\nd: 2026-03-31\ne: 012\nf: 0o17\ng: 0x1f\nh: 1.5\ni: ~\nj: true\n"
        "k: 1_000\nl: '42'\nm: '.inf'\n"
    )
    assert isinstance(doc, Document)
    assert doc.data == {
        "a": "no",
        "b": "yes",
        "c": "on",
        "d": "2026-03-31",
        "e": 12,
        "f": 15,
        "g": 31,
        "h": 1.5,
        "i": None,
        "j": True,
        "k": "1_000",
        "l": "42",
        "m": ".inf",
    }


def test_every_key_and_item_keeps_its_line_and_column():
    doc = load("id: PRJ-2026-001\nteam:\n  - person: EMP-0003\n    duty: 数据迁移\n  - {person: EMP-0004}\n")
    assert doc.lines[("id",)] == (1, 1)
    assert doc.lines[("team",)] == (2, 1)
    assert doc.lines[("team", 0)] == (3, 5)
    assert doc.lines[("team", 0, "duty")] == (4, 5)
    assert doc.lines[("team", 1, "person")] == (5, 6)


def test_a_byte_order_mark_is_accepted():
    assert load(b"\xef\xbb\xbfid: EMP-0001\n").data == {"id": "EMP-0001"}


def test_core_tags_are_honoured():
    assert load("a: !!str 12\nb: !!int '7'\n").data == {"a": "12", "b": 7}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("id: EMP-0001\nname: 甲\nname: 乙\n", 3, "lines 2 and 3"),
        ("a: [1, 2\nb: 3\n", 2, "syntax error"),
        ("a:\n\tb: 1\n", 2, "syntax error"),
        ("a: 'unterminated\n", 2, "syntax error"),
        ("base: &b {x: 1}\nother: *b\n", 2, "alias"),
        ("list:\n  - &first a\n  - *first\n", 3, "alias"),
        ("base: {x: 1}\nother:\n  <<: {x: 2}\n", 3, "Merge keys"),
        ("a: !!python/object/apply:os.system ['true']\n", 1, "Unsupported tag"),
        ("a: !custom x\n", 1, "Unsupported tag"),
        ("a: !!set {x, y}\n", 1, "Unsupported tag"),
        ("a: !!binary aGVsbG8=\n", 1, "Unsupported tag"),
        ("a: !!int twelve\n", 1, "does not fit"),
        ("a: b\nc: !!map x\n", 2, "Tag !!map cannot be put on a single value"),
        ("a: !!seq x\n", 1, "Tag !!seq cannot be put on a single value"),
        ("a: !!str [x]\n", 1, "Tag !!str cannot be put on a list"),
        ("a: !!int {x: 1}\n", 1, "Tag !!int cannot be put on a mapping"),
        ("a: !!seq {x: 1}\n", 1, "Tag !!seq cannot be put on a mapping"),
        ("a: 1\nb: &anchor 2\n", 2, "An anchor (&name)"),
        ("a: .nan\n", 1, "not a finite number"),
        ("a: [1, -.inf]\n", 1, "not a finite number"),
        ("a: !!float .Inf\n", 1, "not a finite number"),
        ("a: 1e400\n", 1, "not a finite number"),
        ("a: " + "9" * 5000 + "\n", 1, "5,000 digits"),
        ("a: 0x" + "f" * 5000 + "\n", 1, "5,000 digits"),
        ("a: !!int " + "7" * 31 + "\n", 1, "31 digits"),
        ("a: 1\n---\nb: 2\n", 2, "several YAML documents"),
        ("", 1, "empty"),
        ("   \n\n", 1, "empty"),
        ("# 只有注释\n# comments only\n", 1, "empty"),
        ("---\n...\n", 1, "empty"),
        ("- a\n- b\n", 1, "must be a mapping"),
        ("just text\n", 1, "must be a mapping"),
        ("? [a, b]\n: 1\n", 1, "plain text"),
    ],
)
def test_bad_input_is_a_finding_with_its_line(text, line, words):
    finding = rejected(text)
    assert finding.line == line
    assert words in finding.message.en
    assert finding.message.zh and finding.message.zh != finding.message.en


def test_duplicate_keys_name_both_lines():
    finding = rejected("id: EMP-0001\nroles: [project_manager]\nroles: [project_specialist]\n")
    assert (finding.line, finding.related_line) == (3, 2)
    assert "第 2 行和第 3 行" in finding.message.zh


def test_bytes_that_are_not_utf8_are_located():
    finding = rejected("id: EMP-0001\nname: 张伟\n".encode("gbk"))
    assert finding.line == 2 and "UTF-8" in finding.message.en


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b"])
def test_control_characters_are_refused(char):
    finding = rejected(f"id: EMP-0001\nname: a{char}b\n")
    assert finding.line == 2 and "control character" in finding.message.en


def test_files_over_the_limit_are_refused_without_parsing():
    finding = parse(b"a: " + b"x" * 100 + b"\n", 50)
    assert isinstance(finding, Finding)
    assert "104" in finding.message.en and "50" in finding.message.en


def test_very_deep_nesting_is_a_finding_not_a_crash():
    finding = rejected("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert finding.line >= 1


def test_thirty_digits_are_still_a_number():
    assert load("a: " + "9" * 30 + "\n").data == {"a": int("9" * 30)}


def test_an_ampersand_in_text_is_not_an_anchor():
    assert load("a: R&D\nb: '&x'\n").data == {"a": "R&D", "b": "&x"}


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_yaml_1_1_line_breaks_are_ordinary_characters(char):
    doc = load(f"id: EMP-0001\nname: a{char}b\nnote: '{char}'\nlast: 1\n")
    assert doc.data == {"id": "EMP-0001", "name": f"a{char}b", "note": char, "last": 1}
    assert doc.lines[("last",)] == (4, 1)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("id: EMP-0001\nname: 张三张三\x00\n", (2, 11)),  # a column counts characters, not UTF-8 bytes
        ("a: 1\rb: 张\x00\n", (2, 5)),  # a lone CR ends a line in YAML 1.2
        ("a: 1\r\nb: 张\x00\n", (2, 5)),
        ("a: 1\x85b: 张\x00\n", (1, 10)),  # NEL does not
        ("\ufeffa: 1\nb: \x00\n", (2, 4)),
    ],
)
def test_a_bad_character_is_placed_where_an_editor_shows_it(text, where):
    finding = rejected(text)
    assert (finding.line, finding.column) == where


def test_bytes_that_are_not_utf8_after_a_lone_cr_are_placed_right():
    finding = rejected("a: 1\rb: 张\n".encode() + b"c: \xff\n")
    assert (finding.line, finding.column) == (3, 4)


def test_a_syntax_error_at_the_end_of_a_file_without_a_final_line_break_stays_inside_the_file():
    # libyaml marks it on the line after the last; the finding points at the end of the last line
    found = parse(b"id: EMP-0001\nname: x\nt", 1 << 20)
    assert isinstance(found, Finding) and (found.line, found.column) == (3, 2)
