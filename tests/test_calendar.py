"""Working days, against dates worked out by hand and against GOV.UK's published list.

Every expected date below was counted by hand on a calendar (the working is in the
comment beside it) or comes from domain.md section 3's worked examples; none was
produced by csprcli.
"""

import random
from datetime import date, timedelta

import pytest

from csprcli.domain.calendar import WorkingCalendar
from conftest import published_bank_holidays

D = date.fromisoformat
CAL = WorkingCalendar()


@pytest.mark.parametrize(
    "start, n, expected",
    [
        # domain.md section 3, worked examples
        ("2025-12-17", 5, "2025-12-24"),  # SIN: aware Wed 17 Dec 2025
        ("2025-12-19", 5, "2025-12-30"),  # SIN: aware Fri 19 Dec 2025, over Christmas
        ("2026-04-04", 5, "2026-04-13"),  # SIN: aware Sat 4 Apr 2026, Easter Monday skipped
        ("2025-12-24", 15, "2026-01-19"),  # RR: SIN Wed 24 Dec 2025
        ("2026-04-01", 15, "2026-04-24"),  # RR: SIN Wed 1 Apr 2026, over Easter
        ("2026-12-11", 15, "2027-01-06"),  # RR: SIN Fri 11 Dec 2026, over Christmas and New Year
        ("2026-06-01", -7, "2026-05-20"),  # report to the Panel, 7 WD before publication Mon 1 Jun 2026
    ],
)
def test_worked_examples_from_domain(start, n, expected):
    assert CAL.add(D(start), n) == D(expected)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        # 2020: Christmas Fri 25, Boxing Day Sat 26 -> substitute Mon 28; New Year Fri 1 Jan 2021.
        # Thu 24 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4), Mon 4 Jan (5)
        ("2020-12-23", 5, "2021-01-04"),
        # 2021: Christmas Sat 25 and Boxing Day Sun 26 -> Mon 27 and Tue 28; New Year Sat 1 Jan -> Mon 3 Jan 2022.
        # Wed 29 (1), Thu 30 (2), Fri 31 (3), Tue 4 (4), Wed 5 (5)
        ("2021-12-24", 5, "2022-01-05"),
        # 2022: Boxing Day Mon 26, Christmas Sun 25 -> Tue 27; New Year Sun 1 Jan -> Mon 2 Jan 2023.
        # Wed 28 (1), Thu 29 (2), Fri 30 (3), Tue 3 (4), Wed 4 (5)
        ("2022-12-23", 5, "2023-01-04"),
        # 2026: Christmas Fri 25, Boxing Day Sat 26 -> Mon 28; New Year Fri 1 Jan 2027.
        # Tue 29 (1), Wed 30 (2), Thu 31 (3), Mon 4 (4), Tue 5 (5)
        ("2026-12-24", 5, "2027-01-05"),
        # 2027: Christmas Sat 25 -> Mon 27, Boxing Day Sun 26 -> Tue 28; New Year Sat 1 Jan -> Mon 3 Jan 2028.
        # Wed 29 (1), Thu 30 (2), Fri 31 (3), Tue 4 (4), Wed 5 (5)
        ("2027-12-24", 5, "2028-01-05"),
    ],
)
def test_christmas_and_new_year_with_substitute_days(start, n, expected):
    assert CAL.add(D(start), n) == D(expected)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        # Easter 2026: Good Friday 3 Apr, Easter Monday 6 Apr. Tue 7 (1) .. Fri 10 (4), Mon 13 (5)
        ("2026-04-02", 5, "2026-04-13"),
        ("2026-04-03", 5, "2026-04-13"),  # starting on Good Friday itself
        # Easter 2025: Good Friday 18 Apr, Easter Monday 21 Apr.
        # Thu 10 (1), Fri 11 (2), 14-17 (3-6), Tue 22 (7) .. Fri 25 (10), Mon 28 (11) .. Thu 1 May (14), Fri 2 May (15)
        ("2025-04-09", 15, "2025-05-02"),
    ],
)
def test_easter(start, n, expected):
    assert CAL.add(D(start), n) == D(expected)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        # 2022 Platinum Jubilee: the Spring bank holiday moved to Thu 2 Jun, and Fri 3 Jun was added,
        # so Mon 30 May 2022 was a working day. Wed 1 Jun (1), Mon 6 (2), Tue 7 (3), Wed 8 (4), Thu 9 (5)
        ("2022-05-31", 5, "2022-06-09"),
        # Mon 30 May (1), Tue 31 (2), Wed 1 Jun (3), Mon 6 (4), Tue 7 (5)
        ("2022-05-27", 5, "2022-06-07"),
        # 2022 State Funeral, Mon 19 Sep: Tue 20 (1) .. Fri 23 (4), Mon 26 (5)
        ("2022-09-16", 5, "2022-09-26"),
        # 2023 Coronation, Mon 8 May, a week after the Early May bank holiday, Mon 1 May:
        # Tue 2 (1), Wed 3 (2), Thu 4 (3), Fri 5 (4), Tue 9 (5)
        ("2023-04-28", 5, "2023-05-09"),
        # Tue 2 May (1) .. Fri 5 (4), Tue 9 (5) .. Fri 12 (8), Mon 15 (9) .. Fri 19 (13), Mon 22 (14), Tue 23 (15)
        ("2023-04-28", 15, "2023-05-23"),
    ],
)
def test_one_off_bank_holidays_2022_and_2023(start, n, expected):
    assert CAL.add(D(start), n) == D(expected)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        # A Sunday start: Mon 21 (1) .. Thu 24 (4), Tue 29 (5)
        ("2026-12-20", 5, "2026-12-29"),
        # A bank-holiday start, Late Summer bank holiday Mon 25 Aug 2025: Tue 26 (1) .. Fri 29 (4), Mon 1 Sep (5)
        ("2025-08-25", 5, "2025-09-01"),
        # Zero gives the start itself, even on a weekend or a bank holiday
        ("2026-04-04", 0, "2026-04-04"),
        ("2025-12-25", 0, "2025-12-25"),
        # Counting back over Christmas, for a publication planned on Mon 4 Jan 2027:
        # Thu 31 Dec (1), Wed 30 (2), Tue 29 (3), Thu 24 (4), Wed 23 (5), Tue 22 (6), Mon 21 (7)
        ("2027-01-04", -7, "2026-12-21"),
        # Counting back from a Saturday: Fri 3 Apr 2026 is Good Friday, so Thu 2 Apr (1)
        ("2026-04-04", -1, "2026-04-02"),
    ],
)
def test_weekend_and_bank_holiday_starts_and_zero_and_counting_back(start, n, expected):
    assert CAL.add(D(start), n) == D(expected)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("2025-12-17", "2025-12-24", 5),
        ("2025-12-19", "2025-12-30", 5),
        ("2026-06-01", "2026-05-20", -7),
        ("2026-01-16", "2026-01-17", 0),  # Friday to Saturday: no working day after the Friday
        ("2026-01-16", "2026-01-19", 1),
        ("2026-01-16", "2026-01-16", 0),
        # after Wed 24 Dec 2025 up to Thu 29 Jan 2026: 29, 30, 31 Dec (3), Fri 2 Jan (4),
        # then 5-9 (9), 12-16 (14), 19-23 (19), 26-29 (23)
        ("2025-12-24", "2026-01-29", 23),
    ],
)
def test_between_counts_days_after_a_up_to_and_including_b(a, b, expected):
    assert CAL.between(D(a), D(b)) == expected


