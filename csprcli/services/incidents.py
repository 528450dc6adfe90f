"""The incident service: what each command on the statutory path records (an incident, its
notification, the rapid review and the exchange with the Panel; an import of cases). Each function
checks its input against the record, writes in one transaction, and returns plain values for the
renderer. Reading cases is services/cases.py's, the rules and calendar services/rulebook.py's.

No printing, no clock: `as_of` is always an argument.
"""

from dataclasses import dataclass
from datetime import date

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
from csprcli.domain.model import Child, Incident, PanelStep
from csprcli.domain.vocabulary import Abuse, Nature, Outcome, PanelResponse, Step
from csprcli.store.store import Store
from csprcli.domain.dates import human_date


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
        updated = incident._replace(**changes)
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
        incident = incident._replace(ref=store.next_ref(incident.aware.year))
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
        updated = incident._replace(exchange=(*incident.exchange, step))
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
