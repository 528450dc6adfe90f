"""The meeting papers as an Excel workbook, written with XlsxWriter.

What a meeting needs from it: dates as real date cells shown day first (24/12/2025), a frozen
header row with filters, columns as wide as their contents, the RAG column filled red, amber or
green, pages that print landscape and fit the width (the header repeated on each page), and,
given the yearly figures, a second sheet with them (`yearly_sheet`).

No formula anywhere: every text cell is written as a string, so text starting with `=`, `+`,
`-` or `@` is shown exactly as typed (no quote in front; the cell is text, not a formula).
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from csprcli.domain.dates import human_date
from csprcli.domain.figures import Figure
from csprcli.output.papers import Field

DATE_FORMAT = "dd/mm/yyyy"
RAG_FILLS = {"red": "#F4B6B6", "amber": "#FFD98C", "green": "#B7E1B0"}  # pale enough to print and read
MAX_WIDTH = 45  # characters: longer text wraps


@dataclass(frozen=True)
class Sheet:
    name: str
    fields: Sequence[Field]
    rows: Iterable[dict]
    title: str = ""  # printed in the page header
    paper: bool = True  # fitted to the page's width; else a data file printed at normal scale across pages
    charts: Sequence[str] = ()  # sections of a figures sheet drawn as native column charts (counts)


def yearly_sheet(found: list[Figure], first: date, last: date, as_of: date):
    """The second sheet of a workbook: the yearly report's figures, each with its definition."""
    rows = [
        {"section": f.section, "measure": f.measure, "value": f.value if f.kind in ("count", "days") else f.text}
        | {"definition": f.definition}
        for f in found
    ]
    fields = [
        Field("section", "Section"),
        Field("measure", "Measure"),
        Field("value", "Value"),
        Field("definition", "Definition"),
    ]
    label = f"{first.year}-{(first.year + 1) % 100:02d}"
    title = f"Serious incidents aware from {human_date(first)} to {human_date(last)} (as of {human_date(as_of)})"
    charts = ("incidents by quarter", "incidents by nature", "incidents by age band")
    return Sheet(f"Yearly figures {label}", fields, rows, title, charts=charts)


LINE_POINTS = 15  # the height of a line of 11 pt text, as Excel and LibreOffice lay out a row


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as bytes (XLSX), ready to be written to a file in one go."""
    import xlsxwriter  # only for this format

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": DATE_FORMAT,
        },
    )
    book.set_properties({"title": "csprcli meeting papers", "author": "csprcli"})
    formats = _Formats(
        heading=book.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True, "valign": "top"}),
        text=book.add_format({"valign": "top", "text_wrap": True}),
        dates=book.add_format({"num_format": DATE_FORMAT, "valign": "top", "align": "left"}),
        numbers=book.add_format({"valign": "top", "align": "center"}),
        fills={rag: book.add_format({"bg_color": colour, "valign": "top"}) for rag, colour in RAG_FILLS.items()},
    )
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        count, widths, wrapped, placed = _write_rows(ws, sheet, formats)
        _write_headings_and_heights(ws, sheet, formats, widths, wrapped)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(count, 1), len(sheet.fields) - 1)
        _lay_out_pages(ws, sheet)
        if sheet.charts:
            add_charts(book, ws, sheet, placed, len(sheet.fields) + 1)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        if sheet.title:
            ws.set_header(f"&L{_header_text(sheet.title)}&R&P of &N")
    book.close()
    return buffer.getvalue()


class _Formats(NamedTuple):
    heading: Any
    text: Any
    dates: Any
    numbers: Any
    fills: dict[str, Any]  # the RAG column's, by its value


def _write_rows(ws, sheet: Sheet, formats: _Formats):
    """Each row's cells, each of its kind. Returns how many rows, each column's widest value, each
    row's text (to set its height once the widths are known) and, for the charts, the rows."""
    # A heading wraps between its words, so the contents set a column's width; at least its longest word.
    widths = [max(len(word) for word in f.heading.split()) for f in sheet.fields]
    count = 0
    wrapped: list[list[tuple[int, str]]] = []  # each row's text, to set its height once widths are known
    placed: list[dict] = []  # each row's section and measure, for the charts
    text = formats.text
    for count, row in enumerate(sheet.rows, start=1):
        wrapped.append([])
        if sheet.charts:
            placed.append(row)
        for col, field in enumerate(sheet.fields):
            value = row.get(field.key)
            if value is None:
                ws.write_blank(count, col, None, text)
                continue
            if isinstance(value, date) and not isinstance(value, datetime):
                ws.write_datetime(count, col, datetime(value.year, value.month, value.day), formats.dates)
                shown = 10
            elif isinstance(value, bool):
                ws.write_string(count, col, "yes" if value else "no", text)
                shown = 3
            elif isinstance(value, (int, float)):
                ws.write_number(count, col, value, formats.numbers)
                shown = len(str(value))
            else:
                value = str(value)
                ws.write_string(count, col, value, formats.fills.get(value, text) if field.kind == "rag" else text)
                shown = max((len(line) for line in value.splitlines()), default=0)
                wrapped[-1].append((col, value))
            widths[col] = max(widths[col], shown)
    return count, widths, wrapped, placed


