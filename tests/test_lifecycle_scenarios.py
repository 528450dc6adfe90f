"""Whole-life scenarios, each named after what it shows, driven through the CLI as an officer would.

Every expected date, status and figure below was worked out by hand (the counting is in the
comments), against England and Wales bank holidays as GOV.UK lists them
(tests/data/ew_bank_holidays.csv): 2025 Christmas Thu 25 and Boxing Day Fri 26 Dec; 2026 New
Year Thu 1 Jan, Good Friday 3 Apr, Easter Monday 6 Apr, Early May Mon 4 May, Spring Mon 25 May,
Summer Mon 31 Aug. "Within N working days of D" leaves D out; overdue from the day after the due
date; "overdue by K" counts working days after the due date up to the as-of date.
"""

import json

from conftest import Cli

LA = ["--la", "Walsall"]


def add(
    cli: Cli, child: str, aware: str, *extra: str, as_of: str, nature: str = "serious-harm", abuse: str = "suspected"
) -> str:
    result = cli.ok(
        "incident",
        "add",
        "--child",
        child,
        *LA,
        "--aware",
        aware,
        "--nature",
        nature,
        "--abuse",
        abuse,
        *extra,
        as_of=as_of,
    )
    return result.stdout.split(":")[0]


def clocks(cli: Cli, ref: str, as_of: str) -> dict[str, dict]:
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of=as_of).stdout)[0]
    return {m["milestone"]: m for m in shown["milestones"]}


def standing(cli: Cli, ref: str, as_of: str) -> dict[str, tuple]:
    """Each milestone as (status, due, working days)."""
    return {m: (c["status"], c["due"], c["working_days"]) for m, c in clocks(cli, ref, as_of).items()}


def in_words(cli: Cli, ref: str, milestone: str, as_of: str) -> str:
    """What `explain` says of the milestone on the day: its last line."""
    return cli.ok("explain", ref, milestone, as_of=as_of).stdout.splitlines()[-1]


def overdue(cli: Cli, as_of: str) -> tuple[int, list[tuple[str, str]]]:
    result = cli("overdue", "--format", "json", as_of=as_of)
    assert result.exit_code in (0, 1), result.stderr
    rows = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, [(r["ref"], r["milestone"]) for r in rows]


def figures(cli: Cli, *args: str, as_of: str) -> dict:
    rows = json.loads(cli.ok("report", *args, "--format", "json", as_of=as_of).stdout)
    return {(r["section"], r["measure"]): r["value"] if r["kind"] in ("count", "days") else r["text"] for r in rows}


def to_local_review(cli: Cli, child: str, *, decided: str = "19/01/2026", outcome: str = "lcspr") -> str:
    """Aware Wed 17 Dec 2025, partners told Thu 18 Dec, notified Tue 23 Dec (within 5 WD: 18, 19, 22, 23),
    a local review decided and the rapid review sent on `decided`."""
    ref = add(cli, child, "17/12/2025", as_of="2025-12-17")
    cli.ok("incident", "inform", ref, "--on", "18/12/2025", as_of="2025-12-18")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025", as_of="2025-12-23")
    day = "-".join(reversed(decided.split("/")))
    cli.ok(
        "review",
        "decide",
        ref,
        "--outcome",
        outcome,
        "--on",
        decided,
        "--reason",
        "Agencies did not work together",
        as_of=day,
    )
    cli.ok("review", "submit", ref, "--on", decided, as_of=day)
    return ref


# -- 1. the final report's notice, against the actual publication ----------------------------------


def test_the_reports_notice_is_owed_before_the_actual_publication_not_the_plan(cli):
    ref = to_local_review(cli, "LCS-100001")
    cli.ok("review", "response", ref, "--response", "agrees-lcspr", "--on", "30/01/2026", as_of="2026-01-30")
    cli.ok("lcspr", "plan", ref, "--publication", "01/06/2026", as_of="2026-02-02")
    # Planned Mon 1 Jun 2026: 7 WD back, the Spring bank holiday (Mon 25 May) skipped:
    # Fri 29 (1), Thu 28 (2), Wed 27 (3), Tue 26 (4), Fri 22 (5), Thu 21 (6), Wed 20 May (7).
    assert clocks(cli, ref, "2026-02-02")["report-sent"]["due"] == "2026-05-20"
    cli.ok("lcspr", "send", ref, "--on", "20/05/2026", as_of="2026-05-20")
    assert standing(cli, ref, "2026-05-21")["report-sent"] == ("done", "2026-05-20", None)
    # Published early, on Fri 22 May: the notice was owed 7 WD before it: Thu 21 (1), Wed 20 (2),
    # Tue 19 (3), Mon 18 (4), Fri 15 (5), Thu 14 (6), Wed 13 May (7). Sent Wed 20 May: late by
    # 14, 15, 18, 19, 20 = 5 working days.
    cli.ok("lcspr", "publish", ref, "--on", "22/05/2026", "--type", "full", "--rationale", "Agreed", as_of="2026-05-22")
    assert standing(cli, ref, "2026-05-22")["report-sent"] == ("late", "2026-05-13", 5)
    # As of the day before publication, the publication had not happened: measured against the plan.
    assert standing(cli, ref, "2026-05-21")["report-sent"] == ("done", "2026-05-20", None)


