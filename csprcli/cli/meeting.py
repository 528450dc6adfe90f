"""For meetings: `export` (CSV, calendar feed, everything as JSON), the yearly `report`, and `import`."""

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csprcli.cli.base import App
from csprcli.cli.common import DATE_HELP, ReportFormat, as_of, choice, opened, options, whole_number
from csprcli.domain.dates import human_date, parse_date
from csprcli.domain.errors import BadInput
from csprcli.output import Column, note, say, stdout_takes_any_text, write_csv, write_file_atomically
from csprcli.domain.text import printable
from csprcli.output.export import export_columns, export_row

app = App()


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    ICS = "ics"
    JSON = "json"


class View(StrEnum):
    MEETING = "meeting"
    FULL = "full"
    MILESTONES = "milestones"


@app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (atomically; never over anything but a regular file); - for stdout.",
        ),
    ] = None,
    kind: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="csv or xlsx (an Excel workbook) for meetings, ics for a calendar, json for everything (a full backup).",
            **choice(ExportFormat, "a format"),
        ),
    ] = ExportFormat.CSV,
    view: Annotated[
        View | None,
        typer.Option(
            help="For csv and xlsx: meeting (one row per open case, as a chair reads it), milestones (one row per "
            "milestone, to pivot), or full (every milestone of every case in one row; 'import' loads it back).",
            show_default="meeting",
            **choice(View, "a view"),
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Closed cases too (meeting and milestones views).")] = False,
    include_notes: Annotated[
        bool, typer.Option("--include-notes", help="The full view: add the free-text summary and decision reasons.")
    ] = False,
    year: Annotated[
        str | None,
        typer.Option(help="xlsx: add a sheet with this reporting year's figures, e.g. 2025-26.", show_default=False),
    ] = None,
    remind: Annotated[
        int | None,
        typer.Option(
            help="ics: a reminder this many working days before each deadline.",
            show_default="2",
            **whole_number("--remind", 0, 60),
        ),
    ] = None,
) -> None:
    """By default the meeting view: one row per open case, in the order a chair reads it (case, child, local authority, aware date, stage, next milestone, its due date, status, RAG, force, actions open and overdue, the last progress check's RAG). RAG: red overdue, amber due within 5 working days, green otherwise.

    A CSV file opens in Excel and LibreOffice: UTF-8 with a byte-order mark, ISO dates, and no cell can run as a formula. A workbook has real dates, a frozen header with filters, the RAG column coloured, rows as tall as their wrapped text, and prints landscape, fitted to the page width (the full view, a data file, at normal scale across pages); --year adds the figures with native charts.

    Example: csprcli export --format xlsx --year 2025-26 --output meeting.xlsx
    """
    from csprcli.services import incidents as service
    from csprcli.store import database

    if output is not None and str(output) == "-":
        output = None  # '-' is standard output
    first = None  # what is at --output now: it must still be there when the file is moved into place
    if output is not None:
        from csprcli.store.files import check_target, not_the_database

        not_the_database(output, options(ctx).db)
        first = check_target(output)  # before anything is read or the feed's bookkeeping written
    tabular = kind in (ExportFormat.CSV, ExportFormat.XLSX)
    if not tabular and (view is not None or show_all or include_notes):
        raise BadInput(f"--view, --all and --include-notes are for csv and xlsx, not {kind}")
    view = view or View.MEETING
    if include_notes and view != View.FULL:
        raise BadInput("--include-notes adds the free text to the full view: give --view full")
    if remind is not None and kind != ExportFormat.ICS:
        raise BadInput("--remind sets the calendar's reminders: give it with --format ics")
    if year is not None and kind != ExportFormat.XLSX:
        raise BadInput(
            "--year adds the yearly figures to a workbook (--format xlsx); 'csprcli report --year' prints them"
        )
    if output is None and kind != ExportFormat.XLSX:
        stdout_takes_any_text()  # before anything is written: a refusal writes nothing
    # Only today's feed is published (kept, so that the next one can cancel what it no longer holds);
    # a feed as of another day is a preview: it changes nothing, and so needs no database it may write.
    preview = kind == ExportFormat.ICS and options(ctx).today is not None and as_of(ctx) != options(ctx).today
    if not tabular:
        with opened(ctx, write=kind == ExportFormat.ICS and not preview) as store:
            keep = None
            if kind == ExportFormat.ICS:
                text, keep = calendar_feed(store, as_of(ctx), 2 if remind is None else remind)
                if preview:
                    keep = None
                pieces = iter([text])  # like the dump below: pieces read once
            else:
                pieces = database.dumped(store)  # streamed: a piece at a time, never the whole register

            def write(out) -> None:
                try:
                    for piece in pieces:
                        out.write(piece)
                finally:
                    if hasattr(pieces, "close"):  # a write that failed ends the export's read snapshot now
                        pieces.close()

            if output is None:
                write(sys.stdout)
                sys.stdout.flush()  # a full disk or a closed pipe shows here, before anything is recorded
            else:
                write_to(output, write, bom=False, first=first)
            if keep is not None:  # what the feed published, kept only once it has been written
                try:
                    keep()
                except Exception as error:
                    raise feed_not_recorded(output, error, store.path) from None
        if output is not None:
            note(f"wrote {output}")  # note() makes the path safe for the terminal
        if preview:
            note(
                f"a preview of the feed as of {human_date(as_of(ctx))}: only a feed for today is recorded as "
                "published, so the next one is unchanged by this one"
            )
        return
    if kind == ExportFormat.XLSX and output is None and sys.stdout.isatty():
        raise BadInput("a workbook is not for the terminal: give --output FILE.xlsx (or redirect to a file)")
    first_last = None
    if year is not None:
        from csprcli.services.report import reporting_year

        first_last = reporting_year(year)
    counted = {"cases": 0, "rows": 0}
    with opened(ctx) as store:
        book = service.rulebook(store)
        found = service.cases(store, book, as_of(ctx), open_only=view != View.FULL and not show_all)
        fields, rows = view_rows(view, found, counted, include_notes=include_notes, everything=show_all)
        if kind == ExportFormat.CSV:
            columns = [Column(f.heading) for f in fields]
            as_text = ({f.heading: row.get(f.key) for f in fields} for row in rows)
            if output is None:
                write_csv(as_text, columns, sys.stdout)
                return
            write_to(output, lambda out: write_csv(as_text, columns, out), first=first)
        else:
            from csprcli.output.xlsx import Sheet, workbook_bytes

            title = f"{SHEET_NAMES[view]} as of {human_date(as_of(ctx))}"
            # The full view (some 64 columns) is a data file: printed at normal scale across pages, not shrunk.
            sheets = [Sheet(SHEET_NAMES[view], fields, rows, title, paper=view != View.FULL)]
            if year is not None and first_last is not None:  # both from --year
                sheets.append(yearly_sheet(store, book, as_of(ctx), year, *first_last))
            data = workbook_bytes(sheets)
            if output is None:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
                return
            write_to(output, lambda out: out.write(data), binary=True, first=first)
    note(f"wrote {written(view, counted)} to {output}")


SHEET_NAMES = {View.MEETING: "Cases", View.MILESTONES: "Milestones", View.FULL: "Cases (full)"}


def view_rows(view: View, found, counted: dict, *, include_notes: bool, everything: bool):
    """The fields of a view and its rows, built one case at a time as they are written."""
    from csprcli.output.papers import MEETING_FIELDS, MILESTONE_FIELDS, Field, meeting_row, milestone_rows

    if view == View.FULL:
        fields = [Field(c.key, c.key) for c in export_columns(include_notes)]
    else:
        fields = list(MEETING_FIELDS if view == View.MEETING else MILESTONE_FIELDS)

    def rows():
        for case in found:
            if case.closed and not everything and view != View.FULL:
                continue
            counted["cases"] += 1
            if view == View.FULL:
                made = [export_row(case)]
            elif view == View.MEETING:
                made = [meeting_row(case.incident, case.clocks, case.next_clock)]
            else:
                made = milestone_rows(case.clocks)
            counted["rows"] += len(made)
            yield from made

    return fields, rows()


def written(view: View, counted: dict) -> str:
    """ "1 case", "3 cases", "12 milestones of 3 cases"."""
    cases = f"{counted['cases']} case{'' if counted['cases'] == 1 else 's'}"
    if view != View.MILESTONES:
        return cases
    return f"{counted['rows']} milestone{'' if counted['rows'] == 1 else 's'} of {cases}"


def yearly_sheet(store, book, as_of_day, year: str, first, last):
    """The second sheet of a workbook: the yearly report's figures, each with its definition."""
    from csprcli.services import incidents as service
    from csprcli.output.papers import Field
    from csprcli.output.xlsx import Sheet
    from csprcli.services.report import figures

    found = figures(service.cases(store, book, as_of_day), book.calendar_on(as_of_day), first, last, as_of_day)
    rows = [
        {"section": f.section, "measure": f.measure, "value": f.value if f.kind in ("count", "days") else f.text}
        | {"definition": f.definition}
        for f in found
    ]
    fields = [
        Field("section", "Section"),
        Field("measure", "Measure"),
        Field("value", "Value"),
        Field("definition", "Definition"),
    ]
    label = f"{first.year}-{(first.year + 1) % 100:02d}"
    title = f"Serious incidents aware from {human_date(first)} to {human_date(last)} (as of {human_date(as_of_day)})"
    charts = ("incidents by quarter", "incidents by nature", "incidents by age band")
    return Sheet(f"Yearly figures {label}", fields, rows, title, charts=charts)


def write_to(output: Path, write, *, bom: bool = True, binary: bool = False, first=...) -> None:
    """Write an export file atomically, over nothing but what was `first` checked there (a path
    that changed meanwhile is refused); a path that cannot be written is the user's to fix."""
    try:
        write_file_atomically(output, write, bom=bom, binary=binary, first=first)
    except OSError as error:
        raise BadInput(f"cannot write {output}: {error.strerror}") from None


def calendar_feed(store, on: date, remind: int = 2):
    """The calendar feed (output/ics.py): every running deadline, and each published before that
    is no longer due as cancelled. Each running deadline has a reminder `remind` working days
    before it. Returns the feed's text and a function that keeps what it publishes for next time,
    to be called once the feed has been written (a feed that never reached its reader publishes nothing)."""
    from csprcli.services import incidents as service
    from dataclasses import asdict
    from datetime import datetime, timezone

    from csprcli.output import ics

    before = {uid: ics.Event(**row) for uid, row in store.published_events().items()}
    book = service.rulebook(store)
    clocks = service.all_clocks(store, book, on)
    events = ics.versioned(ics.deadline_events(clocks, on, store.register_identity()), before)
    working = book.calendar_on(on)
    text = ics.calendar(events, datetime.now(timezone.utc), lambda day: working.add(day, -remind))

    def keep() -> None:
        store.record_published([asdict(e) for e in events], {uid: asdict(e) for uid, e in before.items()})

    return text, keep


def feed_not_recorded(output: Path | None, error: Exception, path: Path) -> Exception:
    """The feed was written, but what it published could not be kept (exit status 5, not 3)."""
    from csprcli.domain.errors import CsprError, WrittenThenFailed, written_after_all
    from csprcli.store.database import database_error

    said = database_error(error, path)
    if said is not None:
        reason = written_after_all(said)
    elif isinstance(error, CsprError):
        reason = written_after_all(str(error))
    else:
        reason = type(error).__name__
    where = f" to {printable(str(output), lines=False)}" if output is not None else ""
    return WrittenThenFailed(
        f"the feed was written{where}, but what it published could not be recorded ({reason}); "
        "export the feed again once the database is usable, so that its next updates replace these events"
    )


@app.command("report")
def report(
    ctx: typer.Context,
    year: Annotated[
        str | None, typer.Option(help="A reporting year, April to March, e.g. 2025-26 (default: the as-of date's).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help=f"Any range instead: the first aware date. {DATE_HELP}")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="The last aware date of the range.")] = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (with bar charts), markdown, html (a page for a board: charts, prints on A4), csv or json.",
            **choice(ReportFormat, "a format"),
        ),
    ] = ReportFormat.TABLE,
) -> None:
    """The yearly report's figures, each with its definition.

    Incidents by nature, quarter, looked-after status, and the primary child's age band, sex, ethnicity, child protection plan, child in need plan and whether known to agencies (every category, 0 where none); notifications and the partners told within 5 working days; rapid-review decisions and sending to the Panel within 15; outcomes and decisions by outcome, decisions not to publish apart; reports sent 7 working days before publication; publication within 6 months against the original and the revised target; pauses, and local reviews paused now; actions open (of which overdue), done, dropped and in total, by agency; actions due in the period whatever year their incident. JSON values are typed (a share's part, whole, outstanding and percent; a median's n, median, min and max); CSV and JSON rows say the period and the as-of date. html: one page for a board with charts, no script, printable on A4.

    Example: csprcli report --year 2025-26 --format markdown > annual-report-figures.md
    """
    from csprcli.output.report import show_report
    from csprcli.services import incidents as service
    from csprcli.services.report import figures, reporting_year, year_of

    if (start is None) != (end is None):
        raise BadInput("--from and --to go together")
    if start is not None and end is not None:  # both or neither (above)
        if year is not None:
            raise BadInput("give --year or --from and --to, not both")
        first, last = (
            parse_date(start, as_of=as_of(ctx), what="--from"),
            parse_date(end, as_of=as_of(ctx), what="--to"),
        )
        if last < first:
            raise BadInput("--to is before --from")
    else:
        first, last = reporting_year(year or year_of(as_of(ctx)))
    with opened(ctx) as store:
        book = service.rulebook(store)
        found = figures(service.cases(store, book, as_of(ctx)), book.calendar_on(as_of(ctx)), first, last, as_of(ctx))
    title = f"Serious incidents aware from {human_date(first)} to {human_date(last)} (as of {human_date(as_of(ctx))})"
    show_report(title, found, first, last, as_of(ctx), fmt.value)


@app.command("import")
def import_cases(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV file of cases, UTF-8, one row per case (- reads standard input).", show_default=False
        ),
    ],
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Their heading=column, e.g. --map 'Date LA aware=aware' (repeat as needed)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and say what would be loaded; write nothing.")
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="csv: an old tracker's cases; json: a full export, into an empty database."
        ),
    ] = "csv",
) -> None:
    """Columns as in examples/import-cases.csv (the names 'export' uses): child, la, aware, nature, abuse are required; dates day first. A row with the same child reference and aware date as a recorded case is reported, not loaded twice.

    A full export ('csprcli export --format json') loads back with --format json into an empty database, history included; exporting it again gives the same file.

    Example: csprcli import old-tracker.csv --map "Child ID=child" --dry-run
    """
    from csprcli.services import incidents as service
    from csprcli.store import database
    from csprcli.store.database import open_store
    import tempfile

    from csprcli.services.importer import open_text, parse_mapping, read_rows  # only for an import

    if fmt not in ("csv", "json"):
        raise BadInput("--format is csv or json")
    pairs = parse_mapping(mapping or [])
    with open_text(Path(file).expanduser()) as stream:
        if fmt == "json":
            if dry_run:
                raise BadInput("--dry-run is for CSV files; a full export loads whole or not at all")
            from csprcli.services.full_export import read_full_export

            data = read_full_export(stream)
            path = options(ctx).db
            new = not database.exists(path)
            try:
                with opened(ctx, create=True) as store:
                    count = database.restore(store, data)
            except BaseException:
                if new:
                    database.remove_if_empty(path)  # a refused load leaves no database behind
                raise
            say(f"loaded the full export: {count} rows, history included")
            return
        book = None
        if database.exists(options(ctx).db):
            with opened(ctx) as store:
                book = service.rulebook(store)
        book = book or service.rulebook(None)

        def clocks(incident):
            from csprcli.domain.lifecycle import clocks as all_clocks

            return all_clocks(incident, book.calendar, as_of(ctx), book.rules)

        rows, errors = [], []
        found_rows = read_rows(stream, pairs, as_of=as_of(ctx), clocks=clocks)
        for number, found in progress(found_rows, Path(file).expanduser() if str(file) != "-" else None):
            if isinstance(found, list):
                errors += found
            else:
                rows.append((number, found))
    if errors:
        for error in errors[:50]:
            note(f"  {error}")
        more = f" ({len(errors) - 50} more not shown)" if len(errors) > 50 else ""
        raise BadInput(f"{len(errors)} problems in {printable(str(file), lines=False)}{more}; nothing was loaded")
    if dry_run and not database.exists(options(ctx).db):
        # Nothing recorded yet: check against an empty database that is thrown away.
        with tempfile.TemporaryDirectory() as scratch:
            store = open_store(Path(scratch) / "dry-run.db", create=True)
            try:
                loaded = service.import_incidents(store, rows, dry_run=True)
            finally:
                store.close()
    else:
        with opened(ctx, create=not dry_run) as store:
            loaded = service.import_incidents(store, rows, dry_run=dry_run)
    for number, ref in loaded.duplicates:
        note(f"row {number}: already recorded as {ref} (same child reference and aware date); not loaded again")
    warn_unknown_authorities_in(rows)
    verb = "would load" if dry_run else "loaded"
    span = f" ({' to '.join(first_last)})" if (first_last := loaded.span()) else ""
    say(f"{verb} {len(loaded.refs)} cases{span}; {len(loaded.duplicates)} already recorded")


def warn_unknown_authorities_in(rows) -> None:
    """One warning for each local authority name in the file that is not one of England's, with its rows."""
    from csprcli.domain import authorities

    found: dict[tuple[str, str], list[int]] = {}
    for number, incident in rows:
        for column, name in (("la", incident.la), ("home_la", incident.home_la)):
            if name and authorities.known(name) is None:
                found.setdefault((column, name), []).append(number)
    for (column, name), numbers in list(found.items())[:20]:
        where = ", ".join(str(n) for n in numbers[:5]) + (", ..." if len(numbers) > 5 else "")
        row_word = "row" if len(numbers) == 1 else "rows"
        message = authorities.warning(name, f"column {column}, {row_word} {where}")
        if message:  # None only for a known name, left out above
            note(message)


def progress(rows, path: Path | None):
    """A progress bar on stderr for a long file, when someone is watching."""
    if path is None or path.stat().st_size < 1_000_000 or not sys.stderr.isatty():
        yield from rows
        return
    from rich.progress import Progress

    from csprcli.output import console

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task("checking rows", total=None)
        for item in rows:
            bar.advance(task)
            yield item
