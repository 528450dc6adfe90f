"""The incident service: what each command on the statutory path does. Each function checks
its input against the record, writes in one transaction or reads, and returns plain values
for the renderer.

No printing, no clock: `as_of` is always an argument.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from csprcli.dates import shown
from csprcli.calendar import WorkingCalendar, stored
from csprcli.checks import (
    REVISABLE,
    check_revisable,
    DATE_WORDS,
    REASON_LIMIT,
    SUMMARY_LIMIT,
    check_child_ref,
    check_record,
    short_name,
    not_before,
    not_recorded,
    free_text,
)
from csprcli.errors import BadInput, UnknownCase
from csprcli.model import (
    Abuse,
    Action,
    ActionStatus,
    Child,
    Clock,
    Decision,
    Incident,
    Nature,
    Outcome,
    PanelResponse,
    Pause,
    ProgressCheck,
    PublicationType,
    Rag,
    Revision,
    Status,
)
from csprcli import lifecycle
from csprcli.lifecycle import clocks, is_closed, is_finished, known_on
from csprcli.rules import Rule, death_rule_for, rules_for
from csprcli.store import Store


def calendar_for(store: Store | None) -> WorkingCalendar:
    """Bank holidays and the partnership's closure days recorded in `store`, if any.

    The bank holidays come from the database when it holds them, so that no command need
    import the `holidays` package; otherwise from the package itself.
    """
    if store is None:
        return WorkingCalendar()
    cached = store.bank_holidays()
    return WorkingCalendar(store.closures(), stored(cached)) if cached else WorkingCalendar(store.closures())


@dataclass(frozen=True)
class Rulebook:
    """What every due date is worked out from: the calendar and the rules as the partnership set them."""

    calendar: WorkingCalendar
    rules: tuple[Rule, ...]

    def rule(self, milestone: str) -> Rule:
        return next(r for r in self.rules if r.milestone == milestone)


def rulebook(store: Store | None) -> Rulebook:
    """The calendar and rules of `store`; with None, bank holidays and the default rules."""
    return Rulebook(calendar_for(store), rules_for(store.settings() if store is not None else {}))


@contextmanager
def writing(store: Store, **options) -> Iterator[None]:
    """One write through the store (see Store.transaction), with the marks derived from the
    record worked out again before it commits: whether each case it touched is closed."""
    with store.transaction(**options):
        yield
        for ref in store.touched():
            try:
                incident = store.incident(ref)
            except UnknownCase:  # undone
                continue
            store.mark_closed(ref, is_finished(incident))



def _record(store: Store, ref: str, prepare=None, **changes) -> Incident:
    """Record new facts on an incident, in one transaction, if the whole record stays in order.

    A date already recorded is never overwritten (corrections go through `correct`).
    `prepare(incident)` checks what else this step needs before it is allowed.
    """
    with writing(store):
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


def import_incidents(store: Store, rows: list[tuple[int, Incident]], *, dry_run: bool = False) -> Loaded:
    """Record checked incidents in one transaction: all of them, or (on any error) none.

    A row whose child reference and aware date match a recorded case (or an earlier row)
    is reported, not recorded twice. With `dry_run`, nothing is written.
    """
    with writing(store, reason=f"import of {len(rows)} rows", keep=not dry_run):
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
            batch.append((ref, incident, is_finished(incident)))
            seen[key] = ref
            refs.append(ref)
        store.insert_incidents(batch)
    return Loaded(refs, duplicates)


def add_incident(store: Store, incident: Incident, *, allow_duplicate: bool = False) -> Incident:
    """Record a checked incident under the next reference of its aware year.

    A case with the same child reference and aware date is refused (it is most often the same
    incident typed twice), unless `allow_duplicate`: two incidents about one child on one day.
    """
    with writing(store):
        if not allow_duplicate and (same := store.case_about(incident.child, incident.aware)):
            raise BadInput(
                f"{same} is already recorded with the same child reference and aware date; if this is a "
                "second incident about the same child on the same day, add --allow-duplicate"
            )
        incident = replace(incident, ref=store.next_ref(incident.aware.year))
        store.insert_incident(incident, closed=is_finished(incident))
    return incident


def notify(store: Store, ref: str, *, on: date, sin_ref: str | None = None) -> Incident:
    """The serious incident notification was submitted to the Panel on `on`."""
    return _record(store, ref, notified=on, sin_ref=short_name(sin_ref, "--sin-ref", 40))


def inform_partners(store: Store, ref: str, *, on: date) -> Incident:
    """The local authority told the safeguarding partners on `on`."""
    return _record(store, ref, partners_informed=on)


def start_review(store: Store, ref: str, *, on: date) -> Incident:
    """The rapid review was triggered on `on`."""

    def not_after_the_decision(incident: Incident) -> None:
        if incident.decided is not None and on > incident.decided:
            raise BadInput(
                f"the rapid review's start ({on.isoformat()}) cannot be after its decision ({incident.decided.isoformat()})"
            )

    return _record(store, ref, not_after_the_decision, rr_started=on)


RECONSIDERED_AFTER = (PanelResponse.CHALLENGES, PanelResponse.MORE_INFORMATION, PanelResponse.NATIONAL_REVIEW)


def decide(store: Store, ref: str, *, outcome: Outcome, on: date, reason: str) -> Incident:
    """The rapid review's decision, with its reasons. criteria-not-met closes the review clocks.

    Once decided, a new decision is recorded only after the Panel challenged the decision,
    asked for more information or took a national review: a reconsidered decision in its own
    right, with its date and reasons. The first stays on the record and in the history.
    """
    reason = free_text(reason, "--reason", REASON_LIMIT, required=True)
    if store.incident(ref).decided is None:
        return _record(store, ref, decided=on, outcome=outcome, reason=reason)
    with writing(store):
        incident = store.incident(ref)
        if incident.panel_response not in RECONSIDERED_AFTER:
            raise BadInput(
                f"{incident.ref}: the decision is already recorded ({incident.decided.isoformat()}); a new decision "
                "is recorded only after the Panel challenges it, asks for more information or takes a national "
                "review ('csprcli review response'); to fix a typing mistake use 'csprcli correct'"
            )
        latest = incident.decisions[-1].decided if incident.decisions else incident.decided
        if incident.decisions and latest >= incident.panel_response_on:
            raise BadInput(
                f"{incident.ref}: the decision was already reconsidered on {latest.isoformat()}, after the Panel's response"
            )
        not_before(on, incident.panel_response_on, "the reconsidered decision", "the Panel's response")
        if outcome == Outcome.CRITERIA_NOT_MET:
            raise BadInput(f"{incident.ref}: the rapid review went to the Panel; criteria-not-met is no longer open")
        store.insert_related("decisions", incident.ref, Decision(on, outcome, reason))
        updated = store.incident(ref)
        check_record(updated)
    return updated


def submit_review(store: Store, ref: str, *, on: date) -> Incident:
    """The rapid review was sent to the Panel on `on`."""
    return _record(store, ref, rr_sent=on)


def panel_response(store: Store, ref: str, *, response: PanelResponse, on: date, notes: str | None) -> Incident:
    """The Panel replied to the rapid review."""
    notes = free_text(notes, "--notes", REASON_LIMIT)
    return _record(store, ref, panel_response=response, panel_response_on=on, panel_notes=notes)


# -- the local child safeguarding practice review ------------------------------------


def _lcspr(store: Store, ref: str) -> Incident:
    """The incident, if its rapid review decided on a local review."""
    incident = store.incident(ref)
    _has_lcspr(incident)
    return incident


def _has_lcspr(incident: Incident) -> None:
    if not lifecycle.local_review(incident):
        raise BadInput(f"{incident.ref}: there is no local review: {lifecycle.no_local_review_why(incident)}")


def _unpublished(incident: Incident) -> None:
    if incident.published is not None:
        raise BadInput(
            f"{incident.ref}: the review was published on {incident.published.isoformat()}; nothing more can be recorded on it"
        )


def appoint_reviewer(store: Store, ref: str, *, name: str, on: date) -> Incident:
    name = short_name(name, "--name", 120, required=True)
    return _record(store, ref, _has_lcspr, reviewer=name, reviewer_appointed=on)


def agree_terms(store: Store, ref: str, *, on: date) -> Incident:
    return _record(store, ref, _has_lcspr, tor_agreed=on)


def check_progress(store: Store, ref: str, *, on: date, rag: Rag, note: str | None) -> Incident:
    note = free_text(note, "--note", REASON_LIMIT)
    with writing(store):
        incident = _lcspr(store, ref)
        _unpublished(incident)
        not_before(
            on, lifecycle.last_progress_check(incident), "the progress check", "the last check (or the decision)"
        )
        store.insert_related("checks", incident.ref, ProgressCheck(on, rag, note))
    return store.incident(ref)


def plan_publication(
    store: Store, ref: str, *, on: date, as_of: date, reason: str | None = None, agreed_by: str | None = None
) -> Incident:
    """Set the planned publication date; changing it needs a reason and who agreed, and is kept."""
    reason = free_text(reason, "--reason", REASON_LIMIT)
    agreed_by = short_name(agreed_by, "--agreed-by", 120)
    with writing(store):
        incident = _lcspr(store, ref)
        _unpublished(incident)
        not_before(on, incident.decided, "the planned publication", "the decision")
        if incident.planned_publication is not None:
            if not (reason and agreed_by):
                raise BadInput(
                    f"{incident.ref}: publication is already planned for {incident.planned_publication.isoformat()}; "
                    "to change it give --reason and --agreed-by"
                )
            store.insert_related(
                "revisions", incident.ref, Revision("planned-publication", on, reason, agreed_by, as_of)
            )
        store.update_incident(incident.ref, planned_publication=on)
    return store.incident(ref)


def send_report(store: Store, ref: str, *, on: date) -> Incident:
    """The final report went to the Panel and the Secretary of State."""
    return _record(store, ref, _has_lcspr, report_sent=on)


def publish(store: Store, ref: str, *, on: date, kind: PublicationType, rationale: str) -> Incident:
    rationale = free_text(rationale, "--rationale", REASON_LIMIT, required=True)

    def not_paused(incident: Incident) -> None:
        _has_lcspr(incident)
        if lifecycle.open_pause(incident) is not None:
            raise BadInput(
                f"{incident.ref}: the review is paused; resume it first ('csprcli lcspr resume {incident.ref} --on DATE')"
            )

    return _record(store, ref, not_paused, published=on, publication_type=kind, publication_rationale=rationale)


def pause_review(store: Store, ref: str, *, on: date, reason: str, agreed_by: str) -> Incident:
    """Pause the review (a trial, an inquest, family proceedings): its clocks stop."""
    reason = free_text(reason, "--reason", REASON_LIMIT, required=True)
    agreed_by = short_name(agreed_by, "--agreed-by", 120, required=True)
    with writing(store):
        incident = _lcspr(store, ref)
        _unpublished(incident)
        if pause := lifecycle.open_pause(incident):
            raise BadInput(f"{incident.ref}: the review is already paused since {pause.start.isoformat()}")
        not_before(on, incident.decided, "the pause", "the decision")
        not_before(on, max((p.end for p in incident.pauses), default=None), "the pause", "the end of the last pause")
        store.insert_related("pauses", incident.ref, Pause(on, None, reason, agreed_by))
    return store.incident(ref)


def resume_review(store: Store, book: Rulebook, ref: str, *, on: date) -> tuple[Incident, tuple | None]:
    """End the pause. Nothing moves by itself: returns the incident and the suggested revision
    (the publication target in force, the days paused, the target plus those days), which only
    a revision the partners record ('csprcli revise') makes the target."""
    with writing(store):
        incident = _lcspr(store, ref)
        pause = lifecycle.open_pause(incident)
        if pause is None:
            raise BadInput(f"{incident.ref}: the review is not paused")
        not_before(on, pause.start, "resuming", "the pause")
        store.update_related("pauses", incident.ref, "start", pause.start, end=on)
    incident = store.incident(ref)
    suggestion = None
    if incident.published is None:
        suggestion = lifecycle.suggested_revision(incident, book.calendar, book.rules, replace(pause, end=on))
    return incident, suggestion


def revise_target(
    store: Store, ref: str, *, milestone: str, to: date, reason: str, agreed_by: str, as_of: date
) -> Incident:
    """Set a revised target, keeping the original beside it. Statutory and guidance clocks of the
    notification and rapid review have no extension; a review's publication and actions can be revised."""
    reason = free_text(reason, "--reason", REASON_LIMIT, required=True)
    agreed_by = short_name(agreed_by, "--agreed-by", 120, required=True)
    with writing(store):
        incident = store.incident(ref)
        actions = {a.milestone: a for a in incident.actions}
        if milestone == "publication":
            incident = _lcspr(store, ref)
            _unpublished(incident)
            not_before(to, incident.decided, "the revised target", "the decision")
        elif milestone in actions:
            if actions[milestone].status != ActionStatus.OPEN:
                raise BadInput(
                    f"{incident.ref}: {milestone} is {actions[milestone].status}; only an open action's target can be revised"
                )
        else:
            check_revisable(milestone, actions, incident.ref)
        store.insert_related("revisions", incident.ref, Revision(milestone, to, reason, agreed_by, as_of))
    return store.incident(ref)