def test_the_reports_notice_with_no_plan_is_measured_against_the_publication(cli):
    ref = to_local_review(cli, "LCS-100002")
    cli.ok("lcspr", "send", ref, "--on", "20/05/2026", as_of="2026-05-20")
    assert standing(cli, ref, "2026-05-21")["report-sent"] == ("done", None, None)  # nothing to measure yet
    cli.ok("lcspr", "publish", ref, "--on", "22/05/2026", "--type", "full", "--rationale", "Agreed", as_of="2026-05-22")
    # as above: due Wed 13 May, sent Wed 20 May, late by 5
    assert standing(cli, ref, "2026-05-25")["report-sent"] == ("late", "2026-05-13", 5)


# -- 2. a reconsidered decision ---------------------------------------------------------------------


def test_a_reconsidered_decision_is_recorded_in_its_own_right_and_starts_the_local_review(cli):
    ref = to_local_review(cli, "LCS-100003", decided="14/01/2026", outcome="no-lcspr")
    # rr-decision: 15 WD after Tue 23 Dec 2025: 24 (1), 29, 30, 31 (4), 2 Jan (5), 5-9 (10), 12-16 (15): Fri 16 Jan.
    assert standing(cli, ref, "2026-01-14")["rr-decision"] == ("done", "2026-01-16", None)
    before = cli.refused(
        "review",
        "decide",
        ref,
        "--outcome",
        "lcspr",
        "--on",
        "20/01/2026",
        "--reason",
        "Changed mind",
        as_of="2026-01-20",
    )
    assert "only after the Panel challenges it" in before
    cli.ok("review", "response", ref, "--response", "challenges", "--on", "30/01/2026", as_of="2026-01-30")
    result = cli.ok(
        "review",
        "decide",
        ref,
        "--outcome",
        "lcspr",
        "--on",
        "16/02/2026",
        "--reason",
        "The Panel's challenge accepted",
        as_of="2026-02-16",
    )
    assert f"{ref}: reconsidered decision (lcspr) recorded Mon 16 Feb 2026" in result.stdout
    assert "the first decision (no-lcspr, Wed 14 Jan 2026) stays on the record" in result.stdout
    m = standing(cli, ref, "2026-02-17")
    # The first decision's clock stays done on time; the local review counts from Mon 16 Feb 2026:
    # publication 6 calendar months later, Sun 16 Aug 2026; the first progress check a month later, Mon 16 Mar.
    assert m["rr-decision"] == ("done", "2026-01-16", None)
    assert m["publication"][1] == "2026-08-16" and m["progress-check"][1] == "2026-03-16"
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-02-17").stdout)[0]
    assert shown["outcome"] == "lcspr"
    assert [(d["decided"], d["outcome"]) for d in shown["decisions"]] == [("2026-02-16", "lcspr")]
    history = cli.ok("history", ref, as_of="2026-02-17").stdout
    assert "outcome: (none) -> no-lcspr" in history and "decision" in history
    # Once reconsidered, a second reconsideration needs another Panel response.
    again = cli.refused(
        "review", "decide", ref, "--outcome", "no-lcspr", "--on", "17/02/2026", "--reason", "x", as_of="2026-02-17"
    )
    assert "already reconsidered" in again
    # As of a day before the reconsidered decision, there was no local review.
    assert standing(cli, ref, "2026-02-13")["publication"][0] == "not required"


def test_after_more_information_a_decision_that_stays_lcspr_keeps_its_start(cli):
    ref = to_local_review(cli, "LCS-100004")  # decided on a local review Mon 19 Jan 2026
    cli.ok("review", "response", ref, "--response", "more-information", "--on", "30/01/2026", as_of="2026-01-30")
    cli.ok(
        "review", "decide", ref, "--outcome", "lcspr", "--on", "09/02/2026", "--reason", "Confirmed", as_of="2026-02-09"
    )
    # The review started with the first decision: publication Sun 19 Jul 2026, not 9 Aug.
    assert clocks(cli, ref, "2026-02-10")["publication"]["due"] == "2026-07-19"


# -- 3. a closure recorded afterwards never rewrites a national deadline --------------------------


