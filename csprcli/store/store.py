"""The only module that touches SQLite: named queries, reads and writes, each write in one
`BEGIN IMMEDIATE` transaction (all or nothing). The file itself (opening, upgrading, backups)
is database.py's; the history's queries and undo are history.py's, mixed into the store.
"""

from __future__ import annotations  # the model's classes are imported only where records are read or written

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from csprcli.domain.dates import FIRST_YEAR, LAST_YEAR
from csprcli.domain.errors import BadInput, UnknownCase
from csprcli.store.history import _RECORDED_DAY, History, recorded_day
from csprcli.store.rows import reader, sql_columns, sql_name, sql_value, stored_date

if TYPE_CHECKING:
    from csprcli.domain.model import Death, DeathPause, Incident

# The bank holidays stored: every year csprcli keeps (the one fact: dates.FIRST_YEAR to LAST_YEAR),
# and eleven more, so that a deadline counted from the last year kept can run past its end.
CALENDAR_YEARS = (FIRST_YEAR, LAST_YEAR + 11)
BUSY_TIMEOUT_SECONDS = 30


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
        [f.name for f in fields(Incident) if f.name not in related],
        [f.name for f in fields(Death) if f.name != "pauses"],  # pauses: a table of their own
        [f.name for f in fields(DeathPause)],
    )


