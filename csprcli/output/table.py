"""A listing's table as Rich prints it, written without Rich when that is easy.

Most tables (`overdue`, `upcoming`, a case's children and actions) are references, dates and
numbers: short printable ASCII that fits the terminal. Rich takes about 30 ms to import and lay
such a table out; `plain_text` writes the very same characters (and, on a terminal, the same bold
header and italic title) in well under a millisecond. Whatever it cannot be sure of, it leaves to
Rich by answering None: text other than printable ASCII, text Rich's markup or emoji codes would
change, a table that only fits the console if a cell wraps (a table too wide for it is written when
narrowing the columns that may wrap leaves every cell on one line: only headers wrap, as `overdue`'s
last one does on 80 columns), Windows, Jupyter, IDLE, an output encoding other than UTF.

Standard library only: importing Rich here would cost what this module saves. What it copies is
Rich 15's: Console.size, is_terminal and is_dumb_terminal (console.py), Table with box SIMPLE_HEAD
and pad_edge False (table.py, box.py). tests/test_output_table.py holds it to Rich's own output.
"""

import builtins
import os
import re
import sys
from collections.abc import Sequence

_BOLD, _ITALIC, _RESET = "\x1b[1m", "\x1b[3m", "\x1b[0m"  # Rich's table.header and table.title styles

# Rich turns ":smiley:" into an emoji (cells are escaped for markup, not for emoji codes).
_EMOJI_CODE = re.compile(r":\S*:")


def _plain(text: str) -> bool:
    """Text Rich prints as it is, one column a character: printable ASCII that markup and emoji codes
    leave alone, and that rich.markup.escape leaves alone too (print_table sizes Rich's columns by the
    escaped text; escape changes only text with "[" or ending in a backslash)."""
    return (
        text.isascii()
        and text.isprintable()
        and "[" not in text
        and not text.endswith("\\")
        and not _EMOJI_CODE.search(text)
    )


def _console() -> tuple[int, bool] | None:
    """The width Rich's Console would lay a table out in, and whether it would style it (bold and
    italic on a terminal); None where Rich does more than this (see the module's note)."""
    out = sys.stdout
    if sys.platform == "win32" or hasattr(builtins, "get_ipython") or out is None or hasattr(out, "rich_proxied_file"):
        return None
    if not (getattr(out, "encoding", "utf-8") or "utf-8").lower().startswith("utf"):
        return None  # Rich would draw the rule under the header in ASCII
    stdin_module = getattr(sys.stdin, "__module__", None)
    if isinstance(stdin_module, str) and stdin_module.startswith("idlelib"):
        return None
    environ = os.environ
    if environ.get("TTY_COMPATIBLE", "") in ("0", "1"):
        terminal = environ["TTY_COMPATIBLE"] == "1"
    elif environ.get("FORCE_COLOR") is not None:
        terminal = environ["FORCE_COLOR"] != ""
    else:
        isatty = getattr(out, "isatty", None)
        try:
            terminal = False if isatty is None else bool(isatty())
        except ValueError:  # closed
            terminal = False
    dumb = terminal and environ.get("TERM", "").lower() in ("dumb", "unknown")
    columns, lines = environ.get("COLUMNS"), environ.get("LINES")
    try:
        fixed = int(columns) if columns is not None and columns.isdigit() else None
        fixed_lines = int(lines) if lines is not None and lines.isdigit() else None
    except ValueError:  # a digit int() does not take ("²"): Rich fails on it too
        return None
    if fixed is not None and fixed_lines is not None:
        width = fixed
    elif dumb:
        width = 80
    elif fixed is not None:
        width = fixed
    else:
        width = 0
        for descriptor in (0, 1, 2):
            try:
                width = os.get_terminal_size(descriptor).columns
            except (AttributeError, ValueError, OSError):  # not a terminal
                continue
            break
        width = width or 80
    return width, terminal and not dumb


def narrowest(texts: Sequence[str], wrap: bool) -> int:
    """The min_width print_table gives Rich's column of these texts (its header and cells): a column
    that wraps breaks between words, never inside one (up to a word of 20 letters); any other
    keeps its widest text whole."""
    if wrap:
        return min(20, max(len(word) for text in texts for word in text.split() or [""]))
    return max(map(len, texts))


