"""Rich tables for people: CJK-aware widths, no markup or escape sequences from the data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kehu.render.formats import Column, cells_getter
from kehu.render.visible import visible


def safe_text(text: str) -> Text:
    """Cell text with control characters shown as visible escapes (never sent to the terminal).

    Rich measures East Asian wide characters as two cells, so CJK columns line up, and it folds
    or ellipsises by cell, so a Chinese name is never cut inside a character.
    """
    return Text(visible(text))


def console_for(out: TextIO) -> Console:
    return Console(file=out, highlight=False, soft_wrap=False, emoji=False, markup=False)


def write_table(
    records: Iterable[Mapping[str, Any]],
    columns: list[Column],
    out: TextIO,
    *,
    title: str | None = None,
) -> int:
    values_of = cells_getter(columns)
    texts = [c.text for c in columns]
    rows = [[safe_text(text(value)) for text, value in zip(texts, values_of(record), strict=True)]
            for record in records]  # fmt: skip
    console = console_for(out)
    columns, rows = _fit(columns, rows, console.width)
    table = Table(title=title, show_lines=False, header_style="bold", pad_edge=False)
    for position, column in enumerate(columns):
        if column.key == "name":
            # Names are what a person scans for: keep each on one line (up to 30 cells) and let
            # the other columns fold first when the terminal is narrow.
            widest = max((row[position].cell_len for row in rows), default=0)
            table.add_column(column.label, min_width=min(widest, 30), overflow="ellipsis")
        elif column.kind in ("date", "money", "count", "timestamp", "flag"):
            table.add_column(column.label, justify=column.justify, no_wrap=True)
        else:
            table.add_column(column.label, justify=column.justify, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    return len(rows)


def _fit(columns: list[Column], rows: list[list[Text]], width: int) -> tuple[list[Column], list[list[Text]]]:
    """Drop the rightmost columns (the least important) until the table fits the terminal.

    Dates, amounts and names are never folded, so a table wider than the screen would be cut
    off at the edge; leaving whole columns out is the honest alternative (--columns picks).
    """

    def needed(position: int) -> int:
        cells = [row[position].cell_len for row in rows]
        widest = max([Text(columns[position].label).cell_len, *cells])
        return min(widest, 30) + 3

    keep = len(columns)
    while keep > 2 and sum(needed(p) for p in range(keep)) + 1 > width:
        keep -= 1
    return columns[:keep], [row[:keep] for row in rows]
