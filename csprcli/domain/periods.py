"""Reporting periods, as people give them: a reporting year (April to March, as partnerships and
DfE report), written 2025-26, 2025/26 or 2025-2026, or any range of dates. Pure.
"""

import re
from datetime import date

from csprcli.domain.dates import FIRST_YEAR, LAST_YEAR, parse_date, shown
from csprcli.domain.errors import BadInput


def reporting_year(text: str) -> tuple[date, date]:
    """2025-26 -> 1 April 2025 to 31 March 2026 (the reporting year partnerships and DfE use)."""
    # 2025-26 as DfE writes it; 2025/26 as partnerships often do; 2025-2026 and 2025/2026 too
    match = re.fullmatch(r"(\d{4})\s*[-/–]\s*(\d{2}|\d{4})", text.strip())
    if not match or (int(match[1]) + 1) % 10 ** len(match[2]) != int(match[2]):
        raise BadInput(f"--year: {shown(text)} is not a reporting year; write it as 2025-26 (April to March)")
    first = int(match[1])
    low, high = FIRST_YEAR, LAST_YEAR - 1  # the years csprcli keeps; a reporting year ends in the March of the next
    if not low <= first <= high:
        span = f"{low}-{(low + 1) % 100:02d} to {high}-{(high + 1) % 100:02d}"
        raise BadInput(f"--year: csprcli reports on the years {span}")
    return date(first, 4, 1), date(first + 1, 3, 31)


def year_of(day: date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def period(year: str | None, start: str | None, end: str | None, as_of: date) -> tuple[date, date]:
    """The first and last day of a report: --from and --to (both or neither), else --year, else the
    reporting year of the as-of date."""
    if (start is None) != (end is None):
        raise BadInput("--from and --to go together")
    if start is None or end is None:  # neither (above)
        return reporting_year(year or year_of(as_of))
    if year is not None:
        raise BadInput("give --year or --from and --to, not both")
    first, last = parse_date(start, as_of=as_of, what="--from"), parse_date(end, as_of=as_of, what="--to")
    if last < first:
        raise BadInput("--to is before --from")
    return first, last
