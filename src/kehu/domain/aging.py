"""Receivables by age (应收账款账龄, DOMAIN.md §6) and the collection step each age calls for.

A receivable is what a contract still owes: its amount less what has been paid, due on a date
set by the payment terms. Its age is the number of days past that date; a receivable due today
or later is "not due". Ages fall in five buckets, and each overdue bucket has its collection
step, escalating as the seed's collection mechanism (催款机制) does:

| days overdue | bucket   | collection step (under 10万)         |
|--------------|----------|--------------------------------------|
| 0 (not due)  | 未到期   | none                                 |
| 1–30         | 1–30 天  | phone 电话催收                       |
| 31–60        | 31–60 天 | finance 财务催收, 逾期通知书          |
| 61–90        | 61–90 天 | visit 上门催收                       |
| over 90      | 90 天以上 | legal 法律催收, 催款函              |

The step depends on the amount too: a large sum escalates sooner, by the collection ladder of
kehu.domain.collection (the book's own in the config file's [collection] table).

A payment is applied to a customer's open contracts oldest due date first, as collection does:
the oldest debt is the one nearest a lawyer. Money is Decimal throughout and sums are exact.
The functions are pure: today is a parameter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kehu.domain.collection import DEFAULT_LADDER, STEP, STEPS, Ladder, Step
from kehu.domain.collection import step as ladder_step
from kehu.domain.vocabulary import Choice, Vocabulary
from kehu.i18n import N_, _, label

__all__ = [
    "BUCKET",
    "BUCKETS",
    "BUCKET_LABELS",
    "COLLECTION_STEP",
    "COLLECTION_STEPS",
    "MAX_TERM_DAYS",
    "AgingTable",
    "CollectionStep",
    "CustomerAging",
    "Receivable",
    "aging_table",
    "allocate_payment",
    "bucket",
    "bucket_label",
    "collection_step",
    "days_overdue",
    "parse_terms",
]

BUCKETS = ("not_due", "1-30", "31-60", "61-90", "90+")
BUCKET_LABELS: dict[str, tuple[str, str]] = {
    "not_due": ("未到期", "not due"),
    "1-30": ("1–30 天", "1–30 days"),
    "31-60": ("31–60 天", "31–60 days"),
    "61-90": ("61–90 天", "61–90 days"),
    "90+": ("90 天以上", "over 90 days"),
}
# The last day overdue of each overdue bucket but the open-ended last one.
_BUCKET_ENDS = ((30, "1-30"), (60, "31-60"), (90, "61-90"))
_ZERO = Decimal("0.00")


# The collection steps are the ladder's (kehu.domain.collection): a method's code ("phone",
# "finance", "visit", "legal"), its words and the document it sends.
CollectionStep = Step
COLLECTION_STEPS = STEPS
# The buckets and the steps as word lists: data (CSV, JSON) carries their stable keys, tables and
# --labels their words in the user's language.
BUCKET = Vocabulary("age bucket", tuple(Choice(key, zh, en) for key, (zh, en) in BUCKET_LABELS.items()))
COLLECTION_STEP = STEP


@dataclass(frozen=True)
class Receivable:
    """What one instalment of a contract owes: `amount` less `paid`, due on `due_on` (None: an
    instalment waiting for its event, delivery or acceptance, is not due yet)."""

    contract_id: int
    customer_id: int
    customer: str
    amount: Decimal
    paid: Decimal
    due_on: date | None
    instalment_id: int | None = None

    def __post_init__(self) -> None:
        # The store and allocate_payment never produce these; meeting one is a bug, not input.
        if not (self.amount.is_finite() and self.paid.is_finite()) or self.amount < 0 or self.paid < 0:
            raise ValueError(f"contract {self.contract_id}: amount and paid must be numbers ≥ 0")
        if self.paid > self.amount:
            raise ValueError(f"contract {self.contract_id}: paid {self.paid} is more than {self.amount}")

    @property
    def outstanding(self) -> Decimal:
        """The amount not yet paid (0 when fully paid, never negative)."""
        return self.amount - self.paid


def days_overdue(due_on: date | None, today: date) -> int:
    """Days past `due_on` on `today`: 0 when due today or later, or not dated yet (None)."""
    if due_on is None:
        return 0
    return max((today - due_on).days, 0)


def _bucket_of(days: int) -> str:
    if days <= 0:
        return "not_due"
    for last_day, key in _BUCKET_ENDS:
        if days <= last_day:
            return key
    return "90+"


def bucket(due_on: date | None, today: date) -> str:
    """The key in BUCKETS of a receivable due on `due_on`, seen on `today` (due today or undated:
    "not_due")."""
    return _bucket_of(days_overdue(due_on, today))


def bucket_label(key: str) -> str:
    """The label of a bucket key in the user's language (未到期, 1–30 天, … or not due, 1–30 days, …)."""
    return label(BUCKET_LABELS[key])


def collection_step(
    days: int, amount: Decimal | None = None, ladder: Ladder | None = None
) -> CollectionStep | None:
    """The collection step for `amount` owed `days` overdue, by the ladder (kehu's default when
    None; no amount: its first band, the age-only steps of the buckets); None when not overdue."""
    return ladder_step(amount, days, ladder or DEFAULT_LADDER)


