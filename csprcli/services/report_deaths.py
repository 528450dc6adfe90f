"""The Child Death Overview Panel's yearly figures (domain.md section 2), one function per section:
deaths in the year, reviews completed in the year, reviews open at the end of the period, and
non-resident children apart. services/deaths.py hands the deaths in; the incidents' yearly
figures are in services/report.py.

Pure: the deaths, the notification target and the as-of date are handed in.
"""

from collections import Counter
from collections.abc import Callable
from datetime import date

from csprcli.domain import labels
from csprcli.domain.cdop import as_known_on
from csprcli.domain.dates import human_date
from csprcli.domain.figures import Figure, Median, Rate, Share, figure, median, share
from csprcli.domain.model import DEATH_AGE_BANDS, DEATH_CATEGORY_TITLES, Death, add_months
from csprcli.domain.vocabulary import DeathCategory

Value = int | Share | Median | Rate | None


def figures(
    deaths: list[Death],
    first: date,
    last: date,
    as_of: date,
    *,
    notification_due: Callable[[Death], date],
    notify_days: int,
    population: tuple[int, str, str] | None = None,
) -> list[Figure]:
    """The panel's yearly figures for the period `first` to `last`, as known at the end of `as_of`.
    `notification_due` gives each death's notification target (the rule's clock), `notify_days` words it.
    `population`: the area's children (number, year, source; setting child-population), for the rate
    of deaths per 10,000 children; no rate without it.

    Two populations, as CDOPs report them: deaths that occurred in the period, and reviews
    completed in the period (whatever the year of death). Children not normally resident in
    the area, reviewed by agreement, are counted apart and never in the resident totals.
    """
    known = [as_known_on(d, as_of) for d in deaths if d.died <= as_of]
    resident = [d for d in known if d.resident]
    died = _died_in(resident, first, last)
    done = _reviewed_in(resident, first, last)
    return [
        *deaths_in_the_year(died, first, last, as_of, notification_due, notify_days, population),
        *deaths_in_the_year_by_group(died, first, last),
        *reviews_completed_in_the_year(done, first, last),
        *time_paused_by_reason(done, first, last),
        *reviews_open_at_the_end(resident, min(last, as_of)),
        *non_resident_children([d for d in known if not d.resident], first, last),
    ]


def deaths_in_the_year(
    died: list[Death],
    first: date,
    last: date,
    as_of: date,
    notification_due: Callable[[Death], date],
    notify_days: int,
    population: tuple[int, str, str] | None,
) -> list[Figure]:
    """Deaths that occurred in the period (residents): expected or not, notified in time, reviewed,
    with a Joint Agency Response, and the rate per 10,000 children where the population is known."""
    out: list[Figure] = []
    add = _adder(out, "deaths in the year")
    base = _died_base(first, last)
    add("deaths", len(died), base)
    add("expected", sum(d.expected for d in died), base + ", recorded as expected")
    add("unexpected", sum(not d.expected for d in died), base + ", recorded as unexpected")
    # As the incident report counts a share within a limit: the deaths whose notification fell due by
    # the as-of day or that were notified; one not yet notified counts against, and is counted outstanding.
    due = [d for d in died if d.notified or notification_due(d) < as_of]
    on_time = [d for d in due if d.notified and d.notified <= notification_due(d)]
    outstanding = sum(d.notified is None for d in due)
    add(
        "notified within the local target",
        share(len(on_time), len(due), outstanding),
        f"notified to the CDOP on or before {notify_days} calendar day{'s' if notify_days != 1 else ''} after "
        "the death (the local target, 24 hours; setting cdop-notification), out of every death of the period "
        f"whose notification fell due by {human_date(as_of)} or was made; one not yet notified counts against",
        "share",
    )
    add(
        "not yet notified",
        sum(d.notified is None for d in died),
        base + f", with no notification recorded by {human_date(as_of)}",
    )
    add(
        "reviews completed",
        sum(d.reviewed is not None for d in died),
        base + f", with the CDOP review completed by {human_date(as_of)} (in the period or after it)",
    )
    add(
        "Joint Agency Responses held",
        sum(d.jar is not None for d in died),
        base + f", with a Joint Agency Response recorded by {human_date(as_of)}",
    )
    if population is not None:
        children, year, source = population
        add(
            "deaths per 10,000 children",
            Rate(len(died), children, year, source),
            f"{base}, per 10,000 of the area's children (0-17) as the partnership recorded them "
            "(setting child-population: the number, its year and its source); to one decimal place",
        )
    return out


