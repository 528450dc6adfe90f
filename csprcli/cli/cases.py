"""Commands that record an incident, its notification and its rapid review."""

import sys
from pathlib import Path
from typing import Annotated

import typer

# Typer ships its own copy of Click; its exceptions are only reachable here. They are
# caught, never raised, so that a usage error is one line like every other error.

from csprcli import tracker
from csprcli.dates import human_date
from csprcli.errors import BadInput
from csprcli.output import note, printable
from csprcli.rules import clocks as all_clocks, rules_for
from csprcli.store import open_store
from csprcli.model import (
    Abuse,
    Nature,
    Outcome,
    PanelResponse,
)

from csprcli.cli.app import (
    app,
    opened,
    DATE_HELP,
    OnOpt,
    RefArg,
    find_clock,
    incident_app,
    past,
    report_next,
    review_app,
    say_done,
    write_then_read,
)


# -- incidents -----------------------------------------------------------------


@incident_app.command("add")
def incident_add(
    ctx: typer.Context,
    child: Annotated[
        str,
        typer.Option(
            help="The partnership's pseudonymous child reference (e.g. LCS-104233 or 'Child A'). Never a name."
        ),
    ],
    la: Annotated[str, typer.Option("--la", help="The local authority where the incident happened.")],
    aware: Annotated[str, typer.Option(help=f"The date the local authority became aware. {DATE_HELP}")],
    nature: Annotated[Nature, typer.Option(help="What happened to the child.")],
    abuse: Annotated[
        Abuse, typer.Option(help="Abuse or neglect: known, suspected, or none (only for a looked-after child's death).")
    ],
    looked_after: Annotated[bool, typer.Option("--looked-after", help="The child was looked after.")] = False,
    incident_date: Annotated[
        str | None, typer.Option(help=f"When the incident happened, if known. {DATE_HELP}")
    ] = None,
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
    typer.echo(
        f"{case.incident.ref}: recorded; notification to the Panel due {human_date(notification.due)} ({notification.describe()})"
    )


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
        typer.echo(
            f"{case.incident.ref}: criteria not met, recorded {human_date(on_day)}; the rapid-review clocks are closed"
        )
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


@review_app.command("response")
def review_response(
    ctx: typer.Context,
    ref: RefArg,
    response: Annotated[PanelResponse, typer.Option(help="What the Panel said.")],
    on: OnOpt,
    notes: Annotated[str | None, typer.Option(help="What the Panel asked or said, briefly; no names.")] = None,
) -> None:
    """The Panel replied to the rapid review (until it does, a local reminder falls due).

    Example: csprcli review response SI-2025-001 --response agrees-lcspr --on 30/01/2026
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(
        ctx, lambda store: tracker.panel_response(store, ref, response=response, on=on_day, notes=notes)
    )
    say_done(case, "panel-response", f"Panel's response ({response}) recorded")


@app.command("import")
def import_cases(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A CSV file of cases, UTF-8, one row per case.", show_default=False)],
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
    """Load cases from an existing tracker's CSV: every row checked, and nothing loaded unless every row is good.

    Columns as in examples/import-cases.csv (the names 'export' uses): child, la, aware, nature, abuse are required; dates day first. A row with the same child reference and aware date as a recorded case is reported, not loaded twice.

    A full export ('csprcli export --format json') loads back with --format json into an empty database, history included; exporting it again gives the same file.

    Example: csprcli import old-tracker.csv --map "Child ID=child" --dry-run
    """
    import tempfile

    from csprcli.importer import open_text, parse_mapping, read_rows  # only for an import

    if fmt not in ("csv", "json"):
        raise BadInput("--format is csv or json")
    pairs = parse_mapping(mapping or [])
    with open_text(Path(file).expanduser()) as stream:
        if fmt == "json":
            if dry_run:
                raise BadInput("--dry-run is for CSV files; a full export loads whole or not at all")
            from csprcli.full_export import read_full_export

            data = read_full_export(stream)
            with opened(ctx, create=True) as store:
                count = store.restore(data)
            typer.echo(f"loaded the full export: {count} rows, history included")
            return
        book = None
        if Path(ctx.obj.db).expanduser().exists():
            with opened(ctx) as store:
                book = tracker.rulebook(store)
        book = book or tracker.Rulebook(tracker.calendar_for(None), rules_for({}))

        def clocks(incident):
            return all_clocks(incident, book.calendar, ctx.obj.as_of, book.rules)

        rows, errors = [], []
        found_rows = read_rows(stream, pairs, today=ctx.obj.as_of, clocks=clocks)
        for number, found in progress(found_rows, Path(file).expanduser()):
            if isinstance(found, list):
                errors += found
            else:
                rows.append((number, found))
    if errors:
        for error in errors[:50]:
            note(f"  {error}")
        more = f" ({len(errors) - 50} more not shown)" if len(errors) > 50 else ""
        raise BadInput(f"{len(errors)} problems in {printable(str(file), lines=False)}{more}; nothing was loaded")
    if dry_run and not Path(ctx.obj.db).expanduser().exists():
        # Nothing recorded yet: check against an empty database that is thrown away.
        with tempfile.TemporaryDirectory() as scratch:
            store = open_store(Path(scratch) / "dry-run.db", create=True)
            try:
                loaded = tracker.import_incidents(store, rows, dry_run=True)
            finally:
                store.close()
    else:
        with opened(ctx, create=not dry_run) as store:
            loaded = tracker.import_incidents(store, rows, dry_run=dry_run)
    for number, ref in loaded.duplicates:
        note(f"row {number}: already recorded as {ref} (same child reference and aware date); not loaded again")
    verb = "would load" if dry_run else "loaded"
    span = f" ({loaded.refs[0]} to {loaded.refs[-1]})" if loaded.refs else ""
    typer.echo(f"{verb} {len(loaded.refs)} cases{span}; {len(loaded.duplicates)} already recorded")


def progress(rows, path: Path):
    """A progress bar on stderr for a long file, when someone is watching."""
    if path.stat().st_size < 1_000_000 or not sys.stderr.isatty():
        yield from rows
        return
    from rich.progress import Progress

    from rich.console import Console

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("checking rows", total=None)
        for item in rows:
            bar.advance(task)
            yield item
