"""`explain`: how a due date was reached, in sentences a meeting can check. The prose is the result.

Reads through the service; the arithmetic is the calendar's, shown day by day.
"""

from datetime import date, timedelta

from csprcli.domain.calendar import EveryDay, WorkingCalendar
from csprcli.domain.dates import human_date, shown
from csprcli.domain.errors import BadInput
from csprcli.domain.clock import Clock, Status
from csprcli.domain import lifecycle
from csprcli.domain.rules import MONTHS, TRIGGERS, WORKING_DAYS, Rule, calendar_of, setting_of
from csprcli.services.cases import case
from csprcli.services.rulebook import Rulebook
from csprcli.store.store import Store


# -- explaining a date ---------------------------------------------------------------------------


def explain(store: Store, book: Rulebook, ref: str, milestone: str, as_of: date) -> list[str]:
    """How a due date was reached, line by line, enough to defend it in a meeting."""
    found = case(store, book, ref, as_of)
    incident = found.incident
    clock = next((c for c in found.clocks if c.milestone == milestone), None)
    if clock is None:
        names = ", ".join(c.milestone for c in found.clocks)
        raise BadInput(f"{incident.ref} has no milestone {shown(milestone)}; it has {names}")
    lines = [f"{incident.ref} {clock.milestone}: {clock.title}", f"Force of the time limit: {clock.force}."]
    action = next((a for a in incident.actions if a.milestone == milestone), None)
    if action is not None:
        lines += [
            "Duty: the review's recommendations, reported in the yearly report.",
            f"Time limit: the action's own target date, set when it was recorded ({action.agency}).",
            f"Recommendation: {action.recommendation}",
            f"Target: {human_date(action.target)}.",
        ]
    else:
        counted, finished = _rule_lines(book, incident, clock, as_of)
        lines += counted
        if finished:
            return lines
    return lines + _pauses_and_revisions(incident, clock) + _where_it_stands(clock, as_of)


def _rule_lines(book: Rulebook, incident, clock: Clock, as_of: date) -> tuple[list[str], bool]:
    """The rule behind a clock: its duty, time limit and setting, and the count from its trigger;
    finished (True) when the clock does not apply or has not started."""
    milestone, day = clock.milestone, human_date
    rule = next(r for r in book.rules_on(as_of) if r.milestone == milestone)  # as the settings stood that day
    if not rule.local and clock.done is not None:  # a national clock keeps the rule it was done under
        as_done = next(r for r in book.rules_on(clock.done) if r.milestone == milestone)
    else:
        as_done = rule
    changed_since = as_done != rule
    rule = as_done
    lines = [
        f"Duty: {lifecycle.duty(rule, incident)}.",
        f"Time limit: {rule.time_limit}.",
        f"Applies to {rule.applies_to}.",
    ]
    if rule.unit == WORKING_DAYS:
        lines.append(
            "Counts the partnership's own closure days as well as weekends and bank holidays (a local reminder)."
            if rule.local
            else "Counts England-and-Wales working days only: the partnership's closure days never move "
            "a national clock."
        )
    if setting := setting_of(milestone):
        value = book.settings_on(as_of).get(setting.name, setting.default)
        lines.append(
            f"This partnership's setting {setting.name} ({setting.describes}) is {value} "
            f"('csprcli rules set {setting.name} VALUE' changes it)."
        )
        if changed_since:
            assert clock.done is not None  # only a clock already done keeps an earlier rule (as_done above)
            lines.append(
                f"It was done on {day(clock.done)}, before the setting changed: done is done, so it keeps the "
                "rule it was done under."
            )
    if clock.status == Status.NOT_REQUIRED:
        return lines + ["It does not apply to this case, so nothing is due."], True
    if clock.trigger is None:
        return lines + [f"Not started: it counts from {TRIGGERS[rule.trigger]}, which is not recorded yet."], True
    lines.append(f"Counts from {TRIGGERS[rule.trigger]}: {day(clock.trigger)}.")
    assert clock.original_due is not None  # a clock started and required has its target (lifecycle.clock)
    lines += _counting(calendar_of(rule, book.calendar_on(as_of)), rule, clock.trigger, clock.original_due)
    return lines, False


