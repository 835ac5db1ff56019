"""Reading and writing monthly targets (销售目标): SQL text over the `target` table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kehu.store.sql import Connection, Row

TARGET_COLUMNS = ("month", "owner", "amount", "collect_amount", "new_customers", "touches_per_day")
TARGET_SELECT = "SELECT " + ", ".join(TARGET_COLUMNS) + " FROM target"
TARGET_ORDER = " ORDER BY month, owner"


def list_targets(connection: Connection, owner: str | None = None) -> list[Row]:
    """Every target (or one owner's and the book's), by month, the book's ('') first."""
    if owner is None:
        return connection.execute(TARGET_SELECT + TARGET_ORDER).all()
    where = " WHERE owner = :owner OR owner = ''"
    return connection.execute(TARGET_SELECT + where + TARGET_ORDER, {"owner": owner}).all()


def count(connection: Connection) -> int:
    return int(connection.execute("SELECT COUNT(*) FROM target").scalar())


def get_target(connection: Connection, month: str, owner: str) -> Row | None:
    where = " WHERE month = :month AND owner = :owner"
    return connection.execute(TARGET_SELECT + where, {"month": month, "owner": owner}).first()


def replace_target(connection: Connection, row: Mapping[str, Any]) -> None:
    """Set a month's target for its owner, in place of any set before (month and owner are unique);
    a target set again keeps the moment it was first set (its created_at)."""
    key = {"month": row["month"], "owner": row["owner"]}
    before = connection.execute("SELECT created_at FROM target WHERE month = :month AND owner = :owner", key)
    first = before.first()
    delete_target(connection, row["month"], row["owner"])
    connection.insert("target", {**row, "created_at": first["created_at"]} if first else dict(row))


def delete_target(connection: Connection, month: str, owner: str) -> int:
    """Remove a month's target for an owner; how many rows went (0 or 1)."""
    result = connection.execute(
        "DELETE FROM target WHERE month = :month AND owner = :owner", {"month": month, "owner": owner}
    )
    return result.rowcount