# -- actions from the review's recommendations --------------------------------------------


def add_action(store: Store, ref: str, *, recommendation: str, agency: str, target: date) -> Action:
    recommendation = free_text(recommendation, "--recommendation", REASON_LIMIT, required=True)
    agency = short_name(agency, "--agency", 120, required=True)
    with writing(store):
        incident = store.incident(ref)
        if incident.decided is None or incident.outcome == Outcome.CRITERIA_NOT_MET:
            raise BadInput(
                f"{incident.ref}: actions come from a review's recommendations, and this case has no review decided"
            )
        not_before(target, incident.decided, "the action's target", "the decision")
        action = Action(len(incident.actions) + 1, recommendation, agency, target)
        store.insert_related("actions", incident.ref, action)
    return action


def _open_action(incident: Incident, number: int) -> Action:
    action = next((a for a in incident.actions if a.number == number), None)
    if action is None:
        raise BadInput(f"{incident.ref} has no action {number}; it has {len(incident.actions)}")
    if action.status != ActionStatus.OPEN:
        raise BadInput(f"{incident.ref}: action {number} is already {action.status} ({action.closed_on.isoformat()})")
    return action


def close_action(
    store: Store, ref: str, number: int, *, status: ActionStatus, on: date, evidence: str, signed_off_by: str | None
) -> Action:
    """An action done (with its evidence) or dropped (with the reason, kept as its evidence)."""
    evidence = free_text(evidence, "--evidence" if status == ActionStatus.DONE else "--reason", REASON_LIMIT, required=True)
    signed_off_by = short_name(signed_off_by, "--signed-off-by", 120)
    with writing(store):
        incident = store.incident(ref)
        action = _open_action(incident, number)
        not_before(on, incident.decided, "closing the action", "the decision")
        store.update_related(
            "actions",
            incident.ref,
            "number",
            number,
            status=status,
            closed_on=on,
            evidence=evidence,
            signed_off_by=signed_off_by,
        )
    return replace(action, status=status, closed_on=on, evidence=evidence, signed_off_by=signed_off_by)



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
        return min(pending, key=lambda c: c.due, default=None)


