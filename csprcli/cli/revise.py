"""`revise`: a revised target for a review's publication or an action, the original kept beside it."""

from typing import Annotated

import typer

from csprcli.cli import complete
from csprcli.cli.base import App
from csprcli.cli.common import DATE_HELP, AgreedByOpt, RefArg, as_of, find_clock, write_then_read
from csprcli.domain.dates import human_date, parse_date
from csprcli.output import say

app = App()


@app.command("revise")
def revise(
    ctx: typer.Context,
    ref: RefArg,
    milestone: Annotated[str, typer.Argument(help="publication, or action-N.", autocompletion=complete.revisable)],
    to: Annotated[str, typer.Option("--to", help=f"The revised target. {DATE_HELP}")],
    reason: Annotated[str, typer.Option(help="Why the target moves.")],
    agreed_by: AgreedByOpt,
) -> None:
    """The original target is kept beside the revised one (overdue --original measures against it): there is no statutory extension.

    Example: csprcli revise SI-2025-001 publication --to 30/09/2026 --reason "Inquest in August" --agreed-by "Partnership chair" """
    from csprcli.services import lcspr

    target = parse_date(to, as_of=as_of(ctx), what="--to")
    case = write_then_read(
        ctx,
        lambda store: lcspr.revise_target(
            store, ref, milestone=milestone, to=target, reason=reason, agreed_by=agreed_by, as_of=as_of(ctx)
        ),
    )
    clock = find_clock(case, milestone)
    assert clock.original_due is not None  # a target that could be revised was set first
    say(
        f"{case.incident.ref}: {milestone} target revised to {human_date(clock.due_date())} (original {human_date(clock.original_due)})"
    )
