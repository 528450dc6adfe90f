"""The nouns: incidents, their milestones, child deaths and their stages (a clock on them is
clock.py's; the fixed sets of values their fields take are vocabulary.py's). Standard library
only.

The records are named tuples: as immutable as frozen dataclasses, a quarter of their cost to define
when the module is imported (every command does), and made by the store in one step each (a
listing reads tens of thousands). `_replace` gives a changed copy."""

import re
from calendar import monthrange
from datetime import date, timedelta
from typing import NamedTuple

from csprcli.domain.vocabulary import (
    Abuse,
    ActionStatus,
    AgeBand,
    DeathCategory,
    DeathPlace,
    Ethnicity,
    Nature,
    Outcome,
    PanelResponse,
    ProtectionPlan,
    PublicationType,
    Rag,
    Sex,
    Step,
)


LCSPR_OUTCOMES = (Outcome.LCSPR, Outcome.THEMATIC)  # outcomes that start a local review


class Child(NamedTuple):
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


class ProgressCheck(NamedTuple):
    """A progress and quality check of a local review: its day and its rating (red, amber, green)."""

    checked_on: date
    rag: Rag
    note: str | None = None


class Pause(NamedTuple):
    """A pause of a local review, agreed by the partners: the review's clocks stop while it lasts."""

    start: date
    end: date | None  # None while the review is still paused
    reason: str
    agreed_by: str

    def days(self) -> int:
        """Calendar days paused, counting the start day and not the day it resumed."""
        return (self.end - self.start).days if self.end else 0


class Revision(NamedTuple):
    """A revised target, kept beside the original: there is no statutory extension."""

    milestone: str
    due: date
    reason: str
    agreed_by: str
    recorded_on: date


class Decision(NamedTuple):
    """A reconsidered rapid-review decision (after the Panel challenged the first, asked for more
    information, or took a national review): a decision in its own right. The first decision stays
    on the incident itself. Kept as a step of the exchange with the Panel (PanelStep)."""

    decided: date
    outcome: Outcome
    reason: str


class PanelStep(NamedTuple):
    """One dated step of the exchange with the Panel. The first decision and the first sending stay
    on the incident (`decided`, `rr_sent`): the 15-working-day clocks measure them."""

    step: Step
    day: date
    response: PanelResponse | None = None  # a response's
    outcome: Outcome | None = None  # a reconsidered decision's
    notes: str | None = None  # the Panel's notes, or the reconsidered decision's reasons

    def as_decision(self) -> Decision:
        """A reconsidered decision's step as the decision it records (checks.check_exchange holds
        that it has its outcome and reasons)."""
        if self.step != Step.DECISION or self.outcome is None or self.notes is None:
            raise ValueError(f"a {self.step} step of {self.day.isoformat()} records no decision")
        return Decision(self.day, self.outcome, self.notes)


class Action(NamedTuple):
    """An action from a review's recommendations, owned by an agency, due on its own target date."""

    number: int
    recommendation: str
    agency: str
    target: date
    status: ActionStatus = ActionStatus.OPEN
    closed_on: date | None = None  # done or dropped on
    evidence: str | None = None
    signed_off_by: str | None = None
    recorded_on: date | None = None  # the day it was recorded (None: before csprcli kept it)

    @property
    def milestone(self) -> str:
        return f"action-{self.number}"


class Incident(NamedTuple):
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
    rr_sent: date | None = None  # first sent to the Panel (the 15-working-day measure)
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
    exchange: tuple[PanelStep, ...] = ()  # the Panel's responses, reconsidered decisions and sendings again, in order

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """The reconsidered decisions, oldest first."""
        return tuple(s.as_decision() for s in self.exchange if s.step == Step.DECISION)

    @property
    def responses(self) -> tuple[PanelStep, ...]:
        """The Panel's responses, oldest first."""
        return tuple(s for s in self.exchange if s.step == Step.RESPONSE)

    @property
    def panel_response(self) -> PanelResponse | None:
        """The Panel's latest response."""
        found = self.responses
        return found[-1].response if found else None

    @property
    def panel_response_on(self) -> date | None:
        """The day of the Panel's latest response."""
        found = self.responses
        return found[-1].day if found else None

    @property
    def sent_again(self) -> tuple[date, ...]:
        """The days the rapid review was sent to the Panel again, after a reconsidered decision."""
        return tuple(s.day for s in self.exchange if s.step == Step.SENT)

    @property
    def last_sent(self) -> date | None:
        """The latest sending of the rapid review to the Panel (the first, or a later one)."""
        if not self.exchange:  # most cases: no generator made for nothing
            return self.rr_sent
        return next((s.day for s in reversed(self.exchange) if s.step == Step.SENT), self.rr_sent)

    @property
    def panel_answered(self) -> date | None:
        """The day the Panel answered the latest sending (its first response after it), if it has."""
        answered = None
        for s in self.exchange:
            if s.step == Step.SENT:
                answered = None
            elif s.step == Step.RESPONSE and answered is None:
                answered = s.day
        return answered if self.rr_sent else None

    def revised_due(self, milestone: str) -> date | None:
        """The latest revised target of a milestone, if it was ever revised."""
        if not self.revisions:
            return None
        found = [r for r in self.revisions if r.milestone == milestone]
        return found[-1].due if found else None


