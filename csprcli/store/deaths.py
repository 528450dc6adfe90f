"""The child death register's queries, mixed into `store.Store`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from csprcli.domain.errors import BadInput
from csprcli.store.layout import layout
from csprcli.store.rows import reader, sql_columns, sql_name, sql_value

if TYPE_CHECKING:
    from csprcli.domain.model import Death, DeathPause
    from csprcli.store.dialect import Dialect


class Deaths:
    """The store's questions about child deaths, and their writes."""

    conn: Any
    sql: Dialect
    integrity_errors: tuple[type[BaseException], ...]

    def insert_row(self, table: str, values: dict) -> None:
        raise NotImplementedError  # the store's

    # -- child deaths -------------------------------------------------------

    def deaths(self) -> list[Death]:
        """Every child death recorded, in the order they happened."""
        return self._deaths("")

    def deaths_awaiting_notification(self, as_of: date) -> list[Death]:
        """The child deaths known by the end of `as_of` and not notified by then."""
        return self._deaths("WHERE died <= :day AND coalesce(notified, '~') > :day", {"day": as_of.isoformat()})

    def deaths_linked_to(self, ref: str) -> list[Death]:
        return self._deaths("WHERE incident_ref = ?", [ref])

    def deaths_up_to(self, last: date) -> list[Death]:
        """The deaths that happened on or before `last`."""
        return self._deaths("WHERE died <= ?", [last.isoformat()])

    def _deaths(self, where: str, params: list | dict | None = None) -> list[Death]:
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
                f"WHERE ref IN ({self.sql.each_text}) ORDER BY start, id",
                [json.dumps([d.ref for d in found])],
            )
            for row in rows:
                pauses.setdefault(row[-1], []).append(as_pause(row))
            found = [d._replace(pauses=tuple(pauses[d.ref])) if d.ref in pauses else d for d in found]
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
        except self.integrity_errors:
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
