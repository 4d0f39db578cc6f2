"""`dops encrypt`, `decrypt`, `edit`, `reencrypt` and `new` on a copy of the sample department (8.2.3).

What a user sees: exit codes, the messages, and the files' bytes: only the confidential values and the
`sops:` block change, decrypting gives back the file as written, and no command leaves a decrypted copy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import sys
from pathlib import Path

import pytest
import yaml
from pyrage import x25519

from ..conftest import REPO, make_repo, run

REVIEW = "records/reviews/REV-EMP-0002-2026Q2.yaml"
PROJECT = "records/projects/PRJ-2026-001.yaml"
PERSON = "records/people/EMP-0002.yaml"
ENC = re.compile(r'"?ENC\[AES256_GCM,[^\]]*\]"?')


def _key(folder: Path, name: str) -> tuple[Path, str]:
    identity = x25519.Identity.generate()
    path = folder / name
    path.write_text(f"# created: for a test\n{identity}\n", encoding="utf-8")
    return path, str(identity.to_public())


DEMO_KEY = REPO / "keys" / "demo-samples-only.agekey"


def _demo_identity(person: str, folder: Path) -> Path:
    """A key file holding one sample person's demo identity alone."""
    lines = DEMO_KEY.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f"# {person} "))
    path = folder / f"{person}.agekey"
    path.write_text(lines[index + 1] + "\n", encoding="utf-8")
    return path


def _require(root: Path, required: bool) -> None:
    settings = root / "dops.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace(f"required: {str(not required).lower()}", f"required: {str(required).lower()}"), encoding="utf-8"
    )


@pytest.fixture
def department(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the samples decrypted, with their settings and readers: the state before `dops encrypt`.

    Returns the root, the demo key file (it holds every sample person's key and the CI job's) and an
    outsider's key.
    """
    root = make_repo(tmp_path / "repo")
    shutil.rmtree(root / "records")
    shutil.copytree(REPO / "records", root / "records")
    shutil.copy(REPO / "dops.yaml", root / "dops.yaml")
    shutil.copy(REPO / ".sops.yaml", root / ".sops.yaml")
    for path in (root / "records").rglob("*.yaml"):
        if "\nsops:" in path.read_text(encoding="utf-8"):
            done = run(root, "decrypt", str(path.relative_to(root)), env={"SOPS_AGE_KEY_FILE": str(DEMO_KEY)})
            assert done.returncode == 0, done.stderr
            path.write_text(done.stdout, encoding="utf-8")
    outsider, _ = _key(tmp_path, "outsider.agekey")
    return root, DEMO_KEY, outsider


def _confidential_values(text: str) -> list[str]:
    """The clear texts of a sample review's confidential values (scores aside: digits appear everywhere)."""
    data = yaml.safe_load(text)
    found = [data["indicators"][name]["comment"] for name in ("results", "ability", "attitude")]
    found += [data["assessments"]["self"]["summary"], data["assessments"]["superior"]["summary"]]
    found += [item["assessor_name"] for item in data["assessments"].get("customers", [])]
    return found


def test_encrypt_changes_only_the_confidential_values_and_decrypt_gives_the_file_back(department):
    root, hr, _ = department
    before = {path: (root / path).read_text(encoding="utf-8") for path in (REVIEW, PROJECT, PERSON)}
    done = run(root, "encrypt")
    assert done.returncode == 0, done.stderr
    assert re.search(rf"{re.escape(REVIEW)}: 已加密 16 个值 / 16 value\(s\) encrypted", done.stdout)
    assert "records/risks/" not in done.stdout + done.stderr  # kinds without confidential fields are left alone
    for path, clear in before.items():
        sealed = (root / path).read_text(encoding="utf-8")
        body, block = sealed.split("\nsops:\n", 1)
        assert "    mac_only_encrypted: true\n" in block
        old_lines, new_lines = clear.splitlines(), body.splitlines()
        assert len(old_lines) == len(new_lines)
        for old, new in zip(old_lines, new_lines, strict=True):
            assert ENC.sub("X", new) == new or ENC.search(old) is None  # nothing was already encrypted
            if "ENC[" not in new:
                assert old == new  # every line without an encrypted value is byte for byte the same
        shown = run(root, "decrypt", path, env={"SOPS_AGE_KEY_FILE": str(hr)})
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout == clear
    review = (root / REVIEW).read_text(encoding="utf-8")
    for value in _confidential_values(before[REVIEW]):
        assert value not in review
    assert "completed_on: 2026-07-06\n" in review  # dates stay dates, not timestamps
    again = run(root, "encrypt")
    assert again.returncode == 0
    assert "没有需要加密的明文保密值 / no confidential value in clear to encrypt" in again.stdout
    assert (root / REVIEW).read_text(encoding="utf-8") == review  # a second run writes nothing


def test_the_check_runs_every_rule_with_the_key_and_still_passes_without_it(department):
    root, hr, outsider = department
    _require(root, False)  # in clear, before the migration
    clear = run(root, "check", "--format", "json", "--as-of", "2026-11-24")
    _require(root, True)
    assert run(root, "encrypt").returncode == 0
    with_key = run(root, "check", "--format", "json", "--as-of", "2026-11-24", env={"SOPS_AGE_KEY_FILE": str(hr)})
    without = run(root, "check", "--format", "json", "--as-of", "2026-11-24")
    not_mine = run(root, "check", "--format", "json", "--as-of", "2026-11-24", env={"SOPS_AGE_KEY_FILE": str(outsider)})
    assert with_key.returncode == clear.returncode == 0
    assert without.returncode == 0, without.stdout
    assert not_mine.returncode == 0, not_mine.stdout

    def findings(ran) -> list[tuple[str, str, int]]:
        return sorted((f["rule"], f["file"], f["line"]) for f in json.loads(ran.stdout)["findings"])

    assert findings(with_key) == findings(clear)  # with the key, the very same answer as in clear
    assert findings(without) == findings(not_mine)
    skipped = [f for f in json.loads(without.stdout)["findings"] if f["severity"] == "notice"]
    assert skipped, "without a key, the rules that read confidential values say they were skipped"
    secret = _confidential_values(run(root, "decrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": str(hr)}).stdout)
    for ran in (with_key, without):
        for value in secret:
            assert value not in ran.stdout + ran.stderr  # no output ever prints a decrypted value


