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
        # Died Mon 2 Mar 2026; the bands are counted on the calendar back from that day.
        ("0 days", "0-27 days"),
        ("27d", "0-27 days"),
        ("3 weeks 6 days", "0-27 days"),  # 27 days
        ("4 weeks", "28-364 days"),  # 28 days
        ("28 days", "28-364 days"),
        ("1 month", "28-364 days"),  # born 2 Feb 2026: 28 days (February)
        ("11 months", "28-364 days"),
        ("364d", "28-364 days"),  # born 3 Mar 2025: a day short of 1 year
        ("365d", "1-4 years"),  # born 2 Mar 2025: 1 year exactly (no 29 February between)
        ("12 months", "1-4 years"),  # 12 months is 1 year, not 360 days
        ("1 year", "1-4 years"),
        ("4y 11m", "1-4 years"),
        ("59 months", "1-4 years"),
        ("60 months", "5-9 years"),  # 5 years, not 1,800 days
        ("5 years", "5-9 years"),
        ("9y 11m 4w", "5-9 years"),
        ("120 months", "10-14 years"),
        ("14y 200d", "10-14 years"),
        ("15 years", "15-17 years"),
        ("17y 364d", "15-17 years"),  # born 3 Mar 2008: 18 tomorrow
        ("215 months", "15-17 years"),
        ("6573 days", "15-17 years"),  # born 3 Mar 2008 (five 29 Februaries between): a day short of 18
    ],
)
def test_ages_fall_in_the_panels_bands_on_the_calendar(cli, age, band):
    cli.ok(*DEATH, "--age", age, as_of="2026-03-04")
    assert death(cli)["age_band"] == band


def test_under_a_year_across_a_29_february_the_band_counts_the_calendar(cli):
    # Died Fri 1 Mar 2024: 365 days back is Thu 2 Mar 2023, so the child was not yet one.
    cli.ok("death", "add", "WS9", "--died", "01/03/2024", "--unexpected", "--age", "365 days", as_of="2024-03-04")
    assert death(cli, "WS9", as_of="2024-03-04")["age_band"] == "28-364 days"
    assert death(cli, "WS9", as_of="2024-03-04")["age"] == "365 days"


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--age", "18 years"], "18 years or more on the date of death: outside the panel's remit"),
        (["--age", "216 months"], "18 years or more on the date of death"),
        (["--age", "17y 12m"], "18 years or more on the date of death"),
        (["--age", "17y 365d"], "18 years or more on the date of death"),  # born 2 Mar 2008
        (["--age", "6574 days"], "18 years or more on the date of death"),  # born 2 Mar 2008
        (["--age", "0 years"], "0 years does not say which band"),
        (["--age", "0y"], "give the age in days, weeks or months"),
        (["--age", "0 months"], "give the age in days or weeks"),
        (["--age", "10y", "--kind", "stillbirth"], "a stillbirth is outside the Child Death Overview Panel's remit"),
        (["--age", "0d", "--kind", "late-foetal-loss"], "a late foetal loss is outside"),
        (["--age", "0d", "--kind", "termination"], "a termination is outside"),
        (["--age", "ten"], "is not an age"),
        (["--age", "2y 2y"], "give each unit once"),
        (["--age", "3 months", "--died", "05/03/2026"], "after the as-of date"),
        (["--age", "3 months", "--expected"], "a Joint Agency Response is for an unexpected death"),
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
    assert result.stdout.startswith("WS1234: recorded (16 years: 15-17 years; not normally resident in the area)")
    assert death(cli)["resident"] is False


def test_the_notification_target_is_a_day_after_the_death_and_shows_as_overdue_by_kind(cli):
    # died Mon 2 Mar 2026: the notification is due Tue 3 Mar (1 calendar day, the local target)
    cli.ok(*DEATH, "--age", "3 months", as_of="2026-03-02")
    assert death(cli, as_of="2026-03-03")["notification_due"] == "2026-03-03"
    result = cli("overdue", "--format", "json", as_of="2026-03-05")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    # Wed 5 Mar is 2 calendar days after the target: a death's target is set in calendar days, and the
    # JSON says so beside the count (the table says it in its heading).
    assert [(r["kind"], r["ref"], r["milestone"], r["force"], r["working_days"], r["unit"]) for r in rows] == [
        ("death", "WS1234", "cdop-notification", "local", 2, "day")
    ]
    cli.ok("death", "stage", "WS1234", "notified", "--on", "03/03/2026", as_of="2026-03-05")
    assert cli("overdue", as_of="2026-03-05").exit_code == 0
    cli.ok("rules", "set", "cdop-notification", "3")
    assert death(cli, as_of="2026-03-05")["notification_due"] == "2026-03-05"


