"""The Child Death Overview Panel's register (domain.md section 2): checks against the panel's
remit, the stages of a review, pauses, links to serious incidents and the yearly counts.
"""

import re
from datetime import date

from csprcli.dates import shown
from csprcli.checks import check_death_ref, short_name, not_before
from csprcli.errors import BadInput
from csprcli.model import DEATH_AGE_BANDS, Abuse, Clock, Death, DeathKind, DeathStage, Nature
from csprcli.rules import clocks, death_rule_for
from csprcli.service import Rulebook, writing
from csprcli.store import Store


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
        raise BadInput(f"--age: {shown(text)} is not an age; write it as 17y 364d, 16 years, 3 months, 5 weeks or 12 days")
    days = 0
    for number, unit in parts:
        days += int(number) * {"y": 365, "m": 30, "w": 7, "d": 1}[unit[0]]
    return divmod(days, 365)


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
    with writing(store):
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
    with writing(store):
        death = store.death(ref)
        field = STAGE_FIELDS[stage]
        if getattr(death, field) is not None:
            raise BadInput(f"{death.ref}: {stage} is already recorded ({getattr(death, field).isoformat()})")
        not_before(on, death.died, f"the {stage} stage", "the death")
        changes: dict = {field: on}
        if stage == DeathStage.JAR and not death.jar_needed:
            raise BadInput(f"{death.ref}: no Joint Agency Response was needed for this death")
        if stage == DeathStage.REVIEWED:
            if death.meeting is None:
                raise BadInput(f"{death.ref}: record the child death review meeting first")
            if not category or modifiable is None:
                raise BadInput("a completed panel review needs --category and --modifiable or --not-modifiable")
            not_before(on, death.meeting, "the panel review", "the review meeting")
            changes |= {
                "category": short_name(category, "--category"),
                "modifiable": modifiable,
                "paused_since": None,
                "pause_reason": None,
            }
        store.update_death(death.ref, **changes)
    return store.death(ref)


def pause_death(store: Store, ref: str, *, on: date, reason: str) -> Death:
    """The review waits, for an inquest or an investigation."""
    reason = short_name(reason, "--reason", required=True)
    with writing(store):
        death = store.death(ref)
        if death.reviewed:
            raise BadInput(f"{death.ref}: the panel review is complete")
        if death.paused_since:
            raise BadInput(
                f"{death.ref}: already waiting since {death.paused_since.isoformat()} ({death.pause_reason})"
            )
        not_before(on, death.died, "the pause", "the death")
        store.update_death(death.ref, paused_since=on, pause_reason=reason)
    return store.death(ref)


def resume_death(store: Store, ref: str) -> Death:
    with writing(store):
        death = store.death(ref)
        if not death.paused_since:
            raise BadInput(f"{death.ref}: the review is not waiting")
        store.update_death(death.ref, paused_since=None, pause_reason=None)
    return store.death(ref)


def link_death(store: Store, ref: str, incident_ref: str) -> Death:
    """Link a death to the serious incident notified for it; each shows the other."""
    with writing(store):
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

