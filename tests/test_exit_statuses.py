"""What a user can type, or an environment can do, never ends in an internal error (exit 4):
invalid UTF-8, impossible years, a full disk or a non-UTF-8 standard output, a closed pipe, and a
failure after a write committed (its own status, naming what was recorded)."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INCIDENT, add_incident, snapshot

EXAMPLE = Path(__file__).parent.parent / "examples" / "import-cases.csv"
# A test that runs csprcli in a process of its own is slow (about a quarter of a second each); the same
# rule in process, through the CliRunner, is in the fast subset beside it.


def run(args: list, db: Path, *, stdout=subprocess.PIPE, env: dict | None = None, input=None):
    """csprcli in a process of its own, arguments as bytes (as a shell passes them)."""
    environment = os.environ | {"CSPRCLI_DB": str(db), "CSPRCLI_AS_OF": "2026-03-04"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "csprcli", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=environment,
        input=input,
        timeout=60,
    )


def one_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert text.startswith("error: ") and text.count("\n") == 1 and "Traceback" not in text, text
    return text


@pytest.fixture
def loaded(tmp_path):
    db = tmp_path / "cases.db"
    assert run(["import", str(EXAMPLE)], db).returncode == 0
    return db


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        [b"list", b"\xff"],
        [b"show", b"SI-\xff\xfe"],
        [b"--as-of", b"\xc3\x28"],
        [
            b"incident",
            b"add",
            b"--child",
            b"LCS-1",
            b"--la",
            b"W\xffx",
            b"--aware",
            b"01/03/2026",
            b"--nature",
            b"serious-harm",
            b"--abuse",
            b"suspected",
        ],
        [b"correct", b"SI-2025-001", b"summary", b"caf\xe9", b"--reason", b"typo"],
    ],
)
def test_invalid_utf8_in_an_argument_is_bad_input(loaded, args):
    before = loaded.read_bytes()
    result = run(args, loaded)
    assert result.returncode == 2
    assert "not valid UTF-8" in one_line(result.stderr)
    assert loaded.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["list", "\udcff"],  # the byte 0xff, as Python hands on what is not UTF-8
        [*INCIDENT[:5], "W\udcffx", *INCIDENT[6:], "--aware", "01/03/2026"],
        ["--as-of", "\udcc3("],
    ],
)
def test_invalid_utf8_in_an_argument_is_bad_input_in_process(cli, db_path, args):
    add_incident(cli, "17/12/2025")
    before = snapshot(db_path)
    assert "not valid UTF-8" in cli.refused(*args)
    assert snapshot(db_path) == before


@pytest.mark.slow
def test_invalid_utf8_in_the_database_path_is_bad_input(tmp_path):
    result = run(["list"], tmp_path / "x.db", env={"CSPRCLI_DB": os.fsdecode(bytes(tmp_path) + b"/\xff.db")})
    assert result.returncode == 2 and "CSPRCLI_DB is not valid UTF-8" in one_line(result.stderr)


@pytest.mark.parametrize("year", ["9999-00", "0000-01", "1969-70", "2110-11"])
def test_a_year_csprcli_cannot_count_is_bad_input(cli, year):
    add_incident(cli, "17/12/2025")
    assert "--year" in cli.refused("report", "--year", year)


@pytest.mark.slow
def test_a_full_disk_on_standard_output_is_an_environment_problem(loaded):
    with open("/dev/full", "wb") as full:  # written to, as any command's output could be
        for args in (["list"], ["export"], ["export", "--format", "json"], ["history", "--format", "csv"]):
            result = run(args, loaded, stdout=full)
            assert result.returncode == 3, (args, result.stderr)
            assert "No space left on device" in one_line(result.stderr)


@pytest.mark.slow
def test_a_standard_output_that_is_not_utf8_is_an_environment_problem(loaded):
    result = run(["export", "--format", "csv"], loaded, env={"PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 3 and result.stdout == b""
    assert "encoding" in one_line(result.stderr)


@pytest.mark.slow
def test_the_report_as_a_table_on_a_terminal_without_the_bar_character_draws_its_bars_in_hashes(loaded):
    result = run(["report", "--year", "2025-26"], loaded, env={"PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("latin-1")
    assert text.startswith("Serious incidents aware from Tue 01 Apr 2025") and "##" in text and "█" not in text
    assert result.stderr == b""


@pytest.mark.slow
def test_a_report_the_terminal_cannot_show_is_refused_before_anything_is_printed(loaded):
    """A title the terminal's encoding has no letters for (here, ASCII and a pound sign)."""
    script = (
        "import sys; import csprcli.output.report as r; from csprcli.cli import app; "
        "original = r.show_report; "
        "r.show_report = lambda title, *rest: original(title + ' \u00a3', *rest); "
        "import csprcli.cli.report as m; m.show_report = r.show_report; sys.argv = ['csprcli', 'report']; app()"
    )
    environment = os.environ | {"CSPRCLI_DB": str(loaded), "CSPRCLI_AS_OF": "2026-03-04", "PYTHONIOENCODING": "ascii"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, env=environment, timeout=60)
    assert result.returncode == 3 and result.stdout == b""
    assert "encoding (ascii)" in one_line(result.stderr)


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly_and_not_with_status_1(tmp_path):
    db = tmp_path / "cases.db"
    rows = "".join(f"LCS-{n},Walsall,03/04/2025,death,known\n" for n in range(3000))
    (tmp_path / "many.csv").write_text("child,la,aware,nature,abuse\n" + rows)
    assert run(["import", str(tmp_path / "many.csv")], db).returncode == 0
    environment = os.environ | {"CSPRCLI_DB": str(db), "CSPRCLI_AS_OF": "2026-03-04"}
    for command in ("list --format csv", "export", "history --format csv"):
        result = subprocess.run(
            ["bash", "-c", f'"{sys.executable}" -m csprcli {command} | head -1; echo "status ${{PIPESTATUS[0]}}" >&2'],
            capture_output=True,
            env=environment,
            timeout=120,
        )
        assert result.stderr.decode().strip() == "status 141", result.stderr  # nothing else on stderr
        assert result.stdout.count(b"\n") == 1


