"""The table writer's layout (output.table), pinned by exact output, and a reading of it back.

Each layout the module's docstring describes (aligned, wrapped, expanded) is written out here in
full, character for character, the way sqlite-utils pins its CLI's output. `read_table` reads any
table the writer prints back into its records, by the documented layout alone: the property test
below, and tests/test_every_listing.py, use it to show that no value is ever cut.
"""

import io
import re
import sys
from contextlib import redirect_stdout
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csprcli.output import Column, print_table
from csprcli.output.table import cells, fill, layout, terminal


def lines(*each: str) -> str:
    """A table's expected text, one line an argument."""
    return "\n".join(each) + "\n"


HEADERS = ["Case", "Milestone", "Due", "Working days overdue"]
ROWS = [
    ["SI-2026-003", "notification", "27 Jan 2026", "26"],
    ["SI-2026-002", "rr-decision", "06 Feb 2026", "18"],
]


# -- aligned -------------------------------------------------------------------------------------


def test_a_table_that_fits_is_aligned_two_spaces_apart_under_a_rule():
    assert layout(HEADERS, ROWS, width=80) == lines(
        "",
        "Case         Milestone     Due          Working days overdue",
        "-----------  ------------  -----------  --------------------",
        "SI-2026-003  notification  27 Jan 2026  26",
        "SI-2026-002  rr-decision   06 Feb 2026  18",
    )


def test_a_title_stands_on_its_own_line_above_the_headings():
    assert layout(
        ["Date", "Name"], [["01 Jan 2026", "New Year's Day"]], width=80, title="Non-working weekdays"
    ) == lines(
        "",
        "Non-working weekdays",
        "Date         Name",
        "-----------  --------------",
        "01 Jan 2026  New Year's Day",
    )


def test_a_table_exactly_as_wide_as_the_terminal_stays_aligned():
    assert layout(HEADERS, ROWS, width=60).splitlines()[1] == (
        "Case         Milestone     Due          Working days overdue"
    )


def test_no_headings_is_no_text():
    assert layout([], [[], []], width=80) == ""


def test_no_rows_is_the_headings_and_the_rule():
    assert layout(["Case", "Due"], [], width=80) == "\nCase  Due\n----  ---\n"


# -- wrapped -------------------------------------------------------------------------------------


def test_a_heading_wraps_at_its_spaces_and_stands_on_the_rule():
    # 58 columns: "Working days overdue" gives way to "Working days" over "overdue"; the column is
    # then as wide as its widest line
    assert layout(HEADERS, ROWS, width=58) == lines(
        "",
        "                                        Working days",
        "Case         Milestone     Due          overdue",
        "-----------  ------------  -----------  ------------",
        "SI-2026-003  notification  27 Jan 2026  26",
        "SI-2026-002  rr-decision   06 Feb 2026  18",
    )


def test_long_text_wraps_at_spaces_within_its_column_and_records_stand_apart():
    rows = [
        ["1", "Audit joint strategy discussions across the partnership", "Police", "30 Jun 2026"],
        ["2", "Train", "Health", "30 Sep 2026"],
    ]
    headers = ["No.", "Recommendation", "Agency", "Target"]
    assert layout(headers, rows, width=50, wrap=[False, True, True, False]) == lines(
        "",
        "No.  Recommendation          Agency  Target",
        "---  ----------------------  ------  -----------",
        "1    Audit joint strategy    Police  30 Jun 2026",
        "     discussions across the",
        "     partnership",
        "",
        "2    Train                   Health  30 Sep 2026",
        "",
    )


def test_the_widest_column_gives_way_first_and_never_below_its_longest_word():
    # room 30 less 2 gaps: 26; natural 4 + 21 + 21 = 46; the two wide columns give 10 each
    found = layout(
        ["Ref", "Note", "Why"], [["SI-1", "a" * 3 + " b" * 9, "c" * 5 + " d" * 8]], width=30, wrap=[False, True, True]
    )
    assert found == lines(
        "",
        "Ref   Note         Why",
        "----  -----------  -----------",
        "SI-1  aaa b b b b  ccccc d d d",
        "      b b b b b    d d d d d",
        "",
    )


