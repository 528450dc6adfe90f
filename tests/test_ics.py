"""The calendar feed, read back with a real iCalendar parser (the `icalendar` package): strict
RFC 5545, nothing a user typed in it, SEQUENCE on every event, and vanished deadlines cancelled."""

from datetime import date, datetime, timezone

import icalendar
import pytest

from conftest import add_incident
from csprcli.output import ics

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
        uid = str(event["UID"])
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
    event = ics.Event("X-1@csprcli", date(2026, 1, 5), text, text)
    raw = ics.calendar([event], datetime(2026, 1, 1, tzinfo=timezone.utc)).encode()
    (parsed,) = events_of(raw).values()
    expected = text.replace("\r\n", "\n")
    assert parsed["SUMMARY"] == expected and parsed["DESCRIPTION"] == expected
    assert parsed["names"] == {
        "UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "DESCRIPTION", "STATUS", "TRANSP"
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
    cli.ok("review", "decide", ref, "--outcome", "lcspr", "--on", "20/11/2025", "--reason", "Learning", as_of="2025-11-20")
    return ref


def test_no_text_a_user_typed_reaches_the_feed(cli, review):
    hostile = "Police\r\nATTENDEE;CN=Jane Smith:mailto:jane@example.org\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil"
    cli.ok("action", "add", review, "--recommendation", "Jane Smith's school, 14/03/2015", "--agency", hostile,
           "--target", "30/06/2026", as_of=AS_OF)
    raw = cli.ok("export", "--format", "ics", as_of=AS_OF).stdout_bytes.decode()
    events = events_of(raw.encode())
    assert "Jane" not in raw and "Police" not in raw and "evil" not in raw and "ATTENDEE" not in raw
    action = events[f"{review}-action-1@csprcli"]
    assert action["SUMMARY"] == f"{review} action-1 due (local target)"
    assert action["DESCRIPTION"] == "Action 1 from the review's recommendations: local target, counted from its target date."
    assert action["DTSTART"] == date(2026, 6, 30)
    assert all(e["names"] >= {"UID", "SEQUENCE", "DTSTAMP", "STATUS"} for e in events.values())


def test_uids_are_stable_and_an_unchanged_feed_keeps_its_sequences(cli, review):
    first, second = feed(cli), feed(cli)
    assert {u: (e["SEQUENCE"], e["STATUS"]) for u, e in first.items()} == {
        u: (e["SEQUENCE"], e["STATUS"]) for u, e in second.items()
    }
    assert all(e["SEQUENCE"] == 0 for e in first.values())


def test_a_dropped_action_comes_back_cancelled_with_a_higher_sequence(cli, review):
    cli.ok("action", "add", review, "--recommendation", "r", "--agency", "Police", "--target", "30/06/2026", as_of=AS_OF)
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
    cli.ok("action", "add", review, "--recommendation", "r", "--agency", "Police", "--target", "30/06/2026", as_of=AS_OF)
    uid = f"{review}-action-1@csprcli"
    assert feed(cli)[uid]["SEQUENCE"] == 0
    cli.ok("revise", review, "action-1", "--to", "31/07/2026", "--reason", "Agency restructure",
           "--agreed-by", "Chair", as_of=AS_OF)
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
