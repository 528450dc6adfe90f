"""A register on a PostgreSQL server through the command line: the address, errors reaching the
server, who did what, who may do what (the README's roles, run as written), a password never
printed, `db status` and `db backup` there. Needs the test server (tests/pg_server.py).
"""

import fcntl
import json
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

import pg_server
from pg_server import SERVER, admin, drop, need_server
from conftest import INCIDENT

pg_register, pg_empty = pg_server.pg_register, pg_server.pg_empty  # the fixtures
ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def password() -> str:
    found = re.match(r"postgresql://[^:]+:([^@]+)@", need_server())
    assert found, "the test server's URL carries a password, so that every test here checks it is never printed"
    return found.group(1)


def record(cli, **kw):
    return cli.ok(*INCIDENT, "--aware", "02/01/2026", as_of="2026-01-05", **kw)


def test_the_same_commands_run_on_a_register_on_the_server(cli, pg_register, monkeypatch):
    monkeypatch.setenv("CSPRCLI_DB", pg_register)
    assert record(cli).stdout.startswith("SI-2026-001: recorded")
    cli.ok("incident", "notify", "SI-2026-001", "--on", "05/01/2026", as_of="2026-01-06")
    shown = cli.ok("show", "SI-2026-001", as_of="2026-01-06").stdout
    assert "Mon 05 Jan 2026" in shown
    assert cli("overdue", as_of="2026-01-20").exit_code == 1


def test_the_address_may_be_given_with_db_after_the_command_or_in_libpq_keywords(cli, pg_register, monkeypatch):
    monkeypatch.delenv("CSPRCLI_DB")
    record_args = [*INCIDENT, "--aware", "02/01/2026"]
    cli.ok("--db", pg_register, *record_args, as_of="2026-01-05")
    user, secret, host, port, name = re.match(r"postgresql://([^:]+):([^@]+)@([^:]+):(\d+)/(\w+)", pg_register).groups()
    keywords = f"host={host} port={port} dbname={name} user={user} password={secret}"
    listed = cli.ok("list", "--db", keywords, "--format", "json", as_of="2026-01-06").stdout
    assert [row["ref"] for row in json.loads(listed)] == ["SI-2026-001"]


def test_history_names_the_role_on_the_server_and_the_user_on_sqlite(cli, pg_register, monkeypatch, tmp_path):
    from csprcli.store.store import current_user

    monkeypatch.setenv("CSPRCLI_DB", pg_register)
    record(cli)
    role = re.match(r"postgresql://([^:]+):", pg_register).group(1)
    assert f"  {role}  incident add" in cli.ok("history", as_of="2026-01-06").stdout
    monkeypatch.setenv("CSPRCLI_DB", str(tmp_path / "local.db"))
    record(cli)
    assert f"  {current_user()}  incident add" in cli.ok("history", as_of="2026-01-06").stdout


@pytest.mark.parametrize(
    "where, words",
    [
        ("postgresql://csprcli_ci:{pw}@127.0.0.1:1/postgres", "cannot open the register at"),
        ("{base}/no_such_register_{n}", 'database "no_such_register_'),
        ("{wrong}", "password authentication failed"),
    ],
)
def test_an_error_reaching_the_server_is_one_line_exit_3_and_no_password(cli, where, words, monkeypatch):
    need_server()
    base = SERVER.rpartition("/")[0]
    wrong = re.sub(r":[^:@]+@", ":not-the-password-" + password() + "x@", SERVER)
    where = where.format(pw=password(), base=base, n=uuid.uuid4().hex[:6], wrong=wrong)
    monkeypatch.setenv("CSPRCLI_DB", where)
    for args in (("list",), (*INCIDENT, "--aware", "02/01/2026"), ("db", "status")):
        message = cli.refused(*args, as_of="2026-01-05", code=3)
        assert words in message and password() not in message and "not-the-password" not in message
        assert "cannot reach" not in message  # a refused password or a missing database is not out of reach