def test_headings_wrap_before_any_cell_does():
    # 35 columns: the note is the widest column, but narrowing the heading alone makes it fit
    assert layout(
        ["Note", "A long heading here"], [["some words in a note", "1"]], width=35, wrap=[True, False]
    ) == lines(
        "",
        "                      A long",
        "Note                  heading here",
        "--------------------  ------------",
        "some words in a note  1",
    )


def test_a_column_that_may_not_wrap_keeps_its_widest_cell_on_one_line():
    # Dates and references never wrap: the table turns expanded rather than break "27 Jan 2026"
    assert layout(["Case", "Due"], [["SI-2026-003", "27 Jan 2026"]], width=23).splitlines()[1].startswith("-[ 1 of 1 ]")
    assert layout(["Case", "Due"], [["SI-2026-003", "27 Jan 2026"]], width=24).splitlines()[1] == "Case         Due"


# -- expanded ------------------------------------------------------------------------------------


def test_too_narrow_for_any_table_one_record_a_block_one_heading_a_line():
    assert layout(HEADERS, ROWS, width=40) == lines(
        "",
        "-[ 1 of 2 ]-----------------------",
        "Case:                 SI-2026-003",
        "Milestone:            notification",
        "Due:                  27 Jan 2026",
        "Working days overdue: 26",
        "-[ 2 of 2 ]-----------------------",
        "Case:                 SI-2026-002",
        "Milestone:            rr-decision",
        "Due:                  06 Feb 2026",
        "Working days overdue: 18",
    )


def test_an_expanded_value_wraps_at_spaces_under_where_it_started():
    # 26 columns: the table needs 27 (SI-2025-001, two spaces, "Recommendation"); values get 10
    rows = [["SI-2025-001", "Audit joint strategy discussions across the partnership"]]
    assert layout(["Case", "Recommendation"], rows, width=26, wrap=[False, True], title="Actions") == lines(
        "",
        "Actions",
        "-[ 1 of 1 ]---------------",
        "Case:           SI-2025-001",
        "Recommendation: Audit",
        "                joint",
        "                strategy",
        "                discussions",  # longer than the line: whole, on a line of its own
        "                across the",
        "                partnership",
    )


def test_headings_longer_than_two_thirds_of_the_width_put_each_value_after_its_own():
    headers = ["Case", "Working days overdue (a child death: days)"]
    assert layout(headers, [["WS1234", "4 and a few more words here"]], width=30) == lines(
        "",
        "-[ 1 of 1 ]-------------------",
        "Case: WS1234",
        "Working days overdue (a child death: days):",
        "  4 and a few more words here",
    )


def test_a_word_longer_than_any_line_is_never_cut():
    word = "SIN-" + "8" * 40
    text = layout(["Case", "Notification ref"], [["SI-2025-001", word]], width=30)
    assert text.splitlines()[-1] == "Notification ref: " + word


# -- cells, wide and combining characters -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, width",
    [
        ("Walsall", 7),
        ("児童相談所", 10),  # East Asian wide: two cells each
        ("ＡＢ", 4),  # full-width Latin
        ("Cafe\u0301", 4),  # e and a combining acute accent
        ("Ysbyty\u200bGwynedd", 13),  # a zero-width space
        ("\U0001f476", 2),  # an emoji, wide
        ("Llŷr", 4),
        ("", 0),
    ],
)
def test_text_is_measured_in_terminal_cells(text, width):
    assert cells(text) == width


def test_wide_and_combining_characters_keep_the_columns_aligned():
    rows = [["児童相談所", "1"], ["Cafe\u0301", "2"], ["Bwrdd", "3"]]
    assert layout(["Agency", "No."], rows, width=80) == lines(
        "",
        "Agency      No.",
        "----------  ---",
        "児童相談所  1",
        "Cafe\u0301        2",
        "Bwrdd       3",
    )


