"""The register as a whole, on either engine: where it is, opening it (a path opens a SQLite file,
sqlite_file.py; a postgresql:// address or libpq's keywords a register on a server, postgres_file.py),
the one line for an engine's error, the damage check, backups, its status; everything in it as one
JSON document and back is export.py's. What is inside, row by row, is `store.Store`'s.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from csprcli.domain.errors import BadInput
from csprcli.store.export import dump, dumped, restore  # noqa: F401  (imported from here)
from csprcli.store.migrations import MIGRATIONS, applied  # noqa: F401  (imported from here)
from csprcli.store.address import is_address
from csprcli.store.sqlite_errors import busy, busy_timeout, describe_sqlite_error  # noqa: F401  (imported from here)
from csprcli.store.sqlite_file import SQLITE_HEADER  # noqa: F401  (imported from here)
from csprcli.store.store import Store

Where = Path | str  # a SQLite file, or a server's address (postgresql://..., service=...)


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


def on_server(where: Where) -> bool:
    """Whether `where` names a register on a PostgreSQL server rather than a SQLite file."""
    return isinstance(where, str) and is_address(where)


def printable(where: Where) -> str:
    """Where the register is, as it may be printed: the file's path, or the server's address without its password."""
    if on_server(where):
        from csprcli.store.address import shown

        return shown(str(where))
    return str(Path(where).expanduser())


def exists(where: Where) -> bool:
    """Whether there is a register at `where` to open: a file there, or a database on the server
    with csprcli's schema (one that cannot be reached is StoreError, exit 3)."""
    if on_server(where):
        from csprcli.store.postgres_file import is_register

        return is_register(str(where))
    return Path(where).expanduser().exists()


def beside(where: Where, name: str) -> Path | None:
    """A file of csprcli's that lives beside the register (the nightly check's log): beside the
    SQLite file. A register on a server has no folder of its own: None (the file must be named)."""
    return None if on_server(where) else Path(where).expanduser().parent / name


def remove_if_empty(path: Where) -> None:
    """Remove a SQLite database a refused command created a moment ago (sqlite_file.remove_if_empty);
    a server's database is the administrator's to drop, and one a refused load wrote nothing into
    (one transaction) is left as it was."""
    if not on_server(path):
        from csprcli.store import sqlite_file

        sqlite_file.remove_if_empty(Path(path))


def open_store(
    where: Where, *, create: bool, command: str = "csprcli", write: bool = True, earlier: bool = False
) -> Store:
    """Open the register at `where` (a SQLite file, or a server's address); create its schema if
    `create`; upgrade it if `write`. What each refuses, and why, is in open_sqlite and open_server."""
    if on_server(where):
        from csprcli.store.postgres_file import open_server

        return open_server(str(where), create=create, command=command, write=write or create)
    from csprcli.store.sqlite_file import open_sqlite

    return open_sqlite(Path(where), create=create, command=command, write=write, earlier=earlier)


def database_error(error: BaseException, path: Where) -> str | None:
    """The one line for an error the engine raised (SQLite's or the server's), or None for any other
    error: what the command line asks, so that only the store knows the engines' errors."""
    import sqlite3

    if isinstance(error, sqlite3.Error):
        return describe_sqlite_error(error, Path(path))
    from csprcli.store import postgres

    if postgres.errors() and isinstance(error, postgres.errors()):
        return postgres.describe(error, str(path))
    return None


@contextmanager
def checked_while_reading(store: Store) -> Iterator[None]:
    """Refuse a damaged register (Damaged, exit 3) once the reading inside is done, before anything
    is printed. A SQLite file by SQLite's integrity check of the record's tables (record_tables)
    and their indexes, made alongside the reading (sqlite_file.checked_while_reading); a server
    keeps its own pages whole (checksums, its write-ahead log): csprcli reads there what it wrote,
    and a stored value that does not read is damage wherever it is found."""
    if store.engine != "sqlite":
        yield
        return
    from csprcli.store.sqlite_file import checked_while_reading as sqlite_checked

    with sqlite_checked(store, record_tables(store)):
        yield


def record_tables(store: Store) -> list[str]:
    """Every table but the history's own (changes, history): what the answers are worked out from."""
    from csprcli.store.migrations import DUMPED

    names = [*DUMPED, "bank_holidays", "meta", "register"]
    if store.engine == "sqlite":
        names = [n for (n,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return sorted(n for n in names if n not in ("changes", "history"))


def backup(store: Store, target: Path) -> None:
    """A consistent copy of a SQLite file (sqlite_file.backup). A server's backup is its own
    (pg_dump): refused, with the command to run."""
    if store.engine != "sqlite":
        from csprcli.store.postgres_file import backup_command

        raise BadInput(
            f"a register on a PostgreSQL server is backed up by the server's own tools, not by csprcli: "
            f"{backup_command(store, target)}; or 'csprcli db copy' it to a SQLite file"
        )
    from csprcli.store.sqlite_file import backup as sqlite_backup

    sqlite_backup(store, target)


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
    """Engine, schema, counts, size and integrity (and, on a server, the role and what it may do),
    for `csprcli db status`."""
    count = {
        table: store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("incidents", "children", "actions", "deaths", "closures", "changes")
    }
    if store.engine == "sqlite":
        size = sum(p.stat().st_size for p in (store.path, Path(f"{store.path}-wal")) if p.exists())
        integrity = store.conn.execute("PRAGMA integrity_check").fetchone()[0]
        engine = {"engine": "SQLite"}
    else:
        size = store.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        integrity = "ok"  # the server's own (see checked_while_reading)
        engine = {"engine": f"PostgreSQL {store.server_version}", "role": store.role, "access": store.access}
    return engine | {"schema": applied(store.conn)[-1], "size_bytes": size, "integrity": integrity, **count}
