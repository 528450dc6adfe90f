"""What the commands do: each function checks its input against the record, writes in
one transaction or reads, and returns plain values for the renderer.

The library layer under the CLI. No printing, no clock: `as_of` is always an argument.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from csprcli.calendar import WorkingCalendar, stored
from csprcli.dates import human_date, parse_date, parse_past_date
from csprcli.errors import BadInput
from csprcli.model import (
    Abuse,
    Action,
    ActionStatus,
    Child,
    Clock,
    Death,
    DeathKind,
    DeathStage,
    DEATH_AGE_BANDS,
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
from csprcli.rules import (
    MONTHS,
    SETTINGS,
    TRIGGERS,
    WORKING_DAYS,
    Rule,
    check_setting,
    death_rule_for,
    clocks,
    is_closed,
    rules_for,
    shift,
)
from csprcli.store import Store

_CHILD_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}")
_PSEUDONYM = re.compile(r"child [a-z]{1,2}\d*", re.IGNORECASE)
SUMMARY_LIMIT = 500
REASON_LIMIT = 2000


MAX_CHILDREN = 4


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


def rulebook(store: Store) -> Rulebook:
    return Rulebook(calendar_for(store), rules_for(store.settings()))


# -- checks -------------------------------------------------------------------


def check_child_ref(child: str) -> str:
    """A pseudonymous reference: an ID with a digit in it (LCS-104233) or 'Child A'.

    The value is never echoed back: if it is a name, it must not reach a screen or a log.
    """
    child = child.strip()
    if not (_CHILD_REF.fullmatch(child) and (any(ch.isdigit() for ch in child) or _PSEUDONYM.fullmatch(child))):
        raise BadInput(
            "--child must be a pseudonymous reference: the case-management or eCDOP ID "
            "(letters and digits, e.g. LCS-104233) or a pseudonym such as 'Child A'; never a name"
        )
    return child


def _text(value: str | None, what: str, limit: int, *, required: bool = False) -> str | None:
    """Free text, kept exactly as typed or pasted (quotes, new lines, emoji, any script)."""
    if value is None or not value.strip():
        if required:
            raise BadInput(f"{what} is required and cannot be empty")
        return None
    if len(value) > limit:
        raise BadInput(f"{what} is {len(value)} characters long; keep it to {limit}")
    return value


def _name(value: str | None, what: str, limit: int = 120, *, required: bool = False) -> str | None:
    """A short name (a local authority, an agency, a person's role), without spaces around it."""
    return _text(value.strip() if value is not None else None, what, limit, required=required)


def _not_before(day: date, earlier: date | None, what: str, earlier_what: str) -> None:
    if earlier is not None and day < earlier:
        raise BadInput(f"{what} ({day.isoformat()}) cannot be before {earlier_what} ({earlier.isoformat()})")


def _not_recorded(incident: Incident, field: str, what: str) -> None:
    recorded = getattr(incident, field)
    if recorded is not None:
        fix = f"csprcli correct {incident.ref} {field.replace('_', '-')} DATE --reason TEXT"
        raise BadInput(
            f"{incident.ref}: {what} is already recorded ({recorded.isoformat()}); "
            f"to change a recorded date, use '{fix}'"
        )


# What each recorded date is called, and the command that records it.
DATE_WORDS = {
    "incident_date": ("the incident date", "csprcli incident add"),
    "aware": ("the aware date", "csprcli incident add"),
    "notified": ("the notification", "csprcli incident notify {ref} --on DATE"),
    "partners_informed": ("telling the partners", "csprcli incident inform {ref} --on DATE"),
    "rr_started": ("the rapid review's start", "csprcli review start {ref} --on DATE"),
    "decided": ("the decision", "csprcli review decide {ref} ..."),
    "rr_sent": ("sending the rapid review", "csprcli review submit {ref} --on DATE"),
    "panel_response_on": ("the Panel's response", "csprcli review response {ref} ..."),
    "reviewer_appointed": ("the reviewer's appointment", "csprcli lcspr reviewer {ref} ..."),
    "tor_agreed": ("agreeing the terms of reference", "csprcli lcspr terms {ref} --on DATE"),
    "planned_publication": ("the planned publication", "csprcli lcspr plan {ref} --publication DATE"),
    "report_sent": (
        "sending the final report to the Panel and the Secretary of State",
        "csprcli lcspr send {ref} --on DATE",
    ),
    "published": ("publication", "csprcli lcspr publish {ref} ..."),
}

# (later, earlier, the earlier must be recorded first): the order the steps come in.
ORDER = (
    ("aware", "incident_date", False),
    ("notified", "aware", True),
    ("partners_informed", "aware", True),
    ("rr_started", "notified", True),
    ("decided", "notified", True),
    ("decided", "rr_started", False),
    ("rr_sent", "decided", True),
    ("panel_response_on", "rr_sent", True),
    ("reviewer_appointed", "decided", True),
    ("tor_agreed", "decided", True),
    ("planned_publication", "decided", True),
    ("report_sent", "decided", True),
    ("published", "report_sent", True),
)

# Facts recorded together: each of a pair is recorded if and only if the other is.
TOGETHER = (("decided", "outcome"), ("panel_response_on", "panel_response"), ("published", "publication_type"))


def check_record(incident: Incident) -> None:
    """Refuse a record whose steps are out of order or inconsistent; the one place for these rules."""
    for later, earlier, required in ORDER:
        then, before = getattr(incident, later), getattr(incident, earlier)
        if then is None:
            continue
        if before is None:
            if required:
                words, command = DATE_WORDS[earlier]
                hint = f" ('{command.format(ref=incident.ref)}')" if incident.ref else ""
                raise BadInput(f"{incident.ref}: record {words} first{hint}")
            continue
        if then < before:
            raise BadInput(
                f"{DATE_WORDS[later][0]} ({then.isoformat()}) cannot be before {DATE_WORDS[earlier][0]} ({before.isoformat()})"
            )
    for a, b in TOGETHER:
        if (getattr(incident, a) is None) != (getattr(incident, b) is None):
            raise BadInput(f"{incident.ref}: {a.replace('_', '-')} and {b.replace('_', '-')} go together")
    if incident.abuse == Abuse.NONE and not (incident.nature == Nature.DEATH and incident.looked_after):
        raise BadInput(
            "--abuse none is only for the death of a looked-after child (--nature death --looked-after); "
            "any other serious incident needs abuse or neglect known or suspected"
        )
    if not incident.rapid_review_expected and (incident.rr_started or incident.decided):
        raise BadInput(
            f"{incident.ref}: no rapid review is expected for a looked-after child's death "
            "without abuse or neglect known or suspected"
        )
    if incident.outcome == Outcome.CRITERIA_NOT_MET and incident.rr_sent:
        raise BadInput(f"{incident.ref}: the criteria were not met, so no rapid review goes to the Panel")
    lcspr_dates = ("reviewer_appointed", "tor_agreed", "planned_publication", "report_sent", "published")
    if not incident.has_lcspr and any(getattr(incident, f) for f in lcspr_dates):
        decided = f"decided {incident.outcome}" if incident.outcome else "not decided yet"
        raise BadInput(f"{incident.ref}: there is no local review: the rapid review {decided}")


def _record(store: Store, ref: str, prepare=None, **changes) -> Incident:
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
                _not_recorded(incident, name, DATE_WORDS[name][0])
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
    la = _name(la, "--la", 60, required=True)
    home_la = _name(home_la, "--home-la", 60)
    summary = _text(summary, "--summary", SUMMARY_LIMIT)
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


def add_incident(store: Store, incident: Incident) -> Incident:
    """Record a checked incident under the next reference of its aware year."""
    with store.transaction():
        incident = replace(incident, ref=store.next_ref(incident.aware.year))
        store.insert_incident(incident)
    return incident


def notify(store: Store, ref: str, *, on: date, sin_ref: str | None = None) -> Incident:
    """The serious incident notification was submitted to the Panel on `on`."""
    return _record(store, ref, notified=on, sin_ref=_name(sin_ref, "--sin-ref", 40))


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


def decide(store: Store, ref: str, *, outcome: Outcome, on: date, reason: str) -> Incident:
    """The rapid review's decision, with its reasons. criteria-not-met closes the review clocks."""
    return _record(
        store, ref, decided=on, outcome=outcome, reason=_text(reason, "--reason", REASON_LIMIT, required=True)
    )


def submit_review(store: Store, ref: str, *, on: date) -> Incident:
    """The rapid review was sent to the Panel on `on`."""
    return _record(store, ref, rr_sent=on)


def panel_response(store: Store, ref: str, *, response: PanelResponse, on: date, notes: str | None) -> Incident:
    """The Panel replied to the rapid review."""
    notes = _text(notes, "--notes", REASON_LIMIT)
    return _record(store, ref, panel_response=response, panel_response_on=on, panel_notes=notes)


# -- the local child safeguarding practice review ------------------------------------


def _lcspr(store: Store, ref: str) -> Incident:
    """The incident, if its rapid review decided on a local review."""
    incident = store.incident(ref)
    _has_lcspr(incident)
    return incident


def _has_lcspr(incident: Incident) -> None:
    if not incident.has_lcspr:
        decided = f"decided {incident.outcome}" if incident.outcome else "not decided yet"
        raise BadInput(f"{incident.ref}: there is no local review: the rapid review {decided}")


def _unpublished(incident: Incident) -> None:
    if incident.published is not None:
        raise BadInput(
            f"{incident.ref}: the review was published on {incident.published.isoformat()}; nothing more can be recorded on it"
        )


def appoint_reviewer(store: Store, ref: str, *, name: str, on: date) -> Incident:
    name = _name(name, "--name", 120, required=True)
    return _record(store, ref, _has_lcspr, reviewer=name, reviewer_appointed=on)


def agree_terms(store: Store, ref: str, *, on: date) -> Incident:
    return _record(store, ref, _has_lcspr, tor_agreed=on)


def check_progress(store: Store, ref: str, *, on: date, rag: Rag, note: str | None) -> Incident:
    note = _text(note, "--note", REASON_LIMIT)
    with store.transaction():
        incident = _lcspr(store, ref)
        _unpublished(incident)
        _not_before(on, incident.last_progress_check, "the progress check", "the last check (or the decision)")
        store.insert_related("checks", incident.ref, ProgressCheck(on, rag, note))
    return store.incident(ref)


def plan_publication(
    store: Store, ref: str, *, on: date, today: date, reason: str | None = None, agreed_by: str | None = None
) -> Incident:
    """Set the planned publication date; changing it needs a reason and who agreed, and is kept."""
    reason = _text(reason, "--reason", REASON_LIMIT)
    agreed_by = _name(agreed_by, "--agreed-by", 120)
    with store.transaction():
        incident = _lcspr(store, ref)
        _unpublished(incident)
        _not_before(on, incident.decided, "the planned publication", "the decision")
        if incident.planned_publication is not None:
            if not (reason and agreed_by):
                raise BadInput(
                    f"{incident.ref}: publication is already planned for {incident.planned_publication.isoformat()}; "
                    "to change it give --reason and --agreed-by"
                )
            store.insert_related(
                "revisions", incident.ref, Revision("planned-publication", on, reason, agreed_by, today)
            )
        store.update_incident(incident.ref, planned_publication=on)
    return store.incident(ref)


def send_report(store: Store, ref: str, *, on: date) -> Incident:
    """The final report went to the Panel and the Secretary of State."""
    return _record(store, ref, _has_lcspr, report_sent=on)


def publish(store: Store, ref: str, *, on: date, kind: PublicationType, rationale: str) -> Incident:
    rationale = _text(rationale, "--rationale", REASON_LIMIT, required=True)

    def not_paused(incident: Incident) -> None:
        _has_lcspr(incident)
        if incident.open_pause is not None:
            raise BadInput(
                f"{incident.ref}: the review is paused; resume it first ('csprcli lcspr resume {incident.ref} --on DATE')"
            )

    return _record(store, ref, not_paused, published=on, publication_type=kind, publication_rationale=rationale)


def pause_review(store: Store, ref: str, *, on: date, reason: str, agreed_by: str) -> Incident:
    """Pause the review (a trial, an inquest, family proceedings): its clocks stop."""
    reason = _text(reason, "--reason", REASON_LIMIT, required=True)
    agreed_by = _name(agreed_by, "--agreed-by", 120, required=True)
    with store.transaction():
        incident = _lcspr(store, ref)
        _unpublished(incident)
        if pause := incident.open_pause:
            raise BadInput(f"{incident.ref}: the review is already paused since {pause.start.isoformat()}")
        _not_before(on, incident.decided, "the pause", "the decision")
        _not_before(on, max((p.end for p in incident.pauses), default=None), "the pause", "the end of the last pause")
        store.insert_related("pauses", incident.ref, Pause(on, None, reason, agreed_by))
    return store.incident(ref)


def resume_review(store: Store, book: Rulebook, ref: str, *, on: date) -> Incident:
    """End the pause; the publication target moves on by the calendar days paused, kept as a revision."""
    with store.transaction():
        incident = _lcspr(store, ref)
        pause = incident.open_pause
        if pause is None:
            raise BadInput(f"{incident.ref}: the review is not paused")
        _not_before(on, pause.start, "resuming", "the pause")
        store.update_related("pauses", incident.ref, "start", pause.start, end=on)
        rule = book.rule("publication")
        target = incident.revised_due("publication") or shift(book.calendar, incident.decided, rule.count, rule.unit)
        moved = target + (on - pause.start)
        words = f"paused {pause.start.isoformat()} to {on.isoformat()} ({(on - pause.start).days} days): {pause.reason}"
        store.insert_related("revisions", incident.ref, Revision("publication", moved, words, pause.agreed_by, on))
    return store.incident(ref)


REVISABLE = "publication and action-N"


def revise_target(
    store: Store, ref: str, *, milestone: str, to: date, reason: str, agreed_by: str, today: date
) -> Incident:
    """Set a revised target, keeping the original beside it. Statutory and guidance clocks of the
    notification and rapid review have no extension; a review's publication and actions can be revised."""
    reason = _text(reason, "--reason", REASON_LIMIT, required=True)
    agreed_by = _name(agreed_by, "--agreed-by", 120, required=True)
    with store.transaction():
        incident = store.incident(ref)
        actions = {a.milestone: a for a in incident.actions}
        if milestone == "publication":
            incident = _lcspr(store, ref)
            _unpublished(incident)
            _not_before(to, incident.decided, "the revised target", "the decision")
        elif milestone in actions:
            if actions[milestone].status != ActionStatus.OPEN:
                raise BadInput(
                    f"{incident.ref}: {milestone} is {actions[milestone].status}; only an open action's target can be revised"
                )
        else:
            raise BadInput(
                f"{incident.ref}: {milestone!r} cannot be revised; only {REVISABLE} targets can (there is no statutory extension)"
            )
        store.insert_related("revisions", incident.ref, Revision(milestone, to, reason, agreed_by, today))
    return store.incident(ref)


# -- actions from the review's recommendations --------------------------------------------


def add_action(store: Store, ref: str, *, recommendation: str, agency: str, target: date) -> Action:
    recommendation = _text(recommendation, "--recommendation", REASON_LIMIT, required=True)
    agency = _name(agency, "--agency", 120, required=True)
    with store.transaction():
        incident = store.incident(ref)
        if incident.decided is None or incident.outcome == Outcome.CRITERIA_NOT_MET:
            raise BadInput(
                f"{incident.ref}: actions come from a review's recommendations, and this case has no review decided"
            )
        _not_before(target, incident.decided, "the action's target", "the decision")
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
    evidence = _text(evidence, "--evidence" if status == ActionStatus.DONE else "--reason", REASON_LIMIT, required=True)
    signed_off_by = _name(signed_off_by, "--signed-off-by", 120)
    with store.transaction():
        incident = store.incident(ref)
        action = _open_action(incident, number)
        _not_before(on, incident.decided, "closing the action", "the decision")
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


# -- children ----------------------------------------------------------------------------------


CHARACTERISTICS = (
    "age_band",
    "sex",
    "ethnicity",
    "disability",
    "looked_after",
    "cin_plan",
    "cp_plan",
    "known_to_agencies",
)


def add_child(store: Store, ref: str, child: Child) -> Child:
    """Another child of the same incident (up to four; the first recorded is the primary child)."""
    child = replace(child, reference=check_child_ref(child.reference), primary=False)
    with store.transaction():
        incident = store.incident(ref)
        if len(incident.children) >= MAX_CHILDREN:
            raise BadInput(
                f"{incident.ref} has {MAX_CHILDREN} children already; one notification covers at most {MAX_CHILDREN}"
            )
        if child.reference in {c.reference for c in incident.children}:
            raise BadInput(f"{incident.ref}: that child reference is already recorded on this incident")
        store.insert_related("children", incident.ref, child)
    return child


def describe_child(store: Store, ref: str, reference: str, **characteristics) -> Child:
    """Fill in a child's characteristics. One already recorded is never overwritten."""
    given = {k: v for k, v in characteristics.items() if v is not None}
    if not given:
        raise BadInput("give at least one characteristic to record (see --help)")
    with store.transaction():
        incident = store.incident(ref)
        child = next((c for c in incident.children if c.reference == reference.strip()), None)
        if child is None:
            raise BadInput(f"{incident.ref} has no child with that reference; 'csprcli show {incident.ref}' lists them")
        clash = [k for k, v in given.items() if getattr(child, k) is not None and getattr(child, k) != v]
        if clash:
            raise BadInput(
                f"{incident.ref}: {', '.join(clash).replace('_', '-')} already recorded; csprcli never overwrites a recorded value"
            )
        store.update_related("children", incident.ref, "reference", child.reference, **given)
    return replace(child, **given)


# -- rules --------------------------------------------------------------------------------------


def set_rule(store: Store, name: str, value: str) -> str:
    value = check_setting(name, value)
    with store.transaction():
        store.set_setting(name, value)
    return value


def close_day(store: Store, calendar: WorkingCalendar, day: date, reason: str) -> None:
    """Record a partnership closure day; every deadline crossing it moves."""
    reason = _text(reason, "--reason", 200, required=True)
    if day.weekday() >= 5:
        raise BadInput(f"{day.isoformat()} is a {day.strftime('%A')}, already not a working day")
    if holiday := calendar.bank_holidays(day.year).get(day):
        raise BadInput(f"{day.isoformat()} is already a bank holiday ({holiday})")
    with store.transaction():
        store.add_closure(day, reason)


def reopen_day(store: Store, day: date) -> None:
    with store.transaction():
        store.remove_closure(day)


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
    incident = store.incident(ref)
    return Case(incident, clocks(incident, book.calendar, as_of, book.rules))


def cases(store: Store, book: Rulebook, as_of: date, *, open_only: bool = False) -> Iterator[Case]:
    """Every case with its clocks, one at a time; with `open_only`, only those with a clock still to run."""
    for incident in store.incidents(open_only=open_only):
        yield Case(incident, clocks(incident, book.calendar, as_of, book.rules))


def pending(store: Store, book: Rulebook, as_of: date) -> Iterator[Clock]:
    """The milestones still to be done, of the open cases: what `overdue` and `upcoming` look at."""
    for incident in store.incidents(open_only=True, children=False):
        yield from clocks(incident, book.calendar, as_of, book.rules, pending=True)
    death_rule = death_rule_for(store.settings())
    for death in store.deaths("WHERE notified IS NULL"):
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


def upcoming(to_do: Iterable[Clock], calendar: WorkingCalendar, as_of: date, within: int) -> list[Clock]:
    """Open milestones due from `as_of` up to `within` working days after it, soonest first."""
    horizon = calendar.add(as_of, within)
    found = [c for c in to_do if c.status == Status.OPEN and c.due <= horizon]
    return sorted(found, key=lambda c: (c.due, c.ref, c.milestone))


# -- explaining a date ---------------------------------------------------------------------------

RULE_SETTINGS = {
    "rr-decision": "rr-clock-start",
    "rr-sent": "rr-clock-start",
    "panel-response": "panel-reminder",
    "progress-check": "progress-interval",
}


def explain(store: Store, book: Rulebook, ref: str, milestone: str, as_of: date) -> list[str]:
    """How a due date was reached, line by line, enough to defend it in a meeting."""
    found = case(store, book, ref, as_of)
    incident = found.incident
    clock = next((c for c in found.clocks if c.milestone == milestone), None)
    if clock is None:
        names = ", ".join(c.milestone for c in found.clocks)
        raise BadInput(f"{incident.ref} has no milestone {milestone!r}; it has {names}")
    day = human_date
    lines = [f"{incident.ref} {clock.milestone}: {clock.title}", f"Force: {clock.force}."]
    action = next((a for a in incident.actions if a.milestone == milestone), None)
    if action is not None:
        lines += [
            f"Rule: the action's own target date, set when it was recorded ({action.agency}).",
            f"Recommendation: {action.recommendation}",
            f"Target: {day(action.target)}.",
        ]
    else:
        rule = book.rule(milestone)
        lines.append(f"Source: {rule.source}.")
        lines.append(f"Applies to {rule.applies_to}.")
        if milestone in RULE_SETTINGS:
            name = RULE_SETTINGS[milestone]
            value = store.settings().get(name, SETTINGS[name].default)
            lines.append(f"This partnership's setting {name} is {value} ('csprcli rules set {name} VALUE' changes it).")
        if clock.status == Status.NOT_REQUIRED:
            return lines + ["It does not apply to this case, so nothing is due."]
        if clock.trigger is None:
            return lines + [f"Not started: it counts from {TRIGGERS[rule.trigger]}, which is not recorded yet."]
        lines.append(f"Counts from {TRIGGERS[rule.trigger]}: {day(clock.trigger)}.")
        lines += _counting(book.calendar, rule, clock.trigger, clock.original_due)
    for pause in incident.pauses if milestone in ("publication", "progress-check") else ():
        until = day(pause.end) if pause.end else "not yet resumed"
        lines.append(f"Paused from {day(pause.start)} to {until}, agreed by {pause.agreed_by}: {pause.reason}.")
    for revision in (r for r in incident.revisions if r.milestone == milestone):
        lines.append(
            f"Revised on {day(revision.recorded_on)} to {day(revision.due)}, agreed by {revision.agreed_by}: {revision.reason}."
        )
    if clock.revised:
        lines.append(f"Original target {day(clock.original_due)}; revised target in force {day(clock.due)}.")
    done = f" Done {day(clock.done)}." if clock.done else ""
    lines.append(f"Due {day(clock.due)}.{done} On {day(as_of)}: {clock.describe()}.")
    if clock.revised and clock.original_status is not None:
        original = clock._replace(status=clock.original_status, working_days=clock.original_working_days)
        lines.append(f"Against the original target: {original.describe()}.")
    return lines


def _grouped(skipped: list[tuple[date, str]]) -> list[tuple[str, str]]:
    """Skipped days in words, a Saturday and the Sunday after it as one weekend."""
    out, i = [], 0
    while i < len(skipped):
        day, why = skipped[i]
        if day.weekday() == 5 and i + 1 < len(skipped) and skipped[i + 1][0] == day + timedelta(days=1):
            out.append((f"{human_date(day)} and {human_date(skipped[i + 1][0])}", "weekend"))
            i += 2
        else:
            out.append((human_date(day), why))
            i += 1
    return out


def _counting(calendar: WorkingCalendar, rule: Rule, trigger: date, due: date) -> list[str]:
    """The arithmetic of one rule, with every day it skipped."""
    if rule.unit == MONTHS:
        clamped = due.day != trigger.day
        note = f" ({trigger:%d %B} + {rule.count}: no day {trigger.day} that month, so its last day)" if clamped else ""
        return [
            f"Count: {rule.count} calendar month{'s' if rule.count != 1 else ''}, same day number{note}: {human_date(due)}."
        ]
    assert rule.unit == WORKING_DAYS
    if rule.count >= 0:
        lines = [
            f"Count: {rule.count} working days after it, the day itself not counted (WORKDAY({trigger.isoformat()}, {rule.count}))."
        ]
        skipped = calendar.skipped(trigger, due)
    else:
        lines = [
            f"Count: {-rule.count} working days before it, counting back (WORKDAY({trigger.isoformat()}, {rule.count}))."
        ]
        skipped = calendar.skipped(due, trigger - timedelta(days=1))
    lines += [f"  skipped {when}: {why}" for when, why in _grouped(skipped)]
    if not skipped:
        lines.append("  no weekend, bank holiday or closure day in between")
    return lines


# -- corrections, undo and history ---------------------------------------------------------------

# The facts `correct` can change, by the name users type, with how to read the value typed.
CORRECTABLE = {
    "child": "reference",
    "la": "name",
    "home-la": "name",
    "incident-date": "date",
    "aware": "date",
    "nature": Nature,
    "abuse": Abuse,
    "looked-after": "yes/no",
    "summary": "text",
    "notified": "date",
    "sin-ref": "name",
    "partners-informed": "date",
    "rr-started": "date",
    "decided": "date",
    "outcome": Outcome,
    "reason": "text",
    "rr-sent": "date",
    "panel-response": PanelResponse,
    "panel-response-on": "date",
    "panel-notes": "text",
    "reviewer": "name",
    "reviewer-appointed": "date",
    "tor-agreed": "date",
    "planned-publication": "date",
    "report-sent": "date",
    "published": "date",
    "publication-type": PublicationType,
    "publication-rationale": "text",
}
REQUIRED = {"child", "la", "aware", "nature", "abuse", "looked-after"}
# Emptying a date empties what was recorded with it.
CLEARED_WITH = {
    "decided": ("outcome", "reason"),
    "panel_response_on": ("panel_response", "panel_notes"),
    "published": ("publication_type", "publication_rationale"),
    "reviewer_appointed": ("reviewer",),
}
EMPTY = ("", "none", "-")


def correct(
    store: Store, ref: str, field: str, value: str, *, reason: str, today: date
) -> tuple[Incident, object, object]:
    """Correct one recorded fact, with a reason. The earlier value stays in the history.

    Returns the corrected incident, the old value and the new one.
    """
    reason = _text(reason, "--reason", REASON_LIMIT, required=True)
    if field not in CORRECTABLE:
        raise BadInput(f"{field!r} cannot be corrected; these can: {', '.join(CORRECTABLE)}")
    new = _read_value(field, value, today)
    attribute = field.replace("-", "_")
    with store.transaction(reason=reason):
        incident = store.incident(ref)
        old = getattr(incident, attribute)
        if old == new:
            raise BadInput(f"{incident.ref}: {field} is already {value.strip() or 'empty'}; nothing to correct")
        changes = {attribute: new} | ({k: None for k in CLEARED_WITH.get(attribute, ())} if new is None else {})
        updated = replace(incident, **changes)
        check_record(updated)
        store.update_incident(incident.ref, **changes)
        if attribute == "child":
            store.update_related("children", incident.ref, "reference", old, reference=new)
        if attribute == "looked_after":
            store.update_related("children", incident.ref, "primary", True, looked_after=new)
    return updated, old, new


def _read_value(field: str, value: str, today: date):
    kind = CORRECTABLE[field]
    if value.strip().lower() in EMPTY:
        if field in REQUIRED:
            raise BadInput(f"{field} cannot be empty")
        return None
    if kind == "date":
        return (parse_date if field == "planned-publication" else parse_past_date)(value, today=today, what=field)
    if kind == "reference":
        return check_child_ref(value)
    if kind == "name":
        return _name(value, field)
    if kind == "text":
        return _text(value, field, REASON_LIMIT)
    if kind == "yes/no":
        if value.strip().lower() not in ("yes", "no"):
            raise BadInput(f"{field} is yes or no")
        return value.strip().lower() == "yes"
    try:
        return kind(value.strip())
    except ValueError:
        raise BadInput(f"{field} is one of {', '.join(k.value for k in kind)}") from None


def undo_preview(store: Store) -> tuple[dict, list[dict]] | None:
    """The change `undo` would revert, and its rows; None when there is nothing to undo."""
    change = store.undoable()
    if change is None:
        return None
    return store.change(change), store.change_rows(change)


def undo(store: Store, change: int) -> None:
    """Revert one change (the one `undo_preview` showed); the undo is itself a change in the history."""
    with store.transaction(undoes=change, reason=f"undo of change {change}"):
        if store.undoable(before=store.change_id) != change:
            raise BadInput(
                f"change {change} is no longer the latest; run 'csprcli undo' again to see what it would revert"
            )
        store.revert(change)


def describe_change(row: dict) -> str:
    """One history row in words, dates as dates: "notified: (none) -> 2025-12-23"."""
    table, op, old, new = row["table"], row["op"], row["old"] or {}, row["new"] or {}
    noun = {
        "incidents": "incident",
        "children": "child",
        "checks": "progress check",
        "pauses": "pause",
        "revisions": "revised target",
        "actions": "action",
        "settings": "setting",
        "closures": "closure day",
        "deaths": "child death",
    }[table]
    image = new or old
    key = {
        "incidents": image.get("ref"),
        "children": image.get("reference"),
        "checks": image.get("checked_on"),
        "pauses": image.get("start"),
        "revisions": image.get("milestone"),
        "actions": f"{image.get('number')}",
        "settings": image.get("name"),
        "closures": image.get("day"),
        "deaths": image.get("ref"),
    }[table]
    if op == "insert":
        return f"{noun} {key} recorded"
    if op == "delete":
        return f"{noun} {key} removed"
    changed = [k for k in new if old.get(k) != new.get(k) and k not in ("id", "incident_id", "created_at")]
    return "; ".join(f"{k.replace('_', '-')}: {_shown(old.get(k))} -> {_shown(new.get(k))}" for k in changed)


def _shown(value) -> str:
    return "(none)" if value is None else str(value)


def calendar_coverage(store: Store) -> dict:
    """The years the stored bank-holiday calendar covers, and which `holidays` package filled it.

    One-off days (a jubilee, a state funeral) are known only once announced, so a future
    year's calendar is only as good as the package that filled it; any write command
    refills it when a newer package is installed.
    """
    from importlib.metadata import version

    from csprcli.store import CALENDAR_YEARS

    stored = store.meta("bank_holidays")
    first, last = CALENDAR_YEARS
    return {
        "bank_holidays": f"England and Wales, {first} to {last}, stored from {stored or 'nothing yet'}",
        "holidays_installed": f"holidays {version('holidays')}",
    }


# -- child deaths ---------------------------------------------------------------------------------

_AGE_PART = re.compile(r"(\d{1,4})\s*(years?|yrs?|y|months?|mo|m|weeks?|wks?|w|days?|d)\b")
ADULT_YEARS = 18


def parse_age(text: str) -> tuple[int, int]:
    """An age as typed ("17y 364d", "16 years", "3 months", "5w", "12 days") as (years, days).

    A month counts as 30 days and a year as 365, enough to place an age in the panel's bands.
    """
    cleaned = text.strip().lower()
    parts = _AGE_PART.findall(cleaned)
    if not parts or _AGE_PART.sub("", cleaned).replace(",", "").strip():
        raise BadInput(f"--age: {text!r} is not an age; write it as 17y 364d, 16 years, 3 months, 5 weeks or 12 days")
    days = 0
    for number, unit in parts:
        days += int(number) * {"y": 365, "m": 30, "w": 7, "d": 1}[unit[0]]
    return divmod(days, 365)


def check_death_ref(ref: str) -> str:
    ref = ref.strip().upper()
    if not re.fullmatch(r"(WS|WV|D|S)\d{1,7}", ref):
        raise BadInput(
            "the reference is the eCDOP number with its area prefix: WS (Walsall), WV (Wolverhampton), "
            "D (Dudley) or S (Sandwell), then digits, e.g. WS1234"
        )
    return ref


def new_death(
    *, ref: str, kind: DeathKind, died: date, age: str, resident: bool, expected: bool, jar_needed: bool, abuse: Abuse
) -> Death:
    """Check a child death against the panel's remit before anything is written."""
    ref = check_death_ref(ref)
    if kind != DeathKind.CHILD:
        raise BadInput(
            f"a {kind.value.replace('-', ' ')} is outside the Child Death Overview Panel's remit: it reviews the deaths "
            "of live-born children under 18 (stillbirths, late foetal losses and legal terminations are excluded)"
        )
    years, days = parse_age(age)
    if years >= ADULT_YEARS:
        raise BadInput(f"an age of {years} years is outside the panel's remit: it reviews deaths of children under 18")
    return Death(ref, died, years, days, resident, expected, jar_needed, abuse)


def add_death(store: Store, death: Death) -> list[str]:
    """Record a child death; returns warnings for the officer (a notification that may be due)."""
    with store.transaction():
        store.insert_death(death)
    if death.abuse != Abuse.NONE and death.incident_ref is None:
        return [
            f"{death.ref}: abuse or neglect is {death.abuse}: a serious incident notification may be due; record it "
            f"('csprcli incident add ...') and link it ('csprcli death link {death.ref} SI-...')"
        ]
    return []


STAGE_FIELDS = {stage: stage.value for stage in DeathStage}


def record_stage(
    store: Store, ref: str, stage: DeathStage, *, on: date, category: str | None = None, modifiable: bool | None = None
) -> Death:
    """A stage of the child death review was reached on `on`."""
    with store.transaction():
        death = store.death(ref)
        field = STAGE_FIELDS[stage]
        if getattr(death, field) is not None:
            raise BadInput(f"{death.ref}: {stage} is already recorded ({getattr(death, field).isoformat()})")
        _not_before(on, death.died, f"the {stage} stage", "the death")
        changes: dict = {field: on}
        if stage == DeathStage.JAR and not death.jar_needed:
            raise BadInput(f"{death.ref}: no Joint Agency Response was needed for this death")
        if stage == DeathStage.REVIEWED:
            if death.meeting is None:
                raise BadInput(f"{death.ref}: record the child death review meeting first")
            if not category or modifiable is None:
                raise BadInput("a completed panel review needs --category and --modifiable or --not-modifiable")
            _not_before(on, death.meeting, "the panel review", "the review meeting")
            changes |= {
                "category": _name(category, "--category"),
                "modifiable": modifiable,
                "paused_since": None,
                "pause_reason": None,
            }
        store.update_death(death.ref, **changes)
    return store.death(ref)


def pause_death(store: Store, ref: str, *, on: date, reason: str) -> Death:
    """The review waits, for an inquest or an investigation."""
    reason = _name(reason, "--reason", required=True)
    with store.transaction():
        death = store.death(ref)
        if death.reviewed:
            raise BadInput(f"{death.ref}: the panel review is complete")
        if death.paused_since:
            raise BadInput(
                f"{death.ref}: already waiting since {death.paused_since.isoformat()} ({death.pause_reason})"
            )
        _not_before(on, death.died, "the pause", "the death")
        store.update_death(death.ref, paused_since=on, pause_reason=reason)
    return store.death(ref)


def resume_death(store: Store, ref: str) -> Death:
    with store.transaction():
        death = store.death(ref)
        if not death.paused_since:
            raise BadInput(f"{death.ref}: the review is not waiting")
        store.update_death(death.ref, paused_since=None, pause_reason=None)
    return store.death(ref)


def link_death(store: Store, ref: str, incident_ref: str) -> Death:
    """Link a death to the serious incident notified for it; each shows the other."""
    with store.transaction():
        death = store.death(ref)
        incident = store.incident(incident_ref)
        if death.incident_ref:
            raise BadInput(f"{death.ref} is already linked to {death.incident_ref}")
        if incident.nature != Nature.DEATH:
            raise BadInput(f"{incident.ref} is recorded as {incident.nature}, not a death")
        store.update_death(death.ref, incident_ref=incident.ref)
    return store.death(ref)


def death_clocks(death: Death, book: Rulebook, settings: dict, as_of: date) -> list[Clock]:
    return clocks(death, book.calendar, as_of, (death_rule_for(settings),))


def death_report(deaths: list[Death]) -> dict:
    """The counts for the panel's yearly report, for the deaths given (already chosen by date)."""
    reviewed = [d for d in deaths if d.reviewed]
    open_ = [d for d in deaths if not d.reviewed]
    waiting: dict[str, int] = {}
    for d in open_:
        key = d.pause_reason or "not waiting"
        waiting[key] = waiting.get(key, 0) + 1
    return {
        "notifications": sum(1 for d in deaths if d.notified),
        "deaths": len(deaths),
        "reviews_completed": len(reviewed),
        "reviews_open": len(open_),
        "open_by_reason": waiting,
        "modifiable_factors": sum(1 for d in reviewed if d.modifiable),
        "by_age_band": {label: sum(1 for d in deaths if d.age_band == label) for label, _, _ in DEATH_AGE_BANDS},
        "expected": sum(1 for d in deaths if d.expected),
        "unexpected": sum(1 for d in deaths if not d.expected),
        "non_resident": sum(1 for d in deaths if not d.resident),
    }
