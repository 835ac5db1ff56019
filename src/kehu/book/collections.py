"""Collecting money (催款, seed 001 回收账款): the book's collection ladder, the actions taken and
the promises they got.

`kehu collect` records an action (method, the document it sends, the result, a promise to pay on
a day) and, in the same transaction, the touch it is: talking money with a customer is talking to
it, so the customer's last touch moves as `kehu log` moves it (book.touches.log_in, the one touch
rule; a call and a visit by their channel, the finance and legal routes' letters as `other`). A
promise's status is computed on reading, never stored stale: kept once the customer's payments
on or after the action's day reach the amount, broken once its day is past without, open till
then (domain.collection.promise_status); the column keeps `open`, what was known when recorded.

`kehu import collections` adds each row as `kehu collect` records it (`checked_action` and
`action_row`, the one rule of both) but logs no touch: the touch a collection was is in the
follow-up log already, which travels by `kehu export|import touches`; an import that logged it
again would double every such touch of a book moved by its exports (needs and complaints are
imported as records alone too).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kehu.errors import NotFound, UsageError
from kehu.i18n import _, labelled

if TYPE_CHECKING:
    from kehu.book.plans import ImportPlan
    from kehu.domain.collection import Ladder
    from kehu.io.csv_in import Sheet
    from kehu.store.db import Store
    from kehu.store.followups import Shift
    from kehu.store.sql import Connection

# The touch channel of each method: a call and a visit are theirs; a letter's way is not known.
TOUCH_CHANNEL = {"phone": "phone", "finance": "other", "visit": "visit", "legal": "other"}

def ladder() -> Ladder:
    """The book's collection ladder: the config file's [collection] table, else kehu's default."""
    from kehu.config import load_settings
    from kehu.domain.collection import ladder_from_config

    return ladder_from_config(load_settings().get("collection"))


@dataclass(frozen=True)
class Collected:
    action_id: int
    customer_id: int
    customer: str
    method: str
    document: str | None
    promised_on: date | None
    promised_amount: Decimal | None


