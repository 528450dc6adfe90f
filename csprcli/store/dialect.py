"""What differs between the two engines' SQL inside a query the store writes once: a few fragments,
each named for what it says. Everything else is SQL both engines take (coalesce, lower(), RETURNING)."""

from typing import Any, NamedTuple


class Dialect(NamedTuple):
    name: str  # as `db status` shows it
    each_text: str  # the items of a JSON list of text, given as one parameter (a subquery)
    each_int: str  # the same, of whole numbers
    day_after_hour: str  # the day of {0} (a UTC timestamp as text) an hour later
    json_text: str  # the member {1} of the JSON text {0}
    distinct: str  # "is not the same as", NULL included


SQLITE = Dialect(
    "SQLite",
    "SELECT value FROM json_each(?)",
    "SELECT value FROM json_each(?)",
    "date({0}, '+1 hour')",
    "json_extract({0}, '$.{1}')",
    "IS NOT",
)
POSTGRES = Dialect(
    "PostgreSQL",
    "SELECT jsonb_array_elements_text(CAST(? AS jsonb))",
    "SELECT CAST(jsonb_array_elements_text(CAST(? AS jsonb)) AS bigint)",
    "to_char(CAST({0} AS timestamp) + interval '1 hour', 'YYYY-MM-DD')",
    "(CAST({0} AS jsonb) ->> '{1}')",
    "IS DISTINCT FROM",
)

# How a row of each table is found again (undo, a full export's order): by its id, or, for the
# tables without one, by their key (SQLite's hidden rowid is not kept by a copy, and PostgreSQL has none).
ROW_KEYS = {"settings": "name", "closures": "day", "published_events": "uid", "bank_holidays": "day", "meta": "name"}


def row_key(table: str) -> str:
    return ROW_KEYS.get(table, "id")


def rollback(conn: Any) -> None:
    """Roll back the open transaction, if the engine has not already: after a full disk or an I/O error
    SQLite has, and a second ROLLBACK would raise "no transaction is active" over the real error."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except Exception:
        pass  # the error being handled says more (or the connection is closed: nothing to roll back)
