"""`death`: the Child Death Overview Panel's register of child deaths."""

from datetime import date
from typing import Annotated

import typer

from csprcli.cli import complete
from csprcli.domain import cdop
from csprcli.cli.common import (
    DATE_HELP,
    FormatOpt,
    OnOpt,
    ReportFormat,
    ReportFormatOpt,
    as_of,
    choice,
    done_words,
    group,
    opened,
    past,
)
from csprcli.domain.dates import human_date
from csprcli.domain.model import Death
from csprcli.domain.vocabulary import Abuse, DeathCategory, DeathKind, DeathPlace, DeathStage, Ethnicity, Sex
from csprcli.output import Column, Format, note, print_fields, render, say

app = group()

DeathRefArg = Annotated[
    str,
    typer.Argument(
        help="The eCDOP number with its area prefix, e.g. WS1234.",
        show_default=False,
        autocompletion=complete.death_refs,
    ),
]

DEATH_COLUMNS = [
    Column("ref", "Death"),
    Column("area", "Area"),
    Column("died", "Died"),
    Column("age_band", "Age band"),
    Column("age", "Age"),
    Column("resident"),
    Column("expected", "Expected"),
    Column("jar_needed"),
    Column("abuse"),
    Column("sex"),
    Column("ethnicity"),
    Column("place"),
    Column("incident_ref", "Incident"),
    Column("notified", "Notified"),
    Column("jar"),
    Column("information"),
    Column("meeting"),
    Column("reviewed", "Reviewed"),
    Column("category"),
    Column("modifiable"),
    Column("waiting_for", "Waiting for"),
    Column("pauses"),
    Column("notification_due"),
    Column("notification_status"),
]


# `death show`'s labels in words where the column's key is an abbreviation or a code
FIELD_LABELS = {
    "jar_needed": "Joint Agency Response needed",
    "jar": "Joint Agency Response",
    "abuse": "Abuse or neglect",
    "information": "Information gathered",
    "meeting": "Child death review meeting",
    "reviewed": "CDOP review completed",
    "category": "Category of death",
    "modifiable": "Modifiable factors",
    "notification_due": "Notification due",
    "notification_status": "Notification",
}


def death_row(death: Death, store, as_of, *, human: bool = False) -> dict:
    """A death as the register stood at the end of the as-of date; its pauses in words with the
    dates in the people's form (`human`, for a table) or ISO (CSV and JSON)."""
    from csprcli.services import deaths
    from csprcli.services.rulebook import rulebook

    death = cdop.as_known_on(death, as_of)
    row = {c.key: getattr(death, c.key, None) for c in DEATH_COLUMNS}
    clock = deaths.death_clocks(death, rulebook(store), as_of)[0]
    waiting = death.waiting
    day = human_date if human else date.isoformat
    pauses = "; ".join(f"{p.reason}: {day(p.start)} to {day(p.end) if p.end else '(waiting)'}" for p in death.pauses)
    return row | {
        "notification_due": clock.due,
        "notification_status": clock.status,
        "waiting_for": f"{waiting.reason} (since {day(waiting.start)})" if waiting else None,
        "pauses": pauses or None,
    }


