"""The deadline rules, as one table of data, and the pure functions that apply them.

Each rule names the milestone it times, the date it counts from (the trigger),
the count and unit, which cases it applies to, how binding it is, and the guidance
or law it comes from (domain.md section 1). The settings a partnership varies
(`SETTINGS`) are stored in its database and change the table through `rules_for`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from csprcli.dates import shown
from csprcli.calendar import WorkingCalendar
from csprcli.errors import BadInput
from csprcli.model import ActionStatus, Clock, Force, Incident, Status, add_months

WORKING_DAYS = "working days"
MONTHS = "calendar months"
DAYS = "calendar days"

# The dates a clock can count from, in words.
TRIGGERS = {
    "aware": "the aware date",
    "notified": "the notification",
    "rr_sent": "sending the rapid review to the Panel",
    "decided": "the rapid review's decision",
    "last_progress_check": "the last progress check (or the decision)",
    "planned_publication": "the planned publication date",
    "died": "the death",
}


@dataclass(frozen=True)
class Rule:
    milestone: str  # the name users type and scripts read
    title: str
    trigger: str  # the Incident field or property the clock counts from
    count: int  # negative counts back, as "at least 7 working days before"
    unit: str
    done: str | None  # the Incident field holding the date it was done; None: a recurring reminder
    applies_to: str  # which cases, in words
    applies: Callable[[Incident], bool]
    force: Force
    source: str
    pausable: bool = False  # stops while the review is paused


RULES: tuple[Rule, ...] = (
    Rule(
        milestone="notification",
        title="Serious incident notification to the Panel",
        trigger="aware",
        count=5,
        unit=WORKING_DAYS,
        done="notified",
        applies_to="every case (a looked-after child's death too, even with no abuse or neglect)",
        applies=lambda i: True,
        force=Force.STATUTORY,
        source="Children Act 2004 s16C (duty to notify); Working Together to Safeguard Children 2023, "
        "ch. 5: within 5 working days of becoming aware",
    ),
    Rule(
        milestone="partners-informed",
        title="Local safeguarding partners told",
        trigger="aware",
        count=5,
        unit=WORKING_DAYS,
        done="partners_informed",
        applies_to="cases with abuse or neglect known or suspected",
        applies=lambda i: i.rapid_review_expected,
        force=Force.GUIDANCE,
        source="Working Together to Safeguard Children 2023, ch. 5: the local authority tells the "
        "safeguarding partners within 5 working days of becoming aware",
    ),
    Rule(
        milestone="rr-decision",
        title="Rapid review decision (local review or not)",
        trigger="notified",
        count=15,
        unit=WORKING_DAYS,
        done="decided",
        applies_to="cases with abuse or neglect known or suspected, unless the criteria were not met",
        applies=lambda i: i.rapid_review_needed,
        force=Force.GUIDANCE,
        source="Working Together to Safeguard Children 2023, ch. 5, and the Panel's practice guidance: "
        "rapid review completed and decision taken within 15 working days of the notification",
    ),
    Rule(
        milestone="rr-sent",
        title="Rapid review sent to the Panel",
        trigger="notified",
        count=15,
        unit=WORKING_DAYS,
        done="rr_sent",
        applies_to="cases with abuse or neglect known or suspected, unless the criteria were not met",
        applies=lambda i: i.rapid_review_needed,
        force=Force.GUIDANCE,
        source="Working Together to Safeguard Children 2023, ch. 5, and the Panel's practice guidance: "
        "rapid review sent to the Panel within 15 working days of the notification",
    ),
    Rule(
        milestone="panel-response",
        title="Panel's response to the rapid review (reminder to chase)",
        trigger="rr_sent",
        count=10,
        unit=WORKING_DAYS,
        done="panel_response_on",
        applies_to="rapid reviews sent to the Panel",
        applies=lambda i: i.rapid_review_needed,
        force=Force.LOCAL,
        source="Local practice: the Panel publishes no time limit for its reply; it usually answers "
        "within about 10 working days",
    ),
    Rule(
        milestone="progress-check",
        title="Next progress and quality check of the review",
        trigger="last_progress_check",
        count=1,
        unit=MONTHS,
        done=None,
        applies_to="local reviews until published",
        applies=lambda i: i.has_lcspr and i.published is None,
        force=Force.LOCAL,
        source="Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018, "
        "reg. 14: progress and quality checked at regular intervals (monthly is common practice)",
        pausable=True,
    ),
    Rule(
        milestone="report-sent",
        title="Final report sent to the Panel and the Secretary of State",
        trigger="planned_publication",
        count=-7,
        unit=WORKING_DAYS,
        done="report_sent",
        applies_to="local reviews",
        applies=lambda i: i.has_lcspr,
        force=Force.GUIDANCE,
        source="Working Together to Safeguard Children 2023, ch. 5: the final report goes to the Panel "
        "and the Secretary of State at least 7 working days before publication",
    ),
    Rule(
        milestone="publication",
        title="Local review completed and published",
        trigger="decided",
        count=6,
        unit=MONTHS,
        done="published",
        applies_to="local reviews",
        applies=lambda i: i.has_lcspr,
        force=Force.GUIDANCE,
        source="Children Act 2004 s16F (publication); Working Together to Safeguard Children 2023, "
        "ch. 5: completed and published within 6 months of the decision to hold it",
        pausable=True,
    ),
)

DEATH_RULE = Rule(
    milestone="cdop-notification",
    title="Child death notified to the Child Death Overview Panel",
    trigger="died",
    count=1,
    unit=DAYS,
    done="notified",
    applies_to="every child death in the panel's remit",
    applies=lambda death: True,
    force=Force.LOCAL_TARGET,
    source="Child Death Review Statutory and Operational Guidance (England) 2018: the CDOP is notified of "
    "every child death; the local target is within 24 hours",
)

ACTION_SOURCE = "The review's recommendations: each action's own target date, reported in the yearly report"

# -- the settings a partnership varies ------------------------------------------------


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    describes: str
    parse: Callable[[str], str]  # checks a value; returns it as stored, or raises BadInput
    moves: tuple[str, ...]  # the milestones whose rule it changes
    apply: Callable[[Rule, str], Rule]  # a rule with the setting's (stored) value applied


def _count(low: int, high: int, unit: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        try:
            number = int(value.strip())
        except ValueError:
            raise BadInput(f"give a whole number of {unit} from {low} to {high}, not {shown(value)}") from None
        if not low <= number <= high:
            raise BadInput(
                f"give a whole number of {unit} from {low} to {high}; {number} would make the rule meaningless"
            )
        return str(number)

    return parse


def _choice(*values: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.strip() not in values:
            raise BadInput(f"give one of {', '.join(values)}, not {shown(value)}")
        return value.strip()

    return parse


def _counted_from_aware(rule: Rule, value: str) -> Rule:
    if value != "aware":
        return rule
    return replace(rule, trigger="aware", source=rule.source + " (counted from the aware date, by local choice)")


def _count_of(rule: Rule, value: str) -> Rule:
    return replace(rule, count=int(value))


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "rr-clock-start",
            "notification",
            "where the rapid-review clocks start: the notification date, or the aware date",
            _choice("notification", "aware"),
            ("rr-decision", "rr-sent"),
            _counted_from_aware,
        ),
        Setting(
            "panel-reminder",
            "10",
            "working days after sending the rapid review to chase the Panel's reply",
            _count(1, 60, "working days"),
            ("panel-response",),
            _count_of,
        ),
        Setting(
            "progress-interval",
            "1",
            "calendar months between progress checks of a local review",
            _count(1, 12, "months"),
            ("progress-check",),
            _count_of,
        ),
        Setting(
            "cdop-notification",
            "1",
            "calendar days after a child's death to notify the CDOP",
            _count(1, 30, "days"),
            ("cdop-notification",),
            _count_of,
        ),
    )
}


def setting_of(milestone: str) -> Setting | None:
    """The setting that changes a milestone's rule, if any."""
    return next((s for s in SETTINGS.values() if milestone in s.moves), None)


