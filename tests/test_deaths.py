"""The Child Death Overview Panel's register: the remit at its edges, stages, the local target,
the link to incidents in both directions, the yearly counts, and an upgrade of an older database."""

import json

import pytest

from conftest import add_incident
from conftest import snapshot

DEATH = ["death", "add", "WS1234", "--died", "02/03/2026", "--unexpected", "--jar"]


def death(cli, ref="WS1234", as_of="2026-03-04"):
    return json.loads(cli.ok("death", "show", ref, "--format", "json", as_of=as_of).stdout)[0]


@pytest.mark.parametrize(
    "age, band",
    [
        ("0 days", "0-27 days"),
        ("27d", "0-27 days"),
        ("28 days", "28-364 days"),
        ("3 months", "28-364 days"),  # 90 days
        ("364d", "28-364 days"),
        ("1 year", "1-4 years"),
        ("4y 364d", "1-4 years"),
        ("5 years", "5-9 years"),
        ("14y 200d", "10-14 years"),
        ("17y 364d", "15-17 years"),  # the last day in the remit
    ],
)
def test_ages_fall_in_the_panels_bands(cli, age, band):
    cli.ok(*DEATH, "--age", age, as_of="2026-03-04")
    assert death(cli)["age_band"] == band


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--age", "18 years"], "an age of 18 years is outside the panel's remit"),
        (["--age", "17y 365d"], "an age of 18 years is outside the panel's remit"),
        (["--age", "10y", "--kind", "stillbirth"], "a stillbirth is outside the Child Death Overview Panel's remit"),
        (["--age", "0d", "--kind", "late-foetal-loss"], "a late foetal loss is outside"),
        (["--age", "0d", "--kind", "termination"], "a termination is outside"),
        (["--age", "ten"], "is not an age"),
        (["--age", "3 months", "--died", "05/03/2026"], "after the as-of date"),
    ],
)
def test_outside_the_remit_is_refused_with_the_reason(cli, db_path, extra, message):
    add_incident(cli, "01/12/2025")
    before = snapshot(db_path)
    args = [*DEATH, *extra]
    assert message in cli.refused(*args, as_of="2026-03-04")
    assert snapshot(db_path) == before


@pytest.mark.parametrize("ref", ["XX1234", "WS", "Jayden", "WS12a"])
def test_the_reference_is_an_ecdop_number_with_its_area_prefix(cli, ref):
    error = cli.refused("death", "add", ref, "--died", "02/03/2026", "--unexpected", "--age", "2y", as_of="2026-03-04")
    assert "eCDOP number with its area prefix" in error and "Jayden" not in error


def test_a_non_resident_child_is_accepted_and_marked(cli):
    result = cli.ok(*DEATH, "--age", "16y", "--not-resident", as_of="2026-03-04")
    assert result.stdout.startswith("WS1234: recorded (15-17 years; not normally resident in the area)")
    assert death(cli)["resident"] is False


def test_the_notification_target_is_a_day_after_the_death_and_shows_as_overdue_by_kind(cli):
    # died Mon 2 Mar 2026: the notification is due Tue 3 Mar (1 calendar day, the local target)
    cli.ok(*DEATH, "--age", "3 months", as_of="2026-03-02")
    assert death(cli, as_of="2026-03-03")["notification_due"] == "2026-03-03"
    result = cli("overdue", "--format", "json", as_of="2026-03-05")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["kind"], r["ref"], r["milestone"], r["force"], r["working_days"]) for r in rows] == [
        ("death", "WS1234", "cdop-notification", "local target", 2)
    ]
    cli.ok("death", "stage", "WS1234", "notified", "--on", "03/03/2026", as_of="2026-03-05")
    assert cli("overdue", as_of="2026-03-05").exit_code == 0
    cli.ok("rules", "set", "cdop-notification", "3")
    assert death(cli, as_of="2026-03-05")["notification_due"] == "2026-03-05"


def test_incidents_and_deaths_appear_together_in_upcoming(cli):
    ref = add_incident(cli, "03/03/2026", as_of="2026-03-03")
    cli.ok(*DEATH, "--age", "3 months", as_of="2026-03-02")
    rows = json.loads(cli.ok("upcoming", "--within", "10", "--format", "json", as_of="2026-03-02").stdout)
    assert {(r["kind"], r["ref"]) for r in rows} == {("death", "WS1234"), ("incident", ref)}
    table = [line for line in cli.ok("upcoming", "--within", "10", as_of="2026-03-02").stdout.splitlines() if line.strip()]
    assert table[0].split()[-1] == "Kind"
    assert {line.split()[0]: line.split()[-1] for line in table[2:]} == {"WS1234": "death", ref: "incident"}


def test_the_stages_in_order(cli):
    cli.ok(*DEATH, "--age", "3 months", as_of="2026-03-04")
    cli.ok("death", "stage", "WS1234", "notified", "--on", "02/03/2026", as_of="2026-03-04")
    cli.ok("death", "stage", "WS1234", "jar", "--on", "03/03/2026", as_of="2026-03-04")
    cli.ok("death", "stage", "WS1234", "information", "--on", "20/04/2026", as_of="2026-05-01")
    assert "record the child death review meeting first" in cli.refused(
        "death",
        "stage",
        "WS1234",
        "reviewed",
        "--on",
        "01/05/2026",
        "--category",
        "SUDI",
        "--not-modifiable",
        as_of="2026-05-01",
    )
    cli.ok("death", "pause", "WS1234", "--on", "01/05/2026", "--reason", "inquest", as_of="2026-05-01")
    assert death(cli, as_of="2026-05-02")["pause_reason"] == "inquest"
    cli.ok("death", "resume", "WS1234", as_of="2026-09-01")
    cli.ok("death", "stage", "WS1234", "meeting", "--on", "01/09/2026", as_of="2026-09-01")
    assert "needs --category" in cli.refused(
        "death", "stage", "WS1234", "reviewed", "--on", "15/09/2026", as_of="2026-09-15"
    )
    cli.ok(
        "death",
        "stage",
        "WS1234",
        "reviewed",
        "--on",
        "15/09/2026",
        "--category",
        "Sudden unexpected death in infancy",
        "--modifiable",
        as_of="2026-09-15",
    )
    shown = death(cli, as_of="2026-09-15")
    assert (shown["reviewed"], shown["modifiable"], shown["category"]) == (
        "2026-09-15",
        True,
        "Sudden unexpected death in infancy",
    )
    assert "already recorded" in cli.refused(
        "death", "stage", "WS1234", "jar", "--on", "04/03/2026", as_of="2026-09-15"
    )


