"""The local child safeguarding practice review, after the rapid review decided on one: the
reviewer, the terms of reference, progress checks, the publication plan, the final report,
publication, pauses and revised targets, and the actions from its recommendations.

Each function checks its input against the record and writes in one transaction (through
Store.transaction); no printing, no clock.
"""

from datetime import date

from csprcli.domain import lifecycle, stages
from csprcli.domain.checks import REASON_LIMIT, check_revisable, free_text, not_before, short_name
from csprcli.domain.errors import BadInput
from csprcli.domain.model import Action, Incident, Pause, ProgressCheck, Revision
from csprcli.domain.vocabulary import ActionStatus, Outcome, PublicationType, Rag
from csprcli.services.incidents import record_facts
from csprcli.services.rulebook import Rulebook
from csprcli.store.store import Store
from csprcli.domain.dates import human_date

# -- the local child safeguarding practice review ------------------------------------


def _lcspr(store: Store, ref: str) -> Incident:
    """The incident, if its rapid review decided on a local review."""
    incident = store.incident(ref)
    _has_lcspr(incident)
    return incident


def _has_lcspr(incident: Incident) -> None:
    if not stages.local_review(incident):
        raise BadInput(f"{incident.ref}: there is no local review: {stages.no_local_review_why(incident)}")


def _unpublished(incident: Incident) -> None:
    if incident.published is not None:
        raise BadInput(
            f"{incident.ref}: the review was published on {human_date(incident.published)}; nothing more can be recorded on it"
        )


def appoint_reviewer(store: Store, ref: str, *, name: str, on: date) -> Incident:
    name = short_name(name, "--name", 120, required=True)
    return record_facts(store, ref, _has_lcspr, reviewer=name, reviewer_appointed=on)


def agree_terms(store: Store, ref: str, *, on: date) -> Incident:
    return record_facts(store, ref, _has_lcspr, tor_agreed=on)


def check_progress(store: Store, ref: str, *, on: date, rag: Rag, note: str | None) -> Incident:
    note = free_text(note, "--note", REASON_LIMIT)
    with store.transaction():
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
    with store.transaction():
        incident = _lcspr(store, ref)
        _unpublished(incident)
        not_before(on, stages.review_start(incident), "the planned publication", "the decision")
        if incident.planned_publication is not None:
            if not (reason and agreed_by):
                raise BadInput(
                    f"{incident.ref}: publication is already planned for {human_date(incident.planned_publication)}; "
                    "to change it give --reason and --agreed-by"
                )
            store.insert_related(
                "revisions", incident.ref, Revision("planned-publication", on, reason, agreed_by, as_of)
            )
        store.update_incident(incident.ref, planned_publication=on)
    return store.incident(ref)


def send_report(store: Store, ref: str, *, on: date) -> Incident:
    """The final report went to the Panel and the Secretary of State."""
    return record_facts(store, ref, _has_lcspr, report_sent=on)


def publish(store: Store, ref: str, *, on: date, kind: PublicationType, rationale: str) -> Incident:
    rationale = free_text(rationale, "--rationale", REASON_LIMIT, required=True)

    def not_paused(incident: Incident) -> None:
        _has_lcspr(incident)
        if lifecycle.open_pause(incident) is not None:
            raise BadInput(
                f"{incident.ref}: the review is paused; resume it first ('csprcli lcspr resume {incident.ref} --on DATE')"
            )

    return record_facts(store, ref, not_paused, published=on, publication_type=kind, publication_rationale=rationale)


def pause_review(store: Store, ref: str, *, on: date, reason: str, agreed_by: str) -> Incident:
    """Pause the review (a trial, an inquest, family proceedings): its clocks stop."""
    reason = free_text(reason, "--reason", REASON_LIMIT, required=True)
    agreed_by = short_name(agreed_by, "--agreed-by", 120, required=True)
    with store.transaction():
        incident = _lcspr(store, ref)
        _unpublished(incident)
        if pause := lifecycle.open_pause(incident):
            raise BadInput(f"{incident.ref}: the review is already paused since {human_date(pause.start)}")
        not_before(on, stages.review_start(incident), "the pause", "the decision")
        not_before(
            on, max((p.end for p in incident.pauses if p.end), default=None), "the pause", "the end of the last pause"
        )
        store.insert_related("pauses", incident.ref, Pause(on, None, reason, agreed_by))
    return store.incident(ref)


