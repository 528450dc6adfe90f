"""The nouns: incidents, their milestones and the clocks on them. Standard library only (and
dateutil for calendar months)."""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple


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


class PanelResponse(StrEnum):
    """The Panel's reply to a rapid review (domain.md section 1)."""

    AGREES_LCSPR = "agrees-lcspr"
    ACCEPTS_NO_LCSPR = "accepts-no-lcspr"
    CHALLENGES = "challenges"
    NATIONAL_REVIEW = "national-review"
    MORE_INFORMATION = "more-information"


class PublicationType(StrEnum):
    FULL = "full"
    REDACTED = "redacted"
    IMPROVEMENTS_ONLY = "improvements-only"  # information about improvements, not the report
    NOT_PUBLISHED = "not-published"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class AgeBand(StrEnum):
    UNDER_1 = "under-1"
    AGE_1_5 = "1-5"
    AGE_6_10 = "6-10"
    AGE_11_15 = "11-15"
    AGE_16_17 = "16-17"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NOT_KNOWN = "not-known"


class Ethnicity(StrEnum):
    """DfE's main ethnic groups."""

    WHITE = "white"
    MIXED = "mixed"
    ASIAN = "asian"
    BLACK = "black"
    OTHER = "other"
    NOT_KNOWN = "not-known"


class ProtectionPlan(StrEnum):
    CURRENT = "current"
    PAST = "past"
    NEVER = "never"


class Force(StrEnum):
    """How binding a deadline is, so a breach is never confused with a reminder."""

    STATUTORY = "statutory"
    GUIDANCE = "guidance"
    LOCAL_TARGET = "local target"  # a date the partnership set itself, such as an action's
    LOCAL = "local reminder"  # a prompt, not a breach


class Status(StrEnum):
    """Where a milestone stands on the as-of date."""

    DONE = "done"  # done on or before its due date
    LATE = "late"  # done after its due date
    OPEN = "open"  # not done, not yet past its due date
    OVERDUE = "overdue"  # not done, past its due date
    WAITING = "waiting"  # its clock has not started: the trigger has not happened
    PAUSED = "paused"  # the review is paused: the clock does not run
    NOT_REQUIRED = "not required"  # the rule does not apply to this case


LCSPR_OUTCOMES = (Outcome.LCSPR, Outcome.THEMATIC)  # outcomes that start a local review


@dataclass(frozen=True)
class Child:
    """One child of an incident: a pseudonymous reference and what DfE counts. No names."""

    reference: str
    primary: bool = False
    age_band: AgeBand | None = None
    sex: Sex | None = None
    ethnicity: Ethnicity | None = None
    disability: bool | None = None
    looked_after: bool | None = None
    cin_plan: bool | None = None  # child in need plan
    cp_plan: ProtectionPlan | None = None  # child protection plan
    known_to_agencies: bool | None = None


@dataclass(frozen=True)
class ProgressCheck:
    checked_on: date
    rag: Rag
    note: str | None = None


@dataclass(frozen=True)
class Pause:
    start: date
    end: date | None  # None while the review is still paused
    reason: str
    agreed_by: str

    def days(self) -> int:
        """Calendar days paused, counting the start day and not the day it resumed."""
        return (self.end - self.start).days if self.end else 0


@dataclass(frozen=True)
class Revision:
    """A revised target, kept beside the original: there is no statutory extension."""

    milestone: str
    due: date
    reason: str
    agreed_by: str
    recorded_on: date


@dataclass(frozen=True)
class Action:
    number: int
    recommendation: str
    agency: str
    target: date
    status: ActionStatus = ActionStatus.OPEN
    closed_on: date | None = None  # done or dropped on
    evidence: str | None = None
    signed_off_by: str | None = None

    @property
    def milestone(self) -> str:
        return f"action-{self.number}"


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
    panel_response: PanelResponse | None = None
    panel_response_on: date | None = None
    panel_notes: str | None = None
    reviewer: str | None = None
    reviewer_appointed: date | None = None
    tor_agreed: date | None = None  # terms of reference
    planned_publication: date | None = None
    report_sent: date | None = None  # final report to the Panel and the Secretary of State
    published: date | None = None
    publication_type: PublicationType | None = None
    publication_rationale: str | None = None
    children: tuple[Child, ...] = ()
    checks: tuple[ProgressCheck, ...] = ()
    pauses: tuple[Pause, ...] = ()
    revisions: tuple[Revision, ...] = ()
    actions: tuple[Action, ...] = ()

    @property
    def rapid_review_expected(self) -> bool:
        """The Panel considers only cases with abuse or neglect known or suspected.

        The death of a looked-after child with neither is notified, but no rapid review
        follows (domain.md, special cases).
        """
        return self.abuse is not Abuse.NONE

    @property
    def rapid_review_needed(self) -> bool:
        """Expected, and not closed by a finding that the criteria were not met."""
        return self.abuse is not Abuse.NONE and self.outcome is not Outcome.CRITERIA_NOT_MET

    @property
    def has_lcspr(self) -> bool:
        """The rapid review decided on a local child safeguarding practice review."""
        return self.outcome in LCSPR_OUTCOMES

    @property
    def last_progress_check(self) -> date | None:
        """The latest progress check, or the decision (the review's commissioning) before any."""
        return max(c.checked_on for c in self.checks) if self.checks else self.decided

    @property
    def open_pause(self) -> Pause | None:
        return next((p for p in self.pauses if p.end is None), None) if self.pauses else None

    @property
    def removal_earliest(self) -> date | None:
        """The first day the published report may be taken down: one year after publication."""
        return add_months(self.published, 12) if self.published else None

    def revised_due(self, milestone: str) -> date | None:
        """The latest revised target of a milestone, if it was ever revised."""
        if not self.revisions:
            return None
        found = [r for r in self.revisions if r.milestone == milestone]
        return found[-1].due if found else None


