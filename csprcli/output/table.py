"""csprcli's own table writer: every listing's table for people, laid out so that no value is cut.

The layout, pinned by tests/test_output_table.py:

- **Aligned.** A blank line, the title (if any) on a line of its own, the headings, a rule of
  dashes under each column, then one line per record. Columns are left-aligned and two spaces
  apart, each as wide as its widest text. No line ends in spaces.
- **Wrapped.** When that is wider than the terminal, the widest column is narrowed a step at a
  time (then the next widest, and so on) until the table fits, and its text wraps at spaces
  within the column (which is then as wide as its widest line). Headings wrap first (they stand
  on the rule): no cell wraps while narrowing headings alone can make the table fit. No column
  is narrowed below its longest word: a column marked `wrap` (long text) keeps its longest word
  whole, any other (references, dates, numbers) keeps its widest cell on one line. When a
  record takes more than one line, a blank line follows each record.
- **Expanded.** When even the narrowest such table is wider than the terminal, one block per
  record, as psql's `\\x auto` does: a line `-[ 1 of 3 ]----` (dashes to the width of the
  widest line below, at most the terminal's), then one `Heading: value` per line. The values
  start in one column after the longest heading when that leaves them a third of the width;
  otherwise each value follows its own heading. A value too long for the line wraps at spaces,
  its next lines indented to where it started (two spaces when values follow their headings).

Text is measured in terminal cells: an East Asian wide or full-width character takes two, a
combining mark or a format character none (`cells`). Wrapping breaks only at spaces: a word
longer than its line is never cut, it stands whole on a line of its own (and the terminal folds
it). Inside a table a cell's new lines and tabs show as spaces, and a wrapped cell's words are one
space apart. The text given must already be safe for a terminal (output.printable).

Headings and the title are bold on a real terminal only: standard output a tty, NO_COLOR unset
or empty, TERM not `dumb` (`terminal`). The width is shutil.get_terminal_size's: COLUMNS, else
the terminal standard output is, else 80.

Standard library only, and nothing the command line has not imported already (not even `re`):
every listing prints through this.
"""

import os
import shutil
import sys
from collections.abc import Sequence

GAP = "  "  # between columns
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_ZERO_WIDTH = ("Mn", "Me", "Cf")  # combining marks and format characters (zero-width space, joiners)


def cells(text: str) -> int:
    """How many terminal cells `text` takes: two for an East Asian wide or full-width character,
    none for a combining mark or a format character (but the soft hyphen), one for any other."""
    if text.isascii():
        return len(text)
    import unicodedata  # only for text beyond ASCII

    total = 0
    for char in text:
        if unicodedata.category(char) in _ZERO_WIDTH and char != "\xad":
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def terminal() -> tuple[int, bool]:
    """The width to lay a table out in, and whether to make its headings bold."""
    out = sys.stdout
    try:
        tty = bool(out.isatty())
    except (AttributeError, ValueError):  # no stdout, or a closed one
        tty = False
    bold = tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM", "").lower() != "dumb"
    return shutil.get_terminal_size().columns, bold


def _words(text: str) -> list[str]:
    """The words of a text, split where it may wrap: at spaces, tabs and new lines (not at a
    no-break space)."""
    return [word for word in text.replace("\t", " ").replace("\n", " ").split(" ") if word]


def _one_line(text: str) -> str:
    """A cell as one line: its new lines and tabs as spaces."""
    if "\n" in text or "\t" in text:
        return " ".join(_words(text))
    return text


def _longest_word(text: str) -> int:
    return max(map(cells, _words(text)), default=0)


def fill(text: str, room: int, first: int | None = None) -> list[str]:
    """`text` (one line) in lines of at most `room` cells (`first` for the first line), broken at
    spaces only. Text that fits keeps its spacing; a word longer than a line stands whole on a
    line of its own. The first line is empty when even the first word does not fit it but would
    fit the others."""
    first = room if first is None else first
    if cells(text) <= first:
        return [text]
    words = _words(text)
    lines: list[str] = []
    line, used, limit = "", 0, first
    if words and cells(words[0]) > first and first < room:
        lines.append("")
        limit = room
    for word in words:
        size = cells(word)
        if line and used + 1 + size > limit:
            lines.append(line)
            line, used, limit = "", 0, room
        line, used = (f"{line} {word}", used + 1 + size) if line else (word, size)
    lines.append(line)
    return lines


def _pad(text: str, width: int, bold: bool = False) -> str:
    gap = " " * (width - cells(text))
    return f"{_BOLD}{text}{_RESET}{gap}" if bold and text else text + gap


