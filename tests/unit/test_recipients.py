"""Who may read what (8.2.3): the derivation behind `dops keys` and the recipient rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pyrage
import pytest
import yaml

from dops.core.config import Encryption, Responsible, Settings, load_settings
from dops.core.model import Record
from dops.rules import recipients

from ..conftest import make_repo


def new_key() -> str:
    return str(pyrage.x25519.Identity.generate().to_public())


KEYS = {person: new_key() for person in ("EMP-0001", "EMP-0002", "EMP-0003", "EMP-0004", "EMP-0005", "EMP-0006")}


def person(person_id: str, superior: str | None = None, *, key: bool = True, **extra: Any) -> Record:
    data: dict[str, Any] = {"id": person_id, "name": person_id, "roles": ["project_specialist"], "status": "active"}
    if superior:
        data["superior"] = superior
    if key:
        data["age_key"] = KEYS[person_id]
    data.update(extra)
    return Record("person", person_id, f"records/people/{person_id}.yaml", data, valid=True)


def review(person_id: str, period: str = "2026Q3") -> Record:
    record_id = f"REV-{person_id}-{period}"
    data = {"id": record_id, "person": person_id, "period": period, "status": "in_progress"}
    return Record("review", record_id, f"records/reviews/{record_id}.yaml", data, valid=True)


def project(manager: str, number: str = "001") -> Record:
    record_id = f"PRJ-2026-{number}"
    data = {"id": record_id, "name": "x", "manager": manager}
    return Record("project", record_id, f"records/projects/{record_id}.yaml", data, valid=True)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The samples' settings without their encryption section: the readers come from the records alone."""
    return dataclasses.replace(load_settings(make_repo(tmp_path_factory.mktemp("repo"))), encryption=Encryption())


def department() -> list[Record]:
    """EMP-0001 heads the department; EMP-0002 reports to them, EMP-0003 and EMP-0004 to EMP-0002."""
    return [
        person("EMP-0001", roles=["department_head"]),
        person("EMP-0002", "EMP-0001"),
        person("EMP-0003", "EMP-0002"),
        person("EMP-0004", "EMP-0002", key=False),
    ]


def readers(settings: Settings, records: list[Record], file: str) -> list[tuple[str, list[str]]]:
    found = recipients.derive(settings, records).by_file[file]
    return [(reader.person, [role.en for role in reader.roles]) for reader in found.people]


def test_an_appraisal_is_read_by_the_whole_chain_of_superiors_and_hr(settings):
    records = [*department(), review("EMP-0003")]
    assert readers(settings, records, "records/reviews/REV-EMP-0003-2026Q3.yaml") == [
        ("EMP-0001", ["superior", "HR"]),
        ("EMP-0002", ["superior"]),
    ]
    derived = recipients.derive(settings, records).by_file["records/reviews/REV-EMP-0003-2026Q3.yaml"]
    assert derived.recipients == tuple(sorted([KEYS["EMP-0001"], KEYS["EMP-0002"]]))
    assert derived.encrypted_regex == "^(assessor_name|comment|description|outcome|score|summary)$"


def test_nobody_reads_their_own_appraisal_unless_they_are_hr(settings):
    records = [*department(), review("EMP-0002"), review("EMP-0001")]
    assert readers(settings, records, "records/reviews/REV-EMP-0002-2026Q3.yaml") == [("EMP-0001", ["superior", "HR"])]
    # The head has no superior; they read their own appraisal only because they read for HR.
    assert readers(settings, records, "records/reviews/REV-EMP-0001-2026Q3.yaml") == [("EMP-0001", ["HR"])]


def test_hr_comes_from_encryption_hr_then_responsible_hr_then_the_head(settings):
    records = [*department(), person("EMP-0005", "EMP-0001")]
    file = "records/people/EMP-0003.yaml"
    assert readers(settings, records, file) == [("EMP-0001", ["HR"])]
    responsible = dataclasses.replace(settings, responsible=Responsible(hr="EMP-0005"))
    assert readers(responsible, records, file) == [("EMP-0005", ["HR"])]
    both = dataclasses.replace(responsible, encryption=Encryption(hr=("EMP-0002", "EMP-0005")))
    assert readers(both, records, file) == [("EMP-0002", ["HR"]), ("EMP-0005", ["HR"])]


