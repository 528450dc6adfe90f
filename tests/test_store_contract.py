"""The store's contract, held on both engines: the same commands give the same record (every row,
every id, every history row's text, but for the clock's timestamps and the register's identity), the
history cannot be rewritten from outside csprcli, undo puts rows back, and each migration has a
form on each engine. Each test runs on a SQLite file and on a register on the PostgreSQL server
(tests/pg_server.py: skipped locally without one, never under CI).
"""

import json
import re
import sqlite3

import pytest

from pg_server import drop, fresh_database, need_server

ENGINES = ["sqlite", "postgresql"]

SCRIPT = [
    (
        "2026-01-05",
        "incident add --child LCS-104233 --la Walsall --aware 02/01/2026 --nature serious-harm --abuse suspected",
    ),
    ("2026-01-05", "incident add --child 'Child A' --la Dudley --aware 05/01/2026 --nature death --abuse known"),
    ("2026-01-06", "incident notify SI-2026-001 --on 06/01/2026 --sin-ref SIN-1"),
    ("2026-01-06", "incident inform SI-2026-001 --on 06/01/2026"),
    ("2026-01-07", "child add SI-2026-001 --child LCS-200001"),
    ("2026-01-08", "review start SI-2026-001 --on 07/01/2026"),
    ("2026-01-20", "review decide SI-2026-001 --outcome lcspr --on 20/01/2026 --reason 'Agencies did not share'"),
    ("2026-01-21", "review submit SI-2026-001 --on 21/01/2026"),
    ("2026-01-22", "review response SI-2026-001 --response challenges --on 22/01/2026"),
    ("2026-01-23", "lcspr plan SI-2026-001 --publication 13/07/2026"),
    ("2026-01-26", "lcspr plan SI-2026-001 --publication 20/07/2026 --reason 'Trial' --agreed-by Chair"),
    (
        "2026-01-26",
        "action add SI-2026-001 --recommendation 'Audit strategy meetings' --agency Police --target 30/06/2026",
    ),
    ("2026-01-27", "calendar close 29/12/2026 --reason 'Christmas closure'"),
    ("2026-01-27", "rules set progress-interval 2"),
    (
        "2026-01-28",
        "death add WS1234 --died 02/01/2026 --age '3 months' --unexpected --jar --sex male --place hospital",
    ),
    ("2026-01-28", "undo --yes"),
    ("2026-01-29", "rules set progress-interval 3"),
    ("2026-01-29", "undo --yes"),
    ("2026-01-29", "undo --yes"),
    ("2026-01-30", "incident add --child LCS-300003 --la Walsall --aware 29/01/2026 --nature other --abuse suspected"),
]


@pytest.fixture(params=ENGINES)
def register(request, tmp_path, monkeypatch):
    """Where the test's register is (--db): a SQLite file, or a fresh register on the server."""
    if request.param == "sqlite":
        where = str(tmp_path / "contract.db")
        monkeypatch.setenv("CSPRCLI_DB", where)
        yield "sqlite", where
        return
    name, url = fresh_database()
    monkeypatch.setenv("CSPRCLI_DB", url)
    yield "postgresql", url
    drop(name)


def run(cli, script=SCRIPT):
    import shlex

    for day, command in script:
        cli.ok(*shlex.split(command), as_of=day)


def masked(export: str) -> dict:
    """A full export with what only a clock or chance decides taken out: when each change was made and
    each case created, and the register's identity; and the row_id of a row of a table without an id
    (settings, closures): SQLite's hidden rowid, which a server has not (undo finds such a row by its key)."""
    data = json.loads(export)
    data["register"] = "-"
    for row in data["changes"]:
        row["at"] = "-"
        row["user"] = "-"  # the OS user on SQLite, the role on the server (test_postgres.py)
    for table in ("incidents", "history"):
        for row in data[table]:
            if table == "incidents":
                row["created_at"] = "-"
            if table == "history" and row["tbl"] in ("settings", "closures"):
                row["row_id"] = "-"
            for image in ("old", "new") if table == "history" else ():
                if row[image]:
                    row[image] = re.sub(r'"created_at":"[^"]*"', '"created_at":"-"', row[image])
    return data