def deaths_in_the_year_by_group(died: list[Death], first: date, last: date) -> list[Figure]:
    """The period's deaths (residents) by age band, sex, ethnicity and place of death."""
    base = _died_base(first, last)
    out = [
        figure(
            "deaths in the year by age band",
            band,
            sum(d.age_band == band for d in died),
            base + "; age on the calendar from the date of death",
        )
        for band in DEATH_AGE_BANDS
    ]
    for section, field, words, note in (
        ("deaths in the year by sex", "sex", labels.SEX, "; the child's sex as recorded"),
        ("deaths in the year by ethnicity", "ethnicity", labels.ETHNICITY, "; DfE's main ethnic groups"),
        ("deaths in the year by place of death", "place", labels.PLACE, "; where the child died"),
    ):
        counted = Counter(getattr(d, field) for d in died)
        out += [figure(section, label, counted[value], base + note) for value, label in words.items()]
        out.append(figure(section, labels.NOT_RECORDED, counted[None], base + note))
    return out


def reviews_completed_in_the_year(done: list[Death], first: date, last: date) -> list[Figure]:
    """Reviews completed in the period (residents), whatever the year of death: how many, by
    category, with modifiable factors, within 6 and 12 months, by age band, the median time."""
    base = _reviewed_base(first, last)
    out: list[Figure] = []
    add = _adder(out, "reviews completed in the year")
    add("reviews completed", len(done), base)
    add(
        "of deaths before the period",
        sum(d.died < first for d in done),
        base + f"; the death dated before {human_date(first)}",
    )
    out += reviews_by_category(done, base)
    add(
        "with modifiable factors",
        share(sum(bool(d.modifiable) for d in done), len(done)),
        base + "; the panel found modifiable factors, out of every review completed",
        "share",
    )
    for months in (6, 12):
        add(
            f"completed within {months} months of the death",
            share(sum(_reviewed_on(d) <= add_months(d.died, months) for d in done), len(done)),
            base + f"; completed on or before the same day {months} calendar months after the death (the month's "
            "last day where it has no such day), out of every review completed",
            "share",
        )
    for category in DeathCategory:
        of_category = [d for d in done if d.category == category]
        out.append(
            figure(
                "reviews completed in the year, modifiable factors by category",
                DEATH_CATEGORY_TITLES[category],
                share(sum(bool(d.modifiable) for d in of_category), len(of_category)),
                base + "; of the reviews of each category of death, those that found modifiable factors",
                "share",
            )
        )
    section = "reviews completed in the year by age band"
    out += [figure(section, band, sum(d.age_band == band for d in done), base) for band in DEATH_AGE_BANDS]
    add(
        "median days from death to review",
        median([(_reviewed_on(d) - d.died).days for d in done]),
        base + "; calendar days from the date of death to the review's completion",
        "median",
    )
    return out


def reviews_by_category(done: list[Death], base: str) -> list[Figure]:
    """The reviews completed by category of death (NCMD's ten), and those recorded before them."""
    out: list[Figure] = []
    add = _adder(out, "reviews completed in the year by category")
    for category in DeathCategory:
        add(
            DEATH_CATEGORY_TITLES[category],
            sum(d.category == category for d in done),
            base + "; the category of death recorded at the review (NCMD's ten)",
        )
    if unknown := sum(d.category is None for d in done):  # only a review recorded before the ten categories
        add(
            "Not recorded",
            unknown,
            base + "; recorded before csprcli kept the ten categories ('death correct REF category ...')",
        )
    return out