def test_wide_text_wraps_by_cells():
    assert fill("児童 相談所 児童", 7) == ["児童", "相談所", "児童"]
    assert fill("児童 相談所", 11) == ["児童 相談所"]


# -- bold on a real terminal only, the width from the terminal ----------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "environment, tty, bold",
    [
        ({}, True, True),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # NO_COLOR set but empty does not count (no-color.org)
        ({"TERM": "dumb"}, True, False),
        ({}, False, False),  # a pipe or a file
    ],
)
def test_headings_are_bold_only_on_a_real_terminal(monkeypatch, environment, tty, bold):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdout", _Terminal() if tty else io.StringIO())
    assert terminal()[1] is bold


def test_the_width_is_the_columns_variable(monkeypatch):
    monkeypatch.setenv("COLUMNS", "63")
    assert terminal()[0] == 63


def test_bold_headings_and_title_and_the_layout_unchanged_around_them():
    text = layout(["Case", "Due"], [["SI-2026-003", "27 Jan 2026"]], width=80, title="Overdue", bold=True)
    assert text == lines(
        "",
        "\x1b[1mOverdue\x1b[0m",
        "\x1b[1mCase\x1b[0m         \x1b[1mDue\x1b[0m",
        "-----------  -----------",
        "SI-2026-003  27 Jan 2026",
    )
    expanded = layout(["Case", "Due"], [["SI-2026-003", "27 Jan 2026"]], width=20, bold=True)
    assert expanded.splitlines()[1:] == [
        "-[ 1 of 1 ]------",  # as wide as the widest line, the styling aside
        "\x1b[1mCase:\x1b[0m SI-2026-003",
        "\x1b[1mDue:\x1b[0m  27 Jan 2026",
    ]


# -- print_table: values as people read them, made safe, the headed columns only ---------------------------


def printed(rows, columns, title=None) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        print_table(rows, columns, title=title)
    return out.getvalue()


