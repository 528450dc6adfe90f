"""The yearly report drawn for people: markdown for a paper, bar charts in the terminal.

Each takes the report's rows (section, measure, value, definition), as CSV and JSON carry them.
"""

import sys

from csprcli.output import printable


def by_section(rows: list[dict]) -> dict[str, list[dict]]:
    sections: dict[str, list[dict]] = {}
    for row in rows:
        sections.setdefault(row["section"], []).append(row)
    return sections


def write_markdown(title: str, rows: list[dict], out=None) -> None:
    """Each section a two-column table, with the definitions it uses beneath it."""
    out = out or sys.stdout
    out.write(f"# {printable(title, lines=False)}\n\n")
    for section, items in by_section(rows).items():
        out.write(f"## {printable(section.capitalize(), lines=False)}\n\n| measure | value |\n|---|---|\n")
        for item in items:
            out.write(f"| {_cell(item['measure'])} | {_cell(item['value'])} |\n")
        definitions = "; ".join(dict.fromkeys(i["definition"] for i in items))
        out.write(f"\n_Definition: {definitions}._\n\n")


def _cell(value) -> str:
    """A markdown table cell: one line, safe for the terminal, its bars escaped (an agency's name
    is typed by a user)."""
    return printable(str(value), lines=False).replace("|", "\\|")


def print_bars(title: str, rows: list[dict]) -> None:
    """The report in the terminal: each section a small table, counts drawn as bars."""
    from rich.markup import escape
    from rich.table import Table

    from csprcli.output import console as made

    console = made()
    console.print(f"[bold]{escape(printable(title))}[/bold]")
    for section, items in by_section(rows).items():
        counts = [i["value"] for i in items if isinstance(i["value"], int) and not isinstance(i["value"], bool)]
        top = max(counts, default=0)
        table = Table(title=section.capitalize(), title_justify="left", show_header=False, box=None, pad_edge=False)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column()
        for item in items:
            value = item["value"]
            bar = "█" * round(30 * value / top) if isinstance(value, int) and top and value else ""
            table.add_row(escape(printable(str(item["measure"]))), str(value), f"[cyan]{bar}[/cyan]")
        table.caption = escape(printable("; ".join(dict.fromkeys(i["definition"] for i in items))))
        table.caption_justify = "left"
        table.caption_style = "dim"
        console.print()
        console.print(table)
