"""Reading and writing credit checks (信用审查): SQL text over the `credit_check` table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kehu.store.bulk import insert_many
from kehu.store.sql import Connection, Row

CHECK_COLUMNS = (
    "customer_id", "checked_on", "registered_capital", "years_in_business", "payment_history",
    "collection_days", "credit_limit", "current_asset_ratio", "net_margin", "return_on_assets",
    "inventory_days", "receivable_days", "notes", "created_at",
)  # fmt: skip
# Every column of CREDIT_CHECK_FIELDS: the customer's name, not its id (customer_id follows).
CHECK_SELECT = (
    "SELECT credit_check.id, customer.name AS customer, "
    + ", ".join(f"credit_check.{column}" for column in CHECK_COLUMNS if column != "created_at")
    + " FROM credit_check JOIN customer ON customer.id = credit_check.customer_id"
)
# The latest check first: the day it was made, then the one recorded last that day.
LATEST_FIRST = " ORDER BY credit_check.checked_on DESC, credit_check.id DESC"


def list_checks(connection: Connection, customer_id: int | None = None) -> Iterator[Row]:
    """Checks of one customer (latest first), or of every customer seen (by customer, latest first)."""
    if customer_id is None:
        order = " ORDER BY customer.name, credit_check.checked_on DESC, credit_check.id DESC"
        yield from connection.stream(CHECK_SELECT + order)
        return
    where = " WHERE credit_check.customer_id = :customer_id"
    yield from connection.stream(CHECK_SELECT + where + LATEST_FIRST, {"customer_id": customer_id})


def all_checks(connection: Connection) -> Iterator[Row]:
    """Every check in the order recorded (an export, re-imported in the same order)."""
    yield from connection.stream(CHECK_SELECT + " ORDER BY credit_check.id")


def latest_check(connection: Connection, customer_id: int) -> Row | None:
    where = " WHERE credit_check.customer_id = :customer_id"
    return connection.execute(CHECK_SELECT + where + LATEST_FIRST, {"customer_id": customer_id}).first()


def count(connection: Connection) -> int:
    return int(connection.execute("SELECT COUNT(*) FROM credit_check").scalar())


def insert_check(connection: Connection, row: Mapping[str, Any]) -> int:
    return connection.insert("credit_check", {column: row.get(column) for column in CHECK_COLUMNS})


def insert_checks(connection: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert new checks, each a mapping of CHECK_COLUMNS."""
    rows = (tuple(row.get(column) for column in CHECK_COLUMNS) for row in rows)
    insert_many(connection, "credit_check", CHECK_COLUMNS, rows)
