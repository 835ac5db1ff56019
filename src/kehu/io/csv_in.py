"""Reading a CSV or TSV file of cards: decoding, headers in Chinese or English, every row checked.

Nothing here touches the database. The result is the typed rows and the complete list of what is
wrong with the file, so that the caller can refuse the whole file before writing anything.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kehu.domain.fields import Field, header_index, parse_value
from kehu.domain.vocabulary import fold
from kehu.errors import BadData, UsageError
from kehu.i18n import _

MAX_ERRORS_SHOWN = 20
MAX_HEADER_PROBLEMS_SHOWN = 5
MAX_QUOTED = 60  # characters of a cell or header quoted in an error message
MAX_DETAIL = 300  # characters of one line of details
# Characters that must not reach a terminal from a file: C0/C1 controls (escape sequences, bells,
# carriage returns that overwrite the line), line and paragraph separators, and the bidi
# overrides and isolates that reorder what is shown (a cell's text is data, never a command).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Signatures of files that are not text at all: a ZIP (an .xlsx workbook) or an OLE2 .xls.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
# A line with its end as the file has it (\n, \r\n or a lone \r), as csv.reader wants them.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def printable(text: str) -> str:
    """`text` with the characters that could act on a terminal shown as escapes (\\x1b, \\u202e)."""

    def escape(m: re.Match[str]) -> str:
        code = ord(m.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


def shorten(text: str, limit: int = MAX_QUOTED) -> str:
    """At most `limit` characters of `text`, with … when cut (a 10 MB cell is not a message)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        # The column and the reason may quote a cell: one line, bounded, nothing a terminal obeys.
        if self.column:
            text = _("line {line}, {column}: {reason}").format(
                line=self.line, column=shorten(self.column), reason=self.reason
            )
        else:
            text = _("line {line}: {reason}").format(line=self.line, reason=self.reason)
        return shorten(printable(text), MAX_DETAIL)


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
    """Text of the file: the forced encoding, else UTF-8 (BOM or not), UTF-16 with BOM, GB18030.

    Refused with BadData: a workbook instead of CSV, NUL bytes (binary, or UTF-16 without its
    byte-order mark), a file that mixes UTF-8 and GB18030 lines (decoding all of it as GB18030
    would import the UTF-8 lines as mojibake), and a byte-order mark in the middle (two files
    joined: the second header would be imported as a card).
    """
    if data.startswith(_WORKBOOK_MAGIC):
        raise BadData(_("this is an Excel workbook (or another ZIP file), not CSV: "
                        "save it from Excel as CSV UTF-8 and import that"))  # fmt: skip
    if encoding:
        try:
            # base64, rot13, zlib … are codecs too, but bytes.decode() refuses them.
            known = getattr(codecs.lookup(encoding), "_is_text_encoding", True)
        except LookupError:
            known = False
        if not known:
            raise UsageError(_("unknown encoding {encoding!r}").format(encoding=encoding))
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
        except UnicodeError:  # UnicodeDecodeError, or a codec's own refusal ("undefined")
            if candidate in ("utf-8", "utf-8-sig"):
                _refuse_mixed_encodings(data)
            continue
        if "\x00" in text:
            if candidate in ("utf-8", "gb18030") and _looks_like_utf16(data):
                raise BadData(_("the file looks like UTF-16 without a byte-order mark; "
                                "name its encoding with --encoding utf-16-le (or utf-16-be)"))  # fmt: skip
            raise BadData(_("the file contains NUL bytes: not a text CSV file"))
        text = text.removeprefix("\ufeff")
        if (inner := text.find("\ufeff")) >= 0:
            raise BadData(_("line {line}: a byte-order mark inside the file (two files joined?); "
                            "remove it and import again").format(line=_line_of(text, inner)))  # fmt: skip
        return text
    raise BadData(
        _("cannot decode the file as {encodings}; name its encoding with --encoding").format(
            encodings=" / ".join(candidates)
        )
    )


def _line_of(text: str, index: int) -> int:
    """The line (as the CSV reader counts them: \\n, \\r\\n or \\r) holding text[index]."""
    return len(re.findall(r"\r\n?|\n", text[:index])) + 1


