"""The Child Death Overview Panel's register (domain.md section 2): what each `death` command
does, through the store. The panel's rules (ages, remit, the order of the stages, categories,
the stages' order) are pure, in domain/cdop.py, the yearly figures in report_deaths.py; every write checks the whole record against them.
"""

from datetime import date

from csprcli.domain import cdop
from csprcli.domain.checks import REASON_LIMIT, check_death_ref, free_text, short_name
from csprcli.domain.dates import as_said, human_date, parse_past_date
from csprcli.domain.dates import shown as typed
from csprcli.domain.choices import nearest
from csprcli.domain.errors import BadInput
from csprcli.domain.lifecycle import clocks
from csprcli.domain.model import Death, DeathPause
from csprcli.domain.vocabulary import Abuse, DeathKind, DeathPlace, DeathStage, Ethnicity, Nature, Sex
from csprcli.domain.clock import Clock
from csprcli.domain.rules import parse_population
from csprcli.services import report_deaths
from csprcli.services.rulebook import Rulebook, rulebook
from csprcli.store.store import Store

EMPTY = ("", "none", "-")


def new_death(
    *,
    ref: str,
    kind: DeathKind,
    died: date,
    age: str,
    resident: bool,
    expected: bool,
    jar_needed: bool,
    abuse: Abuse,
    sex: Sex | None = None,
    ethnicity: Ethnicity | None = None,
    place: DeathPlace | None = None,
) -> Death:
    """Check a child death against the panel's remit before anything is written."""
    ref = check_death_ref(ref)
    if kind != DeathKind.CHILD:
        raise BadInput(
            f"a {kind.value.replace('-', ' ')} is outside the Child Death Overview Panel's remit: it reviews the deaths "
            "of live-born children under 18 (stillbirths, late foetal losses and legal terminations are excluded)"
        )
    years, months, weeks, days = cdop.parse_age(age)
    death = Death(
        ref,
        died,
        years,
        days,
        resident,
        expected,
        jar_needed,
        abuse,
        age_months=months,
        age_weeks=weeks,
        sex=sex,
        ethnicity=ethnicity,
        place=place,
    )
    cdop.check_record(death)
    return death


def add_death(store: Store, death: Death) -> list[str]:
    """Record a child death; returns warnings for the officer (a notification that may be due)."""
    with store.transaction():
        store.insert_death(death)
    if death.abuse != Abuse.NONE and death.incident_ref is None:
        return [
            f"{death.ref}: abuse or neglect is {death.abuse}: a serious incident notification may be due; record it "
            f"('csprcli incident add ...') and link it ('csprcli death link {death.ref} SI-...')"
        ]
    return []


def record_stage(
    store: Store, ref: str, stage: DeathStage, *, on: date, category: str | None = None, modifiable: bool | None = None
) -> Death:
    """A stage of the child death review was reached on `on`, in the order the guidance sets."""
    if stage != DeathStage.REVIEWED and (category is not None or modifiable is not None):
        raise BadInput("--category and --modifiable/--not-modifiable go with the 'reviewed' stage")
    with store.transaction():
        death = store.death(ref)
        recorded = getattr(death, stage.value)
        if recorded is not None:
            raise BadInput(
                f"{death.ref}: the {cdop.STAGE_TITLES[stage]} is already recorded ({human_date(recorded)}); "
                f"'csprcli death correct {death.ref} {stage.value} DATE --reason ...' changes it"
            )
        changes: dict = {stage.value: on}
        if stage == DeathStage.REVIEWED:
            changes |= {"category": cdop.parse_category(category) if category else None, "modifiable": modifiable}
        cdop.check_record(death._replace(**changes))
        store.update_death(death.ref, **changes)
    return store.death(ref)


def pause_death(store: Store, ref: str, *, on: date, reason: str) -> Death:
    """The review waits, for an inquest or an investigation. Every pause is kept with its dates."""
    reason = short_name(reason, "--reason", required=True)
    with store.transaction():
        death = store.death(ref)
        if death.reviewed:
            raise BadInput(f"{death.ref}: the panel review is complete")
        if death.waiting:
            raise BadInput(f"{death.ref}: already waiting since {human_date(death.waiting.start)}")
        pause = DeathPause(on, reason)
        cdop.check_record(death._replace(pauses=(*death.pauses, pause)))
        store.add_death_pause(death.ref, pause)
    return store.death(ref)


def resume_death(store: Store, ref: str, *, on: date) -> Death:
    """The review no longer waits, from `on`; the pause stays in the record with both dates."""
    with store.transaction():
        death = store.death(ref)
        pause = death.waiting
        if pause is None:
            raise BadInput(f"{death.ref}: the review is not waiting")
        if on < pause.start:
            raise BadInput(f"{death.ref}: the review cannot resume before it paused ({human_date(pause.start)})")
        store.end_death_pause(death.ref, pause.start, on)
    return store.death(ref)


