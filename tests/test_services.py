"""The services and the domain called directly, without the command line: checks, the services, explain,
the CSV importer and the yearly figures. Dates are worked out by hand (domain.md section 3)."""

from datetime import date

import pytest

from csprcli.domain import checks
from csprcli.services import explain
from csprcli.services import importer
from csprcli.services import report
from csprcli.services import incidents as service
from csprcli.services import cases as reading
from csprcli.services.rulebook import rulebook
from csprcli.store.database import open_store
from csprcli.domain.errors import BadInput
from csprcli.domain.vocabulary import Abuse, Nature, Outcome
from csprcli.domain.clock import Status

D = date.fromisoformat
AS_OF = D("2026-01-29")


@pytest.fixture
def store(tmp_path):
    opened = open_store(tmp_path / "core.db", create=True)
    yield opened
    opened.close()


def recorded(store, aware: str, **extra):
    incident = service.new_incident(
        child="LCS-104233", la="Walsall", aware=D(aware), nature=Nature.SERIOUS_HARM, abuse=Abuse.SUSPECTED, **extra
    )
    return service.add_incident(store, incident)


# -- checks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, read", [("yes", True), ("Y", True), ("true", True), ("1", True), ("no", False), ("0", False)]
)
def test_yes_and_no_are_read_the_same_for_correct_and_import(typed, read):
    assert checks.read_value("looked_after", typed, as_of=AS_OF, what="looked-after") is read


def test_a_fixed_choice_is_read_in_any_letter_case_and_refused_with_the_field_named():
    assert checks.read_value("outcome", "LCSPR", as_of=AS_OF, what="outcome") is Outcome.LCSPR
    with pytest.raises(
        BadInput, match=r"^outcome: 'lcsrp' is not an outcome; did you mean 'lcspr'\? \(one of: lcspr, no-lcspr"
    ):
        checks.read_value("outcome", "lcsrp", as_of=AS_OF, what="outcome")


def test_only_the_planned_publication_may_be_after_the_as_of_date():
    assert checks.read_value("planned_publication", "13/07/2026", as_of=AS_OF, what="p") == D("2026-07-13")
    with pytest.raises(BadInput, match="after the as-of date"):
        checks.read_value("published", "13/07/2026", as_of=AS_OF, what="published")


def test_a_name_is_never_taken_for_a_child_reference():
    with pytest.raises(BadInput, match="never a name") as refused:
        checks.check_child_ref("Jane Smith")
    assert "Jane" not in str(refused.value)
    assert checks.check_child_ref(" Child A ") == "Child A"


# -- the service --------------------------------------------------------------------------------


def test_a_notification_two_days_before_christmas_is_on_time(store):
    # Aware Fri 19 Dec 2025: Mon 22, Tue 23, Wed 24, (Christmas, Boxing Day, weekend), Mon 29, Tue 30 Dec.
    incident = recorded(store, "2025-12-19")
    assert incident.ref == "SI-2025-001"
    service.notify(store, incident.ref, on=D("2025-12-30"))
    notification = next(c for c in reading.case(store, rulebook(store), incident.ref, AS_OF).clocks)
    assert (notification.due, notification.status) == (D("2025-12-30"), Status.DONE)


def test_the_lists_of_clocks_leave_the_collector_as_they_found_it(store, monkeypatch):
    # overdue and upcoming hold Python's cyclic collector off while they build their lists: it
    # is on again after, also when reading fails part way, and stays off if it was off before.
    import gc

    recorded(store, "2026-01-05")  # notification due Mon 12 Jan: overdue on 29 Jan
    assert "notification" in [c.milestone for c in reading.overdue(store, AS_OF)]
    assert gc.isenabled()
    assert reading.upcoming(store, AS_OF, within=5) == []
    assert gc.isenabled()

    def broken(*args, **kwargs):
        assert not gc.isenabled()  # held off while the list is built
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(reading, "pending", broken)
    with pytest.raises(RuntimeError):
        reading.overdue(store, AS_OF)
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(RuntimeError):
            reading.upcoming(store, AS_OF)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_service_refuses_a_step_out_of_order_and_writes_nothing(store):
    incident = recorded(store, "2025-12-19")
    with pytest.raises(BadInput, match="record the notification first"):
        service.decide(store, incident.ref, outcome=Outcome.LCSPR, on=D("2026-01-05"), reason="Recurrent themes")
    assert store.incident(incident.ref).decided is None


