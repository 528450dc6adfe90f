"""The deadline rules, as one table of data, and the pure function that applies them.

Each rule names the milestone it times, the date it counts from (the trigger),
the count and unit, which cases it applies to, and the guidance or law it comes
from (domain.md section 1). New clocks are new rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from csprcli.calendar import WorkingCalendar
from csprcli.model import Clock, Force, Incident, Status

WORKING_DAYS = "working days"

# The Incident fields a clock can count from, in words.
TRIGGERS = {"aware": "the aware date", "notified": "the notification"}


@dataclass(frozen=True)
class Rule:
    milestone: str  # the name users type and scripts read
    title: str
    trigger: str  # the Incident field the clock counts from
    count: int
    unit: str
    done: str  # the Incident field holding the date the milestone was done
    applies_to: str  # which cases, in words
    applies: Callable[[Incident], bool]
    force: Force
    source: str


def _every_case(incident: Incident) -> bool:
    return True


def _abuse_or_neglect(incident: Incident) -> bool:
    return incident.rapid_review_expected


def _rapid_review_needed(incident: Incident) -> bool:
    return incident.rapid_review_needed


RULES: tuple[Rule, ...] = (
    Rule(
        milestone="notification",
        title="Serious incident notification to the Panel",
        trigger="aware",
        count=5,
        unit=WORKING_DAYS,
        done="notified",
        applies_to="every case (a looked-after child's death too, even with no abuse or neglect)",
        applies=_every_case,
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
        applies=_abuse_or_neglect,
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
        applies=_rapid_review_needed,
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
        applies=_rapid_review_needed,
        force=Force.GUIDANCE,
        source="Working Together to Safeguard Children 2023, ch. 5, and the Panel's practice guidance: "
        "rapid review sent to the Panel within 15 working days of the notification",
    ),
)

MILESTONES = tuple(rule.milestone for rule in RULES)


def clocks(incident: Incident, calendar: WorkingCalendar, as_of: date) -> list[Clock]:
    """Every rule applied to one incident, as it stands on `as_of`.

    Due dates come from the calendar as it is now, so a closure recorded after a
    case was opened moves every deadline that crosses it.
    """
    return [clock(rule, incident, calendar, as_of) for rule in RULES]


def clock(rule: Rule, incident: Incident, calendar: WorkingCalendar, as_of: date) -> Clock:
    """One rule applied to one incident on `as_of`.

    Met when done on or before the due date; overdue from the day after it.
    Working days: late by between(due, done), left between(as_of, due),
    overdue by between(due, as_of) (domain.md section 3).
    """
    done = getattr(incident, rule.done)
    trigger = getattr(incident, rule.trigger)

    def make(status: Status, due: date | None = None, days: int | None = None) -> Clock:
        return Clock(
            incident.ref, rule.milestone, rule.title, rule.force, trigger, due, done, status, days, TRIGGERS[rule.trigger]
        )

    if not rule.applies(incident):
        return make(Status.NOT_REQUIRED)
    if trigger is None:
        return make(Status.WAITING)
    due = calendar.add(trigger, rule.count)
    if done is not None:
        return make(Status.DONE, due) if done <= due else make(Status.LATE, due, calendar.between(due, done))
    if as_of > due:
        return make(Status.OVERDUE, due, calendar.between(due, as_of))
    return make(Status.OPEN, due, calendar.between(as_of, due))


def is_closed(case_clocks: list[Clock]) -> bool:
    """A case is closed when none of its clocks is still to be done."""
    return all(c.status in (Status.DONE, Status.LATE, Status.NOT_REQUIRED) for c in case_clocks)
