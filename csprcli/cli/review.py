"""Commands for the local child safeguarding practice review, its actions, and the children of an incident."""

from typing import Annotated

import typer

# Typer ships its own copy of Click; its exceptions are only reachable here. They are
# caught, never raised, so that a usage error is one line like every other error.

from csprcli import tracker
from csprcli.lifecycle import removal_earliest
from csprcli.dates import human_date, parse_date
from csprcli.model import (
    ActionStatus,
    AgeBand,
    Child,
    Ethnicity,
    ProtectionPlan,
    PublicationType,
    Rag,
    Sex,
)

from csprcli.cli.app import (
    DATE_HELP,
    OnOpt,
    RefArg,
    action_app,
    app,
    child_app,
    find_clock,
    lcspr_app,
    opened,
    past,
    report_next,
    say_done,
    write_then_read,
)


# -- the local child safeguarding practice review --------------------------------------------

AgreedByOpt = Annotated[str, typer.Option("--agreed-by", help="Who agreed it (a role or a name of a professional).")]


@lcspr_app.command("reviewer")
def lcspr_reviewer(
    ctx: typer.Context,
    ref: RefArg,
    name: Annotated[str, typer.Option(help="The independent reviewer (or reviewers).")],
    on: OnOpt,
) -> None:
    """The reviewer was appointed.

    Example: csprcli lcspr reviewer SI-2025-001 --name "J. Reviewer Associates" --on 02/02/2026
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.appoint_reviewer(store, ref, name=name, on=on_day))
    typer.echo(f"{case.incident.ref}: reviewer appointed {human_date(on_day)}")
    report_next(case)


@lcspr_app.command("terms")
def lcspr_terms(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """The terms of reference were agreed.

    Example: csprcli lcspr terms SI-2025-001 --on 16/02/2026
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.agree_terms(store, ref, on=on_day))
    typer.echo(f"{case.incident.ref}: terms of reference agreed {human_date(on_day)}")
    report_next(case)


@lcspr_app.command("check")
def lcspr_check(
    ctx: typer.Context,
    ref: RefArg,
    on: OnOpt,
    rag: Annotated[Rag, typer.Option(help="Red, amber or green.")],
    note: Annotated[str | None, typer.Option(help="What was found; no names.")] = None,
) -> None:
    """A progress and quality check of the review; the next one falls due an interval later.

    Example: csprcli lcspr check SI-2025-001 --on 16/02/2026 --rag amber --note "Health chronology late"
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.check_progress(store, ref, on=on_day, rag=rag, note=note))
    nxt = find_clock(case, "progress-check")
    typer.echo(
        f"{case.incident.ref}: progress check ({rag}) recorded {human_date(on_day)}; next due {human_date(nxt.due)}"
    )


@lcspr_app.command("plan")
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
    planned = parse_date(publication, today=ctx.obj.as_of, what="--publication")
    case = write_then_read(
        ctx,
        lambda store: tracker.plan_publication(
            store, ref, on=planned, today=ctx.obj.as_of, reason=reason, agreed_by=agreed_by
        ),
    )
    sent = find_clock(case, "report-sent")
    typer.echo(
        f"{case.incident.ref}: publication planned for {human_date(planned)}; final report due by {human_date(sent.due)}"
    )


@lcspr_app.command("send")
def lcspr_send(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """The final report was sent to the Panel and the Secretary of State.

    Example: csprcli lcspr send SI-2025-001 --on 01/07/2026
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.send_report(store, ref, on=on_day))
    clock = find_clock(case, "report-sent")
    if clock.due is None:
        typer.echo(f"{case.incident.ref}: final report sent {human_date(on_day)} (no publication date planned yet)")
    else:
        say_done(case, "report-sent", "final report sent to the Panel and the Secretary of State")


