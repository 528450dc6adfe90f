"""Records as SQLite rows and back: dates as ISO text, booleans as 0/1, choices by value, and a
row turned back into its record with each value of its field's type. Pure: no connection.
"""

import types
import typing
from collections.abc import Sequence
from datetime import date
from enum import Enum


def sql_name(name: str) -> str:
    return f'"{name}"'


def sql_columns(names) -> str:
    return ", ".join(sql_name(n) for n in names)


def sql_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Enum):
        return value.value
    return value


def reader(cls, names: Sequence[str]):
    """The function that turns a row of `names` into a record of `cls` (a named tuple of the
    model), each value turned back into its field's type; made once per query. The row's first
    columns are the record's first fields, in order (any after them are the query's own, such as
    an id); the fields not read take their defaults. `extra` gives fields by name (an incident's
    related records)."""
    read = len(names)
    if tuple(names) != cls._fields[:read] or any(f not in cls._field_defaults for f in cls._fields[read:]):
        raise ValueError(f"a {cls.__name__} is read from its first fields, in order, and every field with no default")
    convert = _converters(cls)
    rest = [cls._field_defaults[name] for name in cls._fields[read:]]
    converting = [(n, convert[name]) for n, name in enumerate(names) if convert[name]]
    at = {name: n for n, name in enumerate(cls._fields)}

    def as_record(row, **extra):
        values = [*row[:read], *rest]
        try:
            for n, to_type in converting:
                if row[n] is not None:
                    values[n] = to_type(row[n])
        except (ValueError, KeyError, TypeError):
            raise _damaged(cls, row, names) from None
        for name, value in extra.items():
            values[at[name]] = value
        return tuple.__new__(cls, values)

    return as_record


_CONVERTERS: dict[type, dict] = {}


def _converters(cls) -> dict:
    """For each field, the function that turns a stored value back into its type (None: as stored)."""
    if cls not in _CONVERTERS:
        found = {}
        for name, hint in typing.get_type_hints(cls).items():
            if isinstance(hint, types.UnionType):
                hint = next(a for a in typing.get_args(hint) if a is not type(None))
            if isinstance(hint, type) and issubclass(hint, Enum):
                hint = {member.value: member for member in hint}.__getitem__  # as Enum(value), without its overhead
            found[name] = date.fromisoformat if hint is date else None if hint in (str, int) else hint
        _CONVERTERS[cls] = found
    return _CONVERTERS[cls]


def _damaged(cls, row, names):
    """The error for a stored value that does not turn back into its field's type (a date with a
    flipped byte, a choice no longer one): the database is damaged. It names the field, never the value."""
    from csprcli.domain.errors import Damaged

    convert = _converters(cls)
    for name, value in zip(names, row):
        if value is None or not convert[name]:
            continue
        try:
            convert[name](value)
        except (ValueError, KeyError, TypeError):
            kind = "a date" if convert[name] == date.fromisoformat else "one of its choices"
            return Damaged(f"a stored {cls.__name__.lower()}'s {name} is not {kind}")
    return Damaged(f"a stored {cls.__name__.lower()} does not read")


def stored_date(text: str, what: str) -> date:
    """A date as the database keeps it (ISO text); one that is not a date means damage (Damaged)."""
    try:
        return date.fromisoformat(text)
    except (ValueError, TypeError):
        from csprcli.domain.errors import Damaged

        raise Damaged(f"a stored {what} is not a date") from None
