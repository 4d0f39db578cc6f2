"""The SOPS format as dops writes it: sealing changes only the confidential values' bytes (8.2.3).

Every sample record with confidential fields (people, projects, reviews) is sealed and unsealed; the
sealed text is compared with the original through an independent reading of the YAML (PyYAML's pure
Python parser, not the libyaml events the sealer uses): outside the confidential values and the
appended ``sops:`` block not one byte may differ. Then what a user can do to a sealed file — seal it
again, fill in one value in clear, rotate the key, tamper with it, open it with the wrong key or a
broken key file — and what dops says about each.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from pyrage import x25519

from dops.core import confidential, loader, sops
from dops.core.model import Path as RecordPath
from dops.core.validation import load_schema

from ..conftest import REPO

KIND_OF_FOLDER = {"people": "person", "projects": "project", "reviews": "review"}
STAMP = "2026-11-28T20:00:00Z"
IDENTITY = x25519.Identity.generate()
OTHER = x25519.Identity.generate()
KEYS = sops.Keyring((IDENTITY,), "test")
RECIPIENT = str(IDENTITY.to_public())
ENC_VALUE = r"ENC\[AES256_GCM,data:[A-Za-z0-9+/]*={0,2},iv:[A-Za-z0-9+/]{43}=,tag:[A-Za-z0-9+/]{22}==,type:[a-z]+\]"


def fields_of(kind: str) -> confidential.Fields:
    return confidential.fields(load_schema(REPO / "schemas" / f"{kind}.schema.json", kind).flat)


def seal(text: str, kind: str = "review", **options: Any) -> sops.Sealed:
    found = fields_of(kind)
    options.setdefault("stamp", STAMP)
    return sops.seal(text, found.covers, [RECIPIENT], KEYS, found.encrypted_regex(), **options)


def data_of(text: str) -> dict[str, Any]:
    parsed = loader.parse(text.encode("utf-8"), 1 << 24)
    assert isinstance(parsed, loader.Document), parsed
    return parsed.data


def opened(text: str, keys: sops.Keyring = KEYS) -> sops.Opened:
    data = data_of(text)
    block = data.pop(sops.BLOCK)
    return sops.open_data(data, block, keys)


def samples() -> list[Path]:
    return sorted(path for folder in KIND_OF_FOLDER for path in (REPO / "records" / folder).glob("*.yaml"))


#: The samples are sealed for their readers; this file holds every sample person's demo identity.
DEMO_KEYS = sops.keyring_from_env({"SOPS_AGE_KEY_FILE": str(REPO / "keys" / "demo-samples-only.agekey")})


def clear_sample(path: Path) -> str:
    """A sample record's text with its confidential values in clear (unsealed with the demo keys)."""
    text = path.read_text(encoding="utf-8")
    assert DEMO_KEYS is not None
    return sops.unseal(text, DEMO_KEYS)


# --- an independent reading of where each scalar value sits -----------------------------------------


@dataclass
class Span:
    path: RecordPath
    start: int
    end: int
    flow: bool


@dataclass
class _Frame:
    path: RecordPath
    mapping: bool
    flow: bool
    key: str | None = None
    index: int = 0
    expect_key: bool = True


def spans(text: str) -> Iterator[Span]:
    """Each scalar value's character span and path, from PyYAML's pure Python parser."""
    stack: list[_Frame] = []

    def here() -> RecordPath:
        top = stack[-1]
        step: str | int = top.key if top.mapping and top.key is not None else top.index
        return (*top.path, step)

    def advance() -> None:
        if stack:
            top = stack[-1]
            if top.mapping:
                top.expect_key = True
            else:
                top.index += 1

    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.ScalarEvent):
            if stack and stack[-1].mapping and stack[-1].expect_key:
                stack[-1].key, stack[-1].expect_key = event.value, False
                continue
            yield Span(here(), event.start_mark.index, event.end_mark.index, any(f.flow for f in stack))
            advance()
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            path = here() if stack else ()
            stack.append(_Frame(path, isinstance(event, yaml.MappingStartEvent), bool(event.flow_style)))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            advance()


