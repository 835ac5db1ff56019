"""Reading and writing contacts (SQLAlchemy Core over the `contact` table)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql import Select

from kehu.domain.fields import CONTACT_FIELDS
from kehu.domain.names import name_key
from kehu.store.batching import rows_where_in
from kehu.store.models import contact_table, customer_table

COLUMN_KEYS = tuple(f.key for f in CONTACT_FIELDS if f.key != "customer")


def contact_select() -> Select:
    """Every contact field in CONTACT_FIELDS order, the customer's name as `customer`."""
    columns = [
        customer_table.c.name.label("customer") if key == "customer" else contact_table.c[key]
        for key in (f.key for f in CONTACT_FIELDS)
    ]
    return (
        select(*columns, contact_table.c.customer_id)
        .select_from(contact_table)
        .join(customer_table, customer_table.c.id == contact_table.c.customer_id)
    )


def list_contacts(
    connection: Connection,
    customer_id: int | None = None,
    *,
    archived: str = "active",
    search: str | None = None,
) -> Iterator[RowMapping]:
    statement = contact_select()
    if customer_id is not None:
        statement = statement.where(contact_table.c.customer_id == customer_id)
    if archived == "active":
        statement = statement.where(contact_table.c.archived_at.is_(None))
    elif archived == "archived":
        statement = statement.where(contact_table.c.archived_at.is_not(None))
    if search:
        statement = statement.where(contact_table.c.name_key.contains(name_key(search)))
    # Key contacts first within a customer: the one to call.
    statement = statement.order_by(
        contact_table.c.customer_id, contact_table.c.is_key.desc(), contact_table.c.id
    )
    yield from connection.execute(statement).mappings()


def storable(values: Mapping[str, Any]) -> dict[str, Any]:
    row = {key: value for key, value in values.items() if key in COLUMN_KEYS or key == "customer_id"}
    if "name" in row:
        row["name_key"] = name_key(row["name"])
    return row


def insert_contacts(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(contact_table), rows)


def insert_contact(connection: Connection, row: dict[str, Any]) -> int:
    result = connection.execute(insert(contact_table).values(**row))
    return int(result.inserted_primary_key[0])


def update_contact(connection: Connection, contact_id: int, changes: dict[str, Any]) -> None:
    if changes:
        statement = update(contact_table).where(contact_table.c.id == contact_id)
        connection.execute(statement.values(**changes))


def clear_key_contact(connection: Connection, customer_id: int, except_id: int | None) -> None:
    """One key contact per customer: marking a new one unmarks the others."""
    statement = update(contact_table).where(
        contact_table.c.customer_id == customer_id, contact_table.c.is_key.is_(True)
    )
    if except_id is not None:
        statement = statement.where(contact_table.c.id != except_id)
    connection.execute(statement.values(is_key=False))


def ids_by_customer_and_name(connection: Connection, customer_ids: list[int]) -> dict[tuple[int, str], int]:
    """(customer id, contact name key) → contact id, for every contact of these customers."""
    statement = select(contact_table.c.customer_id, contact_table.c.name_key, contact_table.c.id)
    rows = rows_where_in(connection, statement, contact_table.c.customer_id, customer_ids)
    return {(row["customer_id"], row["name_key"]): row["id"] for row in rows}


def contacts_by_ids(connection: Connection, ids: list[int]) -> dict[int, RowMapping]:
    return {row["id"]: row for row in rows_where_in(connection, contact_select(), contact_table.c.id, ids)}


def used_ids(connection: Connection, ids: Iterable[int]) -> set[int]:
    """The ones among `ids` that contacts already have."""
    statement = select(contact_table.c.id)
    return {row["id"] for row in rows_where_in(connection, statement, contact_table.c.id, ids)}


def count(connection: Connection) -> int:
    from sqlalchemy import func

    return int(connection.execute(select(func.count()).select_from(contact_table)).scalar_one())
