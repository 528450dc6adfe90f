"""Working days in England: weekends, England and Wales bank holidays, local closures.

The rule (domain.md section 3, the spreadsheet WORKDAY rule): "within N working
days of D" leaves D itself out; day 1 is the first working day after D, even when
D is a weekend or a bank holiday. N = 0 gives D.

Pure: the bank holidays and closures are handed in; nothing here reads a database
or the clock.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from datetime import date, timedelta

# year -> {date: name} of that year's bank holidays on weekdays
BankHolidays = Callable[[int], Mapping[date, str]]


def england_and_wales_bank_holidays(year: int) -> dict[date, str]:
    """England and Wales bank holidays of `year` that fall on a weekday, by name.

    From the `holidays` package, country GB, subdivision ENG (without the
    subdivision Easter Monday and the August holiday are missing). It also lists
    Christmas, Boxing Day and New Year's Day when they fall on a weekend, beside the
    substitute weekday; the weekend dates are dropped here, so the result answers
    "is this weekday a bank holiday?" correctly.
    """
    import holidays  # slow to import: only on the paths that count working days

    found = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return {day: name for day, name in found.items() if day.weekday() < 5}


def england_and_wales_bank_holidays_between(first: int, last: int) -> dict[date, str]:
    """As england_and_wales_bank_holidays, for every year from `first` to `last`, in one pass."""
    import holidays

    found = holidays.country_holidays("GB", subdiv="ENG", years=range(first, last + 1))
    return {day: name for day, name in found.items() if day.weekday() < 5}


def stored(bank_holidays: Mapping[date, str], years: range | None = None) -> BankHolidays:
    """A bank-holiday source that reads from a mapping already worked out (as the database keeps it).
    `years`: the mapping holds only those years; the source refuses any other, never answers "none"."""
    by_year: dict[int, dict[date, str]] = {}
    for day, name in bank_holidays.items():
        by_year.setdefault(day.year, {})[day] = name

    def of_year(year: int) -> dict[date, str]:
        if years is not None and year not in years:
            raise ValueError(f"the bank holidays of {year} were not read (only {years.start} to {years.stop - 1})")
        return by_year.get(year, {})

    return of_year


def of_record(
    closures: Mapping[date, str], bank_holidays: Mapping[date, str] | None, years: range | None = None
) -> "WorkingCalendar":
    """The working calendar of a record: its closure days, and the bank holidays as the database
    keeps them (so that no command need import the `holidays` package), or, when it keeps none,
    from the package itself. `years`: the bank holidays given are those years' only."""
    return WorkingCalendar(closures, stored(bank_holidays, years)) if bank_holidays else WorkingCalendar(closures)


