"""Shell completion that knows the register, at the speed of a TAB.

The shells call `csprcli` with _CSPRCLI_COMPLETE set (the scripts `--install-completion` writes,
cli/app.py). Click's own completion parses every value typed so far through Typer's coercion,
which imports pydantic on every TAB; this module walks the words instead, imports only the
module of the command being typed, and asks each parameter for its completions through Click's
own `shell_complete` (so an option's `autocompletion=` is the one place a completion is declared).
The completers here read the database through store.names: case references, death references, a
case's milestones and action numbers.
"""

import os
from pathlib import Path

import typer

from csprcli.cli.base import complete_var

SHELLS = ("bash", "zsh", "fish")


def run(root, prog_name: str, instruction: str) -> int:
    """Answer one request from a shell's completion script; the exit status the script expects."""
    action, _, shell = instruction.partition("_")
    if shell not in SHELLS:
        typer.echo(f"csprcli completes bash, zsh and fish, not {shell!r}", err=True)
        return 1
    if action == "source":
        typer.echo(script(shell, prog_name))
        return 0
    args, incomplete = _words(shell)
    items = candidates(root, args, incomplete)
    if shell == "bash":
        if items:
            typer.echo("\n".join(value for value, _ in items))
    elif shell == "zsh":
        shown = "\n".join(f'"{_zsh(value)}":"{_zsh(help)}"' if help else f'"{_zsh(value)}"' for value, help in items)
        typer.echo(f"_arguments '*: :(({shown}))'" if items else "_files")
    else:  # fish asks twice: whether there are arguments to offer, then what they are
        if os.environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
            return 0 if items else 1
        if items:
            typer.echo("\n".join(f"{value}\t{' '.join(help.split())}" if help else value for value, help in items))
    return 0


def script(shell: str, prog_name: str) -> str:
    """The completion script for `shell` (Typer's, which calls back with the variables read here)."""
    from typer.completion import get_completion_script

    return get_completion_script(prog_name=prog_name, complete_var=complete_var(prog_name), shell=shell)


def _zsh(text: str) -> str:
    return (
        " ".join(text.split())
        .replace('"', '""')
        .replace("'", "''")
        .replace("$", "\\$")
        .replace("`", "\\`")
        .replace(":", r"\\:")
    )


def _words(shell: str) -> tuple[list[str], str]:
    """The words typed before the one being completed, and that one, as the shell's script sends them."""
    if shell == "bash":
        words = _split(os.environ.get("COMP_WORDS", ""))
        index = int(os.environ.get("COMP_CWORD", "0") or 0)
        return words[1:index], words[index] if index < len(words) else ""
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    words = _split(line)[1:]
    if words and not line.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def _split(line: str) -> list[str]:
    import shlex

    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words = []
    try:
        for word in lexer:
            words.append(word)
    except ValueError:  # an open quote: the word being typed
        words.append(lexer.token)
    return words


# -- what to offer ---------------------------------------------------------------------------------


def candidates(root, args: list[str], incomplete: str) -> list[tuple[str, str | None]]:
    """(value, help) pairs to offer for `incomplete` after `args`: the words of a command line
    after the program's name. Walks the command tree as Click's parser would, without converting
    any value (so nothing is checked, nothing is imported for it, and nothing is written)."""
    from csprcli.cli.commands import COMMANDS, load

    ctx = typer.Context(root, info_name="csprcli", resilient_parsing=True)
    positional: list[str] = []  # the arguments typed so far to the command reached
    command, pending = root, None
    for word in args:
        if pending is not None:  # the value of the option before it
            ctx.params[pending.name] = word
            pending = None
        elif word.startswith("-") and len(word) > 1 and word != "--":
            name, equals, value = word.partition("=")
            option = _option(ctx, command, name)
            if option is not None and _takes_value(option):
                if equals:
                    ctx.params[option.name] = value
                else:
                    pending = option
        elif _is_group(command):
            if command is root:
                found = load(word) if word in COMMANDS else None
            else:
                found = command.commands.get(word)
            if found is None:
                return []
            ctx = typer.Context(found, info_name=word, parent=ctx, resilient_parsing=True)
            command, positional = found, []
        else:
            arguments = _arguments(command)
            index = len(positional)
            if index < len(arguments):
                ctx.params[arguments[index].name] = word
            positional.append(word)
    if pending is not None:
        return _offered(pending, ctx, incomplete)
    if incomplete.startswith("-"):
        name, equals, value = incomplete.partition("=")
        option = _option(ctx, command, name) if equals else None
        if option is not None and _takes_value(option):
            return [(f"{name}={v}", h) for v, h in _offered(option, ctx, value)]
        return [(name, _short(param.help)) for param in _options(ctx, command) for name in _names(param)
                if name.startswith(incomplete)]  # fmt: skip
    if _is_group(command):
        if command is root:
            return [(name, _short(m.help)) for name, m in COMMANDS.items() if name.startswith(incomplete)]
        return [(name, _short(sub.help)) for name, sub in command.commands.items() if name.startswith(incomplete)]
    arguments = _arguments(command)
    index = len(positional)
    if index < len(arguments):
        return _offered(arguments[index], ctx, incomplete)
    return []


