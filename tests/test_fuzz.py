"""Fuzzing every command's arguments: any text, invalid UTF-8 (as bytes through a process of its
own), control characters and very long values. The only outcomes allowed are the documented exit
statuses 0 to 3, no traceback, a few lines on stderr, and the database unchanged after a refusal.

Derandomised, so every run tries the same examples. Paths are kept inside a temporary folder.
"""

import enum
import os
import typing
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import scaled
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csprcli.cli.app import app
from csprcli.cli.commands import load

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).parent.parent / "examples" / "import-cases.csv"
ALLOWED = {0, 1, 2, 3}


def leaves(command, path=()):
    """(path, click command) of every command that runs."""
    if hasattr(command, "list_commands"):  # a group (Typer's own copy of Click: no isinstance)
        ctx = type(command).context_class(command)
        for name in command.list_commands(ctx):
            yield from leaves(load(name) if not path else command.get_command(ctx, name), (*path, name))
    else:
        yield path, command


def described(param):
    """(option name or None for an argument, is a flag, is required, its fixed choices)."""
    option = param.opts[0] if param.param_type_name == "option" else None
    kind = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    kind = next((a for a in typing.get_args(kind) if isinstance(a, type)), kind) if typing.get_args(kind) else kind
    choices = [member.value for member in kind] if isinstance(kind, type) and issubclass(kind, enum.Enum) else []
    return option, getattr(param, "is_flag", False), param.required, choices


COMMANDS = [(path, [described(p) for p in command.params]) for path, command in leaves(typer.main.get_command(app))]
assert len(COMMANDS) >= 50, len(COMMANDS)

plausible = st.sampled_from(
    [
        "SI-2025-001",
        "SI-2025-002",
        "WS1234",
        "LCS-104233",
        "Child A",
        "17/12/2025",
        "2026-03-04",
        "today",
        "action-1",
        "publication",
        "notification",
        "lcspr",
        "known",
        "csv",
        "json",
        "ics",
        "table",
        "markdown",
        "2025-26",
        "9999-00",
        "5",
        "-1",
        "0",
        "none",
        "yes",
        "summary",
        "aware",
        "rr-clock-start",
        "reviewed",
        "--help",
        "--all",
        "-",
        "=1+1",
        "x" * 10_000,
    ]
)
unsafe = st.text(
    alphabet=st.sampled_from(["\x1b", "\x9b", "\u202e", "\u2066", "\x07", "\n", "\r", "\t", "a", "1", "/"]), max_size=20
)
anything = st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=40)


def inside(token: str) -> str:
    """Keep a value that could be a path inside the temporary folder (the tests run as root)."""
    return "x" if token.startswith(("/", "~")) or ".." in token else token


def arguments(text):
    """A command with a value for each of its arguments and required options, and some of its
    other options, mostly well formed (so the command runs deep), sometimes with a stray token."""
    value = st.one_of(plausible, plausible, plausible, text, unsafe, anything).map(inside)

    def of(command):
        path, params = command
        parts = []
        for option, flag, required, choices in params:
            given = st.one_of(st.sampled_from(choices), st.sampled_from(choices), value) if choices else value
            if option is None:
                parts.append(given.map(lambda v: [v]))
            elif flag:
                parts.append(st.sampled_from([[], [option]]))
            elif required:
                parts.append(given.map(lambda v, o=option: [o, v]))
            else:
                parts.append(st.one_of(st.just([]), given.map(lambda v, o=option: [o, v])))
        stray = st.one_of(st.just([]), st.just([]), st.lists(value, max_size=2))
        return st.tuples(*parts, stray).map(lambda chunks: (list(path), [t for chunk in chunks for t in chunk]))

    return st.sampled_from(COMMANDS).flatmap(of)


def snapshot(path: Path):
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def check(code: int, stderr: str, command: list[str]) -> None:
    assert code in ALLOWED, (code, command, stderr)
    assert "Traceback" not in stderr, stderr
    lines = stderr.count("\n")
    assert lines <= (60 if command[0] == "import" else 4), stderr
    if code >= 2:
        assert stderr.rstrip("\n").splitlines()[-1].startswith("error: "), stderr


@pytest.fixture
def database(tmp_path_factory, cli):
    """A database with cases in it, and a folder to run in."""
    folder = tmp_path_factory.mktemp("fuzz")
    db = folder / "cases.db"
    cli.ok("--db", str(db), "import", str(EXAMPLE), as_of="2026-03-04")
    cli.ok(
        "--db",
        str(db),
        "action",
        "add",
        "SI-2025-002",
        "--recommendation",
        "r",
        "--agency",
        "Police",
        "--target",
        "30/06/2026",
        as_of="2026-03-04",
    )
    return db


@settings(suppress_health_check=list(HealthCheck))
@given(call=arguments(anything))
def test_any_arguments_in_process(cli, database, monkeypatch, call):
    """Any text, control characters and very long values included (bytes: the next test)."""
    monkeypatch.chdir(database.parent)
    path, args = call
    before = snapshot(database)
    result = cli("--db", str(database), *path, *args, as_of="2026-03-04")
    check(result.exit_code, result.stderr, [*path, *args])
    if result.exit_code >= 2:
        assert snapshot(database) == before


@settings(max_examples=scaled(60), suppress_health_check=list(HealthCheck))
@given(
    call=arguments(st.binary(max_size=30).filter(lambda b: b"\x00" not in b).map(lambda b: b.decode("latin-1"))),
)
def test_any_bytes_through_a_process(database, call):
    """Bytes as a shell passes them: each token of latin-1 text goes in as its bytes, so most
    are not valid UTF-8."""
    path, args = call
    before = snapshot(database)
    argv = [sys.executable, "-m", "csprcli", *path] + [
        a.encode("latin-1", "surrogateescape") if all(ord(c) < 256 for c in a) else a.encode("utf-8", "surrogateescape")
        for a in args
    ]
    env = os.environ | {"CSPRCLI_DB": str(database), "CSPRCLI_AS_OF": "2026-03-04", "COLUMNS": "100"}
    result = subprocess.run(
        argv, capture_output=True, env=env, cwd=database.parent, stdin=subprocess.DEVNULL, timeout=60
    )
    check(result.returncode, result.stderr.decode("utf-8", "replace"), [*path, *map(str, args)])
    if result.returncode >= 2:
        assert snapshot(database) == before
