"""Contracts and money (合同, 回款): add a signed contract, list what is owed, record a payment.

A payment is split over the customer's open contracts, oldest due first (domain.aging
.allocate_payment), and can never be more than what is outstanding, however many payments
arrive at once (issue 12: store.contracts.lock_for_payment). The payment that settles the last
contract records the funnel event `collected`: 回收账款 is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kehu.errors import BadData, Conflict, KehuError, UsageError
from kehu.i18n import _

if TYPE_CHECKING:
    from kehu.store.db import Store
    from kehu.store.sql import Connection


@dataclass(frozen=True)
class Signed:
    contract_id: int
    customer_id: int
    customer: str
    amount: Decimal
    signed_on: date
    due_on: date
    # (its stage, the stage contracts are signed in), labels, when the customer is open and still
    # earlier in the funnel: the contract is recorded, and the caller offers `kehu won`.
    early: tuple[str, str] | None = None


def add_contract(
    store: Store,
    customer: str,
    amount: Decimal | str,
    *,
    today: date,
    now: datetime,
    signed_on: date | None = None,
    due_on: date | None = None,
    terms: str | None = None,
    number: str | None = None,
) -> Signed:
    """Record a signed contract of `amount` (a Decimal, or text: 118万) signed today unless
    `signed_on`, due on `due_on` or after payment `terms` (30天, net 45, 货到付款: one of the
    two); its number, if given, must be new to the book."""
    from kehu.book.money import read_positive_money
    from kehu.domain.aging import parse_terms
    from kehu.store import contracts
    from kehu.store.lookup import resolve_customer

    amount = read_positive_money("--amount", amount)
    signed_on = signed_on or today
    if (due_on is None) == (terms is None):
        raise UsageError(_("give either --due or --terms"))
    terms_days = None
    if terms is not None:
        try:
            terms_days = parse_terms(terms)
        except ValueError as error:
            raise UsageError(f"--terms: {error}") from None
        due_on = signed_on + timedelta(days=terms_days)
    if due_on < signed_on:
        raise UsageError(_("--due is before the signing date"))
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        if number and contracts.number_taken(connection, number):
            raise Conflict(_("contract number {number} is already used").format(number=number))
        contract_id = contracts.add_contract(connection, {
            "customer_id": card["id"], "number": number, "amount": amount, "currency": card["currency"],
            "signed_on": signed_on, "due_on": due_on, "terms_days": terms_days, "created_at": now,
        })  # fmt: skip
        early = _early_in_funnel(connection, card["id"])
    return Signed(contract_id, card["id"], card["name"], amount, signed_on, due_on, early)


def _early_in_funnel(connection: Connection, customer_id: int) -> tuple[str, str] | None:
    """(stage, signing stage) labels when an open customer is still before the stage contracts
    are signed in (a contract there is more likely a deal won but not yet marked so); None for
    a won or lost one, one in no stage, and one at or past signing."""
    from kehu.book.funnel import signing_stage
    from kehu.io.pipeline_files import get_pipeline
    from kehu.store.funnel import funnel_state

    state = funnel_state(connection, customer_id)
    if state["status"] != "open" or not state["stage"] or not state["pipeline"]:
        return None
    try:
        pipeline = get_pipeline(state["pipeline"])
        position = pipeline.index(state["stage"])
    except (KehuError, ValueError):
        return None  # a pipeline file since removed, or a stage renamed in it: nothing to compare
    signing = signing_stage(pipeline)
    if position >= pipeline.index(signing.key):
        return None
    return pipeline.stages[position].label, signing.label


def contract_list(
    store: Store, customer: str | None = None, *, today: date, open_only: bool = False
) -> list[dict[str, Any]]:
    """Contracts (one customer's, archived ones too, or all), oldest due first, each with paid
    and outstanding; one with money outstanding also has its age `bucket` and the collection
    `step` due today: the stable keys of domain.aging's BUCKET and COLLECTION_STEP (None while
    nothing is outstanding, or nothing overdue), which `kehu contract list` labels for people."""
    from kehu.domain.aging import bucket, collection_step, days_overdue
    from kehu.store import contracts
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        customer_id = (
            resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
        )  # fmt: skip
        rows = [dict(row) for row in contracts.contracts(connection, customer_id, open_only=open_only)]
    for row in rows:
        row["bucket"] = row["step"] = None
        if row["outstanding"] > 0:
            step = collection_step(days_overdue(row["due_on"], today))
            row["bucket"] = bucket(row["due_on"], today)
            row["step"] = step.key if step else None
    return rows


def _signed_by(owed: list, paid_on: date, amount: Decimal) -> list:
    """The open contracts a payment made on `paid_on` can go to: those signed by then. Money
    cannot arrive for a contract not yet signed, so a payment dated before the signing of all
    of them, or more than those signed by its date owe while later ones would take the rest,
    is bad data (a wrong date, most likely), refused."""
    signed = [c for c in owed if c["signed_on"] <= paid_on]
    later = [c for c in owed if c["signed_on"] > paid_on]
    if later and sum((c["outstanding"] for c in signed), Decimal(0)) < amount:
        raise BadData(_("a payment dated {paid} is before the contract was signed ({signed})").format(
            paid=paid_on.isoformat(), signed=min(c["signed_on"] for c in later).isoformat()))  # fmt: skip
    return signed


@dataclass(frozen=True)
class Paid:
    customer_id: int
    customer: str
    amount: Decimal
    paid_on: date
    parts: list[tuple[int, Decimal]]  # (contract_id, amount applied), in the order paid
    outstanding: Decimal  # what the customer still owes over all its contracts

    @property
    def collected(self) -> bool:
        """Every contract is paid in full: 回收账款 (collecting payment) is done."""
        return self.outstanding == 0


def pay(
    store: Store,
    customer: str,
    amount: Decimal | str,
    *,
    today: date,
    now: datetime,
    paid_on: date | None = None,
    contract_id: int | None = None,
) -> Paid:
    """Record money received from a customer (archived ones too) on `paid_on` (default today),
    for one contract or split over its open ones, oldest due first. More than is outstanding is
    refused (a mistake to show, not a credit to keep). `amount`: a Decimal, or text (50万)."""
    from kehu.book.funnel import pipeline_key_of
    from kehu.book.money import read_positive_money
    from kehu.domain.aging import allocate_payment
    from kehu.store import contracts, funnel
    from kehu.store.lookup import resolve_customer

    amount = read_positive_money(_("amount"), amount)  # the argument has no option name to quote
    paid_on = paid_on or today
    with store.write() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        contracts.lock_for_payment(connection, card["id"])  # before reading what is owed
        owed = contracts.contracts(connection, card["id"], open_only=True)
        if contract_id is not None:
            owed = [c for c in owed if c["id"] == contract_id]
        if not owed:
            raise KehuError(_("{name} has no contract with money outstanding").format(name=card["name"]))
        owed = _signed_by(owed, paid_on, amount)
        try:
            parts = allocate_payment([(c["id"], c["outstanding"], c["due_on"]) for c in owed], amount)
        except ValueError as error:
            raise KehuError(str(error)) from None
        contracts.add_payments(connection, card["id"], parts, paid_on, now)
        outstanding = contracts.outstanding_total(connection, card["id"])
        if outstanding == 0:
            state = funnel.funnel_state(connection, card["id"])
            funnel.move(connection, card["id"], pipeline=pipeline_key_of(connection, state),
                        from_stage=state["stage"], to_stage=state["stage"], event="collected", on=paid_on,
                        evidence=None, now=now)  # fmt: skip
    return Paid(card["id"], card["name"], amount, paid_on, parts, outstanding)
