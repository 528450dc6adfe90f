"""A local review, from the rapid review's decision to the report's removal date, with its actions, the
children it counts and the rules it runs by: end to end through the command line, with fixed as-of dates."""

import json

import pytest

from conftest import MILESTONES, add_incident, copy_database, recorded_once
from conftest import snapshot


@pytest.fixture(scope="module")
def recorded_lcspr(tmp_path_factory):
    with recorded_once(tmp_path_factory) as (cli, path):
        return path, record_lcspr(cli)


@pytest.fixture
def lcspr(recorded_lcspr, db_path):
    """Recorded once for the module (record_lcspr); the test works on a copy of the database."""
    path, refs = recorded_lcspr
    copy_database(path, db_path)
    return refs


def record_lcspr(cli):
    """SI-2025-001: aware Wed 17 Dec 2025, notified Tue 23 Dec, decided on a local review Mon 19 Jan 2026, sent the same day."""
    ref = add_incident(cli, "17/12/2025", as_of="2025-12-17")
    cli.ok("incident", "inform", ref, "--on", "18/12/2025", as_of="2025-12-18")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025", as_of="2025-12-23")
    cli.ok(
        "review",
        "decide",
        ref,
        "--outcome",
        "lcspr",
        "--on",
        "19/01/2026",
        "--reason",
        "Agencies did not work together",
        as_of="2026-01-19",
    )
    cli.ok("review", "submit", ref, "--on", "19/01/2026", as_of="2026-01-19")
    return ref


def milestones(cli, ref, as_of):
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of=as_of).stdout)[0]
    return {m["milestone"]: m for m in shown["milestones"]}


def test_a_case_from_the_incident_to_the_reports_removal_date(cli, lcspr):
    ref = lcspr
    result = cli.ok("review", "response", ref, "--response", "agrees-lcspr", "--on", "30/01/2026", as_of="2026-01-30")
    assert (
        result.stdout
        == f"{ref}: Panel's response (agrees-lcspr) recorded Fri 30 Jan 2026 (done on time; due Mon 02 Feb 2026)\n"
    )
    cli.ok("lcspr", "reviewer", ref, "--name", "Independent Reviewer Ltd", "--on", "02/02/2026", as_of="2026-02-02")
    cli.ok("lcspr", "terms", ref, "--on", "16/02/2026", as_of="2026-02-16")
    result = cli.ok(
        "lcspr", "check", ref, "--on", "16/02/2026", "--rag", "amber", "--note", "Chronologies late", as_of="2026-02-16"
    )
    assert result.stdout == f"{ref}: progress check (amber) recorded Mon 16 Feb 2026; next due Mon 16 Mar 2026\n"
    result = cli.ok("lcspr", "plan", ref, "--publication", "13/07/2026", as_of="2026-02-16")
    # 7 WD before Mon 13 Jul 2026: Fri 10 (1), 9, 8, 7, Mon 6 (5), Fri 3 (6), Thu 2 (7)
    assert result.stdout == f"{ref}: publication planned for Mon 13 Jul 2026; final report due by Thu 02 Jul 2026\n"
    result = cli.ok(
        "action",
        "add",
        ref,
        "--recommendation",
        "Audit joint strategy meetings",
        "--agency",
        "Police",
        "--target",
        "30/06/2026",
        as_of="2026-02-20",
    )
    assert result.stdout == f"{ref}: action 1 (Police) recorded, due Tue 30 Jun 2026\n"
    for month in ("16/03/2026", "16/04/2026", "15/05/2026", "15/06/2026"):
        cli.ok("lcspr", "check", ref, "--on", month, "--rag", "green", as_of=month)
    cli.ok(
        "action",
        "done",
        ref,
        "1",
        "--on",
        "29/06/2026",
        "--evidence",
        "Audit to the board",
        "--signed-off-by",
        "Board",
        as_of="2026-06-29",
    )
    result = cli.ok("lcspr", "send", ref, "--on", "01/07/2026", as_of="2026-07-01")
    assert (
        result.stdout
        == f"{ref}: final report sent to the Panel and the Secretary of State Wed 01 Jul 2026 (done on time; due Thu 02 Jul 2026)\n"
    )
    result = cli.ok(
        "lcspr",
        "publish",
        ref,
        "--on",
        "13/07/2026",
        "--type",
        "full",
        "--rationale",
        "No risk to siblings",
        as_of="2026-07-13",
    )
    # six calendar months after Mon 19 Jan 2026 is Sun 19 Jul 2026
    assert result.stdout.splitlines() == [
        f"{ref}: published (full) Mon 13 Jul 2026 (done on time; due Sun 19 Jul 2026)",
        f"{ref}: keep it available until at least Tue 13 Jul 2027",
    ]
    m = milestones(cli, ref, "2026-07-14")
    assert {k: v["status"] for k, v in m.items()} == {
        # decided and sent Mon 19 Jan, one working day after Fri 16 Jan (15 WD after Tue 23 Dec)
        "notification": "done",
        "partners-informed": "done",
        "rr-decision": "late",
        "rr-sent": "late",
        "panel-response": "done",
        "progress-check": "not required",
        "report-sent": "done",
        "publication": "done",
        "action-1": "done",
    }
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-07-14").stdout)[0]
    assert shown["state"] == "closed" and shown["removal_earliest"] == "2027-07-13"
    assert len(shown["checks"]) == 5 and shown["actions"][0]["signed_off_by"] == "Board"
    assert cli("overdue", as_of="2026-07-14").exit_code == 0


