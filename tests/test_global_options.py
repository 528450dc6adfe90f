"""The global options, --db and --as-of, before the command, in the middle of a group's command line
or after it; the one given last wins."""

import json


def test_db_and_as_of_after_the_command(cli, tmp_path):
    other = tmp_path / "other.db"
    cli.ok(
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
        "--db",
        str(other),
    )
    assert other.exists()
    # As of Mon 5 Jan 2026, the notification due Wed 24 Dec 2025 is overdue by Mon 29 .. Wed 31 Dec (3),
    # Fri 2 Jan (4; 1 Jan a bank holiday) and Mon 5 Jan (5).
    result = cli("overdue", "--format", "json", "--db", str(other), "--as-of", "2026-01-05")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["milestone"], r["working_days"]) for r in rows][0] == ("notification", 5)
    # Given in the middle of a group's command line, too.
    assert "SI-2025-001" in cli.ok("incident", "--db", str(other), "notify", "SI-2025-001", "--on", "23/12/2025").stdout
    # After the command, --db wins over the one before it.
    assert cli.refused("--db", str(other), "show", "SI-2025-001", "--db", str(tmp_path / "none.db"), code=3)


def test_a_bad_as_of_after_the_command_is_one_line(cli):
    assert "--as-of" in cli.refused("upcoming", "--as-of", "31/02/2026")
