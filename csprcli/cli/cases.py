"""Where a case stands: `show`, `list` and `explain`. Each imports the service, the lifecycle and its
renderers when it runs."""

from typing import Annotated

import typer

from csprcli.cli import complete
from csprcli.cli.base import App
from csprcli.cli.common import AllOpt, FormatOpt, RefArg, as_of, opened
from csprcli.domain.errors import BadInput
from csprcli.output import Format, render, say

app = App()


@app.command("show")
def show(ctx: typer.Context, ref: RefArg, fmt: FormatOpt = Format.TABLE) -> None:
    """Example: csprcli show SI-2025-001"""
    from csprcli.output.case import show_case
    from csprcli.services import cases as reading
    from csprcli.services.rulebook import rulebook

    with opened(ctx) as store:
        case = reading.case(store, rulebook(store), ref, as_of(ctx))
        deaths = [d.ref for d in store.deaths_linked_to(case.incident.ref)]
    show_case(case, deaths, fmt)


@app.command("list")
def list_cases(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only cases with a clock still to be done.")] = False,
    closed_only: Annotated[bool, typer.Option("--closed", help="Only cases with every clock done.")] = False,
    fmt: FormatOpt = Format.TABLE,
    show_all: AllOpt = False,
) -> None:
    """Example: csprcli list --open"""
    if open_only and closed_only:
        raise BadInput("--open and --closed cannot be used together; give neither to list every case")
    from csprcli.services import cases as reading
    from csprcli.services.rulebook import rulebook
    from csprcli.output.export import LIST_COLUMNS, case_details

    def rows(found):
        for case in found:
            if (open_only or closed_only) and case.closed != closed_only:
                continue
            row = case_details(case)
            if fmt == Format.TABLE:
                row["next_status"] = case.next_clock.describe() if case.next_clock else "closed"
            yield row

    with opened(ctx) as store:
        found = reading.cases(store, rulebook(store), as_of(ctx), open_only=open_only)
        render(rows(found), LIST_COLUMNS, fmt, empty="no cases", show_all=show_all)


@app.command("explain")
def explain(
    ctx: typer.Context,
    ref: RefArg,
    milestone: Annotated[
        str,
        typer.Argument(
            help="The milestone, as 'show' names it (e.g. rr-decision, action-1).", autocompletion=complete.milestones
        ),
    ],
) -> None:
    """The force of its time limit, the duty and the time limit, the trigger, the count, each day skipped, and any pause or revision.

    Example: csprcli explain SI-2025-001 rr-decision"""
    from csprcli.services import explain as explaining  # only for this command
    from csprcli.services.rulebook import rulebook

    with opened(ctx) as store:
        lines = explaining.explain(store, rulebook(store), ref, milestone, as_of(ctx))
    say("\n".join(lines))
