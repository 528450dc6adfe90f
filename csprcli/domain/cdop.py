"""The Child Death Overview Panel's rules (domain.md section 2), pure: ages as typed, the
remit, the order of the review's stages and the ten categories of death (the yearly figures are
services/report_deaths.py's).

Sources: Child Death Review Statutory and Operational Guidance (England) 2018 (the remit, the
stages and their order); the National Child Mortality Database's CDOP analysis form (the ten
categories of death, modifiable factors) and its age bands. No database, clock or printing here:
the service hands the deaths in and the as-of date down.
"""

import re
from datetime import date
from typing import Any

from csprcli.domain.errors import BadInput
from csprcli.domain.dates import human_date
from csprcli.domain.model import ADULT_YEARS, DEATH_CATEGORY_TITLES, Death, completed_years, implied_birth
from csprcli.domain.vocabulary import DeathCategory, DeathStage

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
    pauses = tuple(p._replace(end=None) if p.end and p.end > as_of else p for p in death.pauses if p.start <= as_of)
    return death._replace(**later, pauses=pauses)
