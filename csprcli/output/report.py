"""The yearly reports (incidents and child deaths) drawn for people and for programs: CSV and
JSON rows that say the period and the as-of date they were computed for, markdown for a paper,
bar charts in the terminal.

Each takes the report's rows (section, measure, value, definition, period_from, period_to,
as_of, kind), as CSV and JSON carry them.
"""

import re
import sys

from csprcli.output import Column, Format, render
from csprcli.domain.text import printable

REPORT_COLUMNS = [
    Column("section"),
    Column("measure"),
    Column("value"),
    Column("definition"),
    Column("period_from"),
    Column("period_to"),
    Column("as_of"),
    Column("kind"),  # count, share ("part/whole (x%)") or median
]


def report_rows(found, first, last, as_of) -> list[dict]:
    """The figures as rows, each saying the period and the as-of date it was computed for."""
    return [
        {"section": f.section, "measure": f.measure, "value": f.value, "definition": f.definition}
        | {"period_from": first, "period_to": last, "as_of": as_of, "kind": f.kind}
        for f in found
    ]


def show_report(title: str, rows: list[dict], fmt: str) -> None:
    """A yearly report in one of its formats: table (bars), markdown, csv or json."""
    if fmt in ("csv", "json"):
        render(rows, REPORT_COLUMNS, Format(fmt))
    elif fmt == "markdown":
        write_markdown(title, rows)
    else:
        print_bars(title, rows)


def by_section(rows: list[dict]) -> dict[str, list[dict]]:
    sections: dict[str, list[dict]] = {}
    for row in rows:
        sections.setdefault(row["section"], []).append(row)
    return sections


def definitions(items: list[dict]) -> str:
    """A section's definitions in one line: the first in full, each other one that only adds
    to it as "measure: what it adds", the rest in full; none twice."""
    base = items[0]["definition"]
    said = [base]
    for item in items[1:]:
        definition = item["definition"]
        if definition.startswith(base) and definition != base:
            definition = f"{item['measure']}: {definition[len(base) :].lstrip(';, ')}"
        if definition not in said:
            said.append(definition)
    return "; ".join(said)


def write_markdown(title: str, rows: list[dict], out=None) -> None:
    """Each section a two-column table, with the definitions it uses beneath it."""
    out = out or sys.stdout
    out.write(f"# {printable(title, lines=False)}\n\n")
    for section, items in by_section(rows).items():
        out.write(f"## {printable(section.capitalize(), lines=False)}\n\n| measure | value |\n|---|---|\n")
        for item in items:
            out.write(f"| {_cell(item['measure'])} | {_cell(item['value'])} |\n")
        out.write(f"\n_Definition: {printable(definitions(items), lines=False)}._\n\n")


def _cell(value) -> str:
    """A markdown table cell: one line, safe for the terminal, its bars escaped (an agency's name
    is typed by a user)."""
    return printable(str(value), lines=False).replace("|", "\\|")


def bar_fraction(item: dict, top: int) -> float:
    """How much of the bar a figure fills: a count against the section's largest count, a share
    by its own percentage; a median gets no bar (it is not on the scale of the counts)."""
    value = item["value"]
    if item["kind"] == "count" and isinstance(value, int) and top:
        return value / top
    if item["kind"] == "share" and (parts := re.match(r"(\d+)/(\d+)", str(value))) and int(parts[2]):
        return int(parts[1]) / int(parts[2])
    return 0.0


def print_bars(title: str, rows: list[dict]) -> None:
    """The report in the terminal: each section a small table, counts and shares drawn as bars,
    medians as numbers only. On a narrow terminal the bars shorten first (to 8 characters), then
    the measures wrap; a value is never cut.

    The whole report is drawn before any of it is printed: bars are "#" on a terminal whose encoding
    has no "█", and a report the terminal cannot show at all is refused (exit 3) with nothing printed."""
    from csprcli.output import console as made

    console = made()
    block = "█" if _shows("█") else "#"
    with console.capture() as drawn:
        _draw_bars(console, title, rows, block)
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


def _draw_bars(console, title: str, rows: list[dict], block: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    console.print(f"[bold]{escape(printable(title))}[/bold]")
    for section, items in by_section(rows).items():
        top = max((i["value"] for i in items if i["kind"] == "count" and isinstance(i["value"], int)), default=0)
        measures = max(len(str(i["measure"])) for i in items)
        values = max(len(str(i["value"])) for i in items)
        width = max(8, min(30, console.width - measures - values - 4))  # 4: the space between the columns
        table = Table(title=section.capitalize(), title_justify="left", show_header=False, box=None, pad_edge=False)
        table.add_column(ratio=1, min_width=12, overflow="fold")
        table.add_column(justify="right", no_wrap=True, min_width=values)
        table.add_column(max_width=width, no_wrap=True, overflow="crop")
        for item in items:
            bar = block * round(width * bar_fraction(item, top))
            table.add_row(
                escape(printable(str(item["measure"]))), escape(printable(str(item["value"]))), f"[cyan]{bar}[/cyan]"
            )
        table.caption = escape(printable(definitions(items)))
        table.caption_justify = "left"
        table.caption_style = "dim"
        console.print()
        console.print(table)
