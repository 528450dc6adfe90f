"""The history cannot be rewritten through sqlite3: every statement that would change or remove
a row of `changes` or `history` is refused by the database itself, and leaves it as it was."""

import sqlite3

import pytest

from conftest import add_incident

REWRITES = [
    "UPDATE history SET new = NULL",
    "UPDATE changes SET user = 'someone else'",
    "UPDATE OR REPLACE history SET id = id + 1",
    "DELETE FROM history",
    "DELETE FROM changes",
    "DELETE FROM history WHERE id = 1",
    # INSERT OR REPLACE deletes the old row without firing the delete triggers
    "INSERT OR REPLACE INTO history (id, change_id, ref, tbl, row_id, op) VALUES (1, 1, 'X', 'incidents', 1, 'insert')",
    "REPLACE INTO history (id, change_id, ref, tbl, row_id, op) VALUES (1, 1, 'X', 'incidents', 1, 'insert')",
    "INSERT OR REPLACE INTO changes (id, user, command) VALUES (1, 'someone else', 'nothing')",
    "REPLACE INTO changes (id, user, command) VALUES (1, 'someone else', 'nothing')",
    "INSERT OR IGNORE INTO history (id, change_id, ref, tbl, row_id, op) VALUES (1, 1, 'X', 'incidents', 1, 'insert')",
    "INSERT INTO history (id, change_id, ref, tbl, row_id, op) VALUES (1, 1, 'X', 'incidents', 1, 'insert') "
    "ON CONFLICT (id) DO UPDATE SET ref = 'X'",
    "INSERT INTO changes (id, user, command) VALUES (1, 'x', 'y') ON CONFLICT (id) DO UPDATE SET user = 'x'",
    "INSERT OR REPLACE INTO history SELECT id, change_id, 'X', tbl, row_id, op, old, new FROM history",
]


def dump(conn):
    return [
        conn.execute("SELECT * FROM changes ORDER BY id").fetchall(),
        conn.execute("SELECT * FROM history ORDER BY id").fetchall(),
    ]


@pytest.mark.parametrize("recursive", [False, True])
@pytest.mark.parametrize("sql", REWRITES)
def test_no_statement_rewrites_the_history(cli, db_path, sql, recursive):
    ref = add_incident(cli, "17/12/2025", as_of="2025-12-17")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025", as_of="2025-12-23")
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA recursive_triggers = {'ON' if recursive else 'OFF'}")
        before = dump(conn)
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
        assert dump(conn) == before
    finally:
        conn.close()


def test_new_history_still_goes_in(cli, db_path):
    """The guard refuses reused ids only: the next writes add their rows as before."""
    ref = add_incident(cli, "17/12/2025", as_of="2025-12-17")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025", as_of="2025-12-23")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM history").fetchone()[0] == 3


def test_an_older_database_gets_the_guard_when_it_is_upgraded(cli, db_path):
    from test_store import first_version_database

    first_version_database(db_path)
    add_incident(cli, "17/12/2025", as_of="2025-12-17")  # upgrades it, and records change 1
    with sqlite3.connect(db_path) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("INSERT OR REPLACE INTO changes (id, user, command) VALUES (1, 'x', 'y')")
