"""The history every change leaves, as the store reads it: each change's rows with their old and
new values, which change `undo` reverts, and putting a change's rows back as they were.

A part of `store.Store` (mixed into it), on either engine.
"""

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from csprcli.domain.errors import BadInput
from csprcli.store.dialect import row_key
from csprcli.store.rows import sql_columns, sql_name

if TYPE_CHECKING:
    from csprcli.store.dialect import Dialect


# The day a change was recorded: the day its write was made as of, or (made before csprcli kept that)
# the day it was made in England, worked out in Python (recorded_day); the SQL reads both.
_RECORDED_DAY = "c.as_of"
# A change that may have been recorded after :day: made as of a later day, or, without that, made on a
# UTC day that may be later in England (an hour ahead in summer).
_MAY_BE_AFTER = "coalesce({as_of}, {day_after_hour}) > :day"


def recorded_day(as_of: str | None, at: str) -> date:
    """The day a change was recorded: the day its write was made as of, else the day it was made in England."""
    if as_of:
        return date.fromisoformat(as_of)
    from datetime import datetime

    from csprcli.domain.dates import london_date

    return london_date(datetime.fromisoformat(at.replace("Z", "+00:00")))


class History:
    """The store's questions about its history, and undo."""

    conn: Any
    sql: "Dialect"

    def _may_be_after(self, table: str = "") -> str:
        prefix = f"{table}." if table else ""
        return _MAY_BE_AFTER.format(
            as_of=f"{prefix}as_of", day_after_hour=self.sql.day_after_hour.format(f"{prefix}at")
        )

    def history(
        self, ref: str | None = None, change: int | None = None, *, oldest_first: bool = False, limit: int | None = None
    ) -> Iterator[dict]:
        """Every recorded change to a row, newest first (or oldest first; the first `limit` only, if
        given), with its change's when, who, command and reason: one row at a time."""
        conditions = [(c, v) for c, v in (("h.ref = ?", ref), ("h.change_id = ?", change)) if v is not None]
        where = ("WHERE " + " AND ".join(c for c, _ in conditions)) if conditions else ""
        order = "ASC" if oldest_first else "DESC"
        cursor = self.conn.execute(
            'SELECT c.id, c.at, c."user", c.command, c.reason, c.undoes, h.ref, h.tbl, h.row_id, h.op, h.old, h.new '
            f"FROM history h JOIN changes c ON c.id = h.change_id {where} ORDER BY h.id {order}"
            + (" LIMIT ?" if limit is not None else ""),
            [v for _, v in conditions] + ([limit] if limit is not None else []),
        )
        import json  # only the history's readers need it

        names = ["change", "at", "user", "command", "reason", "undoes", "ref", "table", "row_id", "op", "old", "new"]
        for values in cursor:
            row = dict(zip(names, values))
            row["old"], row["new"] = (json.loads(row[k]) if row[k] else None for k in ("old", "new"))
            yield row

    def undoable(self, before: int | None = None) -> int | None:
        """The change `undo` reverts: the latest (before change `before`, if given) that is
        neither an undo nor undone already."""
        limit = "AND id < ?" if before is not None else ""
        params = [before] if before is not None else []
        undone = {
            u for (u,) in self.conn.execute(f"SELECT undoes FROM changes WHERE undoes IS NOT NULL {limit}", params)
        }
        for change, undoes in self.conn.execute(
            f"SELECT id, undoes FROM changes WHERE id IN (SELECT change_id FROM history) {limit} ORDER BY id DESC",
            params,
        ):
            if undoes is None and change not in undone:
                return change
        return None

    def change_rows(self, change: int, limit: int | None = None) -> Iterator[dict]:
        """The rows one change touched, in the order it touched them (the first `limit` only, if given)."""
        return self.history(change=change, oldest_first=True, limit=limit)

    def change_counts(self, change: int) -> dict[tuple[str, str], int]:
        """How many rows of each table one change inserted, updated and deleted, in the order it first did each."""
        return {
            (table, op): count
            for table, op, count in self.conn.execute(
                "SELECT tbl, op, count(*) FROM history WHERE change_id = ? GROUP BY tbl, op ORDER BY min(id)", [change]
            )
        }

    REVERT_BATCH = 1000  # history rows read at a time: an undo of 200,000 rows never holds them all

    def revert(self, change: int) -> None:
        """Put every row a change touched back as it was, newest first. Call inside a transaction.

        Refuses if a row has changed since (so an undo never overwrites anyone's later work). The
        change's rows are read a batch at a time (by id, below the last one read: the rows the undo
        itself adds to the history come after them all), so memory stays flat however large it is.
        """
        import json

        below = None
        while True:
            batch = self.conn.execute(
                "SELECT id, tbl, row_id, op, old, new FROM history WHERE change_id = ?"
                + (" AND id < ?" if below is not None else "")
                + " ORDER BY id DESC LIMIT ?",
                [change] + ([below] if below is not None else []) + [self.REVERT_BATCH],
            ).fetchall()
            if not batch:
                return
            for _, table, rowid, op, old, new in batch:
                old, new = (json.loads(v) if v else None for v in (old, new))
                self._revert_row(change, table, rowid, op, old, new)
            below = batch[-1][0]

    def _revert_row(self, change: int, table: str, rowid: int, op: str, old: dict | None, new: dict | None) -> None:
        """One row back as it was. A row is found by its id, or, in a table without one, by its key
        (dialect.ROW_KEYS) as the history's row holds it (`rowid` names SQLite's hidden rowid there)."""
        key = row_key(table)
        found = rowid if key == "id" else (new or old or {}).get(key)
        current = self._row(table, key, found)
        if (current and {k: current[k] for k in (new or current)}) != new:
            raise BadInput(f"the {table} row changed again after change {change}; it cannot be undone safely")
        where = f"WHERE {sql_name(key)} = ?"
        if op == "insert":
            self.conn.execute(f"DELETE FROM {table} {where}", [found])
        elif old is None:  # the history's triggers keep the row as it was for every update and delete
            raise ValueError(f"change {change} keeps no earlier {table} row to restore")
        elif op == "update":
            assignments = ", ".join(f"{sql_name(k)} = ?" for k in old)
            self.conn.execute(f"UPDATE {table} SET {assignments} {where}", [*old.values(), found])
        else:
            values = old if key != "id" else {"id": rowid} | old
            self.conn.execute(
                f"INSERT INTO {table} ({sql_columns(values)}) VALUES ({', '.join('?' for _ in values)})",
                list(values.values()),
            )

    def _row(self, table: str, key: str, value: Any) -> dict | None:
        cursor = self.conn.execute(f"SELECT * FROM {table} WHERE {sql_name(key)} = ?", [value])
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row)) if row else None

    def change(self, change: int) -> dict:
        names = ["id", "at", "user", "command", "reason", "undoes"]
        return dict(
            zip(names, self.conn.execute(f"SELECT {sql_columns(names)} FROM changes WHERE id = ?", [change]).fetchone())
        )

    # -- what was recorded when: a view of a past day reads what has no date of its own as it stood --

    def closure_changes(self) -> list[tuple[date, dict | None, dict | None]]:
        """Every change to the closure days, oldest first: (the day it was recorded; the row before,
        None for one added; the row after, None for one removed), from the history."""
        rows = self.conn.execute(
            f"SELECT {_RECORDED_DAY}, c.at, h.old, h.new FROM history h JOIN changes c ON c.id = h.change_id "
            "WHERE h.ref IS NULL AND h.tbl = 'closures' ORDER BY h.id"
        ).fetchall()
        if not rows:
            return []
        import json  # (only a register whose closure days changed has images to read)

        return [(recorded_day(as_of, at), json.loads(old) if old else None, json.loads(new) if new else None)
                for as_of, at, old, new in rows]  # fmt: skip

    def planned_changes(self, after: date) -> dict[str, list[tuple[date, str | None]]]:
        """The changes of each case's planned publication that may have been recorded after `after`,
        oldest first: {reference: [(the day recorded, the planned date before it, ISO or None)]}."""
        found: dict[str, list] = {}
        planned = [self.sql.json_text.format(f"h.{image}", "planned_publication") for image in ("old", "new")]
        rows = self.conn.execute(
            f"SELECT h.ref, {_RECORDED_DAY}, c.at, {planned[0]} "
            "FROM history h JOIN changes c ON c.id = h.change_id "
            f"WHERE h.tbl = 'incidents' AND h.op = 'update' AND {self._may_be_after('c')} "
            f"AND {planned[0]} {self.sql.distinct} {planned[1]} ORDER BY h.id",
            {"day": after.isoformat()},
        )
        for ref, as_of, at, old in rows:
            day = recorded_day(as_of, at)
            if day > after:
                found.setdefault(ref, []).append((day, old))
        return found

    def recorded_after(self, day: date) -> bool:
        """Whether any write may have been made as of a day after `day` (its settings, closure days,
        planned dates and actions were not as they stood that evening)."""
        return (
            self.conn.execute(
                f"SELECT 1 FROM changes WHERE {self._may_be_after()} LIMIT 1", {"day": day.isoformat()}
            ).fetchone()
            is not None
        )
