"""`action`: actions from a review's recommendations, their owners and target dates."""

from typing import Annotated

import typer

from csprcli.output import say
from csprcli.cli import complete
from csprcli.cli.common import (
    DATE_HELP,
    OnOpt,
    RefArg,
    as_of,
    group,
    opened,
    past,
    say_done,
    whole_number,
    write_then_read,
)
from csprcli.domain.dates import human_date, parse_date
from csprcli.domain.vocabulary import ActionStatus

app = group()


@app.command("add")
def action_add(
    ctx: typer.Context,
    ref: RefArg,
    recommendation: Annotated[str, typer.Option(help="The recommendation the action carries out.")],
    agency: Annotated[str, typer.Option(help="The agency that owns it.")],
    target: Annotated[str, typer.Option(help=f"The target date. {DATE_HELP}")],
) -> None:
    """Record an action from the review's recommendations, with its owner and target date.

    Example: csprcli action add SI-2025-001 --recommendation "Audit joint strategy discussions" --agency Police --target 30/09/2026
    """
    from csprcli.services import lcspr

    target_day = parse_date(target, as_of=as_of(ctx), what="--target")
    with opened(ctx, write=True) as store:
        action = lcspr.add_action(
            store, ref, recommendation=recommendation, agency=agency, target=target_day, on=as_of(ctx)
        )
    say(f"{ref.strip().upper()}: action {action.number} ({action.agency}) recorded, due {human_date(action.target)}")


@app.command("done")
def action_done(
    ctx: typer.Context,
    ref: RefArg,
    number: Annotated[
        int,
        typer.Argument(
            help="The action's number.", autocompletion=complete.open_actions, **whole_number("NUMBER", 1, 9999)
        ),
    ],
    on: OnOpt,
    evidence: Annotated[str, typer.Option(help="What shows it was done.")],
    signed_off_by: Annotated[str | None, typer.Option(help="Who signed it off.")] = None,
) -> None:
    """An action was done, with its evidence.

    Example: csprcli action done SI-2025-001 1 --on 20/09/2026 --evidence "Audit report to the board" --signed-off-by "Board"
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(
        ctx,
        lambda store: _closing(store, ref, number, ActionStatus.DONE, on_day, evidence, signed_off_by),
    )
    say_done(case, f"action-{number}", f"action {number} done")


@app.command("drop")
def action_drop(
    ctx: typer.Context,
    ref: RefArg,
    number: Annotated[
        int,
        typer.Argument(
            help="The action's number.", autocompletion=complete.open_actions, **whole_number("NUMBER", 1, 9999)
        ),
    ],
    on: OnOpt,
    reason: Annotated[str, typer.Option(help="Why it was dropped.")],
) -> None:
    """An action was dropped, with the reason; it is no longer due.

    Example: csprcli action drop SI-2025-001 2 --on 20/09/2026 --reason "Superseded by the national review"
    """
    on_day = past(ctx, on, "--on")
    write_then_read(ctx, lambda store: _closing(store, ref, number, ActionStatus.DROPPED, on_day, reason, None))
    say(f"{ref.strip().upper()}: action {number} dropped {human_date(on_day)}")


def _closing(store, ref, number, status, on_day, evidence, signed_off_by):
    from csprcli.services import lcspr

    lcspr.close_action(store, ref, number, status=status, on=on_day, evidence=evidence, signed_off_by=signed_off_by)
    return store.incident(ref)
