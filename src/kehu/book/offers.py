"""Proposals (建议书) and quotes (报价) of a customer (呈现价值, seed 001 第四步), in versions.

A proposal with the title of an earlier one of the same customer is its next version (no title:
the title of the customer's latest proposal, else 建议书); quotes are numbered per customer. A
proposal or quote given a day it was sent is `sent` unless its status is said. The latest quote's
amount becomes the customer's expected value (预计成交额) unless told to keep it. `kehu proposal
add` and `kehu quote add` are batches of one of what `kehu import proposals|quotes` does: both go
through `_new_proposal` / `_new_quote` and `_apply`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehu.errors import MissingInput, NotFound, UsageError
from kehu.i18n import _, labelled

if TYPE_CHECKING:
    from kehu.book.plans import ImportPlan
    from kehu.io.csv_in import Sheet
    from kehu.store.db import Store
    from kehu.store.sql import Connection

# The title of a customer's first proposal when none is given: the seed's word for it.
DEFAULT_TITLE = "建议书"
TABLES = ("proposal", "quote")
# What `edit` may change, by key, and the option naming it in messages.
PROPOSAL_OPTIONS = {"title": "--title", "amount": "--amount", "sent_on": "--sent", "file": "--file",
                    "status": "--status", "notes": "--notes"}  # fmt: skip
QUOTE_OPTIONS = {"amount": "--amount", "discount": "--discount", "valid_until": "--valid-until",
                 "sent_on": "--sent", "status": "--status", "notes": "--notes"}  # fmt: skip
_OPTIONS = {"proposal": PROPOSAL_OPTIONS, "quote": QUOTE_OPTIONS}


class _BadValue(ValueError):
    """What is wrong with one value of a new row, and its key (the option or column to name)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


class _MissingFile(_BadValue):
    """A proposal's file that is not there: exit 66 from `add`, a bad row in an import."""


@dataclass(frozen=True)
class ValueMoved:
    """A customer's expected value set from its latest quote."""

    customer: str
    old: Decimal | None
    new: Decimal


@dataclass(frozen=True)
class OfferWritten:
    offer_id: int
    customer: str
    version: int
    status: str
    title: str | None = None  # a proposal's
    moved: ValueMoved | None = None  # a quote's: the expected value it set
    kept: Decimal | None = None  # a quote's amount that did not become the expected value (keep_value)


def quote_expired(quote: Mapping[str, Any], today: date) -> bool:
    """A quote still waiting for an answer (draft or sent) whose valid_until has passed."""
    until = quote.get("valid_until")
    return until is not None and until < today and quote.get("status") in ("draft", "sent")


# --- reading what a person typed -----------------------------------------------------------------


def _status(option: str, text: str | None) -> str | None:
    from kehu.book.words import word_code
    from kehu.domain.vocabulary import OFFER_STATUS

    return word_code(OFFER_STATUS, option, None if text is None or not text.strip() else text)


def _amount(option: str, value: Decimal | str | None) -> Decimal | None:
    from kehu.book.money import read_positive_money

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return read_positive_money(option, value)


def _discount(option: str, value: int | Decimal | str | None) -> int | None:
    from kehu.domain.values import parse_percent

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_percent(str(value))
    except ValueError as error:
        raise UsageError(labelled(option, error)) from None


def _text(option: str, text: str | None) -> str | None:
    from kehu.domain.values import parse_text

    text = (text or "").strip()
    try:
        return parse_text(text) or None
    except ValueError as error:
        raise UsageError(labelled(option, error)) from None


def _title(text: str | None) -> str | None:
    from kehu.domain.values import parse_name

    if text is None or not text.strip():
        return None
    try:
        return parse_name(text)  # one line, as a name: it groups the versions
    except ValueError as error:
        raise UsageError(labelled("--title", error)) from None


def _stored_file(path: str | None) -> str | None:
    """The proposal's file as an absolute path; _MissingFile when there is no such file."""
    if path is None or not path.strip():
        return None
    where = Path(path.strip()).expanduser()
    if not where.is_file():
        raise _MissingFile("file", _("no such file: {path}").format(path=path.strip()))
    return str(where.resolve())


# --- the rules: one new proposal, one new quote ---------------------------------------------------


@dataclass
class _Numbers:
    """The versions taken so far, by customer (and title), as a batch adds rows in turn."""

    proposals: dict[tuple[int, str], int] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)  # customer id → its latest proposal's title
    quotes: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, connection: Connection, customer_ids: list[int]) -> _Numbers:
        from kehu.store import offers as store

        return cls(store.proposal_versions(connection, customer_ids),
                   store.latest_titles(connection, customer_ids),
                   store.quote_versions(connection, customer_ids))  # fmt: skip


