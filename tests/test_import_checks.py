"""The importers refuse every broken value with the commands' own checks: exit 2, the table (or line),
row and field named, nothing created or loaded, no value of free text echoed."""

import sqlite3
from pathlib import Path
import copy
import json
import os
import stat

import pytest

from conftest import add_incident, copy_database, recorded_once
from test_cli import snapshot

EXAMPLE = __import__("pathlib").Path(__file__).parent.parent / "examples" / "import-cases.csv"
HEAD = "child,la,aware,nature,abuse"


# -- the full JSON export ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def recorded_full(tmp_path_factory):
    with recorded_once(tmp_path_factory) as (cli, path):
        return path, record_full(cli)


@pytest.fixture
def full(recorded_full, db_path):
    """A full export of the example file, with a correction, a progress check and an action; the
    test works on a copy of the database it came from, recorded once for the module."""
    path, data = recorded_full
    copy_database(path, db_path)
    return copy.deepcopy(data)


def record_full(cli):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    cli.ok("correct", "SI-2025-001", "sin-ref", "SIN-2025-70002", "--reason", "Typo", as_of="2026-03-04")
    cli.ok("lcspr", "check", "SI-2025-002", "--on", "02/03/2026", "--rag", "amber", as_of="2026-03-04")
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
    return json.loads(cli.ok("export", "--format", "json", as_of="2026-03-04").stdout)


def broken(data, table, row, field, value):
    data = json.loads(json.dumps(data))
    if value is KeyError:
        del data[table][row][field]
    else:
        data[table][row][field] = value
    return data


CASES = [
    ("incidents", 0, "aware", "banana", "incidents, row 1, field aware"),
    ("incidents", 0, "aware", "2025-02-30", "incidents, row 1, field aware: '2025-02-30' is not a real date"),
    ("incidents", 0, "nature", "alien", "incidents, row 1, field nature: 'alien' is not one of"),
    ("incidents", 0, "abuse", None, "incidents, row 1, field abuse: is empty and is required"),
    ("incidents", 0, "looked_after", "yes", "incidents, row 1, field looked_after"),
    ("incidents", 0, "child", "Jane Smith", "incidents, row 1, field child: --child must be a pseudonymous"),
    ("incidents", 0, "summary", "x" * 501, "incidents, row 1, field summary: is 501 characters long; keep it to 500"),
    ("incidents", 0, "summary", "bell\x00", "incidents, row 1, field summary: holds a NUL character"),
    ("incidents", 0, "notified", "2025-03-01", "incidents, row 1: the notification (Sat 01 Mar 2025) cannot be before"),
    ("incidents", 0, "ref", "SI-25-1", "incidents, row 1, field ref: is not a case reference"),
    ("incidents", 0, "closed", 1, "incidents, row 1, field 'closed': is not a column"),  # worked out, never loaded
    ("incidents", 0, "id", "1", "incidents, row 1, field id"),
    ("incidents", 0, "colour", "red", "incidents, row 1, field 'colour': is not a column"),
    ("incidents", 0, "la", KeyError, "incidents, row 1, field la: is missing"),
    ("children", 0, "incident_id", 999, "children, row 1, field incident_id: names an incident that is not"),
    ("children", 0, "sex", "x", "children, row 1, field sex"),
    ("checks", 0, "rag", "purple", "checks, row 1, field rag: 'purple' is not one of"),
    ("actions", 0, "target", 20260630, "actions, row 1, field target"),
    ("actions", 0, "status", "forgotten", "actions, row 1, field status"),
    ("actions", 0, "status", "done", "actions, row 1, field closed_on: does not go with the status done"),
    ("changes", 0, "at", "yesterday", "changes, row 1, field at"),
    ("changes", 0, "undoes", 99, "changes, row 1, field undoes"),
    ("history", 0, "op", "rewrite", "history, row 1, field op"),
    ("history", 0, "change_id", 999, "history, row 1, field change_id"),
    ("history", 0, "new", "not json", "history, row 1, field new"),
    ("history", 0, "tbl", "sqlite_master", "history, row 1, field tbl"),
]


@pytest.mark.parametrize("table, row, field, value, message", CASES)
def test_a_broken_value_in_a_full_export_is_refused_and_nothing_is_created(
    cli, tmp_path, full, table, row, field, value, message
):
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(broken(full, table, row, field, value)))
    target = tmp_path / "new.db"
    error = cli.refused("--db", str(target), "import", str(path), "--format", "json")
    assert f"error: the export's {message}" in error
    assert "Jane" not in error and "bell" not in error
    assert not target.exists()