def test_overdue_and_upcoming_say_each_items_force(cli, lcspr):
    cli.ok(
        "action",
        "add",
        lcspr,
        "--recommendation",
        "Audit",
        "--agency",
        "Police",
        "--target",
        "30/06/2026",
        as_of="2026-02-20",
    )
    rows = json.loads(cli("overdue", "--format", "json", as_of="2026-07-03").stdout)
    forces = {r["milestone"]: r["force"] for r in rows}
    assert forces["panel-response"] == "local"
    assert forces["progress-check"] == "local"
    assert forces["action-1"] == "local"
    upcoming = json.loads(cli.ok("upcoming", "--within", "15", "--format", "json", as_of="2026-07-03").stdout)
    # Sun 19 Jul 2026 is within 15 working days of Fri 3 Jul
    assert ("publication", "statutory guidance") in [(r["milestone"], r["force"]) for r in upcoming]


def test_a_pause_stops_running_clocks_and_resuming_suggests_a_revision_that_only_the_partners_record(cli, lcspr):
    ref = lcspr
    cli.ok(
        "lcspr",
        "pause",
        ref,
        "--on",
        "01/06/2026",
        "--reason",
        "Criminal trial",
        "--agreed-by",
        "Partnership chair",
        as_of="2026-06-01",
    )
    m = milestones(cli, ref, "2026-08-01")
    # publication (due Sun 19 Jul 2026) was still running on 1 Jun: it stops. The first progress
    # check (decided Mon 19 Jan + 1 month = Thu 19 Feb) was missed before the pause: it stays overdue.
    assert m["publication"]["status"] == "paused" and m["progress-check"]["status"] == "overdue"
    overdue = cli("overdue", "--format", "json", as_of="2026-08-01")
    assert overdue.exit_code == 1
    assert [r["milestone"] for r in json.loads(overdue.stdout)] == ["panel-response", "progress-check"]
    result = cli.ok("lcspr", "resume", ref, "--on", "14/09/2026", as_of="2026-09-14")
    # Nothing moves by itself: the target stays Sun 19 Jul, overdue by the working days Mon 20 Jul to
    # Mon 14 Sep: 20 Jul-28 Aug 30, Mon 31 Aug a bank holiday, 1-4 Sep 34, 7-11 Sep 39, 14 Sep 40.
    # The suggestion: paused 1 Jun to 14 Sep is 105 days (to 1 Jul 30, 1 Aug 61, 1 Sep 92, 14 Sep 105);
    # Sun 19 Jul + 105 days: to 19 Aug 31, 19 Sep 62, 19 Oct 92, then 13 more: Sun 1 Nov 2026.
    assert result.stdout == (
        f"{ref}: review resumed Mon 14 Sep 2026; the publication target stays Sun 19 Jul 2026 "
        "(overdue by 40 working days) until the partners record a revised one\n"
        f"{ref}: suggested revised target Sun 01 Nov 2026 (Sun 19 Jul 2026 plus the 105 days paused); "
        "once agreed, record it with:\n"
        f'  csprcli revise {ref} publication --to 01/11/2026 --reason "Paused 105 days" --agreed-by "..."\n'
    )
    m = milestones(cli, ref, "2026-09-15")
    assert (m["publication"]["due"], m["publication"]["status"]) == ("2026-07-19", "overdue")
    cli.ok(
        "revise",
        ref,
        "publication",
        "--to",
        "01/11/2026",
        "--reason",
        "Paused 105 days",
        "--agreed-by",
        "Partnership chair",
        as_of="2026-09-15",
    )
    m = milestones(cli, ref, "2026-09-15")
    assert (m["publication"]["due"], m["publication"]["original_due"], m["publication"]["status"]) == (
        "2026-11-01",
        "2026-07-19",
        "open",
    )
    assert m["publication"]["original_status"] == "overdue"
    revised = [r["milestone"] for r in json.loads(cli("overdue", "--format", "json", as_of="2026-09-15").stdout)]
    original = [
        r["milestone"] for r in json.loads(cli("overdue", "--original", "--format", "json", as_of="2026-09-15").stdout)
    ]
    assert "publication" not in revised and "publication" in original
    export = cli.ok("export", "--view", "full", as_of="2026-09-15").stdout.splitlines()
    header, row = export[0].split(","), export[1].split(",")
    assert (
        row[header.index("publication_due")] == "2026-11-01"
        and row[header.index("publication_original_due")] == "2026-07-19"
    )


