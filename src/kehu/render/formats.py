"""Printing records in every format: table, csv, tsv, json, jsonl.

Commands hand over raw values (Decimal, date, bool, codes) with the columns that describe them;
this module is the only place that decides how each format spells them, so every command gets
every format for free and scripts get the same columns in each.
"""

from __future__ import annotations

import csv
import json
import operator
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from kehu.render.visible import json_visible, visible

FORMATS = ("table", "csv", "tsv", "json", "jsonl")
# A spreadsheet runs a cell that starts with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Column kinds whose text never holds a line break (a cell of any other kind may).
_NO_LINE_BREAKS = frozenset({"count", "number", "money", "date", "timestamp", "flag", "currency"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header in csv/tsv/json output (a stable key, or a label with --labels)
    label: str  # the header in a table, in the user's language
    text: Callable[[Any], str]  # the value as text in csv and tables
    kind: str = "text"  # how JSON spells it: text, count, number, flag, money
    justify: str = "left"
    plain: bool = False  # text is "" for None, else str(value): what csv.writer does by itself


def default_format(stream: TextIO | None = None) -> str:
    """A table for a person at a terminal, CSV for a script or a pipe."""
    stream = stream or sys.stdout
    return "table" if stream.isatty() else "csv"


def json_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "count":
        return int(value)
    if column.kind == "flag":
        return bool(value)
    if column.kind == "number":
        # A measure, not money (a share 0.1875, a median 56.5): a JSON number, as the CSV writes it.
        return value if isinstance(value, int | float) else float(value)
    if column.kind == "choice":
        return column.text(value)  # the code, or with --labels the label in the user's language
    if isinstance(value, Decimal):
        return f"{value:.2f}"  # exact: a JSON number would become a float in most readers
    if isinstance(value, (date, datetime)):
        return column.text(value)
    if isinstance(value, str):
        return value
    return column.text(value)


def excel_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_delimited(
    records: Iterable[Mapping[str, Any]],
    columns: list[Column],
    out: TextIO,
    *,
    delimiter: str = ",",
    excel: bool = False,
    escape: bool = False,
) -> int:
    """Records as CSV (or TSV); `escape` (for a terminal) shows control characters as \\x1b …"""
    if excel:
        out.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
    newline = "\r\n" if excel else "\n"
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    # The csv module quotes a cell holding a line break only if that character is part of the
    # line terminator: with "\n", a carriage return in a note with no "\n" (which is quoted) would
    # go out bare, and every reader (kehu import too) would end the record there. Such a rare
    # record is written all quoted; every other record keeps the minimal quoting.
    quoting_all = csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_ALL)
    free_text = [i for i, c in enumerate(columns) if c.kind not in _NO_LINE_BREAKS] if not excel else []
    writer.writerow([c.header for c in columns])
    count = 0
    # Only the cells that need it are formatted: an export writes millions of them.
    formatted = [(i, c.text) for i, c in enumerate(columns) if excel or not c.plain]
    values_of = cells_getter(columns)
    for record in records:
        cells = values_of(record)
        for i, text in formatted:
            cells[i] = text(cells[i])
        if excel:
            cells = [excel_safe(cell) for cell in cells]
        if escape:
            cells = [visible(cell) if isinstance(cell, str) else cell for cell in cells]
        # A quick look (all in C) first: the careful test below runs only for a row with a \r.
        if "\r" in "".join(map(str, filter(None, [cells[i] for i in free_text]))) and any(
            isinstance(cells[i], str) and "\r" in cells[i] and "\n" not in cells[i] for i in free_text
        ):
            quoting_all.writerow(cells)
        else:
            writer.writerow(cells)
        count += 1
    return count


def cells_getter(columns: list[Column]) -> Callable[[Mapping[str, Any]], list[Any]]:
    """A function giving a record's values in column order (None for a key it lacks)."""
    keys = [c.key for c in columns]
    together = operator.itemgetter(*keys)  # one C call per row: a database row's .get is slow

    def values_of(record: Mapping[str, Any]) -> list[Any]:
        try:
            found = together(record)
        except KeyError:
            return [record.get(key) for key in keys]
        return list(found) if len(keys) > 1 else [found]

    return values_of


def write_json(records: Iterable[Mapping[str, Any]], columns: list[Column], out: TextIO) -> int:
    """A JSON array written record by record, so a 100,000-row export never sits in memory."""
    out.write("[")
    count = 0
    values_of = cells_getter(columns)
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(_json_object(values_of(record), columns))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_jsonl(records: Iterable[Mapping[str, Any]], columns: list[Column], out: TextIO) -> int:
    count = 0
    values_of = cells_getter(columns)
    for record in records:
        out.write(_json_object(values_of(record), columns) + "\n")
        count += 1
    return count


def _json_object(values: list[Any], columns: list[Column]) -> str:
    data = {c.header: json_value(c, value) for c, value in zip(columns, values, strict=True)}
    return json_visible(json.dumps(data, ensure_ascii=False))


def render(
    records: Iterable[Mapping[str, Any]],
    columns: list[Column],
    fmt: str,
    out: TextIO | None = None,
    *,
    excel: bool = False,
    title: str | None = None,
    title_style: str = "",
    priority: Sequence[str] = (),
    styles: Sequence[str | None] | None = None,
) -> int:
    """Print records in the chosen format; return how many were printed.

    Text holding control characters (an ESC sequence in a note) acts on no terminal: tables show
    it escaped, JSON writes JSON escapes; CSV and TSV escape it on a terminal only, and in a pipe
    or a file keep the data exact, to be read back by a program.
    """
    out = out or sys.stdout
    if fmt == "table":
        from kehu.render.table import write_table

        return write_table(records, columns, out, title=title, title_style=title_style, priority=priority,
                           styles=styles)  # fmt: skip
    escape = out.isatty()
    if fmt == "csv":
        return write_delimited(records, columns, out, excel=excel, escape=escape)
    if fmt == "tsv":
        return write_delimited(records, columns, out, delimiter="\t", excel=excel, escape=escape)
    if fmt == "json":
        return write_json(records, columns, out)
    if fmt == "jsonl":
        return write_jsonl(records, columns, out)
    raise AssertionError(f"unknown format {fmt}")
