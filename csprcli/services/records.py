"""Changing the record beyond the statutory path: the children of an incident and what DfE
counts about them, corrections with a reason, undo, the partnership's settings and closure days.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from csprcli.domain.dates import shown, human_date
from csprcli.domain.calendar import WorkingCalendar
from csprcli.domain.checks import (
    FIELDS,
    REASON_LIMIT,
    REQUIRED_FIELDS,
    check_child_ref,
    check_record,
    free_text,
    read_value,
)
from csprcli.domain.choices import nearest
from csprcli.domain.errors import BadInput
from csprcli.domain.model import Child, Incident
from csprcli.domain.rules import check_setting
from csprcli.store.store import Store


MAX_CHILDREN = 4

# -- children ----------------------------------------------------------------------------------


CHARACTERISTICS = (
    "age_band",
    "sex",
    "ethnicity",
    "disability",
    "looked_after",
    "cin_plan",
    "cp_plan",
    "known_to_agencies",
)


def add_child(store: Store, ref: str, child: Child) -> Child:
    """Another child of the same incident (up to four; the first recorded is the primary child)."""
    child = child._replace(reference=check_child_ref(child.reference), primary=False)
    with store.transaction():
        incident = store.incident(ref)
        if len(incident.children) >= MAX_CHILDREN:
            raise BadInput(
                f"{incident.ref} has {MAX_CHILDREN} children already; one notification covers at most {MAX_CHILDREN}"
            )
        if child.reference in {c.reference for c in incident.children}:
            raise BadInput(f"{incident.ref}: that child reference is already recorded on this incident")
        store.insert_related("children", incident.ref, child)
    return child


def describe_child(store: Store, ref: str, reference: str, **characteristics) -> Child:
    """Fill in a child's characteristics. One already recorded is never overwritten."""
    given = {k: v for k, v in characteristics.items() if v is not None}
    if not given:
        raise BadInput("give at least one characteristic to record (see --help)")
    with store.transaction():
        incident = store.incident(ref)
        child = next((c for c in incident.children if c.reference == reference.strip()), None)
        if child is None:
            raise BadInput(f"{incident.ref} has no child with that reference; 'csprcli show {incident.ref}' lists them")
        clash = [k for k, v in given.items() if getattr(child, k) is not None and getattr(child, k) != v]
        if clash:
            raise BadInput(
                f"{incident.ref}: {', '.join(clash).replace('_', '-')} already recorded; csprcli never overwrites a recorded value"
            )
        store.update_related("children", incident.ref, "reference", child.reference, **given)
    return child._replace(**given)


# -- rules --------------------------------------------------------------------------------------


def set_rule(store: Store, name: str, value: str) -> str:
    value = check_setting(name, value)
    with store.transaction():
        store.set_setting(name, value)
    return value


def check_closure(calendar: WorkingCalendar, day: date, reason: str) -> str:
    """A closure day's reason, if the day can be one: a weekday that is not a bank holiday."""
    reason = free_text(reason, "--reason", 200, required=True)
    if day.weekday() >= 5:
        raise BadInput(f"{human_date(day)} is a {day.strftime('%A')}, already not a working day")
    if holiday := calendar.bank_holidays(day.year).get(day):
        raise BadInput(f"{human_date(day)} is already a bank holiday ({holiday})")
    return reason


def close_day(store: Store, calendar: WorkingCalendar, day: date, reason: str) -> None:
    """Record a partnership closure day. It moves only the partnership's own reminders counted in
    working days (the Panel response reminder); the national clocks count England-and-Wales working
    days only."""
    reason = check_closure(calendar, day, reason)
    with store.transaction():
        store.add_closure(day, reason)


def reopen_day(store: Store, day: date) -> None:
    with store.transaction():
        store.remove_closure(day)


# -- corrections, undo and history ---------------------------------------------------------------

# The facts `correct` can change, by the name users type; FIELDS says how each is read.
CORRECTABLE = tuple(field.replace("_", "-") for field in FIELDS)
NEVER_EMPTY = (*REQUIRED_FIELDS, "looked_after")
# Emptying a date empties what was recorded with it.
CLEARED_WITH = {
    "decided": ("outcome", "reason"),
    "published": ("publication_type", "publication_rationale"),
    "reviewer_appointed": ("reviewer",),
}
EMPTY = ("", "none", "-")
# The Panel's latest response, corrected in the exchange with the Panel (its step's fields).
LATEST_RESPONSE = {"panel_response": "response", "panel_response_on": "day", "panel_notes": "notes"}


