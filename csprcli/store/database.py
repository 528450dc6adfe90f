"""The database file as a whole: where it is, opening it safely (creating it readable by its owner
only), upgrading its schema with a backup first, backups, its status, and everything in it as one
JSON document (a full export) and back. What is inside, row by row, is `store.Store`'s.
"""

import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from csprcli.domain.errors import BadInput, StoreError
from csprcli.store.files import kind_of, private_folders
from csprcli.store.migrations import DUMPED, MIGRATIONS, applied, migrations
from csprcli.store.store import Store, rollback

SQLITE_HEADER = b"SQLite format 3\x00"


def default_path() -> Path:
    """Where the database lives unless --db or CSPRCLI_DB says otherwise: csprcli.db in the
    application folder: $XDG_CONFIG_HOME/csprcli, else ~/.config/csprcli, on Linux (XDG_CONFIG_HOME
    counts only as an absolute path: the XDG rule is to ignore an empty or relative value, which
    would otherwise give each working folder a register of its own); %APPDATA%\\csprcli on Windows;
    ~/Library/Application Support/csprcli on macOS."""
    import sys

    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "csprcli" / "csprcli.db"
    if sys.platform == "darwin":
        return Path("~/Library/Application Support").expanduser() / "csprcli" / "csprcli.db"
    config = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if os.path.isabs(config) else Path("~/.config").expanduser()
    return base / "csprcli" / "csprcli.db"


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
        conn = sqlite3.connect(path, timeout=busy_timeout())
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
    known = [name for name, _ in MIGRATIONS]
    newer = [name for name in done if name not in known]
    if newer:
        raise StoreError(f"{path} was written by a newer csprcli (schema {newer[-1]}); upgrade csprcli to use it")
    if len(done) < len(known) and not write:
        raise StoreError(
            f"{path} is from an earlier csprcli (schema {done[-1]}); 'csprcli db upgrade' upgrades it "
            "(a backup is taken first), and so does any command that records something"
        )
    return len(done) < len(known)


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
        rollback(conn)
        raise
    conn.execute("COMMIT")
    return told


def _stamp() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def database_error(error: BaseException, path: Path) -> str | None:
    """The one line for an error SQLite raised (describe_sqlite_error), or None for any other error:
    what the command line asks, so that only the store knows SQLite's errors."""
    return describe_sqlite_error(error, path) if isinstance(error, sqlite3.Error) else None


def describe_sqlite_error(error: sqlite3.Error, path: Path) -> str:
    """One line for a SQLite failure, saying what it is, that nothing was written (the CLI takes
    that back when a change had been recorded) and what to do. Never SQLite's own text when it could
    quote a stored value (a row that does not decode quotes it)."""
    text = str(error)
    nothing = "; nothing was written"
    name = getattr(error, "sqlite_errorname", "") or ""
    if "locked" in text or "busy" in text or name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return busy(path) + nothing + ": run it again once that program has finished"
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return f"the disk holding {path} is full{_file_size_limit()}{nothing}: make room, then run it again"
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        limit = _file_size_limit()
        if limit:  # a write past `ulimit -f` is refused by the kernel (EFBIG), which SQLite reports as an I/O error
            return f"a write to {path} went past the file-size limit{limit}{nothing}: raise the limit ('ulimit -f'), then run it again"
        return f"reading or writing {path} failed (a disk I/O error){nothing}: check the disk, then run it again"
    if (
        "readonly" in text
        or "read-only" in text
        or "unable to open" in text
        or name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN"))
    ):
        return _unwritable(path) + nothing
    if (
        "not a database" in text
        or "malformed" in text
        or "corrupt" in text
        or "decode" in text
        or "no such table" in text
        or "no such column" in text
    ):
        from csprcli.domain.errors import Damaged

        found = "its schema does not read" if "schema" in text else "SQLite cannot read it as csprcli wrote it"
        return str(Damaged(found, path))
    return f"the database at {path} could not be used ({name or type(error).__name__}){nothing}"


