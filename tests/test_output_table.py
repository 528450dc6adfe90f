"""Tables print exactly as Rich prints them, whether Rich draws them or output.table writes them.

The reference is Rich itself, given the table the way print_table built it before output.table
existed, so these tests do not lean on the writer they check."""

import io
import os
import re
import subprocess
import sys
from collections import Counter
from contextlib import redirect_stdout
from datetime import date
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csprcli.output import Column, _human, print_table
from csprcli.output.table import plain_text

# What decides Rich's width and styling; each test names its own.
_CONSOLE_VARIABLES = ("COLUMNS", "LINES", "TERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLORTERM")

OVERDUE = [
    Column("ref", "Case"),
    Column("milestone", "Milestone"),
    Column("title"),
    Column("force", "Force", wrap=True),
    Column("due", "Due"),
    Column("working_days", "Working days overdue", wrap=True),
]
OVERDUE_ROWS = [
    {"ref": f"SI-2026-{i:04d}", "milestone": "rr-decision", "title": "Rapid review decision", "force": "statutory",
     "due": date(2026, 1, 5 + i), "working_days": 12 - i}
    for i in range(8)
]


def console_environment(**values: str):
    """os.environ with only these of the variables that decide Rich's width and styling."""
    environ = {k: v for k, v in os.environ.items() if k not in _CONSOLE_VARIABLES} | values
    return mock.patch.dict(os.environ, environ, clear=True)


def as_rich_prints(rows, columns, title=None) -> str:
    """What Rich prints for the table, built as print_table built it before output.table."""
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    shown = [c for c in columns if c.header]
    cells = [[escape(_human(row.get(c.key), short=True)) for c in shown] for row in rows]
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for i, column in enumerate(shown):
        widest = max([len(column.header)] + [len(r[i]) for r in cells])
        texts = [column.header, *(r[i] for r in cells)]
        longest_word = min(20, max(len(word) for text in texts for word in text.split() or [""]))
        table.add_column(
            column.header, overflow="fold", no_wrap=not column.wrap, min_width=longest_word if column.wrap else widest
        )
    for r in cells:
        table.add_row(*r)
    out = io.StringIO()
    Console(highlight=False, file=out).print(table)
    return out.getvalue()


def printed(rows, columns, title=None) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        print_table(rows, columns, title=title)
    return out.getvalue()