def _pauses_and_revisions(incident, clock: Clock) -> list[str]:
    """The local review's pauses (for its publication and progress checks) and the revised targets."""
    milestone, day = clock.milestone, human_date
    lines = []
    for pause in incident.pauses if milestone in ("publication", "progress-check") else ():
        until = day(pause.end) if pause.end else "not yet resumed"
        lines.append(f"Paused from {day(pause.start)} to {until}, agreed by {pause.agreed_by}: {pause.reason}.")
        if clock.due and pause.start > clock.due:
            lines.append("The target was already missed when the pause began, so it stays overdue.")
    if incident.pauses and milestone == "publication":
        lines.append("A pause moves no target by itself: only a revision the partners record ('csprcli revise') does.")
    for revision in (r for r in incident.revisions if r.milestone == milestone):
        lines.append(
            f"Revised on {day(revision.recorded_on)} to {day(revision.due)}, agreed by {revision.agreed_by}: {revision.reason}."
        )
    return lines


def _where_it_stands(clock: Clock, as_of: date) -> list[str]:
    """The target in force (and the original, if revised), and where the clock stands on the day."""
    day = human_date
    due, original_due = clock.due, clock.original_due
    assert due is not None and original_due is not None  # a clock not started or not required was answered above
    lines = []
    if clock.revised:
        lines.append(f"Original target {day(original_due)}; revised target in force {day(due)}.")
    done = f" Done {day(clock.done)}." if clock.done else ""
    lines.append(f"Due {day(due)}.{done} On {day(as_of)}: {clock.describe()}.")
    if clock.revised and clock.original_status is not None:
        original = clock._replace(status=clock.original_status, working_days=clock.original_working_days)
        lines.append(f"Against the original target: {original.describe()}.")
    return lines


def _grouped(skipped: list[tuple[date, str]]) -> list[tuple[str, str]]:
    """Skipped days in words, a Saturday and the Sunday after it as one weekend."""
    out, i = [], 0
    while i < len(skipped):
        day, why = skipped[i]
        if day.weekday() == 5 and i + 1 < len(skipped) and skipped[i + 1][0] == day + timedelta(days=1):
            out.append((f"{human_date(day)} and {human_date(skipped[i + 1][0])}", "weekend"))
            i += 2
        else:
            out.append((human_date(day), why))
            i += 1
    return out


def _counting(calendar: WorkingCalendar | EveryDay, rule: Rule, trigger: date, due: date) -> list[str]:
    """The arithmetic of one rule, with every day it skipped."""
    if rule.unit == MONTHS:
        clamped = due.day != trigger.day
        note = f" ({trigger:%d %B} + {rule.count}: no day {trigger.day} that month, so its last day)" if clamped else ""
        return [
            f"Count: {rule.count} calendar month{'s' if rule.count != 1 else ''}, same day number{note}: {human_date(due)}."
        ]
    assert rule.unit == WORKING_DAYS
    assert isinstance(calendar, WorkingCalendar)  # what calendar_of gives a rule in working days
    if rule.count >= 0:
        lines = [
            f"Count: {rule.count} working days after it, the day itself not counted (WORKDAY({trigger.isoformat()}, {rule.count}))."
        ]
        skipped = calendar.skipped(trigger, due)
    else:
        lines = [
            f"Count: {-rule.count} working days before it, counting back (WORKDAY({trigger.isoformat()}, {rule.count}))."
        ]
        skipped = calendar.skipped(due, trigger - timedelta(days=1))
    lines += [f"  skipped {when}: {why}" for when, why in _grouped(skipped)]
    if not skipped:
        lines.append("  no weekend, bank holiday or closure day in between")
    return lines
