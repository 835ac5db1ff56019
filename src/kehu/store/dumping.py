"""Whole tables in and out, for `kehu dump` and `kehu load` (book/dump.py; the format is io/dump.py).

A dump reads every row of every table in primary-key order; a load writes them back with their own
ids in the caller's one transaction (store/bulk.py), and this module says which of the drivers'
errors mean the rows did not fit together.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator, Sequence

from kehu.store.sql import Connection

# A load replaces the settings a new book starts with (the default pipeline) by the dump's.
DELETE_SETTINGS = "DELETE FROM setting"


def rows_of(
    connection: Connection, table: str, columns: Sequence[str], key: Sequence[str]
) -> Iterator[tuple]:
    """Every row of `table` as a tuple of `columns` (converted as the store hands values out),
    in the order of `key`. The names are our own schema's, never a user's text."""
    names = ", ".join(f'"{column}"' for column in columns)
    order = ", ".join(f'"{column}"' for column in key)
    return connection.stream(f"SELECT {names} FROM {table} ORDER BY {order}").tuples()  # noqa: S608


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
