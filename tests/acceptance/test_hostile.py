"""Hostile input through `dops check`, as a user would meet it (issue 9, item 3).

Each kind of input that once crashed, hung, blew up, was silently accepted, was placed on the wrong line,
was reported under the wrong path or reached the terminal raw is checked end to end: the exit code, a
finding at the right file and line, nothing written to the tree, and output of a bounded size.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..conftest import REPO, Ran, make_repo, run, sample_in_clear

AS_OF = "2026-11-24"
WORLD: dict[str, str] = yaml.safe_load((REPO / "tests" / "rules" / "world.yaml").read_text(encoding="utf-8"))
PERSON = "records/people/EMP-0002.yaml"
MOST_OUTPUT = 250_000  # bytes: every report below is far smaller, whatever the input

needs_posix = pytest.mark.skipif(sys.platform == "win32", reason="named pipes and symbolic links as on POSIX")


def sample(relative: str) -> str:
    return sample_in_clear(relative)


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """Four people who comply, the department's settings and schemas."""
    return make_repo(tmp_path / "repo", WORLD)


def snapshot(root: Path) -> dict[str, Any]:
    """Every entry under ``root``: its kind, and for regular files their content's hash. Opens nothing else."""
    found: dict[str, Any] = {}
    for current, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(current, name)
            mode = os.lstat(path).st_mode
            key = os.path.relpath(path, root)
            if stat.S_ISREG(mode):
                with open(path, "rb") as handle:
                    found[key] = hashlib.sha256(handle.read()).hexdigest()
            else:
                found[key] = stat.S_IFMT(mode)
    return found


def check(root: Path, *args: str, fmt: str = "json") -> tuple[Ran, Any]:
    """`dops check --format FMT ARGS`, piped and with NO_COLOR; asserts it wrote nothing and said little."""
    before = snapshot(root)
    ran = run(root, "check", "--as-of", AS_OF, "--lang", "en", "--format", fmt, *args, env={"NO_COLOR": "1"})
    assert snapshot(root) == before, "dops check changed the tree"
    assert ran.returncode in (0, 1), ran.stdout + ran.stderr
    assert len(ran.stdout_bytes) < MOST_OUTPUT
    return ran, json.loads(ran.stdout_bytes.decode("utf-8")) if fmt == "json" else None


def shown(ran: Ran, fmt: str) -> str:
    """The output as a reader sees it: JSON strings decoded, Markdown's escapes taken away."""
    text = ran.stdout_bytes.decode("utf-8")  # strict: the output is valid UTF-8
    if fmt == "json":
        return "\n".join(f"{f['file']}:{f['line']} {f['message']}" for f in json.loads(text)["findings"])
    return re.sub(r"\\([\\`*_\[\]~!#])", r"\1", text) if fmt == "markdown" else text


def findings_at(report: dict[str, Any], file: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["file"] == file]


def the_finding(report: dict[str, Any], file: str, words: str) -> dict[str, Any]:
    found = [f for f in findings_at(report, file) if words in f["message"]]
    assert found, f"no finding saying {words!r} on {file}: {json.dumps(report['findings'], ensure_ascii=False)}"
    return found[0]


def write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def with_line(record: str, after: str, line: str) -> str:
    """``record`` with ``line`` inserted after the line starting with ``after``."""
    lines = record.splitlines(keepends=True)
    index = next(i for i, text in enumerate(lines) if text.startswith(after))
    return "".join([*lines[: index + 1], line, *lines[index + 1 :]])


