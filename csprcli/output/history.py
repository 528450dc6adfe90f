"""A history row in words, for `history` and `undo`."""

# The free text of each table (a summary, reasons, notes): a CSV of the history leaves it out
# unless --include-notes is given, as the meeting export does.
NOTES = {
    "incidents": ("summary", "reason", "panel_notes", "publication_rationale"),
    "checks": ("note",),
    "pauses": ("reason",),
    "revisions": ("reason",),
    "actions": ("recommendation", "evidence"),
    "decisions": ("reason",),
    "exchange": ("notes",),
}
LEFT_OUT = "(left out: --include-notes)"


def without_notes(row: dict) -> dict:
    """A history row with its free text replaced by LEFT_OUT (the change's reason too)."""
    notes = NOTES.get(row["table"], ())
    row = dict(row)
    for side in ("old", "new"):
        if row[side]:
            row[side] = {k: (LEFT_OUT if k in notes and v is not None else v) for k, v in row[side].items()}
    if row.get("reason"):
        row["reason"] = LEFT_OUT
    return row


def describe_change(row: dict) -> str:
    """One history row in words, dates as dates: "notified: (none) -> 2025-12-23"."""
    table, op, old, new = row["table"], row["op"], row["old"] or {}, row["new"] or {}
    noun = {
        "incidents": "incident",
        "children": "child",
        "checks": "progress check",
        "pauses": "pause",
        "revisions": "revised target",
        "actions": "action",
        "settings": "setting",
        "closures": "closure day",
        "deaths": "child death",
        "death_pauses": "pause of the death review",
        "decisions": "reconsidered decision",
        "exchange": "exchange with the Panel:",
    }[table]
    image = new or old
    key = {
        "incidents": image.get("ref"),
        "children": image.get("reference"),
        "checks": image.get("checked_on"),
        "pauses": image.get("start"),
        "revisions": image.get("milestone"),
        "actions": f"{image.get('number')}",
        "settings": image.get("name"),
        "closures": image.get("day"),
        "deaths": image.get("ref"),
        "death_pauses": image.get("start"),
        "decisions": f"{image.get('outcome')} of {image.get('decided')}",
        "exchange": _step(image),
    }[table]
    if op == "insert":
        # What the new record says beyond its key, where that is a date or a setting (never free text).
        detail = {
            "revisions": lambda: f": to {image.get('due')}, dated {image.get('recorded_on')}",
            "settings": lambda: f": {image.get('value')}",
            "actions": lambda: f": due {image.get('target')}",
        }.get(table, lambda: "")()
        return f"{noun} {key} recorded{detail}"
    if op == "delete":
        return f"{noun} {key} removed"
    changed = [k for k in new if old.get(k) != new.get(k) and k not in ("id", "incident_id", "created_at")]
    return "; ".join(f"{k.replace('_', '-')}: {_shown(old.get(k))} -> {_shown(new.get(k))}" for k in changed)


def _step(image: dict) -> str:
    """A step of the exchange with the Panel in words: "response challenges of 2026-01-30"."""
    what = {"response": f"response {image.get('response')}", "decision": f"decision {image.get('outcome')}"}
    return f"{what.get(image.get('step', ''), 'sent again')} of {image.get('day')}"


def _shown(value) -> str:
    return "(none)" if value is None else str(value)
