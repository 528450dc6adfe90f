"""The calendar feed's record (`export --format ics`): every running deadline as of a day, what the
last feed published (kept so that the next can cancel what it no longer holds), and keeping what
a feed published once it has been written. output/ics.py lays the feed out.
"""

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import NamedTuple

from csprcli.domain.calendar import WorkingCalendar
from csprcli.domain.clock import Clock
from csprcli.services.cases import all_clocks
from csprcli.services.rulebook import rulebook
from csprcli.store.store import Store


class Feed(NamedTuple):
    """What a calendar feed as of a day is made from."""

    clocks: Iterator[Clock]  # every clock as of the day
    published: dict[str, dict]  # what the last feed published, by UID
    register: str  # the register's identity, in every event's UID
    working: WorkingCalendar  # the working days, for the reminders


def feed_of(store: Store, on: date) -> Feed:
    """The running deadlines as of `on` and what the last feed published."""
    published = store.published_events()
    book = rulebook(store)
    return Feed(all_clocks(store, book, on), published, store.register_identity(), book.calendar_on(on))


def keep_published(store: Store, events: list[dict], before: dict[str, dict]) -> None:
    """Keep what a feed published (`events`, replacing `before`), once it has been written."""
    store.record_published(events, before)


def feed_not_recorded(output: Path | None, error: Exception, path: Path) -> Exception:
    """The feed was written, but what it published could not be kept (exit status 5, not 3)."""
    from csprcli.domain.errors import CsprError, WrittenThenFailed, written_after_all
    from csprcli.domain.text import printable
    from csprcli.store.database import database_error

    said = database_error(error, path)
    if said is not None:
        reason = written_after_all(said)
    elif isinstance(error, CsprError):
        reason = written_after_all(str(error))
    else:
        reason = type(error).__name__
    where = f" to {printable(str(output), lines=False)}" if output is not None else ""
    return WrittenThenFailed(
        f"the feed was written{where}, but what it published could not be recorded ({reason}); "
        "export the feed again once the database is usable, so that its next updates replace these events"
    )