def _is_group(command) -> bool:
    return hasattr(command, "commands") and hasattr(command, "list_commands")


def _arguments(command) -> list:
    return [p for p in command.params if isinstance(p, typer.core.TyperArgument)]


def _options(ctx, command) -> list:
    params = [p for p in command.get_params(ctx) if not isinstance(p, typer.core.TyperArgument)]
    return [p for p in params if not getattr(p, "hidden", False)]


def _option(ctx, command, name: str):
    return next((p for p in _options(ctx, command) if name in _names(p)), None)


def _names(param) -> list[str]:
    return [*param.opts, *param.secondary_opts]


def _takes_value(option) -> bool:
    return not getattr(option, "is_flag", False) and not getattr(option, "count", False)


def _offered(param, ctx, incomplete: str) -> list[tuple[str, str | None]]:
    return [(item.value, item.help) for item in param.shell_complete(ctx, incomplete)]


def _short(text: str | None) -> str | None:
    return text.split("\n")[0] if text else None


# -- the completers parameters declare (autocompletion=...) ------------------------------------------


def database(ctx) -> Path:
    """The database a completion reads: --db as typed on the line, else CSPRCLI_DB, else the default place.
    (`ctx` and its parents: contexts of Typer's Click copy, unannotated as in cli/base.py.)"""
    while ctx is not None:
        if ctx.params.get("db"):
            return Path(ctx.params["db"]).expanduser()
        ctx = ctx.parent
    if os.environ.get("CSPRCLI_DB"):
        return Path(os.environ["CSPRCLI_DB"]).expanduser()
    return Path(typer.get_app_dir("csprcli")) / "csprcli.db"


def case_refs(ctx: typer.Context, incomplete: str) -> list[str]:
    from csprcli.store import names

    return names.case_refs(database(ctx), incomplete)


def death_refs(ctx: typer.Context, incomplete: str) -> list[str]:
    from csprcli.store import names

    return names.death_refs(database(ctx), incomplete)


def milestones(ctx: typer.Context, incomplete: str) -> list[str]:
    """The milestones of the case typed before (every rule's, and one per action it has)."""
    from csprcli.domain.rules import RULES
    from csprcli.store import names

    actions = names.action_numbers(database(ctx), ctx.params.get("ref") or "")
    return [r.milestone for r in RULES] + [f"action-{n}" for n in actions]


def revisable(ctx: typer.Context, incomplete: str) -> list[str]:
    """What `revise` moves: the publication, or one of the case's actions."""
    from csprcli.store import names

    actions = names.action_numbers(database(ctx), ctx.params.get("ref") or "", open_only=True)
    return ["publication"] + [f"action-{n}" for n in actions]


def open_actions(ctx: typer.Context, incomplete: str) -> list[str]:
    from csprcli.store import names

    return [str(n) for n in names.action_numbers(database(ctx), ctx.params.get("ref") or "", open_only=True)]


def values_of(kind):
    """The completer of an option that takes one of a fixed set (cli.common.choice)."""

    def offered(incomplete: str) -> list[str]:
        return [m.value for m in kind if m.value.startswith(incomplete.lower())]

    return offered
