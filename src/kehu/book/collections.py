"""Collecting money (催款, seed 001 回收账款): the book's collection ladder, the actions taken and
the promises they got.

`kehu collect` records an action (method, the document it sends, the result, a promise to pay on
a day) and, in the same transaction, the touch it is: talking money with a customer is talking to
it, so the customer's last touch moves as `kehu log` moves it (book.touches.log_in, the one touch
rule; a call and a visit by their channel, the finance and legal routes' letters as `other`). A
promise's status is computed on reading, never stored stale: kept once the customer's payments
on or after the action's day reach the amount, broken once its day is past without, open till
then (domain.collection.promise_status); the column keeps `open`, what was known when recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kehu.errors import NotFound, UsageError
from kehu.i18n import _

if TYPE_CHECKING:
    from kehu.domain.collection import Ladder
    from kehu.store.db import Store
    from kehu.store.followups import Shift
    from kehu.store.sql import Connection

# The touch channel of each method: a call and a visit are theirs; a letter's way is not known.
TOUCH_CHANNEL = {"phone": "phone", "finance": "other", "visit": "visit", "legal": "other"}
_CONTRACT_OF_CUSTOMER = (
    "SELECT id, number FROM contract WHERE customer_id = :customer_id AND (number = :ref OR id = :id)"
    " ORDER BY number = :ref DESC, id"
)


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
    from kehu.book.money import read_positive_money
    from kehu.book.touches import _checked_text, log_in
    from kehu.book.words import word_code
    from kehu.domain.collection import DOCUMENT_OF
    from kehu.domain.vocabulary import COLLECTION_DOCUMENT, COLLECTION_METHOD
    from kehu.store import collections as store_collections

    code = word_code(COLLECTION_METHOD, "method", method)
    assert code is not None
    document_code = word_code(COLLECTION_DOCUMENT, "--document", document) if document else DOCUMENT_OF[code]
    happened_on = happened_on or today
    if happened_on > today:
        raise UsageError(_("--on: a collection action cannot be in the future"))
    if not result.strip():
        raise UsageError(_("--result: say what came of it"))
    result = _checked_text("--result", result.strip())
    if promised_on is not None and promised_on < happened_on:
        raise UsageError(_("--promise: the day promised is before the action itself"))
    if promised_amount is not None:
        promised_amount = read_positive_money("--promise", promised_amount)
    with store.write() as connection:
        logged = log_in(connection, customer, result, today=today, now=now, shift=shift,
                        happened_on=happened_on, channel=TOUCH_CHANNEL[code])  # fmt: skip
        contract_id = _contract_of(connection, logged.customer_id, contract) if contract else None
        action_id = store_collections.insert_action(connection, {
            "customer_id": logged.customer_id, "contract_id": contract_id, "happened_on": happened_on,
            "method": code, "document": document_code, "result": result, "promised_on": promised_on,
            "promised_amount": promised_amount, "promise_status": "open" if promised_on else None,
            "created_at": now, "updated_at": now,
        })  # fmt: skip
    return Collected(action_id, logged.customer_id, logged.customer, code, document_code, promised_on,
                     promised_amount)  # fmt: skip


def _contract_of(connection: Connection, customer_id: int, reference: str) -> int:
    """A contract of the customer named by its number or id; NotFound otherwise."""
    text = reference.strip()
    params = {"customer_id": customer_id, "ref": text, "id": int(text) if text.isdigit() else -1}
    row = connection.execute(_CONTRACT_OF_CUSTOMER, params).first()
    if row is None:
        raise NotFound(_("--contract: the customer has no contract {ref!r}").format(ref=reference))
    return row["id"]


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