def test_a_tampered_value_and_a_wrong_mac_are_findings_at_their_lines(department):
    root, hr, _ = department
    assert run(root, "encrypt", REVIEW).returncode == 0
    path = root / REVIEW
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    comment_line = next(i for i, line in enumerate(lines) if line.startswith("  ability:"))
    # The attitude score's ciphertext pasted over the ability score's: a valid value, in the wrong place.
    attitude = next(line for line in lines if line.startswith("  attitude:"))
    ability_score = re.search(r'score: ("ENC\[[^"]*")', lines[comment_line])
    attitude_score = re.search(r'score: ("ENC\[[^"]*")', attitude)
    assert ability_score and attitude_score
    lines[comment_line] = lines[comment_line].replace(ability_score.group(1), attitude_score.group(1))
    path.write_text("".join(lines), encoding="utf-8")
    done = run(root, "check", REVIEW, "--format", "json", env={"SOPS_AGE_KEY_FILE": str(hr)})
    assert done.returncode == 1
    found = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "encryption"]
    assert [f["line"] for f in found] == [comment_line + 1]
    assert found[0]["message"].startswith("加密值无法通过校验")

    path.write_text(
        text.replace("  attitude: {score: ", "  attitude: {").replace(attitude_score.group(1) + ", ", "", 1)
    )
    done = run(root, "check", REVIEW, "--format", "json", env={"SOPS_AGE_KEY_FILE": str(hr)})
    assert done.returncode == 1
    mac_line = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("    mac: "))
    found = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "encryption"]
    assert [(f["line"], "MAC 不符" in f["message"]) for f in found] == [(mac_line, True)]