@dataclass(frozen=True)
class CustomerAging:
    customer_id: int
    customer: str
    by_bucket: dict[str, Decimal]  # outstanding per key of BUCKETS, every key present
    total: Decimal
    oldest_days: int  # days overdue of the customer's oldest open receivable, 0 if none is overdue

    @property
    def step(self) -> CollectionStep | None:
        """The collection step the customer's overdue money calls for by kehu's default ladder."""
        return self.step_by(None)

    def step_by(self, ladder: Ladder | None) -> CollectionStep | None:
        """The collection step by `ladder`: the amount overdue (all but the not-due part) at the
        age of the customer's oldest overdue receivable."""
        return collection_step(self.oldest_days, self.total - self.by_bucket["not_due"], ladder)


@dataclass(frozen=True)
class AgingTable:
    by_bucket: dict[str, Decimal]  # outstanding per key of BUCKETS, every key present
    customers: tuple[CustomerAging, ...]  # most outstanding first
    total: Decimal


def _empty_buckets() -> dict[str, Decimal]:
    return dict.fromkeys(BUCKETS, _ZERO)


def aging_table(receivables: Iterable[Receivable], today: date) -> AgingTable:
    """The receivables list by age on `today`: outstanding per bucket, per customer and in all.

    Fully paid receivables are left out. Customers come most outstanding first, then with the
    oldest debt first, then by id: the list is worked from the top. Sums are exact Decimals.
    """
    totals = _empty_buckets()
    per_customer: dict[int, dict[str, Decimal]] = {}
    names: dict[int, str] = {}
    oldest: dict[int, int] = {}
    for receivable in receivables:
        if receivable.outstanding == 0:
            continue
        days = days_overdue(receivable.due_on, today)
        key = _bucket_of(days)
        cid = receivable.customer_id
        row = per_customer.setdefault(cid, _empty_buckets())
        row[key] += receivable.outstanding
        totals[key] += receivable.outstanding
        names.setdefault(cid, receivable.customer)
        oldest[cid] = max(oldest.get(cid, 0), days)
    customers = [
        CustomerAging(cid, names[cid], row, sum(row.values(), _ZERO), oldest[cid])
        for cid, row in per_customer.items()
    ]
    customers.sort(key=lambda c: (-c.total, -c.oldest_days, c.customer_id))
    return AgingTable(totals, tuple(customers), sum(totals.values(), _ZERO))


def allocate_payment(
    outstanding: list[tuple[int, Decimal, date | None]], amount: Decimal
) -> list[tuple[int, Decimal]]:
    """Split a payment of `amount` over a customer's open instalments, oldest due date first.

    `outstanding` holds (id, outstanding, due_on) of each instalment (or contract); those due on
    the same day are paid in id order, undated ones (waiting for delivery or acceptance) last:
    money beyond what is due pays them in advance. Returns (id, applied) for each one that
    receives money, in the order paid; the applied amounts sum exactly to `amount`. Raises ValueError
    (translated) when `amount` is not more than zero or exceeds the total outstanding: an
    overpayment is a mistake to show, not a credit to keep.
    """
    if any(owed < 0 for _id, owed, _due in outstanding):
        raise ValueError("an outstanding amount is negative")
    if not amount.is_finite() or amount <= 0:
        raise ValueError(_("a payment must be more than zero: {amount}").format(amount=amount))
    total = sum((owed for _id, owed, _due in outstanding), _ZERO)
    if amount > total:
        raise ValueError(
            _("payment {amount} is more than the {total} outstanding").format(amount=amount, total=total)
        )
    applied: list[tuple[int, Decimal]] = []
    left = amount
    undated_last = lambda row: (row[2] is None, row[2] or date.min, row[0])  # noqa: E731
    for contract_id, owed, _due in sorted(outstanding, key=undated_last):
        part = min(left, owed)
        if part > 0:
            applied.append((contract_id, part))
            left -= part
    return applied


def _squeeze(text: str) -> str:
    # Not vocabulary.fold: that drops "-" too, and "-30" is no payment term.
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


# Terms that mean "paid on delivery or before": no credit days.
_CASH_TERMS = frozenset(
    _squeeze(word)
    for word in ("货到付款", "款到发货", "现款", "现结", "现金", "预付", "cod", "cash on delivery", "cash")
)
# After _squeeze(): `月结30天`, `账期60天`, `net45`, `n30`, `30days`, `30d`, `30日`, `60`.
_TERMS = re.compile(r"(?:月结|账期|net|n)?(?P<days>[0-9]{1,4})(?:天|日|days?|d)?")
# A year of credit is already rare in B2B; 3000 is a typo for 30, not a term.
MAX_TERM_DAYS = 365


NOT_TERMS = N_("not a payment term (like net 30, net 45 or cash on delivery): {text}")


def parse_terms(text: str) -> int:
    """The days of credit that payment terms give: `30天`, `30 days`, `60`, `月结30天`, `net 45`.

    Cash terms (货到付款, 款到发货, 现款, COD …) give 0. Full-width digits and any spacing or
    case are accepted. `月结N天` (monthly settlement) is read as N days from the invoice: the
    month-end start it strictly means is not modelled. Raises ValueError (translated) for
    anything else and for more than MAX_TERM_DAYS days.
    """
    squeezed = _squeeze(text)
    if squeezed in _CASH_TERMS:
        return 0
    match = _TERMS.fullmatch(squeezed)
    if match is None or int(match["days"]) > MAX_TERM_DAYS:
        raise ValueError(_(NOT_TERMS).format(text=text))
    return int(match["days"])