def case(store: Store, book: Rulebook, ref: str, as_of: date) -> Case:
    """One case as it stood at the end of `as_of` (events dated later have not happened yet)."""
    incident = store.incident(ref)
    if not known_on(incident, as_of):
        raise BadInput(
            f"{incident.ref} was not known on {as_of.isoformat()}: the local authority became aware on "
            f"{incident.aware.isoformat()}"
        )
    seen = lifecycle.as_seen(incident, as_of)
    return Case(seen, clocks(seen, book.calendar, as_of, book.rules, view=False))


def cases(
    store: Store, book: Rulebook, as_of: date, *, open_only: bool = False, past: bool = True
) -> Iterator[Case]:
    """Every case known by the end of `as_of`, as it stood then, with its clocks, one at a time.

    With `open_only`, only those with a clock still to run. `past` says `as_of` may be before
    today: if anything recorded is dated after it, a case closed since may have been open then,
    so every case is read, and read as it stood. The command line passes `past=False` when the
    as-of date is today or later.
    """
    past = past and store.dated_after(as_of)
    for incident in store.incidents(open_only=open_only and not past):
        if known_on(incident, as_of):
            seen = lifecycle.as_seen(incident, as_of) if past else incident
            found = Case(seen, clocks(seen, book.calendar, as_of, book.rules, view=False))
            if not open_only or not found.closed:
                yield found


