"""Numbering after rows were written with their own ids (a load): each backend's way.

SQLite numbers a new row after the largest id in the table, whatever wrote it. PostgreSQL takes
ids from a sequence that rows inserted with an explicit id never advanced: the next `kehu add`
after a load would collide with customer 1. So after a load the sequences are moved past the
largest id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kehu.store.schema import HEAD_COLUMNS
from kehu.store.sql import Connection


def continue_numbering(connection: Connection, tables: Iterable[Any]) -> None:
    """Make the next generated id of each table (a name; a Table is still taken) follow the
    largest one it holds. Tables keyed otherwise (setting, team_member, qualification) have no
    sequence and are passed over."""
    if not connection.backend.is_postgresql:
        return
    for table in tables:
        name = getattr(table, "name", table)
        if "id" not in HEAD_COLUMNS.get(name, ()):
            continue
        # The names are our own schema's (HEAD_COLUMNS), never a user's text.
        connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
            f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {name}"
        )
