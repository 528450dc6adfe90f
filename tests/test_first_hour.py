"""The first hour at the terminal: global options anywhere, help that reads well, a database path
that names a file, and the small things a careful reader notices."""

import json

import pytest

from csprcli.cli.commands import COMMANDS, load
from conftest import add_incident


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


def test_workdays_add_prints_the_day_for_people_and_iso_for_scripts(cli, no_database_named):
    # Wed 17 Dec 2025 + 5 working days: Thu 18 (1), Fri 19 (2), Mon 22 (3), Tue 23 (4), Wed 24 (5).
    assert cli.ok("workdays", "add", "17/12/2025", "5").stdout == "Wed 24 Dec 2025\n"
    assert cli.ok("workdays", "add", "17/12/2025", "5", "--format", "csv").stdout.splitlines() == [
        "start,working_days,date",
        "2025-12-17,5,2025-12-24",
    ]
    assert json.loads(cli.ok("workdays", "add", "17/12/2025", "5", "--format", "json").stdout) == [
        {"start": "2025-12-17", "working_days": 5, "date": "2025-12-24"}
    ]


def test_upcoming_says_what_it_looked_at_in_words(cli):
    add_incident(cli, "17/12/2025", as_of="2026-03-04")  # notified long ago: nothing is upcoming
    cli.ok("incident", "notify", "SI-2025-001", "--on", "18/12/2025", as_of="2026-03-04")
    cli.ok("incident", "inform", "SI-2025-001", "--on", "18/12/2025", as_of="2026-03-04")
    cli.ok(
        "review",
        "decide",
        "SI-2025-001",
        "--outcome",
        "criteria-not-met",
        "--on",
        "19/12/2025",
        "--reason",
        "r",
        as_of="2026-03-04",
    )
    assert cli.ok("upcoming", "--within", "0", as_of="2026-03-04").stdout == "nothing due today (Wed 04 Mar 2026)\n"
    assert cli.ok("upcoming", "--within", "1", as_of="2026-03-04").stdout == (
        "nothing due today or in the next working day\n"
    )
    assert "0 working days" not in cli.ok("upcoming", "--within", "0", as_of="2026-03-04").stdout


def test_upcoming_this_week_runs_from_today_to_friday(cli):
    # Aware Fri 27 Feb 2026: notification due Mon 2 (1) .. Fri 6 Mar (5). Aware Mon 2 Mar: due Mon 9 Mar.
    this_week = add_incident(cli, "27/02/2026", as_of="2026-03-04")
    next_week = add_incident(cli, "02/03/2026", as_of="2026-03-04")
    rows = json.loads(cli.ok("upcoming", "--week", "--format", "json", as_of="2026-03-04").stdout)
    assert {r["ref"] for r in rows} == {this_week}
    # On Saturday 7 Mar, "this week" is the coming one, to Fri 13 Mar.
    rows = json.loads(cli.ok("upcoming", "--week", "--format", "json", as_of="2026-03-07").stdout)
    assert {r["ref"] for r in rows} == {next_week}
    assert cli.ok("upcoming", "--week", as_of="2026-03-10").stdout.startswith(
        "nothing due from today to Fri 13 Mar 2026"
    )
    assert "not both" in cli.refused("upcoming", "--week", "--within", "3")


def test_a_local_authority_not_on_englands_list_is_warned_with_the_nearest(cli):
    result = cli.ok(
        "incident",
        "add",
        "--child",
        "LCS-1",
        "--la",
        "Walsal",
        "--home-la",
        "Cardiff",
        "--aware",
        "17/12/2025",
        "--nature",
        "death",
        "--abuse",
        "known",
    )
    assert "SI-2025-001: recorded" in result.stdout
    assert (
        "warning: --la: 'Walsal' is not one of England's local authorities (DfE register); did you mean 'Walsall'?"
        in result.stderr
    )
    assert "warning: --home-la: 'Cardiff' is not one of England's local authorities" in result.stderr
    result = cli.ok("correct", "SI-2025-001", "la", "Walsall", "--reason", "typo")
    assert "warning" not in result.stderr
    result = cli.ok(
        "incident",
        "add",
        "--child",
        "LCS-2",
        "--la",
        "walsall council",
        "--aware",
        "17/12/2025",
        "--nature",
        "death",
        "--abuse",
        "known",
    )
    assert "warning" not in result.stderr


def test_an_import_warns_once_for_each_local_authority_not_on_englands_list(cli, tmp_path):
    path = tmp_path / "old.csv"
    path.write_text(
        "child,la,home_la,aware,nature,abuse\n"
        "LCS-1,Walsal,,03/03/2025,death,known\n"
        "LCS-2,Walsall,Wrexham,04/03/2025,death,known\n"
        "LCS-3,Walsal,,05/03/2025,death,known\n",
        encoding="utf-8",
    )
    result = cli.ok("import", str(path))
    assert "loaded 3 cases" in result.stdout
    assert result.stderr.splitlines() == [
        "warning: column la, rows 2, 4: 'Walsal' is not one of England's local authorities (DfE register); "
        "did you mean 'Walsall'? Kept as typed.",
        "warning: column home_la, row 3: 'Wrexham' is not one of England's local authorities (DfE register). "
        "Kept as typed.",
    ]


def test_the_roots_help_shows_no_value_type_for_its_flags(cli):
    text = cli.ok("--help").stdout
    assert "--version" in text and "<bool>" not in text
