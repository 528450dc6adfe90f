"""The PostgreSQL form of each migration (the list by name is migrations.py's), its bookkeeping table,
and the server's triggers that give the history the guarantees SQLite's triggers give
(sqlite_schema.py), enforced by the server whoever writes, a `psql` session included:

- every insert, update and delete on a kept table lands in `history` under its change, old and new
  rows as JSON (row_to_json: the same text SQLite's json_object writes, columns in the same order);
- `changes` and `history` are append-only: updates, deletes and TRUNCATE are refused (the twin of
  SQLite's refusal of INSERT OR REPLACE: PostgreSQL has no REPLACE, and a reused id is a key violation);
- a kept table cannot be TRUNCATEd (that would bypass the history);
- a change's `user` is the database role that made it (current_user), set by the server;
- a write made outside csprcli opens a change of its own ("outside csprcli (psql)"), where SQLite
  can only file it under the latest change;
- a row's id, when not given, is one more than the largest, as SQLite gives a rowid.

Text columns are COLLATE "C" (byte order, as SQLite compares text), dates ISO text as in SQLite, so
every query and every full export reads the same on both engines.
"""

from collections.abc import Callable

from csprcli.store.sqlite_schema import DEATH_PAUSES, EXCHANGE, HISTORY_TABLES, LIFECYCLE

BOOKKEEPING = "_csprcli_migrations"
T = 'TEXT COLLATE "C"'
NOW = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS{}\"Z\"')"
UNDER_INCIDENT = "id BIGINT PRIMARY KEY, incident_id BIGINT NOT NULL REFERENCES incidents (id)"


def _run(conn, *statements: str) -> None:
    for sql in statements:
        conn.raw.execute(sql)


def _table(conn, name: str, columns: str) -> None:
    """A table, with the trigger that gives a row without an id the next one (as SQLite's rowid)."""
    _run(conn, f"CREATE TABLE {name} ({columns})")
    if columns.startswith("id "):
        _run(
            conn,
            f"CREATE FUNCTION csprcli_next_id_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.id IS NULL THEN SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM {name}; END IF; "
            "RETURN NEW; END $$",
            f"CREATE TRIGGER next_id BEFORE INSERT ON {name} FOR EACH ROW EXECUTE FUNCTION csprcli_next_id_{name}()",
        )


def _history_trigger(conn, table: str) -> None:
    """The trigger that copies each insert, update and delete of `table` into `history`."""
    ref = {
        "incidents": "r.ref",
        "deaths": "r.ref",
        "death_pauses": "r.ref",
        "settings": "NULL",
        "closures": "NULL",
    }.get(table, "(SELECT ref FROM incidents WHERE id = r.incident_id)")
    row_id = "0" if table in ("settings", "closures") else "r.id"  # kept by its key (tables.ROW_KEYS)
    _run(
        conn,
        f"""CREATE FUNCTION csprcli_history_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE r record; old_image text; new_image text;
        BEGIN
            IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
            IF TG_OP <> 'INSERT' THEN old_image := row_to_json(OLD)::text; END IF;
            IF TG_OP <> 'DELETE' THEN new_image := row_to_json(NEW)::text; END IF;
            IF TG_OP = 'UPDATE' AND old_image = new_image THEN RETURN NULL; END IF;
            INSERT INTO history (change_id, ref, tbl, row_id, op, old, new)
            VALUES (csprcli_change(), {ref}, '{table}', {row_id}, lower(TG_OP), old_image, new_image);
            RETURN NULL;
        END $$""",
        f"CREATE TRIGGER history AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION csprcli_history_{table}()",
        f"CREATE TRIGGER no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION csprcli_refuse()",
    )


def _incidents_and_closures(conn) -> None:
    _run(
        conn,
        """CREATE FUNCTION csprcli_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            IF TG_TABLE_NAME IN ('changes', 'history') THEN RAISE EXCEPTION 'history is append-only'; END IF;
            RAISE EXCEPTION 'a TRUNCATE of % would bypass the history: delete its rows instead', TG_TABLE_NAME;
        END $$""",
    )
    _table(
        conn,
        "incidents",
        f"id BIGINT PRIMARY KEY, ref {T} NOT NULL UNIQUE, child {T} NOT NULL, la {T} NOT NULL, home_la {T}, "
        f"incident_date {T}, aware {T} NOT NULL, nature {T} NOT NULL, abuse {T} NOT NULL, "
        f"looked_after INTEGER NOT NULL DEFAULT 0, summary {T}, notified {T}, sin_ref {T}, partners_informed {T}, "
        f"rr_started {T}, decided {T}, outcome {T}, reason {T}, rr_sent {T}, "
        f"created_at {T} NOT NULL DEFAULT {NOW.format('')}",
    )
    _table(conn, "closures", f"day {T} PRIMARY KEY, reason {T} NOT NULL")


