"""Reading an existing tracker's CSV into incidents: every row checked by the same rules as the
commands, every error reported with its row and column. Pure: no database, no printing.

The column layout is the one `csprcli export` writes for a case (see IMPORT_COLUMNS); other
headings can be mapped onto it. Dates are read day first, in every form the commands accept.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import BinaryIO, TextIO
from dataclasses import dataclass
from datetime import date

from csprcli.domain.checks import FIELDS, REQUIRED_FIELDS, check_record, read_value
from csprcli.domain.errors import BadInput
from csprcli.domain.text import excerpt, printable
from csprcli.domain.model import Child, Incident, PanelStep
from csprcli.domain.vocabulary import Step
from csprcli.domain.rules import RULES

# The columns read, the required ones first: every recorded field of an incident (checks.FIELDS).
IMPORT_COLUMNS = tuple(FIELDS)
# The date columns of `csprcli export` read as the dates they show, so an export loads back.
EXPORT_ALIASES = {f"{rule.milestone}_done": rule.done for rule in RULES if rule.done} | {
    "panel-response_done": "panel_response_on"  # the Panel's (one) response, loaded as the first step of the exchange
}
MAX_ROWS = 200_000
MILESTONES = {rule.milestone for rule in RULES}


def _some(text: str) -> bool:
    return text not in ("", "0", "no")


# Columns of `csprcli export` that carry what the CSV importer cannot load (progress checks,
# actions, further children, pauses): a row where they hold something is refused, not loaded
# with it silently lost. Only a full JSON export ('export --format json') is a complete copy.
LOSSY_COLUMNS = {
    "children": lambda text: text not in ("", "0", "1"),
    "pauses": _some,  # a pause after a target was missed leaves no clock "paused" to see
    **{f"actions_{kind}": _some for kind in ("open", "overdue", "done", "dropped")},
    **{f"{rule.milestone}_status": lambda text: text == "paused" for rule in RULES},
}
LOSSY_REASON = (
    "holds what a CSV import cannot load (progress checks, actions, further children, a pause or a revised target); "
    "only a full export loads everything: 'csprcli export --format json', then 'csprcli import FILE --format json'"
)


@dataclass(frozen=True)
class RowError:
    row: int  # the line's number in the file, the heading being line 1
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.reason}"


MAX_LINE = 1 << 20  # bytes in one line of the file: far beyond any tracker's row
MAX_CELL = 100_000  # characters in one cell, well under the csv module's own limit (131,072)
UTF8_HINT = "in Excel save it as 'CSV UTF-8 (comma delimited)'"


def open_text(path) -> BinaryIO:
    """The file to import, opened for reading, after checking it is a regular file: a FIFO
    would wait for ever and a device such as /dev/zero never ends. `-` is standard input."""
    import os
    import stat

    from csprcli.domain.text import printable

    if str(path) == "-":  # standard input, whatever feeds it (a pipe, a redirection)
        import sys

        return sys.stdin.buffer
    shown = printable(str(path), lines=False)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise BadInput(f"cannot read {shown}: {error.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BadInput(f"{shown} is not a regular file; give the path of a CSV or JSON file")
        os.set_blocking(fd, True)
        return open(fd, "rb", closefd=True)
    except BaseException:
        os.close(fd)
        raise


def lines(stream: BinaryIO | TextIO) -> Iterator[str]:
    """The file's lines as text, one at a time (UTF-8, a byte-order mark skipped): a huge file is
    never read whole, and a line too long to be a tracker's (a binary file) is refused as soon as
    it is seen."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE:
            raise BadInput(f"line {number} is longer than {MAX_LINE:,} bytes; is it a CSV file?")
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise BadInput(f"the file is not UTF-8 text (line {number}); {UTF8_HINT}") from None
        yield line


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 with or without a byte-order mark, any line endings."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInput(f"the file is not UTF-8 text (byte {error.start + 1}); {UTF8_HINT}") from None


_QUOTED_STARTS = frozenset("=+-@\t\r'")


def unneutralise(text: str) -> str:
    """A cell as it was before `csprcli export` neutralised it for spreadsheets (see output.neutralise):
    the quote put before text that starts like a formula (or with such a quote) is taken off again."""
    return text[1:] if text[:1] == "'" and text[1:2] in _QUOTED_STARTS and text[1:2] else text


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """--map 'Date aware=aware' pairs: the file's heading -> csprcli's column."""
    mapping = {}
    for pair in pairs:
        heading, sep, column = pair.rpartition("=")
        if not sep or not heading.strip() or column.strip() not in IMPORT_COLUMNS:
            raise BadInput(f"--map takes 'Their heading=column', the column one of: {', '.join(IMPORT_COLUMNS)}")
        mapping[heading.strip()] = column.strip()
    return mapping