# --- crashes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("9" * 5000, "has 5,000 digits"),  # Python refuses to turn more than 4,300 digits into an int
        ("0x" + "f" * 5000, "has 5,000 digits"),  # converts, but can never be printed
        ("-" + "1" * 31, "has 31 digits"),
    ],
)
def test_an_integer_too_long_is_a_finding_at_its_line(world, value, words):
    write(world, PERSON, with_line(WORLD[PERSON], "name:", f"github: {value}\n"))
    ran, report = check(world)
    assert ran.returncode == 1
    finding = the_finding(report, PERSON, words)
    assert (finding["line"], finding["rule"]) == (3, "yaml")
    assert "put it in quotes" in finding["message"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("title: !!map 项目经理\n", "Tag !!map cannot be put on a single value"),
        ("title: !!seq 项目经理\n", "Tag !!seq cannot be put on a single value"),
        ("title: !!str [项目经理]\n", "Tag !!str cannot be put on a list"),
        ("title: !!int {a: 1}\n", "Tag !!int cannot be put on a mapping"),
    ],
)
def test_a_core_tag_on_the_wrong_kind_of_node_is_a_finding(world, text, words):
    write(world, PERSON, with_line(WORLD[PERSON], "name:", text))
    ran, report = check(world)
    assert ran.returncode == 1
    assert the_finding(report, PERSON, words)["line"] == 3


@needs_posix
def test_a_symbolic_link_loop_among_records_is_a_finding_for_each_link(world):
    people = world / "records" / "people"
    os.symlink("EMP-0009.yaml", people / "EMP-0008.yaml")
    os.symlink("EMP-0008.yaml", people / "EMP-0009.yaml")
    ran, report = check(world)
    assert ran.returncode == 1
    for name in ("EMP-0008.yaml", "EMP-0009.yaml"):
        finding = the_finding(report, f"records/people/{name}", "lead round in a loop")
        assert finding["line"] == 1


@pytest.mark.parametrize("period", ['"2025\\n"', "|\n  2025\n", '"2025\\n\\n"'])
def test_a_pattern_must_match_the_whole_value_not_stop_before_a_final_line_break(world, period):
    review = sample("records/reviews/REV-EMP-0002-2025.yaml").replace('period: "2025"', f"period: {period}")
    write(world, "records/reviews/REV-EMP-0002-2025.yaml", review)
    ran, report = check(world)
    assert ran.returncode == 1
    finding = the_finding(report, "records/reviews/REV-EMP-0002-2025.yaml", "which is not well-formed")
    assert (finding["line"], finding["rule"]) == (3, "schema")


# --- hangs -----------------------------------------------------------------------------------


@contextmanager
def never_hangs(fifo: Path) -> Iterator[None]:
    """Should dops open ``fifo`` for reading and block, a writer comes by after a while and lets it go on.

    The check then reads an empty file and says so, and the test fails on the words it expected,
    rather than hanging the test run.
    """
    done = threading.Event()

    def release() -> None:
        if done.wait(30):
            return
        while not done.is_set():
            with suppress(OSError):  # no reader yet: nothing to release
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            done.wait(0.1)

    guard = threading.Thread(target=release, daemon=True)
    guard.start()
    try:
        yield
    finally:
        done.set()
        guard.join()


@needs_posix
@pytest.mark.parametrize("named", [False, True])
def test_a_named_pipe_named_like_a_record_is_a_finding_and_never_opened(world, named):
    fifo = world / "records" / "people" / "EMP-0009.yaml"
    os.mkfifo(fifo)
    with never_hangs(fifo):
        ran, report = check(world, *(["records/people/EMP-0009.yaml"] if named else []))
    assert ran.returncode == 1
    finding = the_finding(report, "records/people/EMP-0009.yaml", "not a regular file but a named pipe")
    assert (finding["line"], finding["rule"]) == (1, "yaml")


@needs_posix
def test_a_named_pipe_for_dops_yaml_is_a_configuration_error_not_a_hang(world):
    (world / "dops.yaml").unlink()
    os.mkfifo(world / "dops.yaml")
    with never_hangs(world / "dops.yaml"):
        given = run(world, "check", "--root", ".")
        found = run(world / "records", "check")  # found by looking upwards, as most people run it
    for ran in (given, found):
        assert ran.returncode == 2
        assert "dops.yaml:1:1" in ran.stderr and "not a regular file but a named pipe" in ran.stderr
        assert "Traceback" not in ran.stderr and "No dops.yaml here" not in ran.stderr


