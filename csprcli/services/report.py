"""The yearly figures partnerships report (domain.md section 5), from cases and their clocks.

`figures` is pure: the cases, their clocks and the calendar are handed in (`yearly_figures` reads
them as of the day). Every figure carries the definition it uses, so a meeting paper says what it
counts. The reporting year is domain/periods.py's; the CDOP's figures are in report_deaths.py.
"""

from collections import Counter
from datetime import date
from typing import NamedTuple

from csprcli.domain import labels
from csprcli.domain.figures import Figure, Share, figure, median as _median, share as _share
from csprcli.domain.dates import human_date
from csprcli.domain.calendar import WorkingCalendar
from csprcli.domain.stages import outcome_in_force
from csprcli.domain.model import LCSPR_OUTCOMES
from csprcli.domain.vocabulary import Outcome, PublicationType
from csprcli.domain.clock import Status
from csprcli.store.store import Store
from csprcli.services.cases import cases as cases_on
from csprcli.services.rulebook import rulebook
from csprcli.services.report_actions import actions_by_agency, actions_due_in_period


def quarter(day: date) -> str:
    """Q1 is April to June, as in the reporting year."""
    return f"Q{((day.month - 4) % 12) // 3 + 1}"


class Period(NamedTuple):
    """What every section of the report reads: the period, the as-of day and the cases of the period
    (`chosen`, the incidents the local authority became aware of in it) with their clocks."""

    first: date
    last: date
    as_of: date
    chosen: list
    national: WorkingCalendar  # the national clocks' working days: closures never count
    clock: dict  # each chosen case's clocks by milestone, by its reference

    @property
    def base(self) -> str:
        return (
            "serious incidents the local authority became aware of from "
            f"{human_date(self.first)} to {human_date(self.last)}"
        )


def yearly_figures(store: Store, first: date, last: date, as_of: date) -> list[Figure]:
    """The yearly report's figures for the period, every case read as it stood on `as_of`."""
    book = rulebook(store)
    return figures(cases_on(store, book, as_of), book.calendar_on(as_of), first, last, as_of)


def figures(cases, calendar: WorkingCalendar, first: date, last: date, as_of: date | None = None) -> list[Figure]:
    """The yearly report's figures for incidents the local authority became aware of from `first` to `last`,
    as they stood on `as_of` (the cases are handed in as seen that day), one section after another.

    A share "within N working days" counts every case whose clock fell due by the as-of date (or was
    done before it): one not done counts against it, and the figure says how many are outstanding.
    """
    as_of = as_of or last
    cases = list(cases)  # read twice: the year's incidents, then every case's actions due in the year
    chosen = [c for c in cases if first <= c.incident.aware <= last]
    clock = {c.incident.ref: {k.milestone: k for k in c.clocks} for c in chosen}
    period = Period(first, last, as_of, chosen, calendar.national(), clock)
    return [
        *incidents_by_category(period),
        *notification_figures(period),
        *rapid_review_figures(period),
        *outcome_figures(period),
        *local_review_figures(period),
        *actions_by_agency(chosen, clock),
        *actions_due_in_period(cases, first, last, as_of),
    ]


def incidents_by_category(p: Period) -> list[Figure]:
    """How many incidents, and by nature, quarter, looked-after status and the primary child's
    characteristics: every category in its natural order, those with no cases as 0."""
    out = [figure("incidents", "serious incidents", len(p.chosen), p.base)]
    primary = "; the primary child's record"
    for label, key, values, note in (
        ("by nature", lambda c: labels.NATURE[c.incident.nature], list(labels.NATURE.values()), ""),
        ("by quarter", lambda c: quarter(c.incident.aware), ["Q1", "Q2", "Q3", "Q4"], "; Q1 is April to June"),
        (
            "by looked-after status",
            lambda c: "Looked after" if c.incident.looked_after else "Not looked after",
            ["Looked after", "Not looked after"],
            "",
        ),
        ("by age band", lambda c: _primary(c, "age_band"), [*labels.AGE_BAND.values(), NOT_RECORDED], primary),
        ("by sex", lambda c: _primary(c, "sex"), [*labels.SEX.values(), NOT_RECORDED], primary),
        (
            "by ethnicity",
            lambda c: _primary(c, "ethnicity"),
            [*labels.ETHNICITY.values(), NOT_RECORDED],
            primary + " (DfE's main ethnic groups)",
        ),
        (
            "by child protection plan",
            lambda c: _primary(c, "cp_plan"),
            [*labels.PROTECTION_PLAN.values(), NOT_RECORDED],
            primary + " (a child protection plan at the time of the incident, in the past, or never)",
        ),
        (
            "by child in need plan",
            lambda c: _primary(c, "cin_plan"),
            [*_CIN.values(), NOT_RECORDED],
            primary + " (a child in need plan at the time of the incident)",
        ),
        (
            "by whether known to agencies",
            lambda c: _primary(c, "known_to_agencies"),
            [*_KNOWN.values(), NOT_RECORDED],
            primary + " (known to local agencies before the incident)",
        ),
    ):
        counts = Counter(key(c) for c in p.chosen)
        out += [figure(f"incidents {label}", value, counts[value], p.base + note) for value in values]
    return out


