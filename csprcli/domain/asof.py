"""A case as it stood at the end of a day (domain.md section 6, "As-of"): what was dated later
has not happened yet. This is what makes a list or a report as of a past day reproducible.

Pure: the record and the day are handed in.
"""

from datetime import date
from typing import Any

from csprcli.domain.model import Death, Incident
from csprcli.domain.vocabulary import ActionStatus

# Each recorded date of an incident, with what was recorded with it.
INCIDENT_EVENTS = {
    "notified": ("sin_ref",),
    "partners_informed": (),
    "rr_started": (),
    "decided": ("outcome", "reason"),
    "rr_sent": (),
    "reviewer_appointed": ("reviewer",),
    "tor_agreed": (),
    "report_sent": (),
    "published": ("publication_type", "publication_rationale"),
}


def as_seen(record, as_of: date):
    """The record as it stood at the end of `as_of`: what was dated later has not happened yet."""
    if isinstance(record, Death):
        from csprcli.domain.cdop import as_known_on  # the death register's own stages and pauses

        return as_known_on(record, as_of)
    changes: dict[str, Any] = {}  # field name to its value as of then (a date, None or a tuple of events)
    for name, with_it in INCIDENT_EVENTS.items():
        day = getattr(record, name)
        if day is not None and day > as_of:
            changes[name] = None
            changes.update(dict.fromkeys(with_it))
    if isinstance(record, Incident):  # (each list looked into only when it has something in it)
        i = record
        if i.checks and any(c.checked_on > as_of for c in i.checks):
            changes["checks"] = tuple(c for c in i.checks if c.checked_on <= as_of)
        if i.pauses and any(p.start > as_of or (p.end and p.end > as_of) for p in i.pauses):
            changes["pauses"] = tuple(
                p if not p.end or p.end <= as_of else p._replace(end=None) for p in i.pauses if p.start <= as_of
            )
        if i.revisions and any(r.recorded_on > as_of for r in i.revisions):
            changes["revisions"] = tuple(r for r in i.revisions if r.recorded_on <= as_of)
        if i.exchange and any(s.day > as_of for s in i.exchange):
            changes["exchange"] = tuple(s for s in i.exchange if s.day <= as_of)
        if i.actions and any(
            a.closed_on and a.closed_on > as_of or a.recorded_on and a.recorded_on > as_of for a in i.actions
        ):
            changes["actions"] = tuple(
                a
                if not a.closed_on or a.closed_on <= as_of
                else a._replace(status=ActionStatus.OPEN, closed_on=None, evidence=None, signed_off_by=None)
                for a in i.actions
                if not a.recorded_on or a.recorded_on <= as_of  # an action recorded later was not on the record
            )
    return record._replace(**changes) if changes else record


def planned_as_it_stood(planned: date | None, changes: list[tuple[date, str | None]]) -> date | None:
    """A planned publication date as it stood on a day, from the date as it stands and the changes
    recorded after that day (oldest first, each with the planned date before it, ISO): each undone,
    newest first."""
    for _, before in reversed(changes):
        planned = date.fromisoformat(before) if before else None
    return planned


def last_dated(incident: Incident) -> date:
    """The latest date recorded on a case (its aware date at the least): as of then, the whole
    record is seen."""
    days = [incident.aware]
    days += [d for name in INCIDENT_EVENTS if (d := getattr(incident, name)) is not None]
    days += [c.checked_on for c in incident.checks] + [s.day for s in incident.exchange]
    days += [p.end or p.start for p in incident.pauses] + [r.recorded_on for r in incident.revisions]
    days += [a.closed_on for a in incident.actions if a.closed_on]
    return max(days)


def known_on(record, as_of: date) -> bool:
    """Whether a case existed by the end of `as_of` (the local authority was aware; the child had died)."""
    return (record.died if isinstance(record, Death) else record.aware) <= as_of
