import csv
import functools
import importlib.metadata
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from csprcli.cli import app

DATA = Path(__file__).parent / "data"

# Hypothesis profiles (HYPOTHESIS_PROFILE names one):
# - "default", short: 50 examples (a stateful run 25 steps), the same every run, so a failure is seen
#   again; what `pytest`, the fast subset and .ci/run use;
# - "deep": 1,000 examples (a stateful run 50 steps), drawn afresh each run, to look for what the short
#   one misses: HYPOTHESIS_PROFILE=deep pytest -m slow (tens of minutes).
settings.register_profile("default", max_examples=50, stateful_step_count=25, deadline=None, derandomize=True)
settings.register_profile("deep", max_examples=1000, stateful_step_count=50, deadline=None, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def scaled(examples: int) -> int:
    """A costly property's examples, given per 100 of the loaded profile's (half as many at the
    default profile, ten times as many at deep)."""
    return max(1, examples * settings.default.max_examples // 100)


def snapshot(path):
    """Everything in the database, to show that a refused command wrote nothing."""
    if not path.exists():
        return None
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def first_version_database(path: Path) -> None:
    """A database written by the first version of csprcli (schema 0001), kept as SQL."""
    with sqlite3.connect(path) as conn:
        conn.executescript((DATA / "schema-0001.sql").read_text(encoding="utf-8"))
    path.chmod(0o600)


def published_bank_holidays() -> dict[date, str]:
    """GOV.UK's list of England and Wales bank holidays, 2012-2028: the independent reference."""
    with open(DATA / "ew_bank_holidays.csv", encoding="utf-8") as f:
        return {date.fromisoformat(row["date"]): row["title"] for row in csv.DictReader(f)}


def isolate(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """No test touches the user's own database, terminal width or clock: CSPRCLI_DB names `db`."""
    monkeypatch.setenv("CSPRCLI_DB", str(db))
    monkeypatch.delenv("CSPRCLI_AS_OF", raising=False)
    monkeypatch.delenv("CSPRCLI_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path / "test.db")


def new_database_image() -> bytes:
    """A new database as csprcli makes it (its own `_create_database`, every migration run), made once
    per test process and kept as an image: new databases in tests are copies of it (`_new_databases`)."""
    import tempfile

    from csprcli.store.sqlite_file import _create_database

    with tempfile.TemporaryDirectory(prefix="csprcli-template-") as folder:
        path = Path(folder) / "new.db"
        _create_database(path)
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")  # an image a memory database can hold; copies are WAL
            return conn.serialize()
        finally:
            conn.close()


MIGRATIONS_FOR_NEW_DATABASES = {"run": False}  # True while a test marked from_migrations runs


@pytest.fixture(scope="session", autouse=True)
def _new_databases():
    """Running the 16 migrations costs about 0.1 s of CPU, so a test's new database is instead a page for
    page copy of one the migrations made (`new_database_image`), with an identity of its own as migration
    0016 gives each register (the migrations' applied_at stays the template's: nothing reads it;
    tests/test_store.py holds a copy to what the migrations make). Everything else is csprcli's own code: the file is made, linked into place
    and opened as any new database is. Only making a database from nothing is replaced: upgrading one
    runs the migrations. Tests marked `from_migrations` (and every whole-process test) run them all."""
    import uuid

    import typer.testing

    from csprcli.cli import commands
    from csprcli.store import migrations, sqlite_file
    from csprcli.store.migrations import applied

    migrate = sqlite_file._migrate
    image_of_new = new_database_image()

    def copy_of_new(store) -> list[str]:
        if MIGRATIONS_FOR_NEW_DATABASES["run"] or applied(store.conn):
            return migrate(store)
        image = sqlite3.connect(":memory:")
        try:
            image.deserialize(image_of_new)
            # No wait for the disk while the copy is written: no test needs it to outlive a power cut.
            store.conn.execute("PRAGMA synchronous = OFF")
            image.backup(store.conn)
        finally:
            image.close()
        with store.conn:
            store.conn.execute("UPDATE register SET identity = ?", [uuid.uuid4().hex])
        return []

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(sqlite_file, "_migrate", copy_of_new)
        # Each full import reads every table's unique keys from a schema the migrations make in memory
        # (another 0.1 s): the same answer every time in one process, so worked out once.
        monkeypatch.setattr(migrations, "unique_keys", functools.cache(migrations.unique_keys))
        # Every write asks which `holidays` package filled the stored bank holidays (2 ms: it reads the
        # package's metadata); no package changes inside a test process, so each answer is read once.
        monkeypatch.setattr(importlib.metadata, "version", functools.cache(importlib.metadata.version))
        # A process of csprcli builds its commands from their Typer apps once (the root, then the command
        # typed); the tests run thousands of commands in one process, so each is built once and kept.
        monkeypatch.setattr(typer.testing, "_get_command", functools.cache(typer.testing._get_command))
        load = functools.cache(commands.load)
        for module in (commands, sys.modules["csprcli.cli.app"]):  # cli.app's own name for it too
            monkeypatch.setattr(module, "load", load)
        yield


@pytest.fixture(autouse=True)
def _from_migrations(request, monkeypatch):
    if request.node.get_closest_marker("from_migrations"):
        monkeypatch.setitem(MIGRATIONS_FOR_NEW_DATABASES, "run", True)


@contextmanager
def recorded_once(tmp_path_factory: pytest.TempPathFactory, name: str = "register") -> Iterator[tuple["Cli", Path]]:
    """For a fixture (scope="module") that records its cases once for every test that uses it: a Cli on a
    database of its own, in the environment every test has (`isolate`). Each test then works on a copy of
    the file (`copy_database`), so none sees another's changes."""
    path = tmp_path_factory.mktemp(name) / "test.db"
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate(monkeypatch, path)
        yield Cli(), path


def copy_database(source: Path, target: Path) -> Path:
    """A copy of a database file that no connection has open (csprcli's own commands close theirs):
    as a user copies it, permissions and the register's identity kept."""
    assert not Path(f"{source}-wal").exists(), "the database is still open"
    shutil.copy2(source, target)
    return target


@pytest.fixture
def no_database_named(tmp_path, monkeypatch) -> Path:
    """No --db and no CSPRCLI_DB: the default place, moved into the test's folder (XDG_CONFIG_HOME)."""
    monkeypatch.delenv("CSPRCLI_DB")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "csprcli" / "csprcli.db"


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.db"


class Cli:
    """Runs csprcli in-process as a user would, with a fixed as-of date."""

    def __init__(self, as_of: str = "2026-01-29"):
        self.as_of = as_of
        self.runner = CliRunner()
        self.as_if_today = False  # True: each command runs on its as-of date as the real today (a feed is published)

    def __call__(self, *args: str, as_of: str | None = None):
        argv = ["--as-of", as_of or self.as_of, *args]
        if not self.as_if_today:
            return self.runner.invoke(app, argv, env={"COLUMNS": "120"})
        from unittest import mock

        with mock.patch("csprcli.cli.base.london_today", return_value=date.fromisoformat(as_of or self.as_of)):
            return self.runner.invoke(app, argv, env={"COLUMNS": "120"})

    def ok(self, *args: str, as_of: str | None = None):
        result = self(*args, as_of=as_of)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return result

    def refused(self, *args: str, as_of: str | None = None, code: int = 2):
        """The command fails with one line on stderr, nothing on stdout, and no traceback."""
        result = self(*args, as_of=as_of)
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
        assert result.stdout == ""
        assert result.stderr.startswith("error: ")
        assert result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
        return result.stderr


@pytest.fixture
def cli() -> Cli:
    return Cli()


INCIDENT = [
    "incident",
    "add",
    "--child",
    "LCS-104233",
    "--la",
    "Walsall",
    "--nature",
    "serious-harm",
    "--abuse",
    "suspected",
]


def add_incident(cli: Cli, aware: str, *extra: str, as_of: str | None = None) -> str:
    """Record an incident and return its reference."""
    result = cli.ok(*INCIDENT, "--aware", aware, *extra, as_of=as_of)
    return result.stdout.split(":")[0]


def as_another_user(action):
    """Run `action` as a user without root's powers, so that file permissions bind.

    As root (CI runs as root) the action runs in a forked child that drops to the
    'nobody' user; everything it needs is imported before the fork. Returns what the
    action returns, as (exit_code, stdout, stderr) triples of CliRunner results.
    """
    import multiprocessing

    def summary(results):
        return [(r.exit_code, r.stdout, r.stderr) for r in results]

    if os.geteuid() != 0:
        return summary(action())
    import holidays  # noqa: F401  (the child cannot read files the parent could)
    import sqlite_utils  # noqa: F401

    context = multiprocessing.get_context("fork")
    queue = context.Queue()

    def child():
        os.setgid(65534)
        os.setuid(65534)
        queue.put(summary(action()))

    process = context.Process(target=child)
    process.start()
    result = queue.get(timeout=60)
    process.join(timeout=60)
    return result


# The eight milestones of the statutory path, in the rule table's order.
MILESTONES = (
    "notification",
    "partners-informed",
    "rr-decision",
    "rr-sent",
    "panel-response",
    "progress-check",
    "report-sent",
    "publication",
)


def an_incident(**changes):
    """The case the unit tests build on: serious harm to LCS-104233 in Walsall, abuse or neglect
    suspected, the local authority aware on Wed 17 Dec 2025; `changes` add to it."""
    from csprcli.domain.model import Incident
    from csprcli.domain.vocabulary import Abuse, Nature

    base = dict(
        ref="SI-2025-001",
        child="LCS-104233",
        la="Walsall",
        aware=date(2025, 12, 17),
        nature=Nature.SERIOUS_HARM,
        abuse=Abuse.SUSPECTED,
    )
    return Incident(**(base | changes))
