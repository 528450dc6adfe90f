"""Each command end to end, as a user runs it, with a temporary database and a fixed as-of date."""

import csv
import io
import json
import sqlite3
import stat

import pytest

from typer.testing import CliRunner

from csprcli.cli import app
from csprcli.cli.commands import load
from conftest import INCIDENT, add_incident, copy_database, recorded_once, snapshot


# -- incident add ---------------------------------------------------------------


def test_add_prints_the_reference_and_the_notification_due_date(cli):
    result = cli.ok(*INCIDENT, "--aware", "17/12/2025", as_of="2025-12-18")
    assert (
        result.stdout
        == "SI-2025-001: recorded; notification to the Panel due Wed 24 Dec 2025 (open, 4 working days left)\n"
    )


def test_references_run_per_aware_year_and_are_never_reused(cli):
    assert add_incident(cli, "17/12/2025") == "SI-2025-001"
    assert add_incident(cli, "2025-12-18") == "SI-2025-002"
    assert add_incident(cli, "5 January 2026") == "SI-2026-001"
    assert add_incident(cli, "19/12/2025") == "SI-2025-003"


def test_the_database_is_created_readable_by_its_owner_only(cli, tmp_path, monkeypatch):
    path = tmp_path / "new" / "folder" / "cases.db"
    monkeypatch.setenv("CSPRCLI_DB", str(path))
    add_incident(cli, "17/12/2025")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "args, message",
    [
        (["--child", "John Smith"], "--child must be a pseudonymous reference"),
        (["--child", "Jane"], "--child must be a pseudonymous reference"),
        (["--aware", "30/01/2026"], "after the as-of date"),
        (["--aware", "31/02/2026"], "not a real date"),
        (["--aware", "12/31/2025"], "looks month-first: did you mean 31/12/2025?"),
        (["--incident-date", "20/12/2025"], "cannot be before the incident date"),
        (["--abuse", "none"], "--abuse none is only for the death of a looked-after child"),
        (["--la", "  "], "--la is required"),
        (["--summary", "x" * 501], "keep it to 500"),
        (["--nature", "harm"], "'harm' is not a nature"),
    ],
)
def test_add_refuses_bad_input_with_one_line_and_writes_nothing(cli, db_path, args, message):
    add_incident(cli, "01/12/2025")
    before = snapshot(db_path)
    base = dict(zip(INCIDENT[2::2], INCIDENT[3::2])) | {"--aware": "17/12/2025"}
    base |= dict(zip(args[::2], args[1::2]))
    error = cli.refused("incident", "add", *[x for pair in base.items() for x in pair])
    assert message in error
    assert snapshot(db_path) == before


def test_a_refused_first_command_creates_no_database(cli, db_path):
    cli.refused(*INCIDENT, "--aware", "17/12/2025", "--child", "John Smith")
    assert not db_path.exists()


def test_a_name_given_as_child_reference_is_never_echoed(cli):
    error = cli.refused(*INCIDENT, "--aware", "17/12/2025", "--child", "Jayden Okafor")
    assert "Jayden" not in error and "Okafor" not in error


def test_a_missing_required_option_is_one_line(cli):
    error = cli.refused("incident", "add", "--child", "LCS-1", "--la", "Walsall")
    assert "Missing option" in error


def test_a_looked_after_childs_death_without_abuse_is_accepted(cli):
    ref = add_incident(cli, "17/12/2025", "--nature", "death", "--abuse", "none", "--looked-after")
    cli.ok("incident", "notify", ref, "--on", "19/12/2025")
    shown = json.loads(cli.ok("show", ref, "--format", "json").stdout)[0]
    statuses = {m["milestone"]: m["status"] for m in shown["milestones"]}
    assert statuses.pop("notification") == "done"
    assert set(statuses.values()) == {"not required"}
    assert {"rr-decision", "rr-sent", "panel-response", "publication"} <= set(statuses)
    assert shown["state"] == "closed"
    assert "no rapid review is expected" in cli.refused("review", "start", ref, "--on", "22/12/2025")
    assert cli("overdue").exit_code == 0


# -- the rest of the path -------------------------------------------------------


