"""Reading and writing collection actions (催款) and their promises: SQL text over
`collection_action`, with what the customer has paid since each action's day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from kehu.store.bulk import insert_many
from kehu.store.schema import MONEY
from kehu.store.sql import Connection, Row

COLUMNS = ("customer_id", "contract_id", "happened_on", "method", "document", "result", "promised_on",
           "promised_amount", "promise_status", "created_at", "updated_at")  # fmt: skip

# Every action with its customer's name, its contract's number, and the customer's payments on
# or after the action's day (what decides whether a promise was kept).
_SELECT = """
SELECT a.id, c.name AS customer, k.number AS contract, a.happened_on, a.method, a.document, a.result,
       a.promised_on, a.promised_amount, a.promise_status,
       (SELECT COALESCE(SUM(p.amount), 0) FROM payment p
         WHERE p.customer_id = a.customer_id AND p.paid_on >= a.happened_on) AS paid_since,
       a.created_at, a.updated_at, a.customer_id, a.contract_id
FROM collection_action a JOIN customer c ON c.id = a.customer_id
LEFT JOIN contract k ON k.id = a.contract_id"""
_ORDER = " ORDER BY a.happened_on, a.id"
_KINDS = {"paid_since": MONEY}
COUNT_ALL = "SELECT COUNT(*) FROM collection_action"
# Promises whose day is on or before a day (open ones the list brings back; kept ones are left
# out by the caller, which knows the payments).
_PROMISES_UNTIL = (
    _SELECT + " WHERE a.promised_on IS NOT NULL AND a.promised_on <= :until AND c.archived_at IS NULL"
)
USED_IDS = "SELECT id FROM collection_action WHERE id IN ({ids})"


def list_actions(connection: Connection, customer_id: int | None = None) -> list[Row]:
    """The actions of one customer, or of every customer the user sees, oldest first."""
    where, params = "", {}
    if customer_id is not None:
        where, params = " WHERE a.customer_id = :customer_id", {"customer_id": customer_id}
    return connection.execute(_SELECT + where + _ORDER, params, kinds=_KINDS).all()


def count(connection: Connection) -> int:
    return connection.execute(COUNT_ALL).scalar()


def promises_until(connection: Connection, until: date, *, owner: str | None = None) -> list[Row]:
    """Promises due on or before `until`, of customers not archived (one owner's, if given)."""
    statement, params = _PROMISES_UNTIL, {"until": until}
    if owner is not None:
        statement, params = statement + " AND c.owner = :owner", {**params, "owner": owner}
    return connection.execute(statement + " ORDER BY a.promised_on, a.id", params, kinds=_KINDS).all()


def insert_action(connection: Connection, values: Mapping[str, Any]) -> int:
    """Insert one action; its id."""
    return connection.insert("collection_action", {key: values.get(key) for key in COLUMNS})


def insert_actions(connection: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert new actions, each a mapping of COLUMNS (`kehu import collections`)."""
    insert_many(
        connection, "collection_action", COLUMNS, (tuple(row.get(c) for c in COLUMNS) for row in rows)
    )
