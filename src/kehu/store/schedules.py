"""Replacing a contract's payment schedule (`kehu import instalments`): its contracts found by
number, its instalments and payments taken out and written anew. The instalments and payments
themselves are read and inserted by store/contracts.py."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kehu.store.bulk import insert_many

if TYPE_CHECKING:
    from kehu.store.sql import Connection, Row

_CONTRACTS_BY_NUMBER = (
    "SELECT k.id, k.customer_id, c.name AS customer, k.number, k.amount, k.signed_on, k.delivered_on, "
    "k.accepted_on FROM contract k JOIN customer c ON c.id = k.customer_id WHERE k.number {numbers}"
)
# A contract's payments, oldest first: the order `kehu pay` recorded them in.
_PAYMENTS = (
    "SELECT id, customer_id, contract_id, amount, paid_on, notes, created_at FROM payment "
    "WHERE contract_id = :contract_id ORDER BY paid_on, id"
)
PAYMENT_COLUMNS = ("customer_id", "contract_id", "instalment_id", "amount", "paid_on", "notes", "created_at")


def contracts_by_number(connection: Connection, numbers: Collection[str]) -> dict[str, Row]:
    """The contracts numbered so (with customer, amount, signing, delivery and acceptance), by number."""
    if not numbers:
        return {}
    sql = _CONTRACTS_BY_NUMBER.format(numbers=connection.backend.among(":numbers"))
    return {row["number"]: row for row in connection.execute(sql, {"numbers": list(numbers)})}


def payments_of(connection: Connection, contract_id: int) -> list[Row]:
    """A contract's payment rows, oldest first."""
    return connection.execute(_PAYMENTS, {"contract_id": contract_id}).all()


def clear_schedule(connection: Connection, contract_id: int) -> None:
    """Take out a contract's instalments and the payment rows that settle them (read them first:
    the caller writes them again over the new instalments)."""
    connection.execute("DELETE FROM payment WHERE contract_id = :id", {"id": contract_id})
    connection.execute("DELETE FROM instalment WHERE contract_id = :id", {"id": contract_id})


def insert_payments(connection: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert payment rows, each a mapping of PAYMENT_COLUMNS."""
    insert_many(
        connection, "payment", PAYMENT_COLUMNS, (tuple(row[c] for c in PAYMENT_COLUMNS) for row in rows)
    )
