"""`incident`: record a serious incident, its notification, and telling the partners."""

from typing import Annotated

import typer

from csprcli.output import say
from csprcli.cli.common import DATE_HELP, OnOpt, RefArg, choice, find_clock, group, past, recorded_on, write_then_read
from csprcli.domain.dates import human_date
from csprcli.domain.vocabulary import Abuse, Nature

app = group()

ChildOpt = Annotated[
    str,
    typer.Option(help="The partnership's pseudonymous child reference (e.g. LCS-104233 or 'Child A'). Never a name."),
]
AbuseOpt = Annotated[
    Abuse,
    typer.Option(
        help="Abuse or neglect: known, suspected, or none (only for a looked-after child's death).", **choice(Abuse)
    ),
]
AllowDuplicateOpt = Annotated[
    bool,
    typer.Option(
        "--allow-duplicate",
        help="Record it even though a case with the same child reference and aware date exists "
        "(two incidents about one child on one day).",
    ),
]


@app.command("add")
def incident_add(
    ctx: typer.Context,
    child: ChildOpt,
    la: Annotated[str, typer.Option("--la", help="The local authority where the incident happened.")],
    aware: Annotated[str, typer.Option(help=f"The date the local authority became aware. {DATE_HELP}")],
    nature: Annotated[Nature, typer.Option(help="What happened to the child.", **choice(Nature))],
    abuse: AbuseOpt,
    looked_after: Annotated[bool, typer.Option("--looked-after", help="The child was looked after.")] = False,
    incident_date: Annotated[
        str | None, typer.Option(help=f"When the incident happened, if known. {DATE_HELP}")
    ] = None,
    home_la: Annotated[str | None, typer.Option(help="The child's home local authority, if different.")] = None,
    summary: Annotated[
        str | None, typer.Option(help="A short summary (500 characters), with no names, addresses or dates of birth.")
    ] = None,
    allow_duplicate: AllowDuplicateOpt = False,
) -> None:
    """Record a serious incident; prints its reference and when the notification is due.

    A second case with the same child reference and aware date is refused unless --allow-duplicate.

    Example: csprcli incident add --child LCS-104233 --la Walsall --aware 17/12/2025 --nature serious-harm --abuse suspected
    """
    from csprcli.services import incidents as service

    aware_on = past(ctx, aware, "--aware")
    incident_on = past(ctx, incident_date, "--incident-date") if incident_date else None
    incident = service.new_incident(
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
    case = write_then_read(
        ctx, lambda store: service.add_incident(store, incident, allow_duplicate=allow_duplicate), create=True
    )
    notification = find_clock(case, "notification")
    say(
        f"{case.incident.ref}: recorded; notification to the Panel due {human_date(notification.due_date())} ({notification.describe()})"
    )
    warn_unknown_authorities({"--la": la, "--home-la": home_la})


def warn_unknown_authorities(given: dict[str, str | None]) -> None:
    """A warning for each local authority name that is not one of England's (it is kept as typed)."""
    from csprcli.domain import authorities
    from csprcli.output import note
    from csprcli.domain.text import printable

    for option, name in given.items():
        if name and (warning := authorities.warning(name, option)):
            note(printable(warning))


@app.command("notify")
def incident_notify(
    ctx: typer.Context,
    ref: RefArg,
    on: OnOpt,
    sin_ref: Annotated[str | None, typer.Option(help="The notification system's own reference.")] = None,
) -> None:
    """The serious incident notification was submitted to the Panel.

    Example: csprcli incident notify SI-2025-001 --on 23/12/2025
    """
    from csprcli.services import incidents as service

    recorded_on(
        ctx, on, lambda store, day: service.notify(store, ref, on=day, sin_ref=sin_ref), "notification recorded",
        milestone="notification",
    )  # fmt: skip


@app.command("inform")
def incident_inform(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """The local authority told the local safeguarding partners.

    Example: csprcli incident inform SI-2025-001 --on 18/12/2025
    """
    from csprcli.services import incidents as service

    recorded_on(
        ctx,
        on,
        lambda store, day: service.inform_partners(store, ref, on=day),
        "partners told",
        milestone="partners-informed",
    )
