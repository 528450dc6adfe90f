"""The Child Death Overview Panel's rules, pure: ages counted on the calendar, the remit, the
order of the stages. Checked against dateutil's calendar arithmetic, an independent count."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from csprcli.domain import cdop
from csprcli.domain.errors import BadInput
from csprcli.domain.model import Death, DeathPause, death_age_band


def by_dateutil(died: date, years: int, months: int, weeks: int, days: int) -> tuple[int, int]:
    """(completed years, days lived) by dateutil: the birthday counted back, then the age forward."""
    birth = died - relativedelta(years=years, months=months) - timedelta(weeks=weeks, days=days)
    return relativedelta(died, birth).years, (died - birth).days


@pytest.mark.slow
@settings()  # the profile's examples (tests/conftest.py)
@given(
    died=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    years=st.integers(0, 18),
    months=st.integers(0, 30),
    weeks=st.integers(0, 60),
    days=st.integers(0, 400),
)
def test_the_band_and_the_remit_agree_with_an_independent_calendar_count(died, years, months, weeks, days):
    full, lived = by_dateutil(died, years, months, weeks, days)
    if full >= 18:
        with pytest.raises(BadInput, match="18 years or more"):
            cdop.check_age(died, years, months, weeks, days)
        return
    cdop.check_age(died, years, months, weeks, days)
    band = death_age_band(died, years, months, weeks, days)
    if full == 0:
        assert band == ("0-27 days" if lived <= 27 else "28-364 days")
    else:
        low, high = next((a, b) for a, b in ((1, 4), (5, 9), (10, 14), (15, 17)) if a <= full <= b)
        assert band == f"{low}-{high} years"


@pytest.mark.parametrize(
    "typed, parsed",
    [
        ("17y 364d", (17, 0, 0, 364)),
        ("16 years", (16, 0, 0, 0)),
        ("3 months", (0, 3, 0, 0)),
        ("5 weeks 2 days", (0, 0, 5, 2)),
        ("12m", (0, 12, 0, 0)),
        ("1 year, 2 months", (1, 2, 0, 0)),
        ("0 days", (0, 0, 0, 0)),
        ("0y 0m 3d", (0, 0, 0, 3)),
    ],
)
def test_ages_are_kept_as_typed(typed, parsed):
    assert cdop.parse_age(typed) == parsed


@pytest.mark.parametrize("typed", ["0 years", "0y", "0 months", "0y 0m", "ten", "3", "2y 2y", "3 fortnights"])
def test_ages_that_name_no_band_or_no_age_are_refused(typed):
    with pytest.raises(BadInput):
        cdop.parse_age(typed)


def death(**changes) -> Death:
    base = Death("WS1", date(2026, 3, 2), 2, 0, True, False, True)
    return base._replace(**changes)


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"expected": True}, "a Joint Agency Response is for an unexpected death"),
        ({"meeting": date(2026, 3, 5)}, "comes after the notification, which is not recorded"),
        ({"notified": date(2026, 3, 2), "information": date(2026, 3, 5)}, "comes after the Joint Agency Response"),
        ({"notified": date(2026, 3, 3), "jar": date(2026, 3, 2)}, "cannot be before the notification"),
        ({"notified": date(2026, 3, 1)}, "cannot be before the death"),
        (
            {
                "notified": date(2026, 3, 2),
                "jar": date(2026, 3, 2),
                "information": date(2026, 3, 3),
                "meeting": date(2026, 3, 4),
                "reviewed": date(2026, 3, 5),
            },
            "needs its category of death",
        ),
        ({"pauses": (DeathPause(date(2026, 3, 5), "inquest", date(2026, 3, 4)),)}, "cannot resume"),
        (
            {"pauses": (DeathPause(date(2026, 3, 5), "inquest", date(2026, 4, 1)), DeathPause(date(2026, 3, 20), "x"))},
            "cannot begin before the one before it ended",
        ),
    ],
)
def test_a_record_that_contradicts_the_guidance_is_refused_with_the_reason(changes, reason):
    with pytest.raises(BadInput, match=reason):
        cdop.check_record(death(**changes))


def test_as_known_on_a_day_forgets_what_came_later():
    later = death(
        notified=date(2026, 3, 2),
        jar=date(2026, 3, 3),
        pauses=(DeathPause(date(2026, 3, 4), "inquest", date(2026, 3, 10)), DeathPause(date(2026, 3, 20), "trial")),
    )
    seen = cdop.as_known_on(later, date(2026, 3, 5))
    assert (seen.notified, seen.jar) == (date(2026, 3, 2), date(2026, 3, 3))
    assert seen.pauses == (DeathPause(date(2026, 3, 4), "inquest"),)  # still waiting then
    assert cdop.as_known_on(later, date(2026, 3, 2)).jar is None
