"""The nouns: incidents, their milestones and the clocks on them. Standard library only."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Nature(StrEnum):
    DEATH = "death"
    SERIOUS_HARM = "serious-harm"
    OTHER = "other"


class Abuse(StrEnum):
    """Whether abuse or neglect is known or suspected."""

    KNOWN = "known"
    SUSPECTED = "suspected"
    NONE = "none"  # only the death of a looked-after child is notified without it


class Outcome(StrEnum):
    """What a rapid review decided (domain.md section 1)."""

    LCSPR = "lcspr"
    NO_LCSPR = "no-lcspr"
    ALTERNATIVE_REVIEW = "alternative-review"
    NATIONAL_REVIEW = "national-review"
    THEMATIC = "thematic"
    CRITERIA_NOT_MET = "criteria-not-met"


class Force(StrEnum):
    """How binding a deadline is, so a breach is never confused with a reminder."""

    STATUTORY = "statutory"
    GUIDANCE = "guidance"
    LOCAL = "local reminder"


class Status(StrEnum):
    """Where a milestone stands on the as-of date."""

    DONE = "done"  # done on or before its due date
    LATE = "late"  # done after its due date
    OPEN = "open"  # not done, not yet past its due date
    OVERDUE = "overdue"  # not done, past its due date
    WAITING = "waiting"  # its clock has not started: the trigger has not happened
    NOT_REQUIRED = "not required"  # the rule does not apply to this case


@dataclass(frozen=True)
class Incident:
    """A serious incident, with the date each milestone was done (None: not yet)."""

    ref: str
    child: str  # the partnership's pseudonymous reference, never a name
    la: str  # local authority where the incident happened
    aware: date  # the day the local authority became aware
    nature: Nature
    abuse: Abuse
    looked_after: bool = False
    home_la: str | None = None  # local authority where the child lives, if different
    incident_date: date | None = None
    summary: str | None = None
    notified: date | None = None  # serious incident notification submitted to the Panel
    sin_ref: str | None = None  # the notification system's own reference
    partners_informed: date | None = None
    rr_started: date | None = None
    decided: date | None = None
    outcome: Outcome | None = None
    reason: str | None = None
    rr_sent: date | None = None

    @property
    def rapid_review_expected(self) -> bool:
        """The Panel considers only cases with abuse or neglect known or suspected.

        The death of a looked-after child with neither is notified, but no rapid review
        follows (domain.md, special cases).
        """
        return self.abuse != Abuse.NONE

    @property
    def rapid_review_needed(self) -> bool:
        """Expected, and not closed by a finding that the criteria were not met."""
        return self.rapid_review_expected and self.outcome != Outcome.CRITERIA_NOT_MET


@dataclass(frozen=True)
class Clock:
    """One milestone of one case, as it stands on the as-of date."""

    ref: str
    milestone: str
    title: str
    force: Force
    trigger: date | None  # the date the clock runs from; None while it has not started
    due: date | None
    done: date | None
    status: Status
    working_days: int | None  # late by, left, or overdue by; None when not counted
    counts_from: str  # the trigger in words, e.g. "the notification"

    def describe(self) -> str:
        """The status in words, as `show`, `list` and the tables print it."""
        days = self.working_days
        plural = "" if days == 1 else "s"
        match self.status:
            case Status.DONE:
                return "done on time"
            case Status.LATE:
                return f"done late by {days} working day{plural}"
            case Status.OPEN:
                return "due today" if days == 0 else f"open, {days} working day{plural} left"
            case Status.OVERDUE:
                return f"overdue by {days} working day{plural}"
            case Status.WAITING:
                return f"not started: counts from {self.counts_from}"
            case _:
                return "not required"