def test_a_closure_recorded_afterwards_never_turns_a_late_notification_on_time(cli):
    late = add(cli, "LCS-100005", "17/12/2025", as_of="2025-12-17")
    cli.ok("incident", "notify", late, "--on", "29/12/2025", as_of="2025-12-29")
    # due Wed 24 Dec (18, 19, 22, 23, 24); done Mon 29 Dec: 25, 26 bank holidays, 27-28 weekend: late by 1
    assert standing(cli, late, "2026-01-05")["notification"] == ("late", "2025-12-24", 1)
    on_time = add(cli, "LCS-100006", "19/12/2025", as_of="2025-12-19")
    cli.ok("incident", "notify", on_time, "--on", "30/12/2025", as_of="2025-12-30")
    # due Tue 30 Dec (22, 23, 24, [25, 26], 29, 30)
    assert standing(cli, on_time, "2026-01-05")["notification"] == ("done", "2025-12-30", None)
    # Months later the officer records the Christmas closure days.
    for day in ("22/12/2025", "29/12/2025"):
        cli.ok("calendar", "close", day, "--reason", "Christmas closure", as_of="2026-11-02")
    assert standing(cli, late, "2026-11-02")["notification"] == ("late", "2025-12-24", 1)
    assert standing(cli, on_time, "2026-11-02")["notification"] == ("done", "2025-12-30", None)
    f = figures(cli, "--from", "01/12/2025", "--to", "31/12/2025", as_of="2026-11-02")
    assert f[("notification", "share within 5 working days")] == "1/2 (50%)"
    explained = cli.ok("explain", late, "notification", as_of="2026-11-02").stdout
    assert "closure days never move a national clock" in explained
    assert "Christmas closure" not in explained


def test_closures_move_the_local_reminders_only(cli):
    ref = to_local_review(cli, "LCS-100007")  # sent to the Panel Mon 19 Jan 2026
    # Panel reminder, 10 WD: 20-23 Jan (4), 26-30 (9), Mon 2 Feb (10). rr-sent: 15 WD after Tue 23 Dec is Fri 16 Jan.
    m = clocks(cli, ref, "2026-01-20")
    assert (m["panel-response"]["due"], m["rr-sent"]["due"]) == ("2026-02-02", "2026-01-16")
    cli.ok("calendar", "close", "21/01/2026", "--reason", "Staff training", as_of="2026-01-20")
    cli.ok("calendar", "close", "02/01/2026", "--reason", "Christmas closure", as_of="2026-01-20")
    m = clocks(cli, ref, "2026-01-20")
    assert (m["panel-response"]["due"], m["rr-sent"]["due"]) == ("2026-02-03", "2026-01-16")
    rules = {r["milestone"]: r for r in json.loads(cli.ok("rules", "--format", "json").stdout)}
    assert rules["panel-response"]["closures"].startswith("counted")
    assert rules["notification"]["closures"].startswith("never counted")


# -- 4. a pause never hides a missed target; resuming moves nothing by itself ------------------------


def test_a_pause_after_the_target_was_missed_keeps_it_overdue_and_the_nightly_check_fails(cli):
    ref = to_local_review(cli, "LCS-100008")
    cli.ok("review", "response", ref, "--response", "agrees-lcspr", "--on", "30/01/2026", as_of="2026-01-30")
    for day in ("19/02/2026", "19/03/2026", "17/04/2026", "19/05/2026", "19/06/2026", "17/07/2026"):
        cli.ok("lcspr", "check", ref, "--on", day, "--rag", "amber", as_of="-".join(reversed(day.split("/"))))
    # Publication: Mon 19 Jan 2026 + 6 months = Sun 19 Jul 2026. Paused Mon 3 Aug, after it was missed.
    cli.ok(
        "lcspr",
        "pause",
        ref,
        "--on",
        "03/08/2026",
        "--reason",
        "Criminal trial",
        "--agreed-by",
        "Chair",
        as_of="2026-08-03",
    )
    m = standing(cli, ref, "2026-08-04")
    # overdue by Jul 20-24 (5), 27-31 (10), Aug 3, 4 (12)
    assert m["publication"] == ("overdue", "2026-07-19", 12)
    # the progress check of Fri 17 Jul is next due Mon 17 Aug: still running when paused, so stopped
    assert m["progress-check"][0] == "paused"
    code, rows = overdue(cli, "2026-08-04")
    assert code == 1 and rows == [(ref, "publication")]
    result = cli.ok("lcspr", "resume", ref, "--on", "07/09/2026", as_of="2026-09-07")
    # 3 Aug to 7 Sep is 35 days (31 to 3 Sep, 4 more); Sun 19 Jul + 35 days = Sun 23 Aug 2026
    assert f"csprcli revise {ref} publication --to 23/08/2026" in result.stdout
    assert "the publication target stays Sun 19 Jul 2026" in result.stdout
    assert clocks(cli, ref, "2026-09-08")["publication"]["due"] == "2026-07-19"


# -- 5. a national review replaces the local review -------------------------------------------------


def test_a_national_review_makes_the_local_clocks_not_required_until_the_partners_decide_a_local_review(cli):
    ref = to_local_review(cli, "LCS-100009")
    cli.ok("review", "response", ref, "--response", "national-review", "--on", "30/01/2026", as_of="2026-01-30")
    m = standing(cli, ref, "2026-09-01")
    assert {m[k][0] for k in ("progress-check", "report-sent", "publication")} == {"not required"}
    assert overdue(cli, "2026-09-01") == (0, [])
    listed = json.loads(cli.ok("list", "--format", "json", as_of="2026-09-01").stdout)
    assert listed[0]["state"] == "closed"
    assert "national review" in cli.refused("lcspr", "plan", ref, "--publication", "01/10/2026", as_of="2026-09-01")
    # The partners decide to hold a local review as well, on Mon 16 Feb 2026: it counts from then,
    # publication due Sun 16 Aug 2026, overdue on Tue 1 Sep by 17-21 (5), 24-28 (10), [31 Aug], 1 Sep (11).
    cli.ok(
        "review",
        "decide",
        ref,
        "--outcome",
        "lcspr",
        "--on",
        "16/02/2026",
        "--reason",
        "Local learning too",
        as_of="2026-02-16",
    )
    assert standing(cli, ref, "2026-09-01")["publication"] == ("overdue", "2026-08-16", 11)


