"""The lifecycle module on its own: the table of stages and events, the view of a past day, and
the duty behind a clock. Pure: no database, no clock."""

from datetime import date

from hypothesis import strategies as st

from csprcli.domain.calendar import WorkingCalendar
from csprcli.domain.asof import as_seen
from csprcli.domain.lifecycle import clocks, duty
from csprcli.domain.stages import Stage, life_of
from csprcli.domain.model import Action, PanelStep, Pause, ProgressCheck, Revision
from csprcli.domain.vocabulary import Abuse, ActionStatus, Nature, Outcome, PanelResponse, PublicationType, Rag, Step
from csprcli.domain.clock import Status
from csprcli.domain.rules import RULES

from conftest import an_incident

D = date.fromisoformat
CAL = WorkingCalendar()
CASE = an_incident(
    notified=D("2025-12-23"),
    decided=D("2026-01-19"),
    outcome=Outcome.LCSPR,
    reason="r",
    rr_sent=D("2026-01-19"),
)


def test_the_stages_follow_the_events():
    assert life_of(CASE._replace(notified=None, decided=None, outcome=None, rr_sent=None)).stage == Stage.AWARE
    assert life_of(CASE._replace(decided=None, outcome=None, rr_sent=None)).stage == Stage.RAPID_REVIEW
    assert life_of(CASE) == (Stage.LOCAL_REVIEW, Outcome.LCSPR, D("2026-01-19"))
    paused = CASE._replace(pauses=(Pause(D("2026-03-01"), None, "Trial", "Chair"),))
    assert life_of(paused).stage == Stage.PAUSED
    resumed = CASE._replace(pauses=(Pause(D("2026-03-01"), D("2026-04-01"), "Trial", "Chair"),))
    assert life_of(resumed).stage == Stage.LOCAL_REVIEW
    national = CASE._replace(exchange=(PanelStep(Step.RESPONSE, D("2026-01-30"), PanelResponse.NATIONAL_REVIEW),))
    assert life_of(national) == (Stage.NATIONAL_REVIEW, Outcome.LCSPR, None)
    again = national._replace(
        exchange=(
            *national.exchange,
            PanelStep(Step.DECISION, D("2026-02-16"), outcome=Outcome.LCSPR, notes="also local"),
        ),
    )
    assert life_of(again) == (Stage.LOCAL_REVIEW, Outcome.LCSPR, D("2026-02-16"))
    challenged = CASE._replace(
        outcome=Outcome.NO_LCSPR,
        exchange=(PanelStep(Step.RESPONSE, D("2026-01-30"), PanelResponse.CHALLENGES),),
    )
    assert life_of(challenged).stage == Stage.RECONSIDERING
    assert life_of(CASE._replace(published=D("2026-07-01"), publication_type=PublicationType.NOT_PUBLISHED)).stage == (
        Stage.NOT_PUBLISHED
    )
    lac = CASE._replace(
        abuse=Abuse.NONE, nature=Nature.DEATH, looked_after=True, decided=None, outcome=None, rr_sent=None
    )
    assert life_of(lac).stage == Stage.NOTIFIED_ONLY


def test_as_seen_treats_what_is_dated_later_as_not_yet_happened():
    full = CASE._replace(
        checks=(ProgressCheck(D("2026-02-19"), Rag.GREEN),),
        pauses=(Pause(D("2026-03-01"), D("2026-04-01"), "Trial", "Chair"),),
        revisions=(Revision("publication", D("2026-09-01"), "Trial", "Chair", D("2026-04-01")),),
        actions=(Action(1, "Audit", "Police", D("2026-06-30"), ActionStatus.DONE, D("2026-06-01"), "Report"),),
    )
    seen = as_seen(full, D("2026-03-15"))
    assert seen.checks == full.checks and seen.pauses == (Pause(D("2026-03-01"), None, "Trial", "Chair"),)
    assert seen.revisions == () and seen.actions[0].status == ActionStatus.OPEN and seen.actions[0].closed_on is None
    earlier = as_seen(full, D("2026-01-10"))
    assert (earlier.decided, earlier.outcome, earlier.rr_sent, earlier.checks) == (None, None, None, ())
    assert as_seen(full, D("2026-12-31")) is full


def test_the_duty_to_notify_is_s16c_only_with_abuse_or_neglect():
    rule = next(r for r in RULES if r.milestone == "notification")
    assert duty(rule, CASE).startswith("Children Act 2004 s16C")
    lac = CASE._replace(abuse=Abuse.NONE, nature=Nature.DEATH, looked_after=True)
    assert "s16C" not in duty(rule, lac) and "Secretary of State and Ofsted" in duty(rule, lac)


def test_a_pause_stops_a_running_clock_but_not_one_already_missed():
    # publication due Sun 19 Jul 2026
    running = CASE._replace(pauses=(Pause(D("2026-07-01"), None, "Trial", "Chair"),))
    missed = CASE._replace(pauses=(Pause(D("2026-07-20"), None, "Trial", "Chair"),))
    status = lambda case: {c.milestone: c for c in clocks(case, CAL, D("2026-08-03"))}["publication"].status  # noqa: E731
    assert (status(running), status(missed)) == (Status.PAUSED, Status.OVERDUE)


maybe_day = st.one_of(st.none(), st.dates(min_value=D("2025-12-20"), max_value=D("2026-06-30")))


def test_every_event_of_the_lifecycle_table_names_the_command_that_records_it():
    from csprcli.domain.stages import EVENTS, TRANSITIONS

    assert {event for _, event in TRANSITIONS} == set(EVENTS)
    assert all(command.startswith("csprcli ") for command in EVENTS.values())
