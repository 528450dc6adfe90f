"""Where output goes and what loads: an output or backup never written over the database itself,
a closed pipe under a table, the calendar feed's bookkeeping after a failed write, no half-written
output in the wrong encoding, the importers refusing what the commands refuse, dates of birth in
any spelling, a mistyped --db never taken for "no closures", and the words of a few refusals."""

import copy
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import add_incident, copy_database, recorded_once

EXAMPLE = Path(__file__).parent.parent / "examples" / "import-cases.csv"


def run(args: list, db: Path | None, *, stdout=subprocess.PIPE, env: dict | None = None, shell: str | None = None):
    environment = os.environ | {"CSPRCLI_AS_OF": "2026-03-04"} | (env or {})
    if db is not None:
        environment["CSPRCLI_DB"] = str(db)
    if shell is not None:
        return subprocess.run(["bash", "-c", shell], capture_output=True, env=environment, timeout=120)
    return subprocess.run(
        [sys.executable, "-m", "csprcli", *args], stdout=stdout, stderr=subprocess.PIPE, env=environment, timeout=60
    )


def one_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert text.startswith("error: ") and text.count("\n") == 1 and "Traceback" not in text, text
    return text


# -- 1. the output or backup is never the database or one of its files -------------------------


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


# -- 2. a closed pipe under a table ------------------------------------------------------------


@pytest.mark.slow
def test_a_closed_pipe_under_a_table_ends_quietly_with_141(tmp_path):
    db = tmp_path / "cases.db"
    rows = "".join(f"LCS-{n},Walsall,03/04/2025,death,known\n" for n in range(400))
    (tmp_path / "many.csv").write_text("child,la,aware,nature,abuse\n" + rows)
    assert run(["import", str(tmp_path / "many.csv")], db).returncode == 0
    for command in ("show SI-2025-001", "report --year 2025-26", "overdue --all", "list --all"):
        # `true` reads nothing and is gone long before csprcli has started: the pipe is closed
        result = run(
            [], db, shell=f'"{sys.executable}" -m csprcli {command} | true; echo "status ${{PIPESTATUS[0]}}" >&2'
        )
        assert result.stderr.decode().strip() == "status 141", (command, result.stderr)


# -- 3. the calendar feed records what it published only once it is written ---------------------


def published(db: Path) -> list:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM published_events ORDER BY uid").fetchall()


def test_a_feed_that_cannot_be_written_records_nothing_as_published(cli, db_path, tmp_path):
    cli.as_if_today = True  # each feed is today's, so published (a feed of another day is a preview)
    add_incident(cli, "17/12/2025")
    cli.ok("export", "--format", "ics", "--output", str(tmp_path / "first.ics"))
    cli.ok("incident", "notify", "SI-2025-001", "--on", "18/12/2025")
    before = published(db_path)
    os.mkfifo(tmp_path / "fifo")
    assert "nothing was written" in cli.refused("export", "--format", "ics", "--output", str(tmp_path / "fifo"))
    assert published(db_path) == before
    assert "folder" in cli.refused("export", "--format", "ics", "--output", str(tmp_path / "nodir" / "x.ics"))
    assert published(db_path) == before


@pytest.mark.slow
def test_a_feed_on_a_full_standard_output_records_nothing_as_published(cli, db_path):
    from csprcli.cli.base import london_today

    cli.as_if_today = True  # each feed is today's, so published (a feed of another day is a preview)
    add_incident(cli, "17/12/2025")
    cli.ok("export", "--format", "ics", "--output", "-")
    cli.ok("incident", "notify", "SI-2025-001", "--on", "18/12/2025")
    before = published(db_path)
    assert before
    with open("/dev/full", "wb") as full:
        today = {"CSPRCLI_AS_OF": london_today().isoformat()}  # today's feed, which would be published
        result = run(["export", "--format", "ics", "--output", "-"], db_path, stdout=full, env=today)
    assert result.returncode == 3
    one_line(result.stderr)
    assert published(db_path) == before


