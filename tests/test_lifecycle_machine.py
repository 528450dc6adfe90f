"""A stateful property test: random sequences of the real commands against one database, with
what must stay true over a case's life checked after every step (issue 11):

- nothing is both done and overdue;
- a milestone done stays as it is when later days pass;
- `overdue` exits 1 exactly when it prints a row;
- a refused command changes nothing;
- no national clock depends on the partnership's closure days (so not on the order they were
  recorded in): every national clock reads the same as on a calendar with no closures at all;
- overdue and upcoming read every case with a clock still to be done: the store's narrowing of
  the cases leaves none out.

As many sequences and steps as the Hypothesis profile says (tests/conftest.py): the default one
derandomised, so CI runs the same sequences every time; the deep one draws new ones.
"""

import json
import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import scaled
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from typer.testing import CliRunner

from csprcli.domain.calendar import WorkingCalendar
from csprcli.cli import app
from csprcli.domain.lifecycle import clocks
from csprcli.domain.rules import RULES

BASE = date(2025, 12, 1)
NATIONAL = {r.milestone for r in RULES if not r.local}
CHILDREN = ("LCS-700001", "LCS-700002", "LCS-700003")
EXITS = (0, 2)  # a command succeeds or refuses; anything else (an internal error) is a failure
CALENDAR = WorkingCalendar()  # England and Wales bank holidays only: no closures


def snapshot(path: Path):
    if not path.exists():
        return None
    with sqlite3.connect(path) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}


