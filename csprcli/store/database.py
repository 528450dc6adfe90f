"""The database file as a whole: where it is, opening it safely (creating it readable by its owner
only), upgrading its schema with a backup first, backups, its status, and everything in it as one
JSON document (a full export) and back. What is inside, row by row, is `store.Store`'s.
"""

import os
import re
import sqlite3
import stat
from pathlib import Path

from csprcli.domain.errors import BadInput, StoreError
from csprcli.store.files import kind_of, private_folders
from csprcli.store.migrations import DUMPED, MIGRATIONS, applied, migrations
from csprcli.store.store import BUSY_TIMEOUT_SECONDS, Store

SQLITE_HEADER = b"SQLite format 3\x00"


def default_path() -> Path:
    """Where the database lives unless --db or CSPRCLI_DB says otherwise."""
    import typer

    return Path(typer.get_app_dir("csprcli")) / "csprcli.db"


def open_store(
    path: Path, *, create: bool, command: str = "csprcli", write: bool = True, earlier: bool = False
) -> Store:
    """Open the database at `path`; create it if `create`; upgrade its schema if `write`.

    A command that only reads passes write=False (and create=False): it never creates,
    upgrades or writes a database. A missing file, an empty one, a file that is not a
    csprcli database (another program's SQLite file included), one from a newer csprcli or,
    for a reader, one still to be upgraded, is a StoreError (exit status 3) and the file is
    left byte for byte as it was (`earlier` lets a reader that only copies the file, a backup,
    open one still to be upgraded). Even a command that records something creates a database
    only where there is no file (or an empty one), never inside another program's.
    """
    write = write or create
    path = Path(path).expanduser()
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    except OSError as error:
        raise StoreError(f"cannot reach the database at {path}: {error.strerror}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise StoreError(f"{path} is {kind_of(mode)}, not a database file; give a file path with --db")
    if mode is None:
        if not create:
            raise StoreError(
                f"no database at {path}; record an incident first ('csprcli incident add'), "
                "or point --db or CSPRCLI_DB at the existing file"
            )
        _create_database(path)
    header = _header(path)
    if not header and not create:
        raise StoreError(f"{path} is empty, not a csprcli database; check --db or CSPRCLI_DB")
    if header and not header.startswith(SQLITE_HEADER):
        raise StoreError(f"{path} is not a SQLite database; check --db or CSPRCLI_DB")
    store = None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
        store = Store(conn, path, command)
        _check_ours(conn, path, create=create, write=write or earlier)
        conn.execute("PRAGMA foreign_keys = ON")
        store.warnings += _permission_warnings(path)
        if write:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
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


def _check_ours(conn: sqlite3.Connection, path: Path, *, create: bool, write: bool) -> None:
    """Refuse, before anything is written, a file that is not a csprcli database this csprcli can use."""
    done = applied(conn)
    if not done:
        (tables,) = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if tables:
            raise StoreError(
                f"{path} is a SQLite database of another program, not csprcli's; csprcli leaves it alone: "
                "check --db or CSPRCLI_DB"
            )
        if not create:
            raise StoreError(f"{path} is empty, not a csprcli database; check --db or CSPRCLI_DB")
        return
    known = [name for name, _ in MIGRATIONS]
    newer = [name for name in done if name not in known]
    if newer:
        raise StoreError(f"{path} was written by a newer csprcli (schema {newer[-1]}); upgrade csprcli to use it")
    if len(done) < len(known) and not write:
        raise StoreError(
            f"{path} is from an earlier csprcli (schema {done[-1]}); 'csprcli db upgrade' upgrades it "
            "(a backup is taken first), and so does any command that records something"
        )


def _create_database(path: Path) -> None:
    """Create a new database at `path`, readable and writable by its owner only (its folders too).

    It is made whole beside the target and then linked into place, so no other process ever
    finds the file there empty or half made; if another got there first, theirs is kept.
    """
    for folder in [path.parent, *path.parent.parents]:
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"cannot create the database at {path}: {folder} is a file, not a folder")
    private_folders(path.parent)
    import tempfile

    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    except OSError as error:
        raise StoreError(f"cannot create the database at {path}: {error.strerror}") from None
    os.close(fd)
    try:
        conn = sqlite3.connect(temporary)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            _migrate(Store(conn, Path(temporary)))
        finally:
            conn.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process created it first
        except OSError:  # a file system without hard links
            if not path.exists():
                os.rename(temporary, path)
    except OSError as error:
        raise StoreError(f"cannot create the database at {path}: {error.strerror}") from None
    finally:
        for leftover in (temporary, f"{temporary}-wal", f"{temporary}-shm"):
            Path(leftover).unlink(missing_ok=True)


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"cannot read the database at {path}: {error.strerror}") from None


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
        copy = path.with_name(f"{path.name}.before-{known[-1]}.{_stamp()}.bak")
        backup(store, copy)
        told.append(f"backed up the database to {copy} before upgrading it")
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


