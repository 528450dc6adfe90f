"""The clocks of a case: from its life (domain/stages.py: the table of its stages and the events
that move it between them), on any as-of date, what is due, what is stopped and what is done.

Every list, report and feed reads its clocks from here (`clocks`), so "overdue", "paused",
"done" and "not required" mean the same in `overdue`, `show`, `upcoming`, `export`,
`report` and the calendar feed. What stays true (domain.md section 6):

- Done is done: a milestone done on or before its due date stays done on time. National
  clocks count England-and-Wales working days only, so a closure recorded later never
  moves them (`rules.calendar_of`).
- A pause stops only what is still running: a target already missed when the pause began
  stays overdue. Resuming moves nothing: only a revision the partners record does, and the
  original target is kept beside it.
- A reconsidered decision is a decision in its own right; the local review's clocks count
  from the decision that started the review. A Panel national review replaces the local
  review unless the partners decide again to hold one.
- Not published is a decision with a rationale, not a publication.
- As of a past day, events dated later have not happened yet (`asof.as_seen`).

Pure: the incident, the calendar, the rules and the date are handed in.
"""

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from csprcli.domain.asof import as_seen
from csprcli.domain.stages import Life, life_of, rapid_review_expected, review_start
from csprcli.domain.calendar import WorkingCalendar
from csprcli.domain.model import LCSPR_OUTCOMES, Incident, Pause, add_months
from csprcli.domain.vocabulary import Abuse, ActionStatus, Outcome, PublicationType
from csprcli.domain.clock import Clock, Force, Status, measured
from csprcli.domain.rules import DAYS, RULES, TRIGGERS, Rule, calendar_of, shift


# -- facts about a case ---------------------------------------------------------------------


def open_pause(incident) -> Pause | None:
    return next((p for p in incident.pauses if p.end is None), None) if incident.pauses else None


def last_progress_check(incident: Incident, life: Life | None = None) -> date | None:
    """The latest progress check, or the decision that started the review before any."""
    if incident.checks:
        return max(c.checked_on for c in incident.checks)
    return life.review_start if life else review_start(incident)


def removal_earliest(incident: Incident) -> date | None:
    """The first day a published report may be taken down: one year after publication.
    A decision not to publish has none."""
    if incident.published is None or incident.publication_type == PublicationType.NOT_PUBLISHED:
        return None
    return add_months(incident.published, 12)


def report_notice_from(incident: Incident) -> date | None:
    """What the final report's notice is counted back from: the actual publication once
    published, the planned date before that (a decision not to publish owes no notice)."""
    if incident.published and incident.publication_type != PublicationType.NOT_PUBLISHED:
        return incident.published
    return incident.planned_publication


def duty(rule: Rule, incident) -> str:
    """The duty behind a clock for this case: s16C only where abuse or neglect is known or suspected."""
    if rule.duty_without_abuse and getattr(incident, "abuse", None) is Abuse.NONE:
        return rule.duty_without_abuse
    return rule.duty


# -- which clocks a case has ------------------------------------------------------------------

# The milestones a case owes only while a local review is held (see _owed).
IN_A_LOCAL_REVIEW = frozenset({"progress-check", "report-sent", "publication"})


def to_do(rules: tuple[Rule, ...]) -> tuple[list[str], list[str], list[str]] | None:
    """What a case that may still have something to do has not done, for the store to leave the
    others unread (Store.incidents_to_do): the fields of the steps every case owes, those of the
    steps a local review owes, and the outcomes that start one. None when a step every case owes
    has no date to be done by (then every case is read)."""
    owed = [r.done for r in rules if r.milestone not in IN_A_LOCAL_REVIEW]
    steps = [s for s in owed if s is not None]
    if len(steps) < len(owed):
        return None
    review = [r.done for r in rules if r.milestone in IN_A_LOCAL_REVIEW and r.done]
    return steps, review, [o.value for o in LCSPR_OUTCOMES]


def _owed(i, life: Life | None) -> dict[str, bool]:
    """Whether the case owes each milestone that some cases do not (the others, notification and
    cdop-notification, every case owes): worked out once for the case, not once for each rule."""
    if life is None:  # not an incident (_life_for_clocks): a child death, whose notification is always owed
        return {}
    rapid = rapid_review_expected(i)
    decided_a_review = rapid and life.outcome != Outcome.CRITERIA_NOT_MET
    review = life.review_start is not None
    return {
        "partners-informed": rapid,
        "rr-decision": decided_a_review,
        "rr-sent": decided_a_review,
        "panel-response": decided_a_review,
        "progress-check": review and i.published is None,
        # A decision not to publish has no publication to give notice of (domain.md section 6);
        # until the decision, the notice runs against the planned date.
        "report-sent": review and i.publication_type != PublicationType.NOT_PUBLISHED,
        "publication": review,
    }


def _trigger(name: str, i, life: Life | None) -> date | None:
    match name:
        case "decided":
            return life.review_start if life else review_start(i)
        case "last_progress_check":
            return last_progress_check(i, life)
        case "publication":
            return report_notice_from(i)
        case _:
            return getattr(i, name)


# -- the clocks -------------------------------------------------------------------------------