def test_an_unedited_full_export_still_loads(cli, tmp_path, full):
    path = tmp_path / "full.json"
    path.write_text(json.dumps(full))
    cli.ok("--db", str(tmp_path / "new.db"), "import", str(path), "--format", "json")


def test_a_full_export_of_another_schema_creates_nothing(cli, tmp_path, full):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(full | {"schema": "0001_incidents_and_closures"}))
    assert "is of schema" in cli.refused("--db", str(tmp_path / "new.db"), "import", str(path), "--format", "json")
    assert not (tmp_path / "new.db").exists()


# -- the CSV importer --------------------------------------------------------------------------


def refused(cli, tmp_path, content, *args) -> str:
    path = tmp_path / "in.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    error = cli.refused("import", str(path), *args)
    return error


@pytest.mark.parametrize(
    "content, message",
    [
        (
            f'{HEAD}\nLCS-1,Walsall,03/04/2025,death,known\nLCS-2,"Walsall,03/04/2025,death,known\nLCS-3,W,03/04/2025,death,known\n',
            "line 3: a quote opened here is never closed",
        ),
        (f'{HEAD}\nLCS-1,Wal"sall,03/04/2025,death,known\n', None),  # a quote inside a cell is text
        (f'{HEAD}\nLCS-1,"Wal"sall,03/04/2025,death,known\n', "line 2: not valid CSV"),
        (f"{HEAD},la\nLCS-1,Walsall,03/04/2025,death,known,Dudley\n", "columns 2 and 6 both give 'la'"),
        (f"{HEAD},Local authority\nLCS-1,W,03/04/2025,death,known,Dudley\n", None),
        (f'{HEAD}\nLCS-1,"{"x" * 140_000}",03/04/2025,death,known\n', "line 2: a cell is longer than 131,072"),
        (
            f"{HEAD}\nLCS-1,{'W' * 61},03/04/2025,death,known\n",
            "row 2, column la: la is 61 characters long; keep it to 60",
        ),
        (f"{HEAD},summary\nLCS-1,W,03/04/2025,death,known,{'s' * 501}\n", "keep it to 500"),
        (
            f"{HEAD}\nLCS-1,Wal\x00sall,03/04/2025,death,known\n",
            "row 2, column la: la holds a NUL character (character 4)",
        ),
        (f"{HEAD}\nLCS-1,Wal\x1b[2Jsall,03/04/2025,death,known\n", None),  # kept as pasted, shown made safe
        ("child\x1b[31m,la,aware\nx,y,z\n", "found: 'child\\x1b[31m'"),
        (
            f"{HEAD}\nLCS-1,W,03/04/2025,death,{'k' * 5000}\n",
            "row 2, column abuse: '" + "k" * 27 + "...' is not a value for abuse or neglect",
        ),
        (b"child,la\n\xff\xfe\n", "not UTF-8 text (line 2)"),
        ("x" * (1 << 21), "line 1 is longer than 1,048,576"),
        ("\x00" * 100_000, "no column child"),
    ],
)
def test_a_broken_csv_is_refused_with_where(cli, db_path, tmp_path, content, message):
    add_incident(cli, "01/12/2025")
    before = snapshot(db_path)
    path = tmp_path / "in.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    result = cli("import", str(path), as_of="2026-03-04")
    if message is None:
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert "\x1b" not in result.stderr and "\x00" not in result.stderr and len(result.stderr) < 2000
    assert snapshot(db_path) == before


def test_a_neutralised_cell_loads_back_as_it_was_typed(cli, tmp_path):
    texts = ["=1+1 was typed", "-2 days", "'quoted", "'=both", "@home", "+44"]
    ref = add_incident(cli, "01/12/2025", "--summary", texts[0])
    refs = [ref] + [add_incident(cli, f"0{n}/12/2025", "--summary", text) for n, text in enumerate(texts[1:], start=2)]
    exported = tmp_path / "export.csv"
    cli.ok("export", "--view", "full", "--output", str(exported), "--include-notes")
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "import", str(exported))
    for r, text in zip(refs, texts):
        shown = json.loads(cli.ok("--db", str(other), "export", "--format", "json").stdout)
        summaries = {i["ref"]: i["summary"] for i in shown["incidents"]}
        assert summaries[r] == text