def _sent_and_status(values: Mapping[str, Any], today: date) -> tuple[date | None, str]:
    sent_on = values.get("sent_on")
    if sent_on is not None and sent_on > today:
        raise _BadValue("sent_on", _("cannot be sent in the future ({day})").format(day=sent_on.isoformat()))
    return sent_on, values.get("status") or ("sent" if sent_on is not None else "draft")


def _new_proposal(customer_id: int, values: Mapping[str, Any], numbers: _Numbers, *, today: date,
                  now: datetime) -> dict[str, Any]:  # fmt: skip
    """The proposal row to insert (its version the next of its title), from checked values;
    ValueError (_MissingFile for the file) says what is wrong."""
    amount = values.get("amount")
    if amount is not None and amount <= 0:
        raise _BadValue("amount", _("the amount must be more than zero"))
    sent_on, status = _sent_and_status(values, today)
    file = _stored_file(values.get("file"))
    title = values.get("title") or numbers.titles.get(customer_id) or DEFAULT_TITLE
    version = numbers.proposals.get((customer_id, title), 0) + 1
    numbers.proposals[(customer_id, title)] = version
    numbers.titles[customer_id] = title
    return {
        "customer_id": customer_id, "title": title, "version": version, "amount": amount, "sent_on": sent_on,
        "file": file, "status": status, "notes": values.get("notes"), "created_at": now, "updated_at": now,
    }  # fmt: skip


def _new_quote(customer_id: int, values: Mapping[str, Any], numbers: _Numbers, *, today: date,
               now: datetime) -> dict[str, Any]:  # fmt: skip
    """The quote row to insert (the customer's next version), from checked values; ValueError
    says what is wrong."""
    amount = values.get("amount")
    if amount is None or amount <= 0:
        raise _BadValue("amount", _("the amount must be more than zero"))
    sent_on, status = _sent_and_status(values, today)
    discount = values.get("discount")
    version = numbers.quotes.get(customer_id, 0) + 1
    numbers.quotes[customer_id] = version
    return {
        "customer_id": customer_id, "version": version, "amount": amount,
        "discount": None if discount is None else Decimal(discount), "valid_until": values.get("valid_until"),
        "sent_on": sent_on, "status": status, "notes": values.get("notes"), "created_at": now,
        "updated_at": now,
    }  # fmt: skip


def _apply(connection: Connection, table: str, rows: list[dict[str, Any]], *, keep_value: bool,
           now: datetime) -> tuple[int | None, list[ValueMoved]]:  # fmt: skip
    """Insert checked rows (one alone: its id is returned); the last quote of each customer sets
    its expected value (unless keep_value), and what moved is returned."""
    from kehu.store import offers as store

    new_id = None
    if len(rows) == 1:
        new_id = store.insert_offer(connection, table, rows[0])
    else:
        store.insert_offers(connection, table, rows)
    if table != "quote" or keep_value:
        return new_id, []
    return new_id, _move_values(connection, {row["customer_id"]: row["amount"] for row in rows}, now)


def _move_values(connection: Connection, amounts: Mapping[int, Decimal], now: datetime) -> list[ValueMoved]:
    from kehu.store import customers as customer_store

    moved = []
    cards = customer_store.cards_by_ids(connection, list(amounts))
    for customer_id, amount in amounts.items():
        card = cards[customer_id]
        if card["expected_value"] != amount:
            customer_store.update_card(connection, customer_id, {"expected_value": amount, "updated_at": now})
        moved.append(ValueMoved(card["name"], card["expected_value"], amount))
    return moved


# --- kehu proposal add, kehu quote add ------------------------------------------------------------


def add_proposal(
    store: Store,
    customer: str,
    *,
    today: date,
    now: datetime,
    title: str | None = None,
    amount: Decimal | str | None = None,
    sent_on: date | None = None,
    file: str | None = None,
    status: str | None = None,
    notes: str | None = None,
) -> OfferWritten:
    """Add a proposal to a customer: the next version of its title (no title: of the customer's
    latest proposal's, else 建议书). `file` must exist; it is kept as an absolute path."""
    values = {"title": _title(title), "amount": _amount("--amount", amount), "sent_on": sent_on, "file": file,
              "status": _status("--status", status), "notes": _text("--notes", notes)}  # fmt: skip
    return _add_one(store, "proposal", customer, values, today=today, now=now, keep_value=True)


