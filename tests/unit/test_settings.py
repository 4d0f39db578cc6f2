"""Settings: typed, with "today" in the company's time zone rather than the machine's."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from dops.core.config import load_settings

from ..conftest import make_repo, run

# 20:00 UTC on 28 November is already 29 November in Beijing: what a UTC CI machine gets wrong.
EVENING_UTC = dt.datetime(2026, 11, 28, 20, 0, tzinfo=dt.UTC)


def test_today_is_the_date_in_the_companys_time_zone(tmp_path):
    root = make_repo(tmp_path / "repo")
    settings = load_settings(root)
    assert settings.timezone == "Asia/Shanghai"
    assert settings.today(EVENING_UTC) == dt.date(2026, 11, 29)
    (root / "dops.yaml").write_text("timezone: UTC\n", encoding="utf-8")
    assert load_settings(root).today(EVENING_UTC) == dt.date(2026, 11, 28)


def test_the_check_without_as_of_uses_that_date(tmp_path):
    root = make_repo(tmp_path / "repo")
    (root / "dops.yaml").write_text("timezone: Pacific/Kiritimati\n", encoding="utf-8")  # UTC+14
    zone = ZoneInfo("Pacific/Kiritimati")
    before = dt.datetime.now(zone).date()
    report = json.loads(run(root, "check", "--format", "json").stdout)
    after = dt.datetime.now(zone).date()
    assert report["summary"]["as_of"] in {before.isoformat(), after.isoformat()}


@pytest.mark.parametrize(
    ("value", "says"),
    [("Asia/Beijing", "not a known IANA name"), ("Beijing time", "not well-formed")],
)
def test_an_unknown_time_zone_is_a_configuration_error_at_its_line(tmp_path, value, says):
    root = make_repo(tmp_path / "repo")
    (root / "dops.yaml").write_text(f"language: en\ntimezone: {value}\n", encoding="utf-8")
    result = run(root, "check", "--lang", "en")
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert "dops.yaml:2:" in line and says in line
