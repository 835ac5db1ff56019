"""The dump format: the whole book as JSON Lines (issue 7's way to move), written and read back.

The first line says what the file is and which schema revision wrote it; then one record a line,
`{"table": …, "row": {…}}`, every table, parents before children, each in primary-key order, so
the same book always gives the same bytes. Values are spelled exactly: money as a decimal
string ("1200000.00", never a float), days as ISO dates, moments as ISO UTC with a Z.

A dump is input like a CSV file, and may have been edited: every record is checked with the rules
an import or a command applies to what it stores (kehu.domain's parsers and word lists, the
pipelines this kehu knows; io/dump_checks.py), and every reference must point at a record read
before it. A name_key that is not the key of its name is refused: it is what makes a customer
unique, and a wrong one means the file was changed by hand. The pinyin is recomputed instead: it
only serves searching, and pypinyin's readings may differ between the kehu that dumped and the
one that loads.

This module only reads and writes the text; book/dump.py moves the records in and out of the
database (store/dumping.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from kehu import __version__
from kehu.domain.monthday import MonthDay
from kehu.errors import BadData, ConfigError
from kehu.i18n import _
from kehu.io.csv_in import MAX_DETAIL, printable, shorten
from kehu.io.dump_checks import RecordChecks, column_rules, refused, shown
from kehu.store.schema import (
    BIRTHDAY,
    BOOL,
    COLUMN_KINDS,
    DAY,
    HEAD_COLUMNS,
    HEAD_REVISION,
    KNOWN_REVISIONS,
    MOMENT,
    MONEY,
    SAME_RECORDS_AS_BEFORE,
)

FORMAT = "kehu-dump"


@dataclass(frozen=True)
class Table:
    """A table as the dump holds it: its columns in the schema's order, the columns of its primary
    key (the order of its records) and those that may not be empty."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    required: frozenset[str]


# What store/schema.py does not say about a column (tests/store/test_dumping.py checks both
# against the SQLModel tables): the whole numbers (the rest of the columns without a kind are
# text), and per table the columns that may not be empty.
INTEGER_COLUMNS = frozenset({
    "id", "customer_id", "referrer_id", "last_contact_id", "contact_id", "touch_id", "contract_id",
    "employees", "terms_days", "reports_to_id", "years_at_company", "share", "version", "question",
    "instalment_id", "seq", "days", "years_in_business", "collection_days", "inventory_days",
    "receivable_days", "new_customers",
})  # fmt: skip
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "customer": ("id", "name", "name_key", "pinyin_full", "pinyin_initials", "kind", "currency", "created_at",
                 "updated_at", "status"),
    "contact": ("id", "customer_id", "name", "name_key", "birthday_lunar", "is_key", "created_at",
                "updated_at"),
    "grade_change": ("id", "customer_id", "changed_on", "created_at"),
    "touch": ("id", "customer_id", "happened_on", "summary", "created_at"),
    "visit_plan": ("id", "customer_id", "planned_on", "purpose", "status", "created_at", "updated_at"),
    "stage_change": ("id", "customer_id", "pipeline", "event", "changed_on", "created_at"),
    "qualification": HEAD_COLUMNS["qualification"],
    "setting": HEAD_COLUMNS["setting"],
    "contract": ("id", "customer_id", "amount", "currency", "signed_on", "due_on", "created_at"),
    "payment": ("id", "customer_id", "contract_id", "amount", "paid_on", "created_at"),
    "rival": ("id", "customer_id", "name", "name_key", "created_at", "updated_at"),
    "relationship_change": (
        "id", "customer_id", "contact_id", "changed_on", "new_relationship", "created_at",
    ),
    "need": ("id", "customer_id", "description", "status", "noted_on", "created_at", "updated_at"),
    "proposal": ("id", "customer_id", "title", "version", "status", "created_at", "updated_at"),
    "quote": ("id", "customer_id", "version", "amount", "status", "created_at", "updated_at"),
    "stage_answer": HEAD_COLUMNS["stage_answer"],
    "instalment": ("id", "customer_id", "contract_id", "seq", "amount", "created_at"),
    "collection_action": ("id", "customer_id", "happened_on", "method", "created_at", "updated_at"),
    "credit_check": ("id", "customer_id", "checked_on", "created_at"),
    "complaint": ("id", "customer_id", "raised_on", "description", "status", "created_at", "updated_at"),
    "target": ("id", "month", "owner", "created_at", "updated_at"),
}  # fmt: skip
_KEYS = {"qualification": ("customer_id",), "setting": ("key",)}  # the others' is their id
# Parents before children, so that every reference points at a record already read. The
# customer's own referrer, its last contact and a contact's superior are the references that may
# point forward. The team is not the book's: it is the database's roles, which a dump cannot carry.
TABLES: tuple[Table, ...] = tuple(
    Table(name, HEAD_COLUMNS[name], _KEYS.get(name, ("id",)), frozenset(REQUIRED_COLUMNS[name]))
    for name in ("customer", "contact", "grade_change", "touch", "visit_plan", "stage_change",
                 "qualification", "setting", "contract", "instalment", "payment", "rival",
                 "relationship_change", "need", "proposal", "quote", "stage_answer", "collection_action",
                 "credit_check", "complaint", "target")
)  # fmt: skip
BY_NAME = {table.name: table for table in TABLES}
# The range of an integer column on PostgreSQL (SQLite's is wider): a dump must load on both.
INTEGER_RANGE = range(-(2**31), 2**31)
# How the dump spells money and days (see _ENCODERS); anything else was not written by kehu.
_MONEY = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # the rule of money (kehu.domain.values) does the rest
# A customer's financial ratios (credit_check, percent) are decimals that may be negative: a loss.
RATIO_COLUMNS = frozenset({"current_asset_ratio", "net_margin", "return_on_assets"})
_RATIO = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_DAY = re.compile(r"--[0-9]{2}-[0-9]{2}")  # a birthday without its year (domain.monthday)


