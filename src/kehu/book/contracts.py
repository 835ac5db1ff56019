"""Contracts and money (合同, 回款): add a signed contract, list what is owed, record a payment.

A payment is split over the customer's open contracts, oldest due first (domain.aging
.allocate_payment), and can never be more than what is outstanding, however many payments
arrive at once (issue 12: store.contracts.lock_for_payment). The payment that settles the last
contract records the funnel event `collected`: 回收账款 is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kehu.errors import BadData, Conflict, KehuError, UsageError
from kehu.i18n import _

if TYPE_CHECKING:
    from kehu.domain.collection import Ladder
    from kehu.domain.stages import Stage
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
    instalments: tuple = ()  # domain.schedule.Planned, in order
    # What the caller should say beside it: the customer now owes more than its credit limit
    # (book.credit.over_limit_warning). The contract stands all the same.
    warnings: tuple[str, ...] = ()


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
    schedule: str | None = None,
    instalments: list[str] | None = None,
) -> Signed:
    """Record a signed contract of `amount` (a Decimal, or text: 118万) signed today unless
    `signed_on`, due on `due_on` or after payment `terms` (30天, net 45, 货到付款: one of the
    two), or paid in instalments: a `schedule` ("30% 签约, 60% 验收后30天, 10% 质保1年") or
    `instalments` (each "amount or percentage, when": "30% 签约"), see domain.schedule. Its number, if
    given, must be new to the book. A customer it takes over its credit limit is recorded all the
    same, with the warning in the result's `warnings`."""
    from kehu.book.credit import over_limit_warning
    from kehu.book.money import read_positive_money
    from kehu.domain.aging import parse_terms
    from kehu.store import contracts
    from kehu.store.lookup import resolve_customer

    amount = read_positive_money("--amount", amount)
    signed_on = signed_on or today
    terms_days = None
    if schedule is not None or instalments:
        if due_on is not None or terms is not None:
            raise UsageError(_("give a schedule (--schedule, --instalment) or --due/--terms, not both"))
        planned = _planned(amount, signed_on, today, schedule, instalments or [])
        due_on = contract_due(signed_on, [p.due_on for p in planned])
    else:
        if (due_on is None) == (terms is None):
            raise UsageError(_("give either --due or --terms"))
        if terms is not None:
            try:
                terms_days = parse_terms(terms)
            except ValueError as error:
                raise UsageError(f"--terms: {error}") from None
            due_on = signed_on + timedelta(days=terms_days)
        assert due_on is not None
        if due_on < signed_on:
            raise UsageError(_("--due is before the signing date"))
        planned = _planned_once(amount, due_on)
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        if number and contracts.number_taken(connection, number):
            raise Conflict(_("contract number {number} is already used").format(number=number))
        contract_id = contracts.add_contract(connection, {
            "customer_id": card["id"], "number": number, "amount": amount, "currency": card["currency"],
            "signed_on": signed_on, "due_on": due_on, "terms_days": terms_days, "created_at": now,
        })  # fmt: skip
        contracts.add_instalments(connection, card["id"], contract_id, planned, now)
        early = _early_in_funnel(connection, card["id"])
        over_limit = over_limit_warning(connection, card["id"], amount)
    return Signed(contract_id, card["id"], card["name"], amount, signed_on, due_on, early, tuple(planned),
                  warnings=(over_limit,) if over_limit else ())  # fmt: skip


def _planned(
    amount: Decimal, signed_on: date, today: date, schedule: str | None, parts: list[str]
) -> list:
    """The instalments a schedule (or --instalment pairs, not both) gives; a usage error naming
    the option otherwise."""
    from kehu.domain import schedule as schedules

    if schedule is not None and parts:
        raise UsageError(_("give --schedule or --instalment, not both"))
    option = "--schedule" if schedule is not None else "--instalment"
    try:
        if schedule is not None:
            written = schedules.read_schedule(schedule, today)
        else:
            written = [schedules.read_instalment(part, today) for part in parts]
        return schedules.plan(written, amount, signed_on)
    except ValueError as error:
        raise UsageError(f"{option}: {error}") from None


def _planned_once(amount: Decimal, due_on: date) -> list:
    """A contract without a schedule: one instalment of its whole amount, due on its due day."""
    from kehu.domain.schedule import Planned

    return [Planned(1, amount, None, None, None, due_on)]


def contract_due(signed_on: date, days: list[date | None]) -> date:
    """A contract's own due day (contract.due_on) when paid in instalments: the last day one of
    them is due on so far (the signing day while none is dated): the day all its dated money
    should be in."""
    return max((day for day in days if day is not None), default=signed_on)


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
    nothing is outstanding, or nothing overdue), which `kehu contract list` labels for people.
    A contract in instalments is as due as its oldest open instalment: `due_on` is that one's
    day (None while the open ones wait for delivery or acceptance), its age that one's."""
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        customer_id = (
            resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
        )  # fmt: skip
        return contract_rows(connection, customer_id, today=today, open_only=open_only)