def test_print_table_shows_the_headed_columns_with_dates_and_none_as_people_read_them(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    columns = [
        Column("ref", "Case"),
        Column("title"),
        Column("due", "Due"),
        Column("done", "Done"),
        Column("late", "Late"),
    ]
    rows = [{"ref": "SI-2026-003", "title": "Notification", "due": date(2026, 1, 27), "done": None, "late": True}]
    assert printed(rows, columns) == lines(
        "",
        "Case         Due              Done  Late",
        "-----------  ---------------  ----  ----",
        "SI-2026-003  Tue 27 Jan 2026  -     yes",  # the people's form of a date, with its weekday
    )


def test_print_table_makes_typed_text_safe_for_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    rows = [{"agency": "Police\x1b[2J\u202eecilop", "note": "two\nlines\tand a tab"}]
    text = printed(rows, [Column("agency", "Agency"), Column("note", "Note", wrap=True)], title="Actions\x1b]0;x\x07")
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "Police\\x1b[2J\\u202eecilop  two lines and a tab" in text.splitlines()
    assert text.splitlines()[1] == "Actions\\x1b]0;x\\x07"


# -- reading a table back: what the layout promises, checked on any table ---------------------------------


def _normal(text: str) -> str:
    return " ".join(text.split())


def read_table(text: str, headers: list[str], title: str | None = None) -> list[dict[str, str]]:
    """The records of a table the writer printed (without styling), read by its documented layout
    alone: each {heading: value}, whitespace normalised."""
    lines = text.split("\n")
    assert lines[0] == "" and lines[-1] == "", "a table starts with a blank line and ends with a new line"
    lines = lines[1:-1]
    if title and lines:
        taken = ""
        while _normal(taken) != _normal(title):
            assert lines, "the title is missing"
            taken += " " + lines.pop(0)
    assert all(line == line.rstrip(" ") for line in lines), "no line ends in spaces"
    if not lines:
        return []  # an expanded table of no records
    if lines[0].startswith("-[ 1 of "):
        return _read_expanded(lines, headers)
    return _read_aligned(lines, headers)


def _read_expanded(lines: list[str], headers: list[str]) -> list[dict[str, str]]:
    records: list[dict[str, str]] = []
    at = None
    for line in lines:
        if marker := re.fullmatch(r"-\[ (\d+) of (\d+) \]-*", line):
            assert int(marker[1]) == len(records) + 1
            records.append({})
            continue
        starts = [h for h in headers if line.startswith(h + ":")]
        if starts and not line.startswith(" "):
            at = max(starts, key=len)
            assert at not in records[-1], f"{at} twice in a record"
            records[-1][at] = line[len(at) + 1 :]
        else:
            assert line.startswith("  ") and at is not None, f"a stray line: {line!r}"
            records[-1][at] += " " + line
    assert all(list(record) == headers for record in records), "every heading, in order, in every record"
    return [{h: _normal(v) for h, v in record.items()} for record in records]


def _column_text(lines: list[str], spans: list[tuple[int, int]], widths_of=cells) -> list[str]:
    """Each column's text over these lines, found by cells: a line is cut at the rule's spans."""
    found = [""] * len(spans)
    for line in lines:
        pieces = _cut(line, spans)
        found = [f"{a} {b}" for a, b in zip(found, pieces)]
    return [_normal(text) for text in found]


def _cut(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """The line cut at the columns' spans, measured in cells (a wide character takes two)."""
    pieces, at, position, last = [""] * len(spans), 0, 0, 0
    for char in line:
        size = cells(char)
        if not size:  # a combining mark goes with the character before it
            pieces[last] += char
            continue
        while at < len(spans) - 1 and position >= spans[at + 1][0]:
            at += 1
        if position < spans[at][1] or at == len(spans) - 1:
            pieces[at] += char
            last = at
        else:
            assert char == " ", f"text in a gap between columns: {line!r}"
        position += size
    return pieces


def _read_aligned(lines: list[str], headers: list[str]) -> list[dict[str, str]]:
    rule = next(i for i, line in enumerate(lines) if re.fullmatch(r"-+(  -+)*", line))
    spans = [m.span() for m in re.finditer("-+", lines[rule])]
    assert len(spans) == len(headers)
    assert _column_text(lines[:rule], spans) == [_normal(h) for h in headers]
    body = lines[rule + 1 :]
    if "" in body:  # records of more than one line, each followed by a blank line
        assert body[-1] == ""
        records = [chunk.split("\n") for chunk in "\n".join(body[:-1]).split("\n\n")]
    else:
        records = [[line] for line in body]
    for record in records:
        assert _cut(record[0], spans)[0].strip(), "a record starts on its first column"
        assert all(cells(line) <= spans[-1][1] for line in record), "every line within the table"
    return [dict(zip(headers, _column_text(record, spans))) for record in records]


def test_read_table_reads_each_layout_back():
    for width in (24, 40, 58, 80):
        assert read_table(layout(HEADERS, ROWS, width=width), HEADERS) == [dict(zip(HEADERS, row)) for row in ROWS]


_WORD = st.text(st.sampled_from("abcdefghij-/0123456789ŷé児童\u0301"), min_size=1, max_size=14).filter(
    lambda w: not w.startswith("\u0301")
)
_CELL = st.lists(_WORD, min_size=1, max_size=8).map(" ".join)
_HEADER = st.lists(st.text("ABCDEFGHIJ", min_size=1, max_size=9), min_size=1, max_size=4).map(" ".join)


@settings(deadline=None)  # as many examples as the Hypothesis profile says
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.lists(_HEADER, min_size=n, max_size=n, unique=True).filter(
                lambda hs: not any(a != b and b.startswith(a + ":") for a in hs for b in hs)
            ),
            st.lists(st.lists(_CELL, min_size=n, max_size=n), max_size=5),
            st.lists(st.booleans(), min_size=n, max_size=n),
        )
    ),
    st.integers(12, 200),
    st.one_of(st.none(), st.just("Title of the table")),
)
def test_every_value_is_read_back_whole_at_any_width(table, width, title):
    headers, rows, wrap = table
    text = layout(headers, rows, width=width, wrap=wrap, title=title)
    assert read_table(text, headers, title) == [{h: _normal(v) for h, v in zip(headers, row)} for row in rows]
    if not any(line.startswith("-[ 1 of ") for line in text.split("\n")):
        assert max(map(cells, text.split("\n"))) <= width, "a table that is not expanded fits the terminal"