def pending(store: Store, book: Rulebook, as_of: date, *, past: bool = True) -> Iterator[Clock]:
    """The milestones still to be done, of the open cases: what `overdue` and `upcoming` look at.

    `past` says `as_of` may be before today: every case is read, as it stood then (the command
    line passes `past=False` when the as-of date is today or later: open cases only, as they stand).
    """
    past = past and store.dated_after(as_of)
    for incident in store.incidents(open_only=not past, children=False):
        if known_on(incident, as_of):
            yield from clocks(incident, book.calendar, as_of, book.rules, pending=True, view=past)
    death_rule = death_rule_for(store.settings())
    for death in store.deaths() if past else store.deaths_awaiting_notification():
        if known_on(death, as_of):
            yield from clocks(death, book.calendar, as_of, (death_rule,), pending=True)


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


def upcoming(
    to_do: Iterable[Clock], calendar: WorkingCalendar, as_of: date, within: int, until: date | None = None
) -> list[Clock]:
    """Open milestones due from `as_of` up to `within` working days after it (or up to the day
    `until`), soonest first."""
    horizon = until if until is not None else calendar.add(as_of, within)
    found = [c for c in to_do if c.status == Status.OPEN and c.due <= horizon]
    return sorted(found, key=lambda c: (c.due, c.ref, c.milestone))


def all_clocks(store: Store, book: Rulebook, as_of: date, *, past: bool = True) -> Iterator[Clock]:
    """Every milestone of every case and child death known by `as_of`, as it stood then (for the calendar feed)."""
    for found in cases(store, book, as_of, past=past):
        yield from found.clocks
    death_rule = death_rule_for(store.settings())
    for death in store.deaths():
        if known_on(death, as_of):
            yield from clocks(death, book.calendar, as_of, (death_rule,))
