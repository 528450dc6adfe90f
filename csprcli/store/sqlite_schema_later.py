"""The SQLite form of the migrations from 0010 on (those before: sqlite_schema.py). Never change
what one that has shipped creates: add another."""

from collections.abc import Callable

from csprcli.store.sqlite_schema import DEATHS, EXCHANGE, HISTORY_TABLES, _history_triggers

FORMS: list[tuple[str, Callable]] = []  # (name, the SQLite form), in the order they apply


# The tables 0010's triggers watched, as they stood then (a list that grows later must not change it).
DUE_DATE_SOURCES = (*HISTORY_TABLES, "deaths", "decisions", "death_pauses", "bank_holidays")


def _due_dates(db) -> None:
    """The milestones still to be done, stored (dues.py), and triggers that take their stamp away
    when they or any table they are worked out from change, whoever changes them: the service
    stamps them again when it has written them (service.writing, Store.replace_due_dates); until
    then readers work them out."""
    db["due_dates"].create(
        {
            "id": int,
            "ref": str,
            "milestone": str,
            "title": str,
            "force": str,
            "trigger": str,
            "due": str,
            "original_due": str,
            "counts_from": str,
            "unit": str,
            "counts_on": str,
            "state": str,
        },
        pk="id",
        not_null={"ref", "milestone", "title", "force", "counts_from", "unit", "counts_on", "state"},
    )
    db["due_dates"].create_index(["ref"], index_name="due_dates_ref")
    for table in (*DUE_DATE_SOURCES, "due_dates"):  # and the rows themselves: one cleared by hand is not fresh
        for op in ("insert", "update", "delete"):
            db.execute(
                f"CREATE TRIGGER due_dates_stale_{table}_{op} AFTER {op.upper()} ON {table} "
                "BEGIN DELETE FROM meta WHERE name = 'due_dates'; END"
            )


FORMS.append(("0010_due_dates", _due_dates))


def _nothing_derived(db) -> None:
    """One truth: nothing worked out from the record is kept beside it. The stored due dates
    (0010), their stamp and triggers, and each case's closed mark (0004) go; every list reads
    the lifecycle worked out from the record (domain/lifecycle.py), so a file edited by hand,
    an old build's rows or a rule changed without a version bump can never show another date."""
    for table in (*DUE_DATE_SOURCES, "due_dates"):
        for op in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER IF EXISTS due_dates_stale_{table}_{op}")
    db.execute("DROP TABLE IF EXISTS due_dates")
    db.execute("DELETE FROM meta WHERE name = 'due_dates'")
    db.execute("DROP INDEX IF EXISTS incidents_closed")
    db.execute(
        "ALTER TABLE incidents DROP COLUMN closed"
    )  # SQL: the table API drops a column only by copying the table
    _history_triggers(db, ("incidents",))


FORMS.append(("0011_nothing_derived", _nothing_derived))


def _panel_exchange(db) -> None:
    """The exchange with the Panel as a dated series of any length (domain.md section 6): the
    Panel's responses, the partners' reconsidered decisions and the rapid review sent again,
    one row a step, in the order they happened. The one Panel response each incident kept
    (panel_response, panel_response_on, panel_notes) becomes its first step, the reconsidered
    decisions (the `decisions` table) the steps after it; those columns and that table go (their
    rows stay in the history). The first decision and the first sending stay on the incident."""
    db["exchange"].create(
        {"id": int, "incident_id": int, "step": str, "day": str, "response": str, "outcome": str, "notes": str},
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
        not_null={"incident_id", "step", "day"},
    )
    db["exchange"].create_index(["incident_id"], index_name="exchange_incident")
    for row in db.execute("SELECT id FROM incidents ORDER BY id").fetchall():
        db.execute(
            "INSERT INTO exchange (incident_id, step, day, response, notes) "
            "SELECT id, 'response', panel_response_on, panel_response, panel_notes FROM incidents "
            "WHERE id = ? AND panel_response_on IS NOT NULL",
            [row[0]],
        )
        db.execute(
            "INSERT INTO exchange (incident_id, step, day, outcome, notes) "
            "SELECT incident_id, 'decision', decided, outcome, reason FROM decisions WHERE incident_id = ? ORDER BY decided, id",
            [row[0]],
        )
    for op in ("insert", "update", "delete"):  # they name the columns about to go
        db.execute(f"DROP TRIGGER IF EXISTS history_incidents_{op}")
    # SQL: the table API drops a column only by copying the whole table (transform).
    for column in ("panel_response", "panel_response_on", "panel_notes"):
        db.execute(f"ALTER TABLE incidents DROP COLUMN {column}")
    db.execute("DROP TABLE decisions")  # its triggers go with it
    _history_triggers(db, ("incidents",) + EXCHANGE)


FORMS.append(("0012_panel_exchange", _panel_exchange))


def _recorded_days(db) -> None:
    """The day each write was made as of, and the day each action was recorded (domain.md section 6:
    a view of a past day takes settings, closure days, planned dates and actions as they stood that
    evening).

    `changes.as_of`: the day a write was made as of (the command's --as-of, today by default); the
    changes made before it have none, and are dated by when they were made, in England. An action's
    `recorded_on`: the day it was recorded; for the actions already kept, the day of the change that
    recorded each (from the history), or none where the history does not have it (kept before it began).
    """
    from datetime import datetime

    from csprcli.domain.dates import london_date

    db["changes"].add_column("as_of", str)
    for op in ("insert", "update", "delete"):  # they name the columns: set aside while the column is filled
        db.execute(f"DROP TRIGGER IF EXISTS history_actions_{op}")
    db["actions"].add_column("recorded_on", str)
    recorded = db.execute(
        "SELECT h.row_id, c.at FROM history h JOIN changes c ON c.id = h.change_id "
        "WHERE h.tbl = 'actions' AND h.op = 'insert' ORDER BY h.id"
    ).fetchall()
    days = {
        row_id: london_date(datetime.fromisoformat(at.replace("Z", "+00:00"))).isoformat() for row_id, at in recorded
    }
    for row_id, day in days.items():  # the latest insert of each row: an undone action's row may be used again
        db.execute("UPDATE actions SET recorded_on = ? WHERE id = ?", [day, row_id])
    _history_triggers(db, ("actions",))


FORMS.append(("0013_recorded_days", _recorded_days))


def _death_child(db) -> None:
    """The child of a death record, as the incidents have it (issue 21): sex and ethnicity in
    DfE's groups, and the place of death (home, hospital, other). Each may be left unrecorded."""
    for column in ("sex", "ethnicity", "place"):
        db["deaths"].add_column(column, str)
    _history_triggers(db, DEATHS)  # so the history keeps the new columns too


FORMS.append(("0015_death_child", _death_child))


def _register_identity(db) -> None:
    """The register's identity (issue 21): made once, when the database is made (or, for a database
    made before, when it is upgraded), and never changed. It is kept by a copy of the file and
    carried by a full export into the database it is loaded into. The calendar feed puts it in every
    event's UID, so two registers' feeds (a training copy, a neighbouring partnership) never replace
    each other's events in a calendar. One row, by a CHECK."""
    import uuid

    # SQL: the table API cannot write a CHECK constraint.
    db.execute("CREATE TABLE register (id INTEGER PRIMARY KEY CHECK (id = 1), identity TEXT NOT NULL)")
    db.execute("INSERT INTO register (id, identity) VALUES (1, ?)", [uuid.uuid4().hex])


FORMS.append(("0016_register_identity", _register_identity))