def header_line() -> str:
    """The first line: the format, the schema revision of the records and the kehu that wrote them."""
    return json.dumps({"format": FORMAT, "schema": HEAD_REVISION, "kehu": __version__}) + "\n"


def record_line(table: Table, values: Sequence[Any]) -> str:
    """The line of one record; `values` in the order of `table.columns`, as the store reads them
    (Decimal money, date, aware datetime)."""
    row = dict(zip(table.columns, values, strict=True))  # text, whole numbers and flags as they are
    for name, encode in _ENCODERS[table.name]:
        if row[name] is not None:
            row[name] = encode(row[name])
    return json.dumps({"table": table.name, "row": row}, ensure_ascii=False) + "\n"


def read_records(lines: Iterable[str]) -> Iterator[tuple[int, Table, dict[str, Any]]]:
    """Each record of a dump as (line number, table, typed values), checked; the header is checked
    at once, before the first record is asked for. BadData (with the line number) for anything
    that is not a record kehu wrote or would write, ConfigError for a dump of a newer kehu. The
    references that may point forward are checked after the last record, before the end."""
    numbered = enumerate(lines, start=1)
    _check_header(next(numbered, (1, "")))
    return _records(numbered)


def _records(numbered: Iterator[tuple[int, str]]) -> Iterator[tuple[int, Table, dict[str, Any]]]:
    checks = RecordChecks(TABLES)
    for number, line in numbered:
        if not line.strip():
            continue
        table, row = _record(number, line)
        checks.check(number, table, row)
        yield number, table, row
    checks.finish()


