"""The root of the command line: it mounts each command module lazily and turns every error
into one line on stderr and an exit status, in one place (`CsprGroup`).

Typer builds every command and option before it can run one, so the root knows only each
command's name, help line and module (`COMMANDS`, as pip's commands_dict) and imports a module
when one of its commands is used (`Lazy`). Adding a command to a group: write it in the group's
module. Adding a top-level command or group: write it in its module (one Typer app, `app`, made
with cli.base.App) and add a line to `COMMANDS`; the command's docstring goes on from that line.
The global options are declared once, on the root (`global_options`); cli.base says how every
command takes them after its name too.
"""

import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer

from csprcli import __version__
from csprcli.cli import base
from csprcli.cli.base import Group
from csprcli.cli.commands import COMMANDS, load
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

    db: Path | str  # a SQLite file, or a PostgreSQL server's address as typed (never printed whole)
    as_of: date
    today: date | None = None  # the real date in England, to tell a view of the past from one of today
    db_named: bool = False  # --db or CSPRCLI_DB named the file (else the default place)

    @property
    def future(self) -> bool:
        return self.today is not None and self.as_of > self.today


class Lazy(typer.core.TyperCommand):
    """A top-level command as the root knows it before it is used: its name and help line
    (listed by --help, offered by completion). Its module is imported, and the command built,
    when a context is made for it, i.e. when it runs or its own options are completed."""

    def __init__(self, name: str) -> None:
        super().__init__(name, help=COMMANDS[name].help)

    def make_context(self, info_name, args, parent=None, **extra):
        return load(self.name).make_context(info_name, args, parent=parent, **extra)


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


