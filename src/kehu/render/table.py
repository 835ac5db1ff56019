"""Rich tables for people: CJK-aware widths, no markup or escape sequences from the data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kehu.render.formats import Column

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: str) -> Text:
    """Cell text with control characters shown as visible escapes (never sent to the terminal).

    Rich measures East Asian wide characters as two cells, so CJK columns line up, and it folds
    or ellipsises by cell, so a Chinese name is never cut inside a character.
    """
    return Text(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


def console_for(out: TextIO) -> Console:
    return Console(file=out, highlight=False, soft_wrap=False, emoji=False, markup=False)


def write_table(
    records: Iterable[Mapping[str, Any]],
    columns: list[Column],
    out: TextIO,
    *,
    title: str | None = None,
) -> int:
    table = Table(title=title, show_lines=False, header_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(column.label, justify=column.justify, overflow="fold")
    count = 0
    for record in records:
        table.add_row(*(safe_text(c.text(record.get(c.key))) for c in columns))
        count += 1
    console_for(out).print(table)
    return count
