"""Writing many rows at once, in the way each backend and role allows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kehu.store.sql import Connection


def insert_many(
    connection: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert rows (each a sequence of values in `columns` order; streamed, never held as a list
    here): COPY on PostgreSQL, executemany on SQLite. A seller in team mode gets INSERTs, since
    PostgreSQL refuses COPY into a table under row-level security to all but its owner."""
    if connection.backend.is_postgresql and not _owns_tables(connection):
        names = ", ".join(f'"{column}"' for column in columns)
        marks = ", ".join(f":{column}" for column in columns)
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (our own table and columns)
        connection.execute_many(sql, (dict(zip(columns, row, strict=True)) for row in rows))
        return
    connection.insert_rows(table, columns, rows)


def _owns_tables(connection: Connection) -> bool:
    from kehu.store.team import current_seat

    return current_seat(connection).administrator
