"""What every command module shares: the global options, opening the database, the option
types, and the few sentences that follow a write. No SQL and no date arithmetic here.
"""

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from enum import StrEnum

import typer

from csprcli.cli import complete
from csprcli.cli.base import App
from csprcli.domain.dates import ACCEPTED_FORMS, human_date, parse_past_date
from csprcli.domain.errors import RECORDED, BadInput
from csprcli.domain.clock import Clock
from csprcli.output import Format, note, say

if TYPE_CHECKING:  # the service and the store are imported when a command runs, not by every command (or TAB)
    from csprcli.store.store import Store
    from csprcli.services.cases import Case


def group(details: str | None = None) -> App:
    """A command group that prints its help when given no command. Its help line is in
    cli.commands.COMMANDS; `details` go on from it."""
    found = App(help=details)

    @found.callback(invoke_without_command=True)
    def _help_without_a_command(ctx: typer.Context) -> None:
        if ctx.invoked_subcommand is None:
            say(ctx.get_help())
            raise typer.Exit()

    return found


@contextmanager
def opened(
    ctx: typer.Context, *, create: bool = False, write: bool = False, earlier: bool = False, check: bool = False
) -> Iterator["Store"]:
    """The database. Only commands that record something new create it, and only commands that
    write (`write`) upgrade it: for a command that only reads, a missing, empty or foreign file
    is an error, so a mistyped path is never taken for an empty record, and nothing is written.
    `earlier` accepts a database still to be upgraded, for a command that only copies it. A command
    that writes, and one that reads with `check` (the nightly check), refuses a damaged file (exit 3)."""
    from csprcli.store.database import after_today, checked_while_reading, open_store

    command = ctx.command_path.removeprefix(ctx.find_root().command_path).strip()  # "incident notify"
    given = options(ctx)
    future = None
    if given.future:  # recording the future is a typing mistake
        future = (
            f"--as-of (or CSPRCLI_AS_OF) {human_date(given.as_of)} is after today ({human_date(given.today)}); "
            "a command that records something runs as of today or a past day, never a future one"
        )
        if create:
            raise BadInput(future)
    store = open_store(given.db, create=create, command=command, write=write or create, earlier=earlier)
    store.refuse_writes = future
    store.as_of = given.as_of  # each write is kept with the day it was made as of (a view of a past day reads it)
    told = [f"warning: {warning}" for warning in store.warnings]
    try:
        with checked_while_reading(store) if check else nullcontext():
            if given.today is not None and (ahead := after_today(store, given.today)):
                told.append(f"warning: {dated_after_today(ahead, given.today)}")
            if not check:
                _say_all(told)
            yield store
        if check:  # once the file is known to be sound, before the command's answer: an error is one line
            _say_all(told)
    finally:
        if store.recorded:  # so that a failure after this says what was recorded (app.CsprGroup)
            ctx.meta.setdefault(RECORDED, []).extend(store.recorded)
            if store.holds_sample_cases():
                note(
                    f"warning: {store.path} holds the sample cases (examples/sample-cases.sh): what this recorded "
                    "landed among them. For your own cases, give your database with --db, or unset CSPRCLI_DB"
                )
        store.close()


def _say_all(warnings: list[str]) -> None:
    for warning in warnings:
        note(warning)


def dated_after_today(ahead: list, today: date) -> str:
    """The warning for a record that holds days after today (a machine clock that ran ahead)."""
    from csprcli.domain.dates import human_date

    ref, field, day = ahead[0]
    more = f" and {len(ahead) - 1} more" if len(ahead) > 1 else ""
    return (
        f"the record holds dates after today ({human_date(today)}): {ref} {field.replace('_', '-')} "
        f"{human_date(day)}{more}, recorded while the computer's clock was ahead? Every view leaves them out "
        "until that day; 'csprcli db status' lists them and 'csprcli correct' puts each right"
    )


def no_database_yet(ctx: typer.Context) -> bool:
    """For a calculator (workdays, holidays, rules) that can answer from bank holidays alone: true
    when no --db or CSPRCLI_DB was given and nothing is recorded yet at the default place. A file
    named with --db or CSPRCLI_DB that is missing is a mistyped path, not "no closures": it is
    opened as every reader opens it, and refused (exit 3)."""
    given = options(ctx)
    return not given.db_named and not Path(given.db).expanduser().exists()


def options(ctx: typer.Context):
    """The global options (cli.app.GlobalOptions): --db and --as-of."""
    return ctx.find_root().obj


def as_of(ctx: typer.Context) -> date:
    return options(ctx).as_of


def past(ctx: typer.Context, text: str, what: str) -> date:
    """A date that has happened, typed by the user."""
    return parse_past_date(text, as_of=as_of(ctx), what=what)


# -- shared option types -------------------------------------------------------


