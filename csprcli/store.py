"""The only module that touches SQLite: opening the file safely, migrations, reads and writes.

One file holds everything. It is created readable and writable by its owner only,
in WAL mode so readers never block the writer, and every write command runs in one
`BEGIN IMMEDIATE` transaction: all or nothing.
"""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import date
from pathlib import Path

from csprcli.errors import BadInput, StoreError, UnknownCase
from csprcli.model import Abuse, Incident, Nature, Outcome

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
]

_DATE_FIELDS = {"aware", "incident_date", "notified", "partners_informed", "rr_started", "decided", "rr_sent"}
_INCIDENT_FIELDS = [f.name for f in fields(Incident)]


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
        cursor = self.conn.execute(f"SELECT {', '.join(_INCIDENT_FIELDS)} FROM incidents ORDER BY id")
        return [_incident(row) for row in cursor]

    def incident(self, ref: str) -> Incident:
        cursor = self.conn.execute(
            f"SELECT {', '.join(_INCIDENT_FIELDS)} FROM incidents WHERE ref = ?", [ref.strip().upper()]
        )
        row = cursor.fetchone()
        if row is None:
            raise UnknownCase(ref)
        return _incident(row)

    def next_ref(self, year: int) -> str:
        """The next reference of a year: SI-2026-001, SI-2026-002, ... never reused."""
        prefix = f"SI-{year}-"
        (last,) = self.conn.execute(
            "SELECT max(CAST(substr(ref, ?) AS INTEGER)) FROM incidents WHERE ref LIKE ?",
            [len(prefix) + 1, prefix + "%"],
        ).fetchone()
        return f"{prefix}{(last or 0) + 1:03d}"

    def insert_incident(self, incident: Incident) -> None:
        values = {name: _to_sql(getattr(incident, name)) for name in _INCIDENT_FIELDS}
        self.conn.execute(
            f"INSERT INTO incidents ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
            list(values.values()),
        )

    def update_incident(self, ref: str, **changes) -> None:
        unknown = set(changes) - set(_INCIDENT_FIELDS)
        if unknown:
            raise ValueError(f"not incident fields: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in changes)
        self.conn.execute(
            f"UPDATE incidents SET {assignments} WHERE ref = ?",
            [_to_sql(v) for v in changes.values()] + [ref],
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
        applied = [name for (name,) in conn.execute(f"SELECT name FROM {_MIGRATIONS_TABLE} WHERE migration_set = 'csprcli'")]
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


def _to_sql(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _incident(row) -> Incident:
    values = dict(zip(_INCIDENT_FIELDS, row))
    for name in _DATE_FIELDS:
        if values[name] is not None:
            values[name] = date.fromisoformat(values[name])
    values["nature"] = Nature(values["nature"])
    values["abuse"] = Abuse(values["abuse"])
    values["looked_after"] = bool(values["looked_after"])
    if values["outcome"] is not None:
        values["outcome"] = Outcome(values["outcome"])
    return Incident(**values)
