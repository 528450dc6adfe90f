"""Several people and the nightly job at once, and processes killed mid-command: real processes, not threads."""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # property, concurrency and whole-process tests

CSPRCLI = shutil.which("csprcli", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
ADD = [
    "incident",
    "add",
    "--child",
    "LCS-500001",
    "--la",
    "Walsall",
    "--aware",
    "17/12/2025",
    "--nature",
    "serious-harm",
    "--abuse",
    "suspected",
]


@pytest.fixture
def env(tmp_path):
    if CSPRCLI is None:
        pytest.fail("csprcli is not installed beside this Python: install the project (pip install -e .)")
    return dict(os.environ, CSPRCLI_DB=str(tmp_path / "shared.db"), CSPRCLI_AS_OF="2026-01-29")


def check_consistent(db: Path) -> int:
    """The integrity check passes and every incident was recorded whole; returns how many there are."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        incidents = conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
        orphans = conn.execute(
            'SELECT count(*) FROM incidents WHERE id NOT IN (SELECT incident_id FROM children WHERE "primary" = 1)'
        ).fetchone()[0]
        recorded = conn.execute("SELECT count(*) FROM history WHERE tbl = 'incidents' AND op = 'insert'").fetchone()[0]
        changes = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    assert orphans == 0
    assert recorded == incidents == changes
    return incidents


def test_writers_and_readers_at_once_lose_nothing(env):
    writers, each = 4, 6
    loop = f'for i in $(seq {each}); do "{CSPRCLI}" {" ".join(ADD)} || echo "FAILED $?" >&2; done'
    read = (
        f'for i in $(seq {each}); do "{CSPRCLI}" export >/dev/null || echo "FAILED $?" >&2; '
        f'"{CSPRCLI}" overdue --format csv >/dev/null; [ $? -le 1 ] || echo "FAILED" >&2; done'
    )
    # All start at once on a database that does not exist yet: creating it is contended too.
    procs = [
        subprocess.Popen(["bash", "-c", loop], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(writers)
    ]
    # Readers start once it exists: a reader never creates a database, and one made by a writer
    # appears whole (it is made beside and linked into place), never empty or half made.
    deadline = time.monotonic() + 60
    while not Path(env["CSPRCLI_DB"]).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    procs += [
        subprocess.Popen(["bash", "-c", read], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * len(procs)
    assert errors == [""] * len(procs), errors  # no "database is locked", no failure
    db = Path(env["CSPRCLI_DB"])
    assert check_consistent(db) == writers * each
    with sqlite3.connect(db) as conn:
        refs = [r for (r,) in conn.execute("SELECT ref FROM incidents ORDER BY ref")]
    assert refs == [f"SI-2025-{n:03d}" for n in range(1, writers * each + 1)]


def test_a_process_killed_at_any_moment_leaves_the_database_consistent(env):
    rng = random.Random(26112026)
    db = Path(env["CSPRCLI_DB"])
    subprocess.run([CSPRCLI, *ADD], env=env, check=True, capture_output=True)
    finished = killed = 0
    for _ in range(16):
        proc = subprocess.Popen([CSPRCLI, *ADD], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.6))
        if proc.poll() is None:
            proc.send_signal(rng.choice([signal.SIGKILL, signal.SIGKILL, signal.SIGINT]))
            killed += 1
        code = proc.wait(timeout=60)
        finished += code == 0
        assert code in (0, 130, -signal.SIGKILL, -signal.SIGINT), code
        check_consistent(db)
    assert killed > 0  # the loop did interrupt commands, at different points
    count = check_consistent(db)
    assert 1 + finished <= count <= 1 + 16