def test_a_stage_before_the_death_and_an_unneeded_jar_are_refused(cli, db_path):
    cli.ok("death", "add", "WV77", "--died", "02/03/2026", "--expected", "--age", "6y", as_of="2026-03-04")
    before = snapshot(db_path)
    assert "cannot be before the death" in cli.refused(
        "death", "stage", "WV77", "notified", "--on", "01/03/2026", as_of="2026-03-04"
    )
    assert "no Joint Agency Response was needed" in cli.refused(
        "death", "stage", "WV77", "jar", "--on", "03/03/2026", as_of="2026-03-04"
    )
    assert snapshot(db_path) == before


def test_the_link_shows_on_both_sides_and_a_suspected_abuse_death_warns_without_one(cli):
    result = cli.ok(*DEATH, "--age", "3 months", "--abuse", "suspected", as_of="2026-03-04")
    assert "a serious incident notification may be due" in result.stderr
    ref = add_incident(cli, "03/03/2026", "--nature", "death", as_of="2026-03-04")
    cli.ok("death", "link", "WS1234", ref, as_of="2026-03-04")
    assert death(cli)["incident_ref"] == ref
    assert json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-03-04").stdout)[0]["deaths"] == ["WS1234"]
    assert "Child deaths" in cli.ok("show", ref, as_of="2026-03-04").stdout
    assert "already linked" in cli.refused("death", "link", "WS1234", ref, as_of="2026-03-04")
    other = add_incident(cli, "03/03/2026", "--nature", "serious-harm", as_of="2026-03-04")
    cli.ok("death", "add", "S55", "--died", "02/03/2026", "--unexpected", "--age", "2y", as_of="2026-03-04")
    assert "not a death" in cli.refused("death", "link", "S55", other, as_of="2026-03-04")


def test_the_yearly_counts(cli):
    # 2025-26: April 2025 to March 2026. Five deaths in the year, one before it.
    for ref, died, age, extra in [
        ("WS1", "10/04/2025", "10 days", []),
        ("WS2", "11/05/2025", "200 days", ["--not-resident"]),
        ("WV3", "12/06/2025", "3y", []),
        ("D4", "13/07/2025", "12y", []),
        ("S5", "31/03/2026", "17y 364d", []),
        ("WS6", "31/03/2025", "2y", []),  # the year before
    ]:
        cli.ok("death", "add", ref, "--died", died, "--age", age, "--unexpected", *extra, as_of="2026-04-01")
    cli.ok("death", "stage", "WS1", "notified", "--on", "10/04/2025", as_of="2026-04-01")
    cli.ok("death", "stage", "WS1", "meeting", "--on", "10/06/2025", as_of="2026-04-01")
    cli.ok(
        "death",
        "stage",
        "WS1",
        "reviewed",
        "--on",
        "10/07/2025",
        "--category",
        "Perinatal",
        "--modifiable",
        as_of="2026-04-01",
    )
    cli.ok("death", "pause", "D4", "--on", "01/08/2025", "--reason", "inquest", as_of="2026-04-01")
    cli.ok("death", "pause", "WV3", "--on", "01/08/2025", "--reason", "investigation", as_of="2026-04-01")
    rows = json.loads(cli.ok("death", "report", "--year", "2025-26", "--format", "json", as_of="2026-04-01").stdout)
    counts = {r["measure"]: r["count"] for r in rows}
    assert counts["deaths"] == 5 and counts["notifications"] == 1
    assert (counts["reviews_completed"], counts["reviews_open"], counts["modifiable_factors"]) == (1, 4, 1)
    assert counts["open_by_reason: inquest"] == 1 and counts["open_by_reason: investigation"] == 1
    assert counts["open_by_reason: not waiting"] == 2 and counts["non_resident"] == 1
    assert [
        counts[f"by_age_band: {b}"]
        for b in ("0-27 days", "28-364 days", "1-4 years", "5-9 years", "10-14 years", "15-17 years")
    ] == [1, 1, 1, 0, 1, 1]
    assert "not a reporting year" in cli.refused("death", "report", "--year", "2025-27", as_of="2026-04-01")


def test_an_older_database_upgrades_and_takes_deaths(cli, db_path):
    from conftest import first_version_database

    first_version_database(db_path)
    cli.ok("death", "add", "WS1234", "--died", "02/03/2026", "--unexpected", "--age", "2y", as_of="2026-03-04")
    cli.ok(
        "death", "link", "WS1234", "SI-2025-002", as_of="2026-03-04"
    )  # the looked-after child's death of the old file
    assert death(cli)["incident_ref"] == "SI-2025-002"
    history = json.loads(cli.ok("history", "--format", "json").stdout)
    assert history[0]["what"] == "incident-ref: (none) -> SI-2025-002"
