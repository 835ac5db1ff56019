"""The whole book as JSON Lines, and back: `kehu dump` and `kehu load` (issue 7's way to move).

The first line says what the file is and which schema revision wrote it; then one record a line,
`{"table": …, "row": {…}}`, every table, parents before children, each in primary-key order, so
the same book always gives the same bytes. Values are spelled exactly: money as a decimal
string ("1200000.00", never a float), days as ISO dates, moments as ISO UTC with a Z.

Loading reads the lines as they come and writes in batches, all inside the caller's one
transaction: a bad line anywhere (reported with its number) and nothing is kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Date, Integer, String, Table, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from kehu import __version__
from kehu.errors import BadData, ConfigError, KehuError
from kehu.i18n import _
from kehu.store import models
from kehu.store.schema import HEAD_REVISION, KNOWN_REVISIONS
from kehu.store.sequences import continue_numbering
from kehu.store.types import Money, UTCDateTime

FORMAT = "kehu-dump"
# Parents before children, so that every reference points at a record already loaded. The
# customer's own referrer is the one reference that may point forward: it is set after.
TABLES: tuple[Table, ...] = (
    models.customer_table, models.contact_table, models.grade_change_table, models.touch_table,
    models.visit_plan_table, models.stage_change_table, models.qualification_table,
    models.setting_table, models.contract_table, models.payment_table,
)  # fmt: skip
BY_NAME = {table.name: table for table in TABLES}
BATCH = 1000


class Counts(dict):
    """Records per table."""

    @property
    def total(self) -> int:
        return sum(self.values())


def dump_lines(connection: Connection, counts: Counts) -> Iterator[str]:
    """Every line of the dump of the book on `connection`; `counts` fills in as they go."""
    yield json.dumps({"format": FORMAT, "schema": HEAD_REVISION, "kehu": __version__}) + "\n"
    for table in TABLES:
        counts[table.name] = 0
        encoders = [(column.name, _encoder(column.type)) for column in table.columns]
        statement = select(table).order_by(*table.primary_key.columns)
        for row in connection.execute(statement, execution_options={"yield_per": BATCH}):
            values = {name: encode(value) for (name, encode), value in zip(encoders, row, strict=True)}
            yield json.dumps({"table": table.name, "row": values}, ensure_ascii=False) + "\n"
            counts[table.name] += 1


def book_size(connection: Connection) -> int:
    """How many records a dump of this book holds (for a progress bar)."""
    return sum(connection.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES)


def stored_records(connection: Connection) -> int:
    """Records in every table but the settings (a book's own defaults, replaced by a load)."""
    return (
        book_size(connection)
        - connection.execute(select(func.count()).select_from(models.setting_table)).scalar_one()
    )


def load_lines(
    connection: Connection, lines: Iterable[str], progress: Callable[[int], None] | None = None
) -> Counts:
    """Write every record of a dump, in the caller's transaction; BadData (with the line number)
    for anything that is not a record kehu wrote, ConfigError for a dump of a newer kehu."""
    numbered = enumerate(lines, start=1)
    _check_header(next(numbered, (1, "")))
    connection.execute(models.setting_table.delete())  # the dump's settings replace the defaults
    counts = Counts()
    batch: list[dict[str, Any]] = []
    current: Table | None = None
    referrers: list[dict[str, int]] = []
    for number, line in numbered:
        if progress:
            progress(1)
        if not line.strip():
            continue
        table, row = _record(number, line)
        if table is not current:
            _flush(connection, current, batch, number)
            current, batch = table, []
        if table is models.customer_table and row.get("referrer_id") is not None:
            referrers.append({"target": row["id"], "ref": row["referrer_id"]})
            row["referrer_id"] = None
        batch.append(row)
        counts[table.name] = counts.get(table.name, 0) + 1
        if len(batch) >= BATCH:
            _flush(connection, current, batch, number)
            batch = []
    _flush(connection, current, batch, None)
    if referrers:
        customer = models.customer_table
        statement = update(customer).where(customer.c.id == bindparam("target"))
        _write(connection, statement.values(referrer_id=bindparam("ref")), referrers, None)
    continue_numbering(connection, TABLES)
    return counts


def _check_header(numbered: tuple[int, str]) -> None:
    number, line = numbered
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BadData(_("line {line}: not a kehu dump (its first line names the format)").format(line=number))
    schema = header.get("schema")
    if schema not in KNOWN_REVISIONS:
        raise ConfigError(_("the dump was written by a newer kehu (schema {schema}); upgrade kehu to load it")
                          .format(schema=schema))  # fmt: skip
    if schema != HEAD_REVISION:
        raise BadData(_("the dump has schema {schema}, this kehu writes {head}: dump it again with this kehu")
                      .format(schema=schema, head=HEAD_REVISION))  # fmt: skip


def _record(number: int, line: str) -> tuple[Table, dict[str, Any]]:
    try:
        record = json.loads(line)
    except ValueError as error:
        raise BadData(_("line {line}: not JSON ({error})").format(line=number, error=error)) from None
    table = BY_NAME.get(record.get("table")) if isinstance(record, dict) else None
    row = record.get("row") if table is not None else None
    if table is None or not isinstance(row, dict):
        raise BadData(_("line {line}: not a record of a kehu table").format(line=number))
    unknown = set(row) - set(table.columns.keys())
    if unknown:
        raise BadData(_("line {line}: {table} has no column {column}").format(
            line=number, table=table.name, column=", ".join(sorted(unknown))))  # fmt: skip
    values = {}
    for column in table.columns:
        try:
            values[column.name] = _decode(column.type, row.get(column.name))
        except (TypeError, ValueError, InvalidOperation):
            message = _("line {line}: {table}.{column}: not a valid value: {value!r}")
            raise BadData(message.format(line=number, table=table.name, column=column.name,
                                         value=row.get(column.name))) from None  # fmt: skip
    return table, values


def _flush(
    connection: Connection, table: Table | None, batch: list[dict[str, Any]], number: int | None
) -> None:
    if table is not None and batch:
        _write(connection, insert(table), batch, number)


def _write(connection: Connection, statement, rows: list[dict[str, Any]], number: int | None) -> None:
    from sqlalchemy.exc import IntegrityError

    try:
        connection.execute(statement, rows)
    except IntegrityError as error:
        where = _("before line {line}").format(line=number) if number else _("at the end")
        detail = str(error.orig).splitlines()[0] if error.orig else str(error)
        raise BadData(_("the dump does not hold together {where}: {detail}").format(
            where=where, detail=detail)) from None  # fmt: skip


def _encoder(kind) -> Callable[[Any], Any]:
    if isinstance(kind, Money):
        return lambda value: None if value is None else f"{value:.2f}"
    if isinstance(kind, UTCDateTime):
        return lambda value: (
            None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")
        )
    if isinstance(kind, Date):
        return lambda value: None if value is None else value.isoformat()
    return lambda value: value  # text, whole numbers and flags are JSON as they are


def _decode(kind, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, Money):
        if not isinstance(value, str):
            raise TypeError(value)
        return Decimal(value)
    if isinstance(kind, UTCDateTime):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(value)
        return moment
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise TypeError(value)
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(value)
        return value
    if isinstance(kind, String):
        if not isinstance(value, str):
            raise TypeError(value)
        return value
    raise KehuError(f"no decoder for {kind!r}")  # a column type this module has not learnt
