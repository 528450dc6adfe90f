"""The command line: parse options, call one function in `tracker`, hand rows to `output`.

Errors are turned into one line on stderr and an exit status in one place,
`CsprGroup`. No SQL and no date arithmetic here.
"""

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

# Typer ships its own copy of Click; its exceptions are only reachable here. They are
# caught, never raised, so that a usage error is one line like every other error.
from typer._click.exceptions import ClickException, NoArgsIsHelpError

from csprcli import __version__, tracker
from csprcli.dates import ACCEPTED_FORMS, human_date, london_date, parse_date, parse_past_date
from csprcli.errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_INTERNAL, CsprError
from csprcli.model import (
    Clock,
)
from csprcli.output import Column, Format, note, printable
from csprcli.store import Store, default_path, describe_sqlite_error, open_store

EXIT_STATUSES = (
    "Exit statuses: 0 success; 1 'overdue' found something overdue; 2 bad input (nothing was "
    "written); 3 a database or environment problem (nothing was written); 4 an internal error; "
    "130 interrupted."
)


def fail(message: str, code: int) -> None:
    typer.echo(f"error: {printable(message, lines=False)}", err=True)
    raise typer.Exit(code)


class CsprGroup(TyperGroup):
    """The one place where errors become a message and an exit status."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except CsprError as error:
            fail(str(error), error.exit_code)
        except sqlite3.Error as error:
            path = ctx.obj.db if isinstance(ctx.obj, Settings) else "the database"
            fail(describe_sqlite_error(error, path), EXIT_ENVIRONMENT)
        except (typer.Exit, typer.Abort, ClickException, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as error:
            if os.environ.get("CSPRCLI_DEBUG"):
                raise
            # No message text or locals: they could hold personal data.
            fail(
                f"internal error ({type(error).__name__}); nothing more was written. "
                "Run again with CSPRCLI_DEBUG=1 for details and report it",
                EXIT_INTERNAL,
            )

    def main(self, args=None, prog_name=None, standalone_mode: bool = True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except NoArgsIsHelpError as error:
            # Typer's rich help prints itself while the error is made; plain help does not.
            if message := error.format_message():
                typer.echo(message)
            sys.exit(0)
        except ClickException as error:
            where = getattr(error, "ctx", None)
            hint = f" (see '{where.command_path} --help')" if where is not None else ""
            typer.echo(f"error: {printable(error.format_message() + hint, lines=False)}", err=True)
            sys.exit(EXIT_BAD_INPUT if error.exit_code == 2 else error.exit_code)
        except typer.Abort:
            typer.echo("error: interrupted", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    cls=CsprGroup,
    name="csprcli",
    help="Keep a safeguarding partnership's record of serious child safeguarding incidents "
    "and every statutory clock they start.\n\n"
    "Example: csprcli incident add --child LCS-104233 --la Walsall --aware 17/12/2025 "
    "--nature serious-harm --abuse suspected",
    epilog=EXIT_STATUSES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
incident_app = typer.Typer(help="Record serious incidents and their notification.", no_args_is_help=True)
review_app = typer.Typer(help="Record the rapid review: start, decision, sending to the Panel.", no_args_is_help=True)
lcspr_app = typer.Typer(
    help="Run a local child safeguarding practice review: reviewer, terms of reference, progress checks, "
    "pauses, the final report and publication.",
    no_args_is_help=True,
)
action_app = typer.Typer(help="Actions from a review's recommendations.", no_args_is_help=True)
child_app = typer.Typer(
    help="The children of an incident (up to four) and what DfE counts about them.", no_args_is_help=True
)
rules_app = typer.Typer(help="The deadline rules, and the settings a partnership can change.")
db_app = typer.Typer(help="Where the database is, its state, and backups.", no_args_is_help=True)
workdays_app = typer.Typer(help="Working-day arithmetic, as the deadlines use it.", no_args_is_help=True)
calendar_app = typer.Typer(help="The partnership's own closure days.", no_args_is_help=True)
app.add_typer(incident_app, name="incident")
app.add_typer(review_app, name="review")
app.add_typer(lcspr_app, name="lcspr")
app.add_typer(action_app, name="action")
app.add_typer(child_app, name="child")
app.add_typer(rules_app, name="rules")
app.add_typer(workdays_app, name="workdays")
app.add_typer(db_app, name="db")
app.add_typer(calendar_app, name="calendar")


# -- global options -----------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    db: Path
    as_of: date


def london_today() -> date:
    """The one place csprcli reads the clock."""
    from datetime import datetime, timezone

    return london_date(datetime.now(timezone.utc))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csprcli {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="CSPRCLI_DB",
            help="The database file. Default: csprcli.db in your application folder.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            envvar="CSPRCLI_AS_OF",
            help="Run as of this date instead of today (in Europe/London).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and stop.")
    ] = False,
) -> None:
    today = london_today()
    ctx.obj = Settings(
        db=db if db is not None else default_path(),
        as_of=parse_date(as_of, today=today, what="--as-of") if as_of else today,
    )


@contextmanager
def opened(ctx: typer.Context, *, create: bool = False) -> Iterator[Store]:
    """The database. Only commands that record something new create it: for any other
    command a missing file is an error, so a mistyped path is never taken for an empty record."""
    command = " ".join(ctx.command_path.split()[1:])  # "incident notify", without the program's name
    store = open_store(ctx.obj.db, create=create, command=command)
    for warning in store.warnings:
        note(f"warning: {warning}")
    try:
        yield store
    finally:
        store.close()


def past(ctx: typer.Context, text: str, what: str) -> date:
    """A date that has happened, typed by the user."""
    return parse_past_date(text, today=ctx.obj.as_of, what=what)


# -- shared option types -------------------------------------------------------

DATE_HELP = f"Accepts {ACCEPTED_FORMS}; day first."
RefArg = Annotated[str, typer.Argument(help="The case reference, e.g. SI-2026-001.", show_default=False)]
OnOpt = Annotated[str, typer.Option("--on", help=f"The date it happened. {DATE_HELP}", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table for people; csv or json for scripts.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Show every row in a table (it stops at 50).")]

SHOW_COLUMNS = [
    Column("ref"),
    Column("milestone", "Milestone"),
    Column("title"),
    Column("force", "Force"),
    Column("trigger"),
    Column("due", "Due"),
    Column("done", "Done"),
    Column("status", "Status", wrap=True),
    Column("working_days"),
    Column("original_due", "Original"),
    Column("original_status"),
    Column("original_working_days"),
]


def due_columns(days: str, clocks: list[Clock] | None = None) -> list[Column]:
    """Columns of the overdue and upcoming lists; `days` heads the working-days column of the table.

    The table shows each row's kind only when child deaths are among `clocks` (it is always in
    CSV and JSON): a narrow terminal has no room for a column that would say "incident" on every row.
    """
    deaths = clocks is None or any(not c.ref.startswith("SI-") for c in clocks)
    return [
        Column("ref", "Case"),
        Column("milestone", "Milestone"),
        Column("title"),
        Column("force", "Force"),
        Column("trigger"),
        Column("due", "Due"),
        Column("status"),
        Column("working_days", days, wrap=True),
        Column("original_due"),
        Column("kind", "Kind" if deaths else ""),  # last, so the columns before it keep their places
    ]


def clock_row(clock: Clock, *, human: bool = False) -> dict:
    return {
        "kind": "incident" if clock.ref.startswith("SI-") else "death",
        "ref": clock.ref,
        "milestone": clock.milestone,
        "title": clock.title,
        "force": clock.force,
        "trigger": clock.trigger,
        "due": clock.due,
        "done": clock.done,
        "status": clock.describe() if human else clock.status,
        "working_days": clock.working_days,
        "original_due": clock.original_due,
        "original_status": clock.original_status,
        "original_working_days": clock.original_working_days,
    }


def report_next(case: tracker.Case) -> None:
    """After a write: the clock that now matters most, so the officer sees what is next."""
    nxt = case.next_clock
    if nxt is None:
        note(f"{case.incident.ref}: no open clocks")
    else:
        note(f"next: {nxt.title}, due {human_date(nxt.due)} ({nxt.describe()})")


def write_then_read(ctx: typer.Context, action, *, create: bool = False) -> tracker.Case:
    """Run one write, then read the changed case back on the same connection."""
    with opened(ctx, create=create) as store:
        incident = action(store)
        return tracker.case(store, tracker.rulebook(store), incident.ref, ctx.obj.as_of)


def say_done(case: tracker.Case, milestone: str, words: str) -> None:
    clock = find_clock(case, milestone)
    typer.echo(f"{case.incident.ref}: {words} {done_words(clock)}")
    report_next(case)


def done_words(clock: Clock) -> str:
    return (
        f"{human_date(clock.done)} ({clock.describe()}; due {human_date(clock.due)})"
        if clock.due
        else f"{human_date(clock.done)}"
    )


def find_clock(case: tracker.Case, milestone: str) -> Clock:
    return next(c for c in case.clocks if c.milestone == milestone)


def main() -> None:
    app()
