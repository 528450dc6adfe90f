"""The root of the command line: it mounts each command module lazily and turns every error
into one line on stderr and an exit status, in one place (`CsprGroup`).

Typer builds every command and option before it can run one, so the root knows only each
command's name, help line and module (`COMMANDS`) and imports a module when one of its
commands is asked for. Adding a command to a group: write it in the group's module. Adding a
top-level command or group: write it in its module and add a line to `COMMANDS` (for a single
command, the line is its docstring's first line; a test checks they agree).
"""

import importlib
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer
from typer.core import TyperGroup

from csprcli import __version__
from csprcli.domain.dates import london_date, parse_date
from csprcli.domain.errors import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_ENVIRONMENT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RECORDED,
    EXIT_STATUSES,
    RECORDED,
    BadInput,
    CsprError,
)

# Only what every command needs is imported here: the root's --help must cost no more than
# Typer itself (docs/performance.md). The store, the rules and Rich come with the command.


class GlobalOptions(NamedTuple):
    """The global options every command runs under (read with cli.common.options)."""

    db: Path
    as_of: date
    today: date | None = None  # the real date in England, to tell a view of the past from one of today
    db_named: bool = False  # --db or CSPRCLI_DB named the file (else the default place)

    @property
    def future(self) -> bool:
        return self.today is not None and self.as_of > self.today


class Mounted(NamedTuple):
    module: str  # under csprcli.cli
    attribute: str  # the Typer app in it: a group of its own, or, named "commands" or "..._commands", top-level commands
    help: str  # the line the root's --help shows


COMMANDS: dict[str, Mounted] = {
    "incident": Mounted("incident", "app", "Record serious incidents and their notification."),
    "review": Mounted("review", "app", "Record the rapid review: start, decision, sending to the Panel."),
    "lcspr": Mounted(
        "lcspr",
        "app",
        "Run a local child safeguarding practice review: reviewer, terms of reference, progress checks, "
        "pauses, the final report and publication.",
    ),
    "revise": Mounted(
        "lcspr", "commands", "Set a revised target for a review's publication or an action; the original is kept beside it."
    ),
    "action": Mounted("action", "app", "Actions from a review's recommendations."),
    "child": Mounted("child", "app", "The children of an incident (up to four) and what DfE counts about them."),
    "death": Mounted("death", "app", "Child deaths, for the Child Death Overview Panel."),
    "show": Mounted("due", "commands", "A case and each of its milestones: due, done, and where it stands."),
    "list": Mounted("due", "commands", "Every case with its stage and the next milestone due."),
    "overdue": Mounted(
        "due", "overdue_commands", "Every milestone past its due date, most overdue first. Exit status 1 if any, 0 if none."
    ),
    "upcoming": Mounted("due", "upcoming_commands", "Open milestones due from today to N working days ahead, soonest first."),
    "explain": Mounted("due", "commands", "How a due date was reached: the force of its time limit, the duty and the time limit, the trigger, the count, each day skipped, and any pause or revision."),
    "export": Mounted("meeting", "commands", "Export for meetings (CSV or an Excel workbook), for a calendar (ics) or everything (json)."),
    "report": Mounted("meeting", "commands", "The yearly report's figures, each with its definition."),
    "import": Mounted("meeting", "commands", "Load cases from an existing tracker's CSV: every row checked, and nothing loaded unless every row is good."),
    "history": Mounted("records", "commands", "Every change, newest first: when, who, which command, what changed (old to new) and why."),
    "correct": Mounted("records", "commands", "Correct a recorded fact, with a reason. The earlier value stays in the history."),
    "undo": Mounted("records", "commands", "Revert the most recent change (asking first); the undo is itself kept in the history."),
    "rules": Mounted("rules", "app", "The deadline rules, and the settings a partnership can change."),
    "holidays": Mounted("calendar", "commands", "The weekdays that are not working days: bank holidays by name and the partnership's closures."),
    "workdays": Mounted("calendar", "workdays", "Working-day arithmetic, as the deadlines use it."),
    "calendar": Mounted("calendar", "closures", "The partnership's own closure days."),
    "db": Mounted("db", "app", "Where the database is, its state, and backups."),
}


def load(name: str):
    """The Click command for a top-level name, importing its module now."""
    mounted = COMMANDS[name]
    module = importlib.import_module(f"csprcli.cli.{mounted.module}")
    command = typer.main.get_command(getattr(module, mounted.attribute))
    if mounted.attribute.endswith("commands"):  # top-level commands kept together in one Typer app
        commands = getattr(command, "commands", None)
        command = commands[name] if commands is not None else command
        prepare(command)
        return command
    command.name = name
    command.help = mounted.help
    prepare(command)
    return command


def fail(message: str, code: int) -> None:
    typer.echo(f"error: {_safe(message)}", err=True)
    raise typer.Exit(code)


