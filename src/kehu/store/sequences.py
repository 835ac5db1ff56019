"""Numbering after rows were written with their own ids (a load): each backend's way.

SQLite numbers a new row after the largest id in the table, whatever wrote it. PostgreSQL takes
ids from a sequence that rows inserted with an explicit id never advanced: the next `kehu add`
after a load would collide with customer 1. So after a load the sequences are moved past the
largest id.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection


def continue_numbering(connection: Connection, tables: Iterable[Table]) -> None:
    """Make the next generated id of each table follow the largest one it holds."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.columns or not table.c.id.autoincrement:
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 (names from our own schema)
            f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"
        ))  # fmt: skip
