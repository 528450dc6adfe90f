"""`import`: cases from an old tracker's CSV (every row checked by services/importer.py, nothing
loaded unless every row is good), or a full export (json) into an empty database
(services/full_export.py)."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csprcli.cli.base import App
from csprcli.cli.common import as_of, choice, opened, options
from csprcli.domain.errors import BadInput
from csprcli.domain.text import printable
from csprcli.output import note, say

app = App()


class Source(StrEnum):
    """What `import` reads."""

    CSV = "csv"  # an old tracker's cases
    JSON = "json"  # a full export, into an empty database


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
        Source,
        typer.Option(
            "--format",
            "-f",
            help="csv: an old tracker's cases; json: a full export, into an empty database.",
            **choice(Source, "a format"),
        ),
    ] = Source.CSV,
) -> None:
    """Every row is checked, and nothing is loaded unless every row is good.

    Columns as in examples/import-cases.csv (the names 'export' uses): child, la, aware, nature, abuse are required; dates day first. A row with the same child reference and aware date as a recorded case is reported, not loaded twice.

    A full export ('csprcli export --format json') loads back with --format json into an empty database, history included; exporting it again gives the same file.

    Example: csprcli import old-tracker.csv --map "Child ID=child" --dry-run
    """
    from csprcli.services.importer import open_text, parse_mapping  # only for an import

    pairs = parse_mapping(mapping or [])
    with open_text(Path(file).expanduser()) as stream:
        if fmt == Source.JSON:
            if dry_run:
                raise BadInput("--dry-run is for CSV files; a full export loads whole or not at all")
            load_full_export(ctx, stream)
            return
        rows, errors = checked_rows(ctx, stream, pairs, file)
    if errors:
        for error in errors[:50]:
            note(f"  {error}")
        more = f" ({len(errors) - 50} more not shown)" if len(errors) > 50 else ""
        raise BadInput(f"{len(errors)} problems in {printable(str(file), lines=False)}{more}; nothing was loaded")
    load_rows(ctx, rows, dry_run)


def load_full_export(ctx: typer.Context, stream) -> None:
    """A full export into an empty database; a refused load leaves no database behind."""
    from csprcli.services.full_export import read_full_export
    from csprcli.store import database

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


def checked_rows(ctx: typer.Context, stream, pairs: dict[str, str], file: Path):
    """Every row of the CSV checked against the rules of the database to load into (the defaults
    when there is none yet): the incidents with their row numbers, and the errors."""
    from csprcli.services.rulebook import rulebook
    from csprcli.services.importer import check_rows

    from csprcli.store import database

    book = None
    if database.exists(options(ctx).db):
        with opened(ctx) as store:
            book = rulebook(store)
    book = book or rulebook(None)
    path = Path(file).expanduser() if str(file) != "-" else None
    return check_rows(stream, pairs, as_of=as_of(ctx), book=book, watch=lambda rows: progress(rows, path))


def load_rows(ctx: typer.Context, rows, dry_run: bool) -> None:
    """Load the checked rows (or, with `dry_run`, say what would be loaded), and what was already recorded."""
    from csprcli.services import incidents as service
    from csprcli.services.importer import unknown_authorities

    from csprcli.store import database

    if dry_run and not database.exists(options(ctx).db):
        loaded = service.import_dry_run_without_database(rows)  # nothing recorded yet
    else:
        with opened(ctx, create=not dry_run) as store:
            loaded = service.import_incidents(store, rows, dry_run=dry_run)
    for number, ref in loaded.duplicates:
        note(f"row {number}: already recorded as {ref} (same child reference and aware date); not loaded again")
    for message in unknown_authorities(rows):
        note(message)
    verb = "would load" if dry_run else "loaded"
    span = f" ({' to '.join(first_last)})" if (first_last := loaded.span()) else ""
    say(f"{verb} {len(loaded.refs)} cases{span}; {len(loaded.duplicates)} already recorded")


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
