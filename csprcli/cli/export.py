"""`export`: the meeting papers (CSV or an Excel workbook), the calendar feed (ics) and
everything (json). The views are output/papers.py's, the workbook output/xlsx.py's, the feed
services/feed.py's and output/ics.py's; this module checks the options and writes the file."""

import sys
from functools import partial
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csprcli.cli.base import App
from csprcli.cli.common import as_of, choice, opened, options, whole_number
from csprcli.domain.dates import human_date
from csprcli.domain.errors import BadInput
from csprcli.output import Column, note, stdout_takes_any_text, write_csv, write_file_atomically
from csprcli.output.papers import SHEET_NAMES, View, view_rows, written

app = App()


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    ICS = "ics"
    JSON = "json"


OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically; never over anything but a regular file); - for stdout.",
    ),
]
FormatOpt = Annotated[
    ExportFormat,
    typer.Option(
        "--format",
        "-f",
        help="csv or xlsx (an Excel workbook) for meetings, ics for a calendar, json for everything (a full backup).",
        **choice(ExportFormat, "a format"),
    ),
]
ViewOpt = Annotated[
    View | None,
    typer.Option(
        help="For csv and xlsx: meeting (one row per open case, as a chair reads it), milestones (one row per "
        "milestone, to pivot), or full (every milestone of every case in one row; 'import' loads it back).",
        show_default="meeting",
        **choice(View, "a view"),
    ),
]


@app.command("export")
def export(
    ctx: typer.Context,
    output: OutputOpt = None,
    kind: FormatOpt = ExportFormat.CSV,
    view: ViewOpt = None,
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
    if output is not None and str(output) == "-":
        output = None  # '-' is standard output
    first = None  # what is at --output now: it must still be there when the file is moved into place
    if output is not None:
        from csprcli.store.files import check_target, not_the_database

        not_the_database(output, options(ctx).db)
        first = check_target(output)  # before anything is read or the feed's bookkeeping written
    tabular = kind in (ExportFormat.CSV, ExportFormat.XLSX)
    check_options(kind, view, show_all, include_notes, remind, year)
    if output is None and kind != ExportFormat.XLSX:
        stdout_takes_any_text()  # before anything is written: a refusal writes nothing
    if not tabular:
        export_stream(ctx, kind, output, first, 2 if remind is None else remind)
    else:
        export_papers(ctx, kind, view or View.MEETING, output, first, show_all, include_notes, year)


def check_options(kind, view, show_all: bool, include_notes: bool, remind: int | None, year: str | None) -> None:
    """Each option with the format and view it is for."""
    if kind not in (ExportFormat.CSV, ExportFormat.XLSX) and (view is not None or show_all or include_notes):
        raise BadInput(f"--view, --all and --include-notes are for csv and xlsx, not {kind}")
    if include_notes and (view or View.MEETING) != View.FULL:
        raise BadInput("--include-notes adds the free text to the full view: give --view full")
    if remind is not None and kind != ExportFormat.ICS:
        raise BadInput("--remind sets the calendar's reminders: give it with --format ics")
    if year is not None and kind != ExportFormat.XLSX:
        raise BadInput(
            "--year adds the yearly figures to a workbook (--format xlsx); 'csprcli report --year' prints them"
        )


def export_stream(ctx: typer.Context, kind: ExportFormat, output: Path | None, first, remind: int) -> None:
    """The calendar feed or the full export (json), to `output` or stdout.

    Only today's feed is published (kept, so that the next one can cancel what it no longer holds);
    a feed as of another day is a preview: it changes nothing, and so needs no database it may write."""
    from csprcli.services import feed
    from csprcli.store import database

    preview = kind == ExportFormat.ICS and options(ctx).today is not None and as_of(ctx) != options(ctx).today
    with opened(ctx, write=kind == ExportFormat.ICS and not preview) as store:
        keep = None
        if kind == ExportFormat.ICS:
            from datetime import datetime, timezone

            from csprcli.output import ics

            found = feed.feed_of(store, as_of(ctx))
            text, events, before = ics.feed(
                found.clocks,
                as_of(ctx),
                found.register,
                found.published,
                datetime.now(timezone.utc),
                lambda day: found.working.add(day, -remind),
            )
            if not preview:
                keep = partial(feed.keep_published, store, events, before)
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
                raise feed.feed_not_recorded(output, error, store.path) from None
    if output is not None:
        note(f"wrote {output}")  # note() makes the path safe for the terminal
    if preview:
        note(
            f"a preview of the feed as of {human_date(as_of(ctx))}: only a feed for today is recorded as "
            "published, so the next one is unchanged by this one"
        )


def export_papers(
    ctx: typer.Context, kind, view: View, output: Path | None, first, show_all: bool, include_notes: bool, year
) -> None:
    """The meeting papers in a view, as CSV or a workbook (with the yearly figures for `year`)."""
    from csprcli.services import cases as reading
    from csprcli.services.rulebook import rulebook

    if kind == ExportFormat.XLSX and output is None and sys.stdout.isatty():
        raise BadInput("a workbook is not for the terminal: give --output FILE.xlsx (or redirect to a file)")
    period = None
    if year is not None:
        from csprcli.domain.periods import reporting_year

        period = reporting_year(year)
    counted = {"cases": 0, "rows": 0}
    with opened(ctx) as store:
        book = rulebook(store)
        found = reading.cases(store, book, as_of(ctx), open_only=view != View.FULL and not show_all)
        fields, rows = view_rows(view, found, counted, include_notes=include_notes, everything=show_all)
        if kind == ExportFormat.CSV:
            columns = [Column(f.heading) for f in fields]
            as_text = ({f.heading: row.get(f.key) for f in fields} for row in rows)
            if output is None:
                write_csv(as_text, columns, sys.stdout)
                return
            write_to(output, lambda out: write_csv(as_text, columns, out), first=first)
        else:
            from csprcli.output.xlsx import Sheet, workbook_bytes, yearly_sheet

            title = f"{SHEET_NAMES[view]} as of {human_date(as_of(ctx))}"
            # The full view (some 64 columns) is a data file: printed at normal scale across pages, not shrunk.
            sheets = [Sheet(SHEET_NAMES[view], fields, rows, title, paper=view != View.FULL)]
            if period is not None:  # from --year
                from csprcli.services.report import yearly_figures

                sheets.append(yearly_sheet(yearly_figures(store, *period, as_of(ctx)), *period, as_of(ctx)))
            data = workbook_bytes(sheets)
            if output is None:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
                return
            write_to(output, lambda out: out.write(data), binary=True, first=first)
    note(f"wrote {written(view, counted)} to {output}")


def write_to(output: Path, write, *, bom: bool = True, binary: bool = False, first=...) -> None:
    """Write an export file atomically, over nothing but what was `first` checked there (a path
    that changed meanwhile is refused); a path that cannot be written is the user's to fix."""
    try:
        write_file_atomically(output, write, bom=bom, binary=binary, first=first)
    except OSError as error:
        raise BadInput(f"cannot write {output}: {error.strerror}") from None