def test_incidents_and_deaths_appear_together_in_upcoming(cli):
    ref = add_incident(cli, "03/03/2026", as_of="2026-03-03")
    cli.ok(*DEATH, "--age", "3 months", as_of="2026-03-02")
    rows = json.loads(cli.ok("upcoming", "--within", "10", "--format", "json", as_of="2026-03-03").stdout)
    assert {(r["kind"], r["ref"]) for r in rows} == {("death", "WS1234"), ("incident", ref)}
    table = [
        line for line in cli.ok("upcoming", "--within", "10", as_of="2026-03-03").stdout.splitlines() if line.strip()
    ]
    header = next(i for i, line in enumerate(table) if line.split()[0] == "Case")  # headings may wrap above it
    assert table[header].split()[-1] == "Kind"
    rows = [line.split() for line in table[header + 2 :] if line.split()[0] in ("WS1234", ref)]
    assert {row[0]: row[-1] for row in rows} == {"WS1234": "death", ref: "incident"}


def test_a_death_notification_target_is_counted_in_calendar_days(cli):
    # Died Wed 24 Dec 2025; the local target is 1 calendar day: Thu 25 Dec (Christmas Day counts).
    # As of Mon 29 Dec it is overdue by 4 days (26, 27, 28, 29), though only 1 working day (29) has passed.
    cli.ok("death", "add", "WS2001", "--died", "24/12/2025", "--age", "3 months", "--unexpected", as_of="2025-12-24")
    rows = json.loads(cli("overdue", "--format", "json", as_of="2025-12-29").stdout)
    assert [(r["ref"], r["due"], r["working_days"]) for r in rows] == [("WS2001", "2025-12-25", 4)]
    assert (
        "overdue by 4 days"
        in cli(
            "death", "add", "WS2002", "--died", "24/12/2025", "--age", "3 months", "--unexpected", as_of="2025-12-29"
        ).stdout
    )


def stage(cli, ref, name, on, *extra, as_of="2026-09-30"):
    return cli("death", "stage", ref, name, "--on", on, *extra, as_of=as_of)


def test_the_stages_in_the_guidances_order_and_the_reason_for_each_refusal(cli, db_path):
    cli.ok(*DEATH, "--age", "3 months", as_of="2026-03-04")  # unexpected, a JAR needed
    before = snapshot(db_path)
    refusals = [
        (
            ("meeting", "05/03/2026"),
            "the child death review meeting comes after the notification, which is not recorded",
        ),
        (
            ("reviewed", "05/03/2026", "--category", "sudden", "--modifiable"),
            "the CDOP review comes after the notification",
        ),
        (("jar", "03/03/2026"), "the Joint Agency Response comes after the notification"),
    ]
    for args, message in refusals:
        result = stage(cli, "WS1234", *args)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)
        assert "the guidance's order: notification, then a Joint Agency Response" in result.stderr
    assert snapshot(db_path) == before
    assert stage(cli, "WS1234", "notified", "03/03/2026").exit_code == 0
    assert "comes after the Joint Agency Response" in stage(cli, "WS1234", "information", "20/04/2026").stderr
    assert (
        "(Mon 02 Mar 2026) cannot be before the notification (Tue 03 Mar 2026)"
        in stage(cli, "WS1234", "jar", "02/03/2026").stderr
    )
    assert stage(cli, "WS1234", "jar", "04/03/2026").exit_code == 0
    assert (
        "(Tue 03 Mar 2026) cannot be before the Joint Agency Response (Wed 04 Mar 2026)"
        in stage(cli, "WS1234", "information", "03/03/2026").stderr
    )
    assert stage(cli, "WS1234", "information", "20/04/2026").exit_code == 0
    cli.ok("death", "pause", "WS1234", "--on", "01/05/2026", "--reason", "inquest", as_of="2026-05-01")
    assert "record" not in stage(cli, "WS1234", "meeting", "01/09/2026").stderr
    assert (
        "needs its category of death and whether modifiable factors"
        in stage(cli, "WS1234", "reviewed", "15/09/2026").stderr
    )
    assert (
        "not one of the ten categories of death"
        in stage(cli, "WS1234", "reviewed", "15/09/2026", "--category", "banana", "--modifiable").stderr
    )
    waiting = stage(cli, "WS1234", "reviewed", "15/09/2026", "--category", "sudden", "--modifiable")
    assert "resume it first ('csprcli death resume WS1234 --on DATE')" in waiting.stderr
    cli.ok("death", "resume", "WS1234", "--on", "01/09/2026", as_of="2026-09-30")
    assert stage(cli, "WS1234", "reviewed", "15/09/2026", "--category", "SUDDEN", "--modifiable").exit_code == 0
    shown = death(cli, as_of="2026-09-30")
    assert (shown["reviewed"], shown["modifiable"], shown["category"]) == ("2026-09-15", True, "sudden")
    assert (
        "already recorded (Wed 04 Mar 2026); 'csprcli death correct WS1234 jar DATE"
        in stage(cli, "WS1234", "jar", "04/03/2026").stderr
    )


