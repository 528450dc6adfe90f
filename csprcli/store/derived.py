"""What the store keeps worked out from the record, beside it: each case's closed mark, the
stored due dates (dues.py, with the stamp that says whether they may be read) and the latest
day the record is dated. The service works them out and writes them before a write commits
(service.writing).

A part of `store.Store` (mixed into it): only SQLite, on the store's connection.
"""

import sqlite3
from collections.abc import Iterator
from datetime import date

from csprcli.services.dues import COLUMNS as DUE_DATE_COLUMNS, RUNNING, WAITING
from csprcli.store.rows import sql_columns, sql_name

# The days the record says something happened, table by table (not targets: a plan or a revised
# date may be later): what dated_after and last_dated read.
_DATED = {
    "incidents": (
        "aware", "notified", "partners_informed", "rr_started", "decided", "rr_sent", "panel_response_on",
        "reviewer_appointed", "tor_agreed", "report_sent", "published",
    ),
    "checks": ("checked_on",),
    "pauses": ("start", "end"),
    "revisions": ("recorded_on",),
    "decisions": ("decided",),
    "actions": ("closed_on",),
    "deaths": ("died", "notified", "jar", "information", "meeting", "reviewed"),
    "death_pauses": ("start", "end"),
}  # fmt: skip


class Derived:
    """The store's marks and due dates worked out from the record."""

    conn: sqlite3.Connection

    def mark_closed(self, ref: str, closed: bool) -> None:
        self.conn.execute("UPDATE incidents SET closed = ? WHERE ref = ?", [int(closed), ref])

    def dated_after(self, day: date) -> bool:
        """Whether anything recorded is dated after `day` (a case, a step, a check, a pause, a revision,
        a reconsidered decision, an action closed, a death or its stages): if not, the record as of
        `day` is the record as it stands."""
        return any(
            self.conn.execute(
                f"SELECT 1 FROM {table} WHERE {' OR '.join(f'{sql_name(c)} > ?1' for c in columns)} LIMIT 1",
                [day.isoformat()],
            ).fetchone()
            for table, columns in _DATED.items()
        )

    def last_dated(self) -> date | None:
        """The latest day anything recorded is dated (what dated_after asks about), if any."""
        found = [
            d
            for table, columns in _DATED.items()
            for d in self.conn.execute(f"SELECT {', '.join(f'max({sql_name(c)})' for c in columns)} FROM {table}").fetchone()
            if d
        ]
        return date.fromisoformat(max(found)) if found else None

    def due_dates_stamp(self) -> tuple[str | None, date | None]:
        """The stored due dates' stamp and the latest day recorded when they were worked out; None for
        the stamp when a change has taken it away since (see dues.py)."""
        stamp, _, latest = (self.meta("due_dates") or "").partition("; recorded up to ")
        try:
            return stamp or None, date.fromisoformat(latest) if latest else None
        except ValueError:  # a stamp edited by hand into something else: not fresh
            return None, None

    def due_dates(
        self, stamp: str, as_of: date, *, due_before: date | None = None, due_until: date | None = None
    ) -> tuple[str | None, str | None, Iterator[tuple]] | None:
        """The stored due dates, or None when they are not stamped `stamp` (out of date: see dues.py)
        or something recorded is dated after `as_of` (the record as of then was not the record now).

        Found: the earliest and the latest of their dates (in force or original, ISO), and the rows,
        earliest due first, read as they are iterated (inside a snapshot). `due_before`: only those
        running or paused with a date, in force or original, before it (what may be overdue then);
        `due_until`: only those running and due from `as_of` to that day (what may be due by then)."""
        found, latest = self.due_dates_stamp()
        if found != stamp or (latest is not None and latest > as_of):
            return None
        where, params = "", []
        if due_before is not None:
            where, params = f"WHERE state != '{WAITING}' AND (due < ?1 OR original_due < ?1)", [due_before.isoformat()]
        elif due_until is not None:
            where, params = f"WHERE state = '{RUNNING}' AND due >= ?1 AND due <= ?2", [as_of.isoformat(), due_until.isoformat()]
        span = self.conn.execute(
            f"SELECT min(due), max(due), min(original_due), max(original_due) FROM due_dates {where}", params
        ).fetchone()
        dates = [d for d in span if d]
        rows = self.conn.execute(f"SELECT {sql_columns(DUE_DATE_COLUMNS)} FROM due_dates {where} ORDER BY due, id", params)
        return min(dates, default=None), max(dates, default=None), rows

    def replace_due_dates(self, refs: set[str] | None, rows: list[tuple], stamp: str, latest: date | None) -> None:
        """Store the due dates of the cases and deaths `refs` (of all, with None) as `rows`, and
        stamp them, with `latest`, the latest day recorded (last_dated) (inside a write: the
        triggers on their sources, and on the rows, took the stamp away)."""
        if refs is None:
            self.conn.execute("DELETE FROM due_dates")
        else:
            self.conn.executemany("DELETE FROM due_dates WHERE ref = ?", [[r] for r in refs])
        self.conn.executemany(
            f"INSERT INTO due_dates ({sql_columns(DUE_DATE_COLUMNS)}) VALUES ({', '.join('?' for _ in DUE_DATE_COLUMNS)})",
            rows,
        )
        self.conn.execute(
            "INSERT INTO meta (name, value) VALUES ('due_dates', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [f"{stamp}; recorded up to {latest.isoformat() if latest else ''}"],
        )
