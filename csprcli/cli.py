"""The command line: parse options, call one function in `tracker`, hand rows to `output`.

Errors are turned into one line on stderr and an exit status in one place,
`CsprGroup`. No SQL and no date arithmetic here.
"""

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

# Typer ships its own copy of Click; its exceptions are only reachable here. They are
# caught, never raised, so that a usage error is one line like every other error.
from typer._click.exceptions import ClickException, NoArgsIsHelpError

from csprcli import __version__, tracker
from csprcli.dates import ACCEPTED_FORMS, london_date, parse_date, parse_past_date
from csprcli.errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_INTERNAL, EXIT_OVERDUE, BadInput, CsprError
from csprcli.model import Abuse, Clock, Nature, Outcome
from csprcli.output import Column, Format, human_date, note, print_fields, render, write_csv, write_file_atomically
from csprcli.rules import RULES
from csprcli.store import Store, default_path, describe_sqlite_error, open_store

EXIT_STATUSES = (
    "Exit statuses: 0 success; 1 'overdue' found something overdue; 2 bad input (nothing was "
    "written); 3 a database or environment problem (nothing was written); 4 an internal error; "
    "130 interrupted."
)


def fail(message: str, code: int) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


class CsprGroup(TyperGroup):
    """The one place where errors become a message and an exit status."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except CsprError as error:
            fail(str(error), error.exit_code)
        except sqlite3.Error as error:
            path = ctx.obj.db if isinstance(ctx.obj, Settings) else "the database"
            fail(describe_sqlite_error(error, path), EXIT_ENVIRONMENT)
        except (typer.Exit, typer.Abort, ClickException, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as error:
            if os.environ.get("CSPRCLI_DEBUG"):
                raise
            # No message text or locals: they could hold personal data.
            fail(
                f"internal error ({type(error).__name__}); nothing more was written. "
                "Run again with CSPRCLI_DEBUG=1 for details and report it",
                EXIT_INTERNAL,
            )

    def main(self, args=None, prog_name=None, standalone_mode: bool = True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except NoArgsIsHelpError as error:
            # Typer's rich help prints itself while the error is made; plain help does not.
            if message := error.format_message():
                typer.echo(message)
            sys.exit(0)
        except ClickException as error:
            where = getattr(error, "ctx", None)
            hint = f" (see '{where.command_path} --help')" if where is not None else ""
            typer.echo(f"error: {error.format_message()}{hint}", err=True)
            sys.exit(EXIT_BAD_INPUT if error.exit_code == 2 else error.exit_code)
        except typer.Abort:
            typer.echo("error: interrupted", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    cls=CsprGroup,
    name="csprcli",
    help="Keep a safeguarding partnership's record of serious child safeguarding incidents "
    "and every statutory clock they start.\n\n"
    "Example: csprcli incident add --child LCS-104233 --la Walsall --aware 17/12/2025 "
    "--nature serious-harm --abuse suspected",
    epilog=EXIT_STATUSES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
incident_app = typer.Typer(help="Record serious incidents and their notification.", no_args_is_help=True)
review_app = typer.Typer(help="Record the rapid review: start, decision, sending to the Panel.", no_args_is_help=True)
workdays_app = typer.Typer(help="Working-day arithmetic, as the deadlines use it.", no_args_is_help=True)
calendar_app = typer.Typer(help="The partnership's own closure days.", no_args_is_help=True)
app.add_typer(incident_app, name="incident")
app.add_typer(review_app, name="review")
app.add_typer(workdays_app, name="workdays")
app.add_typer(calendar_app, name="calendar")


# -- global options -----------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    db: Path
    as_of: date


def london_today() -> date:
    """The one place csprcli reads the clock."""
    from datetime import datetime, timezone

    return london_date(datetime.now(timezone.utc))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csprcli {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="CSPRCLI_DB",
            help="The database file. Default: csprcli.db in your application folder.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            envvar="CSPRCLI_AS_OF",
            help="Run as of this date instead of today (in Europe/London).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and stop.")
    ] = False,
) -> None:
    today = london_today()
    ctx.obj = Settings(
        db=db if db is not None else default_path(),
        as_of=parse_date(as_of, today=today, what="--as-of") if as_of else today,
    )


@contextmanager
def opened(ctx: typer.Context, *, create: bool = False) -> Iterator[Store]:
    """The database. Only commands that record something new create it: for any other
    command a missing file is an error, so a mistyped path is never taken for an empty record."""
    store = open_store(ctx.obj.db, create=create)
    try:
        yield store
    finally:
        store.close()


def past(ctx: typer.Context, text: str, what: str) -> date:
    """A date that has happened, typed by the user."""
    return parse_past_date(text, today=ctx.obj.as_of, what=what)


# -- shared option types -------------------------------------------------------

DATE_HELP = f"Accepts {ACCEPTED_FORMS}; day first."
RefArg = Annotated[str, typer.Argument(help="The case reference, e.g. SI-2026-001.", show_default=False)]
OnOpt = Annotated[str, typer.Option("--on", help=f"The date it happened. {DATE_HELP}", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table for people; csv or json for scripts.")]
AllOpt = Annotated[bool, typer.Option("--all", help=f"Show every row in a table (it stops at 200).")]

SHOW_COLUMNS = [
    Column("ref"),
    Column("milestone", "Milestone"),
    Column("title"),
    Column("force", "Force"),
    Column("trigger"),
    Column("due", "Due"),
    Column("done", "Done"),
    Column("status", "Status", wrap=True),
    Column("working_days"),
]
DUE_COLUMNS = [
    Column("ref", "Case"),
    Column("milestone", "Milestone"),
    Column("title"),
    Column("force", "Force"),
    Column("trigger"),
    Column("due", "Due"),
    Column("status", "Status", wrap=True),
    Column("working_days"),
]


def clock_row(clock: Clock, *, human: bool = False) -> dict:
    return {
        "ref": clock.ref,
        "milestone": clock.milestone,
        "title": clock.title,
        "force": clock.force,
        "trigger": clock.trigger,
        "due": clock.due,
        "done": clock.done,
        "status": clock.describe() if human else clock.status,
        "working_days": clock.working_days,
    }


def report_next(case: tracker.Case) -> None:
    """After a write: the clock that now matters most, so the officer sees what is next."""
    nxt = case.next_clock
    if nxt is None:
        note(f"{case.incident.ref}: no open clocks")
    else:
        note(f"next: {nxt.title}, due {human_date(nxt.due)} ({nxt.describe()})")


def write_then_read(ctx: typer.Context, action, *, create: bool = False) -> tracker.Case:
    """Run one write, then read the changed case back on the same connection."""
    with opened(ctx, create=create) as store:
        incident = action(store)
        return tracker.case(store, tracker.calendar_for(store), incident.ref, ctx.obj.as_of)


def say_done(case: tracker.Case, milestone: str, words: str) -> None:
    clock = find_clock(case, milestone)
    typer.echo(f"{case.incident.ref}: {words} {done_words(clock)}")
    report_next(case)


def done_words(clock: Clock) -> str:
    return f"{human_date(clock.done)} ({clock.describe()}; due {human_date(clock.due)})" if clock.due else f"{human_date(clock.done)}"


def find_clock(case: tracker.Case, milestone: str) -> Clock:
    return next(c for c in case.clocks if c.milestone == milestone)


# -- incidents -----------------------------------------------------------------


@incident_app.command("add")
def incident_add(
    ctx: typer.Context,
    child: Annotated[
        str,
        typer.Option(help="The partnership's pseudonymous child reference (e.g. LCS-104233 or 'Child A'). Never a name."),
    ],
    la: Annotated[str, typer.Option("--la", help="The local authority where the incident happened.")],
    aware: Annotated[str, typer.Option(help=f"The date the local authority became aware. {DATE_HELP}")],
    nature: Annotated[Nature, typer.Option(help="What happened to the child.")],
    abuse: Annotated[
        Abuse, typer.Option(help="Abuse or neglect: known, suspected, or none (only for a looked-after child's death).")
    ],
    looked_after: Annotated[bool, typer.Option("--looked-after", help="The child was looked after.")] = False,
    incident_date: Annotated[str | None, typer.Option(help=f"When the incident happened, if known. {DATE_HELP}")] = None,
    home_la: Annotated[str | None, typer.Option(help="The child's home local authority, if different.")] = None,
    summary: Annotated[
        str | None, typer.Option(help="A short summary (500 characters), with no names, addresses or dates of birth.")
    ] = None,
) -> None:
    """Record a serious incident; prints its reference and when the notification is due.

    Example: csprcli incident add --child LCS-104233 --la Walsall --aware 17/12/2025 --nature serious-harm --abuse suspected
    """
    aware_on = past(ctx, aware, "--aware")
    incident_on = past(ctx, incident_date, "--incident-date") if incident_date else None
    incident = tracker.new_incident(
        child=child,
        la=la,
        aware=aware_on,
        nature=nature,
        abuse=abuse,
        looked_after=looked_after,
        home_la=home_la,
        incident_date=incident_on,
        summary=summary,
    )
    case = write_then_read(ctx, lambda store: tracker.add_incident(store, incident), create=True)
    notification = find_clock(case, "notification")
    typer.echo(f"{case.incident.ref}: recorded; notification to the Panel due {human_date(notification.due)} ({notification.describe()})")


@incident_app.command("notify")
def incident_notify(
    ctx: typer.Context,
    ref: RefArg,
    on: OnOpt,
    sin_ref: Annotated[str | None, typer.Option(help="The notification system's own reference.")] = None,
) -> None:
    """The serious incident notification was submitted to the Panel.

    Example: csprcli incident notify SI-2025-001 --on 23/12/2025
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.notify(store, ref, on=on_day, sin_ref=sin_ref))
    say_done(case, "notification", "notification recorded")