# -- 6. abuse corrected to none ------------------------------------------------------------------------


def test_a_looked_after_childs_death_corrected_to_no_abuse_closes_the_rapid_review_clocks(cli):
    ref = add(cli, "LCS-100010", "02/03/2026", "--looked-after", nature="death", as_of="2026-03-02")
    cli.ok("incident", "notify", ref, "--on", "04/03/2026", as_of="2026-03-04")
    m = standing(cli, ref, "2026-04-01")
    # partners told: 5 WD after Mon 2 Mar is Mon 9 Mar; rr-decision: 15 WD after Wed 4 Mar:
    # 5, 6 (2), 9-13 (7), 16-20 (12), 23, 24, 25 (15): Wed 25 Mar; overdue on 1 Apr by 26, 27, 30, 31, 1 (5)
    assert m["rr-decision"] == ("overdue", "2026-03-25", 5) and m["partners-informed"][0] == "overdue"
    result = cli.ok(
        "correct", ref, "abuse", "none", "--reason", "Natural causes found at post-mortem", as_of="2026-04-01"
    )
    assert result.stdout == f"{ref}: abuse corrected to none (was suspected)\n"
    m = standing(cli, ref, "2026-04-01")
    assert {m[k][0] for k in ("partners-informed", "rr-decision", "rr-sent", "panel-response")} == {"not required"}
    assert m["notification"][0] == "done"
    assert overdue(cli, "2026-04-01") == (0, [])
    explained = cli.ok("explain", ref, "notification", as_of="2026-04-01").stdout
    assert "s16C" not in explained and "Secretary of State and Ofsted" in explained
    other = add(cli, "LCS-100011", "02/03/2026", as_of="2026-03-02")
    assert "only for the death of a looked-after child" in cli.refused(
        "correct", other, "abuse", "none", "--reason", "x", as_of="2026-04-01"
    )


# -- 7. due today only on the due date ----------------------------------------------------------------


def test_due_today_only_on_the_due_date_and_days_left_otherwise(cli):
    ref = to_local_review(cli, "LCS-100012")  # publication due Sun 19 Jul 2026
    assert in_words(cli, ref, "publication", "2026-07-16").endswith("open, 1 working day left.")  # Fri 17
    assert in_words(cli, ref, "publication", "2026-07-17").endswith(
        "open, no working day left (due in 2 calendar days)."
    )
    assert in_words(cli, ref, "publication", "2026-07-18").endswith(
        "open, no working day left (due in 1 calendar day)."
    )
    assert in_words(cli, ref, "publication", "2026-07-19").endswith(": due today.")
    assert in_words(cli, ref, "publication", "2026-07-20").endswith("overdue by 1 working day.")
    # The report's notice, publication planned Mon 20 Jul 2026, 7 WD back: Fri 17 (1), Thu 16 (2), Wed 15 (3),
    # Tue 14 (4), Mon 13 (5), Fri 10 (6), Thu 9 Jul (7). On Fri 10 Jul, the day after, it is overdue by 1.
    # On the Saturday after a Friday target it is overdue, with no working day since.
    cli.ok("lcspr", "plan", ref, "--publication", "20/07/2026", as_of="2026-07-01")
    assert in_words(cli, ref, "report-sent", "2026-07-09").endswith(": due today.")
    assert in_words(cli, ref, "report-sent", "2026-07-10").endswith("overdue by 1 working day.")
    assert in_words(cli, other_friday(cli), "notification", "2026-01-10").endswith(
        "overdue (no working day since the due date)."
    )
    other = add(cli, "LCS-100013", "17/12/2025", as_of="2025-12-17")  # notification due Wed 24 Dec
    assert in_words(cli, other, "notification", "2025-12-23").endswith("open, 1 working day left.")
    assert in_words(cli, other, "notification", "2025-12-24").endswith(": due today.")


def other_friday(cli) -> str:
    """A case aware Fri 2 Jan 2026: notification due Fri 9 Jan (5, 6, 7, 8, 9)."""
    return add(cli, "LCS-100030", "02/01/2026", as_of="2026-01-02")


# -- 8. not published is a decision, not a publication ----------------------------------------------------


