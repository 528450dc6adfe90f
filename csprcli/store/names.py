"""Names the officer types, read for shell completion: case references, child death references and
a case's action numbers. Light on purpose (the standard library's sqlite3, and store.address) and read-only:
a file that does not exist is never created, a file that is not a csprcli database, or is busy,
offers nothing, and nothing is ever written. A TAB must never fail loudly, so every error is an
empty list.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from csprcli.store.address import connect_file


def _column(path: Path, sql: str, params: tuple) -> list:
    try:
        if not path.is_file():
            return []
        with closing(connect_file(path, read_only=True, timeout=0.2)) as conn:
            return [row[0] for row in conn.execute(sql, params)]
    except (sqlite3.Error, OSError, ValueError):
        return []


def _starting(prefix: str) -> str:
    """A LIKE pattern for text starting with `prefix` (its own % and _ taken literally)."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def case_refs(path: Path, prefix: str) -> list[str]:
    return _column(path, "SELECT ref FROM incidents WHERE ref LIKE ? ESCAPE '\\' ORDER BY ref", (_starting(prefix),))


def death_refs(path: Path, prefix: str) -> list[str]:
    return _column(path, "SELECT ref FROM deaths WHERE ref LIKE ? ESCAPE '\\' ORDER BY ref", (_starting(prefix),))


def action_numbers(path: Path, ref: str, *, open_only: bool = False) -> list[int]:
    """The numbers of a case's actions (only those still open, with `open_only`)."""
    sql = (
        "SELECT a.number FROM actions a JOIN incidents i ON a.incident_id = i.id WHERE i.ref = ?"
        + (" AND a.status = 'open'" if open_only else "")
        + " ORDER BY a.number"
    )
    return _column(path, sql, (ref,))
