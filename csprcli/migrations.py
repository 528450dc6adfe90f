"""The schema, as migrations applied in order, and the history every change leaves.

Each migration is (name, SQL or function). They run through sqlite_utils.Migrations,
all pending ones in one write transaction with their bookkeeping rows. Never edit one
that has shipped: add another.
"""

import sqlite3
from collections.abc import Callable

MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite_utils.Migrations' bookkeeping table
MIGRATION_SET = "csprcli"

MIGRATIONS: list[tuple[str, str | Callable]] = [
    (
        "0001_incidents_and_closures",
        """
        CREATE TABLE incidents (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            child TEXT NOT NULL,
            la TEXT NOT NULL,
            home_la TEXT,
            incident_date TEXT,
            aware TEXT NOT NULL,
            nature TEXT NOT NULL,
            abuse TEXT NOT NULL,
            looked_after INTEGER NOT NULL DEFAULT 0,
            summary TEXT,
            notified TEXT,
            sin_ref TEXT,
            partners_informed TEXT,
            rr_started TEXT,
            decided TEXT,
            outcome TEXT,
            reason TEXT,
            rr_sent TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE closures (
            day TEXT PRIMARY KEY,
            reason TEXT NOT NULL
        );
        """,
    ),
    (
        "0002_statutory_path",
        """
        ALTER TABLE incidents ADD COLUMN panel_response TEXT;
        ALTER TABLE incidents ADD COLUMN panel_response_on TEXT;
        ALTER TABLE incidents ADD COLUMN panel_notes TEXT;
        ALTER TABLE incidents ADD COLUMN reviewer TEXT;
        ALTER TABLE incidents ADD COLUMN reviewer_appointed TEXT;
        ALTER TABLE incidents ADD COLUMN tor_agreed TEXT;
        ALTER TABLE incidents ADD COLUMN planned_publication TEXT;
        ALTER TABLE incidents ADD COLUMN report_sent TEXT;
        ALTER TABLE incidents ADD COLUMN published TEXT;
        ALTER TABLE incidents ADD COLUMN publication_type TEXT;
        ALTER TABLE incidents ADD COLUMN publication_rationale TEXT;
        CREATE TABLE children (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            reference TEXT NOT NULL,
            "primary" INTEGER NOT NULL DEFAULT 0,
            age_band TEXT,
            sex TEXT,
            ethnicity TEXT,
            disability INTEGER,
            looked_after INTEGER,
            cin_plan INTEGER,
            cp_plan TEXT,
            known_to_agencies INTEGER,
            UNIQUE (incident_id, reference)
        );
        INSERT INTO children (incident_id, reference, "primary", looked_after)
            SELECT id, child, 1, looked_after FROM incidents;
        CREATE TABLE checks (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            checked_on TEXT NOT NULL,
            rag TEXT NOT NULL,
            note TEXT
        );
        CREATE TABLE pauses (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            start TEXT NOT NULL,
            "end" TEXT,
            reason TEXT NOT NULL,
            agreed_by TEXT NOT NULL
        );
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            milestone TEXT NOT NULL,
            due TEXT NOT NULL,
            reason TEXT NOT NULL,
            agreed_by TEXT NOT NULL,
            recorded_on TEXT NOT NULL
        );
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            number INTEGER NOT NULL,
            recommendation TEXT NOT NULL,
            agency TEXT NOT NULL,
            target TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            closed_on TEXT,
            evidence TEXT,
            signed_off_by TEXT,
            UNIQUE (incident_id, number)
        );
        CREATE TABLE settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
]


# -- history -------------------------------------------------------------------------------
# Every write command opens a row in `changes` (when, who, which command, why); triggers
# copy every inserted, updated or deleted row of every table into `history` under it, old
# and new values as JSON. Both tables are append-only: triggers refuse updates and deletes.

HISTORY_TABLES = ("incidents", "children", "checks", "pauses", "revisions", "actions", "settings", "closures")
DEATHS = ("deaths",)  # added by 0005
DERIVED = {"closed"}  # worked out from the record, so not history

HISTORY_SCHEMA = """
CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    user TEXT NOT NULL,
    command TEXT NOT NULL,
    reason TEXT,
    undoes INTEGER REFERENCES changes(id)
);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL REFERENCES changes(id),
    ref TEXT,
    tbl TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    op TEXT NOT NULL,
    old TEXT,
    new TEXT
);
CREATE INDEX history_change ON history (change_id);
CREATE INDEX history_ref ON history (ref);
CREATE TRIGGER changes_append_only_update BEFORE UPDATE ON changes BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER changes_append_only_delete BEFORE DELETE ON changes BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_append_only_update BEFORE UPDATE ON history BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_append_only_delete BEFORE DELETE ON history BEGIN SELECT RAISE(ABORT, 'history is append-only'); END
"""


def _history_triggers(db, tables: tuple[str, ...] = HISTORY_TABLES) -> None:
    """(Re)create the triggers that copy each table's changes into `history`.

    Call again from any later migration that adds a column, so the new column is kept too.
    """
    for table in tables:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall() if row[1] not in DERIVED]

        def image(row: str) -> str:
            return "json_object(" + ", ".join(f"'{c}', {row}.\"{c}\"" for c in columns) + ")"

        def ref(row: str) -> str:
            if "ref" in columns:  # incidents, deaths
                return f"{row}.ref"
            if "incident_id" in columns:
                return f"(SELECT ref FROM incidents WHERE id = {row}.incident_id)"
            return "NULL"

        for op, old, new, row in (
            ("insert", "NULL", image("NEW"), "NEW"),
            ("update", image("OLD"), image("NEW"), "NEW"),
            ("delete", image("OLD"), "NULL", "OLD"),
        ):
            db.execute(f"DROP TRIGGER IF EXISTS history_{table}_{op}")
            when = f"WHEN {old} IS NOT {new}" if op == "update" else ""
            db.execute(
                f"CREATE TRIGGER history_{table}_{op} AFTER {op.upper()} ON {table} {when} BEGIN "
                f"INSERT INTO history (change_id, ref, tbl, row_id, op, old, new) VALUES "
                f"((SELECT max(id) FROM changes), {ref(row)}, '{table}', {row}.rowid, '{op}', {old}, {new}); END"
            )


def _history(db) -> None:
    _run_sql(db, HISTORY_SCHEMA)
    _history_triggers(db)


MIGRATIONS.append(("0003_history", _history))


def _speed(db) -> None:
    """What makes the daily lists fast on years of cases (docs/performance.md).

    `closed` marks a case with no clock left to run (NULL: not yet worked out), so the
    lists of what is due read open cases only; it is kept up to date by every write.
    `bank_holidays` holds England and Wales bank holidays from the `holidays` package, so
    a command need not import and compute them; `meta` says which version filled it.
    """
    _run_sql(
        db,
        """
        ALTER TABLE incidents ADD COLUMN closed INTEGER;
        CREATE INDEX incidents_closed ON incidents (closed);
        CREATE TABLE bank_holidays (day TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)
        """,
    )
    _history_triggers(db)


MIGRATIONS.append(("0004_speed", _speed))


def _deaths(db) -> None:
    """The Child Death Overview Panel's register beside the incidents (domain.md section 2)."""
    _run_sql(
        db,
        """
        CREATE TABLE deaths (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            died TEXT NOT NULL,
            age_years INTEGER NOT NULL,
            age_days INTEGER NOT NULL,
            resident INTEGER NOT NULL,
            expected INTEGER NOT NULL,
            jar_needed INTEGER NOT NULL,
            abuse TEXT NOT NULL,
            incident_ref TEXT,
            notified TEXT,
            jar TEXT,
            information TEXT,
            meeting TEXT,
            reviewed TEXT,
            category TEXT,
            modifiable INTEGER,
            paused_since TEXT,
            pause_reason TEXT
        );
        CREATE INDEX deaths_incident ON deaths (incident_ref)
        """,
    )
    _history_triggers(db, DEATHS)


