"""`kehu import instalments`: the payment schedules of contracts already in the book, read back
from `kehu export instalments` (or written by hand: a number, an amount and when, each row).

The rows of one contract (found by its number) are its whole schedule, in `seq` order (file
order without it), and replace the one it has: they must add up to the contract's amount to the
fen. Each is due as `kehu contract add --schedule` makes it (domain.schedule.plan): on the
signing day plus its days, on its own day, or, tied to delivery or acceptance, undated until
that happened: dated from the contract's delivery or acceptance when the book has it, as `kehu
deliver`/`accept` date it. The file's due day of such a row is read past: the book's event
decides. The payments already recorded on the contract go to the new instalments oldest due
first, each payment as `kehu pay` splits it (domain.aging.allocate_payment), one row per
instalment. A contract whose schedule is the file's already is left as it is (unchanged).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from itertools import groupby
from typing import TYPE_CHECKING, Any

from kehu.book.needs import row_error as _error  # a RowError added to the plan
from kehu.domain.schedule import schedule_gap
from kehu.i18n import _

if TYPE_CHECKING:
    from kehu.book.plans import ImportPlan
    from kehu.domain.schedule import Part, Planned
    from kehu.io.csv_in import ParsedFile, ParsedRow, Sheet
    from kehu.store.sql import Connection, Row

# What tells two schedules apart (a Planned's fields, an instalment row's columns).
_SCHEDULE_KEYS = ("seq", "amount", "label", "event", "days", "due_on")


def write_schedules(
    connection: Connection,
    sheet: Sheet,
    *,
    today: date,
    now: datetime,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    **_unused: Any,  # a row always names a contract the book holds; no owner
) -> ImportPlan:
    """Check a sheet of instalments against the book's contracts and give each contract named
    its schedule (see the module's docstring); refused, nothing written, on any bad row."""
    from kehu.book.cards import Refused
    from kehu.book.plans import ImportPlan
    from kehu.store import schedules

    parsed = sheet.read_all(progress)
    plan = ImportPlan(errors=list(parsed.errors))
    rows_of: dict[str, list[ParsedRow]] = {}
    for row in parsed.rows:
        if row.values.get("number") and row.values.get("amount") is not None:  # else reported already
            rows_of.setdefault(row.values["number"], []).append(row)
    found = schedules.contracts_by_number(connection, rows_of)
    for number, rows in rows_of.items():
        contract = found.get(number)
        if contract is None:
            for row in rows:
                _error(plan, row.line, parsed.column("number"), _("no contract numbered {number!r}").format(
                    number=number))  # fmt: skip
            continue
        planned = _schedule(contract, rows, parsed, plan, today)
        if planned is None:
            continue
        if _same(planned, _current(connection, contract["id"])):
            plan.unchanged += 1
        else:
            plan.updates.append((contract["id"], {"contract": contract, "planned": planned}))
    if plan.errors:
        raise Refused(plan.errors)
    if write:
        for _id, change in plan.updates:
            _replace(connection, change["contract"], change["planned"], now)
    return plan


def _schedule(
    contract: Row, rows: list[ParsedRow], parsed: ParsedFile, plan: ImportPlan, today: date
) -> list[Planned] | None:
    """The contract's new instalments from its rows; None when a row is bad (its errors in `plan`)."""
    from kehu.domain import schedule
    from kehu.domain.names import name_key

    parts, seqs, bad = [], set(), False
    for row in sorted(rows, key=lambda r: (r.values.get("seq") is None, r.values.get("seq") or 0, r.line)):
        values = row.values
        customer, seq = values.get("customer"), values.get("seq")
        reason = column = None
        if customer and name_key(customer) != name_key(contract["customer"]):
            column, reason = "customer", _("contract {number} is {owner}'s, not {name}'s").format(
                number=contract["number"], owner=contract["customer"], name=customer)  # fmt: skip
        elif seq is not None and seq in seqs:
            column, reason = "seq", _("a second instalment {seq} of contract {id}").format(
                seq=seq, id=contract["number"])  # fmt: skip
        else:
            try:
                parts.append(_part(values, today))
            except _BadRow as wrong:
                column, reason = wrong.key, str(wrong)
        if reason is not None:
            _error(plan, row.line, parsed.column(column), reason)
            bad = True
        seqs.add(seq)
    if bad:
        return None
    first = rows[0].line
    added = sum((part.amount for part in parts), Decimal("0.00"))
    gap = schedule_gap(contract["number"], added, contract["amount"])
    if gap is not None:
        _error(plan, first, parsed.column("amount"), gap)
        return None
    try:
        planned = schedule.plan(parts, contract["amount"], contract["signed_on"])
    except ValueError as error:
        _error(plan, first, "", _about(contract, error))
        return None
    happened = {"delivery": contract["delivered_on"], "acceptance": contract["accepted_on"]}
    return [_dated(part, happened) for part in planned]


def _about(contract: Row, error: object) -> str:
    return _("contract {number}: {error}").format(number=contract["number"], error=error)


class _BadRow(ValueError):
    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key


def _part(values: dict[str, Any], today: date) -> Part:
    """One row as a schedule's part (domain.schedule.Part): tied to its event (and days after
    it), due on its day, or else when its label says (签约, 验收后30天, 2027-03-31)."""
    from kehu.domain.schedule import Part, read_when

    label, event, days, due_on = values.get("label"), values.get("event"), values.get("days"), None
    if days is not None and event is None:
        raise _BadRow("days", _("days after no event"))
    if event is None:
        due_on = values.get("due_on")
        if due_on is None and label:
            try:
                event, days, due_on = read_when(label, today)
            except ValueError as error:
                raise _BadRow("label", str(error)) from None
        if due_on is None and event is None:
            raise _BadRow(
                "due_on", _("say when it is due: an event (signing, delivery, acceptance) or a day")
            )
    if event is not None and days is None:
        days = 0  # on the event's day, as `签约` in a schedule (domain.schedule.read_when)
    return Part(label or "", amount=values["amount"], event=event, days=days, due_on=due_on)


def _dated(part: Planned, happened: dict[str, date | None]) -> Planned:
    """An instalment as the book holds it: no label when the file gave none (a contract without a
    schedule), dated from its event if the contract's delivery or acceptance happened already."""
    from kehu.domain.schedule import due_after

    day = happened.get(part.event or "")
    return replace(part, label=part.label or None, due_on=due_after(day, part.days) if day else part.due_on)


def _current(connection: Connection, contract_id: int) -> list[Row]:
    from kehu.store import contracts

    return sorted(contracts.instalments(connection, contract_ids=[contract_id]), key=lambda row: row["seq"])


def _same(planned: list[Planned], current: list[Row]) -> bool:
    new = [tuple(getattr(part, key) for key in _SCHEDULE_KEYS) for part in planned]
    return new == [tuple(row[key] for key in _SCHEDULE_KEYS) for row in current]


def _replace(connection: Connection, contract: Row, planned: list[Planned], now: datetime) -> None:
    """Write the contract's new instalments and its payments again over them, oldest due first."""
    from kehu.book.contracts import contract_due
    from kehu.store import contracts, schedules

    contracts.lock_for_payment(connection, contract["customer_id"])  # as kehu pay does, before reading
    paid = schedules.payments_of(connection, contract["id"])
    schedules.clear_schedule(connection, contract["id"])
    contracts.add_instalments(connection, contract["customer_id"], contract["id"], planned, now)
    owing = {row["id"]: [row["amount"], row["due_on"]] for row in contracts.instalments(
        connection, contract_ids=[contract["id"]])}  # fmt: skip
    schedules.insert_payments(connection, _reallocated(contract, paid, owing))
    due_on = contract_due(contract["signed_on"], [part.due_on for part in planned])
    contracts.set_contract_due(connection, contract["id"], due_on)


def _reallocated(contract: Row, paid: list[Row], owing: dict[int, list]) -> list[dict[str, Any]]:
    """The payment rows over the new instalments (`owing`: id → [outstanding, due day]): each
    payment (its rows, one a settled instalment, share a day, a moment and notes) split as
    `kehu pay` splits one, in the order they came."""
    from kehu.domain.aging import allocate_payment
    from kehu.errors import BadData

    rows = []
    one_payment = lambda row: (row["paid_on"], row["created_at"], row["notes"])  # noqa: E731
    for (paid_on, created_at, notes), parts in groupby(paid, key=one_payment):
        amount = sum((part["amount"] for part in parts), Decimal("0.00"))
        try:
            applied = allocate_payment([(i, left, due) for i, (left, due) in owing.items()], amount)
        except ValueError as error:  # more paid than the contract's amount: a book kehu did not write
            raise BadData(_about(contract, error)) from None
        for instalment_id, part in applied:
            owing[instalment_id][0] -= part
            rows.append({"customer_id": contract["customer_id"], "contract_id": contract["id"],
                         "instalment_id": instalment_id, "amount": part, "paid_on": paid_on, "notes": notes,
                         "created_at": created_at})  # fmt: skip
    return rows
