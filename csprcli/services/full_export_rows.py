"""A full export's rows read as typed values, before services/full_export.py checks what they
mean: each column present and nothing else, each value of its kind, a row as a record of the
model. A problem names the table, the row (counted from 1) and the field, never a value a user typed.
"""

import json
import re
import types
import typing
from datetime import date
from enum import Enum
from typing import Any

from csprcli.domain.errors import BadInput
from csprcli.domain.model import Death, Incident
from csprcli.domain.text import excerpt

_SQL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")

# Columns the database keeps beside a record's own fields.
EXTRA: dict[str, dict[str, type | str]] = {  # a column's type, or "timestamp", or "incident" (an incident's id)
    "incidents": {"id": int, "created_at": "timestamp"},
    **{
        t: {"id": int, "incident_id": "incident"}
        for t in ("children", "checks", "pauses", "revisions", "actions", "exchange")
    },
    "deaths": {"id": int},
    "death_pauses": {"id": int, "ref": str},  # the death's reference
}


class Problem(BadInput):
    def __init__(self, table: str, row: int, field: str | None, reason: str):
        where = f"the export's {table}, row {row}" + (f", field {field}" if field else "")
        super().__init__(f"{where}: {reason}; nothing was loaded")


def shape(table: str, number: int, row: dict, kinds: dict) -> None:
    """Each column present, nothing else, each value of its kind."""
    extra = set(row) - set(kinds)
    if extra:
        raise Problem(table, number, excerpt(sorted(extra)[0], 30), "is not a column of this table")
    for name, kind in kinds.items():
        if name not in row:
            raise Problem(table, number, name, "is missing")
        kind_of(table, number, name, row[name], kind)


def kind_of(table: str, number: int, name: str, value: Any, kind) -> Any:
    """The value as its kind (an int, text, a date, a timestamp, 0/1, a member of an enum), or a Problem."""
    allowed = kind if isinstance(kind, tuple) else (kind,)
    if value is None:
        if None in allowed:
            return None
        raise Problem(table, number, name, "is empty and is required")
    for one in allowed:
        if one is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if one is str and isinstance(value, str):
            return value
        if one in ("date", date) and isinstance(value, str) and _SQL_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise Problem(table, number, name, f"{excerpt(value)} is not a real date") from None
        if one == "timestamp" and isinstance(value, str) and _TIMESTAMP.fullmatch(value):
            return value
        if one == "0/1" and value in (0, 1) and not isinstance(value, bool):
            return value
        if isinstance(one, type) and issubclass(one, Enum):
            if isinstance(value, str) and value in {member.value for member in one}:
                return one(value)
            raise Problem(table, number, name, f"{excerpt(str(value))} is not one of {', '.join(one)}")
        if one is bool and value in (0, 1) and not isinstance(value, bool):
            return bool(value)
    wanted = {int: "a whole number", str: "text", "date": "a date (YYYY-MM-DD)", date: "a date (YYYY-MM-DD)"}
    wanted |= {bool: "0 or 1", "0/1": "0 or 1"}
    words = " or ".join(wanted.get(k, "a time (UTC)") for k in allowed if k is not None)
    raise Problem(table, number, name, f"{excerpt(json.dumps(value, ensure_ascii=False))} is not {words}")


def record_of(table: str, number: int, row: dict, cls, incident_ids: set):
    """The row as a record of the model, each value of its field's type."""
    hints = typing.get_type_hints(cls)
    kinds = {}
    for name in cls._fields:
        if name in {"children", "checks", "pauses", "revisions", "actions", "exchange"} and cls is Incident:
            continue
        if name == "pauses" and cls is Death:  # a table of their own, death_pauses
            continue
        hint = hints[name]
        optional = isinstance(hint, types.UnionType) and type(None) in typing.get_args(hint)
        if optional:
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        kinds[name] = (hint, None) if optional else hint
    extra = EXTRA[table]
    shape(table, number, row, kinds | {k: (int if v == "incident" else v) for k, v in extra.items()})
    if extra.get("incident_id") and row["incident_id"] not in incident_ids:
        raise Problem(table, number, "incident_id", "names an incident that is not in the export")
    values = {name: kind_of(table, number, name, row[name], kind) for name, kind in kinds.items()}
    return cls(**values)
