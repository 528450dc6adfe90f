"""What is due: `overdue` and `upcoming`. Each imports the service when it runs."""

from typing import Annotated

import typer

from csprcli.cli.base import App
from csprcli.cli.common import AllOpt, FormatOpt, as_of, opened, whole_number
from csprcli.output.clocks import clock_row, due_columns
from csprcli.domain.dates import human_date, week_end
from csprcli.domain.errors import EXIT_OVERDUE, EXIT_STATUSES, BadInput
from csprcli.output import Format, render

app = App()


@app.command("overdue", epilog=EXIT_STATUSES)
def overdue(
    ctx: typer.Context,
    fmt: FormatOpt = Format.TABLE,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing: the exit status says it.")] = False,
    show_all: AllOpt = False,
    original: Annotated[
        bool, typer.Option("--original", help="Measure against the original targets, not the revised ones in force.")
    ] = False,
) -> None:
    """Exit status 1 if any, 0 if none.

    Example, for a nightly check: csprcli overdue --quiet || echo "something is overdue" """
    from csprcli.services import cases as reading

    with opened(ctx, check=True) as store:  # the nightly check never gives the all-clear from a damaged file
        found = reading.overdue(store, as_of(ctx), against_original=original)
    if not quiet:
        rows = (clock_row(c) for c in found)
        render(
            rows,
            due_columns("Working days overdue", found),
            fmt,
            empty=f"nothing overdue on {human_date(as_of(ctx))}",
            show_all=show_all,
        )
    if found:
        raise typer.Exit(EXIT_OVERDUE)


@app.command("upcoming")
def upcoming(
    ctx: typer.Context,
    within: Annotated[
        int | None,
        typer.Option(
            help="How many working days ahead to look (0: today only).",
            show_default="5",
            **whole_number("--within", 0, 260),
        ),
    ] = None,
    week: Annotated[bool, typer.Option("--week", help="This week: from today to Friday.")] = False,
    fmt: FormatOpt = Format.TABLE,
    show_all: AllOpt = False,
) -> None:
    """From today to N working days ahead (--within, 5 unless given), or to Friday (--week).

    Example: csprcli upcoming --within 10    ·    csprcli upcoming --week"""
    if week and within is not None:
        raise BadInput("give --within or --week, not both")
    today = as_of(ctx)
    until = week_end(today) if week else None
    within = 5 if within is None else within
    from csprcli.services import cases as reading

    with opened(ctx) as store:
        found = reading.upcoming(store, today, within=within, until=until)
    if until is not None:  # --week
        empty = f"nothing due from today to {human_date(until)}"
    elif within == 0:
        empty = f"nothing due today ({human_date(today)})"
    else:
        empty = f"nothing due today or in the next {'working day' if within == 1 else f'{within} working days'}"
    rows = (clock_row(c) for c in found)
    render(rows, due_columns("Working days left", found), fmt, empty=empty, show_all=show_all)
