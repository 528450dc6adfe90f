"""`lcspr`: the local child safeguarding practice review, to publication."""

from typing import Annotated

import typer

from csprcli.output import say
from csprcli.cli.common import (
    AgreedByOpt,
    DATE_HELP,
    OnOpt,
    RefArg,
    as_of,
    choice,
    find_clock,
    group,
    opened,
    past,
    recorded_on,
    report_next,
    say_done,
    write_then_read,
)
from csprcli.domain.dates import human_date, parse_date
from csprcli.domain.vocabulary import PublicationType, Rag

app = group("The reviewer, the terms of reference, progress checks, pauses, the final report and publication.")


@app.command("reviewer")
def lcspr_reviewer(
    ctx: typer.Context,
    ref: RefArg,
    name: Annotated[str, typer.Option(help="The independent reviewer (or reviewers).")],
    on: OnOpt,
) -> None:
    """The reviewer was appointed.

    Example: csprcli lcspr reviewer SI-2025-001 --name "J. Reviewer Associates" --on 02/02/2026
    """
    from csprcli.services import lcspr

    recorded_on(ctx, on, lambda store, day: lcspr.appoint_reviewer(store, ref, name=name, on=day), "reviewer appointed")


@app.command("terms")
def lcspr_terms(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """The terms of reference were agreed.

    Example: csprcli lcspr terms SI-2025-001 --on 16/02/2026
    """
    from csprcli.services import lcspr

    recorded_on(ctx, on, lambda store, day: lcspr.agree_terms(store, ref, on=day), "terms of reference agreed")


@app.command("check")
def lcspr_check(
    ctx: typer.Context,
    ref: RefArg,
    on: OnOpt,
    rag: Annotated[Rag, typer.Option(help="Red, amber or green.", **choice(Rag))],
    note: Annotated[str | None, typer.Option(help="What was found; no names.")] = None,
) -> None:
    """A progress and quality check of the review; the next one falls due an interval later.

    Example: csprcli lcspr check SI-2025-001 --on 16/02/2026 --rag amber --note "Health chronology late"
    """
    from csprcli.services import lcspr

    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: lcspr.check_progress(store, ref, on=on_day, rag=rag, note=note))
    nxt = find_clock(case, "progress-check")
    say(
        f"{case.incident.ref}: progress check ({rag}) recorded {human_date(on_day)}; next due {human_date(nxt.due_date())}"
    )


@app.command("plan")
def lcspr_plan(
    ctx: typer.Context,
    ref: RefArg,
    publication: Annotated[str, typer.Option(help=f"The planned publication date. {DATE_HELP}")],
    reason: Annotated[str | None, typer.Option(help="Why the plan changed (needed to change it).")] = None,
    agreed_by: Annotated[str | None, typer.Option("--agreed-by", help="Who agreed the change.")] = None,
) -> None:
    """Plan the publication date; the final report is then due 7 working days before it.

    Example: csprcli lcspr plan SI-2025-001 --publication 13/07/2026
    """
    from csprcli.services import lcspr

    planned = parse_date(publication, as_of=as_of(ctx), what="--publication")
    case = write_then_read(
        ctx,
        lambda store: lcspr.plan_publication(
            store, ref, on=planned, as_of=as_of(ctx), reason=reason, agreed_by=agreed_by
        ),
    )
    sent = find_clock(case, "report-sent")
    say(
        f"{case.incident.ref}: publication planned for {human_date(planned)}; final report due by {human_date(sent.due_date())}"
    )


@app.command("send")
def lcspr_send(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """The final report was sent to the Panel and the Secretary of State.

    Example: csprcli lcspr send SI-2025-001 --on 01/07/2026
    """
    from csprcli.services import lcspr

    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: lcspr.send_report(store, ref, on=on_day))
    clock = find_clock(case, "report-sent")
    if clock.due is None:
        say(f"{case.incident.ref}: final report sent {human_date(on_day)} (no publication date planned yet)")
    else:
        say_done(case, "report-sent", "final report sent to the Panel and the Secretary of State")


@app.command("publish")
def lcspr_publish(
    ctx: typer.Context,
    ref: RefArg,
    on: OnOpt,
    kind: Annotated[PublicationType, typer.Option("--type", help="What was published.", **choice(PublicationType))],
    rationale: Annotated[str, typer.Option(help="Why this form of publication.")],
) -> None:
    """The review was published, or (--type not-published) the partners decided not to publish it, with the rationale.

    Example: csprcli lcspr publish SI-2025-001 --on 13/07/2026 --type full --rationale "No risk to siblings"
    """
    from csprcli.domain.lifecycle import removal_earliest
    from csprcli.services import lcspr

    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: lcspr.publish(store, ref, on=on_day, kind=kind, rationale=rationale))
    if kind == PublicationType.NOT_PUBLISHED:
        say(
            f"{case.incident.ref}: decision not to publish recorded {human_date(on_day)}, with its rationale; "
            "nothing to keep available"
        )
        report_next(case)
        return
    say_done(case, "publication", f"published ({kind})")
    until = removal_earliest(case.incident)
    assert until is not None  # counted from the publication just recorded
    say(f"{case.incident.ref}: keep it available until at least {human_date(until)}")


@app.command("pause")
def lcspr_pause(
    ctx: typer.Context,
    ref: RefArg,
    on: OnOpt,
    reason: Annotated[str, typer.Option(help="Why, e.g. 'criminal trial'.")],
    agreed_by: AgreedByOpt,
) -> None:
    """Pause the review (a criminal trial, an inquest, family proceedings). Its clocks stop until it resumes.

    Example: csprcli lcspr pause SI-2025-001 --on 01/04/2026 --reason "Criminal trial" --agreed-by "Partnership chair"
    """
    from csprcli.services import lcspr

    on_day = past(ctx, on, "--on")
    case = write_then_read(
        ctx, lambda store: lcspr.pause_review(store, ref, on=on_day, reason=reason, agreed_by=agreed_by)
    )
    say(f"{case.incident.ref}: review paused from {human_date(on_day)}")


@app.command("resume")
def lcspr_resume(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """Resume a paused review. No target moves by itself: it prints the suggested revised target (the target plus the days paused) and the 'csprcli revise' command that records it once the partners agree.

    Example: csprcli lcspr resume SI-2025-001 --on 15/06/2026
    """
    from csprcli.services import cases as reading
    from csprcli.services.rulebook import rulebook
    from csprcli.services import lcspr

    on_day = past(ctx, on, "--on")
    with opened(ctx, write=True) as store:
        book = rulebook(store)
        incident, suggestion = lcspr.resume_review(store, book, ref, on=on_day)
        case = reading.case(store, book, incident.ref, as_of(ctx))
    publication = find_clock(case, "publication")
    ref = case.incident.ref
    say(
        f"{ref}: review resumed {human_date(on_day)}; the publication target stays {human_date(publication.due_date())} "
        f"({publication.describe()}) until the partners record a revised one"
    )
    if suggestion is not None:
        target, days, suggested, since, paused = suggestion
        counted = f"{human_date(target)} plus the {days} day{'s' if days != 1 else ''} paused"
        if days != paused:
            counted += (
                f" since the revision recorded {human_date(since)}; the {paused - days} "
                f"day{'s' if paused - days != 1 else ''} paused before it are in that revision"
            )
        say(f"{ref}: suggested revised target {human_date(suggested)} ({counted}); once agreed, record it with:")
        say(
            f'  csprcli revise {ref} publication --to {suggested:%d/%m/%Y} --reason "Paused {days} days" '
            '--agreed-by "..."'
        )
