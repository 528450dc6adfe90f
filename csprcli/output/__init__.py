"""One renderer for every listing: a table for people (output.table, which never cuts a value),
CSV or JSON for scripts.

CSV and JSON are a contract: keys are stable, dates are ISO (YYYY-MM-DD), and they
never pass through Rich. Every CSV cell that a spreadsheet could run as a formula
is neutralised.
"""

import os
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum, StrEnum
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from csprcli.domain.dates import as_said
from csprcli.domain.text import printable


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class Column(NamedTuple):
    key: str  # the CSV header and JSON key
    header: str = ""  # the table heading; empty: in CSV and JSON only
    wrap: bool = False  # long text that may wrap in a table


TABLE_ROW_LIMIT = 50  # a screenful: a table is for reading; --all shows every row, --format csv exports them

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_STARTS)
_QUOTED_FIRST = _FORMULA_FIRST | {"'"}


def neutralise(text: str) -> str:
    """Stop a spreadsheet running a cell as a formula: prefix a quote to risky text.

    Text that already starts with a quote before such a start (or before another quote) gets
    one too, so that the importer, taking exactly one such quote off, loads back what was typed."""
    if text == "-":  # a lone dash (a report's "none") is text to every spreadsheet, never a formula
        return text
    if text.startswith(_FORMULA_STARTS) or (text[:1] == "'" and text[1:2] and text[1] in _QUOTED_FIRST):
        return "'" + text
    return text


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates ISO, enums by value."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _cell(value: Any) -> str:
    """A value as a CSV cell: ISO dates, yes/no, JSON for records, formulas neutralised."""
    if isinstance(value, str):  # text and the named values (enums) alike
        return neutralise(value) if value and value[0] in _QUOTED_FIRST else value
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        import json  # only a record held in a cell

        return neutralise(json.dumps(value, ensure_ascii=False))
    return str(value)


def write_csv(rows: Iterable[dict], columns: Sequence[Column], out: TextIO) -> None:
    """Rows as CSV, the `columns` keys as the header: RFC 4180, as Python's csv module writes it by
    default (commas, CRLF line ends; a cell with a comma, a double quote or a line break in double
    quotes, its quotes doubled; a row of one empty cell as ""). Each cell is text as _cell makes it.

    Written here rather than by the csv module, whose writer looks up each character of every cell
    in the line terminator with a call of its own (bench/analysis.md: the 50,016 rows of `overdue`
    at 100,000 cases, their dates already text, took 229 ms with it and 166 ms without). Each line
    is written as it is made, as the module wrote them: a reading that fails part way has written
    the rows read before it."""
    keys = [c.key for c in columns]
    iso = _IsoDates()  # a listing's dates are a few hundred days, each written many times

    def cells(row: dict) -> list[str]:  # text that cannot start a formula, dates and numbers as _cell makes them
        return [
            v
            if isinstance(v, str) and v[:1] not in _QUOTED_FIRST
            else iso[v]
            if type(v) is date
            else str(v)
            if type(v) is int
            else _cell(v)
            for v in map(row.get, keys)
        ]

    out.write(_csv_line(keys))
    out.writelines(map(_csv_line, map(cells, rows)))


def _csv_line(cells: list[str]) -> str:
    """One CSV line: the cells joined by commas, each quoted only if it must be (write_csv)."""
    line = ",".join(cells)
    if line.count(",") == len(cells) - 1 and '"' not in line and "\n" not in line and "\r" not in line:
        return line + "\r\n" if line or len(cells) != 1 else '""\r\n'  # else an empty line: no row at all
    return ",".join(_quoted(cell) for cell in cells) + "\r\n"


def _quoted(cell: str) -> str:
    if '"' in cell or "," in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


class _IsoDates(dict):
    """Dates as ISO text, each worked out once (date.isoformat formats its text anew on every call)."""

    def __missing__(self, day: date) -> str:
        self[day] = text = day.isoformat()
        return text


def write_json(rows: Iterable[dict], out: TextIO) -> None:
    """A JSON list, written one object at a time, so a long listing is never all in memory."""
    import json

    out.write("[")
    written = False
    for row in rows:
        out.write(("," if written else "") + "\n  " + json.dumps(row, default=plain, ensure_ascii=False))
        written = True
    out.write("\n]\n" if written else "]\n")


