"""Every path option against what is not an ordinary file: a FIFO, a device node (made with
os.mknod in a temporary folder, never a real system path), a folder, a socket, a symbolic link,
an empty file, another program's SQLite file, a database of a newer or an older csprcli.

Readers never create, upgrade or write a database; writers never write through or over what is
not a regular file; nothing hangs; every refusal is one line with exit status 2 or 3.
"""

import subprocess
import sys
from pathlib import Path
import os
import socket
import sqlite3
import stat

import pytest

from conftest import INCIDENT, add_incident

READERS = [
    ["list"],
    ["overdue"],
    ["upcoming"],
    ["show", "SI-2025-001"],
    ["explain", "SI-2025-001", "notification"],
    ["export"],
    ["export", "--format", "json"],
    ["report", "--year", "2025-26"],
    ["history"],
    ["db", "status"],
    ["death", "list"],
    ["rules"],
    ["holidays", "--year", "2026"],
]
WRITERS = [
    [*INCIDENT, "--aware", "17/12/2025"],
    ["incident", "notify", "SI-2025-001", "--on", "18/12/2025"],
    ["rules", "set", "panel-reminder", "15"],
    ["calendar", "close", "29/12/2025", "--reason", "Christmas closure"],
    ["export", "--format", "ics"],
]


def fifo(path):
    os.mkfifo(path)


def device(path):
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # a null device, in a temporary folder


def folder(path):
    path.mkdir()


def sock(path):
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    s.close()


def empty(path):
    path.write_bytes(b"")


def sql(path, *statements):
    conn = sqlite3.connect(path)
    try:
        with conn:
            for statement in statements:
                conn.execute(statement)
    finally:
        conn.close()  # closed now, so nothing of it reaches the file later


