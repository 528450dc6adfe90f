"""Trust: the history of every change, corrections, undo, backups, and the database file's safety."""

import json
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from conftest import INCIDENT, add_incident, copy_database, recorded_once, snapshot
from csprcli.store.migrations import MIGRATIONS


@pytest.fixture(scope="module")
def recorded_case(tmp_path_factory):
    with recorded_once(tmp_path_factory) as (cli, path):
        return path, record_case(cli)


@pytest.fixture
def case(recorded_case, db_path):
    """SI-2025-001, aware Wed 17 Dec 2025 and notified Tue 23 Dec: recorded once for the module
    (record_case); the test works on a copy of the database."""
    path, refs = recorded_case
    copy_database(path, db_path)
    return refs


def record_case(cli):
    ref = add_incident(cli, "17/12/2025", as_of="2025-12-17")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025", as_of="2025-12-23")
    return ref


def history(cli, *args):
    return json.loads(cli.ok("history", *args, "--format", "json").stdout)


def test_every_change_is_kept_with_when_who_which_command_and_what(cli, case):
    rows = history(cli, case)
    assert [(r["command"], r["table"], r["op"]) for r in rows] == [
        ("incident notify", "incidents", "update"),
        ("incident add", "children", "insert"),
        ("incident add", "incidents", "insert"),
    ]
    assert rows[0]["what"] == "notified: (none) -> 2025-12-23"
    assert rows[0]["user"] and rows[0]["at"].endswith("Z")
    assert rows[0]["old"]["notified"] is None and rows[0]["new"]["notified"] == "2025-12-23"


def test_history_in_words_groups_each_change(cli, case):
    text = cli.ok("history", case).stdout
    assert "incident notify  (change 2)" in text
    assert f"    {case} notified: (none) -> 2025-12-23" in text


def test_a_change_with_no_case_lines_up_with_the_others_in_history(cli, case):
    """A closure day belongs to no case: its line is indented as every other (it had a space more)."""
    cli.ok("calendar", "close", "29/12/2026", "--reason", "Christmas closure")
    lines = cli.ok("history").stdout.splitlines()
    assert "    closure day 2026-12-29 recorded" in lines


def test_a_correction_keeps_the_earlier_value_and_the_reason(cli, case):
    result = cli.ok("correct", case, "notified", "22/12/2025", "--reason", "Submitted a day earlier than typed")
    assert result.stdout == f"{case}: notified corrected to Mon 22 Dec 2025 (was Tue 23 Dec 2025)\n"
    rows = history(cli, case)
    assert (rows[0]["command"], rows[0]["reason"], rows[0]["what"]) == (
        "correct",
        "Submitted a day earlier than typed",
        "notified: 2025-12-23 -> 2025-12-22",
    )
    assert rows[1]["what"] == "notified: (none) -> 2025-12-23"  # the earlier value is still there
    shown = json.loads(cli.ok("show", case, "--format", "json").stdout)[0]
    assert shown["milestones"][0]["done"] == "2025-12-22"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("notified", "16/12/2025", "cannot be before the aware date"),
        ("aware", "24/12/2025", "the notification (Tue 23 Dec 2025) cannot be before the aware date (Wed 24 Dec 2025)"),
        ("notified", "none", None),  # allowed: nothing depends on it yet
        ("aware", "none", "aware cannot be empty"),
        ("child", "Jane Smith", "never a name"),
        ("nature", "harm", "nature: 'harm' is not a nature (one of: death, serious-harm, other)"),
        ("ref", "SI-2025-009", "'ref' cannot be corrected"),
        ("notified", "23/12/2025", "already 23/12/2025; nothing to correct"),
        ("notified", "30/12/2026", "after the as-of date"),
    ],
)
def test_corrections_keep_the_record_in_order(cli, db_path, case, field, value, message):
    before = snapshot(db_path)
    if message is None:
        cli.ok("correct", case, field, value, "--reason", "Recorded on the wrong case")
        shown = json.loads(cli.ok("show", case, "--format", "json").stdout)[0]
        assert next(m for m in shown["milestones"] if m["milestone"] == "notification")["done"] is None
        return
    assert message in cli.refused("correct", case, field, value, "--reason", "Mistake")
    assert snapshot(db_path) == before


def test_a_correction_needs_a_reason(cli, case):
    assert "Missing option '--reason'" in cli.refused("correct", case, "notified", "22/12/2025")
    assert "--reason is required" in cli.refused("correct", case, "notified", "22/12/2025", "--reason", " ")


