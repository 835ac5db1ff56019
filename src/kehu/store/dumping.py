"""Whole tables in and out, for `kehu dump` and `kehu load` (book/dump.py; the format is io/dump.py).

A dump reads every row of every table in primary-key order; a load writes them back with their own
ids in the caller's one transaction: executemany on SQLite, COPY on PostgreSQL (what COPY allows).
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator, Sequence
from itertools import count

from kehu.store.sequences import continue_numbering
from kehu.store.sql import Connection, Result

# A load replaces the settings a new book starts with (the default pipeline) by the dump's.
DELETE_SETTINGS = "DELETE FROM setting"
# A customer's referrer may come later in the dump than the customer: set once all are in.
SET_REFERRER = "UPDATE customer SET referrer_id = :referrer_id WHERE id = :id"
_cursor_numbers = count(1)


def rows_of(
    connection: Connection, table: str, columns: Sequence[str], key: Sequence[str]
) -> Iterator[tuple]:
    """Every row of `table` as a tuple of `columns` (converted as the store hands values out),
    in the order of `key`. The names are our own schema's, never a user's text."""
    names = ", ".join(f'"{column}"' for column in columns)
    order = ", ".join(f'"{column}"' for column in key)
    return _streamed(connection, f"SELECT {names} FROM {table} ORDER BY {order}").tuples()  # noqa: S608


def count_rows(connection: Connection, tables: Sequence[str]) -> int:
    """How many rows these tables hold together (what the connected role may see of them)."""
    counts = " + ".join(f"(SELECT count(*) FROM {table})" for table in tables)  # noqa: S608
    return connection.execute(f"SELECT {counts}").scalar()


def can_copy(connection: Connection) -> bool:
    """Whether insert_rows may be COPY: always on SQLite (executemany there); on PostgreSQL only for
    the owner of the tables, since PostgreSQL refuses COPY into a table under row-level security."""
    if not connection.backend.is_postgresql:
        return True
    from kehu.store.team import current_seat

    return current_seat(connection).administrator


def insert_rows(
    connection: Connection, table: str, columns: Sequence[str], rows: list[tuple], *, copy: bool
) -> None:
    """Insert rows with their own ids; `copy` as can_copy said (else one INSERT a row, which the
    policies of team mode then check). Raises one of integrity_errors() for a broken constraint."""
    if copy:
        connection.insert_rows(table, columns, rows)
        return
    names = ", ".join(f'"{column}"' for column in columns)
    marks = ", ".join(f":{column}" for column in columns)
    statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
    connection.execute_many(statement, [dict(zip(columns, row, strict=True)) for row in rows])


def set_referrers(connection: Connection, referrers: list[dict[str, int]]) -> None:
    """Give customers their referrers: each {"id": customer, "referrer_id": referrer}."""
    connection.execute_many(SET_REFERRER, referrers)


def clear_settings(connection: Connection) -> None:
    connection.execute(DELETE_SETTINGS)


def finish_load(connection: Connection, tables: Sequence[str]) -> None:
    """After rows came in with their own ids: the next new row of each table gets the next id."""
    continue_numbering(connection, tables)


def integrity_errors() -> tuple[type[BaseException], ...]:
    """The drivers' errors for a broken constraint (a duplicate key, a missing parent): psycopg's
    only when it is loaded, so that a SQLite book never imports it."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.IntegrityError,) if psycopg is None else (sqlite3.IntegrityError, psycopg.IntegrityError)


def _streamed(connection: Connection, sql: str) -> Result:
    """A statement whose rows come as they are read, not all at once: sqlite3 steps through them
    anyway; psycopg's ordinary cursor would hold a whole table (a million touches) in memory, so
    PostgreSQL gets a server-side cursor (Result fetches a batch at a time), inside the caller's
    transaction, which closes it."""
    if not connection.backend.is_postgresql:
        return connection.execute(sql)
    cursor = connection.driver.cursor(name=f"kehu_dump_{next(_cursor_numbers)}")
    cursor.execute(connection.backend.text(sql), {})
    return Result(cursor)
