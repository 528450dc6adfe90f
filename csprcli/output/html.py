"""A yearly report as one page for a board: a self-contained HTML file with inline SVG charts.

What it promises: one file, nothing fetched (no script, no style sheet, font or picture from
anywhere else), readable in any browser and printable on A4 from it, each part of the report
starting on a new page. Every figure is in a table with its value as people read it and its
own one-line definition; the charts draw what can be compared:

- counts as bars against the section's largest count, on a scale of their own;
- shares as bars against 100%, the 100% marked, on another scale (never beside the counts);
- medians and numbers of days as numbers only: a duration is not drawn as a bar.

All text typed by a user (an agency's name, a pause's reason) is escaped and made printable.
"""

import html
import math
from collections.abc import Sequence
from typing import TextIO

from csprcli.output import printable
from csprcli.output.sections import by_section, count_scale, definitions, heading

WIDTH = 680  # the charts' width in CSS pixels: an A4 page's text width (182 mm) at 96 per inch
CHAR = 6.2  # the width of a character of 11 px type, near enough, to size the labels' column
VALUE = 110  # room after the bars for the values
LINE = 15  # one line of a label
ROW = 22  # one bar's row, for a label of one line
WRAP = 46  # characters on a line of a label (11 px type)

STYLE = """
@page { size: A4; margin: 14mm; }
html { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 11pt; color: #1a1a1a; }
body { max-width: 182mm; margin: 1em auto; }
h1 { font-size: 17pt; margin: 0 0 0.2em; }
h2 { font-size: 14pt; margin: 0 0 0.4em; border-bottom: 2px solid #1f4e79; padding-bottom: 0.15em; }
h3 { font-size: 12pt; margin: 1.1em 0 0.3em; }
p.scope { margin: 0.2em 0 0.5em; color: #333; }
p.made { color: #555; font-size: 9pt; }
.part { break-before: page; page-break-before: always; }
.group { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0.4em 0 0.6em; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 9pt; color: #444; }
svg { display: block; width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0 0.6em; table-layout: fixed; }
col.measure { width: 38%; } col.value { width: 24%; } col.definition { width: 38%; }
table.bare col.measure { width: 70%; } table.bare col.value { width: 30%; }
th, td { text-align: left; vertical-align: top; padding: 0.25em 0.4em; border-bottom: 1px solid #ccc; }
th { background: #eef2f6; font-size: 10pt; }
td.value { text-align: right; font-variant-numeric: tabular-nums; }
td.definition { font-size: 9pt; color: #333; }
tr { break-inside: avoid; page-break-inside: avoid; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
"""

COUNT_COLOUR = "#1f4e79"
SHARE_COLOUR = "#2e7d32"
TRACK_COLOUR = "#e3e8ee"


def write_report(title: str, found, out: TextIO) -> None:
    """The whole page, written to `out`."""
    out.write(page(title, found))


def page(title: str, found) -> str:
    from csprcli import __version__

    parts = []
    for number, (part, sections) in enumerate(chapters(by_section(found)).items()):
        body = "".join(
            section_html(name, items, number * 100 + i, name == part) for i, (name, items) in enumerate(sections)
        )
        parts.append(
            f'<section class="part" id="part-{number + 1}">\n<h2>{_text(heading(part))}</h2>\n{body}</section>\n'
        )
    first = parts[0].replace('<section class="part">', '<section class="part first">', 1) if parts else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_text(title)}</title>\n<style>{STYLE}.first {{ break-before: auto; page-break-before: auto; }}\n</style>\n"
        "</head>\n<body>\n"
        f"<h1>{_text(title)}</h1>\n"
        f'<p class="made">Made by csprcli {_text(__version__)}. Each figure has its definition beside it; '
        "counts and shares are drawn on separate scales, shares against 100%; medians and days are numbers only.</p>\n"
        + first
        + "".join(parts[1:])
        + "</body>\n</html>\n"
    )


def chapters(sections: dict[str, list]) -> dict[str, list[tuple[str, list]]]:
    """The report's parts, each starting a page: "incidents by nature" goes with "incidents",
    "local reviews paused, why" with "local reviews"."""
    parts: dict[str, list[tuple[str, list]]] = {}
    for name, items in sections.items():
        part = name.split(", ")[0].split(" by ")[0]
        parts.setdefault(part, []).append((name, items))
    return parts


def section_html(name: str, items: Sequence, number: int, first: bool) -> str:
    """A section: its scope, its charts, and the table of its figures. `first`: the section that
    names its part, under the part's own heading."""
    scope, own = definitions(items)
    text = '<div class="group">\n' + ("" if first else f"<h3>{_text(heading(name))}</h3>\n")
    if scope:
        text += f'<p class="scope">Counted: {_text(scope)}.</p>\n'
    counts = [i for i in items if i.kind == "count" and i.value is not None]
    shares = [i for i in items if i.kind == "share" and i.value is not None]
    if len(counts) >= 2:
        text += count_chart(name, counts, count_scale(items), f"c{number}")
    if shares:
        text += share_chart(name, shares, f"s{number}")
    text += "</div>\n"
    said = any(own)  # a section whose figures all count what its scope says has no definition column
    rows = "".join(
        f'<tr><td class="measure">{_text(i.measure)}</td><td class="value">{_text(i.text)}</td>'
        + (f'<td class="definition">{_text(d)}</td>' if said else "")
        + "</tr>\n"
        for i, d in zip(items, own)
    )
    columns = '<col class="measure"><col class="value">' + ('<col class="definition">' if said else "")
    headings = '<th scope="col">Measure</th><th scope="col">Value</th>' + (
        '<th scope="col">Definition</th>' if said else ""
    )
    text += (
        "<table>" if said else '<table class="bare">'
    ) + f"\n<colgroup>{columns}</colgroup>\n<thead><tr>{headings}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
    return text


