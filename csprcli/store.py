"""The only module that touches SQLite: opening the file safely, migrations, reads and writes.

One file holds everything. It is created readable and writable by its owner only,
in WAL mode so readers never block the writer, and every write command runs in one
`BEGIN IMMEDIATE` transaction: all or nothing.
"""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
import types
import typing
from dataclasses import fields
from datetime import date
from enum import Enum
from pathlib import Path

from csprcli.errors import BadInput, StoreError, UnknownCase
from csprcli.model import Action, Child, Incident, Pause, ProgressCheck, Revision

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 30

# -- migrations ---------------------------------------------------------------
# Each is (name, SQL). They run in order through sqlite_utils.Migrations, each in a
# transaction with its bookkeeping row. Never edit one that has shipped: add another.

MIGRATIONS: list[tuple[str, str]] = [
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

# The records kept in tables of their own, one row per item, each under its incident.
_RELATED = {"children": Child, "checks": ProgressCheck, "pauses": Pause, "revisions": Revision, "actions": Action}
_INCIDENT_FIELDS = [f.name for f in fields(Incident) if f.name not in _RELATED]


_MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite_utils.Migrations' bookkeeping table


def _migrations():
    from sqlite_utils import Migrations

    migrations = Migrations("csprcli")
    for name, sql in MIGRATIONS:
        migrations(name=name)(_runner(sql))
    return migrations


def _runner(sql: str):
    def run(db) -> None:
        # Statement by statement: executescript() would commit the migration's transaction.
        for statement in sql.split(";"):
            if statement.strip():
                db.execute(statement)

    return run


# -- opening ------------------------------------------------------------------


def default_path() -> Path:
    """Where the database lives unless --db or CSPRCLI_DB says otherwise."""
    import typer

    return Path(typer.get_app_dir("csprcli")) / "csprcli.db"


class Store:
    """An open csprcli database."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write, all or nothing. IMMEDIATE takes the write lock at the start."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- incidents ----------------------------------------------------------

    def incidents(self) -> list[Incident]:
        """Every incident with its related records, oldest first."""
        related = {name: self._related(name, cls) for name, cls in _RELATED.items()}
        rows = self.conn.execute(f"SELECT id, {_columns(_INCIDENT_FIELDS)} FROM incidents ORDER BY id")
        return [
            _record(Incident, row[1:], _INCIDENT_FIELDS, **{n: tuple(r.get(row[0], ())) for n, r in related.items()})
            for row in rows
        ]

    def incident(self, ref: str) -> Incident:
        row = self.conn.execute(
            f"SELECT id, {_columns(_INCIDENT_FIELDS)} FROM incidents WHERE ref = ?", [ref.strip().upper()]
        ).fetchone()
        if row is None:
            raise UnknownCase(ref)
        related = {name: tuple(self._related(name, cls, row[0]).get(row[0], ())) for name, cls in _RELATED.items()}
        return _record(Incident, row[1:], _INCIDENT_FIELDS, **related)

    def _related(self, table: str, cls, incident_id: int | None = None) -> dict[int, list]:
        names = [f.name for f in fields(cls)]
        where = "WHERE incident_id = ?" if incident_id is not None else ""
        cursor = self.conn.execute(
            f"SELECT incident_id, {_columns(names)} FROM {table} {where} ORDER BY id",
            [incident_id] if incident_id is not None else [],
        )
        found: dict[int, list] = {}
        for row in cursor:
            found.setdefault(row[0], []).append(_record(cls, row[1:], names))
        return found

    def next_ref(self, year: int) -> str:
        """The next reference of a year: SI-2026-001, SI-2026-002, ... never reused."""
        prefix = f"SI-{year}-"
        (last,) = self.conn.execute(
            "SELECT max(CAST(substr(ref, ?) AS INTEGER)) FROM incidents WHERE ref LIKE ?",
            [len(prefix) + 1, prefix + "%"],
        ).fetchone()
        return f"{prefix}{(last or 0) + 1:03d}"

    def insert_incident(self, incident: Incident) -> None:
        self._insert("incidents", {name: getattr(incident, name) for name in _INCIDENT_FIELDS})
        for child in incident.children:
            self.insert_related("children", incident.ref, child)

    def update_incident(self, ref: str, **changes) -> None:
        unknown = set(changes) - set(_INCIDENT_FIELDS)
        if unknown:
            raise ValueError(f"not incident fields: {sorted(unknown)}")
        self.conn.execute(
            f"UPDATE incidents SET {', '.join(f'{_quoted(n)} = ?' for n in changes)} WHERE ref = ?",
            [_to_sql(v) for v in changes.values()] + [ref],
        )

    def insert_related(self, table: str, ref: str, record) -> None:
        """Add a child, a progress check, a pause, a revision or an action to an incident."""
        assert _RELATED[table] is type(record)
        values = {f.name: getattr(record, f.name) for f in fields(record)}
        values["incident_id"] = self._incident_id(ref)
        self._insert(table, values)

    def update_related(self, table: str, ref: str, key: str, key_value, **changes) -> None:
        """Change fields of one related record, found by `key` (a child's reference, an action's number, ...)."""
        self.conn.execute(
            f"UPDATE {table} SET {', '.join(f'{_quoted(n)} = ?' for n in changes)} "
            f"WHERE incident_id = ? AND {_quoted(key)} = ?",
            [_to_sql(v) for v in changes.values()] + [self._incident_id(ref), _to_sql(key_value)],
        )

    def _incident_id(self, ref: str) -> int:
        row = self.conn.execute("SELECT id FROM incidents WHERE ref = ?", [ref]).fetchone()
        if row is None:
            raise UnknownCase(ref)
        return row[0]

    def _insert(self, table: str, values: dict) -> None:
        self.conn.execute(
            f"INSERT INTO {table} ({_columns(values)}) VALUES ({', '.join('?' for _ in values)})",
            [_to_sql(v) for v in values.values()],
        )

    # -- settings -----------------------------------------------------------

    def settings(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT name, value FROM settings"))

    def set_setting(self, name: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [name, value],
        )

    # -- closures -----------------------------------------------------------

    def closures(self) -> dict[date, str]:
        return {date.fromisoformat(d): r for d, r in self.conn.execute("SELECT day, reason FROM closures")}

    def add_closure(self, day: date, reason: str) -> None:
        try:
            self.conn.execute("INSERT INTO closures (day, reason) VALUES (?, ?)", [day.isoformat(), reason])
        except sqlite3.IntegrityError:
            raise BadInput(f"{day.isoformat()} is already recorded as a closure day") from None

    def remove_closure(self, day: date) -> None:
        cursor = self.conn.execute("DELETE FROM closures WHERE day = ?", [day.isoformat()])
        if cursor.rowcount == 0:
            raise BadInput(f"{day.isoformat()} is not a recorded closure day; 'csprcli holidays' lists them")


def open_store(path: Path, *, create: bool) -> Store:
    """Open the database at `path`, upgrading its schema; create it if `create`.

    Read-only commands pass create=False, so that a mistyped path makes a nightly
    check fail loudly instead of reporting an empty new database as "nothing overdue".
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file; give a file path with --db")
    if not path.exists():
        if not create:
            raise StoreError(
                f"no database at {path}; record an incident first ('csprcli incident add'), "
                "or point --db or CSPRCLI_DB at the existing file"
            )
        _create_private_file(path)
    _check_header(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        _migrate(conn, path)
    except sqlite3.DatabaseError as error:
        raise StoreError(describe_sqlite_error(error, path)) from None
    return Store(conn, path)


def _create_private_file(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass  # another process created it first
    except OSError as error:
        raise StoreError(f"cannot create the database at {path}: {error.strerror}") from None


def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"cannot read the database at {path}: {error.strerror}") from None
    if header and header != SQLITE_HEADER:
        raise StoreError(f"{path} is not a SQLite database; check --db or CSPRCLI_DB")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a database from a newer csprcli; apply pending migrations.

    The applied names are read with plain SQL, so that the usual case, nothing to do,
    does not pay for importing sqlite-utils.
    """
    try:
        applied = [
            name for (name,) in conn.execute(f"SELECT name FROM {_MIGRATIONS_TABLE} WHERE migration_set = 'csprcli'")
        ]
    except sqlite3.OperationalError:  # no such table: a new database
        applied = []
    known = [name for name, _ in MIGRATIONS]
    newer = [name for name in applied if name not in known]
    if newer:
        raise StoreError(f"{path} was written by a newer csprcli (schema {newer[-1]}); upgrade csprcli to use it")
    if len(applied) < len(known):
        from sqlite_utils import Database

        _migrations().apply(Database(conn, execute_plugins=False, recursive_triggers=False))


def describe_sqlite_error(error: sqlite3.Error, path: Path) -> str:
    """One line for a SQLite failure, saying what to do."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return f"the database at {path} stayed busy for {BUSY_TIMEOUT_SECONDS}s; nothing was written, try again"
    if "readonly" in text or "read-only" in text:
        return f"the database at {path} is read-only; check the file's and its folder's permissions"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"the database at {path} is damaged or not a csprcli database; restore a backup"
    return f"the database at {path} could not be used: {text}"


def _quoted(name: str) -> str:
    return f'"{name}"'


def _columns(names) -> str:
    return ", ".join(_quoted(n) for n in names)


def _to_sql(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _record(cls, row, names, **extra):
    """A dataclass from a row, each value turned back into its field's type."""
    hints = _hints(cls)
    values = {}
    for name, value in zip(names, row):
        kind = hints[name]
        if value is not None and kind is not str:
            value = date.fromisoformat(value) if kind is date else bool(value) if kind is bool else kind(value)
        values[name] = value
    return cls(**values, **extra)


_HINTS: dict[type, dict[str, type]] = {}


def _hints(cls) -> dict[str, type]:
    """Each field's type, without the `| None`."""
    if cls not in _HINTS:
        found = {}
        for name, hint in typing.get_type_hints(cls).items():
            if isinstance(hint, types.UnionType):
                hint = next(a for a in typing.get_args(hint) if a is not type(None))
            found[name] = hint
        _HINTS[cls] = found
    return _HINTS[cls]
