"""What csprcli prints back is safe for a terminal: no character of user text can start an escape
sequence, rewrite the screen or reorder the line, wherever it is printed."""

from pathlib import Path
import pytest

from csprcli.domain.text import excerpt, printable

C0 = [chr(c) for c in [*range(0, 9), *range(11, 32)]]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


@pytest.mark.parametrize("ch", [*C0, "\x7f", *C1, *BIDI, "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\udcff"])
def test_every_unsafe_character_is_shown_as_an_escape(ch):
    shown = printable(f"a{ch}b")
    assert shown.startswith("a\\") and shown.endswith("b") and ch not in shown
    assert shown.isprintable()


def test_the_csi_of_c1_is_neutralised():
    # U+009B is a one-character CSI: "\x9b2J" clears the screen in many terminals
    assert printable("\x9b2J") == "\\x9b2J"
    assert printable("\x1b[2J") == "\\x1b[2J"
    assert printable("abc\u202edcba") == "abc\\u202edcba"


def test_ordinary_text_in_any_script_is_kept():
    for text in ["Walsall", "Ysgol Gymraeg Aberystwyth", "Zoë O'Neill-Østergård", "مرحبا", "中文", "🙂", "tab\there"]:
        assert printable(text) == text


def test_new_lines_are_kept_for_blocks_and_escaped_for_one_line_messages():
    assert printable("one\ntwo") == "one\ntwo"
    assert printable("one\ntwo\tthree", lines=False) == "one\\ntwo\\tthree"


def test_an_excerpt_is_short_and_safe():
    assert excerpt("banana") == "'banana'"
    long = "\x1b[31m" + "x" * 10_000
    shown = excerpt(long)
    assert len(shown) < 40 and "\x1b" not in shown and shown.endswith("...'")


# -- everywhere user text or a path is printed ------------------------------------------------

import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402

from conftest import INCIDENT, add_incident, copy_database, recorded_once  # noqa: E402

HOSTILE = "\x1b[2J\x9b31m\u202eevil\u2066"  # clear screen, a C1 CSI, a right-to-left override, an isolate


def clean(text: str) -> None:
    for ch in ("\x1b", "\x9b", "\u202e", "\u2066", "\x07"):
        assert ch not in text, (ch, text)


@pytest.fixture(scope="module")
def recorded_hostile_case(tmp_path_factory):
    with recorded_once(tmp_path_factory) as (cli, path):
        return path, record_hostile_case(cli)


@pytest.fixture
def hostile_case(recorded_hostile_case, db_path):
    """Recorded once for the module (record_hostile_case); the test works on a copy of the database."""
    path, refs = recorded_hostile_case
    copy_database(path, db_path)
    return refs


def record_hostile_case(cli):
    ref = add_incident(cli, "03/11/2025", "--summary", f"summary {HOSTILE}", as_of="2025-11-03")
    cli.ok("incident", "notify", ref, "--on", "05/11/2025", as_of="2025-11-05")
    cli.ok("review", "start", ref, "--on", "06/11/2025", as_of="2025-11-06")
    cli.ok("review", "decide", ref, "--outcome", "lcspr", "--on", "20/11/2025", "--reason", HOSTILE, as_of="2025-11-20")
    cli.ok(
        "lcspr",
        "pause",
        ref,
        "--on",
        "21/11/2025",
        "--reason",
        f"trial {HOSTILE}",
        "--agreed-by",
        HOSTILE,
        as_of="2025-11-21",
    )
    cli.ok(
        "action",
        "add",
        ref,
        "--recommendation",
        HOSTILE,
        "--agency",
        f"Police | [bold]{HOSTILE}",
        "--target",
        "30/06/2026",
        as_of="2025-11-21",
    )
    return ref


@pytest.mark.parametrize(
    "args",
    [
        ["show", "SI-2025-001"],
        ["history"],
        ["history", "SI-2025-001"],
        ["list", "--all"],
        ["explain", "SI-2025-001", "publication"],
        ["report", "--year", "2025-26"],
        ["report", "--year", "2025-26", "--format", "markdown"],
    ],
)
def test_what_people_read_is_safe(cli, hostile_case, args):
    result = cli.ok(*args, as_of="2026-01-29")
    clean(result.stdout)
    clean(result.stderr)


def test_a_correction_line_is_safe(cli, hostile_case):
    # (the Panel's notes belong to a response, which this case has none of: the decision's reasons instead)
    result = cli.ok("correct", hostile_case, "reason", f"notes {HOSTILE}", "--reason", HOSTILE, as_of="2026-01-29")
    clean(result.stdout)
    assert (
        "corrected to notes \\x1b[2J\\x9b31m\\u202eevil\\u2066 (was \\x1b[2J\\x9b31m\\u202eevil\\u2066)"
        in result.stdout
    )