def test_an_expected_death_has_no_jar_and_a_jar_cannot_follow_the_meeting(cli, db_path):
    cli.ok("death", "add", "WV77", "--died", "02/03/2026", "--expected", "--age", "6y", as_of="2026-03-04")
    for name, on in (("notified", "02/03/2026"), ("information", "10/03/2026"), ("meeting", "20/03/2026")):
        assert stage(cli, "WV77", name, on, as_of="2026-04-01").exit_code == 0
    before = snapshot(db_path)
    assert "no Joint Agency Response was needed" in stage(cli, "WV77", "jar", "21/03/2026", as_of="2026-04-01").stderr
    correct = ["death", "correct", "WV77"]
    assert "a Joint Agency Response is for an unexpected death" in cli.refused(
        *correct, "jar-needed", "yes", "--reason", "r", as_of="2026-04-01"
    )
    cli.ok(*correct, "expected", "no", "--reason", "Found to be unexpected", as_of="2026-04-01")
    # Now a JAR is needed: the information gathering and the meeting recorded without one contradict it.
    assert "comes after the Joint Agency Response, which is not recorded" in cli.refused(
        *correct, "jar-needed", "yes", "--reason", "r", as_of="2026-04-01"
    )
    cli.ok(*correct, "expected", "yes", "--reason", "Back as it was", as_of="2026-04-01")
    assert snapshot(db_path) != before  # two corrections, both in the history


def test_correct_fixes_a_stage_recorded_wrongly_and_keeps_the_order(cli):
    cli.ok(*DEATH, "--age", "2y", as_of="2026-03-04")
    for name, on in (("notified", "02/03/2026"), ("jar", "02/03/2026"), ("information", "10/03/2026")):
        assert stage(cli, "WS1234", name, on, as_of="2026-04-01").exit_code == 0
    assert stage(cli, "WS1234", "meeting", "21/03/2026", as_of="2026-04-01").exit_code == 0
    correct = ["death", "correct", "WS1234"]
    assert "cannot be before the information gathering" in cli.refused(
        *correct, "meeting", "09/03/2026", "--reason", "r", as_of="2026-04-01"
    )
    result = cli.ok(*correct, "meeting", "20/03/2026", "--reason", "Typed a day late", as_of="2026-04-01")
    assert result.stdout == "WS1234: meeting corrected to Fri 20 Mar 2026 (was Sat 21 Mar 2026)\n"
    # The top-level `correct` takes a death's reference too.
    result = cli.ok("correct", "WS1234", "meeting", "19/03/2026", "--reason", "Typed late again", as_of="2026-04-01")
    assert result.stdout == "WS1234: meeting corrected to Thu 19 Mar 2026 (was Fri 20 Mar 2026)\n"
    cli.ok("correct", "WS1234", "meeting", "20/03/2026", "--reason", "Back", as_of="2026-04-01")
    assert death(cli, as_of="2026-04-01")["meeting"] == "2026-03-20"
    assert "comes after the information gathering, which is not recorded" in cli.refused(
        *correct, "information", "none", "--reason", "r", as_of="2026-04-01"
    )
    cli.ok(*correct, "meeting", "none", "--reason", "No meeting yet", as_of="2026-04-01")
    assert death(cli, as_of="2026-04-01")["meeting"] is None
    cli.ok(*correct, "age", "24 months", "--reason", "Typed in months", as_of="2026-04-01")
    assert (death(cli, as_of="2026-04-01")["age"], death(cli, as_of="2026-04-01")["age_band"]) == (
        "24 months",
        "1-4 years",
    )
    assert "18 years or more" in cli.refused(*correct, "age", "18y", "--reason", "r", as_of="2026-04-01")
    assert "'colour' cannot be corrected" in cli.refused(*correct, "colour", "x", "--reason", "r", as_of="2026-04-01")
    history = json.loads(cli.ok("history", "WS1234", "--format", "json").stdout)
    assert any(h["what"] == "meeting: 2026-03-21 -> 2026-03-20" for h in history)


