"""The command line: parse options, call one function in `tracker`, hand rows to `output`.

Errors are turned into one line on stderr and an exit status in one place,
`CsprGroup`. No SQL and no date arithmetic here.
"""

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

# Typer ships its own copy of Click; its exceptions are only reachable here. They are
# caught, never raised, so that a usage error is one line like every other error.
from typer._click.exceptions import ClickException, NoArgsIsHelpError

from csprcli import __version__, tracker
from csprcli.dates import ACCEPTED_FORMS, human_date, london_date, parse_date, parse_past_date
from csprcli.errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_INTERNAL, EXIT_OVERDUE, BadInput, CsprError
from csprcli.model import (
    Abuse,
    ActionStatus,
    AgeBand,
    Child,
    Clock,
    Ethnicity,
    Force,
    Nature,
    Outcome,
    PanelResponse,
    Status,
    ProtectionPlan,
    PublicationType,
    Rag,
    Sex,
)
from csprcli.output import Column, Format, note, print_fields, render, write_csv, write_file_atomically
from csprcli.rules import ACTION_SOURCE, RULES, SETTINGS, TRIGGERS, rules_for
from csprcli.store import Store, default_path, describe_sqlite_error, open_store

EXIT_STATUSES = (
    "Exit statuses: 0 success; 1 'overdue' found something overdue; 2 bad input (nothing was "
    "written); 3 a database or environment problem (nothing was written); 4 an internal error; "
    "130 interrupted."
)


def fail(message: str, code: int) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


