"""The scripts in examples/, run as a user would run them, through the installed csprcli."""

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # property, concurrency and whole-process tests

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["CSPRCLI_DB"] = str(tmp_path_factory.mktemp("examples") / "sample.db")
    env.pop("CSPRCLI_AS_OF", None)
    if not shutil.which("csprcli", path=env["PATH"]):
        pytest.fail("csprcli is not installed beside this Python: install the project (pip install -e .)")
    return env


def run(args, env, **extra):
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, **extra)


STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} ")


def unstamped(text: str) -> list[str]:
    """The nightly check's lines without their date and time, which every line must start with."""
    lines = text.splitlines()
    assert all(STAMP.match(line) for line in lines), text
    return [STAMP.sub("", line) for line in lines]


@pytest.fixture(scope="module")
def sample(env):
    """The sample database, recorded once for this module; the tests only read it."""
    result = run(["bash", str(EXAMPLES / "sample-cases.sh"), env["CSPRCLI_DB"]], env)
    assert result.returncode == 0, result.stderr
    return env


def test_nightly_check_reports_overdue_items_with_status_1(sample):
    result = run(["bash", str(EXAMPLES / "nightly-check.sh")], sample | {"CSPRCLI_AS_OF": "2026-03-04"})
    assert result.returncode == 1
    lines = unstamped(result.stdout)
    assert lines[0] == "csprcli nightly check: OVERDUE (5)"
    # working days overdue on Wed 4 Mar 2026, counted by hand in examples/sample-cases.sh's dates
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    assert [(r["ref"], r["milestone"], r["title"], r["force"], r["working_days"], r["kind"]) for r in rows] == [
        (
            "SI-2026-003",
            "notification",
            "Serious incident notification to the Panel",
            "statutory guidance",
            "26",
            "incident",
        ),
        (
            "SI-2026-003",
            "partners-informed",
            "Local safeguarding partners told",
            "statutory guidance",
            "26",
            "incident",
        ),
        (
            "SI-2025-002",
            "panel-response",
            "Panel's response to the rapid review (reminder to chase)",
            "local",
            "19",
            "incident",
        ),
        (
            "SI-2026-002",
            "rr-decision",
            "Rapid review decision (local review or not)",
            "Panel guidance",
            "18",
            "incident",
        ),
        ("SI-2026-002", "rr-sent", "Rapid review sent to the Panel", "Panel guidance", "18", "incident"),
    ]


def test_nightly_check_is_quiet_when_nothing_is_overdue(sample):
    result = run(["bash", str(EXAMPLES / "nightly-check.sh")], sample | {"CSPRCLI_AS_OF": "2026-01-20"})
    assert (result.returncode, unstamped(result.stdout)) == (0, ["csprcli nightly check: nothing overdue"])


def test_nightly_check_keeps_warnings_out_of_the_overdue_list(sample):
    database = Path(sample["CSPRCLI_DB"])
    database.chmod(0o644)  # readable by others: csprcli warns on stderr
    try:
        result = run(["bash", str(EXAMPLES / "nightly-check.sh")], sample | {"CSPRCLI_AS_OF": "2026-03-04"})
    finally:
        database.chmod(0o600)  # the sample database is shared with the tests after this one
    assert result.returncode == 1
    lines = unstamped(result.stdout)
    assert lines[0] == "csprcli nightly check: OVERDUE (5)" and lines[1].startswith("ref,milestone,")
    assert all("warning" not in line for line in lines)  # the CSV is only the CSV
    assert any(line.startswith("note: warning:") for line in unstamped(result.stderr))
    assert "can be read by others" in result.stderr


def test_nightly_check_fails_loudly_when_the_database_is_missing(env, tmp_path):
    result = run(["bash", str(EXAMPLES / "nightly-check.sh")], env | {"CSPRCLI_DB": str(tmp_path / "typo.db")})
    assert result.returncode == 2
    assert "FAILED (exit status 3)" in unstamped(result.stderr)[0] and "no database at" in result.stderr


def test_sample_cases_refuse_to_write_over_an_existing_file(sample):
    result = run(["bash", str(EXAMPLES / "sample-cases.sh"), sample["CSPRCLI_DB"]], sample)
    assert result.returncode == 2 and "exists already" in result.stderr


def test_the_installed_command_runs_as_a_real_process(sample):
    result = run(["csprcli", "--as-of", "2026-03-04", "overdue", "--quiet"], sample)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "")
    result = run([sys.executable, "-m", "csprcli", "--as-of", "2026-03-04", "upcoming", "--format", "csv"], sample)
    assert result.returncode == 0
    assert [line.split(",")[:2] for line in result.stdout.splitlines()[1:]] == [
        ["SI-2026-004", "panel-response"],
        ["SI-2026-005", "notification"],
        ["SI-2026-005", "partners-informed"],
    ]


def test_nightly_check_runs_under_an_environment_as_bare_as_crons(sample, tmp_path):
    # env -i: no PATH beyond cron's, no virtual environment, no HOME; CSPRCLI names the program.
    installed = shutil.which("csprcli", path=sample["PATH"])
    bare = {"PATH": "/usr/bin:/bin", "CSPRCLI_DB": sample["CSPRCLI_DB"], "CSPRCLI_AS_OF": "2026-03-04"}
    result = run(
        [
            "env",
            "-i",
            *(f"{k}={v}" for k, v in bare.items()),
            "CSPRCLI=" + installed,
            "/bin/sh",
            "-c",
            str(EXAMPLES / "nightly-check.sh"),
        ],
        sample,
    )
    assert result.returncode == 1, result.stderr
    assert unstamped(result.stdout)[0] == "csprcli nightly check: OVERDUE (5)"


def test_nightly_check_says_when_it_cannot_find_csprcli(tmp_path):
    script = tmp_path / "examples" / "nightly-check.sh"  # a copy with no .venv beside it
    script.parent.mkdir()
    shutil.copy2(EXAMPLES / "nightly-check.sh", script)
    result = run(["env", "-i", "PATH=/usr/bin:/bin", f"HOME={tmp_path}", "/bin/sh", "-c", str(script)], {})
    assert result.returncode == 2
    assert unstamped(result.stderr) == ["csprcli nightly check FAILED: csprcli not found; set CSPRCLI to its full path"]
