"""Clocks as rows: the milestones table of `show`, the `overdue` and `upcoming` lists and the
morning's (`today`) lists, in every format."""

from csprcli.domain.clock import Clock
from csprcli.output import Column

SHOW_COLUMNS = [
    Column("ref"),
    Column("milestone", "Milestone"),
    Column("title"),
    Column("force", "Force", wrap=True),
    Column("trigger"),
    Column("due", "Due"),
    Column("done", "Done"),
    Column("status", "Status", wrap=True),
    Column("working_days"),
    Column("original_due", "Original"),
    Column("original_status"),
    Column("original_working_days"),
]


def due_columns(days: str, clocks: list[Clock] | None = None) -> list[Column]:
    """Columns of the overdue and upcoming lists; `days` heads the working-days column of the table.

    The table shows each row's kind only when child deaths are among `clocks` (it is always in
    CSV and JSON): a narrow terminal has no room for a column that would say "incident" on every row.
    """
    deaths = clocks is None or any(not c.ref.startswith("SI-") for c in clocks)
    return [
        Column("ref", "Case"),
        Column("milestone", "Milestone"),
        Column("title"),
        Column("force", "Force", wrap=True),  # a due date with its weekday: 80 columns need the room
        Column("trigger"),
        Column("due", "Due"),
        Column("status"),
        Column("working_days", f"{days} (a child death: days)" if deaths else days, wrap=True),
        Column("original_due"),
        Column("kind", "Kind" if deaths else ""),  # last, so the columns before it keep their places
    ]


def clock_row(clock: Clock, *, human: bool = False) -> dict:
    return {
        "kind": "incident" if clock.ref.startswith("SI-") else "death",
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
        "unit": clock.unit,  # what working_days counts: "day" for a child death's target, set in calendar days
    }