def test_decrypt_needs_a_key_of_a_reader_and_says_so(department):
    root, _hr, outsider = department
    assert run(root, "encrypt", REVIEW).returncode == 0
    none = run(root, "decrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": None, "SOPS_AGE_KEY": None, "HOME": str(root)})
    assert none.returncode == 2
    assert "SOPS_AGE_KEY_FILE" in none.stderr and not none.stdout
    stranger = run(root, "decrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": str(outsider)})
    assert stranger.returncode == 2
    assert "not among this file's recipients" in stranger.stderr and REVIEW in stranger.stderr
    broken = root / "broken.agekey"
    broken.write_text("AGE-SECRET-KEY-1NOTAKEY\n", encoding="utf-8")
    bad = run(root, "decrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": str(broken)})
    assert bad.returncode == 2
    assert "Line 1 of SOPS_AGE_KEY_FILE is not an age secret key" in bad.stderr
    assert "Traceback" not in bad.stderr


def _editor(tmp_path: Path, body: str) -> str:
    """An editor: a script that logs the file it was given and its permissions, then runs ``body``."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import os, stat, sys\n"
        "path = sys.argv[1]\n"
        f"with open({str(tmp_path / 'editor.log')!r}, 'a') as log:\n"
        "    log.write(f'{path} {oct(stat.S_IMODE(os.stat(path).st_mode))}\\n')\n" + body,
        encoding="utf-8",
    )
    return f"{sys.executable} {script}"


def _edited_file(tmp_path: Path) -> tuple[Path, str]:
    path, mode = (tmp_path / "editor.log").read_text(encoding="utf-8").split()
    return Path(path), mode


def test_edit_changes_one_value_as_a_one_line_diff_and_leaves_no_clear_copy(department, tmp_path):
    root, hr, _ = department
    assert run(root, "encrypt", REVIEW).returncode == 0
    before = (root / REVIEW).read_text(encoding="utf-8")
    editor = _editor(
        tmp_path,
        "text = open(path, encoding='utf-8').read()\n"
        "open(path, 'w', encoding='utf-8').write(text.replace('attitude: {score: 5,', 'attitude: {score: 4,'))\n",
    )
    done = run(root, "edit", REVIEW, env={"SOPS_AGE_KEY_FILE": str(hr), "EDITOR": editor, "VISUAL": None})
    assert done.returncode == 0, done.stderr
    assert "已加密保存 / saved, encrypted." in done.stdout and "0 个错误" in done.stdout
    edited, mode = _edited_file(tmp_path)
    assert mode == "0o600"
    assert not edited.exists() and not edited.parent.exists()  # the clear copy and its folder are gone
    after = (root / REVIEW).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    names = [a.split(":")[0].strip() for a, _ in changed]
    assert names in (["attitude", "lastmodified", "mac"], ["attitude", "mac"])  # the same second: one stamp
    shown = run(root, "decrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": str(hr)})
    assert "attitude: {score: 4, comment:" in shown.stdout


def test_edit_writes_nothing_when_the_editor_fails_or_changes_nothing(department, tmp_path):
    root, hr, _ = department
    assert run(root, "encrypt", REVIEW).returncode == 0
    before = (root / REVIEW).read_bytes()
    failing = _editor(
        tmp_path,
        "open(path, 'a', encoding='utf-8').write('# half-done\\n')\nsys.exit(3)\n",
    )
    done = run(root, "edit", REVIEW, env={"SOPS_AGE_KEY_FILE": str(hr), "EDITOR": failing, "VISUAL": None})
    assert done.returncode == 2
    assert "The editor exited with status 3; the file was not changed." in done.stderr
    edited, _ = _edited_file(tmp_path)
    assert not edited.exists()
    assert (root / REVIEW).read_bytes() == before
    (tmp_path / "editor.log").unlink()
    idle = _editor(tmp_path, "")
    done = run(root, "edit", REVIEW, env={"SOPS_AGE_KEY_FILE": str(hr), "EDITOR": idle, "VISUAL": None})
    assert done.returncode == 0
    assert "没有改动 / no change." in done.stdout
    assert (root / REVIEW).read_bytes() == before
    assert not _edited_file(tmp_path)[0].exists()


def test_reencrypt_moves_the_file_to_the_new_readers_under_a_new_key(department, tmp_path):
    root, hr, _ = department
    assert run(root, "encrypt", REVIEW).returncode == 0
    clear = run(root, "decrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": str(hr)}).stdout
    old = _demo_identity("EMP-0001", tmp_path)  # EMP-0002's superior and HR
    assert run(root, "decrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": str(old)}).stdout == clear
    new_key, public = _key(tmp_path, "new-EMP-0001.agekey")  # EMP-0001 lost the old key and made a new one
    person = root / "records/people/EMP-0001.yaml"
    person.write_text(re.sub(r"age_key: \S+", f"age_key: {public}", person.read_text(encoding="utf-8")))
    stale = run(root, "check", "--format", "json")
    assert stale.returncode == 1
    assert {f["rule"] for f in json.loads(stale.stdout)["findings"]} >= {"sops-rules-current", "recipients-current"}
    assert run(root, "keys").returncode == 0
    done = run(root, "reencrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": str(hr)})
    assert done.returncode == 0, done.stderr
    assert "re-encrypted under a new data key" in done.stdout
    assert run(root, "decrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": str(new_key)}).stdout == clear
    gone = run(root, "decrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": str(old)})
    assert gone.returncode == 2 and "not among this file's recipients" in gone.stderr
    fresh = run(root, "check", "--format", "json", env={"SOPS_AGE_KEY_FILE": str(hr)})
    assert not [f for f in json.loads(fresh.stdout)["findings"] if f["rule"].endswith("-current")]


def test_new_writes_the_confidential_fields_encrypted_from_the_start(department):
    root, hr, _ = department
    done = run(
        root, "new", "project", "--name", "测试项目", "--manager", "EMP-0002", "--customer", "C-123", "--no-input"
    )
    assert done.returncode == 0, done.stderr
    written = re.search(r"Written: (\S+)", done.stdout)
    assert written
    text = (root / written.group(1)).read_text(encoding="utf-8")
    assert "\nsops:\n" in text and "full_name: ENC[AES256_GCM," in text
    assert f"dops edit {written.group(1)}" in done.stdout
    assert "dops keys" in done.stdout
    shown = run(root, "decrypt", written.group(1), env={"SOPS_AGE_KEY_FILE": str(hr)})
    assert 'full_name: "<填写：客户全称 / fill in: Customer\'s full name>"' in shown.stdout


def test_encrypt_without_readers_or_on_a_file_it_cannot_open_changes_nothing(department, tmp_path):
    root, _hr, outsider = department
    (root / ".sops.yaml").unlink()
    before = (root / REVIEW).read_bytes()
    done = run(root, "encrypt", REVIEW)
    assert done.returncode == 1
    assert ".sops.yaml names no readers for this file" in done.stderr and REVIEW in done.stderr
    assert (root / REVIEW).read_bytes() == before
    assert run(root, "keys").returncode == 0
    assert run(root, "encrypt", REVIEW).returncode == 0
    mode = stat.S_IMODE(os.stat(root / REVIEW).st_mode)
    # A value typed in clear into the encrypted file: adding it needs a key that opens the file.
    text = re.sub(
        r'attitude: \{score: "ENC\[[^"]*"', "attitude: {score: 2", (root / REVIEW).read_text(encoding="utf-8")
    )
    (root / REVIEW).write_text(text, encoding="utf-8")
    done = run(root, "encrypt", REVIEW, env={"SOPS_AGE_KEY_FILE": str(outsider)})
    assert done.returncode == 1
    assert "not among this file's recipients" in done.stderr
    assert (root / REVIEW).read_text(encoding="utf-8") == text
    assert stat.S_IMODE(os.stat(root / REVIEW).st_mode) == mode
