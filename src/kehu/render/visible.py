"""Text from users shown safely: control characters become visible escapes, never reach a terminal.

A customer name, a note or a file name may hold ESC sequences (colours, a new window title,
a cleared screen), C1 controls (\\x9b is a one-byte CSI), bidi overrides that reorder what the
screen shows ("Trojan Source"), or a lone surrogate from a non-UTF-8 argument. Tables, cards and
every message print them as \\x1b, \\u202e …, so what a person reads is what is stored; JSON
writes them as JSON escapes (\\u009b), the same data to every reader.
"""

from __future__ import annotations

import re

_BIDI_AND_SEPARATORS = "\u2028\u2029\u202a-\u202e\u2066-\u2069"
# Tab and line feed are left to the layout (a table cell, a message of several lines); a message
# that must stay one line escapes both (a tab from a CSV parser's error is not layout).
_CONTROLS = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}\ud800-\udfff]")
_CONTROLS_AND_LINE_FEED = re.compile(rf"[\x00-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text for a table cell or a message of several lines: its tabs and line feeds kept."""
    return _CONTROLS.sub(_escape, text)


def visible_line(text: str) -> str:
    """One line of a message: line breaks and tabs in it are escaped as well."""
    return _CONTROLS_AND_LINE_FEED.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_visible(text: str) -> str:
    """JSON text (json.dumps already escapes C0) with the rest of what `visible` escapes written
    as JSON escapes: nothing a terminal acts on, even through `kehu export … | cat`."""
    return _CONTROLS.sub(_json_escape, text)
