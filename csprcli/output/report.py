"""The yearly reports (incidents and child deaths) drawn for people and for programs: CSV and
JSON rows that say the period and the as-of date they were computed for, with the values typed;
markdown for a paper, an HTML page for a board (output/html.py), bar charts in the terminal.

Each takes the report's figures (report.Figure: section, measure, typed value, kind, definition).
"""

import sys

from csprcli.output import Column, Format, render
from csprcli.domain.text import printable
from csprcli.output.sections import by_section, count_scale, definitions, heading

REPORT_COLUMNS = [
    Column("section"),
    Column("measure"),
    Column("value"),  # as people read it: 12, "6/8 (75%), 1 outstanding", "14 (n=7, 11 to 30)", "-" for none
    Column("kind"),  # count, days, share, median or rate
    Column("count"),  # a count's or a number of days' value
    Column("part"),  # a share's: part of whole, the outstanding counted in the whole, the percentage
    Column("whole"),
    Column("outstanding"),
    Column("percent"),
    Column("n"),  # a median's: of n values, from min to max
    Column("median"),
    Column("min"),
    Column("max"),
    Column("population"),  # a rate's: count per 10,000 of the population of that year, from that source
    Column("per_10000"),
    Column("population_year"),
    Column("population_source"),
    Column("definition"),
    Column("period_from"),
    Column("period_to"),
    Column("as_of"),
]


def report_rows(found, first, last, as_of) -> list[dict]:
    """The figures as rows for programs, each saying the period and the as-of date it was computed
    for. JSON's `value` is typed (an int; a share's part, whole, outstanding and percent; a median's
    n, median, min and max; null for none) and `text` is what people read."""
    return [
        {"section": f.section, "measure": f.measure, "kind": f.kind, "value": f.typed(), "text": f.text}
        | {"definition": f.definition, "period_from": first, "period_to": last, "as_of": as_of}
        for f in found
    ]


def csv_row(row: dict) -> dict:
    """A JSON row as a CSV row: the value as text, its typed parts each in a column of its own."""
    value = row["value"]
    parts = value if isinstance(value, dict) else {"count": value}
    return {k: v for k, v in row.items() if k not in ("value", "text")} | parts | {"value": row["text"]}


def show_report(title: str, found, first, last, as_of, fmt: str) -> None:
    """A yearly report in one of its formats: table (bars), markdown, html, csv or json."""
    rows = report_rows(found, first, last, as_of)
    if fmt == "json":
        render(rows, REPORT_COLUMNS, Format(fmt))
    elif fmt == "csv":
        render((csv_row(r) for r in rows), REPORT_COLUMNS, Format(fmt))
    elif fmt == "markdown":
        write_markdown(title, found)
    elif fmt == "html":
        from csprcli.output import stdout_takes_any_text
        from csprcli.output.html import write_report

        stdout_takes_any_text()  # a page for a browser is written whole or not at all
        write_report(title, found, sys.stdout)
    else:
        print_bars(title, found)


def write_markdown(title: str, found, out=None) -> None:
    """Each section a table of its figures, each with its own definition beside it; what the
    section counts said once above it."""
    out = out or sys.stdout
    out.write(f"# {printable(title, lines=False)}\n\n")
    for section, items in by_section(found).items():
        scope, own = definitions(items)
        out.write(f"## {printable(heading(section), lines=False)}\n\n")
        if scope:
            out.write(f"_Counted: {printable(scope, lines=False)}._\n\n")
        out.write("| measure | value | definition |\n|---|---|---|\n")
        for item, definition in zip(items, own):
            out.write(f"| {_cell(item.measure)} | {_cell(item.text)} | {_cell(definition)} |\n")
        out.write("\n")


def _cell(value) -> str:
    """A markdown table cell: one line, safe for the terminal, its bars escaped (an agency's name
    is typed by a user)."""
    return printable(str(value), lines=False).replace("|", "\\|")


def bar_fraction(item, top: int) -> float:
    """How much of the bar a figure fills: a count against the section's largest count, a share
    by its own percentage (against 100%); a median or a number of days gets no bar (a duration is
    not on the scale of the counts)."""
    if item.value is None:
        return 0.0
    if item.kind == "count" and top:
        return item.value / top
    if item.kind == "share":
        return item.value.part / item.value.whole
    return 0.0


def print_bars(title: str, found) -> None:
    """The report in the terminal: each section a small table, counts drawn as bars against the
    section's largest count, shares against a full bar (the rest of the way to 100% drawn pale),
    medians and days as numbers only; each figure's definition under it. On a narrow terminal the
    bars shorten first (to 8 characters), then the measures wrap; a value is never cut.

    The whole report is drawn before any of it is printed: bars are "#" on a terminal whose encoding
    has no "█", and a report the terminal cannot show at all is refused (exit 3) with nothing printed."""
    from csprcli.output import console as made

    console = made()
    block = "█" if _shows("█") else "#"
    with console.capture() as drawn:
        _draw_bars(console, title, found, block)
    text = drawn.get()
    if not _shows(text):
        from csprcli.domain.errors import StoreError
        from csprcli.output import encoding_problem

        raise StoreError(encoding_problem())
    sys.stdout.write(text)
    sys.stdout.flush()


def _shows(text: str) -> bool:
    """Whether standard output's encoding can carry `text`."""
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _draw_bars(console, title: str, found, block: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    console.print(f"[bold]{escape(printable(title))}[/bold]")
    for section, items in by_section(found).items():
        top = count_scale(items)
        scope, own = definitions(items)
        measures = max(len(i.measure) for i in items)
        values = max(len(i.text) for i in items)
        width = max(8, min(30, console.width - measures - values - 4))  # 4: the space between the columns
        table = Table(title=heading(section), title_justify="left", show_header=False, box=None, pad_edge=False)
        table.add_column(ratio=1, min_width=12, overflow="fold")
        table.add_column(justify="right", no_wrap=True, min_width=values)
        table.add_column(max_width=width, no_wrap=True, overflow="crop")
        for item, definition in zip(items, own):
            filled = round(width * bar_fraction(item, top))
            bar = f"[cyan]{block * filled}[/cyan]"
            if item.kind == "share" and item.value is not None:
                rest = "░" if block == "█" else "."
                bar += f"[dim]{rest * (width - filled)}[/dim]"  # the rest of the way to 100%
            cell = escape(printable(item.measure))
            if definition:
                cell += f"\n[dim]  {escape(printable(definition))}[/dim]"
            table.add_row(cell, escape(printable(item.text)), bar)
        console.print()
        console.print(table)
        if scope:  # under the table, as wide as the terminal (a caption wraps at the table's width)
            console.print(f"[dim]{escape(printable(f'Counted: {scope}'))}[/dim]")
