"""`workdays`: working-day arithmetic, as the deadlines use it."""

from typing import Annotated

import typer

from csprcli.cli.calendar import NationalOpt, calendar_if_any
from csprcli.cli.common import DATE_HELP, as_of, choice, group, whole_number
from csprcli.domain.dates import human_date, parse_date, within_kept_years
from csprcli.output import Column, Format, render, say

app = group()


@app.command("add", context_settings={"ignore_unknown_options": True})
def workdays_add(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(help=f"The date to count from (not counted itself). {DATE_HELP}")],
    n: Annotated[
        int,
        typer.Argument(
            help="How many working days, -2600 to 2600; negative counts back.", **whole_number("N", -2600, 2600)
        ),
    ],
    national: NationalOpt = False,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="table prints the date for people; csv or json give it ISO.",
            **choice(Format, "a format"),
        ),
    ] = Format.TABLE,
) -> None:
    """The date N working days after START: the spreadsheet's WORKDAY(START, N). The partnership's closure days count unless --national.

    With no --db or CSPRCLI_DB and no database yet, bank holidays alone count; a database named with --db or CSPRCLI_DB must exist (exit status 3 if not).

    Example: csprcli workdays add 19/12/2025 5    (prints Tue 30 Dec 2025)
    """
    first = parse_date(start, as_of=as_of(ctx))
    found = within_kept_years(
        calendar_if_any(ctx, national).add(first, n), f"{n} working days from {human_date(first)}"
    )
    if fmt == Format.TABLE:
        say(human_date(found))
        return
    columns = [Column("start"), Column("working_days"), Column("date")]
    render([{"start": first, "working_days": n, "date": found}], columns, fmt)


@app.command("between")
def workdays_between(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help=f"The first date (not counted). {DATE_HELP}")],
    b: Annotated[str, typer.Argument(help="The second date (counted).")],
    national: NationalOpt = False,
) -> None:
    """How many working days come after A up to and including B (negative if B is before A).

    With no --db or CSPRCLI_DB and no database yet, bank holidays alone count; a database named with --db or CSPRCLI_DB must exist (exit status 3 if not).

    Example: csprcli workdays between 19/12/2025 30/12/2025    (prints 5)
    """
    say(str(calendar_if_any(ctx, national).between(parse_date(a, as_of=as_of(ctx)), parse_date(b, as_of=as_of(ctx)))))