def test_a_feed_written_but_not_recorded_says_so(cli, db_path, tmp_path, monkeypatch):
    import csprcli.store.store

    add_incident(cli, "17/12/2025")

    def damaged(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(csprcli.store.store.Store, "record_published", damaged)
    cli.as_if_today = True  # today's feed, so published (a feed of another day is a preview)
    result = cli("export", "--format", "ics", "--output", str(tmp_path / "feed.ics"))
    assert result.exit_code == 5, result.stderr
    assert (
        "the feed was written to" in result.stderr
        and "feed.ics" in result.stderr
        and "nothing was written" not in result.stderr
    )
    assert (tmp_path / "feed.ics").read_text().startswith("BEGIN:VCALENDAR")


# -- 4. a standard output that cannot take the text gets nothing --------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["export", "--output", "-"],
        ["list", "--format", "csv"],
        ["history", "--format", "csv"],
        ["export", "--format", "json"],
        ["export", "--format", "ics"],
    ],
)
def test_an_ascii_standard_output_gets_nothing_when_it_is_refused(tmp_path, args):
    db = tmp_path / "cases.db"
    (tmp_path / "in.csv").write_text("child,la,aware,nature,abuse\nLCS-1,Ynys Môn,03/04/2025,death,known\n")
    assert run(["import", str(tmp_path / "in.csv")], db).returncode == 0
    with open(tmp_path / "out", "wb") as out:
        result = run(args, db, stdout=out, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 3, result.stderr
    assert "encoding" in one_line(result.stderr)
    assert (tmp_path / "out").read_bytes() == b""


# -- 5 and 6. the full export: unique keys and the commands' own rules ---------------------------


@pytest.fixture(scope="module")
def recorded_full(tmp_path_factory):
    with recorded_once(tmp_path_factory) as (cli, path):
        return path, record_full(cli)


@pytest.fixture
def full(recorded_full, db_path):
    """A full export of the example file, with an action and a closure day; the test works on a copy
    of the database it came from, recorded once for the module."""
    path, data = recorded_full
    copy_database(path, db_path)
    return copy.deepcopy(data)


def record_full(cli):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    cli.ok(
        "action",
        "add",
        "SI-2025-002",
        "--recommendation",
        "r",
        "--agency",
        "Police",
        "--target",
        "30/06/2026",
        as_of="2026-03-04",
    )
    cli.ok("calendar", "close", "29/12/2025", "--reason", "Christmas", as_of="2026-03-04")
    return json.loads(cli.ok("export", "--format", "json", as_of="2026-03-04").stdout)


def edited(data, table, row, field, value):
    data = json.loads(json.dumps(data))
    data[table][row][field] = value
    return data


@pytest.mark.parametrize(
    "table, field, message",
    [
        ("incidents", "ref", "the export's incidents, row 2, field ref: SI-2025-001 is also row 1's"),
        ("incidents", "id", "the export's incidents, row 2, field id: 1 is also row 1's"),
        ("changes", "id", "the export's changes, row 2, field id: 1 is also row 1's"),
    ],
)
def test_a_full_export_with_a_key_twice_is_refused_and_creates_nothing(cli, tmp_path, full, table, field, message):
    data = edited(full, table, 1, field, full[table][0][field])
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(data))
    target = tmp_path / "new.db"
    error = cli.refused("--db", str(target), "import", str(path), "--format", "json")
    assert message in error and "UNIQUE" not in error
    assert not target.exists()


def test_a_full_export_with_a_death_ref_twice_is_refused(cli, tmp_path, full):
    cli.ok("death", "add", "WS1234", "--died", "02/02/2026", "--age", "3 months", "--expected", as_of="2026-03-04")
    cli.ok("death", "add", "WS1235", "--died", "02/02/2026", "--age", "3 months", "--expected", as_of="2026-03-04")
    data = json.loads(cli.ok("export", "--format", "json", as_of="2026-03-04").stdout)
    data = edited(data, "deaths", 1, "ref", "WS1234")
    path = tmp_path / "deaths.json"
    path.write_text(json.dumps(data))
    target = tmp_path / "new.db"
    error = cli.refused("--db", str(target), "import", str(path), "--format", "json")
    assert "the export's deaths, row 2, field ref: WS1234 is also row 1's" in error, error
    assert not target.exists()


def test_a_refused_restore_creates_no_database(cli, tmp_path, full, monkeypatch):
    import csprcli.store.database

    def broken(store, data):
        raise sqlite3.IntegrityError("UNIQUE constraint failed: something")

    monkeypatch.setattr(csprcli.store.database, "restore", broken)
    path = tmp_path / "full.json"
    path.write_text(json.dumps(full))
    target = tmp_path / "new.db"
    cli("--db", str(target), "import", str(path), "--format", "json")
    assert not target.exists() and not Path(f"{target}-wal").exists()


