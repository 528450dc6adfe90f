"""The SQLite form of each migration (migrations.py has the list by name and applies it), and the
triggers that keep the history of every change.

Each migration is (name, function): a sqlite_utils.Migrations step, written with its table API
(create, add_column, create_index) and SQL only for what that cannot say (an expression as a
default, a trigger). All pending ones run in one write transaction with their bookkeeping rows.
Never change what one that has shipped creates: add another. (0001 to 0005 were rewritten from
SQL scripts to the table API; the tables, columns, keys and constraints they create are the same,
a UNIQUE over two columns now a unique index.)
"""

from collections.abc import Callable

FORMS: list[
    tuple[str, Callable]
] = []  # (name, the SQLite form) of 0001 to 0009, in the order they apply (the rest: sqlite_schema_later.py)


def _incidents_and_closures(db) -> None:
    # SQL for this one table: its created_at default is an expression, which the table API cannot write.
    db.execute(
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
        )
        """
    )
    db["closures"].create({"day": str, "reason": str}, pk="day", not_null={"reason"})


FORMS.append(("0001_incidents_and_closures", _incidents_and_closures))

UNDER_INCIDENT = {"id": int, "incident_id": int}  # the first columns of a record kept under its incident
TO_INCIDENT = [("incident_id", "incidents", "id")]


def _children(db) -> None:
    """0002's children table (each incident's own child its first row)."""
    db["children"].create(
        UNDER_INCIDENT
        | {
            "reference": str,
            "primary": int,
            "age_band": str,
            "sex": str,
            "ethnicity": str,
            "disability": int,
            "looked_after": int,
            "cin_plan": int,
            "cp_plan": str,
            "known_to_agencies": int,
        },
        pk="id",
        foreign_keys=TO_INCIDENT,
        not_null={"incident_id", "reference", "primary"},
        defaults={"primary": 0},
    )
    db["children"].create_index(["incident_id", "reference"], unique=True)
    db.execute(
        'INSERT INTO children (incident_id, reference, "primary", looked_after) '
        "SELECT id, child, 1, looked_after FROM incidents"
    )


def _statutory_path(db) -> None:
    for column in (
        "panel_response",
        "panel_response_on",
        "panel_notes",
        "reviewer",
        "reviewer_appointed",
        "tor_agreed",
        "planned_publication",
        "report_sent",
        "published",
        "publication_type",
        "publication_rationale",
    ):
        db["incidents"].add_column(column, str)
    _children(db)
    db["checks"].create(
        UNDER_INCIDENT | {"checked_on": str, "rag": str, "note": str},
        pk="id",
        foreign_keys=TO_INCIDENT,
        not_null={"incident_id", "checked_on", "rag"},
    )
    db["pauses"].create(
        UNDER_INCIDENT | {"start": str, "end": str, "reason": str, "agreed_by": str},
        pk="id",
        foreign_keys=TO_INCIDENT,
        not_null={"incident_id", "start", "reason", "agreed_by"},
    )
    db["revisions"].create(
        UNDER_INCIDENT | {"milestone": str, "due": str, "reason": str, "agreed_by": str, "recorded_on": str},
        pk="id",
        foreign_keys=TO_INCIDENT,
        not_null={"incident_id", "milestone", "due", "reason", "agreed_by", "recorded_on"},
    )
    db["actions"].create(
        UNDER_INCIDENT
        | {
            "number": int,
            "recommendation": str,
            "agency": str,
            "target": str,
            "status": str,
            "closed_on": str,
            "evidence": str,
            "signed_off_by": str,
        },
        pk="id",
        foreign_keys=TO_INCIDENT,
        not_null={"incident_id", "number", "recommendation", "agency", "target", "status"},
        defaults={"status": "open"},
    )
    db["actions"].create_index(["incident_id", "number"], unique=True)
    db["settings"].create({"name": str, "value": str}, pk="name", not_null={"value"})


FORMS.append(("0002_statutory_path", _statutory_path))


# -- history -------------------------------------------------------------------------------
# Every write command opens a row in `changes` (when, who, which command, why); triggers
# copy every inserted, updated or deleted row of every table into `history` under it, old
# and new values as JSON. Both tables are append-only: triggers refuse updates and deletes.

HISTORY_TABLES = ("incidents", "children", "checks", "pauses", "revisions", "actions", "settings", "closures")
DEATHS = ("deaths",)  # added by 0005
DEATH_PAUSES = ("death_pauses",)  # added by 0009_death_register
DERIVED = {"closed"}  # worked out from the record, so not history

APPEND_ONLY = [
    f"CREATE TRIGGER {table}_append_only_{op} BEFORE {op.upper()} ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END"
    for table in ("changes", "history")
    for op in ("update", "delete")
]


def _history_triggers(db, tables: tuple[str, ...] = HISTORY_TABLES) -> None:
    """(Re)create the triggers that copy each table's changes into `history`.

    Call again from any later migration that adds a column, so the new column is kept too.
    """
    for table in tables:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall() if row[1] not in DERIVED]

        def image(row: str, columns: list[str] = columns) -> str:
            return "json_object(" + ", ".join(f"'{c}', {row}.\"{c}\"" for c in columns) + ")"

        def ref(row: str, columns: list[str] = columns) -> str:
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
    # SQL for `changes`: its timestamp default is an expression, which the table API cannot write.
    db.execute(
        """
        CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            user TEXT NOT NULL,
            command TEXT NOT NULL,
            reason TEXT,
            undoes INTEGER REFERENCES changes(id)
        )
        """
    )
    db["history"].create(
        {"id": int, "change_id": int, "ref": str, "tbl": str, "row_id": int, "op": str, "old": str, "new": str},
        pk="id",
        foreign_keys=[("change_id", "changes", "id")],
        not_null={"change_id", "tbl", "row_id", "op"},
    )
    db["history"].create_index(["change_id"], index_name="history_change")
    db["history"].create_index(["ref"], index_name="history_ref")
    for trigger in APPEND_ONLY:
        db.execute(trigger)
    _history_triggers(db)


FORMS.append(("0003_history", _history))


def _speed(db) -> None:
    """What makes the daily lists fast on years of cases (docs/performance.md).

    `closed` marks a case with no clock left to run (NULL: not yet worked out), so the
    lists of what is due read open cases only; it is kept up to date by every write.
    `bank_holidays` holds England and Wales bank holidays from the `holidays` package, so
    a command need not import and compute them; `meta` says which version filled it.
    """
    db["incidents"].add_column("closed", int)
    db["incidents"].create_index(["closed"], index_name="incidents_closed")
    db["bank_holidays"].create({"day": str, "name": str}, pk="day", not_null={"name"})
    db["meta"].create({"name": str, "value": str}, pk="name", not_null={"value"})
    _history_triggers(db)


FORMS.append(("0004_speed", _speed))


def _deaths(db) -> None:
    """The Child Death Overview Panel's register beside the incidents (domain.md section 2)."""
    db["deaths"].create(
        {
            "id": int,
            "ref": str,
            "died": str,
            "age_years": int,
            "age_days": int,
            "resident": int,
            "expected": int,
            "jar_needed": int,
            "abuse": str,
            "incident_ref": str,
            "notified": str,
            "jar": str,
            "information": str,
            "meeting": str,
            "reviewed": str,
            "category": str,
            "modifiable": int,
            "paused_since": str,
            "pause_reason": str,
        },
        pk="id",
        not_null={"ref", "died", "age_years", "age_days", "resident", "expected", "jar_needed", "abuse"},
    )
    db["deaths"].create_index(["ref"], unique=True)
    db["deaths"].create_index(["incident_ref"], index_name="deaths_incident")
    _history_triggers(db, DEATHS)


