"""The CSV writer (output.write_csv), pinned by exact output and read back by Python's csv module.

The contract of README's "CSV and JSON": a header of stable keys, ISO dates, CRLF line ends,
RFC 4180 quoting (a cell with a comma, a double quote or a line break in double quotes, its quotes
doubled), and a quote before any text a spreadsheet could run as a formula.
"""

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csprcli.output import Column, write_csv


def written(rows: list[dict], keys: list[str]) -> str:
    out = io.StringIO()
    write_csv(rows, [Column(k) for k in keys], out)
    return out.getvalue()


def test_cells_are_quoted_only_when_they_must_be_and_quotes_are_doubled():
    rows = [
        {"ref": "SI-2026-003", "due": date(2026, 1, 27), "days": 26, "note": None, "plan": True},
        {"ref": "SI-2026-004", "due": None, "days": 0, "note": 'said "no", then yes', "plan": False},
        {"ref": "SI-2026-005", "due": date(2025, 12, 25), "days": -3, "note": "line one\nline two", "plan": None},
        {"ref": "SI-2026-006", "due": None, "days": None, "note": "a\rb", "plan": None},
    ]
    assert written(rows, ["ref", "due", "days", "note", "plan"]) == (
        "ref,due,days,note,plan\r\n"
        "SI-2026-003,2026-01-27,26,,yes\r\n"
        'SI-2026-004,,0,"said ""no"", then yes",no\r\n'
        'SI-2026-005,2025-12-25,-3,"line one\nline two",\r\n'
        'SI-2026-006,,,"a\rb",\r\n'
    )


def test_text_a_spreadsheet_could_run_gets_a_quote_before_it():
    rows = [{"note": t} for t in ("=1+1", "+44 20", "-", "-2", "@SUM(A1)", "\tx", "'=x", "'plain", "plain")]
    assert written(rows, ["note"]).split("\r\n")[1:-1] == [
        "'=1+1",
        "'+44 20",
        "-",  # a lone dash is text to every spreadsheet
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "''=x",  # the importer takes one quote off: '=x comes back as typed
        "'plain",
        "plain",
    ]


def test_a_row_of_one_empty_cell_is_written_as_a_quoted_empty_cell_not_an_empty_line():
    assert written([{"note": ""}, {"note": None}, {"note": "x"}], ["note"]) == 'note\r\n""\r\n""\r\nx\r\n'


def test_a_listing_of_more_rows_than_one_write_holds_is_written_whole_and_in_order():
    rows = [{"n": n, "day": date.fromordinal(date(2026, 1, 1).toordinal() + n % 400)} for n in range(2501)]
    lines = written(rows, ["n", "day"]).split("\r\n")
    assert lines[0] == "n,day" and lines[-1] == "" and len(lines) == 2503
    assert lines[1] == "0,2026-01-01" and lines[401] == "400,2026-01-01" and lines[2501] == "2500,2026-04-11"


def test_the_rows_made_before_a_failure_are_written_before_it_is_raised():
    """A listing whose reading fails part way (a damaged row) has written the rows read before it,
    as each line is written when it is made."""

    def rows():
        yield {"ref": "SI-2026-001"}
        yield {"ref": "SI-2026-002"}
        raise ValueError("a damaged row")

    out = io.StringIO()
    with pytest.raises(ValueError):
        write_csv(rows(), [Column("ref")], out)
    assert out.getvalue() == "ref\r\nSI-2026-001\r\nSI-2026-002\r\n"


def neutralised(text: str) -> str:
    """What a cell of text reads back as: a quote before a formula's start, and before a quote
    that an import would take off (as tests/test_properties.py says it independently)."""
    if text == "-":
        return text
    risky = text[:1] in ("=", "+", "-", "@", "\t", "\r") or (
        text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r", "'")
    )
    return "'" + text if risky else text


@given(
    st.lists(
        st.lists(st.text(alphabet=st.sampled_from("ab ,\"\r\n='-é👶\x00"), max_size=6), min_size=3, max_size=3),
        max_size=5,
    )
)
def test_any_text_reads_back_through_pythons_csv_reader_cell_for_cell(table):
    keys = ["a", "b", "c"]
    rows = [dict(zip(keys, cells)) for cells in table]
    read = list(csv.reader(io.StringIO(written(rows, keys), newline="")))
    assert read == [keys] + [[neutralised(t) for t in cells] for cells in table]
