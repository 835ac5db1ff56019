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

NUMBER_TAKEN = "SELECT 1 FROM contract WHERE number = :number"
# Why an update that changes nothing: see lock_for_payment.
LOCK_FOR_PAYMENT = "UPDATE contract SET amount = amount WHERE customer_id = :customer_id"
INSERT_PAYMENT = (
    "INSERT INTO payment (customer_id, contract_id, instalment_id, amount, paid_on, created_at) "
    "VALUES (:customer_id, :contract_id, :instalment_id, :amount, :paid_on, :created_at)"
)
INSERT_INSTALMENT = (
    "INSERT INTO instalment (customer_id, contract_id, seq, amount, label, event, days, due_on, created_at) "
    "VALUES (:customer_id, :contract_id, :seq, :amount, :label, :event, :days, :due_on, :created_at)"
)

# Every instalment with its contract's number and customer, what was paid of it and what is still
# owed; undated ones (waiting for their event) after the dated, then in the contract's order.
PAID_BY_INSTALMENT = "(SELECT instalment_id, SUM(amount) AS paid FROM payment GROUP BY instalment_id)"
_INSTALMENTS = (
    "SELECT i.id, i.contract_id, i.customer_id, c.name AS customer, k.number, k.signed_on, i.seq, i.amount, "
    "i.label, i.event, i.days, i.due_on, COALESCE(paid.paid, 0) AS paid, "
    "i.amount - COALESCE(paid.paid, 0) AS outstanding "
    "FROM instalment i JOIN contract k ON k.id = i.contract_id JOIN customer c ON c.id = i.customer_id "
    f"LEFT JOIN {PAID_BY_INSTALMENT} paid ON paid.instalment_id = i.id"
)
_INSTALMENTS_ORDER = " ORDER BY CASE WHEN i.due_on IS NULL THEN 1 ELSE 0 END, i.due_on, i.contract_id, i.seq"
_INSTALMENT_OPEN = "i.amount > COALESCE(paid.paid, 0)"
# A contract found by what a person types: its number, or its id.
CONTRACT_BY_NUMBER = "SELECT id FROM contract WHERE number = :number"
CONTRACT_BY_ID = "SELECT id FROM contract WHERE id = :id"
# One customer's contract by its number, else by its id (`kehu collect --contract`).
_CONTRACT_OF_CUSTOMER = (
    "SELECT id FROM contract WHERE customer_id = :customer_id AND (number = :ref OR id = :id)"
    " ORDER BY number = :ref DESC, id"
)
CONTRACT = (
    "SELECT k.id, k.customer_id, c.name AS customer, k.number, k.amount, k.signed_on, k.due_on, "
    "k.delivered_on, k.delivery_note, k.accepted_on FROM contract k JOIN customer c ON c.id = k.customer_id "
    "WHERE k.id = :id"
)
SET_DELIVERED = "UPDATE contract SET delivered_on = :day, delivery_note = :note WHERE id = :id"
SET_ACCEPTED = "UPDATE contract SET accepted_on = :day WHERE id = :id"
SET_CONTRACT_DUE = "UPDATE contract SET due_on = :due_on WHERE id = :id"
SET_INSTALMENT_DUE = "UPDATE instalment SET due_on = :due_on WHERE id = :id"


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
    connection: Connection, customer_id: int, parts: list[tuple[int, int, Decimal]], on: date, now: datetime
) -> None:
    """Record a payment split over instalments: (contract_id, instalment_id, amount) for each part."""
    connection.execute_many(INSERT_PAYMENT, [
        {"customer_id": customer_id, "contract_id": contract_id, "instalment_id": instalment_id,
         "amount": amount, "paid_on": on, "created_at": now} for contract_id, instalment_id, amount in parts
    ])  # fmt: skip


