"""The store: every line of SQL. The database file (where it is, opening it safely, upgrading,
backups, status), the migrations, the named queries (`Store`), the history and undo, records as rows,
and the files written beside the database.

May import `csprcli.domain` (and sqlite-utils); never the services, output or cli.
"""