@pytest.mark.parametrize(
    "table, field, value, message",
    [
        ("closures", "day", "2026-01-03", "the export's closures, row 1, field day: "),  # a Saturday
        ("closures", "day", "2025-12-25", "the export's closures, row 1, field day: "),  # Christmas Day
        ("actions", "number", 0, "the export's actions, row 1, field number"),
        ("actions", "number", 2, "the export's actions, row 1, field number"),
        ("changes", "user", "a\x00b", "the export's changes, row 1, field user"),
        ("changes", "command", "import\x1b[2J", "the export's changes, row 1, field command"),
    ],
)
def test_a_full_export_is_held_to_the_commands_rules(cli, tmp_path, full, table, field, value, message):
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(edited(full, table, 0, field, value)))
    target = tmp_path / "new.db"
    assert message in cli.refused("--db", str(target), "import", str(path), "--format", "json")
    assert not target.exists()


def test_a_full_export_revising_the_notification_is_refused(cli, tmp_path, full):
    data = json.loads(json.dumps(full))
    assert data["revisions"] == []
    action = data["actions"][0]
    data["revisions"] = [
        {
            "id": 1,
            "incident_id": action["incident_id"],
            "milestone": "notification",
            "due": "2026-07-30",
            "reason": "late",
            "agreed_by": "Chair",
            "recorded_on": "2026-03-01",
        }
    ]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    target = tmp_path / "new.db"
    assert "the export's revisions, row 1, field milestone" in cli.refused(
        "--db", str(target), "import", str(path), "--format", "json"
    )
    assert not target.exists()
    data["revisions"][0]["milestone"] = "action-1"
    path.write_text(json.dumps(data))
    cli.ok("--db", str(target), "import", str(path), "--format", "json")


# -- 7. CSV import: cells beyond the headings, a --map heading the file lacks --------------------


def test_cells_beyond_the_headings_are_refused(cli, tmp_path, db_path):
    path = tmp_path / "in.csv"
    path.write_text(
        "child,la,aware,nature,abuse\nLCS-1,Walsall,03/04/2025,death,known\n"
        "LCS-2,Walsall,03/04/2025,death,known,x,extra,more\n"
    )
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert "row 3: has 8 cells, beyond the 5 headings" in result.stderr
    assert "error: 1 problems" in result.stderr
    assert not db_path.exists()


def test_a_map_naming_a_heading_the_file_lacks_is_refused(cli, tmp_path, db_path):
    path = tmp_path / "in.csv"
    path.write_text("child,la,aware,nature,abuse\nLCS-1,Walsall,03/04/2025,death,known\n")
    error = cli.refused("import", str(path), "--map", "Date LA aw\x1bre=aware")
    assert "--map" in error and "'Date LA aw\\x1bre'" in error
    assert not db_path.exists()


# -- 8. a date of birth in any common spelling --------------------------------------------------


@pytest.mark.parametrize(
    "child",
    [
        "Child 14.03.2015",
        "J Smith 14th March 2015",
        "JS 20150314",
        "JS 14032015",
        "JS 14 03 2015",
        "March 14, 2015 JS",
        "JS 14-Mar-2015",
        "JS 2015 03 14",
        "1st Jan 2016 A",
    ],
)
def test_a_child_reference_holding_a_date_is_refused(cli, child, db_path):
    error = cli.refused(
        "incident",
        "add",
        "--child",
        child,
        "--la",
        "Walsall",
        "--aware",
        "01/01/2026",
        "--nature",
        "serious-harm",
        "--abuse",
        "known",
    )
    assert "date" in error and child not in error
    assert not db_path.exists()


@pytest.mark.parametrize("child", ["LCS-104233", "Child A", "WS1234", "LCS-20159999", "ID 12345678", "Child B2"])
def test_real_child_ids_are_still_accepted(cli, child):
    add_incident(cli, "17/12/2025", "--child", child) if False else cli.ok(
        "incident",
        "add",
        "--child",
        child,
        "--la",
        "Walsall",
        "--aware",
        "17/12/2025",
        "--nature",
        "serious-harm",
        "--abuse",
        "known",
    )


# -- 9. a --db that names a missing file is never taken for "no closures" ------------------------


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


# -- 11 and 12. words for people, and the smaller edges ------------------------------------------