@pytest.mark.parametrize("year", range(2012, 2028))
def test_bank_holidays_match_the_published_list(year):
    published = {d for d in published_bank_holidays() if d.year == year}
    assert set(CAL.bank_holidays(year)) == published


def test_weekend_dates_of_christmas_are_not_reported_as_bank_holidays():
    # Christmas Day 2027 is a Saturday: the bank holiday is Monday 27 December.
    assert D("2027-12-25") not in CAL.bank_holidays(2027)
    assert CAL.bank_holidays(2027)[D("2027-12-27")].startswith("Christmas Day")


def _naive_workday(start: date, n: int, closed: set[date]) -> date:
    """WORKDAY by stepping one day at a time: the officer's spreadsheet rule, written independently."""
    step = 1 if n > 0 else -1
    day, left = start, abs(n)
    while left:
        day += timedelta(days=step)
        if day.weekday() < 5 and day not in closed:
            left -= 1
    return day


def test_add_and_between_agree_with_a_day_by_day_count_over_the_published_list():
    published = set(published_bank_holidays())
    rng = random.Random(20261126)
    first, last = D("2012-02-01").toordinal(), D("2027-10-31").toordinal()
    for _ in range(3000):
        start = date.fromordinal(rng.randint(first, last))
        n = rng.randint(-40, 40)
        expected = _naive_workday(start, n, published)
        assert CAL.add(start, n) == expected, (start, n)
        assert CAL.between(start, expected) == n, (start, n)


def test_a_closure_day_moves_a_deadline_that_crosses_it():
    # Aware Wed 17 Dec 2025: due Wed 24 Dec. Closed on Mon 22 Dec: Thu 18 (1), Fri 19 (2),
    # Tue 23 (3), Wed 24 (4), Mon 29 (5), as Christmas and Boxing Day are bank holidays.
    closed = WorkingCalendar({D("2025-12-22"): "Staff training"})
    assert closed.add(D("2025-12-17"), 5) == D("2025-12-29")
    assert closed.between(D("2025-12-17"), D("2025-12-29")) == 5
    assert closed.closed_reason(D("2025-12-22")) == "Staff training"
    assert not closed.is_working_day(D("2025-12-22"))


def test_skipped_names_every_non_working_day_in_a_span():
    skipped = CAL.skipped(D("2025-12-19"), D("2025-12-30"))
    assert [d for d, _ in skipped] == [
        D("2025-12-20"),
        D("2025-12-21"),
        D("2025-12-25"),
        D("2025-12-26"),
        D("2025-12-27"),
        D("2025-12-28"),
    ]
    assert dict(skipped)[D("2025-12-25")] == "Christmas Day"
    assert dict(skipped)[D("2025-12-20")] == "Saturday"


def test_counts_far_from_the_start_year_widen_the_calendar():
    # 260 working days is about a year: the answer lies in a year the calendar had not yet held.
    start = D("2026-01-05")
    assert CAL.add(start, 600) == _naive_workday(start, 600, set(published_bank_holidays()))
    assert CAL.add(start, -600) == _naive_workday(start, -600, set(published_bank_holidays()))


def test_closure_days_count_in_every_year_the_calendar_widens_to():
    # Each year's working days are worked out once, when a question first reaches it: a closure
    # day must count whichever way, and however late, the calendar widens to its year (all within
    # the published list's years, 2012-2028).
    closures = {D("2019-03-04"): "Training", D("2023-06-05"): "Move", D("2027-03-01"): "Audit"}
    closed = set(published_bank_holidays()) | set(closures)
    rng = random.Random(20261203)
    cal = WorkingCalendar(closures)
    for start in (D("2023-06-01"), D("2027-02-25"), D("2019-02-28"), D("2023-05-31")):
        for n in (3, 5, -3, rng.randint(-300, 300)):
            expected = _naive_workday(start, n, closed)
            assert cal.add(start, n) == expected, (start, n)
            assert cal.between(start, expected) == n, (start, n)