def clocks(
    incident,
    calendar: WorkingCalendar,
    as_of: date,
    rules: Sequence[Rule] = RULES,
    *,
    pending: bool = False,
    view: bool = True,
    rules_on=None,
) -> list[Clock]:
    """Every rule, and every action, applied to one case as it stood at the end of `as_of`.

    With `pending`, only the milestones still to be done (what `overdue` and `upcoming` look at).
    `view=False` says nothing recorded is dated after `as_of` (as of today, nothing can be), so
    the record is taken as it stands. `rules_on(day)` gives the rules as the settings stood on a
    day (services.rulebook.Rulebook.rules_on), for national clocks already done.
    """
    if view:
        incident = as_seen(incident, as_of)
    life = _life_for_clocks(incident)
    owed = _owed(incident, life)
    found = []
    for rule in rules:
        done = getattr(incident, rule.done) if rule.done else None
        if pending and done is not None:  # a step done is not pending
            continue
        required = owed.get(rule.milestone, True)
        if pending and not required:  # nor is a step the case does not owe
            continue
        if rules_on is not None and done is not None:  # done is done: a national clock keeps its rule
            rule = _as_done(rule, done, rules_on)
        found.append(clock(rule, incident, calendar, as_of, life, done, required))
    if incident.actions:  # most cases have none: no list made for nothing
        found += [
            action_clock(incident, n, calendar, as_of)
            for n, action in enumerate(incident.actions)
            if not pending or action.status == ActionStatus.OPEN
        ]
    return [c for c in found if c.status in PENDING] if pending else found


def _life_for_clocks(incident) -> Life | None:
    """What the clocks need of a case's life (the decision in force and the review's start): a
    child death has none."""
    return life_of(incident) if isinstance(incident, Incident) else None


def _as_done(rule: Rule, done: date, rules_on) -> Rule:
    """A national clock done on `done` is measured by the rule as the settings stood that day: a
    setting changed later never turns "done on time" into "late" (domain.md section 6)."""
    if rule.local:
        return rule
    return next((r for r in rules_on(done) if r.milestone == rule.milestone), rule)


def clock(
    rule: Rule, incident, calendar: WorkingCalendar, as_of: date, life: Life | None, done: date | None, required: bool
) -> Clock:
    """One rule applied to one case on `as_of` (the case already as seen on that day; its life,
    the day the rule's step was done, and whether the case owes it, as `clocks` found them)."""
    trigger = _trigger(rule.trigger, incident, life)
    words = TRIGGERS[rule.trigger]
    if not required:
        return Clock(
            incident.ref, rule.milestone, rule.title, rule.force, trigger, None, done, Status.NOT_REQUIRED, None, words
        )
    if trigger is None:  # done without a due date (say, the report sent before a publication date was planned)
        status = Status.WAITING if done is None else Status.DONE
        return Clock(incident.ref, rule.milestone, rule.title, rule.force, None, None, done, status, None, words)
    counting = calendar_of(rule, calendar)
    original = shift(counting, trigger, rule.count, rule.unit)
    due = incident.revised_due(rule.milestone) or original
    pause = open_pause(incident) if rule.pausable else None
    # A pause stops a clock still running when it began; a target already missed stays overdue.
    paused = pause is not None and done is None and pause.start <= due
    found = measured(
        incident.ref, rule.milestone, rule.title, rule.force, trigger, original, due, done, words, counting, as_of,
        paused=paused, unit="day" if rule.unit == DAYS else "working day",
    )  # fmt: skip
    if rule.milestone == "publication" and done and incident.publication_type == PublicationType.NOT_PUBLISHED:
        found = found._replace(status=Status.NOT_PUBLISHED, working_days=None, original_status=Status.NOT_PUBLISHED)
    return found


def action_clock(incident: Incident, index: int, calendar: WorkingCalendar, as_of: date) -> Clock:
    """An action from a review's recommendations: due on its own target date. A pause of the
    review does not stop it: the action is the agency's, not the review's."""
    action = incident.actions[index]
    title = f"Action {action.number} ({action.agency})"
    due = incident.revised_due(action.milestone) or action.target
    if action.status == ActionStatus.DROPPED:
        return Clock(
            incident.ref,
            action.milestone,
            title,
            Force.LOCAL,
            action.target,
            due,
            action.closed_on,
            Status.NOT_REQUIRED,
            None,
            "its target date",
            action.target,
        )
    return measured(
        incident.ref,
        action.milestone,
        title,
        Force.LOCAL,
        action.target,
        action.target,
        due,
        action.closed_on,
        "its target date",
        calendar,
        as_of,
    )


FINISHED = (Status.DONE, Status.LATE, Status.NOT_REQUIRED, Status.NOT_PUBLISHED)
PENDING = (Status.OPEN, Status.OVERDUE, Status.WAITING, Status.PAUSED)


def is_closed(case_clocks: list[Clock]) -> bool:
    """A case is closed when none of its clocks is still to be done."""
    return all(c.status in FINISHED for c in case_clocks)


def suggested_revision(incident: Incident, calendar: WorkingCalendar, rules: tuple[Rule, ...], pause: Pause):
    """After a pause, a Suggestion: the publication target in force, the calendar days paused still to
    add, that target plus those days, and the day they are counted from. Only a revision the partners record
    moves the target; this is the suggestion.

    A revision recorded during the pause already absorbs the pause up to the day it was recorded:
    only the days paused after the latest such revision are added (counted from its day, not the
    pause's start)."""
    rule = next(r for r in rules if r.milestone == "publication")
    start = review_start(incident)
    if start is None or pause.end is None:
        return None
    target = incident.revised_due("publication") or shift(calendar, start, rule.count, rule.unit)
    during = [
        r.recorded_on
        for r in incident.revisions
        if r.milestone == "publication" and pause.start <= r.recorded_on <= pause.end
    ]
    since = max(during, default=pause.start)
    days = (pause.end - since).days
    return Suggestion(target, days, date.fromordinal(target.toordinal() + days), since, pause.days())


class Suggestion(NamedTuple):
    target: date  # the publication target in force
    days: int  # the calendar days added: those paused since the latest revision recorded in the pause
    suggested: date  # the target plus those days
    since: date  # the day they are counted from: the pause's start, or that revision's day
    paused: int  # the calendar days paused in all