def busy(path: Path) -> str:
    """The database stayed locked by another program for as long as csprcli waits: who holds it, if it can be known."""
    holders = lock_holders(path)
    who = f" ({'; '.join(holders)})" if holders else ""
    waited = busy_timeout()
    return (
        f"the database at {path} is busy: another program{who} held it for the {waited} "
        f"second{'' if waited == 1 else 's'} csprcli waited"
    )


def busy_timeout() -> int:
    from csprcli.store import store

    return store.BUSY_TIMEOUT_SECONDS


def lock_holders(path: Path) -> list[str]:
    """The processes that hold a lock on the database or its -wal or -shm file, as "process 123 (sqlite3,
    user alice)", writers first (Linux's /proc/locks; elsewhere nothing is known and nothing is said)."""
    inodes = {}
    for suffix in ("", "-wal", "-shm"):
        try:
            found = os.stat(f"{path}{suffix}")
        except OSError:
            continue
        inodes[(os.major(found.st_dev), os.minor(found.st_dev), found.st_ino)] = suffix
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    writers: list[int] = []
    readers: list[int] = []
    for line in lines:
        parts = line.split()
        if "->" in parts:  # a lock waiting for another, not one held
            continue
        try:
            kind, pid, device = parts[3], int(parts[4]), parts[5]
            major, minor, inode = device.split(":")
            key = (int(major, 16), int(minor, 16), int(inode))
        except (IndexError, ValueError):
            continue
        if key in inodes and pid != os.getpid():
            (writers if kind == "WRITE" else readers).append(pid)
    pids = list(dict.fromkeys(writers or readers))
    return [_process(pid) for pid in pids[:3]]


def _process(pid: int) -> str:
    from csprcli.domain.text import printable

    try:
        command = Path(f"/proc/{pid}/comm").read_text(errors="replace").strip()
    except OSError:
        command = ""
    user = ""
    try:
        uid = next(
            int(line.split()[1])
            for line in Path(f"/proc/{pid}/status").read_text().splitlines()
            if line.startswith("Uid:")
        )
        import pwd

        user = pwd.getpwuid(uid).pw_name
    except (OSError, StopIteration, KeyError, ValueError, ImportError):
        pass
    details = ", ".join(p for p in (printable(command, lines=False), f"user {user}" if user else "") if p)
    return f"process {pid}" + (f", {details}" if details else "")


