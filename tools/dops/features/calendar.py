"""What falls due, as an iCalendar feed (RFC 5545) people can subscribe to.

One all-day event per deadline of :mod:`dops.deadlines`: appraisals, the
meeting and report cadences of running projects, milestones and delivery
dates, open deviations, unanswered feedback, risk-response checks and the
year's training plan. Each event links back to the record's page on the
published site. Events are built from the same public fields as the
deadlines' labels (IDs, names, codes), never from a confidential value.

The feed is reproducible: the same records and the same "today" give the
same bytes (DTSTAMP is the start of that day), so the site rewrites it only
when a deadline changes, and a calendar that imports it again updates its
events instead of adding copies (UIDs are stable).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import icalendar

from dops import __version__
from dops.core.config import Settings
from dops.core.errors import UsageError
from dops.core.model import Message, msg
from dops.features.deadlines import Deadline, falling_due
from dops.rules import engine
from dops.rules.base import Context

SITE_URL_VARIABLE = "DOPS_SITE_URL"
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"  # `mkdocs serve`, as in mkdocs.yml
DEFAULT_HORIZON_DAYS = 400
FEED_PATH = "status/deadlines.ics"  # under docs/, published beside the dashboard
CALENDAR_NAME = msg("交付运营截止日期", "Delivery operations deadlines")
TIMEZONE = "Asia/Shanghai"


class FeedProblem(UsageError):
    """A setting the feed cannot use: a site URL that is not http or https."""


def site_url(given: str | None = None) -> str:
    """The published site's base URL, ending in ``/``: ``given``, else $DOPS_SITE_URL, else the local preview."""
    url = (given or os.environ.get(SITE_URL_VARIABLE) or DEFAULT_SITE_URL).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FeedProblem(
            f"网站地址应以 http:// 或 https:// 开头：{url!r} / "
            f"the site URL must be an http:// or https:// address: {url!r}"
        )
    return url if url.endswith("/") else url + "/"


def webcal_url(url: str) -> str:
    """The same address for a calendar app's "subscribe" (webcal://…)."""
    return "webcal://" + url.split("://", 1)[1]


def page_for(deadline: Deadline) -> str:
    """The site page (relative to the language's root) that shows the deadline's record."""
    record = deadline.record
    if record.kind == "project":
        return f"status/projects/{record.id}/"
    if record.kind == "risk":
        return f"status/risks/#{record.id}"
    if deadline.category == "review":
        return "status/appraisals/"
    if deadline.category == "training-plan":
        return "status/training/"
    return "status/"


def _text(message: Message, lang: str | None) -> str:
    """One language, or both (Chinese first) when ``lang`` is None."""
    return message.get(lang) if lang else f"{message.zh} / {message.en}"


def _event(deadline: Deadline, lang: str | None, base: str, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{deadline.key}@dops")  # no date in it: a moved deadline updates its event
    event.add("dtstamp", stamp)
    event.add("dtstart", deadline.due)  # a date: VALUE=DATE, an all-day event
    event.add("dtend", deadline.due + dt.timedelta(days=1))
    event.add("summary", _text(deadline.label, lang))
    clauses, file = ", ".join(deadline.clauses), deadline.record.file
    chinese = f"{deadline.label.zh}\n制度条款：{clauses}\n记录文件：{file}"
    english = f"{deadline.label.en}\nPolicy clauses: {clauses}\nRecord file: {file}"
    event.add("description", msg(chinese, english).get(lang) if lang else f"{chinese}\n\n{english}")
    event.add("url", base + page_for(deadline))
    event.add("categories", [deadline.category])
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def build(
    deadlines: list[Deadline], as_of: dt.date, lang: str | None = None, base_url: str | None = None
) -> icalendar.Calendar:
    """The calendar of ``deadlines``; ``lang`` None writes Chinese and English, else one language."""
    base = site_url(base_url)
    if lang == "en":
        base += "en/"  # the English pages live under en/ (mkdocs-static-i18n)
    stamp = dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//dops//dops {__version__}//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(CALENDAR_NAME, lang))
    calendar.add(
        "x-wr-caldesc",
        _text(
            msg(
                f"按交付运营人员管理制度计算的截止日期，截至 {as_of}",
                f"Deadlines under the delivery operations policy, as of {as_of}",
            ),
            lang,
        ),
    )
    calendar.add("x-wr-timezone", TIMEZONE)
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    for deadline in deadlines:
        calendar.add_component(_event(deadline, lang, base, stamp))
    return calendar


def feed_for(
    context: Context, lang: str | None = None, base_url: str | None = None, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> bytes:
    """The feed's bytes for an already-checked record set (the site's build reuses its check)."""
    deadlines = falling_due(context, context.as_of, horizon_days)
    ical: bytes = build(deadlines, context.as_of, lang, base_url).to_ical()  # icalendar leaves it unannotated
    return ical


def feed(
    settings: Settings,
    as_of: dt.date | None = None,
    lang: str | None = None,
    base_url: str | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> bytes:
    """Check the records, then return the feed of what falls due from ``as_of`` (default today)."""
    base_url = site_url(base_url)  # a bad URL stops before the records are read
    result = engine.run(settings, as_of=as_of)
    assert result.index is not None
    context = Context(index=result.index, settings=settings, as_of=result.as_of, config=engine.config_record(settings))
    return feed_for(context, lang, base_url, horizon_days)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
