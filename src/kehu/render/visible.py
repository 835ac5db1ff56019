"""Text from users shown safely: control characters become visible escapes, never reach a terminal.

A customer name, a note or a file name may hold ESC sequences (colours, a new window title,
a cleared screen), C1 controls (\\x9b is a one-byte CSI), bidi overrides that reorder what the
screen shows ("Trojan Source"), or a lone surrogate from a non-UTF-8 argument. Tables, cards and
every message print them as \\x1b, \\u202e …, so what a person reads is what is stored.
"""

from __future__ import annotations

import re

_BIDI_AND_SEPARATORS = "\u2028\u2029\u202a-\u202e\u2066-\u2069"
# In a table cell tab and line feed are Rich's to lay out; in a message line they are escaped
# too, so one message stays one line.
_IN_CELL = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}\ud800-\udfff]")
_IN_LINE = re.compile(rf"[\x00-\x08\x0a-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}\ud800-\udfff]")
_IN_LINES = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible_cell(text: str) -> str:
    return _IN_CELL.sub(_escape, text)


def visible_line(text: str) -> str:
    """One line of a message: line breaks in it are escaped as well."""
    return _IN_LINE.sub(_escape, text)


def visible_lines(text: str) -> str:
    """A message of several lines (its own line feeds kept)."""
    return _IN_LINES.sub(_escape, text)