def test_not_published_is_a_decision_with_a_rationale_and_no_removal_date(cli):
    ref = to_local_review(cli, "LCS-100014")
    cli.ok("lcspr", "send", ref, "--on", "01/07/2026", as_of="2026-07-01")  # the report still goes to the Panel
    result = cli.ok(
        "lcspr",
        "publish",
        ref,
        "--on",
        "13/07/2026",
        "--type",
        "not-published",
        "--rationale",
        "Risk to siblings",
        as_of="2026-07-13",
    )
    assert "decision not to publish recorded Mon 13 Jul 2026" in result.stdout
    assert "keep it available" not in result.stdout
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-07-14").stdout)[0]
    assert shown["removal_earliest"] is None
    assert clocks(cli, ref, "2026-07-14")["publication"]["status"] == "not published"
    f = figures(cli, "--from", "01/12/2025", "--to", "31/12/2025", as_of="2026-07-14")
    assert (f[("outcomes", "published")], f[("outcomes", "decided not to publish")]) == (0, 1)
    assert f[("local reviews", "published within 6 months, against the original target")] == "-"
    feed = cli.ok("export", "--format", "ics", as_of="2026-07-14").stdout
    event = feed.split(f"UID:{ref}-publication-")[1].split("END:VEVENT")[0]
    assert "STATUS:CANCELLED" in event  # no longer a deadline in the officer's calendar


# -- 9. the yearly figures count what was not done ----------------------------------------------------------


def yearly_cases(cli) -> tuple[str, str, str]:
    # A: aware Mon 2 Jun 2025; notified Wed 4 Jun (due Mon 9 Jun: 3, 4, 5, 6, 9), on time, 2 WD.
    # rr-decision due 15 WD after Wed 4 Jun: 5, 6 (2), 9-13 (7), 16-20 (12), 23, 24, 25 (15): Wed 25 Jun;
    # decided on a local review Mon 23 Jun: on time. Publication: 23 Jun + 6 months = Tue 23 Dec 2025,
    # revised on 1 Dec 2025 to Fri 27 Feb 2026; planned Mon 23 Feb 2026, so the notice is due 7 WD back:
    # Fri 20 (1), 19, 18, 17, 16 (5), Fri 13 (6), Thu 12 Feb (7); sent Mon 9 Feb, on time; published Mon 23 Feb.
    a = add(cli, "LCS-200001", "02/06/2025", as_of="2025-06-02")
    cli.ok("incident", "inform", a, "--on", "04/06/2025", as_of="2025-06-04")
    cli.ok("incident", "notify", a, "--on", "04/06/2025", as_of="2025-06-04")
    cli.ok(
        "review",
        "decide",
        a,
        "--outcome",
        "lcspr",
        "--on",
        "23/06/2025",
        "--reason",
        "Criteria met",
        as_of="2025-06-23",
    )
    cli.ok("review", "submit", a, "--on", "23/06/2025", as_of="2025-06-23")
    cli.ok("review", "response", a, "--response", "agrees-lcspr", "--on", "07/07/2025", as_of="2025-07-07")
    cli.ok(
        "revise",
        a,
        "publication",
        "--to",
        "27/02/2026",
        "--reason",
        "Inquest",
        "--agreed-by",
        "Chair",
        as_of="2025-12-01",
    )
    cli.ok("lcspr", "plan", a, "--publication", "23/02/2026", as_of="2026-01-05")
    cli.ok("lcspr", "send", a, "--on", "09/02/2026", as_of="2026-02-09")
    cli.ok("lcspr", "publish", a, "--on", "23/02/2026", "--type", "full", "--rationale", "Agreed", as_of="2026-02-23")
    # B: aware Mon 1 Sep 2025; due Mon 8 Sep (2, 3, 4, 5, 8); notified Tue 9 Sep: late, 6 WD. Never decided:
    # rr-decision due 15 WD after Tue 9 Sep: 10-12 (3), 15-19 (8), 22-26 (13), 29, 30 (15): Tue 30 Sep.
    b = add(cli, "LCS-200002", "01/09/2025", as_of="2025-09-01")
    cli.ok("incident", "notify", b, "--on", "09/09/2025", as_of="2025-09-09")
    # C: aware Mon 1 Dec 2025, never notified: due Mon 8 Dec.
    c = add(cli, "LCS-200003", "01/12/2025", as_of="2025-12-01")
    return a, b, c


def test_the_yearly_shares_count_every_case_whose_clock_fell_due(cli):
    yearly_cases(cli)
    f = figures(cli, "--year", "2025-26", as_of="2026-03-31")
    # notification: A on time, B late, C not made (counts against): 1 of 3, 1 outstanding
    assert f[("notification", "share within 5 working days")] == "1/3 (33%), 1 outstanding"
    assert f[("notification", "notifications made")] == 2
    assert f[("notification", "median working days to notify")] == "4 (n=2, 2 to 6)"  # of 2 and 6
    # rapid review: A on time; B due Tue 30 Sep and not decided; C's clock never started
    assert f[("rapid review", "share within 15 working days")] == "1/2 (50%), 1 outstanding"
    assert f[("local reviews", "reports sent at least 7 working days before publication")] == "1/1 (100%)"
    # A published Mon 23 Feb 2026: after the original Tue 23 Dec 2025, before the revised Fri 27 Feb
    assert f[("local reviews", "published within 6 months, against the original target")] == "0/1 (0%)"
    assert f[("local reviews", "published within 6 months, against the revised target")] == "1/1 (100%)"


# -- 10. --as-of is a view of the past ---------------------------------------------------------------------