class BadAction(ValueError):
    """What is wrong with a collection action, and the field (COLLECTION_FIELDS' key) it is in."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key


def checked_action(values: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """A collection action's values as kehu stores them, from checked codes, dates, text and
    amounts (`method`, `document`, `happened_on`, `result`, `promised_on`, `promised_amount`):
    the document defaults to the method's, the day to today. BadAction says what is wrong: the
    one rule of `kehu collect` and `kehu import collections`."""
    from kehu.domain.collection import DOCUMENT_OF
    from kehu.domain.values import parse_text

    method = values["method"]
    happened_on = values.get("happened_on") or today
    if happened_on > today:
        raise BadAction("happened_on", _("a collection action cannot be in the future"))
    result = (values.get("result") or "").strip()
    if not result:
        raise BadAction("result", _("say what came of it"))
    try:
        result = parse_text(result)
    except ValueError as error:
        raise BadAction("result", str(error)) from None
    promised_on, promised_amount = values.get("promised_on"), values.get("promised_amount")
    if (promised_on is None) != (promised_amount is None):
        missing = "promised_amount" if promised_amount is None else "promised_on"
        raise BadAction(missing, _("a promise has a day and an amount, or neither"))
    if promised_on is not None and promised_on < happened_on:
        raise BadAction("promised_on", _("the day promised is before the action itself"))
    if promised_amount is not None and promised_amount <= 0:
        raise BadAction("promised_amount", _("the amount must be more than zero"))
    return {"method": method, "document": values.get("document") or DOCUMENT_OF[method],
            "happened_on": happened_on, "result": result, "promised_on": promised_on,
            "promised_amount": promised_amount}  # fmt: skip


def action_row(customer_id: int, contract_id: int | None, action: Mapping[str, Any], now: datetime) -> dict:
    """The collection_action row of a checked action (checked_action): a promise is open when
    recorded; kehu computes whether it was kept on reading."""
    return {**action, "customer_id": customer_id, "contract_id": contract_id,
            "promise_status": "open" if action["promised_on"] else None, "created_at": now,
            "updated_at": now}  # fmt: skip


# The option of `kehu collect` each field of an action comes from, to name it in an error.
_OPTION_OF = {"happened_on": "--on", "result": "--result", "promised_on": "--promise",
              "promised_amount": "--promise", "document": "--document"}  # fmt: skip


def collect(
    store: Store,
    customer: str,
    method: str,
    result: str,
    *,
    today: date,
    now: datetime,
    shift: Shift = None,
    happened_on: date | None = None,
    contract: str | None = None,
    document: str | None = None,
    promised_on: date | None = None,
    promised_amount: Decimal | str | None = None,
) -> Collected:
    """Record a collection action with a customer (a method's code or word: 电话, finance …), its
    result and any promise, and the touch it is; the document defaults to the method's."""
    from kehu.book.money import read_money
    from kehu.book.touches import log_in
    from kehu.book.words import word_code
    from kehu.domain.vocabulary import COLLECTION_DOCUMENT, COLLECTION_METHOD
    from kehu.store import collections as store_collections

    code = word_code(COLLECTION_METHOD, "method", method)
    assert code is not None
    if promised_amount is not None:
        promised_amount = read_money("--promise", promised_amount)
    values = {"method": code, "document": word_code(COLLECTION_DOCUMENT, "--document", document or None),
              "happened_on": happened_on, "result": result, "promised_on": promised_on,
              "promised_amount": promised_amount}  # fmt: skip
    try:
        action = checked_action(values, today=today)
    except BadAction as bad:
        raise UsageError(labelled(_OPTION_OF[bad.key], bad)) from None
    with store.write() as connection:
        logged = log_in(connection, customer, action["result"], today=today, now=now, shift=shift,
                        happened_on=action["happened_on"], channel=TOUCH_CHANNEL[code])  # fmt: skip
        contract_id = _contract_of(connection, logged.customer_id, contract) if contract else None
        row = action_row(logged.customer_id, contract_id, action, now)
        action_id = store_collections.insert_action(connection, row)
    return Collected(action_id, logged.customer_id, logged.customer, code, row["document"],
                     row["promised_on"], row["promised_amount"])  # fmt: skip


def _contract_of(connection: Connection, customer_id: int, reference: str) -> int:
    """A contract of the customer named by its number or id; NotFound otherwise."""
    from kehu.store.contracts import customer_contract

    found = customer_contract(connection, customer_id, reference)
    if found is None:
        raise NotFound(_("--contract: the customer has no contract {ref!r}").format(ref=reference))
    return found


def list_collections(connection: Connection, customer: str | None, today: date) -> list[dict[str, Any]]:
    """The actions of one customer (any reference to it), or of every customer the user sees,
    oldest first, each promise's status as of `today`."""
    from kehu.store import collections as store_collections
    from kehu.store.lookup import resolve_customer

    customer_id = resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
    return [with_status(row, today) for row in store_collections.list_actions(connection, customer_id)]


def with_status(row: Any, today: date) -> dict[str, Any]:
    """A stored action as a record, its promise's status computed as of `today`."""
    from kehu.domain.collection import promise_status

    record = dict(row)
    record["promise_status"] = promise_status(row["promised_on"], row["promised_amount"], row["paid_since"],
                                              today)  # fmt: skip
    return record


# --- kehu import collections ---------------------------------------------------------------------


def write_collections(
    connection: Connection,
    sheet: Sheet,
    *,
    today: date,
    now: datetime,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    **_unused: Any,  # every row is a new action: no conflicts, no owner
) -> ImportPlan:
    """Check a sheet of collection actions against the book (the customer by exact name, the
    contract by its number among the customer's) and add them in file order, each as `kehu
    collect` records it, without the touch (see the module's docstring); refused on any bad row."""
    from kehu.book.cards import Refused
    from kehu.book.needs import resolved_rows, row_error
    from kehu.book.plans import ImportPlan
    from kehu.store import collections as store_collections
    from kehu.store.contracts import customer_contract

    parsed = sheet.read_all(progress)
    plan = ImportPlan(errors=list(parsed.errors))
    for line, customer_id, _contact, values in resolved_rows(connection, parsed, plan, "result"):
        if values.get("method") is None:
            continue  # a required cell, empty or unreadable: reported already
        try:
            action = checked_action(values, today=today)
        except BadAction as bad:
            row_error(plan, line, parsed.column(bad.key), str(bad))
            continue
        contract_id = None
        if values.get("contract"):
            contract_id = customer_contract(connection, customer_id, values["contract"])
            if contract_id is None:
                reason = _("{customer!r} has no contract {ref!r}").format(
                    customer=values["customer"], ref=values["contract"]
                )
                row_error(plan, line, parsed.column("contract"), reason)
                continue
        plan.inserts.append(action_row(customer_id, contract_id, action, now))
    if plan.errors:
        raise Refused(plan.errors)
    if write:
        store_collections.insert_actions(connection, plan.inserts)
    return plan