class CsprGroup(Group):
    """The root group: lazy commands (COMMANDS), and the one place where errors become a message and an exit status."""

    # `ctx` below is the context of Typer's Click copy, not a typer.Context: unannotated (cli/base.py).

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, name: str):
        return Lazy(name) if name in COMMANDS else None

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

    def resolve_command(self, ctx, args: list[str]):
        if ctx.params.get("install_completion") or ctx.params.get("show_completion"):
            completion_setup(ctx, args[0])  # `--install-completion zsh`: the word after it names the shell
        return super().resolve_command(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        extra |= {"complete_var": complete_var, "windows_expand_args": windows_expand_args}
        prog_name = prog_name or os.path.basename(sys.argv[0]) or "csprcli"
        instruction = os.environ.get(base.complete_var(prog_name))  # a TAB: answered without Click's parsing
        if instruction:
            from csprcli.cli.complete import run

            sys.exit(run(self, prog_name, instruction))
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        try:
            _check_arguments(sys.argv[1:] if args is None else args)
        except BadInput as error:
            typer.echo(f"error: {_safe(str(error))}", err=True)
            sys.exit(error.exit_code)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        except InWords as error:  # a value refused in csprcli's words: the option named, nothing added
            typer.echo(f"error: {_safe(error.in_words())}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except typer.TyperException as error:  # a usage error: one line, like every other error
            where = getattr(error, "ctx", None)
            hint = f" (see '{where.command_path} --help')" if where is not None else ""
            message = _where_it_goes(error) or _usage(error.format_message())
            typer.echo(f"error: {_safe(message + hint)}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except typer.Abort:
            result = EXIT_INTERRUPTED
        except BrokenPipeError:
            # The reader went away (`csprcli list | head -1`): stop quietly, as a shell tool does.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except OSError as error:  # standard output failed after the command (a full disk)
            typer.echo(f"error: cannot write the output: {error.strerror}", err=True)
            sys.exit(EXIT_ENVIRONMENT)
        if result == EXIT_INTERRUPTED:  # an Abort, or a Ctrl-C that Typer ends quietly with 130 (csprcli's only 130)
            typer.echo("error: interrupted", err=True)
        sys.exit(result if isinstance(result, int) else EXIT_OK)


GLOBAL_ONLY = ("--version", "--install-completion", "--show-completion")


def _where_it_goes(error) -> str | None:
    """An option the command does not take, in words that say where it goes: before the command
    (--version), after a group's command (`incident --on ... inform`), or a slip of the keyboard;
    never a guess at an option of another meaning (Click's "Possible options"). None for any other
    usage error."""
    name, ctx = getattr(error, "option_name", None), getattr(error, "ctx", None)
    if type(error).__name__ != "NoSuchOption" or not name or ctx is None:
        return None
    from csprcli.domain.choices import misspelt

    command, path = ctx.command, ctx.command_path
    if name in GLOBAL_ONLY and ctx.parent is not None:
        return f"{name} goes before the command: csprcli {name}"
    if ctx.parent is None:
        return f"{name} is not an option of csprcli itself: a command's options go after its name"
    commands = getattr(command, "commands", None) or {}
    takers = [n for n, c in commands.items() if any(name in p.opts or name in p.secondary_opts for p in c.params)]
    if takers:
        where = " or ".join(f"'{path} {t}'" for t in takers)
        return f"{name} goes after the command's name: it is an option of {where}, not of '{path}'"
    options = [o for p in command.get_params(ctx) for o in (*p.opts, *p.secondary_opts) if o.startswith("-")]
    guess = misspelt(name, {o: o for o in options})
    return f"'{path}' has no option {name}" + (f"; did you mean {guess}?" if guess else "")


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
            from csprcli.store.database import printable

            error.at(printable(ctx.obj.db))
        return str(error), error.exit_code
    if isinstance(ctx.obj, GlobalOptions):  # set before any command runs
        from csprcli.store.database import database_error

        said = database_error(error, ctx.obj.db)
        if said is not None:
            return said, EXIT_ENVIRONMENT
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
    add_completion=False,  # global_options declares --install-completion and --show-completion itself
    context_settings={"help_option_names": ["-h", "--help"]},
)


# -- the global options, declared once (cli.base: every command takes them too) --------

DB_HELP = (
    "The database file, or a PostgreSQL server's address (postgresql://... or service=...). "
    "Default: csprcli.db in your application folder."
)
AS_OF_HELP = "Run as of this date instead of today in Europe/London."


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
    install_completion: Annotated[
        bool,
        typer.Option(
            "--install-completion",
            help="Turn on TAB completion for this shell, or for the one named after it (bash, zsh or fish).",
        ),
    ] = False,
    show_completion: Annotated[
        bool,
        typer.Option(
            "--show-completion",
            help="Print the completion script for this shell, or for the one named after it, to install by hand.",
        ),
    ] = False,
) -> None:
    if install_completion or show_completion:
        completion_setup(ctx, None)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()
    from csprcli.domain.dates import parse_date
    from csprcli.store.database import default_path

    today = base.london_today()
    ctx.obj = GlobalOptions(
        db=base.database_path(db) if db is not None else default_path(),
        db_named=db is not None,
        as_of=parse_date(as_of, as_of=today, what="--as-of") if as_of else today,
        today=today,
    )


def completion_setup(ctx: typer.Context, named: str | None) -> None:
    """--install-completion or --show-completion, for the shell named after it or else this one: the
    script installed (or printed), or a refusal that says why. Stops the program."""
    from csprcli.cli.complete import SHELLS, script

    running = os.path.basename(os.environ.get("SHELL", ""))
    shell = named or running
    if shell not in SHELLS:
        if named:
            raise BadInput(f"'{named}' is not a shell csprcli can complete in; name bash, zsh or fish")
        raise BadInput(
            f"cannot tell which shell this is (SHELL is {running or 'not set'}); name it, "
            "e.g. csprcli --install-completion bash (bash, zsh or fish)"
        )
    prog_name = ctx.find_root().info_name or "csprcli"
    if ctx.params.get("show_completion"):
        typer.echo(script(shell, prog_name))
        raise typer.Exit()
    from typer.completion import install

    _, path = install(shell=shell, prog_name=prog_name, complete_var=base.complete_var(prog_name))
    elsewhere = f" (this terminal runs {running})" if running and running != shell else ""
    typer.echo(f"{shell} completion installed in {path}; it takes effect in a new {shell} terminal{elsewhere}")
    raise typer.Exit()


def main() -> None:
    app()


__all__ = ["app", "main"]
