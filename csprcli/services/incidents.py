"""The incident service: what each command on the statutory path does. Each function checks
its input against the record, writes in one transaction or reads, and returns plain values
for the renderer.

No printing, no clock: `as_of` is always an argument.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from csprcli.domain.calendar import WorkingCalendar, of_record
from csprcli.domain.checks import (
    DATE_WORDS,
    REASON_LIMIT,
    SUMMARY_LIMIT,
    check_child_ref,
    check_record,
    short_name,
    not_recorded,
    free_text,
)
from csprcli.domain.errors import BadInput
from csprcli.domain.model import Abuse, Child, Incident, Nature, Outcome, PanelResponse, PanelStep, Step
from csprcli.domain.clock import Clock, Status
from csprcli.domain import asof
from csprcli.domain.asof import known_on
from csprcli.domain.lifecycle import clocks, is_closed, to_do
from csprcli.domain.rules import Rule, death_rule_for, rules_for
from csprcli.store.store import Store
from csprcli.domain.dates import human_date


def calendar_for(store: Store | None) -> WorkingCalendar:
    """Bank holidays and the partnership's closure days recorded in `store`, if any (calendar.of_record)."""
    return WorkingCalendar() if store is None else of_record(store.closures(), store.bank_holidays())


@dataclass(frozen=True)
class Rulebook:
    """What every due date is worked out from: the calendar and the rules as the partnership set them,
    and as they stood on any day (domain.md section 6: a view of a past day takes the settings and
    closure days as they stood that evening).

    `changes` are the settings' changes, each with the day it was recorded: a view of a day reads the
    rules as they stood then (`rules_on`), and a national clock done before a setting changed is
    measured by the rule as it stood when it was done (done is done). `closure_changes` are the
    closure days' changes, each with the day it was recorded (`calendar_on`).
    """

    calendar: WorkingCalendar
    rules: tuple[Rule, ...]
    changes: tuple[tuple[date, str, str | None], ...] = ()
    unchanged: tuple[tuple[str, str], ...] = ()  # settings stored with no change in the history (set before it began)
    closure_changes: tuple[tuple[date, dict | None, dict | None], ...] = ()
    closures: tuple[tuple[date, str], ...] = ()  # as they stand
    bank_holidays: dict | None = None  # as stored
    _on: dict = field(default_factory=dict, compare=False, repr=False)
    _calendars: dict = field(default_factory=dict, compare=False, repr=False)

    def rule(self, milestone: str) -> Rule:
        return next(r for r in self.rules if r.milestone == milestone)

    def settings_on(self, day: date) -> dict[str, str]:
        """The settings stored as they stood at the end of `day`."""
        settings = dict(self.unchanged)
        for recorded, name, value in self.changes:
            if recorded > day:
                continue  # a write made as of an earlier day may come later in the history
            if value is None:
                settings.pop(name, None)
            else:
                settings[name] = value
        return settings

    def rules_on(self, day: date) -> tuple[Rule, ...]:
        """The rules with the settings as they stood at the end of `day`."""
        if not any(recorded > day for recorded, _, _ in self.changes):
            return self.rules
        if day not in self._on:
            self._on[day] = rules_for(self.settings_on(day))
        return self._on[day]

    def death_rule_on(self, day: date) -> Rule:
        """The child-death notification target with the setting as it stood at the end of `day`."""
        return death_rule_for(self.settings_on(day)) if self.changes else death_rule_for(dict(self.unchanged))

    def calendar_on(self, day: date) -> WorkingCalendar:
        """The working calendar with the closure days as they stood at the end of `day`: the changes
        recorded after it undone, newest first."""
        later = [(old, new) for recorded, old, new in self.closure_changes if recorded > day]
        if not later:
            return self.calendar
        if day not in self._calendars:
            closures = dict(self.closures)
            for old, new in reversed(later):
                if new is not None:
                    closures.pop(date.fromisoformat(new["day"]), None)
                if old is not None:
                    closures[date.fromisoformat(old["day"])] = old["reason"]
            self._calendars[day] = of_record(closures, self.bank_holidays)
        return self._calendars[day]


def rulebook(store: Store | None) -> Rulebook:
    """The calendar and rules of `store`; with None, bank holidays and the default rules."""
    if store is None:
        return Rulebook(calendar_for(None), rules_for({}))
    settings, changes = store.settings(), store.setting_changes()
    closures, bank_holidays = store.closures(), store.bank_holidays()
    changed = {name for _, name, _ in changes}
    return Rulebook(
        of_record(closures, bank_holidays),
        rules_for(settings),
        tuple(changes),
        tuple((n, v) for n, v in settings.items() if n not in changed),
        tuple(store.closure_changes()),
        tuple(closures.items()),
        bank_holidays,
    )