@incident_app.command("inform")
def incident_inform(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """The local authority told the local safeguarding partners.

    Example: csprcli incident inform SI-2025-001 --on 18/12/2025
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.inform_partners(store, ref, on=on_day))
    say_done(case, "partners-informed", "partners told")


# -- rapid review ---------------------------------------------------------------


@review_app.command("start")
def review_start(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """The rapid review was triggered (no deadline of its own; promptly after the notification).

    Example: csprcli review start SI-2025-001 --on 24/12/2025
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.start_review(store, ref, on=on_day))
    typer.echo(f"{case.incident.ref}: rapid review started {human_date(on_day)}")
    report_next(case)


@review_app.command("decide")
def review_decide(
    ctx: typer.Context,
    ref: RefArg,
    outcome: Annotated[Outcome, typer.Option(help="What the rapid review decided.")],
    on: OnOpt,
    reason: Annotated[str, typer.Option(help="The reasons for the decision, as minuted.")],
) -> None:
    """The rapid review's decision, with its reasons. criteria-not-met closes the review clocks.

    Example: csprcli review decide SI-2025-001 --outcome lcspr --on 14/01/2026 --reason "Two or more agencies; recurrent themes"
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.decide(store, ref, outcome=outcome, on=on_day, reason=reason))
    if outcome == Outcome.CRITERIA_NOT_MET:
        typer.echo(f"{case.incident.ref}: criteria not met, recorded {human_date(on_day)}; the rapid-review clocks are closed")
    else:
        say_done(case, "rr-decision", f"decision ({outcome}) recorded")


@review_app.command("submit")
def review_submit(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """The rapid review was sent to the Panel.

    Example: csprcli review submit SI-2025-001 --on 16/01/2026
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.submit_review(store, ref, on=on_day))
    say_done(case, "rr-sent", "rapid review sent to the Panel")


