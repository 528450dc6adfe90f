"""The calendar feed (RFC 5545): every open deadline as an all-day event.

The identifier is the case and milestone, so importing the file again updates an event
rather than duplicating it, and a deadline met since is cancelled. No child reference, name
or free text goes in: the case reference and the milestone say what it is.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

from csprcli.model import Clock, Status

RECENT_DAYS = 60  # a deadline met this recently is sent once more, as cancelled


def calendar_feed(clocks: Iterable[Clock], as_of: date) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    recent = as_of - timedelta(days=RECENT_DAYS)
    lines = []
    for c in clocks:
        if c.due is None or c.status in (Status.NOT_REQUIRED, Status.WAITING):
            continue
        met = c.status in (Status.DONE, Status.LATE)
        if met and (c.done is None or c.done < recent):
            continue
        lines += [
            "BEGIN:VEVENT",
            f"UID:{c.ref}-{c.milestone}@csprcli",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{c.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{c.due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{c.ref} {c.milestone} due ({c.force})",
            f"DESCRIPTION:{c.title}",
            f"STATUS:{'CANCELLED' if met else 'CONFIRMED'}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//csprcli//deadlines//EN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Safeguarding deadlines",
        *lines,
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