def record_facts(store: Store, ref: str, prepare=None, **changes) -> Incident:
    """Record new facts on an incident, in one transaction, if the whole record stays in order.

    A date already recorded is never overwritten (corrections go through `correct`).
    `prepare(incident)` checks what else this step needs before it is allowed.
    """
    with store.transaction():
        incident = store.incident(ref)
        if prepare:
            prepare(incident)
        for name, value in changes.items():
            if name in DATE_WORDS and value is not None:
                not_recorded(incident, name, DATE_WORDS[name][0])
        updated = replace(incident, **changes)
        check_record(updated)
        store.update_incident(incident.ref, **changes)
    return updated


# -- writes -------------------------------------------------------------------


def new_incident(
    *,
    child: str,
    la: str,
    aware: date,
    nature: Nature,
    abuse: Abuse,
    looked_after: bool = False,
    home_la: str | None = None,
    incident_date: date | None = None,
    summary: str | None = None,
) -> Incident:
    """Check a new incident's details, before the database is opened; its reference comes later."""
    child = check_child_ref(child)
    la = short_name(la, "--la", 60, required=True)
    home_la = short_name(home_la, "--home-la", 60)
    summary = free_text(summary, "--summary", SUMMARY_LIMIT)
    incident = Incident(
        ref="",
        children=(Child(child, primary=True, looked_after=looked_after),),
        child=child,
        la=la,
        home_la=home_la,
        incident_date=incident_date,
        aware=aware,
        nature=nature,
        abuse=abuse,
        looked_after=looked_after,
        summary=summary,
    )
    check_record(incident)
    return incident


@dataclass(frozen=True)
class Loaded:
    refs: list[str]  # the references given, in file order
    duplicates: list[tuple[int, str]]  # (row, existing reference) for rows already recorded

    def span(self) -> tuple[str, str] | None:
        """The lowest and the highest reference given (by year, then number: SI-2025-999 comes
        before SI-2025-1000), not the first and last in file order; None when none was given."""
        if not self.refs:
            return None
        ordered = sorted(self.refs, key=lambda ref: tuple(int(part) for part in ref.split("-")[1:]))
        return ordered[0], ordered[-1]


def import_incidents(store: Store, rows: list[tuple[int, Incident]], *, dry_run: bool = False) -> Loaded:
    """Record checked incidents in one transaction: all of them, or (on any error) none.

    A row whose child reference and aware date match a recorded case (or an earlier row)
    is reported, not recorded twice. With `dry_run`, nothing is written.
    """
    with store.transaction(reason=f"import of {len(rows)} rows", keep=not dry_run):
        seen = {(child, aware): ref for ref, child, aware in store.case_keys()}
        next_number: dict[int, int] = {}
        refs, duplicates, batch = [], [], []
        for number, incident in rows:
            key = (incident.child, incident.aware)
            if key in seen:
                duplicates.append((number, seen[key]))
                continue
            year = incident.aware.year
            if year not in next_number:
                next_number[year] = int(store.next_ref(year).rsplit("-", 1)[1])
            ref = f"SI-{year}-{next_number[year]:03d}"
            next_number[year] += 1
            batch.append((ref, incident))
            seen[key] = ref
            refs.append(ref)
        store.insert_incidents(batch)
    return Loaded(refs, duplicates)


def import_dry_run_without_database(rows: list[tuple[int, Incident]]) -> Loaded:
    """A dry run of an import with no database yet: checked against an empty one that is thrown away."""
    import tempfile
    from pathlib import Path

    from csprcli.store.database import open_store

    with tempfile.TemporaryDirectory() as scratch:
        store = open_store(Path(scratch) / "dry-run.db", create=True)
        try:
            return import_incidents(store, rows, dry_run=True)
        finally:
            store.close()


def add_incident(store: Store, incident: Incident, *, allow_duplicate: bool = False) -> Incident:
    """Record a checked incident under the next reference of its aware year.

    A case with the same child reference and aware date is refused (it is most often the same
    incident typed twice), unless `allow_duplicate`: two incidents about one child on one day.
    """
    with store.transaction():
        if not allow_duplicate and (same := store.case_about(incident.child, incident.aware)):
            raise BadInput(
                f"{same} is already recorded with the same child reference and aware date; if this is a "
                "second incident about the same child on the same day, add --allow-duplicate"
            )
        incident = replace(incident, ref=store.next_ref(incident.aware.year))
        store.insert_incident(incident)
    return incident


