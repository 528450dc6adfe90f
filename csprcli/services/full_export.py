"""Reading a full export (`csprcli export --format json`) before it is loaded: every value of every
row is checked with the functions and rules the commands use, so a file edited by hand (or made
by anything else) cannot leave a database that later commands fail on.

Pure: no database, no printing. A problem is one BadInput naming the table, the row (counted
from 1) and the field; no value a user typed is quoted, only a short, made-safe start of a
value that has the wrong shape.
"""

import json
import re
from datetime import date
from enum import Enum
from typing import Any, BinaryIO

from csprcli.domain.errors import BadInput
from csprcli.store.migrations import DUMPED
from csprcli.domain.model import Action, Child, Death, DeathPause, Incident, PanelStep, Pause, ProgressCheck, Revision
from csprcli.domain.vocabulary import ActionStatus
from csprcli.domain.text import excerpt
from csprcli.services.full_export_rows import Problem, record_of, shape

_INCIDENT_REF = re.compile(r"SI-\d{4}-\d{3,6}")

# The tables whose rows are records of the model, and the record each row holds.
RECORDS = {
    "incidents": Incident,  # its meaning checked last, with its exchange with the Panel
    "exchange": PanelStep,
    "children": Child,
    "checks": ProgressCheck,
    "pauses": Pause,
    "revisions": Revision,
    "actions": Action,
    "deaths": Death,
    "death_pauses": DeathPause,
}


def read_full_export(stream: BinaryIO) -> dict:
    """The export's data, every row checked; raises BadInput on the first problem."""
    try:
        data = json.load(stream)
    except json.JSONDecodeError as error:
        raise BadInput(f"the file is not JSON (line {error.lineno}): {error.msg}") from None
    except UnicodeDecodeError:
        raise BadInput("the file is not UTF-8 text") from None
    except RecursionError:
        raise BadInput("the file is not a csprcli full export (nested too deeply)") from None
    check_full_export(data)
    return data


def check_full_export(data: Any) -> None:
    """The whole export checked as the commands would have checked each record, table by table."""
    tables = _tables(data)
    _unique(tables)  # first: a row that points at an id given twice would point at two
    _records_checked(tables)
    death_refs = {r.get("ref") for r in tables["deaths"]}
    for number, row in enumerate(tables["death_pauses"], start=1):
        if row["ref"] not in death_refs:
            raise Problem("death_pauses", number, "ref", "names a child death that is not in the export")
    for number, row in enumerate(tables["settings"], start=1):
        _setting(number, row)
    _actions_numbered(tables["actions"])
    _revisions_revisable(tables["revisions"], tables["actions"])
    for number, row in enumerate(tables["closures"], start=1):
        shape("closures", number, row, {"day": "date", "reason": str})
        _closure(number, row)
    _history(tables["history"], _changes(tables["changes"]))
    _published_events(tables["published_events"])


