"""Contracts and payments: what is owed, what came in, and the receivables for aging."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kehu.store.schema import MONEY

if TYPE_CHECKING:
    from kehu.store.sql import Connection, Row


# contract_id → the sum of its payments (`paid`, in cents: name it MONEY in `kinds=`), as SQL
# text to join: `LEFT JOIN {PAID_BY_CONTRACT} paid ON paid.contract_id = k.id`.
PAID_BY_CONTRACT = "(SELECT contract_id, SUM(amount) AS paid FROM payment GROUP BY contract_id)"

# Every contract with its customer's name, what was paid and what is still owed; the callers
# add their condition (WHERE …) and _CONTRACTS_ORDER.
_CONTRACTS = (
    "SELECT k.id, k.customer_id, k.number, k.amount, k.currency, k.signed_on, k.due_on, k.terms_days, "
    "k.notes, k.created_at, c.name AS customer, COALESCE(paid.paid, 0) AS paid, "
    "k.amount - COALESCE(paid.paid, 0) AS outstanding "
    "FROM contract k JOIN customer c ON c.id = k.customer_id "
    f"LEFT JOIN {PAID_BY_CONTRACT} paid ON paid.contract_id = k.id"
)
_CONTRACTS_ORDER = " ORDER BY k.due_on, k.id"
_OPEN = "k.amount > COALESCE(paid.paid, 0)"  # money still outstanding
_MONEY_KINDS = {"paid": MONEY, "outstanding": MONEY}

ALL_CONTRACTS = _CONTRACTS + _CONTRACTS_ORDER
CUSTOMER_CONTRACTS = _CONTRACTS + " WHERE k.customer_id = :customer_id" + _CONTRACTS_ORDER
OPEN_CONTRACTS = _CONTRACTS + f" WHERE {_OPEN}" + _CONTRACTS_ORDER
OPEN_CUSTOMER_CONTRACTS = _CONTRACTS + f" WHERE k.customer_id = :customer_id AND {_OPEN}" + _CONTRACTS_ORDER
OPEN_CONTRACTS_OF_OWNER = _CONTRACTS + f" WHERE c.owner = :owner AND {_OPEN}" + _CONTRACTS_ORDER

NUMBER_TAKEN = "SELECT 1 FROM contract WHERE number = :number"
# Why an update that changes nothing: see lock_for_payment.
LOCK_FOR_PAYMENT = "UPDATE contract SET amount = amount WHERE customer_id = :customer_id"
INSERT_PAYMENT = (
    "INSERT INTO payment (customer_id, contract_id, amount, paid_on, created_at) "
    "VALUES (:customer_id, :contract_id, :amount, :paid_on, :created_at)"
)


def contracts(
    connection: Connection, customer_id: int | None = None, *, open_only: bool = False
) -> list[Row]:
    """Contracts with what was paid and what is outstanding (Decimal), oldest due first."""
    if customer_id is None:
        sql, params = (OPEN_CONTRACTS if open_only else ALL_CONTRACTS), {}
    else:
        sql = OPEN_CUSTOMER_CONTRACTS if open_only else CUSTOMER_CONTRACTS
        params = {"customer_id": customer_id}
    return connection.execute(sql, params, kinds=_MONEY_KINDS).all()


def outstanding_total(connection: Connection, customer_id: int) -> Decimal:
    """What a customer still owes over all its contracts."""
    return sum((row["outstanding"] for row in contracts(connection, customer_id)), start=Decimal("0.00"))


def add_contract(connection: Connection, values: dict[str, Any]) -> int:
    """Insert a contract (customer_id, number, amount, currency, signed_on, due_on, terms_days,
    created_at); its id."""
    return connection.insert("contract", values)


def number_taken(connection: Connection, number: str) -> bool:
    return connection.execute(NUMBER_TAKEN, {"number": number}).first() is not None


def lock_for_payment(connection: Connection, customer_id: int) -> None:
    """Hold the customer's contracts until this transaction ends, before reading what they owe.

    Two payments at once must not both see the same outstanding amount (issue 12: eight
    simultaneous 60万 payments on a 100万 contract, and two or three went through). Inserting
    payments alone never conflicts, and on PostgreSQL's REPEATABLE READ a mere SELECT … FOR
    UPDATE does not either: the second payer would wait, then go on reading its older snapshot.
    A real (if unchanging) update of the contract rows does: whoever comes second fails with a
    serialization error and the command runs again, now seeing the first payment. On SQLite
    BEGIN IMMEDIATE already lets one writer in at a time; the update costs nothing there."""
    connection.execute(LOCK_FOR_PAYMENT, {"customer_id": customer_id})


def add_payments(
    connection: Connection, customer_id: int, parts: list[tuple[int, Decimal]], on: date, now: datetime
) -> None:
    """Record a payment split over contracts: (contract_id, amount) for each part."""
    connection.execute_many(INSERT_PAYMENT, [
        {"customer_id": customer_id, "contract_id": contract_id, "amount": amount, "paid_on": on,
         "created_at": now} for contract_id, amount in parts
    ])  # fmt: skip


def open_receivables(connection: Connection, *, owner: str | None = None) -> list[Row]:
    """Every contract with money still outstanding (for aging and follow-ups), of one owner's
    customers when `owner` is given."""
    if owner is None:
        return contracts(connection, open_only=True)
    return connection.execute(OPEN_CONTRACTS_OF_OWNER, {"owner": owner}, kinds=_MONEY_KINDS).all()
