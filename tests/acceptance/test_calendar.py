"""`dops calendar`: the deadlines feed people subscribe to, as a calendar app reads it."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import icalendar
import pytest

from dops.core.config import load_settings
from dops.outputs.site.public import confidential_values, public_view
from dops.rules import engine

from ..conftest import REPO
from ..conftest import run as run_in_process

AS_OF = "2026-11-24"
LOCAL = "http://127.0.0.1:8000/"


def run(root: Path, *args: str, env: dict[str, str | None] | None = None) -> SimpleNamespace:
    """`dops ARGS` in process, the feed's bytes as they are (CRLF line ends) on ``stdout``."""
    ran = run_in_process(root, *args, env={"DOPS_SITE_URL": None, **(env or {})})
    return SimpleNamespace(returncode=ran.returncode, stdout=ran.stdout_bytes, stderr=ran.stderr.encode("utf-8"))


def events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    found = calendar.walk("VEVENT")
    uids = [str(event["UID"]) for event in found]
    assert len(uids) == len(set(uids)), "every event has its own UID"
    return dict(zip(uids, found, strict=True))


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("calendar") / "deadlines.ics"
    done = run(REPO, "calendar", "--as-of", AS_OF, "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    assert "deadlines.ics" in done.stdout.decode()
    return out.read_bytes()


def test_the_feed_is_a_calendar_with_its_name_and_timezone(feed):
    calendar = icalendar.Calendar.from_ical(feed)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//dops//")
    assert str(calendar["X-WR-CALNAME"]) == "交付运营截止日期 / Delivery operations deadlines"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert len(calendar.walk("VEVENT")) > 50


def test_an_active_persons_quarter_and_year_appraisals_fall_due_after_the_grace_days(feed):
    found = events(feed)
    quarter = found["review-due:EMP-0002:2026Q4@dops"]
    year = found["review-due:EMP-0002:2026@dops"]
    for event in (quarter, year):
        assert event.decoded("DTSTART") == dt.date(2027, 1, 15)  # 2026-12-31 + review_grace_days 15
        assert str(event["URL"]) == LOCAL + "status/appraisals/"
        description = str(event["DESCRIPTION"])
        assert "4.2" in description and "records/people/EMP-0002.yaml" in description
        assert "负责人：EMP-0001 孟庆国" in description and "Who must act: EMP-0001 孟庆国" in description
    assert str(quarter["SUMMARY"]) == (
        "EMP-0002 完成 2026Q4 季度考核 · EMP-0001 孟庆国 / EMP-0002: Complete the 2026Q4 quarterly appraisal · "
        "EMP-0001 孟庆国"
    )
    assert "2026 年度考核" in str(year["SUMMARY"]) and "2026 annual appraisal" in str(year["SUMMARY"])
    # The head of department (EMP-0001) is appraised outside the records; EMP-0009 has left.
    assert not [uid for uid in found if uid.startswith(("review-due:EMP-0001:", "review-due:EMP-0009:"))]


def test_an_overdue_item_stays_on_its_day_marked_overdue(feed):
    late = events(feed)["review-due:EMP-0014:2026Q3@dops"]  # still in progress, due 2026-10-15
    assert late.decoded("DTSTART") == dt.date(2026, 10, 15)
    assert str(late["SUMMARY"]).startswith("【逾期】EMP-0014 完成 2026Q3 季度考核 · EMP-0005 欧阳静怡 / [OVERDUE] ")


def test_events_are_all_day_and_link_to_the_records_page(feed):
    found = events(feed)
    meeting = found["team-meeting-cadence:PRJ-2026-004:next-meetings@dops"]  # last meeting 2026-11-17, every 14 days
    assert meeting.decoded("DTSTART") == dt.date(2026, 12, 1)
    assert str(meeting["URL"]) == LOCAL + "status/projects/PRJ-2026-004/"
    assert str(meeting["SUMMARY"]) == (
        "PRJ-2026-004 下一次团队会议 · EMP-0002 谢婉清 / PRJ-2026-004: Next team meeting · EMP-0002 谢婉清"
    )
    check = found["risk-response-checked:RSK-2026-014:R1@dops"]  # last check 2026-11-16, every 30 days
    assert check.decoded("DTSTART") == dt.date(2026, 12, 16)
    assert str(check["URL"]) == LOCAL + "status/risks/RSK-2026-014/"
    assert "7.3.2" in str(check["DESCRIPTION"]) and "records/risks/RSK-2026-014.yaml" in str(check["DESCRIPTION"])
    plan = found["training-plan-due:dops.yaml:2027@dops"]
    assert str(plan["SUMMARY"]).startswith("制定并批准 2027 年度培训计划 · EMP-0001 孟庆国 / ")
    assert str(plan["URL"]) == LOCAL + "status/training/"
    text = feed.decode("utf-8")
    assert "DTSTART;VALUE=DATE:20261201" in text
    assert "DTSTART:" not in text, "no event has a time of day"
    categories = {str(event["CATEGORIES"].cats[0]) for event in found.values()}
    assert {
        "review",
        "meeting",
        "customer-report",
        "status-report",
        "risk-sweep",
        "risk-check",
        "milestone",
        "delivery",
        "deviation",
        "feedback",
        "training-plan",
    } <= categories


def test_only_overdue_items_before_the_day_and_nothing_past_the_horizon(feed):
    found = events(feed).values()
    before = [e for e in found if e.decoded("DTSTART") < dt.date(2026, 11, 24)]
    assert before and all(str(e["SUMMARY"]).startswith("【逾期】") for e in before)
    assert max(e.decoded("DTSTART") for e in found) <= dt.date(2026, 11, 24) + dt.timedelta(days=400)
    shorter = run(REPO, "calendar", "--as-of", AS_OF, "--days", "30")
    assert shorter.returncode == 0
    assert max(e.decoded("DTSTART") for e in events(shorter.stdout).values()) <= dt.date(2026, 12, 24)


def test_the_same_records_give_the_same_feed(feed):
    again = run(REPO, "calendar", "--as-of", AS_OF)  # to standard output this time
    assert again.returncode == 0
    assert again.stdout == feed, "UIDs and every other byte stay the same, so re-imports update"


def test_no_confidential_value_reaches_the_feed(feed):
    settings = load_settings(REPO)
    schemas = engine.load_schemas(settings)
    hidden, shown = set(), set()
    for record in engine.run(settings).records:
        hidden.update(confidential_values(record.data, schemas[record.kind].flat))
        shown.update(str(value) for value in _scalars(public_view(record, schemas)))
    secrets = {value for value in hidden - shown if len(value) >= 3 and value not in {"CNY", "True", "False"}}
    assert len(secrets) > 50
    unfolded = feed.decode("utf-8").replace("\r\n ", "")  # long lines are folded at 75 octets
    leaks = [secret for secret in secrets if secret in unfolded]
    assert not leaks, leaks[:10]


def _scalars(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _scalars(item)
    elif isinstance(value, list):
        for item in value:
            yield from _scalars(item)
    elif value is not None:
        yield value


def test_one_language_and_the_sites_address():
    english = run(REPO, "calendar", "--as-of", AS_OF, "--lang", "en", "--site-url", "https://ops.example.com/dops")
    assert english.returncode == 0, english.stderr.decode()
    meeting = events(english.stdout)["team-meeting-cadence:PRJ-2026-004:next-meetings@dops"]
    assert str(meeting["SUMMARY"]) == "PRJ-2026-004: Next team meeting · EMP-0002 谢婉清"
    assert str(meeting["URL"]) == "https://ops.example.com/dops/en/status/projects/PRJ-2026-004/"
    chinese = run(REPO, "calendar", "--as-of", AS_OF, "--lang", "zh", env={"DOPS_SITE_URL": "https://ops.example.com/"})
    meeting = events(chinese.stdout)["team-meeting-cadence:PRJ-2026-004:next-meetings@dops"]
    assert str(meeting["SUMMARY"]) == "PRJ-2026-004 下一次团队会议 · EMP-0002 谢婉清"
    assert str(meeting["URL"]) == "https://ops.example.com/status/projects/PRJ-2026-004/"
    assert str(icalendar.Calendar.from_ical(chinese.stdout)["X-WR-CALNAME"]) == "交付运营截止日期"


def test_bad_input_is_a_usage_error_and_writes_nothing(tmp_path):
    bad_url = run(REPO, "calendar", "--site-url", "ftp://example.com/", "-o", str(tmp_path / "a.ics"))
    assert bad_url.returncode == 2 and b"http" in bad_url.stderr and b"Traceback" not in bad_url.stderr
    no_folder = run(REPO, "calendar", "-o", str(tmp_path / "missing" / "a.ics"))
    assert no_folder.returncode == 2 and b"Traceback" not in no_folder.stderr
    bad_date = run(REPO, "calendar", "--as-of", "24.11.2026")
    assert bad_date.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_a_deadline_that_moves_keeps_its_uid(tmp_path):
    """A calendar re-importing the feed updates the event: the UID does not depend on the date."""
    from ..site.conftest import copy_repo

    uid = "team-meeting-cadence:PRJ-2026-004:next-meetings@dops"
    root = copy_repo(tmp_path / "repo")
    before = events(run(root, "calendar", "--as-of", AS_OF).stdout)[uid]
    project = root / "records/projects/PRJ-2026-004.yaml"
    text = project.read_text(encoding="utf-8")
    last = "    notes: 年度运营总结提纲\n"
    assert text.count(last) == 1
    project.write_text(
        text.replace(last, last + "  - {date: 2026-11-23, attendees: [EMP-0002, EMP-0006], notes: 复核稽核结果}\n"),
        encoding="utf-8",
    )
    after = events(run(root, "calendar", "--as-of", AS_OF).stdout)[uid]
    assert before.decoded("dtstart") == dt.date(2026, 12, 1)
    assert after.decoded("dtstart") == dt.date(2026, 12, 7)


def test_control_characters_in_a_record_never_reach_the_feed_raw(tmp_path):
    """RFC 5545 allows no control character in a TEXT value; calendar apps would pass them on."""
    from ..site.conftest import copy_repo

    root = copy_repo(tmp_path / "repo")
    person = root / "records/people/EMP-0002.yaml"
    text = person.read_text(encoding="utf-8")
    assert text.count("\nname: 谢婉清\n") == 1
    hostile = r'"谢婉清\e[31m\a\0\r\x9b\u202e"'  # YAML escapes: ESC, BEL, NUL, CR, CSI, right-to-left override
    person.write_text(text.replace("\nname: 谢婉清\n", f"\nname: {hostile}\n"), encoding="utf-8")
    assert run(root, "check", "--as-of", AS_OF).returncode in (0, 1)  # the record itself is valid
    done = run(root, "calendar", "--as-of", AS_OF, "--lang", "en")
    assert done.returncode == 0, done.stderr.decode()
    content = done.stdout.decode("utf-8")
    lines = content.split("\r\n")
    assert lines[-1] == ""
    for line in lines:
        assert not [c for c in line if c != "\t" and unicodedata.category(c) == "Cc"], repr(line)
        assert "\u202e" not in line
    meeting = events(done.stdout)["team-meeting-cadence:PRJ-2026-004:next-meetings@dops"]
    shown = r"EMP-0002 谢婉清\x1b[31m\x07\x00\x0d\x9b\u202e"
    assert str(meeting["SUMMARY"]) == f"PRJ-2026-004: Next team meeting · {shown}"
    assert f"Who must act: {shown}\n" in str(meeting["DESCRIPTION"])


def test_a_site_address_with_a_control_character_is_refused():
    done = run(REPO, "calendar", "--as-of", AS_OF, "--site-url", "https://ops.example.com/\x1b[2J")
    assert done.returncode == 2 and b"\x1b" not in done.stderr and b"control characters" in done.stderr