def foreign(path):
    sql(path, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO photos (name) VALUES ('x.jpg')")


def newer(path, cli):
    cli.ok("--db", str(path), *INCIDENT, "--aware", "17/12/2025", as_of="2025-12-17")
    sql(path, "INSERT INTO _sqlite_migrations (migration_set, name) VALUES ('csprcli', '9999_future')")


def older(path, cli):
    from test_store import first_version_database

    first_version_database(path)


def state(path):
    """What is at `path`: its kind and, for a file, its bytes; and what lies beside it."""
    mode = os.lstat(path).st_mode if os.path.lexists(path) else None
    content = path.read_bytes() if mode is not None and stat.S_ISREG(mode) else None
    return mode and stat.S_IFMT(mode), content


NOT_FILES = {"fifo": fifo, "device": device, "folder": folder, "socket": sock}


@pytest.mark.parametrize("make", NOT_FILES.values(), ids=NOT_FILES.keys())
@pytest.mark.parametrize("command", READERS + WRITERS, ids=lambda c: " ".join(c[:2]))
def test_db_at_what_is_not_a_file_is_refused_at_once(cli, tmp_path, make, command):
    path = tmp_path / "db"
    make(path)
    before = state(path)
    error = cli.refused("--db", str(path), *command, code=3)
    assert "not a database file" in error
    assert state(path) == before


SQLITE_FILES = {"empty": empty, "foreign": foreign}


@pytest.mark.parametrize("make", SQLITE_FILES.values(), ids=SQLITE_FILES.keys())
@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
def test_a_reader_leaves_an_empty_or_foreign_file_as_it_was(cli, tmp_path, make, command):
    path = tmp_path / "db"
    make(path)
    before = path.read_bytes()
    error = cli.refused("--db", str(path), *command, code=3)
    assert "not a csprcli database" in error or "not csprcli's" in error
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_a_writer_never_writes_into_another_programs_database(cli, tmp_path, command):
    path = tmp_path / "db"
    foreign(path)
    before = path.read_bytes()
    assert "another program" in cli.refused("--db", str(path), *command, code=3)
    assert path.read_bytes() == before


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize("which", ["newer", "older"])
def test_a_reader_never_upgrades_and_never_touches_a_newer_database(cli, tmp_path, command, which):
    path = tmp_path / "db"
    (newer if which == "newer" else older)(path, cli)
    before = path.read_bytes()
    error = cli.refused("--db", str(path), *command, code=3)
    assert ("newer csprcli" in error) if which == "newer" else ("csprcli db upgrade" in error)
    assert path.read_bytes() == before


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
def test_a_reader_creates_nothing(cli, tmp_path, command):
    path = tmp_path / "missing" / "cases.db"
    result = cli("--db", str(path), *command)
    if command[0] not in ("rules", "holidays"):  # these show the defaults without a database
        assert result.exit_code == 3 and "no database at" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_a_refused_write_creates_nothing(cli, tmp_path):
    path = tmp_path / "new" / "cases.db"
    cli.refused("--db", str(path), "rules", "set", "no-such-rule", "3")
    cli.refused("--db", str(path), "calendar", "close", "03/01/2026", "--reason", "Saturday")  # a Saturday
    cli.refused("--db", str(path), *INCIDENT, "--aware", "17/12/2099")
    assert not (tmp_path / "new").exists()


def test_a_symbolic_link_to_a_database_is_followed(cli, tmp_path):
    real = tmp_path / "real.db"
    add_incident(cli, "17/12/2025")
    cli.ok("db", "backup", str(real))
    link = tmp_path / "link.db"
    link.symlink_to(real)
    assert "SI-2025-001" in cli.ok("--db", str(link), "list").stdout
    fifo(tmp_path / "pipe")
    (tmp_path / "to-pipe.db").symlink_to(tmp_path / "pipe")
    assert "FIFO" in cli.refused("--db", str(tmp_path / "to-pipe.db"), "list", code=3)


def test_every_folder_db_creates_is_owner_only(cli, tmp_path, monkeypatch):
    os.umask(0o022)
    path = tmp_path / "a" / "b" / "c" / "cases.db"
    cli.ok("--db", str(path), *INCIDENT, "--aware", "17/12/2025")
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# -- where csprcli writes: export --output and db backup ----------------------------------------

TARGETS = {**NOT_FILES, "symlink": lambda p: p.symlink_to(p.parent / "elsewhere")}


@pytest.mark.parametrize("make", TARGETS.values(), ids=TARGETS.keys())
@pytest.mark.parametrize(
    "command",
    [
        ["export", "--output"],
        ["export", "--format", "json", "-o"],
        ["export", "--format", "ics", "-o"],
        ["db", "backup"],
    ],
    ids=lambda c: " ".join(c),
)
def test_a_target_that_is_not_a_regular_file_is_refused_and_left_as_it_was(cli, tmp_path, make, command):
    add_incident(cli, "17/12/2025")
    target = tmp_path / "target"
    make(target)
    before = state(target)
    error = cli.refused(*command, str(target))
    assert "not a regular file" in error and "nothing was written" in error
    assert state(target) == before
    assert not (tmp_path / "elsewhere").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".target")] == []  # no temporary left


def test_a_regular_file_is_replaced_whole(cli, tmp_path):
    add_incident(cli, "17/12/2025")
    target = tmp_path / "cases.csv"
    target.write_text("old")
    cli.ok("export", "--output", str(target))
    assert target.read_text(encoding="utf-8-sig").startswith("Case,")


def test_output_dash_is_standard_output(cli, tmp_path, monkeypatch):
    add_incident(cli, "17/12/2025")
    monkeypatch.chdir(tmp_path)
    for fmt in ("csv", "json", "ics"):
        result = cli.ok("export", "--format", fmt, "--output", "-")
        assert result.stdout and not (tmp_path / "-").exists()