# -- reading ----------------------------------------------------------------------


@app.command("show")
def show(ctx: typer.Context, ref: RefArg, fmt: FormatOpt = Format.TABLE) -> None:
    """A case and each of its milestones: due, done, and where it stands.

    Example: csprcli show SI-2025-001
    """
    with opened(ctx) as store:
        case = tracker.case(store, tracker.calendar_for(store), ref, ctx.obj.as_of)
    i = case.incident
    if fmt == Format.JSON:
        details = case_details(case)
        details["milestones"] = [clock_row(c) for c in case.clocks]
        render([details], [], fmt)
        return
    if fmt == Format.CSV:
        render([clock_row(c) for c in case.clocks], SHOW_COLUMNS, fmt)
        return
    print_fields(
        [
            ("Case", i.ref),
            ("Child", i.child),
            ("Local authority", i.la + (f" (child lives in {i.home_la})" if i.home_la else "")),
            ("Nature", f"{i.nature}; " + ABUSE_WORDS[i.abuse] + ("; looked-after child" if i.looked_after else "")),
            ("Incident", i.incident_date),
            ("Aware", i.aware),
            ("Notification ref", i.sin_ref),
            ("Rapid review started", i.rr_started),
            ("Outcome", i.outcome),
            ("Reasons", i.reason),
            ("Summary", i.summary),
            ("State", "closed" if case.closed else "open"),
        ]
    )
    render([clock_row(c, human=True) for c in case.clocks], SHOW_COLUMNS, fmt)


ABUSE_WORDS = {
    Abuse.KNOWN: "abuse or neglect known",
    Abuse.SUSPECTED: "abuse or neglect suspected",
    Abuse.NONE: "no abuse or neglect known or suspected",
}