def test_markdown_keeps_a_users_bar_out_of_the_table(cli, hostile_case):
    markdown = cli.ok("report", "--year", "2025-26", "--format", "markdown", as_of="2026-01-29").stdout
    row = next(line for line in markdown.splitlines() if "Police" in line)
    assert row.count(" | ") == 2 and "Police \\| [bold]" in row  # measure | value | definition


def test_a_path_in_a_message_is_safe(cli, tmp_path):
    path = tmp_path / f"x{HOSTILE}.db"
    error = cli.refused("--db", str(path), "list", code=3)
    clean(error)
    assert "no database at" in error
    add_incident(cli, "17/12/2025")
    out = tmp_path / f"out{HOSTILE}.csv"
    clean(cli.ok("export", "--output", str(out)).stderr)
    clean(cli.ok("db", "backup", str(tmp_path / f"b{HOSTILE}.db")).stdout)


def test_an_import_heading_is_quoted_short_and_safe(cli, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(f"child{HOSTILE}{'x' * 500},la\nLCS-1,W\n")
    error = cli.refused("import", str(path))
    clean(error)
    assert len(error) < 400


def test_errors_never_quote_free_text(cli, hostile_case):
    secret = "Jane Smith was seen by her aunt at 12 Acacia Avenue"
    ref = add_incident(cli, "17/12/2025", "--summary", secret)
    error = cli.refused("correct", ref, "summary", secret, "--reason", "typo")
    assert "Jane" not in error and "already that" in error
    error = cli.refused("list", "--format", secret * 200)
    assert len(error) < 400 and "Acacia" not in error.split("...")[-1]
    error = cli.refused("show", secret * 100)
    assert "Jane" not in error and len(error) < 400


@pytest.mark.parametrize(
    "child",
    ["J.Smith 14/03/2015", "JS 2015-03-14", "Smith 14.3.15", "Jo 14 March 2015", "JSmith14Mar2015", "Child A 1/2/2016"],
)
def test_a_child_reference_holding_a_full_date_is_refused(cli, db_path, child):
    args = [a if a != "LCS-104233" else child for a in INCIDENT]
    error = cli.refused(*args, "--aware", "17/12/2025")
    assert "holds a full date" in error and child not in error
    assert not db_path.exists()


@pytest.mark.parametrize("child", ["LCS-104233", "Child A", "2025/0042", "CIN 12-3456", "WS1234"])
def test_ordinary_references_still_go_in(cli, child):
    args = [a if a != "LCS-104233" else child for a in INCIDENT]
    cli.ok(*args, "--aware", "17/12/2025")


def test_history_as_csv_leaves_free_text_out_unless_asked(cli, hostile_case):
    secret = "seen by her aunt at home"
    cli.ok("correct", hostile_case, "summary", secret, "--reason", "the aunt's account", as_of="2026-01-29")
    plain = cli.ok("history", "--format", "csv", as_of="2026-01-29").stdout
    assert "aunt" not in plain and "trial" not in plain  # names (an agency, who agreed) stay
    assert "(left out: --include-notes)" in plain
    rows = list(csv.DictReader(io.StringIO(plain)))
    assert {r["command"] for r in rows} >= {"correct", "lcspr pause", "action add"}
    full = cli.ok("history", "--format", "csv", "--include-notes", as_of="2026-01-29").stdout
    assert "seen by her aunt at home" in full and "the aunt's account" in full
    assert (
        json.loads(cli.ok("history", "--format", "json", as_of="2026-01-29").stdout)[0]["reason"]
        == "the aunt's account"
    )


@pytest.mark.parametrize(
    "args, said",
    [
        (["list", "--format", "xml"], "error: --format: 'xml' is not a format (one of: table, csv, json)"),
        (["upcoming", "--within", "abc"], "error: --within: 'abc' is not a whole number from 0 to 260"),
    ],
)
def test_usage_errors_are_in_csprclis_words(cli, args, said):
    add_incident(cli, "17/12/2025")
    error = cli.refused(*args)
    assert said in error and "Value error" not in error and "Input should be" not in error


# -- machine formats, and a user name that is not plain ---------------------------------------------


def test_the_readme_says_machine_formats_are_not_made_safe_for_a_terminal():
    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text().split())
    assert "CSV, JSON and the calendar feed (ICS) on stdout are data for programs" in readme
    assert "not made safe for a terminal" in readme


def test_a_user_name_that_is_not_plain_is_recorded_as_the_uid_so_the_export_loads_back(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LOGNAME", "bad\x1b[2Juser")
    monkeypatch.setenv("USER", "bad\x1b[2Juser")
    add_incident(cli, "17/12/2025")
    history = json.loads(cli.ok("history", "--format", "json").stdout)
    assert "\x1b" not in history[0]["user"]
    path = tmp_path / "full.json"
    path.write_text(cli.ok("export", "--format", "json").stdout)
    cli.ok("--db", str(tmp_path / "new.db"), "import", str(path), "--format", "json")