@app.command("add")
def death_add(
    ctx: typer.Context,
    ref: DeathRefArg,
    died: Annotated[str, typer.Option(help=f"The date of death. {DATE_HELP}")],
    age: Annotated[
        str,
        typer.Option(
            help=cdop.AGE_HELP + " Kept as typed and placed in the NCMD bands (0-27 days, 28-364 days, 1-4, "
            "5-9, 10-14, 15-17 years) on the calendar from the date of death; 12 months is 1 year."
        ),
    ],
    expected: Annotated[bool, typer.Option("--expected/--unexpected", help="Whether the death was expected.")],
    kind: Annotated[
        DeathKind,
        typer.Option(help="What is being recorded; only a child's death is in the remit.", **choice(DeathKind)),
    ] = DeathKind.CHILD,
    resident: Annotated[bool, typer.Option("--resident/--not-resident", help="Normally resident in the area.")] = True,
    jar: Annotated[
        bool, typer.Option("--jar/--no-jar", help="A Joint Agency Response was needed (an unexpected death only).")
    ] = False,
    abuse: Annotated[
        Abuse, typer.Option(help="Abuse or neglect known, suspected, or none.", **choice(Abuse))
    ] = Abuse.NONE,
    sex: Annotated[Sex | None, typer.Option(help="The child's sex.", **choice(Sex))] = None,
    ethnicity: Annotated[Ethnicity | None, typer.Option(help="DfE's main ethnic group.", **choice(Ethnicity))] = None,
    place: Annotated[
        DeathPlace | None, typer.Option(help="Where the child died: home, hospital or other.", **choice(DeathPlace))
    ] = None,
) -> None:
    """Record a child's death for the panel; prints when the notification is due.

    Example: csprcli death add WS1234 --died 02/03/2026 --age "3 months" --unexpected --jar --sex male --place hospital
    """
    from csprcli.services import deaths
    from csprcli.services.rulebook import rulebook

    death = deaths.new_death(
        ref=ref,
        kind=kind,
        died=past(ctx, died, "--died"),
        age=age,
        resident=resident,
        expected=expected,
        jar_needed=jar,
        abuse=abuse,
        sex=sex,
        ethnicity=ethnicity,
        place=place,
    )
    with opened(ctx, create=True) as store:
        warnings = deaths.add_death(store, death)
        clock = deaths.death_clocks(store.death(death.ref), rulebook(store), as_of(ctx))[0]
    resident_words = "" if resident else "; not normally resident in the area"
    say(
        f"{death.ref}: recorded ({death.age}: {death.age_band}{resident_words}); notification due {human_date(clock.due_date())} ({clock.describe()})"
    )
    for warning in warnings:
        note(f"warning: {warning}")


@app.command("stage")
def death_stage(
    ctx: typer.Context,
    ref: DeathRefArg,
    stage: Annotated[
        DeathStage, typer.Argument(help="notified, jar, information, meeting or reviewed.", **choice(DeathStage))
    ],
    on: OnOpt,
    category: Annotated[
        str | None,
        typer.Option(help=cdop.CATEGORY_HELP + " (for 'reviewed').", autocompletion=complete.values_of(DeathCategory)),
    ] = None,
    modifiable: Annotated[
        bool | None, typer.Option("--modifiable/--not-modifiable", help="Modifiable factors found (for 'reviewed').")
    ] = None,
) -> None:
    """A stage of the child death review was reached, in the guidance's order: notified, jar (an unexpected death only), information, meeting, reviewed. A stage out of order is refused with the reason; 'death correct' fixes one recorded wrongly.

    Example: csprcli death stage WS1234 reviewed --on 15/09/2026 --category sudden --not-modifiable
    """
    from csprcli.services import deaths
    from csprcli.services.rulebook import rulebook

    on_day = past(ctx, on, "--on")
    with opened(ctx, write=True) as store:
        recorded = deaths.record_stage(store, ref, stage, on=on_day, category=category, modifiable=modifiable)
        if stage == DeathStage.NOTIFIED:  # the one stage with a target: say how it stands against it
            clock = deaths.death_clocks(store.death(recorded.ref), rulebook(store), as_of(ctx))[0]
            say(f"{recorded.ref}: {stage} recorded {done_words(clock)}")
            return
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
    from csprcli.services import deaths

    with opened(ctx, write=True) as store:
        death = deaths.pause_death(store, ref, on=past(ctx, on, "--on"), reason=reason)
    waiting = death.waiting
    assert waiting is not None  # the pause just recorded
    say(f"{death.ref}: waiting for {waiting.reason} since {human_date(waiting.start)}")


@app.command("resume")
def death_resume(ctx: typer.Context, ref: DeathRefArg, on: OnOpt) -> None:
    """The review no longer waits, from --on; the pause stays in the record with both dates.

    Example: csprcli death resume WS1234 --on 01/09/2026
    """
    from csprcli.services import deaths

    with opened(ctx, write=True) as store:
        death = deaths.resume_death(store, ref, on=past(ctx, on, "--on"))
    pause = death.pauses[-1]
    assert pause.end is not None  # the resumption just recorded
    days = pause.days(pause.end)
    say(
        f"{death.ref}: resumed {human_date(pause.end)} after {days} day{'s' if days != 1 else ''} "
        f"waiting for {pause.reason}"
    )