def test_as_of_a_past_day_shows_what_was_known_by_its_end(cli):
    a, b, c = yearly_cases(cli)
    # On Fri 5 Sep 2025, B's notification (made Tue 9 Sep) had not happened: open, due Mon 8 Sep,
    # 1 working day left; C (aware 1 Dec) was not known at all.
    assert standing(cli, b, "2025-09-05")["notification"] == ("open", "2025-09-08", 1)
    listed = [r["ref"] for r in json.loads(cli.ok("list", "--format", "json", as_of="2025-09-05").stdout)]
    assert listed == [a, b]
    assert "was not known on Fri 05 Sep 2025" in cli.refused("show", c, as_of="2025-09-05")
    # On Tue 9 Dec 2025: C's notification and telling the partners (due Mon 8 Dec) were overdue by 1;
    # B's partners (due Mon 8 Sep) and its rapid review (decision and sending, due Tue 30 Sep) overdue;
    # A's first progress check (Wed 23 Jul 2025, a month after the decision) never recorded; A's
    # publication (due Tue 23 Dec, revised on 1 Dec to Fri 27 Feb) still open.
    code, rows = overdue(cli, "2025-12-09")
    assert code == 1 and set(rows) == {
        (c, "notification"),
        (c, "partners-informed"),
        (b, "partners-informed"),
        (b, "rr-decision"),
        (b, "rr-sent"),
        (a, "progress-check"),
    }
    assert standing(cli, c, "2025-12-09")["notification"] == ("overdue", "2025-12-08", 1)
    # A report as of 31 Dec 2025 is the one the partnership would have printed then: A's publication
    # had fallen due against its original target (Tue 23 Dec) and was outstanding; the revised one had not.
    f = figures(cli, "--year", "2025-26", as_of="2025-12-31")
    assert f[("local reviews", "published within 6 months, against the original target")] == "0/1 (0%), 1 outstanding"
    assert f[("local reviews", "published within 6 months, against the revised target")] == "-"
    assert f[("outcomes", "published")] == 0
    assert f[("notification", "share within 5 working days")] == "1/3 (33%), 1 outstanding"


# -- 11. the same incident twice -------------------------------------------------------------------------------


def test_the_same_child_and_aware_date_twice_is_refused_unless_allowed(cli, db_path):
    first = add(cli, "LCS-100015", "05/01/2026", as_of="2026-01-05")
    message = cli.refused(
        "incident",
        "add",
        "--child",
        "LCS-100015",
        *LA,
        "--aware",
        "05/01/2026",
        "--nature",
        "serious-harm",
        "--abuse",
        "known",
        as_of="2026-01-06",
    )
    assert first in message and "--allow-duplicate" in message and "LCS-100015" not in message
    assert [r["ref"] for r in json.loads(cli.ok("list", "--format", "json", as_of="2026-01-06").stdout)] == [first]
    second = add(cli, "LCS-100015", "05/01/2026", "--allow-duplicate", as_of="2026-01-06")
    assert second == "SI-2026-002"


# -- 12. forces, duties and time limits ---------------------------------------------------------------------------


def test_each_clock_is_labelled_by_where_its_time_limit_comes_from(cli, no_database_named):
    rules = {r["milestone"]: r for r in json.loads(cli.ok("rules", "--format", "json").stdout)}
    assert {m: r["force"] for m, r in rules.items()} == {
        "notification": "statutory guidance",
        "partners-informed": "statutory guidance",
        "rr-decision": "Panel guidance",
        "rr-sent": "Panel guidance",
        "panel-response": "local",
        "progress-check": "local",
        "report-sent": "statutory guidance",
        "publication": "statutory guidance",
        "action-N": "local",
        "kept-available": "statutory guidance",
    }
    assert rules["notification"]["duty"].startswith("Children Act 2004 s16C")
    assert "s16C" not in rules["notification"]["time_limit"] and "5 working days" in rules["notification"]["time_limit"]
    assert rules["publication"]["duty"].startswith("Children Act 2004 s16F")
    assert "6 months" in rules["publication"]["time_limit"] and "s16F" not in rules["publication"]["time_limit"]
    table = cli.ok("rules").stdout
    assert "  Force of the time limit: Panel guidance" in table and "  Time limit: " in table and "  Duty: " in table
    ref = add(cli, "LCS-100016", "05/01/2026", as_of="2026-01-05")
    explained = cli.ok("explain", ref, "notification", as_of="2026-01-05").stdout.splitlines()
    assert "Force of the time limit: statutory guidance." in explained
    assert any(line.startswith("Duty: Children Act 2004 s16C") for line in explained)
    assert any(line.startswith("Time limit: Working Together to Safeguard Children 2023") for line in explained)


# -- other findings ---------------------------------------------------------------------------------------------------


def test_correcting_looked_after_says_which_child(cli):
    ref = add(cli, "LCS-100017", "05/01/2026", as_of="2026-01-05")
    cli.ok("child", "add", ref, "--child", "LCS-100018", as_of="2026-01-05")
    result = cli.ok("correct", ref, "looked-after", "yes", "--reason", "Was in care", as_of="2026-01-06")
    assert result.stdout == (
        f"{ref}: looked-after corrected to yes (was no)\n"
        f"{ref}: looked after at the time is now yes for the primary child, LCS-100017; the other children "
        "(LCS-100018) keep their own record ('csprcli child describe')\n"
    )


