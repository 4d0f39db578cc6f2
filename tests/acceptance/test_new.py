"""`dops new` end to end: the record it writes fails `dops check` until its placeholders are filled.

Every test works on a copy of the bundled sample records (16 people, 9 projects, plans for 2025 and
2026, …), so IDs, people and plan items are real ones.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dops import cli
from dops.core import loader
from dops.core.config import load_settings
from dops.features import scaffold

from ..conftest import REPO, make_repo

AS_OF = "2026-11-24"
PLACEHOLDER = re.compile(r'"<填写：[^"]*>"')


@pytest.fixture
def root(tmp_path: Path, monkeypatch) -> Path:
    """A repository holding the sample records; the tests run in it, as a user would."""
    target = make_repo(tmp_path / "repo")
    shutil.copytree(REPO / "records", target / "records", dirs_exist_ok=True)
    monkeypatch.chdir(target)
    return target


def dops(*args: str, input: str | None = None):
    return CliRunner().invoke(cli.main, list(args), input=input, catch_exceptions=False)


def check(path: str) -> tuple[int, list[dict]]:
    result = dops("check", path, "--as-of", AS_OF, "--format", "json")
    return result.exit_code, json.loads(result.output)["findings"]


def placeholder_lines(text: str) -> list[int]:
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if not line.lstrip().startswith("#") and PLACEHOLDER.search(line)
    ]


def fill(text: str, values: dict[str, list[str]]) -> str:
    """Replace each placeholder, in file order, by the next value given for its field title."""
    remaining = {title: list(given) for title, given in values.items()}

    def real(found: re.Match) -> str:
        title = found.group()[1:-1]
        return remaining[title].pop(0)

    filled = PLACEHOLDER.sub(real, text)
    assert not any(remaining.values()), f"values left over: {remaining}"
    return filled


# kind, options (without --no-input and --date), the file written, the real values per placeholder
KINDS = [
    (
        "person",
        ["--name", "赵敏", "--role", "project_specialist", "--superior", "EMP-0002"],
        "records/people/EMP-0018.yaml",
        {
            "<填写：职位 / fill in: Job title>": ["项目专员"],
            "<填写：协议编号 / fill in: Reference>": ["HR-NDA-2026-052"],
        },
    ),
    (
        "project",
        ["--name", "华南仓储二期", "--manager", "EMP-0003", "--customer", "C-007"],
        "records/projects/PRJ-2026-009.yaml",
        {"<填写：客户全称 / fill in: Customer's full name>": ["某零售集团"]},
    ),
    (
        "review",
        ["--person", "EMP-0017", "--period", "2026Q3"],
        "records/reviews/REV-EMP-0017-2026Q3.yaml",
        {
            "<填写：得分 / fill in: Score>": ["4", "3", "4"],
            "<填写：评价 / fill in: Assessment>": ["试用期内完成质量验证", "上手快，文档规范", "配合积极", "验证细致"],
            "<填写：评价人 / fill in: Assessor>": ["EMP-0012"],
            "<填写：等级 / fill in: Grade>": ["B"],
        },
    ),
    (
        "risk",
        ["--title", "切换窗口不足", "--project", "PRJ-2026-006", "--category", "schedule"],
        "records/risks/RSK-2026-026.yaml",
        {
            "<填写：描述 / fill in: Description>": ["客户只给一个夜间窗口，切换可能做不完"],
            "<填写：可能性 / fill in: Likelihood>": ["2"],
            "<填写：影响程度 / fill in: Impact>": ["3"],
        },
    ),
    (
        "training-session",
        ["--plan-item", "TRP-2026/T03"],
        "records/trainings/TRS-2026-015.yaml",
        {
            "<填写：培训方式 / fill in: Methods>": ["practice"],
            "<填写：人员 / fill in: Person>": ["EMP-0011"],
            "<填写：结果 / fill in: Result>": ["passed"],
            "<填写：培训成果 / fill in: Outcomes>": ["完成集群升级演练"],
        },
    ),
    (
        "training-plan",
        [],
        "records/trainings/TRP-2027.yaml",
        {
            "<填写：主题 / fill in: Topic>": ["运维自动化", "项目集管理", "客户汇报写作"],
            "<填写：对象 / fill in: Audience>": ["operations_support", "project_manager", "project_specialist"],
        },
    ),
]


@pytest.mark.parametrize(("kind", "options", "written", "values"), KINDS, ids=[k[0] for k in KINDS])
def test_the_scaffold_fails_the_check_until_its_placeholders_are_filled(root, kind, options, written, values):
    result = dops("new", kind, "--no-input", "--date", AS_OF, *options)
    assert result.exit_code == 0, result.output
    assert f"已写入 / Written: {written}" in result.output
    assert f"dops check {written}" in result.output
    path = root / written
    text = path.read_text(encoding="utf-8")
    lines = placeholder_lines(text)
    assert lines and f"lines {', '.join(map(str, lines))}" in result.output

    code, findings = check(written)
    assert code == 1
    # One finding at each placeholder, and only there: the rule, or the schema where it refuses the value.
    assert sorted(f["line"] for f in findings) == lines, findings
    assert {f["rule"] for f in findings} <= {"placeholder-unfilled", "schema"}
    assert all(f["file"] == written and f["severity"] == "error" for f in findings)

    path.write_text(fill(text, values), encoding="utf-8")
    code, findings = check(written)
    assert (code, findings) == (0, [])


def test_the_file_loads_strictly_names_its_schema_and_keeps_the_schema_order(root):
    dops("new", "risk", "--no-input", "--date", AS_OF, "--title", "切换窗口不足", "--category", "schedule")
    path = root / "records/risks/RSK-2026-026.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/risk.schema.json"
    assert (path.parent / first.split("=", 1)[1]).resolve() == (root / "schemas/risk.schema.json").resolve()
    document = loader.parse(text.encode("utf-8"), 256 * 1024)
    assert isinstance(document, loader.Document), document
    schema = json.loads((root / "schemas/risk.schema.json").read_text(encoding="utf-8"))
    order = list(schema["properties"])
    assert list(document.data) == sorted(document.data, key=order.index)
    assert set(schema["required"]) <= set(document.data)
    assert "project" not in document.data  # no project given: a risk outside any project


def test_each_field_is_explained_by_its_schema_title_and_description(root):
    dops(
        "new",
        "person",
        "--no-input",
        "--date",
        AS_OF,
        "--name",
        "赵敏",
        "--role",
        "project_specialist",
        "--superior",
        "EMP-0002",
    )
    text = (root / "records/people/EMP-0018.yaml").read_text(encoding="utf-8")
    schema = json.loads((root / "schemas/person.schema.json").read_text(encoding="utf-8"))
    comments = " ".join(line.lstrip("# ") for line in text.splitlines() if line.lstrip().startswith("#"))
    for name in ("name", "roles", "superior", "confidentiality_agreement"):
        prop = schema["properties"][name]
        zh, en = prop["description"].split("\n\n")
        assert prop["title"] in comments
        assert zh.replace(" ", "") in comments.replace(" ", "")
        assert " ".join(en.split()) in comments
    # Dates where one is needed are the day given.
    assert "joined_on: 2026-11-24" in text and "signed_on: 2026-11-24" in text


def test_ids_continue_from_the_highest_taken(root):
    assert (
        "EMP-0018.yaml"
        in dops(
            "new", "person", "--no-input", "--name", "甲", "--role", "project_specialist", "--superior", "EMP-0002"
        ).output
    )
    assert (
        "EMP-0019.yaml"
        in dops(
            "new", "person", "--no-input", "--name", "乙", "--role", "project_specialist", "--superior", "EMP-0002"
        ).output
    )
    # A year's numbering starts at 001; the year is that of --date.
    result = dops(
        "new",
        "project",
        "--no-input",
        "--date",
        "2027-01-05",
        "--name",
        "新项目",
        "--manager",
        "EMP-0002",
        "--customer",
        "C-001",
    )
    assert "records/projects/PRJ-2027-001.yaml" in result.output
    assert "started_on: 2027-01-05" in (root / "records/projects/PRJ-2027-001.yaml").read_text(encoding="utf-8")
    # A training plan takes the first year from --date on without a plan.
    assert "TRP-2027.yaml" in dops("new", "training-plan", "--no-input", "--date", AS_OF).output
    assert "TRP-2028.yaml" in dops("new", "training-plan", "--no-input", "--date", AS_OF).output


def test_a_review_names_the_superior_and_the_customer_projects_of_its_period(root):
    dops("new", "review", "--no-input", "--date", AS_OF, "--person", "EMP-0017", "--period", "2026Q3")
    data = loader.parse((root / "records/reviews/REV-EMP-0017-2026Q3.yaml").read_bytes(), 1 << 20).data
    assert data["assessments"]["superior"]["assessor"] == "EMP-0004"
    assert [c["project"] for c in data["assessments"]["customers"]] == ["PRJ-2026-006"]


def test_an_existing_record_is_never_overwritten(root):
    existing = root / "records/reviews/REV-EMP-0003-2026Q3.yaml"
    before = existing.read_bytes()
    result = dops("new", "review", "--no-input", "--person", "EMP-0003", "--period", "2026Q3", "--date", AS_OF)
    assert result.exit_code == 2
    assert "records/reviews/REV-EMP-0003-2026Q3.yaml" in result.output and "never overwritten" in result.output
    assert existing.read_bytes() == before
    result = dops("new", "training-plan", "--no-input", "--year", "2026")
    assert result.exit_code == 2 and "records/trainings/TRP-2026.yaml" in result.output


def test_a_file_that_appears_while_writing_is_not_replaced(root):
    settings = load_settings(root)
    record = scaffold.plan(settings, "risk", {"title": "切换窗口不足", "category": "schedule"}, dt.date(2026, 11, 24))
    record.path.write_text("id: RSK-2026-026\n", encoding="utf-8")  # someone else was quicker
    with pytest.raises(scaffold.Refused, match="RSK-2026-026"):
        scaffold.write(record)
    assert record.path.read_text(encoding="utf-8") == "id: RSK-2026-026\n"
    assert not [p for p in record.path.parent.iterdir() if p.name.startswith(".")], "no temporary file is left"


def test_no_input_without_the_key_values_is_a_usage_error(root):
    people = sorted(os.listdir(root / "records/people"))
    result = dops("new", "person", "--no-input", "--name", "赵敏")
    assert result.exit_code == 2
    assert "--role" in result.output and "--superior" in result.output
    assert sorted(os.listdir(root / "records/people")) == people, "nothing is written"
    result = dops("new", "risk", "--no-input", "--title", "切换窗口不足")
    assert result.exit_code == 2 and "--category" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["person", "--name", "赵敏", "--role", "project_specialist", "--superior", "EMP-0099"], "EMP-0099"),
        (["person", "--name", "赵敏", "--role", "boss", "--superior", "EMP-0002"], "boss"),
        (["person", "--name", "赵敏", "--role", "project_specialist", "--superior", "EMP-0009"], "left on 2026-06-26"),
        (["project", "--name", "X", "--manager", "EMP-0006", "--customer", "C-001"], "not a project manager"),
        (["project", "--name", "X", "--manager", "EMP-0002", "--customer", "ACME"], "customer code"),
        (["review", "--person", "EMP-0017", "--period", "2026Q2"], "joined on 2026-08-03"),
        (["review", "--person", "EMP-0003", "--period", "2027Q1"], "appraised on"),
        (["review", "--person", "EMP-0003", "--period", "2026Q4"], "at the earliest"),  # ends 2026-12-31
        (["review", "--person", "EMP-0003", "--period", "0000"], "not a period"),
        (["risk", "--title", "X", "--category", "weather"], "weather"),
        (["risk", "--title", "X", "--category", "other", "--project", "PRJ-2026-099"], "PRJ-2026-099"),
        (["training-session", "--plan-item", "TRP-2026/T99"], "TRP-2026/T99"),
        (["training-session", "--plan-item", "TRP-2025/T01"], "2025 plan"),
        (["person", "--manager", "EMP-0002", "--name", "赵敏"], "--manager does not apply to person"),
    ],
)
def test_a_wrong_value_is_a_usage_error_naming_it(root, args, expected):
    result = dops("new", *args, "--no-input", "--date", AS_OF)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_the_head_of_department_needs_no_superior(root):
    result = dops("new", "person", "--no-input", "--date", AS_OF, "--name", "新主任", "--role", "department_head")
    assert result.exit_code == 0, result.output
    data = loader.parse((root / "records/people/EMP-0018.yaml").read_bytes(), 1 << 20).data
    assert "superior" not in data and data["roles"] == ["department_head"]


def test_prompts_ask_again_until_a_value_is_valid(root):
    result = dops("new", "person", "--date", AS_OF, input="赵敏\nproject_specialist\nEMP-0099\nEMP-0002\n")
    assert result.exit_code == 0, result.output
    assert "姓名 / Name" in result.output and "直接上级 / Superior" in result.output
    assert "There is no person EMP-0099" in result.output  # said, then asked again
    data = loader.parse((root / "records/people/EMP-0018.yaml").read_bytes(), 1 << 20).data
    assert (data["name"], data["roles"], data["superior"]) == ("赵敏", ["project_specialist"], "EMP-0002")


def test_prompts_offer_defaults_and_options_skip_their_prompt(root):
    # The plan item is given; the topic defaults to the item's title and the date to --date.
    result = dops("new", "training-session", "--plan-item", "TRP-2026/T03", "--date", "2026-11-20", input="\n\n")
    assert result.exit_code == 0, result.output
    assert "计划条目" not in result.output and "[容器平台运维实战]" in result.output
    data = loader.parse((root / "records/trainings/TRS-2026-015.yaml").read_bytes(), 1 << 20).data
    assert (data["title"], data["date"]) == ("容器平台运维实战", "2026-11-20")


def test_running_out_of_input_writes_nothing(root):
    risks = sorted(os.listdir(root / "records/risks"))
    result = dops("new", "risk", input="切换窗口不足\n")
    assert result.exit_code == 2 and "nothing was written" in result.output
    assert sorted(os.listdir(root / "records/risks")) == risks


def test_a_new_record_is_as_readable_as_the_others(root):
    result = dops("new", "risk", "--no-input", "--date", AS_OF, "--title", "切换窗口不足", "--category", "schedule")
    assert result.exit_code == 0, result.output
    written = max((root / "records/risks").glob("RSK-*.yaml"), key=lambda p: p.stat().st_mtime_ns)
    umask = os.umask(0)
    os.umask(umask)
    assert written.stat().st_mode & 0o777 == 0o666 & ~umask
    assert "dops codeowners" in result.output  # a new risk changes who reviews what
