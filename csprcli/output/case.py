"""One case as `show` prints it: its fields in words, then its milestones, children, progress
checks, pauses and revisions, and actions as tables; or its milestones as CSV, or everything as JSON."""

from typing import TYPE_CHECKING

from csprcli.domain.dates import human_date
from csprcli.domain.lifecycle import removal_earliest
from csprcli.domain.stages import life_of, outcome_in_force, stage_words
from csprcli.domain.model import Incident
from csprcli.domain.vocabulary import Step
from csprcli.domain.rules import KEPT_AVAILABLE
from csprcli.output import Format, print_fields, render
from csprcli.output.clocks import SHOW_COLUMNS, clock_row
from csprcli.output.export import (
    ABUSE_WORDS,
    ACTION_COLUMNS,
    CHARACTERISTICS,
    CHECK_COLUMNS,
    CHILD_COLUMNS,
    EVENT_COLUMNS,
    case_details,
)

if TYPE_CHECKING:
    from csprcli.services.cases import Case


def show_case(case: "Case", deaths: list[str], fmt: Format) -> None:
    """The case in `fmt`, with the references of the child deaths linked to it."""
    if fmt == Format.JSON:
        render([case_json(case, deaths)], [], fmt)
        return
    if fmt == Format.CSV:
        render([clock_row(c) for c in case.clocks], SHOW_COLUMNS, fmt)
        return
    i = case.incident
    print_fields(case_fields(case, deaths))
    revised = any(c.revised for c in case.clocks)
    columns = [c for c in SHOW_COLUMNS if revised or c.key != "original_due"]
    render([clock_row(c, human=True) for c in case.clocks], columns, fmt)
    if len(i.children) > 1 or any(getattr(c, k) is not None for c in i.children for k in CHARACTERISTICS[:3]):
        render([c._asdict() for c in i.children], CHILD_COLUMNS, fmt, title="Children")
    if i.checks:
        render([c._asdict() for c in i.checks], CHECK_COLUMNS, fmt, title="Progress checks")
    if i.pauses or i.revisions:
        render(pauses_and_revisions(i), EVENT_COLUMNS, fmt, title="Pauses and revisions")
    if i.actions:
        render([a._asdict() for a in i.actions], ACTION_COLUMNS, fmt, title="Actions")


def case_json(case: "Case", deaths: list[str]) -> dict:
    """Everything recorded of the case, with its stage, removal date and milestones."""
    i = case.incident
    details = case_details(case) | {
        "panel_response": i.panel_response,
        "panel_response_on": i.panel_response_on,
        "outcome_in_force": outcome_in_force(i),
        "reviewer": i.reviewer,
        "reviewer_appointed": i.reviewer_appointed,
        "tor_agreed": i.tor_agreed,
        "planned_publication": i.planned_publication,
        "report_sent": i.report_sent,
        "published": i.published,
        "publication_type": i.publication_type,
        "removal_earliest": removal_earliest(i),
        "stage": life_of(i).stage,
        "deaths": deaths,
        "milestones": [clock_row(c) for c in case.clocks],
    }
    for name in ("children", "checks", "pauses", "revisions", "actions", "exchange", "decisions"):
        details[name] = [item._asdict() for item in getattr(i, name)]
    return details


def case_fields(case: "Case", deaths: list[str]) -> list[tuple[str, object]]:
    """The case's fields in words, as `show` heads it: the local review's only once one was decided."""
    i = case.incident
    fields: list[tuple[str, object]] = [
        ("Case", i.ref),
        ("Child", i.child),
        ("Local authority", i.la + (f" (child lives in {i.home_la})" if i.home_la else "")),
        ("Nature", f"{i.nature}; " + ABUSE_WORDS[i.abuse] + ("; looked-after child" if i.looked_after else "")),
        ("Incident", i.incident_date),
        ("Aware", i.aware),
        ("Notification ref", i.sin_ref),
        ("Rapid review started", i.rr_started),
        ("Outcome", f"{i.outcome} ({human_date(i.decided)})" if i.outcome and i.decided else None),  # together
        ("Reasons", i.reason),
        ("Sent to the Panel", i.rr_sent),
        *exchange_fields(i),
        ("Outcome in force", f"{outcome_in_force(i)} (reconsidered)" if i.decisions else i.outcome),
        ("Child deaths", ", ".join(deaths) or None),
    ]
    if life_of(i).review_start is not None:
        fields += local_review_fields(i)
    return fields + [("Summary", i.summary), ("Stage", stage_words(i)), ("State", "closed" if case.closed else "open")]


def local_review_fields(i: Incident) -> list[tuple[str, object]]:
    """The local review's reviewer, terms of reference, publication and removal date."""
    return [
        # a reviewer's name corrected in before any appointment is recorded has no date to show
        (
            "Reviewer",
            f"{i.reviewer} (appointed {human_date(i.reviewer_appointed)})" if i.reviewer_appointed else i.reviewer,
        ),
        ("Terms of reference", i.tor_agreed),
        ("Planned publication", i.planned_publication),
        (
            "Published",
            f"{human_date(i.published)}, {i.publication_type}: {i.publication_rationale}" if i.published else None,
        ),
        (
            "May be taken down from",
            f"{human_date(until)} (kept available at least a year: {KEPT_AVAILABLE.force})"
            if (until := removal_earliest(i))
            else None,
        ),
    ]


def exchange_fields(i: Incident) -> list[tuple[str, object]]:
    """The exchange with the Panel after the first sending, step by step in order: "Panel response 1",
    "Reconsidered decision 1", "Sent to the Panel again 1", ..."""
    counts: dict = {}
    found: list[tuple[str, object]] = []
    for step in i.exchange:
        counts[step.step] = n = counts.get(step.step, 0) + 1
        if step.step == Step.RESPONSE:
            said = f"{step.response} ({human_date(step.day)})" + (f": {step.notes}" if step.notes else "")
            found.append((f"Panel response {n}", said))
        elif step.step == Step.DECISION:
            found.append((f"Reconsidered decision {n}", f"{step.outcome} ({human_date(step.day)}): {step.notes}"))
        else:
            found.append((f"Sent to the Panel again {n}", human_date(step.day)))
    return found


def pauses_and_revisions(i: Incident) -> list[dict]:
    """The review's pauses and revised targets, by date."""
    events = [
        {
            "date": p.start,
            "what": f"paused until {human_date(p.end) if p.end else 'now'}",
            "why": p.reason,
            "agreed_by": p.agreed_by,
        }
        for p in i.pauses
    ]
    events += [
        {
            "date": r.recorded_on,
            "what": f"{r.milestone} revised to {human_date(r.due)}",
            "why": r.reason,
            "agreed_by": r.agreed_by,
        }
        for r in i.revisions
    ]
    return sorted(events, key=lambda e: e["date"])
