"""The history every change leaves, as the store reads it: each change's rows with their old and
new values, which change `undo` reverts, and putting a change's rows back as they were.

A part of `store.Store` (mixed into it): only SQLite, on the store's connection.
"""

import sqlite3
from collections.abc import Iterator

from csprcli.domain.errors import BadInput
from csprcli.store.rows import sql_columns, sql_name


class History:
    """The store's questions about its history, and undo."""

    conn: sqlite3.Connection

    def history(self, ref: str | None = None, change: int | None = None) -> Iterator[dict]:
        """Every recorded change to a row, newest first, with its change's when, who, command and reason."""
        conditions = [(c, v) for c, v in (("h.ref = ?", ref), ("h.change_id = ?", change)) if v is not None]
        where = ("WHERE " + " AND ".join(c for c, _ in conditions)) if conditions else ""
        cursor = self.conn.execute(
            "SELECT c.id, c.at, c.user, c.command, c.reason, c.undoes, h.ref, h.tbl, h.row_id, h.op, h.old, h.new "
            f"FROM history h JOIN changes c ON c.id = h.change_id {where} ORDER BY h.id DESC",
            [v for _, v in conditions],
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

    def change_rows(self, change: int) -> list[dict]:
        """The rows one change touched, in the order it touched them."""
        return list(reversed(list(self.history(change=change))))

    def revert(self, change: int) -> None:
        """Put every row a change touched back as it was. Call inside a transaction.

        Refuses if a row has changed since (so an undo never overwrites anyone's later work).
        """
        for row in reversed(self.change_rows(change)):
            table, rowid, old, new = row["table"], row["row_id"], row["old"], row["new"]
            current = self._row(table, rowid)
            if (current and {k: current[k] for k in (new or current)}) != new:
                raise BadInput(f"the {table} row changed again after change {change}; it cannot be undone safely")
            if row["op"] == "insert":
                self.conn.execute(f"DELETE FROM {table} WHERE rowid = ?", [rowid])
            elif row["op"] == "update":
                assignments = ", ".join(f"{sql_name(k)} = ?" for k in old)
                self.conn.execute(f"UPDATE {table} SET {assignments} WHERE rowid = ?", [*old.values(), rowid])
            else:
                self.conn.execute(
                    f"INSERT INTO {table} (rowid, {sql_columns(old)}) VALUES (?, {', '.join('?' for _ in old)})",
                    [rowid, *old.values()],
                )

    def _row(self, table: str, rowid: int) -> dict | None:
        cursor = self.conn.execute(f"SELECT * FROM {table} WHERE rowid = ?", [rowid])
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row)) if row else None

    def change(self, change: int) -> dict:
        names = ["id", "at", "user", "command", "reason", "undoes"]
        return dict(
            zip(names, self.conn.execute(f"SELECT {', '.join(names)} FROM changes WHERE id = ?", [change]).fetchone())
        )