def test_a_password_is_never_printed(cli, pg_register, monkeypatch):
    monkeypatch.setenv("CSPRCLI_DB", pg_register)
    secret = password()
    outputs = [record(cli)]
    for args in (
        ("db", "path"),
        ("db", "status"),
        ("db", "status", "--format", "json"),
        ("db", "backup", "/tmp/x.dump"),
        ("history", "--format", "json"),
        ("export", "--format", "json"),
        ("today",),
        ("show", "SI-2099-001"),
        ("incident", "notify", "SI-2026-001", "--on", "05/01/2026"),
    ):
        outputs.append(cli(*args, as_of="2026-01-06"))
    for result in outputs:
        assert secret not in result.stdout + result.stderr, result.args if hasattr(result, "args") else result
    assert "***@" in cli.ok("db", "path", as_of="2026-01-06").stdout


def test_db_status_says_the_engine_the_role_and_what_it_may_do(cli, pg_register, monkeypatch):
    monkeypatch.setenv("CSPRCLI_DB", pg_register)
    status = json.loads(cli.ok("db", "status", "--format", "json", as_of="2026-01-06").stdout)[0]
    assert status["engine"].startswith("PostgreSQL ") and status["access"] == "officer"
    assert status["role"] == re.match(r"postgresql://([^:]+):", pg_register).group(1)


def test_db_backup_on_the_server_gives_pg_dumps_command_and_takes_nothing(cli, pg_register, monkeypatch, tmp_path):
    monkeypatch.setenv("CSPRCLI_DB", pg_register)
    message = cli.refused("db", "backup", str(tmp_path / "copy.db"), as_of="2026-01-06")
    assert "pg_dump --format=custom --file" in message and password() not in message
    assert not (tmp_path / "copy.db").exists()


