"""Parsing the dates users type. Pure: the as-of date (`as_of`) is always an argument.

Accepted forms (England, day first, never month first):
  2026-04-03        ISO
  03/04/2026 3/4/2026 03/04/26   day/month/year
  3.4.2026 03.04.26                dotted, day first (as some offices write them)
  3 April 2026  3 Apr 2026  3rd April 2026   written
  today  yesterday
"""

import re
from datetime import date, datetime, timedelta

from csprcli.domain.errors import BadInput, StoreError

FIRST_YEAR, LAST_YEAR = 1970, 2099  # the years csprcli keeps: the one place this fact lives


def within_kept_years(day: date, what: str) -> date:
    """A date csprcli worked out (a count of working days) refused when it falls outside the years it keeps."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadInput(f"{what} is {human_date(day)}, outside the years csprcli keeps ({FIRST_YEAR} to {LAST_YEAR})")
    return day


ACCEPTED_FORMS = "2026-04-03, 03/04/2026, 3/4/26, 3.4.2026, 3 April 2026, 3 Apr 2026, today or yesterday"

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

# The forms read, as patterns compiled on first use (re keeps them): most commands read only ISO dates.
_ISO = r"(\d{4})-(\d{2})-(\d{2})"
_DAY_FIRST = r"(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})"  # 3/4/2026 or 3.4.2026, one separator throughout
_WRITTEN = r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})"


def parse_date(text: str, *, as_of: date, what: str = "date") -> date:
    """Read a date typed by a user; raise BadInput naming `what` if it is not one.

    `03/04/2026` is 3 April 2026. A two-digit year is in this century
    (`03/04/26` is 3 April 2026). `today` and `yesterday` are relative to `as_of`.
    """
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():  # ISO: the common case, fast
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if FIRST_YEAR <= parsed.year <= LAST_YEAR:
                return parsed
    cleaned = " ".join(str(text).strip().lower().split())
    if cleaned == "today":
        return as_of
    if cleaned == "yesterday":
        return as_of - timedelta(days=1)
    if m := re.fullmatch(_ISO, cleaned):
        year, month, day = (int(g) for g in m.groups())
    elif m := re.fullmatch(_DAY_FIRST, cleaned):
        day, month = int(m[1]), int(m[3])
        year = int(m[4]) + (2000 if len(m[4]) == 2 else 0)
    elif (m := re.fullmatch(_WRITTEN, cleaned)) and m[2] in _MONTHS:
        day, month, year = int(m[1]), _MONTHS[m[2]], int(m[3])
    else:
        raise BadInput(f"{what}: {shown(text)} is not a date in a form csprcli reads; use {ACCEPTED_FORMS}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadInput(f"{what}: {shown(text)} is outside the years csprcli keeps ({FIRST_YEAR} to {LAST_YEAR})")
    try:
        return date(year, month, day)
    except ValueError:
        if m.re.pattern == _DAY_FIRST and month > 12 and _real(year, day, month):
            raise BadInput(
                f"{what}: {shown(text)} looks month-first: did you mean {month:02d}{m[2]}{day:02d}{m[2]}{m[4]}? "
                "csprcli reads dates day first"
            ) from None
        raise BadInput(
            f"{what}: {shown(text)} is not a real date (day first: 03/04/2026 is 3 April); use {ACCEPTED_FORMS}"
        ) from None


def _real(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def parse_past_date(text: str, *, as_of: date, what: str) -> date:
    """As parse_date, for something that has happened: refuse a date after `as_of`."""
    parsed = parse_date(text, as_of=as_of, what=what)
    if parsed > as_of:
        raise BadInput(
            f"{what}: {human_date(parsed)} is after the as-of date {human_date(as_of)}; it cannot have happened yet"
        )
    return parsed


def shown(text: str) -> str:
    """The rejected text, cut short and made safe for a terminal, for an error message (output.excerpt)."""
    from csprcli.domain.text import excerpt

    return excerpt(str(text), 27)


def london_date(instant: datetime) -> date:
    """The date in England at `instant` (an aware datetime): at 00:30 British Summer Time
    it is already the next day, though UTC still says the day before."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return instant.astimezone(ZoneInfo("Europe/London")).date()
    except ZoneInfoNotFoundError:
        raise StoreError(
            "no time-zone data for Europe/London on this machine; install tzdata or give --as-of"
        ) from None


def week_end(day: date) -> date:
    """The Friday of `day`'s week ("this week": today to Friday); from a Saturday or a Sunday, the next one."""
    return day + timedelta(days=(4 - day.weekday()) % 7)


def london_day_end(day: date) -> str:
    """The instant (UTC, as the history keeps it: 2026-12-04T00:00:00Z) at which `day` ends in England."""
    from datetime import datetime, time, timedelta, timezone
    from zoneinfo import ZoneInfo

    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo("Europe/London"))
    return end.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def human_date(day: date) -> str:
    """How messages and explanations show a date: Wed 24 Dec 2025."""
    return day.strftime("%a %d %b %Y")


def as_said(value) -> str:
    """A recorded value as a message says it: a date in the people's form, yes or no, (none)."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return human_date(value) if isinstance(value, date) else str(value)