def lookup(data: Any, path: RecordPath) -> Any:
    for step in path:
        data = data[step]
    return data


def confidential_spans(text: str, kind: str) -> list[Span]:
    """The spans of the values sealing must encrypt: confidential, not null."""
    covers, data = fields_of(kind).covers, data_of(text)
    return [span for span in spans(text) if covers(span.path) and lookup(data, span.path) is not None]


def sealed_shape(text: str, kind: str) -> re.Pattern[str]:
    """What ``text`` must look like once sealed: each confidential value an ``ENC[…]`` (quoted inside a flow
    collection), every other byte as it was, and the ``sops:`` block appended."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    pattern, at = [re.escape(bom)], 0
    for span in confidential_spans(body, kind):
        old = body[span.start : span.end]
        kept_breaks = old[len(old.rstrip("\r\n")) :]
        value = f'"{ENC_VALUE}"' if span.flow else ENC_VALUE
        pattern += [re.escape(body[at : span.start]), value, re.escape(kept_breaks)]
        at = span.end
    pattern.append(re.escape(body[at:]))
    if body and not body.endswith("\n"):
        pattern.append("\n")
    pattern.append(r"sops:\r?\n(?:    .*\n)+\Z")
    return re.compile("".join(pattern))


def confidential_values(text: str, kind: str) -> list[tuple[RecordPath, Any]]:
    data = data_of(text)
    return [(span.path, lookup(data, span.path)) for span in confidential_spans(text, kind)]


# --- round trips ---------------------------------------------------------------------------------------

SAMPLES = samples()


@pytest.mark.parametrize("path", SAMPLES, ids=[path.name for path in SAMPLES])
def test_a_sample_record_seals_and_unseals_byte_for_byte(path: Path):
    kind = KIND_OF_FOLDER[path.parent.name]
    text = clear_sample(path)
    secrets = confidential_values(text, kind)
    if not secrets:
        pytest.skip(f"{path.name} holds no confidential value")
    sealed = seal(text, kind)
    assert sealed.changed and sealed.encrypted == len(secrets)
    assert sealed_shape(text, kind).match(sealed.text), "bytes other than the confidential values changed"
    assert sops.unseal(sealed.text, KEYS) == text
    assert opened(sealed.text).problems == []
    assert opened(sealed.text).data == data_of(text)
    for line in text.splitlines():  # dates stay YYYY-MM-DD (none of the samples' dates is confidential)
        if re.search(r":\s\d{4}-\d\d-\d\d\b", line) and not any(str(value) in line for _, value in secrets):
            assert line in sealed.text.removeprefix("\ufeff").splitlines()


@pytest.mark.parametrize("path", SAMPLES, ids=[path.name for path in SAMPLES])
def test_no_confidential_value_of_a_sample_is_left_in_the_sealed_text(path: Path):
    kind = KIND_OF_FOLDER[path.parent.name]
    text = clear_sample(path)
    sealed = seal(text, kind).text
    public, at = [], 0  # the original without its confidential values
    for span in confidential_spans(text, kind):
        public.append(text[at : span.start])
        at = span.end
    public.append(text[at:])
    for where, value in confidential_values(text, kind):
        shown = str(value)
        # Short values (a score of 5, grade A, false) occur anywhere by chance; every longer one must occur only
        # where the public fields hold it too (a project's budget approved by EMP-0001, its superior).
        if len(shown) >= 4:
            assert sealed.count(shown) == "".join(public).count(shown), f"{where} is still readable"


@pytest.mark.parametrize("path", SAMPLES, ids=[path.name for path in SAMPLES])
def test_a_sealed_sample_sealed_again_for_its_readers_is_left_as_it_is(path: Path):
    text = path.read_text(encoding="utf-8")
    block = data_of(text).get(sops.BLOCK)
    if block is None:
        pytest.skip(f"{path.name} holds no confidential value")
    found = fields_of(KIND_OF_FOLDER[path.parent.name])
    again = sops.seal(text, found.covers, sops.recipients_of(block), DEMO_KEYS, found.encrypted_regex())
    assert (again.changed, again.text) == (False, text)


# A record as people write them by hand: comments everywhere, every kind of quoting, block and flow
# collections, a literal block scalar that is confidential and one that is not.
HAND_WRITTEN = """\
# 年度考核 — written by hand
id: REV-EMP-0002-2026Q1   # trailing comment
person: "EMP-0002"
period: '2026Q1'
status: completed
completed_on: 2026-04-09
indicators:
  results: {score: 5, comment: "引号, 逗号 [括号] and: colon"}   # a flow mapping
  ability:
    score: 4  # 分数
    comment: |
      第一行
      第二行
  attitude:
    # a comment above a value
    score: 3
    comment: "a \\"double\\" quoted # not a comment"