def test_a_failure_after_the_write_committed_says_what_was_recorded(cli, db_path, monkeypatch):
    import csprcli.services.cases

    ref = add_incident(cli, "17/12/2025", as_of="2025-12-17")

    def damaged(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    original = csprcli.services.cases.case
    monkeypatch.setattr(csprcli.services.cases, "case", damaged)
    result = cli("incident", "notify", ref, "--on", "18/12/2025")
    assert result.exit_code == 5, result.stderr
    assert f"change 2 ({ref}) was recorded, but then:" in result.stderr
    assert "Do not run the command again" in result.stderr and "nothing was written" not in result.stderr
    assert result.stderr.count("\n") == 1
    monkeypatch.setattr(csprcli.services.cases, "case", original)
    history = json.loads(cli.ok("history", ref, "--format", "json").stdout)
    assert history[0]["command"] == "incident notify"


def test_a_failure_before_anything_was_written_is_status_3(cli, db_path, monkeypatch):
    import csprcli.store.store

    ref = add_incident(cli, "17/12/2025", as_of="2025-12-17")

    def damaged(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(csprcli.store.store.Store, "update_incident", damaged)
    assert "damaged" in cli.refused("incident", "notify", ref, "--on", "18/12/2025", code=3)


@pytest.mark.slow
@pytest.mark.parametrize("after", [0.05, 0.1, 0.15, 0.2, 0.3])
def test_an_interrupt_while_csprcli_is_still_loading_ends_in_one_line_and_130(tmp_path, after):
    import shutil
    import signal
    import time

    csprcli = shutil.which("csprcli", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    # no database named: `rules` prints the default rules (exit 0) if it finishes before the interrupt
    env = {k: v for k, v in os.environ.items() if k != "CSPRCLI_DB"} | {
        "XDG_CONFIG_HOME": str(tmp_path),
        "CSPRCLI_AS_OF": "2026-01-29",
    }
    proc = subprocess.Popen([csprcli, "rules"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    # Python itself may still be starting (its site module, the console script's first import line):
    # not csprcli's to answer. Once csprcli's own code runs, no traceback passes through it or Typer.
    assert not [line for line in err.splitlines() if "/csprcli/" in line or "typer" in line], err
    if "Traceback" in err or "init_import_site" in err:
        return
    # 130 with one line, or 0 when it had finished; -2 when Python had not yet set its own handler
    assert proc.returncode in (0, 130, -signal.SIGINT), (proc.returncode, err)
    if proc.returncode == 130:  # interrupted while loading or while running the command: one line
        assert err == "error: interrupted\n"


def test_an_interrupt_while_a_command_runs_ends_in_one_line_and_130(cli, monkeypatch):
    """Ctrl-C in the middle of a command (here, while the overdue list is worked out): the same
    one line and exit status 130 as an interrupt while csprcli is loading, never a quiet end."""
    import csprcli.services.cases

    add_incident(cli, "17/12/2025", as_of="2025-12-17")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(csprcli.services.cases, "overdue", interrupted)
    result = cli("overdue")
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "error: interrupted\n")


# -- a closed pipe under a table, and a standard output that cannot take the text ---------------


@pytest.mark.slow
def test_a_closed_pipe_under_a_table_ends_quietly_with_141(tmp_path):
    db = tmp_path / "cases.db"
    rows = "".join(f"LCS-{n},Walsall,03/04/2025,death,known\n" for n in range(400))
    (tmp_path / "many.csv").write_text("child,la,aware,nature,abuse\n" + rows)
    assert run(["import", str(tmp_path / "many.csv")], db).returncode == 0
    for command in ("show SI-2025-001", "report --year 2025-26", "overdue --all", "list --all"):
        # `true` reads nothing and is gone long before csprcli has started: the pipe is closed
        result = subprocess.run(
            ["bash", "-c", f'"{sys.executable}" -m csprcli {command} | true; echo "status ${{PIPESTATUS[0]}}" >&2'],
            capture_output=True,
            env=os.environ | {"CSPRCLI_DB": str(db), "CSPRCLI_AS_OF": "2026-03-04"},
            timeout=120,
        )
        assert result.stderr.decode().strip() == "status 141", (command, result.stderr)


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["export", "--output", "-"],
        ["list", "--format", "csv"],
        ["history", "--format", "csv"],
        ["export", "--format", "json"],
        ["export", "--format", "ics"],
    ],
)
def test_an_ascii_standard_output_gets_nothing_when_it_is_refused(tmp_path, args):
    db = tmp_path / "cases.db"
    (tmp_path / "in.csv").write_text("child,la,aware,nature,abuse\nLCS-1,Ynys Môn,03/04/2025,death,known\n")
    assert run(["import", str(tmp_path / "in.csv")], db).returncode == 0
    with open(tmp_path / "out", "wb") as out:
        result = run(args, db, stdout=out, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 3, result.stderr
    assert "encoding" in one_line(result.stderr)
    assert (tmp_path / "out").read_bytes() == b""
