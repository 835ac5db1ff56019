"""Reading and writing a customer's needs (挖掘需求): SQL text over the `need` table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kehu.store.bulk import insert_many
from kehu.store.sql import Connection, Row

# Every column NEED_FIELDS lists: the customer's and the contact's names, not their ids.
NEED_SELECT = (
    "SELECT need.id, customer.name AS customer, need.description, need.kind, need.priority, need.status, "
    "contact.name AS contact, need.noted_on, need.notes, need.customer_id, need.contact_id "
    "FROM need JOIN customer ON customer.id = need.customer_id "
    "LEFT JOIN contact ON contact.id = need.contact_id"
)
# Open needs first, the most pressing first (a need without a priority after the low ones), then
# the oldest noted first: the list a salesperson works down.
NEED_ORDER = (
    " ORDER BY need.customer_id, "
    "CASE need.status WHEN 'open' THEN 0 WHEN 'met' THEN 1 ELSE 2 END, "
    "CASE need.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, "
    "need.noted_on, need.id"
)
NEED_COLUMNS = (
    "customer_id", "contact_id", "description", "kind", "priority", "status", "noted_on", "notes",
    "created_at", "updated_at",
)  # fmt: skip


def list_needs(
    connection: Connection,
    customer_id: int | None = None,
    *,
    status: str | None = None,
    kind: str | None = None,
) -> Iterator[Row]:
    """Needs (of one customer, or all), open first, by priority."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    for column, value in (("customer_id", customer_id), ("status", status), ("kind", kind)):
        if value is not None:
            conditions.append(f"need.{column} = :{column}")
            params[column] = value
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    yield from connection.stream(NEED_SELECT + where + NEED_ORDER, params)


def all_needs(connection: Connection) -> Iterator[Row]:
    """Every need in the order they were noted (an export, re-imported in the same order)."""
    yield from connection.stream(NEED_SELECT + " ORDER BY need.id")


def count(connection: Connection) -> int:
    return int(connection.execute("SELECT COUNT(*) FROM need").scalar())


def get_need(connection: Connection, need_id: int) -> Row | None:
    return connection.execute(NEED_SELECT + " WHERE need.id = :id", {"id": need_id}).first()


def insert_needs(connection: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert new needs, each a mapping of NEED_COLUMNS."""
    insert_many(connection, "need", NEED_COLUMNS, (tuple(row[c] for c in NEED_COLUMNS) for row in rows))


def insert_need(connection: Connection, row: Mapping[str, Any]) -> int:
    return connection.insert("need", {column: row[column] for column in NEED_COLUMNS})


def update_need(connection: Connection, need_id: int, changes: Mapping[str, Any]) -> None:
    connection.update("need", need_id, changes)


def delete_need(connection: Connection, need_id: int) -> None:
    connection.execute("DELETE FROM need WHERE id = :id", {"id": need_id})