def link_death(store: Store, ref: str, incident_ref: str) -> Death:
    """Link a death to the serious incident notified for it; each shows the other.

    Several deaths link to one incident only where the incident records that many children
    (an incident of several children who died); otherwise the second is refused.
    """
    with store.transaction():
        death = store.death(ref)
        incident = store.incident(incident_ref)
        if death.incident_ref:
            raise BadInput(
                f"{death.ref} is already linked to {death.incident_ref}; 'csprcli death unlink {death.ref}' undoes it"
            )
        if incident.nature != Nature.DEATH:
            raise BadInput(f"{incident.ref} is recorded as {incident.nature}, not a death")
        linked = [d.ref for d in store.deaths_linked_to(incident.ref)]
        children = max(len(incident.children), 1)
        if len(linked) >= children:
            raise BadInput(
                f"{incident.ref} records {children} child{'ren' if children != 1 else ''} and is already linked to "
                f"{', '.join(linked)}: a further death links only to an incident that records each child who died "
                f"('csprcli child add {incident.ref} ...' first, if this child belongs to it)"
            )
        store.update_death(death.ref, incident_ref=incident.ref)
    return store.death(ref)


def unlink_death(store: Store, ref: str) -> tuple[Death, str]:
    """Undo a link made in error; returns the death and the incident it was linked to."""
    with store.transaction():
        death = store.death(ref)
        if death.incident_ref is None:
            raise BadInput(f"{death.ref} is not linked to an incident")
        store.update_death(death.ref, incident_ref=None)
    return store.death(ref), death.incident_ref


# The facts `death correct` can change, by the name users type, with how to read the value typed.
DEATH_CORRECTABLE = {
    "died": "date",
    "age": "age",
    "expected": "yes/no",
    "jar-needed": "yes/no",
    "resident": "yes/no",
    "abuse": "abuse",
    **{stage.value: "date" for stage in DeathStage},
    "category": "category",
    "modifiable": "yes/no",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "place": "place",
}


CHARACTERISTIC_KINDS = {"sex": Sex, "ethnicity": Ethnicity, "place": DeathPlace}


def correct_death(
    store: Store, ref: str, field: str, value: str, *, reason: str, as_of: date
) -> tuple[Death, str, str]:
    """Correct one recorded fact of a child death, with a reason, and check the whole record
    again (the remit, the order of the stages). The earlier value stays in the history.

    Returns the corrected death, the old value and the new one, as text.
    """
    reason = free_text(reason, "--reason", REASON_LIMIT, required=True)
    if field not in DEATH_CORRECTABLE:
        guess = nearest(field, DEATH_CORRECTABLE)
        hint = f"; did you mean '{guess}'?" if guess else ""
        raise BadInput(f"{typed(field)} cannot be corrected{hint} (these can: {', '.join(DEATH_CORRECTABLE)})")
    kind = DEATH_CORRECTABLE[field]
    text = value.strip().lower()
    if text in EMPTY:
        if kind != "date" and field not in ("category", "modifiable", "sex", "ethnicity", "place") or field == "died":
            raise BadInput(f"{field} cannot be empty")
        new: dict = {field.replace("-", "_"): None}
    elif kind == "date":
        new = {field: parse_past_date(value, as_of=as_of, what=field)}
    elif kind == "age":
        years, months, weeks, days = cdop.parse_age(value)
        new = {"age_years": years, "age_months": months, "age_weeks": weeks, "age_days": days}
    elif kind == "yes/no":
        if text not in ("yes", "no"):
            raise BadInput(f"{field} is yes or no")
        new = {field.replace("-", "_"): text == "yes"}
    elif kind == "abuse":
        try:
            new = {"abuse": Abuse(text)}
        except ValueError:
            raise BadInput(f"abuse is one of {', '.join(Abuse)}") from None
    elif kind in CHARACTERISTIC_KINDS:
        from csprcli.domain.choices import choose

        new = {field: choose(CHARACTERISTIC_KINDS[kind], value)}
    else:
        new = {"category": cdop.parse_category(value)}
    with store.transaction(reason=reason):
        death = store.death(ref)
        updated = death._replace(**new)
        if updated == death:
            raise BadInput(f"{death.ref}: {field} is already that; nothing to correct")
        cdop.check_record(updated)
        store.update_death(death.ref, **new)

    def shown(d: Death) -> str:
        return d.age if field == "age" else as_said(getattr(d, field.replace("-", "_")))

    return updated, shown(death), shown(updated)


def death_clocks(death: Death, book: Rulebook, as_of: date) -> list[Clock]:
    """A death's clock as it stood at the end of `as_of` (the setting and closure days as they stood then)."""
    return clocks(death, book.calendar_on(as_of), as_of, (book.death_rule_on(as_of),))


def death_report(store: Store, first: date, last: date, as_of: date) -> list:
    """The panel's yearly figures (report_deaths.figures): deaths in the period and reviews completed in
    it, each population with its definition; non-resident children apart."""
    book = rulebook(store)
    rule, calendar = book.death_rule_on(as_of), book.calendar_on(as_of)  # as they stood that evening
    deaths = store.deaths_up_to(min(last, as_of))

    def notification_due(death: Death) -> date:
        due = clocks(death, calendar, as_of, (rule,))[0].due
        assert due is not None  # counted from the death, which every record has
        return due

    return report_deaths.figures(
        deaths,
        first,
        last,
        as_of,
        notification_due=notification_due,
        notify_days=rule.count,
        population=parse_population(book.settings_on(as_of).get("child-population", "none")),  # as that evening
    )