def test_a_fixed_choice_is_refused_naming_the_option_and_quoting_only_a_short_start(cli):
    error = cli.refused(
        "incident",
        "add",
        "--child",
        "LCS-1",
        "--la",
        "Walsall",
        "--aware",
        "01/01/2026",
        "--nature",
        "Jane Smith was here and more besides",
        "--abuse",
        "known",
    )
    assert "--nature" in error and "is not a nature" in error
    assert "Value error" not in error and "besides" not in error


def test_a_number_out_of_range_is_refused_in_words(cli):
    error = cli.refused("workdays", "add", "2026-01-01", "--", "-999999999")
    assert "is not a whole number from -2600 to 2600" in error and "Input should" not in error


def test_counting_back_before_the_calendar_kept_is_refused(cli, no_database_named):
    # Fri 2 Jan 1970 less 5 working days: Thu 1 Jan (a bank holiday) is skipped, then 31, 30, 29,
    # 26 (25 Christmas Day) and 24 Dec 1969: before the years kept
    assert "Wed 24 Dec 1969, outside the years csprcli keeps (1970 to 2099)" in cli.refused(
        "workdays", "add", "1970-01-02", "--", "-5"
    )
    assert "Thu 07 Jan 2100, outside the years csprcli keeps" in cli.refused("workdays", "add", "2099-12-30", "5")
    assert cli.ok("workdays", "add", "1970-01-09", "--", "-5").stdout == "Fri 02 Jan 1970\n"


def test_the_years_kept_are_one_fact(cli):
    from csprcli.domain.dates import FIRST_YEAR, LAST_YEAR
    from csprcli.store.store import CALENDAR_YEARS

    error = cli.refused(
        "incident",
        "add",
        "--child",
        "LCS-1",
        "--la",
        "Walsall",
        "--aware",
        "01/01/2120",
        "--nature",
        "death",
        "--abuse",
        "known",
    )
    assert f"{FIRST_YEAR} to {LAST_YEAR}" in error
    assert CALENDAR_YEARS[0] == FIRST_YEAR and CALENDAR_YEARS[1] > LAST_YEAR  # counting runs on past the last
    add_incident(cli, "17/12/2025")
    assert "--year: csprcli reports on the years 1970-71 to 2098-99" in cli.refused("report", "--year", "2109-10")
    assert "--year" in cli.refused("report", "--year", "2099-00")
    cli.ok("report", "--year", "2098-99")
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert f"{FIRST_YEAR} to {LAST_YEAR}" in readme


def test_a_backup_to_standard_output_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    add_incident(cli, "17/12/2025")
    assert "a file" in cli.refused("db", "backup", "-")
    assert not (tmp_path / "-").exists()


def test_short_names_lose_only_spaces_and_tabs(cli):
    add_incident(cli, "17/12/2025")
    cli.ok(
        "incident",
        "add",
        "--child",
        "LCS-2",
        "--la",
        " \tWalsall\u0085",
        "--aware",
        "17/12/2025",
        "--nature",
        "death",
        "--abuse",
        "known",
    )
    shown = json.loads(cli.ok("list", "--format", "json").stdout)
    assert [c["la"] for c in shown if c["ref"] == "SI-2025-002"] == ["Walsall\u0085"]


def test_db_backup_copies_an_earlier_database_as_the_readme_says(cli, db_path, tmp_path):
    from conftest import first_version_database

    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text().split())
    assert "it copies a database from an earlier csprcli as it is (never upgrading it)" in readme
    first_version_database(db_path)
    before = db_path.read_bytes()
    cli.ok("db", "backup", str(tmp_path / "kept.db"))
    assert db_path.read_bytes() == before
    assert "earlier csprcli" in cli.refused("list", code=3)


def test_the_readme_says_machine_formats_are_not_made_safe_for_a_terminal():
    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text().split())
    assert "CSV, JSON and the calendar feed (ICS) on stdout are data for programs" in readme
    assert "not made safe for a terminal" in readme


def test_a_user_name_that_is_not_plain_is_recorded_as_the_uid_so_the_export_loads_back(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LOGNAME", "bad\x1b[2Juser")
    monkeypatch.setenv("USER", "bad\x1b[2Juser")
    add_incident(cli, "17/12/2025")
    history = json.loads(cli.ok("history", "--format", "json").stdout)
    assert "\x1b" not in history[0]["user"]
    path = tmp_path / "full.json"
    path.write_text(cli.ok("export", "--format", "json").stdout)
    cli.ok("--db", str(tmp_path / "new.db"), "import", str(path), "--format", "json")