def test_pauses_are_kept_with_both_dates_and_their_reasons(cli):
    cli.ok(*DEATH, "--age", "2y", as_of="2026-03-04")
    cli.ok("death", "pause", "WS1234", "--on", "05/03/2026", "--reason", "police investigation", as_of="2026-03-05")
    assert "already waiting since Thu 05 Mar 2026" in cli.refused(
        "death", "pause", "WS1234", "--on", "06/03/2026", "--reason", "inquest", as_of="2026-03-06"
    )
    assert "cannot resume before it paused" in cli.refused(
        "death", "resume", "WS1234", "--on", "04/03/2026", as_of="2026-03-06"
    )
    # 5 Mar to 1 Apr: 27 days waiting (the start counted, the day it resumed not).
    result = cli.ok("death", "resume", "WS1234", "--on", "01/04/2026", as_of="2026-04-01")
    assert result.stdout == "WS1234: resumed Wed 01 Apr 2026 after 27 days waiting for police investigation\n"
    assert "not waiting" in cli.refused("death", "resume", "WS1234", "--on", "02/04/2026", as_of="2026-04-02")
    assert "cannot begin before the one before it ended" in cli.refused(
        "death", "pause", "WS1234", "--on", "31/03/2026", "--reason", "inquest", as_of="2026-04-02"
    )
    cli.ok("death", "pause", "WS1234", "--on", "02/04/2026", "--reason", "inquest", as_of="2026-04-02")
    shown = death(cli, as_of="2026-04-03")
    assert shown["pauses"] == "police investigation: 2026-03-05 to 2026-04-01; inquest: 2026-04-02 to (waiting)"
    assert shown["waiting_for"] == "inquest (since 2026-04-02)"
    history = [h["what"] for h in json.loads(cli.ok("history", "WS1234", "--format", "json").stdout)]
    assert "pause of the death review 2026-03-05 recorded" in history
    assert "end: (none) -> 2026-04-01" in history
    # As of a day inside the first pause, it was still waiting then.
    assert death(cli, as_of="2026-03-20")["pauses"] == "police investigation: 2026-03-05 to (waiting)"
    assert death(cli, as_of="2026-03-04")["pauses"] is None


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
    other = add_incident(cli, "03/03/2026", "--nature", "serious-harm", "--allow-duplicate", as_of="2026-03-04")
    cli.ok("death", "add", "S55", "--died", "02/03/2026", "--unexpected", "--age", "2y", as_of="2026-03-04")
    assert "not a death" in cli.refused("death", "link", "S55", other, as_of="2026-03-04")


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


