"""The clocks on one incident, with a fixed as-of date. Expected dates are counted by hand."""

from dataclasses import replace
from datetime import date

import pytest

from csprcli.calendar import WorkingCalendar
from csprcli.model import Abuse, Incident, Nature, Outcome, Status
from csprcli.rules import RULES, clocks, is_closed

D = date.fromisoformat
CAL = WorkingCalendar()

BASE = Incident(
    ref="SI-2025-001",
    child="LCS-104233",
    la="Walsall",
    aware=D("2025-12-17"),
    nature=Nature.SERIOUS_HARM,
    abuse=Abuse.SUSPECTED,
)


def by_milestone(incident, as_of):
    return {c.milestone: c for c in clocks(incident, CAL, D(as_of))}


def test_rules_are_one_table_each_naming_its_source():
    assert [r.milestone for r in RULES] == [
        "notification", "partners-informed", "rr-decision", "rr-sent", "panel-response", "progress-check", "report-sent", "publication",
    ]
    for rule in RULES:
        assert rule.source and rule.count != 0 and rule.title


def test_a_new_incident_has_its_notification_open_and_the_review_waiting():
    c = by_milestone(BASE, "2025-12-18")
    assert c["notification"].due == D("2025-12-24")
    assert c["notification"].status == Status.OPEN
    assert c["notification"].working_days == 4  # Fri 19, Mon 22, Tue 23, Wed 24
    assert c["rr-decision"].status == Status.WAITING
    assert c["rr-decision"].due is None
    assert c["rr-decision"].describe() == "not started: counts from the notification"


def test_due_today_is_open_with_no_days_left():
    c = by_milestone(BASE, "2025-12-24")["notification"]
    assert (c.status, c.working_days, c.describe()) == (Status.OPEN, 0, "due today")


def test_overdue_from_the_day_after_the_due_date():
    c = by_milestone(BASE, "2025-12-25")["notification"]  # Christmas Day: overdue, by 0 working days
    assert (c.status, c.working_days) == (Status.OVERDUE, 0)
    c = by_milestone(BASE, "2025-12-30")["notification"]  # Mon 29 (1), Tue 30 (2)
    assert (c.status, c.working_days, c.describe()) == (Status.OVERDUE, 2, "overdue by 2 working days")


def test_done_on_the_due_date_is_on_time_and_after_it_is_late_by_working_days():
    on_time = by_milestone(replace(BASE, notified=D("2025-12-24")), "2026-01-29")["notification"]
    assert (on_time.status, on_time.describe()) == (Status.DONE, "done on time")
    late = by_milestone(replace(BASE, notified=D("2025-12-29")), "2026-01-29")["notification"]
    assert (late.status, late.working_days, late.describe()) == (Status.LATE, 1, "done late by 1 working day")


def test_review_clocks_count_15_working_days_from_the_notification():
    c = by_milestone(replace(BASE, notified=D("2025-12-24")), "2026-01-05")
    assert c["rr-decision"].due == D("2026-01-19")
    assert c["rr-sent"].due == D("2026-01-19")
    assert c["rr-decision"].status == Status.OPEN


def test_a_looked_after_childs_death_without_abuse_has_the_notification_clock_only():
    lac = replace(BASE, nature=Nature.DEATH, abuse=Abuse.NONE, looked_after=True, notified=D("2025-12-19"))
    c = by_milestone(lac, "2026-06-01")
    assert c["notification"].status == Status.DONE
    for milestone in ("partners-informed", "rr-decision", "rr-sent"):
        assert c[milestone].status == Status.NOT_REQUIRED
    assert is_closed(list(c.values()))


def test_criteria_not_met_closes_the_review_clocks_and_keeps_the_notification():
    closed = replace(
        BASE,
        notified=D("2025-12-19"),
        partners_informed=D("2025-12-19"),
        decided=D("2026-01-05"),
        outcome=Outcome.CRITERIA_NOT_MET,
    )
    c = by_milestone(closed, "2026-06-01")
    assert c["rr-decision"].status == Status.NOT_REQUIRED
    assert c["rr-sent"].status == Status.NOT_REQUIRED
    assert c["notification"].status == Status.DONE
    assert is_closed(list(c.values()))


@pytest.mark.parametrize("outcome", [o for o in Outcome if o not in (Outcome.CRITERIA_NOT_MET, Outcome.LCSPR, Outcome.THEMATIC)])
def test_without_a_local_review_a_case_closes_when_the_panel_replies(outcome):
    decided = replace(BASE, notified=D("2025-12-19"), partners_informed=D("2025-12-19"), decided=D("2026-01-05"), outcome=outcome)
    assert not is_closed(clocks(decided, CAL, D("2026-01-06")))
    sent = replace(decided, rr_sent=D("2026-01-06"))
    assert not is_closed(clocks(sent, CAL, D("2026-01-06")))
    assert is_closed(clocks(replace(sent, panel_response_on=D("2026-01-20")), CAL, D("2026-01-20")))


def test_a_closure_recorded_later_moves_an_open_deadline():
    before = by_milestone(BASE, "2025-12-18")["notification"].due
    closed = WorkingCalendar({D("2025-12-22"): "Staff training"})
    after = {c.milestone: c for c in clocks(BASE, closed, D("2025-12-18"))}["notification"].due
    assert (before, after) == (D("2025-12-24"), D("2025-12-29"))
