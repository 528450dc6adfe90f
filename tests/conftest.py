import csv
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from csprcli.cli import app

DATA = Path(__file__).parent / "data"

# Hypothesis profiles: "default", short and the same examples every run (what `pytest` and CI run);
# "deep", ten times the examples, drawn afresh: HYPOTHESIS_PROFILE=deep pytest -m slow
settings.register_profile("default", max_examples=100, deadline=None, derandomize=True)
settings.register_profile("deep", max_examples=1000, deadline=None, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def scaled(examples: int) -> int:
    """A costly property's number of examples at the default profile, scaled with the one loaded."""
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


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No test touches the user's own database, terminal width or clock."""
    monkeypatch.setenv("CSPRCLI_DB", str(tmp_path / "test.db"))
    monkeypatch.delenv("CSPRCLI_AS_OF", raising=False)
    monkeypatch.delenv("CSPRCLI_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")


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
