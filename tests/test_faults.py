"""Faults named for what they are (issue 20): a damaged, locked, full or read-only register is
refused with exit status 3 and a message that says what it is and what to do; never an internal
error, never "another program's database", never the all-clear from a damaged file.

Damage is made by flipping bytes in the test's own database file (found with SQLite's dbstat
table), a full disk by `ulimit -f` in a subprocess, a lock by a second process.
"""

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import INCIDENT, add_incident


def flip(db: Path, btree: str, old: bytes, new: bytes) -> None:
    """Replace `old` by `new` (as long) where it lies in a page of the b-tree `btree` (a table or an
    index), in the file itself: damage as a failing disk or a stray write makes it."""
    assert len(old) == len(new)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = {p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", [btree])}
    conn.close()
    raw = bytearray(db.read_bytes())
    at = -1
    while True:
        at = raw.find(old, at + 1)
        assert at >= 0, f"{old!r} is not in {btree}"
        if at // size + 1 in pages:
            break
    raw[at : at + len(old)] = new
    db.write_bytes(bytes(raw))


@pytest.fixture
def case(cli):
    return add_incident(cli, "17/12/2025")


def index_skips_christmas(db: Path) -> None:
    """The bank holidays' index loses Christmas Day 2026 (its entry now says Christmas Eve): the table
    still holds it, but a lookup by date no longer finds it."""
    flip(db, "sqlite_autoindex_bank_holidays_1", b"2026-12-25", b"2026-12-24")


def test_sqlites_quick_check_misses_an_index_that_no_longer_matches_its_table(cli, db_path, case):
    """Why csprcli runs the integrity check, not the cheaper quick check."""
    index_skips_christmas(db_path)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA integrity_check").fetchone() != ("ok",)
        assert conn.execute("PRAGMA integrity_check(bank_holidays)").fetchone() != ("ok",)
    conn.close()


@pytest.mark.parametrize(
    "args",
    [
        ["overdue"],
        ["overdue", "--format", "csv", "--quiet"],
        [*INCIDENT, "--aware", "20/01/2026"],
        ["incident", "notify", "SI-2025-001", "--on", "22/12/2025"],
        ["undo", "--yes"],
        ["calendar", "close", "2026-02-02", "--reason", "Staff training"],
        ["db", "upgrade"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_damaged_file_is_never_written_to_nor_given_the_all_clear(cli, db_path, case, args):
    index_skips_christmas(db_path)
    before = db_path.read_bytes()
    error = cli.refused(*args, code=3)
    assert f"the database at {db_path} is damaged" in error
    assert "row" in error and "missing from index" in error  # what SQLite found
    assert "nothing was written" in error and "latest backup" in error and "csprcli db backup" in error
    assert db_path.read_bytes() == before
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0


def test_the_nightly_checks_integrity_check_runs_beside_the_reading_and_damage_wins_over_its_answer(db_path, case):
    """`overdue` reads while SQLite checks the file on a connection of its own: once the reading is
    done, damage found is the answer, whether the reading ended well or not; on a sound file, the
    reading's own error is left as it was. The check's thread is always awaited."""
    import threading

    from csprcli.domain.errors import Damaged, UnknownCase
    from csprcli.store.database import checked_while_reading, open_store

    def reading(ref: str) -> None:
        store = open_store(db_path, create=False, write=False)
        try:
            with checked_while_reading(store):
                store.incident(ref)
        finally:
            store.close()

    reading(case)  # a sound file: no error
    with pytest.raises(UnknownCase):
        reading("SI-2025-999")
    index_skips_christmas(db_path)
    for ref in (case, "SI-2025-999"):
        with pytest.raises(Damaged, match="missing from index sqlite_autoindex_bank_holidays_1"):
            reading(ref)
    assert [t for t in threading.enumerate() if t.name == "integrity check"] == []


def test_a_damaged_file_is_one_line_even_when_a_warning_would_come_first(cli, db_path, case):
    """The nightly check says its warnings (a file others can read) only once the file is known
    to be sound: from a damaged one, the error is the one line."""
    index_skips_christmas(db_path)
    db_path.chmod(0o644)
    for args in (["overdue"], ["overdue", "--quiet"], ["overdue", "--format", "csv"]):
        assert "is damaged" in cli.refused(*args, code=3)
    db_path.chmod(0o600)


def test_a_path_that_starts_with_two_slashes_is_checked_as_the_same_file(cli, db_path, case):
    """The check opens the file by a URI of its own: '//tmp/x.db' (a folder of '/' joined to a
    path) is the file /tmp/x.db, not a host called tmp."""
    result = cli("--db", "/" + str(db_path.absolute()), "overdue", "--format", "csv")
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout.startswith("ref,milestone,")


def test_an_interrupt_stops_the_check_and_leaves_nothing_beside_the_file(db_path, case, monkeypatch):
    """Ctrl-C while SQLite still checks: the check is stopped and its connection closed before the
    register's, so the -wal and -shm files go when the register closes, as they did before."""
    import csprcli.store.sqlite_file as sqlite_file
    from csprcli.store.database import checked_while_reading, open_store

    import threading

    checking = threading.Event()

    def endless(conn, checks):  # a check that runs until it is stopped
        checking.set()
        return conn.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n")

    monkeypatch.setattr(sqlite_file, "_first_problem", endless)
    store = open_store(db_path, create=False, write=False)
    try:
        with pytest.raises(KeyboardInterrupt), checked_while_reading(store):
            assert checking.wait(10)
            raise KeyboardInterrupt
    finally:
        store.close()
    assert [t for t in threading.enumerate() if t.name == "integrity check"] == []
    assert not Path(f"{db_path}-wal").exists() and not Path(f"{db_path}-shm").exists()


def test_db_status_shows_the_damage(cli, db_path, case):
    index_skips_christmas(db_path)
    result = cli("db", "status")
    assert result.exit_code == 3
    assert "missing from index sqlite_autoindex_bank_holidays_1" in result.stdout


def schema_flipped(db: Path) -> None:
    """One byte of the incidents table's CREATE statement is no longer UTF-8 (its comma after ref)."""
    flip(db, "sqlite_schema", b"ref TEXT NOT NULL UNIQUE,", b"ref TEXT NOT NULL UNIQUE\xff")


@pytest.mark.parametrize("args", [["db", "status"], ["list"], ["overdue"], [*INCIDENT, "--aware", "20/01/2026"]])
def test_a_flipped_byte_in_the_schema_is_damage_not_an_internal_error(cli, db_path, case, args):
    schema_flipped(db_path)
    error = cli.refused(*args, code=3)
    assert f"the database at {db_path} is damaged (its schema does not read)" in error
    assert "latest backup" in error


@pytest.mark.parametrize(
    "new, what",
    [(b"2025-19-17", "a stored incident's aware is not a date"), (b"2025-\xff2-17", "SQLite cannot read it")],
    ids=["a month 19", "not UTF-8"],
)
@pytest.mark.parametrize(
    "args",
    [["list"], ["overdue"], ["show", "SI-2025-001"], ["incident", "notify", "SI-2025-001", "--on", "22/12/2025"]],
)
def test_a_date_flipped_in_a_row_is_damage_not_an_internal_error(cli, db_path, case, new, what, args):
    flip(db_path, "incidents", b"2025-12-17", new)
    error = cli.refused(*args, code=3)
    assert f"the database at {db_path} is damaged ({what}" in error
    assert "latest backup" in error
    assert "LCS-104233" not in error and "\\xff" not in error  # never a stored value


def test_a_value_that_is_not_a_choice_is_damage(cli, db_path, case):
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE incidents SET nature = 'harm' WHERE ref = 'SI-2025-001'")
    conn.close()
    error = cli.refused("show", "SI-2025-001", code=3)
    assert "is damaged (a stored incident's nature is not one of its choices)" in error


# -- a lock held by another program ----------------------------------------------------


HOLD = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO settings (name, value) VALUES ('held', 'by another program')")
    print("held", flush=True)
    sys.stdin.read()  # until the test closes it
    """
)


@pytest.fixture
def held(db_path, case, monkeypatch):
    """The database locked by a second process for as long as the test runs; csprcli waits 1 second."""
    import csprcli.store.store

    monkeypatch.setattr(csprcli.store.store, "BUSY_TIMEOUT_SECONDS", 1)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline() == "held\n"
    yield holder
    holder.stdin.close()
    holder.wait(timeout=30)


@pytest.mark.parametrize(
    "args",
    [
        ["list"],  # a reader and a writer in the fast subset; each waits a second for the lock
        pytest.param(["db", "status"], marks=pytest.mark.slow),
        pytest.param(["overdue"], marks=pytest.mark.slow),
        [*INCIDENT, "--aware", "20/01/2026"],
    ],
)
def test_a_database_locked_by_another_program_is_busy_not_someone_elses(cli, db_path, held, args):
    error = cli.refused(*args, code=3)
    assert "another program's" not in error
    assert f"the database at {db_path} is busy" in error
    assert "for the 1 second csprcli waited" in error
    if Path("/proc/locks").exists():
        assert f"process {held.pid}, python" in error  # who to wait for
    assert "nothing was written" in error


# -- a full disk -----------------------------------------------------------------------


def test_an_import_past_the_file_size_limit_says_so_and_that_nothing_was_written(tmp_path, db_path, cli, case):
    rows = ["child,la,aware,nature,abuse"] + [
        f"LCS-{200000 + n},Walsall,{1 + n % 28:02d}/11/2025,serious-harm,suspected" for n in range(3000)
    ]
    cases = tmp_path / "cases.csv"
    cases.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = snapshot_counts(db_path)
    limit_kib = db_path.stat().st_size // 1024 + 256  # room for a little, not for 3,000 cases
    env = os.environ | {"CSPRCLI_DB": str(db_path), "CSPRCLI_AS_OF": "2026-01-29"}
    run = subprocess.run(
        ["bash", "-c", f'ulimit -f {limit_kib}; exec "$0" -m csprcli import "$1"', sys.executable, str(cases)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 3, run.stderr
    assert "no transaction is active" not in run.stderr
    assert "file-size limit" in run.stderr and f"{limit_kib * 1024:,} bytes" in run.stderr
    assert "nothing was written" in run.stderr
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1, run.stderr
    assert snapshot_counts(db_path) == before


def snapshot_counts(db: Path) -> tuple:
    with sqlite3.connect(db) as conn:
        found = tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("incidents", "changes", "history")
        )
    conn.close()
    return found


def test_a_full_disk_is_named(db_path):
    from csprcli.store.database import describe_sqlite_error

    error = sqlite3.OperationalError("database or disk is full")
    message = describe_sqlite_error(error, db_path)
    assert message.startswith(f"the disk holding {db_path} is full") and "nothing was written" in message


def test_a_rollback_after_sqlite_ended_the_transaction_keeps_the_real_error():
    from csprcli.store.store import rollback

    conn = sqlite3.connect(":memory:", isolation_level=None)
    rollback(conn)  # no transaction: nothing to do, and no "no transaction is active"
    conn.execute("BEGIN")
    rollback(conn)
    assert not conn.in_transaction


# -- a read-only folder ----------------------------------------------------------------


def test_a_read_only_folder_is_named_as_the_cause(cli, tmp_path):
    import shutil
    import tempfile

    from conftest import as_another_user

    folder = Path(tempfile.mkdtemp(prefix="csprcli-ro-"))
    db = folder / "cases.db"
    cli.ok("--db", str(db), *INCIDENT, "--aware", "17/12/2025")
    db.chmod(0o644)  # the file can be read; its folder cannot be written
    folder.chmod(0o555)
    try:
        results = as_another_user(lambda: [cli("--db", str(db), "list"), cli("--db", str(db), "overdue")])
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)
    for exit_code, _stdout, stderr in results:
        assert exit_code == 3, stderr
        error = stderr.splitlines()[-1]
        assert error.startswith(f"error: the folder {folder} cannot be written by this user"), stderr
        assert "-wal and -shm" in error and "Traceback" not in stderr


# -- the default place -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "relative/config", "."])
def test_an_empty_or_relative_xdg_config_home_is_ignored(cli, tmp_path, monkeypatch, value):
    monkeypatch.delenv("CSPRCLI_DB")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", value)
    monkeypatch.chdir(tmp_path)
    assert cli.ok("db", "path").stdout == f"{tmp_path / 'home' / '.config' / 'csprcli' / 'csprcli.db'}\n"


def test_an_absolute_xdg_config_home_is_followed(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("CSPRCLI_DB")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert cli.ok("db", "path").stdout == f"{tmp_path / 'config' / 'csprcli' / 'csprcli.db'}\n"


def test_the_import_message_names_the_range_of_references_not_the_first_and_last_rows(cli, tmp_path):
    rows = ["child,la,aware,nature,abuse"]
    rows += [f"LCS-{300000 + n},Walsall,{1 + n % 28:02d}/11/2025,serious-harm,suspected" for n in range(1000)]
    rows += ["LCS-299999,Walsall,10/01/2024,serious-harm,suspected"]  # last in the file, lowest reference
    cases = tmp_path / "cases.csv"
    cases.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = cli.ok("import", str(cases))
    # in file order the first is SI-2025-001 and the last SI-2024-001; by number SI-2025-1000 is the highest
    assert result.stdout == "loaded 1001 cases (SI-2024-001 to SI-2025-1000); 0 already recorded\n"


# -- --output changed while the export is written --------------------------------------


def _swap(path: Path, kind: str) -> None:
    import stat

    if kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # a /dev/null, in the test's own folder
    elif kind == "FIFO":
        os.mkfifo(path)
    else:  # another regular file moved into its place
        other = path.with_name("other.csv")
        other.write_text("someone else's\n")
        os.replace(other, path)


@pytest.mark.parametrize("existing", [False, True], ids=["new file", "existing file"])
@pytest.mark.parametrize("kind", ["device", "FIFO", "another file"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "ics"])
def test_an_output_changed_while_the_export_is_written_is_left_alone(
    cli, tmp_path, case, monkeypatch, kind, existing, fmt
):
    target = tmp_path / "exports" / f"meeting.{fmt}"
    target.parent.mkdir()
    if existing:
        target.write_text("last week's\n")
    real = os.fsync

    def swapped_once_written(fd):  # the export is written in full: now something else takes its place
        real(fd)
        if not swapped:
            swapped.append(True)
            if kind != "another file":
                target.unlink(missing_ok=True)
            _swap(target, kind)

    swapped = []
    monkeypatch.setattr(os, "fsync", swapped_once_written)
    error = cli.refused("export", "--format", fmt, "--output", str(target))
    assert f"{target} changed while it was being written (it is now " in error
    assert "nothing was written to it" in error
    import stat

    mode = os.lstat(target).st_mode
    if kind == "device":
        assert stat.S_ISCHR(mode)
    elif kind == "FIFO":
        assert stat.S_ISFIFO(mode)
    else:
        assert target.read_text() == "someone else's\n"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary file left


def test_an_output_unchanged_while_the_export_is_written_is_replaced(cli, tmp_path, case):
    target = tmp_path / "meeting.csv"
    target.write_text("last week's\n")
    cli.ok("export", "--output", str(target))
    assert "SI-2025-001" in target.read_text(encoding="utf-8-sig")


# -- a machine clock that ran ahead, then back -----------------------------------------


@pytest.fixture
def clock_ahead(monkeypatch):
    """Set the machine's clock to a day: the one csprcli reads (cli.base.london_today) and SQLite's own
    ('now', which dates each change in the history). Returns a function that sets it back."""
    import importlib
    from datetime import datetime

    root = importlib.import_module("csprcli.cli.base")  # where csprcli reads the clock
    real_connect, real_today = sqlite3.connect, root.london_today

    def set_to(day):
        def connect(*args, **kwargs):
            conn = real_connect(*args, **kwargs)

            def strftime(fmt, when):
                instant = datetime(day.year, day.month, day.day, 10) if when == "now" else datetime.fromisoformat(when)
                return instant.strftime(fmt.replace("%f", "%S.000"))  # SQLite's %f is seconds with milliseconds

            conn.create_function("strftime", 2, strftime)
            return conn

        monkeypatch.setattr(sqlite3, "connect", connect)
        monkeypatch.setattr(root, "london_today", lambda: day)

    def back():
        monkeypatch.setattr(sqlite3, "connect", real_connect)
        monkeypatch.setattr(root, "london_today", real_today)

    set_to.back = back
    return set_to


def test_records_dated_after_today_are_named_on_every_command_until_put_right(cli, db_path, case, clock_ahead):
    from datetime import date

    clock_ahead(date(2030, 1, 2))
    ref = add_incident(cli, "02/01/2030", as_of="2030-01-02")
    cli.ok("incident", "notify", "SI-2025-001", "--on", "02/01/2030", as_of="2030-01-02")
    clock_ahead.back()
    assert ref == "SI-2030-001"
    for args in (["list"], ["overdue", "--quiet"], ["show", "SI-2025-001"], ["history"]):
        result = cli(*args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        warning = [line for line in result.stderr.splitlines() if "after today" in line]
        assert len(warning) == 1, result.stderr
        assert warning[0].startswith("warning: the record holds dates after today (")
        assert "SI-2025-001 notified Wed 02 Jan 2030 and 1 more" in warning[0]
        assert "'csprcli db status' lists them" in warning[0]
    status = cli.ok("db", "status").stdout
    assert "dated after today: SI-2025-001 notified Wed 02 Jan 2030; SI-2030-001 aware Wed 02 Jan 2030\n" in status
    cli.ok("correct", "SI-2025-001", "notified", "22/12/2025", "--reason", "The clock was wrong")
    result = cli.ok("correct", "SI-2030-001", "aware", "20/01/2026", "--reason", "The clock was wrong")
    assert "after today" in result.stderr  # the warning is given as the command starts
    result = cli.ok("list")
    assert "after today" not in result.stderr
    assert "dated after today: none\n" in cli.ok("db", "status").stdout


def test_a_date_after_today_edited_in_by_hand_is_listed_by_db_status(cli, db_path, case):
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE incidents SET rr_started = '2031-05-06' WHERE ref = 'SI-2025-001'")
    conn.close()
    assert "dated after today: SI-2025-001 rr-started Tue 06 May 2031\n" in cli.ok("db", "status").stdout


# -- undo of a large import: streamed and summarised -----------------------------------


def import_cases(cli, tmp_path, count: int) -> None:
    rows = ["child,la,aware,nature,abuse"]
    rows += [f"LCS-{400000 + n},Walsall,{1 + n % 28:02d}/11/2025,serious-harm,suspected" for n in range(count)]
    cases = tmp_path / "cases.csv"
    cases.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cli.ok("import", str(cases))


def test_the_undo_of_a_large_import_shows_counts_per_table_and_the_first_rows(cli, tmp_path, monkeypatch):
    import csprcli.store.history

    monkeypatch.setattr(csprcli.store.history.History, "REVERT_BATCH", 7)  # several batches, one a part one
    import_cases(cli, tmp_path, 30)
    result = cli.ok("undo", "--yes")
    lines = result.stderr.splitlines()
    assert lines[0].startswith("change 1 by ") and lines[0].endswith(": import")
    assert lines[1:4] == [
        "  incidents: 30 rows added (to be removed)",
        "  children: 30 rows added (to be removed)",
        "  the first 5 of its 60 rows:",
    ]
    assert lines[4].startswith("  SI-2025-001 ") and len(lines) == 4 + 5 + 1
    assert lines[-1] == "  ... and 55 more ('csprcli history --format csv' lists every one)"
    assert result.stdout == f"change 1 undone by {__import__('csprcli.store.store').store.store.current_user()}\n"
    assert cli.ok("list", "--format", "json").stdout == "[]\n"
    with sqlite3.connect(tmp_path / "test.db") as conn:
        assert conn.execute("SELECT count(*) FROM incidents").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM children").fetchone() == (0,)
        assert conn.execute("SELECT op, count(*) FROM history WHERE change_id = 2 GROUP BY op").fetchall() == [
            ("delete", 60)
        ]
    conn.close()


def test_a_small_undo_still_shows_every_row(cli, tmp_path):
    import_cases(cli, tmp_path, 3)
    result = cli.ok("undo", "--yes")
    assert len(result.stderr.splitlines()) == 1 + 6 and "rows added" not in result.stderr


# -- the full export, streamed ---------------------------------------------------------


def test_the_streamed_full_export_is_the_json_document_as_json_dumps_writes_it(cli, tmp_path, case):
    import json

    cli.ok("incident", "notify", case, "--on", "22/12/2025")
    cli.ok("correct", case, "summary", 'Caf\u00e9 \U0001f600 "quoted"\nnew line', "--reason", "Typo")
    cli.ok("calendar", "close", "2026-01-05", "--reason", "Staff training")
    text = cli.ok("export", "--format", "json").stdout
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert document["incidents"][0]["summary"] == 'Caf\u00e9 \U0001f600 "quoted"\nnew line'
    assert document["closures"] == [{"day": "2026-01-05", "reason": "Staff training"}]
    target = tmp_path / "everything.json"
    cli.ok("export", "--format", "json", "--output", str(target))
    assert target.read_text(encoding="utf-8") == text