def test_a_future_as_of_is_refused_for_a_command_that_records(cli, db_path, monkeypatch):
    from csprcli.cli.base import london_today

    today = london_today()
    future = today.replace(year=today.year + 1).isoformat()
    message = cli.refused(
        *"incident add --child LCS-100019 --la Walsall --aware 05/01/2026".split(),
        "--nature",
        "serious-harm",
        "--abuse",
        "known",
        as_of=future,
    )
    assert "is after today" in message and not db_path.exists()
    ref = add(cli, "LCS-100019", "05/01/2026", as_of="2026-01-05")
    before = db_path.read_bytes()
    assert "is after today" in cli.refused("incident", "notify", ref, "--on", "06/01/2026", as_of=future)
    monkeypatch.setenv("CSPRCLI_AS_OF", future)
    result = Cli().runner.invoke(
        __import__("csprcli.cli", fromlist=["app"]).app, ["incident", "inform", ref, "--on", "06/01/2026"]
    )
    assert result.exit_code == 2 and "CSPRCLI_AS_OF" in result.stderr
    assert db_path.read_bytes() == before
    # reading as of a future day is allowed: what will be overdue then
    assert overdue(cli, future)[0] == 1


# -- more whole lives ---------------------------------------------------------------------------------------------------


def test_a_late_notification_is_late_for_ever_and_the_rapid_review_counts_from_it(cli):
    ref = add(cli, "LCS-100020", "05/01/2026", as_of="2026-01-05")
    # due Mon 12 Jan (6, 7, 8, 9, 12); made Wed 14 Jan: late by 13, 14 = 2
    assert standing(cli, ref, "2026-01-13")["notification"] == ("overdue", "2026-01-12", 1)
    cli.ok("incident", "notify", ref, "--on", "14/01/2026", as_of="2026-01-14")
    # rr-decision: 15 WD after Wed 14 Jan: 15, 16 (2), 19-23 (7), 26-30 (12), 2, 3, 4 Feb (15): Wed 4 Feb
    m = standing(cli, ref, "2026-01-14")
    assert m["notification"] == ("late", "2026-01-12", 2) and m["rr-decision"] == ("open", "2026-02-04", 15)
    assert standing(cli, ref, "2027-06-01")["notification"] == ("late", "2026-01-12", 2)


def test_criteria_not_met_closes_the_rapid_review_clocks_and_leaves_the_case_out_of_their_figures(cli):
    ref = add(cli, "LCS-100021", "05/01/2026", as_of="2026-01-05")
    cli.ok("incident", "inform", ref, "--on", "06/01/2026", as_of="2026-01-06")
    cli.ok("incident", "notify", ref, "--on", "07/01/2026", as_of="2026-01-07")
    cli.ok(
        "review",
        "decide",
        ref,
        "--outcome",
        "criteria-not-met",
        "--on",
        "14/01/2026",
        "--reason",
        "Not a SIN",
        as_of="2026-01-14",
    )
    m = standing(cli, ref, "2026-06-01")
    assert {m[k][0] for k in ("rr-decision", "rr-sent", "panel-response", "publication")} == {"not required"}
    assert json.loads(cli.ok("list", "--format", "json", as_of="2026-06-01").stdout)[0]["state"] == "closed"
    f = figures(cli, "--year", "2025-26", as_of="2026-06-01")
    assert f[("notification", "share within 5 working days")] == "1/1 (100%)"
    assert f[("rapid review", "share within 15 working days")] == "-"
    assert f[("outcomes", "criteria not met")] == 1


def test_a_thematic_review_runs_the_local_review_clocks(cli):
    ref = to_local_review(cli, "LCS-100022", outcome="thematic")
    m = standing(cli, ref, "2026-01-20")
    # decided Mon 19 Jan 2026: publication Sun 19 Jul 2026, first progress check Thu 19 Feb
    assert m["publication"] == ("open", "2026-07-19", m["publication"][2]) and m["progress-check"][1] == "2026-02-19"
    f = figures(cli, "--from", "01/12/2025", "--to", "31/12/2025", as_of="2026-01-20")
    assert f[("outcomes", "local reviews")] == 1


def test_an_action_falls_overdue_while_the_review_is_paused(cli):
    ref = to_local_review(cli, "LCS-100023")
    cli.ok(
        "action",
        "add",
        ref,
        "--recommendation",
        "Audit strategy meetings",
        "--agency",
        "Police",
        "--target",
        "30/04/2026",
        as_of="2026-03-02",
    )
    cli.ok("lcspr", "check", ref, "--on", "02/03/2026", "--rag", "green", as_of="2026-03-02")
    cli.ok(
        "lcspr", "pause", ref, "--on", "01/04/2026", "--reason", "Inquest", "--agreed-by", "Chair", as_of="2026-04-01"
    )
    m = standing(cli, ref, "2026-05-05")
    # the review's own clocks stop (publication Sun 19 Jul, progress check Thu 2 Apr: both still running
    # on Wed 1 Apr); the action is the agency's: due Thu 30 Apr, overdue on Tue 5 May by 1 (Fri 1 May;
    # Mon 4 May a bank holiday) + Tue 5 = 2
    assert m["publication"][0] == "paused" and m["progress-check"][0] == "paused"
    assert m["action-1"] == ("overdue", "2026-04-30", 2)
    code, rows = overdue(cli, "2026-05-05")
    assert code == 1 and (ref, "action-1") in rows and (ref, "publication") not in rows


