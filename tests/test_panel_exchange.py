"""The exchange with the Panel as it really goes (issue 19; domain.md section 6): the Panel may respond
more than once, the partners may reconsider more than once and send the rapid review again each time;
the outcome in force is the latest decision, the local review counts from the decision that started
it, and the 15-working-day figures measure the first sending.

Every date below was counted by hand against GOV.UK's England and Wales bank holidays (2026: New Year
Thu 1 Jan, Good Friday 3 Apr, Easter Monday 6 Apr)."""

import json
import sqlite3

from conftest import Cli
from test_lifecycle_scenarios import add, figures, overdue, standing


def challenged_twice(cli: Cli) -> str:
    """Aware Wed 17 Dec 2025, partners told Thu 18 Dec, notified Tue 23 Dec; no local review decided and
    sent Wed 14 Jan 2026; the Panel challenges Fri 30 Jan; reconsidered (no-lcspr again) Mon 9 Feb, sent
    again Tue 10 Feb; the Panel challenges again Thu 26 Feb; reconsidered (lcspr) Mon 2 Mar, sent again
    Tue 3 Mar."""
    ref = add(cli, "LCS-190001", "17/12/2025", as_of="2025-12-17")
    cli.ok("incident", "inform", ref, "--on", "18/12/2025", as_of="2025-12-18")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025", as_of="2025-12-23")
    cli.ok(
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
    cli.ok("review", "submit", ref, "--on", "14/01/2026", as_of="2026-01-14")
    cli.ok("review", "response", ref, "--response", "challenges", "--on", "30/01/2026", as_of="2026-01-30")
    cli.ok(
        "review",
        "decide",
        ref,
        "--outcome",
        "no-lcspr",
        "--on",
        "09/02/2026",
        "--reason",
        "Reasons added",
        as_of="2026-02-09",
    )
    again = cli.ok("review", "submit", ref, "--on", "10/02/2026", as_of="2026-02-10").stdout
    assert f"{ref}: rapid review sent to the Panel again Tue 10 Feb 2026" in again
    assert "the 15-working-day measure keeps the first sending (Wed 14 Jan 2026)" in again
    cli.ok(
        "review",
        "response",
        ref,
        "--response",
        "challenges",
        "--on",
        "26/02/2026",
        "--notes",
        "Still disagree",
        as_of="2026-02-26",
    )
    cli.ok(
        "review",
        "decide",
        ref,
        "--outcome",
        "lcspr",
        "--on",
        "02/03/2026",
        "--reason",
        "Challenge accepted",
        as_of="2026-03-02",
    )
    cli.ok("review", "submit", ref, "--on", "03/03/2026", as_of="2026-03-03")
    return ref


def test_a_decision_challenged_twice_reconsidered_twice_and_sent_again_each_time(cli):
    ref = challenged_twice(cli)
    m = standing(cli, ref, "2026-04-07")
    # The first decision and the first sending stay done on time: 15 WD after Tue 23 Dec 2025 is Fri 16 Jan.
    assert m["rr-decision"] == ("done", "2026-01-16", None) and m["rr-sent"] == ("done", "2026-01-16", None)
    # The local review counts from Mon 2 Mar 2026 (the decision in force, which started it): publication
    # 6 months on, Wed 2 Sep 2026; the first progress check a month on, Thu 2 Apr, overdue as of Tue 7 Apr
    # by 1 (Fri 3 Apr and Mon 6 Apr are bank holidays).
    assert m["publication"][:2] == ("open", "2026-09-02")
    assert m["progress-check"] == ("overdue", "2026-04-02", 1)
    # The reminder to chase the Panel counts from the latest sending, Tue 3 Mar: 10 WD is Tue 17 Mar
    # (4, 5, 6, 9-13, 16, 17); overdue as of Tue 7 Apr by 13 (18-20, 23-27, 30, 31, 1, 2 Apr, 7 Apr).
    assert m["panel-response"] == ("overdue", "2026-03-17", 13)
    code, rows = overdue(cli, "2026-04-07")
    assert code == 1 and (ref, "progress-check") in rows and (ref, "panel-response") in rows
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-04-07").stdout)[0]
    assert shown["outcome"] == "lcspr" and shown["outcome_in_force"] == "lcspr"
    assert [(s["step"], s["day"], s["response"] or s["outcome"]) for s in shown["exchange"]] == [
        ("response", "2026-01-30", "challenges"),
        ("decision", "2026-02-09", "no-lcspr"),
        ("sent", "2026-02-10", None),
        ("response", "2026-02-26", "challenges"),
        ("decision", "2026-03-02", "lcspr"),
        ("sent", "2026-03-03", None),
    ]


def test_show_lists_the_whole_exchange_in_order(cli):
    ref = challenged_twice(cli)
    out = cli.ok("show", ref, as_of="2026-03-04").stdout
    lines = [
        "Outcome",
        "Sent to the Panel",
        "Panel response 1",
        "Reconsidered decision 1",
        "Sent to the Panel again 1",
        "Panel response 2",
        "Reconsidered decision 2",
        "Sent to the Panel again 2",
        "Outcome in force",
    ]
    where = [out.index(line) for line in lines]
    assert where == sorted(where), out
    assert "challenges (Thu 26 Feb 2026): Still disagree" in out
    assert "lcspr (Mon 02 Mar 2026): Challenge accepted" in out


def test_the_reminder_to_chase_the_panel_runs_again_from_each_sending(cli):
    ref = challenged_twice(cli)
    # 10 WD after the sending again of Tue 10 Feb 2026: 11-13 (3), 16-20 (8), 23, 24 (10): Tue 24 Feb.
    assert standing(cli, ref, "2026-02-25")["panel-response"] == ("overdue", "2026-02-24", 1)
    # Between a reconsidered decision and its sending, the last sending was answered (late: 10 WD after
    # Wed 14 Jan is Wed 28 Jan: 15, 16, 19-23, 26-28; answered Fri 30 Jan): nothing more to chase.
    assert standing(cli, ref, "2026-02-09")["panel-response"][:2] == ("late", "2026-01-28")
    # As of a day before the second reconsidered decision, the decision in force was no-lcspr.
    before = standing(cli, ref, "2026-02-27")
    assert before["publication"][0] == "not required"


def test_steps_of_the_exchange_out_of_turn_are_refused(cli, db_path):
    ref = challenged_twice(cli)
    before = sqlite3.connect(db_path).execute("SELECT count(*) FROM exchange").fetchone()
    # Sent again twice for one decision; decided again without a response since.
    sent = cli.refused("review", "submit", ref, "--on", "04/03/2026", as_of="2026-03-04")
    assert "it is sent again only after a reconsidered decision" in sent
    again = cli.refused(
        "review", "decide", ref, "--outcome", "no-lcspr", "--on", "04/03/2026", "--reason", "x", as_of="2026-03-04"
    )
    assert "already reconsidered on Mon 02 Mar 2026" in again
    # A response dated before the sending it follows.
    early = cli.refused(
        "review", "response", ref, "--response", "agrees-lcspr", "--on", "02/03/2026", as_of="2026-03-04"
    )
    assert "cannot be before sending the rapid review again (Tue 03 Mar 2026)" in early
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM exchange").fetchone() == before


def test_the_figures_measure_the_first_sending_and_say_so(cli):
    ref = challenged_twice(cli)
    f = figures(cli, "--year", "2025-26", as_of="2026-03-31")
    assert f[("rapid review", "share sent within 15 working days")] == "1/1 (100%)"
    assert f[("rapid review", "sent to the Panel")] == 1
    assert f[("outcomes", "local reviews")] == 1
    rows = json.loads(cli.ok("report", "--year", "2025-26", "--format", "json", as_of="2026-03-31").stdout)
    definition = next(r["definition"] for r in rows if r["measure"] == "share sent within 15 working days")
    assert "the first sending is measured (a sending again after a reconsidered decision is not measured);" in (
        definition
    )
    decided = next(r["definition"] for r in rows if r["measure"] == "share within 15 working days")
    assert "the first decision is measured (a reconsidered decision is not measured again);" in decided
    assert "is measured is measured" not in definition + decided  # the board once read this
    assert ref


def test_a_database_of_the_earlier_schema_moves_its_panel_response_and_decisions_into_the_exchange(cli, db_path):
    """A database at 0010 (one Panel response in three columns, reconsidered decisions in a table)
    upgrades: the response is the first step, the decisions follow, and the exchange goes on from there."""
    import sqlite_utils

    from csprcli.store.migrations import migrations

    db = sqlite_utils.Database(db_path)
    migrations().apply(db, stop_before="0012_panel_exchange")
    db.execute("INSERT INTO changes (user, command) VALUES ('officer', 'csprcli incident add')")
    base = dict(
        child="LCS-190002",
        la="Walsall",
        aware="2025-12-17",
        nature="serious-harm",
        abuse="suspected",
        partners_informed="2025-12-18",
        notified="2025-12-23",
        decided="2026-01-14",
        rr_sent="2026-01-14",
    )
    db["incidents"].insert(
        dict(
            ref="SI-2025-001",
            **base,
            outcome="no-lcspr",
            reason="Learning captured",
            panel_response="challenges",
            panel_response_on="2026-01-30",
            panel_notes="Disagree",
        )
    )
    db["incidents"].insert(
        dict(ref="SI-2025-002", **base | {"child": "LCS-190003"}, outcome="lcspr", reason="Agencies")
    )
    db["decisions"].insert(dict(incident_id=1, decided="2026-02-09", outcome="lcspr", reason="Challenge accepted"))
    db.conn.commit()
    db.conn.close()
    cli.ok("db", "upgrade", as_of="2026-02-10")
    shown = json.loads(cli.ok("show", "SI-2025-001", "--format", "json", as_of="2026-02-10").stdout)[0]
    assert [(s["step"], s["day"]) for s in shown["exchange"]] == [
        ("response", "2026-01-30"),
        ("decision", "2026-02-09"),
    ]
    assert shown["exchange"][0]["notes"] == "Disagree" and shown["outcome_in_force"] == "lcspr"
    # The local review counts from Mon 9 Feb 2026: publication Sun 9 Aug 2026.
    assert standing(cli, "SI-2025-001", "2026-02-10")["publication"][:2] == ("open", "2026-08-09")
    assert json.loads(cli.ok("show", "SI-2025-002", "--format", "json", as_of="2026-02-10").stdout)[0]["exchange"] == []
    columns = {r[1] for r in sqlite3.connect(db_path).execute("PRAGMA table_info(incidents)")}
    assert not columns & {"panel_response", "panel_response_on", "panel_notes"}
    cli.ok("review", "submit", "SI-2025-001", "--on", "10/02/2026", as_of="2026-02-10")
    cli.ok("review", "response", "SI-2025-001", "--response", "agrees-lcspr", "--on", "20/02/2026", as_of="2026-02-20")
    history = cli.ok("history", "SI-2025-001", as_of="2026-02-20").stdout
    assert "exchange with the Panel: response agrees-lcspr of 2026-02-20 recorded" in history


def test_correct_changes_the_panels_latest_response_and_an_import_keeps_its_response(cli, tmp_path):
    ref = challenged_twice(cli)
    out = cli.ok(
        "correct", ref, "panel-response-on", "27/02/2026", "--reason", "Typed a day early", as_of="2026-03-04"
    ).stdout
    assert out == f"{ref}: panel-response-on corrected to Fri 27 Feb 2026 (was Thu 26 Feb 2026)\n"
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-03-04").stdout)[0]
    assert [s["day"] for s in shown["exchange"] if s["step"] == "response"] == ["2026-01-30", "2026-02-27"]
    # A correction that would put the response after the decision it reopened is refused.
    late = cli.refused("correct", ref, "panel-response-on", "03/03/2026", "--reason", "x", as_of="2026-03-04")
    assert "cannot be before the Panel's response (Tue 03 Mar 2026)" in late
    file = tmp_path / "one.csv"
    file.write_text(
        "child,la,aware,nature,abuse,notified,partners_informed,decided,outcome,reason,rr_sent,panel_response,panel_response_on\n"
        "LCS-190009,Walsall,03/03/2025,serious-harm,suspected,07/03/2025,05/03/2025,24/03/2025,no-lcspr,Learning,"
        "26/03/2025,accepts-no-lcspr,07/04/2025\n",
        encoding="utf-8",
    )
    cli.ok("import", str(file), as_of="2026-03-04")
    imported = json.loads(cli.ok("show", "SI-2025-002", "--format", "json", as_of="2026-03-04").stdout)[0]
    assert [(s["step"], s["day"], s["response"]) for s in imported["exchange"]] == [
        ("response", "2025-04-07", "accepts-no-lcspr")
    ]


def test_a_reconsidered_local_review_counts_its_steps_from_the_decision_that_started_it(cli: Cli):
    """The local review of challenged_twice started with the decision of Mon 2 Mar 2026, not the first
    decision (Wed 14 Jan, no local review): a pause, a planned publication or a revised target dated
    before 2 Mar is before the review existed. Before the fix each was checked against 14 Jan and
    accepted."""
    ref = challenged_twice(cli)
    said = "(Mon 02 Mar 2026)"
    for args in (
        ("lcspr", "pause", ref, "--on", "20/02/2026", "--reason", "Trial", "--agreed-by", "Chair"),
        ("lcspr", "plan", ref, "--publication", "27/02/2026"),
    ):
        error = cli.refused(*args, as_of="2026-03-04")
        assert "before the decision" in error and said in error, error
    cli.ok("lcspr", "plan", ref, "--publication", "30/09/2026", as_of="2026-03-04")
    error = cli.refused(
        "revise", ref, "publication", "--to", "27/02/2026", "--reason", "Trial", "--agreed-by", "Chair",
        as_of="2026-03-04",
    )  # fmt: skip
    assert "before the decision" in error and said in error, error
    # The same days from 2 Mar on are the review's own.
    cli.ok("lcspr", "pause", ref, "--on", "02/03/2026", "--reason", "Trial", "--agreed-by", "Chair", as_of="2026-03-04")


def test_an_action_counts_from_the_decision_in_force(cli: Cli):
    """An action from the review's recommendations cannot be due before the decision in force (Mon 2
    Mar 2026 in challenged_twice); before the fix the first decision (14 Jan) was the bound."""
    ref = challenged_twice(cli)
    error = cli.refused(
        "action", "add", ref, "--recommendation", "Joint training", "--agency", "Police", "--target", "27/02/2026",
        as_of="2026-03-04",
    )  # fmt: skip
    assert "before the decision (Mon 02 Mar 2026)" in error, error
    cli.ok(
        "action", "add", ref, "--recommendation", "Joint training", "--agency", "Police", "--target", "02/03/2026",
        as_of="2026-03-04",
    )  # fmt: skip


def test_show_gives_the_outcome_in_force_of_a_case_never_reconsidered(cli):
    """The outcome in force is the latest decision, the first one when it was never reconsidered:
    show said "-" there, which reads as "no outcome in force"."""
    ref = add(cli, "LCS-190002", "17/12/2025", as_of="2025-12-17")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025", as_of="2025-12-23")
    cli.ok(
        "review", "decide", ref, "--outcome", "lcspr", "--on", "14/01/2026", "--reason", "Learning",
        as_of="2026-01-14",
    )  # fmt: skip
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-01-15").stdout)[0]
    assert shown["outcome"] == "lcspr"
    out = cli.ok("show", ref, as_of="2026-01-15").stdout
    [line] = [line for line in out.splitlines() if line.startswith("Outcome in force")]
    assert line.split()[-1] == "lcspr", line
    undecided = add(cli, "LCS-190003", "17/12/2025", as_of="2025-12-17")
    out = cli.ok("show", undecided, as_of="2026-01-15").stdout
    [line] = [line for line in out.splitlines() if line.startswith("Outcome in force")]
    assert line.split()[-1] == "-", line
