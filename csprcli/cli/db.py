"""`db`: where the database is, its state, and backups."""

from pathlib import Path
from typing import Annotated

import typer

from csprcli.cli.common import FormatOpt, group, opened, options
from csprcli.domain.errors import EXIT_ENVIRONMENT, BadInput
from csprcli.domain.dates import human_date
from csprcli.output import Column, Format, render, say

app = group()


@app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print where the database file is (whether or not it exists yet), or the server's address (never its password).

    Example: csprcli db path
    """
    from csprcli.store.database import printable

    say(printable(options(ctx).db))


@app.command("status")
def db_status(ctx: typer.Context, fmt: FormatOpt = Format.TABLE) -> None:
    """The database's schema version, counts, size, integrity check, the bank-holiday years known, and any date recorded after today.

    Example: csprcli db status
    """
    from csprcli.services import records
    from csprcli.store import database

    today = options(ctx).today
    with opened(ctx) as store:
        status = {"path": str(store.path)} | database.status(store) | records.calendar_coverage(store)
        ahead = database.after_today(store, today, everything=True)
    status["dated_after_today"] = (
        "; ".join(f"{ref} {field.replace('_', '-')} {human_date(day)}" for ref, field, day in ahead) or "none"
    )
    if fmt == Format.TABLE:
        for key, value in status.items():
            say(f"{key.replace('_', ' ')}: {value}")
    else:
        render([status], [Column(k) for k in status], fmt)
    if status["integrity"] != "ok":
        raise typer.Exit(EXIT_ENVIRONMENT)


@app.command("backup")
def db_backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="The backup file to write (readable by its owner only).")],
) -> None:
    """A consistent copy of the database, safe to take while others are writing (SQLite's online backup).

    Example: csprcli db backup /secure/backups/csprcli-2026-11-26.db
    """
    from csprcli.store import database

    if str(target) == "-":
        raise BadInput("a backup is a file, not standard output: give a file name, e.g. csprcli-backup.db")
    with opened(ctx, earlier=True) as store:  # a database still to be upgraded can be backed up first
        database.backup(store, target)
    say(f"backed up {store.path} to {target}")


@app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring a database from an earlier csprcli up to this one's schema, taking a backup first.

    Commands that only read never upgrade a database; any command that records something does it too.

    Example: csprcli db upgrade
    """
    from csprcli.store.migrations import applied

    with opened(ctx, write=True) as store:
        schema = applied(store.conn)[-1]
    say(f"{store.path}: schema {schema}, as this csprcli needs")


@app.command("copy")
def db_copy(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The register to copy: a SQLite file or a server's address.")],
    target: Annotated[
        str,
        typer.Argument(help="Where to copy it: a new SQLite file, or a database on a server with no csprcli records."),
    ],
) -> None:
    """Copy a register between a SQLite file and a PostgreSQL server, either way, checked: the copy's full export must be the source's.

    One transaction on the target: a target that holds any record is refused, and a copy that does not
    read back as the source keeps nothing. The source is only read. A server's address is a URL
    (postgresql://user@host/dbname) or libpq's keywords (service=name); its password is never printed.

    Example: csprcli db copy ~/.config/csprcli/csprcli.db postgresql://cspr_owner@db.example.org/cspr_register
    """
    from csprcli.cli.base import database_path
    from csprcli.services.copying import copy_register

    copied = copy_register(database_path(source), database_path(target))
    say(
        f"copied {copied.source} to {copied.target}: {copied.cases:,} cases, {copied.changes:,} changes, "
        f"{copied.rows:,} rows in all; the full exports of both are the same"
    )
