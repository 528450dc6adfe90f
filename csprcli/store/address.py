"""A register's address on a PostgreSQL server, told from a SQLite file's path, and shown without its
password; and a SQLite file's path as SQLite is given it. Light on purpose (the standard library's re
and pathlib; sqlite3 only to connect): every command with --db asks it, and so does a TAB.
"""

import re
from pathlib import Path

# libpq's connection keywords a --db may start with (a file name with "=" in it is still a file)
_KEYWORDS = {"service", "host", "hostaddr", "port", "dbname", "user", "sslmode", "passfile"}


def is_address(text: str) -> bool:
    """Whether --db (or CSPRCLI_DB) names a PostgreSQL register rather than a SQLite file: a
    postgresql:// or postgres:// URL, or libpq's keyword form (`service=team`, `host=... dbname=...`)."""
    lowered = text.lstrip().lower()
    if lowered.startswith(("postgresql://", "postgres://")):
        return True
    keyword, equals, _ = lowered.partition("=")
    return bool(equals) and keyword.strip() in _KEYWORDS


def connect_file(path: Path | str, *, read_only: bool = False, **options):
    """A connection to the SQLite file at `path`, named to SQLite by a URI made from the path (SQLite
    would take a name that starts with "file:" for a URI naming another file, and "?" or "#" in a
    URI of its own for the query or the fragment). `read_only` never creates nor writes the file."""
    import sqlite3

    uri = Path(path).absolute().as_uri() + ("?mode=ro" if read_only else "")
    return sqlite3.connect(uri, uri=True, **options)


def shown(address: str) -> str:
    """The address as it may be printed: its password, if any, as ***."""
    return _password_as(address, "***")


def without_password(address: str) -> str:
    """The address with any password taken out (libpq then finds it in PGPASSFILE, or asks)."""
    return _password_as(address, None)


def _password_as(address: str, mark: str | None) -> str:
    if address.lower().startswith(("postgresql://", "postgres://")):
        from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

        parts = urlsplit(address)
        netloc = parts.netloc
        if "@" in netloc:
            who, _, where = netloc.rpartition("@")
            user, colon, _ = who.partition(":")
            netloc = f"{user}{':' + mark if colon and mark else ''}@{where}"
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        kept = [(k, mark if k.lower() == "password" else v) for k, v in query if mark or k.lower() != "password"]
        return urlunsplit((parts.scheme, netloc, parts.path, urlencode(kept, safe="*") if query else parts.query, ""))
    replacement = rf"\1{mark}" if mark else ""
    pattern = (
        r"(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)"
        if mark
        else r"(?i)\s*\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)"
    )
    return re.sub(pattern, replacement, address).strip()