# --- blow-ups --------------------------------------------------------------------------------


def test_half_a_million_schema_findings_are_capped_with_a_summary(world):
    project = re.sub(
        r"status_reports:\n(  - .*\n)+",
        "status_reports: [" + ",".join(["{}"] * 80_000) + "]\n",
        sample("records/projects/PRJ-2026-001.yaml"),
    )
    line = project.splitlines().index(next(s for s in project.splitlines() if s.startswith("status_reports:"))) + 1
    write(world, "records/projects/PRJ-2026-001.yaml", project)
    assert (world / "records/projects/PRJ-2026-001.yaml").stat().st_size > 240_000
    ran, report = check(world)
    assert ran.returncode == 1
    schema = [f for f in findings_at(report, "records/projects/PRJ-2026-001.yaml") if f["rule"] == "schema"]
    assert len(schema) == 51
    summary = the_finding(report, "records/projects/PRJ-2026-001.yaml", "More than 1,000 further findings")
    assert summary["line"] == line and summary["severity"] == "error"
    assert "at most 50 per file and rule" in summary["message"]
    assert report["summary"]["by_rule"]["schema"] == 51


def test_findings_of_one_rule_in_one_file_are_capped_with_the_exact_rest(world):
    project = sample("records/projects/PRJ-2026-001.yaml")
    extra = "".join(
        f"  - {{person: EMP-{9000 + n}, role: project_specialist, duty: 数据核对, joined_on: 2026-01-12}}\n"
        for n in range(120)
    )
    write(world, "records/projects/PRJ-2026-001.yaml", project.replace("team:\n", "team:\n" + extra, 1))
    ran, report = check(world)
    assert ran.returncode == 1
    references = [f for f in findings_at(report, "records/projects/PRJ-2026-001.yaml") if f["rule"] == "references"]
    assert len(references) == 51
    summary = the_finding(report, "records/projects/PRJ-2026-001.yaml", "further findings of rule references")
    hidden = int(re.match(r"([\d,]+) further", summary["message"]).group(1).replace(",", ""))
    assert hidden >= 120 - 50
    assert summary["line"] > references[0]["line"]


def _in_output_order(ran: Ran, fmt: str, file: str) -> list[tuple[str, int, bool]]:
    """(rule, line, is the summary) of each finding on ``file``, in the order ``fmt`` lists them."""
    out = ran.stdout_bytes.decode("utf-8")
    if fmt == "json":
        found = [(f["rule"], f["line"], f["message"]) for f in json.loads(out)["findings"] if f["file"] == file]
    elif fmt == "github":
        pattern = rf"^::\w+ file={re.escape(file)},line=(\d+),col=\d+,title=dops (\S+) .*?::(.*)$"
        found = [(m[2], int(m[1]), m[3]) for m in re.finditer(pattern, out, re.M)]
    elif fmt == "markdown":
        pattern = rf"^\| \S+ \S+ \| `(\S+)` \| [^|]* \| {re.escape(file)}:(\d+) \| ([^|]*) \|"
        found = [(m[1], int(m[2]), m[3]) for m in re.finditer(pattern, out, re.M)]
    else:
        block = out.split(f"{file}\n", 1)[1].split("\n\n", 1)[0]
        found = [(m[2], int(m[1]), m[3]) for m in re.finditer(r"^  (\d+):\d+ +\w+ +(\S+) +(.*)$", block, re.M)]
    return [(rule, line, "further finding" in message) for rule, line, message in found]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "markdown"])
