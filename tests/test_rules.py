"""The clocks on one incident, with a fixed as-of date. Expected dates are counted by hand."""

from datetime import date

from pathlib import Path

import pytest

from csprcli.domain.calendar import WorkingCalendar
from csprcli.domain.model import PanelStep
from csprcli.domain.vocabulary import Abuse, Nature, Outcome, PanelResponse, PublicationType, Step
from csprcli.domain.clock import Status
from csprcli.domain.lifecycle import clocks, is_closed, removal_earliest
from csprcli.domain.rules import RULES

from conftest import MILESTONES, an_incident

D = date.fromisoformat
CAL = WorkingCalendar()

BASE = an_incident()


def by_milestone(incident, as_of):
    return {c.milestone: c for c in clocks(incident, CAL, D(as_of))}


def test_rules_are_one_table_each_naming_its_source():
    assert tuple(r.milestone for r in RULES) == MILESTONES
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
    on_time = by_milestone(BASE._replace(notified=D("2025-12-24")), "2026-01-29")["notification"]
    assert (on_time.status, on_time.describe()) == (Status.DONE, "done on time")
    late = by_milestone(BASE._replace(notified=D("2025-12-29")), "2026-01-29")["notification"]
    assert (late.status, late.working_days, late.describe()) == (Status.LATE, 1, "done late by 1 working day")


def test_review_clocks_count_15_working_days_from_the_notification():
    c = by_milestone(BASE._replace(notified=D("2025-12-24")), "2026-01-05")
    assert c["rr-decision"].due == D("2026-01-19")
    assert c["rr-sent"].due == D("2026-01-19")
    assert c["rr-decision"].status == Status.OPEN


def test_a_looked_after_childs_death_without_abuse_has_the_notification_clock_only():
    lac = BASE._replace(nature=Nature.DEATH, abuse=Abuse.NONE, looked_after=True, notified=D("2025-12-19"))
    c = by_milestone(lac, "2026-06-01")
    assert c["notification"].status == Status.DONE
    for milestone in ("partners-informed", "rr-decision", "rr-sent"):
        assert c[milestone].status == Status.NOT_REQUIRED
    assert is_closed(list(c.values()))


