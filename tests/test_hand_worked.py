"""The two yearly reports against years of cases worked out by hand (tests/data/*-2025-26.txt).

Each data file lists the commands an officer would have typed, each on the day it was recorded,
and the figures a person counted from them (the counting is in the file's comments). Every
figure of the report's JSON must be one of those and equal to it; the markdown and the terminal
views must carry the same numbers.
"""

import json
import re
import shlex
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def load(name: str):
    commands, expected = [], {}
    for number, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("expect "):
            as_of, section, measure, value = (part.strip() for part in line[len("expect ") :].split("|"))
            expected.setdefault(as_of, {})[(section, measure)] = int(value) if re.fullmatch(r"-?\d+", value) else value
            continue
        day, rest = line.split(maxsplit=1)
        refused = rest.startswith("! ")
        commands.append((number, day, refused, shlex.split(rest[2:] if refused else rest)))
    return commands, expected


def replay(cli, commands) -> None:
    for number, day, refused, args in commands:
        result = cli(*args, as_of=day)
        if refused:
            assert result.exit_code == 2 and result.stderr.startswith("error: "), (number, result.stdout, result.stderr)
        else:
            assert result.exit_code == 0, (number, args, result.stderr)


def figures(cli, command, as_of):
    rows = json.loads(cli.ok(*command, "--year", "2025-26", "--format", "json", as_of=as_of).stdout)
    assert {(r["period_from"], r["period_to"], r["as_of"]) for r in rows} == {("2025-04-01", "2026-03-31", as_of)}
    return {(r["section"], r["measure"]): r["value"] for r in rows}


def same_numbers_in_every_view(cli, command, as_of, expected):
    markdown = cli.ok(*command, "--year", "2025-26", "--format", "markdown", as_of=as_of).stdout
    terminal = re.sub(r"[ \t]+", " ", cli.ok(*command, "--year", "2025-26", as_of=as_of).stdout)
    for (section, measure), value in expected.items():
        assert f"| {measure} | {value} |" in markdown, (section, measure)
        assert re.search(rf"^ ?{re.escape(measure)} {re.escape(str(value))}(?: |$)", terminal, re.MULTILINE), (
            section,
            measure,
            value,
        )


CASES = [("deaths-2025-26.txt", ("death", "report"))]


@pytest.mark.parametrize("name, command", CASES, ids=[c[0] for c in CASES])
def test_every_figure_matches_the_hand_count(cli, name, command):
    commands, expected = load(name)
    replay(cli, commands)
    for as_of, figures_by_hand in expected.items():
        found = figures(cli, command, as_of)
        assert {k: found.get(k) for k in figures_by_hand} == figures_by_hand, as_of
        assert set(found) == set(figures_by_hand), f"figures no one counted by hand: {set(found) - set(figures_by_hand)}"
        same_numbers_in_every_view(cli, command, as_of, figures_by_hand)
