"""The stored due dates (dues.py) that `overdue` and `upcoming` read: on every day from today on they
give exactly the milestones that working every clock out from the record gives (service.pending,
the reference), after every kind of write; and when anything changes them behind the service's
back, they are not used until a write works them out again."""

import shlex
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from csprcli.services import dues
from csprcli.services import incidents as service
from csprcli.store.database import open_store

EXAMPLES = Path(__file__).parent.parent / "examples"
LAST_STEP = date(2026, 3, 4)  # the sample's last recorded day
DAYS = [LAST_STEP + timedelta(days=n) for n in (0, 1, 5, 30, 120, 150, 300, 700)]  # 150: a revised target not yet due, its original passed


def sample_steps() -> list[tuple[str, list[str]]]:
    """The steps of examples/sample-cases.sh, each with its day, run in-process here."""
    text = (EXAMPLES / "sample-cases.sh").read_text(encoding="utf-8").replace("\\\n", " ")
    return [(line.split()[1], shlex.split(line)[2:]) for line in text.splitlines() if line.startswith("c 20")]


@pytest.fixture
def record(cli, db_path):
    for day, args in sample_steps():
        cli.ok(*args, as_of=day)
    return db_path


def readings(path: Path, day: date) -> tuple[list, list | None]:
    """What the record gives on `day` (worked out), and what the stored due dates give (None when
    they are not fresh), each sorted by case and milestone."""
    store = open_store(path, create=False, write=False)
    try:
        worked_out = list(service.pending(store, service.rulebook(store), day, past=False))
        fresh = store.due_dates_stamp()[0] == dues.STAMP
        stored = dues.pending(store, day) if fresh else None
    finally:
        store.close()
    key = lambda c: (c.ref, c.milestone)  # noqa: E731
    return sorted(worked_out, key=key), None if stored is None else sorted(stored, key=key)


def assert_same_on_every_day(path: Path) -> None:
    for day in DAYS:
        worked_out, stored = readings(path, day)
        assert stored is not None, "a write left the stored due dates out of date"
        assert stored == worked_out, day
        assert_what_overdue_and_upcoming_read_is_the_same(path, day, worked_out)


def assert_what_overdue_and_upcoming_read_is_the_same(path: Path, day: date, worked_out: list) -> None:
    """The reads that leave out, as stored, what cannot concern overdue or upcoming find what the
    whole record gives."""
    store = open_store(path, create=False, write=False)
    try:
        for original in (False, True):
            stored = dues.overdue(dues.pending(store, day, overdue_only=True), against_original=original)
            assert stored == dues.overdue(worked_out, against_original=original), (day, original)
        for horizon in (day, day + timedelta(days=10), day + timedelta(days=400)):
            assert dues.upcoming(dues.pending(store, day, due_until=horizon), horizon) == dues.upcoming(
                worked_out, horizon
            ), (day, horizon)
    finally:
        store.close()


def test_the_sample_cases_stored_are_what_the_record_gives_on_any_day(record):
    worked_out, _ = readings(record, LAST_STEP)
    statuses = {c.status.value for c in worked_out}
    assert {"overdue", "open", "waiting"} <= statuses  # the sample reaches every kind that is stored
    assert {c.counts_from for c in worked_out} >= {"the notification"}
    assert_same_on_every_day(record)


def test_each_kind_of_write_keeps_them_what_the_record_gives(cli, record):
    day = LAST_STEP.isoformat()
    writes = [
        ("lcspr", "pause", "SI-2025-001", "--on", "04/03/2026", "--reason", "Criminal proceedings", "--agreed-by", "Chair"),
        ("revise", "SI-2025-001", "publication", "--to", "30/10/2026", "--reason", "Trial moved", "--agreed-by", "Chair"),
        ("lcspr", "resume", "SI-2025-001", "--on", "04/03/2026"),
        ("death", "add", "WS1234", "--died", "03/03/2026", "--age", "3 months", "--unexpected", "--jar"),
        ("calendar", "close", "06/03/2026", "--reason", "Staff training"),  # a local reminder moves, a national clock not
        ("rules", "set", "panel-reminder", "15"),  # a setting: every case's clocks again
        ("incident", "add", "--child", "LCS-900001", "--la", "Walsall", "--aware", "04/03/2026",
         "--nature", "death", "--abuse", "suspected"),  # fmt: skip
        ("incident", "notify", "SI-2026-006", "--on", "04/03/2026", "--sin-ref", "SIN-2026-1"),
    ]
    for args in writes:
        cli.ok(*args, as_of=day)
        assert_same_on_every_day(record)
    cli.ok("undo", "--yes", as_of=day)  # an undo is a write too
    assert_same_on_every_day(record)
    cli.ok("calendar", "reopen", "06/03/2026", as_of=day)
    assert_same_on_every_day(record)