def read_rows(
    source: BinaryIO | TextIO | str,
    mapping: Mapping[str, str],
    *,
    as_of: date,
    clocks: Callable[[Incident], Iterable] | None = None,
) -> Iterator[tuple[int, Incident | list[RowError]]]:
    """Each data row as an incident (reference not yet given), or the errors that stop it.

    With `clocks` (the clocks a record gives, as the database to load into counts them), a row of
    an export whose due or done dates the loaded record would not give is refused: it holds what
    a CSV cannot carry (a progress check, a pause, a revised target).

    Read as a stream, and counted first when the file can be read twice: a file over MAX_ROWS
    is refused before any row is kept. A broken file (an unterminated quote, a cell too long,
    a heading twice) stops the import with its line number.
    """
    stream = io.StringIO(source, newline="") if isinstance(source, str) else source
    if stream.seekable():  # count first: a file too long is refused before any row is kept
        _count_first(stream)
    rows = _records(csv.reader(lines(stream), strict=True))
    headings = next(rows, None)
    if headings is None:
        raise BadInput("the file is empty: it needs a heading row and at least one case")
    layout = _Layout.of(headings, mapping)
    count = 0
    for number, cells in enumerate(rows, start=2):  # the heading is row 1
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise BadInput(f"the file has more than {MAX_ROWS:,} cases; split it into smaller files")
        yield number, _row(number, cells, layout, as_of, clocks)
    if count == 0:
        raise BadInput("the file has a heading row but no cases")


def _count_first(stream: BinaryIO | TextIO) -> None:
    """A file of more than MAX_ROWS cases is refused before any row is read for keeping."""
    counted = 0
    try:
        for cells in csv.reader(lines(stream), strict=True):
            counted += any(c.strip() for c in cells)
    except csv.Error:
        pass  # the reading after says where
    if counted - 1 > MAX_ROWS:
        raise BadInput(f"the file has more than {MAX_ROWS:,} cases; split it into smaller files")
    stream.seek(0)


def _records(reader) -> Iterator[list[str]]:
    """The CSV's records; a broken file stops with the line where the trouble starts."""
    while True:
        started = reader.line_num + 1
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                limit = csv.field_size_limit()
                raise BadInput(f"line {started}: a cell is longer than {limit:,} characters") from None
            if "unexpected end of data" in str(error):
                raise BadInput(f"line {started}: a quote opened here is never closed") from None
            raise BadInput(f"line {reader.line_num}: not valid CSV (a quote in the wrong place?)") from None


@dataclass(frozen=True)
class _Layout:
    """The file's columns as csprcli reads them: the headings (mapped), those read, those a CSV
    cannot load, and the export's due and done dates (the record loaded must give the same)."""

    headings: list[str]
    columns: list[str]
    known: list[tuple[int, str]]
    lossy: list[tuple[int, str]]
    derived: list[tuple[int, str, str, str]]

    @classmethod
    def of(cls, headings: list[str], mapping: Mapping[str, str]) -> "_Layout":
        given = {h.strip() for h in headings}
        for heading in mapping:
            if heading not in given:
                raise BadInput(
                    f"--map names the heading {excerpt(heading, 30)}, which the file does not have; "
                    "check its spelling against the file's first row"
                )
        columns = [mapping.get(h.strip(), EXPORT_ALIASES.get(h.strip(), h.strip())) for h in headings]
        _check_headings(headings, columns)
        derived = [
            (i, c, milestone, part)
            for i, c in enumerate(columns)
            for milestone, _, part in [c.rpartition("_")]
            if c.endswith(("_due", "_done")) and not c.endswith("original_due") and milestone in MILESTONES
        ]
        return cls(
            headings,
            columns,
            [(i, c) for i, c in enumerate(columns) if c in IMPORT_COLUMNS],
            [(i, c) for i, c in enumerate(columns) if c in LOSSY_COLUMNS],
            derived,
        )


