"""The named queries of a csprcli register, on either engine (SQLite or a PostgreSQL server): reads,
and writes each in one transaction (all or nothing) that serialises writers. Each query is written
once, in SQL both engines take; the few fragments that differ are the dialect's (dialect.py).
Opening, upgrading and backing up the database is database.py's (sqlite_file.py, postgres.py); the
history's queries and undo are history.py's, the deaths' deaths.py's and the other tables'
register.py's, each mixed into the store.
"""

from __future__ import annotations  # the model's classes are imported only where records are read or written

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from csprcli.domain.errors import BadInput, StoreError, UnknownCase
from csprcli.store.deaths import Deaths
from csprcli.store.dialect import POSTGRES, SQLITE, rollback  # noqa: F401  (rollback: imported from here)
from csprcli.store.history import History
from csprcli.store.layout import Layout, happened_dates, layout  # noqa: F401  (imported from here)
from csprcli.store.register import CALENDAR_YEARS, RegisterTables  # noqa: F401  (imported from here)
from csprcli.store.rows import reader, sql_columns, sql_name, sql_value, stored_date

if TYPE_CHECKING:
    from csprcli.domain.model import Incident

BUSY_TIMEOUT_SECONDS = 30


class Store(History, Deaths, RegisterTables):
    """An open csprcli register. `command` names the command in the history of its writes. `conn` is a
    sqlite3 connection or postgres.Connection (the same face); `path` the SQLite file, or the
    server's address as it may be printed (without its password)."""

    def __init__(self, conn: Any, path: Any, command: str = "csprcli"):
        self.conn = conn
        self.path = path
        self.engine: str = getattr(conn, "engine", "sqlite")
        self.sql = POSTGRES if self.engine == "postgresql" else SQLITE
        self.integrity_errors = integrity_errors(self.engine)
        self.role = ""  # on a server: the database role this connection writes as
        self.access = "officer"  # on a server: what the role may do (officer: read and write; reader)
        self.server_version = ""
        self.address = ""  # on a server: its address without a password (for pg_dump)
        self.read_only: str | None = None  # on a server: why this role may not write (exit 3), if it may not
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

        IMMEDIATE takes the write lock at the start (on a server, the writers' advisory lock), so two
        writers queue (for up to BUSY_TIMEOUT_SECONDS) instead of failing half-way. With keep=False (a
        dry run) everything is checked and then rolled back.
        """
        self.may_write()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            (change_id,) = self.conn.execute(
                'INSERT INTO changes ("user", command, reason, undoes, as_of) VALUES (?, ?, ?, ?, ?) RETURNING id',
                [
                    self.who(),
                    self.command,
                    reason,
                    undoes,
                    self.as_of.isoformat() if self.as_of else None,
                ],
            ).fetchone()
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

    def who(self) -> str:
        """Who this session's writes are recorded as: the database role on a server, the
        operating-system user on SQLite."""
        return self.role or current_user()

    def may_write(self) -> None:
        """Refuse a write this session may not make, before anything is sent: a --as-of after today
        (BadInput, exit 2), or a server role that may only read (StoreError, exit 3)."""
        if self.refuse_writes:
            raise BadInput(self.refuse_writes)
        if self.read_only:
            raise StoreError(self.read_only)

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
        done = lambda names: (  # noqa: E731
            " AND ".join(_DONE_BY.get(n, f"coalesce({sql_name(n)}, '~') <= :day") for n in names) or "1=1"
        )
        outcomes = ", ".join(f"'{o}'" for o in review_outcomes) or "NULL"
        where = (
            f"WHERE aware <= :day AND NOT ({done(steps)} AND ("
            f"({done(review_steps)}) OR (coalesce(outcome, '') NOT IN ({outcomes}) AND NOT EXISTS "
            f"(SELECT 1 FROM exchange d WHERE d.incident_id = incidents.id AND d.step = 'decision' "
            f"AND d.outcome IN ({outcomes}))))"
            " AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.incident_id = incidents.id AND coalesce(a.closed_on, '~') > :day))"
        )
        return self._incidents(where, {"day": day}, children=False)

    # examples/sample-cases.sh's first two cases: each reference with its notification system's
    # reference. Both: the README's worked example records the first one alone, in a register of one's own.
    SAMPLE_CASES = (("SI-2025-001", "SIN-2025-88231"), ("SI-2025-002", "SIN-2025-88415"))

    def holds_sample_cases(self) -> bool:
        """The database holds the sample cases (examples/sample-cases.sh), not a partnership's own."""
        query = "SELECT count(*) FROM incidents WHERE " + " OR ".join(
            ["(ref = ? AND sin_ref = ?)"] * len(self.SAMPLE_CASES)
        )
        try:
            (found,) = self.conn.execute(query, [v for case in self.SAMPLE_CASES for v in case]).fetchone()
            return found == len(self.SAMPLE_CASES)
        except Exception:  # asked after a write, to warn: never in the way of the real outcome
            return False

    def incident(self, ref: str) -> Incident:
        found = next(self._incidents("WHERE ref = ?", [ref.strip().upper()], few=True), None)
        if found is None:
            raise self.unknown_case(ref)
        return found

    def unknown_case(self, ref: str) -> UnknownCase:
        """The error for a reference with no case: with the nearest recorded reference, or the case
        whose child has that reference when a child reference was given."""
        from csprcli.domain.choices import nearest

        typed = ref.strip()
        if self.conn.execute("SELECT 1 FROM deaths WHERE ref = ?", [typed.upper()]).fetchone():
            return UnknownCase(typed.upper(), death=True)
        child_of = tuple(
            row[0]
            for row in self.conn.execute(
                "SELECT i.ref FROM incidents i WHERE EXISTS (SELECT 1 FROM children c "
                "WHERE c.incident_id = i.id AND lower(c.reference) = lower(?)) ORDER BY i.id",
                [typed],
            )
        )
        if child_of:
            return UnknownCase(typed, child_of=child_of)
        refs = [row[0] for row in self.conn.execute("SELECT ref FROM incidents")]
        return UnknownCase(ref, nearest=nearest(typed.upper(), refs, cutoff=0.75))

    def _incidents(
        self, where: str, params: list | dict[str, str] | None = None, children: bool = True, *, few: bool = False
    ) -> Iterator[Incident]:
        """The incidents `where` selects with their related records, read side by side in the order
        of the incidents' ids (a merge), so that only one incident's records are held at a time.
        `few`: `where` selects a case or two (by reference), so each related table is joined to
        them; otherwise each related table is read whole and a record of a case not chosen is passed
        over unmade (cheaper than the engine working `where` out again for each record)."""
        from csprcli.domain.model import Incident

        kept = layout()
        joined = (where, params) if few else ("", None)  # a listing reads each related table whole
        related = [
            (name, self._related(name, cls, *joined), reader(cls, cls._fields))
            for name, cls in kept.related.items()
            if children or name != "children"
        ]
        heads = [next(rows, None) for _, rows, _ in related]
        # A kind of record that no case has drops out before the first case.
        related = [kind for kind, head in zip(related, heads) if head is not None]
        heads = [head for head in heads if head is not None]
        as_incident = reader(Incident, kept.incident_fields)
        rows = self.conn.execute(
            f"SELECT {sql_columns(kept.incident_fields)}, id FROM incidents {where} ORDER BY id", params or []
        )
        for row in rows:
            found = {}
            for n, head in enumerate(heads):
                if head is None or head[-1] > row[-1]:
                    continue  # most cases have none of most kinds of record
                name, records, as_record = related[n]
                mine = []
                while head is not None and head[-1] <= row[-1]:
                    if head[-1] == row[-1]:  # (a record of a case not read is passed over)
                        mine.append(as_record(head))
                    head = next(records, None)
                heads[n] = head
                if mine:
                    found[name] = tuple(mine)
            yield as_incident(row, **found)

    def _related(self, table: str, cls, where: str = "", params: list | dict | None = None) -> Iterator[tuple]:
        """A related table's rows (the fields of its record `cls`, then its incident's id), in the
        order of the incidents' ids and, under each, the order they were recorded in; for the
        incidents `where` selects, or for every incident."""
        names = cls._fields
        # A join, not `incident_id IN (SELECT ...)`: for a case read by its reference, the engine
        # goes by the reference's index, then the table's.
        chosen = (
            f"JOIN (SELECT id FROM incidents {where}) AS chosen ON chosen.id = {table}.incident_id" if where else ""
        )
        return self.conn.execute(
            f"SELECT {sql_columns(names)}, {table}.incident_id FROM {table} {chosen} "
            f"ORDER BY {table}.incident_id, {table}.id",
            params or [],
        )

    def next_ref(self, year: int) -> str:
        """The next reference of a year: SI-2026-001, SI-2026-002, ... never reused, even after an undo."""
        prefix = f"SI-{year}-"
        (last,) = self.conn.execute(
            "SELECT max(CAST(substr(ref, ?) AS INTEGER)) FROM "
            "(SELECT ref FROM incidents UNION SELECT ref FROM history WHERE tbl = 'incidents') AS kept WHERE ref LIKE ?",
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
        names = kept.related["children"]._fields
        self.conn.executemany(
            f"INSERT INTO children (incident_id, {sql_columns(names)}) "
            f"SELECT id, {', '.join('?' for _ in names)} FROM incidents WHERE ref = ?",
            (
                [sql_value(getattr(child, n)) for n in names] + [ref]
                for ref, incident in batch
                for child in incident.children
            ),
        )
        names = kept.related["exchange"]._fields
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
        values = record._asdict()
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

    # -- reading and writing -------------------------------------------------

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one state of the database, even while another process writes."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            rollback(self.conn)  # nothing was written: a read only lets go


# Steps done by :day that are not a column of their own: the Panel answered the latest sending (a
# response after it, in the exchange's order).
_DONE_BY = {
    "panel_answered": "EXISTS (SELECT 1 FROM exchange r WHERE r.incident_id = incidents.id AND r.step = 'response' "
    "AND r.day <= :day AND NOT EXISTS (SELECT 1 FROM exchange s WHERE s.incident_id = r.incident_id "
    "AND s.step = 'sent' AND s.day <= :day AND s.id > r.id))",
}


def integrity_errors(engine: str) -> tuple[type[BaseException], ...]:
    """The errors a broken key or constraint raises on the engine."""
    if engine == "postgresql":
        import psycopg

        return (psycopg.errors.IntegrityError,)
    import sqlite3

    return (sqlite3.IntegrityError,)


def current_user() -> str:
    """The operating-system user, for the history of a SQLite register (a server records its role)."""
    import getpass

    from csprcli.domain.checks import plain_name

    fallback = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    try:
        # The same rule as a full export's changes are loaded by: a plain name (USER or LOGNAME
        # holding a control character, or too long, is not one).
        return plain_name(getpass.getuser(), "the user")
    except (KeyError, OSError, BadInput):
        return fallback
