"""The first hour at the terminal: global options anywhere, help that reads well, a database path
that names a file, and the small things a careful reader notices."""

import json

import pytest

from csprcli.cli.app import COMMANDS, load
from tests.conftest import add_incident


def every_command_path() -> list[list[str]]:
    paths = []
    for name in COMMANDS:
        command = load(name)
        subcommands = getattr(command, "commands", {})
        paths.append([name])
        paths += [[name, sub] for sub in subcommands]
    return paths


@pytest.mark.parametrize("path", every_command_path(), ids=" ".join)
def test_every_commands_help_shows_the_global_options_and_reads_well(cli, path):
    text = cli.ok(*path, "--help").stdout
    assert "--db" in text and "--as-of" in text
    assert "<bool>" not in text
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "{" not in usage and usage == usage.replace("[ref]", ""), usage


def test_the_usage_line_names_arguments_in_capitals(cli):
    usage = next(line for line in cli.ok("incident", "notify", "--help").stdout.splitlines() if "Usage:" in line)
    assert usage.strip() == "Usage: csprcli incident notify [OPTIONS] REF"


def test_db_and_as_of_after_the_command(cli, tmp_path):
    other = tmp_path / "other.db"
    cli.ok(*["incident", "add", "--child", "LCS-1", "--la", "Walsall", "--aware", "17/12/2025", "--nature",
             "death", "--abuse", "known"], "--db", str(other))
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


@pytest.mark.parametrize("path", ["new-folder/", "new-folder/sub/", "."])
def test_a_database_path_names_a_file_not_a_folder(cli, tmp_path, path):
    target = f"{tmp_path}/{path}" if path != "." else path
    message = cli.refused("--db", target, *["incident", "add", "--child", "LCS-1", "--la", "Walsall", "--aware",
                                              "17/12/2025", "--nature", "death", "--abuse", "known"])
    assert "a database path names a file" in message
    assert not (tmp_path / "new-folder").exists()
    assert "a database path names a file" in cli.refused("overdue", "--db", str(tmp_path) + "/")


def test_an_existing_folder_is_not_a_database(cli, tmp_path):
    assert "is a folder" in cli.refused("--db", str(tmp_path), "overdue")
