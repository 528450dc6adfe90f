"""`today`: the officer's morning on one screen."""

import os
from dataclasses import asdict
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csprcli.cli.base import App
from csprcli.cli.common import as_of, choice, opened, options
from csprcli.output.clocks import clock_row
from csprcli.domain.dates import human_date
from csprcli.domain.errors import EXIT_OVERDUE, EXIT_STATUSES
from csprcli.output import Column, Format, render, say

app = App()


class TodayFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


# The command that records each next step, with the case reference filled in and the rest to type.
STEPS = {
    "notification": "csprcli incident notify {ref} --on DATE --sin-ref REF",
    "partners-informed": "csprcli incident inform {ref} --on DATE",
    "rr-start": "csprcli review start {ref} --on DATE",
    "rr-decision": "csprcli review decide {ref} --outcome OUTCOME --on DATE --reason TEXT",
    "rr-sent": "csprcli review submit {ref} --on DATE",
    "panel-response": "csprcli review response {ref} --response RESPONSE --on DATE",
    "progress-check": "csprcli lcspr check {ref} --on DATE --rag RAG",
    "report-sent": "csprcli lcspr send {ref} --on DATE",
    "publication": "csprcli lcspr publish {ref} --on DATE --type TYPE --rationale TEXT",
    "cdop-notification": "csprcli death stage {ref} notified --on DATE",
}


def command_for(ref: str, step: str) -> str:
    if step.startswith("action-"):
        return f"csprcli action done {ref} {step.removeprefix('action-')} --on DATE --evidence TEXT"
    return STEPS[step].format(ref=ref)


DUE_COLUMNS = [
    Column("ref", "Case"),
    Column("title", "Milestone", wrap=True),
    Column("force", "Force", wrap=True),
    Column("due", "Due"),
    Column("status", "Where it stands", wrap=True),
]
WAITING_COLUMNS = [
    Column("ref", "Case"),
    Column("kind", "Kind"),
    Column("since", "Since"),
    Column("reason", "Why", wrap=True),
]


@app.command("today", epilog=EXIT_STATUSES)
def today(
    ctx: typer.Context,
    fmt: Annotated[
        TodayFormat,
        typer.Option("--format", "-f", help="table for people; json for scripts.", **choice(TodayFormat, "a format")),
    ] = TodayFormat.TABLE,
    log: Annotated[
        str | None,
        typer.Option(
            "--log",
            help="The nightly check's log (or CSPRCLI_NIGHTLY_LOG). Default: nightly-check.log beside the database "
            "file (a register on a server has no folder: name its log).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Each block is a list: what is overdue (most overdue first, with the force of its time limit), what falls due this week and next (Monday to Sunday), the next step to record on each open case with the command that records it, the child deaths not yet notified and the reviews waiting, and when the nightly check last ran and what it found. Exit status 1 if anything is overdue, as `overdue`.

    Example: csprcli today    ·    csprcli today --format json
    """
    from csprcli.services import morning

    with opened(ctx) as store:
        found = morning.morning(store, as_of(ctx))
    from csprcli.store.database import beside

    named = log or os.environ.get("CSPRCLI_NIGHTLY_LOG")
    path = Path(named) if named else beside(options(ctx).db, morning.LOG_NAME)
    check = morning.last_nightly_check(path) if path else None
    if fmt == TodayFormat.JSON:
        render([_as_json(found, check, path)], [], Format.JSON)
    else:
        _for_people(found, check, path)
    if found.anything_overdue:
        raise typer.Exit(EXIT_OVERDUE)


def _for_people(found, check, path: Path | None) -> None:
    day = found.as_of
    say(f"Today: {human_date(day)}")
    blocks = [
        (f"Overdue ({len(found.overdue)})", found.overdue, "nothing overdue"),
        (f"Due this week, to {human_date(found.week_end)}", found.this_week, "nothing else due this week"),
        (
            f"Due next week, to {human_date(found.week_end + timedelta(days=7))}",
            found.next_week,
            "nothing due next week",
        ),
    ]
    for title, clocks, empty in blocks:
        say("")
        say(title)
        render([clock_row(c, human=True) for c in clocks], DUE_COLUMNS, Format.TABLE, empty=f"  {empty}", show_all=True)
    say("")
    say("Next step on each open case")
    say("")
    for step in found.next_steps:  # each command on a line of its own, whole, to copy
        due = f"due {human_date(step.clock.due)}" if step.clock.due else "no due date yet"
        say(f"{step.clock.ref}  {step.clock.title}, {due}")
        say(f"  {command_for(step.clock.ref, step.step)}")
    if not found.next_steps:
        say("  no open cases")
    say("")
    say("Child deaths not yet notified")
    rows = [clock_row(c, human=True) for c in found.deaths_not_notified]
    render(rows, DUE_COLUMNS, Format.TABLE, empty="  none", show_all=True)
    say("")
    say("Reviews waiting")
    render([asdict(w) for w in found.waiting], WAITING_COLUMNS, Format.TABLE, empty="  none", show_all=True)
    say("")
    say(_nightly_words(check, path))


def _nightly_words(check, path: Path | None) -> str:
    if path is None:
        return (
            "Nightly check: a register on a server has no folder to find its log in; give --log "
            "(or CSPRCLI_NIGHTLY_LOG) the file the nightly check writes to"
        )
    if check is None:
        return f"Nightly check: no run recorded in {path} (see the README, 'The nightly check')"
    when = f"{human_date(check.at.date())} at {check.at:%H:%M}"
    if check.outcome == "failed":
        return f"Nightly check: last ran {when} and FAILED: {check.detail}"
    if check.outcome == "overdue":
        count = f" ({check.overdue} milestone{'' if check.overdue == 1 else 's'})" if check.overdue is not None else ""
        return f"Nightly check: last ran {when} and found something overdue{count}"
    return f"Nightly check: last ran {when} and found nothing overdue"


def _as_json(found, check, path: Path | None) -> dict:
    def rows(clocks):
        return [clock_row(c) for c in clocks]

    return {
        "as_of": found.as_of,
        "week_end": found.week_end,
        "overdue": rows(found.overdue),
        "this_week": rows(found.this_week),
        "next_week": rows(found.next_week),
        "next_steps": [
            clock_row(s.clock) | {"step": s.step, "command": command_for(s.clock.ref, s.step)} for s in found.next_steps
        ],
        "deaths_not_notified": rows(found.deaths_not_notified),
        "reviews_waiting": [asdict(w) for w in found.waiting],
        "nightly_check": None
        if check is None
        else {
            "at": check.at.isoformat(timespec="minutes"),
            "outcome": check.outcome,
            "overdue": check.overdue,
            "log": str(path),
        },
    }