@app.command("link")
def death_link(
    ctx: typer.Context,
    ref: DeathRefArg,
    incident: Annotated[
        str,
        typer.Argument(help="The serious incident's reference, e.g. SI-2026-003.", autocompletion=complete.case_refs),
    ],
) -> None:
    """Link a death to the serious incident notified for it; 'show' on either side shows the link.

    Example: csprcli death link WS1234 SI-2026-003
    """
    from csprcli.services import deaths

    with opened(ctx, write=True) as store:
        death = deaths.link_death(store, ref, incident)
    say(f"{death.ref}: linked to {death.incident_ref}")


@app.command("unlink")
def death_unlink(ctx: typer.Context, ref: DeathRefArg) -> None:
    """Undo a link to an incident made in error.

    Example: csprcli death unlink WS1234
    """
    from csprcli.services import deaths

    with opened(ctx, write=True) as store:
        death, incident = deaths.unlink_death(store, ref)
    say(f"{death.ref}: no longer linked to {incident}")


@app.command("correct")
def death_correct(
    ctx: typer.Context,
    ref: DeathRefArg,
    field: Annotated[str, typer.Argument(help="What to correct (the fields are listed above).")],
    value: Annotated[str, typer.Argument(help="The right value; 'none' empties a stage's date.")],
    reason: Annotated[str, typer.Option(help="Why the recorded value was wrong.")],
) -> None:
    """Correct a recorded fact of a child death, with a reason; the whole record is checked again (the remit, the order of the stages). The earlier value stays in the history.

    Fields: died, age, expected, jar-needed, resident, abuse (yes/no for the flags), notified, jar, information, meeting, reviewed (dates; 'none' empties one), category, modifiable.

    Example: csprcli death correct WS1234 meeting 14/09/2026 --reason "Meeting date typed a month early"
    """
    from csprcli.services import deaths

    with opened(ctx, write=True) as store:
        death, old, new = deaths.correct_death(store, ref, field, value, reason=reason, as_of=as_of(ctx))
    say(f"{death.ref}: {field} corrected to {new} (was {old})")


@app.command("show")
def death_show(ctx: typer.Context, ref: DeathRefArg, fmt: FormatOpt = Format.TABLE) -> None:
    """A child death and its stages.

    Example: csprcli death show WS1234
    """
    with opened(ctx) as store:
        row = death_row(store.death(ref), store, as_of(ctx), human=fmt == Format.TABLE)
    if fmt != Format.TABLE:
        render([row], DEATH_COLUMNS, fmt)
        return
    print_fields(
        [
            (FIELD_LABELS.get(c.key) or c.header or c.key.replace("_", " ").capitalize(), row[c.key])
            for c in DEATH_COLUMNS
        ]
    )


@app.command("list")
def death_list(ctx: typer.Context, fmt: FormatOpt = Format.TABLE) -> None:
    """Every child death recorded, with its stage.

    Example: csprcli death list --format csv
    """
    with opened(ctx) as store:
        rows = [death_row(d, store, as_of(ctx), human=fmt == Format.TABLE) for d in store.deaths_up_to(as_of(ctx))]
    render(rows, DEATH_COLUMNS, fmt, empty="no child deaths recorded")


@app.command("report")
def death_report(
    ctx: typer.Context,
    year: Annotated[
        str | None, typer.Option(help="A reporting year, April to March, e.g. 2025-26 (default: the as-of date's).")
    ] = None,
    fmt: ReportFormatOpt = ReportFormat.TABLE,
) -> None:
    """The panel's yearly figures, each with its definition: deaths that occurred in the year (age bands, sex, ethnicity, place of death, expected, notified within the local target, Joint Agency Responses held, the rate per 10,000 children where the setting child-population is recorded) and reviews completed in the year (within 6 and 12 months of the death, categories of death, modifiable factors overall and by category, time paused by reason), reviews still open, and non-resident children apart.

    Example: csprcli death report --year 2025-26 --format markdown
    """
    from csprcli.output.report import show_report
    from csprcli.services import deaths
    from csprcli.domain.periods import reporting_year, year_of

    first, last = reporting_year(year or year_of(as_of(ctx)))
    with opened(ctx) as store:
        found = deaths.death_report(store, first, last, as_of(ctx))
    title = f"Child deaths and reviews from {human_date(first)} to {human_date(last)} (as of {human_date(as_of(ctx))})"
    show_report(title, found, first, last, as_of(ctx), fmt.value)