def contract_rows(
    connection: Connection, customer_id: int | None, *, today: date, open_only: bool = False
) -> list[dict[str, Any]]:
    """contract_list's rows in the caller's transaction (the card's contracts too), each with its
    `instalments` (aged), `days_overdue` (its oldest open instalment's) and `overdue` (what its
    overdue instalments still owe)."""
    from kehu.domain.aging import days_overdue
    from kehu.store import contracts

    rows = [dict(row) for row in contracts.contracts(connection, customer_id, open_only=open_only)]
    parts = _instalments_of(connection, rows, today)
    for row in rows:
        row["bucket"] = row["step"] = None
        row["days_overdue"], row["overdue"] = 0, Decimal("0.00")
        row["instalments"] = parts.get(row["id"], [])
        owing = [part for part in row["instalments"] if part["outstanding"] > 0]
        if row["outstanding"] > 0 and owing:  # dated ones first: the first is the oldest due
            oldest = owing[0]
            row["due_on"], row["bucket"], row["step"] = oldest["due_on"], oldest["bucket"], oldest["step"]
            row["days_overdue"] = days_overdue(owing[0]["due_on"], today)
            late = [part["outstanding"] for part in owing if days_overdue(part["due_on"], today) > 0]
            row["overdue"] = sum(late, Decimal("0.00"))
    rows.sort(key=lambda row: (row["due_on"] is None, row["due_on"] or date.min, row["id"]))
    return rows


def _instalments_of(connection: Connection, rows: list[dict], today: date) -> dict[int, list[dict]]:
    """contract id → its instalments (aged as contract_list says), for these contracts."""
    from kehu.book.collections import ladder
    from kehu.store import contracts

    found: dict[int, list[dict]] = {}
    if not rows:
        return found
    steps = ladder()
    for part in contracts.instalments(connection, contract_ids=[row["id"] for row in rows]):
        found.setdefault(part["contract_id"], []).append(_aged(dict(part), today, steps))
    return found


def _aged(part: dict[str, Any], today: date, steps: Ladder) -> dict[str, Any]:
    """An instalment with its age `bucket` and collection `step` (keys; None when paid or not
    overdue: an undated one is not due)."""
    from kehu.domain.aging import bucket, collection_step, days_overdue

    part["bucket"] = part["step"] = None
    if part["outstanding"] > 0:
        # The step by what this instalment owes and its age, on the book's ladder (`steps`), as
        # kehu followups and report ar judge the same money.
        step = collection_step(days_overdue(part["due_on"], today), part["outstanding"], steps)
        part["bucket"] = bucket(part["due_on"], today)
        part["step"] = step.key if step else None
    return part


def instalment_list(
    store: Store,
    customer: str | None = None,
    *,
    today: date,
    contract: str | None = None,
    open_only: bool = False,
) -> list[dict[str, Any]]:
    """Instalments (of one contract: its number or id; of one customer; or all) with amount,
    due day, paid, outstanding, age and collection step; dated ones by due day, undated last."""
    from kehu.book.collections import ladder
    from kehu.store import contracts
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        contract_ids = None
        if contract is not None:
            contract_ids = [_contract_id(connection, contract)]
        customer_id = (
            resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
        )  # fmt: skip
        rows = contracts.instalments(connection, customer_id=customer_id, contract_ids=contract_ids,
                                     open_only=open_only)  # fmt: skip
        steps = ladder()
        return [_aged(dict(row), today, steps) for row in rows]


def _contract_id(connection: Connection, text: str) -> int:
    """The contract a person names: its number, its id, or (`customer`) a customer's one open
    contract."""
    from kehu.errors import NotFound
    from kehu.store import contracts
    from kehu.store.lookup import resolve_customer

    found = contracts.find_contract(connection, text)
    if found is not None:
        return found
    try:
        card = resolve_customer(connection, text, include_archived=True)
    except NotFound:
        message = _("no contract {text} (a contract number, an id or a customer)")
        raise NotFound(message.format(text=text)) from None
    open_ones = contracts.contracts(connection, card["id"], open_only=True)
    if len(open_ones) != 1:
        message = _("{name} has {count} open contracts: give the contract's number or id")
        raise UsageError(message.format(name=card["name"], count=len(open_ones)))
    return open_ones[0]["id"]