class CsprGroup(TyperGroup):
    """The one place where errors become a message and an exit status."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except CsprError as error:
            fail(str(error), error.exit_code)
        except sqlite3.Error as error:
            path = ctx.obj.db if isinstance(ctx.obj, Settings) else "the database"
            fail(describe_sqlite_error(error, path), EXIT_ENVIRONMENT)
        except (typer.Exit, typer.Abort, ClickException, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as error:
            if os.environ.get("CSPRCLI_DEBUG"):
                raise
            # No message text or locals: they could hold personal data.
            fail(
                f"internal error ({type(error).__name__}); nothing more was written. "
                "Run again with CSPRCLI_DEBUG=1 for details and report it",
                EXIT_INTERNAL,
            )

    def main(self, args=None, prog_name=None, standalone_mode: bool = True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except NoArgsIsHelpError as error:
            # Typer's rich help prints itself while the error is made; plain help does not.
            if message := error.format_message():
                typer.echo(message)
            sys.exit(0)
        except ClickException as error:
            where = getattr(error, "ctx", None)
            hint = f" (see '{where.command_path} --help')" if where is not None else ""
            typer.echo(f"error: {error.format_message()}{hint}", err=True)
            sys.exit(EXIT_BAD_INPUT if error.exit_code == 2 else error.exit_code)
        except typer.Abort:
            typer.echo("error: interrupted", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    cls=CsprGroup,
    name="csprcli",
    help="Keep a safeguarding partnership's record of serious child safeguarding incidents "
    "and every statutory clock they start.\n\n"
    "Example: csprcli incident add --child LCS-104233 --la Walsall --aware 17/12/2025 "
    "--nature serious-harm --abuse suspected",
    epilog=EXIT_STATUSES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
incident_app = typer.Typer(help="Record serious incidents and their notification.", no_args_is_help=True)
review_app = typer.Typer(help="Record the rapid review: start, decision, sending to the Panel.", no_args_is_help=True)
lcspr_app = typer.Typer(
    help="Run a local child safeguarding practice review: reviewer, terms of reference, progress checks, "
    "pauses, the final report and publication.",
    no_args_is_help=True,
)
action_app = typer.Typer(help="Actions from a review's recommendations.", no_args_is_help=True)
child_app = typer.Typer(help="The children of an incident (up to four) and what DfE counts about them.", no_args_is_help=True)
rules_app = typer.Typer(help="The deadline rules, and the settings a partnership can change.")
workdays_app = typer.Typer(help="Working-day arithmetic, as the deadlines use it.", no_args_is_help=True)
calendar_app = typer.Typer(help="The partnership's own closure days.", no_args_is_help=True)
app.add_typer(incident_app, name="incident")
app.add_typer(review_app, name="review")
app.add_typer(lcspr_app, name="lcspr")
app.add_typer(action_app, name="action")
app.add_typer(child_app, name="child")
app.add_typer(rules_app, name="rules")
app.add_typer(workdays_app, name="workdays")
app.add_typer(calendar_app, name="calendar")


# -- global options -----------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    db: Path
    as_of: date


def london_today() -> date:
    """The one place csprcli reads the clock."""
    from datetime import datetime, timezone

    return london_date(datetime.now(timezone.utc))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csprcli {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="CSPRCLI_DB",
            help="The database file. Default: csprcli.db in your application folder.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            envvar="CSPRCLI_AS_OF",
            help="Run as of this date instead of today (in Europe/London).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and stop.")
    ] = False,
) -> None:
    today = london_today()
    ctx.obj = Settings(
        db=db if db is not None else default_path(),
        as_of=parse_date(as_of, today=today, what="--as-of") if as_of else today,
    )


@contextmanager
def opened(ctx: typer.Context, *, create: bool = False) -> Iterator[Store]:
    """The database. Only commands that record something new create it: for any other
    command a missing file is an error, so a mistyped path is never taken for an empty record."""
    store = open_store(ctx.obj.db, create=create)
    try:
        yield store
    finally:
        store.close()


def past(ctx: typer.Context, text: str, what: str) -> date:
    """A date that has happened, typed by the user."""
    return parse_past_date(text, today=ctx.obj.as_of, what=what)


# -- shared option types -------------------------------------------------------

DATE_HELP = f"Accepts {ACCEPTED_FORMS}; day first."
RefArg = Annotated[str, typer.Argument(help="The case reference, e.g. SI-2026-001.", show_default=False)]
OnOpt = Annotated[str, typer.Option("--on", help=f"The date it happened. {DATE_HELP}", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table for people; csv or json for scripts.")]
AllOpt = Annotated[bool, typer.Option("--all", help=f"Show every row in a table (it stops at 200).")]

SHOW_COLUMNS = [
    Column("ref"),
    Column("milestone", "Milestone"),
    Column("title"),
    Column("force", "Force"),
    Column("trigger"),
    Column("due", "Due"),
    Column("done", "Done"),
    Column("status", "Status", wrap=True),
    Column("working_days"),
    Column("original_due", "Original"),
    Column("original_status"),
    Column("original_working_days"),
]
def due_columns(days: str) -> list[Column]:
    """Columns of the overdue and upcoming lists; `days` heads the working-days column of the table."""
    return [
        Column("ref", "Case"),
        Column("milestone", "Milestone"),
        Column("title"),
        Column("force", "Force"),
        Column("trigger"),
        Column("due", "Due"),
        Column("status"),
        Column("working_days", days, wrap=True),
        Column("original_due"),
    ]


def clock_row(clock: Clock, *, human: bool = False) -> dict:
    return {
        "ref": clock.ref,
        "milestone": clock.milestone,
        "title": clock.title,
        "force": clock.force,
        "trigger": clock.trigger,
        "due": clock.due,
        "done": clock.done,
        "status": clock.describe() if human else clock.status,
        "working_days": clock.working_days,
        "original_due": clock.original_due,
        "original_status": clock.original_status,
        "original_working_days": clock.original_working_days,
    }


def report_next(case: tracker.Case) -> None:
    """After a write: the clock that now matters most, so the officer sees what is next."""
    nxt = case.next_clock
    if nxt is None:
        note(f"{case.incident.ref}: no open clocks")
    else:
        note(f"next: {nxt.title}, due {human_date(nxt.due)} ({nxt.describe()})")


def write_then_read(ctx: typer.Context, action, *, create: bool = False) -> tracker.Case:
    """Run one write, then read the changed case back on the same connection."""
    with opened(ctx, create=create) as store:
        incident = action(store)
        return tracker.case(store, tracker.rulebook(store), incident.ref, ctx.obj.as_of)


def say_done(case: tracker.Case, milestone: str, words: str) -> None:
    clock = find_clock(case, milestone)
    typer.echo(f"{case.incident.ref}: {words} {done_words(clock)}")
    report_next(case)


def done_words(clock: Clock) -> str:
    return f"{human_date(clock.done)} ({clock.describe()}; due {human_date(clock.due)})" if clock.due else f"{human_date(clock.done)}"


def find_clock(case: tracker.Case, milestone: str) -> Clock:
    return next(c for c in case.clocks if c.milestone == milestone)


# -- incidents -----------------------------------------------------------------


@incident_app.command("add")
def incident_add(
    ctx: typer.Context,
    child: Annotated[
        str,
        typer.Option(help="The partnership's pseudonymous child reference (e.g. LCS-104233 or 'Child A'). Never a name."),
    ],
    la: Annotated[str, typer.Option("--la", help="The local authority where the incident happened.")],
    aware: Annotated[str, typer.Option(help=f"The date the local authority became aware. {DATE_HELP}")],
    nature: Annotated[Nature, typer.Option(help="What happened to the child.")],
    abuse: Annotated[
        Abuse, typer.Option(help="Abuse or neglect: known, suspected, or none (only for a looked-after child's death).")
    ],
    looked_after: Annotated[bool, typer.Option("--looked-after", help="The child was looked after.")] = False,
    incident_date: Annotated[str | None, typer.Option(help=f"When the incident happened, if known. {DATE_HELP}")] = None,
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
    typer.echo(f"{case.incident.ref}: recorded; notification to the Panel due {human_date(notification.due)} ({notification.describe()})")


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
        typer.echo(f"{case.incident.ref}: criteria not met, recorded {human_date(on_day)}; the rapid-review clocks are closed")
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
    case = write_then_read(ctx, lambda store: tracker.panel_response(store, ref, response=response, on=on_day, notes=notes))
    say_done(case, "panel-response", f"Panel's response ({response}) recorded")


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
    typer.echo(f"{case.incident.ref}: progress check ({rag}) recorded {human_date(on_day)}; next due {human_date(nxt.due)}")


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
        lambda store: tracker.plan_publication(store, ref, on=planned, today=ctx.obj.as_of, reason=reason, agreed_by=agreed_by),
    )
    sent = find_clock(case, "report-sent")
    typer.echo(f"{case.incident.ref}: publication planned for {human_date(planned)}; final report due by {human_date(sent.due)}")


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
    """The review was published (or the decision not to publish was taken).

    Example: csprcli lcspr publish SI-2025-001 --on 13/07/2026 --type full --rationale "No risk to siblings"
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.publish(store, ref, on=on_day, kind=kind, rationale=rationale))
    say_done(case, "publication", f"published ({kind})")
    typer.echo(f"{case.incident.ref}: keep it available until at least {human_date(case.incident.removal_earliest)}")