def without_escapes(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


# Short ASCII, as most tables hold; and then everything else: printable ASCII with what markup and
# emoji codes read ([ ] \\ :), long text that must wrap, and what only Rich can lay out (accents, wide
# characters, an emoji, a new line, a tab).
ordinary_text = st.text(st.sampled_from("SI-2026 abcxyz.,'()/"), max_size=16)
awkward = st.text(st.sampled_from("ab -[]\\:/éÉ中😀\n\t"), max_size=12)
any_text = st.one_of(
    ordinary_text,
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30),
    st.lists(st.sampled_from(["SI-2026-0001", "statutory", "a", "[b]", "x\\", ":ok:", ""]), max_size=6).map(" ".join),
    awkward,
    st.text(st.sampled_from("abc de"), min_size=40, max_size=120),
)
consoles = st.sampled_from(
    [
        {},  # a pipe or file: no escape codes
        {"NO_COLOR": "1"},
        {"FORCE_COLOR": "1"},  # a terminal: bold header, italic title
        {"FORCE_COLOR": "1", "NO_COLOR": "1"},
        {"FORCE_COLOR": "1", "TERM": "dumb"},  # a terminal without escape codes, 80 columns
        {"FORCE_COLOR": "1", "TERM": "dumb", "LINES": "30"},  # ... unless both COLUMNS and LINES are set
        {"TTY_COMPATIBLE": "1", "TERM": "xterm-256color"},
        {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    ]
)


# Headers of several words, which Rich wraps when it narrows a column that may wrap.
short_text = st.text(st.sampled_from("SI-2026 ab"), max_size=8)  # as overdue's cells are: references, numbers
long_headers = ["Working days overdue", "Working days overdue (a child death: days)", "Status of the review", "a  b c"]


@st.composite
def tables(draw):
    text = draw(st.sampled_from([ordinary_text, any_text, short_text, short_text]))
    values = st.one_of(text, st.none(), st.booleans(), st.integers(-5, 10**6), st.dates(max_value=date(2030, 1, 1)))
    words = text.filter(lambda h: "[" not in h)  # headers are the code's own words, never markup (cells are escaped)
    header = st.one_of(st.sampled_from(["Case", "Due", "Force", ""]), st.sampled_from(long_headers), words)
    headers = draw(st.lists(header, min_size=1, max_size=6))
    columns = [Column(f"c{i}", header, wrap=draw(st.booleans())) for i, header in enumerate(headers)]
    rows = draw(st.lists(st.fixed_dictionaries({c.key: values for c in columns}), max_size=6))
    title = draw(st.one_of(st.none(), st.sampled_from(["Children", "Progress checks"]), text))
    return rows, columns, title


def natural_width(rows, columns) -> int:
    """How wide the table is with every column as wide as its widest text."""
    shown = [c for c in columns if c.header]
    widest = [max([len(c.header), *(len(_human(row.get(c.key), short=True)) for row in rows)]) for c in shown]
    return sum(widest) + 3 * (len(shown) - 1) + 2


_SEEN = Counter()  # what the property test met: tables too wide for the console, and which were written without Rich


@settings(max_examples=600, derandomize=True, deadline=None)
@given(table=tables(), width=st.integers(40, 200), narrower=st.one_of(st.none(), st.integers(1, 30)), console=consoles)
def check_a_table_prints_exactly_as_rich_prints_it(table, width, narrower, console):
    from rich.console import Console

    rows, columns, title = table
    if not any(c.header for c in columns):
        return  # print_table is never given a table without a column to show
    if narrower is not None:  # a console a little narrower than the table: Rich narrows the columns that wrap
        width = max(1, natural_width(rows, columns) - narrower)
    with console_environment(COLUMNS=str(width), **console):
        shown = printed(rows, columns, title)
        assert shown == as_rich_prints(rows, columns, title)
        if natural_width(rows, columns) > Console(file=io.StringIO()).width:
            shown_columns = [c for c in columns if c.header]
            cells = [[_human(row.get(c.key), short=True) for c in shown_columns] for row in rows]
            headers, wrap = [c.header for c in shown_columns], [c.wrap for c in shown_columns]
            written = plain_text(headers, cells, title=title, wrap=wrap) is not None
            header_lines = len(shown.splitlines()) - len(rows) - 3 - bool(title)  # if written: a line a row
            _SEEN.update(["too wide"] + ["written"] * written + ["headers wrapped"] * (written and header_lines > 1))


@pytest.mark.slow
def test_a_table_prints_exactly_as_rich_prints_it():
    _SEEN.clear()
    check_a_table_prints_exactly_as_rich_prints_it()
    # A good share (about a quarter) of the tables too wide for the console are written without Rich, their
    # headers wrapped; the others hold text only Rich lays out, no column that may wrap, or a cell that
    # would wrap. The margin: Hypothesis draws constants from the modules loaded, so the examples move.
    assert _SEEN["headers wrapped"] >= 30, _SEEN
    assert _SEEN["written"] * 8 >= _SEEN["too wide"], _SEEN


def test_an_overdue_list_is_written_without_rich_as_rich_would():
    with console_environment(COLUMNS="100"):
        shown = [[_human(row.get(c.key), short=True) for c in OVERDUE if c.header] for row in OVERDUE_ROWS]
        assert plain_text([c.header for c in OVERDUE if c.header], shown, title="Overdue") is not None
        assert printed(OVERDUE_ROWS, OVERDUE, "Overdue") == as_rich_prints(OVERDUE_ROWS, OVERDUE, "Overdue")


def test_an_overdue_list_too_wide_for_80_columns_wraps_only_the_last_header_as_rich_does():
    columns = [c for c in OVERDUE if c.key != "force"]
    columns.insert(2, Column("force", "Force"))  # overdue's incidents: Force keeps its width
    found = [("notification", "statutory guidance"), ("report-sent", "Panel guidance"), ("rr-sent", "local")]
    rows = [
        {"ref": f"SI-2026-{i:03d}", "milestone": milestone, "force": force, "due": date(2026, 1, 27), "working_days": 9}
        for i, (milestone, force) in enumerate(found)
    ]
    assert natural_width(rows, columns) == 90  # the due date with its weekday
    headers = [c.header for c in columns if c.header]
    cells = [[_human(row.get(c.key), short=True) for c in columns if c.header] for row in rows]
    for console in ({}, {"FORCE_COLOR": "1", "TERM": "xterm-256color"}):
        with console_environment(COLUMNS="80", **console):
            assert plain_text(headers, cells, title="Overdue", wrap=[c.wrap for c in columns if c.header]) is not None
            shown = printed(rows, columns, "Overdue")
            assert shown == as_rich_prints(rows, columns, "Overdue")
    lines = shown.splitlines()
    assert [without_escapes(line).split() for line in lines[2:5]] == [
        ["Working"], ["days"], ["Case", "Milestone", "Force", "Due", "overdue"]
    ]
    assert "\x1b[1mWorking" in lines[2] and "\x1b[1mdays" in lines[3] and "\x1b[1moverdue" in lines[4]
    assert {len(without_escapes(line)) for line in lines} == {80}
    assert all(line.count("SI-2026-") == 1 for line in lines[6:9])  # a row a line


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"COLUMNS": "132"},
        {"COLUMNS": "0"},
        {"COLUMNS": "wide"},
        {"COLUMNS": "132", "FORCE_COLOR": "1"},
        {"COLUMNS": "132", "FORCE_COLOR": ""},
        {"COLUMNS": "132", "FORCE_COLOR": "1", "TERM": "dumb"},  # a dumb terminal is 80 wide ...
        {"COLUMNS": "132", "FORCE_COLOR": "1", "TERM": "Unknown", "LINES": "40"},  # ... unless COLUMNS and LINES say
        {"FORCE_COLOR": "1", "TERM": "dumb"},
        {"COLUMNS": "132", "TTY_COMPATIBLE": "1"},
        {"COLUMNS": "132", "TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    ],
)
def test_the_width_and_the_styling_are_rich_s(environment):
    from rich.console import Console

    from csprcli.output.table import _console

    with console_environment(**environment), redirect_stdout(io.StringIO()):
        rich = Console()
        assert _console() == (rich.width, rich.color_system is not None)