class Store(History):
    """An open csprcli database. `command` names the command in the history of its writes."""

    def __init__(self, conn: sqlite3.Connection, path: Path, command: str = "csprcli"):
        self.conn = conn
        self.path = path
        self.command = command
        self.change_id: int | None = None  # the change the open transaction records
        self.recorded: list[tuple[int, list[str]]] = []  # (change, references) of each write committed
        self.warnings: list[str] = []
        self.refuse_writes: str | None = None  # why this session may not write, if it may not
        self.as_of: date | None = (
            None  # the day the writes are made as of (the command's --as-of), kept with each change
        )
        self.earlier_schema = False  # a database from an earlier csprcli, opened only to copy it (db backup)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self, *, reason: str | None = None, undoes: int | None = None, keep: bool = True) -> Iterator[None]:
        """One write, all or nothing, recorded in the history as one change.

        IMMEDIATE takes the write lock at the start, so two writers queue (for up to
        BUSY_TIMEOUT_SECONDS) instead of failing half-way. With keep=False (a dry run)
        everything is checked and then rolled back.
        """
        if self.refuse_writes:
            raise BadInput(self.refuse_writes)
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            change_id = self.conn.execute(
                "INSERT INTO changes (user, command, reason, undoes, as_of) VALUES (?, ?, ?, ?, ?)",
                [current_user(), self.command, reason, undoes, self.as_of.isoformat() if self.as_of else None],
            ).lastrowid
            assert change_id is not None  # an INSERT always gives the row it made
            self.change_id = change_id
            self._refresh_bank_holidays()
            yield
            refs = [
                r
                for (r,) in self.conn.execute(
                    "SELECT DISTINCT ref FROM history WHERE change_id = ? AND ref IS NOT NULL", [self.change_id]
                )
            ]
        except BaseException:
            rollback(self.conn)
            raise
        self.conn.execute("COMMIT" if keep else "ROLLBACK")
        if keep:
            self.recorded.append((change_id, refs))

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

    # -- incidents ----------------------------------------------------------

    def incidents(self, *, children: bool = True) -> Iterator[Incident]:
        """Every incident with its related records, oldest first, one at a time: a list of years of
        cases need not all be held at once. `children=False` leaves the children out, for work that
        has no use for them."""
        return self._incidents("", children=children)

    def incidents_to_do(
        self, as_of: date, steps: list[str], review_steps: list[str], review_outcomes: list[str]
    ) -> Iterator[Incident]:
        """The incidents known by `as_of` that may still have something to do at the end of that day,
        without their children: every one except those where each of `steps` is dated on or before
        `as_of`, each of `review_steps` too unless no decision was ever one of `review_outcomes`, and
        no action was open then. Which steps a case owes is the lifecycle's to say (lifecycle.to_do):
        this only leaves out the cases with nothing left on any reading."""
        day = as_of.isoformat()
        done = lambda names: " AND ".join(_DONE_BY.get(n, f"ifnull({sql_name(n)}, '~') <= :day") for n in names) or "1"  # noqa: E731
        outcomes = ", ".join(f"'{o}'" for o in review_outcomes) or "NULL"
        where = (
            f"WHERE aware <= :day AND NOT ({done(steps)} AND ("
            f"({done(review_steps)}) OR (ifnull(outcome, '') NOT IN ({outcomes}) AND NOT EXISTS "
            f"(SELECT 1 FROM exchange d WHERE d.incident_id = incidents.id AND d.step = 'decision' "
            f"AND d.outcome IN ({outcomes}))))"
            " AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.incident_id = incidents.id AND ifnull(a.closed_on, '~') > :day))"
        )
        return self._incidents(where, {"day": day}, children=False)

    # examples/sample-cases.sh's first case: its reference with its notification system's reference
    SAMPLE_CASE = ("SI-2025-001", "SIN-2025-88231")

    def holds_sample_cases(self) -> bool:
        """The database holds the sample cases (examples/sample-cases.sh), not a partnership's own."""
        query = "SELECT 1 FROM incidents WHERE ref = ? AND sin_ref = ? LIMIT 1"
        try:
            return self.conn.execute(query, self.SAMPLE_CASE).fetchone() is not None
        except sqlite3.Error:  # asked after a write, to warn: never in the way of the real outcome
            return False

    def incident(self, ref: str) -> Incident:
        found = next(self._incidents("WHERE ref = ?", [ref.strip().upper()]), None)
        if found is None:
            raise self.unknown_case(ref)
        return found

    def unknown_case(self, ref: str) -> UnknownCase:
        """The error for a reference with no case: with the nearest recorded reference, or the case
        whose child has that reference when a child reference was given."""
        from csprcli.domain.choices import nearest

        typed = ref.strip()
        child_of = tuple(
            row[0]
            for row in self.conn.execute(
                "SELECT DISTINCT i.ref FROM children c JOIN incidents i ON i.id = c.incident_id "
                "WHERE c.reference = ? COLLATE NOCASE ORDER BY i.id",
                [typed],
            )
        )
        if child_of:
            return UnknownCase(typed, child_of=child_of)
        refs = [row[0] for row in self.conn.execute("SELECT ref FROM incidents")]
        return UnknownCase(ref, nearest=nearest(typed.upper(), refs, cutoff=0.75))

    def _incidents(
        self, where: str, params: list | dict[str, str] | None = None, children: bool = True
    ) -> Iterator[Incident]:
        """The incidents `where` selects with their related records, read side by side in the order
        of the incidents' ids (a merge), so that only one incident's records are held at a time."""
        from csprcli.domain.model import Incident

        kept = layout()
        related = [
            (name, self._related(name, cls, where, params))
            for name, cls in kept.related.items()
            if children or name != "children"
        ]
        heads = [next(rows, None) for _, rows in related]
        as_incident = reader(Incident, kept.incident_fields)
        rows = self.conn.execute(
            f"SELECT {sql_columns(kept.incident_fields)}, id FROM incidents {where} ORDER BY id", params or []
        )
        for row in rows:
            found = {}
            for n, head in enumerate(heads):
                if head is None or head[0] > row[-1]:
                    continue  # most cases have none of most kinds of record
                name, records = related[n]
                mine = []
                while head is not None and head[0] <= row[-1]:
                    if head[0] == row[-1]:  # (a record of a case not read, added meanwhile, is passed over)
                        mine.append(head[1])
                    head = next(records, None)
                heads[n] = head
                if mine:
                    found[name] = tuple(mine)
            yield as_incident(row, **found)

    def _related(
        self, table: str, cls, where: str = "", params: list | dict[str, str] | None = None
    ) -> Iterator[tuple[int, object]]:
        """A related table's records with their incident's id, in the order of the incidents' ids
        and, under each, the order they were recorded in, for the incidents `where` selects."""
        names = [f.name for f in fields(cls)]
        where = f"WHERE incident_id IN (SELECT id FROM incidents {where})" if where else ""
        cursor = self.conn.execute(
            f"SELECT {sql_columns(names)}, incident_id FROM {table} {where} ORDER BY incident_id, id", params or []
        )
        as_record = reader(cls, names)
        return ((row[-1], as_record(row)) for row in cursor)

    def next_ref(self, year: int) -> str:
        """The next reference of a year: SI-2026-001, SI-2026-002, ... never reused, even after an undo."""
        prefix = f"SI-{year}-"
        (last,) = self.conn.execute(
            "SELECT max(CAST(substr(ref, ?) AS INTEGER)) FROM "
            "(SELECT ref FROM incidents UNION SELECT ref FROM history WHERE tbl = 'incidents') WHERE ref LIKE ?",
            [len(prefix) + 1, prefix + "%"],
        ).fetchone()
        return f"{prefix}{(last or 0) + 1:03d}"

    def case_about(self, child: str, aware: date) -> str | None:
        """The reference of a case about this child with this aware date, if one is recorded."""
        row = self.conn.execute(
            "SELECT ref FROM incidents WHERE child = ? AND aware = ? ORDER BY id LIMIT 1", [child, aware.isoformat()]
        ).fetchone()
        return row[0] if row else None

    def case_keys(self) -> list[tuple[str, str, date]]:
        """(reference, child reference, aware date) of every case, to find one recorded twice."""
        return [
            (r, c, stored_date(a, "incident's aware"))
            for r, c, a in self.conn.execute("SELECT ref, child, aware FROM incidents")
        ]

    def known_ref(self, ref: str) -> str:
        """A reference as recorded, for a case that exists or once existed (it may have been undone)."""
        ref = ref.strip().upper()
        if self.conn.execute("SELECT 1 FROM history WHERE ref = ? LIMIT 1", [ref]).fetchone() is None:
            return self.incident(ref).ref
        return ref

    def insert_incident(self, incident: Incident) -> None:
        values = {name: getattr(incident, name) for name in layout().incident_fields}
        self.insert_row("incidents", values)
        for child in incident.children:
            self.insert_related("children", incident.ref, child)
        for step in incident.exchange:  # an imported case's Panel response
            self.insert_related("exchange", incident.ref, step)

    def insert_incidents(self, batch: list[tuple[str, Incident]]) -> None:
        """Many new incidents at once, each under the reference given (for an import)."""
        kept = layout()
        columns = kept.incident_fields
        self.conn.executemany(
            f"INSERT INTO incidents ({sql_columns(columns)}) VALUES ({', '.join('?' for _ in columns)})",
            (
                [ref if name == "ref" else sql_value(getattr(incident, name)) for name in kept.incident_fields]
                for ref, incident in batch
            ),
        )
        names = [f.name for f in fields(kept.related["children"])]
        self.conn.executemany(
            f"INSERT INTO children (incident_id, {sql_columns(names)}) "
            f"SELECT id, {', '.join('?' for _ in names)} FROM incidents WHERE ref = ?",
            (
                [sql_value(getattr(child, n)) for n in names] + [ref]
                for ref, incident in batch
                for child in incident.children
            ),
        )
        names = [f.name for f in fields(kept.related["exchange"])]
        self.conn.executemany(  # an imported case's Panel response, the first step of its exchange with the Panel
            f"INSERT INTO exchange (incident_id, {sql_columns(names)}) "
            f"SELECT id, {', '.join('?' for _ in names)} FROM incidents WHERE ref = ?",
            (
                [sql_value(getattr(step, n)) for n in names] + [ref]
                for ref, incident in batch
                for step in incident.exchange
            ),
        )

    def update_incident(self, ref: str, **changes) -> None:
        unknown = set(changes) - set(layout().incident_fields)
        if unknown:
            raise ValueError(f"not incident fields: {sorted(unknown)}")
        self.conn.execute(
            f"UPDATE incidents SET {', '.join(f'{sql_name(n)} = ?' for n in changes)} WHERE ref = ?",
            [sql_value(v) for v in changes.values()] + [ref],
        )

    def insert_related(self, table: str, ref: str, record) -> None:
        """Add a child, a progress check, a pause, a revision or an action to an incident."""
        assert layout().related[table] is type(record)
        values = {f.name: getattr(record, f.name) for f in fields(record)}
        values["incident_id"] = self._incident_id(ref)
        self.insert_row(table, values)

    def update_related(self, table: str, ref: str, key: str, key_value, **changes) -> None:
        """Change fields of one related record, found by `key` (a child's reference, an action's number, ...)."""
        self.conn.execute(
            f"UPDATE {table} SET {', '.join(f'{sql_name(n)} = ?' for n in changes)} "
            f"WHERE incident_id = ? AND {sql_name(key)} = ?",
            [sql_value(v) for v in changes.values()] + [self._incident_id(ref), sql_value(key_value)],
        )

    def update_latest_step(self, ref: str, step, **changes) -> None:
        """Change fields of the latest step of a kind in a case's exchange with the Panel."""
        self.conn.execute(
            f"UPDATE exchange SET {', '.join(f'{sql_name(n)} = ?' for n in changes)} WHERE id = "
            "(SELECT max(id) FROM exchange WHERE incident_id = ? AND step = ?)",
            [sql_value(v) for v in changes.values()] + [self._incident_id(ref), sql_value(step)],
        )

    def _incident_id(self, ref: str) -> int:
        row = self.conn.execute("SELECT id FROM incidents WHERE ref = ?", [ref]).fetchone()
        if row is None:
            raise self.unknown_case(ref)
        return row[0]

    def insert_row(self, table: str, values: dict) -> None:
        """One row into a table, as given (values as the records hold them)."""
        self.conn.execute(
            f"INSERT INTO {table} ({sql_columns(values)}) VALUES ({', '.join('?' for _ in values)})",
            [sql_value(v) for v in values.values()],
        )

    # -- child deaths -------------------------------------------------------

    def deaths(self) -> list[Death]:
        """Every child death recorded, in the order they happened."""
        return self._deaths("")

    def deaths_awaiting_notification(self, as_of: date) -> list[Death]:
        """The child deaths known by the end of `as_of` and not notified by then."""
        return self._deaths("WHERE died <= ?1 AND ifnull(notified, '~') > ?1", [as_of.isoformat()])

    def deaths_linked_to(self, ref: str) -> list[Death]:
        return self._deaths("WHERE incident_ref = ?", [ref])

    def deaths_up_to(self, last: date) -> list[Death]:
        """The deaths that happened on or before `last`."""
        return self._deaths("WHERE died <= ?", [last.isoformat()])

    def _deaths(self, where: str, params: list | None = None) -> list[Death]:
        from csprcli.domain.model import Death, DeathPause

        kept = layout()
        cursor = self.conn.execute(
            f"SELECT {sql_columns(kept.death_fields)} FROM deaths {where} ORDER BY died, ref", params or []
        )
        as_death = reader(Death, kept.death_fields)
        found = [as_death(row) for row in cursor]
        if found:  # each death's pauses, in one query
            import json

            pauses: dict[str, list[DeathPause]] = {}
            as_pause = reader(DeathPause, kept.death_pause_fields)
            rows = self.conn.execute(
                f"SELECT {sql_columns(kept.death_pause_fields)}, ref FROM death_pauses "
                "WHERE ref IN (SELECT value FROM json_each(?)) ORDER BY start, id",
                [json.dumps([d.ref for d in found])],
            )
            for row in rows:
                pauses.setdefault(row[-1], []).append(as_pause(row))
            for death in found:
                death.__dict__["pauses"] = tuple(pauses.get(death.ref, ()))
        return found

    def death(self, ref: str) -> Death:
        found = self._deaths("WHERE ref = ?", [ref.strip().upper()])
        if not found:
            from csprcli.domain.model import DEATH_REF

            raise BadInput(
                f"no child death recorded as '{ref.strip().upper()}'; 'csprcli death list' shows them"
                if DEATH_REF.fullmatch(ref.strip().upper())
                else "no child death with that reference"
            )
        return found[0]

    def insert_death(self, death: Death) -> None:
        try:
            self.insert_row("deaths", {name: getattr(death, name) for name in layout().death_fields})
        except sqlite3.IntegrityError:
            raise BadInput(f"{death.ref} is already recorded; 'csprcli death show {death.ref}'") from None

    def add_death_pause(self, ref: str, pause: DeathPause) -> None:
        self.insert_row(
            "death_pauses", {"ref": ref} | {name: getattr(pause, name) for name in layout().death_pause_fields}
        )

    def end_death_pause(self, ref: str, start: date, end: date) -> None:
        self.conn.execute(
            'UPDATE death_pauses SET "end" = ? WHERE ref = ? AND start = ? AND "end" IS NULL',
            [end.isoformat(), ref, start.isoformat()],
        )

    def update_death(self, ref: str, **changes) -> None:
        self.conn.execute(
            f"UPDATE deaths SET {', '.join(f'{sql_name(n)} = ?' for n in changes)} WHERE ref = ?",
            [sql_value(v) for v in changes.values()] + [ref],
        )

    # -- dates after today (a machine clock that ran ahead) -------------------

    def dated_after(self, day: date, refs: list[str] | None = None) -> list[tuple[str, str, date]]:
        """(reference, field, date) of every recorded date after `day` of something that has
        happened (an aware date, a notification, a progress check, a death; not a target or a
        planned day), of the cases and deaths `refs` only if given: soonest first. Such a date
        comes from a machine clock that ran ahead (or a hand edit): as of today it has not happened,
        so every view leaves it out."""
        where = "" if refs is None else "AND ref IN (SELECT value FROM json_each(?))"
        parts, params = [], []
        for table, columns in happened_dates().items():
            source = (
                table
                if table in ("incidents", "deaths", "death_pauses")
                else f"(SELECT i.ref AS ref, t.* FROM {table} t JOIN incidents i ON i.id = t.incident_id)"
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
        return [
            ref
            for (ref,) in self.conn.execute(
                "SELECT DISTINCT ref FROM history WHERE change_id IN (SELECT value FROM json_each(?)) AND ref IS NOT NULL",
                [json.dumps(ahead)],
            )
        ]

    # -- reading and writing -------------------------------------------------

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one state of the database, even while another process writes."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            rollback(self.conn)  # nothing was written: a read only lets go

    # -- settings -----------------------------------------------------------

    def settings(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT name, value FROM settings"))

    def setting_changes(self) -> list[tuple[date, str, str | None]]:
        """Every change to a setting, oldest first: (the day it was recorded; name; value, None when
        it went back to its default), from the history."""
        import json

        found = []
        rows = self.conn.execute(
            f"SELECT {_RECORDED_DAY}, c.at, h.old, h.new FROM history h JOIN changes c ON c.id = h.change_id "
            "WHERE h.ref IS NULL AND h.tbl = 'settings' ORDER BY h.id"  # ref IS NULL: by the index
        )
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
        except sqlite3.IntegrityError:
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


# Steps done by :day that are not a column of their own: the Panel answered the latest sending (a
# response after it, in the exchange's order).
_DONE_BY = {
    "panel_answered": "EXISTS (SELECT 1 FROM exchange r WHERE r.incident_id = incidents.id AND r.step = 'response' "
    "AND r.day <= :day AND NOT EXISTS (SELECT 1 FROM exchange s WHERE s.incident_id = r.incident_id "
    "AND s.step = 'sent' AND s.day <= :day AND s.id > r.id))",
}


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already: after a full disk or an I/O error it
    has, and a second ROLLBACK would raise "no transaction is active" over the real error."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the error being handled says more (or the connection is closed: nothing to roll back)


def current_user() -> str:
    """The operating-system user, for the history."""
    import getpass

    from csprcli.domain.checks import plain_name

    fallback = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    try:
        # The same rule as a full export's changes are loaded by: a plain name (USER or LOGNAME
        # holding a control character, or too long, is not one).
        return plain_name(getpass.getuser(), "the user")
    except (KeyError, OSError, BadInput):
        return fallback
