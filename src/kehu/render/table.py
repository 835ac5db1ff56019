"""Rich tables for people: CJK-aware widths, no markup or escape sequences from the data.

A table is fitted to the terminal before Rich draws it (`fit_widths`): dates, amounts and phone
numbers stay whole, long text wraps onto more lines, and only when even that cannot fit are whole
columns left out, the least important first, so the columns that say what to do and whom to
call are the last to go on an 80-column terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kehu.render.formats import Column, cells_getter
from kehu.render.visible import visible

# Kinds whose cells are read whole (a date or an amount broken over two lines misleads).
_WHOLE_KINDS = frozenset({"date", "money", "count", "timestamp", "flag", "currency"})
# Text columns that are dialled or typed, not read: never broken either.
_WHOLE_KEYS = frozenset({"phone", "wechat", "email", "id", "customer_id", "score"})
# How narrow a wrapping column may get: a name keeps 10 Chinese characters a line, other text 5.
_NARROWEST = {"name": 20, "customer": 20}
_NARROWEST_TEXT = 10
# Below this, wrapping text reads poorly: a less important column goes to keep a line this wide.
_COMFORTABLE = 20
# Runs of narrow characters (Latin words, numbers) are kept whole on a line when they are short.
_UNBROKEN = re.compile(r"[!-~\u00a0-\u2e7f]+")
_LONGEST_WORD = 16


def safe_text(text: str, style: str = "") -> Text:
    """Cell text with control characters shown as visible escapes (never sent to the terminal).

    Rich measures East Asian wide characters as two cells, so CJK columns line up, and it folds
    by cell, so a Chinese name is never cut inside a character.
    """
    return Text(visible(text), style=style)


def console_for(out: TextIO) -> Console:
    # Colour only on a terminal; Rich also honours NO_COLOR (https://no-color.org).
    return Console(file=out, highlight=False, soft_wrap=False, emoji=False, markup=False)


def write_table(
    records: Iterable[Mapping[str, Any]],
    columns: list[Column],
    out: TextIO,
    *,
    title: str | None = None,
    title_style: str = "",
    priority: Sequence[str] = (),
    styles: Sequence[str | None] | None = None,
) -> int:
    values_of = cells_getter(columns)
    texts = [c.text for c in columns]
    rows = [[safe_text(text(value)) for text, value in zip(texts, values_of(record), strict=True)]
            for record in records]  # fmt: skip
    console = console_for(out)
    widths = fit_widths(columns, rows, console.width, priority)
    _shorten_bars(columns, rows, widths)
    table = Table(title=title, title_style=title_style or "bold", show_lines=False, header_style="bold",
                  pad_edge=False)  # fmt: skip
    kept = [p for p, width in enumerate(widths) if width is not None]
    for position in kept:
        column = columns[position]
        if _whole(column):
            table.add_column(column.label, justify=column.justify, no_wrap=True)
        else:
            table.add_column(column.label, justify=column.justify, overflow="fold", width=widths[position])
    for number, row in enumerate(rows):
        style = styles[number] if styles is not None else None
        table.add_row(*(row[p] for p in kept), style=style)
    console.print(table)
    return len(rows)


def _shorten_bars(columns: Sequence[Column], rows: list[list[Text]], widths: list[int | None]) -> None:
    """A report's bar (█ scaled to the largest value) cut down with its column when the table is
    narrowed, so that it keeps its proportions on one line instead of wrapping."""
    for p, column in enumerate(columns):
        longest = max((row[p].cell_len for row in rows), default=0)
        if column.key != "bar" or widths[p] is None or widths[p] >= longest:
            continue
        for row in rows:
            length = row[p].cell_len
            if length:
                row[p] = Text("█" * max(1, round(length * widths[p] / longest)))


def fit_widths(
    columns: Sequence[Column], rows: Sequence[Sequence[Text]], width: int, priority: Sequence[str] = ()
) -> list[int | None]:
    """Each column's width in cells (None: left out) for a table `width` cells wide.

    Whole columns keep their widest cell; wrapping columns share what is left, the widest giving
    way first, down to their narrowest. When the table is too wide, empty columns go first; then
    columns go, least important first, when even the narrowest do not fit, or when keeping one
    would wrap a more important one below a comfortable width. Those named in `priority` are the most
    important, in that order; the rest
    follow in display order.
    """
    natural = [max([_cells(column.label), *(row[p].cell_len for row in rows)])
               for p, column in enumerate(columns)]  # fmt: skip
    narrowest = [natural[p] if _whole(c) else min(natural[p], max(
                     _narrowest(c), _longest_word(c.label), *(_longest_word(row[p].plain) for row in rows)))
                 for p, c in enumerate(columns)]  # fmt: skip
    order = [columns.index(c) for key in priority for c in columns if c.key == key]
    order += [p for p in range(len(columns)) if p not in order]
    kept = list(order)
    if sum(natural) + 3 * len(columns) - 1 > width:  # too wide: columns with nothing in them go first
        kept = [p for p in kept if any(row[p].plain for row in rows)] or kept[:1]

    def room() -> int:  # cells left for content: each column has a border and a space each side
        return width - (3 * len(kept) + 1) + 2

    while len(kept) > 1 and sum(narrowest[p] for p in kept) > room():
        kept.pop()
    while len(kept) > 1 and _squeezed(_share(natural, narrowest, columns, kept, room()), natural, columns,
                                       kept[:-1]):  # fmt: skip
        kept.pop()  # the least important column costs a more important one its readable width
    return _share(natural, narrowest, columns, kept, room())


def _share(natural: list[int], narrowest: list[int], columns: Sequence[Column], kept: list[int],
           room: int) -> list[int | None]:  # fmt: skip
    """Widths of the kept columns: whole ones as wide as their widest cell, wrapping ones cut down
    to a common width (never below their narrowest) until the table fits in `room` cells."""
    wrapping = [p for p in kept if not _whole(columns[p])]
    free = room - sum(natural[p] for p in kept if p not in wrapping)
    widths: list[int | None] = [None] * len(columns)
    for p in kept:
        widths[p] = natural[p]
    if sum(natural[p] for p in wrapping) > free:
        cap = _widest_cap(natural, narrowest, wrapping, free)
        for p in wrapping:
            widths[p] = min(natural[p], max(narrowest[p], cap))
    return widths


def _squeezed(
    widths: list[int | None], natural: list[int], columns: Sequence[Column], among: list[int]
) -> bool:
    """Whether one of these columns wraps below a comfortable reading width."""
    return any(not _whole(columns[p]) and (widths[p] or 0) < min(natural[p], _COMFORTABLE) for p in among)


def _widest_cap(natural: list[int], narrowest: list[int], wrapping: list[int], free: int) -> int:
    """The largest width C such that wrapping columns cut to max(narrowest, C) fit in `free`."""
    low, high = 0, max((natural[p] for p in wrapping), default=0)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(natural[p], max(narrowest[p], middle)) for p in wrapping) <= free:
            low = middle
        else:
            high = middle - 1
    return low


def _whole(column: Column) -> bool:
    return column.kind in _WHOLE_KINDS or column.key in _WHOLE_KEYS


def _narrowest(column: Column) -> int:
    return _NARROWEST.get(column.key, _NARROWEST_TEXT)


def _cells(text: str) -> int:
    return Text(text).cell_len


def _longest_word(text: str) -> int:
    """The widest run of letters that must not be broken (an English word, a number), up to
    _LONGEST_WORD cells; Chinese breaks between any two characters, so it counts none."""
    return min(max((len(word) for word in _UNBROKEN.findall(text)), default=0), _LONGEST_WORD)
