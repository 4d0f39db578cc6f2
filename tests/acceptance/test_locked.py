"""A check without the key (8.2.3): the sample records with their confidential values encrypted.

What a pull request's CI sees: the structure and the type of every encrypted value are checked, the
rules that read confidential values say once each that they skipped the records no key opened, and
the check passes. The ENC values here are written by hand: without a key only their form is read.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from dops.rules import RULES

from ..conftest import REPO, make_repo, run, sample_settings

DEMO_KEY = REPO / "keys" / "demo-samples-only.agekey"
NEEDS_KEY = sorted(rule.id for rule in RULES.values() if rule.confidential)


@pytest.fixture(scope="module")
def locked(tmp_path_factory) -> Path:
    """A copy of the samples as they are committed: encrypted, with the settings that require it."""
    root = make_repo(tmp_path_factory.mktemp("locked") / "repo")
    shutil.rmtree(root / "records")
    shutil.copytree(REPO / "records", root / "records")
    sample_settings(root)
    return root


def locked_count(root: Path, folder: str) -> int:
    return sum("\nsops:\n" in path.read_text(encoding="utf-8") for path in (root / "records" / folder).glob("*.yaml"))


def test_the_samples_encrypted_check_without_a_key_and_pass(locked):
    assert "\nsops:\n" in (locked / "records" / "projects" / "PRJ-2026-001.yaml").read_text(encoding="utf-8")
    assert "ENC[" in (locked / "records" / "reviews" / "REV-EMP-0002-2025.yaml").read_text(encoding="utf-8")
    ran = run(locked, "check", "--lang", "en", "--no-cache")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert " 0 errors" in ran.stdout
    for rule_id in NEEDS_KEY:
        said = [line for line in ran.stdout.splitlines() if "Skipped for" in line and f"({rule_id})" in line]
        assert len(said) == 1, (rule_id, said)
        assert "notice  needs-key" in said[0]
    reviews, projects = locked_count(locked, "reviews"), locked_count(locked, "projects")
    assert f"Skipped for {reviews} records (review-outcome): their confidential values are encrypted" in ran.stdout
    assert f"Skipped for {projects} records (budget-within)" in ran.stdout
    assert "SOPS_AGE_KEY_FILE" in ran.stdout


def test_the_json_report_carries_one_notice_per_rule_that_needs_the_key(locked):
    ran = run(locked, "check", "--format", "json", "--lang", "zh", "--no-cache")
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    notices = [f for f in report["findings"] if f["rule"] == "needs-key"]
    assert sorted(re.search(r"（([a-z-]+)）", f["message"]).group(1) for f in notices) == NEEDS_KEY
    assert all(f["severity"] == "notice" for f in notices)
    assert all("保密值已加密，本机没有能解开它们的密钥" in f["message"] for f in notices)
    assert report["summary"]["errors"] == 0
    budget = next(f for f in notices if "budget-within" in f["message"])
    assert budget["clauses"] == list(RULES["budget-within"].clauses)
    assert budget["file"].startswith("records/projects/") and budget["line"] > 1


def test_every_other_finding_is_the_one_the_key_gives(locked):
    def found(key: Path | None) -> set[tuple[str, str, int]]:
        ran = run(
            locked,
            "check",
            "--format",
            "json",
            "--no-cache",
            "--as-of",
            "2026-11-24",
            env={"SOPS_AGE_KEY_FILE": str(key) if key else None},
        )
        return {(f["rule"], f["file"], f["line"]) for f in json.loads(ran.stdout)["findings"]}

    skipped = {"needs-key", *NEEDS_KEY}
    without = {(rule, file) for rule, file, _ in found(None) if rule not in skipped}
    assert without == {(rule, file) for rule, file, _ in found(DEMO_KEY) if rule not in skipped}


def test_an_encrypted_score_of_the_wrong_type_fails_at_its_line(locked, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(locked, root)
    path = root / "records" / "reviews" / "REV-EMP-0002-2025.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(index for index, content in enumerate(lines, 1) if content.strip().startswith("score:"))
    lines[line - 1] = lines[line - 1].replace("type:int]", "type:str]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ran = run(root, "check", "--lang", "en", "--no-cache")
    assert ran.returncode == 1
    assert re.search(
        rf"  {line}:\d+ +error  schema  .* indicators\.results\.score \(Score\) is encrypted as text \(type:str\); "
        r"the schema wants a whole number 1–5\.",
        ran.stdout,
    ), ran.stdout


def test_where_encryption_is_required_a_contact_in_clear_fails_at_its_line(locked, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(locked, root)
    path = root / "records" / "people" / "EMP-0001.yaml"
    clear = run(root, "decrypt", "records/people/EMP-0001.yaml", env={"SOPS_AGE_KEY_FILE": str(DEMO_KEY)})
    assert clear.returncode == 0, clear.stderr
    path.write_text(clear.stdout, encoding="utf-8")  # as if decrypted and committed by mistake
    ran = run(root, "check", "--lang", "en", "--no-cache")
    assert ran.returncode == 1
    person = clear.stdout.splitlines()
    line = next(index for index, content in enumerate(person, 1) if content.startswith("contact:"))
    assert re.search(
        rf"records/people/EMP-0001\.yaml\n(?:  .*\n)*?  {line}:\d+ +error  confidential-in-clear  \[clause 8\.2\.3\] "
        r"The confidential field contact\.email is stored in clear\. Run `dops encrypt records/people/EMP-0001\.yaml`",
        ran.stdout,
    ), ran.stdout
    email = re.search(r"email: ([^,}]+)", clear.stdout)
    assert email and email.group(1) not in ran.stdout  # the value itself is never shown


def test_with_the_demo_key_every_rule_runs_and_nothing_is_skipped(locked):
    ran = run(locked, "check", "--format", "json", "--no-cache", env={"SOPS_AGE_KEY_FILE": str(DEMO_KEY)})
    assert ran.returncode == 0, ran.stdout
    report = json.loads(ran.stdout)
    assert not [f for f in report["findings"] if f["rule"] in ("needs-key", "encryption")]
    ruled = {o["rule"] for o in report["obligations"]}
    assert set(NEEDS_KEY) <= ruled  # the rules that read confidential values stated their duties