def test_a_database_of_another_program_is_left_alone(cli, pg_empty, monkeypatch):
    name = pg_empty.rpartition("/")[2]
    admin("CREATE TABLE their_table (id integer)", database=name)
    monkeypatch.setenv("CSPRCLI_DB", pg_empty)
    assert "another program's tables" in cli.refused(*INCIDENT, "--aware", "02/01/2026", as_of="2026-01-05", code=3)
    assert "not a csprcli register yet" not in cli.refused("list", as_of="2026-01-05", code=3)
    assert admin("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database=name) == [(1,)]


def test_an_empty_database_is_not_a_register_to_a_reader(cli, pg_empty, monkeypatch):
    monkeypatch.setenv("CSPRCLI_DB", pg_empty)
    assert "not a csprcli register yet" in cli.refused("list", as_of="2026-01-05", code=3)
    assert record(cli).stdout.startswith("SI-2026-001")


# -- the README's roles, as written ---------------------------------------------------------------------


def readme_sql() -> tuple[list[str], list[str]]:
    """The README's two blocks of SQL (as the server's administrator; then as the owner), statement by statement."""
    start = README.index("## A team on one register\n")
    text = README[start : README.index("\n## ", start + 1)]
    first, second = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    return [s.strip() for s in first.split(";") if s.strip()], [s.strip() for s in second.split(";") if s.strip()]


ROLES = ("officer_alice", "board_bob", "cspr_officer", "cspr_reader", "cspr_owner")


def _drop_roles() -> None:
    drop("cspr_register")
    for role in ROLES:
        admin(f"DROP ROLE IF EXISTS {role}")


def as_role(role: str, secret: str) -> str:
    user_and_host = re.sub(r"//[^@]+@", f"//{role}:{secret}@", SERVER)
    return user_and_host.rpartition("/")[0] + "/cspr_register"


@pytest.fixture
def readme_roles():
    """The README's set-up run as written on the test server (its names are the server's own: the
    test drops them first and after). Roles belong to the whole server, so the tests that make them
    take turns, whichever test process runs them (pytest -n 2 runs two at once)."""
    need_server()
    with open(Path(tempfile.gettempdir()) / "csprcli-test-readme-roles.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield from _readme_roles()


def _readme_roles():
    _drop_roles()
    administrator, owner = readme_sql()
    for statement in administrator:
        admin(statement)
    secret = "pw-" + uuid.uuid4().hex[:8]
    for role in ("cspr_owner", "officer_alice", "board_bob"):
        admin(f"ALTER ROLE {role} PASSWORD '{secret}'")  # the README's \password
    yield owner, secret
    _drop_roles()


@pytest.mark.slow
def test_the_readmes_roles_let_an_officer_record_and_a_reader_only_read(cli, readme_roles, monkeypatch):
    owner_grants, secret = readme_roles
    monkeypatch.setenv("CSPRCLI_DB", as_role("cspr_owner", secret))
    record(cli)  # the owner starts the register
    import psycopg

    with psycopg.connect(as_role("cspr_owner", secret), autocommit=True) as conn:
        for statement in owner_grants:
            conn.execute(statement)
    monkeypatch.setenv("CSPRCLI_DB", as_role("officer_alice", secret))
    cli.ok("incident", "notify", "SI-2026-001", "--on", "05/01/2026", as_of="2026-01-06")
    cli.ok("incident", "inform", "SI-2026-001", "--on", "06/01/2026", as_of="2026-01-06")
    cli.ok("undo", "--yes", as_of="2026-01-06")
    assert "  officer_alice  incident notify" in cli.ok("history", as_of="2026-01-06").stdout
    status = json.loads(cli.ok("db", "status", "--format", "json", as_of="2026-01-06").stdout)[0]
    assert (status["role"], status["access"]) == ("officer_alice", "officer")

    monkeypatch.setenv("CSPRCLI_DB", as_role("board_bob", secret))
    before = cli.ok("export", "--format", "json", as_of="2026-01-06").stdout
    for args in (
        ("list",),
        ("show", "SI-2026-001"),
        ("history",),
        ("report", "--year", "2025-26"),
        ("explain", "SI-2026-001", "notification"),
        ("export", "--format", "csv"),
        ("upcoming",),
        ("death", "list"),
        ("holidays", "--year", "2026"),
    ):
        cli.ok(*args, as_of="2026-01-20")
    assert cli("overdue", as_of="2026-01-20").exit_code == 1 and cli("today", as_of="2026-01-20").exit_code == 1
    status = json.loads(cli.ok("db", "status", "--format", "json", as_of="2026-01-06").stdout)[0]
    assert (status["role"], status["access"]) == ("board_bob", "reader")
    for args in (
        ("incident", "inform", "SI-2026-001", "--on", "05/01/2026"),
        (*INCIDENT, "--aware", "03/01/2026"),
        ("undo", "--yes"),
        ("rules", "set", "progress-interval", "2"),
    ):
        message = cli.refused(*args, as_of="2026-01-06", code=3)
        assert "the role board_bob may only read" in message and secret not in message
    assert cli.ok("export", "--format", "json", as_of="2026-01-06").stdout == before


def test_an_officer_on_a_register_not_yet_made_is_told_its_owner_makes_it(cli, readme_roles, monkeypatch):
    """Before the owner makes the register, an officer's first write is refused, saying who makes it:
    it said the officer "may only read" and to record as an officer's role, which the officer was."""
    _owner_grants, secret = readme_roles
    monkeypatch.setenv("CSPRCLI_DB", as_role("officer_alice", secret))
    message = cli.refused(*INCIDENT, "--aware", "02/01/2026", as_of="2026-01-05", code=3)
    assert "is not a csprcli register yet, and the role officer_alice may not make one: its owner does" in message
    assert "may only read" not in message and secret not in message
    assert "its owner's first 'csprcli incident add'" in cli.refused("list", as_of="2026-01-05", code=3)


def test_a_role_that_only_reads_is_refused_by_the_server_too(readme_roles):
    """A reader's own psql session cannot write either: the server, not csprcli, refuses."""
    import psycopg

    owner_grants, secret = readme_roles
    subprocess.run(
        [sys.executable, "-m", "csprcli", "--as-of", "2026-01-05", *INCIDENT, "--aware", "02/01/2026"],
        env={"CSPRCLI_DB": as_role("cspr_owner", secret), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    with psycopg.connect(as_role("cspr_owner", secret), autocommit=True) as conn:
        for statement in owner_grants:
            conn.execute(statement)
    with psycopg.connect(as_role("board_bob", secret), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE incidents SET la = 'Dudley'")
    with psycopg.connect(as_role("officer_alice", secret), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE history SET op = 'x'")
        conn.execute("UPDATE incidents SET la = 'Dudley'")  # recorded, as hers
        (who, command) = conn.execute('SELECT "user", command FROM changes ORDER BY id DESC LIMIT 1').fetchone()
    assert who == "officer_alice" and command.startswith("outside csprcli")


def test_a_write_that_waits_too_long_for_the_writers_lock_is_refused_whole(cli, pg_register, monkeypatch):
    """Another session holds the register's write lock (csprcli's advisory lock) past the wait: the
    write is one line, exit 3, and nothing of it is kept."""
    import psycopg

    import csprcli.store.store
    from csprcli.store.postgres import WRITERS_LOCK

    monkeypatch.setenv("CSPRCLI_DB", pg_register)
    record(cli)
    before = cli.ok("export", "--format", "json", as_of="2026-01-06").stdout
    monkeypatch.setattr(csprcli.store.store, "BUSY_TIMEOUT_SECONDS", 1)
    with psycopg.connect(pg_register) as holder:  # a transaction, holding the lock until it ends
        holder.execute("SELECT pg_advisory_xact_lock(%s)", [WRITERS_LOCK])
        message = cli.refused("incident", "notify", "SI-2026-001", "--on", "05/01/2026", as_of="2026-01-06", code=3)
    assert "busy" in message and "nothing was written" in message and password() not in message
    assert cli.ok("export", "--format", "json", as_of="2026-01-06").stdout == before


def test_a_service_name_and_a_password_file_pass_through_to_libpq(cli, pg_register, monkeypatch, tmp_path):
    user, secret, host, port, name = re.match(r"postgresql://([^:]+):([^@]+)@([^:]+):(\d+)/(\w+)", pg_register).groups()
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[cspr]\nhost={host}\nport={port}\ndbname={name}\nuser={user}\n", encoding="utf-8")
    passwords = tmp_path / "pgpass"
    passwords.write_text(f"{host}:{port}:{name}:{user}:{secret}\n", encoding="utf-8")
    passwords.chmod(0o600)
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.setenv("PGPASSFILE", str(passwords))
    monkeypatch.setenv("CSPRCLI_DB", "service=cspr")
    record(cli)
    monkeypatch.setenv("CSPRCLI_DB", f"postgresql://{user}@{host}:{port}/{name}?sslmode=disable")
    listed = json.loads(cli.ok("list", "--format", "json", as_of="2026-01-06").stdout)
    assert [row["ref"] for row in listed] == ["SI-2026-001"]


def test_today_on_the_server_reads_the_nightly_log_it_is_given_and_no_other(cli, pg_register, monkeypatch, tmp_path):
    """A register on a server has no folder of its own: `today` does not guess at a log (it read the
    application folder's, which another register's nightly check may have written), and reads the
    one named with --log."""
    monkeypatch.setenv("CSPRCLI_DB", pg_register)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("CSPRCLI_NIGHTLY_LOG", raising=False)
    (tmp_path / "csprcli").mkdir()
    (tmp_path / "csprcli" / "nightly-check.log").write_text(
        "2026-01-05 06:00:01 csprcli nightly check: nothing overdue\n", encoding="utf-8"
    )  # another register's, in the application folder
    record(cli)
    out = cli("today", as_of="2026-01-06").stdout
    assert "a register on a server has no folder to find its log in; give --log" in out
    assert "last ran" not in out
    log = tmp_path / "server-nightly.log"
    log.write_text("2026-01-06 06:00:01 csprcli nightly check: nothing overdue\n", encoding="utf-8")
    assert (
        "Nightly check: last ran Tue 06 Jan 2026 at 06:00" in cli("today", "--log", str(log), as_of="2026-01-06").stdout
    )
