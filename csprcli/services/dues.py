"""Stored due dates: the milestones still to be done, kept in the database, so that `overdue` and
`upcoming` read them instead of working every open case's clocks out again on every run.

What is stored does not depend on the as-of date: a milestone's due date, its original one, the
calendar it counts on, and whether it is running, paused or waiting. Where it stands on a day (open
or overdue, by how many working days) is measured when it is read, exactly as lifecycle.clocks
measures it (the tests hold the two equal).

The service works them out again at the end of every write, in the same transaction, for the cases
the write touched, or for every case when the rules, the closures or the bank holidays changed
(service.writing), and then stamps them with this csprcli's version and the latest day the
record is dated. Triggers on every table they come from, and on their own, take the stamp away
when anything changes, whoever changes it (an undo, a restore, an upgrade, a hand edit in
sqlite3): without the stamp, under another version's, or for a day before the latest one
recorded, `pending` works the clocks out from the record (service.pending), which stays the
reference.
"""

from collections.abc import Iterable
from datetime import date

from csprcli import __version__
from csprcli.domain.calendar import EVERY_DAY, LOCAL, NATIONAL, counting, of_record
from csprcli.domain.clock import Clock, Force, Status, measured

STAMP = f"csprcli {__version__}"  # what a reader asks of the stored due dates

RUNNING, PAUSED, WAITING = "running", "paused", "waiting"
_FORCES = {force.value: force for force in Force}  # a stored force read back (a lookup, not an enum call a row)

COLUMNS = ("ref", "milestone", "title", "force", "trigger", "due", "original_due", "counts_from", "unit", "counts_on", "state")


def row(clock: Clock, counts_on: str) -> tuple:
    """A milestone still to be done, as stored (what does not depend on the as-of date);
    `counts_on`: the kind of calendar it counts on (calendar.LOCAL, NATIONAL or EVERY_DAY)."""
    state = {Status.PAUSED: PAUSED, Status.WAITING: WAITING}.get(clock.status, RUNNING)
    iso = [d.isoformat() if d else None for d in (clock.trigger, clock.due, clock.original_due)]
    return (clock.ref, clock.milestone, clock.title, clock.force.value, *iso, clock.counts_from, clock.unit, counts_on, state)


def pending(store, as_of: date, *, overdue_only: bool = False, due_until: date | None = None) -> list[Clock]:
    """The milestones still to be done, of the open cases and the child deaths awaiting
    notification, as they stand at the end of `as_of` (what `overdue` and `upcoming` look at).

    Read from the stored due dates when they are fresh and nothing recorded is dated after `as_of`
    (the record as of `as_of` is the record as it stands); otherwise worked out from the record as
    it stood then (service.pending). What `overdue` and `upcoming` need, they may leave out, as
    stored, what cannot concern them: `overdue_only`, what cannot be overdue on `as_of` against
    either target; `due_until`, what is not running and due from `as_of` to that day."""
    with store.snapshot():  # the check of the dates and the read, of one state of the database
        found = store.due_dates(STAMP, as_of, due_before=as_of if overdue_only else None, due_until=due_until)
        if found is None:
            from csprcli.services import incidents as service

            return list(service.pending(store, service.rulebook(store), as_of))
        first, last, rows = found
        # The bank holidays of the years the dates span only (a tenth of those stored); WorkingCalendar
        # holds a spare year each side of what it is asked.
        day = as_of.isoformat()
        years = range(int(min(first or day, day)[:4]) - 1, int(max(last or day, day)[:4]) + 2)
        calendar = of_record(store.closures(), store.bank_holidays(years), years)
        calendars = {kind: counting(calendar, kind) for kind in (LOCAL, NATIONAL, EVERY_DAY)}
        return [_clock(r, calendars, as_of) for r in rows]


def overdue(to_do: Iterable[Clock], *, against_original: bool = False) -> list[Clock]:
    """Every overdue milestone, most working days overdue first.

    Against the revised targets in force, or, with `against_original`, the original ones.
    """
    if against_original:
        found = [
            c._replace(status=c.original_status, working_days=c.original_working_days, due=c.original_due)
            for c in to_do
            if c.original_status == Status.OVERDUE
        ]
    else:
        found = [c for c in to_do if c.status == Status.OVERDUE]
    return sorted(found, key=lambda c: (-c.working_days, c.due, c.ref, c.milestone))


def horizon(store, as_of: date, within: int) -> date:
    """The day `within` working days after `as_of`, on the record's calendar (how far upcoming looks)."""
    return of_record(store.closures(), store.bank_holidays()).add(as_of, within)


def upcoming(to_do: Iterable[Clock], horizon: date) -> list[Clock]:
    """Open milestones due from the as-of date up to `horizon`, soonest first."""
    found = [c for c in to_do if c.status == Status.OPEN and c.due <= horizon]
    return sorted(found, key=lambda c: (c.due, c.ref, c.milestone))


def _clock(stored_row: tuple, calendars: dict, as_of: date) -> Clock:
    """A stored milestone as it stands on `as_of`, measured as lifecycle.clock measures it."""
    ref, milestone, title, force, trigger, due, original_due, counts_from, unit, counts_on, state = stored_row
    trigger = date.fromisoformat(trigger) if trigger else None
    if state == WAITING:
        return Clock(ref, milestone, title, _FORCES[force], trigger, None, None, Status.WAITING, None, counts_from)
    due, original_due = date.fromisoformat(due), date.fromisoformat(original_due)
    return measured(
        ref, milestone, title, _FORCES[force], trigger, original_due, due, None, counts_from, calendars[counts_on], as_of,
        paused=state == PAUSED, unit=unit,
    )  # fmt: skip
