"""The two yearly reports against years of cases worked out by hand (tests/data/*-2025-26.txt).

Each data file lists the commands an officer would have typed, each on the day it was recorded,
and the figures a person counted from them (the counting is in the file's comments). The test
records everything dated up to each as-of day, prints the report that day, and compares: every
figure of the report's JSON must be one of those counted and equal to it (its typed value read
from the text a person wrote: "6/8 (75%), 1 outstanding" is part 6, whole 8, 1 outstanding, 75%;
"14 (n=7, 11 to 30)" a median of 7 values from 11 to 30; "-" none), and the markdown, the
terminal and the HTML page must carry the same figures. Then, with the whole record in, the report as
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
            expected.setdefault(as_of, {})[(section, measure)] = value
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


def typed(text: str):
    """The typed value JSON must carry for a figure a person wrote as text."""
    if text == "-":
        return None
    if re.fullmatch(r"\d+", text):
        return int(text)
    if share := re.fullmatch(r"(\d+)/(\d+) \((\d+)%\)(?:, (\d+) outstanding)?", text):
        part, whole, percent, outstanding = share.groups()
        return {"part": int(part), "whole": int(whole), "outstanding": int(outstanding or 0), "percent": int(percent)}
    if median := re.fullmatch(r"(\d+(?:\.5)?) \(n=(\d+), (\d+) to (\d+)\)", text):
        middle, n, low, high = median.groups()
        return {
            "n": int(n),
            "median": float(middle) if "." in middle else int(middle),
            "min": int(low),
            "max": int(high),
        }
    if rate := re.fullmatch(r"(\d+\.\d) per 10,000 \((\d+) of ([\d,]+) children; (\d{4}), (.+)\)", text):
        per, count, population, year, source = rate.groups()
        return {"count": int(count), "population": int(population.replace(",", "")), "per_10000": float(per)} | {
            "population_year": year,
            "population_source": source,
        }
    raise ValueError(f"not a figure as written by hand: {text!r}")


def figures(cli, command, as_of):
    rows = json.loads(cli.ok(*command, "--year", "2025-26", "--format", "json", as_of=as_of).stdout)
    assert {(r["period_from"], r["period_to"], r["as_of"]) for r in rows} == {("2025-04-01", "2026-03-31", as_of)}
    for row in rows:
        assert row["definition"] and "\n" not in row["definition"], row  # its own one-line definition
    return rows


def check(cli, command, as_of, by_hand) -> None:
    rows = figures(cli, command, as_of)
    found = {(r["section"], r["measure"]): r["text"] for r in rows}
    assert {k: found.get(k) for k in by_hand} == by_hand, as_of
    assert set(found) == set(by_hand), f"figures no one counted by hand: {set(found) - set(by_hand)}"
    for row in rows:  # JSON's value typed, as a script reads it
        assert row["value"] == typed(by_hand[(row["section"], row["measure"])]), row
        assert type(row["value"]) is type(typed(by_hand[(row["section"], row["measure"])])), row
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