def test_revise_a_target_with_a_reason_and_who_agreed(cli, lcspr):
    ref = lcspr
    result = cli.ok(
        "revise",
        ref,
        "publication",
        "--to",
        "30/09/2026",
        "--reason",
        "Inquest in August",
        "--agreed-by",
        "Partnership chair",
        as_of="2026-05-01",
    )
    assert result.stdout == f"{ref}: publication target revised to Wed 30 Sep 2026 (original Sun 19 Jul 2026)\n"
    explained = cli.ok("explain", ref, "publication", as_of="2026-05-01").stdout
    assert "Revised on Fri 01 May 2026 to Wed 30 Sep 2026, agreed by Partnership chair: Inquest in August." in explained
    assert "Original target Sun 19 Jul 2026; revised target in force Wed 30 Sep 2026." in explained


def test_explain_shows_the_duty_the_time_limit_the_trigger_the_count_and_every_day_skipped(cli):
    ref = add_incident(cli, "17/12/2025")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025")
    cli.ok("calendar", "close", "02/01/2026", "--reason", "Christmas closure")
    lines = cli.ok("explain", ref, "rr-decision", as_of="2026-01-05").stdout.splitlines()
    assert lines[0] == f"{ref} rr-decision: Rapid review decision (local review or not)"
    assert "Force of the time limit: Panel guidance." in lines
    assert any(line.startswith("Duty: Working Together to Safeguard Children 2023") for line in lines)
    assert any(line.startswith("Time limit: Child Safeguarding Practice Review Panel: guidance") for line in lines)
    assert (
        "Counts England-and-Wales working days only: the partnership's closure days never move a national clock."
        in lines
    )
    assert "Counts from the notification: Tue 23 Dec 2025." in lines
    assert "Count: 15 working days after it, the day itself not counted (WORKDAY(2025-12-23, 15))." in lines
    skipped = [line.strip() for line in lines if line.startswith("  skipped")]
    assert "skipped Thu 25 Dec 2025: Christmas Day" in skipped
    assert "skipped Fri 26 Dec 2025: Boxing Day" in skipped
    assert "skipped Thu 01 Jan 2026: New Year's Day" in skipped
    assert not any("Christmas closure" in line for line in skipped)  # a national clock
    assert "skipped Sat 27 Dec 2025 and Sun 28 Dec 2025: weekend" in skipped
    # 24 Dec (1), 29, 30, 31 (4), [1 Jan bank holiday], 2 Jan (5), 5-9 (10), 12-16 (15): Fri 16 Jan;
    # left on Mon 5 Jan: 6-9 (4), 12-16 (9)
    assert lines[-1] == "Due Fri 16 Jan 2026. On Mon 05 Jan 2026: open, 9 working days left."


def test_explain_counts_back_for_the_final_report(cli, lcspr):
    cli.ok("lcspr", "plan", lcspr, "--publication", "01/06/2026", as_of="2026-02-01")
    lines = cli.ok("explain", lcspr, "report-sent", as_of="2026-02-01").stdout.splitlines()
    assert "Count: 7 working days before it, counting back (WORKDAY(2026-06-01, -7))." in lines
    assert "  skipped Mon 25 May 2026: Spring Bank Holiday" in lines
    assert lines[-1].startswith("Due Wed 20 May 2026.")