def render(
    rows: Iterable[dict],
    columns: Sequence[Column],
    fmt: Format,
    *,
    title: str | None = None,
    empty: str = "nothing to show",
    show_all: bool = False,
) -> None:
    """Print rows to stdout in the chosen format. Notes for people go to stderr."""
    if fmt != Format.TABLE:
        stdout_takes_any_text()
    if fmt == Format.CSV:
        write_csv(rows, columns, sys.stdout)
    elif fmt == Format.JSON:
        write_json(rows, sys.stdout)
    else:
        rows = iter(rows)
        shown = list(rows) if show_all else list(islice(rows, TABLE_ROW_LIMIT))
        more = sum(1 for _ in rows)
        if not shown:
            print(empty)
            return
        print_table(shown, columns, title=title)
        if more:
            note(f"showing {len(shown)} of {len(shown) + more} rows; --all shows every row, --format csv exports them")


def encoding_problem() -> str:
    """What to say when standard output cannot carry the text (the one wording for it)."""
    encoding = getattr(sys.stdout, "encoding", None) or "unknown"
    return (
        f"the output cannot be written in this terminal's encoding ({encoding}); "
        "use a UTF-8 locale or set PYTHONIOENCODING=utf-8"
    )


def stdout_takes_any_text() -> None:
    """Refuse (exit 3) before anything is written when standard output's encoding cannot carry
    every character a record may hold (a Welsh place name, an emoji): data for programs (CSV,
    JSON, the calendar feed) is never half written and then cut off."""
    import codecs

    from csprcli.domain.errors import StoreError

    encoding = getattr(sys.stdout, "encoding", None)
    errors = getattr(sys.stdout, "errors", None) or "strict"
    try:
        name = codecs.lookup(encoding).name if encoding else ""
    except LookupError:
        name = ""
    if not name.startswith("utf") and errors in ("strict", "surrogateescape", "surrogatepass"):
        raise StoreError(encoding_problem())


def print_table(rows: Sequence[dict], columns: Sequence[Column], *, title: str | None = None) -> None:
    """The columns that have a heading, laid out by output.table (aligned, wrapped or expanded: it
    never cuts a value), each value made safe for the terminal."""
    from csprcli.output.table import layout, terminal

    shown = [c for c in columns if c.header]
    cells = [[_human(row.get(c.key), short=True) for c in shown] for row in rows]
    width, bold = terminal()
    text = layout(
        [printable(c.header) for c in shown],
        cells,
        width=width,
        wrap=[c.wrap for c in shown],
        title=printable(title) if title else None,
        bold=bold,
    )
    sys.stdout.write(text)
    sys.stdout.flush()


def print_fields(pairs: Sequence[tuple[str, Any]]) -> None:
    """A record as 'label: value' lines, for `show`."""
    from rich.markup import escape
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in pairs:
        grid.add_row(label, escape(_human(value)))
    console().print(grid)


def console(*, stderr: bool = False):
    """A Rich console for people: the one place they are made (after the terminal's width is known).

    Rich ends the program with status 1 when the reader of its output goes away; 1 means
    "overdue found something", so a closed pipe is handed on as BrokenPipeError, and the root
    (cli.app.CsprGroup) ends quietly with 141 as it does for any output."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return _Console(highlight=False, stderr=stderr)


def _human(value: Any, *, short: bool = False) -> str:
    """A value as people read it, made safe for a terminal (print_fields escapes it for Rich's markup)."""
    if value is None:
        return "-"
    return printable(as_said(value))  # a date with its weekday, in tables too: a due date on a Sunday shows it


def note(message: str) -> None:
    """A message for people, on stderr, made safe for the terminal."""
    print(printable(message), file=sys.stderr)


def say(message: str) -> None:
    """A line for people, on stdout, made safe for the terminal."""
    print(printable(message))


def write_file_atomically(path: Path, write, *, bom: bool = True, binary: bool = False, first=...) -> None:
    """Write a file through a temporary file beside it, then rename it into place.

    The file is never seen half-written: either the old one or the complete new one. An
    existing target that is not a regular file (a device, a FIFO, a folder) is refused.
    The new file is readable by its owner only, like the database. `bom` starts it with
    UTF-8's byte-order mark, which Excel needs to read a CSV as UTF-8. `binary`: `write` is
    given a file of bytes (a workbook). `first`: what was at `path` when it was first checked
    (store.files.check_target); it must still be there when the file is moved into place.
    """
    from csprcli.store.files import replacing

    with replacing(Path(path), first) as temporary:
        opened = (
            open(temporary, "wb")
            if binary
            else open(temporary, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
        )
        with opened as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
