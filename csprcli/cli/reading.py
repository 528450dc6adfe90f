"""Commands that read: show, list, overdue, upcoming, export, explain, and the rules."""

import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

# Typer ships its own copy of Click; its exceptions are only reachable here. They are
# caught, never raised, so that a usage error is one line like every other error.

from csprcli import tracker
from csprcli.dates import human_date, parse_date
from csprcli.errors import EXIT_OVERDUE, BadInput
from csprcli.model import (
    Abuse,
    Force,
    Status,
)
from csprcli.output import printable, Column, Format, note, print_fields, render, write_csv, write_file_atomically
from csprcli.rules import ACTION_SOURCE, RULES, SETTINGS, TRIGGERS, rules_for

from csprcli.cli.app import (
    DATE_HELP,
    AllOpt,
    EXIT_STATUSES,
    FormatOpt,
    RefArg,
    SHOW_COLUMNS,
    app,
    clock_row,
    due_columns,
    opened,
    rules_app,
)


class ExportFormat(StrEnum):
    CSV = "csv"
    ICS = "ics"
    JSON = "json"


class ReportFormat(StrEnum):
    TABLE = "table"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"


# -- the rules ---------------------------------------------------------------------------------

RULE_COLUMNS = [
    Column(key)
    for key in ("milestone", "title", "count", "unit", "trigger", "applies_to", "force", "setting", "source")
]


