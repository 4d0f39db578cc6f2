"""What falls due, as an iCalendar feed (RFC 5545) people can subscribe to.

One all-day event per open obligation of the check (``Result.obligations``,
computed once by the rules): appraisals, the meeting and report cadences of
running projects, milestones and delivery dates, open deviations, unanswered
feedback, risk-response checks, the year's training plan... Overdue ones stay
on their due date, marked as overdue. Each event names who must act and links
back to the record's page on the published site. Events are built from the
obligations' public words (IDs, names, duties), never from a confidential value.
Every word from a record shows as text: a control character becomes a visible
escape (``\x1b``, as in the reports), since RFC 5545 allows none in a TEXT value
and calendar apps pass them on; the rest is escaped by icalendar as RFC 5545 says.

The feed is reproducible: the same records and the same "today" give the
same bytes (DTSTAMP is the start of that day), so the site rewrites it only
when a deadline changes, and a calendar that imports it again updates its
events instead of adding copies (UIDs are stable).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import quote, urlsplit

import icalendar

from dops import __version__
from dops.core.config import Settings
from dops.core.errors import UsageError
from dops.core.model import Message, Obligation, msg
from dops.core.text import printable
from dops.rules import engine

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
    if parts.scheme not in ("http", "https") or not parts.netloc or printable(url) != url or " " in url:
        raise FeedProblem(
            f"网站地址应以 http:// 或 https:// 开头，且不含空格或控制字符：{printable(url)!r} / "
            f"the site URL must be an http:// or https:// address without spaces or control characters: "
            f"{printable(url)!r}"
        )
    return url if url.endswith("/") else url + "/"


def webcal_url(url: str) -> str:
    """The same address for a calendar app's "subscribe" (webcal://…)."""
    return "webcal://" + url.split("://", 1)[1]


def page_for(obligation: Obligation) -> str:
    """The site page (relative to the language's root) that shows the obligation's record."""
    record = quote(obligation.record, safe="")  # an ID is an address's word, whatever it holds
    if obligation.kind == "project":
        return f"status/projects/{record}/"
    if obligation.kind == "risk":
        return f"status/risks/{record}/"
    if obligation.kind in ("person", "review"):
        return "status/appraisals/"
    if obligation.kind in ("training-plan", "training-session") or obligation.record == "dops.yaml":
        return "status/training/"
    return "status/"


def summary(obligation: Obligation) -> Message:
    """The event's title: the record, the duty, who must act; overdue ones say so first.

    Control characters from the records are shown as escapes (the module's docstring).
    """
    who = f" · {obligation.owner} {obligation.owner_name or ''}".rstrip() if obligation.owner else ""
    late = obligation.state == "overdue"
    record = "" if obligation.kind == "config" else obligation.record  # a duty the settings place: no record
    return msg(
        printable(f"{'【逾期】' if late else ''}{record + ' ' if record else ''}{obligation.what.zh}{who}"),
        printable(f"{'[OVERDUE] ' if late else ''}{record + ': ' if record else ''}{obligation.what.en}{who}"),
    )


def _text(message: Message, lang: str | None) -> str:
    """One language, or both (Chinese first) when ``lang`` is None."""
    return message.get(lang) if lang else f"{message.zh} / {message.en}"


def _event(obligation: Obligation, lang: str | None, base: str, stamp: dt.datetime) -> icalendar.Event:
    assert obligation.due is not None
    event = icalendar.Event()
    event.add("uid", printable(f"{obligation.key}@dops"))  # no date in it: a moved deadline updates its event
    event.add("dtstamp", stamp)
    event.add("dtstart", obligation.due)  # a date: VALUE=DATE, an all-day event
    event.add("dtend", obligation.due + dt.timedelta(days=1))
    title = summary(obligation)
    event.add("summary", _text(title, lang))
    clauses, file = printable(", ".join(obligation.clauses)), printable(obligation.file)
    owner = printable(f"{obligation.owner} {obligation.owner_name or ''}".strip()) if obligation.owner else "—"
    chinese = f"{title.zh}\n负责人：{owner}\n制度条款：{clauses}\n记录文件：{file}"
    english = f"{title.en}\nWho must act: {owner}\nPolicy clauses: {clauses}\nRecord file: {file}"
    event.add("description", msg(chinese, english).get(lang) if lang else f"{chinese}\n\n{english}")
    event.add("url", base + page_for(obligation))
    event.add("categories", [printable(obligation.category)])
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def build(
    obligations: list[Obligation], as_of: dt.date, lang: str | None = None, base_url: str | None = None
) -> icalendar.Calendar:
    """The calendar of dated ``obligations``; ``lang`` None writes Chinese and English, else one language."""
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
    for obligation in obligations:
        calendar.add_component(_event(obligation, lang, base, stamp))
    return calendar


def events(result: engine.Result, horizon_days: int = DEFAULT_HORIZON_DAYS) -> list[Obligation]:
    """The obligations the feed holds: every overdue one, and those pending within the horizon."""
    return result.open_obligations(horizon_days)


def feed_for(
    result: engine.Result,
    lang: str | None = None,
    base_url: str | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> bytes:
    """The feed's bytes for an already-checked record set (the site's build reuses its check)."""
    ical: bytes = build(events(result, horizon_days), result.as_of, lang, base_url).to_ical()
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
    return feed_for(result, lang, base_url, horizon_days)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