def test_the_whole_path_to_the_panel(cli):
    ref = add_incident(cli, "17/12/2025", as_of="2025-12-17")
    result = cli.ok("incident", "notify", ref, "--on", "23/12/2025", "--sin-ref", "SIN-88231", as_of="2025-12-23")
    assert result.stdout == f"{ref}: notification recorded Tue 23 Dec 2025 (done on time; due Wed 24 Dec 2025)\n"
    assert "next: Local safeguarding partners told, due Wed 24 Dec 2025" in result.stderr
    result = cli.ok("incident", "inform", ref, "--on", "29/12/2025", as_of="2025-12-29")
    assert result.stdout == f"{ref}: partners told Mon 29 Dec 2025 (done late by 1 working day; due Wed 24 Dec 2025)\n"
    # 15 working days after Tue 23 Dec 2025: 24, 29, 30, 31 Dec, 2 Jan (5), 5-9 (10), 12-16 (15)
    assert "due Fri 16 Jan 2026" in result.stderr
    cli.ok("review", "start", ref, "--on", "24/12/2025", as_of="2025-12-29")
    result = cli.ok(
        "review",
        "decide",
        ref,
        "--outcome",
        "no-lcspr",
        "--on",
        "14/01/2026",
        "--reason",
        "Learning captured",
        as_of="2026-01-14",
    )
    assert result.stdout == f"{ref}: decision (no-lcspr) recorded Wed 14 Jan 2026 (done on time; due Fri 16 Jan 2026)\n"
    result = cli.ok("review", "submit", ref, "--on", "19/01/2026", as_of="2026-01-19")
    assert (
        result.stdout
        == f"{ref}: rapid review sent to the Panel Mon 19 Jan 2026 (done late by 1 working day; due Fri 16 Jan 2026)\n"
    )
    # The Panel's reply, a local reminder 10 working days after sending: 20-23 Jan (4), 26-30 (9), Mon 2 Feb (10)
    assert "next: Panel's response to the rapid review (reminder to chase), due Mon 02 Feb 2026" in result.stderr
    assert json.loads(cli.ok("list", "--closed", "--format", "json", as_of="2026-01-19").stdout) == []
    result = cli.ok(
        "review", "response", ref, "--response", "accepts-no-lcspr", "--on", "28/01/2026", as_of="2026-01-28"
    )
    assert "no open clocks" in result.stderr
    cases = json.loads(cli.ok("list", "--closed", "--format", "json").stdout)
    assert [c["ref"] for c in cases] == [ref]
    assert cases[0]["outcome"] == "no-lcspr" and cases[0]["sin_ref"] == "SIN-88231"
    assert json.loads(cli.ok("list", "--open", "--format", "json").stdout) == []


def test_show_prints_each_milestone_with_its_status(cli):
    ref = add_incident(cli, "17/12/2025")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025")
    table = cli.ok("show", ref, as_of="2026-01-14").stdout
    assert "Walsall" in table and "LCS-104233" in table
    lines = {
        line.split()[0]: line
        for line in table.splitlines()
        if line.strip().startswith(("notification", "partners", "rr-"))
    }
    assert "done on time" in lines["notification"]
    # after Wed 24 Dec up to Wed 14 Jan: 29, 30, 31 Dec (3), 2 Jan (4), 5-9 (9), 12, 13, 14 (12)
    assert "overdue by 12 working days" in lines["partners-informed"]
    assert "open, 2 working days left" in lines["rr-decision"]  # Thu 15, Fri 16


def test_show_a_reviewer_corrected_in_before_any_appointment_is_recorded(cli):
    # `correct` can name the reviewer of a case whose appointment has no date yet: show said
    # "internal error (AttributeError)" for it.
    ref = add_incident(cli, "05/01/2026")
    cli.ok("incident", "notify", ref, "--on", "06/01/2026")
    cli.ok("review", "decide", ref, "--outcome", "lcspr", "--on", "10/01/2026", "--reason", "Themes")
    cli.ok("correct", ref, "reviewer", "Independent reviewer", "--reason", "named early")
    table = cli.ok("show", ref).stdout
    assert "Independent reviewer" in table and "appointed" not in table