def _check_header(numbered: tuple[int, str]) -> None:
    number, line = numbered
    try:
        header = json.loads(line)
    except (ValueError, RecursionError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BadData(_("line {line}: not a kehu dump (its first line names the format)").format(line=number))
    schema = header.get("schema")
    if not isinstance(schema, str) or schema not in KNOWN_REVISIONS:
        raise ConfigError(_("the dump was written by a newer kehu (schema {schema}); upgrade kehu to load it")
                          .format(schema=shown(schema)))  # fmt: skip
    later = KNOWN_REVISIONS[KNOWN_REVISIONS.index(schema) + 1 :]
    if not SAME_RECORDS_AS_BEFORE.issuperset(later):
        raise BadData(_("the dump has schema {schema}, this kehu writes {head}: dump it again with this kehu")
                      .format(schema=schema, head=HEAD_REVISION))  # fmt: skip


def _record(number: int, line: str) -> tuple[Table, dict[str, Any]]:
    """The table and the typed values of one line, each spelled as kehu writes it and checked by
    the rule of its column (every record's own rules; RecordChecks checks what spans records)."""
    try:
        record = json.loads(line)
    except ValueError as error:
        raise BadData(_("line {line}: not JSON ({error})").format(line=number, error=error)) from None
    except RecursionError:  # "[[[[…" nested deeper than the parser goes
        raise BadData(_("line {line}: not a record of a kehu table").format(line=number)) from None
    name = record.get("table") if isinstance(record, dict) else None
    table = BY_NAME.get(name) if isinstance(name, str) else None
    row = record.get("row") if table is not None else None
    if table is None or not isinstance(row, dict):
        raise BadData(_("line {line}: not a record of a kehu table").format(line=number))
    unknown = row.keys() - set(table.columns)
    if unknown:
        message = _("line {line}: {table} has no column {column}").format(
            line=number, table=table.name, column=", ".join(sorted(unknown))
        )
        raise BadData(shorten(printable(message), MAX_DETAIL))
    values = {}
    for name, nullable, decode, rule in _COLUMNS[table.name]:
        value = row.get(name)
        if value is None:
            if not nullable:
                raise refused(number, table, name, _("a value is required"))
            values[name] = None
            continue
        try:
            values[name] = decode(value)
        except (TypeError, ValueError, InvalidOperation, OverflowError):
            reason = _("not a valid value: {value!r}").format(value=value)
            raise refused(number, table, name, reason) from None
        if rule is not None:
            try:
                rule(value)
            except ValueError as error:
                raise refused(number, table, name, str(error)) from None
    return table, values


def _encode_money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _encode_moment(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _encode_day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()  # a MonthDay too: --12-10


_ENCODE_KIND: dict[str, Callable[[Any], Any]] = {
    MONEY: _encode_money,
    MOMENT: _encode_moment,
    DAY: _encode_day,
    BIRTHDAY: _encode_day,
}


def _decoder(column: str) -> Callable[[Any], Any]:
    """The decoder of a column: the typed value of a JSON value, which must be spelled as the
    column's encoder spells it (ValueError or TypeError if not); the rule of its column then
    decides whether kehu keeps such a value."""
    kind = COLUMN_KINDS.get(column)
    if column in RATIO_COLUMNS:
        return _decode_ratio
    if kind is None:
        return _decode_integer if column in INTEGER_COLUMNS else _decode_text
    return {MONEY: _decode_money, MOMENT: _decode_moment, DAY: _decode_day, BOOL: _decode_flag,
            BIRTHDAY: _decode_birthday}[kind]  # fmt: skip


def _decode_money(value: Any) -> Decimal:
    if not isinstance(value, str) or not _MONEY.fullmatch(value):
        raise ValueError(value)  # "NaN", "1e999", "-5", 7.5 and the like
    return Decimal(value)


def _decode_ratio(value: Any) -> Decimal:
    if not isinstance(value, str) or not _RATIO.fullmatch(value):
        raise ValueError(value)
    return Decimal(value)


def _decode_moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None or _encode_moment(moment) != value:
        raise ValueError(value)  # a moment is written in UTC, with a Z
    return moment


def _decode_day(value: Any) -> date:
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def _decode_birthday(value: Any) -> date | MonthDay:
    """A birthday as the dump spells it: an ISO date, or --12-10 without the year."""
    if isinstance(value, str) and _MONTH_DAY.fullmatch(value):
        return MonthDay(int(value[2:4]), int(value[5:7]))
    return _decode_day(value)


def _decode_flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


def _decode_integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in INTEGER_RANGE:
        raise TypeError(value)
    return value


def _decode_text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    value.encode("utf-8")  # UnicodeEncodeError (a ValueError) for a lone surrogate ("\ud800")
    return value


# Each table's columns that are not JSON as they are, with their encoders (a dump of a big book
# calls these for millions of values: the others are left alone).
_ENCODERS = {
    table.name: [
        (name, _ENCODE_KIND[COLUMN_KINDS[name]])
        for name in table.columns
        if COLUMN_KINDS.get(name) in _ENCODE_KIND
    ]  # fmt: skip
    for table in TABLES
}
_RULES = {table.name: column_rules(table, INTEGER_COLUMNS) for table in TABLES}
# Each table's columns as _record reads them: name, whether it may be empty, decoder, rule.
_COLUMNS = {
    table.name: [
        (name, name not in table.required, _decoder(name), _RULES[table.name].get(name))
        for name in table.columns
    ]
    for table in TABLES
}