def test_explain_refuses_an_unknown_milestone(cli, lcspr):
    assert "has no milestone 'rr-sentt'" in cli.refused("explain", lcspr, "rr-sentt")


@pytest.mark.parametrize(
    "command, message",
    [
        (
            ["lcspr", "publish", "{ref}", "--on", "20/01/2026", "--type", "full", "--rationale", "x"],
            "record sending the final report to the Panel and the Secretary of State first",
        ),
        (["lcspr", "resume", "{ref}", "--on", "20/01/2026"], "is not paused"),
        (
            ["lcspr", "check", "{ref}", "--on", "18/01/2026", "--rag", "green"],
            "cannot be before the last check (or the decision)",
        ),
        (["lcspr", "check", "{ref}", "--on", "20/01/2026", "--rag", "purple"], "'purple' is not a RAG rating"),
        (
            ["lcspr", "pause", "{ref}", "--on", "20/01/2026", "--reason", "Trial", "--agreed-by", " "],
            "--agreed-by is required",
        ),
        (
            ["revise", "{ref}", "notification", "--to", "20/01/2026", "--reason", "x", "--agreed-by", "y"],
            "there is no statutory extension",
        ),
        (
            ["revise", "{ref}", "action-3", "--to", "20/01/2026", "--reason", "x", "--agreed-by", "y"],
            "cannot be revised",
        ),
        (["action", "done", "{ref}", "4", "--on", "20/01/2026", "--evidence", "x"], "has no action 4"),
        (
            ["review", "response", "{ref}", "--response", "agrees", "--on", "20/01/2026"],
            "'agrees' is not a Panel response; did you mean 'agrees-lcspr'?",
        ),
        (
            ["review", "response", "{ref}", "--response", "agrees-lcspr", "--on", "18/01/2026"],
            "cannot be before sending the rapid review",
        ),
    ],
)
def test_steps_out_of_order_on_a_review_are_refused(cli, db_path, lcspr, command, message):
    before = snapshot(db_path)
    assert message in cli.refused(*[part.format(ref=lcspr) for part in command], as_of="2026-01-20")
    assert snapshot(db_path) == before


def test_publishing_while_paused_and_pausing_twice_are_refused(cli, lcspr):
    cli.ok(
        "lcspr", "pause", lcspr, "--on", "01/06/2026", "--reason", "Inquest", "--agreed-by", "Chair", as_of="2026-06-01"
    )
    assert "already paused since Mon 01 Jun 2026" in cli.refused(
        "lcspr", "pause", lcspr, "--on", "02/06/2026", "--reason", "x", "--agreed-by", "y", as_of="2026-06-02"
    )
    cli.ok("lcspr", "send", lcspr, "--on", "02/06/2026", as_of="2026-06-02")
    assert "the review is paused" in cli.refused(
        "lcspr", "publish", lcspr, "--on", "03/06/2026", "--type", "full", "--rationale", "x", as_of="2026-06-03"
    )


def test_changing_the_planned_publication_needs_a_reason_and_is_kept(cli, lcspr):
    cli.ok("lcspr", "plan", lcspr, "--publication", "13/07/2026", as_of="2026-02-01")
    assert "give --reason and --agreed-by" in cli.refused(
        "lcspr", "plan", lcspr, "--publication", "27/07/2026", as_of="2026-02-02"
    )
    cli.ok(
        "lcspr",
        "plan",
        lcspr,
        "--publication",
        "27/07/2026",
        "--reason",
        "Family asked for time",
        "--agreed-by",
        "Chair",
        as_of="2026-02-02",
    )
    shown = json.loads(cli.ok("show", lcspr, "--format", "json", as_of="2026-02-02").stdout)[0]
    assert shown["planned_publication"] == "2026-07-27"
    assert shown["revisions"] == [
        {
            "milestone": "planned-publication",
            "due": "2026-07-27",
            "reason": "Family asked for time",
            "agreed_by": "Chair",
            "recorded_on": "2026-02-02",
        }
    ]