def test_several_deaths_link_to_one_incident_only_where_it_records_several_children(cli):
    ref = add_incident(cli, "03/03/2026", "--nature", "death", as_of="2026-03-04")  # one child recorded
    for death_ref in ("WS1", "WS2"):
        cli.ok("death", "add", death_ref, "--died", "02/03/2026", "--unexpected", "--age", "2y", as_of="2026-03-04")
    cli.ok("death", "link", "WS1", ref, as_of="2026-03-04")
    refused = cli.refused("death", "link", "WS2", ref, as_of="2026-03-04")
    assert f"{ref} records 1 child and is already linked to WS1" in refused
    cli.ok("child", "add", ref, "--child", "LCS-200002", "--age-band", "1-5", "--sex", "female", as_of="2026-03-04")
    cli.ok("death", "link", "WS2", ref, as_of="2026-03-04")
    assert json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-03-04").stdout)[0]["deaths"] == ["WS1", "WS2"]
    assert cli.ok("death", "unlink", "WS1", as_of="2026-03-04").stdout == f"WS1: no longer linked to {ref}\n"
    assert death(cli, "WS1")["incident_ref"] is None
    assert "WS1 is not linked to an incident" in cli.refused("death", "unlink", "WS1", as_of="2026-03-04")
    assert json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-03-04").stdout)[0]["deaths"] == ["WS2"]


def test_a_register_of_the_earlier_schema_keeps_its_pause_and_known_categories(cli, db_path):
    """A database at 0005 (deaths with one open pause in two columns, free-text categories) upgrades."""
    import sqlite_utils

    from csprcli.store.migrations import migrations

    db = sqlite_utils.Database(db_path)
    migrations().apply(db, stop_before="0009_death_register")
    db.execute("INSERT INTO changes (user, command) VALUES ('officer', 'csprcli death add')")
    row = dict(age_years=0, age_days=90, resident=1, expected=0, jar_needed=1, abuse="none", notified="2025-04-02")
    db["deaths"].insert_all(
        [
            dict(ref="WS1", died="2025-04-01", **row, paused_since="2025-05-01", pause_reason="inquest"),
            dict(
                ref="WS2",
                died="2025-04-01",
                **row,
                jar="2025-04-02",
                information="2025-04-03",
                meeting="2025-05-01",
                reviewed="2025-06-01",
                category="Perinatal/neonatal event",
                modifiable=0,
            ),
            dict(
                ref="WS3",
                died="2025-04-01",
                **row,
                jar="2025-04-02",
                information="2025-04-03",
                meeting="2025-05-01",
                reviewed="2025-06-01",
                category="banana",
                modifiable=1,
            ),
        ]
    )
    db.conn.commit()
    db.conn.close()
    cli.ok("db", "upgrade")
    assert death(cli, "WS1", as_of="2026-04-01")["waiting_for"] == "inquest (since 2025-05-01)"
    assert death(cli, "WS2", as_of="2026-04-01")["category"] == "perinatal"
    assert death(cli, "WS3", as_of="2026-04-01")["category"] is None
    assert death(cli, "WS1", as_of="2026-04-01")["age"] == "90 days"  # as it was kept
    cli.ok("death", "resume", "WS1", "--on", "01/06/2025", as_of="2026-04-01")
    assert death(cli, "WS1", as_of="2026-04-01")["pauses"] == "inquest: 2025-05-01 to 2025-06-01"
    cli.ok("death", "correct", "WS3", "category", "infection", "--reason", "Typed before the ten", as_of="2026-04-01")
    assert death(cli, "WS3", as_of="2026-04-01")["category"] == "infection"


def test_a_child_deaths_reference_given_for_a_case_points_to_death_show(cli):
    """`overdue` lists a child death's notification beside the cases' milestones; its reference
    given to `show` or `explain`, which read cases, is answered with where it is shown."""
    cli.ok("death", "add", "WS2000", "--died", "02/03/2026", "--unexpected", "--age", "2y", as_of="2026-03-04")
    assert any(r["ref"] == "WS2000" for r in json.loads(cli("overdue", "--format", "json", as_of="2026-03-06").stdout))
    for args in (("show", "ws2000"), ("explain", "WS2000", "cdop-notification")):
        message = cli.refused(*args, as_of="2026-03-06")
        assert message == "error: WS2000 is a child death, not a case: 'csprcli death show WS2000' shows it\n", message
    assert "WS2000" in cli.ok("death", "show", "WS2000", as_of="2026-03-06").stdout
