"""Loading an old tracker's CSV: every row checked, nothing loaded unless every row is good."""

import json
from pathlib import Path

import pytest

from conftest import add_incident
from conftest import snapshot

EXAMPLE = Path(__file__).parent.parent / "examples" / "import-cases.csv"


def test_the_example_file_loads_with_every_clock(cli):
    result = cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    assert result.stdout == "loaded 4 cases (SI-2025-001 to SI-2025-004); 0 already recorded\n"
    cases = {c["ref"]: c for c in json.loads(cli.ok("list", "--format", "json", as_of="2026-03-04").stdout)}
    assert cases["SI-2025-001"]["state"] == "closed"
    assert cases["SI-2025-003"]["state"] == "closed"  # a looked-after child's death, notified on time
    assert cases["SI-2025-004"]["outcome"] == "criteria-not-met" and cases["SI-2025-004"]["child"] == "Child B"
    shown = json.loads(cli.ok("show", "SI-2025-002", "--format", "json", as_of="2026-03-04").stdout)[0]
    assert shown["aware"] == "2025-04-14" and shown["home_la"] == "Dudley"
    # Decided on a local review Thu 8 May 2025: publication due Sat 8 Nov 2025, not done: overdue
    publication = {m["milestone"]: m for m in shown["milestones"]}["publication"]
    assert (publication["due"], publication["status"]) == ("2025-11-08", "overdue")


def test_loading_again_reports_the_duplicates_and_loads_nothing(cli):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    result = cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    assert result.stdout == "loaded 0 cases; 4 already recorded\n"
    assert "row 2: already recorded as SI-2025-001" in result.stderr


def test_a_dry_run_says_what_would_load_and_writes_nothing(cli, db_path):
    assert cli.ok("import", str(EXAMPLE), "--dry-run", as_of="2026-03-04").stdout.startswith("would load 4 cases")
    assert not db_path.exists()
    add_incident(cli, "01/12/2025")
    before = snapshot(db_path)
    assert cli.ok("import", str(EXAMPLE), "--dry-run", as_of="2026-03-04").stdout.startswith(
        "would load 4 cases (SI-2025-002"
    )
    assert snapshot(db_path) == before