def add_instalments(
    connection: Connection, customer_id: int, contract_id: int, planned: list[Any], now: datetime
) -> None:
    """Insert a contract's instalments (domain.schedule.Planned: seq, amount, label, event, days,
    due_on)."""
    connection.execute_many(INSERT_INSTALMENT, [
        {"customer_id": customer_id, "contract_id": contract_id, "seq": p.seq, "amount": p.amount,
         "label": p.label, "event": p.event, "days": p.days, "due_on": p.due_on, "created_at": now}
        for p in planned
    ])  # fmt: skip


def instalments(
    connection: Connection,
    *,
    customer_id: int | None = None,
    contract_ids: list[int] | None = None,
    open_only: bool = False,
    owner: str | None = None,
) -> list[Row]:
    """Instalments (of one customer, of some contracts, of one owner's customers, or all) with
    what was paid and what is outstanding, dated ones by due day first, undated ones last."""
    where, params = [], {}
    if customer_id is not None:
        where.append("i.customer_id = :customer_id")
        params["customer_id"] = customer_id
    if contract_ids is not None:
        where.append(f"i.contract_id {connection.backend.among(':contract_ids')}")
        params["contract_ids"] = list(contract_ids)
    if owner is not None:
        where.append("c.owner = :owner")
        params["owner"] = owner
    if open_only:
        where.append(_INSTALMENT_OPEN)
    sql = _INSTALMENTS + (f" WHERE {' AND '.join(where)}" if where else "") + _INSTALMENTS_ORDER
    return connection.execute(sql, params, kinds=_MONEY_KINDS).all()


def all_instalments(connection: Connection) -> list[Row]:
    """Every instalment, in contract and then instalment order (`kehu export instalments`)."""
    return connection.execute(_INSTALMENTS + " ORDER BY i.contract_id, i.seq", kinds=_MONEY_KINDS).all()


def count_instalments(connection: Connection) -> int:
    return connection.execute("SELECT count(*) FROM instalment").scalar()


def find_contract(connection: Connection, text: str) -> int | None:
    """The id of the contract whose number is `text`, else whose id it is; None if neither."""
    row = connection.execute(CONTRACT_BY_NUMBER, {"number": text.strip()}).first()
    if row is None and text.strip().isdigit():
        row = connection.execute(CONTRACT_BY_ID, {"id": int(text.strip())}).first()
    return None if row is None else row["id"]


def customer_contract(connection: Connection, customer_id: int, reference: str) -> int | None:
    """The id of one customer's contract numbered `reference`, else whose id it is; None if none."""
    text = reference.strip()
    params = {"customer_id": customer_id, "ref": text, "id": int(text) if text.isdigit() else -1}
    row = connection.execute(_CONTRACT_OF_CUSTOMER, params).first()
    return None if row is None else row["id"]


def contract(connection: Connection, contract_id: int) -> Row | None:
    """One contract with its customer's name, and its delivery and acceptance."""
    return connection.execute(CONTRACT, {"id": contract_id}).first()


def record_event(
    connection: Connection, contract_id: int, event: str, day: date, note: str | None = None
) -> None:
    """Record a contract's delivery (with its note) or acceptance on `day`."""
    if event == "delivery":
        connection.execute(SET_DELIVERED, {"id": contract_id, "day": day, "note": note})
    else:
        connection.execute(SET_ACCEPTED, {"id": contract_id, "day": day})


def set_instalment_due(connection: Connection, instalment_id: int, due_on: date) -> None:
    connection.execute(SET_INSTALMENT_DUE, {"id": instalment_id, "due_on": due_on})


def set_contract_due(connection: Connection, contract_id: int, due_on: date) -> None:
    connection.execute(SET_CONTRACT_DUE, {"id": contract_id, "due_on": due_on})


def open_receivables(connection: Connection, *, owner: str | None = None) -> list[Row]:
    """Every instalment with money still outstanding (for aging: each is aged from its own due
    day, an undated one is not due), of one owner's customers when `owner` is given."""
    return instalments(connection, open_only=True, owner=owner)