def test_a_case_with_every_clock_done_is_closed_and_open_as_seen_before_its_last_step(store):
    incident = recorded(store, "2025-12-19")
    service.notify(store, incident.ref, on=D("2025-12-22"))
    service.inform_partners(store, incident.ref, on=D("2025-12-22"))
    service.decide(store, incident.ref, outcome=Outcome.CRITERIA_NOT_MET, on=D("2026-01-05"), reason="Not met")
    book = rulebook(store)
    assert [c.incident.ref for c in reading.cases(store, book, D("2026-01-05"), open_only=True)] == []
    assert [c.incident.ref for c in reading.cases(store, book, D("2026-01-02"), open_only=True)] == [incident.ref]


def test_closing_an_action_a_restored_export_left_done_without_its_day_is_refused_in_words(store):
    # A full export restores an action's status and closed_on as given: "done" with no day is possible.
    from csprcli.domain.model import Action
    from csprcli.domain.vocabulary import ActionStatus
    from csprcli.services import lcspr

    incident = recorded(store, "2025-12-19")
    with store.transaction():
        store.insert_related(
            "actions", incident.ref, Action(1, "Audit the referrals", "Police", D("2026-06-30"), ActionStatus.DONE)
        )
    with pytest.raises(BadInput, match=r"^SI-2025-001: action 1 is already done$"):
        lcspr.close_action(
            store, incident.ref, 1, status=ActionStatus.DONE, on=D("2026-01-20"), evidence="Audit", signed_off_by=None
        )


# -- explain ------------------------------------------------------------------------------------


def test_explain_names_every_day_it_skipped(store):
    incident = recorded(store, "2025-12-19")
    lines = explain.explain(store, rulebook(store), incident.ref, "notification", AS_OF)
    assert "Count: 5 working days after it, the day itself not counted (WORKDAY(2025-12-19, 5))." in lines
    assert "  skipped Thu 25 Dec 2025: Christmas Day" in lines
    assert "  skipped Sat 27 Dec 2025 and Sun 28 Dec 2025: weekend" in lines
    assert lines[-1] == "Due Tue 30 Dec 2025. On Thu 29 Jan 2026: overdue by 21 working days."


# -- the CSV importer ---------------------------------------------------------------------------


def test_the_importer_reads_good_rows_and_names_the_bad_ones():
    text = "child,la,aware,nature,abuse\nLCS-1,Walsall,19/12/2025,death,known\nLCS-2,Walsall,12/31/2025,harm,maybe\n"
    rows = list(importer.read_rows(text, {}, as_of=AS_OF))
    (first, good), (second, bad) = rows
    assert (first, good.child, good.aware, good.nature) == (2, "LCS-1", D("2025-12-19"), Nature.DEATH)
    assert second == 3 and [(e.column, str(e).split(":")[0]) for e in bad] == [
        ("aware", "row 3, column aware"),
        ("nature", "row 3, column nature"),
        ("abuse", "row 3, column abuse"),
    ]


# -- the yearly figures -------------------------------------------------------------------------


def test_the_figures_count_incidents_by_quarter_of_the_reporting_year(store):
    # Q1 is April to June: 30 Jun 2025 is Q1, 1 Jul 2025 Q2, 19 Dec 2025 Q3, 31 Mar 2026 Q4 (outside: 1 Apr 2026).
    for aware in ("2025-06-30", "2025-07-01", "2025-12-19", "2026-03-31", "2026-04-01"):
        recorded(store, aware)
    book = rulebook(store)
    found = report.figures(reading.cases(store, book, D("2026-04-30")), book.calendar, D("2025-04-01"), D("2026-03-31"))
    by_quarter = {f.measure: f.value for f in found if f.section == "incidents by quarter"}
    assert by_quarter == {"Q1": 1, "Q2": 1, "Q3": 1, "Q4": 1}
    assert next(f.value for f in found if f.measure == "serious incidents") == 4
