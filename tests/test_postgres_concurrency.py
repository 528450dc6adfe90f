"""Eight officers at once on one register on the PostgreSQL server, each running real csprcli
commands in a process of their own: new cases and actions on one shared case. Nothing is lost, no
case reference or action number is given twice or skipped, and the history holds every change whole.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pg_server
from pg_server import admin

pytestmark = pytest.mark.slow  # whole processes, at once
pg_register = pg_server.pg_register  # the fixture

CSPRCLI = shutil.which("csprcli", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
WRITERS, EACH = 8, 2


def csprcli(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CSPRCLI, *args], env=env, capture_output=True, text=True, timeout=300)


def test_eight_officers_at_once_lose_nothing_and_skip_no_reference(pg_register):
    if CSPRCLI is None:
        pytest.fail("csprcli is not installed beside this Python: install the project (pip install -e .)")
    env = dict(os.environ, CSPRCLI_DB=pg_register, CSPRCLI_AS_OF="2026-01-29")
    common = ["--la", "Walsall", "--nature", "serious-harm", "--abuse", "suspected"]
    assert csprcli(env, "incident", "add", "--child", "LCS-100000", "--aware", "05/01/2026", *common).returncode == 0
    notified = csprcli(env, "incident", "notify", "SI-2026-001", "--on", "06/01/2026", "--sin-ref", "SIN-1")
    assert notified.returncode == 0, notified.stderr
    decided = csprcli(
        env, "review", "decide", "SI-2026-001", "--outcome", "lcspr", "--on", "20/01/2026", "--reason", "Gaps"
    )
    assert decided.returncode == 0, decided.stderr
    script = " ; ".join(
        f'"{CSPRCLI}" incident add --child LCS-2{{w}}{i:04d} --aware 26/01/2026 {" ".join(common)} || echo "FAILED add $?" >&2 ; '
        f'"{CSPRCLI}" action add SI-2026-001 --recommendation "Audit {{w}}-{i}" --agency Police --target 30/06/2026 '
        '|| echo "FAILED action $?" >&2'
        for i in range(EACH)
    )
    writers = [
        subprocess.Popen(
            ["bash", "-c", script.format(w=w)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for w in range(WRITERS)
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=600)
        assert "FAILED" not in errors and "Traceback" not in errors, errors

    cases = json.loads(csprcli(env, "list", "--format", "json").stdout)
    assert sorted(c["ref"] for c in cases) == [f"SI-2026-{n:03d}" for n in range(1, 2 + WRITERS * EACH)]
    name = pg_register.rpartition("/")[2]
    numbers = admin("SELECT number FROM actions ORDER BY number", database=name)
    assert [n for (n,) in numbers] == list(range(1, 1 + WRITERS * EACH))
    # every change whole: each new case's incident and child rows and each action's row, under its own change
    kept = admin(
        "SELECT c.command, count(DISTINCT c.id), count(h.id) FROM changes c JOIN history h ON h.change_id = c.id "
        "GROUP BY c.command ORDER BY c.command",
        database=name,
    )
    assert kept == [
        ("action add", WRITERS * EACH, WRITERS * EACH),
        ("incident add", 1 + WRITERS * EACH, 2 * (1 + WRITERS * EACH)),
        ("incident notify", 1, 1),
        ("review decide", 1, 1),
    ]
    assert admin("SELECT count(*) FROM changes", database=name) == [(3 + 2 * WRITERS * EACH,)]
