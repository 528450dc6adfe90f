"""The yearly figures partnerships report (domain.md section 5), from cases and their clocks.

Pure: the cases, their clocks and the calendar are handed in. Every figure carries the
definition it uses, so a meeting paper says what it counts.
"""

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date

from csprcli.calendar import WorkingCalendar
from csprcli.model import LCSPR_OUTCOMES, ActionStatus, Outcome, Status


@dataclass(frozen=True)
class Figure:
    section: str
    measure: str
    value: object
    definition: str


def reporting_year(text: str) -> tuple[date, date]:
    """2025-26 -> 1 April 2025 to 31 March 2026 (the reporting year partnerships and DfE use)."""
    import re

    from csprcli.dates import shown
    from csprcli.errors import BadInput
    from csprcli.store import CALENDAR_YEARS  # the years whose working days csprcli can count

    # 2025-26 as DfE writes it; 2025/26 as partnerships often do; 2025-2026 and 2025/2026 too
    match = re.fullmatch(r"(\d{4})\s*[-/–]\s*(\d{2}|\d{4})", text.strip())
    if not match or (int(match[1]) + 1) % 10 ** len(match[2]) != int(match[2]):
        raise BadInput(f"--year: {shown(text)} is not a reporting year; write it as 2025-26 (April to March)")
    first = int(match[1])
    low, high = CALENDAR_YEARS[0], CALENDAR_YEARS[1] - 1
    if not low <= first <= high:
        span = f"{low}-{(low + 1) % 100:02d} to {high}-{(high + 1) % 100:02d}"
        raise BadInput(f"--year: csprcli reports on the years {span}")
    return date(first, 4, 1), date(first + 1, 3, 31)


def year_of(day: date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def quarter(day: date) -> str:
    """Q1 is April to June, as in the reporting year."""
    return f"Q{((day.month - 4) % 12) // 3 + 1}"


def figures(cases, calendar: WorkingCalendar, first: date, last: date) -> list[Figure]:
    """The yearly report's figures for incidents the local authority became aware of from `first` to `last`."""
    chosen = [c for c in cases if first <= c.incident.aware <= last]
    out: list[Figure] = []
    add = lambda section, measure, value, definition: out.append(Figure(section, measure, value, definition))  # noqa: E731
    base = f"serious incidents the local authority became aware of from {first.isoformat()} to {last.isoformat()}"
    add("incidents", "serious incidents", len(chosen), base)
    primary = "; the primary child's record"
    for label, key, note in (
        ("by nature", lambda c: c.incident.nature.value, ""),
        ("by quarter", lambda c: quarter(c.incident.aware), "; Q1 is April to June"),
        ("by looked-after status", lambda c: "looked after" if c.incident.looked_after else "not looked after", ""),
        ("by age band", lambda c: _primary(c, "age_band"), primary),
        ("by sex", lambda c: _primary(c, "sex"), primary),
    ):
        counts = Counter(key(c) for c in chosen)
        for value in sorted(counts):
            add(f"incidents {label}", value, counts[value], base + note)

    clock = {c.incident.ref: {k.milestone: k for k in c.clocks} for c in chosen}
    notified = [c for c in chosen if c.incident.notified]
    on_time = [c for c in notified if clock[c.incident.ref]["notification"].status == Status.DONE]
    days = [calendar.between(c.incident.aware, c.incident.notified) for c in notified]
    add("notification", "notifications made", len(notified), f"{base}, with the notification recorded")
    add(
        "notification",
        "share within 5 working days",
        _share(len(on_time), len(notified)),
        "notified on or before the 5th working day after the aware date (the aware date not counted)",
    )
    add(
        "notification",
        "median working days to notify",
        _median(days),
        "working days after the aware date up to the notification",
    )

    decided = [c for c in chosen if c.incident.decided and c.incident.outcome != Outcome.CRITERIA_NOT_MET]
    rr_on_time = [c for c in decided if clock[c.incident.ref]["rr-decision"].status == Status.DONE]
    rr_days = [
        calendar.between(clock[c.incident.ref]["rr-decision"].trigger, c.incident.decided)
        for c in decided
        if clock[c.incident.ref]["rr-decision"].trigger
    ]
    add("rapid review", "decisions taken", len(decided), "rapid reviews decided, criteria-not-met left out")
    add(
        "rapid review",
        "share within 15 working days",
        _share(len(rr_on_time), len(decided)),
        "decided on or before the 15th working day after the notification (or the aware date, by setting)",
    )
    add(
        "rapid review",
        "median working days to decide",
        _median(rr_days),
        "working days from the clock's start to the decision",
    )

    lcspr = [c for c in chosen if c.incident.outcome in LCSPR_OUTCOMES]
    published = [c for c in lcspr if c.incident.published]
    for measure, count, definition in (
        ("incidents", len(chosen), base),
        ("notified", len(notified), "with the notification recorded"),
        ("rapid reviews decided", len(decided), "decided, criteria-not-met left out"),
        (
            "criteria not met",
            sum(c.incident.outcome == Outcome.CRITERIA_NOT_MET for c in chosen),
            "the case did not meet the criteria",
        ),
        ("local reviews", len(lcspr), "decided on a local or thematic review"),
        ("published", len(published), "local reviews published (any publication type)"),
    ):
        add("outcomes", measure, count, definition)
    within = [c for c in published if clock[c.incident.ref]["publication"].original_status == Status.DONE]
    add(
        "local reviews",
        "published within 6 months",
        _share(len(within), len(published)),
        "published on or before 6 calendar months after the decision, against the original target",
    )
    paused = [c for c in lcspr if c.incident.pauses]
    add("local reviews", "paused", len(paused), "local reviews paused at least once")
    for reason, n in sorted(Counter(p.reason for c in paused for p in c.incident.pauses).items()):
        add("local reviews paused, why", reason, n, "each pause's recorded reason")

    agencies: dict[str, Counter] = {}
    for c in chosen:
        for action in c.incident.actions:
            k = clock[c.incident.ref][action.milestone]
            state = (
                "done"
                if action.status == ActionStatus.DONE
                else "dropped"
                if action.status == ActionStatus.DROPPED
                else ("overdue" if k.status == Status.OVERDUE else "open")
            )
            agencies.setdefault(action.agency, Counter())[state] += 1
    for agency in sorted(agencies):
        for state in ("open", "overdue", "done", "dropped"):
            add(
                "actions by agency",
                f"{agency}: {state}",
                agencies[agency][state],
                "actions from these cases' reviews; overdue ones are open too",
            )
    return out


def _primary(case, field: str) -> str:
    primary = next((c for c in case.incident.children if c.primary), None)
    value = getattr(primary, field, None) if primary else None
    return value.value if value is not None else "not recorded"


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "-"


def _median(values: list[int]) -> object:
    return statistics.median(values) if values else "-"
