"""Looking up many keys at once without exceeding the database's limit on bound parameters.

Imports ask "which of these 100,000 names exist?"; one `IN (…)` of that size fails on SQLite
(999 parameters before 3.32) and is slow to plan elsewhere, so every such lookup goes through
`rows_where_in`, 5,000 keys at a time (SQLite allows 32,766 parameters since 3.32, PostgreSQL
65,535; at 500 a 100,000-row import spent a second on compiling and running 200 queries).
PostgreSQL takes them all as one array parameter (`= ANY(:values)`), which it hashes: twenty
5,000-parameter statements took 3.4 s there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql import ColumnElement, Select

BATCH_SIZE = 5000


def rows_where_in(
    connection: Connection, statement: Select, column: ColumnElement[Any], values: Iterable[Any]
) -> Iterator[RowMapping]:
    """The rows of `statement` whose `column` is one of `values`, as mappings, in batches."""
    wanted = list(values)
    if connection.dialect.name == "postgresql":
        from sqlalchemy import ARRAY, any_, bindparam

        if wanted:
            array = bindparam("wanted_values", wanted, type_=ARRAY(column.type))
            yield from connection.execute(statement.where(column == any_(array))).mappings()
        return
    for start in range(0, len(wanted), BATCH_SIZE):
        batch = statement.where(column.in_(wanted[start : start + BATCH_SIZE]))
        yield from connection.execute(batch).mappings()
