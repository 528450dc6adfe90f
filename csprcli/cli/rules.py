"""`rules`: every deadline rule with the force of its time limit, where the duty and the time limit
come from, whether closure days count, and the settings a partnership can change."""

from typing import Annotated

import typer

from csprcli.cli.base import App
from csprcli.cli.common import FormatOpt, no_database_yet, opened
from csprcli.domain.rules import check_setting
from csprcli.output import Format, render, say
from csprcli.output.rules import RULE_COLUMNS, rule_rows, say_rules

app = App()


@app.callback(invoke_without_command=True)
def rules(ctx: typer.Context, fmt: FormatOpt = Format.TABLE) -> None:
    """Each rule's count, unit and trigger, the force of its time limit, where the duty and the time limit come from, whether closure days count, and this partnership's settings.

    With no --db or CSPRCLI_DB and no database yet, the default settings; a database named with --db or CSPRCLI_DB must exist (exit status 3 if not).

    Example: csprcli rules    ·    csprcli rules set rr-clock-start aware
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = {}
    if not no_database_yet(ctx):
        with opened(ctx) as store:
            settings = store.settings()
    rows = rule_rows(settings)
    if fmt != Format.TABLE:
        render(rows, RULE_COLUMNS, fmt)
        return
    say_rules(rows, settings)


@app.command("set", context_settings={"ignore_unknown_options": True})
def rules_set(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="rr-clock-start, panel-reminder or progress-interval.")],
    value: Annotated[str, typer.Argument(help="The new value.")],
) -> None:
    """Change a setting; open deadlines follow it the next time they are listed.

    Example: csprcli rules set panel-reminder 15
    """
    from csprcli.services import records

    check_setting(name, value)  # before a database is created for it
    with opened(ctx, create=True) as store:
        stored = records.set_rule(store, name, value)
    say(f"{name} is now {stored}")