def test_an_export_loads_back(cli, tmp_path):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    exported = tmp_path / "export.csv"
    cli.ok("export", "--view", "full", "--output", str(exported), "--include-notes", as_of="2026-03-04")
    other = tmp_path / "other.db"
    assert cli.ok("--db", str(other), "import", str(exported), as_of="2026-03-04").stdout.startswith("loaded 4 cases")
    first = json.loads(cli.ok("list", "--format", "json", as_of="2026-03-04").stdout)
    second = json.loads(cli.ok("--db", str(other), "list", "--format", "json", as_of="2026-03-04").stdout)
    assert first == second


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b"child,la,aware,nature,abuse\r\n", "no cases"),
        (b"child,la,nature,abuse\nLCS-1,Walsall,death,known\n", "no column aware"),
        ("child,la,aware,nature,abuse\nLCS-1,Walsall,03/04/2025,death,known\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_broken_files_load_nothing(cli, db_path, tmp_path, content, message):
    add_incident(cli, "01/12/2025")
    before = snapshot(db_path)
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    assert message in cli.refused("import", str(path))
    assert snapshot(db_path) == before


def test_every_bad_row_is_listed_with_its_row_and_column(cli, tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        "child,la,aware,nature,abuse,notified\n"
        "LCS-1,Walsall,03/04/2025,death,known,02/04/2025\n"
        "Jane Smith,Walsall,3/4/2025,death,known,\n"
        "LCS-3,,12/31/2025,serious-harm,maybe,\n"
    )
    result = cli("import", str(path), as_of="2026-03-04")
    assert result.exit_code == 2
    assert (
        "row 2: the notification (Wed 02 Apr 2025) cannot be before the aware date (Thu 03 Apr 2025)" in result.stderr
    )
    assert "row 3, column child: --child must be a pseudonymous reference" in result.stderr
    assert "Jane" not in result.stderr
    assert "row 4, column la: is empty and is required" in result.stderr
    assert "row 4, column aware: '12/31/2025' looks month-first: did you mean 31/12/2025?" in result.stderr
    assert (
        "row 4, column abuse: 'maybe' is not a value for abuse or neglect (one of: known, suspected, none)"
        in result.stderr
    )
    assert result.stderr.strip().splitlines()[-1] == f"error: 5 problems in {path}; nothing was loaded"


def test_a_spreadsheet_saved_with_a_byte_order_mark_and_windows_line_endings_loads(cli, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufeffChild ID,LA,Date aware,Nature,Abuse\r\nLCS-9,Walsall,03/04/2025,death,known\r\n".encode("utf-8")
    )
    assert "no column child" in cli.refused("import", str(path))
    result = cli.ok(
        "import",
        str(path),
        "--map",
        "Child ID=child",
        "--map",
        "LA=la",
        "--map",
        "Date aware=aware",
        "--map",
        "Nature=nature",
        "--map",
        "Abuse=abuse",
    )
    assert result.stdout.startswith("loaded 1 cases")
    assert json.loads(cli.ok("list", "--format", "json").stdout)[0]["aware"] == "2025-04-03"
    assert "--map takes" in cli.refused("import", str(path), "--map", "Child ID=name")


def test_a_file_too_long_to_be_a_partnerships_tracker_is_refused(cli, db_path, tmp_path, monkeypatch):
    import csprcli.services.importer

    monkeypatch.setattr(csprcli.services.importer, "MAX_ROWS", 3)
    path = tmp_path / "long.csv"
    path.write_text(
        "child,la,aware,nature,abuse\n" + "".join(f"LCS-{n},Walsall,03/04/2025,death,known\n" for n in range(4))
    )
    assert "more than 3 cases" in cli.refused("import", str(path))
    assert not db_path.exists()


def test_a_full_json_export_loads_into_an_empty_database_and_exports_the_same(cli, tmp_path):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    cli.ok("correct", "SI-2025-001", "sin-ref", "SIN-2025-70002", "--reason", "Typo", as_of="2026-03-04")
    cli.ok("death", "add", "WS1234", "--died", "02/03/2026", "--age", "2y", "--unexpected", as_of="2026-03-04")
    cli.ok("death", "pause", "WS1234", "--on", "03/03/2026", "--reason", "inquest", as_of="2026-03-04")
    cli.ok("death", "resume", "WS1234", "--on", "04/03/2026", as_of="2026-03-04")
    cli.ok("calendar", "close", "29/12/2026", "--reason", "Christmas closure", as_of="2026-03-04")
    first = cli.ok("export", "--format", "json", as_of="2026-03-04").stdout
    path = tmp_path / "full.json"
    path.write_text(first)
    other = tmp_path / "restored.db"
    assert "history included" in cli.ok("--db", str(other), "import", str(path), "--format", "json").stdout
    again = cli.ok("--db", str(other), "export", "--format", "json", as_of="2026-03-04").stdout
    assert again == first
    history = json.loads(cli.ok("--db", str(other), "history", "SI-2025-001", "--format", "json").stdout)
    assert history[0]["reason"] == "Typo"
    assert "only into an empty database" in cli.refused("--db", str(other), "import", str(path), "--format", "json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"csprcli": "full export", "schema": "0001"}')
    assert "is of schema '0001'" in cli.refused(
        "--db", str(tmp_path / "x.db"), "import", str(broken), "--format", "json"
    )
    broken.write_text("{not json")
    assert "is not JSON" in cli.refused("--db", str(tmp_path / "y.db"), "import", str(broken), "--format", "json")


def test_a_full_export_loads_with_format_in_any_letter_case_and_is_named_when_it_is_not_given(cli, tmp_path):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    path = tmp_path / "full.json"
    path.write_text(cli.ok("export", "--format", "json", as_of="2026-03-04").stdout)
    assert "history included" in cli.ok("--db", str(tmp_path / "a.db"), "import", str(path), "--format", "JSON").stdout
    message = cli.refused("--db", str(tmp_path / "b.db"), "import", str(path))
    assert message == "error: the file is JSON, not CSV: a full export loads with --format json\n"
    assert "'xml' is not a format (one of: csv, json)" in cli.refused("import", str(path), "--format", "xml")