def _widths(natural: list[int], least: list[int], wrap: list[bool], room: int) -> list[int] | None:
    """Rich's column widths, padding included (Table._calculate_column_widths): each column as wide
    as its widest text, within the room and never under its least. Where they overrun the room, the
    widest wrap columns give up width evenly (Table._collapse_widths, rounding as ratio_reduce
    does) until they fit or are as narrow as the next, and each is measured again in its new width.
    None on a console so narrow that Rich measures a column apart (its padding would leave no room)."""
    if room < 3:
        return None
    widths = [max(min(most, room), fewest) for most, fewest in zip(natural, least)]
    excess = sum(widths) - room
    while excess > 0 and any(wrap):
        widest = max(w for w, can in zip(widths, wrap) if can)
        step = min(excess, widest - max([w for w, can in zip(widths, wrap) if can and w != widest], default=0))
        if not step:
            break
        shrinking = [i for i, (w, can) in enumerate(zip(widths, wrap)) if can and w == widest]
        left, count = excess, len(shrinking)
        for i in shrinking:
            taken = min(step, round(left / count))
            widths[i], left, count = widths[i] - taken, left - taken, count - 1
        excess = sum(widths) - room
    # Still too wide, Rich would narrow every column; these widths overrun the room, and plain_text
    # refuses the table. Narrowed under its least, a column is widened again, and the table overruns.
    return [max(min(most, w), fewest) for most, w, fewest in zip(natural, widths, least)]


def _wrapped(text: str, width: int) -> list[str] | None:
    """The lines Rich's Text.wrap makes of a header (printable ASCII) in `width` columns, each padded to
    it: broken greedily before each word (with the spaces after it) that would overrun the line; None
    where a word is longer than a line (Rich would fold it)."""
    lines, start, used = [], 0, 0
    for word in re.finditer(r"\s*\S+\s*", text):
        length = len(word.group().rstrip())
        if length <= width - used:
            used += len(word.group())
        elif length > width:
            return None
        else:
            lines.append(text[start : word.start()])
            start, used = word.start(), len(word.group())
    lines.append(text[start:])
    return [line[:width].ljust(width) for line in lines]


def plain_text(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None, wrap: Sequence[bool] = ()
) -> str | None:
    """The table exactly as print_table's Rich table prints it to stdout, or None: only Rich knows.

    `wrap` says which columns may wrap (none if empty). Each column is as wide as its widest text,
    columns three spaces apart, a space at each edge, a blank line above and below, and every line
    padded with spaces to the table's width. A table wider than the console narrows its wrap
    columns as Rich does, so long as every cell still fits on one line: only headers wrap, at
    spaces, and stand on the rule under them."""
    texts = [*headers, *(cell for row in rows for cell in row), *([title] if title else [])]
    if not headers or not all(headers) or not all(map(_plain, texts)):
        return None
    console = _console()
    if console is None:
        return None
    console_width, styled = console
    count = len(headers)
    wrap = [bool(can) for can in wrap] or [False] * count
    columns = [[header, *(row[i] for row in rows)] for i, header in enumerate(headers)]
    pads = [(i > 0) + (i < count - 1) for i in range(count)]  # a space each side of a column, not at the edges
    natural = [max(map(len, texts)) + pad for texts, pad in zip(columns, pads)]
    least = [narrowest(texts, can) + pad for texts, can, pad in zip(columns, wrap, pads)]
    padded = _widths(natural, least, wrap, console_width - count - 1)  # less the edges and the gaps
    if padded is None:
        return None
    widths = [w - pad for w, pad in zip(padded, pads)]
    table_width = sum(padded) + count + 1
    if table_width > console_width or (title and len(title) > table_width):
        return None  # Rich would crop the table, or wrap the title
    if any(len(cell) > w for row in rows for cell, w in zip(row, widths)):
        return None  # Rich would wrap a cell
    wrapped = [_wrapped(header, w) for header, w in zip(headers, widths)]
    heads = [head for head in wrapped if head is not None]
    if len(heads) < len(wrapped):
        return None
    bold, italic, reset = (_BOLD, _ITALIC, _RESET) if styled else ("", "", "")
    lines = [f"{italic}{title.ljust(table_width)}{reset}"] if title else []
    lines.append(" " * table_width)
    height = max(map(len, heads))
    pad = f"{bold} {reset}"  # Rich styles each header and the padding either side of it apart
    for at in range(height):  # headers stand on the rule: the shorter ones start lower
        cells = []
        for i, (head, w) in enumerate(zip(heads, padded)):
            line = at - height + len(head)
            if line < 0:
                cells.append(f"{bold}{' ' * w}{reset}")
            else:
                cells.append(pad * (i > 0) + f"{bold}{head[line]}{reset}" + pad * (i < count - 1))
        lines.append(" " + " ".join(cells) + " ")
    lines.append(" " + "─" * (table_width - 2) + " ")
    lines += [" " + "   ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " " for row in rows]
    lines.append(" " * table_width)
    return "\n".join(lines) + "\n"