def add_quote(
    store: Store,
    customer: str,
    amount: Decimal | str,
    *,
    today: date,
    now: datetime,
    valid_until: date | None = None,
    discount: int | str | None = None,
    sent_on: date | None = None,
    status: str | None = None,
    notes: str | None = None,
    keep_value: bool = False,
) -> OfferWritten:
    """Add a quote to a customer, its next version; its amount becomes the customer's expected
    value unless `keep_value`."""
    values = {"amount": _amount("--amount", amount), "discount": _discount("--discount", discount),
              "valid_until": valid_until, "sent_on": sent_on, "status": _status("--status", status),
              "notes": _text("--notes", notes)}  # fmt: skip
    if values["amount"] is None:
        raise UsageError(_("--amount: a quote needs an amount"))
    return _add_one(store, "quote", customer, values, today=today, now=now, keep_value=keep_value)


def _add_one(store: Store, table: str, customer: str, values: dict[str, Any], *, today: date, now: datetime,
             keep_value: bool) -> OfferWritten:  # fmt: skip
    from kehu.store.lookup import resolve_customer

    with store.write() as connection:
        card = resolve_customer(connection, customer)
        numbers = _Numbers.of(connection, [card["id"]])
        new = _new_proposal if table == "proposal" else _new_quote
        try:
            row = new(card["id"], values, numbers, today=today, now=now)
        except _MissingFile as error:
            raise MissingInput(labelled("--file", error)) from None
        except _BadValue as error:
            raise UsageError(labelled(_OPTIONS[table][error.key], error)) from None
        offer_id, moved = _apply(connection, table, [row], keep_value=keep_value, now=now)
        assert offer_id is not None
    return OfferWritten(offer_id, card["name"], row["version"], row["status"], row.get("title"),
                        moved[0] if moved else None,
                        row["amount"] if table == "quote" and keep_value else None)  # fmt: skip


# --- lists --------------------------------------------------------------------------------------


def offers(
    store: Store,
    table: str,
    customer: str | None = None,
    *,
    today: date,
    status: str | None = None,
    latest: bool = False,
) -> list[dict[str, Any]]:
    """Proposals or quotes (of one customer, archived ones too, or all), latest versions first
    (`latest`: only the latest version of each proposal title, of each customer's quotes); a quote
    has `expired` (quote_expired)."""
    from kehu.store import offers as offer_store
    from kehu.store.lookup import resolve_customer

    status = _status("--status", status)
    with store.read() as connection:
        customer_id = (
            resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
        )  # fmt: skip
        rows = list(offer_store.list_offers(connection, table, customer_id, status=status))
    if latest:
        seen: set[tuple[int, str | None]] = set()
        rows = [row for row in rows if _first((row["customer_id"], row.get("title")), seen)]
    if table == "quote":
        for row in rows:
            row["expired"] = quote_expired(row, today)
    return rows


def _first(key: tuple[int, str | None], seen: set[tuple[int, str | None]]) -> bool:
    if key in seen:
        return False
    seen.add(key)
    return True


# --- edit, status, remove ----------------------------------------------------------------------


def _offer_and_card(connection: Connection, table: str, offer_id: int) -> tuple[dict[str, Any], Any]:
    from kehu.store import offers as offer_store
    from kehu.store.customers import get_card

    offer = offer_store.get_offer(connection, table, offer_id)
    card = get_card(connection, offer["customer_id"]) if offer is not None else None
    if offer is None or card is None:  # in team mode another seller's is not found either
        what = _("no proposal {id}") if table == "proposal" else _("no quote {id}")
        raise NotFound(what.format(id=offer_id))
    return offer, card