def check_setting(name: str, value: str) -> str:
    """A setting's value as stored, or BadInput for an unknown name or a meaningless value."""
    if name not in SETTINGS:
        raise BadInput(f"no setting called {shown(name)}; settings: {', '.join(SETTINGS)}")
    return SETTINGS[name].parse(value)


def _with_settings(rule: Rule, settings: Mapping[str, str]) -> Rule:
    setting = setting_of(rule.milestone)
    return setting.apply(rule, settings.get(setting.name, setting.default)) if setting else rule


def death_rule_for(settings: Mapping[str, str]) -> Rule:
    """The child-death notification target with the partnership's setting applied."""
    return _with_settings(DEATH_RULE, settings)


def rules_for(settings: Mapping[str, str]) -> tuple[Rule, ...]:
    """The rule table with the partnership's settings applied (defaults for any not stored)."""
    return tuple(_with_settings(rule, settings) for rule in RULES)


# -- applying them ------------------------------------------------------------------------


def shift(calendar: WorkingCalendar, start: date, count: int, unit: str) -> date:
    """The date `count` units after `start`: working days by WORKDAY, months clamped to the month's end."""
    if unit == WORKING_DAYS:
        return calendar.add(start, count)
    return start + timedelta(days=count) if unit == DAYS else add_months(start, count)


