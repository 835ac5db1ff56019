"""Contracts and payments: what is owed, what came in, and the receivables for aging."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from kehu.store.models import contract_table, customer_table, payment_table


# contract_id → the sum of its payments (`paid`, in cents: name it MONEY in `kinds=`), as SQL
# text to join: `LEFT JOIN {PAID_BY_CONTRACT} paid ON paid.contract_id = k.id`.
PAID_BY_CONTRACT = "(SELECT contract_id, SUM(amount) AS paid FROM payment GROUP BY contract_id)"


def paid_by_contract():
    """contract_id → the sum of its payments, as a subquery (`paid`)."""
    return (
        select(payment_table.c.contract_id, func.sum(payment_table.c.amount).label("paid"))
        .group_by(payment_table.c.contract_id)
        .subquery()
    )


def contracts(
    connection: Connection, customer_id: int | None = None, *, open_only: bool = False
) -> list[dict[str, Any]]:
    """Contracts with what was paid and what is outstanding (Decimal), oldest due first."""
    paid = paid_by_contract()
    statement = (
        select(contract_table, customer_table.c.name.label("customer"), paid.c.paid)
        .join(customer_table, customer_table.c.id == contract_table.c.customer_id)
        .outerjoin(paid, paid.c.contract_id == contract_table.c.id)
        .order_by(contract_table.c.due_on, contract_table.c.id)
    )
    if customer_id is not None:
        statement = statement.where(contract_table.c.customer_id == customer_id)
    result = []
    for row in connection.execute(statement).mappings():
        paid_total = row["paid"] if row["paid"] is not None else Decimal("0.00")  # SUM keeps the Money type
        outstanding = row["amount"] - paid_total
        if open_only and outstanding <= 0:
            continue
        result.append({**row, "paid": paid_total, "outstanding": outstanding})
    return result


def add_contract(connection: Connection, values: dict[str, Any]) -> int:
    return int(connection.execute(insert(contract_table).values(**values)).inserted_primary_key[0])


def number_taken(connection: Connection, number: str) -> bool:
    statement = select(contract_table.c.id).where(contract_table.c.number == number)
    return connection.execute(statement).first() is not None


def lock_for_payment(connection: Connection, customer_id: int) -> None:
    """Hold the customer's contracts until this transaction ends, before reading what they owe.

    Two payments at once must not both see the same outstanding amount (issue 12: eight
    simultaneous 60万 payments on a 100万 contract, and two or three went through). Inserting
    payments alone never conflicts, and on PostgreSQL's REPEATABLE READ a mere SELECT … FOR
    UPDATE does not either: the second payer would wait, then go on reading its older snapshot.
    A real (if unchanging) update of the contract rows does: whoever comes second fails with a
    serialization error and the command runs again, now seeing the first payment. On SQLite
    BEGIN IMMEDIATE already lets one writer in at a time; the update costs nothing there."""
    connection.execute(
        update(contract_table)
        .where(contract_table.c.customer_id == customer_id)
        .values(amount=contract_table.c.amount)
    )


def add_payments(
    connection: Connection, customer_id: int, parts: list[tuple[int, Decimal]], on: date, now: datetime
) -> None:
    connection.execute(
        insert(payment_table),
        [{"customer_id": customer_id, "contract_id": contract_id, "amount": amount, "paid_on": on,
          "created_at": now} for contract_id, amount in parts],
    )  # fmt: skip


def open_receivables(connection: Connection, *, owner: str | None = None) -> list[dict[str, Any]]:
    """Every contract with money still outstanding, of active customers (for aging and follow-ups)."""
    rows = contracts(connection, open_only=True)
    if owner is None:
        return rows
    owners = {
        row.id: row.owner for row in connection.execute(select(customer_table.c.id, customer_table.c.owner))
    }
    return [row for row in rows if owners.get(row["customer_id"]) == owner]


def customer_row(connection: Connection, customer_id: int) -> RowMapping:
    return (
        connection.execute(
            select(customer_table.c.id, customer_table.c.name, customer_table.c.currency).where(
                customer_table.c.id == customer_id
            )
        )
        .mappings()
        .one()
    )
