"""The Child Death Overview Panel's rules (domain.md section 2), pure: ages as typed, the
remit, the order of the review's stages, the ten categories of death, and the yearly figures.

Sources: Child Death Review Statutory and Operational Guidance (England) 2018 (the remit, the
stages and their order); the National Child Mortality Database's CDOP analysis form (the ten
categories of death, modifiable factors) and its age bands. No database, clock or printing here:
the service hands the deaths in and the as-of date down.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from csprcli.domain.errors import BadInput
from csprcli.domain import labels
from csprcli.domain.figures import Figure, Median, Rate, Share, figure, median, share
from csprcli.domain.dates import human_date
from csprcli.domain.model import (
    ADULT_YEARS,
    DEATH_AGE_BANDS,
    DEATH_CATEGORY_TITLES,
    Death,
    DeathCategory,
    DeathStage,
    add_months,
    completed_years,
    implied_birth,
)

# -- ages -------------------------------------------------------------------------------------

_AGE_PART = re.compile(r"(\d{1,4})\s*(years?|yrs?|y|months?|mths?|mo|m|weeks?|wks?|w|days?|d)\b")
AGE_HELP = 'Age at death as typed: "17y 364d", "16 years", "3 months", "5 weeks 2 days", "12 days".'


def parse_age(text: str) -> tuple[int, int, int, int]:
    """An age as typed, as (years, months, weeks, days): kept as calendar quantities, never
    turned into days by a rule of thumb (a month is not 30 days, nor a year 365)."""
    cleaned = text.strip().lower()
    parts = _AGE_PART.findall(cleaned)
    if not parts or _AGE_PART.sub("", cleaned).replace(",", "").strip():
        raise BadInput("--age: that is not an age; write it as 17y 364d, 16 years, 3 months, 5 weeks or 12 days")
    totals = dict.fromkeys("ymwd", 0)
    units = [unit[0] for _, unit in parts]
    if len(set(units)) != len(units):
        raise BadInput("--age: give each unit once, e.g. 2y 3m, not 2y 2y")
    for number, unit in parts:
        totals[unit[0]] += int(number)
    years, months, weeks, days = totals.values()
    if years * 12 + months == 0 and not any(u[0] in "wd" for _, u in parts):
        said, finer = (
            ("0 years", "days, weeks or months")
            if any(u[0] == "y" for _, u in parts)
            else ("0 months", "days or weeks")
        )
        raise BadInput(
            f"--age: {said} does not say which band the death falls in (under a year the bands are 0-27 days "
            f"and 28-364 days): give the age in {finer}"
        )
    return years, months, weeks, days


def check_age(died: date, years: int, months: int, weeks: int, days: int) -> None:
    """Under 18 on the date of death, counted on the calendar (216 months is 18 years)."""
    if (
        years * 12 + months >= ADULT_YEARS * 12
        or completed_years(implied_birth(died, years, months, weeks, days), died) >= ADULT_YEARS
    ):
        raise BadInput(
            "that age is 18 years or more on the date of death: outside the panel's remit, "
            "which reviews the deaths of children under 18"
        )


# -- categories -------------------------------------------------------------------------------

CATEGORY_HELP = "The category of death (NCMD), one of: " + "; ".join(
    f"{c.value} ({t})" for c, t in DEATH_CATEGORY_TITLES.items()
)


def parse_category(text: str) -> DeathCategory:
    """One of the ten categories by its short name (any letter case); nothing else."""
    from csprcli.domain.choices import choose

    try:
        return choose(DeathCategory, text, "one of the ten categories of death")
    except BadInput as error:
        raise BadInput(f"--category: {error}") from None


# -- the stages, in the order the guidance sets ------------------------------------------------

STAGE_TITLES = {
    DeathStage.NOTIFIED: "notification",
    DeathStage.JAR: "Joint Agency Response",
    DeathStage.INFORMATION: "information gathering",
    DeathStage.MEETING: "child death review meeting",
    DeathStage.REVIEWED: "CDOP review",
}
ORDER = tuple(DeathStage)
ORDER_TEXT = (
    "notification, then a Joint Agency Response where the death was unexpected, information gathering, "
    "the child death review meeting, the CDOP review"
)


def stages(death: Death) -> tuple[DeathStage, ...]:
    """The stages this death's review goes through: the JAR only where one was needed."""
    return tuple(s for s in ORDER if s != DeathStage.JAR or death.jar_needed)


