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


def reserve_ids(connection: Connection, table: str, count: int, *, after: int = 0) -> list[int]:
    """`count` ids for new rows of `table` that are written with their ids (a stream of rows is
    one COPY, which cannot leave some ids to the database), each past the table's largest id and
    past `after`, the largest id the same batch brings along. SQLite: after the largest, as it
    would number them itself (the write lock is held). PostgreSQL: from the table's sequence,
    which a colleague's rows, invisible under row-level security, advanced too."""
    if count <= 0 and not after:
        return []
    if not connection.backend.is_postgresql:
        top = connection.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").scalar()  # noqa: S608
        start = max(top, after) + 1
        return list(range(start, start + count))
    sequence = f"pg_get_serial_sequence('{table}', 'id')"
    if after:
        # Past the batch's own ids, so that a number handed out below is none of them.
        last = connection.execute(f"SELECT pg_sequence_last_value({sequence}::regclass)").scalar()  # noqa: S608
        if last is None or last < after:
            connection.execute(f"SELECT setval({sequence}, :after)", {"after": after})  # noqa: S608
    if count <= 0:
        return []
    sql = f"SELECT nextval({sequence}) FROM generate_series(1, :count)"  # noqa: S608
    return sorted(connection.execute(sql, {"count": count}).scalars())
