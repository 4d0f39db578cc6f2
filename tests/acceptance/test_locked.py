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

from ..conftest import REPO, make_repo, run

IV = "nV3kG8qR2mXwYtB7cLpZ0aHsJ4uE6fKdN1oQ9iW5gTM="
TAG = "Zx8Qv2LkP4mN7rT1sW3yBg=="
BLOCK = f"""sops:
    age:
        - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBzYW1wbGUK
            -----END AGE ENCRYPTED FILE-----
    lastmodified: "2026-11-28T20:00:00Z"
    mac: ENC[AES256_GCM,data:c2FtcGxlIG1hYw==,iv:{IV},tag:{TAG},type:str]
    encrypted_regex: ^(budget|score|comment|summary|outcome|description|assessor_name)$
    mac_only_encrypted: true
    version: 3.11.0
"""
# The values the rules that need a key read: a review's scores and outcome, a project's budget.
SEALED_KEYS = ("score", "comment", "summary", "description", "assessor_name", "currency", "amount", "actual_cost")
NEEDS_KEY = sorted(rule.id for rule in RULES.values() if rule.confidential)


def enc(value: str) -> str:
    tag = "int" if value.isdigit() else "bool" if value in ("true", "false") else "str"
    return f"ENC[AES256_GCM,data:Mw==,iv:{IV},tag:{TAG},type:{tag}]"


def seal(text: str, folder: str) -> str:
    """The record with its scores, texts, outcome and budget encrypted, as `dops encrypt` leaves it."""
    keys = SEALED_KEYS if folder != "projects" else ("currency", "amount", "actual_cost")
    if folder == "projects" and "\nbudget:" not in text:
        return text
    inside_budget = False
    lines = []
    for line in text.splitlines():
        if folder == "projects":
            if re.match(r"\S", line):
                inside_budget = line.startswith("budget:")
            if not inside_budget:
                lines.append(line)
                continue
        found = re.match(r"^(\s*(?:- )?)(\w+): (.+)$", line)
        if found and found.group(2) in keys:
            line = f"{found.group(1)}{found.group(2)}: {enc(found.group(3))}"
        outcome = re.match(r"^outcome: \{(.*)\}$", line)
        if outcome:
            lines.append("outcome:")
            for pair in outcome.group(1).split(", "):
                key, value = pair.split(": ")
                lines.append(f"  {key}: {enc(value)}")
            continue
        lines.append(line)
    return "\n".join(lines) + "\n" + BLOCK


@pytest.fixture(scope="module")
def locked(tmp_path_factory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("locked") / "repo")
    shutil.rmtree(root / "records")
    shutil.copytree(REPO / "records", root / "records")
    for folder in ("reviews", "projects"):
        for path in sorted((root / "records" / folder).glob("*.yaml")):
            path.write_text(seal(path.read_text(encoding="utf-8"), folder), encoding="utf-8")
    return root


def locked_count(root: Path, folder: str) -> int:
    return sum("\nsops:\n" in path.read_text(encoding="utf-8") for path in (root / "records" / folder).glob("*.yaml"))


def test_the_samples_encrypted_check_without_a_key_and_pass(locked):
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


def test_every_other_finding_is_the_one_of_the_records_in_clear(locked):
    def found(root: Path) -> set[tuple[str, str, int]]:
        ran = run(root, "check", "--format", "json", "--no-cache", "--as-of", "2026-11-24")
        return {(f["rule"], f["file"], f["line"]) for f in json.loads(ran.stdout)["findings"]}

    clear = make_repo(locked.parent / "clear")
    shutil.rmtree(clear / "records")
    shutil.copytree(REPO / "records", clear / "records")
    skipped = {"needs-key", *NEEDS_KEY}
    sealed = {(rule, file) for rule, file, _ in found(locked) if rule not in skipped}
    assert sealed == {(rule, file) for rule, file, _ in found(clear) if rule not in skipped}


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
    with (root / "dops.yaml").open("a", encoding="utf-8") as settings:
        settings.write("encryption:\n  required: true\n")
    ran = run(root, "check", "--lang", "en", "--no-cache")
    assert ran.returncode == 1
    person = (root / "records" / "people" / "EMP-0001.yaml").read_text(encoding="utf-8").splitlines()
    line = next(index for index, content in enumerate(person, 1) if content.startswith("contact:"))
    assert re.search(
        rf"records/people/EMP-0001\.yaml\n(?:  .*\n)*?  {line}:\d+ +error  confidential-in-clear  \[clause 8\.2\.3\] "
        r"The confidential field contact\.email is stored in clear\. Run `dops encrypt records/people/EMP-0001\.yaml`",
        ran.stdout,
    ), ran.stdout
    assert "meng.qingguo@" not in ran.stdout  # the value itself is never shown
