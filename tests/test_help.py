"""Help that reads well: every command's help shows the global options and no value type for a
flag, and a usage line names its arguments in capitals."""

import pytest

from csprcli.cli.commands import COMMANDS, load


def every_command_path() -> list[list[str]]:
    paths = []
    for name in COMMANDS:
        command = load(name)
        subcommands = getattr(command, "commands", {})
        paths.append([name])
        paths += [[name, sub] for sub in subcommands]
    return paths


@pytest.mark.parametrize("path", every_command_path(), ids=" ".join)
def test_every_commands_help_shows_the_global_options_and_reads_well(cli, path):
    text = cli.ok(*path, "--help").stdout
    assert "--db" in text and "--as-of" in text
    assert "<bool>" not in text
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "{" not in usage and usage == usage.replace("[ref]", ""), usage


def test_the_usage_line_names_arguments_in_capitals(cli):
    usage = next(line for line in cli.ok("incident", "notify", "--help").stdout.splitlines() if "Usage:" in line)
    assert usage.strip() == "Usage: csprcli incident notify [OPTIONS] REF"


def test_the_roots_help_shows_no_value_type_for_its_flags(cli):
    text = cli.ok("--help").stdout
    assert "--version" in text and "<bool>" not in text


def test_no_commands_help_says_a_paragraph_twice():
    """A command's help is its line in COMMANDS, then its docstring: the docstring goes on from the
    line, and never starts by saying it again (report's once did)."""
    for name in COMMANDS:
        command = load(name)
        for found in [command, *getattr(command, "commands", {}).values()]:
            paragraphs = [" ".join(p.split()) for p in (found.help or "").split("\n\n") if p.strip()]
            assert len(paragraphs) == len(set(paragraphs)), (name, found.name)


def test_the_roots_listing_is_one_line_a_command_at_80_columns():
    from typer.testing import CliRunner

    from csprcli.cli.app import app

    text = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"}).stdout
    assert max(map(len, text.splitlines())) == 80
    listing = text[text.index("Commands") :].splitlines()[1 : 1 + len(COMMANDS)]
    assert [line.split()[1] for line in listing] == list(COMMANDS), listing
