"""A listing's table as Rich prints it, written without Rich when that is easy.

Most tables (`overdue`, `upcoming`, a case's children and actions) are references, dates and
numbers: short printable ASCII that fits the terminal. Rich takes about 30 ms to import and lay
such a table out; `plain_text` writes the very same characters (and, on a terminal, the same bold
header and italic title) in well under a millisecond. Whatever it cannot be sure of, it leaves to
Rich by answering None: text other than printable ASCII, text Rich's markup or emoji codes would
change, a table wider than the console (Rich would wrap or shrink it), Windows, Jupyter, IDLE, an
output encoding other than UTF.

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


def plain_text(headers: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None) -> str | None:
    """The table exactly as print_table's Rich table prints it to stdout, or None: only Rich knows.

    Each column is as wide as its widest text, columns three spaces apart, a space at each edge, a
    blank line above and below, and every line padded with spaces to the table's width."""
    texts = [*headers, *(cell for row in rows for cell in row), *([title] if title else [])]
    if not headers or not all(headers) or not all(map(_plain, texts)):
        return None
    console = _console()
    if console is None:
        return None
    console_width, styled = console
    widths = [max([len(header), *(len(row[i]) for row in rows)]) for i, header in enumerate(headers)]
    table_width = sum(widths) + 3 * (len(widths) - 1) + 2
    if table_width > console_width or (title and len(title) > table_width):
        return None  # Rich would shrink and wrap the columns, or wrap the title
    bold, italic, reset = (_BOLD, _ITALIC, _RESET) if styled else ("", "", "")
    lines = [f"{italic}{title.ljust(table_width)}{reset}"] if title else []
    lines.append(" " * table_width)
    if styled:  # Rich styles each header and the padding either side of it apart
        gap = f"{bold} {reset} {bold} {reset}"
        lines.append(" " + gap.join(f"{bold}{h.ljust(w)}{reset}" for h, w in zip(headers, widths)) + " ")
    else:
        lines.append(" " + "   ".join(h.ljust(w) for h, w in zip(headers, widths)) + " ")
    lines.append(" " + "─" * (table_width - 2) + " ")
    lines += [" " + "   ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " " for row in rows]
    lines.append(" " * table_width)
    return "\n".join(lines) + "\n"