def test_a_case_without_a_local_review_has_no_review_commands(cli):
    ref = add_incident(cli, "17/12/2025")
    cli.ok("incident", "notify", ref, "--on", "18/12/2025")
    assert "there is no local review: the rapid review has not decided yet" in cli.refused(
        "lcspr", "terms", ref, "--on", "19/12/2025"
    )
    assert "has no review decided" in cli.refused(
        "action", "add", ref, "--recommendation", "x", "--agency", "y", "--target", "01/06/2026"
    )
    cli.ok("review", "decide", ref, "--outcome", "no-lcspr", "--on", "19/12/2025", "--reason", "Learning captured")
    assert "the rapid review decided no-lcspr" in cli.refused("lcspr", "plan", ref, "--publication", "01/06/2026")
    cli.ok("action", "add", ref, "--recommendation", "Share learning", "--agency", "ICB", "--target", "01/06/2026")


def test_actions_done_dropped_and_revised(cli, lcspr):
    for agency in ("Police", "Health", "Children's services"):
        cli.ok(
            "action",
            "add",
            lcspr,
            "--recommendation",
            "Audit",
            "--agency",
            agency,
            "--target",
            "30/06/2026",
            as_of="2026-02-01",
        )
    cli.ok("action", "drop", lcspr, "2", "--on", "01/05/2026", "--reason", "Superseded", as_of="2026-05-01")
    cli.ok(
        "revise",
        lcspr,
        "action-3",
        "--to",
        "31/07/2026",
        "--reason",
        "Restructure",
        "--agreed-by",
        "Board",
        as_of="2026-05-01",
    )
    assert "is already dropped" in cli.refused(
        "action", "done", lcspr, "2", "--on", "02/05/2026", "--evidence", "x", as_of="2026-05-02"
    )
    m = milestones(cli, lcspr, "2026-07-03")
    assert (m["action-1"]["status"], m["action-1"]["working_days"]) == ("overdue", 3)
    assert m["action-2"]["status"] == "not required"
    assert (m["action-3"]["status"], m["action-3"]["due"], m["action-3"]["original_status"]) == (
        "open",
        "2026-07-31",
        "overdue",
    )
    row = dict(
        zip(*[line.split(",") for line in cli.ok("export", "--view", "full", as_of="2026-07-03").stdout.splitlines()])
    )
    assert (row["actions_open"], row["actions_overdue"], row["actions_done"], row["actions_dropped"]) == (
        "2",
        "1",
        "0",
        "1",
    )


def test_up_to_four_children_with_what_dfe_counts(cli, db_path):
    ref = add_incident(cli, "17/12/2025")
    cli.ok(
        "child",
        "describe",
        ref,
        "LCS-104233",
        "--age-band",
        "under-1",
        "--sex",
        "male",
        "--ethnicity",
        "white",
        "--cp-plan",
        "current",
        "--known",
    )
    for n in (2, 3, 4):
        cli.ok("child", "add", ref, "--child", f"LCS-10424{n}", "--age-band", "1-5", "--sex", "female")
    before = snapshot(db_path)
    assert "4 children already" in cli.refused("child", "add", ref, "--child", "LCS-104245")
    assert "already recorded" in cli.refused("child", "describe", ref, "LCS-104233", "--sex", "female")
    assert "never a name" in cli.refused("child", "add", ref, "--child", "Tom Jones")
    assert snapshot(db_path) == before
    children = json.loads(cli.ok("show", ref, "--format", "json").stdout)[0]["children"]
    assert [(c["reference"], c["primary"]) for c in children] == [
        ("LCS-104233", True),
        ("LCS-104242", False),
        ("LCS-104243", False),
        ("LCS-104244", False),
    ]
    assert children[0] | {} == {
        "reference": "LCS-104233",
        "primary": True,
        "age_band": "under-1",
        "sex": "male",
        "ethnicity": "white",
        "disability": None,
        "looked_after": False,
        "cin_plan": None,
        "cp_plan": "current",
        "known_to_agencies": True,
    }


def test_rules_lists_every_rule_with_its_source_and_force(cli, no_database_named):
    rows = json.loads(cli.ok("rules", "--format", "json").stdout)
    by = {r["milestone"]: r for r in rows}
    assert set(by) == {*MILESTONES, "action-N", "kept-available"}
    assert by["kept-available"]["force"] == "statutory guidance" and "docs/forces.md" in by["kept-available"]["set_by"]
    assert (by["notification"]["count"], by["notification"]["unit"], by["notification"]["force"]) == (
        5,
        "working days",
        "statutory guidance",
    )
    assert (by["report-sent"]["count"], by["report-sent"]["trigger"]) == (
        -7,
        "the publication (the planned date until it is published)",
    )
    assert (by["publication"]["count"], by["publication"]["unit"]) == (6, "calendar months")
    assert all(r["duty"] and r["time_limit"] and r["force"] for r in rows)


