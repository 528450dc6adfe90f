"""`db copy` between a SQLite file and a register on the PostgreSQL server, either way: one
transaction on the target, a target with records refused, the copy kept only when its full export
is the source's (the sample register makes the round trip SQLite -> server -> SQLite unchanged).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pg_server
from conftest import INCIDENT

ROOT = Path(__file__).parent.parent
pg_register, pg_empty = pg_server.pg_register, pg_server.pg_empty  # the fixtures


def export(cli, where: str) -> str:
    return cli.ok("--db", where, "export", "--format", "json", as_of="2026-03-04").stdout


@pytest.mark.slow
def test_the_sample_register_goes_to_the_server_and_back_unchanged(cli, pg_empty, tmp_path):
    csprcli = shutil.which("csprcli", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    sample, back = tmp_path / "sample.db", tmp_path / "back.db"
    env = dict(os.environ, CSPRCLI=csprcli or "csprcli")
    subprocess.run(["bash", str(ROOT / "examples" / "sample-cases.sh"), str(sample)], env=env, check=True)
    there = cli.ok("db", "copy", str(sample), pg_empty, as_of="2026-03-04").stdout
    assert (
        there.startswith(f"copied {sample} to ")
        and "8 cases" in there
        and "the full exports of both are the same" in there
    )
    assert pg_server.password_of(pg_empty) not in there
    cli.ok("db", "copy", pg_empty, str(back), as_of="2026-03-04")
    original = export(cli, str(sample))
    assert export(cli, pg_empty) == original
    assert export(cli, str(back)) == original
    today = [cli("--db", where, "today", as_of="2026-03-04") for where in (str(sample), pg_empty, str(back))]
    assert today[0].exit_code == 1 and all(t.stdout.split("Nightly check")[0] == today[0].stdout.split("Nightly check")[0] for t in today)  # fmt: skip


def record(cli, where: str) -> None:
    cli.ok("--db", where, *INCIDENT, "--aware", "02/01/2026", as_of="2026-01-05")


@pytest.mark.parametrize("direction", ["to the server", "from the server"])
def test_a_target_that_holds_records_is_refused_and_left_as_it_was(cli, pg_register, tmp_path, direction):
    local = str(tmp_path / "local.db")
    record(cli, local)
    record(cli, pg_register)
    source, target = (local, pg_register) if direction == "to the server" else (pg_register, local)
    before = export(cli, target)
    message = cli.refused("db", "copy", source, target, as_of="2026-01-06")
    assert "already holds records: db copy copies only into an empty register" in message
    assert "--db" not in message  # db copy takes no --db: the words are its own
    assert export(cli, target) == before


@pytest.mark.parametrize("direction", ["to the server", "from the server"])
def test_a_copy_that_does_not_read_back_as_its_source_keeps_nothing(cli, pg_register, pg_empty, tmp_path, direction, monkeypatch):  # fmt: skip
    import csprcli.store.database as database

    local = tmp_path / "local.db"
    if direction == "to the server":
        record(cli, str(local))
        source, target = str(local), pg_empty
    else:
        record(cli, pg_register)
        source, target = pg_register, str(local)
    real = database.dumped

    def altered(store, *, snapshot=True):  # the copy as read back: one character off
        text = "".join(real(store, snapshot=snapshot))
        yield text if snapshot else text.replace("Walsall", "Walsal_")

    monkeypatch.setattr(database, "dumped", altered)
    message = cli.refused("db", "copy", source, target, as_of="2026-01-06", code=3)
    assert "does not read back as the source's full export; nothing was kept" in message
    monkeypatch.setattr(database, "dumped", real)
    if direction == "to the server":
        assert json.loads(export(cli, target))["incidents"] == []
    else:
        assert not local.exists()


def test_a_copy_onto_itself_is_refused(cli, pg_register):
    assert "the same register" in cli.refused("db", "copy", pg_register, pg_register, as_of="2026-01-06")


def test_a_file_that_holds_records_is_refused_in_db_copy_s_own_words(cli, tmp_path):
    """Between two SQLite files, no server needed: the refusal names the target and says what db copy
    copies into (before, it said "give a new --db", the import's words, and db copy has no --db)."""
    source, target = str(tmp_path / "source.db"), str(tmp_path / "target.db")
    record(cli, source)
    record(cli, target)
    before = export(cli, target)
    message = cli.refused("db", "copy", source, target, as_of="2026-01-06")
    assert f"{target} already holds records: db copy copies only into an empty register" in message
    assert "--db" not in message
    assert export(cli, target) == before
