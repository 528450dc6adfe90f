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
    "today": Mounted("today", "What needs doing today: what is overdue, due soon, and next."),
    "incident": Mounted("incident", "Record serious incidents and their notification.", group=True),
    "review": Mounted("review", "Record the rapid review: start, decision, sending to the Panel.", group=True),
    "lcspr": Mounted("lcspr", "Run a local child safeguarding practice review, to publication.", group=True),
    "revise": Mounted("revise", "Set a revised target for a review's publication or an action."),
    "action": Mounted("action", "Actions from a review's recommendations.", group=True),
    "child": Mounted("child", "The children of an incident (up to four) and what DfE counts.", group=True),
    "death": Mounted("death", "Child deaths, for the Child Death Overview Panel.", group=True),
    "show": Mounted("cases", "A case and each of its milestones: due, done, and where it stands."),
    "list": Mounted("cases", "Every case, with the next milestone due and where it stands."),
    "overdue": Mounted("due", "Every milestone past its due date, most overdue first."),
    "upcoming": Mounted("due", "Open milestones due in the next N working days, soonest first."),
    "explain": Mounted("cases", "How a due date was reached, step by step."),
    "export": Mounted("export", "Meeting papers (CSV, Excel), a calendar (ics), everything (json)."),
    "report": Mounted("report", "The yearly report's figures, each with its definition."),
    "import": Mounted("importer", "Load cases from a tracker's CSV, or a full export: all or nothing."),
    "history": Mounted("records", "Every change, newest first: when, who, what changed and why."),
    "correct": Mounted("records", "Correct a recorded fact, with a reason."),
    "undo": Mounted("records", "Revert the most recent change, asking first."),
    "rules": Mounted("rules", "The deadline rules, and the settings a partnership can change.", group=True),
    "holidays": Mounted("holidays", "Bank holidays by name, and the partnership's closure days."),
    "workdays": Mounted("workdays", "Working-day arithmetic, as the deadlines use it.", group=True),
    "calendar": Mounted("calendar", "The partnership's own closure days.", group=True),
    "db": Mounted("db", "Where the database is, its state, backups, upgrades and copies.", group=True),
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