def _write_headings_and_heights(ws, sheet: Sheet, formats: _Formats, widths: list[int], wrapped) -> None:
    """The heading row, each column's width, and each row as tall as its most wrapped cell."""
    heading_lines = 1
    shown_widths = []
    for col, field in enumerate(sheet.fields):
        ws.write_string(0, col, field.heading, formats.heading)
        width = max(min(widths[col], MAX_WIDTH), 6 if field.kind != "date" else 11)
        ws.set_column(col, col, width + 1)
        shown_widths.append(width)
        heading_lines = max(heading_lines, lines_of(field.heading, width))
    # Neither Excel nor LibreOffice grows a row for wrapped text by itself when printing a file
    # it did not lay out: each row is given the height of its most wrapped cell.
    ws.set_row(0, LINE_POINTS * heading_lines)
    for number, cells in enumerate(wrapped, start=1):
        lines = max((lines_of(text, shown_widths[col]) for col, text in cells), default=1)
        if lines > 1:
            ws.set_row(number, LINE_POINTS * lines)


def _lay_out_pages(ws, sheet: Sheet) -> None:
    """Landscape A4: a paper fitted to the page's width, a data file at normal scale across pages."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    if sheet.paper:
        ws.fit_to_pages(1, 0)  # the width of one page; as many pages down as the rows need
    else:  # a data file: normal scale, across the pages first, the first column on every page
        ws.set_print_scale(100)
        ws.print_across()
        ws.repeat_columns(0)
    ws.repeat_rows(0)


def lines_of(text: str, width: int) -> int:
    """How many lines `text` takes when wrapped between words at `width` characters (a word longer
    than the width breaks across lines); each of its own lines wraps on its own."""
    total = 0
    for paragraph in text.splitlines() or [""]:
        lines, used = 1, 0
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > width:
                lines, used = lines + 1, 0
            while size > width:  # a long word alone breaks where the column ends
                lines, size = lines + 1, size - width
            used += (1 if used else 0) + size
        total += lines
    return total


def add_charts(book, ws, sheet: Sheet, rows: list[dict], column: int) -> None:
    """Native column charts (XlsxWriter's chart objects, not pictures) for the sections named in
    `sheet.charts`, each drawn from the sheet's own cells, placed to the right of the figures."""
    keys = [f.key for f in sheet.fields]
    measure, value = keys.index("measure"), keys.index("value")
    top = 1
    for section in sheet.charts:
        numbers = [i for i, row in enumerate(rows, start=1) if row.get("section") == section]
        if not numbers or numbers != list(range(numbers[0], numbers[-1] + 1)):
            continue  # a section not on the sheet, or not in one run of rows: no chart
        first, last = numbers[0], numbers[-1]
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": section[:1].upper() + section[1:],
                "categories": [sheet.name, first, measure, last, measure],
                "values": [sheet.name, first, value, last, value],
                "fill": {"color": "#1F4E79"},
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": section[:1].upper() + section[1:], "name_font": {"size": 11}})
        chart.set_legend({"none": True})
        chart.set_y_axis({"min": 0, "major_gridlines": {"visible": True}, "name": "incidents"})
        chart.set_size({"width": 480, "height": 260})
        ws.insert_chart(top, column, chart)
        top += 14


def _header_text(text: str) -> str:
    """A page header's text: '&' starts a code there, so it is doubled."""
    return text.replace("&", "&&")
