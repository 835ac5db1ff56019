"""Reading and writing contacts: SQL text over the `contact` table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from kehu.domain.fields import CONTACT_FIELDS
from kehu.domain.names import name_key
from kehu.store import named
from kehu.store.bulk import insert_many
from kehu.store.customers import escape_like
from kehu.store.sql import Connection, Row

# Contact fields that are plain columns (customer and reports_to are names, through joins).
COLUMN_KEYS = tuple(f.key for f in CONTACT_FIELDS if f.key not in ("customer", "reports_to"))
_JOINED = {"customer": "customer.name AS customer", "reports_to": "superior.name AS reports_to"}

# Every contact field in CONTACT_FIELDS order, the customer's name as `customer`, the superior's
# as `reports_to`, and customer_id and reports_to_id.
CONTACT_SELECT = (
    "SELECT "
    + ", ".join(_JOINED.get(f.key, f"contact.{f.key}") for f in CONTACT_FIELDS)
    + ", contact.customer_id, contact.reports_to_id FROM contact"
    " JOIN customer ON customer.id = contact.customer_id"
    " LEFT JOIN contact AS superior ON superior.id = contact.reports_to_id"
)
# Key contacts first within a customer: the one to call.
CONTACT_ORDER = " ORDER BY contact.customer_id, contact.is_key DESC, contact.id"
CLEAR_KEY_CONTACT = (
    "UPDATE contact SET is_key = :no WHERE customer_id = :customer_id AND is_key = :yes AND id <> :except_id"
)
SET_KEY_CONTACT = "UPDATE contact SET is_key = :yes WHERE customer_id = :customer_id AND name_key = :key"
COUNT_ALL = "SELECT COUNT(*) FROM contact"


def list_contacts(
    connection: Connection,
    customer_id: int | None = None,
    *,
    archived: str = "active",
    search: str | None = None,
) -> Iterator[Row]:
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if customer_id is not None:
        conditions.append("contact.customer_id = :customer_id")
        params["customer_id"] = customer_id
    if archived == "active":
        conditions.append("contact.archived_at IS NULL")
    elif archived == "archived":
        conditions.append("contact.archived_at IS NOT NULL")
    if search:
        conditions.append("contact.name_key LIKE :needle ESCAPE '\\'")
        params["needle"] = f"%{escape_like(name_key(search))}%"
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    yield from connection.execute(CONTACT_SELECT + where + CONTACT_ORDER, params)


def storable(values: Mapping[str, Any]) -> dict[str, Any]:
    row = {key: value for key, value in values.items()
           if key in COLUMN_KEYS or key in ("customer_id", "reports_to_id")}  # fmt: skip
    if "name" in row:
        row["name_key"] = name_key(row["name"])
    return row


def insert_contacts(connection: Connection, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert many contacts, each a sequence of values in `columns` order."""
    insert_many(connection, "contact", columns, rows)


def insert_contact(connection: Connection, row: Mapping[str, Any]) -> int:
    return connection.insert("contact", row)


def update_contact(connection: Connection, contact_id: int, changes: Mapping[str, Any]) -> None:
    connection.update("contact", contact_id, changes)


def clear_key_contact(connection: Connection, customer_id: int, except_id: int | None) -> None:
    """One key contact per customer: marking a new one unmarks the others."""
    params = {"customer_id": customer_id, "except_id": -1 if except_id is None else except_id}
    connection.execute(CLEAR_KEY_CONTACT, {**params, "yes": True, "no": False})


def set_key_contacts(connection: Connection, pairs: Iterable[tuple[int, str]]) -> None:
    """Mark each (customer id, contact name key) as its customer's key contact."""
    rows = ({"customer_id": customer_id, "key": key, "yes": True} for customer_id, key in pairs)
    connection.execute_many(SET_KEY_CONTACT, rows)


def ids_by_customer_and_name(
    connection: Connection, customer_ids: Iterable[int]
) -> dict[tuple[int, str], int]:
    """(customer id, name key) → contact id, for every contact of these customers."""
    return named.ids_by_customer_and_name(connection, "contact", customer_ids)


def contacts_by_ids(connection: Connection, ids: Iterable[int]) -> dict[int, Row]:
    return named.rows_by_ids(connection, CONTACT_SELECT, "contact", ids)


def used_ids(connection: Connection, ids: Iterable[int]) -> set[int]:
    """The ones among `ids` that contacts already have."""
    return named.used_ids(connection, "contact", ids)


def count(connection: Connection) -> int:
    return int(connection.execute(COUNT_ALL).scalar())