def widths(headers: Sequence[str], rows: Sequence[Sequence[str]], wrap: Sequence[bool], room: int) -> list[int] | None:
    """Each column's width for a table of `room` cells (the gaps included), or None: it cannot fit.

    Each column is as wide as its widest text; while the table is too wide, the widest column
    that can still give (the leftmost of equals) narrows: first only as far as its headings
    wrap, down to its widest cell; then, if that is not enough, down to its least: its heading's
    longest word, and its longest word (a `wrap` column) or its widest cell (any other)."""
    count = len(headers)
    room -= len(GAP) * (count - 1)
    widest = [max([0, *(cells(row[i]) for row in rows)]) for i in range(count)]
    natural = [max(cells(h), w) for h, w in zip(headers, widest)]
    least = [
        max([_longest_word(h), *((_longest_word if wrap[i] else cells)(row[i]) for row in rows)])
        for i, h in enumerate(headers)
    ]
    if sum(least) > room:
        return None
    found = natural[:]
    for floor in ([max(w, fewest) for w, fewest in zip(widest, least)], least):  # headings wrap first
        excess = sum(found) - room
        while excess > 0 and any(w > f for w, f in zip(found, floor)):
            giving = [i for i in range(count) if found[i] > floor[i]]
            most = max(giving, key=lambda i: found[i])
            below = max((found[i] for i in giving if i != most), default=0)
            step = max(1, min(excess, found[most] - max(floor[most], below)))
            found[most] -= step
            excess -= step
    return found


def layout(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int,
    wrap: Sequence[bool] = (),
    title: str | None = None,
    bold: bool = False,
) -> str:
    """The table as text for a terminal `width` cells wide (see the module's note for the layout).

    `rows` hold one text per heading; `wrap` says which columns hold long text (none if empty).
    No headings: nothing to show, no text."""
    if not headers:
        return ""
    rows = [[_one_line(cell) for cell in row] for row in rows]
    wrap = [bool(can) for can in wrap] or [False] * len(headers)
    lines = [""]
    if title:
        lines += [f"{_BOLD}{line}{_RESET}" if bold else line for line in fill(title, width)]
    found = widths(headers, rows, wrap, width)
    if found is None:
        lines += _expanded(headers, rows, width, bold)
    else:
        lines += _aligned(headers, rows, found, bold)
    return "\n".join(line.rstrip(" ") for line in lines) + "\n"


def _aligned(headers: Sequence[str], rows: Sequence[Sequence[str]], room: list[int], bold: bool) -> list[str]:
    heads = [fill(h, w) for h, w in zip(headers, room)]
    records = [[fill(cell, w) for cell, w in zip(row, room)] for row in rows]
    # each column as wide as its widest line once wrapped: the rule ends where the text does
    found = [
        max(cells(line) for line in [*head, *(line for record in records for line in record[i])])
        for i, head in enumerate(heads)
    ]
    height = max(map(len, heads))
    heads = [[""] * (height - len(head)) + head for head in heads]  # headings stand on the rule
    lines = [GAP.join(_pad(head[at], w, bold) for head, w in zip(heads, found)) for at in range(height)]
    lines.append(GAP.join("-" * w for w in found))
    apart = any(len(lines_of) > 1 for record in records for lines_of in record)
    for record in records:
        for at in range(max(map(len, record), default=1)):
            lines.append(GAP.join(_pad(cell[at] if at < len(cell) else "", w) for cell, w in zip(record, found)))
        if apart:
            lines.append("")
    return lines


def _expanded(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int, bold: bool) -> list[str]:
    indent = max(map(cells, headers), default=0) + 2  # "Heading: "
    aligned = 3 * (width - indent) >= width
    blocks = []
    for row in rows:
        block = []  # (the heading that starts the line, or "", the rest of the line)
        for heading, value in zip(headers, row):
            if aligned:
                values = fill(value, width - indent)
                block.append((heading, " " * (indent - cells(heading) - 1) + values[0]))
                block += [("", " " * indent + more) for more in values[1:]]
            else:
                values = fill(value, width - 2, width - cells(heading) - 2)
                block.append((heading, " " + values[0] if values[0] else ""))
                block += [("", "  " + more) for more in values[1:]]
        blocks.append(block)
    widest = max(
        (cells(heading) + bool(heading) + cells(rest) for block in blocks for heading, rest in block), default=0
    )
    lines = []
    for number, block in enumerate(blocks, 1):
        marker = f"-[ {number} of {len(blocks)} ]"
        lines.append(marker + "-" * (min(width, widest) - len(marker)))
        for heading, rest in block:
            label = (f"{_BOLD}{heading}:{_RESET}" if bold else f"{heading}:") if heading else ""
            lines.append(label + rest)
    return lines
