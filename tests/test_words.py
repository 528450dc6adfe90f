"""Words that never mislead (issue 22): the names people use for a choice, options that say where
they go, help that says what is true, labels in words, one date form for people, and the first
hour's surprises (the sample database, scripts that say what they are doing)."""

import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import add_incident
from csprcli.domain.choices import choose, misspelt
from csprcli.domain.dates import parse_date
from csprcli.domain.errors import BadInput
from csprcli.domain.vocabulary import Outcome, PanelResponse

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("typed", ["lcspr", "LCSPR", "CSPR", "local review", "Local-Review", "local_review"])
def test_a_local_review_by_any_of_its_names(typed):
    assert choose(Outcome, typed) == Outcome.LCSPR


def test_the_other_names_of_the_panels_replies_and_no_review():
    assert choose(Outcome, "no local review") == Outcome.NO_LCSPR
    assert choose(PanelResponse, "agrees CSPR") == PanelResponse.AGREES_LCSPR


@pytest.mark.parametrize(
    "typed, suggested",
    [("lcsrp", "lcspr"), ("local-reveiw", "lcspr"), ("natoinal-review", "national-review"), ("no-lcpsr", "no-lcspr")],
)
def test_a_slip_of_the_keyboard_is_pointed_at_the_choice_meant(typed, suggested):
    with pytest.raises(BadInput, match=f"did you mean '{suggested}'"):
        choose(Outcome, typed)


@pytest.mark.parametrize("typed", ["review", "no", "local-reviews-board", "local-authority"])
def test_never_a_suggestion_of_a_different_meaning(typed):
    with pytest.raises(BadInput) as refused:
        choose(Outcome, typed)
    assert "did you mean" not in str(refused.value)


def test_local_review_is_never_pointed_at_a_national_one(cli):
    add_incident(cli, "17/12/2025")
    cli.ok("incident", "notify", "SI-2025-001", "--on", "23/12/2025")
    cli.ok("review", "decide", "SI-2025-001", "--outcome", "local review", "--on", "14/01/2026", "--reason", "Themes")
    assert "outcome lcspr" in cli.ok("show", "SI-2025-001", "--format", "json").stdout.replace(
        '"outcome": "', "outcome "
    )
    assert misspelt("local-review", {"national-review": "national-review"}) is None


def test_an_option_given_to_the_group_says_which_command_takes_it(cli):
    message = cli.refused("incident", "--on", "18/12/2025", "inform", "SI-2025-001")
    assert message == (
        "error: --on goes after the command's name: it is an option of 'csprcli incident notify' or "
        "'csprcli incident inform', not of 'csprcli incident' (see 'csprcli incident --help')\n"
    )


def test_a_stray_option_gets_no_nonsense_hint(cli):
    message = cli.refused("overdue", "--x")
    assert message == "error: 'csprcli overdue' has no option --x (see 'csprcli overdue --help')\n"
    assert "Possible options" not in message
    assert "did you mean --quiet?" in cli.refused("overdue", "--quiett")
    assert cli.refused("show", "--version").startswith("error: --version goes before the command: csprcli --version")


def test_calendar_close_help_says_what_closure_days_move(cli):
    text = " ".join(cli.ok("calendar", "close", "--help").stdout.split())
    assert "Panel response reminder" in text
    assert "(the Panel response reminder, progress checks)" not in text
    assert "targets counted in calendar months (progress checks, publication)" in text and "never move" in text


def test_rules_say_one_calendar_month(cli, no_database_named):
    text = cli.ok("rules").stdout
    assert "1 calendar month after the last progress check" in text
    assert "1 calendar months" not in text and "6 calendar months after the decision" in text


def test_labels_in_words(cli):
    add_incident(cli, "17/12/2025")
    cli.ok("child", "add", "SI-2025-001", "--child", "LCS-2", "--age-band", "6-10", "--sex", "female")
    from csprcli.output.export import CHILD_COLUMNS

    headers = [c.header for c in CHILD_COLUMNS]
    assert "Child in need plan" in headers and "Child protection plan" in headers
    from csprcli.cli import app

    # 200 columns: the children's table fits whole, so each heading stands on one line
    shown = cli.runner.invoke(app, ["--as-of", cli.as_of, "show", "SI-2025-001"], env={"COLUMNS": "200"}).stdout
    assert "Child in need plan" in shown and "Cin plan" not in shown and "Cp plan" not in shown
    cli.ok("death", "add", "WS1234", "--died", "02/01/2026", "--age", "3 months", "--unexpected", "--jar")
    death = cli.ok("death", "show", "WS1234").stdout
    assert "Joint Agency Response needed" in death and "Jar" not in death


