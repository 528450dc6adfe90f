"""The schema: one list of migrations by name, applied in order, with a form per engine.

`MIGRATIONS` is (name, the SQLite form) in order (sqlite_schema.py and sqlite_schema_later.py, a
sqlite_utils.Migrations step each); `postgres_schema.FORMS` has the PostgreSQL form of every name (a test holds the two lists to
the same names). Never change what a migration that has shipped creates: add another, with both
forms. Each engine keeps its own bookkeeping table of the names applied.
"""

from collections.abc import Callable

from csprcli.store import sqlite_schema, sqlite_schema_later
from csprcli.store.sqlite_schema import (  # noqa: F401  (the names the rest of csprcli imports from here)
    DEATH_PAUSES,
    DEATHS,
    EXCHANGE,
    FORMER_TABLES,
    HISTORY_TABLES,
    KEPT_IN_HISTORY,
    _history_triggers,
)

MIGRATIONS: list[tuple[str, Callable]] = sqlite_schema.FORMS + sqlite_schema_later.FORMS

MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite_utils.Migrations' bookkeeping table (SQLite)
MIGRATION_SET = "csprcli"

# What a full export holds, in the order it loads back (changes before the history that points at them).
DUMPED = (
    "incidents",
    "children",
    "checks",
    "pauses",
    "revisions",
    "actions",
    "exchange",
    "deaths",
    "death_pauses",
    "settings",
    "closures",
    "changes",
    "history",
    "published_events",
)


def migrations():
    """The SQLite forms as a sqlite_utils.Migrations set."""
    from sqlite_utils import Migrations

    found = Migrations(MIGRATION_SET)
    for name, step in MIGRATIONS:
        found(name=name)(step)
    return found


def applied(conn) -> list[str]:
    """The names of the migrations applied to a database (either engine), read with plain SQL (cheap)."""
    if getattr(conn, "engine", "sqlite") == "postgresql":
        from csprcli.store.postgres_schema import applied as applied_on_the_server

        return applied_on_the_server(conn)
    import sqlite3

    try:
        rows = conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id", [MIGRATION_SET])
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):  # a new database (or another program's)
            return []
        raise  # "database is locked" is not "no such table"
    return [name for (name,) in rows]


def needs_upgrade(done: list[str], where) -> bool:
    """Whether a register whose applied migrations are `done` is from an earlier csprcli, still to be
    upgraded (either engine). One written by a newer csprcli is refused: StoreError."""
    from csprcli.domain.errors import StoreError

    known = [name for name, _ in MIGRATIONS]
    newer = [name for name in done if name not in known]
    if newer:
        raise StoreError(f"{where} was written by a newer csprcli (schema {newer[-1]}); upgrade csprcli to use it")
    return len(done) < len(known)


def unique_keys() -> dict[str, list[tuple[str, ...]]]:
    """Each table's unique keys (its primary key and every UNIQUE constraint or index), read from
    the schema the migrations make, so that a check of a file to load knows every one of them."""
    import sqlite3

    from sqlite_utils import Database

    conn = sqlite3.connect(":memory:")
    try:
        migrations().apply(Database(conn, execute_plugins=False, recursive_triggers=False))
        keys: dict[str, list[tuple[str, ...]]] = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            columns = sorted((r[5], r[1]) for r in conn.execute(f"PRAGMA table_info('{table}')") if r[5])
            found = [tuple(name for _, name in columns)] if columns else []
            for _, index, unique, origin, *_ in conn.execute(f"PRAGMA index_list('{table}')").fetchall():
                if unique and origin != "pk":
                    found.append(tuple(r[2] for r in conn.execute(f"PRAGMA index_info('{index}')")))
            keys[table] = found
        return keys
    finally:
        conn.close()