def check_record(death: Death) -> None:
    """Everything a death's record must agree with, whichever command wrote it (add, a stage,
    a pause, a correction). Raises BadInput with the reason for the first contradiction."""
    ref = death.ref
    check_age(death.died, death.age_years, death.age_months, death.age_weeks, death.age_days)
    if death.expected and death.jar_needed:
        raise BadInput(f"{ref}: a Joint Agency Response is for an unexpected death; this one is recorded as expected")
    if death.jar is not None and not death.jar_needed:
        raise BadInput(f"{ref}: no Joint Agency Response was needed for this death")
    for stage in ORDER:
        on = getattr(death, stage.value)
        if on is not None and on < death.died:
            raise BadInput(f"{ref}: the {STAGE_TITLES[stage]} cannot be before the death")
    chain = [s for s in stages(death)]
    for i, stage in enumerate(chain):
        on = getattr(death, stage.value)
        if on is None:
            continue
        for earlier in chain[:i]:
            then = getattr(death, earlier.value)
            if then is None:
                raise BadInput(
                    f"{ref}: the {STAGE_TITLES[stage]} comes after the {STAGE_TITLES[earlier]}, which is not "
                    f"recorded (the guidance's order: {ORDER_TEXT})"
                )
            if then > on:
                raise BadInput(
                    f"{ref}: the {STAGE_TITLES[stage]} ({human_date(on)}) cannot be before the "
                    f"{STAGE_TITLES[earlier]} ({human_date(then)}) (the guidance's order: {ORDER_TEXT})"
                )
    if death.reviewed is not None and (death.category is None or death.modifiable is None):
        raise BadInput(
            "a completed panel review needs its category of death and whether modifiable factors were found "
            "(--category, and --modifiable or --not-modifiable)"
        )
    if death.reviewed is None and (death.category is not None or death.modifiable is not None):
        raise BadInput(f"{ref}: the category of death and modifiable factors come with the CDOP review")
    last_end = None
    for pause in death.pauses:
        if pause.start < death.died:
            raise BadInput(f"{ref}: the pause cannot be before the death")
        if last_end is not None and pause.start < last_end:
            raise BadInput(f"{ref}: a pause cannot begin before the one before it ended ({human_date(last_end)})")
        if pause.end is not None and pause.end < pause.start:
            raise BadInput(f"{ref}: the review cannot resume ({human_date(pause.end)}) before it paused")
        if death.reviewed is not None and (pause.end is None or pause.end > death.reviewed):
            raise BadInput(
                f"{ref}: the review was waiting ({pause.reason}) when the CDOP review is recorded; "
                f"resume it first ('csprcli death resume {ref} --on DATE')"
            )
        last_end = pause.end or date.max


def as_known_on(death: Death, as_of: date) -> Death:
    """The death as the register stood at the end of `as_of`: what is dated later has not happened."""
    later: dict[str, Any] = {s.value: None for s in ORDER if (getattr(death, s.value) or date.min) > as_of}
    if "reviewed" in later:
        later |= {"category": None, "modifiable": None}
    pauses = tuple(replace(p, end=None) if p.end and p.end > as_of else p for p in death.pauses if p.start <= as_of)
    return replace(death, **later, pauses=pauses)


# -- the yearly figures ------------------------------------------------------------------------