def case_details(case: tracker.Case) -> dict:
    i = case.incident
    nxt = case.next_clock
    return {
        "ref": i.ref,
        "child": i.child,
        "la": i.la,
        "home_la": i.home_la,
        "nature": i.nature,
        "abuse": i.abuse,
        "looked_after": i.looked_after,
        "incident_date": i.incident_date,
        "aware": i.aware,
        "sin_ref": i.sin_ref,
        "rr_started": i.rr_started,
        "outcome": i.outcome,
        "state": "closed" if case.closed else "open",
        "next_milestone": nxt.milestone if nxt else None,
        "next_due": nxt.due if nxt else None,
        "next_status": nxt.status if nxt else None,
    }


LIST_COLUMNS = [
    Column("ref", "Case"),
    Column("child", "Child"),
    Column("la"),
    Column("home_la"),
    Column("nature"),
    Column("abuse"),
    Column("looked_after"),
    Column("incident_date"),
    Column("aware"),
    Column("sin_ref"),
    Column("rr_started"),
    Column("outcome"),
    Column("state"),
    Column("next_milestone", "Next"),
    Column("next_due", "Due"),
    Column("next_status", "Status", wrap=True),
]


@app.command("list")
def list_cases(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only cases with a clock still to be done.")] = False,
    closed_only: Annotated[bool, typer.Option("--closed", help="Only cases with every clock done.")] = False,
    fmt: FormatOpt = Format.TABLE,
    show_all: AllOpt = False,
) -> None:
    """Every case with its stage and the next milestone due.

    Example: csprcli list --open
    """
    if open_only and closed_only:
        raise BadInput("--open and --closed cannot be used together; give neither to list every case")
    with opened(ctx) as store:
        found = tracker.cases(store, tracker.calendar_for(store), ctx.obj.as_of)
    if open_only or closed_only:
        found = [c for c in found if c.closed == closed_only]
    rows = []
    for case in found:
        row = case_details(case)
        if fmt == Format.TABLE:
            row["next_status"] = case.next_clock.describe() if case.next_clock else "closed"
        rows.append(row)
    render(rows, LIST_COLUMNS, fmt, empty="no cases", show_all=show_all)


@app.command("overdue", epilog=EXIT_STATUSES)
def overdue(
    ctx: typer.Context,
    fmt: FormatOpt = Format.TABLE,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing: the exit status says it.")] = False,
    show_all: AllOpt = False,
) -> None:
    """Every milestone past its due date, most overdue first. Exit status 1 if any, 0 if none.

    Example, for a nightly check: csprcli overdue --quiet || echo "something is overdue"
    """
    with opened(ctx) as store:
        found = tracker.overdue(tracker.cases(store, tracker.calendar_for(store), ctx.obj.as_of))
    if not quiet:
        rows = [clock_row(c, human=fmt == Format.TABLE) for c in found]
        render(rows, DUE_COLUMNS, fmt, empty=f"nothing overdue on {human_date(ctx.obj.as_of)}", show_all=show_all)
    if found:
        raise typer.Exit(EXIT_OVERDUE)


@app.command("upcoming")
def upcoming(
    ctx: typer.Context,
    within: Annotated[int, typer.Option(min=0, max=260, help="How many working days ahead to look.")] = 5,
    fmt: FormatOpt = Format.TABLE,
    show_all: AllOpt = False,
) -> None:
    """Open milestones due from today to N working days ahead, soonest first.

    Example: csprcli upcoming --within 10
    """
    with opened(ctx) as store:
        calendar = tracker.calendar_for(store)
        found = tracker.upcoming(tracker.cases(store, calendar, ctx.obj.as_of), calendar, ctx.obj.as_of, within)
    rows = [clock_row(c, human=fmt == Format.TABLE) for c in found]
    render(rows, DUE_COLUMNS, fmt, empty=f"nothing due in the next {within} working days", show_all=show_all)


def export_columns(include_notes: bool) -> list[Column]:
    columns = [c for c in LIST_COLUMNS if not c.key.startswith("next_")]
    for rule in RULES:
        columns += [Column(f"{rule.milestone}_{part}") for part in ("due", "done", "status", "working_days")]
    if include_notes:
        columns += [Column("summary"), Column("reason")]
    return columns