# -- the whole file -------------------------------------------------------------------------


def dump(store: Store) -> dict:
    """Everything recorded, history included, table by table in id order (for `export --format json`)."""
    out = {"csprcli": "full export", "schema": applied(store.conn)[-1], "register": store.register_identity()}
    for table in DUMPED:
        cursor = store.conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
        names = [d[0] for d in cursor.description]
        out[table] = [dict(zip(names, row)) for row in cursor]
    return out

def restore(store: Store, data: dict) -> int:
    """Load a full export into an empty database, as it was: the same rows, ids and history.

    The history triggers are set aside while the rows go in (the history comes from the
    file), so exporting again gives the same file. Returns the number of rows loaded.
    """
    if not isinstance(data, dict) or data.get("csprcli") != "full export":
        raise BadInput("the file is not a csprcli full export ('csprcli export --format json')")
    if data.get("schema") != applied(store.conn)[-1]:
        raise BadInput(f"the export is of schema {data.get('schema')}; this csprcli has {applied(store.conn)[-1]}")
    if any(store.conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in DUMPED):
        raise BadInput("a full export loads only into an empty database; give a new --db")
    from csprcli.store.migrations import KEPT_IN_HISTORY, _history_triggers

    count = 0
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        triggers = [
            n
            for (n,) in store.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'history_*' "
                "AND name NOT GLOB 'history_append_only*'"
            )
        ]
        for name in triggers:
            store.conn.execute(f"DROP TRIGGER {name}")
        for table in DUMPED:
            rows = data.get(table, [])
            if not isinstance(rows, list):
                raise BadInput(f"the export's {table} is not a list of rows")
            columns = {r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")}
            for row in rows:
                if not isinstance(row, dict) or not row or not set(row) <= columns:
                    raise BadInput(f"the export's {table} has a row that is not one of its records")
                store.insert_row(table, row)
                count += 1
        _history_triggers(store.conn, KEPT_IN_HISTORY)
        identity = data.get("register")
        if not (isinstance(identity, str) and re.fullmatch(r"[0-9a-f]{32}", identity)):
            raise BadInput("the export does not say which register it is (its 'register' is missing or not an identity)")
        store.take_register_identity(identity)  # the same register, in a new file
    except sqlite3.IntegrityError as error:
        store.conn.execute("ROLLBACK")
        raise BadInput(f"the export does not load: {error}") from None
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise
    store.conn.execute("COMMIT")
    return count

def remove_if_empty(path: Path) -> None:
    """Remove the database at `path` (and SQLite's files beside it) if it holds no record: one a
    refused command created a moment ago. One that another process has recorded into is kept."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if any(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in DUMPED):
                return
        finally:
            conn.close()
    except sqlite3.Error:
        return
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)


def backup(store: Store, target: Path) -> None:
    """A consistent copy, taken with SQLite's online backup while others may be writing.

    Written to a temporary file beside the target, readable by its owner only, then
    renamed into place: never a half-written backup.
    """
    from csprcli.store.files import not_the_database, replacing

    target = Path(target).expanduser()
    not_the_database(target, store.path)
    try:
        with replacing(target) as temporary:
            copy = sqlite3.connect(temporary)
            try:
                store.conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
    except OSError as error:
        raise BadInput(f"cannot write a backup in {target.parent}: {error.strerror}") from None


def status(store: Store) -> dict:
    """Schema, counts, size and integrity, for `csprcli db status`."""
    count = {
        table: store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("incidents", "children", "actions", "deaths", "closures", "changes")
    }
    size = sum(p.stat().st_size for p in (store.path, Path(f"{store.path}-wal")) if p.exists())
    integrity = store.conn.execute("PRAGMA integrity_check").fetchone()[0]
    return {"schema": applied(store.conn)[-1], "size_bytes": size, "integrity": integrity, **count}
