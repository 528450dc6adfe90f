"""The meeting papers: what `export` puts in front of a chair.

Three views built from cases (each an incident with its clocks on the as-of date). Pure: no
database, no clock, no printing; a renderer (CSV or the workbook) lays them out.

- the meeting view: one row per case, at most 14 columns, in the order a chair reads them;
- the milestones view: one row per milestone, for people who pivot in a spreadsheet;
- the full view: every milestone of every case in one row (output/export.py's columns), which
  `import` loads back.

Each view is a list of `Field`s (heading, key, kind) and rows of plain values (text, int, date).
"""

from dataclasses import dataclass
from enum import StrEnum

from csprcli.domain.clock import Clock, Status
from csprcli.domain.labels import milestone_words
from csprcli.domain.stages import stage_words as stage  # one wording, shared with `show`
from csprcli.domain.model import Incident
from csprcli.output.export import export_columns, export_row

AMBER_WITHIN = 5  # working days: a milestone due within this many is amber


@dataclass(frozen=True)
class Field:
    key: str
    heading: str  # what a person reads at the top of the column
    kind: str = "text"  # text, date, int or rag


MEETING_FIELDS = (
    Field("ref", "Case"),
    Field("child", "Child"),
    Field("la", "Local authority"),
    Field("aware", "Aware", "date"),
    Field("stage", "Stage"),
    Field("next_milestone", "Next milestone"),
    Field("next_due", "Due", "date"),
    Field("status", "Status"),
    Field("rag", "RAG", "rag"),
    Field("force", "Force"),
    Field("actions_open", "Actions open", "int"),
    Field("actions_overdue", "Actions overdue", "int"),
    Field("last_check", "Last check RAG", "rag"),
)

MILESTONE_FIELDS = (
    Field("ref", "Case"),
    Field("milestone", "Milestone"),
    Field("title", "What"),
    Field("force", "Force"),
    Field("due", "Due", "date"),
    Field("done", "Done", "date"),
    Field("status", "Status"),
    Field("rag", "RAG", "rag"),
    Field("overdue", "Working days overdue", "int"),
    Field("left", "Working days left", "int"),
)


def status_words(clock: Clock | None) -> str:
    """ "overdue by 6 working days", "5 working days left", "due today"."""
    if clock is None:
        return "nothing due"
    days = clock.working_days
    plural = "" if days == 1 else "s"
    if clock.status is Status.OVERDUE:
        return f"overdue by {days} working day{plural}"
    if clock.status is Status.OPEN:
        return "due today" if days == 0 else f"{days} working day{plural} left"
    return clock.describe()


def rag(clock: Clock | None) -> str | None:
    """Red overdue, amber due within 5 working days, green otherwise; none when nothing is due."""
    if clock is None:
        return None
    if clock.status is Status.OVERDUE:
        return "red"
    if clock.status is Status.OPEN:
        return "amber" if clock.working_days is not None and clock.working_days <= AMBER_WITHIN else "green"
    return None


def meeting_row(incident: Incident, clocks: list[Clock], next_clock: Clock | None) -> dict:
    """One case as the chair reads it."""
    actions = [c for c in clocks if c.milestone.startswith("action-")]
    checks = sorted(incident.checks, key=lambda c: c.checked_on)
    return {
        "ref": incident.ref,
        "child": incident.child,
        "la": incident.la,
        "aware": incident.aware,
        "stage": stage(incident),
        "next_milestone": milestone_words(next_clock) if next_clock else None,
        "next_due": next_clock.due if next_clock else None,
        "status": status_words(next_clock),
        "rag": rag(next_clock),
        "force": str(next_clock.force) if next_clock else None,
        "actions_open": sum(c.status in (Status.OPEN, Status.OVERDUE) for c in actions),
        "actions_overdue": sum(c.status is Status.OVERDUE for c in actions),
        "last_check": str(checks[-1].rag) if checks else None,
    }


def milestone_rows(clocks: list[Clock]) -> list[dict]:
    """Each milestone that applies to the case, with working days overdue as one signed number
    (negative: still to come) and the days left in a column of their own."""
    rows = []
    for c in clocks:
        if c.status is Status.NOT_REQUIRED:
            continue
        overdue = left = None
        if c.status is Status.OVERDUE or c.status is Status.LATE:
            overdue = c.working_days
        elif c.status is Status.OPEN:
            left = c.counted()[0]
            overdue = -left
        rows.append(
            {
                "ref": c.ref,
                "milestone": c.milestone,
                "title": c.title,
                "force": str(c.force),
                "due": c.due,
                "done": c.done,
                "status": status_words(c) if c.status in (Status.OPEN, Status.OVERDUE) else c.describe(),
                "rag": rag(c),
                "overdue": overdue,
                "left": left,
            }
        )
    return rows


class View(StrEnum):
    MEETING = "meeting"
    FULL = "full"
    MILESTONES = "milestones"


SHEET_NAMES = {View.MEETING: "Cases", View.MILESTONES: "Milestones", View.FULL: "Cases (full)"}


def view_rows(view: View, found, counted: dict, *, include_notes: bool, everything: bool):
    """The fields of a view and its rows, built one case at a time as they are written; `counted`
    counts the cases and rows as they go."""
    if view == View.FULL:
        fields = [Field(c.key, c.key) for c in export_columns(include_notes)]
    else:
        fields = list(MEETING_FIELDS if view == View.MEETING else MILESTONE_FIELDS)

    def rows():
        for case in found:
            if case.closed and not everything and view != View.FULL:
                continue
            counted["cases"] += 1
            if view == View.FULL:
                made = [export_row(case)]
            elif view == View.MEETING:
                made = [meeting_row(case.incident, case.clocks, case.next_clock)]
            else:
                made = milestone_rows(case.clocks)
            counted["rows"] += len(made)
            yield from made

    return fields, rows()


def written(view: View, counted: dict) -> str:
    """ "1 case", "3 cases", "12 milestones of 3 cases"."""
    cases = f"{counted['cases']} case{'' if counted['cases'] == 1 else 's'}"
    if view != View.MILESTONES:
        return cases
    return f"{counted['rows']} milestone{'' if counted['rows'] == 1 else 's'} of {cases}"
