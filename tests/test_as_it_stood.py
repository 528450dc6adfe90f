"""A view of a past day reads the record as it stood that evening (issue 19; domain.md section 6):
events dated later have not happened; settings, closure days, planned publication dates and actions
are taken as they stood, by the day each was recorded (a write is kept with the day it was made as
of); and whatever the as-of day is to today, nothing dated after it counts.

Dates counted by hand against GOV.UK's England and Wales bank holidays (2025 Christmas Thu 25 and
Boxing Day Fri 26 Dec; 2026 New Year Thu 1 Jan)."""

import json
from datetime import date

from conftest import Cli
from test_lifecycle_scenarios import add, figures, overdue, standing, to_local_review


def test_a_setting_changed_later_leaves_a_view_of_an_earlier_day_as_it_was(cli):
    # Aware Wed 17 Dec 2025, partners told Thu 18 Dec, notified Tue 23 Dec. The decision is due 15 WD
    # after the notification: Fri 16 Jan 2026; after the aware date (rr-clock-start aware): Mon 12 Jan.
    ref = add(cli, "LCS-190020", "17/12/2025", as_of="2025-12-17")
    cli.ok("incident", "inform", ref, "--on", "18/12/2025", as_of="2025-12-18")
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
        "Learning",
        as_of="2026-01-15",
    )
    cli.ok("rules", "set", "rr-clock-start", "aware", as_of="2026-01-20")
    # As of Tue 13 Jan the setting was the notification: the decision, taken on time on 15 Jan, was not
    # yet due (with today's setting it would show overdue by 1, Tue 13 Jan).
    assert standing(cli, ref, "2026-01-13")["rr-decision"][:2] == ("open", "2026-01-16")
    assert overdue(cli, "2026-01-13") == (0, [])
    # From the day the setting changed, an open rapid-review clock follows it: rr-sent due Mon 12 Jan.
    assert standing(cli, ref, "2026-01-21")["rr-sent"][:2] == ("overdue", "2026-01-12")


def test_an_action_recorded_later_is_not_in_a_view_of_an_earlier_day(cli):
    ref = to_local_review(cli, "LCS-190021")  # decided Mon 19 Jan 2026
    cli.ok(
        "action",
        "add",
        ref,
        "--recommendation",
        "Audit",
        "--agency",
        "Health",
        "--target",
        "30/06/2026",
        as_of="2026-03-01",
    )
    cli.ok(
        "action",
        "add",
        ref,
        "--recommendation",
        "Train",
        "--agency",
        "Health",
        "--target",
        "31/03/2026",
        as_of="2026-04-10",
    )
    f = figures(cli, "--year", "2025-26", as_of="2026-03-31")
    assert (f[("actions by agency", "Health: open")], f[("actions by agency", "all agencies: total")]) == (1, 1)
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-03-04").stdout)[0]
    assert [a["number"] for a in shown["actions"]] == [1] and shown["actions"][0]["recorded_on"] == "2026-03-01"
    assert "action-2" not in standing(cli, ref, "2026-03-31")
    # As of the day it was recorded, it is on the record, overdue from the day after its target.
    assert standing(cli, ref, "2026-04-10")["action-2"][:2] == ("overdue", "2026-03-31")


def test_a_closure_day_recorded_later_leaves_a_view_of_an_earlier_day_as_it_was(cli):
    ref = to_local_review(cli, "LCS-190022")  # sent to the Panel Mon 19 Jan 2026
    # The reminder to chase the Panel: 10 WD after Mon 19 Jan: 20-23 (4), 26-30 (9), Mon 2 Feb (10).
    assert standing(cli, ref, "2026-02-02")["panel-response"][:2] == ("open", "2026-02-02")
    cli.ok("calendar", "close", "30/01/2026", "--reason", "Office move", as_of="2026-02-10")
    # Recorded on Tue 10 Feb: from then, the local reminder skips Fri 30 Jan and falls due Tue 3 Feb,
    # overdue by 5 (4, 5, 6, 9, 10 Feb); a view of Mon 2 Feb stays as it was printed.
    assert standing(cli, ref, "2026-02-02")["panel-response"][:2] == ("open", "2026-02-02")
    assert standing(cli, ref, "2026-02-10")["panel-response"] == ("overdue", "2026-02-03", 5)
    cli.ok("calendar", "reopen", "30/01/2026", as_of="2026-02-12")
    assert standing(cli, ref, "2026-02-11")["panel-response"][:2] == ("overdue", "2026-02-03")
    assert standing(cli, ref, "2026-02-12")["panel-response"][:2] == ("overdue", "2026-02-02")


def test_a_planned_publication_changed_later_leaves_a_view_of_an_earlier_day_as_it_was(cli):
    ref = to_local_review(cli, "LCS-190023")
    cli.ok("lcspr", "plan", ref, "--publication", "01/06/2026", as_of="2026-02-02")
    cli.ok("lcspr", "plan", ref, "--publication", "01/07/2026", "--reason", "Family asked for time", "--agreed-by", "Chair",
           as_of="2026-05-01")  # fmt: skip
    # Planned Mon 1 Jun: the notice 7 WD before, Spring bank holiday Mon 25 May skipped: Wed 20 May.
    assert standing(cli, ref, "2026-04-01")["report-sent"][:2] == ("open", "2026-05-20")
    # Planned Wed 1 Jul: 30 Jun, 29, 26, 25, 24, 23, 22 Jun: Mon 22 Jun.
    assert standing(cli, ref, "2026-05-01")["report-sent"][:2] == ("open", "2026-06-22")
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-04-01").stdout)[0]
    assert shown["planned_publication"] == "2026-06-01"


def test_a_report_as_of_any_day_counts_nothing_dated_after_it(tmp_path, monkeypatch):
    """Whatever the as-of day is to today (here after it), no event dated after it counts."""
    from csprcli.domain.vocabulary import Abuse, Nature
    from csprcli.services import incidents as service
    from csprcli.store.database import open_store

    path = tmp_path / "future.db"
    monkeypatch.setenv("CSPRCLI_DB", str(path))
    store = open_store(path, create=True)
    far = date.today().year + 2  # the record written straight through the service, dated after today
    incident = service.new_incident(
        child="LCS-190024", la="Walsall", aware=date(far, 3, 2), nature=Nature.SERIOUS_HARM, abuse=Abuse.SUSPECTED
    )
    ref = service.add_incident(store, incident).ref
    service.notify(store, ref, on=date(far, 4, 8))  # dated after the as-of day below
    store.close()
    cli = Cli()
    f = figures(cli, "--year", f"{far - 1}-{far % 100:02d}", as_of=f"{far}-03-31")
    assert f[("notification", "notifications made")] == 0
    rows = json.loads(cli.ok("show", ref, "--format", "json", as_of=f"{far}-03-31").stdout)[0]
    assert {m["milestone"]: m["done"] for m in rows["milestones"]}["notification"] is None