def _looks_like_utf16(data: bytes) -> bool:
    """NUL bytes in every other position (the high bytes of ASCII characters), and the file
    reads as clean text in UTF-16 of that byte order."""
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 2 or min(even, odd) * 10 > max(even, odd):
        return False
    try:
        text = data.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        return False
    return not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


def _is_utf8_chinese(line: bytes) -> bool:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Two or more CJK ideographs in valid UTF-8: GB18030 text almost never reads so by chance.
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= 2


def _refuse_mixed_encodings(data: bytes) -> None:
    """A file that is not UTF-8 as a whole, yet has lines of Chinese in UTF-8, mixes encodings."""
    lines = data.splitlines()
    good = next((n for n, line in enumerate(lines, 1) if _is_utf8_chinese(line)), None)
    if good is None:
        return
    bad = next((n for n, line in enumerate(lines, 1) if not _is_utf8(line)), None)
    if bad is None:
        return
    raise BadData(_("the file mixes encodings: line {bad} is not UTF-8 but line {good} is; "
                    "save it again in one encoding, or name it with --encoding").format(
                    bad=bad, good=good))  # fmt: skip


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def guess_delimiter(text: str, filename: str | None) -> str:
    if filename and filename.lower().endswith((".tsv", ".tab")):
        return "\t"
    first_line = text.split("\n", 1)[0]
    return "\t" if "\t" in first_line and "," not in first_line else ","


