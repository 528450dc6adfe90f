"""`history`, `correct` and `undo`: the record kept trustworthy."""

import sys
from datetime import datetime
from itertools import islice
from typing import Annotated

import typer

from csprcli.cli import complete
from csprcli.cli.base import App
from csprcli.cli.common import AllOpt, FormatOpt, as_of, opened
from csprcli.domain.errors import BadInput
from csprcli.output import TABLE_ROW_LIMIT, Column, Format, note, render, say

app = App()


HISTORY_COLUMNS = [
    Column(key)
    for key in ("change", "at", "user", "command", "reason", "undoes", "ref", "what", "table", "op", "old", "new")
]


def _local(at: str) -> str:
    """A history timestamp (UTC) as the time in England, to the minute."""
    from zoneinfo import ZoneInfo

    instant = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return instant.astimezone(ZoneInfo("Europe/London")).strftime("%Y-%m-%d %H:%M")


@app.command("history")
def history(
    ctx: typer.Context,
    ref: Annotated[
        str | None, typer.Argument(help="Only this case (e.g. SI-2026-001).", autocompletion=complete.case_refs)
    ] = None,
    fmt: FormatOpt = Format.TABLE,
    show_all: AllOpt = False,
    include_notes: Annotated[
        bool, typer.Option("--include-notes", help="In CSV, keep the free text (summaries, reasons, notes).")
    ] = False,
) -> None:
    """Each change with the command that made it, and each value changed, old to new. A CSV leaves the free text out unless --include-notes is given, as 'export' does.

    Example: csprcli history SI-2025-001
    """
    from csprcli.output.history import describe_change
    from csprcli.output.history import without_notes

    def described(rows):
        for row in rows:
            if fmt == Format.CSV and not include_notes:
                row = without_notes(row)
            row["what"] = describe_change(row)
            yield row

    with opened(ctx) as store:
        rows = described(store.history(store.known_ref(ref) if ref else None))
        if fmt != Format.TABLE:
            render(rows, HISTORY_COLUMNS, fmt)
            return
        shown = list(rows) if show_all else list(islice(rows, TABLE_ROW_LIMIT))
        more = sum(1 for _ in rows)
    if not shown:
        say("no changes recorded")
    change = None
    for row in shown:
        if row["change"] != change:
            change = row["change"]
            say(f"{_local(row['at'])}  {row['user']}  {row['command']}  (change {change})")
            if row["reason"]:
                say(f"    why: {row['reason']}")
        say("    " + " ".join(part for part in (row["ref"], row["what"]) if part))
    if more:
        note(f"showing {len(shown)} of {len(shown) + more} rows; --all shows every row, --format csv exports them")


@app.command("correct")
def correct(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The case reference.", autocompletion=complete.case_refs)],
    field: Annotated[
        str, typer.Argument(help="What to correct, e.g. notified, aware, la, outcome (every field is listed above).")
    ],
    value: Annotated[str, typer.Argument(help="The right value; 'none' empties an optional one.")],
    reason: Annotated[str, typer.Option(help="Why the recorded value was wrong.")],
) -> None:
    """The earlier value stays in the history.

    Fields: child, la, home-la, incident-date, aware, nature, abuse, looked-after, summary, notified, sin-ref, partners-informed, rr-started, decided, outcome, reason, rr-sent, panel-response, panel-response-on, panel-notes, reviewer, reviewer-appointed, tor-agreed, planned-publication, report-sent, published, publication-type, publication-rationale.

    A child death's reference (WS1234) corrects the death instead, as 'csprcli death correct' does: died, age, expected, jar-needed, resident, abuse, notified, jar, information, meeting, reviewed, category, modifiable.

    Example: csprcli correct SI-2025-001 notified 22/12/2025 --reason "Submitted a day earlier than typed"
    """
    from csprcli.services import records
    from csprcli.domain.model import DEATH_REF

    if DEATH_REF.fullmatch(ref.strip().upper()):
        from csprcli.services import deaths

        with opened(ctx, write=True) as store:
            death, was, now = deaths.correct_death(store, ref, field, value, reason=reason, as_of=as_of(ctx))
        say(f"{death.ref}: {field} corrected to {now} (was {was})")
        return
    with opened(ctx, write=True) as store:
        incident, old, new = records.correct(store, ref, field, value, reason=reason, as_of=as_of(ctx))

    from csprcli.domain.dates import as_said

    say(f"{incident.ref}: {field} corrected to {as_said(new)} (was {as_said(old)})")
    if field == "looked-after":
        primary = next((c for c in incident.children if c.primary), None)
        others = [c.reference for c in incident.children if not c.primary]
        which = f"the primary child, {primary.reference}" if primary else "the incident"
        rest = (
            f"; the other children ({', '.join(others)}) keep their own record ('csprcli child describe')"
            if others
            else ""
        )
        say((f"{incident.ref}: looked after at the time is now {as_said(new)} for {which}{rest}"))
    if field in ("la", "home-la") and isinstance(new, str):  # a local authority, as typed
        from csprcli.cli.incident import warn_unknown_authorities

        warn_unknown_authorities({field: new})


@app.command("undo")
def undo(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask: for scripts.")] = False,
) -> None:
    """The undo is itself kept in the history. Run it again to revert the change before that.

    Example: csprcli undo
    """
    from csprcli.output.history import describe_change
    from csprcli.services import records

    if not (yes or interactive()):
        raise BadInput("undo asks before it reverts; give --yes to undo without asking")
    with opened(ctx, write=True) as store:
        found = records.undo_preview(store)
        if found is None:
            raise BadInput("there is no change to undo")
        change = found.change
        note(f"change {change['id']} by {change['user']} at {_local(change['at'])}: {change['command']}")
        if len(found.rows) < found.total:  # a large change: what it touched, table by table, then its first rows
            for (table, op), count in found.counts.items():
                note(f"  {table}: {count:,} {'row' if count == 1 else 'rows'} {UNDONE[op]}")
            note(f"  the first {len(found.rows)} of its {found.total:,} rows:")
        for row in found.rows:
            note(f"  {row['ref'] or ''} {describe_change(row)}".rstrip())
        if len(found.rows) < found.total:
            note(f"  ... and {found.total - len(found.rows):,} more ('csprcli history --format csv' lists every one)")
        if not yes:
            if not typer.confirm("Revert this change?", default=False, err=True):
                raise BadInput("nothing was undone")
        records.undo(store, change["id"])
    say(f"change {change['id']} undone by {store.who()}")


UNDONE = {"insert": "added (to be removed)", "update": "changed (to be put back)", "delete": "removed (to be put back)"}


def interactive() -> bool:
    """Whether someone is at the keyboard to answer a question."""
    return sys.stdin.isatty()