@rules_app.callback(invoke_without_command=True)
def rules(ctx: typer.Context, fmt: FormatOpt = Format.TABLE) -> None:
    """Every deadline rule: its count, unit, trigger, force and source, with this partnership's settings.

    Example: csprcli rules    ·    csprcli rules set rr-clock-start aware
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = {}
    if Path(ctx.obj.db).exists():
        with opened(ctx) as store:
            settings = store.settings()
    rows = [
        {
            "milestone": r.milestone,
            "title": r.title,
            "count": r.count,
            "unit": r.unit,
            "trigger": TRIGGERS[r.trigger],
            "applies_to": r.applies_to,
            "force": r.force,
            "setting": tracker.RULE_SETTINGS.get(r.milestone),
            "source": r.source,
        }
        for r in rules_for(settings)
    ]
    rows.append(
        {
            "milestone": "action-N",
            "title": "An action from a review's recommendations",
            "count": 0,
            "unit": "days",
            "trigger": "its target date",
            "applies_to": "each recorded action",
            "force": Force.LOCAL_TARGET,
            "setting": None,
            "source": ACTION_SOURCE,
        }
    )
    if fmt != Format.TABLE:
        render(rows, RULE_COLUMNS, fmt)
        return
    for row in rows:
        count = f"{abs(row['count'])} {row['unit']} {'before' if row['count'] < 0 else 'after'} {row['trigger']}"
        if row["milestone"] == "action-N":
            count = "on its own target date"
        typer.echo(f"{row['milestone']}: {row['title']}\n  {count}; {row['force']}; applies to {row['applies_to']}")
        typer.echo(f"  Source: {row['source']}")
        if row["setting"]:
            typer.echo(f"  Changed by the setting {row['setting']}.")
    typer.echo("\nSettings ('csprcli rules set NAME VALUE'):")
    for name, setting in SETTINGS.items():
        typer.echo(f"  {name} = {settings.get(name, setting.default)}: {setting.describes} (default {setting.default})")


@rules_app.command("set", context_settings={"ignore_unknown_options": True})
def rules_set(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="rr-clock-start, panel-reminder or progress-interval.")],
    value: Annotated[str, typer.Argument(help="The new value.")],
) -> None:
    """Change a setting; open deadlines follow it the next time they are listed.

    Example: csprcli rules set panel-reminder 15
    """
    with opened(ctx, create=True) as store:
        stored = tracker.set_rule(store, name, value)
    typer.echo(f"{name} is now {stored}")


@app.command("explain")
def explain(
    ctx: typer.Context,
    ref: RefArg,
    milestone: Annotated[str, typer.Argument(help="The milestone, as 'show' names it (e.g. rr-decision, action-1).")],
) -> None:
    """How a due date was reached: the rule and its source, the trigger, the count, each day skipped, and any pause or revision.

    Example: csprcli explain SI-2025-001 rr-decision
    """
    with opened(ctx) as store:
        lines = tracker.explain(store, tracker.rulebook(store), ref, milestone, ctx.obj.as_of)
    typer.echo(printable("\n".join(lines)))


# -- reading ----------------------------------------------------------------------


@app.command("show")
def show(ctx: typer.Context, ref: RefArg, fmt: FormatOpt = Format.TABLE) -> None:
    """A case and each of its milestones: due, done, and where it stands.

    Example: csprcli show SI-2025-001
    """
    with opened(ctx) as store:
        case = tracker.case(store, tracker.rulebook(store), ref, ctx.obj.as_of)
        deaths = [d.ref for d in store.deaths("WHERE incident_ref = ?", [case.incident.ref])]
    i = case.incident
    if fmt == Format.JSON:
        details = case_details(case) | {
            "panel_response": i.panel_response,
            "panel_response_on": i.panel_response_on,
            "reviewer": i.reviewer,
            "reviewer_appointed": i.reviewer_appointed,
            "tor_agreed": i.tor_agreed,
            "planned_publication": i.planned_publication,
            "report_sent": i.report_sent,
            "published": i.published,
            "publication_type": i.publication_type,
            "removal_earliest": i.removal_earliest,
            "deaths": deaths,
            "milestones": [clock_row(c) for c in case.clocks],
        }
        for name in ("children", "checks", "pauses", "revisions", "actions"):
            details[name] = [asdict(item) for item in getattr(i, name)]
        render([details], [], fmt)
        return
    if fmt == Format.CSV:
        render([clock_row(c) for c in case.clocks], SHOW_COLUMNS, fmt)
        return
    fields = [
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
        ("Panel response", f"{i.panel_response} ({human_date(i.panel_response_on)})" if i.panel_response else None),
        ("Panel notes", i.panel_notes),
        ("Child deaths", ", ".join(deaths) or None),
    ]
    if i.has_lcspr:
        fields += [
            ("Reviewer", f"{i.reviewer} (appointed {human_date(i.reviewer_appointed)})" if i.reviewer else None),
            ("Terms of reference", i.tor_agreed),
            ("Planned publication", i.planned_publication),
            (
                "Published",
                f"{human_date(i.published)}, {i.publication_type}: {i.publication_rationale}" if i.published else None,
            ),
            ("May be taken down from", i.removal_earliest),
        ]
    fields += [("Summary", i.summary), ("State", "closed" if case.closed else "open")]
    print_fields(fields)
    revised = any(c.revised for c in case.clocks)
    columns = [c for c in SHOW_COLUMNS if revised or c.key != "original_due"]
    render([clock_row(c, human=True) for c in case.clocks], columns, fmt)
    if len(i.children) > 1 or any(getattr(c, k) is not None for c in i.children for k in tracker.CHARACTERISTICS[:3]):
        render([asdict(c) for c in i.children], CHILD_COLUMNS, fmt, title="Children")
    if i.checks:
        render([asdict(c) for c in i.checks], CHECK_COLUMNS, fmt, title="Progress checks")
    if i.pauses or i.revisions:
        events = [
            {
                "date": p.start,
                "what": f"paused until {human_date(p.end) if p.end else 'now'}",
                "why": p.reason,
                "agreed_by": p.agreed_by,
            }
            for p in i.pauses
        ]
        events += [
            {
                "date": r.recorded_on,
                "what": f"{r.milestone} revised to {human_date(r.due)}",
                "why": r.reason,
                "agreed_by": r.agreed_by,
            }
            for r in i.revisions
        ]
        render(sorted(events, key=lambda e: e["date"]), EVENT_COLUMNS, fmt, title="Pauses and revisions")
    if i.actions:
        render([asdict(a) for a in i.actions], ACTION_COLUMNS, fmt, title="Actions")


CHILD_COLUMNS = [
    Column(k, k.replace("_", " ").capitalize()) for k in ("reference", "primary", *tracker.CHARACTERISTICS)
]
CHECK_COLUMNS = [Column("checked_on", "Date"), Column("rag", "RAG"), Column("note", "Note", wrap=True)]
EVENT_COLUMNS = [
    Column("date", "Recorded"),
    Column("what", "What", wrap=True),
    Column("why", "Why", wrap=True),
    Column("agreed_by", "Agreed by", wrap=True),
]
ACTION_COLUMNS = [
    Column("number", "No."),
    Column("recommendation", "Recommendation", wrap=True),
    Column("agency", "Agency", wrap=True),
    Column("target", "Target"),
    Column("status", "Status"),
    Column("closed_on", "Closed"),
]


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
        "next_original_due": nxt.original_due if nxt else None,
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
    Column("next_original_due"),
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

    def rows(found):
        for case in found:
            if (open_only or closed_only) and case.closed != closed_only:
                continue
            row = case_details(case)
            if fmt == Format.TABLE:
                row["next_status"] = case.next_clock.describe() if case.next_clock else "closed"
            yield row

    with opened(ctx) as store:
        found = tracker.cases(store, tracker.rulebook(store), ctx.obj.as_of, open_only=open_only)
        render(rows(found), LIST_COLUMNS, fmt, empty="no cases", show_all=show_all)


@app.command("overdue", epilog=EXIT_STATUSES)
def overdue(
    ctx: typer.Context,
    fmt: FormatOpt = Format.TABLE,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing: the exit status says it.")] = False,
    show_all: AllOpt = False,
    original: Annotated[
        bool, typer.Option("--original", help="Measure against the original targets, not the revised ones in force.")
    ] = False,
) -> None:
    """Every milestone past its due date, most overdue first. Exit status 1 if any, 0 if none.

    Example, for a nightly check: csprcli overdue --quiet || echo "something is overdue"
    """
    with opened(ctx) as store:
        book = tracker.rulebook(store)
        found = tracker.overdue(tracker.pending(store, book, ctx.obj.as_of), against_original=original)
    if not quiet:
        rows = [clock_row(c) for c in found]
        render(
            rows,
            due_columns("Working days overdue", found),
            fmt,
            empty=f"nothing overdue on {human_date(ctx.obj.as_of)}",
            show_all=show_all,
        )
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
        book = tracker.rulebook(store)
        found = tracker.upcoming(tracker.pending(store, book, ctx.obj.as_of), book.calendar, ctx.obj.as_of, within)
    rows = [clock_row(c) for c in found]
    render(
        rows,
        due_columns("Working days left", found),
        fmt,
        empty=f"nothing due in the next {within} working days",
        show_all=show_all,
    )


EXPORT_CASE_FIELDS = (
    "panel_response",
    "reviewer",
    "planned_publication",
    "publication_type",
    "removal_earliest",
    "children",
)
CLOCK_PARTS = ("due", "original_due", "done", "status", "working_days")
ACTION_COUNTS = ("actions_open", "actions_overdue", "actions_done", "actions_dropped")
ACTION_COUNT_OF = {
    Status.OPEN: "actions_open",
    Status.OVERDUE: "actions_overdue",
    Status.DONE: "actions_done",
    Status.LATE: "actions_done",
    Status.NOT_REQUIRED: "actions_dropped",
}


def export_columns(include_notes: bool) -> list[Column]:
    columns = [c for c in LIST_COLUMNS if not c.key.startswith("next_")]
    columns += [Column(key) for key in EXPORT_CASE_FIELDS]
    for rule in RULES:
        columns += [Column(f"{rule.milestone}_{part}") for part in CLOCK_PARTS]
    columns += [Column(key) for key in ACTION_COUNTS]
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
    kind: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", help="csv for meetings, ics for a calendar, json for everything (a full backup)."
        ),
    ] = ExportFormat.CSV,
) -> None:
    """Export for meetings (CSV, one row per case), for a calendar (ics) or everything (json).

    Opens in Excel and LibreOffice: UTF-8 with a byte-order mark in a file, ISO dates, and no cell can run as a formula.

    Example: csprcli export --output cases.csv
    """
    if kind != ExportFormat.CSV:
        with opened(ctx) as store:
            if kind == ExportFormat.ICS:
                text = ics_events(store, tracker.rulebook(store), ctx.obj.as_of)
            else:
                import json

                text = json.dumps(store.dump(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            write_to(output, lambda out: out.write(text), bom=False)
            note(f"wrote {output}")
        return
    columns = export_columns(include_notes)
    written = 0

    def rows(found):
        nonlocal written
        for case in found:
            written += 1
            yield export_row(case)

    with opened(ctx) as store:
        found = tracker.cases(store, tracker.rulebook(store), ctx.obj.as_of)
        if output is None:
            write_csv(rows(found), columns, sys.stdout)
            return
        write_to(output, lambda out: write_csv(rows(found), columns, out))
    note(f"wrote {written} cases to {output}")


def write_to(output: Path, write, *, bom: bool = True) -> None:
    """Write an export file atomically; a path that cannot be written is the user's to fix."""
    try:
        write_file_atomically(output, write, bom=bom)
    except OSError as error:
        raise BadInput(f"cannot write {output}: {error.strerror}") from None