@app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")
    ] = None,
    include_notes: Annotated[
        bool, typer.Option("--include-notes", help="Add the free-text summary and decision reasons.")
    ] = False,
) -> None:
    """CSV for meetings: one row per case, every milestone's due and done dates.

    Opens in Excel and LibreOffice: UTF-8 with a byte-order mark in a file, ISO dates,
    and no cell can run as a formula.

    Example: csprcli export --output cases.csv
    """
    with opened(ctx) as store:
        found = tracker.cases(store, tracker.calendar_for(store), ctx.obj.as_of)
    rows = []
    for case in found:
        row = case_details(case)
        row["summary"], row["reason"] = case.incident.summary, case.incident.reason
        for c in case.clocks:
            row |= {f"{c.milestone}_due": c.due, f"{c.milestone}_done": c.done, f"{c.milestone}_status": c.status}
            row[f"{c.milestone}_working_days"] = c.working_days
        rows.append(row)
    columns = export_columns(include_notes)
    if output is None:
        write_csv(rows, columns, sys.stdout)
        return
    try:
        write_file_atomically(output, lambda out: write_csv(rows, columns, out))
    except OSError as error:
        raise BadInput(f"cannot write {output}: {error.strerror}") from None
    note(f"wrote {len(rows)} cases to {output}")


# -- working days and closures ------------------------------------------------


def calendar_if_any(ctx: typer.Context) -> "tracker.WorkingCalendar":
    """The calendar with the recorded closures, or bank holidays alone if there is no database yet."""
    if not Path(ctx.obj.db).exists():
        return tracker.calendar_for(None)
    with opened(ctx) as store:
        return tracker.calendar_for(store)


@workdays_app.command("add", context_settings={"ignore_unknown_options": True})
def workdays_add(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(help=f"The date to count from (not counted itself). {DATE_HELP}")],
    n: Annotated[int, typer.Argument(min=-2600, max=2600, help="How many working days; negative counts back.")],
) -> None:
    """The date N working days after DATE: the spreadsheet's WORKDAY(DATE, N).

    Example: csprcli workdays add 19/12/2025 5    (prints 2025-12-30)
    """
    typer.echo(calendar_if_any(ctx).add(parse_date(start, today=ctx.obj.as_of), n).isoformat())


@workdays_app.command("between")
def workdays_between(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help=f"The first date (not counted). {DATE_HELP}")],
    b: Annotated[str, typer.Argument(help="The second date (counted).")],
) -> None:
    """How many working days come after A up to and including B (negative if B is before A).

    Example: csprcli workdays between 19/12/2025 30/12/2025    (prints 5)
    """
    today = ctx.obj.as_of
    typer.echo(str(calendar_if_any(ctx).between(parse_date(a, today=today), parse_date(b, today=today))))


@app.command("holidays")
def holidays(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(min=1970, max=2099, help="The year; default: the as-of year.")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """The weekdays that are not working days: bank holidays by name and the partnership's closures.

    Example: csprcli holidays --year 2026
    """
    year = year or ctx.obj.as_of.year
    calendar = calendar_if_any(ctx)
    rows = [{"date": d, "day": f"{d:%A}", "kind": "bank holiday", "name": n} for d, n in calendar.bank_holidays(year).items()]
    rows += [{"date": d, "day": f"{d:%A}", "kind": "closure", "name": r} for d, r in calendar.closures(year).items()]
    rows.sort(key=lambda r: r["date"])
    columns = [Column("date", "Date"), Column("day", "Day"), Column("kind", "Kind"), Column("name", "Name", wrap=True)]
    render(rows, columns, fmt, title=f"Non-working weekdays in {year}")


@calendar_app.command("close")
def calendar_close(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(help=f"The day the partnership is closed. {DATE_HELP}")],
    reason: Annotated[str, typer.Option(help="Why, e.g. 'Christmas closure'.")],
) -> None:
    """Record a closure day: every deadline crossing it moves on a working day.

    Example: csprcli calendar close 29/12/2026 --reason "Christmas closure"
    """
    closed = parse_date(day, today=ctx.obj.as_of, what="DATE")
    with opened(ctx, create=True) as store:
        tracker.close_day(store, tracker.calendar_for(store), closed, reason)
    typer.echo(f"{human_date(closed)} recorded as a closure day; deadlines crossing it have moved")


@calendar_app.command("reopen")
def calendar_reopen(ctx: typer.Context, day: Annotated[str, typer.Argument(help=f"A recorded closure day. {DATE_HELP}")]) -> None:
    """Remove a closure day recorded by mistake.

    Example: csprcli calendar reopen 29/12/2026
    """
    opened_day = parse_date(day, today=ctx.obj.as_of, what="DATE")
    with opened(ctx) as store:
        tracker.reopen_day(store, opened_day)
    typer.echo(f"{human_date(opened_day)} is a working day again")


def main() -> None:
    app()