# -- the listing path does without Rich -------------------------------------------------------------------

_OVERDUE_WITHOUT_RICH = """
import sys
from csprcli.cli import app
sys.argv = ["csprcli", "--db", sys.argv[1], "--as-of", "2026-03-04", *sys.argv[2:]]
try:
    app()
except SystemExit:
    pass
print("rich imported" if any(name == "rich" or name.startswith("rich.") for name in sys.modules) else "no rich")
"""


@pytest.mark.parametrize(
    "listing",
    [
        ["overdue"],  # one process in the fast subset; the other listings' in the slow one
        *(
            pytest.param(listing, marks=pytest.mark.slow)
            for listing in (["upcoming", "--within", "60"], ["list"], ["holidays"], ["death", "list"])
        ),
    ],
)
def test_a_listing_never_imports_rich(tmp_path, listing):
    import os
    import subprocess

    from conftest import INCIDENT, Cli

    db = tmp_path / "listing.db"
    Cli()("--db", str(db), *INCIDENT, "--aware", "20/01/2026", as_of="2026-01-20")  # overdue
    Cli()("--db", str(db), *INCIDENT, "--aware", "02/03/2026", as_of="2026-03-02")  # upcoming
    Cli()("--db", str(db), "death", "add", "WS1", "--died", "02/03/2026", "--age", "3 months", "--expected",
          as_of="2026-03-02")  # fmt: skip
    environment = os.environ | {"COLUMNS": "40"}  # expanded, the longest path through the writer
    done = subprocess.run(
        [sys.executable, "-c", _OVERDUE_WITHOUT_RICH, str(db), *listing],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.endswith("no rich\n"), (done.stdout, done.stderr)
    assert "-[ 1 of " in done.stdout


_ON_A_TERMINAL = """
from datetime import date
from csprcli.output import Column, print_table
print_table([{"ref": "SI-2026-0001", "due": date(2026, 1, 5)}], [Column("ref", "Case"), Column("due", "Due")])
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
@pytest.mark.parametrize("columns, expanded", [(40, False), (22, True)])
def test_on_a_real_terminal_its_width_is_read_and_the_headings_are_bold(columns, expanded):
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import termios

    main, terminal_end = pty.openpty()
    fcntl.ioctl(terminal_end, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    command = [sys.executable, "-c", _ON_A_TERMINAL]
    with subprocess.Popen(command, env=environment | {"TERM": "xterm"}, stdout=terminal_end) as child:
        os.close(terminal_end)
        out = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child has gone and the terminal is closed
                break
            if not chunk:
                break
            out += chunk
        assert child.wait() == 0
    os.close(main)
    text = out.decode().replace("\r\n", "\n")
    if expanded:
        assert text == lines(
            "",
            "-[ 1 of 1 ]----------",
            "\x1b[1mCase:\x1b[0m SI-2026-0001",
            "\x1b[1mDue:\x1b[0m  Mon 05 Jan 2026",
        )
    else:
        assert text == lines(
            "",
            "\x1b[1mCase\x1b[0m          \x1b[1mDue\x1b[0m",
            "------------  ---------------",
            "SI-2026-0001  Mon 05 Jan 2026",
        )
