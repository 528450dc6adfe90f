"""The calendar feed, read back with a real iCalendar parser (the `icalendar` package): strict
RFC 5545, nothing a user typed in it, SEQUENCE on every event, and vanished deadlines cancelled."""

import os
import sqlite3
from pathlib import Path
import re
from datetime import date, datetime, timezone

import icalendar
import pytest

from conftest import INCIDENT, add_incident
from test_exit_statuses import one_line, run
from csprcli.output import ics

EXAMPLE = Path(__file__).parent.parent / "examples" / "import-cases.csv"

AS_OF = "2026-03-04"


def events_of(raw: bytes) -> dict[str, dict]:
    """Each VEVENT by UID, its properties decoded by icalendar; checks the framing on the way."""
    assert raw.endswith(b"\r\n")
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line  # folded at 75 octets
        assert b"\n" not in line and b"\r" not in line  # every line ends in CRLF, no bare LF
    parsed = icalendar.Calendar.from_ical(raw)
    found = {}
    for event in parsed.walk("VEVENT"):
        # CASE-MILESTONE-REGISTER@csprcli: read here without the register's identity, which
        # test_two_registers_feeds_share_no_uid checks
        uid, register = re.subn(r"-[0-9a-f]{32}@csprcli$", "@csprcli", str(event["UID"]))
        assert register == 1, event["UID"]
        assert uid not in found, uid  # one event per UID
        found[uid] = {
            "DTSTART": event.decoded("DTSTART"),
            "DTEND": event.decoded("DTEND"),
            "SUMMARY": str(event["SUMMARY"]),
            "DESCRIPTION": str(event["DESCRIPTION"]),
            "STATUS": str(event["STATUS"]),
            "SEQUENCE": int(event["SEQUENCE"]),
            "names": set(event.keys()),
        }
    return found


@pytest.fixture(autouse=True)
def _published(cli):
    """The feeds here are each the feed of its day, published (a feed as of another day is a preview)."""
    cli.as_if_today = True


def feed(cli, as_of=AS_OF) -> dict[str, dict]:
    return events_of(cli.ok("export", "--format", "ics", as_of=as_of).stdout_bytes)


# -- the writer, unit by unit ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "semi;colon, comma\\backslash",
        "new\nline\r\nand CRLF",
        "ATTENDEE:mailto:x@example.org\r\nEND:VEVENT\r\nBEGIN:VEVENT",
        "é" * 200,  # two octets each: folding never splits one
        "🙂" * 100,
    ],
)
def test_any_text_survives_escaping_and_folding_intact(text):
    event = ics.Event(f"X-1-{'0' * 32}@csprcli", date(2026, 1, 5), text, text)
    raw = ics.calendar([event], datetime(2026, 1, 1, tzinfo=timezone.utc)).encode()
    (parsed,) = events_of(raw).values()
    expected = text.replace("\r\n", "\n")
    assert parsed["SUMMARY"] == expected and parsed["DESCRIPTION"] == expected
    assert parsed["names"] == {
        "UID",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "SEQUENCE",
        "SUMMARY",
        "DESCRIPTION",
        "STATUS",
        "TRANSP",
    }


