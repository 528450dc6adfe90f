"""The yearly report's figures on the actions from reviews (services/report.py gives the rest): by
agency for the period's cases, and every action with a target date in the period.

Pure, as the report: the cases and their clocks are handed in.
"""

from collections import Counter
from datetime import date

from csprcli.domain.clock import Status
from csprcli.domain.dates import human_date
from csprcli.domain.figures import Figure, figure
from csprcli.domain.vocabulary import ActionStatus


def actions_by_agency(chosen: list, clock: dict) -> list[Figure]:
    """The period's cases' actions, by agency and for all agencies: open (of which overdue), done,
    dropped and in total."""
    agencies: dict[str, Counter] = {}
    for c in chosen:
        for action in c.incident.actions:
            k = clock[c.incident.ref][action.milestone]
            counts = agencies.setdefault(action.agency, Counter())
            if action.status == ActionStatus.DONE:
                counts["done"] += 1
            elif action.status == ActionStatus.DROPPED:
                counts["dropped"] += 1
            else:
                counts["open"] += 1
                counts["of which overdue"] += k.status == Status.OVERDUE
    everyone = sum(agencies.values(), Counter())
    actions = "actions from these cases' reviews"
    meaning = {
        "open": f"{actions} not done or dropped, overdue ones included",
        "of which overdue": f"{actions} open and past their target date",
        "done": f"{actions} done",
        "dropped": f"{actions} dropped",
        "total": f"{actions}: open + done + dropped",
    }
    out = []
    for agency, counts in [*sorted(agencies.items()), ("all agencies", everyone)]:
        counts["total"] = counts["open"] + counts["done"] + counts["dropped"]
        for state in ("open", "of which overdue", "done", "dropped", "total"):
            out.append(figure("actions by agency", f"{agency}: {state}", counts[state], meaning[state]))
    return out


def actions_due_in_period(cases: list, first: date, last: date, as_of: date) -> list[Figure]:
    """Every case's actions with a target date in the period, whatever the year of their incident:
    done by the target or after it, dropped, open and overdue, open and not yet due."""
    due: Counter[str] = Counter()
    for c in cases:  # every case, whatever the year it was aware of
        for action in c.incident.actions:
            if not first <= action.target <= last:
                continue
            k = next(k for k in c.clocks if k.milestone == action.milestone)
            due["due in the period"] += 1
            if action.status == ActionStatus.DONE:
                due[
                    "done by the target date" if action.closed_on <= action.target else "done after the target date"
                ] += 1
            elif action.status == ActionStatus.DROPPED:
                due["dropped"] += 1
            else:
                due["open and overdue" if k.status == Status.OVERDUE else "open, not yet due"] += 1
    scope = (
        f"actions with a target date from {human_date(first)} to {human_date(last)}, whatever year their "
        f"incident was, as they stood on {human_date(as_of)}"
    )
    return [
        figure("actions due in the period", measure, due[measure], scope + words)
        for measure, words in (
            ("due in the period", ""),
            ("done by the target date", "; done on or before the target date"),
            ("done after the target date", "; done, after the target date"),
            ("dropped", "; dropped"),
            ("open and overdue", "; not done or dropped, the target date passed"),
            ("open, not yet due", "; not done or dropped, the target date still to come"),
        )
    ]