def test_show_csv_and_json_are_milestone_rows_that_name_the_case(cli):
    ref = add_incident(cli, "17/12/2025")
    rows = list(csv.DictReader(io.StringIO(cli.ok("show", ref, "--format", "csv").stdout)))
    assert [r["milestone"] for r in rows][:4] == ["notification", "partners-informed", "rr-decision", "rr-sent"]
    assert {r["ref"] for r in rows} == {ref}
    assert rows[0]["due"] == "2025-12-24" and rows[0]["status"] == "overdue" and rows[0]["working_days"] == "23"
    shown = json.loads(cli.ok("show", ref, "--format", "json").stdout)
    assert shown[0]["ref"] == ref and shown[0]["aware"] == "2025-12-17"
    assert shown[0]["milestones"][0] == {
        "ref": ref,
        "milestone": "notification",
        "title": "Serious incident notification to the Panel",
        "force": "statutory guidance",
        "trigger": "2025-12-17",
        "due": "2025-12-24",
        "done": None,
        "status": "overdue",
        "working_days": 23,
        "original_due": "2025-12-24",
        "original_status": "overdue",
        "original_working_days": 23,
        "unit": "working day",
        "kind": "incident",
    }


@pytest.mark.parametrize(
    "steps, command, message",
    [
        ([], ["incident", "notify", "{ref}", "--on", "16/12/2025"], "cannot be before the aware date"),
        (
            [["incident", "notify", "{ref}", "--on", "18/12/2025"]],
            ["incident", "notify", "{ref}", "--on", "19/12/2025"],
            "already recorded (Thu 18 Dec 2025)",
        ),
        ([], ["review", "start", "{ref}", "--on", "18/12/2025"], "record the notification first"),
        (
            [],
            ["review", "decide", "{ref}", "--outcome", "lcspr", "--on", "18/12/2025", "--reason", "x"],
            "record the notification first",
        ),
        (
            [["incident", "notify", "{ref}", "--on", "18/12/2025"]],
            ["review", "decide", "{ref}", "--outcome", "lcspr", "--on", "17/12/2025", "--reason", "x"],
            "cannot be before the notification",
        ),
        (
            [["incident", "notify", "{ref}", "--on", "18/12/2025"]],
            ["review", "decide", "{ref}", "--outcome", "lcspr", "--on", "19/12/2025", "--reason", " "],
            "--reason is required",
        ),
        (
            [["incident", "notify", "{ref}", "--on", "18/12/2025"]],
            ["review", "submit", "{ref}", "--on", "19/12/2025"],
            "record the decision first",
        ),
        (
            [["incident", "notify", "{ref}", "--on", "18/12/2025"], ["review", "start", "{ref}", "--on", "19/12/2025"]],
            ["review", "decide", "{ref}", "--outcome", "lcspr", "--on", "18/12/2025", "--reason", "x"],
            "cannot be before the rapid review's start",
        ),
        (
            [
                ["incident", "notify", "{ref}", "--on", "18/12/2025"],
                [
                    "review",
                    "decide",
                    "{ref}",
                    "--outcome",
                    "criteria-not-met",
                    "--on",
                    "22/12/2025",
                    "--reason",
                    "Not a serious incident",
                ],
            ],
            ["review", "submit", "{ref}", "--on", "23/12/2025"],
            "criteria were not met",
        ),
        ([], ["incident", "notify", "{ref}", "--on", "30/01/2026"], "after the as-of date"),
        ([], ["incident", "notify", "SI-2025-999", "--on", "18/12/2025"], "no case with reference SI-2025-999"),
        (
            [],
            ["review", "decide", "{ref}", "--outcome", "maybe", "--on", "18/12/2025", "--reason", "x"],
            "'maybe' is not an outcome",
        ),
    ],
)
def test_steps_out_of_order_are_refused_and_write_nothing(cli, db_path, steps, command, message):
    ref = add_incident(cli, "17/12/2025")
    for step in steps:
        cli.ok(*[part.format(ref=ref) for part in step])
    before = snapshot(db_path)
    assert message in cli.refused(*[part.format(ref=ref) for part in command])
    assert snapshot(db_path) == before