def count_chart(name: str, items: Sequence, top: int, ident: str) -> str:
    """Counts as bars against a scale from 0 to a round number at or above the largest."""
    step = _step(top)
    end = max(step, math.ceil(top / step) * step)
    left, span = _columns(items)
    rows, y = [], 24
    for item in items:
        lines = _wrapped(item.measure)
        height = max(ROW, LINE * len(lines) + 7)
        width = span * item.value / end
        rows.append(
            _label(lines, y, height, left)
            + f'<rect x="{left:.1f}" y="{y + (height - 14) / 2:.1f}" width="{width:.1f}" height="14" fill="{COUNT_COLOUR}"/>'
            + f'<text x="{left + width + 5:.1f}" y="{y + height / 2 + 4:.1f}">{item.value}</text>\n'
        )
        y += height
    axis = "".join(
        f'<line x1="{left + span * t / end:.1f}" y1="18" x2="{left + span * t / end:.1f}" y2="{y}" stroke="#bbb" stroke-width="0.6"/>'
        f'<text x="{left + span * t / end:.1f}" y="13" text-anchor="middle" fill="#555">{t}</text>\n'
        for t in range(0, end + 1, step)
    )
    caption = f"{heading(name)}: counts (scale 0 to {end})"
    return _figure(ident, caption, axis + "".join(rows), y + 4)


def share_chart(name: str, items: Sequence, ident: str) -> str:
    """Shares as bars against 100%: a pale track up to 100% and a line marking it."""
    left, span = _columns(items)
    rows, y = [], 24
    for item in items:
        lines = _wrapped(item.measure)
        height = max(ROW, LINE * len(lines) + 7)
        share = item.value
        width = span * share.part / share.whole
        rows.append(
            _label(lines, y, height, left)
            + f'<rect x="{left:.1f}" y="{y + (height - 14) / 2:.1f}" width="{span:.1f}" height="14" fill="{TRACK_COLOUR}"/>'
            + f'<rect x="{left:.1f}" y="{y + (height - 14) / 2:.1f}" width="{width:.1f}" height="14" fill="{SHARE_COLOUR}"/>'
            + f'<text x="{left + span + 8:.1f}" y="{y + height / 2 + 4:.1f}">{share.percent}% ({share.part}/{share.whole})</text>\n'
        )
        y += height
    marks = "".join(
        f'<text x="{left + span * p / 100:.1f}" y="13" text-anchor="middle" fill="#555">{p}%</text>'
        for p in (0, 50, 100)
    )
    hundred = (
        f'<line x1="{left + span:.1f}" y1="18" x2="{left + span:.1f}" y2="{y}" stroke="#1a1a1a" stroke-width="1.5"/>'
        f'<line x1="{left + span / 2:.1f}" y1="18" x2="{left + span / 2:.1f}" y2="{y}" stroke="#bbb" stroke-width="0.6"/>\n'
    )
    caption = f"{heading(name)}: shares, against 100%"
    return _figure(ident, caption, marks + "".join(rows) + hundred, y + 4)


def _figure(ident: str, caption: str, body: str, height: float) -> str:
    return (
        f'<figure>\n<svg viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{ident}" font-size="11" font-family="Liberation Sans, Arial, Helvetica, sans-serif">\n'
        f'<title id="{ident}">{_text(caption)}</title>\n{body}</svg>\n'
        f"<figcaption>{_text(caption)}</figcaption>\n</figure>\n"
    )


def _columns(items) -> tuple[float, float]:
    """The labels' column (as wide as the longest line of a label, at most WRAP characters) and the
    bars' column: the rest, less room for the values."""
    label = max(len(line) for i in items for line in _wrapped(i.measure)) * CHAR + 14
    return label, WIDTH - label - VALUE


def _label(lines: list[str], y: float, height: float, left: float) -> str:
    top = y + (height - LINE * len(lines)) / 2 + 11
    spans = "".join(
        f'<tspan x="{left - 8:.1f}" y="{top + LINE * i:.1f}">{_text(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text text-anchor="end">{spans}</text>'


def _wrapped(text: str) -> list[str]:
    """A label on lines of at most WRAP characters, broken between words (a longer word alone)."""
    lines: list[str] = []
    for word in printable(text, lines=False).split():
        if lines and len(lines[-1]) + 1 + len(word) <= WRAP:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _step(top: int) -> int:
    """A round step for the count axis: at most about six marks."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top <= step * 6:
            return step
    return 10 ** len(str(top))


def _text(value) -> str:
    """Text for the page: made printable (no control characters) and escaped for HTML."""
    return html.escape(printable(str(value), lines=False), quote=True)
