"""Every read of cases: a case and every case as they stood at the end of a day (`Day`), with
their clocks, and what is still to do (`pending`, `overdue`, `upcoming`, `all_clocks` for the
calendar feed). The writes on the statutory path are services/incidents.py's.

No printing, no clock: `as_of` is always an argument.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from csprcli.domain import asof
from csprcli.domain.asof import known_on
from csprcli.domain.calendar import WorkingCalendar
from csprcli.domain.clock import Clock, Status
from csprcli.domain.dates import human_date
from csprcli.domain.errors import BadInput
from csprcli.domain.lifecycle import clocks, is_closed, to_do
from csprcli.domain.model import Incident
from csprcli.domain.rules import Rule
from csprcli.services.rulebook import Rulebook, rulebook
from csprcli.store.store import Store


class Case(NamedTuple):
    incident: Incident
    clocks: list[Clock]

    @property
    def closed(self) -> bool:
        return is_closed(self.clocks)

    @property
    def next_clock(self) -> Clock | None:
        """The open or overdue milestone due first."""
        pending = [c for c in self.clocks if c.status in (Status.OPEN, Status.OVERDUE)]
        return min(pending, key=lambda c: c.counted()[1], default=None)


class Day(NamedTuple):
    """The record as it stood at the end of a day (domain.md section 6, "As-of"): events dated later
    have not happened yet; settings, closure days, planned publication dates and actions are taken
    as they stood that evening. `past`: a write was made as of a later day (a setting, a closure day,
    a plan or an action may have changed since): the planned dates are read as they stood."""

    as_of: date
    past: bool
    calendar: WorkingCalendar
    rules: tuple[Rule, ...]
    death_rule: Rule
    rules_on: object  # Rulebook.rules_on: the rules a national clock done on a day was measured by
    planned: dict  # {reference: [(day recorded, planned date before, ISO or None)]} changed after the day

    def seen(self, incident: Incident) -> Incident:
        """A case as it stood at the end of the day."""
        seen = asof.as_seen(incident, self.as_of)
        if incident.ref in self.planned:
            seen = seen._replace(
                planned_publication=asof.planned_as_it_stood(seen.planned_publication, self.planned[incident.ref])
            )
        return seen

    def clocks(self, incident: Incident, **options) -> list[Clock]:
        """The clocks of a case already seen as it stood (`seen`)."""
        return clocks(incident, self.calendar, self.as_of, self.rules, view=False, rules_on=self.rules_on, **options)


def day_of(store: Store, book: Rulebook, as_of: date) -> Day:
    """What a view of `as_of` reads: whatever the as-of day is to today, nothing dated or recorded
    after it counts."""
    past = store.recorded_after(as_of)  # a setting, a closure day, a plan or an action may have changed since
    return Day(
        as_of,
        past,
        book.calendar_on(as_of),
        book.rules_on(as_of),
        book.death_rule_on(as_of),
        book.rules_on,
        store.planned_changes(as_of) if past else {},
    )


def case(store: Store, book: Rulebook, ref: str, as_of: date) -> Case:
    """One case as it stood at the end of `as_of` (events dated later have not happened yet)."""
    incident = store.incident(ref)
    if not known_on(incident, as_of):
        raise BadInput(
            f"{incident.ref} was not known on {human_date(as_of)}: the local authority became aware on "
            f"{human_date(incident.aware)}"
        )
    day = day_of(store, book, as_of)
    seen = day.seen(incident)
    return Case(seen, day.clocks(seen))


def cases(store: Store, book: Rulebook, as_of: date, *, open_only: bool = False) -> Iterator[Case]:
    """Every case known by the end of `as_of`, as it stood then (what was dated later has not
    happened yet; settings, closure days, planned dates and actions as they stood that evening),
    with its clocks, one at a time. With `open_only`, only those with a clock still to run."""
    day = day_of(store, book, as_of)
    for incident in store.incidents():
        if known_on(incident, as_of):
            seen = day.seen(incident)
            found = Case(seen, day.clocks(seen))
            if not open_only or not found.closed:
                yield found


def pending(store: Store, book: Rulebook, as_of: date) -> Iterator[Clock]:
    """The milestones still to be done on `as_of`, of the cases and the child deaths known by then,
    as they stood then: what `overdue` and `upcoming` look at, worked out from the record. The
    store leaves out the cases with every step dated by then (lifecycle.to_do)."""
    day = day_of(store, book, as_of)
    owed = to_do(day.rules)
    found = store.incidents(children=False) if owed is None else store.incidents_to_do(as_of, *owed)
    for incident in found:
        if known_on(incident, as_of):
            yield from day.clocks(day.seen(incident), pending=True)
    yield from pending_deaths(store, book, as_of, day)


def pending_deaths(store: Store, book: Rulebook, as_of: date, day: "Day | None" = None) -> Iterator[Clock]:
    """The notification clocks of the child deaths not yet notified by the end of `as_of`."""
    day = day or day_of(store, book, as_of)
    for death in store.deaths_awaiting_notification(as_of):
        yield from clocks(death, day.calendar, as_of, (day.death_rule,), pending=True)


def overdue(store: Store, as_of: date, *, against_original: bool = False) -> list[Clock]:
    """Every milestone overdue at the end of `as_of`, most working days overdue first: against the
    revised targets in force, or, with `against_original`, the original ones."""
    with _uncollected():
        with store.snapshot():  # every table read in one state of the database
            to_do = list(pending(store, rulebook(store), as_of))
        if against_original:
            found = [
                c._replace(status=c.original_status, working_days=c.original_working_days, due=c.original_due)
                for c in to_do
                if c.original_status == Status.OVERDUE
            ]
        else:
            found = [c for c in to_do if c.status == Status.OVERDUE]
        return most_overdue_first(found)


def most_overdue_first(found: list[Clock]) -> list[Clock]:
    """Overdue clocks, most working days overdue first, then by due date, reference and milestone:
    two stable sorts by fields, the first key last (cheaper than a key made in Python for each clock)."""
    found.sort(key=attrgetter("due", "ref", "milestone"))
    found.sort(key=attrgetter("working_days"), reverse=True)
    return found


def upcoming(store: Store, as_of: date, *, within: int = 0, until: date | None = None) -> list[Clock]:
    """The open milestones due from `as_of` to `until`, or to `within` working days after `as_of`
    (on the calendar as it stood that evening), soonest first."""
    with _uncollected():
        with store.snapshot():
            book = rulebook(store)
            horizon = until if until is not None else book.calendar_on(as_of).add(as_of, within)
            found = [
                c
                for c in pending(store, book, as_of)
                if c.status == Status.OPEN and c.due is not None and c.due <= horizon
            ]
        return sorted(found, key=lambda c: (c.due, c.ref, c.milestone))


@contextmanager
def _uncollected() -> Iterator[None]:
    """The cyclic collector held off while a list of clocks is built (Mercurial's `nogc`): the cases
    and clocks are tuples in lists, with no cycles among them, and each collection would look through
    all of them again as the list grows (bench/analysis.md: about 4% of `overdue` at 100,000 cases).
    Reference counting still frees whatever is dropped; the collector is switched back on after,
    as it was."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def all_clocks(store: Store, book: Rulebook, as_of: date) -> Iterator[Clock]:
    """Every milestone of every case and child death known by `as_of`, as it stood then (for the calendar feed)."""
    for found in cases(store, book, as_of):
        yield from found.clocks
    day = day_of(store, book, as_of)
    for death in store.deaths():
        if known_on(death, as_of):
            yield from clocks(death, day.calendar, as_of, (day.death_rule,))
