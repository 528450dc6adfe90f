"""The database file: where it is, opening it safely (creating it readable by its owner only),
and upgrading its schema with a backup first. What is inside is `store.Store`'s.
"""

import os
import sqlite3
import stat
from pathlib import Path

from csprcli.errors import StoreError
from csprcli.migrations import MIGRATIONS, applied, migrations
from csprcli.store import BUSY_TIMEOUT_SECONDS, Store

SQLITE_HEADER = b"SQLite format 3\x00"


def default_path() -> Path:
    """Where the database lives unless --db or CSPRCLI_DB says otherwise."""
    import typer

    return Path(typer.get_app_dir("csprcli")) / "csprcli.db"


def open_store(path: Path, *, create: bool, command: str = "csprcli") -> Store:
    """Open the database at `path`, upgrading its schema; create it if `create`.

    Read-only commands pass create=False, so that a mistyped path makes a nightly
    check fail loudly instead of reporting an empty new database as "nothing overdue".
    """
    path = Path(path).expanduser()
    try:
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file; give a file path with --db")
        if not path.exists():
            if not create:
                raise StoreError(
                    f"no database at {path}; record an incident first ('csprcli incident add'), "
                    "or point --db or CSPRCLI_DB at the existing file"
                )
            _create_private_file(path)
    except OSError as error:
        raise StoreError(f"cannot reach the database at {path}: {error.strerror}") from None
    _check_header(path)
    store = None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
        store = Store(conn, path, command)
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        store.warnings += _permission_warnings(path)
        store.warnings += _migrate(store)
    except sqlite3.DatabaseError as error:
        if store is not None:
            store.close()
        raise StoreError(describe_sqlite_error(error, path)) from None
    except BaseException:
        if store is not None:
            store.close()
        raise
    return store


def _create_private_file(path: Path) -> None:
    """Create the file (and its folders) readable and writable by its owner only."""
    for folder in [path.parent, *path.parent.parents]:
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"cannot create the database at {path}: {folder} is a file, not a folder")
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


def _permission_warnings(path: Path) -> list[str]:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return [f"{path} can be read by others (mode {mode:o}); it holds data about children: chmod 600 {path}"]
    return []


def _migrate(store: Store) -> list[str]:
    """Refuse a database from a newer csprcli; back up an existing one, then apply pending migrations.

    The applied names are read with plain SQL, so that the usual case, nothing to do,
    does not pay for importing sqlite-utils. Returns what the user should be told.
    """
    conn, path = store.conn, store.path
    known = [name for name, _ in MIGRATIONS]
    done = applied(conn)
    newer = [name for name in done if name not in known]
    if newer:
        raise StoreError(f"{path} was written by a newer csprcli (schema {newer[-1]}); upgrade csprcli to use it")
    if len(done) == len(known):
        return []
    from sqlite_utils import Database

    told = []
    if done:
        backup = path.with_name(f"{path.name}.before-{known[-1]}.{_stamp()}.bak")
        store.backup(backup)
        told.append(f"backed up the database to {backup} before upgrading it")
    conn.execute("BEGIN IMMEDIATE")  # one writer migrates; another waits, then finds nothing to do
    try:
        migrations().apply(Database(conn, execute_plugins=False, recursive_triggers=False))
        store._refresh_bank_holidays()
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return told


def _stamp() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


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
