"""`death`: the Child Death Overview Panel's register of child deaths."""

from typing import Annotated

import typer

from csprcli import deaths, service
from csprcli.cli.common import DATE_HELP, FormatOpt, OnOpt, as_of, choice, group, opened, past
from csprcli.dates import human_date
from csprcli.model import Abuse, Death, DeathKind, DeathStage
from csprcli.output import Column, Format, note, print_fields, render, say

app = group()


DeathRefArg = Annotated[
    str, typer.Argument(help="The eCDOP number with its area prefix, e.g. WS1234.", show_default=False)
]

DEATH_COLUMNS = [
    Column("ref", "Death"),
    Column("area", "Area"),
    Column("died", "Died"),
    Column("age_band", "Age band"),
    Column("age_years"),
    Column("age_days"),
    Column("resident"),
    Column("expected", "Expected"),
    Column("jar_needed"),
    Column("abuse"),
    Column("incident_ref", "Incident"),
    Column("notified", "Notified"),
    Column("jar"),
    Column("information"),
    Column("meeting"),
    Column("reviewed", "Reviewed"),
    Column("category"),
    Column("modifiable"),
    Column("paused_since"),
    Column("pause_reason", "Waiting for"),
    Column("notification_due"),
    Column("notification_status"),
]

def death_row(death: Death, store, as_of) -> dict:
    row = {c.key: getattr(death, c.key, None) for c in DEATH_COLUMNS}
    clock = deaths.death_clocks(death, service.rulebook(store), store.settings(), as_of)[0]
    return row | {"notification_due": clock.due, "notification_status": clock.status}

@app.command("add")
def death_add(
    ctx: typer.Context,
    ref: DeathRefArg,
    died: Annotated[str, typer.Option(help=f"The date of death. {DATE_HELP}")],
    age: Annotated[str, typer.Option(help="Age at death: 17y 364d, 16 years, 3 months, 5 weeks or 12 days.")],
    expected: Annotated[bool, typer.Option("--expected/--unexpected", help="Whether the death was expected.")],
    kind: Annotated[
        DeathKind, typer.Option(help="What is being recorded; only a child's death is in the remit.", **choice(DeathKind))
    ] = DeathKind.CHILD,
    resident: Annotated[bool, typer.Option("--resident/--not-resident", help="Normally resident in the area.")] = True,
    jar: Annotated[bool, typer.Option("--jar/--no-jar", help="A Joint Agency Response was needed.")] = False,
    abuse: Annotated[Abuse, typer.Option(help="Abuse or neglect known, suspected, or none.", **choice(Abuse))] = Abuse.NONE,
) -> None:
    """Record a child's death for the panel; prints when the notification is due.

    Example: csprcli death add WS1234 --died 02/03/2026 --age "3 months" --unexpected --jar
    """
    death = deaths.new_death(
        ref=ref,
        kind=kind,
        died=past(ctx, died, "--died"),
        age=age,
        resident=resident,
        expected=expected,
        jar_needed=jar,
        abuse=abuse,
    )
    with opened(ctx, create=True) as store:
        warnings = deaths.add_death(store, death)
        clock = deaths.death_clocks(store.death(death.ref), service.rulebook(store), store.settings(), as_of(ctx))[
            0
        ]
    resident_words = "" if resident else "; not normally resident in the area"
    say(
        f"{death.ref}: recorded ({death.age_band}{resident_words}); notification due {human_date(clock.due)} ({clock.describe()})"
    )
    for warning in warnings:
        note(f"warning: {warning}")

