"""The PostgreSQL server the tests use: CSPRCLI_TEST_POSTGRES, a URL with a password (bash .ci/run
starts a throwaway server and sets it). Without it a test that needs the server is skipped with a
reason, and fails under CI (CI set): CI must never pass without having run them.

A fresh register per test is cheap: a template database is migrated once per test process and
each test gets `CREATE DATABASE ... TEMPLATE` of it (a file copy on the server), with a new
register identity.
"""

import os
import uuid

import pytest

SERVER = os.environ.get("CSPRCLI_TEST_POSTGRES", "")
_TEMPLATE: list[str] = []


def need_server() -> str:
    """The server's URL, or skip (locally) or fail (under CI) the test that needs one."""
    if SERVER:
        return SERVER
    if os.environ.get("CI"):
        pytest.fail("CI must run the PostgreSQL tests: CSPRCLI_TEST_POSTGRES is not set (.ci/run starts a server)")
    pytest.skip("no PostgreSQL server: set CSPRCLI_TEST_POSTGRES to a URL (bash .ci/run starts one)")


def password_of(url: str) -> str:
    """The password in a test URL (every one has one: the tests check it is never printed)."""
    import re

    found = re.match(r"postgres(?:ql)?://[^:/@]+:([^@]+)@", url)
    assert found, "the test server's URL carries a password"
    return found.group(1)


def address(name: str) -> str:
    """The URL of database `name` on the test server."""
    base, _, _ = need_server().rpartition("/")
    return f"{base}/{name}"


def admin(sql: str, params=None, *, database: str | None = None):
    """Run one statement as the server's test superuser (autocommit), returning the rows if any."""
    import psycopg

    with psycopg.connect(address(database) if database else need_server(), autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def _template() -> str:
    if not _TEMPLATE:
        from csprcli.store.database import open_store

        name = f"csprcli_template_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin(f"CREATE DATABASE {name}")
        open_store(address(name), create=True).close()
        _TEMPLATE.append(name)
        import atexit

        atexit.register(drop, name)  # a lasting server (a developer's) keeps no templates
    return _TEMPLATE[0]


def fresh_database() -> tuple[str, str]:
    """(name, URL) of a new, empty csprcli register on the server."""
    need_server()
    name = f"csprcli_test_{uuid.uuid4().hex[:12]}"
    admin(f"CREATE DATABASE {name} TEMPLATE {_template()}")
    admin("UPDATE register SET identity = %s", [uuid.uuid4().hex], database=name)
    return name, address(name)


def empty_database() -> tuple[str, str]:
    """(name, URL) of a new database with nothing in it (not yet a csprcli register)."""
    need_server()
    name = f"csprcli_test_{uuid.uuid4().hex[:12]}"
    admin(f"CREATE DATABASE {name}")
    return name, address(name)


def drop(name: str) -> None:
    try:
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except Exception:
        pass  # the server went first: nothing to tidy


@pytest.fixture
def pg_register():
    """A fresh csprcli register on the server: its URL."""
    name, url = fresh_database()
    yield url
    drop(name)


@pytest.fixture
def pg_empty():
    """A fresh empty database on the server: its URL."""
    name, url = empty_database()
    yield url
    drop(name)