def test_a_table_exactly_as_wide_as_the_console_is_written_one_column_narrower_goes_to_rich():
    rows = [{"ref": "SI-2026-0001", "force": "statutory guidance"}]
    columns = [Column("ref", "Case"), Column("force", "Force", wrap=True)]
    cells = [["SI-2026-0001", "statutory guidance"]]
    title = "A title just as wide as this table."  # 12 + 3 + 18 + a space at each edge: 35
    for width, written in (("35", True), ("34", False)):
        with console_environment(COLUMNS=width):
            assert (plain_text(["Case", "Force"], cells, title=title) is not None) is written
            assert printed(rows, columns, title) == as_rich_prints(rows, columns, title)
    with console_environment(COLUMNS="35"):
        assert plain_text(["Case", "Force"], cells, title=title + "!") is None  # Rich would wrap the title
        assert printed(rows, columns, title + "!") == as_rich_prints(rows, columns, title + "!")


def test_on_a_terminal_the_header_is_bold_and_the_text_is_rich_s():
    with console_environment(COLUMNS="100", FORCE_COLOR="1", TERM="xterm-256color"):
        shown = printed(OVERDUE_ROWS, OVERDUE, "Overdue")
        assert shown == as_rich_prints(OVERDUE_ROWS, OVERDUE, "Overdue")
    with console_environment(COLUMNS="100"):
        assert without_escapes(shown) == printed(OVERDUE_ROWS, OVERDUE, "Overdue")
    title, _, header, *_ = shown.splitlines()
    assert title.startswith("\x1b[3mOverdue")
    assert header.startswith(" \x1b[1mCase")
    assert "\x1b[1mWorking days overdue\x1b[0m" in header


