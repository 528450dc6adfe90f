"""Cases as rows: the details `list` and `show` print, and the rows of the meeting export."""

from typing import TYPE_CHECKING

from csprcli.domain.lifecycle import removal_earliest
from csprcli.domain.stages import outcome_in_force
from csprcli.domain.clock import Status
from csprcli.domain.vocabulary import Abuse
from csprcli.output import Column
from csprcli.services.records import CHARACTERISTICS
from csprcli.domain.rules import RULES

if TYPE_CHECKING:
    from csprcli.services.cases import Case


def case_details(case: "Case") -> dict:
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
        "outcome": outcome_in_force(i),  # a reconsidered decision replaces the first
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


EXPORT_CASE_FIELDS = (
    "panel_response",
    "reviewer",
    "planned_publication",
    "publication_type",
    "removal_earliest",
    "children",
    "pauses",
)
CLOCK_PARTS = ("due", "original_due", "done", "status", "working_days")
ACTION_COUNTS = ("actions_open", "actions_overdue", "actions_done", "actions_dropped")
ACTION_COUNT_OF = {
    Status.OPEN: "actions_open",
    Status.OVERDUE: "actions_overdue",
    Status.DONE: "actions_done",
    Status.LATE: "actions_done",
    Status.NOT_REQUIRED: "actions_dropped",
}


def export_columns(include_notes: bool) -> list[Column]:
    columns = [c for c in LIST_COLUMNS if not c.key.startswith("next_")]
    columns += [Column(key) for key in EXPORT_CASE_FIELDS]
    for rule in RULES:
        columns += [Column(f"{rule.milestone}_{part}") for part in CLOCK_PARTS]
    columns += [Column(key) for key in ACTION_COUNTS]
    if include_notes:
        columns += [Column("summary"), Column("reason")]
    return columns


def export_row(case: "Case") -> dict:
    """One case as a row of the meeting export."""
    i = case.incident
    row = case_details(case)
    for key in EXPORT_CASE_FIELDS:
        if key in ("children", "pauses"):
            row[key] = len(getattr(i, key))  # how many: the records themselves are in a full export
        else:
            row[key] = removal_earliest(i) if key == "removal_earliest" else getattr(i, key)
    row["summary"], row["reason"] = i.summary, i.reason
    counts = dict.fromkeys(ACTION_COUNTS, 0)
    for c in case.clocks:
        m = c.milestone
        row[f"{m}_due"], row[f"{m}_original_due"], row[f"{m}_done"] = c.due, c.original_due, c.done
        row[f"{m}_status"], row[f"{m}_working_days"] = c.status, c.working_days
        if m.startswith("action-"):
            counts[ACTION_COUNT_OF[c.status]] += 1
            counts["actions_open"] += c.status == Status.OVERDUE  # an overdue action is open too
    row.update(counts)
    return row


# -- the tables of `show` ----------------------------------------------------------------------

CHILD_LABELS = {"cin_plan": "Child in need plan", "cp_plan": "Child protection plan"}  # in words, not initials
CHILD_COLUMNS = [
    Column(k, CHILD_LABELS.get(k) or k.replace("_", " ").capitalize())
    for k in ("reference", "primary", *CHARACTERISTICS)
]

CHECK_COLUMNS = [Column("checked_on", "Date"), Column("rag", "RAG"), Column("note", "Note", wrap=True)]

EVENT_COLUMNS = [
    Column("date", "Recorded"),
    Column("what", "What", wrap=True),
    Column("why", "Why", wrap=True),
    Column("agreed_by", "Agreed by", wrap=True),
]

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