def test_a_case_with_four_children_has_one_set_of_clocks(cli):
    ref = add(cli, "LCS-100024", "05/01/2026", as_of="2026-01-05")
    for child in ("LCS-100025", "LCS-100026", "LCS-100027"):
        cli.ok("child", "add", ref, "--child", child, as_of="2026-01-05")
    assert "at most 4" in cli.refused("child", "add", ref, "--child", "LCS-100028", as_of="2026-01-05")
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-01-06").stdout)[0]
    assert [c["reference"] for c in shown["children"]] == ["LCS-100024", "LCS-100025", "LCS-100026", "LCS-100027"]
    assert [m["milestone"] for m in shown["milestones"]].count("notification") == 1
    assert standing(cli, ref, "2026-01-06")["notification"] == ("open", "2026-01-12", 4)


def test_a_database_from_the_first_version_upgrades_and_its_cases_follow_the_lifecycle(cli, db_path):
    from conftest import first_version_database

    first_version_database(db_path)  # SI-2025-001: aware Wed 17 Dec 2025, notified Tue 23 Dec, decided
    # on a local review Wed 14 Jan 2026, sent Fri 16 Jan; a closure day recorded on Fri 2 Jan 2026.
    cli.ok(
        "review", "response", "SI-2025-001", "--response", "national-review", "--on", "30/01/2026", as_of="2026-01-30"
    )
    m = standing(cli, "SI-2025-001", "2026-02-02")
    # rr-decision: 15 WD after Tue 23 Dec: 24 (1), 29, 30, 31 (4), Fri 2 Jan (5: the closure does not
    # count for a national clock), 5-9 (10), 12-16 (15): Fri 16 Jan; decided Wed 14 Jan, on time.
    assert m["rr-decision"] == ("done", "2026-01-16", None)
    assert m["publication"][0] == "not required"
    cli.ok(
        "review",
        "decide",
        "SI-2025-001",
        "--outcome",
        "lcspr",
        "--on",
        "16/02/2026",
        "--reason",
        "Also local",
        as_of="2026-02-16",
    )
    assert clocks(cli, "SI-2025-001", "2026-02-17")["publication"]["due"] == "2026-08-16"


def test_a_write_as_of_a_day_before_the_case_was_known_still_reads_back(cli):
    ref = to_local_review(cli, "LCS-100031")
    # A plan recorded with an as-of date before the aware date (a typing slip in the date): the write
    # is allowed (a plan may be any date) and the case reads back as of its aware date, not an error
    # after the write had been made.
    result = cli.ok("lcspr", "plan", ref, "--publication", "01/06/2026", as_of="2025-12-01")
    assert "final report due by Wed 20 May 2026" in result.stdout


def test_a_setting_changed_later_never_turns_a_done_national_clock_late(cli):
    # Aware Wed 17 Dec 2025, notified Tue 23 Dec. Counted from the notification, the decision is due
    # 15 working days after 23 Dec: 24 (1), 29-31 (2-4), 2 Jan (5; 1 Jan New Year's Day skipped),
    # 5-9 (6-10), 12-16 Jan (11-15): Fri 16 Jan 2026. Decided Thu 15 Jan: on time.
    # Counted from the aware date it would be due 15 working days after 17 Dec: 18, 19, 22, 23, 24 (1-5),
    # 29-31 (6-8), 2 Jan (9), 5-9 (10-14), 12 Jan (15): Mon 12 Jan, so 15 Jan would be late.
    ref = add(cli, "LCS-771", "17/12/2025", as_of="2025-12-17")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025", as_of="2025-12-23")
    cli.ok(
        "review",
        "decide",
        ref,
        "--outcome",
        "no-lcspr",
        "--on",
        "15/01/2026",
        "--reason",
        "Learning captured",
        as_of="2026-01-15",
    )
    cli.ok("rules", "set", "rr-clock-start", "aware", as_of="2026-01-19")  # recorded after the decision
    shown = clocks(cli, ref, as_of="2026-01-20")
    assert (shown["rr-decision"]["due"], shown["rr-decision"]["status"]) == ("2026-01-16", "done")
    # A rapid review not yet sent follows the new setting: due Mon 12 Jan, overdue on 20 Jan.
    assert (shown["rr-sent"]["due"], shown["rr-sent"]["status"]) == ("2026-01-12", "overdue")
    said = cli.ok("explain", ref, "rr-decision", as_of="2026-01-20").stdout
    assert "keeps the rule it was done under" in said and "Counts from the notification: Tue 23 Dec 2025." in said