def _statutory_path(conn) -> None:
    for column in (
        "panel_response",
        "panel_response_on",
        "panel_notes",
        "reviewer",
        "reviewer_appointed",
        "tor_agreed",
        "planned_publication",
        "report_sent",
        "published",
        "publication_type",
        "publication_rationale",
    ):
        _run(conn, f"ALTER TABLE incidents ADD COLUMN {column} {T}")
    _table(
        conn,
        "children",
        f'{UNDER_INCIDENT}, reference {T} NOT NULL, "primary" INTEGER NOT NULL DEFAULT 0, age_band {T}, sex {T}, '
        f"ethnicity {T}, disability INTEGER, looked_after INTEGER, cin_plan INTEGER, cp_plan {T}, "
        "known_to_agencies INTEGER",
    )
    _run(
        conn,
        "CREATE UNIQUE INDEX idx_children_incident_id_reference ON children (incident_id, reference)",
        'INSERT INTO children (incident_id, reference, "primary", looked_after) SELECT id, child, 1, looked_after FROM incidents',
    )
    _table(conn, "checks", f"{UNDER_INCIDENT}, checked_on {T} NOT NULL, rag {T} NOT NULL, note {T}")
    _table(
        conn, "pauses", f'{UNDER_INCIDENT}, start {T} NOT NULL, "end" {T}, reason {T} NOT NULL, agreed_by {T} NOT NULL'
    )
    _table(
        conn,
        "revisions",
        f"{UNDER_INCIDENT}, milestone {T} NOT NULL, due {T} NOT NULL, reason {T} NOT NULL, agreed_by {T} NOT NULL, "
        f"recorded_on {T} NOT NULL",
    )
    _table(
        conn,
        "actions",
        f"{UNDER_INCIDENT}, number INTEGER NOT NULL, recommendation {T} NOT NULL, agency {T} NOT NULL, "
        f"target {T} NOT NULL, status {T} NOT NULL DEFAULT 'open', closed_on {T}, evidence {T}, signed_off_by {T}",
    )
    _run(conn, "CREATE UNIQUE INDEX idx_actions_incident_id_number ON actions (incident_id, number)")
    _table(conn, "settings", f"name {T} PRIMARY KEY, value {T} NOT NULL")


def _history(conn) -> None:
    _table(
        conn,
        "changes",
        f'id BIGINT PRIMARY KEY, at {T} NOT NULL DEFAULT {NOW.format(".MS")}, "user" {T} NOT NULL, '
        f"command {T} NOT NULL, reason {T}, undoes BIGINT REFERENCES changes (id)",
    )
    _table(
        conn,
        "history",
        f"id BIGINT PRIMARY KEY, change_id BIGINT NOT NULL REFERENCES changes (id), ref {T}, tbl {T} NOT NULL, "
        f"row_id BIGINT NOT NULL, op {T} NOT NULL, old {T}, new {T}",
    )
    _run(
        conn,
        "CREATE INDEX history_change ON history (change_id)",
        "CREATE INDEX history_ref ON history (ref)",
        # Who: the role that made the change, whatever was sent. Which change: the one this transaction
        # opened (csprcli_change, for the history's triggers).
        """CREATE FUNCTION csprcli_changes_who() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            NEW."user" := current_user; RETURN NEW; END $$""",
        "CREATE TRIGGER who BEFORE INSERT ON changes FOR EACH ROW EXECUTE FUNCTION csprcli_changes_who()",
        """CREATE FUNCTION csprcli_changes_open() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            PERFORM set_config('csprcli.change', NEW.id::text, true); RETURN NULL; END $$""",
        "CREATE TRIGGER open AFTER INSERT ON changes FOR EACH ROW EXECUTE FUNCTION csprcli_changes_open()",
        """CREATE FUNCTION csprcli_change() RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE found text := current_setting('csprcli.change', true); made bigint;
        BEGIN
            IF found IS NOT NULL AND found <> '' THEN RETURN found::bigint; END IF;
            INSERT INTO changes ("user", command) VALUES (current_user, 'outside csprcli ('
                || coalesce(nullif(current_setting('application_name', true), ''), 'a session') || ')')
                RETURNING id INTO made;
            RETURN made;
        END $$""",
    )
    for table in ("changes", "history"):
        _run(
            conn,
            f"CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION csprcli_refuse()",
        )
    for table in HISTORY_TABLES:
        _history_trigger(conn, table)