def test_a_refused_write_leaves_them_as_they_were(cli, record):
    before = readings(record, LAST_STEP)
    cli.refused("incident", "notify", "SI-2025-004", "--on", "01/01/2020", as_of=LAST_STEP.isoformat())
    assert readings(record, LAST_STEP) == before


def test_a_change_behind_the_services_back_is_never_read_from_them(cli, record):
    """A hand edit in sqlite3 (or an undo, a restore, an upgrade) takes their stamp away: the
    command works the clocks out again and shows the edited record."""
    with sqlite3.connect(record) as conn:
        conn.execute("UPDATE incidents SET aware = '2026-03-02' WHERE ref = 'SI-2026-003'")
    worked_out, stored = readings(record, LAST_STEP)
    assert stored is None
    shown = cli("overdue", "--format", "csv", as_of=LAST_STEP.isoformat()).stdout
    due = {(c.ref, c.milestone): c.due for c in worked_out}
    assert due[("SI-2026-003", "notification")] == date(2026, 3, 9)  # 5 working days from Mon 2 March
    assert "SI-2026-003,notification" not in shown  # not overdue on 4 March any more
    cli.ok("calendar", "close", "24/12/2027", "--reason", "Christmas", as_of=LAST_STEP.isoformat())
    assert_same_on_every_day(record)  # the next write works every case out again


def test_another_versions_due_dates_are_not_read(record, monkeypatch):
    monkeypatch.setattr(dues, "STAMP", "csprcli 0.0.0")
    assert readings(record, LAST_STEP)[1] is None


def test_bank_holidays_refreshed_by_a_new_holidays_package_work_every_case_out_again(cli, record):
    with sqlite3.connect(record) as conn:
        conn.execute("UPDATE meta SET value = 'holidays 0.0' WHERE name = 'bank_holidays'")
        conn.execute("INSERT INTO meta (name, value) VALUES ('due_dates', ?) "
                     "ON CONFLICT (name) DO UPDATE SET value = excluded.value", [dues.STAMP])  # fmt: skip
    cli.ok("calendar", "close", "24/12/2027", "--reason", "Christmas", as_of=LAST_STEP.isoformat())
    assert_same_on_every_day(record)


def test_a_view_of_a_past_day_works_the_clocks_out_as_they_stood(cli, record):
    """Before the last recorded day, the record then was not the record now: the stored due
    dates are not used, and a case not yet known then is not due then."""
    shown = cli.ok("upcoming", "--within", "30", "--format", "csv", as_of="2026-02-10").stdout
    assert "SI-2026-004,progress-check" not in shown  # its review started on 20 February
    assert "SI-2026-005" not in shown  # the local authority became aware on 2 March
    now = cli.ok("upcoming", "--within", "30", "--format", "csv", as_of=LAST_STEP.isoformat()).stdout
    assert "SI-2026-005,notification" in now


def test_overdue_and_upcoming_read_the_stored_due_dates_without_the_model_or_rich(record):
    """Start-up: `overdue` and `upcoming` on a record whose due dates are stored import neither the
    model, the rules and the lifecycle that work them out, nor Rich, sqlite-utils or holidays."""
    import subprocess
    import sys

    program = (
        "import sys\n"
        "from csprcli.cli import main\n"
        "sys.argv = ['csprcli', '--db', sys.argv[1], '--as-of', '2026-03-04', *sys.argv[2:]]\n"
        "try:\n    main()\nexcept SystemExit as end:\n    code = end.code\n"
        "heavy = ['csprcli.domain.model', 'csprcli.domain.rules', 'csprcli.domain.lifecycle', 'csprcli.services.incidents', 'rich', 'sqlite_utils', 'holidays']\n"
        "print([m for m in heavy if m in sys.modules], code, file=sys.stderr)\n"
    )
    for form, shown, code in (
        (["overdue", "--format", "csv"], "SI-2026-003", 1),
        (["overdue"], "SI-2026-003", 1),
        (["upcoming", "--within", "30"], "SI-2026-005", 0),
    ):
        done = subprocess.run([sys.executable, "-c", program, str(record), *form], capture_output=True, text=True)
        assert done.stderr.strip().splitlines()[-1] == f"[] {code}", done.stderr
        assert shown in done.stdout