@dataclass(frozen=True)
class Event:
    contract_id: int
    number: str | None
    customer: str
    event: str  # delivery | acceptance
    day: date
    dated: list[tuple[int, Decimal, date]]  # (seq, amount, due_on) of the instalments it dated
    delivery_assumed: bool = False  # accepted before any delivery was recorded: delivered that day


def record_event(
    store: Store,
    contract: str,
    event: str,
    *,
    today: date,
    day: date | None = None,
    note: str | None = None,
) -> Event:
    """Record a contract's delivery (交货, with a note) or acceptance (验收) on `day` (default
    today); the instalments tied to it get their due days (the day plus their days). A contract
    accepted without a recorded delivery is taken as delivered the same day (what is accepted
    was delivered), and its delivery instalments are dated too. Recording it again moves the
    day (a correction); a day before the signing, or an acceptance before the delivery, is bad
    data."""
    from kehu.domain.schedule import due_after
    from kehu.store import contracts

    day = day or today
    with store.write() as connection:
        contract_id = _contract_id(connection, contract)
        row = contracts.contract(connection, contract_id)
        if day < row["signed_on"]:
            raise BadData(_("{day} is before the contract was signed ({signed})").format(
                day=day.isoformat(), signed=row["signed_on"].isoformat()))  # fmt: skip
        events, assumed = [event], False
        if event == "acceptance":
            if row["delivered_on"] is None:
                events, assumed = ["delivery", "acceptance"], True
            elif day < row["delivered_on"]:
                raise BadData(_("{day} is before the delivery ({delivered})").format(
                    day=day.isoformat(), delivered=row["delivered_on"].isoformat()))  # fmt: skip
        elif row["accepted_on"] is not None and day > row["accepted_on"]:
            raise BadData(_("{day} is after the acceptance ({accepted})").format(
                day=day.isoformat(), accepted=row["accepted_on"].isoformat()))  # fmt: skip
        dated = []
        for happened in events:
            contracts.record_event(connection, contract_id, happened, day, note)
        parts = contracts.instalments(connection, contract_ids=[contract_id])
        for part in parts:
            if part["event"] in events:
                due_on = due_after(day, part["days"])
                contracts.set_instalment_due(connection, part["id"], due_on)
                dated.append((part["seq"], part["amount"], due_on))
        due_days = [d for _s, _a, d in dated] + [p["due_on"] for p in parts if p["event"] not in events]
        contracts.set_contract_due(connection, contract_id, contract_due(row["signed_on"], due_days))
    return Event(contract_id, row["number"], row["customer"], event, day, dated, assumed)


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
    instalments: list[tuple[int, int, Decimal]] = field(default_factory=list)  # (contract, seq, amount)
    moved_to: Stage | None = None  # the after-sale stage (维护) the last payment moved a won customer to

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
    for one contract or split over its open ones' instalments, oldest due first (undated ones,
    waiting for delivery or acceptance, last: paid in advance), one payment row per instalment.
    More than is outstanding is refused (a mistake to show, not a credit to keep). `amount`: a
    Decimal, or text (50万)."""
    from kehu.book.funnel import collected
    from kehu.book.money import read_positive_money
    from kehu.domain.aging import allocate_payment
    from kehu.store import contracts
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
                raise KehuError(_("{name} has no contract {contract} with money outstanding").format(
                    name=card["name"], contract=contract_id))  # fmt: skip
        if not owed:
            raise KehuError(_("{name} has no contract with money outstanding").format(name=card["name"]))
        owed = _signed_by(owed, paid_on, amount)
        # The instalments of those contracts, oldest due first (domain.aging.allocate_payment).
        owing = contracts.instalments(connection, contract_ids=[c["id"] for c in owed], open_only=True)
        try:
            applied = allocate_payment([(i["id"], i["outstanding"], i["due_on"]) for i in owing], amount)
        except ValueError as error:
            raise KehuError(str(error)) from None
        of = {i["id"]: i for i in owing}
        rows = [(of[instalment]["contract_id"], instalment, part) for instalment, part in applied]
        contracts.add_payments(connection, card["id"], rows, paid_on, now)
        outstanding = contracts.outstanding_total(connection, card["id"])
        moved_to = None
        if outstanding == 0:  # 回收账款 done: a won customer moves on to 维护
            moved_to = collected(connection, card["id"], paid_on=paid_on, now=now)
    parts: dict[int, Decimal] = {}
    for contract, _instalment, part in rows:
        parts[contract] = parts.get(contract, Decimal(0)) + part
    settled = [(of[i]["contract_id"], of[i]["seq"], part) for i, part in applied]
    return Paid(card["id"], card["name"], amount, paid_on, list(parts.items()), outstanding, settled,
                moved_to)  # fmt: skip