def _speed(conn) -> None:
    _run(
        conn,
        "ALTER TABLE incidents ADD COLUMN closed INTEGER",
        "CREATE INDEX incidents_closed ON incidents (closed)",
        f"CREATE TABLE bank_holidays (day {T} PRIMARY KEY, name {T} NOT NULL)",
        f"CREATE TABLE meta (name {T} PRIMARY KEY, value {T} NOT NULL)",
    )


def _deaths(conn) -> None:
    _table(
        conn,
        "deaths",
        f"id BIGINT PRIMARY KEY, ref {T} NOT NULL, died {T} NOT NULL, age_years INTEGER NOT NULL, "
        "age_days INTEGER NOT NULL, resident INTEGER NOT NULL, expected INTEGER NOT NULL, jar_needed INTEGER NOT NULL, "
        f"abuse {T} NOT NULL, incident_ref {T}, notified {T}, jar {T}, information {T}, meeting {T}, reviewed {T}, "
        f"category {T}, modifiable INTEGER, paused_since {T}, pause_reason {T}",
    )
    _run(
        conn,
        "CREATE UNIQUE INDEX idx_deaths_ref ON deaths (ref)",
        "CREATE INDEX deaths_incident ON deaths (incident_ref)",
    )
    _history_trigger(conn, "deaths")


def _history_refuses_replace(conn) -> None:
    """SQLite's INSERT OR REPLACE has no PostgreSQL twin (a reused id is a key violation, and
    INSERT ... ON CONFLICT DO UPDATE is an update, refused); TRUNCATE is the way round the row
    triggers here, refused."""
    for table in ("changes", "history"):
        _run(
            conn,
            f"CREATE TRIGGER no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION csprcli_refuse()",
        )


def _published_events(conn) -> None:
    _run(
        conn,
        f"CREATE TABLE published_events (uid {T} PRIMARY KEY, day {T} NOT NULL, summary {T} NOT NULL, "
        f"description {T} NOT NULL, status {T} NOT NULL, sequence INTEGER NOT NULL)",
    )


def _lifecycle(conn) -> None:
    _table(
        conn,
        "decisions",
        f"id BIGINT PRIMARY KEY, incident_id BIGINT NOT NULL REFERENCES incidents (id), decided {T} NOT NULL, "
        f"outcome {T} NOT NULL, reason {T} NOT NULL",
    )
    _run(conn, "CREATE INDEX decisions_incident ON decisions (incident_id)", "UPDATE incidents SET closed = NULL")
    for table in LIFECYCLE:
        _history_trigger(conn, table)


def _death_register(conn) -> None:
    from csprcli.domain.model import DEATH_CATEGORY_TITLES

    _run(
        conn,
        "ALTER TABLE deaths ADD COLUMN age_months INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE deaths ADD COLUMN age_weeks INTEGER NOT NULL DEFAULT 0",
    )
    _table(
        conn,
        "death_pauses",
        f'id BIGINT PRIMARY KEY, ref {T} NOT NULL REFERENCES deaths (ref), start {T} NOT NULL, reason {T} NOT NULL, "end" {T}',
    )
    _run(
        conn,
        "CREATE INDEX death_pauses_ref ON death_pauses (ref)",
        "INSERT INTO death_pauses (ref, start, reason) "
        "SELECT ref, paused_since, pause_reason FROM deaths WHERE paused_since IS NOT NULL",
        "ALTER TABLE deaths DROP COLUMN paused_since",
        "ALTER TABLE deaths DROP COLUMN pause_reason",
    )
    for category, title in DEATH_CATEGORY_TITLES.items():
        conn.execute(
            "UPDATE deaths SET category = ? WHERE lower(trim(category)) IN (?, ?)",
            [category.value, category.value, title.lower()],
        )
    known = [c.value for c in DEATH_CATEGORY_TITLES]
    conn.execute(f"UPDATE deaths SET category = NULL WHERE category NOT IN ({', '.join('?' for _ in known)})", known)
    for table in DEATH_PAUSES:
        _history_trigger(conn, table)