def test_undo_reverts_the_latest_change_and_is_itself_kept(cli, case):
    cli.ok("correct", case, "notified", "22/12/2025", "--reason", "Typo")
    result = cli.ok("undo", "--yes")
    assert result.stdout.startswith("change 3 undone by ")
    assert "correct" in result.stderr and "notified: 2025-12-23 -> 2025-12-22" in result.stderr
    shown = json.loads(cli.ok("show", case, "--format", "json").stdout)[0]
    assert shown["milestones"][0]["done"] == "2025-12-23"
    rows = history(cli, case)
    assert (rows[0]["command"], rows[0]["undoes"], rows[0]["what"]) == ("undo", 3, "notified: 2025-12-22 -> 2025-12-23")
    # again: the change before that (the notification)
    cli.ok("undo", "--yes")
    assert json.loads(cli.ok("show", case, "--format", "json").stdout)[0]["milestones"][0]["done"] is None
    # and again: the incident itself; its reference is never given out again
    cli.ok("undo", "--yes")
    assert json.loads(cli.ok("list", "--format", "json").stdout) == []
    assert "there is no change to undo" in cli.refused("undo", "--yes")
    assert add_incident(cli, "17/12/2025") == "SI-2025-002"
    assert [r["op"] for r in history(cli, case)][:2] == ["delete", "delete"]


