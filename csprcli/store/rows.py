"""Records as SQLite rows and back: dates as ISO text, booleans as 0/1, choices by value, and a
row turned back into its record with each value of its field's type. Pure: no connection.
"""

import types
import typing
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


def reader(cls, names: list[str]):
    """The function that turns a row of `names` into a record of `cls` (a named tuple of the
    model), each value turned back into its field's type, the fields not read left at their
    defaults; made once per query. `extra` fields (an incident's related records) are given by name."""
    convert = _converters(cls)
    at = {name: n for n, name in enumerate(cls._fields)}
    start = [cls._field_defaults.get(name) for name in cls._fields]
    places = [at[name] for name in names]
    converting = [(n, at[name], convert[name]) for n, name in enumerate(names) if convert[name]]
    read = len(names)
    rest = start[read:] if places == list(range(read)) else None  # the fields read are the first ones

    def as_record(row, **extra):
        if rest is not None:
            values = [*row[:read], *rest]
        else:
            values = start.copy()
            for place, value in zip(places, row):
                values[place] = value
        try:
            for n, place, to_type in converting:
                if row[n] is not None:
                    values[place] = to_type(row[n])
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
