"""A register on a PostgreSQL server as a whole: opening it (refusing what is not a csprcli
register, creating the schema on a new one, upgrading it), what the connection's role may do, and
what stands in for the file-level work SQLite needs (the history's triggers set aside while a full
export loads, a backup by the server's own pg_dump).
"""

from csprcli.domain.errors import StoreError
from csprcli.store import postgres
from csprcli.store.migrations import KEPT_IN_HISTORY, MIGRATIONS, needs_upgrade
from csprcli.store.store import Store, rollback


def open_server(address: str, *, create: bool, command: str = "csprcli", write: bool = True) -> Store:
    """Open the register at `address`. A database with no csprcli schema is made one only by a command
    that records something (`create`), and only when it holds no other program's tables; one from a
    newer csprcli is refused, and one from an earlier is upgraded only by a command that writes. A
    role without INSERT on the register's tables reads everything and writes nothing (`read_only`)."""
    import psycopg

    shown = postgres.shown(address)
    conn = postgres.connect(address)
    store = Store(conn, shown, command)
    store.address = postgres.without_password(address)
    try:
        _session(store)
        done = _check_ours(store, create=create, write=write)
        if write:  # a command that records something, by a role that may only read: refused before it starts
            store.may_write()
        if write and len(done) < len(MIGRATIONS):
            _migrate(store)
    except psycopg.Error as error:
        store.close()
        raise StoreError(postgres.describe(error, address)) from None
    except BaseException:
        store.close()
        raise
    return store


def is_register(address: str) -> bool:
    """Whether the database at `address` has csprcli's schema (a new one has none yet)."""
    import psycopg

    from csprcli.store.postgres_schema import applied

    conn = postgres.connect(address)
    try:
        return bool(applied(conn))
    except psycopg.Error as error:
        raise StoreError(postgres.describe(error, address)) from None
    finally:
        conn.close()


def _session(store: Store) -> None:
    from csprcli.store.store import BUSY_TIMEOUT_SECONDS

    conn = store.conn
    conn.raw.execute(f"SET lock_timeout = '{int(BUSY_TIMEOUT_SECONDS)}s'")  # a writer waits as long as on SQLite
    store.role, store.server_version = conn.raw.execute(
        "SELECT current_user, current_setting('server_version')"
    ).fetchone()
    store.server_version = store.server_version.split()[0]


def _check_ours(store: Store, *, create: bool, write: bool) -> list[str]:
    """Refuse, before anything is written, a database that is not a csprcli register this csprcli can
    use; say what the role may do. Returns the migrations applied."""
    from csprcli.store.migrations import applied

    conn, where = store.conn, store.path
    done = applied(conn)
    if not done:
        (tables,) = conn.raw.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone()
        if tables:
            raise StoreError(
                f"{where} holds another program's tables, not a csprcli register; csprcli leaves it alone: "
                "check --db or CSPRCLI_DB"
            )
        if not create:
            raise StoreError(
                f"{where} is not a csprcli register yet; its owner's first 'csprcli incident add' (or "
                "'csprcli db copy FILE ADDRESS') makes it one; check --db or CSPRCLI_DB"
            )
        (may,) = conn.raw.execute("SELECT has_schema_privilege(current_schema(), 'CREATE')").fetchone()
        _access(store, bool(may), why=f"{where} is not a csprcli register yet, and the role {store.role} may not make "
            "one: its owner does, with 'csprcli db copy FILE ADDRESS' or a first 'csprcli incident add' "
            "(README: 'A team on one register'); nothing was written")  # fmt: skip
        return done
    if needs_upgrade(done, where) and not write:
        raise StoreError(
            f"{where} is from an earlier csprcli (schema {done[-1]}); 'csprcli db upgrade' by the register's "
            "owner upgrades it"
        )
    (may,) = conn.raw.execute("SELECT has_table_privilege('incidents', 'INSERT')").fetchone()
    _access(store, bool(may))
    return done


def _access(store: Store, officer: bool, why: str | None = None) -> None:
    store.access = "officer" if officer else "reader"
    if not officer:
        store.read_only = why or (
            f"the role {store.role} may only read the register at {store.path}; nothing was written: "
            "record it as an officer's role (README: 'A team on one register')"
        )


def _migrate(store: Store) -> None:
    """Apply the pending migrations' PostgreSQL forms, in one transaction under the writers' lock
    (another writer waits, then finds nothing to do)."""
    from csprcli.store import postgres_schema

    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        done = postgres_schema.applied(conn)
        postgres_schema.apply(conn, [name for name, _ in MIGRATIONS if name not in done])
        store._refresh_bank_holidays()
    except BaseException:
        rollback(conn)
        raise
    conn.execute("COMMIT")


def history_triggers(action: str) -> list[str]:
    """The statements that DISABLE or ENABLE the triggers that record a write (in the loading
    transaction of a full export, whose history comes from the file): the table owner's to run."""
    statements = [f"ALTER TABLE {table} {action} TRIGGER history" for table in KEPT_IN_HISTORY]
    return statements + [f"ALTER TABLE changes {action} TRIGGER who", f"ALTER TABLE changes {action} TRIGGER open"]


def backup_command(store: Store, target) -> str:
    """The server's backup of the register, as a command to run (never with a password)."""
    import shlex

    address = postgres.without_password(store.address)
    return f"pg_dump --format=custom --file {shlex.quote(str(target))} {shlex.quote(address)}"