MIGRATIONS.append(("0005_child_deaths", _deaths))


def _history_refuses_replace(db) -> None:
    """INSERT OR REPLACE (and REPLACE INTO) would delete a history row without firing the delete
    triggers (recursive triggers are off): refuse any insert that reuses an existing id."""
    for table in ("changes", "history"):
        db.execute(
            f"CREATE TRIGGER {table}_append_only_insert BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END"
        )


MIGRATIONS.append(("0006_history_refuses_replace", _history_refuses_replace))


def _published_events(db) -> None:
    """What the calendar feed last published of each event (csprcli/ics.py), so that a deadline
    that is no longer due comes back cancelled, with a higher SEQUENCE, instead of vanishing.
    Derived from the record, so not history."""
    _run_sql(
        db,
        """
        CREATE TABLE published_events (
            uid TEXT PRIMARY KEY,
            day TEXT NOT NULL,
            summary TEXT NOT NULL,
            description TEXT NOT NULL,
            status TEXT NOT NULL,
            sequence INTEGER NOT NULL
        )
        """,
    )


MIGRATIONS.append(("0007_published_events", _published_events))


def _run_sql(db, sql: str) -> None:
    # Statement by statement: executescript() would commit the migration's transaction.
    for statement in sql.split(";\n"):
        if statement.strip():
            db.execute(statement)


def migrations():
    """The migrations as a sqlite_utils.Migrations set."""
    from sqlite_utils import Migrations

    found = Migrations(MIGRATION_SET)
    for name, step in MIGRATIONS:
        found(name=name)(step if callable(step) else (lambda db, sql=step: _run_sql(db, sql)))
    return found


def applied(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations applied to a database, read with plain SQL (cheap)."""
    try:
        rows = conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id", [MIGRATION_SET])
    except sqlite3.OperationalError:  # no such table: a new database
        return []
    return [name for (name,) in rows]
