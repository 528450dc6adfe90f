"""`csprcli today`, the officer's morning, on the sample cases (examples/sample-cases.sh) on three
days: a quiet day, a day with statutory clocks overdue, and Easter week. Every date and count
below is worked out by hand from the script's dates and the bank holidays (Good Friday 3 April and
Easter Monday 6 April 2026)."""

import json
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csprcli.cli import app

SAMPLE = Path(__file__).parent.parent / "examples" / "sample-cases.sh"


def sample_commands() -> list[tuple[str, list[str]]]:
    """(as-of day, arguments) of every command the sample script runs, in its order."""
    text = SAMPLE.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if line.startswith("c "):
            _, day, *args = shlex.split(line)
            found.append((day, args))
    assert len(found) > 30
    return found


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    """The sample cases, recorded once for this module through the commands the script types."""
    path = tmp_path_factory.mktemp("today") / "sample.db"
    runner = CliRunner()
    for day, args in sample_commands():
        result = runner.invoke(app, ["--db", str(path), "--as-of", day, *args])
        assert result.exit_code == 0, (args, result.stderr)
    return path


@pytest.fixture
def db(sample_db, tmp_path) -> Path:
    copy = tmp_path / "sample.db"
    shutil.copy(sample_db, copy)
    return copy


def today(db: Path, day: str, *args: str, log: Path | None = None, width: int = 200):
    extra = ["--log", str(log)] if log else []
    argv = ["--db", str(db), "--as-of", day, "today", *extra, *args]
    return CliRunner().invoke(app, argv, env={"COLUMNS": str(width)})


def morning(db: Path, day: str) -> tuple[int, dict]:
    result = today(db, day, "--format", "json")
    [found] = json.loads(result.stdout)  # one object, in a list as every --format json
    return result.exit_code, found


def due(rows) -> list[tuple]:
    return [(r["ref"], r["milestone"], r["due"], r["working_days"]) for r in rows]


def test_a_quiet_day(db):
    # Thu 18 Dec 2025: SI-2025-001 alone is known (aware Wed 17 Dec); the partners were told on the
    # 18th. Its notification is due Wed 24 Dec (Thu 18, Fri 19, Mon 22, Tue 23, Wed 24): next week.
    code, found = morning(db, "2025-12-18")
    assert code == 0
    assert found["overdue"] == [] and found["this_week"] == []
    assert found["week_end"] == "2025-12-21"
    assert due(found["next_week"]) == [("SI-2025-001", "notification", "2025-12-24", 4)]
    assert [(s["ref"], s["command"]) for s in found["next_steps"]] == [
        ("SI-2025-001", "csprcli incident notify SI-2025-001 --on DATE --sin-ref REF")
    ]
    assert found["deaths_not_notified"] == [] and found["reviews_waiting"] == []
    shown = today(db, "2025-12-18")
    assert shown.exit_code == 0
    assert "Today: Thu 18 Dec 2025" in shown.stdout and "nothing overdue" in shown.stdout


def test_a_day_with_statutory_clocks_overdue(db):
    # Wed 4 Mar 2026. SI-2026-003 (aware Tue 20 Jan, never notified): due Tue 27 Jan, overdue by
    # 28-30 Jan (3) + four whole weeks (20) + 2-4 Mar (3) = 26. SI-2025-002's Panel reminder: sent Thu
    # 22 Jan + 10 = Thu 5 Feb, overdue by 6 Feb (1) + 3 weeks (15) + 3 = 19. SI-2026-002's rapid
    # review: notified Fri 16 Jan + 15 = Fri 6 Feb, overdue by 3 weeks (15) + 3 = 18.
    code, found = morning(db, "2026-03-04")
    assert code == 1
    assert due(found["overdue"]) == [
        ("SI-2026-003", "notification", "2026-01-27", 26),
        ("SI-2026-003", "partners-informed", "2026-01-27", 26),
        ("SI-2025-002", "panel-response", "2026-02-05", 19),
        ("SI-2026-002", "rr-decision", "2026-02-06", 18),
        ("SI-2026-002", "rr-sent", "2026-02-06", 18),
    ]
    assert [r["force"] for r in found["overdue"]][:2] == ["statutory guidance", "statutory guidance"]
    # Nothing from Wed 4 to Sun 8 Mar. Next week: SI-2026-004's reminder (sent Mon 23 Feb + 10 = Mon
    # 9 Mar) and SI-2026-005's notification and partners told (aware Mon 2 Mar + 5 = Mon 9 Mar).
    assert found["this_week"] == []
    assert due(found["next_week"]) == [
        ("SI-2026-004", "panel-response", "2026-03-09", 3),
        ("SI-2026-005", "notification", "2026-03-09", 3),
        ("SI-2026-005", "partners-informed", "2026-03-09", 3),
    ]
    # One next step per open case, soonest first; SI-2025-001's next check: 16 Feb + 1 month.
    assert [(s["ref"], s["milestone"], s["due"]) for s in found["next_steps"]] == [
        ("SI-2026-003", "notification", "2026-01-27"),
        ("SI-2025-002", "panel-response", "2026-02-05"),
        ("SI-2026-002", "rr-decision", "2026-02-06"),
        ("SI-2026-004", "panel-response", "2026-03-09"),
        ("SI-2026-005", "notification", "2026-03-09"),
        ("SI-2025-001", "progress-check", "2026-03-16"),
    ]
    steps = {s["ref"]: s["command"] for s in found["next_steps"]}
    assert steps["SI-2026-002"] == "csprcli review decide SI-2026-002 --outcome OUTCOME --on DATE --reason TEXT"
    assert steps["SI-2025-001"] == "csprcli lcspr check SI-2025-001 --on DATE --rag RAG"
    shown = today(db, "2026-03-04")
    assert shown.exit_code == 1
    assert "Overdue (5)" in shown.stdout and "overdue by 26 working days" in shown.stdout
    assert "csprcli review response SI-2025-002 --response RESPONSE --on DATE" in shown.stdout