def test_a_project_is_read_by_its_manager_their_superior_and_the_policy_owners(settings):
    records = [*department(), project("EMP-0003")]
    file = "records/projects/PRJ-2026-001.yaml"
    # Not the superior's superior: EMP-0001 reads as the policy owner (the head, by default).
    assert readers(settings, records, file) == [
        ("EMP-0001", ["policy owner"]),
        ("EMP-0002", ["superior"]),
        ("EMP-0003", ["manager"]),
    ]
    owners = dataclasses.replace(settings, encryption=Encryption(policy_owners=("EMP-0004",)))
    assert readers(owners, records, file) == [
        ("EMP-0002", ["superior"]),
        ("EMP-0003", ["manager"]),
        ("EMP-0004", ["policy owner"]),
    ]


def test_leavers_never_read_and_a_chain_passes_over_them(settings):
    records = [
        person("EMP-0001", roles=["department_head"]),
        person("EMP-0002", "EMP-0001", status="left", left_on="2026-10-31"),
        person("EMP-0003", "EMP-0002"),
        review("EMP-0003"),
        project("EMP-0003"),
    ]
    assert readers(settings, records, "records/reviews/REV-EMP-0003-2026Q3.yaml") == [("EMP-0001", ["superior", "HR"])]
    # The manager's superior has left: the next one up reads instead.
    assert readers(settings, records, "records/projects/PRJ-2026-001.yaml") == [
        ("EMP-0001", ["superior", "policy owner"]),
        ("EMP-0003", ["manager"]),
    ]
    # Named in the settings or not, a leaver reads nothing.
    named = dataclasses.replace(settings, encryption=Encryption(hr=("EMP-0002",)))
    assert readers(named, records, "records/people/EMP-0003.yaml") == []
    assert "EMP-0002" not in recipients.derive(named, records).reads()


def test_a_loop_of_superiors_ends_the_walk(settings):
    records = [
        person("EMP-0001", "EMP-0002", roles=["department_head"]),
        person("EMP-0002", "EMP-0003"),
        person("EMP-0003", "EMP-0001"),
        review("EMP-0003"),
    ]
    assert readers(settings, records, "records/reviews/REV-EMP-0003-2026Q3.yaml") == [
        ("EMP-0001", ["superior", "HR"]),
        ("EMP-0002", ["superior"]),
    ]


def test_always_keys_read_every_file_and_keys_are_sorted_and_unique(settings):
    ci = new_key()
    records = [*department(), review("EMP-0003"), project("EMP-0002")]
    always = dataclasses.replace(settings, encryption=Encryption(always=(ci, KEYS["EMP-0001"])))
    derived = recipients.derive(always, records)
    assert set(derived.by_file) == {
        *(f"records/people/EMP-000{n}.yaml" for n in range(1, 5)),
        "records/reviews/REV-EMP-0003-2026Q3.yaml",
        "records/projects/PRJ-2026-001.yaml",
    }
    for readers_of_file in derived.by_file.values():
        keys = readers_of_file.recipients
        assert ci in keys and keys == tuple(sorted(set(keys)))
    assert derived.by_file["records/people/EMP-0004.yaml"].recipients == tuple(sorted({ci, KEYS["EMP-0001"]}))


def test_kinds_without_confidential_fields_have_no_readers(settings):
    risk = Record("risk", "RSK-2026-001", "records/risks/RSK-2026-001.yaml", {"id": "RSK-2026-001"}, valid=True)
    derived = recipients.derive(settings, [*department(), risk])
    assert derived.readers(risk) is None


def test_readers_without_a_key_are_named_with_the_files_they_must_read(settings):
    records = [*department(), review("EMP-0003"), project("EMP-0004")]
    derived = recipients.derive(settings, records)
    missing = derived.must_read()
    assert list(missing) == ["EMP-0004"]
    assert [readers.file for readers in missing["EMP-0004"]] == ["records/projects/PRJ-2026-001.yaml"]
    # A reader without a key is left out of the keys, not out of the readers.
    project_readers = derived.by_file["records/projects/PRJ-2026-001.yaml"]
    assert [reader.person for reader in project_readers.keyless] == ["EMP-0004"]
    assert KEYS["EMP-0002"] in project_readers.recipients and len(project_readers.recipients) == 2


def test_a_malformed_key_is_no_key(settings):
    records = [person("EMP-0001", roles=["department_head"], age_key="age1notakey"), person("EMP-0002", "EMP-0001")]
    derived = recipients.derive(settings, records)
    assert derived.by_file["records/people/EMP-0002.yaml"].recipients == ()
    assert "EMP-0001" in derived.must_read()


