"""SQL text through the DB-API driver: kehu's one way to run a query.

Query modules write plain SQL with `:name` parameters and call `connection.execute(sql, params)`.
This module is what makes that text run the same on both backends, without SQLAlchemy on the
everyday paths (its import alone cost 0.14 s of every command; issue 13):

- parameters: SQLite takes `:name` itself; for psycopg it becomes `%(name)s` (once per text);
- values going in: money (a Decimal) is stored as whole cents, a day as ISO text on SQLite, a
  moment in UTC (naive ISO text on SQLite, as the schema's first rows were written), a list
  (for `backend.among`) as JSON on SQLite and an array on PostgreSQL;
- values coming out, converted by column name (store/schema.py COLUMN_KINDS, or `kinds=` for an
  alias): cents back to Decimal, ISO text back to date and aware UTC datetime, 0/1 to bool.

The differences between the two databases that are more than spelling live in `Backend`.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from kehu.domain.monthday import MonthDay, from_stored
from kehu.store.schema import BIRTHDAY, BOOL, COLUMN_KINDS, DAY, MOMENT, MONEY

Params = Mapping[str, Any]
_SQLITE_MOMENT = "%Y-%m-%d %H:%M:%S.%f"  # how every stored moment is written on SQLite


def cents(value: Decimal) -> int:
    return int((Decimal(value) * 100).to_integral_value())


def from_cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def _sqlite_moment(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime(_SQLITE_MOMENT)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_value(value: Any) -> Any:
    # Order matters: a datetime is a date, a bool an int.
    if value is None or isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return _sqlite_moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return cents(value)
    if isinstance(value, MonthDay):
        return value.stored().isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return json.dumps([_sqlite_value(item) for item in value], ensure_ascii=False)
    return value


def _postgresql_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, Decimal):
        return cents(value)
    if isinstance(value, MonthDay):
        return value.stored()
    if isinstance(value, tuple | set | frozenset):
        return [_postgresql_value(item) for item in value]
    if isinstance(value, list):
        return [_postgresql_value(item) for item in value]
    return value


def _read_day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _read_birthday(value: Any) -> date | MonthDay | None:
    day = _read_day(value)
    return None if day is None else from_stored(day)


def _read_moment(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return _utc(value)


def _read_money(value: Any) -> Decimal | None:
    return None if value is None else from_cents(value)


def _read_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


_READERS = {
    DAY: _read_day,
    MOMENT: _read_moment,
    MONEY: _read_money,
    BOOL: _read_bool,
    BIRTHDAY: _read_birthday,
}


@functools.lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    """`:name` → `%(name)s` for psycopg; a literal % doubled. `::type` casts are left alone."""
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", sql.replace("%", "%%"))


@dataclass(frozen=True)
class Backend:
    """What differs between SQLite and PostgreSQL beyond the SQL both understand."""

    name: str  # "sqlite" | "postgresql"

    @property
    def is_postgresql(self) -> bool:
        return self.name == "postgresql"

    def among(self, param: str) -> str:
        """`column <among(":keys")>`: the column is one of the list bound to :keys, however long
        (SQLite reads it as JSON, so no limit on bound variables; PostgreSQL hashes an array)."""
        if self.is_postgresql:
            return f"= ANY({param})"
        return f"IN (SELECT value FROM json_each({param}))"

    def day_number(self, expression: str) -> str:
        """A day as a number of days, so that two of them subtract to the days between."""
        if self.is_postgresql:
            return f"({expression} - DATE '1970-01-01')"
        return f"CAST(julianday({expression}) AS INTEGER)"

    def clamp(self, expression: str, low: int, high: int) -> str:
        """The expression held between two whole numbers."""
        if self.is_postgresql:
            return f"least(greatest({expression}, {low}), {high})"
        return f"min(max({expression}, {low}), {high})"

    def log10(self, expression: str) -> str:
        """The decimal logarithm of a positive number (SQLite: its math function, or Python's
        where it was built without them: store/morning.py adds it then)."""
        if self.is_postgresql:
            return f"log(CAST({expression} AS DOUBLE PRECISION))"
        return f"log10({expression})"

    def floor_of_positive(self, expression: str) -> str:
        """A non-negative number rounded down to a whole one (SQLite's CAST truncates toward
        zero, which for it is the floor, and needs no math function)."""
        if self.is_postgresql:
            return f"CAST(floor({expression}) AS INTEGER)"
        return f"CAST({expression} AS INTEGER)"

    def month_day(self, day: str) -> str:
        """A day's month and day without its year, to compare with `month_day_keys`. SQLite keeps
        days as ISO text: its 'MM-DD' tail, 3× faster than strftime."""
        if self.is_postgresql:
            return f"CAST(EXTRACT(MONTH FROM {day}) * 100 + EXTRACT(DAY FROM {day}) AS INTEGER)"
        return f"substr({day}, 6)"

    def month_day_keys(self, month_days: Iterable[int]) -> list[Any]:
        """month × 100 + day numbers as `month_day` gives them on this backend."""
        if self.is_postgresql:
            return sorted(month_days)
        return sorted(f"{md // 100:02d}-{md % 100:02d}" for md in month_days)

    def bind(self, params: Params | None) -> dict[str, Any]:
        convert = _postgresql_value if self.is_postgresql else _sqlite_value
        return {key: convert(value) for key, value in (params or {}).items()}

    def text(self, sql: str) -> str:
        return _pyformat(sql) if self.is_postgresql else sql

    def value(self, value: Any) -> Any:
        return _postgresql_value(value) if self.is_postgresql else _sqlite_value(value)


_stream_numbers = itertools.count(1)
SQLITE = Backend("sqlite")
POSTGRESQL = Backend("postgresql")


class Row(dict):
    """A result row: by column name as a mapping, or as an attribute (row.name)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Result:
    """The rows of one statement, converted as they are read."""

    def __init__(self, cursor, kinds: Mapping[str, str] | None = None) -> None:
        self._cursor = cursor
        description = cursor.description or ()
        self.keys = [column[0] for column in description]
        kinds = {**COLUMN_KINDS, **(kinds or {})}
        self._readers = [
            (index, _READERS[kinds[key]]) for index, key in enumerate(self.keys) if kinds.get(key) in _READERS
        ]

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def _convert(self, row: Sequence[Any]) -> tuple[Any, ...]:
        if not self._readers:
            return tuple(row)
        values = list(row)
        for index, read in self._readers:
            values[index] = read(values[index])
        return tuple(values)

    def tuples(self) -> Iterator[tuple[Any, ...]]:
        """Each row as a tuple in the statement's column order (the fast path for big reads)."""
        fetch = self._cursor.fetchmany
        while batch := fetch(2000):
            for row in batch:
                yield self._convert(row)

    def __iter__(self) -> Iterator[Row]:
        keys = self.keys
        for values in self.tuples():
            yield Row(zip(keys, values, strict=True))

    def mappings(self) -> Result:  # for readers used to SQLAlchemy's spelling
        return self

    def all(self) -> list[Row]:
        return list(self)

    def first(self) -> Row | None:
        row = self._cursor.fetchone()
        return None if row is None else Row(zip(self.keys, self._convert(row), strict=True))

    def one(self) -> Row:
        row = self.first()
        if row is None:
            raise LookupError("the statement returned no row")
        return row

    def scalar(self) -> Any:
        """The first column of the first row (None when there is no row)."""
        row = self._cursor.fetchone()
        return None if row is None else self._convert(row)[0]

    def scalars(self) -> list[Any]:
        return [values[0] for values in self.tuples()]