def standing(calendar: WorkingCalendar, due: date, done: date | None, as_of: date) -> tuple[Status, int | None]:
    """Where a milestone with this due date stands, and by how many working days.

    Met when done on or before the due date; overdue from the day after it.
    Working days: late by between(due, done), left between(as_of, due),
    overdue by between(due, as_of) (domain.md section 3).
    """
    if done is not None:
        return (Status.DONE, None) if done <= due else (Status.LATE, calendar.between(due, done))
    if as_of > due:
        return Status.OVERDUE, calendar.between(due, as_of)
    return Status.OPEN, calendar.between(as_of, due)


def clocks(
    incident: Incident,
    calendar: WorkingCalendar,
    as_of: date,
    rules: tuple[Rule, ...] = RULES,
    *,
    pending: bool = False,
) -> list[Clock]:
    """Every rule, and every action, applied to one incident as it stands on `as_of`.

    Due dates come from the calendar as it is now, so a closure recorded after a
    case was opened moves every deadline that crosses it. With `pending`, only the
    milestones still to be done (what `overdue` and `upcoming` look at).
    """
    if pending:
        rules = [r for r in rules if r.done is None or getattr(incident, r.done) is None]
    found = [clock(rule, incident, calendar, as_of) for rule in rules]
    found += [
        action_clock(incident, n, calendar, as_of)
        for n, action in enumerate(incident.actions)
        if not pending or action.status == ActionStatus.OPEN
    ]
    return [c for c in found if c.status in PENDING] if pending else found


def clock(rule: Rule, incident: Incident, calendar: WorkingCalendar, as_of: date) -> Clock:
    """One rule applied to one incident on `as_of`."""
    done = getattr(incident, rule.done) if rule.done else None
    trigger = getattr(incident, rule.trigger)
    words = TRIGGERS[rule.trigger]
    if not rule.applies(incident):
        return Clock(
            incident.ref, rule.milestone, rule.title, rule.force, trigger, None, done, Status.NOT_REQUIRED, None, words
        )
    if trigger is None:  # done without a due date (say, the report sent before a publication date was planned)
        status = Status.WAITING if done is None else Status.DONE
        return Clock(incident.ref, rule.milestone, rule.title, rule.force, None, None, done, status, None, words)
    original = shift(calendar, trigger, rule.count, rule.unit)
    due = incident.revised_due(rule.milestone) or original
    return _measured(
        incident.ref,
        rule.milestone,
        rule.title,
        rule.force,
        trigger,
        original,
        due,
        done,
        words,
        calendar,
        as_of,
        paused=rule.pausable and incident.open_pause is not None,
    )


def action_clock(incident: Incident, index: int, calendar: WorkingCalendar, as_of: date) -> Clock:
    """An action from a review's recommendations: due on its own target date."""
    action = incident.actions[index]
    title = f"Action {action.number} ({action.agency})"
    due = incident.revised_due(action.milestone) or action.target
    if action.status == ActionStatus.DROPPED:
        return Clock(
            incident.ref,
            action.milestone,
            title,
            Force.LOCAL_TARGET,
            action.target,
            due,
            action.closed_on,
            Status.NOT_REQUIRED,
            None,
            "its target date",
            action.target,
        )
    return _measured(
        incident.ref,
        action.milestone,
        title,
        Force.LOCAL_TARGET,
        action.target,
        action.target,
        due,
        action.closed_on,
        "its target date",
        calendar,
        as_of,
    )


def _measured(
    ref, milestone, title, force, trigger, original, due, done, words, calendar, as_of, *, paused=False
) -> Clock:
    status, days = standing(calendar, due, done, as_of)
    original_status, original_days = (status, days) if due == original else standing(calendar, original, done, as_of)
    if paused and done is None:
        status, days = Status.PAUSED, None
    return Clock(
        ref, milestone, title, force, trigger, due, done, status, days, words, original, original_status, original_days
    )


FINISHED = (Status.DONE, Status.LATE, Status.NOT_REQUIRED)
PENDING = (Status.OPEN, Status.OVERDUE, Status.WAITING, Status.PAUSED)


def is_closed(case_clocks: list[Clock]) -> bool:
    """A case is closed when none of its clocks is still to be done."""
    return all(c.status in FINISHED for c in case_clocks)


def is_finished(incident: Incident, rules: tuple[Rule, ...] = RULES) -> bool:
    """is_closed without a calendar or a date: every rule that applies is done, every action closed.

    Whether a case is closed depends on neither the calendar nor the as-of date, so it is
    kept with the case, and the lists of what is due read open cases only.
    """
    for rule in rules:
        if rule.applies(incident) and (rule.done is None or getattr(incident, rule.done) is None):
            return False
    return all(action.status != ActionStatus.OPEN for action in incident.actions)