@pytest.mark.slow
class LifeMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.db = Path(self.folder.name) / "machine.db"
        self.runner = CliRunner()
        self.today = BASE
        self.refs: list[str] = []

    def teardown(self):
        self.folder.cleanup()

    # -- running commands --------------------------------------------------------------------

    def run(self, *args: str, as_of: date | None = None):
        return self.runner.invoke(
            app, ["--db", str(self.db), "--as-of", (as_of or self.today).isoformat(), *args], env={"COLUMNS": "120"}
        )

    def write(self, *args: str) -> None:
        before = snapshot(self.db)
        result = self.run(*args)
        assert result.exit_code in EXITS, (args, result.exit_code, result.stdout, result.stderr)
        if result.exit_code == 2:
            assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
            assert snapshot(self.db) == before, f"a refused command changed the database: {args}"

    def day(self, back: int) -> str:
        return max(BASE, self.today - timedelta(days=back)).isoformat()

    def ahead(self, days: int) -> str:
        return (self.today + timedelta(days=days)).isoformat()

    # -- the rules ----------------------------------------------------------------------------

    @initialize(child=st.sampled_from(CHILDREN))
    def first_case(self, child):
        self.add_incident(child, 0, "serious-harm", False)

    @rule(days=st.integers(1, 45))
    def time_passes(self, days):
        self.today += timedelta(days=days)

    @rule(
        child=st.sampled_from(CHILDREN),
        back=st.integers(0, 10),
        kind=st.sampled_from(["serious-harm", "death", "looked-after-death"]),
        allow=st.booleans(),
    )
    def add_incident(self, child, back, kind, allow):
        nature = "serious-harm" if kind == "serious-harm" else "death"
        abuse = "none" if kind == "looked-after-death" and back % 2 else "suspected"
        extra = ["--looked-after"] if kind == "looked-after-death" else []
        args = ["incident", "add", "--child", child, "--la", "Walsall", "--aware", self.day(back)]
        args += ["--nature", nature, "--abuse", abuse, *extra, *(["--allow-duplicate"] if allow else [])]
        before = snapshot(self.db)
        result = self.run(*args)
        assert result.exit_code in EXITS, (args, result.stdout, result.stderr)
        if result.exit_code == 0:
            self.refs.append(result.stdout.split(":")[0])
        else:
            assert snapshot(self.db) == before

    @precondition(lambda self: self.refs)
    @rule(data=st.data())
    def next_step(self, data):
        """The case's next step on the statutory path, on a day from the step before it up to today
        (so on time or late): what moves cases through their whole life."""
        ref = data.draw(st.sampled_from(self.refs))
        shown = json.loads(self.run("show", ref, "--format", "json").stdout)[0]
        m = {c["milestone"]: c for c in shown["milestones"]}

        def on(after: str | None) -> str:
            low = date.fromisoformat(after) if after else self.today
            return (low + timedelta(days=data.draw(st.integers(0, max(0, (self.today - low).days))))).isoformat()

        def needed(milestone: str) -> bool:
            return m[milestone]["status"] not in ("not required",) and m[milestone]["done"] is None

        notified = m["notification"]["done"]
        if needed("notification"):
            self.write("incident", "notify", ref, "--on", on(shown["aware"]))
        elif needed("partners-informed"):
            self.write("incident", "inform", ref, "--on", on(shown["aware"]))
        elif needed("rr-decision"):
            outcome = data.draw(st.sampled_from(["lcspr", "thematic", "no-lcspr", "criteria-not-met"]))
            self.write("review", "decide", ref, "--outcome", outcome, "--on", on(notified), "--reason", "Minuted")
        elif needed("rr-sent"):
            self.write("review", "submit", ref, "--on", on(m["rr-decision"]["done"]))
        elif needed("panel-response"):
            response = data.draw(
                st.sampled_from(
                    ["agrees-lcspr", "accepts-no-lcspr", "challenges", "national-review", "more-information"]
                )
            )
            self.write("review", "response", ref, "--response", response, "--on", on(m["rr-sent"]["done"]))
        elif m["publication"]["status"] != "not required" and m["publication"]["done"] is None:
            step = data.draw(st.sampled_from(["check", "plan", "send", "publish", "pause", "resume", "action", "done"]))
            start = m["publication"]["trigger"]
            if step == "check":
                self.write("lcspr", "check", ref, "--on", on(start), "--rag", "green")
            elif step == "plan":
                self.write("lcspr", "plan", ref, "--publication", self.ahead(data.draw(st.integers(0, 120))))
            elif step == "send":
                self.write("lcspr", "send", ref, "--on", on(start))
            elif step == "publish":
                kind = data.draw(st.sampled_from(["full", "improvements-only", "not-published"]))
                self.write(
                    "lcspr",
                    "publish",
                    ref,
                    "--on",
                    on(m["report-sent"]["done"] or start),
                    "--type",
                    kind,
                    "--rationale",
                    "Agreed",
                )
            elif step in ("pause", "resume"):
                self.write(
                    "lcspr",
                    step,
                    ref,
                    "--on",
                    on(start),
                    *(["--reason", "Trial", "--agreed-by", "Chair"] if step == "pause" else []),
                )
            elif step == "action":
                self.write(
                    "action", "add", ref, "--recommendation", "Audit", "--agency", "Police", "--target", on(start)
                )
            else:
                self.write("action", "done", ref, "1", "--on", on(start), "--evidence", "Audit")
        elif m["panel-response"]["done"] and shown["outcome"] is not None:
            # after a challenge, more information or a national review: a decision again
            outcome = data.draw(st.sampled_from(["lcspr", "no-lcspr"]))
            self.write(
                "review",
                "decide",
                ref,
                "--outcome",
                outcome,
                "--on",
                on(m["panel-response"]["done"]),
                "--reason",
                "Again",
            )

    @precondition(lambda self: self.refs)
    @rule(
        data=st.data(),
        step=st.sampled_from(["notify", "inform", "review start", "review submit", "lcspr send"]),
        back=st.integers(0, 20),
    )
    def record_a_date(self, data, step, back):
        ref = data.draw(st.sampled_from(self.refs))
        group, command = ("incident", step) if " " not in step else step.split()
        self.write(group, command, ref, "--on", self.day(back))

    @precondition(lambda self: self.refs)
    @rule(
        data=st.data(),
        outcome=st.sampled_from(["lcspr", "no-lcspr", "thematic", "criteria-not-met", "national-review"]),
        back=st.integers(0, 20),
    )
    def decide(self, data, outcome, back):
        ref = data.draw(st.sampled_from(self.refs))
        self.write("review", "decide", ref, "--outcome", outcome, "--on", self.day(back), "--reason", "Minuted")

    @precondition(lambda self: self.refs)
    @rule(
        data=st.data(),
        response=st.sampled_from(
            ["agrees-lcspr", "accepts-no-lcspr", "challenges", "national-review", "more-information"]
        ),
        back=st.integers(0, 10),
    )
    def panel_responds(self, data, response, back):
        ref = data.draw(st.sampled_from(self.refs))
        self.write("review", "response", ref, "--response", response, "--on", self.day(back))

    @precondition(lambda self: self.refs)
    @rule(data=st.data(), days=st.integers(0, 200))
    def plan(self, data, days):
        ref = data.draw(st.sampled_from(self.refs))
        self.write("lcspr", "plan", ref, "--publication", self.ahead(days), "--reason", "Moved", "--agreed-by", "Chair")

    @precondition(lambda self: self.refs)
    @rule(data=st.data(), kind=st.sampled_from(["full", "redacted", "not-published"]), back=st.integers(0, 10))
    def publish(self, data, kind, back):
        ref = data.draw(st.sampled_from(self.refs))
        self.write("lcspr", "publish", ref, "--on", self.day(back), "--type", kind, "--rationale", "Agreed")

    @precondition(lambda self: self.refs)
    @rule(data=st.data(), back=st.integers(0, 10), resume=st.booleans())
    def pause_or_resume(self, data, back, resume):
        ref = data.draw(st.sampled_from(self.refs))
        if resume:
            self.write("lcspr", "resume", ref, "--on", self.day(back))
        else:
            self.write("lcspr", "pause", ref, "--on", self.day(back), "--reason", "Trial", "--agreed-by", "Chair")

    @precondition(lambda self: self.refs)
    @rule(data=st.data(), days=st.integers(-30, 120))
    def revise(self, data, days):
        ref = data.draw(st.sampled_from(self.refs))
        self.write("revise", ref, "publication", "--to", self.ahead(days), "--reason", "Agreed", "--agreed-by", "Chair")

    @precondition(lambda self: self.refs)
    @rule(data=st.data(), days=st.integers(0, 90), done=st.booleans())
    def action(self, data, days, done):
        ref = data.draw(st.sampled_from(self.refs))
        if done:
            self.write("action", "done", ref, "1", "--on", self.day(days % 10), "--evidence", "Audit")
        else:
            self.write(
                "action", "add", ref, "--recommendation", "Audit", "--agency", "Police", "--target", self.ahead(days)
            )

    @rule(back=st.integers(-20, 60), reopen=st.booleans())
    def closure(self, back, reopen):
        day = date.fromisoformat(self.day(back)) if back >= 0 else self.today + timedelta(days=-back)
        if reopen:
            self.write("calendar", "reopen", day.isoformat())
        else:
            self.write("calendar", "close", day.isoformat(), "--reason", "Closure")

    # -- what stays true ---------------------------------------------------------------------------

    def shown(self, ref: str, as_of: date) -> dict[str, dict]:
        result = self.run("show", ref, "--format", "json", as_of=as_of)
        assert result.exit_code == 0, result.stderr
        return {m["milestone"]: m for m in json.loads(result.stdout)[0]["milestones"]}

    @invariant()
    def done_is_never_overdue_and_stays_as_it_is(self):
        for ref in self.refs:
            now, later = self.shown(ref, self.today), self.shown(ref, self.today + timedelta(days=120))
            for milestone, clock in now.items():
                if clock["done"] is not None:
                    assert clock["status"] != "overdue", (ref, clock)
                if clock["status"] in ("done", "late", "not published") and milestone in later:
                    same = later[milestone]
                    assert (same["status"], same["due"], same["working_days"]) == (
                        clock["status"],
                        clock["due"],
                        clock["working_days"],
                    ), (ref, milestone, clock, same)

    @invariant()
    def overdue_exits_1_exactly_when_it_prints_a_row(self):
        if not self.db.exists():
            return
        as_json = self.run("overdue", "--format", "json")
        table = self.run("overdue")
        assert as_json.exit_code == table.exit_code and as_json.exit_code in (0, 1)
        rows = json.loads(as_json.stdout) if as_json.stdout.strip() else []
        assert (as_json.exit_code == 1) == bool(rows)
        assert (table.exit_code == 1) == ("nothing overdue" not in table.stdout)
        for row in rows:
            assert row["status"] == "overdue"

    @invariant()
    def the_store_leaves_out_only_cases_with_nothing_to_do(self):
        """overdue and upcoming read only the cases the store finds may have something to do
        (lifecycle.to_do): on any day, every clock still to be done of every case is among them."""
        if not self.db.exists():
            return
        from csprcli.domain.asof import as_seen, known_on
        from csprcli.domain.lifecycle import PENDING, clocks
        from csprcli.services import cases as reading
        from csprcli.services.rulebook import rulebook
        from csprcli.store.database import open_store

        store = open_store(self.db, create=False, write=False)
        try:
            book = rulebook(store)
            for day in (self.today - timedelta(days=20), self.today, self.today + timedelta(days=200)):
                every = [
                    (c.ref, c.milestone, c.due, c.status)
                    for i in store.incidents()
                    if known_on(i, day)
                    for c in clocks(as_seen(i, day), book.calendar, day, book.rules, view=False, rules_on=book.rules_on)
                    if c.status in PENDING
                ]
                read = [
                    (c.ref, c.milestone, c.due, c.status)
                    for c in reading.pending(store, book, day)
                    if c.ref.startswith("SI-")
                ]
                assert sorted(read) == sorted(every), day
        finally:
            store.close()

    @invariant()
    def national_clocks_read_as_on_a_calendar_without_closures(self):
        if not self.refs:
            return
        from csprcli.store.database import open_store

        store = open_store(self.db, create=False)
        try:
            incidents = {i.ref: i for i in store.incidents()}
            settings_ = store.settings()
        finally:
            store.close()
        from csprcli.domain.rules import rules_for

        rules = rules_for(settings_)
        for ref in self.refs:
            expected = {c.milestone: c for c in clocks(incidents[ref], CALENDAR, self.today, rules)}
            for milestone, clock in self.shown(ref, self.today).items():
                if milestone in NATIONAL:
                    e = expected[milestone]
                    assert (clock["due"], clock["status"], clock["working_days"]) == (
                        e.due.isoformat() if e.due else None,
                        e.status.value,
                        e.working_days,
                    ), (ref, milestone)


LifeMachine.TestCase.settings = settings(  # its steps, as many as the profile says (tests/conftest.py)
    max_examples=scaled(20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_a_case_life_through_random_commands = pytest.mark.slow(LifeMachine.TestCase)
