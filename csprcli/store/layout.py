"""What the store keeps of the model, table by table: which fields each record keeps in its table,
which records live in tables of their own under their incident, and which columns hold the date of
something that has happened. Imported when a record is first read or written."""

from functools import cache
from typing import NamedTuple


@cache
def happened_dates() -> dict[str, tuple[str, ...]]:
    """The columns, table by table, that hold the date of something that has happened: none of
    them can be after today (asof.py leaves such a date out of every view)."""
    from csprcli.domain.asof import INCIDENT_EVENTS
    from csprcli.domain.cdop import ORDER

    return {
        "incidents": ("aware", "incident_date", *INCIDENT_EVENTS),
        "checks": ("checked_on",),
        "pauses": ("start", "end"),
        "revisions": ("recorded_on",),
        "exchange": ("day",),
        "actions": ("recorded_on", "closed_on"),
        "deaths": ("died", *(stage.value for stage in ORDER)),
        "death_pauses": ("start", "end"),
    }


class Layout(NamedTuple):
    """The record classes and the fields each keeps in its table."""

    related: dict  # the records kept in tables of their own, one row per item, each under its incident
    incident_fields: list[str]
    death_fields: list[str]
    death_pause_fields: list[str]


@cache
def layout() -> Layout:
    """The model's record classes, imported when a record is first read or written."""
    from csprcli.domain.model import (
        Action,
        Child,
        Death,
        DeathPause,
        Incident,
        PanelStep,
        Pause,
        ProgressCheck,
        Revision,
    )

    related = {
        "children": Child,
        "checks": ProgressCheck,
        "pauses": Pause,
        "revisions": Revision,
        "actions": Action,
        "exchange": PanelStep,
    }
    return Layout(
        related,
        [name for name in Incident._fields if name not in related],
        [name for name in Death._fields if name != "pauses"],  # pauses: a table of their own
        list(DeathPause._fields),
    )