def test_the_summary_of_the_findings_left_out_comes_after_those_listed(world, fmt):
    """jsonschema reports the team (early in the schema) before the status reports (early in this file)."""
    name = "records/projects/PRJ-2026-001.yaml"
    project = re.sub(r"team:\n(  .*\n)+", "", sample(name))
    project = re.sub(r"status_reports:\n(  - .*\n)+", "status_reports:\n" + "  - {}\n" * 5, project)
    project += "team:\n" + "".join(
        f"  - {{person: EMP-0008, role: nobody, duty: 第 {n} 项, joined_on: 2026-01-12}}\n" for n in range(50)
    )
    write(world, name, project)
    ran, _ = check(world, fmt=fmt)
    assert ran.returncode == 1
    schema = [(line, summary) for rule, line, summary in _in_output_order(ran, fmt, name) if rule == "schema"]
    assert len(schema) == 51
    *listed, last = schema
    assert last[1] and not any(summary for _, summary in listed), schema
    assert all(line <= last[0] for line, _ in listed)
    assert [line for line, _ in listed] == sorted(line for line, _ in listed)


def test_twenty_thousand_mixed_items_under_unique_items_are_checked_in_linear_time(world):
    """jsonschema compared every pair of items it could not sort: 20,000 took minutes, now well under a second."""
    items = ", ".join(str(n) if n % 2 else f"role{n}" for n in range(20_000))
    write(world, PERSON, WORLD[PERSON].replace("roles: [project_manager]", f"roles: [{items}]"))
    ran, report = check(world)
    assert ran.returncode == 1
    assert the_finding(report, PERSON, "further findings of rule schema")["line"] == 4


def test_a_repeated_item_is_still_found_among_mixed_types(world):
    write(world, PERSON, WORLD[PERSON].replace("roles: [project_manager]", "roles: [project_manager, project_manager]"))
    ran, report = check(world)
    assert ran.returncode == 1
    assert the_finding(report, PERSON, "lists an item twice")["line"] == 4


# --- silently accepted -----------------------------------------------------------------------


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.Inf", "+.INF", "1e400", "!!float .nan"])
def test_numbers_that_are_not_finite_are_a_finding(world, value):
    project = sample("records/projects/PRJ-2026-001.yaml")
    line = project.splitlines().index("  amount: 960000") + 1
    write(world, "records/projects/PRJ-2026-001.yaml", project.replace("  amount: 960000", f"  amount: {value}"))
    ran, report = check(world)
    assert ran.returncode == 1
    finding = the_finding(report, "records/projects/PRJ-2026-001.yaml", "is not a finite number")
    assert (finding["line"], finding["column"]) == (line, 11)


def test_an_anchor_without_an_alias_is_a_finding(world):
    write(world, PERSON, WORLD[PERSON].replace("title: ", "title: &job "))
    ran, report = check(world)
    assert ran.returncode == 1
    finding = the_finding(report, PERSON, "An anchor (&name) is defined here")
    assert (finding["line"], finding["column"]) == (3, 8)


def test_an_ampersand_in_text_is_not_an_anchor(world):
    write(world, PERSON, WORLD[PERSON].replace("title: ", "title: R&D "))
    ran, _ = check(world)
    assert ran.returncode == 0


# --- wrong lines -----------------------------------------------------------------------------


def test_a_nul_after_chinese_text_is_placed_by_characters_not_bytes(world):
    write(world, PERSON, WORLD[PERSON].replace("name: 李娜", "name: 李娜\x00"))
    ran, report = check(world)
    assert ran.returncode == 1
    finding = the_finding(report, PERSON, "control character YAML does not allow (U+0000)")
    assert (finding["line"], finding["column"]) == (2, 9)  # bytes would say 13


def test_a_lone_carriage_return_ends_a_line(world):
    text = WORLD[PERSON].replace("\n", "\r", 2)  # the first two lines end in a lone CR
    write(world, PERSON, with_line(text, "status:", "nickname: 小李\n"))
    ran, report = check(world)
    assert ran.returncode == 1
    assert the_finding(report, PERSON, "Unknown field 'nickname'")["line"] == 8


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_nel_and_unicode_separators_are_not_line_breaks(world, char):
    record = WORLD[PERSON].replace("title: 高级项目经理", f"title: 高级{char}项目经理")
    assert record != WORLD[PERSON]
    write(world, PERSON, with_line(record, "status:", "nickname: 小李\n"))
    ran, report = check(world)
    assert ran.returncode == 1
    finding = the_finding(report, PERSON, "Unknown field 'nickname'")
    assert finding["line"] == 8
    assert len(findings_at(report, PERSON)) == 1  # the title is read whole, with its character


