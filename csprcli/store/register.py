"""The register's tables beside the cases, mixed into `store.Store`: the bank holidays kept from the
holidays package, settings, closure days, the register's identity, what the calendar feed last
published, and the recorded dates after today (a machine clock that ran ahead)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from csprcli.domain.dates import FIRST_YEAR, LAST_YEAR
from csprcli.domain.errors import BadInput
from csprcli.store.dialect import rollback
from csprcli.store.history import _RECORDED_DAY, recorded_day
from csprcli.store.layout import happened_dates
from csprcli.store.rows import sql_name, stored_date

if TYPE_CHECKING:
    from csprcli.store.dialect import Dialect

# The bank holidays stored: every year csprcli keeps (the one fact: dates.FIRST_YEAR to LAST_YEAR),
# and eleven more, so that a deadline counted from the last year kept can run past its end.
CALENDAR_YEARS = (FIRST_YEAR, LAST_YEAR + 11)


class RegisterTables:
    """The store's reads and writes of everything but the cases and deaths."""

    conn: Any
    sql: Dialect
    integrity_errors: tuple[type[BaseException], ...]

    def may_write(self) -> None:
        raise NotImplementedError  # the store's

    # -- bank holidays, kept from the holidays package ------------------------

    def meta(self, name: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE name = ?", [name]).fetchone()
        return row[0] if row else None

    def bank_holidays(self, years: range | None = None) -> dict[date, str] | None:
        """England and Wales bank holidays as stored (of `years` only, if given), or None if they never were."""
        if years is None:
            rows = self.conn.execute("SELECT day, name FROM bank_holidays").fetchall()
        else:
            span = [f"{years.start:04d}-01-01", f"{years.stop - 1:04d}-12-31"]
            rows = self.conn.execute("SELECT day, name FROM bank_holidays WHERE day BETWEEN ? AND ?", span).fetchall()
        return {stored_date(d, "bank holiday"): n for d, n in rows} or None

    def _refresh_bank_holidays(self) -> None:
        """Store the bank holidays again when the installed `holidays` package is not the one that filled them."""
        from importlib.metadata import version

        source = f"holidays {version('holidays')}"
        if self.meta("bank_holidays") == source:
            return
        from csprcli.domain.calendar import england_and_wales_bank_holidays_between

        self.conn.execute("DELETE FROM bank_holidays")
        self.conn.executemany(
            "INSERT INTO bank_holidays (day, name) VALUES (?, ?)",
            [(d.isoformat(), n) for d, n in england_and_wales_bank_holidays_between(*CALENDAR_YEARS).items()],
        )
        self.conn.execute(
            "INSERT INTO meta (name, value) VALUES ('bank_holidays', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [source],
        )

    # -- dates after today (a machine clock that ran ahead) -------------------

    def dated_after(self, day: date, refs: list[str] | None = None) -> list[tuple[str, str, date]]:
        """(reference, field, date) of every recorded date after `day` of something that has
        happened (an aware date, a notification, a progress check, a death; not a target or a
        planned day), of the cases and deaths `refs` only if given: soonest first. Such a date
        comes from a machine clock that ran ahead (or a hand edit): as of today it has not happened,
        so every view leaves it out."""
        import json

        where = "" if refs is None else f"AND ref IN ({self.sql.each_text})"
        parts, params = [], []
        for table, columns in happened_dates().items():
            source = (
                table
                if table in ("incidents", "deaths", "death_pauses")
                else f"(SELECT i.ref AS ref, t.* FROM {table} t JOIN incidents i ON i.id = t.incident_id) AS kept"
            )
            for column in columns:
                parts.append(
                    f"SELECT ref, '{column}', {sql_name(column)} FROM {source} WHERE {sql_name(column)} > ? {where}"
                )
                params += [day.isoformat()] + ([] if refs is None else [json.dumps(refs)])
        rows = self.conn.execute(" UNION ALL ".join(parts) + " ORDER BY 3, 1", params)
        return [(ref, column, stored_date(value, f"{column} date")) for ref, column, value in rows]

    def changes_after(self, instant: str) -> list[str]:
        """The references of the cases and deaths changed by a change recorded after `instant`
        (UTC, as the history keeps it): cheap to ask on every command (one row per change), and
        where a machine clock that ran ahead leaves its mark."""
        ahead = [change for (change,) in self.conn.execute("SELECT id FROM changes WHERE at > ?", [instant])]
        if not ahead:
            return []
        import json

        return [
            ref
            for (ref,) in self.conn.execute(
                f"SELECT DISTINCT ref FROM history WHERE change_id IN ({self.sql.each_int}) AND ref IS NOT NULL",
                [json.dumps(ahead)],
            )
        ]

    # -- settings -----------------------------------------------------------

    def settings(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT name, value FROM settings"))

    def setting_changes(self) -> list[tuple[date, str, str | None]]:
        """Every change to a setting, oldest first: (the day it was recorded; name; value, None when
        it went back to its default), from the history."""
        rows = self.conn.execute(
            f"SELECT {_RECORDED_DAY}, c.at, h.old, h.new FROM history h JOIN changes c ON c.id = h.change_id "
            "WHERE h.ref IS NULL AND h.tbl = 'settings' ORDER BY h.id"  # ref IS NULL: by the index
        ).fetchall()
        if not rows:
            return []
        import json  # (only a register whose settings changed has images to read)

        found = []
        for as_of, at, old, new in rows:
            row = json.loads(new) if new else None
            name = row["name"] if row else json.loads(old)["name"]
            found.append((recorded_day(as_of, at), name, row["value"] if row else None))
        return found

    def set_setting(self, name: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [name, value],
        )

    # -- closures -----------------------------------------------------------

    def closures(self) -> dict[date, str]:
        return {stored_date(d, "closure day"): r for d, r in self.conn.execute("SELECT day, reason FROM closures")}

    def add_closure(self, day: date, reason: str) -> None:
        try:
            self.conn.execute("INSERT INTO closures (day, reason) VALUES (?, ?)", [day.isoformat(), reason])
        except self.integrity_errors:
            raise BadInput(f"{day.isoformat()} is already recorded as a closure day") from None

    def remove_closure(self, day: date) -> None:
        cursor = self.conn.execute("DELETE FROM closures WHERE day = ?", [day.isoformat()])
        if cursor.rowcount == 0:
            raise BadInput(f"{day.isoformat()} is not a recorded closure day; 'csprcli holidays' lists them")

    # -- the calendar feed, as published ------------------------------------

    def register_identity(self) -> str:
        """This register's identity, made once with the database (migration 0016)."""
        return self.conn.execute("SELECT identity FROM register WHERE id = 1").fetchone()[0]

    def take_register_identity(self, identity: str) -> None:
        """Take a loaded register's identity (a full export loaded into a new database is that register)."""
        self.conn.execute("UPDATE register SET identity = ? WHERE id = 1", [identity])

    def published_events(self) -> dict[str, dict]:
        """What the calendar feed last published of each event, by UID."""
        cursor = self.conn.execute("SELECT uid, day, summary, description, status, sequence FROM published_events")
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names, row)) | {"day": date.fromisoformat(row[1])} for row in cursor}

    def record_published(self, events: list[dict], before: dict[str, dict]) -> None:
        """Keep the events just published (each a dict of the table's columns); writes nothing when none changed."""
        changed = [e for e in events if before.get(e["uid"]) != e]
        if not changed:
            return
        self.may_write()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.executemany(
                "INSERT INTO published_events (uid, day, summary, description, status, sequence) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO UPDATE SET day = excluded.day, "
                "summary = excluded.summary, description = excluded.description, status = excluded.status, "
                "sequence = excluded.sequence",
                [
                    (e["uid"], e["day"].isoformat(), e["summary"], e["description"], e["status"], e["sequence"])
                    for e in changed
                ],
            )
        except BaseException:
            rollback(self.conn)
            raise
        self.conn.execute("COMMIT")