@pytest.mark.parametrize(
    "row, width, why",
    [
        ({"ref": "SI-2026-0001", "force": "statutory " * 8, "due": date(2026, 1, 5)}, "60", "too wide"),
        ({"ref": "SI-2026-0001", "force": "statutory guidance", "due": date(2026, 1, 5)}, "80", "a cell would wrap"),
        ({"ref": "SI-2026-0001", "force": "Ysgol Gymraeg Llanelli ŵ", "due": None}, "120", "not ASCII"),
        ({"ref": "SI-2026-0001", "force": "wide 中文", "due": None}, "120", "two columns a character"),
        ({"ref": "SI-[bold]1", "force": "statutory", "due": None}, "120", "markup, escaped for Rich"),
        ({"ref": "SI-2026-0001", "force": ":warning: late", "due": None}, "120", "an emoji code"),
        ({"ref": "SI-2026-0001", "force": "two\nlines", "due": None}, "120", "a new line"),
    ],
)
def test_what_only_rich_can_lay_out_goes_to_rich(row, width, why):
    rows = [*OVERDUE_ROWS[:2], row | {"milestone": "notification", "working_days": 3}]
    columns = [c for c in OVERDUE if c.header]
    with console_environment(COLUMNS=width):
        shown = [[_human(r.get(c.key), short=True) for c in columns] for r in rows]
        assert plain_text([c.header for c in columns], shown, wrap=[c.wrap for c in columns]) is None, why
        assert printed(rows, OVERDUE) == as_rich_prints(rows, OVERDUE), why


def test_a_title_wider_than_the_table_goes_to_rich():
    rows = OVERDUE_ROWS[:1]
    title = "A title far longer than this narrow table of one case is wide, so Rich wraps it"
    with console_environment(COLUMNS="120"):
        assert plain_text(["Case"], [["SI-2026-0001"]], title=title) is None
        assert printed(rows, OVERDUE[:1], title) == as_rich_prints(rows, OVERDUE[:1], title)


_WITHOUT_RICH = """
import sys
from datetime import date
from csprcli.output import Column, print_table
columns = [Column("ref", "Case"), Column("milestone", "Milestone"), Column("force", "Force", wrap=True),
           Column("due", "Due"), Column("working_days", "Working days overdue", wrap=True)]
rows = [{"ref": f"SI-2026-{i:04d}", "milestone": "rr-decision", "force": "statutory", "due": date(2026, 1, 5 + i),
         "working_days": 20 - i} for i in range(20)]
print_table(rows, columns)
assert "rich" not in sys.modules, sorted(m for m in sys.modules if m.startswith("rich"))
"""


@pytest.mark.slow
@pytest.mark.parametrize("console", [{}, {"FORCE_COLOR": "1", "TERM": "xterm-256color"}], ids=["pipe", "terminal"])
def test_an_ordinary_table_never_imports_rich(console):
    environ = {k: v for k, v in os.environ.items() if k not in _CONSOLE_VARIABLES} | {"COLUMNS": "100"} | console
    done = subprocess.run([sys.executable, "-c", _WITHOUT_RICH], env=environ, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("SI-2026-") == 20


_ON_A_TERMINAL = """
import sys
from datetime import date
from csprcli.output import Column, print_table
rows = [{"ref": "SI-2026-0001", "due": date(2026, 1, 5)}]
print_table(rows, [Column("ref", "Case"), Column("due", "Due")], title="Overdue")
assert "rich" not in sys.modules
sys.stdout.write("--\\n")
from rich import box
from rich.console import Console
from rich.table import Table
table = Table(title="Overdue", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
table.add_column("Case", overflow="fold", no_wrap=True, min_width=12)
table.add_column("Due", overflow="fold", no_wrap=True, min_width=15)
table.add_row("SI-2026-0001", "Mon 05 Jan 2026")
Console(highlight=False).print(table)
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_on_a_real_terminal_the_table_is_rich_s_to_the_byte():
    import pty

    environ = {k: v for k, v in os.environ.items() if k not in _CONSOLE_VARIABLES} | {"COLUMNS": "80", "TERM": "xterm"}
    main, terminal = pty.openpty()
    command = [sys.executable, "-c", _ON_A_TERMINAL]
    with subprocess.Popen(command, env=environ, stdout=terminal, stderr=subprocess.PIPE) as child:
        os.close(terminal)
        out = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child has gone and the terminal is closed
                break
            if not chunk:
                break
            out += chunk
        assert child.wait() == 0, child.stderr.read()
    os.close(main)
    ours, rich = out.decode().split("--\r\n")
    assert ours == rich
    assert "\x1b[1mCase" in ours
