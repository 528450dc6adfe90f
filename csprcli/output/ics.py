"""The calendar feed: deadlines as an iCalendar file (RFC 5545), and what was published before.

Pure: no database, no clock, no printing (`stamp` and what was published are arguments).
Nothing a user typed goes in: every title and description is built from csprcli's own words,
case references and milestone names (the README promises nothing personal in the calendar).
Text is still escaped and folded as RFC 5545 says, lines end in CRLF.

A calendar program keeps an event it once imported until the same UID comes back with a
higher SEQUENCE. So csprcli keeps what it published (the `published_events` table, given
here as `Event`s): a deadline that was in
the feed and is no longer due (met, dropped, closed, undone) comes back as
STATUS:CANCELLED with a higher SEQUENCE, and any change to an event raises its SEQUENCE.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta

from csprcli.domain.clock import Clock, Status

CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"
FOLD_OCTETS = 75  # RFC 5545 section 3.1: lines longer than 75 octets are folded
PRODID = "-//csprcli//deadlines//EN"


@dataclass(frozen=True)
class Event:
    """One deadline as published: what a calendar shows, and its version."""

    uid: str
    day: date
    summary: str
    description: str
    status: str = CONFIRMED
    sequence: int = 0

    def same_as(self, other: "Event") -> bool:
        """Whether a calendar would show the two alike (the SEQUENCE aside)."""
        return (self.day, self.summary, self.description, self.status) == (
            other.day,
            other.summary,
            other.description,
            other.status,
        )


def uid(ref: str, milestone: str, register: str) -> str:
    """The event's identifier: the case and the milestone, so importing again updates it, and the
    register's identity, so that another register's feed (a training copy, a neighbouring
    partnership) never replaces it in a calendar."""
    return f"{ref}-{milestone}-{register}@csprcli"


RECENT_DAYS = 60  # a deadline met this recently is published as cancelled even if it never was before


def deadline_events(clocks: Iterable[Clock], as_of: date, register: str) -> list[Event]:
    """The events of the deadlines as they stand: each running one confirmed, each met in the
    last RECENT_DAYS days cancelled. Built from csprcli's own words only: the reference, the
    milestone, the rule's title, the force and what the clock counts from; never an action's
    agency or any other text a user typed."""
    running = (Status.OPEN, Status.OVERDUE, Status.PAUSED)
    found = []
    for clock in clocks:
        if clock.due is None:
            continue
        if clock.status in running:
            status = CONFIRMED
        elif (
            clock.status in (Status.DONE, Status.LATE, Status.NOT_PUBLISHED)
            and clock.done
            and clock.done >= as_of - timedelta(RECENT_DAYS)
        ):
            status = CANCELLED
        else:
            continue
        if clock.milestone.startswith("action-"):
            title = f"Action {clock.milestone.removeprefix('action-')} from the review's recommendations"
        else:
            title = clock.title
        found.append(
            Event(
                uid=uid(clock.ref, clock.milestone, register),
                day=clock.due,
                summary=f"{clock.ref} {clock.milestone} due ({clock.force})",
                description=f"{title}: {clock.force}, counted from {clock.counts_from}.",
                status=status,
            )
        )
    return found


def versioned(current: Iterable[Event], published: Mapping[str, Event]) -> list[Event]:
    """The events to publish now, each with its SEQUENCE, given what was published before.

    New: SEQUENCE 0. Unchanged: as before. Changed: one higher. Published before and not
    among `current`: cancelled, one higher (once; after that it stays as it is).
    """
    found = []
    seen = set()
    for event in current:
        seen.add(event.uid)
        before = published.get(event.uid)
        if before is None:
            found.append(replace(event, sequence=0))
        elif event.same_as(before):
            found.append(replace(event, sequence=before.sequence))
        else:
            found.append(replace(event, sequence=before.sequence + 1))
    for key, before in published.items():
        if key in seen:
            continue
        if before.status == CANCELLED:
            found.append(before)
        else:
            found.append(replace(before, status=CANCELLED, sequence=before.sequence + 1))
    return sorted(found, key=lambda e: (e.day, e.uid))


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 section 3.3.11): backslash, semicolon, comma and new lines escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    # no other control character is allowed in a content line (section 3.1)
    return "".join(ch for ch in text if ch == "\t" or not (ord(ch) < 0x20 or ord(ch) == 0x7F))


def fold(line: str) -> str:
    """A content line folded at 75 octets (never inside a UTF-8 character), CRLF between the parts."""
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, FOLD_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, FOLD_OCTETS - 1  # a continuation starts with a space
        current.append(ch)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


REMIND_AT_HOUR = 9  # a reminder shows at 09:00 on its day


def alarm(event: Event, remind_on: date) -> list[str]:
    """A VALARM showing at 09:00 on `remind_on` (for an all-day event, relative to the start of its day)."""
    hours = (event.day - remind_on).days * 24 - REMIND_AT_HOUR  # before the event's start
    if hours <= 0:
        trigger = f"PT{-hours}H"
    else:
        days, rest = divmod(hours, 24)
        trigger = f"-P{days}DT{rest}H" if days else f"-PT{rest}H"
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"TRIGGER:{trigger}",
        f"DESCRIPTION:{escape('Reminder: ' + event.summary)}",
        "END:VALARM",
    ]


def calendar(events: Iterable[Event], stamp: datetime, remind: Callable[[date], date] | None = None) -> str:
    """The whole feed, lines ending in CRLF. `stamp` (UTC) is the DTSTAMP of every event.

    `remind` gives the day of a deadline's reminder (e.g. 2 working days before it): each
    confirmed event then carries a VALARM that shows on that day."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "METHOD:PUBLISH",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Safeguarding deadlines",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(event.uid)}",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SEQUENCE:{event.sequence}",
            f"SUMMARY:{escape(event.summary)}",
            f"DESCRIPTION:{escape(event.description)}",
            f"STATUS:{event.status}",
            "TRANSP:TRANSPARENT",
            *(alarm(event, remind(event.day)) if remind is not None and event.status == CONFIRMED else ()),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def feed(
    clocks: Iterable[Clock],
    as_of: date,
    register: str,
    published: Mapping[str, dict],
    stamp: datetime,
    remind: Callable[[date], date],
) -> tuple[str, list[dict], dict[str, dict]]:
    """The calendar feed as of `as_of`: every running deadline of `clocks`, and each of those
    `published` before that is no longer due as cancelled. Returns its text, what it publishes
    and what that replaces, as the rows the register keeps (services.feed.keep_published)."""
    before = {uid: Event(**row) for uid, row in published.items()}
    events = versioned(deadline_events(clocks, as_of, register), before)
    text = calendar(events, stamp, remind)
    return text, [asdict(e) for e in events], {uid: asdict(e) for uid, e in before.items()}
