"""The dump format: the whole book as JSON Lines (issue 7's way to move), written and read back.

The first line says what the file is and which schema revision wrote it; then one record a line,
`{"table": …, "row": {…}}`, every table, parents before children, each in primary-key order, so
the same book always gives the same bytes. Values are spelled exactly: money as a decimal
string ("1200000.00", never a float), days as ISO dates, moments as ISO UTC with a Z.

A dump is input like a CSV file, and may have been edited: every record is checked with the rules
an import or a command applies to what it stores (kehu.domain's parsers and word lists, the
pipelines this kehu knows), and every reference must point at a record read before it. A name_key
that is not the key of its name is refused: it is what makes a customer unique, and a wrong one
means the file was changed by hand. The pinyin is recomputed instead: it only serves searching,
and pypinyin's readings may differ between the kehu that dumped and the one that loads.

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
from kehu.domain.aging import allocate_payment, parse_terms
from kehu.domain.fields import CONTACT_FIELDS, CUSTOMER_FIELDS, TOUCH_FIELDS, Field, parse_value
from kehu.domain.names import name_key, pinyin_forms
from kehu.domain.stages import Pipeline
from kehu.domain.vocabulary import ANSWERS, CHANNEL, FUNNEL_EVENTS, GRADE, PLAN_STATUSES, STATUSES
from kehu.errors import BadData, ConfigError
from kehu.i18n import _
from kehu.io.csv_in import MAX_DETAIL, RowError, printable, shorten
from kehu.store.funnel import QUALIFICATION_KEYS
from kehu.store.schema import (
    BOOL,
    COLUMN_KINDS,
    DAY,
    HEAD_COLUMNS,
    HEAD_REVISION,
    KNOWN_REVISIONS,
    MOMENT,
    MONEY,
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
    "employees", "terms_days",
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
}  # fmt: skip
_KEYS = {"qualification": ("customer_id",), "setting": ("key",)}  # the others' is their id
# Parents before children, so that every reference points at a record already read. The
# customer's own referrer is the one reference that may point forward. The team is not the
# book's: it is the database's roles, which a dump cannot carry.
TABLES: tuple[Table, ...] = tuple(
    Table(name, HEAD_COLUMNS[name], _KEYS.get(name, ("id",)), frozenset(REQUIRED_COLUMNS[name]))
    for name in ("customer", "contact", "grade_change", "touch", "visit_plan", "stage_change",
                 "qualification", "setting", "contract", "payment")
)  # fmt: skip
BY_NAME = {table.name: table for table in TABLES}
# The range of an integer column on PostgreSQL (SQLite's is wider): a dump must load on both.
INTEGER_RANGE = range(-(2**31), 2**31)
# How the dump spells money and days (see _encoder); anything else was not written by kehu.
_MONEY = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # the rule of money (kehu.domain.values) does the rest
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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
    book = _Book()
    for number, line in numbered:
        if not line.strip():
            continue
        table, row = _record(number, line)
        book.check(number, table, row)
        yield number, table, row
    book.finish()


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
                          .format(schema=_shown(schema)))  # fmt: skip
    if schema != HEAD_REVISION:
        raise BadData(_("the dump has schema {schema}, this kehu writes {head}: dump it again with this kehu")
                      .format(schema=schema, head=HEAD_REVISION))  # fmt: skip


def _shown(value: Any) -> str:
    """A value from the file as a message may quote it: one bounded line, nothing a terminal obeys."""
    return shorten(printable(str(value)))


def _refused(number: int, table: Table, column: str, reason: str) -> BadData:
    """The one-line error of a bad value: its line, table and column, and why."""
    return BadData(str(RowError(number, f"{table.name}.{column}", reason)))


def _record(number: int, line: str) -> tuple[Table, dict[str, Any]]:
    """The table and the typed values of one line, each spelled as kehu writes it and checked by
    the rule of its column (every record's own rules; _Book checks what spans records)."""
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
                raise _refused(number, table, name, _("a value is required"))
            values[name] = None
            continue
        try:
            values[name] = decode(value)
        except (TypeError, ValueError, InvalidOperation, OverflowError):
            reason = _("not a valid value: {value!r}").format(value=value)
            raise _refused(number, table, name, reason) from None
        if rule is not None:
            try:
                rule(value)
            except ValueError as error:
                raise _refused(number, table, name, str(error)) from None
    return table, values


# --- the rule of each column ---------------------------------------------------------------------


def _field(key: str, kind: str, vocabulary=None) -> Field:
    return Field(key, key, key, kind, vocabulary)


# Columns that are a field of a card, contact or touch follow that field's rule (what an import
# or `kehu add`/`log` applies); the others are described here. A column with no field follows
# its type: text as import takes text, money, days and moments as import takes them.
_OWN_FIELDS = {"customer": CUSTOMER_FIELDS, "contact": CONTACT_FIELDS, "touch": TOUCH_FIELDS}
_MORE_FIELDS = (
    _field("name", "name"), _field("last_channel", "choice", CHANNEL), _field("channel", "choice", CHANNEL),
    _field("old_grade", "choice", GRADE), _field("new_grade", "choice", GRADE),
    _field("currency", "currency"),
)  # fmt: skip
_CODES: dict[tuple[str, str], tuple[str, ...]] = {
    ("customer", "status"): STATUSES,
    ("visit_plan", "status"): PLAN_STATUSES,
    ("stage_change", "event"): FUNNEL_EVENTS,
    **{("qualification", key): tuple(dict.fromkeys(ANSWERS.values())) for key in QUALIFICATION_KEYS},
}


def _one_of(codes: tuple[str, ...]) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value not in codes:
            raise ValueError(_("unknown value {text!r}; one of: {choices}").format(
                text=value, choices=", ".join(codes)))  # fmt: skip

    return check


def _parsed(field: Field) -> Callable[[Any], None]:
    """The field's own parser; a word list's code, a currency and a name must be stored as kehu
    stores them, not as a label or another spelling that the parser would have made the code
    (or, for a name, trimmed)."""

    exact = field.kind in ("choice", "currency", "count", "name")
    # Codes and days repeat: each is checked once (a book holds a few thousand different days).
    passed: set[Any] | None = set() if field.kind in ("choice", "currency", "date") else None

    def check(value: Any) -> None:
        if passed is not None and value in passed:
            return
        stored = parse_value(field, value if isinstance(value, str) else str(value))
        if exact and stored != value:
            raise ValueError(_("{value!r} is not how kehu stores it ({stored!r})").format(
                value=value, stored=stored))  # fmt: skip
        if passed is not None and len(passed) < 100_000:
            passed.add(value)

    return check


def _record_id(value: int) -> None:
    if value < 1:
        raise ValueError(_("not a record id: {value}").format(value=value))


def _terms(value: int) -> None:
    if parse_terms(str(value)) != value:
        raise ValueError(_("not a payment term (like 30天, net 45 or 货到付款): {text}").format(text=value))


def _rules(table: Table) -> dict[str, Callable[[Any], None]]:
    fields = {field.key: field for field in (*_MORE_FIELDS, *_OWN_FIELDS.get(table.name, ()))}
    rules: dict[str, Callable[[Any], None]] = {}
    for name in table.columns:
        kind = COLUMN_KINDS.get(name)
        field = fields.get(name)
        if (table.name, name) in _CODES:
            rules[name] = _one_of(_CODES[table.name, name])
        elif field is not None and field.kind not in ("id", "ref", "flag"):
            rules[name] = _parsed(field)
        elif name == "terms_days":
            rules[name] = _terms
        elif name in INTEGER_COLUMNS and (name == "id" or name.endswith("_id")):
            rules[name] = _record_id
        elif kind == MONEY:
            rules[name] = _parsed(_field(name, "money"))
        elif kind == MOMENT:
            rules[name] = _parsed(_field(name, "timestamp"))
        elif kind == DAY:
            rules[name] = _parsed(_field(name, "date"))
        elif kind is None and name not in INTEGER_COLUMNS:
            rules[name] = _parsed(_field(name, "text"))
    return rules


_RULES = {table.name: _rules(table) for table in TABLES}


# --- the rules that span records -----------------------------------------------------------------


class _Wrong(Exception):
    """A record that breaks a rule spanning records: the column to blame, and why."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


class _Book:
    """What the records read so far hold: the checks of references, of what must be unique, of
    the funnel and of the money, which look beyond one record. Forward references (a referrer,
    a customer's last contact) are checked at the end."""

    def __init__(self) -> None:
        self.keys: dict[str, set[Any]] = {table.name: set() for table in TABLES}  # primary keys
        self.name_keys: dict[str, int] = {}  # customer name_key → its line
        self.contacts: dict[int, int] = {}  # contact id → its customer
        self.contact_keys: dict[tuple[int, str], int] = {}  # (customer, name_key) → its line
        self.key_contacts: dict[int, int] = {}  # customer → the line of its key contact
        self.touches: dict[int, int] = {}  # touch id → its customer
        self.contracts: dict[int, tuple[int, date]] = {}  # contract id → its customer, due day
        self.outstanding: dict[int, Decimal] = {}  # contract id → what its payments leave
        self.later: list[tuple[int, Table, str, int, int]] = []  # line, table, column, customer, ref
        self._pipelines: dict[str, Pipeline] | None = None

    def check(self, number: int, table: Table, row: dict[str, Any]) -> None:
        try:
            key = tuple(row[column] for column in table.key)
            if key in self.keys[table.name]:
                column = table.key[0]
                raise _Wrong(column, _("a second record with {column} {value}").format(
                    column=column, value=_shown(key[0])))  # fmt: skip
            getattr(self, "_" + table.name)(number, row)
            self.keys[table.name].add(key)
        except _Wrong as wrong:
            raise _refused(number, table, wrong.column, wrong.reason) from None

    def finish(self) -> None:
        """The forward references: each must point at a record of the whole dump."""
        for number, table, column, customer, ref in self.later:
            if column == "referrer_id" and (ref,) not in self.keys["customer"]:
                reason = _("no {table} with id {id} in the dump").format(table="customer", id=ref)
                raise _refused(number, table, column, reason)
            if column == "last_contact_id":
                try:
                    self._contact_of(customer, ref, column)
                except _Wrong as wrong:
                    raise _refused(number, table, column, wrong.reason) from None

    # One method a table, named after it.

    def _customer(self, number: int, row: dict[str, Any]) -> None:
        key = self._name_key(row)
        if key in self.name_keys:
            raise _Wrong("name", _("same customer as line {line}").format(line=self.name_keys[key]))
        self.name_keys[key] = number
        row["pinyin_full"], row["pinyin_initials"] = pinyin_forms(row["name"])
        if row["stage"] is not None:
            if row["pipeline"] is None:
                raise _Wrong("stage", _("a stage without a pipeline"))
            self._stage(row["pipeline"], row["stage"], "stage")
        elif row["pipeline"] is not None:
            self._pipeline(row["pipeline"], "pipeline")
        if row["referrer_id"] == row["id"]:
            raise _Wrong("referrer_id", _("a customer cannot refer itself"))
        for column in ("referrer_id", "last_contact_id"):
            if row[column] is not None:
                self.later.append((number, BY_NAME["customer"], column, row["id"], row[column]))

    def _contact(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        pair = (customer, self._name_key(row))
        if pair in self.contact_keys:
            raise _Wrong("name", _("same contact as line {line}").format(line=self.contact_keys[pair]))
        self.contact_keys[pair] = number
        if row["is_key"]:
            if customer in self.key_contacts:
                raise _Wrong("is_key", _("a second key contact of customer {id} (the first on line {line})")
                             .format(id=customer, line=self.key_contacts[customer]))  # fmt: skip
            self.key_contacts[customer] = number
        self.contacts[row["id"]] = customer

    def _grade_change(self, number: int, row: dict[str, Any]) -> None:
        self._customer_of(row)

    def _touch(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        if row["contact_id"] is not None:
            self._contact_of(customer, row["contact_id"], "contact_id")
        self.touches[row["id"]] = customer

    def _visit_plan(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        if row["contact_id"] is not None:
            self._contact_of(customer, row["contact_id"], "contact_id")
        if row["touch_id"] is not None:
            self._owned(self.touches, "touch", customer, row["touch_id"], "touch_id")

    def _stage_change(self, number: int, row: dict[str, Any]) -> None:
        self._customer_of(row)
        self._pipeline(row["pipeline"], "pipeline")
        for column in ("from_stage", "to_stage"):
            if row[column] is not None:
                self._stage(row["pipeline"], row[column], column)

    def _qualification(self, number: int, row: dict[str, Any]) -> None:
        self._customer_of(row)

    def _setting(self, number: int, row: dict[str, Any]) -> None:
        # The book's one setting: the pipeline new customers start in (kehu.store.funnel).
        if row["key"] != "pipeline":
            raise _Wrong("key", _("unknown value {text!r}; one of: {choices}").format(
                text=row["key"], choices="pipeline"))  # fmt: skip
        self._pipeline(row["value"], "value")

    def _contract(self, number: int, row: dict[str, Any]) -> None:
        self.contracts[row["id"]] = (self._customer_of(row), row["due_on"])
        self.outstanding[row["id"]] = row["amount"]

    def _payment(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        contract = row["contract_id"]
        if contract not in self.contracts:
            raise _Wrong("contract_id", _("no {table} with id {id} before this line").format(
                table="contract", id=contract))  # fmt: skip
        owner, due_on = self.contracts[contract]
        if owner != customer:
            raise _Wrong("contract_id", _("{table} {id} is another customer's").format(
                table="contract", id=contract))  # fmt: skip
        # What `kehu pay` allows: more than zero, and no more than the contract still owes.
        try:
            allocate_payment([(contract, self.outstanding[contract], due_on)], row["amount"])
        except ValueError as error:
            raise _Wrong("amount", str(error)) from None
        self.outstanding[contract] -= row["amount"]

    # The checks the tables share.

    def _name_key(self, row: dict[str, Any]) -> str:
        key = name_key(row["name"])
        if row["name_key"] != key:
            raise _Wrong("name_key", _("{stored!r} is not the key of the name, {key!r}").format(
                stored=row["name_key"], key=key))  # fmt: skip
        return key

    def _customer_of(self, row: dict[str, Any]) -> int:
        customer = row["customer_id"]
        if (customer,) not in self.keys["customer"]:
            raise _Wrong("customer_id", _("no {table} with id {id} before this line").format(
                table="customer", id=customer))  # fmt: skip
        return customer

    def _contact_of(self, customer: int, contact: int, column: str) -> None:
        self._owned(self.contacts, "contact", customer, contact, column)

    def _owned(self, owners: dict[int, int], table: str, customer: int, ref: int, column: str) -> None:
        if ref not in owners:
            raise _Wrong(column, _("no {table} with id {id} before this line").format(table=table, id=ref))
        if owners[ref] != customer:
            raise _Wrong(column, _("{table} {id} is another customer's").format(table=table, id=ref))

    def _pipeline(self, key: str, column: str) -> Pipeline:
        if self._pipelines is None:
            from kehu.io.pipeline_files import all_pipelines

            self._pipelines = all_pipelines()  # the built-in ones and the user's TOML files
        if key not in self._pipelines:
            raise _Wrong(column, _("no pipeline {key!r}; known: {known}").format(
                key=key, known=", ".join(self._pipelines)))  # fmt: skip
        return self._pipelines[key]

    def _stage(self, pipeline: str, stage: str, column: str) -> None:
        try:
            self._pipeline(pipeline, "pipeline").index(stage)
        except ValueError as error:
            raise _Wrong(column, str(error)) from None


def _encode_money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _encode_moment(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _encode_day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


_ENCODE_KIND: dict[str, Callable[[Any], Any]] = {
    MONEY: _encode_money,
    MOMENT: _encode_moment,
    DAY: _encode_day,
}


def _decoder(column: str) -> Callable[[Any], Any]:
    """The decoder of a column: the typed value of a JSON value, which must be spelled as the
    column's encoder spells it (ValueError or TypeError if not); the rule of its column then
    decides whether kehu keeps such a value."""
    kind = COLUMN_KINDS.get(column)
    if kind is None:
        return _decode_integer if column in INTEGER_COLUMNS else _decode_text
    return {MONEY: _decode_money, MOMENT: _decode_moment, DAY: _decode_day, BOOL: _decode_flag}[kind]


def _decode_money(value: Any) -> Decimal:
    if not isinstance(value, str) or not _MONEY.fullmatch(value):
        raise ValueError(value)  # "NaN", "1e999", "-5", 7.5 and the like
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
# Each table's columns as _record reads them: name, whether it may be empty, decoder, rule.
_COLUMNS = {
    table.name: [
        (name, name not in table.required, _decoder(name), _RULES[table.name].get(name))
        for name in table.columns
    ]
    for table in TABLES
}