def _tables(data: Any) -> dict[str, list[dict]]:
    """The export's tables, once it is known to be a full export of this schema with nothing else in it."""
    from csprcli.store.migrations import MIGRATIONS

    if not isinstance(data, dict) or data.get("csprcli") != "full export":
        raise BadInput("the file is not a csprcli full export ('csprcli export --format json')")
    if data.get("schema") != MIGRATIONS[-1][0]:
        raise BadInput(
            f"the export is of schema {excerpt(str(data.get('schema')), 40)}; this csprcli has {MIGRATIONS[-1][0]}"
        )
    unknown = set(data) - {"csprcli", "schema", "register", *DUMPED}
    if unknown:
        raise BadInput(f"the export has a part csprcli does not know: {excerpt(sorted(unknown)[0])}")
    tables = {}
    for table in DUMPED:
        rows = data.get(table, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise BadInput(f"the export's {table} is not a list of rows")
        tables[table] = rows
    return tables


def _records_checked(tables: dict[str, list[dict]]) -> None:
    """Each row of the model's tables as a record, checked as the commands check it (an incident
    with its exchange with the Panel)."""

    incident_ids = {r.get("id") for r in tables["incidents"]}
    exchange: dict[int, list] = {}
    incidents = []
    for table, cls in RECORDS.items():
        for number, row in enumerate(tables[table], start=1):
            record = record_of(table, number, row, cls, incident_ids)
            if table == "incidents":  # checked once its exchange with the Panel is read
                incidents.append((number, row["id"], record))
                continue
            if table == "exchange":
                exchange.setdefault(row["incident_id"], []).append(record)
            _meaning(table, number, record)
    for number, incident_id, record in incidents:
        _meaning("incidents", number, record._replace(exchange=tuple(exchange.get(incident_id, ()))))


def _changes(rows: list[dict]) -> set[int]:
    """The changes' ids, each change checked: an undo names a change before it."""
    kinds = {
        "id": int,
        "at": "timestamp",
        "user": str,
        "command": str,
        "reason": (str, None),
        "undoes": (int, None),
        "as_of": ("date", None),
    }
    change_ids = set()
    for number, row in enumerate(rows, start=1):
        shape("changes", number, row, kinds)
        for name in ("user", "command"):
            _plain("changes", number, name, row[name])
        if row["undoes"] is not None and row["undoes"] not in change_ids:
            raise Problem("changes", number, "undoes", "names a change that is not before it")
        change_ids.add(row["id"])
    return change_ids


def _history(rows: list[dict], change_ids: set[int]) -> None:
    """Each row of the history: of a change in the export, of a table the history keeps, with old
    and new values as JSON that match its operation."""
    from csprcli.store.migrations import FORMER_TABLES, KEPT_IN_HISTORY

    kinds = {
        "id": int,
        "change_id": int,
        "ref": (str, None),
        "tbl": str,
        "row_id": int,
        "op": str,
        "old": (str, None),
        "new": (str, None),
    }
    for number, row in enumerate(rows, start=1):
        shape("history", number, row, kinds)
        if row["change_id"] not in change_ids:
            raise Problem("history", number, "change_id", "names a change that is not in the export")
        if row["tbl"] not in KEPT_IN_HISTORY + FORMER_TABLES:
            raise Problem("history", number, "tbl", "is not a table the history keeps")
        if row["op"] not in ("insert", "update", "delete"):
            raise Problem("history", number, "op", "is not insert, update or delete")
        for side in ("old", "new"):
            if row[side] is not None:
                try:
                    image = json.loads(row[side])
                except json.JSONDecodeError:
                    image = None
                if not isinstance(image, dict):
                    raise Problem("history", number, side, "is not a row's values as JSON")
        if (row["old"] is None) != (row["op"] == "insert") or (row["new"] is None) != (row["op"] == "delete"):
            raise Problem("history", number, "op", f"does not match its old and new values ({row['op']})")


def _published_events(rows: list[dict]) -> None:
    """What the calendar feed published: events as csprcli publishes them."""
    kinds = {"uid": str, "day": "date", "summary": str, "description": str, "status": str, "sequence": int}
    for number, row in enumerate(rows, start=1):
        shape("published_events", number, row, kinds)
        if row["status"] not in ("CONFIRMED", "CANCELLED") or row["sequence"] < 0:
            raise Problem("published_events", number, "status", "is not an event csprcli publishes")


# Keys whose values may be shown in a message: numbers and csprcli's own references, never a child's.
_SHOWN_KEYS = {"id", "ref", "uid", "name", "day", "number", "incident_id"}


def _unique(tables: dict[str, list[dict]]) -> None:
    """Every key the schema holds unique (ids, case and death references, a child under a case,
    an action's number, a closure day, a setting, an event) appears once."""
    from csprcli.store.migrations import unique_keys

    for table, keys in unique_keys().items():
        for columns in keys if table in tables else ():
            seen: dict[str, int] = {}
            for number, row in enumerate(tables[table], start=1):
                value = tuple(row.get(c) for c in columns)
                if None in value:
                    continue  # SQLite holds NULLs distinct
                key = json.dumps(value)
                if key in seen:
                    field = ", ".join(columns)
                    if set(columns) <= _SHOWN_KEYS:
                        what = excerpt(" ".join(str(v) for v in value), 30).strip("'")
                    else:
                        what = "the same " + " and ".join(columns)
                    raise Problem(table, number, field, f"{what} is also row {seen[key]}'s; each appears once")
                seen[key] = number


def _actions_numbered(actions: list[dict]) -> None:
    """An incident's actions are numbered 1 to n, as `action add` numbers them."""
    count: dict[int, int] = {}
    for row in actions:
        count[row["incident_id"]] = count.get(row["incident_id"], 0) + 1
    for number, row in enumerate(actions, start=1):
        if not 1 <= row["number"] <= count[row["incident_id"]]:
            raise Problem(
                "actions",
                number,
                "number",
                f"{row['number']} is not from 1 to {count[row['incident_id']]} (a case's actions are numbered 1 to n)",
            )


def _revisions_revisable(revisions: list[dict], actions: list[dict]) -> None:
    from csprcli.domain.checks import check_revisable

    milestones: dict[int, set[str]] = {}
    for row in actions:
        milestones.setdefault(row["incident_id"], set()).add(f"action-{row['number']}")
    for number, row in enumerate(revisions, start=1):
        try:
            check_revisable(row["milestone"], milestones.get(row["incident_id"], set()))
        except BadInput as error:
            raise Problem("revisions", number, "milestone", str(error)) from None


def _closure(number: int, row: dict) -> None:
    from csprcli.domain.calendar import WorkingCalendar
    from csprcli.services.records import check_closure

    try:
        check_closure(WorkingCalendar(), date.fromisoformat(row["day"]), row["reason"])
    except BadInput as error:
        field = "reason" if str(error).startswith("--reason") else "day"
        raise Problem("closures", number, field, str(error).removeprefix("--reason ")) from None


def _plain(table: str, number: int, name: str, value: str) -> None:
    from csprcli.domain.checks import plain_name

    try:
        plain_name(value, name)
    except BadInput as error:
        raise Problem(table, number, name, str(error).removeprefix(f"{name} ")) from None


def _text_check(table: str, number: int, name: str, value, limit: int) -> None:
    from csprcli.domain.checks import free_text

    if value is None:
        return
    try:
        free_text(value, name, limit)
    except BadInput as error:
        raise Problem(table, number, name, str(error).removeprefix(f"{name} ")) from None


def _meaning(table: str, number: int, record) -> None:
    """What the commands check of a record's values, with their own functions."""
    from csprcli.domain.checks import FIELDS, REASON_LIMIT, check_child_ref, check_death_ref, check_record

    def checked(field: str, check) -> None:
        try:
            check()
        except BadInput as error:
            raise Problem(table, number, field, str(error).removeprefix(": ")) from None

    for name, value in record._asdict().items():
        if isinstance(value, str) and not isinstance(value, Enum):
            limit = FIELDS[name].limit if table == "incidents" and name in FIELDS else 0
            limit = limit or REASON_LIMIT
            _text_check(table, number, name, value, limit)
    if table == "incidents":
        if not _INCIDENT_REF.fullmatch(record.ref):
            raise Problem(table, number, "ref", "is not a case reference such as SI-2026-001")
        checked("child", lambda: check_child_ref(record.child))
        checked("", lambda: check_record(record))
    elif table == "children":
        checked("reference", lambda: check_child_ref(record.reference))
    elif table == "actions" and (record.status == ActionStatus.OPEN) != (record.closed_on is None):
        # as the commands keep them: an open action has no closed day; a done or dropped one has one
        raise Problem(table, number, "closed_on", f"does not go with the status {record.status.value}")
    elif table == "deaths":
        from csprcli.domain import cdop

        checked("ref", lambda: check_death_ref(record.ref))
        checked("", lambda: cdop.check_record(record))  # the remit and the order of the stages


def _setting(number: int, row: dict) -> None:
    from csprcli.domain.rules import check_setting

    shape("settings", number, row, {"name": str, "value": str})
    try:
        check_setting(row["name"], row["value"])
    except BadInput:
        raise Problem("settings", number, "value", "is not a value csprcli accepts for this setting") from None
