"""`calendar`: the partnership's own closure days; and the calendar `workdays` and `holidays` count with."""

from typing import TYPE_CHECKING, Annotated

import typer

from csprcli.cli.common import DATE_HELP, as_of, group, no_database_yet, opened
from csprcli.domain.dates import human_date, parse_date
from csprcli.output import say

if TYPE_CHECKING:
    from csprcli.domain.calendar import WorkingCalendar

app = group()


NationalOpt = Annotated[
    bool,
    typer.Option(
        "--national",
        help="England-and-Wales working days only, as the national clocks count (the partnership's closure days left out).",
    ),
]


def calendar_if_any(ctx: typer.Context, national: bool = False) -> "WorkingCalendar":
    """The calendar with the recorded closures (what local reminders count), or bank holidays alone if
    no database is named and there is none yet at the default place, or `national` (what the
    national clocks count). A database named with --db or CSPRCLI_DB must exist (exit 3)."""
    from csprcli.services.rulebook import calendar_for

    if no_database_yet(ctx):
        return calendar_for(None)
    with opened(ctx) as store:
        calendar = calendar_for(store)
    return calendar.national() if national else calendar


@app.command("close")
def calendar_close(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(help=f"The day the partnership is closed. {DATE_HELP}")],
    reason: Annotated[str, typer.Option(help="Why, e.g. 'Christmas closure'.")],
) -> None:
    """Record a closure day. It moves the partnership's own reminders counted in working days (the Panel response reminder); targets counted in calendar months (progress checks, publication) and the national clocks (notification, partners told, rapid review, the report's notice) never move.

    Example: csprcli calendar close 29/12/2026 --reason "Christmas closure"
    """
    from csprcli.services.rulebook import calendar_for
    from csprcli.services import records

    closed = parse_date(day, as_of=as_of(ctx), what="DATE")
    records.check_closure(calendar_for(None), closed, reason)  # before a database is created for it
    with opened(ctx, create=True) as store:
        records.close_day(store, calendar_for(store), closed, reason)
    say(
        f"{human_date(closed)} recorded as a closure day; the partnership's own reminders crossing it have moved "
        "(national clocks never count closure days)"
    )


@app.command("reopen")
def calendar_reopen(
    ctx: typer.Context, day: Annotated[str, typer.Argument(help=f"A recorded closure day. {DATE_HELP}")]
) -> None:
    """Remove a closure day recorded by mistake.

    Example: csprcli calendar reopen 29/12/2026
    """
    from csprcli.services import records

    opened_day = parse_date(day, as_of=as_of(ctx), what="DATE")
    with opened(ctx, write=True) as store:
        records.reopen_day(store, opened_day)
    say(f"{human_date(opened_day)} is a working day again")
