"""Working days: `workdays` arithmetic, the `holidays` list and the partnership's own closure days (`calendar`)."""

from typing import Annotated

import typer

from csprcli.services import records
from csprcli.services import incidents as service
from csprcli.domain.calendar import WorkingCalendar
from csprcli.cli.common import DATE_HELP, FormatOpt, as_of, choice, group, no_database_yet, opened, whole_number
from csprcli.domain.dates import FIRST_YEAR, LAST_YEAR, human_date, parse_date, within_kept_years
from csprcli.output import Column, Format, render, say

workdays = group()
closures = group()
commands = typer.Typer(add_completion=False)  # `holidays`, at the top level



NationalOpt = Annotated[
    bool,
    typer.Option(
        "--national",
        help="England-and-Wales working days only, as the national clocks count (the partnership's closure days left out).",
    ),
]


def calendar_if_any(ctx: typer.Context, national: bool = False) -> WorkingCalendar:
    """The calendar with the recorded closures (what local reminders count), or bank holidays alone if
    no database is named and there is none yet at the default place, or `national` (what the
    national clocks count). A database named with --db or CSPRCLI_DB must exist (exit 3)."""
    if no_database_yet(ctx):
        return service.calendar_for(None)
    with opened(ctx) as store:
        calendar = service.calendar_for(store)
    return calendar.national() if national else calendar

@workdays.command("add", context_settings={"ignore_unknown_options": True})
def workdays_add(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(help=f"The date to count from (not counted itself). {DATE_HELP}")],
    n: Annotated[int, typer.Argument(help="How many working days, -2600 to 2600; negative counts back.", **whole_number("N", -2600, 2600))],
    national: NationalOpt = False,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="table prints the date for people; csv or json give it ISO.",
                             **choice(Format, "a format"))
    ] = Format.TABLE,
) -> None:
    """The date N working days after DATE: the spreadsheet's WORKDAY(DATE, N). The partnership's closure days count unless --national.

    With no --db or CSPRCLI_DB and no database yet, bank holidays alone count; a database named with --db or CSPRCLI_DB must exist (exit status 3 if not).

    Example: csprcli workdays add 19/12/2025 5    (prints Tue 30 Dec 2025)
    """
    first = parse_date(start, as_of=as_of(ctx))
    found = within_kept_years(calendar_if_any(ctx, national).add(first, n), f"{n} working days from {first.isoformat()}")
    if fmt == Format.TABLE:
        say(human_date(found))
        return
    columns = [Column("start"), Column("working_days"), Column("date")]
    render([{"start": first, "working_days": n, "date": found}], columns, fmt)


@workdays.command("between")
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

@commands.command("holidays")
def holidays(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(help="The year; default: the as-of year.", **whole_number("--year", FIRST_YEAR, LAST_YEAR))] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """The weekdays that are not working days: bank holidays by name and the partnership's closures.

    With no --db or CSPRCLI_DB and no database yet, bank holidays alone count; a database named with --db or CSPRCLI_DB must exist (exit status 3 if not).

    Example: csprcli holidays --year 2026
    """
    year = year or as_of(ctx).year
    calendar = calendar_if_any(ctx)
    rows = [
        {"date": d, "day": f"{d:%A}", "kind": "bank holiday", "name": n}
        for d, n in calendar.bank_holidays(year).items()
    ]
    rows += [{"date": d, "day": f"{d:%A}", "kind": "closure", "name": r} for d, r in calendar.closures(year).items()]
    rows.sort(key=lambda r: r["date"])
    columns = [Column("date", "Date"), Column("day", "Day"), Column("kind", "Kind"), Column("name", "Name", wrap=True)]
    render(rows, columns, fmt, title=f"Non-working weekdays in {year}")

@closures.command("close")
def calendar_close(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(help=f"The day the partnership is closed. {DATE_HELP}")],
    reason: Annotated[str, typer.Option(help="Why, e.g. 'Christmas closure'.")],
) -> None:
    """Record a closure day. It moves the partnership's own reminders (the Panel response reminder, progress checks) on a working day; the national clocks (notification, partners told, rapid review, the report's notice) count England-and-Wales working days only and never move.

    Example: csprcli calendar close 29/12/2026 --reason "Christmas closure"
    """
    closed = parse_date(day, as_of=as_of(ctx), what="DATE")
    records.check_closure(service.calendar_for(None), closed, reason)  # before a database is created for it
    with opened(ctx, create=True) as store:
        records.close_day(store, service.calendar_for(store), closed, reason)
    say(
        f"{human_date(closed)} recorded as a closure day; the partnership's own reminders crossing it have moved "
        "(national clocks never count closure days)"
    )

@closures.command("reopen")
def calendar_reopen(
    ctx: typer.Context, day: Annotated[str, typer.Argument(help=f"A recorded closure day. {DATE_HELP}")]
) -> None:
    """Remove a closure day recorded by mistake.

    Example: csprcli calendar reopen 29/12/2026
    """
    opened_day = parse_date(day, as_of=as_of(ctx), what="DATE")
    with opened(ctx, write=True) as store:
        records.reopen_day(store, opened_day)
    say(f"{human_date(opened_day)} is a working day again")