FORMS.append(("0005_child_deaths", _deaths))


def _history_refuses_replace(db) -> None:
    """INSERT OR REPLACE (and REPLACE INTO) would delete a history row without firing the delete
    triggers (recursive triggers are off): refuse any insert that reuses an existing id."""
    for table in ("changes", "history"):
        db.execute(
            f"CREATE TRIGGER {table}_append_only_insert BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END"
        )


FORMS.append(("0006_history_refuses_replace", _history_refuses_replace))


def _published_events(db) -> None:
    """What the calendar feed last published of each event (output/ics.py), so that a deadline
    that is no longer due comes back cancelled, with a higher SEQUENCE, instead of vanishing.
    Derived from the record, so not history."""
    db["published_events"].create(
        {"uid": str, "day": str, "summary": str, "description": str, "status": str, "sequence": int},
        pk="uid",
        not_null={"day", "summary", "description", "status", "sequence"},
    )


FORMS.append(("0007_published_events", _published_events))


def _lifecycle(db) -> None:
    """Reconsidered rapid-review decisions, each in its own right (the first stays on the incident);
    every case's closed mark to be worked out again (NULL), as national reviews and decisions not
    to publish now close clocks they did not."""
    db["decisions"].create(
        {"id": int, "incident_id": int, "decided": str, "outcome": str, "reason": str},
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
        not_null={"incident_id", "decided", "outcome", "reason"},
    )
    db["decisions"].create_index(["incident_id"], index_name="decisions_incident")
    db.execute("UPDATE incidents SET closed = NULL")
    _history_triggers(db, LIFECYCLE)


