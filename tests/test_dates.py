from datetime import date

import pytest

from csprcli.domain.dates import parse_date, parse_past_date
from csprcli.domain.errors import BadInput

TODAY = date(2026, 4, 10)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-04-03", date(2026, 4, 3)),
        ("03/04/2026", date(2026, 4, 3)),  # day first: 3 April, never 4 March
        ("3/4/2026", date(2026, 4, 3)),
        ("03/04/26", date(2026, 4, 3)),
        ("3 April 2026", date(2026, 4, 3)),
        ("3 Apr 2026", date(2026, 4, 3)),
        ("3rd April 2026", date(2026, 4, 3)),
        ("  3  APRIL  2026 ", date(2026, 4, 3)),
        ("13/12/2025", date(2025, 12, 13)),
        ("29/02/2024", date(2024, 2, 29)),
        ("1 Sept 2026", date(2026, 9, 1)),
        ("today", TODAY),
        ("Today", TODAY),
        ("yesterday", date(2026, 4, 9)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date(text, as_of=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2026",  # no such day
        "29/02/2026",  # not a leap year
        "12/13/2026",  # month-first: refused, never guessed
        "2026-4-3",  # ISO needs two-digit month and day
        "04-03-2026",
        "3 Aprill 2026",
        "April 3 2026",  # month-first written form
        "tomorrow",
        "",
        "2026/04/03",
        "3/4",
        "32 May 2026",
        "1/1/1850",  # outside the years kept
        "=cmd|' /C calc'!A0",
    ],
)
def test_refusals_name_the_accepted_forms(text):
    with pytest.raises(BadInput) as refused:
        parse_date(text, as_of=TODAY, what="--aware")
    message = str(refused.value)
    assert message.startswith("--aware: ")
    assert "\n" not in message


def test_a_refusal_shows_the_accepted_forms():
    with pytest.raises(BadInput, match=r"2026-04-03, 03/04/2026"):
        parse_date("next week", as_of=TODAY)


def test_an_impossible_day_first_date_says_it_is_read_day_first():
    with pytest.raises(BadInput, match="looks month-first: did you mean 13/12/2026.*day first"):
        parse_date("12/13/2026", as_of=TODAY)


def test_past_dates_refuse_the_future():
    assert parse_past_date("10/04/2026", as_of=TODAY, what="--on") == TODAY
    with pytest.raises(BadInput, match="after the as-of date Fri 10 Apr 2026"):
        parse_past_date("11/04/2026", as_of=TODAY, what="--on")
