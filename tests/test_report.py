"""The yearly report (`report`): its figures against figures worked out by hand, in the terminal,
as markdown, CSV and JSON."""

import json
from pathlib import Path

EXAMPLE = Path(__file__).parent.parent / "examples" / "import-cases.csv"


def report(cli, *args):
    rows = json.loads(cli.ok("report", *args, "--format", "json", as_of="2026-03-04").stdout)
    return {(r["section"], r["measure"]): r["value"] if r["kind"] in ("count", "days") else r["text"] for r in rows}


def test_the_yearly_report_against_figures_worked_out_by_hand(cli):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    f = report(cli, "--year", "2025-26")
    # In 2025-26 (1 Apr 2025 to 31 Mar 2026): LCS-300245 (aware Mon 14 Apr 2025, a death), LCS-301377
    # (Mon 2 Jun 2025, a looked-after child's death) and Child B (Mon 30 Jun 2025, serious harm).
    # LCS-300101 (aware 3 Mar 2025) belongs to 2024-25.
    assert f[("incidents", "serious incidents")] == 3
    assert (f[("incidents by nature", "Death")], f[("incidents by nature", "Serious harm")]) == (2, 1)
    assert f[("incidents by quarter", "Q1")] == 3
    assert (
        f[("incidents by looked-after status", "Looked after")],
        f[("incidents by looked-after status", "Not looked after")],
    ) == (1, 2)
    # Each notified on the Thursday after a Monday: 3 working days, within 5.
    assert f[("notification", "notifications made")] == 3
    assert f[("notification", "share within 5 working days")] == "3/3 (100%)"
    assert f[("notification", "median working days to notify")] == "3 (n=3, 3 to 3)"
    # LCS-300245: notified Thu 17 Apr 2025, decided Thu 8 May. Working days after 17 Apr: Good Friday and
    # Easter Monday skipped, Tue 22 (1) .. Fri 25 (4), Mon 28 (5) .. Fri 2 May (9), Mon 5 May skipped
    # (Early May bank holiday), Tue 6 (10), Wed 7 (11), Thu 8 (12). Child B's criteria-not-met is left out.
    assert f[("rapid review", "decisions taken")] == 1
    assert f[("rapid review", "share within 15 working days")] == "1/1 (100%)"
    assert f[("rapid review", "median working days to decide")] == "12 (n=1, 12 to 12)"
    assert f[("outcomes", "criteria not met")] == 1 and f[("outcomes", "local reviews")] == 1
    assert f[("outcomes", "published")] == 0
    # LCS-300245's review: decided Thu 8 May 2025, due Sat 8 Nov 2025, not published by 4 Mar 2026:
    # it fell due, was not done, and counts against the share.
    assert f[("local reviews", "published within 6 months, against the original target")] == "0/1 (0%), 1 outstanding"
    assert f[("local reviews", "published within 6 months, against the revised target")] == "0/1 (0%), 1 outstanding"
    # No publication planned, so its notice has not fallen due.
    assert f[("local reviews", "reports sent at least 7 working days before publication")] == "-"
    earlier = report(cli, "--year", "2024-25")
    assert earlier[("incidents", "serious incidents")] == 1
    span = report(cli, "--from", "01/03/2025", "--to", "30/04/2025")
    assert span[("incidents", "serious incidents")] == 2


def test_the_report_in_the_terminal_and_as_markdown(cli):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    table = cli.ok("report", "--year", "2025-26", as_of="2026-03-04").stdout
    assert "Incidents by nature" in table and "█" in table
    markdown = cli.ok("report", "--year", "2025-26", "--format", "markdown", as_of="2026-03-04").stdout
    assert markdown.startswith("# Serious incidents aware from Tue 01 Apr 2025 to Tue 31 Mar 2026")
    assert "| share within 5 working days | 3/3 (100%) |" in markdown
    assert "notified on or before the 5th working day after the aware date (the aware date not counted)" in markdown
    assert "not a reporting year" in cli.refused("report", "--year", "2025")
    assert "--from and --to go together" in cli.refused("report", "--from", "01/04/2025")


def test_the_terminal_draws_bars_for_counts_and_shares_and_leaves_medians_as_numbers(cli):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    lines = cli.ok("report", "--year", "2025-26", as_of="2026-03-04").stdout.splitlines()

    def line(measure):
        return next(text for text in lines if text.startswith(measure))

    assert "█" not in line("median working days to notify")
    assert line("share within 5 working days").count("█") == 30  # 3/3: the whole bar
    assert line("notifications made").count("█") == 30  # the section's largest count
    assert "█" not in line("Other")  # no case of another nature: 0, no bar


def test_the_csv_and_json_say_the_period_and_the_as_of_date(cli):
    import csv
    import io

    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    text = cli.ok("report", "--year", "2024-25", "--format", "csv", as_of="2026-03-04").stdout.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["period_from"], r["period_to"], r["as_of"]) for r in rows} == {
        ("2024-04-01", "2025-03-31", "2026-03-04")
    }
    deaths = json.loads(cli.ok("death", "report", "--format", "json", as_of="2026-03-04").stdout)
    assert {(r["period_from"], r["period_to"], r["as_of"]) for r in deaths} == {
        ("2025-04-01", "2026-03-31", "2026-03-04")
    }


def test_what_a_section_counts_is_said_across_the_terminal_not_the_width_of_its_bars(cli):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    text = cli.ok("report", "--year", "2025-26", as_of="2026-03-04").stdout  # a terminal 120 columns wide
    line = "Counted: serious incidents the local authority became aware of from Tue 01 Apr 2025 to Tue 31 Mar 2026"
    assert line in text.splitlines(), text