@lcspr_app.command("pause")
def lcspr_pause(ctx: typer.Context, ref: RefArg, on: OnOpt, reason: Annotated[str, typer.Option(help="Why, e.g. 'criminal trial'.")], agreed_by: AgreedByOpt) -> None:
    """Pause the review (a criminal trial, an inquest, family proceedings). Its clocks stop until it resumes.

    Example: csprcli lcspr pause SI-2025-001 --on 01/04/2026 --reason "Criminal trial" --agreed-by "Partnership chair"
    """
    on_day = past(ctx, on, "--on")
    case = write_then_read(ctx, lambda store: tracker.pause_review(store, ref, on=on_day, reason=reason, agreed_by=agreed_by))
    typer.echo(f"{case.incident.ref}: review paused from {human_date(on_day)}")


@lcspr_app.command("resume")
def lcspr_resume(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
    """Resume a paused review; the publication target moves on by the days paused (the original is kept).

    Example: csprcli lcspr resume SI-2025-001 --on 15/06/2026
    """
    on_day = past(ctx, on, "--on")
    with opened(ctx) as store:
        book = tracker.rulebook(store)
        incident = tracker.resume_review(store, book, ref, on=on_day)
        case = tracker.case(store, book, incident.ref, ctx.obj.as_of)
    publication = find_clock(case, "publication")
    typer.echo(
        f"{case.incident.ref}: review resumed {human_date(on_day)}; publication target revised to "
        f"{human_date(publication.due)} (original {human_date(publication.original_due)})"
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
        lambda store: tracker.revise_target(store, ref, milestone=milestone, to=target, reason=reason, agreed_by=agreed_by, today=ctx.obj.as_of),
    )
    clock = find_clock(case, milestone)
    typer.echo(f"{case.incident.ref}: {milestone} target revised to {human_date(clock.due)} (original {human_date(clock.original_due)})")


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
    typer.echo(f"{ref.strip().upper()}: action {action.number} ({action.agency}) recorded, due {human_date(action.target)}")


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
LookedAfterOpt = Annotated[bool | None, typer.Option("--looked-after/--not-looked-after", help="Looked after at the time.")]
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
    described = dict(zip(tracker.CHARACTERISTICS, (age_band, sex, ethnicity, disability, looked_after, cin_plan, cp_plan, known)))
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
    described = dict(zip(tracker.CHARACTERISTICS, (age_band, sex, ethnicity, disability, looked_after, cin_plan, cp_plan, known)))
    with opened(ctx) as store:
        tracker.describe_child(store, ref, child, **described)
    typer.echo(f"{ref.strip().upper()}: child's characteristics recorded")


# -- the rules ---------------------------------------------------------------------------------

RULE_COLUMNS = [Column(key) for key in ("milestone", "title", "count", "unit", "trigger", "applies_to", "force", "setting", "source")]


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
        {"milestone": "action-N", "title": "An action from a review's recommendations", "count": 0, "unit": "days",
         "trigger": "its target date", "applies_to": "each recorded action", "force": Force.LOCAL_TARGET,
         "setting": None, "source": ACTION_SOURCE}
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
    """How a due date was reached: the rule and its source, the trigger, the count, each day skipped,
    and any pause or revision.

    Example: csprcli explain SI-2025-001 rr-decision
    """
    with opened(ctx) as store:
        lines = tracker.explain(store, tracker.rulebook(store), ref, milestone, ctx.obj.as_of)
    typer.echo("\n".join(lines))


# -- reading ----------------------------------------------------------------------


@app.command("show")
def show(ctx: typer.Context, ref: RefArg, fmt: FormatOpt = Format.TABLE) -> None:
    """A case and each of its milestones: due, done, and where it stands.

    Example: csprcli show SI-2025-001
    """
    with opened(ctx) as store:
        case = tracker.case(store, tracker.rulebook(store), ref, ctx.obj.as_of)
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
    ]
    if i.has_lcspr:
        fields += [
            ("Reviewer", f"{i.reviewer} (appointed {human_date(i.reviewer_appointed)})" if i.reviewer else None),
            ("Terms of reference", i.tor_agreed),
            ("Planned publication", i.planned_publication),
            ("Published", f"{human_date(i.published)}, {i.publication_type}: {i.publication_rationale}" if i.published else None),
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
        events = [{"date": p.start, "what": f"paused until {human_date(p.end) if p.end else 'now'}", "why": p.reason, "agreed_by": p.agreed_by} for p in i.pauses]
        events += [{"date": r.recorded_on, "what": f"{r.milestone} revised to {human_date(r.due)}", "why": r.reason, "agreed_by": r.agreed_by} for r in i.revisions]
        render(sorted(events, key=lambda e: e["date"]), EVENT_COLUMNS, fmt, title="Pauses and revisions")
    if i.actions:
        render([asdict(a) for a in i.actions], ACTION_COLUMNS, fmt, title="Actions")


CHILD_COLUMNS = [Column(k, k.replace("_", " ").capitalize()) for k in ("reference", "primary", *tracker.CHARACTERISTICS)]
CHECK_COLUMNS = [Column("checked_on", "Date"), Column("rag", "RAG"), Column("note", "Note", wrap=True)]
EVENT_COLUMNS = [Column("date", "Recorded"), Column("what", "What", wrap=True), Column("why", "Why", wrap=True), Column("agreed_by", "Agreed by", wrap=True)]
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
    with opened(ctx) as store:
        found = tracker.cases(store, tracker.rulebook(store), ctx.obj.as_of)
    if open_only or closed_only:
        found = [c for c in found if c.closed == closed_only]
    rows = []
    for case in found:
        row = case_details(case)
        if fmt == Format.TABLE:
            row["next_status"] = case.next_clock.describe() if case.next_clock else "closed"
        rows.append(row)
    render(rows, LIST_COLUMNS, fmt, empty="no cases", show_all=show_all)


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
        found = tracker.overdue(tracker.cases(store, tracker.rulebook(store), ctx.obj.as_of), against_original=original)
    if not quiet:
        rows = [clock_row(c) for c in found]
        render(rows, due_columns("Working days overdue"), fmt, empty=f"nothing overdue on {human_date(ctx.obj.as_of)}", show_all=show_all)
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
        found = tracker.upcoming(tracker.cases(store, book, ctx.obj.as_of), book.calendar, ctx.obj.as_of, within)
    rows = [clock_row(c) for c in found]
    render(rows, due_columns("Working days left"), fmt, empty=f"nothing due in the next {within} working days", show_all=show_all)


EXPORT_CASE_FIELDS = ("panel_response", "reviewer", "planned_publication", "publication_type", "removal_earliest", "children")
CLOCK_PARTS = ("due", "original_due", "done", "status", "working_days")
ACTION_COUNTS = ("actions_open", "actions_overdue", "actions_done", "actions_dropped")


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
) -> None:
    """CSV for meetings: one row per case, every milestone's due and done dates.

    Opens in Excel and LibreOffice: UTF-8 with a byte-order mark in a file, ISO dates,
    and no cell can run as a formula.

    Example: csprcli export --output cases.csv
    """
    with opened(ctx) as store:
        found = tracker.cases(store, tracker.rulebook(store), ctx.obj.as_of)
    rows = []
    for case in found:
        i = case.incident
        row = case_details(case) | {key: getattr(i, key) for key in EXPORT_CASE_FIELDS if key != "children"}
        row |= {"children": len(i.children), "summary": i.summary, "reason": i.reason}
        actions = [c for c in case.clocks if c.milestone.startswith("action-")]
        for c in case.clocks:
            row |= {f"{c.milestone}_{part}": getattr(c, part) for part in CLOCK_PARTS}
        row |= {
            "actions_open": sum(c.status in (Status.OPEN, Status.OVERDUE) for c in actions),
            "actions_overdue": sum(c.status == Status.OVERDUE for c in actions),
            "actions_done": sum(c.status in (Status.DONE, Status.LATE) for c in actions),
            "actions_dropped": sum(c.status == Status.NOT_REQUIRED for c in actions),
        }
        rows.append(row)
    columns = export_columns(include_notes)
    if output is None:
        write_csv(rows, columns, sys.stdout)
        return
    try:
        write_file_atomically(output, lambda out: write_csv(rows, columns, out))
    except OSError as error:
        raise BadInput(f"cannot write {output}: {error.strerror}") from None
    note(f"wrote {len(rows)} cases to {output}")