def read_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, cells) per record; quoted cells may span lines."""
    # Lines cut from the text as they are read: io.StringIO would hold a second copy of it, at
    # four bytes a character (40 MB more for 100,000 customers).
    lines = (match.group() for match in _LINE.finditer(text))
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        # The line the broken record starts on: where an unclosed quote was opened.
        raise BadData(_("line {line}: malformed CSV ({error})").format(line=line, error=error)) from None


def map_headers(
    header: list[str],
    fields: tuple[Field, ...],
    required: tuple[str, ...],
    ignore_extra: bool,
    ignored: tuple[Field, ...] = (),
) -> list[Field | None]:
    """Match each header cell to a field; unknown, duplicate or missing columns stop the import.
    A column of an `ignored` field (one kehu computes, that an export carries) is read past."""
    index = header_index(fields)
    skipped = set(header_index(ignored)) - set(index)
    mapped: list[Field | None] = []
    problems: list[str] = []  # in header order, after the missing columns (the most useful)
    seen: dict[str, str] = {}
    unknown = False
    # Looked up once: a header of 100,000 unknown columns must not translate 100,000 times.
    unknown_column = _("unknown column {name!r}")
    same_field = _("columns {first!r} and {second!r} are the same field")
    for cell in header:
        if not cell.strip():
            # Excel saves a sheet's empty trailing columns as empty headers: no field, and
            # parse_file refuses a value found under one.
            mapped.append(None)
            continue
        found = index.get(fold(cell))
        if found is None and fold(cell) in skipped:
            mapped.append(None)
            continue
        if found is None:
            if not ignore_extra:
                problems.append(unknown_column.format(name=shorten(cell)))
                unknown = True
            mapped.append(None)
            continue
        if found.key in seen:
            problems.append(same_field.format(first=shorten(seen[found.key]), second=shorten(cell)))
        seen[found.key] = cell
        mapped.append(found)
    missing = []
    for key in required:
        if key not in seen:
            label = next(f for f in fields if f.key == key)
            missing.append(_("missing column {name!r}").format(name=f"{label.zh}/{label.key}"))
    problems = missing + problems
    if len(problems) > MAX_HEADER_PROBLEMS_SHOWN:
        # 100,000 unknown columns make one line of a few, not a megabyte of message.
        more = _("… and {count} more").format(count=len(problems) - MAX_HEADER_PROBLEMS_SHOWN)
        problems = [*problems[:MAX_HEADER_PROBLEMS_SHOWN], more]
    if problems:
        hint = _("(use --ignore-extra to skip unknown columns)") if unknown else ""
        raise BadData(_("bad header: {problems} {hint}").format(
            problems="; ".join(problems), hint=hint).strip())  # fmt: skip
    return mapped


class Sheet:
    """A checked header over the file's text; its rows are read on demand, each pass anew.

    A pass over `rows()` parses every cell and adds what is wrong to `errors`, so that an import
    can check and write 100,000 rows as a stream without holding them (the text, 20 MB, is
    kept; the parsed rows would take six times that). `rows(only=...)` is a quick first pass
    over a few columns that records no errors.
    """

    def __init__(
        self,
        text: str,
        fields: tuple[Field, ...],
        *,
        required: tuple[str, ...],
        delimiter: str,
        ignore_extra: bool = False,
        ignored: tuple[Field, ...] = (),
    ) -> None:
        self._text, self._delimiter, self._required, self._ignore_extra = (
            text,
            delimiter,
            required,
            ignore_extra,
        )
        try:
            _line, header = next(read_rows(text, delimiter))
        except StopIteration:
            raise BadData(_("the file is empty")) from None
        self._header = header
        self._mapped = map_headers(header, fields, required, ignore_extra, ignored)
        self.fields: list[Field] = [f for f in self._mapped if f is not None]
        self.headers: dict[str, str] = {
            f.key: cell.strip() for f, cell in zip(self._mapped, header, strict=True) if f is not None
        }
        self.errors: list[RowError] = []

    def column(self, key: str) -> str:
        """The header the file uses for a field, to name it in an error message."""
        return self.headers.get(key, key)

    def rows(
        self, *, only: tuple[str, ...] | None = None, progress: Callable[[int], None] | None = None
    ) -> Iterator[ParsedRow]:
        """Each non-empty row with its typed values. A full pass (no `only`) records every
        problem in `errors`; a pass over `only` these fields records none (an unreadable cell
        reads as None), for a first look at names and ids before the full pass."""
        header, mapped, required = self._header, self._mapped, self._required
        checking = only is None
        wanted = [(i, f) for i, f in enumerate(mapped) if f is not None and (checking or f.key in only)]
        unnamed = [i for i, cell in enumerate(header) if not cell.strip()]
        width = len(header)
        rows = read_rows(self._text, self._delimiter)
        next(rows)
        for line, cells in rows:
            if progress:
                progress(1)
            if not any(map(str.strip, cells)):
                continue  # Excel leaves rows of empty cells at the end of a sheet
            if len(cells) > width:
                if checking:
                    self.errors.append(RowError(line, "", _("{count} cells but {width} columns").format(
                        count=len(cells), width=width)))  # fmt: skip
                continue
            if (
                checking
                and not self._ignore_extra
                and any(i < len(cells) and cells[i].strip() for i in unnamed)
            ):
                position = next(i for i in unnamed if i < len(cells) and cells[i].strip())
                reason = _("a value in column {number}, which has no header").format(number=position + 1)
                self.errors.append(RowError(line, "", reason))
            values: dict[str, Any] = {}
            failed: set[str] = set()
            short = len(cells) < width  # a row may end early: its last cells are empty
            for position, target in wanted:
                cell = cells[position] if not short or position < len(cells) else ""
                try:
                    values[target.key] = parse_value(target, cell) if cell.strip() else None
                except ValueError as error:
                    values[target.key] = None
                    failed.add(target.key)
                    if checking:
                        self.errors.append(RowError(line, header[position].strip(), str(error)))
            if checking:
                for key in required:
                    if values.get(key) is None and key not in failed:
                        self.errors.append(RowError(line, self.column(key), _("a value is required")))
            yield ParsedRow(line, values)

    def read_all(self, progress: Callable[[int], None] | None = None) -> ParsedFile:
        """Every row read and checked at once (for importers that plan the whole sheet)."""
        parsed = ParsedFile(self.fields, headers=self.headers)
        parsed.rows = list(self.rows(progress=progress))
        parsed.errors = self.errors
        return parsed


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
    sheet = Sheet(text, fields, required=required, delimiter=delimiter, ignore_extra=ignore_extra)
    return sheet.read_all(progress)


def error_details(errors: list[RowError]) -> list[str]:
    lines = [str(error) for error in errors[:MAX_ERRORS_SHOWN]]
    if len(errors) > MAX_ERRORS_SHOWN:
        lines.append(_("… and {count} more").format(count=len(errors) - MAX_ERRORS_SHOWN))
    return lines
