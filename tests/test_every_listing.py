"""No listing hides a value, at 40, 60, 80 or 200 columns.

Every listing command is run on the sample cases (examples/sample-cases.sh, driven in-process,
plus a few records with long, Welsh, accented and East Asian text and two child deaths) as a
table at each width, and its output is read back by the documented layout
(test_output_table.read_table). Each record read back must hold every value the command's CSV
(or, for a case's children, checks and actions, its JSON) gives for the same record, as people
read it: dates as "Tue 27 Jan 2026". Whitespace is normalised, since a value may wrap
across lines within its column.
"""

import csv
import io
import json
import re
import shlex
from datetime import date
from pathlib import Path

import pytest
from test_output_table import read_table
from typer.testing import CliRunner

import csprcli.output
import csprcli.output.table
from csprcli.cli import app
from csprcli.output import TABLE_ROW_LIMIT

EXAMPLES = Path(__file__).parent.parent / "examples"
AS_OF = "2026-03-04"
# 80 columns in every run; the others with the slow tests (pytest -m "not slow" leaves them out)
WIDTHS = [pytest.param(width, marks=() if width == 80 else pytest.mark.slow) for width in (40, 60, 80, 200)]

# Long text, Welsh, a combining accent, East Asian wide characters, and two child deaths (one of
# them notified late, so that overdue shows its Kind column).
EXTRA = [
    ("2026-02-20", "action", "add", "SI-2025-001", "--target", "30/09/2026",
     "--recommendation", ("Share chronologies between Ysbyty Ystrad Fawr, the health board and the police "
                          "within five working days of a referral"),
     "--agency", "Bwrdd Iechyd Prifysgol Aneurin Bevan (児童相談所 liaison)"),
    ("2026-02-23", "lcspr", "check", "SI-2025-001", "--on", "23/02/2026", "--rag", "red",
     "--note", "Cafe\u0301 meeting: the health chronology is still late; escalated to the designated nurse"),
    ("2026-02-24", "revise", "SI-2025-001", "publication", "--to", "30/09/2026",
     "--reason", "Inquest listed for August; publication waits for the coroner's findings",
     "--agreed-by", "Partnership chair and the Senior Investigating Officer"),
    ("2026-03-02", "calendar", "close", "30/12/2026",
     "--reason", "Christmas closure of the partnership's offices, agreed by the executive group in March"),
    ("2026-02-10", "death", "add", "WS1200", "--died", "09/02/2026", "--age", "3 months", "--unexpected", "--jar"),
    ("2026-03-02", "death", "add", "WS1234", "--died", "02/03/2026", "--age", "16 years", "--expected",
     "--not-resident"),
]  # fmt: skip

REFS = [f"SI-2025-00{n}" for n in (1, 2, 3)] + [f"SI-2026-00{n}" for n in (1, 2, 3, 4, 5)]

# Listings written by the table writer: the command, and the one that gives the same records as data.
TABLES = {
    "overdue": (["overdue"], ["overdue", "--format", "csv"]),
    "upcoming": (["upcoming", "--within", "120"], ["upcoming", "--within", "120", "--format", "csv"]),
    "list": (["list"], ["list", "--format", "csv"]),
    "death list": (["death", "list"], ["death", "list", "--format", "csv"]),
    "holidays": (["holidays"], ["holidays", "--format", "csv"]),
    **{f"show {ref}": (["show", ref], ["show", ref, "--format", "csv"]) for ref in REFS},
}
# Listings written line by line (no columns to crop): the CSV's values in the text, whole.
LINES = {
    "history": (["history"], ["history", "--format", "csv", "--include-notes"], ("what", "command", "user")),
    "rules": (["rules"], ["rules", "--format", "csv"], ("milestone", "title", "applies_to")),
    "db status": (["db", "status"], ["db", "status", "--format", "csv"], None),
}


def _script_steps() -> list[list[str]]:
    """examples/sample-cases.sh's steps, each [day, *arguments]."""
    text = (EXAMPLES / "sample-cases.sh").read_text(encoding="utf-8").replace("\\\n", " ")
    return [shlex.split(line)[1:] for line in text.splitlines() if line.startswith("c ")]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("listings") / "sample.db"
    runner = CliRunner()
    for day, *arguments in [*_script_steps(), *EXTRA]:
        result = runner.invoke(app, ["--db", str(db), "--as-of", day, *arguments], env={"COLUMNS": "120"})
        assert result.exit_code == 0, (arguments, result.stdout, result.stderr)
    return db


def run(db: Path, arguments: list[str], width: int = 120):
    result = CliRunner().invoke(app, ["--db", str(db), "--as-of", AS_OF, *arguments], env={"COLUMNS": str(width)})
    assert result.exit_code in (0, 1), (arguments, result.exit_code, result.stdout, result.stderr)  # 1: overdue found
    assert "Traceback" not in result.stderr
    return result


def _normal(text: str) -> str:
    return " ".join(str(text).split())