# -- working days and closures ------------------------------------------------


def calendar_if_any(ctx: typer.Context) -> "tracker.WorkingCalendar":
    """The calendar with the recorded closures, or bank holidays alone if there is no database yet."""
    if not Path(ctx.obj.db).exists():
        return tracker.calendar_for(None)
    with opened(ctx) as store:
        return tracker.calendar_for(store)


@workdays_app.command("add", context_settings={"ignore_unknown_options": True})
def workdays_add(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(help=f"The date to count from (not counted itself). {DATE_HELP}")],
    n: Annotated[int, typer.Argument(min=-2600, max=2600, help="How many working days; negative counts back.")],
) -> None:
    """The date N working days after DATE: the spreadsheet's WORKDAY(DATE, N).

    Example: csprcli workdays add 19/12/2025 5    (prints 2025-12-30)
    """
    typer.echo(calendar_if_any(ctx).add(parse_date(start, today=ctx.obj.as_of), n).isoformat())


@workdays_app.command("between")
def workdays_between(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help=f"The first date (not counted). {DATE_HELP}")],
    b: Annotated[str, typer.Argument(help="The second date (counted).")],
) -> None:
    """How many working days come after A up to and including B (negative if B is before A).

    Example: csprcli workdays between 19/12/2025 30/12/2025    (prints 5)
    """
    today = ctx.obj.as_of
    typer.echo(str(calendar_if_any(ctx).between(parse_date(a, today=today), parse_date(b, today=today))))


