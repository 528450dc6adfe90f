"""The database: a new one made by every migration, and upgrades through migrations keep every record."""

import json
import re
import sqlite3
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import add_incident, first_version_database
from csprcli.store.database import MIGRATIONS, open_store

DATA = Path(__file__).parent / "data"


def test_a_first_version_database_upgrades_with_its_data_intact(cli, db_path):
    first_version_database(db_path)
    before = db_path.read_bytes()
    assert "'csprcli db upgrade' upgrades it" in cli.refused("list", code=3)  # a reader never upgrades
    assert db_path.read_bytes() == before
    cli.ok("db", "upgrade")
    cases = json.loads(cli.ok("list", "--format", "json").stdout)
    assert [(c["ref"], c["child"], c["aware"], c["outcome"]) for c in cases] == [
        ("SI-2025-001", "LCS-104233", "2025-12-17", "lcspr"),
        ("SI-2025-002", "LCS-317702", "2025-12-22", None),
    ]
    shown = json.loads(cli.ok("show", "SI-2025-001", "--format", "json").stdout)[0]
    assert shown["children"][0]["reference"] == "LCS-104233" and shown["children"][0]["primary"] is True
    assert shown["sin_ref"] == "SIN-1"
    m = {x["milestone"]: x for x in shown["milestones"]}
    assert m["rr-sent"]["done"] == "2026-01-16"
    # the new clocks start on the old data: the Panel reminder 10 WD after Fri 16 Jan 2026 is Fri 30 Jan
    assert m["panel-response"]["due"] == "2026-01-30"
    export = cli.ok("export", "--view", "full", "--include-notes").stdout
    assert "Før-test" in export
    closures = json.loads(cli.ok("holidays", "--year", "2026", "--format", "json").stdout)
    assert {"date": "2026-01-02", "day": "Friday", "kind": "closure", "name": "Christmas-closure"} in closures
    with sqlite3.connect(db_path) as conn:
        applied = [name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == [name for name, _ in MIGRATIONS]


def test_upgrading_is_done_once(db_path):
    first_version_database(db_path)
    open_store(db_path, create=False).close()
    store = open_store(db_path, create=False)
    assert len(list(store.incidents())) == 2
    assert len(store.incident("SI-2025-001").children) == 1
    store.close()


def test_records_read_back_equal_records_built_the_ordinary_way(cli, db_path):
    """The store builds records without running __new__, for speed: they must be the same records."""

    cli.ok("import", str(Path(__file__).parent.parent / "examples" / "import-cases.csv"), as_of="2026-03-04")
    cli.ok(
        "action",
        "add",
        "SI-2025-002",
        "--recommendation",
        "Audit",
        "--agency",
        "Police",
        "--target",
        "30/06/2026",
        as_of="2026-03-04",
    )
    store = open_store(db_path, create=False)
    try:
        for incident in store.incidents():
            rebuilt = type(incident)(**{name: getattr(incident, name) for name in incident._fields})
            assert rebuilt == incident and hash(rebuilt) == hash(incident)
            for child in incident.children + incident.actions:
                assert type(child)(**{name: getattr(child, name) for name in child._fields}) == child
    finally:
        store.close()


def test_each_case_reads_back_its_own_related_records_in_the_order_recorded(cli, db_path):
    """The store reads the related tables beside the cases (a merge by case): records recorded for
    several cases in turn come back each under its own case, in the order recorded, whichever
    cases are read and whichever have none."""
    cli.ok("import", str(Path(__file__).parent.parent / "examples" / "import-cases.csv"), as_of="2026-03-04")
    store = open_store(db_path, create=False)
    refs = [i.ref for i in store.incidents()]
    store.close()
    added = {ref: [] for ref in refs[:3]}
    for n, ref in enumerate([refs[2], refs[0], refs[2], refs[0], refs[2]]):
        reference = f"LCS-9{n:05d}"
        cli.ok("child", "add", ref, "--child", reference, as_of="2026-03-04")
        added[ref].append(reference)
    store = open_store(db_path, create=False)
    try:
        read = {i.ref: [c.reference for c in i.children] for i in store.incidents()}
        assert read[refs[0]][-2:] == added[refs[0]] and read[refs[2]][-3:] == added[refs[2]]
        assert not set(read[refs[1]]) & {r for rs in added.values() for r in rs}
        for ref in refs:
            assert [c.reference for c in store.incident(ref).children] == read[ref]
    finally:
        store.close()


@pytest.mark.from_migrations
def test_a_new_database_is_made_by_every_migration_readable_by_its_owner_only(cli, db_path, tmp_path):
    started = datetime.now(timezone.utc)
    add_incident(cli, "17/12/2025")
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT name, applied_at FROM _sqlite_migrations ORDER BY id").fetchall()
        (identity,) = conn.execute("SELECT identity FROM register").fetchone()
    assert [name for name, _ in rows] == [name for name, _ in MIGRATIONS]
    assert all(datetime.fromisoformat(at) >= started for _, at in rows)  # run now, not copied from before
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert re.fullmatch(r"[0-9a-f]{32}", identity)


@pytest.mark.parametrize("name", ["file:sub/test.db", "db#1?.db", "file:sub/a%20b.db"])
def test_a_database_is_the_file_named_even_when_sqlite_would_read_the_name_as_a_uri(cli, tmp_path, monkeypatch, name):
    """SQLite takes a name that starts with "file:" for a URI naming another file, and "?" or "#"
    in a URI for its query or fragment: csprcli names every file to SQLite by a URI of its own, so
    the register is the file given, its permissions set on it, and read and checked there."""
    from conftest import INCIDENT

    monkeypatch.chdir(tmp_path)
    cli.ok("--db", name, *INCIDENT, "--aware", "17/12/2025")
    assert (tmp_path / name).is_file() and stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [Path(name).name]  # nothing elsewhere
    assert "SI-2025-001" in cli.ok("--db", name, "list", "--format", "csv").stdout
    assert cli("--db", name, "overdue", "--format", "csv").exit_code in (0, 1)


def test_the_tests_new_databases_hold_what_the_migrations_make(tmp_path, monkeypatch):
    """The tests' new databases are copies of one the migrations made (conftest's `_new_databases`):
    the same schema and rows but for the register's identity, which is each database's own, and the
    time each migration ran (the template's), which nothing reads."""
    import conftest

    def made(path: Path) -> tuple[list, list, str]:
        open_store(path, create=True).close()
        with sqlite3.connect(path) as conn:
            schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
            rows = [
                re.sub(r",'[0-9 :.+-]+'\);$", ");", line)  # when each migration ran: nothing reads it
                if line.startswith('INSERT INTO "_sqlite_migrations"')
                else line
                for line in conn.iterdump()
                if not line.startswith('INSERT INTO "register"')
            ]
            (identity,) = conn.execute("SELECT identity FROM register").fetchone()
            return schema, rows, identity

    copied = made(tmp_path / "copied.db")
    monkeypatch.setitem(conftest.MIGRATIONS_FOR_NEW_DATABASES, "run", True)
    migrated = made(tmp_path / "migrated.db")
    assert copied[:2] == migrated[:2]
    assert copied[2] != migrated[2]