assessments:
  self: {date: 2026-03-30, summary: 自评：切换一次成功}
  superior:
    assessor: EMP-0001
    date: 2026-04-09
    summary: plain text here
  peers:
    - {assessor: EMP-0003, date: 2026-04-03, summary: 同事甲的评价}
    - {assessor: EMP-0004, date: 2026-04-05, summary: 同事乙的评价}
shortcomings:
  - description: 不够细致
    training: |
      质量意识
      (not confidential)
outcome: {grade: A, bonus_band: 4, promotion_eligible: false}
"""


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda text: text, id="as written"),
        pytest.param(lambda text: "\ufeff" + text, id="byte order mark"),
        pytest.param(lambda text: text.rstrip("\n"), id="no final line break"),
    ],
)
def test_a_hand_written_record_keeps_every_comment_and_quote(variant: Any):
    text = variant(HAND_WRITTEN)
    sealed = seal(text)
    assert sealed.encrypted == len(confidential_values(text.removeprefix("\ufeff"), "review")) == 14
    assert sealed_shape(text, "review").match(sealed.text)
    for line in HAND_WRITTEN.splitlines():
        if line.lstrip().startswith("#") or "training" in line or "(not confidential)" in line:
            assert line in sealed.text.removeprefix("\ufeff").splitlines()
    back = sops.unseal(sealed.text, KEYS)
    # A final line break is added when the block is appended; it stays (noted for the lead).
    assert back == text if text.endswith("\n") else back == text + "\n"
    assert data_of(back.removeprefix("\ufeff")) == data_of(text.removeprefix("\ufeff"))


def test_a_confidential_value_in_another_style_comes_back_as_the_same_value_in_a_plain_style():
    """What the style of a value was (single quotes, a folded block) is not in its ciphertext: unsealing writes the
    same value in the simplest style that reads back as it. The rest of the file stays byte for byte."""
    text = HAND_WRITTEN.replace("summary: plain text here", "summary: 'single: quoted # not a comment'").replace(
        '    comment: "a \\"double\\" quoted # not a comment"\n', "    comment: >-\n      folded\n      text\n"
    )
    back = sops.unseal(seal(text).text, KEYS)
    assert data_of(back) == data_of(text)
    assert '    summary: "single: quoted # not a comment"\n' in back
    assert "    comment: folded text\n" in back
    assert (
        back.replace('"single: quoted # not a comment"', "'single: quoted # not a comment'").replace(
            "comment: folded text\n", "comment: >-\n      folded\n      text\n"
        )
        == text
    )


def test_a_crlf_file_seals_and_reads_back_as_the_same_data():
    text = HAND_WRITTEN.replace("\n", "\r\n")
    sealed = seal(text)
    assert sealed.encrypted == 14
    assert opened(sealed.text).problems == []
    assert opened(sealed.text).data == data_of(text)
    assert data_of(sops.unseal(sealed.text, KEYS)) == data_of(text)


def test_a_crlf_file_keeps_its_line_breaks():
    text = HAND_WRITTEN.replace("\n", "\r\n")
    sealed = seal(text).text
    assert sealed_shape(text, "review").match(sealed)
    body = sealed.split("sops:")[0]
    assert "\n" not in body.replace("\r\n", "")
    assert sops.unseal(sealed, KEYS) == text


# --- sealing again ------------------------------------------------------------------------------------


def test_sealing_a_sealed_file_again_changes_nothing():
    first = seal(HAND_WRITTEN)
    again = seal(first.text, stamp="2027-01-01T00:00:00Z")
    assert (again.changed, again.encrypted, again.text) == (False, 0, first.text)


def test_one_value_filled_in_clear_changes_only_that_value_and_the_mac_lines():
    first = seal(HAND_WRITTEN)
    lines = first.text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("    summary: ENC["))  # the superior's
    lines[row] = "    summary: 新写的上级评价"
    edited = "\n".join(lines) + "\n"
    again = seal(edited, stamp="2026-12-01T08:00:00Z")
    assert again.changed and again.encrypted == 1
    before, after = first.text.splitlines(), again.text.splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [b.split(":")[0].strip() for _, b in changed] == ["summary", "lastmodified", "mac"]
    assert re.fullmatch(r"    summary: " + ENC_VALUE, changed[0][1])
    assert changed[1][1] == '    lastmodified: "2026-12-01T08:00:00Z"'
    assert opened(again.text).data["assessments"]["superior"]["summary"] == "新写的上级评价"
    assert opened(again.text).problems == []


def test_a_value_added_on_a_new_line_is_encrypted_under_the_same_data_key():
    first = seal(HAND_WRITTEN)
    edited = first.text.replace("shortcomings:\n", "shortcomings:\n  - {description: 新增一条不足, training: 沟通}\n")
    again = seal(edited)
    assert again.encrypted == 1
    age_lines = [line for line in first.text.splitlines() if line.startswith("            ")]
    assert all(line in again.text.splitlines() for line in age_lines)  # the wrapped key as it was
    assert opened(again.text).data["shortcomings"][0]["description"] == "新增一条不足"


def test_rotating_changes_every_value_and_the_wrapped_key_but_nothing_else():
    first = seal(HAND_WRITTEN)
    rotated = seal(first.text, rotate=True)
    assert rotated.changed
    old_values = re.findall(ENC_VALUE, first.text.split("\nsops:\n")[0])
    new_values = re.findall(ENC_VALUE, rotated.text.split("\nsops:\n")[0])
    assert len(old_values) == len(new_values) == 14
    assert not set(old_values) & set(new_values)
    old_wrapped = first.text.split("-----BEGIN AGE ENCRYPTED FILE-----")[1]
    assert old_wrapped not in rotated.text
    assert re.sub(ENC_VALUE, "ENC", first.text.split("\nsops:\n")[0]) == re.sub(
        ENC_VALUE, "ENC", rotated.text.split("\nsops:\n")[0]
    )
    assert sops.unseal(rotated.text, KEYS) == HAND_WRITTEN


def test_a_new_reader_rewraps_the_key_and_both_can_open_it():
    first = seal(HAND_WRITTEN)
    found = fields_of("review")
    both = sops.seal(first.text, found.covers, [RECIPIENT, str(OTHER.to_public())], KEYS, found.encrypted_regex())
    assert both.changed and both.encrypted == 0
    assert re.findall(ENC_VALUE, first.text.split("\nsops:\n")[0]) == re.findall(
        ENC_VALUE, both.text.split("\nsops:\n")[0]
    )
    assert sops.unseal(both.text, sops.Keyring((OTHER,), "other")) == HAND_WRITTEN


# --- tampering -------------------------------------------------------------------------------------


def flip_base64(value: str, field: str = "data") -> str:
    """``value`` with one base64 character of its ``field`` changed to another base64 character."""
    found = re.search(field + r":([A-Za-z0-9+/])", value)
    assert found is not None
    old = found.group(1)
    new = "B" if old != "B" else "C"
    return value[: found.start(1)] + new + value[found.end(1) :]


@pytest.mark.parametrize("field", ["data", "iv", "tag"])
def test_one_changed_character_is_reported_at_that_value(field: str):
    sealed = seal(HAND_WRITTEN).text
    line = next(line for line in sealed.splitlines() if line.startswith("    comment: ENC["))  # ability.comment
    value = line.split(": ", 1)[1]
    tampered = sealed.replace(line, "    comment: " + flip_base64(value, field))
    result = opened(tampered)
    assert [problem.path for problem in result.problems] == [("indicators", "ability", "comment")]
    assert "fails its check" in result.problems[0].message.en
    assert "校验" in result.problems[0].message.zh
    assert result.data["indicators"]["ability"]["comment"].startswith("ENC[")  # never half-opened
    with pytest.raises(sops.SopsProblem):
        sops.unseal(tampered, KEYS)


def test_swapped_values_of_different_fields_fail_at_both():
    sealed = seal(HAND_WRITTEN).text
    data = data_of(sealed)
    results, ability = data["indicators"]["results"]["score"], data["indicators"]["ability"]["score"]
    swapped = sealed.replace(results, "@@").replace(ability, results).replace("@@", ability)
    assert [problem.path for problem in opened(swapped).problems] == [
        ("indicators", "results", "score"),
        ("indicators", "ability", "score"),
    ]


def test_swapped_items_of_one_list_decrypt_but_fail_the_mac():
    """SOPS leaves list indexes out of a value's additional data: two peers' summaries can be swapped without
    either failing its own check. The MAC, over the values in document order, catches it."""
    sealed = seal(HAND_WRITTEN).text
    first, second = (peer["summary"] for peer in data_of(sealed)["assessments"]["peers"])
    swapped = sealed.replace(first, "@@").replace(second, first).replace("@@", second)
    result = opened(swapped)
    assert [problem.path for problem in result.problems] == [("sops", "mac")]
    assert "MAC does not match" in result.problems[0].message.en and "MAC 不符" in result.problems[0].message.zh


def test_a_removed_value_fails_the_mac():
    sealed = seal(HAND_WRITTEN).text
    kept = [line for line in sealed.splitlines(keepends=True) if not line.startswith("    summary: ENC[")]
    result = opened("".join(kept))
    assert [problem.path for problem in result.problems] == [("sops", "mac")]


def test_a_value_copied_from_another_file_fails_its_check():
    one, other = seal(HAND_WRITTEN).text, seal(HAND_WRITTEN).text  # two files, two data keys
    line = next(line for line in other.splitlines() if line.startswith("    summary: ENC["))
    mine = next(line for line in one.splitlines() if line.startswith("    summary: ENC["))
    result = opened(one.replace(mine, line))
    assert [problem.path for problem in result.problems] == [("assessments", "superior", "summary")]


def test_a_damaged_mac_is_reported_at_the_mac():
    sealed = seal(HAND_WRITTEN).text
    line = next(line for line in sealed.splitlines() if line.startswith("    mac: ENC["))
    result = opened(sealed.replace(line, "    mac: " + flip_base64(line.split(": ", 1)[1])))
    assert [problem.path for problem in result.problems] == [("sops", "mac")]


def test_a_value_that_is_not_the_sops_format_is_reported_at_that_value():
    sealed = seal(HAND_WRITTEN).text
    line = next(line for line in sealed.splitlines() if line.startswith("    summary: ENC["))
    result = opened(sealed.replace(line, "    summary: ENC[AES256_GCM,data:,oops]"))
    assert [problem.path for problem in result.problems] == [("assessments", "superior", "summary")]
    assert "malformed" in result.problems[0].message.en


# --- keys ---------------------------------------------------------------------------------------------


def test_the_wrong_key_is_not_a_recipient():
    sealed = seal(HAND_WRITTEN).text
    stranger = sops.Keyring((OTHER,), "other")
    with pytest.raises(sops.NotRecipient) as raised:
        opened(sealed, stranger)
    assert raised.value.recipients == [RECIPIENT]
    assert "not among this file's recipients" in raised.value.message.en
    with pytest.raises(sops.NotRecipient):
        sops.unseal(sealed, stranger)


def test_a_damaged_wrapped_key_is_reported_at_its_recipient():
    sealed = seal(HAND_WRITTEN).text
    lines = sealed.splitlines()
    row = next(i for i, line in enumerate(lines) if "BEGIN AGE ENCRYPTED FILE" in line) + 2
    body = base64.b64decode(lines[row].strip())
    lines[row] = "            " + base64.b64encode(bytes([body[0] ^ 1]) + body[1:]).decode()
    with pytest.raises(sops.SopsProblem) as raised:
        opened("\n".join(lines) + "\n")
    assert raised.value.path == ("sops", "age", 0)
    assert "damaged" in raised.value.message.en


def test_keys_are_read_as_sops_reads_them(tmp_path: Path):
    key_file = tmp_path / "keys.txt"
    key_file.write_text(f"# created: 2026-11-28\n# public key: {OTHER.to_public()}\n{OTHER}\n\n{IDENTITY}\n")
    keys = sops.keyring_from_env({"SOPS_AGE_KEY_FILE": str(key_file)})
    assert keys is not None and keys.recipients == {RECIPIENT, str(OTHER.to_public())}
    assert sops.unseal(seal(HAND_WRITTEN).text, keys) == HAND_WRITTEN
    from_variable = sops.keyring_from_env({"SOPS_AGE_KEY": str(IDENTITY), "HOME": str(tmp_path)})
    assert from_variable is not None and from_variable.recipients == {RECIPIENT}
    assert sops.keyring_from_env({"XDG_CONFIG_HOME": str(tmp_path)}) is None


def test_a_malformed_key_file_says_which_line(tmp_path: Path):
    key_file = tmp_path / "keys.txt"
    key_file.write_text(f"# my key\n{IDENTITY}\nAGE-SECRET-KEY-1NOTAKEY\n")
    with pytest.raises(sops.SopsProblem) as raised:
        sops.keyring_from_env({"SOPS_AGE_KEY_FILE": str(key_file)})
    assert raised.value.message.en == (
        "Line 3 of SOPS_AGE_KEY_FILE is not an age secret key (it should start with AGE-SECRET-KEY-1)."
    )
    assert "第 3 行" in raised.value.message.zh
    assert str(IDENTITY) not in raised.value.message.en + raised.value.message.zh


def test_a_missing_key_file_says_so(tmp_path: Path):
    with pytest.raises(sops.SopsProblem) as raised:
        sops.keyring_from_env({"SOPS_AGE_KEY_FILE": str(tmp_path / "nowhere.txt")})
    assert "Cannot read the key file" in raised.value.message.en
    assert "SOPS_AGE_KEY_FILE" in raised.value.message.zh


def test_an_encrypted_value_without_a_sops_block_cannot_be_sealed_or_unsealed():
    sealed = seal(HAND_WRITTEN).text
    cut = sealed.split("sops:\n")[0]
    with pytest.raises(sops.SopsProblem) as raised:
        seal(cut)
    assert "no sops metadata" in raised.value.message.en
    with pytest.raises(sops.SopsProblem):
        sops.unseal(cut, KEYS)


def test_a_file_without_confidential_values_is_left_alone():
    text = "id: RSK-2026-001\n# nothing confidential\ntitle: 风险\n"
    sealed = seal(text, "project")
    assert (sealed.changed, sealed.text) == (False, text)