@app.command("holidays")
def holidays(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(min=1970, max=2099, help="The year; default: the as-of year.")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """The weekdays that are not working days: bank holidays by name and the partnership's closures.

    Example: csprcli holidays --year 2026
    """
    year = year or ctx.obj.as_of.year
    calendar = calendar_if_any(ctx)
    rows = [{"date": d, "day": f"{d:%A}", "kind": "bank holiday", "name": n} for d, n in calendar.bank_holidays(year).items()]
    rows += [{"date": d, "day": f"{d:%A}", "kind": "closure", "name": r} for d, r in calendar.closures(year).items()]
    rows.sort(key=lambda r: r["date"])
    columns = [Column("date", "Date"), Column("day", "Day"), Column("kind", "Kind"), Column("name", "Name", wrap=True)]
    render(rows, columns, fmt, title=f"Non-working weekdays in {year}")


@calendar_app.command("close")
def calendar_close(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(help=f"The day the partnership is closed. {DATE_HELP}")],
    reason: Annotated[str, typer.Option(help="Why, e.g. 'Christmas closure'.")],
) -> None:
    """Record a closure day: every deadline crossing it moves on a working day.

    Example: csprcli calendar close 29/12/2026 --reason "Christmas closure"
    """
    closed = parse_date(day, today=ctx.obj.as_of, what="DATE")
    with opened(ctx, create=True) as store:
        tracker.close_day(store, tracker.calendar_for(store), closed, reason)
    typer.echo(f"{human_date(closed)} recorded as a closure day; deadlines crossing it have moved")


@calendar_app.command("reopen")
def calendar_reopen(ctx: typer.Context, day: Annotated[str, typer.Argument(help=f"A recorded closure day. {DATE_HELP}")]) -> None:
    """Remove a closure day recorded by mistake.

    Example: csprcli calendar reopen 29/12/2026
    """
    opened_day = parse_date(day, today=ctx.obj.as_of, what="DATE")
    with opened(ctx) as store:
        tracker.reopen_day(store, opened_day)
    typer.echo(f"{human_date(opened_day)} is a working day again")


def main() -> None:
    app()
