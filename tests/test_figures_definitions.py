"""Figures that follow their own definitions (issue 19): the notice before publication leaves out a
decision not to publish; the CDOP's share notified within 24 hours counts the deaths due by the as-of
day or notified, as the incident report counts its shares; `death stage notified` says how the
notification stands against its target. Dates counted by hand."""

import json

from test_lifecycle_scenarios import standing, to_local_review


def figures(cli, *args, as_of):
    rows = json.loads(cli.ok(*args, "--format", "json", as_of=as_of).stdout)
    return {(r["section"], r["measure"]): (r["value"], r["definition"]) for r in rows}  # values typed


def test_a_decision_not_to_publish_has_no_notice_before_publication(cli):
    ref = to_local_review(cli, "LCS-190030")  # aware Wed 17 Dec 2025, decided Mon 19 Jan 2026
    cli.ok("lcspr", "plan", ref, "--publication", "01/06/2026", as_of="2026-02-02")
    cli.ok("lcspr", "send", ref, "--on", "15/05/2026", as_of="2026-05-15")
    # Until the decision, the notice runs against the plan: 7 WD before Mon 1 Jun 2026 (Spring bank
    # holiday Mon 25 May skipped) is Wed 20 May; sent Fri 15 May, on time.
    assert standing(cli, ref, "2026-05-31")["report-sent"] == ("done", "2026-05-20", None)
    cli.ok("lcspr", "publish", ref, "--on", "01/06/2026", "--type", "not-published", "--rationale", "Family's wishes",
           as_of="2026-06-01")  # fmt: skip
    assert standing(cli, ref, "2026-06-30")["report-sent"][0] == "not required"
    f = figures(cli, "report", "--year", "2025-26", as_of="2026-06-30")
    value, definition = f[("local reviews", "reports sent at least 7 working days before publication")]
    assert value is None and "decisions not to publish left out" in definition  # "-": nothing to measure
    assert f[("local reviews", "published within 6 months, against the original target")][0] is None


def test_the_cdop_share_notified_within_24_hours_counts_only_deaths_already_due(cli):
    for ref, died in (("WS1901", "20/03/2026"), ("WS1902", "25/03/2026"), ("WS1903", "31/03/2026")):
        day = "-".join(reversed(died.split("/")))
        cli.ok("death", "add", ref, "--died", died, "--unexpected", "--jar", "--age", "3 months", as_of=day)
    cli.ok("death", "stage", "WS1901", "notified", "--on", "21/03/2026", as_of="2026-03-21")
    # As of Tue 31 Mar 2026: WS1901 notified Sat 21 Mar, on its target (died Fri 20 Mar + 1 day); WS1902
    # due Thu 26 Mar, not notified: counts against, outstanding; WS1903 died Tue 31 Mar, due Wed 1 Apr: not
    # yet due, left out (before, 1/3 (33%): a death counted as missed before its target had come).
    f = figures(cli, "death", "report", "--year", "2025-26", as_of="2026-03-31")
    value, definition = f[("deaths in the year", "notified within the local target")]
    assert value == {"part": 1, "whole": 2, "outstanding": 1, "percent": 50}  # "1/2 (50%), 1 outstanding"
    assert "whose notification fell due by Tue 31 Mar 2026 or was made" in definition
    assert (
        f[
            (
                "deaths in the year",
                "deaths",
            )
        ][0]
        == 3
    )


def test_death_stage_notified_says_on_time_or_late_by_how_much(cli):
    cli.ok(
        "death",
        "add",
        "WS1904",
        "--died",
        "02/03/2026",
        "--unexpected",
        "--jar",
        "--age",
        "3 months",
        as_of="2026-03-02",
    )
    # Died Mon 2 Mar 2026: the target is 1 calendar day later, Tue 3 Mar; notified Thu 5 Mar: 2 days late.
    out = cli.ok("death", "stage", "WS1904", "notified", "--on", "05/03/2026", as_of="2026-03-05").stdout
    assert out == "WS1904: notified recorded Thu 05 Mar 2026 (done late by 2 days; due Tue 03 Mar 2026)\n"
    cli.ok(
        "death",
        "add",
        "WS1905",
        "--died",
        "02/03/2026",
        "--unexpected",
        "--jar",
        "--age",
        "3 months",
        as_of="2026-03-02",
    )
    out = cli.ok("death", "stage", "WS1905", "notified", "--on", "03/03/2026", as_of="2026-03-05").stdout
    assert out == "WS1905: notified recorded Tue 03 Mar 2026 (done on time; due Tue 03 Mar 2026)\n"