def test_the_same_commands_leave_the_same_record_on_both_engines(cli, tmp_path, monkeypatch):
    need_server()
    exports = []
    for engine in ENGINES:
        if engine == "sqlite":
            monkeypatch.setenv("CSPRCLI_DB", str(tmp_path / "same.db"))
            name = None
        else:
            name, url = fresh_database()
            monkeypatch.setenv("CSPRCLI_DB", url)
        try:
            run(cli)
            exports.append(masked(cli.ok("export", "--format", "json", as_of="2026-02-02").stdout))
        finally:
            if name:
                drop(name)
    sqlite_export, server_export = exports
    for table in sqlite_export:
        assert sqlite_export[table] == server_export[table], table


def test_every_reading_command_answers_the_same_on_both_engines(cli, tmp_path, monkeypatch):
    need_server()
    reads = [
        ("list",),
        ("overdue", "--format", "csv"),
        ("upcoming", "--format", "csv"),
        ("show", "SI-2026-001"),
        ("history", "SI-2026-001", "--format", "csv"),
        ("today", "--log", "nightly-check.log"),  # a register on a server has no folder: its log is named
        ("report", "--year", "2025-26", "--format", "json"),
        ("holidays", "--year", "2026"),
        ("death", "list"),
        ("explain", "SI-2026-001", "publication"),
    ]
    answers = []
    for engine in ENGINES:
        name = None
        if engine == "sqlite":
            monkeypatch.setenv("CSPRCLI_DB", str(tmp_path / "reads.db"))
        else:
            name, url = fresh_database()
            monkeypatch.setenv("CSPRCLI_DB", url)
        try:
            run(cli)
            found = []
            for args in reads:
                result = cli(*args, as_of="2026-02-02")
                found.append((result.exit_code, who_and_when_masked(result.stdout)))
            answers.append(found)
        finally:
            if name:
                drop(name)
    for args, on_sqlite, on_server in zip(reads, *answers):
        assert on_sqlite == on_server, args


def who_and_when_masked(text: str) -> str:
    """Output with when each change was made and who made it (the OS user, the role) taken out, and
    where the nightly check's log is looked for (beside a file; for a server, the application folder)."""
    text = re.sub(r"no run recorded in \S+", "no run recorded in LOG", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "AT", text)
    text = re.sub(r"AT,[^,]*,", "AT,WHO,", text)
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d  \S+", "WHEN WHO", text)


CASES_DONE_AND_OPEN = [
    # SI-2026-001: every step done, its Panel response recorded (nothing left to do: not read by a listing)
    (
        "2026-01-05",
        "incident add --child LCS-1 --la Walsall --aware 02/01/2026 --nature serious-harm --abuse suspected",
    ),
    ("2026-01-06", "incident notify SI-2026-001 --on 06/01/2026 --sin-ref SIN-1"),
    ("2026-01-06", "incident inform SI-2026-001 --on 06/01/2026"),
    ("2026-01-07", "review start SI-2026-001 --on 07/01/2026"),
    ("2026-01-20", "review decide SI-2026-001 --outcome no-lcspr --on 20/01/2026 --reason 'Learning shared'"),
    ("2026-01-21", "review submit SI-2026-001 --on 21/01/2026"),
    ("2026-01-22", "review response SI-2026-001 --response accepts-no-lcspr --on 22/01/2026"),
    # SI-2026-002: sent to the Panel, no response yet (still to do), with an action of its own
    ("2026-01-05", "incident add --child LCS-2 --la Dudley --aware 05/01/2026 --nature serious-harm --abuse known"),
    ("2026-01-06", "incident notify SI-2026-002 --on 06/01/2026 --sin-ref SIN-2"),
    ("2026-01-06", "incident inform SI-2026-002 --on 06/01/2026"),
    ("2026-01-07", "review start SI-2026-002 --on 07/01/2026"),
    ("2026-01-20", "review decide SI-2026-002 --outcome lcspr --on 20/01/2026 --reason 'Agencies did not share'"),
    ("2026-01-21", "review submit SI-2026-002 --on 21/01/2026"),
    ("2026-01-23", "action add SI-2026-002 --recommendation 'Audit meetings' --agency Police --target 30/06/2026"),
    # SI-2026-003: done, with a response of its own after SI-2026-002's records (passed over again)
    ("2026-01-05", "incident add --child LCS-3 --la Walsall --aware 05/01/2026 --nature serious-harm --abuse known"),
    ("2026-01-06", "incident notify SI-2026-003 --on 06/01/2026 --sin-ref SIN-3"),
    ("2026-01-06", "incident inform SI-2026-003 --on 06/01/2026"),
    ("2026-01-07", "review start SI-2026-003 --on 07/01/2026"),
    ("2026-01-20", "review decide SI-2026-003 --outcome no-lcspr --on 20/01/2026 --reason 'Learning shared'"),
    ("2026-01-21", "review submit SI-2026-003 --on 21/01/2026"),
    ("2026-01-22", "review response SI-2026-003 --response accepts-no-lcspr --on 22/01/2026"),
    # SI-2026-004: only just notified (still to do), no related records
    ("2026-01-27", "incident add --child LCS-4 --la Walsall --aware 26/01/2026 --nature other --abuse suspected"),
]