def export_row(case: tracker.Case) -> dict:
    """One case as a row of the meeting export."""
    i = case.incident
    row = case_details(case)
    for key in EXPORT_CASE_FIELDS:
        row[key] = getattr(i, key) if key != "children" else len(i.children)
    row["summary"], row["reason"] = i.summary, i.reason
    counts = dict.fromkeys(ACTION_COUNTS, 0)
    for c in case.clocks:
        m = c.milestone
        row[f"{m}_due"], row[f"{m}_original_due"], row[f"{m}_done"] = c.due, c.original_due, c.done
        row[f"{m}_status"], row[f"{m}_working_days"] = c.status, c.working_days
        if m.startswith("action-"):
            counts[ACTION_COUNT_OF[c.status]] += 1
            counts["actions_open"] += c.status == Status.OVERDUE  # an overdue action is open too
    row.update(counts)
    return row


REPORT_COLUMNS = [Column("section"), Column("measure"), Column("value"), Column("definition")]


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
        ReportFormat, typer.Option("--format", "-f", help="table (with bar charts), markdown, csv or json.")
    ] = ReportFormat.TABLE,
) -> None:
    """The yearly report's figures: incidents by nature, quarter, looked-after status, age band and sex; notifications within 5 working days; decisions within 15; outcomes; local reviews; actions by agency.

    Example: csprcli report --year 2025-26 --format markdown > annual-report-figures.md
    """
    from csprcli.report import figures, reporting_year, year_of

    if (start is None) != (end is None):
        raise BadInput("--from and --to go together")
    if start is not None:
        if year is not None:
            raise BadInput("give --year or --from and --to, not both")
        first, last = (
            parse_date(start, today=ctx.obj.as_of, what="--from"),
            parse_date(end, today=ctx.obj.as_of, what="--to"),
        )
        if last < first:
            raise BadInput("--to is before --from")
    else:
        first, last = reporting_year(year or year_of(ctx.obj.as_of))
    with opened(ctx) as store:
        book = tracker.rulebook(store)
        found = figures(tracker.cases(store, book, ctx.obj.as_of), book.calendar, first, last)
    rows = [{"section": f.section, "measure": f.measure, "value": f.value, "definition": f.definition} for f in found]
    if fmt in (ReportFormat.CSV, ReportFormat.JSON):
        render(rows, REPORT_COLUMNS, Format(fmt.value))
        return
    title = (
        f"Serious incidents aware from {human_date(first)} to {human_date(last)} (as of {human_date(ctx.obj.as_of)})"
    )
    sections: dict[str, list[dict]] = {}
    for row in rows:
        sections.setdefault(row["section"], []).append(row)
    if fmt == ReportFormat.MARKDOWN:
        typer.echo(f"# {title}\n")
        for section, items in sections.items():
            typer.echo(f"## {section.capitalize()}\n\n| measure | value |\n|---|---|")
            for item in items:
                typer.echo(f"| {item['measure']} | {item['value']} |")
            definitions = "; ".join(dict.fromkeys(i["definition"] for i in items))
            typer.echo(f"\n_Definition: {definitions}._\n")
        return
    print_report(title, sections)


