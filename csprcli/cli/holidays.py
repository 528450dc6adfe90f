"""`holidays`: the weekdays that are not working days."""

from typing import Annotated, Any

import typer

from csprcli.cli.base import App
from csprcli.cli.calendar import calendar_if_any
from csprcli.cli.common import FormatOpt, as_of, whole_number
from csprcli.domain.dates import FIRST_YEAR, LAST_YEAR
from csprcli.output import Column, Format, render

app = App()


@app.command("holidays")
def holidays(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option(help="The year; default: the as-of year.", **whole_number("--year", FIRST_YEAR, LAST_YEAR)),
    ] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """The weekdays that are not working days. With no --db or CSPRCLI_DB and no database yet, bank holidays alone count; a database named with --db or CSPRCLI_DB must exist (exit status 3 if not).

    Example: csprcli holidays --year 2026
    """
    year = year or as_of(ctx).year
    calendar = calendar_if_any(ctx)
    rows: list[dict[str, Any]] = [
        {"date": d, "day": f"{d:%A}", "kind": "bank holiday", "name": n}
        for d, n in calendar.bank_holidays(year).items()
    ]
    rows += [{"date": d, "day": f"{d:%A}", "kind": "closure", "name": r} for d, r in calendar.closures(year).items()]
    rows.sort(key=lambda r: r["date"])
    columns = [Column("date", "Date"), Column("day", "Day"), Column("kind", "Kind"), Column("name", "Name", wrap=True)]
    render(rows, columns, fmt, title=f"Non-working weekdays in {year}")