def test_changing_a_rule_applies_to_open_deadlines(cli, lcspr):
    assert milestones(cli, lcspr, "2026-01-20")["panel-response"]["due"] == "2026-02-02"
    assert cli.ok("rules", "set", "panel-reminder", "15", as_of="2026-01-21").stdout == "panel-reminder is now 15\n"
    # 15 WD after Mon 19 Jan: 20-23 (4), 26-30 (9), 2-6 Feb (14), Mon 9 Feb (15)
    assert milestones(cli, lcspr, "2026-01-21")["panel-response"]["due"] == "2026-02-09"
    # A view of a day before the change reads the setting as it stood that day (domain.md section 6).
    assert milestones(cli, lcspr, "2026-01-20")["panel-response"]["due"] == "2026-02-02"
    rows = json.loads(cli.ok("rules", "--format", "json").stdout)
    assert [r["count"] for r in rows if r["milestone"] == "panel-response"] == [15]
    decided = milestones(cli, lcspr, "2026-01-20")["rr-decision"]
    cli.ok("rules", "set", "rr-clock-start", "aware")
    # The decision was already taken: done is done, it keeps the rule it was taken under (domain.md
    # section 6); an open rapid-review clock follows the new setting (test_lifecycle_scenarios).
    assert milestones(cli, lcspr, "2026-01-20")["rr-decision"] == decided


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("panel-reminder", "-3", "would make the rule meaningless"),
        ("panel-reminder", "0", "would make the rule meaningless"),
        ("progress-interval", "monthly", "give a whole number of months"),
        ("rr-clock-start", "incident", "give one of notification, aware"),
        ("sin-deadline", "10", "no setting called 'sin-deadline'"),
    ],
)
def test_a_meaningless_rule_change_is_refused(cli, db_path, name, value, message):
    cli.ok("rules", "set", "panel-reminder", "12")
    before = snapshot(db_path)
    assert message in cli.refused("rules", "set", name, value)
    assert snapshot(db_path) == before


def test_a_case_closes_and_opens_again_as_its_steps_are_recorded(cli, db_path, lcspr):
    def listed():
        return {
            c["ref"]: int(c["state"] == "closed")
            for c in json.loads(cli.ok("list", "--format", "json", as_of="2026-08-01").stdout)
        }

    cli.ok("review", "response", lcspr, "--response", "agrees-lcspr", "--on", "30/01/2026", as_of="2026-01-30")
    cli.ok("lcspr", "send", lcspr, "--on", "01/07/2026", as_of="2026-07-01")
    assert listed() == {lcspr: 0}
    cli.ok("lcspr", "publish", lcspr, "--on", "13/07/2026", "--type", "full", "--rationale", "x", as_of="2026-07-13")
    assert listed() == {lcspr: 1}
    cli.ok(
        "action",
        "add",
        lcspr,
        "--recommendation",
        "Audit",
        "--agency",
        "Police",
        "--target",
        "30/09/2026",
        as_of="2026-07-14",
    )
    assert listed() == {lcspr: 0}
    # Every statutory step done, the action open: the nightly check still finds it (Wed 30 Sep 2026
    # target; on Fri 2 Oct 2026, overdue by 2 working days), and a day before it was added, nothing.
    overdue = json.loads(cli("overdue", "--format", "json", as_of="2026-10-02").stdout)
    assert [(r["milestone"], r["due"], r["working_days"]) for r in overdue] == [("action-1", "2026-09-30", 2)]
    assert cli("overdue", as_of="2026-07-13").exit_code == 0
    cli.ok("undo", "--yes")
    assert listed() == {lcspr: 1}
    cli.ok("correct", lcspr, "published", "none", "--reason", "Not yet published", as_of="2026-07-14")
    assert listed() == {lcspr: 0}


def test_explain_says_what_a_partnerships_setting_counts(cli, lcspr):
    """'progress-interval is 1' alone does not say 1 of what."""
    text = cli.ok("explain", lcspr, "progress-check", as_of="2026-02-20").stdout
    assert (
        "This partnership's setting progress-interval (calendar months between progress checks of a local "
        "review) is 1 ('csprcli rules set progress-interval VALUE' changes it)." in " ".join(text.split())
    )