def _row(
    number: int, cells: list[str], layout: _Layout, as_of: date, clocks: Callable[[Incident], Iterable] | None
) -> Incident | list[RowError]:
    """One data row as an incident, or the errors that stop it."""
    headings, columns = layout.headings, layout.columns
    if any(cell.strip() for cell in cells[len(headings) :]):
        reason = f"has {len(cells)} cells, beyond the {len(headings)} headings; they would be lost"
        return [RowError(number, "", reason)]
    too_long = next((i for i, cell in enumerate(cells) if len(cell) > MAX_CELL), None)
    if too_long is not None:
        where = columns[too_long] if too_long < len(columns) else f"column {too_long + 1}"
        return [RowError(number, printable(where, lines=False), f"is longer than {MAX_CELL:,} characters")]
    values = {c: unneutralise(cells[i]) if i < len(cells) else "" for i, c in layout.known}
    dropped = [c for i, c in layout.lossy if i < len(cells) and LOSSY_COLUMNS[c](cells[i].strip())]
    if dropped:
        return [RowError(number, c, LOSSY_REASON) for c in dropped]
    found = _incident(number, values, as_of)
    if clocks is not None and layout.derived and not isinstance(found, list):
        worked_out = {(c.milestone, part): getattr(c, part) for c in clocks(found) for part in ("due", "done")}
        differ = [
            c
            for i, c, milestone, part in layout.derived
            if i < len(cells) and cells[i].strip() != _iso(worked_out.get((milestone, part)))
        ]
        if differ:
            return [RowError(number, differ[0], LOSSY_REASON)]
    return found


def check_rows(
    stream: BinaryIO | TextIO,
    mapping: Mapping[str, str],
    *,
    as_of: date,
    book,
    watch: Callable[[Iterator], Iterable] = lambda rows: rows,
) -> tuple[list[tuple[int, Incident]], list[RowError]]:
    """Every row read (`read_rows`) against the rules and calendar of `book` (the database to load
    into): the incidents with their row numbers, and the errors. `watch` sees the rows go by."""
    from csprcli.domain.lifecycle import clocks as all_clocks

    def clocks(incident):
        return all_clocks(incident, book.calendar, as_of, book.rules)

    rows, errors = [], []
    for number, found in watch(read_rows(stream, mapping, as_of=as_of, clocks=clocks)):
        if isinstance(found, list):
            errors += found
        else:
            rows.append((number, found))
    return rows, errors


def unknown_authorities(rows: list[tuple[int, Incident]]) -> list[str]:
    """A warning for each local authority name in the file that is not one of England's, with its rows."""
    from csprcli.domain import authorities

    found: dict[tuple[str, str], list[int]] = {}
    for number, incident in rows:
        for column, name in (("la", incident.la), ("home_la", incident.home_la)):
            if name and authorities.known(name) is None:
                found.setdefault((column, name), []).append(number)
    messages = []
    for (column, name), numbers in list(found.items())[:20]:
        where = ", ".join(str(n) for n in numbers[:5]) + (", ..." if len(numbers) > 5 else "")
        row_word = "row" if len(numbers) == 1 else "rows"
        message = authorities.warning(name, f"column {column}, {row_word} {where}")
        if message:  # None only for a known name, left out above
            messages.append(message)
    return messages


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _check_headings(headings: list[str], columns: list[str]) -> None:
    shown = [excerpt(h.strip(), 30) for h in headings[:12]] + (["..."] if len(headings) > 12 else [])
    missing = [c for c in REQUIRED_FIELDS if c not in columns]
    if missing:
        if headings and headings[0].lstrip("\ufeff ").startswith(("{", "[")):
            raise BadInput("the file is JSON, not CSV: a full export loads with --format json")
        raise BadInput(
            f"the file has no column {', '.join(missing)} (found: {', '.join(shown)}); "
            "rename the heading or use --map 'Their heading=column'"
        )
    seen: dict[str, int] = {}
    for number, (heading, column) in enumerate(zip(headings, columns), start=1):
        if not heading.strip():
            continue
        if column in seen:
            raise BadInput(
                f"columns {seen[column]} and {number} both give {excerpt(column, 30)}; "
                "a heading may appear once (check --map)"
            )
        seen[column] = number


def _incident(number: int, values: Mapping[str, str], as_of: date) -> Incident | list[RowError]:
    errors: list[RowError] = []
    fields = {}
    for column in IMPORT_COLUMNS:
        text = values.get(column, "").strip()
        if not text:
            if column in REQUIRED_FIELDS:
                errors.append(RowError(number, column, "is empty and is required"))
            continue
        try:
            fields[column] = read_value(column, text, as_of=as_of, what=column)
        except BadInput as error:
            errors.append(RowError(number, column, str(error).removeprefix(f"{column}: ")))
    if errors:
        return errors
    children = (Child(fields["child"], primary=True, looked_after=fields.get("looked_after", False)),)
    response = [fields.pop(name, None) for name in ("panel_response", "panel_response_on", "panel_notes")]
    if (response[0] is None) != (response[1] is None):
        return [RowError(number, "panel_response", "panel_response and panel_response_on go together")]
    exchange = (PanelStep(Step.RESPONSE, response[1], response=response[0], notes=response[2]),) if response[0] else ()
    incident = Incident(ref="", children=children, exchange=exchange, **fields)
    try:
        check_record(incident)
    except BadInput as error:
        return [RowError(number, "", str(error).removeprefix(": "))]
    return incident
