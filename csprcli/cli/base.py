"""What every csprcli command and group is (`Command`, `Group`), and the Typer app each command
module makes its commands with (`App`). Light on purpose: only typer is imported here, so the
root (cli/app.py) can use it without slowing `--help` or a TAB.

The global options --db and --as-of are declared once, on the root (cli/app.py's
`global_options`). Every command and group takes them after its name too, through its class
(`get_params`): the same option objects, read in the command's own context. A value typed there
replaces the root's (`parse_args`); one the root read from the environment is left to the root.
"""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from typer.core import TyperCommand, TyperGroup

GLOBAL_OPTIONS = ("db", "as_of")  # the root's parameters that every command takes too

if TYPE_CHECKING:  # a mixin of Click's commands: typed as one (Click's own class is Typer's private copy)
    _Mixin = TyperCommand
else:
    _Mixin = object


class _Everywhere(_Mixin):
    """What Command and Group share: the global options, and help that reads well. (`ctx` is the
    context of Typer's Click copy, not a typer.Context: unannotated, as the house does not name it.)"""

    def get_params(self, ctx) -> list:
        params = super().get_params(ctx)
        for param in params:  # a flag takes no value: its help shows no type (not `<bool>`)
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
        root = ctx.find_root().command
        if root is self:
            return params
        shared = [p for p in root.params if p.name in GLOBAL_OPTIONS]
        own = [p for p in params if p.name not in GLOBAL_OPTIONS]
        helps = [p for p in own if p.name == "help"]
        return [p for p in own if p.name != "help"] + shared + helps

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        if ctx.find_root().command is self or ctx.resilient_parsing:
            return rest  # the root reads its own; completion reads them where they were typed
        for name in GLOBAL_OPTIONS:
            value = ctx.params.pop(name, None)
            source = ctx.get_parameter_source(name)
            if value is not None and source is not None and source.name == "COMMANDLINE":
                given_after(ctx, name, value)
        return rest

    def collect_usage_pieces(self, ctx) -> list[str]:
        """The usage line: arguments in capitals (`REF`, `[REF]`), not `{ref}`."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, typer.core.TyperArgument):
                name = (param.metavar or param.name).upper() + ("..." if param.nargs != 1 else "")
                pieces.append(name if param.required else f"[{name}]")
        if isinstance(self, TyperGroup):
            pieces.append(self.subcommand_metavar)
        return pieces


def given_after(ctx: typer.Context, name: str, value: str) -> None:
    """--db or --as-of given after a command's name: it replaces what the root was given."""
    from csprcli.domain.dates import parse_date

    root = ctx.find_root()
    if name == "db":
        root.obj = root.obj._replace(db=database_path(value), db_named=True)
    else:
        root.obj = root.obj._replace(as_of=parse_date(value, as_of=london_today(), what="--as-of"))


class Command(_Everywhere, TyperCommand):
    """A csprcli command."""


class Group(_Everywhere, TyperGroup):
    """A csprcli command group."""


class App(typer.Typer):
    """The Typer app of a command module: its commands are `Command`s and, as a group, it is a `Group`."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cls", Group)
        kwargs.setdefault("add_completion", False)
        kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
        super().__init__(**kwargs)

    def command(self, name: str | None = None, *, cls=Command, **kwargs):
        return super().command(name, cls=cls, **kwargs)


def complete_var(prog_name: str) -> str:
    """The environment variable through which a shell's completion script asks for completions."""
    return "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())


def london_today() -> date:
    """The one place csprcli reads the clock."""
    from datetime import datetime, timezone

    from csprcli.domain.dates import london_date

    return london_date(datetime.now(timezone.utc))


def database_path(text: str) -> Path | str:
    """The --db value as a path: it names a file, so one ending in '/' (a folder, perhaps not made yet) is
    refused. A PostgreSQL server's address (postgresql://..., service=...) is kept as typed, for libpq."""
    from csprcli.domain.errors import BadInput  # only when a --db is given
    from csprcli.store.address import is_address

    if is_address(text):
        return text

    if text.endswith(("/", "\\")) or text in ("", ".", ".."):
        raise BadInput(
            f"--db: {text!r} names a folder; a database path names a file, e.g. {text.rstrip('/')}/csprcli.db"
        )
    return Path(text).expanduser()  # an existing folder or other non-file is refused when opened (exit 3)
