"""A register on a PostgreSQL server: recognising its address, connecting (psycopg 3, imported only
here), and a small connection adapter with sqlite3's face, so that the store keeps one text per
query: `?` and `:name` placeholders become psycopg's, `BEGIN IMMEDIATE` takes the writers' lock.

The address is handed to libpq as typed (a URL, `service=`, `PGPASSFILE`, `sslmode` all work as
libpq documents them); it is only ever printed without its password (`shown`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from csprcli.domain.errors import StoreError
from csprcli.store.address import is_address, shown, without_password  # noqa: F401  (imported from here)

ENGINE = "postgresql"
# Every csprcli write takes this transaction-level advisory lock first, as SQLite's BEGIN IMMEDIATE
# takes the file's write lock: writers queue, so a case reference is read and taken by one at a time.
WRITERS_LOCK = 0x63737072  # "cspr"


def connect(address: str) -> Connection:
    """A connection to the register at `address`, or StoreError (exit 3) in one line without the password."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "a PostgreSQL register needs psycopg ('pip install \"psycopg[binary]\"'); it is not installed"
        ) from None
    try:
        raw = psycopg.connect(address, autocommit=True, connect_timeout=10, application_name="csprcli")
    except psycopg.Error as error:
        raise StoreError(f"cannot reach the register at {shown(address)}: {reason(error, address)}") from None
    return Connection(raw)


def reason(error: BaseException, address: str = "") -> str:
    """The server's or libpq's reason in one line, with anything that could be a password taken out."""
    text = " ".join(str(error).split()) or type(error).__name__
    text = text.replace("\n", " ")
    if address:
        password = _password(address)
        if password:
            text = text.replace(password, "***")
    text = re.sub(r'(?i)(connection to server at "[^"]*"(?: \([^)]*\))?, port \d+ failed: )', "", text)
    return re.sub(r"(?i)(\bpassword\s*=\s*)\S+", r"\1***", text)[:300]


def _password(address: str) -> str | None:
    found = re.match(r"(?i)^(?:postgres|postgresql)://[^/@?#]*?:([^@/?#]*)@", address) or re.search(
        r"(?i)\bpassword\s*=\s*'?([^'\s&]+)", address
    )
    return found.group(1) if found and found.group(1) else None


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """sqlite3's placeholders as psycopg's: `?` as %s, `:name` as %(name)s, a literal % doubled;
    quoted text ('...') and names ("...") are left as they are (but for their %)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            end = i + 1
            while end < n and sql[end] != c:
                end += 1
            out.append(sql[i : end + 1].replace("%", "%%"))
            i = end + 1
        elif c == "?":
            out.append("%s")
            i += 1
        elif c == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_") and sql[i - 1 : i] != ":":
            name = re.match(r"\w+", sql[i + 1 :])
            assert name is not None
            out.append(f"%({name.group()})s")
            i += 1 + len(name.group())
        elif c == "%":
            out.append("%%")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Connection:
    """A psycopg connection used as the store uses sqlite3's: execute() and executemany() with `?` or
    `:name`, cursors that iterate and fetch, `in_transaction`; BEGIN IMMEDIATE (a write) takes the
    writers' lock, BEGIN (a read in one state) a repeatable-read snapshot."""

    engine = ENGINE

    def __init__(self, raw: Any):
        self.raw = raw

    def execute(self, sql: str, params: Any = None):
        word = sql.strip().upper()
        if word == "BEGIN IMMEDIATE":
            cursor = self.raw.execute("BEGIN")
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", [WRITERS_LOCK])
            return cursor
        if word == "BEGIN":
            return self.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        if params is None:
            return self.raw.execute(translate(sql))
        return self.raw.execute(translate(sql), _params(params))

    def executemany(self, sql: str, rows) -> Any:
        cursor = self.raw.cursor()
        cursor.executemany(translate(sql), [_params(r) for r in rows])
        return cursor

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def _params(params: Any) -> Any:
    return params if isinstance(params, dict) else list(params)


def errors() -> tuple[type[BaseException], ...]:
    """psycopg's error classes, when psycopg has been imported (it is only on this path)."""
    import sys

    module = sys.modules.get("psycopg")
    return (module.Error,) if module is not None else ()


def describe(error: BaseException, address: str) -> str:
    """One line for an error the server raised in a command: what it was, that nothing was written, what to do."""
    import psycopg.errors as e

    nothing = "; nothing was written"
    if isinstance(error, (e.SerializationFailure, e.DeadlockDetected)):
        return f"another session's write crossed this one on {shown(address)}{nothing}: run it again"
    if isinstance(error, (e.LockNotAvailable, e.QueryCanceled)):
        return f"the register at {shown(address)} is busy: another session held its write lock too long{nothing}: run it again once it has finished"
    if isinstance(error, e.UniqueViolation):
        return f"another session wrote the same record at the same moment on {shown(address)}{nothing}: run it again"
    if isinstance(error, e.InsufficientPrivilege):
        return f"the role may not do that on {shown(address)} ({reason(error, address)}){nothing}"
    if isinstance(error, e.RaiseException) and "append-only" in str(error):
        return f"the register's history is append-only{nothing}"
    if isinstance(error, (e.OperationalError, e.InterfaceError)):
        return f"the connection to {shown(address)} failed ({reason(error, address)}){nothing}"
    name = getattr(getattr(error, "diag", None), "sqlstate", None) or type(error).__name__
    import os

    if os.environ.get("CSPRCLI_DEBUG"):  # the server's words may quote a value: only when asked for
        name += f": {reason(error, address)}"
    return f"the register at {shown(address)} could not be used ({name}){nothing}"