LIFECYCLE = ("decisions",)  # added by 0008_lifecycle, replaced by the exchange (0012_panel_exchange)
FORMS.append(("0008_lifecycle", _lifecycle))  # briefed as 0006; main had taken 0006 and 0007


def _death_register(db) -> None:
    """The child death register as CDOPs report it (issue 14).

    Ages are kept as typed: months and weeks beside the years and days. Rows recorded before
    kept years and the days beyond them, with a month taken as 30 days: they stay as they were.
    Pauses get a table of their own, kept with both dates, so the register remembers that a
    review waited; the open pause of each death moves there. A category of death is one of the
    ten NCMD categories by short name: an earlier free-text category that names one (short name
    or title, any case) is kept as it; any other is cleared (its text stays in the history).
    """
    from csprcli.domain.model import DEATH_CATEGORY_TITLES

    for op in ("insert", "update", "delete"):  # they name the columns about to go
        db.execute(f"DROP TRIGGER IF EXISTS history_deaths_{op}")
    db["deaths"].add_column("age_months", int, not_null_default=0)
    db["deaths"].add_column("age_weeks", int, not_null_default=0)
    db["death_pauses"].create(
        {"id": int, "ref": str, "start": str, "reason": str, "end": str},
        pk="id",
        not_null={"ref", "start", "reason"},
        foreign_keys=[("ref", "deaths", "ref")],
    )
    db["death_pauses"].create_index(["ref"], index_name="death_pauses_ref")
    db.execute(
        "INSERT INTO death_pauses (ref, start, reason) "
        "SELECT ref, paused_since, pause_reason FROM deaths WHERE paused_since IS NOT NULL"
    )
    # SQL: the table API drops a column only by copying the whole table (transform).
    db.execute("ALTER TABLE deaths DROP COLUMN paused_since")
    db.execute("ALTER TABLE deaths DROP COLUMN pause_reason")
    for category, title in DEATH_CATEGORY_TITLES.items():
        db.execute(
            "UPDATE deaths SET category = ? WHERE lower(trim(category)) IN (?, ?)",
            [category.value, category.value, title.lower()],
        )
    known = [c.value for c in DEATH_CATEGORY_TITLES]
    db.execute(f"UPDATE deaths SET category = NULL WHERE category NOT IN ({', '.join('?' for _ in known)})", known)
    _history_triggers(db, DEATHS + DEATH_PAUSES)


FORMS.append(("0009_death_register", _death_register))  # briefed as 0008; 0008_lifecycle took it


EXCHANGE = ("exchange",)  # added by 0012_panel_exchange
KEPT_IN_HISTORY = HISTORY_TABLES + DEATHS + DEATH_PAUSES + EXCHANGE  # every table whose changes the history keeps
FORMER_TABLES = LIFECYCLE  # tables a migration took away: the history still names them
