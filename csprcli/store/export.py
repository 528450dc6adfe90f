"""Everything in a register as one JSON document (a full export, `export --format json`) and back,
on either engine: the same text from both for the same records, so that a copy between them
(`db copy`) is checked by comparing the two.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from typing import Any

from csprcli.domain.errors import BadInput
from csprcli.store.migrations import DUMPED, applied
from csprcli.store.dialect import row_key
from csprcli.store.rows import sql_name
from csprcli.store.store import Store, rollback


def dump(store: Store) -> dict:
    """Everything recorded, history included, table by table in id order, as one document."""
    import json

    return json.loads("".join(dumped(store)))


def dumped(store: Store, *, snapshot: bool = True) -> Iterator[str]:
    """Everything recorded as the text of `export --format json`, a piece at a time (a row, or a
    table's start or end), read in one snapshot: a register of 100,000 cases is never held whole.

    The text is exactly json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) plus a
    new line: each row is dumped alone and indented to its depth (JSON text holds no raw new line,
    so indenting its lines is safe), so an export loaded and exported again gives the same file."""
    import json

    with store.snapshot() if snapshot else nullcontext():
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
            cursor = store.conn.execute(f"SELECT * FROM {key} ORDER BY {sql_name(row_key(key))}")
            names = [d[0] for d in cursor.description]
            empty = True
            for row in cursor:
                text = json.dumps(dict(zip(names, row)), ensure_ascii=False, indent=1, sort_keys=True)
                yield ("[\n" if empty else ",\n") + "  " + text.replace("\n", "\n  ")
                empty = False
            yield "[]" if empty else "\n ]"
        yield "\n}\n"


def restore(
    store: Store,
    data: dict,
    *,
    check: Callable[[], None] | None = None,
    not_empty: str = "a full export loads only into an empty database; give a new --db",
) -> int:
    """Load a full export into an empty database, as it was: the same rows, ids and history.

    The history triggers are set aside while the rows go in (the history comes from the
    file), so exporting again gives the same file. `check`, if given, runs last, inside the
    loading transaction: an error it raises keeps nothing. `not_empty` says why a database that holds
    records is refused. Returns the number of rows loaded.
    """
    if not isinstance(data, dict) or data.get("csprcli") != "full export":
        raise BadInput("the file is not a csprcli full export ('csprcli export --format json')")
    if data.get("schema") != applied(store.conn)[-1]:
        raise BadInput(f"the export is of schema {data.get('schema')}; this csprcli has {applied(store.conn)[-1]}")
    count = 0
    store.may_write()
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        if any(store.conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in DUMPED):
            raise BadInput(not_empty)
        _history_aside(store)
        for table in DUMPED:
            rows = data.get(table, [])
            if not isinstance(rows, list):
                raise BadInput(f"the export's {table} is not a list of rows")
            cursor = store.conn.execute(f"SELECT * FROM {table} LIMIT 0")
            columns = {d[0] for d in cursor.description}
            for row in rows:
                if not isinstance(row, dict) or not row or not set(row) <= columns:
                    raise BadInput(f"the export's {table} has a row that is not one of its records")
                store.insert_row(table, row)
                count += 1
        _history_back(store)
        identity = data.get("register")
        if not (isinstance(identity, str) and re.fullmatch(r"[0-9a-f]{32}", identity)):
            raise BadInput(
                "the export does not say which register it is (its 'register' is missing or not an identity)"
            )
        store.take_register_identity(identity)  # the same register, in a new file
        if check is not None:
            check()
    except store.integrity_errors as error:
        rollback(store.conn)
        raise BadInput(f"the export does not load: {_one_line(error)}") from None
    except BaseException:
        rollback(store.conn)
        raise
    store.conn.execute("COMMIT")
    return count


def _history_aside(store: Store) -> None:
    """Set the history's triggers aside while a full export's rows go in (the history comes from the
    file), inside the loading transaction: no other session ever writes while they are aside."""
    if store.engine == "sqlite":
        triggers = [
            n
            for (n,) in store.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'history_*' "
                "AND name NOT GLOB 'history_append_only*'"
            )
        ]
        for name in triggers:
            store.conn.execute(f"DROP TRIGGER {name}")
        return
    from csprcli.store.postgres_file import history_triggers

    for statement in history_triggers("DISABLE"):
        store.conn.execute(statement)


def _history_back(store: Store) -> None:
    if store.engine == "sqlite":
        from csprcli.store.migrations import KEPT_IN_HISTORY, _history_triggers

        _history_triggers(store.conn, KEPT_IN_HISTORY)
        return
    from csprcli.store.postgres_file import history_triggers

    for statement in history_triggers("ENABLE"):
        store.conn.execute(statement)


def _one_line(error: BaseException) -> str:
    """The engine's message in one line: the server's first line only (its DETAIL quotes values)."""
    primary = getattr(getattr(error, "diag", None), "message_primary", None)
    return " ".join((primary or str(error)).split())[:200]