def notify(store: Store, ref: str, *, on: date, sin_ref: str | None = None) -> Incident:
    """The serious incident notification was submitted to the Panel on `on`."""
    return record_facts(store, ref, notified=on, sin_ref=short_name(sin_ref, "--sin-ref", 40))


def inform_partners(store: Store, ref: str, *, on: date) -> Incident:
    """The local authority told the safeguarding partners on `on`."""
    return record_facts(store, ref, partners_informed=on)


def start_review(store: Store, ref: str, *, on: date) -> Incident:
    """The rapid review was triggered on `on`."""

    def not_after_the_decision(incident: Incident) -> None:
        if incident.decided is not None and on > incident.decided:
            raise BadInput(
                f"the rapid review's start ({human_date(on)}) cannot be after its decision ({human_date(incident.decided)})"
            )

    return record_facts(store, ref, not_after_the_decision, rr_started=on)


def add_step(store: Store, ref: str, step: PanelStep) -> Incident:
    """A step of the exchange with the Panel, in one transaction, if the exchange stays in order
    (checks.check_exchange)."""
    with store.transaction():
        incident = store.incident(ref)
        updated = replace(incident, exchange=(*incident.exchange, step))
        check_record(updated)
        store.insert_related("exchange", incident.ref, step)
    return updated


def decide(store: Store, ref: str, *, outcome: Outcome, on: date, reason: str) -> Incident:
    """The rapid review's decision, with its reasons. criteria-not-met closes the review clocks.

    Once decided, a new decision is recorded only after the Panel challenged the decision,
    asked for more information or took a national review: a reconsidered decision in its own
    right, with its date and reasons, a step of the exchange with the Panel. The first stays on
    the record; the latest is the one in force.
    """
    reason = free_text(reason, "--reason", REASON_LIMIT, required=True)
    if store.incident(ref).decided is None:
        return record_facts(store, ref, decided=on, outcome=outcome, reason=reason)
    return add_step(store, ref, PanelStep(Step.DECISION, on, outcome=outcome, notes=reason))


def submit_review(store: Store, ref: str, *, on: date) -> Incident:
    """The rapid review was sent to the Panel on `on`: the first time, or again after a reconsidered
    decision (a step of the exchange; the 15-working-day clocks measure the first sending)."""
    if store.incident(ref).rr_sent is None:
        return record_facts(store, ref, rr_sent=on)
    return add_step(store, ref, PanelStep(Step.SENT, on))


def panel_response(store: Store, ref: str, *, response: PanelResponse, on: date, notes: str | None) -> Incident:
    """The Panel replied to the rapid review (it may reply more than once)."""
    notes = free_text(notes, "--notes", REASON_LIMIT)
    return add_step(store, ref, PanelStep(Step.RESPONSE, on, response=response, notes=notes))


# -- reads --------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
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


@dataclass(frozen=True)
class Day:
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
            seen = replace(
                seen, planned_publication=asof.planned_as_it_stood(seen.planned_publication, self.planned[incident.ref])
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
    return sorted(found, key=_most_overdue_first)


def _most_overdue_first(clock: Clock) -> tuple[int, date, str, str]:
    days, due = clock.counted()
    return -days, due, clock.ref, clock.milestone


def upcoming(store: Store, as_of: date, *, within: int = 0, until: date | None = None) -> list[Clock]:
    """The open milestones due from `as_of` to `until`, or to `within` working days after `as_of`
    (on the calendar as it stood that evening), soonest first."""
    with store.snapshot():
        book = rulebook(store)
        horizon = until if until is not None else book.calendar_on(as_of).add(as_of, within)
        found = [
            c for c in pending(store, book, as_of) if c.status == Status.OPEN and c.due is not None and c.due <= horizon
        ]
    return sorted(found, key=lambda c: (c.due, c.ref, c.milestone))


def all_clocks(store: Store, book: Rulebook, as_of: date) -> Iterator[Clock]:
    """Every milestone of every case and child death known by `as_of`, as it stood then (for the calendar feed)."""
    for found in cases(store, book, as_of):
        yield from found.clocks
    day = day_of(store, book, as_of)
    for death in store.deaths():
        if known_on(death, as_of):
            yield from clocks(death, day.calendar, as_of, (day.death_rule,))