def add_months(day: date, months: int) -> date:
    """Calendar months: the same day number, clamped to the month's last day (dateutil's relativedelta).

    Example: 31 August 2026 + 6 months is 28 February 2027.
    """
    from dateutil.relativedelta import relativedelta  # only where months are counted

    return day + relativedelta(months=months)


class Clock(NamedTuple):
    """One milestone of one case, as it stands on the as-of date.

    `due` is the target in force: the revised one if the target was revised, else
    `original_due`. Status and working days are measured against `due`; the
    `original_` pair measures the same against the original target. (A named tuple:
    a year's cases make hundreds of thousands of these, and a tuple is made fastest.)
    """

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
    original_due: date | None = None
    original_status: Status | None = None
    original_working_days: int | None = None

    @property
    def revised(self) -> bool:
        return self.due != self.original_due

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
            case Status.PAUSED:
                return "paused"
            case _:
                return "not required"


# -- child deaths (the Child Death Overview Panel's register, domain.md section 2) ---------------


class DeathKind(StrEnum):
    """What is being recorded. Only the death of a live-born child is in the panel's remit."""

    CHILD = "child"
    STILLBIRTH = "stillbirth"
    LATE_FOETAL_LOSS = "late-foetal-loss"
    TERMINATION = "termination"  # a planned termination of pregnancy carried out within the law


class DeathStage(StrEnum):
    NOTIFIED = "notified"  # notification received by the CDOP
    JAR = "jar"  # Joint Agency Response
    INFORMATION = "information"  # information gathered
    MEETING = "meeting"  # child death review meeting
    REVIEWED = "reviewed"  # CDOP review completed


# The Black Country CDOP's eCDOP area prefixes.
AREAS = {"WS": "Walsall", "WV": "Wolverhampton", "D": "Dudley", "S": "Sandwell"}
# A death's reference: the eCDOP number with its area prefix, e.g. WS1234.
DEATH_REF = re.compile(f"({'|'.join(AREAS)})\\d{{1,7}}")

# Age bands the panel's yearly report counts, as (label, first day, last day) of age in days.
DEATH_AGE_BANDS = (
    ("0-27 days", 0, 27),
    ("28-364 days", 28, 364),
    ("1-4 years", 365, 5 * 365 - 1),
    ("5-9 years", 5 * 365, 10 * 365 - 1),
    ("10-14 years", 10 * 365, 15 * 365 - 1),
    ("15-17 years", 15 * 365, 18 * 365 - 1),
)


@dataclass(frozen=True)
class Death:
    """A child's death for the Child Death Overview Panel. Age, not date of birth, is kept."""

    ref: str  # the eCDOP number with its area prefix, e.g. WS1234
    died: date
    age_years: int
    age_days: int  # days beyond the whole years (0 to 365)
    resident: bool  # normally resident in the area
    expected: bool
    jar_needed: bool  # a Joint Agency Response was needed
    abuse: Abuse = Abuse.NONE  # abuse or neglect known or suspected
    incident_ref: str | None = None  # the linked serious incident
    notified: date | None = None
    jar: date | None = None
    information: date | None = None
    meeting: date | None = None
    reviewed: date | None = None
    category: str | None = None  # the panel's category of death
    modifiable: bool | None = None  # modifiable factors found
    paused_since: date | None = None
    pause_reason: str | None = None  # "inquest", "investigation" or other words

    @property
    def area(self) -> str:
        return AREAS[self.ref.rstrip("0123456789")]

    # What the clocks ask of any record: a death's target is never revised, it has no actions,
    # and its pause (waiting for an inquest) stops no clock: its one target, the notification,
    # comes before any of that.
    open_pause = None
    actions = ()

    def revised_due(self, milestone: str) -> None:
        return None

    @property
    def age_in_days(self) -> int:
        return self.age_years * 365 + self.age_days

    @property
    def age_band(self) -> str:
        return next(label for label, low, high in DEATH_AGE_BANDS if low <= self.age_in_days <= high)