def edit_offer(store: Store, table: str, offer_id: int, changes: Mapping[str, Any], *, today: date,
               now: datetime, keep_value: bool = False) -> OfferWritten:  # fmt: skip
    """Change a proposal or a quote (`changes` by PROPOSAL_OPTIONS / QUOTE_OPTIONS key: text as
    typed, an empty text clearing an optional field; days as dates). Its version stays. A new
    amount of a customer's latest quote becomes its expected value unless `keep_value`."""
    from kehu.store import offers as offer_store

    options = _OPTIONS[table]
    if not changes:
        raise UsageError(_("nothing to change; give at least one field option (see --help)"))
    row: dict[str, Any] = {}
    for key, value in changes.items():
        option = options[key]
        if key == "title":
            row[key] = _title(value)
            if row[key] is None:
                raise UsageError(_("{option}: cannot be empty").format(option=option))
        elif key == "amount":
            row[key] = _amount(option, value)
            if row[key] is None and table == "quote":
                raise UsageError(_("{option}: cannot be empty").format(option=option))
        elif key == "discount":
            discount = _discount(option, value)
            row[key] = None if discount is None else Decimal(discount)
        elif key == "status":
            row[key] = _status(option, value)
            if row[key] is None:
                raise UsageError(_("{option}: cannot be empty").format(option=option))
        elif key == "notes":
            row[key] = _text(option, value)
        elif key == "file":
            try:
                row[key] = _stored_file(value)
            except _MissingFile as error:
                raise MissingInput(labelled(option, error)) from None
        elif key == "sent_on":
            if value is not None and value > today:
                raise UsageError(labelled(option, _("cannot be sent in the future ({day})").format(
                    day=value.isoformat())))  # fmt: skip
            row[key] = value
        else:  # valid_until
            row[key] = value
    with store.write() as connection:
        offer, card = _offer_and_card(connection, table, offer_id)
        row["updated_at"] = now
        offer_store.update_offer(connection, table, offer_id, row)
        moved = None
        if table == "quote" and "amount" in row and not keep_value:
            latest = offer_store.latest_offer(connection, "quote", card["id"])
            if latest is not None and latest["id"] == offer_id:
                moved = _move_values(connection, {card["id"]: row["amount"]}, now)[0]
    return OfferWritten(offer_id, card["name"], offer["version"], row.get("status", offer["status"]),
                        row.get("title", offer.get("title")), moved)  # fmt: skip


def set_status(
    store: Store, table: str, offer_id: int, status: str, *, today: date, now: datetime
) -> OfferWritten:
    """Mark a proposal or quote draft, sent, accepted or rejected; one sent without a day it was
    sent was sent today."""
    from kehu.store import offers as offer_store

    code = _status("STATUS", status)
    if code is None:
        raise UsageError(_("STATUS: cannot be empty"))
    with store.write() as connection:
        offer, card = _offer_and_card(connection, table, offer_id)
        row: dict[str, Any] = {"status": code, "updated_at": now}
        if code != "draft" and offer["sent_on"] is None:
            row["sent_on"] = today
        offer_store.update_offer(connection, table, offer_id, row)
    return OfferWritten(offer_id, card["name"], offer["version"], code, offer.get("title"))


def remove_offer(store: Store, table: str, offer_id: int) -> OfferWritten:
    """Remove a proposal or quote added by mistake; the customer's expected value stays."""
    from kehu.store import offers as offer_store

    with store.write() as connection:
        offer, card = _offer_and_card(connection, table, offer_id)
        offer_store.delete_offer(connection, table, offer_id)
    return OfferWritten(offer_id, card["name"], offer["version"], offer["status"], offer.get("title"))


# --- kehu import proposals|quotes ---------------------------------------------------------------


def _write(table: str, connection: Connection, sheet: Sheet, *, today: date, now: datetime, write: bool,
           progress: Callable[[int], None] | None = None) -> ImportPlan:  # fmt: skip
    from kehu.book.cards import Refused
    from kehu.book.needs import resolved_rows, row_error
    from kehu.book.plans import ImportPlan

    parsed = sheet.read_all(progress)
    plan = ImportPlan(errors=list(parsed.errors))
    rows = list(resolved_rows(connection, parsed, plan, "amount" if table == "quote" else None))
    numbers = _Numbers.of(connection, sorted({customer_id for _line, customer_id, _c, _v in rows}))
    new = _new_proposal if table == "proposal" else _new_quote
    for line, customer_id, _contact, values in rows:
        try:
            plan.inserts.append(new(customer_id, values, numbers, today=today, now=now))
        except _BadValue as error:
            row_error(plan, line, parsed.column(error.key), str(error))
    if plan.errors:
        raise Refused(plan.errors)
    if write:
        _apply(connection, table, plan.inserts, keep_value=False, now=now)
    return plan


def write_proposals(connection: Connection, sheet: Sheet, *, today: date, now: datetime, write: bool = True,
                    progress: Callable[[int], None] | None = None, **_unused: Any) -> ImportPlan:  # fmt: skip
    """Add a sheet of proposals, each as `kehu proposal add` would (versions included)."""
    return _write("proposal", connection, sheet, today=today, now=now, write=write, progress=progress)


def write_quotes(connection: Connection, sheet: Sheet, *, today: date, now: datetime, write: bool = True,
                 progress: Callable[[int], None] | None = None, **_unused: Any) -> ImportPlan:  # fmt: skip
    """Add a sheet of quotes, each as `kehu quote add` would: versions, and each customer's last
    quote setting its expected value."""
    return _write("quote", connection, sheet, today=today, now=now, write=write, progress=progress)