def test_messages_give_dates_in_the_peoples_form(cli):
    add_incident(cli, "17/12/2025")
    cli.ok("incident", "notify", "SI-2025-001", "--on", "23/12/2025")
    cli.ok("review", "decide", "SI-2025-001", "--outcome", "lcspr", "--on", "14/01/2026", "--reason", "Themes")
    message = cli.refused("review", "start", "SI-2025-001", "--on", "15/01/2026")
    assert "Thu 15 Jan 2026" in message and "Wed 14 Jan 2026" in message and "2026-01" not in message
    cli.ok("death", "add", "WS1234", "--died", "02/01/2026", "--age", "3 months", "--unexpected")
    cli.ok("death", "pause", "WS1234", "--on", "10/01/2026", "--reason", "Inquest")
    assert "Inquest (since Sat 10 Jan 2026)" in cli.ok("death", "show", "WS1234").stdout


def test_an_unknown_local_authority_is_quoted_as_typed(cli):
    result = cli("incident", "add", "--child", "LCS-1", "--la", "Saint Helen's, Merseyside", "--aware", "17/12/2025",
                 "--nature", "death", "--abuse", "known")  # fmt: skip
    assert result.exit_code == 0
    assert "--la: 'Saint Helen's, Merseyside' is not one of England's local authorities" in result.stderr
    assert "\\" not in result.stderr


def test_due_dates_in_tables_show_their_weekday(cli):
    add_incident(cli, "17/12/2025")
    # Wed 17 Dec 2025 + 5 working days: Wed 24 Dec 2025.
    assert "Wed 24 Dec 2025" in cli.ok("upcoming", "--within", "10", as_of="2025-12-18").stdout
    assert "Wed 24 Dec 2025" in cli.ok("show", "SI-2025-001").stdout


@pytest.mark.parametrize(
    "typed, day", [("1.4.2027", date(2027, 4, 1)), ("01.04.27", date(2027, 4, 1)), ("3.4.2026", date(2026, 4, 3))]
)
def test_dotted_day_first_dates_are_read(typed, day):
    assert parse_date(typed, as_of=date(2026, 1, 1)) == day


def test_dotted_dates_are_refused_like_the_others_when_wrong():
    with pytest.raises(BadInput, match="looks month-first: did you mean 13.04.2026"):
        parse_date("4.13.2026", as_of=date(2026, 1, 1))
    with pytest.raises(BadInput, match="not a date in a form"):
        parse_date("1.4/2027", as_of=date(2026, 1, 1))


def test_a_write_to_the_sample_database_says_so(cli):
    add_incident(cli, "17/12/2025")
    # The README's worked example records the sample's first case, notification reference and all, in a
    # register of the reader's own: that is not the sample (before, every write from then on said it was).
    notified = cli.ok("incident", "notify", "SI-2025-001", "--on", "23/12/2025", "--sin-ref", "SIN-2025-88231")
    assert "sample cases" not in notified.stderr
    add_incident(cli, "22/12/2025")
    assert "sample cases" not in cli.ok("incident", "notify", "SI-2025-002", "--on", "30/12/2025").stderr
    cli.ok("correct", "SI-2025-002", "sin-ref", "SIN-2025-88415", "--reason", "as the sample records it")
    result = cli.ok("incident", "inform", "SI-2025-001", "--on", "23/12/2025")
    assert "holds the sample cases (examples/sample-cases.sh)" in result.stderr
    assert "--db" in result.stderr and "unset CSPRCLI_DB" in result.stderr
    assert "sample cases" not in cli.ok("list").stderr  # a read says nothing


def test_the_scripts_say_what_they_are_doing():
    sample = (ROOT / "examples" / "sample-cases.sh").read_text(encoding="utf-8")
    assert 'say "recording the sample cases in $db' in sample and sample.count('say "recording SI-') == 8
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index('say "installing') < ci.index("pip install --quiet -e") < ci.index('say "running the tests')


def test_sample_cases_reports_progress_on_stderr(tmp_path):
    """Run with a csprcli that records nothing (a stand-in), to see the script's own words."""
    stand_in = tmp_path / "csprcli"
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    done = subprocess.run(["bash", str(ROOT / "examples" / "sample-cases.sh"), str(tmp_path / "s.db")],
                          capture_output=True, text=True, env=dict(os.environ, CSPRCLI=str(stand_in)))  # fmt: skip
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert lines[0].startswith("sample-cases.sh: recording the sample cases in")
    assert "sample-cases.sh: recording SI-2026-005" in lines


# -- dates for people and ISO for scripts; what a listing looked at, in words ---------------------


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