def test_a_listing_gives_each_case_its_own_records_and_no_other_cases(cli, register):
    """The cases a listing reads (those with something still to do) carry exactly the records that
    reading each by its reference gives them: the related tables are read whole for a listing and
    merged by the incident's id, passing over the records of the cases left out."""
    from datetime import date

    from csprcli.domain.lifecycle import to_do
    from csprcli.domain.rules import rules_for
    from csprcli.store.database import open_store

    run(cli, CASES_DONE_AND_OPEN)
    store = open_store(register[1], create=False, write=False)
    try:
        owed = to_do(rules_for({}))
        assert owed is not None
        listed = list(store.incidents_to_do(date(2026, 1, 30), *owed))
        assert [i.ref for i in listed] == ["SI-2026-002", "SI-2026-004"]
        for incident in listed:
            assert incident == store.incident(incident.ref)._replace(children=())
        # SI-2026-002 has its action and no Panel response: the responses of the cases around it are not its
        assert listed[0].exchange == () and len(listed[0].actions) == 1
        assert listed[1].exchange == () and listed[1].actions == ()
    finally:
        store.close()


def test_a_reference_is_never_used_again_even_after_an_undo(cli, register):
    run(cli, SCRIPT[:1])
    cli.ok("undo", "--yes", as_of="2026-01-05")
    run(cli, SCRIPT[:1])
    assert json.loads(cli.ok("list", "--format", "json", as_of="2026-01-06").stdout)[0]["ref"] == "SI-2026-002"


def test_a_child_reference_given_for_a_case_names_its_case_in_any_letter_case(cli, register):
    run(cli, SCRIPT[:1])
    message = cli.refused("show", "lcs-104233", as_of="2026-01-06")
    assert "SI-2026-001" in message


def test_undo_puts_a_setting_and_a_closure_back_by_their_keys(cli, register):
    run(cli, SCRIPT[:1])
    cli.ok("rules", "set", "progress-interval", "2", as_of="2026-01-06")
    cli.ok("calendar", "close", "29/12/2026", "--reason", "Christmas closure", as_of="2026-01-06")
    cli.ok("undo", "--yes", as_of="2026-01-06")
    cli.ok("undo", "--yes", as_of="2026-01-06")
    export = json.loads(cli.ok("export", "--format", "json", as_of="2026-01-06").stdout)
    assert export["settings"] == [] and export["closures"] == []
    assert [row["op"] for row in export["history"] if row["tbl"] in ("settings", "closures")] == [
        "insert", "insert", "delete", "delete"
    ]  # fmt: skip


def outside(register):
    """A connection of another program (sqlite3, psql's library) straight to the register."""
    engine, where = register
    if engine == "sqlite":
        return sqlite3.connect(where, isolation_level=None)
    import psycopg

    return psycopg.connect(where, autocommit=True)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE history SET op = 'insert'",
        "DELETE FROM history",
        "UPDATE changes SET command = 'nothing'",
        "DELETE FROM changes",
    ],
)
def test_no_other_program_can_rewrite_the_history(cli, register, sql):
    run(cli, SCRIPT[:3])
    before = cli.ok("export", "--format", "json", as_of="2026-01-06").stdout
    conn = outside(register)
    try:
        with pytest.raises(Exception, match="append-only"):
            conn.execute(sql)
    finally:
        conn.close()
    assert cli.ok("export", "--format", "json", as_of="2026-01-06").stdout == before


def test_a_write_from_another_program_lands_in_the_history(cli, register):
    run(cli, SCRIPT[:1])
    conn = outside(register)
    try:
        conn.execute("UPDATE incidents SET la = 'Dudley' WHERE ref = 'SI-2026-001'")
    finally:
        conn.close()
    rows = json.loads(cli.ok("history", "SI-2026-001", "--format", "json", as_of="2026-01-06").stdout)
    assert "Dudley" in json.dumps(rows[0])


def test_each_migration_has_a_form_on_each_engine():
    from csprcli.store.migrations import MIGRATIONS
    from csprcli.store.postgres_schema import FORMS

    assert list(FORMS) == [name for name, _ in MIGRATIONS]