def notification_figures(p: Period) -> list[Figure]:
    """The notifications made, the shares of notifications and tellings within 5 working days, the median."""
    notified = _notified(p)
    days = [p.national.between(c.incident.aware, c.incident.notified) for c in notified]
    on = human_date(p.as_of)
    return [
        figure("notification", "notifications made", len(notified), f"{p.base}, with the notification recorded"),
        figure(
            "notification",
            "share within 5 working days",
            _timely(p.clock, p.chosen, "notification", p.as_of),
            "notified on or before the 5th working day after the aware date (the aware date not counted), out of "
            f"every incident whose notification fell due by {on} or was made; one not made counts "
            "as not within the limit",
            "share",
        ),
        figure(
            "notification",
            "partners told within 5 working days",
            _timely(p.clock, p.chosen, "partners-informed", p.as_of),
            "the local safeguarding partners told on or before the 5th working day after the aware date (statutory "
            f"guidance), out of every incident with abuse or neglect known or suspected whose telling fell due by "
            f"{on} or was done; one not recorded counts as not within the limit",
            "share",
        ),
        figure(
            "notification",
            "median working days to notify",
            _median(days),
            "working days after the aware date up to the notification, of those made",
            "median",
        ),
    ]


def rapid_review_figures(p: Period) -> list[Figure]:
    """The rapid review's two clocks, each: how many, the share in time (counting those not done), the median."""
    out = []
    for milestone, field, count_words, counted, share_words, verb, median_words, median_what in (
        (
            "rr-decision",
            "decided",
            "decisions taken",
            "rapid reviews decided",
            "share within 15 working days",
            "decided",
            "median working days to decide",
            "the decision, of those taken",
        ),
        (
            "rr-sent",
            "rr_sent",
            "sent to the Panel",
            "rapid reviews sent to the Panel",
            "share sent within 15 working days",
            "sent to the Panel",
            "median working days to send",
            "sending the rapid review to the Panel, of those sent",
        ),
    ):
        done = _rapid_reviews_done(p, field)
        days = [
            p.national.between(p.clock[c.incident.ref][milestone].trigger, getattr(c.incident, field))
            for c in done
            if p.clock[c.incident.ref][milestone].trigger
        ]
        first, not_again = FIRST[milestone]
        out += [
            figure(
                "rapid review", count_words, len(done), f"{counted} ({first}: {not_again}), criteria-not-met left out"
            ),
            figure(
                "rapid review",
                share_words,
                _timely(p.clock, p.chosen, milestone, p.as_of),
                f"{verb} on or before the 15th working day after the notification (or the aware date, by setting), "
                f"out of every rapid review that fell due by {human_date(p.as_of)} or was {verb}; the {first} is "
                f"measured ({not_again}); criteria-not-met left out; one not {verb} counts as not within the limit",
                "share",
            ),
            figure(
                "rapid review",
                median_words,
                _median(days),
                f"working days from the clock's start to {median_what}",
                "median",
            ),
        ]
    return out


def outcome_figures(p: Period) -> list[Figure]:
    """Where the period's cases ended up (outcomes), and the decisions in force by outcome."""
    lcspr = _local_reviews(p)
    not_published = [c for c in lcspr if c.incident.publication_type == PublicationType.NOT_PUBLISHED]
    published = [c for c in lcspr if c.incident.published and c not in not_published]
    out = [
        figure("outcomes", measure, count, definition)
        for measure, count, definition in (
            ("incidents", len(p.chosen), p.base),
            ("notified", len(_notified(p)), "with the notification recorded"),
            ("rapid reviews decided", len(_rapid_reviews_done(p, "decided")), "decided, criteria-not-met left out"),
            (
                "criteria not met",
                sum(outcome_in_force(c.incident) == Outcome.CRITERIA_NOT_MET for c in p.chosen),
                "the case did not meet the criteria",
            ),
            ("local reviews", len(lcspr), "decided on a local or thematic review (the decision in force)"),
            (
                "published",
                len(published),
                "local reviews published (full, redacted or information about improvements)",
            ),
            (
                "decided not to publish",
                len(not_published),
                "local reviews the partners decided not to publish, with a rationale: not publications",
            ),
        )
    ]
    decisions = Counter(outcome_in_force(c.incident) for c in p.chosen)
    in_force = "; the rapid review's decision in force (a reconsidered decision replaces the first)"
    out += [
        figure("decisions by outcome", words, decisions[o], p.base + in_force) for o, words in labels.OUTCOME.items()
    ]
    out.append(
        figure(
            "decisions by outcome",
            "No decision recorded",
            decisions[None],
            p.base + f"; no rapid-review decision recorded by {human_date(p.as_of)} (not yet made, or none needed)",
        )
    )
    return out


