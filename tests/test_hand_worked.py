"""The two yearly reports against years of cases worked out by hand (tests/data/*-2025-26.txt).

Each data file lists the commands an officer would have typed, each on the day it was recorded,
and the figures a person counted from them (the counting is in the file's comments). The test
records everything dated up to each as-of day, prints the report that day, and compares: every
figure of the report's JSON must be one of those counted and equal to it, and the markdown and
the terminal views must carry the same numbers. Then, with the whole record in, the report as
of each earlier day must give the same figures again (the as-of view of the past).
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
            number_value = re.fullmatch(r"-?\d+(\.\d+)?", value)
            expected.setdefault(as_of, {})[(section, measure)] = (
                (float(value) if "." in value else int(value)) if number_value else value
            )
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


def check(cli, command, as_of, by_hand) -> None:
    found = figures(cli, command, as_of)
    assert {k: found.get(k) for k in by_hand} == by_hand, as_of
    assert set(found) == set(by_hand), f"figures no one counted by hand: {set(found) - set(by_hand)}"
    markdown = cli.ok(*command, "--year", "2025-26", "--format", "markdown", as_of=as_of).stdout
    terminal = re.sub(r"[ \t]+", " ", cli.ok(*command, "--year", "2025-26", as_of=as_of).stdout)
    for (section, measure), value in by_hand.items():
        assert f"| {measure} | {value} |" in markdown, (section, measure)
        line = rf"^ ?{re.escape(measure)} {re.escape(str(value))}(?: |$)"
        assert re.search(line, terminal, re.MULTILINE), (section, measure, value)


CASES = [("deaths-2025-26.txt", ("death", "report")), ("incidents-2025-26.txt", ("report",))]


@pytest.mark.parametrize("name, command", CASES, ids=[c[0] for c in CASES])
def test_every_figure_matches_the_hand_count(cli, name, command):
    commands, expected = load(name)
    for as_of in sorted(expected):
        replay(cli, [c for c in commands if c[1] <= as_of])
        commands = [c for c in commands if c[1] > as_of]
        check(cli, command, as_of, expected[as_of])
    replay(cli, commands)
    for as_of in sorted(expected):  # the same figures again, from the whole record: the as-of view
        check(cli, command, as_of, expected[as_of])