def resume_review(store: Store, book: Rulebook, ref: str, *, on: date) -> tuple[Incident, tuple | None]:
    """End the pause. Nothing moves by itself: returns the incident and the suggested revision
    (the publication target in force, the days paused, the target plus those days), which only
    a revision the partners record ('csprcli revise') makes the target."""
    with store.transaction():
        incident = _lcspr(store, ref)
        pause = lifecycle.open_pause(incident)
        if pause is None:
            raise BadInput(f"{incident.ref}: the review is not paused")
        not_before(on, pause.start, "resuming", "the pause")
        store.update_related("pauses", incident.ref, "start", pause.start, end=on)
    incident = store.incident(ref)
    suggestion = None
    if incident.published is None:
        suggestion = lifecycle.suggested_revision(incident, book.calendar, book.rules, pause._replace(end=on))
    return incident, suggestion


def revise_target(
    store: Store, ref: str, *, milestone: str, to: date, reason: str, agreed_by: str, as_of: date
) -> Incident:
    """Set a revised target, keeping the original beside it. Statutory and guidance clocks of the
    notification and rapid review have no extension; a review's publication and actions can be revised."""
    reason = free_text(reason, "--reason", REASON_LIMIT, required=True)
    agreed_by = short_name(agreed_by, "--agreed-by", 120, required=True)
    with store.transaction():
        incident = store.incident(ref)
        actions = {a.milestone: a for a in incident.actions}
        if milestone == "publication":
            incident = _lcspr(store, ref)
            _unpublished(incident)
            not_before(to, stages.review_start(incident), "the revised target", "the decision")
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


def add_action(store: Store, ref: str, *, recommendation: str, agency: str, target: date, on: date) -> Action:
    """An action from the review's recommendations, recorded on `on` (the as-of day): a view of an
    earlier day does not have it."""
    recommendation = free_text(recommendation, "--recommendation", REASON_LIMIT, required=True)
    agency = short_name(agency, "--agency", 120, required=True)
    with store.transaction():
        incident = store.incident(ref)
        decided = stages.decided_in_force(incident)
        if decided is None or stages.outcome_in_force(incident) == Outcome.CRITERIA_NOT_MET:
            raise BadInput(
                f"{incident.ref}: actions come from a review's recommendations, and this case has no review decided"
            )
        not_before(target, decided, "the action's target", "the decision")
        action = Action(len(incident.actions) + 1, recommendation, agency, target, recorded_on=on)
        store.insert_related("actions", incident.ref, action)
    return action


def _open_action(incident: Incident, number: int) -> Action:
    action = next((a for a in incident.actions if a.number == number), None)
    if action is None:
        raise BadInput(f"{incident.ref} has no action {number}; it has {len(incident.actions)}")
    if action.status != ActionStatus.OPEN:
        when = f" ({human_date(action.closed_on)})" if action.closed_on else ""  # a restored export may lack the day
        raise BadInput(f"{incident.ref}: action {number} is already {action.status}{when}")
    return action


def close_action(
    store: Store, ref: str, number: int, *, status: ActionStatus, on: date, evidence: str, signed_off_by: str | None
) -> Action:
    """An action done (with its evidence) or dropped (with the reason, kept as its evidence)."""
    evidence = free_text(
        evidence, "--evidence" if status == ActionStatus.DONE else "--reason", REASON_LIMIT, required=True
    )
    signed_off_by = short_name(signed_off_by, "--signed-off-by", 120)
    with store.transaction():
        incident = store.incident(ref)
        action = _open_action(incident, number)
        not_before(on, stages.decided_in_force(incident), "closing the action", "the decision")
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
    return action._replace(status=status, closed_on=on, evidence=evidence, signed_off_by=signed_off_by)