def local_review_figures(p: Period) -> list[Figure]:
    """The local reviews' notice of publication, publication against the original and the revised
    target, and their pauses."""
    lcspr = _local_reviews(p)
    on = human_date(p.as_of)
    out = [
        figure(
            "local reviews",
            "reports sent at least 7 working days before publication",
            _timely(p.clock, lcspr, "report-sent", p.as_of),
            "final report sent to the Panel and the Secretary of State on or before the 7th working day before "
            "the publication (the planned date until published), out of every local review whose notice fell due "
            f"by {on} or was sent; decisions not to publish left out (no publication to give notice "
            "of); one not sent counts as not in time",
            "share",
        ),
        figure(
            "local reviews",
            "published within 6 months, against the original target",
            _timely(p.clock, lcspr, "publication", p.as_of, original=True),
            "published on or before 6 calendar months after the decision that started the review, out of every "
            f"local review whose original target fell due by {on} or that was published; decisions "
            "not to publish left out",
            "share",
        ),
        figure(
            "local reviews",
            "published within 6 months, against the revised target",
            _timely(p.clock, lcspr, "publication", p.as_of),
            "published on or before the target in force (the revised one where the partners recorded a revision, "
            f"else the original), out of every local review whose target in force fell due by {on} "
            "or that was published; decisions not to publish left out",
            "share",
        ),
    ]
    return out + pause_figures(p, lcspr)


def pause_figures(p: Period, lcspr: list) -> list[Figure]:
    """The local reviews paused at least once, paused on the as-of day (and for how long), and why."""
    paused = [c for c in lcspr if c.incident.pauses]
    on = human_date(p.as_of)
    now = [
        (p.as_of - pause.start).days + 1
        for c in lcspr
        for pause in c.incident.pauses
        if pause.start <= p.as_of and (pause.end is None or pause.end > p.as_of)
    ]
    out = [
        figure("local reviews", "paused", len(paused), "local reviews paused at least once"),
        figure("local reviews", "paused now", len(now), f"local reviews paused on {on}"),
        figure(
            "local reviews",
            "median days paused so far",
            _median(now),
            f"of the local reviews paused on {on}: calendar days since the pause began, the start "
            "day and that day counted",
            "median",
        ),
    ]
    reasons = Counter(pause.reason for c in paused for pause in c.incident.pauses)
    out += [
        figure("local reviews paused, why", reason, n, "each pause's recorded reason")
        for reason, n in sorted(reasons.items())
    ]
    return out


def _notified(p: Period) -> list:
    return [c for c in p.chosen if c.incident.notified]


def _rapid_reviews_done(p: Period, field: str) -> list:
    """The period's cases with the rapid review decided (`decided`) or sent (`rr_sent`), criteria-not-met left out."""
    return [c for c in p.chosen if getattr(c.incident, field) and c.incident.outcome != Outcome.CRITERIA_NOT_MET]


def _local_reviews(p: Period) -> list:
    return [c for c in p.chosen if outcome_in_force(c.incident) in LCSPR_OUTCOMES]


# What the 15-working-day measures count when the exchange with the Panel repeats (domain.md section 6).
FIRST = {  # what is measured, and what is not
    "rr-decision": ("first decision", "a reconsidered decision is not measured again"),
    "rr-sent": ("first sending", "a sending again after a reconsidered decision is not measured"),
}
NOT_RECORDED = labels.NOT_RECORDED
_CIN = {True: "Child in need plan", False: "No child in need plan"}
_KNOWN = {True: "Known to agencies", False: "Not known to agencies"}
_WORDS: dict[str, dict] = {  # a characteristic's words, by its value
    "age_band": labels.AGE_BAND,
    "sex": labels.SEX,
    "ethnicity": labels.ETHNICITY,
    "cp_plan": labels.PROTECTION_PLAN,
    "cin_plan": _CIN,
    "known_to_agencies": _KNOWN,
}


def _primary(case, field: str) -> str:
    """What is recorded of the primary child (age band, sex, ethnicity, plans, known to agencies) in
    words; "Not recorded" where it is not."""
    primary = next((c for c in case.incident.children if c.primary), None)
    value = getattr(primary, field, None) if primary else None
    return NOT_RECORDED if value is None else _WORDS[field][value]


def _timely(clock, cases, milestone: str, as_of: date, *, original: bool = False) -> Share | None:
    """The share of cases whose milestone was done by its due date, out of every case whose clock fell
    due by `as_of` or that was done; one not done counts against it, and the outstanding are counted."""
    within = whole = outstanding = 0
    for case in cases:
        k = clock[case.incident.ref][milestone]
        status, due = (k.original_status, k.original_due) if original else (k.status, k.due)
        if status is None or status in (Status.NOT_REQUIRED, Status.NOT_PUBLISHED, Status.WAITING):
            continue
        if k.done is None and (due is None or due >= as_of):
            continue  # not yet due
        whole += 1
        within += status == Status.DONE
        outstanding += k.done is None
    return _share(within, whole, outstanding)