class WorkingCalendar:
    """Working days: Monday to Friday less bank holidays and closure days.

    Working days are kept as a sorted list of ordinals over a span of whole years,
    widened when a question reaches outside it, so each question is a binary search.
    """

    def __init__(
        self,
        closures: Mapping[date, str] | None = None,
        bank_holidays: BankHolidays = england_and_wales_bank_holidays,
    ):
        self._closures = dict(closures or {})
        self._bank_holidays = bank_holidays
        self._holidays: dict[date, str] = {}
        self._years: tuple[int, int] | None = None  # the first and last year held; None before any question
        self._days: list[int] = []
        self._of_year: dict[int, list[int]] = {}  # each year's working days, as _days joins them
        self._added: dict[tuple[date, int], date] = {}  # answers already worked out
        self._counted: dict[tuple[date, date], int] = {}
        self._national: WorkingCalendar | None = None

    def national(self) -> "WorkingCalendar":
        """The same calendar without the partnership's closure days: England-and-Wales working days
        only, what the national clocks count (a closure recorded later never moves them)."""
        if not self._closures:
            return self
        if self._national is None:
            self._national = WorkingCalendar({}, self._bank_holidays)
        return self._national

    # -- what a day is -------------------------------------------------------

    def closed_reason(self, day: date) -> str | None:
        """Why a weekday is not a working day (bank holiday name or closure reason), or None."""
        self._cover(day.year, day.year)
        if day in self._holidays:
            return self._holidays[day]
        return self._closures.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.closed_reason(day) is None

    def bank_holidays(self, year: int) -> dict[date, str]:
        """The weekday bank holidays of `year`, by name."""
        self._cover(year, year)
        return {d: n for d, n in self._holidays.items() if d.year == year}

    def closures(self, year: int | None = None) -> dict[date, str]:
        """The partnership's own closure days (of `year`, if given), with reasons."""
        return {d: r for d, r in sorted(self._closures.items()) if year is None or d.year == year}

    # -- arithmetic ----------------------------------------------------------

    def add(self, start: date, n: int) -> date:
        """The date n working days after `start` (before it, for negative n): WORKDAY(start, n).

        `start` itself is never counted, working day or not; n = 0 gives `start`.
        Example: add(Fri 19 Dec 2025, 5) is Tue 30 Dec 2025 (Christmas Day and
        Boxing Day are skipped); add(Mon 1 Jun 2026, -7) is Wed 20 May 2026
        (the Spring bank holiday, Mon 25 May, is skipped).
        """
        if n == 0:
            return start
        key = (start, n)
        if key in self._added:  # thousands of cases share a handful of trigger dates
            return self._added[key]
        spread = abs(n) // 200 + 1  # at least 250 working days a year
        self._cover(start.year - spread, start.year + spread)
        o = start.toordinal()
        i = bisect_right(self._days, o) + n - 1 if n > 0 else bisect_left(self._days, o) + n
        if not 0 <= i < len(self._days):  # cannot happen while a year holds 250 working days
            raise ValueError(f"{n} working days from {start} is outside the calendar held")
        self._added[key] = found = date.fromordinal(self._days[i])
        return found

    def between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b`; negative when `b` is before `a`.

        Counts the working days d with a < d <= b (or, when b < a, minus those with
        b <= d < a), so between(a, add(a, n)) == n for every n.
        Example: between(Wed 17 Dec 2025, Wed 24 Dec 2025) is 5.
        """
        key = (a, b)
        if key in self._counted:
            return self._counted[key]
        self._cover(min(a, b).year, max(a, b).year)
        oa, ob = a.toordinal(), b.toordinal()
        if ob >= oa:
            found = bisect_right(self._days, ob) - bisect_right(self._days, oa)
        else:
            found = -(bisect_left(self._days, oa) - bisect_left(self._days, ob))
        self._counted[key] = found
        return found

    def skipped(self, a: date, b: date) -> list[tuple[date, str]]:
        """Each day after `a` up to and including `b` that is not a working day, with why."""
        out = []
        day = a + timedelta(days=1)
        while day <= b:
            if day.weekday() >= 5:
                out.append((day, day.strftime("%A")))
            elif reason := self.closed_reason(day):
                out.append((day, reason))
            day += timedelta(days=1)
        return out

    # -- the span of years held ----------------------------------------------

    def _cover(self, first: int, last: int) -> None:
        """Hold the working days of every year from `first` to `last` (one spare year each side).
        Each year's are worked out once; a wider span joins them again."""
        first, last = first - 1, last + 1
        held = self._years
        if held is not None and held[0] <= first and last <= held[1]:
            return
        if held is not None:
            first, last = min(first, held[0]), max(last, held[1])
        days: list[int] = []
        for year in range(first, last + 1):
            if year not in self._of_year:
                self._of_year[year] = self._working_days_of(year)
            days += self._of_year[year]
        self._years, self._days = (first, last), days

    def _working_days_of(self, year: int) -> list[int]:
        """The ordinals of `year`'s working days, in order (one call for its bank holidays)."""
        holidays = self._bank_holidays(year)
        self._holidays.update(holidays)
        closed = {d.toordinal() for d in holidays} | {d.toordinal() for d in self._closures if d.year == year}
        start, end = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        return [o for o in range(start, end + 1) if (o + 6) % 7 < 5 and o not in closed]  # Monday to Friday


class EveryDay:
    """A calendar on which every day counts, for a target set in calendar days (the child death
    notification's 24 hours): how many days after `a` up to and including `b`."""

    @staticmethod
    def between(a: date, b: date) -> int:
        return (b - a).days

    @staticmethod
    def add(start: date, n: int) -> date:
        return start + timedelta(days=n)


# The calendars a clock counts on (rules.counts_on says which, for a rule).
LOCAL = "local"  # working days less the partnership's closure days: its own reminders and targets
NATIONAL = "national"  # England-and-Wales working days: a national time limit ignores local closures
EVERY_DAY = "every day"  # calendar days: a target set in days (a child death's notification)


def counting(calendar: WorkingCalendar, kind: str) -> "WorkingCalendar | EveryDay":
    """The calendar of that kind, from the partnership's working calendar."""
    if kind == EVERY_DAY:
        return EveryDay()
    return calendar if kind == LOCAL else calendar.national()