@pytest.mark.parametrize("width", [40, 80, 100])
def test_each_next_step_s_command_is_on_a_line_of_its_own_to_copy(db, width):
    """An officer copies the command that records the next step: however narrow the terminal, it is
    printed whole on one line (a table wrapped it over three lines at 80 columns)."""
    _code, found = morning(db, "2026-03-04")
    lines = today(db, "2026-03-04", width=width).stdout.splitlines()
    for step in found["next_steps"]:
        assert f"  {step['command']}" in lines, (width, step["command"])


def test_easter_week_shows_next_weeks_statutory_notification(db):
    # An incident the local authority became aware of on Easter Saturday, 4 Apr 2026: its notification
    # is due Mon 13 Apr (Tue 7, Wed 8, Thu 9, Fri 10, Mon 13; Easter Monday is not a working day).
    # On Thu 9 Apr this week (to Sun 12 Apr) holds nothing, and `upcoming --week` says so; `today`
    # shows next week's statutory deadline beside it.
    runner = CliRunner()
    added = runner.invoke(app, ["--db", str(db), "--as-of", "2026-04-09", "incident", "add", "--child", "LCS-480001",
                                "--la", "Walsall", "--aware", "04/04/2026", "--nature", "serious-harm", "--abuse",
                                "suspected"])  # fmt: skip
    assert added.exit_code == 0, added.stderr
    week = runner.invoke(app, ["--db", str(db), "--as-of", "2026-04-09", "upcoming", "--week"])
    assert "nothing due" in week.stdout
    code, found = morning(db, "2026-04-09")
    assert code == 1
    assert found["week_end"] == "2026-04-12" and found["this_week"] == []
    assert due(found["next_week"]) == [
        ("SI-2026-006", "notification", "2026-04-13", 2),  # Fri 10 and Mon 13 left
        ("SI-2026-006", "partners-informed", "2026-04-13", 2),
    ]
    # SI-2026-005's notification, due Mon 9 Mar, is overdue by Tue 10 Mar .. Thu 2 Apr (18) and
    # Tue 7 .. Thu 9 Apr (3): Good Friday and Easter Monday are not counted.
    overdue = {(r["ref"], r["milestone"]): r["working_days"] for r in found["overdue"]}
    assert overdue[("SI-2026-005", "notification")] == 21
    shown = today(db, "2026-04-09")
    assert "Due next week, to Sun 19 Apr 2026" in shown.stdout and "SI-2026-006" in shown.stdout


def test_child_deaths_and_reviews_waiting_have_their_own_block(db):
    runner = CliRunner()

    def ok(*args, day="2026-03-04"):
        result = runner.invoke(app, ["--db", str(db), "--as-of", day, *args])
        assert result.exit_code == 0, result.stderr
        return result

    ok("death", "add", "WS1234", "--died", "02/03/2026", "--age", "3y", "--resident", "--unexpected")
    ok("lcspr", "pause", "SI-2025-001", "--on", "03/03/2026", "--reason", "Criminal trial", "--agreed-by", "Chair")
    code, found = morning(db, "2026-03-04")
    # The death on Mon 2 Mar: the local target (1 day) was Tue 3 Mar; overdue on Wed 4 Mar.
    assert [(d["ref"], d["due"], d["status"]) for d in found["deaths_not_notified"]] == [
        ("WS1234", "2026-03-03", "overdue")
    ]
    assert [(w["ref"], w["kind"], w["since"], w["reason"]) for w in found["reviews_waiting"]] == [
        ("SI-2025-001", "incident", "2026-03-03", "Criminal trial")
    ]
    shown = today(db, "2026-03-04").stdout
    assert "Child deaths not yet notified" in shown and "WS1234" in shown
    assert "Reviews waiting" in shown and "Criminal trial" in shown


def test_the_nightly_checks_last_run(db, tmp_path):
    (tmp_path / "logs").mkdir()
    log = tmp_path / "logs" / "nightly.log"
    assert "no run recorded in" in today(db, "2026-03-04", log=log).stdout
    log.write_text(
        "2026-03-03 06:00:01 csprcli nightly check: nothing overdue\n"
        "2026-03-04 06:00:02 csprcli nightly check: OVERDUE (5)\n"
        "2026-03-04 06:00:02 ref,milestone,title\n"
        "2026-03-04 06:00:02 SI-2026-003,notification,Serious incident notification to the Panel\n",
        encoding="utf-8",
    )
    assert (
        "Nightly check: last ran Wed 04 Mar 2026 at 06:00 and found something overdue (5 milestones)"
        in today(db, "2026-03-04", log=log).stdout
    )
    _, found = morning(db, "2026-03-04")  # no --log: nightly-check.log beside the database, not there
    assert found["nightly_check"] is None
    (db.parent / "nightly-check.log").write_text(
        "2026-03-04 06:00:02 csprcli nightly check FAILED (exit status 3): error: no database\n"
    )
    _, found = morning(db, "2026-03-04")
    assert found["nightly_check"]["outcome"] == "failed" and found["nightly_check"]["at"] == "2026-03-04T06:00"