@pytest.mark.parametrize(
    "setup",
    [
        ["lcspr", "check", "SI-2025-002", "--on", "02/03/2026", "--rag", "amber"],
        ["action", "add", "SI-2025-002", "--recommendation", "r", "--agency", "Police", "--target", "30/06/2026"],
        ["child", "add", "SI-2025-002", "--child", "LCS-900001"],
        ["revise", "SI-2025-002", "publication", "--to", "30/09/2026", "--reason", "Inquest", "--agreed-by", "Chair"],
        ["lcspr", "pause", "SI-2025-002", "--on", "02/03/2026", "--reason", "trial", "--agreed-by", "Chair"],
    ],
)
def test_a_csv_export_that_would_lose_something_is_refused_not_loaded_short(cli, tmp_path, setup):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    cli.ok(*setup, as_of="2026-03-04")
    exported = tmp_path / "export.csv"
    cli.ok("export", "--view", "full", "--output", str(exported), as_of="2026-03-04")
    other = tmp_path / "other.db"
    error = cli("--db", str(other), "import", str(exported), as_of="2026-03-04").stderr
    assert "row 3, column" in error and "only a full export loads everything" in error
    assert not other.exists()


# -- files that are not files ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "dev-zero", "symlink-to-fifo"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_import_from_what_is_not_a_regular_file_is_refused_at_once(cli, tmp_path, kind, fmt):
    path = tmp_path / "input"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # like /dev/zero, in a temporary folder
    elif kind == "folder":
        path.mkdir()
    elif kind == "symlink-to-fifo":
        os.mkfifo(tmp_path / "pipe")
        path.symlink_to(tmp_path / "pipe")
    else:
        path = "/dev/zero"  # only read, never written
    error = cli.refused("--db", str(tmp_path / "new.db"), "import", str(path), "--format", fmt)
    assert "not a regular file" in error
    assert not (tmp_path / "new.db").exists()


def test_import_reads_standard_input_given_as_dash(cli, db_path):
    result = cli.runner.invoke(
        __import__("csprcli.cli", fromlist=["app"]).app,
        ["--as-of", "2026-03-04", "import", "-"],
        input=EXAMPLE.read_bytes(),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("loaded 4 cases")


# -- a full export edited by hand: unique keys and the commands' own rules ------------------------


@pytest.fixture(scope="module")
def recorded_full_with_a_closure(tmp_path_factory):
    with recorded_once(tmp_path_factory) as (cli, path):
        return path, record_full_with_a_closure(cli)


@pytest.fixture
def full_with_a_closure(recorded_full_with_a_closure, db_path):
    """A full export of the example file, with an action and a closure day; the test works on a copy
    of the database it came from, recorded once for the module."""
    path, data = recorded_full_with_a_closure
    copy_database(path, db_path)
    return copy.deepcopy(data)


def record_full_with_a_closure(cli):
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
def test_a_full_export_with_a_key_twice_is_refused_and_creates_nothing(
    cli, tmp_path, full_with_a_closure, table, field, message
):
    data = edited(full_with_a_closure, table, 1, field, full_with_a_closure[table][0][field])
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(data))
    target = tmp_path / "new.db"
    error = cli.refused("--db", str(target), "import", str(path), "--format", "json")
    assert message in error and "UNIQUE" not in error
    assert not target.exists()


def test_a_full_export_with_a_death_ref_twice_is_refused(cli, tmp_path, full_with_a_closure):
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


def test_a_refused_restore_creates_no_database(cli, tmp_path, full_with_a_closure, monkeypatch):
    import csprcli.store.database

    def broken(store, data):
        raise sqlite3.IntegrityError("UNIQUE constraint failed: something")

    monkeypatch.setattr(csprcli.store.database, "restore", broken)
    path = tmp_path / "full.json"
    path.write_text(json.dumps(full_with_a_closure))
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
def test_a_full_export_is_held_to_the_commands_rules(cli, tmp_path, full_with_a_closure, table, field, value, message):
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(edited(full_with_a_closure, table, 0, field, value)))
    target = tmp_path / "new.db"
    assert message in cli.refused("--db", str(target), "import", str(path), "--format", "json")
    assert not target.exists()


def test_a_full_export_revising_the_notification_is_refused(cli, tmp_path, full_with_a_closure):
    data = json.loads(json.dumps(full_with_a_closure))
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


# -- CSV import: cells beyond the headings, a --map heading the file lacks ---------------------------


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
