"""A register in a SQLite file: opening it safely (creating it readable by its owner only), upgrading
its schema with a backup first, SQLite's integrity check, backups, and removing a file a refused
command created. The rows inside are `store.Store`'s.
"""

import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from csprcli.domain.errors import BadInput, StoreError
from csprcli.store.address import connect_file
from csprcli.store.files import kind_of, private_folders
from csprcli.store.migrations import DUMPED, MIGRATIONS, applied, migrations, needs_upgrade
from csprcli.store.sqlite_errors import busy_timeout, describe_sqlite_error
from csprcli.store.store import Store, rollback

SQLITE_HEADER = b"SQLite format 3\x00"


def open_sqlite(
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
    _refuse_what_is_not_ours(path, create)
    store = None
    try:
        conn = connect_file(path, timeout=busy_timeout())
        store = Store(conn, path, command)
        earlier_schema = _check_ours(conn, path, create=create, write=write or earlier)
        conn.execute("PRAGMA foreign_keys = ON")
        store.warnings += _permission_warnings(path)
        if write:
            if applied(conn):  # a database already there: never written to while damaged
                check_undamaged(store)
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            store.warnings += _migrate(store)
            earlier_schema = False
        store.earlier_schema = earlier_schema
    except sqlite3.DatabaseError as error:
        if store is not None:
            store.close()
        raise StoreError(describe_sqlite_error(error, path)) from None
    except UnicodeDecodeError:  # SQLite's message quoting schema text that is no longer UTF-8
        if store is not None:
            store.close()
        from csprcli.domain.errors import Damaged

        raise Damaged("its schema does not read", path) from None
    except BaseException:
        if store is not None:
            store.close()
        raise
    return store


def _refuse_what_is_not_ours(path: Path, create: bool) -> None:
    """Refuse a path that is not a file, no file for a reader (for a writer, the new database is made
    there), or a file that is empty for a reader or not SQLite's (StoreError, exit 3)."""
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


def _check_ours(conn: sqlite3.Connection, path: Path, *, create: bool, write: bool) -> bool:
    """Refuse, before anything is written, a file that is not a csprcli database this csprcli can use.
    Returns whether it is one from an earlier csprcli, still to be upgraded."""
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
        return False
    to_upgrade = needs_upgrade(done, path)
    if to_upgrade and not write:
        raise StoreError(
            f"{path} is from an earlier csprcli (schema {done[-1]}); 'csprcli db upgrade' upgrades it "
            "(a backup is taken first), and so does any command that records something"
        )
    return to_upgrade


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
        conn = connect_file(temporary)
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
    done = applied(conn)
    if not needs_upgrade(done, path):
        return []
    from sqlite_utils import Database

    told = []
    if done:
        copy = path.with_name(f"{path.name}.before-{MIGRATIONS[-1][0]}.{_stamp()}.bak")
        backup(store, copy)
        told.append(f"backed up the database to {copy} before upgrading it")
    conn.execute("BEGIN IMMEDIATE")  # one writer migrates; another waits, then finds nothing to do
    try:
        migrations().apply(Database(conn, execute_plugins=False, recursive_triggers=False))
        store._refresh_bank_holidays()
    except BaseException:
        rollback(conn)
        raise
    conn.execute("COMMIT")
    return told


def _stamp() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def check_undamaged(store: Store) -> None:
    """Refuse a damaged database (Damaged, exit 3) the way SQLite finds damage: its integrity check,
    which also finds an index that no longer matches its table (SQLite's quick check does not; an
    index that skips a bank holiday makes Christmas a working day). Its cost is in docs/performance.md."""
    _refuse(_first_problem(store.conn, ["PRAGMA integrity_check(1)"]), store.path)


@contextmanager
def checked_while_reading(store: Store, tables: list[str]) -> Iterator[None]:
    """The integrity check of `tables` and their indexes (check_undamaged), made on a read-only
    connection of its own, in a thread, while the command reads: SQLite lets go of Python's lock
    while it checks, so on a machine of two cores the check takes none of the command's time
    (bench/analysis.md). Awaited when the reading ends, before anything is printed: damage found
    is Damaged (exit 3), whatever the reading gave; an error of the check's own (a lock held
    too long) is raised as the reading's would be. An interrupt (Ctrl-C) stops the check, and its
    connection is closed before the register's, so SQLite's files beside it go with the last."""
    conn = connect_file(store.path, read_only=True, timeout=busy_timeout(), check_same_thread=False)
    found: list = []  # the first problem (None: none), or the error the check raised

    def check() -> None:
        try:
            found.append(_first_problem(conn, [f'PRAGMA integrity_check("{table}")' for table in tables]))
        except BaseException as error:
            found.append(error)

    checking = threading.Thread(target=check, name="integrity check", daemon=True)
    try:
        checking.start()
    except BaseException:
        conn.close()
        raise
    try:
        yield
    except BaseException as error:
        while not isinstance(error, Exception) and checking.is_alive():  # an interrupt: the check is stopped
            conn.interrupt()  # (only what runs now: again, until the check has started and stopped)
            checking.join(0.01)
        checking.join()
        conn.close()
        if isinstance(error, Exception) and isinstance(found[0], str):  # damage explains a failed reading
            _refuse(found[0], store.path)
        raise
    checking.join()
    conn.close()
    if isinstance(found[0], BaseException):
        raise found[0]
    _refuse(found[0], store.path)


def _first_problem(conn: sqlite3.Connection, checks: list[str]) -> str | None:
    """The first problem SQLite's checks report, or None when each says "ok"."""
    for check in checks:
        for (problem,) in conn.execute(check):
            if problem != "ok":
                return problem
    return None


def _refuse(problem: str | None, path: Path) -> None:
    if problem is not None:
        from csprcli.domain.errors import Damaged
        from csprcli.domain.text import printable

        raise Damaged(f"SQLite's integrity check: {printable(problem[:100], lines=False)}", path)


def remove_if_empty(path: Path) -> None:
    """Remove the database at `path` (and SQLite's files beside it) if it holds no record: one a
    refused command created a moment ago. One that another process has recorded into is kept."""
    try:
        conn = connect_file(path, read_only=True)
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
            copy = connect_file(temporary)
            try:
                store.conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
    except OSError as error:
        raise BadInput(f"cannot write a backup in {target.parent}: {error.strerror}") from None