@lcspr_app.command("publish")
def lcspr_publish(
    ctx: typer.Context,
    ref: RefArg,
    on: OnOpt,
    kind: Annotated[PublicationType, typer.Option("--type", help="What was published.")],
    rationale: Annotated[str, typer.Option(help="Why this form of publication.")],
) -> None:
    """The review was published, or (--type not-published) the partners decided not to publish it, with the rationale.

    Example: csprcli lcspr publish SI-2025-001 --on 13/07/2026 --type full --rationale "No risk to siblings"
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.publish(store, ref, on=on_day, kind=kind, rationale=rationale))
    if kind == PublicationType.NOT_PUBLISHED:
        typer.echo(
            f"{case.incident.ref}: decision not to publish recorded {human_date(on_day)}, with its rationale; "
            "nothing to keep available"
        )
        report_next(case)
        return
    say_done(case, "publication", f"published ({kind})")
    typer.echo(f"{case.incident.ref}: keep it available until at least {human_date(removal_earliest(case.incident))}")


@lcspr_app.command("pause")
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
    on_day = past(ctx, on, "--on")
    case = write_then_read(
        ctx, lambda store: tracker.pause_review(store, ref, on=on_day, reason=reason, agreed_by=agreed_by)
    )
    typer.echo(f"{case.incident.ref}: review paused from {human_date(on_day)}")


@lcspr_app.command("resume")
def lcspr_resume(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """Resume a paused review. No target moves by itself: it prints the suggested revised target (the target plus the days paused) and the 'csprcli revise' command that records it once the partners agree.

    Example: csprcli lcspr resume SI-2025-001 --on 15/06/2026
    """
    on_day = past(ctx, on, "--on")
    with opened(ctx) as store:
        book = tracker.rulebook(store)
        incident, suggestion = tracker.resume_review(store, book, ref, on=on_day)
        case = tracker.case(store, book, incident.ref, ctx.obj.as_of)
    publication = find_clock(case, "publication")
    ref = case.incident.ref
    typer.echo(
        f"{ref}: review resumed {human_date(on_day)}; the publication target stays {human_date(publication.due)} "
        f"({publication.describe()}) until the partners record a revised one"
    )
    if suggestion is not None:
        target, days, suggested = suggestion
        typer.echo(
            f"{ref}: suggested revised target {human_date(suggested)} ({human_date(target)} plus the {days} "
            f"day{'s' if days != 1 else ''} paused); once agreed, record it with:"
        )
        typer.echo(
            f'  csprcli revise {ref} publication --to {suggested:%d/%m/%Y} --reason "Paused {days} days" '
            '--agreed-by "..."'
        )


@app.command("revise")
def revise(
    ctx: typer.Context,
    ref: RefArg,
    milestone: Annotated[str, typer.Argument(help="publication, or action-N.")],
    to: Annotated[str, typer.Option("--to", help=f"The revised target. {DATE_HELP}")],
    reason: Annotated[str, typer.Option(help="Why the target moves.")],
    agreed_by: AgreedByOpt,
) -> None:
    """Set a revised target for a review's publication or an action; the original is kept beside it.

    Example: csprcli revise SI-2025-001 publication --to 30/09/2026 --reason "Inquest in August" --agreed-by "Partnership chair"
    """
    target = parse_date(to, today=ctx.obj.as_of, what="--to")
    case = write_then_read(
        ctx,
        lambda store: tracker.revise_target(
            store, ref, milestone=milestone, to=target, reason=reason, agreed_by=agreed_by, today=ctx.obj.as_of
        ),
    )
    clock = find_clock(case, milestone)
    typer.echo(
        f"{case.incident.ref}: {milestone} target revised to {human_date(clock.due)} (original {human_date(clock.original_due)})"
    )


# -- actions ---------------------------------------------------------------------------------


@action_app.command("add")
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
    target_day = parse_date(target, today=ctx.obj.as_of, what="--target")
    with opened(ctx) as store:
        action = tracker.add_action(store, ref, recommendation=recommendation, agency=agency, target=target_day)
    typer.echo(
        f"{ref.strip().upper()}: action {action.number} ({action.agency}) recorded, due {human_date(action.target)}"
    )


@action_app.command("done")
def action_done(
    ctx: typer.Context,
    ref: RefArg,
    number: Annotated[int, typer.Argument(help="The action's number.", min=1)],
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


@action_app.command("drop")
def action_drop(
    ctx: typer.Context,
    ref: RefArg,
    number: Annotated[int, typer.Argument(help="The action's number.", min=1)],
    on: OnOpt,
    reason: Annotated[str, typer.Option(help="Why it was dropped.")],
) -> None:
    """An action was dropped, with the reason; it is no longer due.

    Example: csprcli action drop SI-2025-001 2 --on 20/09/2026 --reason "Superseded by the national review"
    """
    on_day = past(ctx, on, "--on")
    write_then_read(ctx, lambda store: _closing(store, ref, number, ActionStatus.DROPPED, on_day, reason, None))
    typer.echo(f"{ref.strip().upper()}: action {number} dropped {human_date(on_day)}")


def _closing(store, ref, number, status, on_day, evidence, signed_off_by):
    tracker.close_action(store, ref, number, status=status, on=on_day, evidence=evidence, signed_off_by=signed_off_by)
    return store.incident(ref)


# -- children ---------------------------------------------------------------------------------


AgeBandOpt = Annotated[AgeBand | None, typer.Option(help="The child's age band.")]
SexOpt = Annotated[Sex | None, typer.Option(help="The child's sex.")]
EthnicityOpt = Annotated[Ethnicity | None, typer.Option(help="DfE's main ethnic group.")]
DisabilityOpt = Annotated[bool | None, typer.Option("--disability/--no-disability", help="A disability.")]
LookedAfterOpt = Annotated[
    bool | None, typer.Option("--looked-after/--not-looked-after", help="Looked after at the time.")
]
CinOpt = Annotated[bool | None, typer.Option("--cin-plan/--no-cin-plan", help="A child in need plan.")]
CpOpt = Annotated[ProtectionPlan | None, typer.Option(help="A child protection plan.")]
KnownOpt = Annotated[bool | None, typer.Option("--known/--not-known", help="Known to agencies.")]


@child_app.command("add")
def child_add(
    ctx: typer.Context,
    ref: RefArg,
    child: Annotated[str, typer.Option(help="The child's pseudonymous reference. Never a name.")],
    age_band: AgeBandOpt = None,
    sex: SexOpt = None,
    ethnicity: EthnicityOpt = None,
    disability: DisabilityOpt = None,
    looked_after: LookedAfterOpt = None,
    cin_plan: CinOpt = None,
    cp_plan: CpOpt = None,
    known: KnownOpt = None,
) -> None:
    """Another child of the same incident (up to four in all; the incident's own --child is the primary one).

    Example: csprcli child add SI-2025-001 --child LCS-104240 --age-band 1-5 --sex female
    """
    described = dict(
        zip(tracker.CHARACTERISTICS, (age_band, sex, ethnicity, disability, looked_after, cin_plan, cp_plan, known))
    )
    with opened(ctx) as store:
        tracker.add_child(store, ref, Child(child, **described))
        count = len(store.incident(ref).children)
    typer.echo(f"{ref.strip().upper()}: child added ({count} of at most {tracker.MAX_CHILDREN})")


@child_app.command("describe")
def child_describe(
    ctx: typer.Context,
    ref: RefArg,
    child: Annotated[str, typer.Argument(help="The child's reference as recorded.")],
    age_band: AgeBandOpt = None,
    sex: SexOpt = None,
    ethnicity: EthnicityOpt = None,
    disability: DisabilityOpt = None,
    looked_after: LookedAfterOpt = None,
    cin_plan: CinOpt = None,
    cp_plan: CpOpt = None,
    known: KnownOpt = None,
) -> None:
    """Record what DfE counts about a child already on the incident (a value once recorded is kept).

    Example: csprcli child describe SI-2025-001 LCS-104233 --age-band under-1 --sex male --ethnicity white --cp-plan current
    """
    described = dict(
        zip(tracker.CHARACTERISTICS, (age_band, sex, ethnicity, disability, looked_after, cin_plan, cp_plan, known))
    )
    with opened(ctx) as store:
        tracker.describe_child(store, ref, child, **described)
    typer.echo(f"{ref.strip().upper()}: child's characteristics recorded")