class Connection:
    """One open transaction on the driver's connection, with kehu's conversions."""

    def __init__(self, driver, backend: Backend) -> None:
        self.driver = driver  # the sqlite3 or psycopg connection
        self.backend = backend

    def execute(
        self, sql: str, params: Params | None = None, *, kinds: Mapping[str, str] | None = None
    ) -> Result:
        """Run one statement. `kinds` names the kind (schema.DAY, MONEY …) of result columns whose
        names are not the schema's own (aliases such as `SUM(amount) AS paid`)."""
        cursor = self.driver.cursor()
        cursor.execute(self.backend.text(sql), self.backend.bind(params))
        return Result(cursor, kinds)

    def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each mapping of parameters."""
        bind = self.backend.bind
        self.driver.cursor().executemany(self.backend.text(sql), [bind(row) for row in rows])

    def insert_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert many rows of `columns` at once, streamed: executemany on SQLite, COPY on
        PostgreSQL (its table owner's right only, under row-level security: store/bulk.py).
        Values are the records' own (Decimal money, dates, datetimes); only the columns whose
        stored form differs (schema.COLUMN_KINDS) are converted: converting each of a 100,000-card
        import's 3.3 million cells was a fifth of its time."""
        names = ", ".join(f'"{column}"' for column in columns)
        converted = self._converted(columns, rows)
        if self.backend.is_postgresql:
            with self.driver.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
                for row in converted:
                    copy.write_row(row)
            return
        marks = ", ".join("?" * len(columns))
        self.driver.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", converted)  # noqa: S608

    def _converted(self, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
        value = self.backend.value
        positions = [position for position, column in enumerate(columns) if column in COLUMN_KINDS]
        for row in rows:
            row = list(row)
            for position in positions:
                if row[position] is not None:
                    row[position] = value(row[position])
            yield row

    def stream(
        self, sql: str, params: Params | None = None, *, kinds: Mapping[str, str] | None = None
    ) -> Result:
        """Like execute, for a statement whose rows should come as they are read, not all at once
        (an export, a dump): sqlite3 steps through them anyway; psycopg's ordinary cursor would
        hold a whole table in memory, so PostgreSQL gets a server-side cursor, closed with the
        transaction."""
        if not self.backend.is_postgresql:
            return self.execute(sql, params, kinds=kinds)
        cursor = self.driver.cursor(name=f"kehu_stream_{next(_stream_numbers)}")
        cursor.execute(self.backend.text(sql), self.backend.bind(params))
        return Result(cursor, kinds)

    def insert(self, table: str, values: Params) -> int:
        """Insert one row; its new id."""
        names = ", ".join(f'"{column}"' for column in values)
        marks = ", ".join(f":{column}" for column in values)
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id"  # noqa: S608
        return self.execute(sql, values).scalar()

    def update(self, table: str, row_id: int, changes: Params) -> None:
        """Set columns of the row with this id (nothing to change: no statement). The column
        names are spliced into the statement: only the schema's own, never a user's text."""
        if not changes:
            return
        assignments = ", ".join(f'"{column}" = :{column}' for column in changes)
        sql = f"UPDATE {table} SET {assignments} WHERE id = :row_id_"  # noqa: S608
        self.execute(sql, {**changes, "row_id_": row_id})
