"""One truth: every listing reads the due dates worked out from the record by the lifecycle, so a
rule that changes (a new build, a setting) can never leave `overdue` and `show` disagreeing, and
nothing worked out is stored for a hand-edited file or an old build to get wrong."""

import json
import sqlite3
from dataclasses import replace

from conftest import add_incident


def test_overdue_upcoming_and_show_give_one_date_when_a_rule_changes_without_a_new_version(cli, monkeypatch):
    ref = add_incident(cli, "05/01/2026", as_of="2026-01-05")
    assert json.loads(cli("overdue", "--format", "json", as_of="2026-02-10").stdout)[0]["due"] == "2026-01-12"

    # A build whose notification rule counts 25 working days, same version string: counted by hand from
    # Mon 5 Jan 2026 (no bank holiday in the span), day 25 is Mon 9 Feb 2026.
    import csprcli.domain.rules as rules

    changed = tuple(replace(r, count=25) if r.milestone == "notification" else r for r in rules.RULES)
    monkeypatch.setattr(rules, "RULES", changed)

    overdue = json.loads(cli("overdue", "--format", "json", as_of="2026-02-10").stdout)
    shown = json.loads(cli.ok("show", ref, "--format", "json", as_of="2026-02-10").stdout)[0]
    notification = next(m for m in shown["milestones"] if m["milestone"] == "notification")
    row = next(r for r in overdue if r["milestone"] == "notification")
    assert row["due"] == notification["due"] == "2026-02-09"
    assert row["working_days"] == 1
    due_soon = json.loads(cli.ok("upcoming", "--format", "json", "--within", "5", as_of="2026-02-03").stdout)
    assert [r["due"] for r in due_soon if r["milestone"] == "notification"] == ["2026-02-09"]


def test_nothing_worked_out_from_the_record_is_stored(cli, db_path):
    add_incident(cli, "05/01/2026", as_of="2026-01-05")
    with sqlite3.connect(db_path) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {row[1] for row in conn.execute("PRAGMA table_info(incidents)")}
        triggers = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    assert "due_dates" not in tables
    assert "closed" not in columns
    assert not [t for t in triggers if t.startswith("due_dates")]
