"""What the commands do: each function checks its input against the record, writes in
one transaction or reads, and returns plain values for the renderer.

The library layer under the CLI. No printing, no clock: `as_of` is always an argument.
"""

import re
from dataclasses import dataclass, replace
from datetime import date

from csprcli.calendar import WorkingCalendar
from csprcli.errors import BadInput
from csprcli.model import Abuse, Clock, Incident, Nature, Outcome, Status
from csprcli.rules import RULES, clocks, is_closed
from csprcli.store import Store

_CHILD_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}")
_PSEUDONYM = re.compile(r"child [a-z]{1,2}\d*", re.IGNORECASE)
SUMMARY_LIMIT = 500
REASON_LIMIT = 2000


def calendar_for(store: Store | None) -> WorkingCalendar:
    """Bank holidays and the partnership's closure days recorded in `store`, if any."""
    return WorkingCalendar(store.closures() if store else {})


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
    value = (value or "").strip()
    if not value:
        if required:
            raise BadInput(f"{what} is required and cannot be empty")
        return None
    if len(value) > limit:
        raise BadInput(f"{what} is {len(value)} characters long; keep it to {limit}")
    return value


def _not_before(day: date, earlier: date | None, what: str, earlier_what: str) -> None:
    if earlier is not None and day < earlier:
        raise BadInput(f"{what} ({day.isoformat()}) cannot be before {earlier_what} ({earlier.isoformat()})")


def _not_recorded(incident: Incident, field: str, what: str) -> None:
    recorded = getattr(incident, field)
    if recorded is not None:
        raise BadInput(f"{incident.ref}: {what} is already recorded ({recorded.isoformat()}); csprcli never overwrites a recorded date")


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
    la = _text(la, "--la", 60, required=True)
    home_la = _text(home_la, "--home-la", 60)
    summary = _text(summary, "--summary", SUMMARY_LIMIT)
    if incident_date is not None:
        _not_before(aware, incident_date, "the aware date", "the incident date")
    if abuse == Abuse.NONE and not (nature == Nature.DEATH and looked_after):
        raise BadInput(
            "--abuse none is only for the death of a looked-after child (--nature death --looked-after); "
            "any other serious incident needs abuse or neglect known or suspected"
        )
    return Incident(
        ref="",
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


def add_incident(store: Store, incident: Incident) -> Incident:
    """Record a checked incident under the next reference of its aware year."""
    with store.transaction():
        incident = replace(incident, ref=store.next_ref(incident.aware.year))
        store.insert_incident(incident)
    return incident


def notify(store: Store, ref: str, *, on: date, sin_ref: str | None = None) -> Incident:
    """The serious incident notification was submitted to the Panel on `on`."""
    sin_ref = _text(sin_ref, "--sin-ref", 40)
    with store.transaction():
        incident = store.incident(ref)
        _not_recorded(incident, "notified", "the notification")
        _not_before(on, incident.aware, "the notification", "the aware date")
        store.update_incident(incident.ref, notified=on, sin_ref=sin_ref)
    return replace(incident, notified=on, sin_ref=sin_ref)


def inform_partners(store: Store, ref: str, *, on: date) -> Incident:
    """The local authority told the safeguarding partners on `on`."""
    with store.transaction():
        incident = store.incident(ref)
        _not_recorded(incident, "partners_informed", "telling the partners")
        _not_before(on, incident.aware, "telling the partners", "the aware date")
        store.update_incident(incident.ref, partners_informed=on)
    return replace(incident, partners_informed=on)


def _review_allowed(incident: Incident) -> None:
    if not incident.rapid_review_expected:
        raise BadInput(
            f"{incident.ref}: no rapid review is expected for a looked-after child's death "
            "without abuse or neglect known or suspected"
        )
    if incident.notified is None:
        raise BadInput(f"{incident.ref}: record the notification first ('csprcli incident notify {incident.ref} --on DATE')")


def start_review(store: Store, ref: str, *, on: date) -> Incident:
    """The rapid review was triggered on `on`."""
    with store.transaction():
        incident = store.incident(ref)
        _review_allowed(incident)
        _not_recorded(incident, "rr_started", "the rapid review's start")
        _not_before(on, incident.notified, "the rapid review's start", "the notification")
        if incident.decided is not None and on > incident.decided:
            raise BadInput(f"the rapid review's start ({on.isoformat()}) cannot be after its decision ({incident.decided.isoformat()})")
        store.update_incident(incident.ref, rr_started=on)
    return replace(incident, rr_started=on)


def decide(store: Store, ref: str, *, outcome: Outcome, on: date, reason: str) -> Incident:
    """The rapid review's decision, with its reasons. criteria-not-met closes the review clocks."""
    reason = _text(reason, "--reason", REASON_LIMIT, required=True)
    with store.transaction():
        incident = store.incident(ref)
        _review_allowed(incident)
        _not_recorded(incident, "decided", "the decision")
        _not_before(on, incident.notified, "the decision", "the notification")
        _not_before(on, incident.rr_started, "the decision", "the rapid review's start")
        store.update_incident(incident.ref, decided=on, outcome=outcome, reason=reason)
    return replace(incident, decided=on, outcome=outcome, reason=reason)


def submit_review(store: Store, ref: str, *, on: date) -> Incident:
    """The rapid review was sent to the Panel on `on`."""
    with store.transaction():
        incident = store.incident(ref)
        _review_allowed(incident)
        if incident.decided is None:
            raise BadInput(f"{incident.ref}: record the decision first ('csprcli review decide {incident.ref} ...')")
        if incident.outcome == Outcome.CRITERIA_NOT_MET:
            raise BadInput(f"{incident.ref}: the criteria were not met, so no rapid review goes to the Panel")
        _not_recorded(incident, "rr_sent", "sending the rapid review")
        _not_before(on, incident.decided, "sending the rapid review", "the decision")
        store.update_incident(incident.ref, rr_sent=on)
    return replace(incident, rr_sent=on)


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


def case(store: Store, calendar: WorkingCalendar, ref: str, as_of: date) -> Case:
    incident = store.incident(ref)
    return Case(incident, clocks(incident, calendar, as_of))


def cases(store: Store, calendar: WorkingCalendar, as_of: date) -> list[Case]:
    return [Case(i, clocks(i, calendar, as_of)) for i in store.incidents()]


def overdue(all_cases: list[Case]) -> list[Clock]:
    """Every overdue milestone, most working days overdue first."""
    found = [c for case in all_cases for c in case.clocks if c.status == Status.OVERDUE]
    return sorted(found, key=lambda c: (-c.working_days, c.due, c.ref, c.milestone))


def upcoming(all_cases: list[Case], calendar: WorkingCalendar, as_of: date, within: int) -> list[Clock]:
    """Open milestones due from `as_of` up to `within` working days after it, soonest first."""
    horizon = calendar.add(as_of, within)
    found = [c for case in all_cases for c in case.clocks if c.status == Status.OPEN and c.due <= horizon]
    return sorted(found, key=lambda c: (c.due, c.ref, c.milestone))


RULE_BY_MILESTONE = {rule.milestone: rule for rule in RULES}