def test_who_holds_a_key_is_named_for_messages(settings):
    ci = new_key()
    stranger = new_key()
    records = [*department(), person("EMP-0006", "EMP-0001", status="left", left_on="2026-10-31")]
    derived = recipients.derive(dataclasses.replace(settings, encryption=Encryption(always=(ci,))), records)
    assert derived.holder(KEYS["EMP-0002"]).en == "EMP-0002"
    assert derived.holder(KEYS["EMP-0006"]).en == "EMP-0006 (who has left)"
    assert derived.holder(ci).en.endswith("(encryption.always in dops.yaml)")
    assert derived.holder(stranger).en == f"{stranger[:12]}…{stranger[-6:]} (no person record holds it)"


def test_rendered_rules_are_one_per_file_in_path_order_and_independent_of_input_order(settings):
    records = [
        *department(),
        review("EMP-0003"),
        review("EMP-0004", "2026Q2"),
        project("EMP-0002"),
        project("EMP-0004", "002"),
    ]
    text = recipients.render(recipients.derive(settings, records))
    assert text == recipients.render(recipients.derive(settings, list(reversed(records))))
    assert text.startswith(recipients.HEADER)
    rules = yaml.safe_load(text)["creation_rules"]
    assert [rule["path_regex"] for rule in rules] == [
        r"^records/people/EMP-0001\.yaml$",
        r"^records/people/EMP-0002\.yaml$",
        r"^records/people/EMP-0003\.yaml$",
        r"^records/people/EMP-0004\.yaml$",
        r"^records/projects/PRJ-2026-001\.yaml$",
        r"^records/projects/PRJ-2026-002\.yaml$",
        r"^records/reviews/REV-EMP-0003-2026Q3\.yaml$",
        r"^records/reviews/REV-EMP-0004-2026Q2\.yaml$",
    ]
    by_path = {rule["path_regex"]: rule for rule in rules}
    appraisal = by_path[r"^records/reviews/REV-EMP-0003-2026Q3\.yaml$"]
    assert appraisal == {
        "path_regex": r"^records/reviews/REV-EMP-0003-2026Q3\.yaml$",
        "encrypted_regex": "^(assessor_name|comment|description|outcome|score|summary)$",
        "mac_only_encrypted": True,
        "age": ", ".join(sorted([KEYS["EMP-0001"], KEYS["EMP-0002"]])),  # the folded lines, comma-separated
    }
    assert by_path[r"^records/people/EMP-0001\.yaml$"]["encrypted_regex"] == "^(contact)$"
    assert by_path[r"^records/projects/PRJ-2026-001\.yaml$"]["encrypted_regex"] == "^(budget|contact|full_name)$"
    lines = text.splitlines()
    at = lines.index(r"  - path_regex: ^records/reviews/REV-EMP-0004-2026Q2\.yaml$")
    assert lines[at - 1] == "  # REV-EMP-0004-2026Q2: EMP-0001 (上级/superior, 人力资源/HR), EMP-0002 (上级/superior)"
    at = lines.index(r"  - path_regex: ^records/projects/PRJ-2026-002\.yaml$")
    assert lines[at - 2 : at] == [
        "  # PRJ-2026-002: EMP-0001 (制度负责人/policy owner), EMP-0002 (上级/superior)",
        "  # 没有 age_key，无法阅读 / without an age_key, cannot read: EMP-0004",
    ]


def test_a_file_nobody_can_read_gets_a_comment_not_a_rule(settings):
    records = [person("EMP-0001", roles=["department_head"], key=False), person("EMP-0002", "EMP-0001")]
    text = recipients.render(recipients.derive(settings, records))
    assert yaml.safe_load(text) == {"creation_rules": []}
    assert "  # EMP-0002: 有权阅读者都没有 age_key / nobody who may read it has an age_key: EMP-0001" in text


def test_a_record_value_cannot_break_out_of_a_comment_line(settings):
    records = [person("EMP-0001", roles=["department_head"]), person("EMP-0002", "EMP-0001")]
    records[1].id = "EMP-0002\ncreation_rules: []"
    text = recipients.render(recipients.derive(settings, records))
    assert "\ncreation_rules: []" not in text.split("creation_rules:", 1)[1]
    assert len(yaml.safe_load(text)["creation_rules"]) == 2


def test_the_recipients_of_a_sealed_file_are_read_from_its_sops_block(tmp_path: Path):
    record = Record("person", "EMP-0001", "x", {}, sealed={"age": [{"recipient": "age1a"}, {"enc": "x"}, "junk"]})
    assert recipients.sealed_recipients(record) == ["age1a"]
    assert recipients.sealed_recipients(Record("person", "EMP-0001", "x", {})) is None
    assert recipients.sealed_recipients(Record("person", "EMP-0001", "x", {}, sealed={"pgp": []})) == []