def _safe(message: str) -> str:
    """An error message as one line safe for the terminal (output.printable), whatever it quotes."""
    from csprcli.domain.text import printable

    return printable(message, lines=False)


def _usage(message: str) -> str:
    """Click's usage error, its quoted values cut to their start: it quotes a bad choice, or an
    extra argument, whole (pasted text, a name, 10 KB)."""
    import re

    # Typer coerces through pydantic, whose wording is not for people.
    message = message.replace("Value error, ", "")
    message = re.sub(r"Input should be a valid integer[^(]*?(?= \(|$)", "give a whole number", message)
    message = re.sub(r"'([^']{27})[^']{4,}'", r"'\1...'", message)
    message = re.sub(r"\(([^()]{27})[^()]{4,}\)", r"(\1...)", message)
    return message if len(message) <= 300 else message[:297] + "..."


class InWords(typer.BadParameter):
    """A value refused in csprcli's own words by an option's parser: the root names the option
    before it ("--nature: 'x' is not a nature ...") and adds nothing of the parser's."""

    def in_words(self) -> str:
        param = self.param
        if param is None:
            return self.message
        opts = getattr(param, "opts", None) or []
        name = max(opts, key=len) if isinstance(param, typer.core.TyperOption) and opts else (param.name or "").upper()
        return f"{name}: {self.message}"


