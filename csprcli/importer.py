"""Reading an existing tracker's CSV into incidents: every row checked by the same rules as the
commands, every error reported with its row and column. Pure: no database, no printing.

The column layout is the one `csprcli export` writes for a case (see IMPORT_COLUMNS); other
headings can be mapped onto it. Dates are read day first, in every form the commands accept.
"""

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from csprcli.checks import FIELDS, REQUIRED_FIELDS, check_record, read_value
from csprcli.errors import BadInput
from csprcli.model import Child, Incident
from csprcli.rules import RULES

# The columns read, the required ones first: every recorded field of an incident (checks.FIELDS).
IMPORT_COLUMNS = tuple(FIELDS)
# The date columns of `csprcli export` read as the dates they show, so an export loads back.
EXPORT_ALIASES = {f"{rule.milestone}_done": rule.done for rule in RULES if rule.done}
MAX_ROWS = 200_000


@dataclass(frozen=True)
class RowError:
    row: int  # the line's number in the file, the heading being line 1
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.reason}"


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 with or without a byte-order mark, any line endings."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInput(
            f"the file is not UTF-8 text (byte {error.start + 1}); in Excel save it as 'CSV UTF-8 (comma delimited)'"
        ) from None


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """--map 'Date aware=aware' pairs: the file's heading -> csprcli's column."""
    mapping = {}
    for pair in pairs:
        heading, sep, column = pair.rpartition("=")
        if not sep or not heading.strip() or column.strip() not in IMPORT_COLUMNS:
            raise BadInput(f"--map takes 'Their heading=column', the column one of: {', '.join(IMPORT_COLUMNS)}")
        mapping[heading.strip()] = column.strip()
    return mapping


def read_rows(text: str, mapping: Mapping[str, str], *, as_of: date) -> Iterator[tuple[int, Incident | list[RowError]]]:
    """Each data row as an incident (reference not yet given), or the errors that stop it."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headings = next(reader)
    except StopIteration:
        raise BadInput("the file is empty: it needs a heading row and at least one case") from None
    columns = [mapping.get(h.strip(), EXPORT_ALIASES.get(h.strip(), h.strip())) for h in headings]
    missing = [c for c in REQUIRED_FIELDS if c not in columns]
    if missing:
        raise BadInput(
            f"the file has no column {', '.join(missing)} (found: {', '.join(h.strip() for h in headings)}); "
            "rename the heading or use --map 'Their heading=column'"
        )
    known = [(i, c) for i, c in enumerate(columns) if c in IMPORT_COLUMNS]
    count = 0
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise BadInput(f"the file has more than {MAX_ROWS:,} cases; split it into smaller files")
        values = {c: (cells[i] if i < len(cells) else "") for i, c in known}
        yield number, _incident(number, values, as_of)
    if count == 0:
        raise BadInput("the file has a heading row but no cases")


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
    incident = Incident(ref="", children=children, **fields)
    try:
        check_record(incident)
    except BadInput as error:
        return [RowError(number, "", str(error).removeprefix(": "))]
    return incident