def as_read(value) -> str:
    """A CSV or JSON value as a table shows it: dates as people read them."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return f"{date.fromisoformat(value):%a %d %b %Y}"  # the people's form: Wed 24 Dec 2025
    return _normal(value)


def tables_printed(monkeypatch, db: Path, arguments: list[str], width: int):
    """Run a command as a table; return its output and, for each table it printed, the columns
    and rows it was given and the records read back from it."""
    given, written = [], []
    real_print, real_layout = csprcli.output.print_table, csprcli.output.table.layout

    def print_table(rows, columns, *, title=None):
        given.append(([c for c in columns if c.header], rows, title))
        real_print(rows, columns, title=title)

    def layout(*args, **kwargs):
        text = real_layout(*args, **kwargs)
        written.append(text)
        return text

    monkeypatch.setattr(csprcli.output, "print_table", print_table)
    monkeypatch.setattr(csprcli.output.table, "layout", layout)
    result = run(db, arguments, width)
    assert len(given) == len(written)
    tables = []
    for (columns, rows, title), text in zip(given, written):
        assert text in result.stdout, "the table is printed as laid out"
        headers = [c.header for c in columns]
        records = read_table(text, headers, title)
        shown = [
            {c.header: _normal(csprcli.output._human(row.get(c.key), short=True)) for c in columns} for row in rows
        ]
        assert records == shown, "the table holds, whole, every value it was given"
        tables.append((columns, title, records))
    return result.stdout, tables


def _matches(records: list[dict], columns, expected_rows: list[dict], where: str, worded=()) -> None:
    assert len(records) == len(expected_rows), where
    for number, (record, row) in enumerate(zip(records, expected_rows), 1):
        for column in columns:
            if column.key in worded or row.get(column.key) in (None, ""):
                continue  # nothing to find (a table may say more: list's Status says "closed")
            want = as_read(row[column.key])
            assert want in record[column.header], f"{where}, record {number}: {column.header} {want!r} not in {record}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", TABLES)
def test_every_value_of_a_listing_is_in_its_table(monkeypatch, sample, name, width):
    table_arguments, data_arguments = TABLES[name]
    _out, tables = tables_printed(monkeypatch, sample, table_arguments, width)
    assert tables, f"{name} printed no table"
    data = list(csv.DictReader(io.StringIO(run(sample, data_arguments).stdout)))[:TABLE_ROW_LIMIT]
    assert data, f"{name} has no records to check"
    columns, _title, records = tables[0]
    # show's table words each milestone's status ("done on time"); its CSV gives the code ("done")
    _matches(records, columns, data, f"{name} at {width}", worded={"status"} if name.startswith("show ") else ())
    if name.startswith("show "):
        details = json.loads(run(sample, [*data_arguments[:2], "--format", "json"]).stdout)[0]
        parts = {"Children": "children", "Progress checks": "checks", "Actions": "actions"}
        for columns, title, records in tables[1:]:
            if title in parts:
                _matches(records, columns, details[parts[title]], f"{name} {title} at {width}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", LINES)
def test_every_value_of_a_listing_written_line_by_line_is_in_it(sample, name, width):
    table_arguments, data_arguments, keys = LINES[name]
    out = _normal(run(sample, table_arguments, width).stdout)
    data = list(csv.DictReader(io.StringIO(run(sample, data_arguments).stdout)))
    assert data
    for row in data[:TABLE_ROW_LIMIT]:  # a table for people stops there, and says so
        for key in keys or row:
            if row[key]:
                assert _normal(row[key]) in out, f"{name} at {width}: {key} {row[key]!r}"


@pytest.mark.parametrize("width", WIDTHS)
def test_today_s_tables_hold_every_value_they_were_given(monkeypatch, sample, width):
    """`today` has no CSV (its JSON is one object of lists): each of its tables is read back and
    must hold, whole, every value the command gave it (tables_printed checks that)."""
    _out, tables = tables_printed(monkeypatch, sample, ["today"], width)
    assert len(tables) >= 2 and all(records for _columns, _title, records in tables[:2])


def test_the_sample_holds_what_the_widths_are_tested_on(monkeypatch, sample):
    """The checks above see every layout: at 80 columns the children's table is expanded and the
    actions wrap; at 200 every table is aligned on one line a record; deaths show in overdue."""
    _out, tables = tables_printed(monkeypatch, sample, ["show", "SI-2026-002"], 80)
    assert [title for _c, title, _r in tables] == [None, "Children"]
    out, _tables = tables_printed(monkeypatch, sample, ["show", "SI-2025-001"], 80)
    assert "\nChildren\n-[ 1 of 1 ]" in out
    assert "Bwrdd Iechyd Prifysgol Aneurin Bevan (児童相談所 liaison)" not in out  # wrapped within its column
    wide, _tables = tables_printed(monkeypatch, sample, ["show", "SI-2025-001"], 200)
    assert "Bwrdd Iechyd Prifysgol Aneurin Bevan (児童相談所 liaison)" in wide
    assert "-[ 1 of" not in wide
    overdue, tables = tables_printed(monkeypatch, sample, ["overdue"], 200)
    assert "WS1200" in overdue and "Kind" in [c.header for c in tables[0][0]]
