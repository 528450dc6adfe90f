"""Where a case stands: `show`, `list` and `explain`. Each imports the service, the lifecycle and its
renderers when it runs."""

from typing import Annotated

import typer

from csprcli.cli import complete
from csprcli.cli.base import App
from csprcli.cli.common import SHOW_COLUMNS, AllOpt, FormatOpt, RefArg, as_of, clock_row, opened
from csprcli.domain.dates import human_date
from csprcli.domain.errors import BadInput
from csprcli.output import Format, print_fields, render, say

app = App()


@app.command("show")
def show(ctx: typer.Context, ref: RefArg, fmt: FormatOpt = Format.TABLE) -> None:
    """Example: csprcli show SI-2025-001"""
    from dataclasses import asdict

    from csprcli.services import incidents as service
    from csprcli.domain.lifecycle import life_of, outcome_in_force, removal_earliest
    from csprcli.domain.rules import KEPT_AVAILABLE
    from csprcli.output.export import (
        ABUSE_WORDS, ACTION_COLUMNS, CHECK_COLUMNS, CHILD_COLUMNS, CHARACTERISTICS, EVENT_COLUMNS, case_details,
    )  # fmt: skip

    with opened(ctx) as store:
        case = service.case(store, service.rulebook(store), ref, as_of(ctx))
        deaths = [d.ref for d in store.deaths_linked_to(case.incident.ref)]
    i = case.incident
    if fmt == Format.JSON:
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
        ("Outcome", f"{i.outcome} ({human_date(i.decided)})" if i.outcome and i.decided else None),  # together
        ("Reasons", i.reason),
        ("Sent to the Panel", i.rr_sent),
        *exchange_fields(i),
        ("Outcome in force", f"{outcome_in_force(i)} (reconsidered)" if i.decisions else None),
        ("Child deaths", ", ".join(deaths) or None),
    ]
    life = life_of(i)
    if life.review_start is not None:
        fields += [
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
    from csprcli.domain.lifecycle import stage_words  # the paper's words for the stage, one set

    fields += [("Summary", i.summary), ("Stage", stage_words(i)), ("State", "closed" if case.closed else "open")]
    print_fields(fields)
    revised = any(c.revised for c in case.clocks)
    columns = [c for c in SHOW_COLUMNS if revised or c.key != "original_due"]
    render([clock_row(c, human=True) for c in case.clocks], columns, fmt)
    if len(i.children) > 1 or any(getattr(c, k) is not None for c in i.children for k in CHARACTERISTICS[:3]):
        render([asdict(c) for c in i.children], CHILD_COLUMNS, fmt, title="Children")
    if i.checks:
        render([asdict(c) for c in i.checks], CHECK_COLUMNS, fmt, title="Progress checks")
    if i.pauses or i.revisions:
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
        render(sorted(events, key=lambda e: e["date"]), EVENT_COLUMNS, fmt, title="Pauses and revisions")
    if i.actions:
        render([asdict(a) for a in i.actions], ACTION_COLUMNS, fmt, title="Actions")


def exchange_fields(i) -> list[tuple[str, str]]:
    """The exchange with the Panel after the first sending, step by step in order: "Panel response 1",
    "Reconsidered decision 1", "Sent to the Panel again 1", ..."""
    from csprcli.domain.model import Step

    counts: dict = {}
    found = []
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


@app.command("list")
def list_cases(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only cases with a clock still to be done.")] = False,
    closed_only: Annotated[bool, typer.Option("--closed", help="Only cases with every clock done.")] = False,
    fmt: FormatOpt = Format.TABLE,
    show_all: AllOpt = False,
) -> None:
    """Example: csprcli list --open"""
    if open_only and closed_only:
        raise BadInput("--open and --closed cannot be used together; give neither to list every case")
    from csprcli.services import incidents as service
    from csprcli.output.export import LIST_COLUMNS, case_details

    def rows(found):
        for case in found:
            if (open_only or closed_only) and case.closed != closed_only:
                continue
            row = case_details(case)
            if fmt == Format.TABLE:
                row["next_status"] = case.next_clock.describe() if case.next_clock else "closed"
            yield row

    with opened(ctx) as store:
        found = service.cases(store, service.rulebook(store), as_of(ctx), open_only=open_only)
        render(rows(found), LIST_COLUMNS, fmt, empty="no cases", show_all=show_all)


@app.command("explain")
def explain(
    ctx: typer.Context,
    ref: RefArg,
    milestone: Annotated[
        str,
        typer.Argument(
            help="The milestone, as 'show' names it (e.g. rr-decision, action-1).", autocompletion=complete.milestones
        ),
    ],
) -> None:
    """Example: csprcli explain SI-2025-001 rr-decision"""
    from csprcli.services import explain as explaining  # only for this command
    from csprcli.services import incidents as service

    with opened(ctx) as store:
        lines = explaining.explain(store, service.rulebook(store), ref, milestone, as_of(ctx))
    say("\n".join(lines))