def correct(
    store: Store, ref: str, field: str, value: str, *, reason: str, as_of: date
) -> tuple[Incident, object, object]:
    """Correct one recorded fact, with a reason. The earlier value stays in the history.

    Returns the corrected incident, the old value and the new one.
    """
    reason = free_text(reason, "--reason", REASON_LIMIT, required=True)
    if field not in CORRECTABLE:
        guess = nearest(field, CORRECTABLE)
        hint = f"; did you mean '{guess}'?" if guess else ""
        raise BadInput(f"{shown(field)} cannot be corrected{hint} (these can: {', '.join(CORRECTABLE)})")
    attribute = field.replace("-", "_")
    kind = FIELDS[attribute].kind
    if isinstance(kind, type) and value.strip().lower() in {member.value for member in kind}:
        new = kind(value.strip().lower())  # `abuse none` is a value, not an empty one
    elif value.strip().lower() in EMPTY:
        if attribute in NEVER_EMPTY:
            raise BadInput(f"{field} cannot be empty")
        if attribute in ("panel_response", "panel_response_on"):
            raise BadInput(
                f"{field} cannot be emptied; to take back a Panel response recorded by mistake, use 'csprcli undo'"
            )
        new = None
    else:
        new = read_value(attribute, value, as_of=as_of, what=field)
    with store.transaction(reason=reason):
        incident = store.incident(ref)
        if attribute in LATEST_RESPONSE:  # the Panel's latest response, a step of the exchange
            if not incident.responses:
                raise BadInput(f"{incident.ref}: no Panel response is recorded ('csprcli review response')")
            old = getattr(incident.responses[-1], LATEST_RESPONSE[attribute])
        else:
            old = getattr(incident, attribute)
        if old == new:
            kind = FIELDS[attribute].kind
            shown_value = "that" if kind in ("text", "name", "reference") else (value.strip() or "empty")
            raise BadInput(f"{incident.ref}: {field} is already {shown_value}; nothing to correct")
        if attribute in LATEST_RESPONSE:
            return _correct_latest_response(store, incident, attribute, old, new)
        changes: dict[str, Any] = {attribute: new} | (
            {k: None for k in CLEARED_WITH.get(attribute, ())} if new is None else {}
        )
        updated = incident._replace(**changes)
        check_record(updated)
        store.update_incident(incident.ref, **changes)
        if attribute == "child":
            store.update_related("children", incident.ref, "reference", old, reference=new)
        if attribute == "looked_after":
            store.update_related("children", incident.ref, "primary", True, looked_after=new)
    return updated, old, new


def _correct_latest_response(store: Store, incident: Incident, attribute: str, old, new):
    """Correct the Panel's latest response (a step of the exchange with the Panel)."""
    latest = incident.responses[-1]
    at = max(n for n, s in enumerate(incident.exchange) if s is latest)
    step = latest._replace(**{LATEST_RESPONSE[attribute]: new})
    updated = incident._replace(exchange=(*incident.exchange[:at], step, *incident.exchange[at + 1 :]))
    check_record(updated)
    store.update_latest_step(incident.ref, latest.step, **{LATEST_RESPONSE[attribute]: new})
    return updated, old, new


UNDO_SHOWN = 20  # an undo of more rows than this is summarised: counts per table and the first few rows
UNDO_FIRST = 5


@dataclass(frozen=True)
class UndoPreview:
    change: dict  # id, at, user, command, reason, undoes
    counts: dict[tuple[str, str], int]  # (table, op): rows
    rows: list[dict]  # every row it touched, or the first UNDO_FIRST of a large change

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def undo_preview(store: Store) -> UndoPreview | None:
    """The change `undo` would revert, what it touched (counts per table) and its rows, or only the
    first few of a large one (an import of 200,000 rows is never held at once); None when there is
    nothing to undo."""
    change = store.undoable()
    if change is None:
        return None
    counts = store.change_counts(change)
    shown = UNDO_SHOWN if sum(counts.values()) <= UNDO_SHOWN else UNDO_FIRST
    return UndoPreview(store.change(change), counts, list(store.change_rows(change, limit=shown)))


def undo(store: Store, change: int) -> None:
    """Revert one change (the one `undo_preview` showed); the undo is itself a change in the history."""
    with store.transaction(undoes=change, reason=f"undo of change {change}"):
        if store.undoable(before=store.change_id) != change:
            raise BadInput(
                f"change {change} is no longer the latest; run 'csprcli undo' again to see what it would revert"
            )
        store.revert(change)


def calendar_coverage(store: Store) -> dict:
    """The years the stored bank-holiday calendar covers, and which `holidays` package filled it.

    One-off days (a jubilee, a state funeral) are known only once announced, so a future
    year's calendar is only as good as the package that filled it; any write command
    refills it when a newer package is installed.
    """
    from importlib.metadata import version

    from csprcli.store.store import CALENDAR_YEARS

    stored = store.meta("bank_holidays")
    first, last = CALENDAR_YEARS
    return {
        "bank_holidays": f"England and Wales, {first} to {last}, stored from {stored or 'nothing yet'}",
        "holidays_installed": f"holidays {version('holidays')}",
    }