def test_criteria_not_met_closes_the_review_clocks_and_keeps_the_record(cli):
    ref = add_incident(cli, "17/12/2025")
    cli.ok("incident", "notify", ref, "--on", "18/12/2025")
    cli.ok("incident", "inform", ref, "--on", "18/12/2025")
    result = cli.ok(
        "review",
        "decide",
        ref,
        "--outcome",
        "criteria-not-met",
        "--on",
        "22/12/2025",
        "--reason",
        "No abuse or neglect",
    )
    assert "the rapid-review clocks are closed" in result.stdout
    cases = json.loads(cli.ok("list", "--format", "json").stdout)
    assert cases[0]["state"] == "closed" and cases[0]["outcome"] == "criteria-not-met"
    assert cli("overdue").exit_code == 0


# -- overdue, upcoming, list ------------------------------------------------------


@pytest.fixture(scope="module")
def recorded_three_cases(tmp_path_factory):
    with recorded_once(tmp_path_factory) as (cli, path):
        return path, record_three_cases(cli)


@pytest.fixture
def three_cases(recorded_three_cases, db_path):
    """Recorded once for the module (record_three_cases); the test works on a copy of the database."""
    path, refs = recorded_three_cases
    copy_database(path, db_path)
    return refs


def record_three_cases(cli):
    """SI-2025-001: notification overdue; SI-2025-002: notified, review overdue; SI-2026-001: due soon."""
    a = add_incident(cli, "10/12/2025")  # notification due Wed 17 Dec 2025
    b = add_incident(cli, "17/12/2025")
    cli.ok("incident", "notify", b, "--on", "23/12/2025")  # review due Fri 16 Jan 2026
    cli.ok("incident", "inform", b, "--on", "23/12/2025")
    c = add_incident(cli, "27/01/2026")  # notification due Tue 3 Feb 2026
    cli.ok("incident", "inform", c, "--on", "28/01/2026")
    cli.ok("incident", "inform", a, "--on", "11/12/2025")
    return a, b, c


def test_overdue_lists_most_overdue_first_and_exits_1(cli, three_cases):
    a, b, c = three_cases
    result = cli("overdue", "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    # after Wed 17 Dec up to Thu 29 Jan: 18, 19, 22, 23, 24, 29, 30, 31 Dec (8), 2 Jan (9),
    # 5-9 Jan (14), 12-16 (19), 19-23 (24), 26-29 (28)
    assert [(r["ref"], r["milestone"], r["working_days"]) for r in rows] == [
        (a, "notification", 28),
        (b, "rr-decision", 9),
        (b, "rr-sent", 9),
    ]
    assert all(r["status"] == "overdue" and r["force"] in ("statutory guidance", "Panel guidance") for r in rows)


def test_overdue_table_names_the_force_and_the_days(cli, three_cases):
    result = cli("overdue")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].split() == ["Case", "Milestone", "Force", "Due", "Working", "days", "overdue"]
    assert lines[2].split() == [
        "SI-2025-001",
        "notification",
        "statutory",
        "guidance",
        "Wed",
        "17",
        "Dec",
        "2025",
        "28",
    ]