def whole_number(what: str, low: int, high: int) -> dict:
    """The settings of an option that takes a whole number from `low` to `high`, refused in words
    for people ("--within: 'abc' is not a whole number from 0 to 260"), not the parser's wording."""
    from csprcli.domain.dates import shown
    from csprcli.domain.errors import BadInput

    def read(text):
        try:
            number = text if isinstance(text, int) else int(str(text).strip())
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise BadInput(f"{what}: {shown(str(text))} is not a whole number from {low} to {high}")
        return number

    # An argument's metavar would stand in for its name; an option's shows where its type would.
    return {"parser": read} if not what.startswith("-") else {"parser": read, "metavar": f"<{low} to {high}>"}


def choice(kind, what: str | None = None) -> dict:
    """The settings of an option that takes one of a fixed set: read in any letter case, and when
    it is none of them, a message for people ("'lcsrp' is not an outcome; did you mean 'lcspr'?")
    instead of the parser's own wording. Use as typer.Option(..., **choice(Outcome)); `what` names
    a set the record does not (vocabulary.NOUNS), e.g. "a format"."""
    from csprcli.domain.choices import choose
    from csprcli.cli.complete import values_of

    def read(text):
        try:
            return choose(kind, text, what)
        except BadInput as error:  # a usage error, so that the option it was given for is named
            from csprcli.cli.app import InWords

            raise InWords(str(error)) from None

    return {"parser": read, "metavar": f"<{'|'.join(m.value for m in kind)}>", "autocompletion": values_of(kind)}


DATE_HELP = f"Accepts {ACCEPTED_FORMS}; day first."
RefArg = Annotated[
    str,
    typer.Argument(help="The case reference, e.g. SI-2026-001.", show_default=False, autocompletion=complete.case_refs),
]
OnOpt = Annotated[str, typer.Option("--on", help=f"The date it happened. {DATE_HELP}", show_default=False)]
AgreedByOpt = Annotated[str, typer.Option("--agreed-by", help="Who agreed it (a role or a name of a professional).")]


class ReportFormat(StrEnum):
    """The yearly reports' formats: the terminal's bar charts, markdown for a paper, a page for a
    board (html, with charts, printable on A4), csv and json."""

    TABLE = "table"
    MARKDOWN = "markdown"
    HTML = "html"
    CSV = "csv"
    JSON = "json"


FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", help="table for people; csv or json for scripts.", **choice(Format, "a format")),
]
ReportFormatOpt = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        help="table (with bar charts), markdown, html (a page for a board: charts, prints on A4), csv or json.",
        **choice(ReportFormat, "a format"),
    ),
]
AllOpt = Annotated[bool, typer.Option("--all", help="Show every row in a table (it stops at 50).")]

# -- after a write --------------------------------------------------------------


def write_then_read(ctx: typer.Context, action, *, create: bool = False) -> "Case":
    """Run one write, then read the changed case back on the same connection: as of the as-of date,
    or of the latest date recorded on the case if that is later (a plan or a target can be recorded
    as of a day before what the case already holds; the officer sees the whole record)."""
    from csprcli.services import cases as reading
    from csprcli.services.rulebook import rulebook
    from csprcli.domain.asof import last_dated

    with opened(ctx, create=create, write=True) as store:
        incident = action(store)
        recorded = store.incident(incident.ref)
        return reading.case(store, rulebook(store), incident.ref, max(as_of(ctx), last_dated(recorded)))


def report_next(case: "Case") -> None:
    """After a write: the clock that now matters most, so the officer sees what is next."""
    nxt = case.next_clock
    if nxt is None:
        note(f"{case.incident.ref}: no open clocks")
    else:
        note(f"next: {nxt.title}, due {human_date(nxt.counted()[1])} ({nxt.describe()})")


def recorded_on(ctx: typer.Context, on: str, write, words: str, *, milestone: str | None = None) -> None:
    """A step that happened on the day --on gives: record it (`write(store, day)`), then say so
    (with how it stands against its due date, when it meets `milestone`), and what is next."""
    day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: write(store, day))
    if milestone:
        say_done(case, milestone, words)
        return
    say(f"{case.incident.ref}: {words} {human_date(day)}")
    report_next(case)


def say_done(case: "Case", milestone: str, words: str) -> None:
    clock = find_clock(case, milestone)
    say(f"{case.incident.ref}: {words} {done_words(clock)}")
    report_next(case)


def done_words(clock: Clock) -> str:
    assert clock.done is not None  # said once the step is recorded (say_done)
    return (
        f"{human_date(clock.done)} ({clock.describe()}; due {human_date(clock.due)})"
        if clock.due
        else human_date(clock.done)
    )


def find_clock(case: "Case", milestone: str) -> Clock:
    return next(c for c in case.clocks if c.milestone == milestone)