@app.command("stage")
def death_stage(
    ctx: typer.Context,
    ref: DeathRefArg,
    stage: Annotated[DeathStage, typer.Argument(help="notified, jar, information, meeting or reviewed.", **choice(DeathStage))],
    on: OnOpt,
    category: Annotated[str | None, typer.Option(help="The panel's category of death (for 'reviewed').")] = None,
    modifiable: Annotated[
        bool | None, typer.Option("--modifiable/--not-modifiable", help="Modifiable factors found (for 'reviewed').")
    ] = None,
) -> None:
    """A stage of the child death review was reached.

    Example: csprcli death stage WS1234 reviewed --on 15/09/2026 --category "Sudden unexpected death" --not-modifiable
    """
    on_day = past(ctx, on, "--on")
    with opened(ctx, write=True) as store:
        recorded = deaths.record_stage(store, ref, stage, on=on_day, category=category, modifiable=modifiable)
    say(f"{recorded.ref}: {stage} recorded {human_date(getattr(recorded, stage.value))}")

@app.command("pause")
def death_pause(
    ctx: typer.Context,
    ref: DeathRefArg,
    on: OnOpt,
    reason: Annotated[str, typer.Option(help="What it waits for: inquest, investigation, or other words.")],
) -> None:
    """The review waits for an inquest or an investigation.

    Example: csprcli death pause WS1234 --on 01/04/2026 --reason inquest
    """
    with opened(ctx, write=True) as store:
        death = deaths.pause_death(store, ref, on=past(ctx, on, "--on"), reason=reason)
    say(f"{death.ref}: waiting for {death.pause_reason} since {human_date(death.paused_since)}")

@app.command("resume")
def death_resume(ctx: typer.Context, ref: DeathRefArg) -> None:
    """The review no longer waits.

    Example: csprcli death resume WS1234
    """
    with opened(ctx, write=True) as store:
        death = deaths.resume_death(store, ref)
    say(f"{death.ref}: no longer waiting")

@app.command("link")
def death_link(
    ctx: typer.Context,
    ref: DeathRefArg,
    incident: Annotated[str, typer.Argument(help="The serious incident's reference, e.g. SI-2026-003.")],
) -> None:
    """Link a death to the serious incident notified for it; 'show' on either side shows the link.

    Example: csprcli death link WS1234 SI-2026-003
    """
    with opened(ctx, write=True) as store:
        death = deaths.link_death(store, ref, incident)
    say(f"{death.ref}: linked to {death.incident_ref}")

@app.command("show")
def death_show(ctx: typer.Context, ref: DeathRefArg, fmt: FormatOpt = Format.TABLE) -> None:
    """A child death and its stages.

    Example: csprcli death show WS1234
    """
    with opened(ctx) as store:
        row = death_row(store.death(ref), store, as_of(ctx))
    if fmt != Format.TABLE:
        render([row], DEATH_COLUMNS, fmt)
        return
    print_fields([(c.header or c.key.replace("_", " ").capitalize(), row[c.key]) for c in DEATH_COLUMNS])

@app.command("list")
def death_list(ctx: typer.Context, fmt: FormatOpt = Format.TABLE) -> None:
    """Every child death recorded, with its stage.

    Example: csprcli death list --format csv
    """
    with opened(ctx) as store:
        rows = [death_row(d, store, as_of(ctx)) for d in store.deaths()]
    render(rows, DEATH_COLUMNS, fmt, empty="no child deaths recorded")

@app.command("report")
def death_report(
    ctx: typer.Context,
    year: Annotated[str | None, typer.Option(help="A reporting year, April to March, e.g. 2025-26.")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Counts for the panel's yearly report: notifications, reviews completed and open (and why), modifiable factors, and the age bands.

    Example: csprcli death report --year 2025-26
    """
    from csprcli.report import reporting_year, year_of

    start, end = reporting_year(year or year_of(as_of(ctx)))
    with opened(ctx) as store:
        counts = deaths.death_report(store.deaths_between(start, end))
    rows = [{"measure": k, "count": v} for k, v in counts.items() if not isinstance(v, dict)]
    rows += [
        {"measure": f"{k}: {band}", "count": n}
        for k, d in counts.items()
        if isinstance(d, dict)
        for band, n in d.items()
    ]
    render(
        rows,
        [Column("measure", "Measure"), Column("count", "Count")],
        fmt,
        title=f"Child deaths from {start:%d %b %Y} to {end:%d %b %Y}",
    )
