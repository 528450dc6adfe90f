"""The top-level commands: each one's module, the line the root's --help shows, and whether the
module's app is the group (as pip's commands_dict); `load` imports a module only when one of its
commands is used."""

import importlib
from typing import NamedTuple

import typer


class Mounted(NamedTuple):
    """Where a top-level command lives: its module under csprcli.cli (whose Typer app is `app`),
    the line the root's --help shows (the command's help starts with it: its docstring goes on
    from there), and whether the module's app is the group itself or holds the command by name."""

    module: str
    help: str
    group: bool = False


COMMANDS: dict[str, Mounted] = {
    "today": Mounted(
        "today", "What needs doing today: overdue, due this week and next, the next step on each open case."
    ),
    "incident": Mounted("incident", "Record serious incidents and their notification.", group=True),
    "review": Mounted("review", "Record the rapid review: start, decision, sending to the Panel.", group=True),
    "lcspr": Mounted(
        "lcspr",
        "Run a local child safeguarding practice review: reviewer, terms of reference, progress checks, "
        "pauses, the final report and publication.",
        group=True,
    ),
    "revise": Mounted(
        "revise", "Set a revised target for a review's publication or an action; the original is kept beside it."
    ),
    "action": Mounted("action", "Actions from a review's recommendations.", group=True),
    "child": Mounted("child", "The children of an incident (up to four) and what DfE counts about them.", group=True),
    "death": Mounted("death", "Child deaths, for the Child Death Overview Panel.", group=True),
    "show": Mounted("cases", "A case and each of its milestones: due, done, and where it stands."),
    "list": Mounted("cases", "Every case with its stage and the next milestone due."),
    "overdue": Mounted(
        "due", "Every milestone past its due date, most overdue first. Exit status 1 if any, 0 if none."
    ),
    "upcoming": Mounted("due", "Open milestones due from today to N working days ahead, soonest first."),
    "explain": Mounted(
        "cases",
        "How a due date was reached: the force of its time limit, the duty and the time limit, the trigger, the count, each day skipped, and any pause or revision.",
    ),
    "export": Mounted(
        "export", "Export for meetings (CSV or an Excel workbook), for a calendar (ics) or everything (json)."
    ),
    "report": Mounted("report", "The yearly report's figures, each with its definition."),
    "import": Mounted(
        "importer",
        "Load cases from an existing tracker's CSV: every row checked, and nothing loaded unless every row is good.",
    ),
    "history": Mounted(
        "records", "Every change, newest first: when, who, which command, what changed (old to new) and why."
    ),
    "correct": Mounted("records", "Correct a recorded fact, with a reason. The earlier value stays in the history."),
    "undo": Mounted("records", "Revert the most recent change (asking first); the undo is itself kept in the history."),
    "rules": Mounted("rules", "The deadline rules, and the settings a partnership can change.", group=True),
    "holidays": Mounted(
        "holidays", "The weekdays that are not working days: bank holidays by name and the partnership's closures."
    ),
    "workdays": Mounted("workdays", "Working-day arithmetic, as the deadlines use it.", group=True),
    "calendar": Mounted("calendar", "The partnership's own closure days.", group=True),
    "db": Mounted("db", "Where the database is, its state, and backups.", group=True),
}


def load(name: str):
    """The Click command for a top-level name, importing its module now. Its help is the line in
    COMMANDS followed by the rest (its docstring: details and an example)."""
    mounted = COMMANDS[name]
    module = importlib.import_module(f"csprcli.cli.{mounted.module}")
    command = typer.main.get_command(module.app)
    if not mounted.group and isinstance(command, typer.core.TyperGroup):  # one of the module's commands
        command = command.commands[name]
    command.name = name
    command.help = f"{mounted.help}\n\n{command.help.strip()}" if command.help else mounted.help
    return command
