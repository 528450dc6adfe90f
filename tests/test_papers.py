"""The meeting papers' rows (pure): stage in words, status in words, RAG, the milestones view."""

from datetime import date

from csprcli.domain.model import Incident, ProgressCheck
from csprcli.domain.vocabulary import Abuse, Nature, Outcome, Rag
from csprcli.domain.clock import Clock, Force, Status
from csprcli.output.papers import MEETING_FIELDS, meeting_row, milestone_rows, milestone_words, rag, stage, status_words

BASE = Incident(
    ref="SI-2026-001", child="LCS-1", la="Walsall", aware=date(2026, 1, 5), nature=Nature.DEATH, abuse=Abuse.SUSPECTED
)


def clock(status, days, milestone="rr-decision", due=date(2026, 2, 6), done=None):
    return Clock(
        "SI-2026-001",
        milestone,
        "Rapid review decision",
        Force.STATUTORY_GUIDANCE,
        date(2026, 1, 9),
        due,
        done,
        status,
        days,
        "the notification",
    )


def with_(**changes):

    return BASE._replace(**changes)


def test_at_most_14_columns_in_the_order_a_chair_reads_them():
    assert len(MEETING_FIELDS) <= 14
    assert [f.heading for f in MEETING_FIELDS] == [
        "Case",
        "Child",
        "Local authority",
        "Aware",
        "Stage",
        "Next milestone",
        "Due",
        "Status",
        "RAG",
        "Force",
        "Actions open",
        "Actions overdue",
        "Last check RAG",
    ]


def test_status_in_words():
    assert status_words(clock(Status.OVERDUE, 6)) == "overdue by 6 working days"
    assert status_words(clock(Status.OVERDUE, 1)) == "overdue by 1 working day"
    assert status_words(clock(Status.OPEN, 5)) == "5 working days left"
    assert status_words(clock(Status.OPEN, 0)) == "due today"
    assert status_words(None) == "nothing due"


def test_rag_red_overdue_amber_within_5_working_days_green_otherwise():
    assert rag(clock(Status.OVERDUE, 1)) == "red"
    assert rag(clock(Status.OPEN, 0)) == "amber"
    assert rag(clock(Status.OPEN, 5)) == "amber"
    assert rag(clock(Status.OPEN, 6)) == "green"
    assert rag(None) is None


def test_stage_in_words():
    assert stage(BASE) == "Notification not yet made"
    assert stage(with_(notified=date(2026, 1, 9))) == "Notified; rapid review to start"
    assert stage(with_(notified=date(2026, 1, 9), rr_started=date(2026, 1, 12))) == "Rapid review: under way"
    decided = with_(notified=date(2026, 1, 9), decided=date(2026, 1, 20), outcome=Outcome.NO_LCSPR)
    assert stage(decided) == "Rapid review: no local review; not yet sent"
    assert stage(
        with_(
            notified=date(2026, 1, 9),
            decided=date(2026, 1, 20),
            outcome=Outcome.LCSPR,
            reviewer="R",
            reviewer_appointed=date(2026, 2, 2),
            tor_agreed=date(2026, 2, 16),
        )
    ) == ("Local review: terms agreed")
    assert stage(with_(outcome=Outcome.CRITERIA_NOT_MET, decided=date(2026, 1, 20))) == "Rapid review: criteria not met"


def test_a_meeting_row_counts_actions_and_takes_the_last_checks_rag():
    incident = with_(checks=(ProgressCheck(date(2026, 3, 16), Rag.GREEN), ProgressCheck(date(2026, 2, 16), Rag.AMBER)))
    clocks = [
        clock(Status.OVERDUE, 6),
        clock(Status.OVERDUE, 2, "action-1"),
        clock(Status.OPEN, 9, "action-2"),
        clock(Status.DONE, None, "action-3"),
    ]
    row = meeting_row(incident, clocks, clocks[0])
    assert (row["status"], row["rag"], row["force"]) == ("overdue by 6 working days", "red", "statutory guidance")
    assert (row["actions_open"], row["actions_overdue"], row["last_check"]) == (2, 1, "green")


def test_milestones_view_signs_working_days_overdue_and_keeps_days_left_apart():
    rows = milestone_rows(
        [
            clock(Status.OVERDUE, 6),
            clock(Status.OPEN, 4, "rr-sent"),
            clock(Status.LATE, 2, "notification", done=date(2026, 1, 14)),
            clock(Status.NOT_REQUIRED, None, "publication", due=None),
        ]
    )
    assert [(r["milestone"], r["overdue"], r["left"], r["status"]) for r in rows] == [
        ("rr-decision", 6, None, "overdue by 6 working days"),
        ("rr-sent", -4, 4, "4 working days left"),
        ("notification", 2, None, "done late by 2 working days"),
    ]


def test_every_milestone_has_a_few_words_for_a_paper():
    from csprcli.domain.labels import MILESTONE
    from csprcli.domain.rules import DEATH_RULE, RULES

    assert set(MILESTONE) == {r.milestone for r in (*RULES, DEATH_RULE)}
    assert milestone_words(clock(Status.OPEN, 3, "action-12")) == "Action 12"  # never the agency or its words