def test_escaping_follows_rfc_5545():
    assert ics.escape("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    assert ics.escape("bell\x07") == "bell"


def test_folding_is_at_75_octets_with_a_space_to_continue():
    folded = ics.fold("X" * 200)
    parts = folded.split("\r\n")
    assert [len(p.encode()) for p in parts] == [75, 75, 52]  # 75; a space and 74; a space and the last 51
    assert all(p.startswith(" ") for p in parts[1:])


def test_versions_new_unchanged_changed_and_vanished():
    a = ics.Event("A", date(2026, 1, 5), "A due", "d")
    b = ics.Event("B", date(2026, 1, 6), "B due", "d")
    first = {e.uid: e for e in ics.versioned([a, b], {})}
    assert (first["A"].sequence, first["B"].sequence) == (0, 0)
    moved = ics.Event("A", date(2026, 1, 9), "A due", "d")
    second = {e.uid: e for e in ics.versioned([moved], first)}
    assert (second["A"].sequence, second["A"].day) == (1, date(2026, 1, 9))
    assert (second["B"].status, second["B"].sequence) == (ics.CANCELLED, 1)
    third = {e.uid: e for e in ics.versioned([moved], second)}
    assert third == second  # nothing changed: the same versions, a cancellation not raised again


# -- the feed, end to end ----------------------------------------------------------------------


@pytest.fixture
def review(cli):
    """A case in a local review with one action, as of 4 March 2026."""
    ref = add_incident(cli, "03/11/2025", as_of="2025-11-03")
    cli.ok("incident", "notify", ref, "--on", "05/11/2025", as_of="2025-11-05")
    cli.ok("review", "start", ref, "--on", "06/11/2025", as_of="2025-11-06")
    cli.ok(
        "review", "decide", ref, "--outcome", "lcspr", "--on", "20/11/2025", "--reason", "Learning", as_of="2025-11-20"
    )
    return ref


def test_no_text_a_user_typed_reaches_the_feed(cli, review):
    hostile = "Police\r\nATTENDEE;CN=Jane Smith:mailto:jane@example.org\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil"
    cli.ok(
        "action",
        "add",
        review,
        "--recommendation",
        "Jane Smith's school, 14/03/2015",
        "--agency",
        hostile,
        "--target",
        "30/06/2026",
        as_of=AS_OF,
    )
    raw = cli.ok("export", "--format", "ics", as_of=AS_OF).stdout_bytes.decode()
    events = events_of(raw.encode())
    assert "Jane" not in raw and "Police" not in raw and "evil" not in raw and "ATTENDEE" not in raw
    action = events[f"{review}-action-1@csprcli"]
    assert action["SUMMARY"] == f"{review} action-1 due (local)"
    assert action["DESCRIPTION"] == "Action 1 from the review's recommendations: local, counted from its target date."
    assert action["DTSTART"] == date(2026, 6, 30)
    assert all(e["names"] >= {"UID", "SEQUENCE", "DTSTAMP", "STATUS"} for e in events.values())


def test_uids_are_stable_and_an_unchanged_feed_keeps_its_sequences(cli, review):
    first, second = feed(cli), feed(cli)
    assert {u: (e["SEQUENCE"], e["STATUS"]) for u, e in first.items()} == {
        u: (e["SEQUENCE"], e["STATUS"]) for u, e in second.items()
    }
    assert all(e["SEQUENCE"] == 0 for e in first.values())


def test_a_dropped_action_comes_back_cancelled_with_a_higher_sequence(cli, review):
    cli.ok(
        "action", "add", review, "--recommendation", "r", "--agency", "Police", "--target", "30/06/2026", as_of=AS_OF
    )
    uid = f"{review}-action-1@csprcli"
    assert feed(cli)[uid]["STATUS"] == "CONFIRMED"
    cli.ok("action", "drop", review, "1", "--on", AS_OF, "--reason", "Superseded", as_of=AS_OF)
    after = feed(cli)[uid]
    assert (after["STATUS"], after["SEQUENCE"]) == ("CANCELLED", 1)
    assert feed(cli)[uid]["SEQUENCE"] == 1  # cancelled once, then as it is


def test_an_undone_incident_comes_back_cancelled(cli):
    ref = add_incident(cli, "02/03/2026", as_of=AS_OF)
    before = feed(cli)
    uid = f"{ref}-notification@csprcli"
    # aware Mon 2 March 2026: the 5th working day after is Mon 9 March
    assert (before[uid]["STATUS"], before[uid]["DTSTART"]) == ("CONFIRMED", date(2026, 3, 9))
    cli.ok("undo", "--yes", as_of=AS_OF)
    after = feed(cli)
    assert (after[uid]["STATUS"], after[uid]["SEQUENCE"], after[uid]["DTSTART"]) == ("CANCELLED", 1, date(2026, 3, 9))


def test_a_case_closed_as_criteria_not_met_cancels_its_deadlines(cli):
    ref = add_incident(cli, "02/03/2026", as_of="2026-03-02")
    cli.ok("incident", "notify", ref, "--on", "03/03/2026", as_of="2026-03-03")
    before = feed(cli)
    running = {u for u, e in before.items() if e["STATUS"] == "CONFIRMED"}
    assert f"{ref}-rr-decision@csprcli" in running
    cli.ok("review", "decide", ref, "--outcome", "criteria-not-met", "--on", AS_OF, "--reason", "r", as_of=AS_OF)
    after = feed(cli)
    decision = after[f"{ref}-rr-decision@csprcli"]
    assert (decision["STATUS"], decision["SEQUENCE"]) == ("CANCELLED", 1)
    still = after[f"{ref}-partners-informed@csprcli"]  # telling the partners is still due
    assert (still["STATUS"], still["SEQUENCE"]) == ("CONFIRMED", 0)


def test_a_moved_deadline_raises_its_sequence(cli, review):
    cli.ok(
        "action", "add", review, "--recommendation", "r", "--agency", "Police", "--target", "30/06/2026", as_of=AS_OF
    )
    uid = f"{review}-action-1@csprcli"
    assert feed(cli)[uid]["SEQUENCE"] == 0
    cli.ok(
        "revise",
        review,
        "action-1",
        "--to",
        "31/07/2026",
        "--reason",
        "Agency restructure",
        "--agreed-by",
        "Chair",
        as_of=AS_OF,
    )
    moved = feed(cli)[uid]
    assert (moved["DTSTART"], moved["SEQUENCE"], moved["STATUS"]) == (date(2026, 7, 31), 1, "CONFIRMED")


def test_the_feed_never_creates_a_database(cli, db_path):
    cli.refused("export", "--format", "ics", code=3)
    assert not db_path.exists()


def test_a_refused_target_records_nothing_as_published(cli, db_path, tmp_path):
    add_incident(cli, "02/03/2026", as_of=AS_OF)
    (tmp_path / "folder").mkdir()
    cli.refused("export", "--format", "ics", "--output", str(tmp_path / "folder"), as_of=AS_OF)
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM published_events").fetchone()[0] == 0
    finally:
        conn.close()


# -- whose feed, and which feed is published ----------------------------------------------------


def raw_uids(cli, as_of=AS_OF, *db) -> set[str]:
    raw = cli.ok(*db, "export", "--format", "ics", as_of=as_of).stdout_bytes
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")}


def test_two_registers_feeds_share_no_uid(cli, tmp_path):
    """The same cases in two databases (a training copy, a neighbouring partnership): their events
    must never replace each other's in one calendar."""
    for db in (tmp_path / "a.db", tmp_path / "b.db"):
        cli.ok("--db", str(db), *INCIDENT, "--aware", "02/03/2026", as_of="2026-03-02")
    first = raw_uids(cli, AS_OF, "--db", str(tmp_path / "a.db"))
    second = raw_uids(cli, AS_OF, "--db", str(tmp_path / "b.db"))
    assert first and second and not first & second
    assert {u.split("-notification")[0] for u in first if "-notification-" in u} == {"SI-2026-001"}
    # the identity is the register's: the same in every feed it writes, a copy of the file keeps it
    assert raw_uids(cli, "2026-03-05", "--db", str(tmp_path / "a.db")) == first
    import shutil

    shutil.copy(tmp_path / "a.db", tmp_path / "copy.db")
    assert raw_uids(cli, "2026-03-05", "--db", str(tmp_path / "copy.db")) == first


def test_a_full_export_loaded_elsewhere_is_the_same_register(cli, tmp_path):
    add_incident(cli, "02/03/2026", as_of="2026-03-02")
    before = raw_uids(cli)
    path = tmp_path / "full.json"
    path.write_text(cli.ok("export", "--format", "json", as_of=AS_OF).stdout)
    other = tmp_path / "restored.db"
    cli.ok("--db", str(other), "import", str(path), "--format", "json", as_of=AS_OF)
    assert raw_uids(cli, AS_OF, "--db", str(other)) == before
    # an export with no register, or a made-up one, is refused
    import json

    data = json.loads(path.read_text())
    for bad in (None, "not-an-identity"):
        data["register"] = bad
        path.write_text(json.dumps(data))
        assert "register" in cli.refused("--db", str(tmp_path / f"{bad}.db"), "import", str(path), "--format", "json")


def test_a_feed_as_of_another_day_is_a_preview_and_records_nothing(cli, db_path):
    """Only a feed for today is published; one as of a past or a future day shows what that day's
    feed would be and changes nothing: no CANCELLED events no calendar has seen, no SEQUENCE raised."""
    from conftest import snapshot

    ref = add_incident(cli, "02/03/2026", as_of="2026-03-02")
    cli.ok("incident", "notify", ref, "--on", "03/03/2026", as_of="2026-03-03")
    cli.as_if_today = False  # the real today is some other day: every as-of below is a view of another day
    before = snapshot(db_path)
    past = cli.ok("export", "--format", "ics", as_of="2026-03-02")
    assert "a preview of the feed as of Mon 02 Mar 2026" in past.stderr
    future = cli.ok("export", "--format", "ics", as_of="2099-03-04")
    assert "a preview" in future.stderr
    assert snapshot(db_path) == before  # nothing recorded as published
    # the first feed of the day: nothing was published before, so nothing comes back cancelled (the
    # notification met on 3 March, within 60 days, is cancelled because it is recent, as it would be anyway)
    cli.as_if_today = True
    today = events_of(cli.ok("export", "--format", "ics", as_of=AS_OF).stdout_bytes)
    assert {e["SEQUENCE"] for e in today.values()} == {0}
    cli.as_if_today = False
    cli.ok("export", "--format", "ics", as_of="2026-03-02")  # a preview again, where the notification was open
    cli.as_if_today = True
    again = events_of(cli.ok("export", "--format", "ics", as_of=AS_OF).stdout_bytes)
    assert again == today  # no SEQUENCE raised, no event flipped


# -- the feed records what it published only once it is written ---------------------------------


def published(db: Path) -> list:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM published_events ORDER BY uid").fetchall()


def test_a_feed_that_cannot_be_written_records_nothing_as_published(cli, db_path, tmp_path):
    cli.as_if_today = True  # each feed is today's, so published (a feed of another day is a preview)
    add_incident(cli, "17/12/2025")
    cli.ok("export", "--format", "ics", "--output", str(tmp_path / "first.ics"))
    cli.ok("incident", "notify", "SI-2025-001", "--on", "18/12/2025")
    before = published(db_path)
    os.mkfifo(tmp_path / "fifo")
    assert "nothing was written" in cli.refused("export", "--format", "ics", "--output", str(tmp_path / "fifo"))
    assert published(db_path) == before
    assert "folder" in cli.refused("export", "--format", "ics", "--output", str(tmp_path / "nodir" / "x.ics"))
    assert published(db_path) == before


@pytest.mark.slow
def test_a_feed_on_a_full_standard_output_records_nothing_as_published(cli, db_path):
    from csprcli.cli.base import london_today

    cli.as_if_today = True  # each feed is today's, so published (a feed of another day is a preview)
    add_incident(cli, "17/12/2025")
    cli.ok("export", "--format", "ics", "--output", "-")
    cli.ok("incident", "notify", "SI-2025-001", "--on", "18/12/2025")
    before = published(db_path)
    assert before
    with open("/dev/full", "wb") as full:
        today = {"CSPRCLI_AS_OF": london_today().isoformat()}  # today's feed, which would be published
        result = run(["export", "--format", "ics", "--output", "-"], db_path, stdout=full, env=today)
    assert result.returncode == 3
    one_line(result.stderr)
    assert published(db_path) == before


def test_a_feed_written_but_not_recorded_says_so(cli, db_path, tmp_path, monkeypatch):
    import csprcli.store.store

    add_incident(cli, "17/12/2025")

    def damaged(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(csprcli.store.store.Store, "record_published", damaged)
    cli.as_if_today = True  # today's feed, so published (a feed of another day is a preview)
    result = cli("export", "--format", "ics", "--output", str(tmp_path / "feed.ics"))
    assert result.exit_code == 5, result.stderr
    assert (
        "the feed was written to" in result.stderr
        and "feed.ics" in result.stderr
        and "nothing was written" not in result.stderr
    )
    assert (tmp_path / "feed.ics").read_text().startswith("BEGIN:VCALENDAR")


def test_the_calendar_feed_has_one_stable_event_per_open_deadline_and_no_personal_detail(cli, tmp_path):
    cli.as_if_today = True  # each feed is the feed of its day, published
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    path = tmp_path / "deadlines.ics"
    cli.ok("export", "--format", "ics", "--output", str(path), as_of="2026-03-04")
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    events = events_of(raw)
    confirmed = {uid: e for uid, e in events.items() if e["STATUS"] == "CONFIRMED"}
    # LCS-300245's local review: decided Thu 8 May 2025, publication due 6 months later, Sat 8 Nov 2025
    publication = confirmed["SI-2025-002-publication@csprcli"]
    assert publication["DTSTART"] == date(2025, 11, 8) and publication["DTEND"] == date(2025, 11, 9)
    assert publication["SUMMARY"] == "SI-2025-002 publication due (statutory guidance)"
    text = raw.decode()
    for personal in ("LCS-", "Child B", "Adolescent", "Dudley"):
        assert personal not in text
    again = tmp_path / "again.ics"
    cli.ok("export", "--format", "ics", "--output", str(again), as_of="2026-03-04")
    assert events_of(again.read_bytes()).keys() == events.keys()
    # the deadline met disappears: it comes back cancelled
    cli.ok("lcspr", "send", "SI-2025-002", "--on", "02/03/2026", as_of="2026-03-04")
    cli.ok(
        "lcspr",
        "publish",
        "SI-2025-002",
        "--on",
        "03/03/2026",
        "--type",
        "full",
        "--rationale",
        "x",
        as_of="2026-03-04",
    )
    later = events_of(cli.ok("export", "--format", "ics", as_of="2026-03-04").stdout_bytes)
    assert later["SI-2025-002-publication@csprcli"]["STATUS"] == "CANCELLED"
