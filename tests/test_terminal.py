"""What csprcli prints back is safe for a terminal: no character of user text can start an escape
sequence, rewrite the screen or reorder the line, wherever it is printed."""

import pytest

from csprcli.output import excerpt, printable

C0 = [chr(c) for c in [*range(0, 9), *range(11, 32)]]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


@pytest.mark.parametrize("ch", [*C0, "\x7f", *C1, *BIDI, "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\udcff"])
def test_every_unsafe_character_is_shown_as_an_escape(ch):
    shown = printable(f"a{ch}b")
    assert shown.startswith("a\\") and shown.endswith("b") and ch not in shown
    assert shown.isprintable()


def test_the_csi_of_c1_is_neutralised():
    # U+009B is a one-character CSI: "\x9b2J" clears the screen in many terminals
    assert printable("\x9b2J") == "\\x9b2J"
    assert printable("\x1b[2J") == "\\x1b[2J"
    assert printable("abc\u202edcba") == "abc\\u202edcba"


def test_ordinary_text_in_any_script_is_kept():
    for text in ["Walsall", "Ysgol Gymraeg Aberystwyth", "Zoë O'Neill-Østergård", "مرحبا", "中文", "🙂", "tab\there"]:
        assert printable(text) == text


def test_new_lines_are_kept_for_blocks_and_escaped_for_one_line_messages():
    assert printable("one\ntwo") == "one\ntwo"
    assert printable("one\ntwo\tthree", lines=False) == "one\\ntwo\\tthree"


def test_an_excerpt_is_short_and_safe():
    assert excerpt("banana") == "'banana'"
    long = "\x1b[31m" + "x" * 10_000
    shown = excerpt(long)
    assert len(shown) < 40 and "\x1b" not in shown and shown.endswith("...'")