def _due_dates(conn) -> None:
    """The stored due dates, taken away again by the next migration (one truth): the table only,
    without SQLite's stamp triggers (no register on a server was ever at this migration)."""
    _table(
        conn,
        "due_dates",
        f"id BIGINT PRIMARY KEY, ref {T} NOT NULL, milestone {T} NOT NULL, title {T} NOT NULL, force {T} NOT NULL, "
        f"trigger {T}, due {T}, original_due {T}, counts_from {T} NOT NULL, unit {T} NOT NULL, counts_on {T} NOT NULL, "
        f"state {T} NOT NULL",
    )
    _run(conn, "CREATE INDEX due_dates_ref ON due_dates (ref)")


def _nothing_derived(conn) -> None:
    _run(
        conn,
        "DROP TABLE IF EXISTS due_dates",
        "DELETE FROM meta WHERE name = 'due_dates'",
        "DROP INDEX IF EXISTS incidents_closed",
        "ALTER TABLE incidents DROP COLUMN closed",
    )


def _panel_exchange(conn) -> None:
    _table(
        conn,
        "exchange",
        f"id BIGINT PRIMARY KEY, incident_id BIGINT NOT NULL REFERENCES incidents (id), step {T} NOT NULL, "
        f"day {T} NOT NULL, response {T}, outcome {T}, notes {T}",
    )
    _run(
        conn,
        "CREATE INDEX exchange_incident ON exchange (incident_id)",
        "INSERT INTO exchange (incident_id, step, day, response, notes) "
        "SELECT id, 'response', panel_response_on, panel_response, panel_notes FROM incidents "
        "WHERE panel_response_on IS NOT NULL ORDER BY id",
        "INSERT INTO exchange (incident_id, step, day, outcome, notes) "
        "SELECT incident_id, 'decision', decided, outcome, reason FROM decisions ORDER BY incident_id, decided, id",
        "ALTER TABLE incidents DROP COLUMN panel_response",
        "ALTER TABLE incidents DROP COLUMN panel_response_on",
        "ALTER TABLE incidents DROP COLUMN panel_notes",
        "DROP TABLE decisions",
        "DROP FUNCTION csprcli_history_decisions()",
    )
    for table in EXCHANGE:
        _history_trigger(conn, table)


def _recorded_days(conn) -> None:
    """As SQLite's, but for filling in the days of actions recorded before it: a register on a
    server starts at this version, with none."""
    _run(conn, f"ALTER TABLE changes ADD COLUMN as_of {T}", f"ALTER TABLE actions ADD COLUMN recorded_on {T}")


def _death_child(conn) -> None:
    for column in ("sex", "ethnicity", "place"):
        _run(conn, f"ALTER TABLE deaths ADD COLUMN {column} {T}")


def _register_identity(conn) -> None:
    import uuid

    _run(conn, f"CREATE TABLE register (id INTEGER PRIMARY KEY CHECK (id = 1), identity {T} NOT NULL)")
    conn.execute("INSERT INTO register (id, identity) VALUES (1, ?)", [uuid.uuid4().hex])


FORMS: dict[str, Callable] = {
    "0001_incidents_and_closures": _incidents_and_closures,
    "0002_statutory_path": _statutory_path,
    "0003_history": _history,
    "0004_speed": _speed,
    "0005_child_deaths": _deaths,
    "0006_history_refuses_replace": _history_refuses_replace,
    "0007_published_events": _published_events,
    "0008_lifecycle": _lifecycle,
    "0009_death_register": _death_register,
    "0010_due_dates": _due_dates,
    "0011_nothing_derived": _nothing_derived,
    "0012_panel_exchange": _panel_exchange,
    "0013_recorded_days": _recorded_days,
    "0015_death_child": _death_child,
    "0016_register_identity": _register_identity,
}


def applied(conn) -> list[str]:
    """The names of the migrations applied to the register on the server (none: not a csprcli register yet)."""
    (found,) = conn.raw.execute("SELECT to_regclass(%s)", [BOOKKEEPING]).fetchone()
    if found is None:
        return []
    return [name for (name,) in conn.raw.execute(f"SELECT name FROM {BOOKKEEPING} ORDER BY id")]


def apply(conn, pending: list[str]) -> None:
    """Apply the PostgreSQL forms of the `pending` migrations, in order, in the open transaction."""
    _run(
        conn,
        f"CREATE TABLE IF NOT EXISTS {BOOKKEEPING} (id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        f"name {T} NOT NULL UNIQUE, applied_at {T} NOT NULL DEFAULT {NOW.format('.MS')})",
    )
    for name in pending:
        FORMS[name](conn)
        conn.raw.execute(f"INSERT INTO {BOOKKEEPING} (name) VALUES (%s)", [name])