def time_paused_by_reason(done: list[Death], first: date, last: date) -> list[Figure]:
    """The pauses of the reviews completed in the period, and the calendar days paused, by reason."""
    base = _reviewed_base(first, last)
    out: list[Figure] = []
    add = _adder(out, "reviews completed in the year, time paused by reason")
    waited: Counter[str] = Counter()
    days: Counter[str] = Counter()
    for d in done:
        for p in d.pauses:
            waited[p.reason] += 1
            days[p.reason] += p.days(_reviewed_on(d))
    for reason in sorted(waited):
        add(f"{reason}: pauses", waited[reason], base + "; each pause of these reviews, by its recorded reason")
        add(
            f"{reason}: days",
            days[reason],
            base + "; calendar days paused (the start day counted, the day it resumed not)",
            "days",
        )
    return out


def reviews_open_at_the_end(resident: list[Death], cut: date) -> list[Figure]:
    """Reviews still open at the end of the period (residents, any year of death), and what they wait for."""
    open_ = [d for d in resident if d.died <= cut and not (d.reviewed and d.reviewed <= cut)]
    base = f"deaths of resident children dated on or before {human_date(cut)} with no CDOP review completed by then"
    out = [figure("reviews open at the end of the period", "reviews open", len(open_), base)]
    add = _adder(out, "reviews open at the end of the period, waiting")
    reasons = Counter(_waiting_on(d, cut) for d in open_)
    for reason in sorted(r for r in reasons if r):
        add(reason, reasons[reason], base + f"; paused on {human_date(cut)}, by reason")
    add("not waiting", reasons[None], base + f"; not paused on {human_date(cut)}")
    return out


def non_resident_children(visitors: list[Death], first: date, last: date) -> list[Figure]:
    """Non-resident children, reviewed by agreement: apart from every figure above."""
    period = _period(first, last)
    base = "children not normally resident in the area, reviewed by agreement"
    away = _reviewed_in(visitors, first, last)
    out: list[Figure] = []
    add = _adder(out, "non-resident children")
    add("deaths in the year", len(_died_in(visitors, first, last)), f"{base}; deaths dated {period}")
    add("reviews completed in the year", len(away), f"{base}; CDOP reviews completed {period}")
    add(
        "with modifiable factors",
        share(sum(bool(d.modifiable) for d in away), len(away)),
        f"{base}; reviews completed {period} that found modifiable factors, out of those reviews",
        "share",
    )
    return out


def _adder(out: list[Figure], section: str) -> Callable[..., None]:
    """A function that adds a figure of `section` to `out`."""

    def add(measure: str, value: Value, definition: str, kind: str | None = None) -> None:
        out.append(figure(section, measure, value, definition, kind))

    return add


def _period(first: date, last: date) -> str:
    return f"from {human_date(first)} to {human_date(last)}"


def _died_base(first: date, last: date) -> str:
    return f"deaths of children normally resident in the area, dated {_period(first, last)}"


def _reviewed_base(first: date, last: date) -> str:
    return f"CDOP reviews of resident children's deaths completed {_period(first, last)}, whatever the date of death"


def _died_in(group: list[Death], first: date, last: date) -> list[Death]:
    return [d for d in group if first <= d.died <= last]


def _reviewed_in(group: list[Death], first: date, last: date) -> list[Death]:
    return [d for d in group if d.reviewed and first <= d.reviewed <= last]


def _reviewed_on(death: Death) -> date:
    """The day a death's review was completed, for the reviews completed in the period."""
    assert death.reviewed is not None  # only reviewed deaths are counted as reviews completed
    return death.reviewed


def _waiting_on(death: Death, day: date) -> str | None:
    return next((p.reason for p in death.pauses if p.start <= day and (p.end is None or p.end > day)), None)