def figures(
    deaths: list[Death],
    first: date,
    last: date,
    as_of: date,
    *,
    notification_due: Callable[[Death], date],
    notify_days: int,
    population: tuple[int, str, str] | None = None,
) -> list:
    """The panel's yearly figures for the period `first` to `last`, as known at the end of `as_of`.
    `notification_due` gives each death's notification target (the rule's clock), `notify_days` words it.
    `population`: the area's children (number, year, source; setting child-population), for the rate
    of deaths per 10,000 children; no rate without it.

    Two populations, as CDOPs report them: deaths that occurred in the period, and reviews
    completed in the period (whatever the year of death). Children not normally resident in
    the area, reviewed by agreement, are counted apart and never in the resident totals.
    """

    cut = min(last, as_of)
    known = [as_known_on(d, as_of) for d in deaths if d.died <= as_of]
    out: list[Figure] = []

    def add(
        section: str, measure: str, value: int | Share | Median | Rate | None, definition: str, kind: str | None = None
    ) -> None:
        out.append(figure(section, measure, value, definition, kind))

    def died_in(group):
        return [d for d in group if first <= d.died <= last]

    def reviewed_in(group):
        return [d for d in group if d.reviewed and first <= d.reviewed <= last]

    resident = [d for d in known if d.resident]
    visitors = [d for d in known if not d.resident]
    period = f"from {human_date(first)} to {human_date(last)}"

    # Deaths that occurred in the period (residents).
    died = died_in(resident)
    base = f"deaths of children normally resident in the area, dated {period}"
    add("deaths in the year", "deaths", len(died), base)
    add("deaths in the year", "expected", sum(d.expected for d in died), base + ", recorded as expected")
    add("deaths in the year", "unexpected", sum(not d.expected for d in died), base + ", recorded as unexpected")
    # As the incident report counts a share within a limit: the deaths whose notification fell due by
    # the as-of day or that were notified; one not yet notified counts against, and is counted outstanding.
    due = [d for d in died if d.notified or notification_due(d) < as_of]
    on_time = [d for d in due if d.notified and d.notified <= notification_due(d)]
    outstanding = sum(d.notified is None for d in due)
    add(
        "deaths in the year",
        "notified within the local target",
        share(len(on_time), len(due), outstanding),
        f"notified to the CDOP on or before {notify_days} calendar day{'s' if notify_days != 1 else ''} after "
        "the death (the local target, 24 hours; setting cdop-notification), out of every death of the period "
        f"whose notification fell due by {human_date(as_of)} or was made; one not yet notified counts against",
        "share",
    )
    add(
        "deaths in the year",
        "not yet notified",
        sum(d.notified is None for d in died),
        base + f", with no notification recorded by {human_date(as_of)}",
    )
    add(
        "deaths in the year",
        "reviews completed",
        sum(d.reviewed is not None for d in died),
        base + f", with the CDOP review completed by {human_date(as_of)} (in the period or after it)",
    )
    add(
        "deaths in the year",
        "Joint Agency Responses held",
        sum(d.jar is not None for d in died),
        base + f", with a Joint Agency Response recorded by {human_date(as_of)}",
    )
    if population is not None:
        children, year, source = population
        add(
            "deaths in the year",
            "deaths per 10,000 children",
            Rate(len(died), children, year, source),
            f"{base}, per 10,000 of the area's children (0-17) as the partnership recorded them "
            "(setting child-population: the number, its year and its source); to one decimal place",
        )
    for band in DEATH_AGE_BANDS:
        add(
            "deaths in the year by age band",
            band,
            sum(d.age_band == band for d in died),
            base + "; age on the calendar from the date of death",
        )
    for section, field, words, note in (
        ("deaths in the year by sex", "sex", labels.SEX, "; the child's sex as recorded"),
        ("deaths in the year by ethnicity", "ethnicity", labels.ETHNICITY, "; DfE's main ethnic groups"),
        ("deaths in the year by place of death", "place", labels.PLACE, "; where the child died"),
    ):
        counted = Counter(getattr(d, field) for d in died)
        for value, label in words.items():
            add(section, label, counted[value], base + note)
        add(section, labels.NOT_RECORDED, counted[None], base + note)

    # Reviews completed in the period (residents), whatever the year of death.
    done = reviewed_in(resident)
    base = f"CDOP reviews of resident children's deaths completed {period}, whatever the date of death"
    add("reviews completed in the year", "reviews completed", len(done), base)
    add(
        "reviews completed in the year",
        "of deaths before the period",
        sum(d.died < first for d in done),
        base + f"; the death dated before {human_date(first)}",
    )
    for category in DeathCategory:
        add(
            "reviews completed in the year by category",
            DEATH_CATEGORY_TITLES[category],
            sum(d.category == category for d in done),
            base + "; the category of death recorded at the review (NCMD's ten)",
        )
    if unknown := sum(d.category is None for d in done):  # only a review recorded before the ten categories
        add(
            "reviews completed in the year by category",
            "Not recorded",
            unknown,
            base + "; recorded before csprcli kept the ten categories ('death correct REF category ...')",
        )
    add(
        "reviews completed in the year",
        "with modifiable factors",
        share(sum(bool(d.modifiable) for d in done), len(done)),
        base + "; the panel found modifiable factors, out of every review completed",
        "share",
    )
    for months in (6, 12):
        add(
            "reviews completed in the year",
            f"completed within {months} months of the death",
            share(sum(d.reviewed <= add_months(d.died, months) for d in done), len(done)),
            base + f"; completed on or before the same day {months} calendar months after the death (the month's "
            "last day where it has no such day), out of every review completed",
            "share",
        )
    for category in DeathCategory:
        of_category = [d for d in done if d.category == category]
        add(
            "reviews completed in the year, modifiable factors by category",
            DEATH_CATEGORY_TITLES[category],
            share(sum(bool(d.modifiable) for d in of_category), len(of_category)),
            base + "; of the reviews of each category of death, those that found modifiable factors",
            "share",
        )
    for band in DEATH_AGE_BANDS:
        add("reviews completed in the year by age band", band, sum(d.age_band == band for d in done), base)
    add(
        "reviews completed in the year",
        "median days from death to review",
        median([(d.reviewed - d.died).days for d in done]),
        base + "; calendar days from the date of death to the review's completion",
        "median",
    )
    waited: Counter[str] = Counter()
    days: Counter[str] = Counter()
    for d in done:
        for p in d.pauses:
            waited[p.reason] += 1
            days[p.reason] += p.days(d.reviewed)
    for reason in sorted(waited):
        add(
            "reviews completed in the year, time paused by reason",
            f"{reason}: pauses",
            waited[reason],
            base + "; each pause of these reviews, by its recorded reason",
        )
        add(
            "reviews completed in the year, time paused by reason",
            f"{reason}: days",
            days[reason],
            base + "; calendar days paused (the start day counted, the day it resumed not)",
            "days",
        )

    # Reviews still open at the end of the period (residents, any year of death).
    open_ = [d for d in resident if d.died <= cut and not (d.reviewed and d.reviewed <= cut)]
    base = f"deaths of resident children dated on or before {human_date(cut)} with no CDOP review completed by then"
    add("reviews open at the end of the period", "reviews open", len(open_), base)
    reasons = Counter(_waiting_on(d, cut) for d in open_)
    for reason in sorted(r for r in reasons if r):
        add(
            "reviews open at the end of the period, waiting",
            reason,
            reasons[reason],
            base + f"; paused on {human_date(cut)}, by reason",
        )
    add(
        "reviews open at the end of the period, waiting",
        "not waiting",
        reasons[None],
        base + f"; not paused on {human_date(cut)}",
    )

    # Non-resident children, reviewed by agreement: apart from every figure above.
    base = "children not normally resident in the area, reviewed by agreement"
    away = reviewed_in(visitors)
    add("non-resident children", "deaths in the year", len(died_in(visitors)), f"{base}; deaths dated {period}")
    add("non-resident children", "reviews completed in the year", len(away), f"{base}; CDOP reviews completed {period}")
    add(
        "non-resident children",
        "with modifiable factors",
        share(sum(bool(d.modifiable) for d in away), len(away)),
        f"{base}; reviews completed {period} that found modifiable factors, out of those reviews",
        "share",
    )
    return out


def _waiting_on(death: Death, day: date) -> str | None:
    return next((p.reason for p in death.pauses if p.start <= day and (p.end is None or p.end > day)), None)
