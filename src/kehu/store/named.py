"""A customer's named records (contacts, rivals: unique by customer and name key) looked up in
batches, as an import and the single-record commands need them."""

from __future__ import annotations

from collections.abc import Iterable

from kehu.store.sql import Connection, Row

# The tables whose records are named within their customer; the SQL names only these.
NAMED_TABLES = frozenset({"contact", "rival"})


def ids_by_customer_and_name(
    connection: Connection, table: str, customer_ids: Iterable[int]
) -> dict[tuple[int, str], int]:
    """(customer id, name key) → id, for every record of `table` of these customers."""
    assert table in NAMED_TABLES
    wanted = list(customer_ids)
    if not wanted:
        return {}
    among = connection.backend.among(":ids")
    sql = f"SELECT customer_id, name_key, id FROM {table} WHERE customer_id {among}"  # noqa: S608
    return {
        (customer_id, key): id_ for customer_id, key, id_ in connection.execute(sql, {"ids": wanted}).tuples()
    }


def rows_by_ids(connection: Connection, select: str, table: str, ids: Iterable[int]) -> dict[int, Row]:
    """id → the row `select` (a SELECT of `table` without its WHERE) gives, for these ids."""
    assert table in NAMED_TABLES
    wanted = list(ids)
    if not wanted:
        return {}
    sql = f"{select} WHERE {table}.id {connection.backend.among(':ids')}"
    return {row["id"]: row for row in connection.execute(sql, {"ids": wanted})}


def used_ids(connection: Connection, table: str, ids: Iterable[int]) -> set[int]:
    """The ones among `ids` that records of `table` already have."""
    assert table in NAMED_TABLES
    wanted = list(ids)
    if not wanted:
        return set()
    sql = f"SELECT id FROM {table} WHERE id {connection.backend.among(':ids')}"  # noqa: S608
    return set(connection.execute(sql, {"ids": wanted}).scalars())
