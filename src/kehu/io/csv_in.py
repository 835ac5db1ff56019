"""Reading a CSV or TSV file of cards: decoding, headers in Chinese or English, every row checked.

Nothing here touches the database. The result is the typed rows and the complete list of what is
wrong with the file, so that the caller can refuse the whole file before writing anything.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kehu.domain.fields import Field, header_index, parse_value
from kehu.domain.vocabulary import fold
from kehu.errors import BadData, UsageError
from kehu.i18n import _

MAX_ERRORS_SHOWN = 20


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.column:
            return _("line {line}, {column}: {reason}").format(
                line=self.line, column=self.column, reason=self.reason
            )
        return _("line {line}: {reason}").format(line=self.line, reason=self.reason)


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]  # field key → typed value (None for an empty cell)


@dataclass
class ParsedFile:
    fields: list[Field]  # the file's columns that kehu reads, in file order
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # field key → its header in the file

    def column(self, key: str) -> str:
        """The header the file uses for a field, to name it in an error message."""
        return self.headers.get(key, key)


def decode(data: bytes, encoding: str | None) -> str:
    """Text of the file: the forced encoding, else UTF-8 (BOM or not), UTF-16 with BOM, GB18030."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(_("unknown encoding {encoding!r}").format(encoding=encoding)) from None
        candidates = [encoding]
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]  # Excel's "Unicode text" export
    else:
        candidates = ["utf-8", "gb18030"]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise BadData(_("the file contains NUL bytes: not a text CSV file"))
        return text.removeprefix("\ufeff")
    raise BadData(
        _("cannot decode the file as {encodings}; name its encoding with --encoding").format(
            encodings=" / ".join(candidates)
        )
    )


def guess_delimiter(text: str, filename: str | None) -> str:
    if filename and filename.lower().endswith((".tsv", ".tab")):
        return "\t"
    first_line = text.split("\n", 1)[0]
    return "\t" if "\t" in first_line and "," not in first_line else ","


def read_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, cells) per record; quoted cells may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        # The line the broken record starts on: where an unclosed quote was opened.
        raise BadData(_("line {line}: malformed CSV ({error})").format(line=line, error=error)) from None


def map_headers(
    header: list[str], fields: tuple[Field, ...], required: tuple[str, ...], ignore_extra: bool
) -> list[Field | None]:
    """Match each header cell to a field; unknown, duplicate or missing columns stop the import."""
    index = header_index(fields)
    mapped: list[Field | None] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    unknown = False
    for cell in header:
        if not cell.strip():
            # Excel saves a sheet's empty trailing columns as empty headers: no field, and
            # parse_file refuses a value found under one.
            mapped.append(None)
            continue
        found = index.get(fold(cell))
        if found is None:
            if not ignore_extra:
                problems.append(_("unknown column {name!r}").format(name=cell))
                unknown = True
            mapped.append(None)
            continue
        if found.key in seen:
            problems.append(
                _("columns {first!r} and {second!r} are the same field").format(
                    first=seen[found.key], second=cell
                )
            )
        seen[found.key] = cell
        mapped.append(found)
    for key in required:
        if key not in seen:
            label = next(f for f in fields if f.key == key)
            problems.append(_("missing column {name!r}").format(name=f"{label.zh}/{label.key}"))
    if problems:
        hint = _("(use --ignore-extra to skip unknown columns)") if unknown else ""
        raise BadData(_("bad header: {problems} {hint}").format(
            problems="; ".join(problems), hint=hint).strip())  # fmt: skip
    return mapped


def parse_file(
    text: str,
    fields: tuple[Field, ...],
    *,
    required: tuple[str, ...],
    delimiter: str,
    ignore_extra: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ParsedFile:
    """Check every row against the fields; collect all errors instead of stopping at the first."""
    rows = read_rows(text, delimiter)
    try:
        _line, header = next(rows)
    except StopIteration:
        raise BadData(_("the file is empty")) from None
    mapped = map_headers(header, fields, required, ignore_extra)
    parsed = ParsedFile([f for f in mapped if f is not None])
    parsed.headers = {f.key: cell.strip() for f, cell in zip(mapped, header, strict=True) if f is not None}
    unnamed = [i for i, cell in enumerate(header) if not cell.strip()]
    width = len(header)
    for line, cells in rows:
        if progress:
            progress(1)
        if not any(cell.strip() for cell in cells):
            continue  # Excel leaves rows of empty cells at the end of a sheet
        if len(cells) > width:
            parsed.errors.append(
                RowError(
                    line,
                    "",
                    _("{count} cells but {width} columns").format(count=len(cells), width=width),
                )  # fmt: skip
            )
            continue
        if not ignore_extra and any(i < len(cells) and cells[i].strip() for i in unnamed):
            position = next(i for i in unnamed if i < len(cells) and cells[i].strip())
            parsed.errors.append(RowError(line, "", _(
                "a value in column {number}, which has no header").format(number=position + 1)))  # fmt: skip
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for position, target in enumerate(mapped):
            if target is None:
                continue
            cell = cells[position] if position < len(cells) else ""
            try:
                values[target.key] = parse_value(target, cell) if cell.strip() else None
            except ValueError as error:
                failed.add(target.key)
                parsed.errors.append(RowError(line, header[position].strip(), str(error)))
        for key in required:
            if values.get(key) is None and key not in failed:
                parsed.errors.append(RowError(line, parsed.column(key), _("a value is required")))
        parsed.rows.append(ParsedRow(line, values))
    return parsed


def error_details(errors: list[RowError]) -> list[str]:
    lines = [str(error) for error in errors[:MAX_ERRORS_SHOWN]]
    if len(errors) > MAX_ERRORS_SHOWN:
        lines.append(_("… and {count} more").format(count=len(errors) - MAX_ERRORS_SHOWN))
    return lines
