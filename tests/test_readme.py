"""The README itself, followed as a newcomer would on a fresh machine: its set-up in a scratch
copy of the repository, then its cron line, each in an environment as bare as cron's."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BARE_PATH = "/usr/bin:/bin"  # cron's PATH


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end]


def blocks(text: str, lang: str = "") -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def bare_env(home: Path, **extra: str) -> dict:
    """Nothing but what cron gives a job, and the machine's package-index settings for pip."""
    env = {"PATH": BARE_PATH, "HOME": str(home), "SHELL": "/bin/sh", "LANG": "C.UTF-8"}
    env |= {k: v for k, v in os.environ.items() if k.startswith("PIP_") or k.lower().endswith("_proxy")}
    return env | extra


def quick_start() -> str:
    """The README's first command: set up and run the main job on the sample data."""
    (line,) = blocks(section("Quick start"), "sh")[0].splitlines()
    return line


def test_the_quick_start_is_one_command_a_newcomer_can_type():
    line = quick_start()
    assert line.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install")
    assert line.endswith("--as-of 2026-03-04 today")  # it ends with the officer's morning
    # The sample is named with --db: nothing typed later in this terminal lands among its cases.
    assert "--db /tmp/csprcli-sample.db" in line and "CSPRCLI_DB" not in line
    assert "exit status 1" in section("Quick start")  # today's 1 is explained
    assert blocks(section("Quick start"), "sh")[1].strip() == "bash .ci/run"  # the second: the tests


def test_the_cron_line_names_everything_with_a_full_path():
    line = blocks(section("The nightly check"))[0].strip()
    schedule, command = line.split(maxsplit=5)[:5], line.split(maxsplit=5)[5]
    assert schedule == ["0", "6", "*", "*", "1-5"]
    assert "CSPRCLI_DB=/" in command and "CSPRCLI=/" in command
    assert re.search(r">>/\S+\.log 2>&1$", command)  # the output is kept
    assert "crontab -e` as that user" in section("The nightly check")


@pytest.mark.slow
def test_the_readme_set_up_and_cron_line_work_in_a_bare_environment(tmp_path):
    clone = tmp_path / "csprcli"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True)
    for name in listed.stdout.splitlines():
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    home = tmp_path / "home"
    home.mkdir()
    setup = quick_start().replace("/tmp/csprcli-sample.db", str(tmp_path / "sample.db"))
    # As typed, in one shell; then its exit status.
    script = f'{setup}\necho "status $?" >&3\n'
    statuses = tmp_path / "statuses"
    result = subprocess.run(
        ["/bin/bash", "-c", f"exec 3>{statuses}\n{script}"],
        cwd=clone,
        env=bare_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )
    codes = [int(line.split()[1]) for line in statuses.read_text().splitlines()]
    # today ends with 1 (the sample has overdue cases; the README explains it)
    assert codes == [1], (codes, result.stdout[-2000:], result.stderr[-2000:])
    # 80 columns (no terminal, no COLUMNS): the command to type wraps within its column of the table
    assert "Overdue (5)" in result.stdout and "csprcli incident notify" in result.stdout
    assert "SI-2026-003 --on DATE" in result.stdout
    assert "sample-cases.sh: recording SI-2026-005" in result.stderr  # it says what it is doing

    # The cron line, with /opt/csprcli and /srv/lscp made scratch folders, run as cron runs it.
    line = blocks(section("The nightly check"))[0].strip()
    command = line.split(maxsplit=5)[5]
    srv = tmp_path / "srv"
    srv.mkdir()
    shutil.copy2(tmp_path / "sample.db", srv / "csprcli.db")
    command = command.replace("/opt/csprcli", str(clone)).replace("/srv/lscp", str(srv))
    cron = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=home,
        env=bare_env(home, CSPRCLI_AS_OF="2026-03-04"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = (srv / "nightly-check.log").read_text()
    assert cron.returncode == 1, log  # something is overdue on 4 March 2026
    stamp = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} "
    assert all(re.match(stamp, line) for line in log.splitlines()), log  # every line dated
    assert re.match(stamp + r"csprcli nightly check: OVERDUE \(5\)\n", log)
    assert "SI-2026-003,notification" in log
    # today reads the log beside the database: when the check ran and what it found
    found = subprocess.run([str(clone / ".venv" / "bin" / "csprcli"), "--db", str(srv / "csprcli.db"), "--as-of",
                            "2026-03-04", "today"], env=bare_env(home), capture_output=True, text=True)  # fmt: skip
    assert "and found something overdue (5 milestones)" in found.stdout

    # Without CSPRCLI the script finds the clone's own csprcli, with nothing on PATH.
    command = command.replace(f"CSPRCLI={clone}/.venv/bin/csprcli ", "")
    cron = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=home,
        env=bare_env(home, CSPRCLI_AS_OF="2026-01-20"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cron.returncode == 0
    assert (srv / "nightly-check.log").read_text().endswith(" csprcli nightly check: nothing overdue\n")