def _file_size_limit() -> str:
    """ " (the file-size limit is 1048576 bytes)" when the process runs under `ulimit -f`, else ""."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    except (ImportError, OSError, ValueError):
        return ""
    return (
        "" if soft == resource.RLIM_INFINITY else f" (this session's file-size limit, 'ulimit -f', is {soft:,} bytes)"
    )


def _unwritable(path: Path) -> str:
    """A database SQLite could not open or write: the folder is named when it is the cause (SQLite
    keeps its -wal and -shm files beside the database, so even a reader needs to write there)."""
    folder = Path(path).parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"the folder {folder} cannot be written by this user, and SQLite keeps its -wal and -shm files "
            f"beside the database, even to read it; make the folder writable (or copy {Path(path).name} to a "
            "folder you can write), then run it again"
        )
    if not os.access(path, os.R_OK | os.W_OK):
        return f"the database at {path} is read-only for this user; check the file's permissions"
    return f"the database at {path} cannot be opened for writing; check the file's and its folder's permissions"


def check_undamaged(store: Store, *, tables: list[str] | None = None) -> None:
    """Refuse a damaged database (Damaged, exit 3) the way SQLite finds damage: its integrity check,
    which also finds an index that no longer matches its table (SQLite's quick check does not; an
    index that skips a bank holiday makes Christmas a working day). `tables` limits it to those
    tables and their indexes (the nightly check reads the record, not its history); none, the whole
    file. Its cost is in docs/performance.md."""
    from csprcli.domain.errors import Damaged

    if tables is None:
        problems = [row[0] for row in store.conn.execute("PRAGMA integrity_check(1)")]
    else:
        problems = []
        for table in tables:
            problems += [row[0] for row in store.conn.execute(f'PRAGMA integrity_check("{table}")')]
            problems = [p for p in problems if p != "ok"]
            if problems:
                break
    problems = [p for p in problems if p != "ok"]
    if problems:
        from csprcli.domain.text import printable

        raise Damaged(f"SQLite's integrity check: {printable(problems[0][:100], lines=False)}", store.path)


def record_tables(store: Store) -> list[str]:
    """Every table but the history's own (changes, history): what the answers are worked out from."""
    return [
        name
        for (name,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if name not in ("changes", "history")
    ]


# -- the whole file -------------------------------------------------------------------------


def dump(store: Store) -> dict:
    """Everything recorded, history included, table by table in id order, as one document."""
    import json

    return json.loads("".join(dumped(store)))


def dumped(store: Store) -> Iterator[str]:
    """Everything recorded as the text of `export --format json`, a piece at a time (a row, or a
    table's start or end), read in one snapshot: a register of 100,000 cases is never held whole.

    The text is exactly json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) plus a
    new line: each row is dumped alone and indented to its depth (JSON text holds no raw new line,
    so indenting its lines is safe), so an export loaded and exported again gives the same file."""
    import json

    with store.snapshot():
        parts: dict[str, Any] = {
            "csprcli": "full export",
            "schema": applied(store.conn)[-1],
            "register": store.register_identity(),
        }
        parts |= dict.fromkeys(DUMPED)
        yield "{"
        for number, key in enumerate(sorted(parts)):
            yield ("\n" if number == 0 else ",\n") + f" {json.dumps(key)}: "
            if parts[key] is not None:
                yield json.dumps(parts[key], ensure_ascii=False)
                continue
            cursor = store.conn.execute(f"SELECT * FROM {key} ORDER BY rowid")
            names = [d[0] for d in cursor.description]
            empty = True
            for row in cursor:
                text = json.dumps(dict(zip(names, row)), ensure_ascii=False, indent=1, sort_keys=True)
                yield ("[\n" if empty else ",\n") + "  " + text.replace("\n", "\n  ")
                empty = False
            yield "[]" if empty else "\n ]"
        yield "\n}\n"


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
            raise BadInput(
                "the export does not say which register it is (its 'register' is missing or not an identity)"
            )
        store.take_register_identity(identity)  # the same register, in a new file
    except sqlite3.IntegrityError as error:
        rollback(store.conn)
        raise BadInput(f"the export does not load: {error}") from None
    except BaseException:
        rollback(store.conn)
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


def after_today(store: Store, today: date, *, everything: bool = False) -> list[tuple[str, str, date]]:
    """(reference, field, date) of the recorded dates after `today` of things that have happened
    (store.dated_after). Asked on every command, so it looks first at when each change was
    recorded (one row per change: cheap), and at the cases and deaths a change recorded after
    today touched: a machine clock that ran ahead leaves that mark. `everything` looks at every
    record (for `db status`: a hand-edited date leaves no such mark)."""
    from csprcli.domain.dates import london_day_end

    if store.earlier_schema:  # a backup of one still to be upgraded: its tables are older
        return []
    if everything:
        return store.dated_after(today)
    refs = store.changes_after(london_day_end(today))
    return store.dated_after(today, refs) if refs else []


def status(store: Store) -> dict:
    """Schema, counts, size and integrity, for `csprcli db status`."""
    count = {
        table: store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("incidents", "children", "actions", "deaths", "closures", "changes")
    }
    size = sum(p.stat().st_size for p in (store.path, Path(f"{store.path}-wal")) if p.exists())
    integrity = store.conn.execute("PRAGMA integrity_check").fetchone()[0]
    return {"schema": applied(store.conn)[-1], "size_bytes": size, "integrity": integrity, **count}
