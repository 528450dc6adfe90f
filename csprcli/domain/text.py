"""Text made safe for a terminal: the one function every printed user-typed text goes through
(`printable`), and the short, safe start of a bad value for an error message (`excerpt`). Pure."""

from functools import cache

# What a terminal could run or use to disguise text: C0 controls (an escape sequence could recolour
# or rewrite the screen), DEL, C1 controls (U+009B starts an escape sequence in many terminals),
# the bidirectional marks, embeddings, overrides and isolates (they reorder what is shown), the
# Unicode line and paragraph separators, and lone surrogates (undecodable bytes of an argument).
_UNSAFE = [
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    0x061C,
    0x200E,
    0x200F,
    *range(0x2028, 0x202F),
    *range(0x2066, 0x206A),
    *range(0xD800, 0xE000),
]


@cache
def _safe(lines: bool) -> dict[int, str]:
    """How printable shows each unsafe character (made when first needed: a table of 2,000)."""
    found = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE}
    return found if lines else found | {0x09: "\\t", 0x0A: "\\n"}


def printable(text: str, *, lines: bool = True) -> str:
    """The one function that makes text safe to print on a terminal: every character that could
    start an escape sequence or reorder the line is shown as \\xNN or \\uNNNN. New lines and tabs
    are kept, unless `lines` is False (a message that must stay one line)."""
    return str(text).translate(_safe(lines))


def excerpt(value: str, limit: int = 20) -> str:
    """At most the short, made-safe start of a bad value, for an error message: never free text."""
    shown = printable(value[:limit], lines=False)
    return "'" + shown + ("..." if len(value) > limit else "") + "'"