def test_a_database_still_to_be_upgraded_can_be_backed_up_first(cli, tmp_path):
    path = tmp_path / "db"
    older(path, cli)
    before = path.read_bytes()
    cli.ok("--db", str(path), "db", "backup", str(tmp_path / "copy.db"))
    assert path.read_bytes() == before
    conn = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert [n for (n,) in conn.execute("SELECT name FROM _sqlite_migrations")] == ["0001_incidents_and_closures"]
    finally:
        conn.close()


# -- an output or backup is never the database or one of its files ------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize(
    "command", [["export", "--output"], ["export", "--format", "json", "--output"], ["db", "backup"]]
)
def test_an_output_or_backup_onto_the_database_or_its_files_is_refused(cli, db_path, suffix, command):
    add_incident(cli, "17/12/2025")
    target = Path(f"{db_path}{suffix}")
    before = target.read_bytes() if target.exists() else None
    error = cli.refused(*command, str(target))
    assert "the database" in error
    assert (target.read_bytes() if target.exists() else None) == before
    cli.ok("list")


def test_an_output_through_another_path_or_a_hard_link_to_the_database_is_refused(cli, db_path, tmp_path):
    add_incident(cli, "17/12/2025")
    before = db_path.read_bytes()
    (tmp_path / "sub").mkdir()
    os.link(db_path, tmp_path / "linked.db")
    for target in (tmp_path / "sub" / ".." / "test.db", tmp_path / "linked.db"):
        assert "the database" in cli.refused("export", "--output", str(target))
        assert "the database" in cli.refused("db", "backup", str(target))
    assert db_path.read_bytes() == before


# -- a --db that names a missing file is never taken for "no closures" ---------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["workdays", "add", "2026-03-05", "1"],
        ["workdays", "between", "01/03/2026", "10/03/2026"],
        ["holidays"],
        ["rules"],
    ],
)
def test_a_named_database_that_is_missing_is_status_3_for_the_calculators(cli, tmp_path, args):
    missing = tmp_path / "typo.db"
    assert "no database" in cli.refused("--db", str(missing), *args, code=3)
    assert not missing.exists()


def test_with_no_database_named_the_calculators_count_bank_holidays_in_process(cli, no_database_named):
    # 19 Dec 2025 (Fri) + 5: Mon 22, Tue 23, Wed 24, (25, 26 bank holidays, 27-28 weekend), Mon 29, Tue 30
    assert cli.ok("workdays", "add", "19/12/2025", "5", as_of="2026-03-04").stdout == "Tue 30 Dec 2025\n"
    assert not no_database_named.exists()


@pytest.mark.slow
def test_with_no_database_named_the_calculators_count_bank_holidays(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "CSPRCLI_DB"} | {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "CSPRCLI_AS_OF": "2026-03-04",
    }
    result = subprocess.run(
        [sys.executable, "-m", "csprcli", "workdays", "add", "19/12/2025", "5"],
        capture_output=True,
        env=environment,
        timeout=60,
    )
    # 19 Dec 2025 (Fri) + 5: Mon 22, Tue 23, Wed 24, (25, 26 bank holidays, 27-28 weekend), Mon 29, Tue 30
    assert result.returncode == 0 and result.stdout.decode().strip() == "Tue 30 Dec 2025", result.stderr


# -- a database path names a file, never a folder ------------------------------------------------


@pytest.mark.parametrize("path", ["new-folder/", "new-folder/sub/", "."])
def test_a_database_path_names_a_file_not_a_folder(cli, tmp_path, path):
    target = f"{tmp_path}/{path}" if path != "." else path
    message = cli.refused(
        "--db",
        target,
        *[
            "incident",
            "add",
            "--child",
            "LCS-1",
            "--la",
            "Walsall",
            "--aware",
            "17/12/2025",
            "--nature",
            "death",
            "--abuse",
            "known",
        ],
    )
    assert "a database path names a file" in message
    assert not (tmp_path / "new-folder").exists()
    assert "a database path names a file" in cli.refused("overdue", "--db", str(tmp_path) + "/")