def add_months(day: date, months: int) -> date:
    """Calendar months: the same day number, clamped to the month's last day (as dateutil's
    relativedelta and a spreadsheet's EDATE count them).

    Example: 31 August 2026 + 6 months is 28 February 2027.
    """
    count = day.month - 1 + months
    year, month = day.year + count // 12, count % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


# -- child deaths (the Child Death Overview Panel's register, domain.md section 2) ---------------


DEATH_CATEGORY_TITLES = {
    DeathCategory.ABUSE: "Deliberately inflicted injury, abuse or neglect",
    DeathCategory.SUICIDE: "Suicide or deliberate self-inflicted harm",
    DeathCategory.TRAUMA: "Trauma and other external factors",
    DeathCategory.MALIGNANCY: "Malignancy",
    DeathCategory.ACUTE: "Acute medical or surgical condition",
    DeathCategory.CHRONIC: "Chronic medical condition",
    DeathCategory.CONGENITAL: "Chromosomal, genetic and congenital anomalies",
    DeathCategory.PERINATAL: "Perinatal/neonatal event",
    DeathCategory.INFECTION: "Infection",
    DeathCategory.SUDDEN: "Sudden unexpected, unexplained death",
}


# The Black Country CDOP's eCDOP area prefixes.
AREAS = {"WS": "Walsall", "WV": "Wolverhampton", "D": "Dudley", "S": "Sandwell"}
# A death's reference: the eCDOP number with its area prefix, e.g. WS1234.
DEATH_REF = re.compile(f"({'|'.join(AREAS)})\\d{{1,7}}")

# The National Child Mortality Database's age bands, in their natural order. Under one year
# the band goes by days (a neonatal death is one in the first 28 days of life, days 0 to 27);
# from one year by completed years, counted on the calendar from the date of death.
DEATH_AGE_BANDS = ("0-27 days", "28-364 days", "1-4 years", "5-9 years", "10-14 years", "15-17 years")
_YEAR_BANDS = ((1, 4), (5, 9), (10, 14), (15, 17))
ADULT_YEARS = 18


def _months_before(day: date, months: int) -> date:
    """The same day number `months` calendar months earlier, clamped to the month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def implied_birth(died: date, years: int, months: int, weeks: int, days: int) -> date:
    """The birthday an age at death points to: the years and months counted back on the
    calendar from the date of death (12 months is a year), then the weeks and days."""
    return _months_before(died, years * 12 + months) - timedelta(weeks=weeks, days=days)


def completed_years(birth: date, on: date) -> int:
    """Whole years of age on `on` (a child born on 29 February turns a year older on 1 March)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def death_age_band(died: date, years: int, months: int, weeks: int, days: int) -> str:
    birth = implied_birth(died, years, months, weeks, days)
    full = completed_years(birth, died)
    if full == 0:
        return DEATH_AGE_BANDS[0] if (died - birth).days <= 27 else DEATH_AGE_BANDS[1]
    return next(f"{low}-{high} years" for low, high in _YEAR_BANDS if low <= full <= high)


class DeathPause(NamedTuple):
    """A time the review waited (for an inquest, a police investigation, ...): kept, never deleted."""

    start: date
    reason: str
    end: date | None = None  # the day the review resumed; None while it waits

    def days(self, until: date) -> int:
        """Calendar days waited: the start day counted, the day it resumed not (`until` while open)."""
        return ((self.end or until) - self.start).days


class Death(NamedTuple):
    """A child's death for the Child Death Overview Panel. Age, not date of birth, is kept:
    the years, months, weeks and days as typed."""

    ref: str  # the eCDOP number with its area prefix, e.g. WS1234
    died: date
    age_years: int
    age_days: int
    resident: bool  # normally resident in the area
    expected: bool
    jar_needed: bool  # a Joint Agency Response was needed (an unexpected death)
    abuse: Abuse = Abuse.NONE  # abuse or neglect known or suspected
    incident_ref: str | None = None  # the linked serious incident
    notified: date | None = None
    jar: date | None = None
    information: date | None = None
    meeting: date | None = None
    reviewed: date | None = None
    category: DeathCategory | None = None  # the NCMD category of death
    modifiable: bool | None = None  # modifiable factors found
    age_months: int = 0
    age_weeks: int = 0
    sex: Sex | None = None  # as the incidents have them: DfE's groups
    ethnicity: Ethnicity | None = None
    place: DeathPlace | None = None  # where the child died: home, hospital, other
    pauses: tuple[DeathPause, ...] = ()  # kept in a table of their own

    @property
    def area(self) -> str:
        return AREAS[self.ref.rstrip("0123456789")]

    # What the clocks ask of any record: a death's target is never revised and it has no actions;
    # its pauses (waiting for an inquest) stop no clock: its one target, the notification, comes
    # before any of that.
    @property
    def actions(self) -> tuple[Action, ...]:
        return ()

    def revised_due(self, milestone: str) -> None:
        return None

    @property
    def waiting(self) -> DeathPause | None:
        """The pause the review is in now, if any."""
        return next((p for p in self.pauses if p.end is None), None)

    @property
    def age(self) -> str:
        """The age as typed, e.g. "17 years 364 days"."""
        parts = [(self.age_years, "year"), (self.age_months, "month"), (self.age_weeks, "week"), (self.age_days, "day")]
        shown = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
        return " ".join(shown) or "0 days"

    @property
    def age_band(self) -> str:
        return death_age_band(self.died, self.age_years, self.age_months, self.age_weeks, self.age_days)