class CsprGroup(TyperGroup):
    """The root group: lazy commands, and the one place where errors become a message and an exit status."""

    _listing = False  # while the root's help is drawn, commands are named, not built

    # `ctx` below is the context of Typer's own copy of Click (not a typer.Context): a private class
    # csprcli does not name (test_no_private_internals_of_typer_or_enum), so it goes unannotated.

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, name: str):
        if name not in COMMANDS:
            return None
        if self._listing:
            return typer.core.TyperCommand(name=name, help=COMMANDS[name].help)
        return load(name)

    def get_params(self, ctx) -> list:
        return without_flag_types(super().get_params(ctx))

    def format_help(self, ctx, formatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader went away (`csprcli list | head -1`): stop quietly, as a shell tool does
            # (Click would exit with status 1, which means "overdue found something").
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except Exception as error:
            message, code = _described(ctx, error)
            recorded = ctx.meta.get(RECORDED)
            if recorded:
                # The write committed: running the command again would record it twice.
                changes = ", ".join(
                    f"change {change}" + (f" ({', '.join(refs)})" if refs else "") for change, refs in recorded
                )
                from csprcli.domain.errors import written_after_all

                message = written_after_all(message)
                message = (
                    f"{changes} was recorded, but then: {message}. Do not run the command again; "
                    "'csprcli history' shows what was recorded"
                )
                code = EXIT_RECORDED
            fail(message, code)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        extra["windows_expand_args"] = windows_expand_args
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            _check_arguments(sys.argv[1:] if args is None else args)
        except BadInput as error:
            typer.echo(f"error: {_safe(str(error))}", err=True)
            sys.exit(error.exit_code)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        except InWords as error:  # a value refused in csprcli's words: the option named, nothing added
            typer.echo(f"error: {_safe(error.in_words())}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except typer.TyperException as error:  # a usage error: one line, like every other error
            where = getattr(error, "ctx", None)
            hint = f" (see '{where.command_path} --help')" if where is not None else ""
            typer.echo(f"error: {_safe(_usage(error.format_message()) + hint)}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except typer.Abort:
            typer.echo("error: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # The reader went away (`csprcli list | head -1`): stop quietly, as a shell tool does.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except OSError as error:  # standard output failed after the command (a full disk)
            typer.echo(f"error: cannot write the output: {error.strerror}", err=True)
            sys.exit(EXIT_ENVIRONMENT)
        sys.exit(result if isinstance(result, int) else EXIT_OK)


def _check_arguments(args) -> None:
    """Refuse arguments (and the settings from the environment) that are not valid UTF-8 text:
    Python hands their undecodable bytes on as lone surrogates, which nothing can store or print."""
    named = [(f"argument {n}", a) for n, a in enumerate(args, start=1)]
    named += [(name, os.environ[name]) for name in ("CSPRCLI_DB", "CSPRCLI_AS_OF") if name in os.environ]
    for what, text in named:
        if isinstance(text, str) and any("\ud800" <= ch <= "\udfff" for ch in text):
            raise BadInput(f"{what} is not valid UTF-8 text; type it again or check its encoding")


def _described(ctx: typer.Context, error: Exception) -> tuple[str, int]:
    """The one line and the exit status for an error raised by a command."""
    if isinstance(error, CsprError):
        from csprcli.domain.errors import Damaged

        if isinstance(error, Damaged) and isinstance(ctx.obj, GlobalOptions):
            error.at(ctx.obj.db)
        return str(error), error.exit_code
    import sqlite3

    if isinstance(error, sqlite3.Error):
        from csprcli.store.database import describe_sqlite_error

        path = ctx.obj.db if isinstance(ctx.obj, GlobalOptions) else "the database"
        return describe_sqlite_error(error, path), EXIT_ENVIRONMENT
    if isinstance(error, UnicodeEncodeError):
        from csprcli.output import encoding_problem

        return encoding_problem(), EXIT_ENVIRONMENT
    if isinstance(error, OSError):
        return f"input or output failed: {error.strerror or type(error).__name__}", EXIT_ENVIRONMENT
    if os.environ.get("CSPRCLI_DEBUG"):
        raise error
    # No message text or locals: they could hold personal data.
    return (
        f"internal error ({type(error).__name__}); nothing more was written. "
        "Run again with CSPRCLI_DEBUG=1 for details and report it",
        EXIT_INTERNAL,
    )


app = typer.Typer(
    cls=CsprGroup,
    name="csprcli",
    help="Keep a safeguarding partnership's record of serious child safeguarding incidents "
    "and every statutory clock they start.\n\n"
    "Example: csprcli incident add --child LCS-104233 --la Walsall --aware 17/12/2025 "
    "--nature serious-harm --abuse suspected",
    epilog=EXIT_STATUSES,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def london_today() -> date:
    """The one place csprcli reads the clock."""
    from datetime import datetime, timezone

    return london_date(datetime.now(timezone.utc))


# -- the global options, anywhere on the command line ----------------------------

DB_HELP = "The database file (or CSPRCLI_DB). Default: csprcli.db in your application folder."
AS_OF_HELP = "Run as of this date instead of today in Europe/London (or CSPRCLI_AS_OF)."


def database_path(text: str) -> Path:
    """The --db value as a path: it names a file, so one ending in '/' (a folder, perhaps not made yet) is refused."""
    from csprcli.domain.errors import BadInput  # only when a --db is given

    if text.endswith(("/", "\\")) or text in ("", ".", ".."):
        raise BadInput(f"--db: {text!r} names a folder; a database path names a file, e.g. {text.rstrip('/')}/csprcli.db")
    return Path(text).expanduser()  # an existing folder or other non-file is refused when opened (exit 3)


def _given_late(ctx, param, value: str | None) -> None:  # a Click callback: ctx as in CsprGroup
    """--db or --as-of given after a command's name: it replaces what the root was given."""
    from csprcli.domain.dates import parse_date

    if value is None:
        return
    root = ctx.find_root()
    if param.name == "db":
        root.obj = root.obj._replace(db=database_path(value), db_named=True)
    else:
        root.obj = root.obj._replace(as_of=parse_date(value, as_of=london_today(), what="--as-of"))


def _late_options() -> list:
    """The two global options as every command and group takes them too (no environment variable
    here: the root reads it, and a command's own --db must not be overridden by it)."""
    holder = typer.Typer(add_completion=False)

    @holder.command()
    def _options(
        db: Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)] = None,
        as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP, show_default=False)] = None,
    ) -> None: ...

    params = typer.main.get_command(holder).params
    for param in params:
        param.callback, param.expose_value, param.is_eager = _given_late, False, True
    return params


def without_flag_types(params: list) -> list:
    """Parameters whose flags show no value type in help (not `<bool>`)."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


def usage_pieces(command, ctx: typer.Context) -> list[str]:
    """The usage line's pieces: arguments in capitals (`REF`, `[REF]`), not `{ref}`."""
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if isinstance(param, typer.core.TyperArgument):
            name = (param.metavar or param.name).upper() + ("..." if param.nargs != 1 else "")
            pieces.append(name if param.required else f"[{name}]")
    return pieces


def prepare(command) -> None:
    """Ready a command (and, for a group, every command under it) for the user: the global options
    accepted after its name and shown in its help, and help that reads well."""
    from types import MethodType

    late = _late_options()
    stack = [command]
    while stack:
        found = stack.pop()
        found.get_params = MethodType(lambda self, ctx: without_flag_types(type(self).get_params(self, ctx)), found)
        found.collect_usage_pieces = MethodType(usage_pieces, found)
        names = {opt for p in found.params for opt in getattr(p, "opts", ())}
        if "--db" not in names:
            found.params.extend(late)
        stack.extend(getattr(found, "commands", {}).values())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csprcli {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def global_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="CSPRCLI_DB",
            help=DB_HELP,
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            envvar="CSPRCLI_AS_OF",
            help=AS_OF_HELP,
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and stop.")
    ] = False,
) -> None:
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()
    from csprcli.store.database import default_path

    today = london_today()
    ctx.obj = GlobalOptions(
        db=database_path(db) if db is not None else default_path(),
        db_named=db is not None,
        as_of=parse_date(as_of, as_of=today, what="--as-of") if as_of else today,
        today=today,
    )


def main() -> None:
    app()


__all__ = ["app", "main"]