def print_report(title: str, sections: dict[str, list[dict]]) -> None:
    """The report in the terminal: each section a small table, counts drawn as bars."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console.print(f"[bold]{printable(title)}[/bold]")
    for section, items in sections.items():
        counts = [i["value"] for i in items if isinstance(i["value"], int) and not isinstance(i["value"], bool)]
        top = max(counts, default=0)
        table = Table(title=section.capitalize(), title_justify="left", show_header=False, box=None, pad_edge=False)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column()
        for item in items:
            value = item["value"]
            bar = "█" * round(30 * value / top) if isinstance(value, int) and top and value else ""
            table.add_row(printable(str(item["measure"])), str(value), f"[cyan]{bar}[/cyan]")
        table.caption = printable("; ".join(dict.fromkeys(i["definition"] for i in items)))
        table.caption_justify = "left"
        table.caption_style = "dim"
        console.print()
        console.print(table)


def ics_events(store, book, as_of) -> str:
    """The calendar feed (csprcli/ics.py): every running deadline, and each published before
    that is no longer due as cancelled; what was published is kept for next time."""
    from datetime import datetime, timezone

    from csprcli import ics

    clocks = [c for case in tracker.cases(store, book, as_of) for c in case.clocks]
    deaths = tracker.death_rule_for(store.settings())
    clocks += [c for d in store.deaths() for c in tracker.clocks(d, book.calendar, as_of, (deaths,))]
    before = store.published_events()
    events = ics.versioned(ics.deadline_events(clocks, as_of), before)
    store.record_published(events, before)
    return ics.calendar(events, datetime.now(timezone.utc))