def test_undo_asks_first(cli, case, monkeypatch):
    import csprcli.cli.records
    from csprcli.cli import app

    assert "give --yes" in cli.refused("undo")
    monkeypatch.setattr(csprcli.cli.records, "interactive", lambda: True)
    result = cli.runner.invoke(app, ["undo"], input="n\n")
    assert result.exit_code == 2 and "nothing was undone" in result.stderr
    assert json.loads(cli.ok("show", case, "--format", "json").stdout)[0]["milestones"][0]["done"] == "2025-12-23"
    result = cli.runner.invoke(app, ["undo"], input="y\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(cli.ok("show", case, "--format", "json").stdout)[0]["milestones"][0]["done"] is None


def test_undo_refuses_when_a_row_changed_since(cli, db_path, case):
    from csprcli.domain.errors import BadInput
    from csprcli.store.database import open_store

    store = open_store(db_path, create=False)
    try:
        with sqlite3.connect(db_path) as other:  # tampering outside csprcli, leaving no history
            other.execute("DROP TRIGGER history_incidents_update")
            other.execute("UPDATE incidents SET sin_ref = 'X'")
        with pytest.raises(BadInput, match="changed again after change 2"):
            with store.transaction():
                store.revert(2)
    finally:
        store.close()


def test_the_history_is_append_only(db_path, case):
    with sqlite3.connect(db_path) as conn:
        for sql in ("UPDATE history SET new = NULL", "DELETE FROM history", "DELETE FROM changes"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(sql)


def test_db_path_and_status(cli, db_path, case):
    assert cli.ok("db", "path").stdout == f"{db_path}\n"
    status = json.loads(cli.ok("db", "status", "--format", "json").stdout)[0]
    assert status["integrity"] == "ok" and status["schema"] == MIGRATIONS[-1][0]
    assert (status["incidents"], status["children"], status["changes"]) == (1, 1, 2)
    assert status["size_bytes"] > 0 and "England and Wales" in status["bank_holidays"]


def test_a_backup_is_a_consistent_private_copy(cli, tmp_path, case):
    target = tmp_path / "backup.db"
    assert cli.ok("db", "backup", str(target)).stdout.startswith("backed up ")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT ref, notified FROM incidents").fetchall() == [(case, "2025-12-23")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert "is the database itself" in cli.refused("db", "backup", str(tmp_path / "test.db"))
    assert "there is no folder" in cli.refused("db", "backup", str(tmp_path / "missing" / "b.db"))


def test_an_upgrade_takes_a_backup_first_and_says_where(cli, db_path):
    from conftest import first_version_database

    first_version_database(db_path)
    result = cli.ok("db", "upgrade")
    assert "backed up the database to" in result.stderr
    backups = list(db_path.parent.glob("test.db.before-*.bak"))
    assert len(backups) == 1 and stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    with sqlite3.connect(backups[0]) as conn:
        assert [n for (n,) in conn.execute("SELECT name FROM _sqlite_migrations")] == ["0001_incidents_and_closures"]
    assert "backed up" not in cli.ok("db", "upgrade").stderr  # once only


def test_a_database_open_to_others_is_reported(cli, db_path, case):
    db_path.chmod(0o644)
    result = cli.ok("list")
    assert "can be read by others (mode 644)" in result.stderr and "chmod 600" in result.stderr


def test_a_damaged_database_is_refused_and_left_alone(cli, db_path, case):
    cli.ok("db", "backup", str(db_path.with_name("copy.db")))
    damaged = db_path.with_name("copy.db")
    raw = bytearray(damaged.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # keep the header, break the schema page
    damaged.write_bytes(bytes(raw))
    error = cli.refused("--db", str(damaged), "list", code=3)
    assert f"the database at {damaged} is damaged" in error and "latest backup" in error
    assert damaged.read_bytes() == bytes(raw)


def test_a_folder_on_the_path_that_is_a_file_is_refused(cli, tmp_path):
    (tmp_path / "afile").write_text("x")
    error = cli.refused("--db", str(tmp_path / "afile" / "cases.db"), *INCIDENT[0:], "--aware", "17/12/2025", code=3)
    assert "is a file, not a folder" in error


def test_a_read_only_database_is_refused_with_status_3(cli, tmp_path):
    import tempfile

    from conftest import as_another_user

    folder = Path(tempfile.mkdtemp(prefix="csprcli-ro-"))
    db = folder / "cases.db"
    cli.ok("--db", str(db), *INCIDENT, "--aware", "17/12/2025")
    before = db.read_bytes()
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        codes = as_another_user(
            lambda: [
                cli("--db", str(db), *INCIDENT, "--aware", "18/12/2025"),
                cli("--db", str(db), "incident", "notify", "SI-2025-001", "--on", "18/12/2025"),
            ]
        )
        after = db.read_bytes()
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)
    for exit_code, _stdout, stderr in codes:
        assert exit_code == 3, stderr
        assert f"the folder {folder} cannot be written by this user" in stderr
        assert stderr.startswith("error: ") and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert after == before


def test_the_stored_bank_holidays_are_refilled_by_a_write_after_the_package_changes(cli, db_path, case):
    """A database filled by an older `holidays` package that did not know of the 2023 coronation."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM bank_holidays WHERE day = '2023-05-08'")
        conn.execute("UPDATE meta SET value = 'holidays 0.0-old' WHERE name = 'bank_holidays'")
    assert cli.ok("workdays", "add", "2023-04-28", "5").stdout == "Mon 08 May 2023\n"  # stale, until a write
    assert "stored from holidays 0.0-old" in cli.ok("db", "status").stdout
    cli.ok("incident", "inform", case, "--on", "18/12/2025")
    # Tue 2 May (1) .. Fri 5 (4), Mon 8 May the coronation, Tue 9 (5)
    assert cli.ok("workdays", "add", "2023-04-28", "5").stdout == "Tue 09 May 2023\n"
    assert "stored from holidays 0.0-old" not in cli.ok("db", "status").stdout


def test_history_names_the_command_and_what_a_new_target_says(cli, db_path, case):
    import subprocess
    import sys

    cli.ok("review", "decide", case, "--outcome", "lcspr", "--on", "14/01/2026", "--reason", "Themes")
    cli.ok("revise", case, "publication", "--to", "30/08/2026", "--reason", "Trial", "--agreed-by", "Chair")
    # run as `python -m csprcli`, the history names the command alone, not the interpreter's flags
    env = {"CSPRCLI_DB": str(db_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "csprcli", "rules", "set", "panel-reminder", "12"],
        env=env,
        check=True,
        capture_output=True,
    )
    rows = json.loads(cli.ok("history", case, "--format", "json").stdout)
    assert any(r["what"] == "revised target publication recorded: to 2026-08-30, dated 2026-01-29" for r in rows)
    everything = json.loads(cli.ok("history", "--format", "json").stdout)
    assert everything[0]["command"] == "rules set" and everything[0]["what"] == "setting panel-reminder recorded: 12"


# -- where a backup goes -------------------------------------------------------------------------


def test_a_backup_to_standard_output_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    add_incident(cli, "17/12/2025")
    assert "a file" in cli.refused("db", "backup", "-")
    assert not (tmp_path / "-").exists()


def test_db_backup_copies_an_earlier_database_as_the_readme_says(cli, db_path, tmp_path):
    from conftest import first_version_database

    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text().split())
    assert "it copies a database from an earlier csprcli as it is (never upgrading it)" in readme
    first_version_database(db_path)
    before = db_path.read_bytes()
    cli.ok("db", "backup", str(tmp_path / "kept.db"))
    assert db_path.read_bytes() == before
    assert "earlier csprcli" in cli.refused("list", code=3)