# --- paths -----------------------------------------------------------------------------------


@needs_posix
def test_a_linked_record_is_reported_under_the_links_name(world, tmp_path):
    people = world / "records" / "people"
    os.symlink("EMP-0002.yaml", people / "EMP-0009.yaml")
    outside = write(tmp_path, "elsewhere/EMP-0008.yaml", WORLD[PERSON].replace("EMP-0002", "EMP-0008"))
    os.symlink(outside, people / "EMP-0008.yaml")
    write(tmp_path, "elsewhere/EMP-0008.yaml", outside.read_text(encoding="utf-8") + "nickname: x\n")
    ran, report = check(world)
    assert ran.returncode == 1
    assert the_finding(report, "records/people/EMP-0009.yaml", "does not match the record ID")
    assert the_finding(report, "records/people/EMP-0008.yaml", "Unknown field 'nickname'")
    assert all(not f["file"].startswith("/") for f in report["findings"])
    _, named_report = check(world, "records/people/EMP-0008.yaml")
    assert {f["file"] for f in named_report["findings"]} == {"records/people/EMP-0008.yaml"}


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are bytes on Linux only")
@pytest.mark.parametrize("fmt", ["json", "text", "github", "markdown"])
def test_a_file_name_that_is_not_utf8_keeps_every_report_valid(world, fmt):
    folder = os.fsencode(world / "records" / "people")
    with open(os.path.join(folder, b"EMP-0009\xff.yaml"), "wb") as handle:
        handle.write(WORLD[PERSON].replace("EMP-0002", "EMP-0009").encode("utf-8"))
    ran, report = check(world, fmt=fmt)
    assert ran.returncode == 1
    assert "records/people/EMP-0009\\xff.yaml" in shown(ran, fmt)
    if report is not None:
        assert the_finding(report, "records/people/EMP-0009\\xff.yaml", "does not match the record ID")


# --- terminal injection ----------------------------------------------------------------------

ESCAPE = "\x1b]0;owned\x07\x1b[2J\x1b[31m"


@pytest.mark.parametrize("fmt", ["text", "github", "markdown"])
def test_an_escape_sequence_in_an_id_or_a_file_name_never_reaches_the_output_raw(world, fmt):
    write(world, PERSON, WORLD[PERSON].replace("id: EMP-0002", 'id: "EMP-0002\\e]0;owned\\a\\e[2J"'))
    write(world, f"records/people/EMP-0009{ESCAPE}.yaml", WORLD[PERSON].replace("EMP-0002", "EMP-0009"))
    ran, _ = check(world, fmt=fmt)
    assert ran.returncode == 1
    for char in "\x1b\x07":
        assert char not in ran.stdout and char not in ran.stderr
    assert "EMP-0002\\x1b]0;owned\\x07" in shown(ran, fmt)
    assert "EMP-0009\\x1b]0;owned" in shown(ran, fmt)


def test_an_escape_sequence_in_a_record_never_reaches_the_status_overview_raw(world):
    project = sample("records/projects/PRJ-2026-003.yaml")
    project = project.replace("name: 政务服务热线工单平台升级", 'name: "政务服务热线\\e[2J\\u202e工单平台升级"')
    write(world, "records/projects/PRJ-2026-003.yaml", project)
    write(world, f"records/projects/PRJ-2026-009{ESCAPE}.yaml", "id: PRJ-2026-009\n")
    before = snapshot(world)
    ran = run(world, "status", "--as-of", AS_OF, "--lang", "en", env={"NO_COLOR": "1"})
    assert snapshot(world) == before
    assert ran.returncode == 0, ran.stderr
    assert "\x1b" not in ran.stdout and "\u202e" not in ran.stdout