def test_criteria_not_met_closes_the_review_clocks_and_keeps_the_notification():
    closed = BASE._replace(
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


@pytest.mark.parametrize(
    "outcome", [o for o in Outcome if o not in (Outcome.CRITERIA_NOT_MET, Outcome.LCSPR, Outcome.THEMATIC)]
)
def test_without_a_local_review_a_case_closes_when_the_panel_replies(outcome):
    decided = BASE._replace(
        notified=D("2025-12-19"), partners_informed=D("2025-12-19"), decided=D("2026-01-05"), outcome=outcome
    )
    assert not is_closed(clocks(decided, CAL, D("2026-01-06")))
    sent = decided._replace(rr_sent=D("2026-01-06"))
    assert not is_closed(clocks(sent, CAL, D("2026-01-06")))
    assert is_closed(
        clocks(
            sent._replace(exchange=(PanelStep(Step.RESPONSE, D("2026-01-20"), PanelResponse.AGREES_LCSPR),)),
            CAL,
            D("2026-01-20"),
        )
    )


def test_a_closure_moves_a_local_reminder_but_never_a_national_clock():
    # Aware Wed 17 Dec 2025: notification due Wed 24 Dec (18, 19, 22, 23, 24). A closure on
    # Mon 22 Dec would push it to Mon 29 Dec if it counted; the Panel does not know it.
    closed = WorkingCalendar({D("2025-12-22"): "Staff training", D("2026-01-21"): "Staff training"})
    assert {c.milestone: c for c in clocks(BASE, closed, D("2025-12-18"))}["notification"].due == D("2025-12-24")
    # The Panel response reminder (local): sent Mon 19 Jan 2026, 10 WD is Mon 2 Feb (20-23 Jan 4,
    # 26-30 Jan 9, 2 Feb 10); with Wed 21 Jan closed it is Tue 3 Feb.
    sent = BASE._replace(
        notified=D("2025-12-19"),
        decided=D("2026-01-16"),
        outcome=Outcome.NO_LCSPR,
        reason="r",
        rr_sent=D("2026-01-19"),
    )
    assert by_milestone(sent, "2026-01-20")["panel-response"].due == D("2026-02-02")
    assert {c.milestone: c for c in clocks(sent, closed, D("2026-01-20"))}["panel-response"].due == D("2026-02-03")


# -- the rest of the statutory path (issue: rows 6 to 13 of domain.md section 1) --------------

from csprcli.domain.model import Action, Pause, ProgressCheck, Revision, add_months  # noqa: E402
from csprcli.domain.vocabulary import ActionStatus, Rag  # noqa: E402
from csprcli.domain.rules import rules_for  # noqa: E402

LCSPR = BASE._replace(
    notified=D("2025-12-23"),
    partners_informed=D("2025-12-18"),
    decided=D("2026-01-19"),
    outcome=Outcome.LCSPR,
    rr_sent=D("2026-01-19"),
)


@pytest.mark.parametrize(
    "start, months, expected",
    [
        ("2026-01-19", 6, "2026-07-19"),  # domain.md: decision Mon 19 Jan 2026, due Sun 19 Jul 2026
        ("2026-08-31", 6, "2027-02-28"),  # 31 August + 6 months: no 31 February, so its last day
        ("2027-08-31", 6, "2028-02-29"),  # ... 29 February in a leap year
        ("2026-03-31", 1, "2026-04-30"),
        ("2028-02-29", 12, "2029-02-28"),
    ],
)
def test_calendar_months_clamp_to_the_months_end(start, months, expected):
    assert add_months(D(start), months) == D(expected)


def test_publication_is_due_six_calendar_months_after_the_decision_even_on_a_sunday():
    c = by_milestone(LCSPR, "2026-02-01")["publication"]
    assert (c.due, c.status, c.force) == (D("2026-07-19"), Status.OPEN, "statutory guidance")


def test_publication_after_a_31_august_decision_is_due_at_the_end_of_february():
    c = by_milestone(LCSPR._replace(decided=D("2026-08-31")), "2026-09-01")["publication"]
    assert c.due == D("2027-02-28")


@pytest.mark.parametrize(
    "planned, expected",
    [
        ("2026-06-01", "2026-05-20"),  # domain.md: 7 WD back over the Spring bank holidays, Mon 25 May
        # just after Christmas: Thu 31 Dec (1), Wed 30 (2), Tue 29 (3), [Mon 28 Boxing Day substitute,
        # Fri 25 Christmas], Thu 24 (4), Wed 23 (5), Tue 22 (6), Mon 21 (7)
        ("2027-01-04", "2026-12-21"),
    ],
)
def test_the_final_report_is_due_seven_working_days_before_the_planned_publication(planned, expected):
    c = by_milestone(LCSPR._replace(planned_publication=D(planned)), "2026-02-01")["report-sent"]
    assert c.due == D(expected)


def test_the_final_report_waits_for_a_planned_publication_date():
    c = by_milestone(LCSPR, "2026-02-01")["report-sent"]
    assert (c.status, c.describe()) == (
        Status.WAITING,
        "not started: counts from the publication (the planned date until it is published)",
    )


def test_the_panel_response_reminder_is_a_local_reminder_ten_working_days_after_sending():
    c = by_milestone(LCSPR, "2026-02-03")["panel-response"]
    # after Mon 19 Jan: 20-23 (4), 26-30 (9), Mon 2 Feb (10)
    assert (c.due, c.force, c.status, c.working_days) == (D("2026-02-02"), "local", Status.OVERDUE, 1)


def test_settings_change_the_panel_reminder_the_rapid_review_start_and_the_check_interval():
    rules = rules_for({"panel-reminder": "15", "rr-clock-start": "aware", "progress-interval": "2"})
    c = {
        x.milestone: x
        for x in clocks(
            LCSPR._replace(checks=(ProgressCheck(D("2026-02-16"), Rag.AMBER),)), CAL, D("2026-02-17"), rules
        )
    }
    # 15 WD after Mon 19 Jan: 20-23 (4), 26-30 (9), 2-6 Feb (14), Mon 9 Feb (15)
    assert c["panel-response"].due == D("2026-02-09")
    # 15 WD after the aware date, Wed 17 Dec 2025: 18, 19, 22, 23, 24 (5), 29, 30, 31 (8), 2 Jan (9), 5-9 (14), Mon 12 Jan (15)
    assert c["rr-decision"].due == D("2026-01-12")
    assert c["progress-check"].due == D("2026-04-16")


def test_progress_checks_fall_due_a_month_after_the_last_one_or_the_decision():
    decided_31st = LCSPR._replace(decided=D("2026-01-31"))
    assert by_milestone(decided_31st, "2026-02-01")["progress-check"].due == D("2026-02-28")
    checked = LCSPR._replace(checks=(ProgressCheck(D("2026-02-16"), Rag.GREEN),))
    c = by_milestone(checked, "2026-03-17")["progress-check"]
    assert (c.due, c.status, c.force) == (D("2026-03-16"), Status.OVERDUE, "local")
    assert (
        by_milestone(checked._replace(published=D("2026-07-01")), "2026-08-01")["progress-check"].status
        == Status.NOT_REQUIRED
    )


def test_a_pause_across_a_year_boundary_stops_the_clocks_and_the_revision_keeps_the_original():
    # Decision Wed 15 Jul 2026: publication due Fri 15 Jan 2027.
    case = LCSPR._replace(decided=D("2026-07-15"), rr_sent=D("2026-07-15"))
    paused = case._replace(pauses=(Pause(D("2026-12-10"), None, "Criminal trial", "Chair"),))
    c = by_milestone(paused, "2027-01-20")["publication"]
    assert (c.status, c.due) == (Status.PAUSED, D("2027-01-15"))
    # The first progress check (Sat 15 Aug 2026) was missed before the pause began: it stays overdue.
    assert by_milestone(paused, "2027-01-20")["progress-check"].status == Status.OVERDUE
    checked = paused._replace(checks=(ProgressCheck(D("2026-12-01"), Rag.GREEN),))  # next due Fri 1 Jan 2027
    assert by_milestone(checked, "2027-01-20")["progress-check"].status == Status.PAUSED
    # Resumed Mon 8 Feb 2027 after 60 days (10 Dec to 10 Jan is 31, to 8 Feb 29 more): 15 Jan + 60 days = 16 Mar 2027
    resumed = case._replace(
        pauses=(Pause(D("2026-12-10"), D("2027-02-08"), "Criminal trial", "Chair"),),
        revisions=(Revision("publication", D("2027-03-16"), "paused", "Chair", D("2027-02-08")),),
    )
    assert resumed.pauses[0].days() == 60
    c = by_milestone(resumed, "2027-02-20")["publication"]
    assert (c.due, c.original_due, c.status) == (D("2027-03-16"), D("2027-01-15"), Status.OPEN)
    # against the original target: after Fri 15 Jan up to Sat 20 Feb 2027: 18-22 (5), 25-29 (10), 1-5 Feb (15), 8-12 (20), 15-19 (25)
    assert (c.original_status, c.original_working_days) == (Status.OVERDUE, 25)


def test_the_report_may_be_taken_down_a_year_after_publication():
    assert removal_earliest(LCSPR._replace(published=D("2026-07-13"), publication_type=PublicationType.FULL)) == D(
        "2027-07-13"
    )
    assert removal_earliest(LCSPR._replace(published=D("2028-02-29"), publication_type=PublicationType.FULL)) == D(
        "2029-02-28"
    )


def test_actions_are_overdue_from_the_day_after_their_target():
    actions = (
        Action(1, "Audit", "Police", D("2026-06-30")),
        Action(2, "Train", "Health", D("2026-06-30"), ActionStatus.DROPPED, D("2026-06-01"), "Superseded"),
        Action(3, "Review", "LA", D("2026-06-30"), ActionStatus.DONE, D("2026-07-02"), "Report"),
    )
    c = by_milestone(LCSPR._replace(actions=actions), "2026-07-03")
    # after Tue 30 Jun: Wed 1, Thu 2, Fri 3 Jul
    assert (c["action-1"].status, c["action-1"].working_days, c["action-1"].force) == (
        Status.OVERDUE,
        3,
        "local",
    )
    assert c["action-2"].status == Status.NOT_REQUIRED
    assert (c["action-3"].status, c["action-3"].working_days) == (Status.LATE, 2)


def test_a_revised_action_target_is_measured_both_ways():
    case = LCSPR._replace(
        actions=(Action(1, "Audit", "Police", D("2026-06-30")),),
        revisions=(Revision("action-1", D("2026-07-31"), "Audit delayed", "Board", D("2026-06-20")),),
    )
    c = by_milestone(case, "2026-07-03")["action-1"]
    # Fri 3 Jul to Fri 31 Jul: 6-10 (5), 13-17 (10), 20-24 (15), 27-31 (20)
    assert (c.due, c.status, c.working_days) == (D("2026-07-31"), Status.OPEN, 20)
    assert (c.original_due, c.original_status, c.original_working_days) == (D("2026-06-30"), Status.OVERDUE, 3)


def test_a_local_review_stays_open_until_published_and_its_actions_are_done():
    done = LCSPR._replace(
        exchange=(PanelStep(Step.RESPONSE, D("2026-01-30"), PanelResponse.AGREES_LCSPR),),
        planned_publication=D("2026-07-13"),
        report_sent=D("2026-07-01"),
        published=D("2026-07-13"),
    )
    assert is_closed(clocks(done, CAL, D("2026-07-14")))
    with_action = done._replace(actions=(Action(1, "Audit", "Police", D("2026-09-30")),))
    assert not is_closed(clocks(with_action, CAL, D("2026-07-14")))


def test_the_report_sent_before_a_publication_date_was_planned_counts_as_done():
    sent = LCSPR._replace(report_sent=D("2026-06-01"))
    c = by_milestone(sent, "2026-06-02")["report-sent"]
    assert (c.status, c.due, c.done) == (Status.DONE, None, D("2026-06-01"))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


maybe_day = st.one_of(st.none(), st.dates(min_value=D("2024-01-01"), max_value=D("2026-12-31")))


@settings()
@given(
    notified=maybe_day,
    decided=maybe_day,
    sent=maybe_day,
    planned=maybe_day,
    report=maybe_day,
    outcome=st.sampled_from(list(Outcome)),
    action=st.sampled_from([None, *ActionStatus]),
    as_of=st.dates(min_value=D("2024-01-01"), max_value=D("2027-12-31")),
)
def test_the_pending_milestones_are_exactly_those_not_finished(
    notified, decided, sent, planned, report, outcome, action, as_of
):
    incident = BASE._replace(
        aware=D("2024-01-01"),
        notified=notified,
        decided=decided,
        outcome=outcome if decided else None,
        rr_sent=sent,
        planned_publication=planned,
        report_sent=report,
        actions=(Action(1, "Audit", "Police", D("2025-01-01"), action, None if action == "open" else D("2025-02-01")),)
        if action
        else (),
    )
    every = clocks(incident, CAL, as_of)
    # Still to be done: it applies to the case and nothing records it as done.
    assert clocks(incident, CAL, as_of, pending=True) == [
        c for c in every if c.done is None and c.status is not Status.NOT_REQUIRED
    ]


def test_every_rule_says_what_sets_its_time_limit_and_whether_that_was_confirmed():
    from csprcli.domain.rules import DEATH_RULE, KEPT_AVAILABLE, UNCONFIRMED

    every = (*RULES, DEATH_RULE, KEPT_AVAILABLE)
    assert all(rule.set_by for rule in every)
    unconfirmed = {rule.milestone for rule in every if not rule.confirmed}
    assert unconfirmed == {
        "notification",
        "partners-informed",
        "rr-decision",
        "rr-sent",
        "report-sent",
        "publication",
        "kept-available",
    }
    forces = (Path(__file__).parent.parent / "docs" / "forces.md").read_text(encoding="utf-8")
    assert "docs/forces.md" in UNCONFIRMED
    for rule in every:
        assert f"| {rule.milestone} (" in forces and str(rule.force) in forces


@given(st.dates(min_value=D("1990-01-01"), max_value=D("2100-12-31")), st.integers(min_value=0, max_value=240))
def test_calendar_months_count_as_dateutil_counts_them(start, months):
    """The independent count: dateutil's relativedelta (which a spreadsheet's EDATE agrees with)."""
    from dateutil.relativedelta import relativedelta

    assert add_months(start, months) == start + relativedelta(months=months)
