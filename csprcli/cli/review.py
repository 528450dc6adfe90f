"""`review`: the rapid review: its start, decision, sending to the Panel and the Panel's response."""

from typing import Annotated

import typer

from csprcli.output import say
from csprcli.cli.common import (
    OnOpt,
    RefArg,
    choice,
    find_clock,
    group,
    past,
    recorded_on,
    report_next,
    say_done,
    write_then_read,
)
from csprcli.domain.dates import human_date
from csprcli.domain.vocabulary import Outcome, PanelResponse

app = group()


@app.command("start")
def review_start(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """The rapid review was triggered (no deadline of its own; promptly after the notification).

    Example: csprcli review start SI-2025-001 --on 24/12/2025
    """
    from csprcli.services import incidents as service

    recorded_on(ctx, on, lambda store, day: service.start_review(store, ref, on=day), "rapid review started")


@app.command("decide")
def review_decide(
    ctx: typer.Context,
    ref: RefArg,
    outcome: Annotated[Outcome, typer.Option(help="What the rapid review decided.", **choice(Outcome))],
    on: OnOpt,
    reason: Annotated[str, typer.Option(help="The reasons for the decision, as minuted.")],
) -> None:
    """The rapid review's decision, with its reasons. criteria-not-met closes the review clocks.

    Run it again after the Panel challenges the decision, asks for more information or takes a national review: the reconsidered decision is recorded in its own right (the first stays), the latest decision is the one in force, and a local review's clocks count from the decision that started it. The exchange can repeat (response, decision, response, decision, ...); 'review submit' records sending it again.

    Example: csprcli review decide SI-2025-001 --outcome lcspr --on 14/01/2026 --reason "Two or more agencies; recurrent themes"
    """
    from csprcli.services import incidents as service

    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: service.decide(store, ref, outcome=outcome, on=on_day, reason=reason))
    first = case.incident
    if first.decisions and first.decisions[-1].decided == on_day:
        assert first.decided is not None  # a decision is reconsidered only after the first
        say(
            f"{first.ref}: reconsidered decision ({outcome}) recorded {human_date(on_day)}; the first decision "
            f"({first.outcome}, {human_date(first.decided)}) stays on the record; 'csprcli review submit "
            f"{first.ref} --on DATE' records sending it to the Panel again"
        )
        publication = find_clock(case, "publication")
        if publication.trigger and publication.due:  # a started clock has both
            say(
                f"{first.ref}: the local review counts from {human_date(publication.trigger)}; "
                f"publication due {human_date(publication.due)}"
            )
        report_next(case)
    elif outcome == Outcome.CRITERIA_NOT_MET:
        say(f"{case.incident.ref}: criteria not met, recorded {human_date(on_day)}; the rapid-review clocks are closed")
    else:
        say_done(case, "rr-decision", f"decision ({outcome}) recorded")


@app.command("submit")
def review_submit(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """The rapid review was sent to the Panel; after a reconsidered decision, sent again.

    The first sending is what the 15-working-day clock measures; each sending again is kept, dated, in the exchange with the Panel, and the reminder to chase the Panel's reply counts from the latest.

    Example: csprcli review submit SI-2025-001 --on 16/01/2026
    """
    from csprcli.services import incidents as service

    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: service.submit_review(store, ref, on=on_day))
    i = case.incident
    if not i.sent_again:  # the first sending
        say_done(case, "rr-sent", "rapid review sent to the Panel")
        return
    decision = i.decisions[-1]
    assert i.rr_sent is not None  # sent again: the first sending is recorded
    say(
        f"{i.ref}: rapid review sent to the Panel again {human_date(on_day)}, with the reconsidered decision "
        f"({decision.outcome}, {human_date(decision.decided)}); the 15-working-day measure keeps the first "
        f"sending ({human_date(i.rr_sent)})"
    )
    report_next(case)


@app.command("response")
def review_response(
    ctx: typer.Context,
    ref: RefArg,
    response: Annotated[PanelResponse, typer.Option(help="What the Panel said.", **choice(PanelResponse))],
    on: OnOpt,
    notes: Annotated[str | None, typer.Option(help="What the Panel asked or said, briefly; no names.")] = None,
) -> None:
    """The Panel replied to the rapid review (until it does, a local reminder falls due). It may reply more than once: each response is kept, dated, in the exchange with the Panel.

    Example: csprcli review response SI-2025-001 --response agrees-lcspr --on 30/01/2026
    """
    from csprcli.services import incidents as service

    on_day = past(ctx, on, "--on")
    case = write_then_read(
        ctx, lambda store: service.panel_response(store, ref, response=response, on=on_day, notes=notes)
    )
    clock = find_clock(case, "panel-response")
    if clock.done == on_day:
        say_done(case, "panel-response", f"Panel's response ({response}) recorded")
    else:  # a further response to the same sending
        say(f"{case.incident.ref}: Panel's response ({response}) recorded {human_date(on_day)}")
        report_next(case)
