"""Whole tables in and out, for `kehu dump` and `kehu load` (book/dump.py; the format is io/dump.py).

A dump reads every row of every table in primary-key order; a load writes them back with their own
ids in the caller's one transaction (store/bulk.py), and this module says which of the drivers'
errors mean the rows did not fit together.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator, Sequence
from itertools import count

from kehu.store.sql import Connection, Result

# A load replaces the settings a new book starts with (the default pipeline) by the dump's.
DELETE_SETTINGS = "DELETE FROM setting"
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


def clear_settings(connection: Connection) -> None:
    connection.execute(DELETE_SETTINGS)


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