def test_overdue_quiet_prints_nothing_and_signals_by_exit_status(cli, three_cases):
    result = cli("overdue", "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "")
    clear = cli("overdue", "--quiet", as_of="2025-12-10")
    assert (clear.exit_code, clear.stdout) == (0, "")


def test_nothing_overdue_says_so_and_exits_0(cli, three_cases):
    result = cli.ok("overdue", as_of="2025-12-11")
    assert result.stdout == "nothing overdue on Thu 11 Dec 2025\n"
    assert cli.ok("overdue", "--format", "json", as_of="2025-12-11").stdout == "[]\n"


def test_overdue_csv_has_a_stable_header(cli, three_cases):
    result = cli("overdue", "--format", "csv")
    assert (
        result.stdout.splitlines()[0] == "ref,milestone,title,force,trigger,due,status,working_days,original_due,kind"
    )
    assert (
        result.stdout.splitlines()[1]
        == "SI-2025-001,notification,Serious incident notification to the Panel,statutory guidance,2025-12-10,2025-12-17,overdue,28,2025-12-17,incident"
    )


def test_upcoming_lists_open_milestones_within_n_working_days(cli, three_cases):
    a, b, c = three_cases
    # As of Thu 29 Jan 2026, c's notification is due Tue 3 Feb: 3 working days ahead (Fri 30, Mon 2, Tue 3).
    rows = json.loads(cli.ok("upcoming", "--within", "3", "--format", "json").stdout)
    assert [(r["ref"], r["milestone"], r["due"], r["working_days"]) for r in rows] == [
        (c, "notification", "2026-02-03", 3)
    ]
    assert json.loads(cli.ok("upcoming", "--within", "2", "--format", "json").stdout) == []
    assert "nothing due today or in the next 2 working days" in cli.ok("upcoming", "--within", "2").stdout


def test_upcoming_includes_what_is_due_today(cli, three_cases):
    rows = json.loads(cli.ok("upcoming", "--within", "0", "--format", "json", as_of="2026-02-03").stdout)
    assert [(r["milestone"], r["working_days"]) for r in rows] == [("notification", 0)]


def test_list_filters_open_and_closed(cli, three_cases):
    a, b, c = three_cases
    everything = json.loads(cli.ok("list", "--format", "json").stdout)
    assert [r["ref"] for r in everything] == [a, b, c]
    assert [(r["next_milestone"], r["next_due"]) for r in everything] == [
        ("notification", "2025-12-17"),
        ("rr-decision", "2026-01-16"),
        ("notification", "2026-02-03"),
    ]
    assert [r["ref"] for r in json.loads(cli.ok("list", "--open", "--format", "json").stdout)] == [a, b, c]
    assert json.loads(cli.ok("list", "--closed", "--format", "json").stdout) == []
    assert "cannot be used together" in cli.refused("list", "--open", "--closed")


def test_list_table_shows_stage_and_next_due(cli, three_cases):
    table = cli.ok("list").stdout
    assert "SI-2026-001" in table and "03 Feb 2026" in table and "open, 3 working days left" in table


# -- export ---------------------------------------------------------------------


def test_export_is_one_row_per_case_with_every_milestone(cli, three_cases):
    a, b, c = three_cases
    rows = list(csv.DictReader(io.StringIO(cli.ok("export", "--view", "full").stdout)))
    assert [r["ref"] for r in rows] == [a, b, c]
    assert rows[1]["notification_due"] == "2025-12-24" and rows[1]["notification_done"] == "2025-12-23"
    assert rows[1]["rr-decision_due"] == "2026-01-16" and rows[1]["rr-decision_status"] == "overdue"
    assert "summary" not in rows[0]


def test_export_file_opens_cleanly_in_a_spreadsheet(cli, tmp_path):
    cli.ok(
        *INCIDENT,
        "--aware",
        "17/12/2025",
        "--la",
        '=HYPERLINK("http://x")',
        "--home-la",
        "Ynys Môn",
        "--summary",
        "-2+3 @risk",
    )
    out = tmp_path / "cases.csv"
    result = cli.ok("export", "--view", "full", "--output", str(out), "--include-notes")
    assert result.stdout == "" and "wrote 1 case to" in result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads UTF-8
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["la"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["home_la"] == "Ynys Môn"
    assert rows[0]["summary"] == "'-2+3 @risk"
    assert rows[0]["aware"] == "2025-12-17"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_export_to_a_missing_folder_fails_and_leaves_nothing(cli, tmp_path):
    add_incident(cli, "17/12/2025")
    target = tmp_path / "no-such-folder" / "cases.csv"
    assert "cannot write" in cli.refused("export", "--output", str(target))
    assert not target.parent.exists()


def test_export_replaces_a_file_whole(cli, tmp_path):
    add_incident(cli, "17/12/2025")
    out = tmp_path / "cases.csv"
    out.write_text("old contents")
    cli.ok("export", "--view", "full", "--output", str(out))
    assert out.read_text(encoding="utf-8-sig").startswith("ref,child,")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cases.csv")] == []


# -- working days, holidays, closures ------------------------------------------------


def test_workdays_add_and_between(cli, no_database_named):
    assert cli.ok("workdays", "add", "19/12/2025", "5").stdout == "Tue 30 Dec 2025\n"
    assert cli.ok("workdays", "add", "2026-06-01", "-7").stdout == "Wed 20 May 2026\n"
    assert cli.ok("workdays", "between", "19/12/2025", "2025-12-30").stdout == "5\n"
    assert cli.ok("workdays", "between", "2026-06-01", "20 May 2026").stdout == "-7\n"
    assert "not a real date" in cli.refused("workdays", "add", "30/02/2026", "5")
    assert cli.refused("workdays", "add", "2026-01-01", "five")


def test_holidays_lists_bank_holidays_by_name_and_closures(cli, no_database_named):
    rows = json.loads(cli.ok("holidays", "--year", "2023", "--format", "json").stdout)
    assert {"date": "2023-05-08", "day": "Monday", "kind": "bank holiday", "name": "Coronation of Charles III"} in rows
    assert "2023-01-01" not in [r["date"] for r in rows]  # a Sunday: the bank holiday is Mon 2 Jan
    assert len(rows) == 9
    cli.ok("calendar", "close", "29/12/2026", "--reason", "Christmas closure")
    rows = json.loads(cli.ok("holidays", "--year", "2026", "--format", "json").stdout)
    assert {"date": "2026-12-29", "day": "Tuesday", "kind": "closure", "name": "Christmas closure"} in rows


def milestones(cli, ref):
    shown = json.loads(cli.ok("show", ref, "--format", "json").stdout)[0]
    return {m["milestone"]: m for m in shown["milestones"]}


def test_a_closure_moves_local_reminders_never_the_national_clocks_and_reopening_moves_them_back(cli):
    ref = add_incident(cli, "17/12/2025")
    cli.ok("incident", "notify", ref, "--on", "19/12/2025")
    cli.ok("review", "decide", ref, "--outcome", "no-lcspr", "--on", "16/01/2026", "--reason", "Learning captured")
    cli.ok("review", "submit", ref, "--on", "19/01/2026")
    due = lambda m: milestones(cli, ref)[m]["due"]  # noqa: E731
    # notification: 5 WD after Wed 17 Dec 2025 is Wed 24 Dec; Panel reminder: 10 WD after Mon 19 Jan is Mon 2 Feb
    assert (due("notification"), due("panel-response")) == ("2025-12-24", "2026-02-02")
    result = cli.ok("calendar", "close", "22/12/2025", "--reason", "Staff training")
    assert "Mon 22 Dec 2025 recorded as a closure day" in result.stdout
    assert "national clocks never count closure days" in result.stdout
    cli.ok("calendar", "close", "21/01/2026", "--reason", "Staff training")
    # the national clock does not move; the local reminder moves on a working day, to Tue 3 Feb
    assert (due("notification"), due("panel-response")) == ("2025-12-24", "2026-02-03")
    assert cli.ok("workdays", "add", "17/12/2025", "5").stdout == "Mon 29 Dec 2025\n"
    assert cli.ok("workdays", "add", "17/12/2025", "5", "--national").stdout == "Wed 24 Dec 2025\n"
    cli.ok("calendar", "reopen", "21/01/2026")
    assert due("panel-response") == "2026-02-02"


@pytest.mark.parametrize(
    "day, message",
    [
        ("27/12/2025", "is a Saturday"),
        ("25/12/2025", "already a bank holiday (Christmas Day)"),
        ("2025-12-32", "not a real date"),
    ],
)
def test_closing_a_day_that_is_already_closed_is_refused(cli, day, message):
    add_incident(cli, "17/12/2025")
    assert message in cli.refused("calendar", "close", day, "--reason", "Closure")


def test_closing_the_same_day_twice_and_reopening_an_open_day_are_refused(cli, db_path):
    cli.ok("calendar", "close", "22/12/2025", "--reason", "Staff training")
    before = snapshot(db_path)
    assert "already recorded as a closure day" in cli.refused("calendar", "close", "22/12/2025", "--reason", "Again")
    assert "not a recorded closure day" in cli.refused("calendar", "reopen", "23/12/2025")
    assert snapshot(db_path) == before


# -- global options and the database ---------------------------------------------------


def test_as_of_comes_from_the_environment_too(cli, monkeypatch):
    add_incident(cli, "17/12/2025")
    result = cli.runner.invoke(app, ["overdue", "--quiet"], env={"CSPRCLI_AS_OF": "2025-12-18"})
    assert result.exit_code == 0
    result = cli.runner.invoke(app, ["overdue", "--quiet"], env={"CSPRCLI_AS_OF": "2025-12-29"})
    assert result.exit_code == 1


def test_a_bad_as_of_is_refused(cli):
    assert "--as-of" in cli.refused("list", as_of="31/13/2025")


def test_reading_a_missing_database_fails_with_status_3_and_creates_nothing(cli, db_path):
    for command in (["overdue"], ["list"], ["show", "SI-2025-001"], ["export"], ["upcoming"]):
        error = cli.refused(*command, code=3)
        assert "no database at" in error
    assert "no database at" in cli.refused("incident", "notify", "SI-2025-001", "--on", "18/12/2025", code=3)
    assert not db_path.exists()


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(cli, db_path):
    db_path.write_text("date,title\n2026-01-01,New Year\n")
    assert "is not a SQLite database" in cli.refused("list", code=3)
    assert "is not a SQLite database" in cli.refused(*INCIDENT, "--aware", "17/12/2025", code=3)
    assert db_path.read_text() == "date,title\n2026-01-01,New Year\n"


def test_a_database_from_a_newer_csprcli_is_refused(cli, db_path):
    add_incident(cli, "17/12/2025")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('csprcli', '9999_future', 'x')"
        )
    assert "written by a newer csprcli" in cli.refused("list", code=3)


def test_version(cli):
    from importlib.metadata import version

    import csprcli

    assert cli.ok("--version").stdout == f"csprcli {csprcli.__version__}\n"
    assert csprcli.__version__ == version("csprcli")  # the package says the same as the code


def test_no_traceback_for_an_internal_error(cli, monkeypatch):
    import csprcli.services.cases

    def broken(*args, **kwargs):
        raise KeyError("Child's name")

    add_incident(cli, "17/12/2025")
    monkeypatch.setattr(csprcli.services.cases, "cases", broken)
    error = cli.refused("list", code=4)
    assert "internal error (KeyError)" in error and "name" not in error


def _commands(group, ctx, path=()):
    for name in group.list_commands(ctx):
        command = load(name) if not path else group.get_command(ctx, name)
        if hasattr(command, "list_commands"):
            yield from _commands(command, ctx, path + (name,))
        else:
            yield path + (name,), command


def test_every_command_has_help_text_with_an_example():
    import typer
    from typer.main import get_command

    from csprcli.cli import app
    from csprcli.cli.commands import COMMANDS

    root = get_command(app)
    commands = list(_commands(root, typer.Context(root)))
    assert len(commands) >= 15
    for path, command in commands:
        assert command.help and "Example" in command.help, path
    for name, mounted in COMMANDS.items():  # the root's line heads the command's own help, written once
        assert load(name).help.split("\n")[0] == mounted.help, name


def test_dates_are_read_in_england(monkeypatch):
    from datetime import datetime, timezone

    from csprcli.domain.dates import london_date

    # 23:30 UTC on 30 June is 00:30 British Summer Time on 1 July.
    assert london_date(datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc)).isoformat() == "2026-07-01"
    # In winter London is on UTC.
    assert london_date(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)).isoformat() == "2026-12-31"


def test_shell_completion_lists_every_command_and_the_options_of_one(monkeypatch):
    """The root builds commands lazily; completion must still see them all."""
    from csprcli.cli import app
    from csprcli.cli.commands import COMMANDS

    def complete(words: str, index: int) -> list[str]:
        env = {"_CSPRCLI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(index)}
        result = CliRunner().invoke(app, [], env=env, prog_name="csprcli")
        return result.stdout.split()

    assert complete("csprcli ", 1) == list(COMMANDS)
    assert {"--child", "--la", "--aware", "--nature", "--abuse"} <= set(complete("csprcli incident add --", 3))
    assert "--original" in complete("csprcli overdue --", 2)


def test_no_private_internals_of_typer_or_enum():
    """Typer's vendored Click and Enum's private maps change without notice (style.md's traps)."""
    from pathlib import Path

    import csprcli

    for source in Path(csprcli.__file__).parent.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        for private in ("typer._click", "_value2member_map_", "import click", "from click"):
            assert private not in text, (source.name, private)


# -- upcoming this week ---------------------------------------------------------------------------


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