def test_a_hand_edit_of_the_stored_due_dates_themselves_is_never_read(cli, record):
    """Someone clears the stored due dates in sqlite3, taking them for a cache, or moves one: `overdue`
    still says what is overdue, worked out from the record, until a write stores them again."""
    with sqlite3.connect(record) as conn:
        conn.execute("DELETE FROM due_dates")
    shown = cli("overdue", "--format", "csv", as_of=LAST_STEP.isoformat())
    assert shown.exit_code == 1
    assert "SI-2026-003,notification" in shown.stdout
    cli.ok("lcspr", "check", "SI-2025-001", "--on", "04/03/2026", "--rag", "green", as_of=LAST_STEP.isoformat())
    assert_same_on_every_day(record)
    with sqlite3.connect(record) as conn:
        conn.execute("UPDATE due_dates SET due = '2027-01-01' WHERE ref = 'SI-2026-003'")
    assert readings(record, LAST_STEP)[1] is None


def test_a_write_landing_while_a_past_day_is_read_is_not_read_as_that_day(cli, record, monkeypatch):
    """A view of a past day reads the stored due dates only if nothing recorded is dated after it
    (the stamp's latest day); a write that lands between that check and the read of the rows
    (another process notifying the next day) is not read into that day: SI-2026-003's
    notification stays overdue on 4 March."""
    from csprcli.store.store import Store

    checked = Store.due_dates_stamp

    def then_another_process_writes(store):
        found = checked(store)
        monkeypatch.setattr(Store, "due_dates_stamp", checked)
        cli.ok("incident", "notify", "SI-2026-003", "--on", "05/03/2026", as_of="2026-03-05")
        return found

    monkeypatch.setattr(Store, "due_dates_stamp", then_another_process_writes)
    store = open_store(record, create=False, write=False)
    try:
        found = dues.overdue(dues.pending(store, LAST_STEP, overdue_only=True))
        assert store.due_dates_stamp()[1] == date(2026, 3, 5)  # the other write did land
    finally:
        store.close()
    assert ("SI-2026-003", "notification") in {(c.ref, c.milestone) for c in found}


def test_the_stamp_keeps_the_latest_day_recorded_and_a_past_view_reads_the_record(cli, record):
    """The stamp says up to which day the record was dated when the due dates were worked out: a
    view of any day before it works the clocks out as they stood (dated_after), any day from it on
    reads them."""
    store = open_store(record, create=False, write=False)
    try:
        stamp, latest = store.due_dates_stamp()
        assert (stamp, latest) == (dues.STAMP, store.last_dated())
        assert latest == date(2026, 3, 2)  # SI-2026-005: aware Mon 2 March, the latest day the sample records
        for day in (latest - timedelta(days=1), latest, latest + timedelta(days=1)):
            assert store.dated_after(day) == (latest > day)
            assert (store.due_dates(dues.STAMP, day) is None) == (day < latest)
    finally:
        store.close()


def test_a_calendar_given_some_years_bank_holidays_refuses_any_other_year():
    """overdue reads only the years its due dates span: a question outside them is an error, never
    a year without bank holidays (which would count Christmas Day as a working day)."""
    from csprcli.domain.calendar import of_record

    years = range(2025, 2028)
    calendar = of_record({}, {date(2025, 12, 25): "Christmas Day", date(2026, 12, 25): "Christmas Day"}, years)
    assert calendar.between(date(2026, 12, 24), date(2026, 12, 29)) == 2  # Fri 25 (Christmas) not counted
    with pytest.raises(ValueError, match="2028 were not read"):
        calendar.between(date(2026, 12, 24), date(2028, 12, 29))


def test_every_day_the_record_says_something_happened_is_one_the_stamp_keeps_track_of():
    """The stamp's latest day (derived._DATED) covers every date field of every record, but for
    the targets and the day of the incident itself, which are not when something was recorded: a
    new dated event left out would let a view of a past day read the stored due dates."""
    import typing
    from dataclasses import fields

    from csprcli.store.derived import _DATED
    from csprcli.domain.model import Death, DeathPause, Incident
    from csprcli.store.store import layout

    not_events = {("incidents", "incident_date"), ("incidents", "planned_publication"), ("revisions", "due"),
                  ("actions", "target")}  # fmt: skip
    tables = {"incidents": Incident, "deaths": Death, "death_pauses": DeathPause, **layout().related}
    for table, record in tables.items():
        hints = typing.get_type_hints(record)
        dated = {f.name for f in fields(record) if date in typing.get_args(hints[f.name]) or hints[f.name] is date}
        assert dated - set(_DATED.get(table, ())) <= {name for t, name in not_events if t == table}, table


def test_a_stamp_edited_into_nonsense_is_not_fresh(cli, record):
    with sqlite3.connect(record) as conn:
        conn.execute("UPDATE meta SET value = 'csprcli 9; recorded up to last Tuesday' WHERE name = 'due_dates'")
    assert readings(record, LAST_STEP)[1] is None
    shown = cli("overdue", "--format", "csv", as_of=LAST_STEP.isoformat())
    assert shown.exit_code == 1 and "SI-2026-003,notification" in shown.stdout
