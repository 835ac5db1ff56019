"""Credit before the sale (信用审查, seed 001; the financial ratios of seed 000): record a check,
judge the latest one (domain.credit, against the book's thresholds: the config file's [credit]
table, else kehu's), list them, show it beside the qualification, and the warning when a contract
takes a customer over its credit limit.

`kehu credit CUSTOMER --…` is a batch of one of what `kehu import credit` does: both go through
`_new_check`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kehu.errors import UsageError
from kehu.i18n import _, labelled

if TYPE_CHECKING:
    from kehu.book.funnel import Qualification
    from kehu.book.plans import ImportPlan
    from kehu.domain.credit import Judged, Threshold
    from kehu.io.csv_in import Sheet
    from kehu.store.db import Store
    from kehu.store.sql import Connection

# Each figure of a check, the option that gives it, and how it is read.
OPTIONS = {
    "registered_capital": ("--capital", "money"), "years_in_business": ("--years", "count"),
    "payment_history": ("--history", "word"), "collection_days": ("--collection-days", "count"),
    "credit_limit": ("--limit", "money"), "current_asset_ratio": ("--current-asset-ratio", "ratio"),
    "net_margin": ("--net-margin", "ratio"), "return_on_assets": ("--roa", "ratio"),
    "inventory_days": ("--inventory-days", "count"), "receivable_days": ("--receivable-days", "count"),
}  # fmt: skip


@dataclass(frozen=True)
class CheckWritten:
    check_id: int
    customer: str
    checked_on: date
    result: str  # the overall VERDICT code


@dataclass(frozen=True)
class Standing:
    """A customer's latest credit check (None: never checked) and its judgement."""

    customer_id: int
    customer: str
    check: dict[str, Any] | None
    judged: list[Judged]

    @property
    def result(self) -> str:
        return self.judged[-1].result if self.judged else "missing"


def thresholds() -> dict[str, Threshold]:
    """The book's credit thresholds: the config file's [credit] table over kehu's defaults."""
    from kehu.config import load_settings
    from kehu.domain.credit import thresholds_from_config

    return thresholds_from_config(load_settings().get("credit"))


def _figure(key: str, value: Any) -> Any:
    """A figure as typed (text) or given by Python code (int, Decimal), checked; None stays None."""
    from kehu.book.money import read_money
    from kehu.book.words import word_code
    from kehu.domain.credit import PAYMENT_HISTORY, parse_ratio
    from kehu.domain.values import parse_count

    option, kind = OPTIONS[key]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "word":
        return word_code(PAYMENT_HISTORY, option, value)
    if kind == "money":
        amount = read_money(option, value)
        if amount < 0:
            raise UsageError(_("{option}: cannot be negative").format(option=option))
        return amount
    try:
        return parse_ratio(str(value)) if kind == "ratio" else parse_count(str(value))
    except ValueError as error:
        raise UsageError(labelled(option, error)) from None


def _new_check(customer_id: int, values: Mapping[str, Any], *, today: date, now: datetime) -> dict[str, Any]:
    """The credit_check row to insert from checked values: the one rule of `kehu credit` and the
    import. ValueError says what is wrong with it."""
    from kehu.domain.credit import FIGURES

    checked_on = values.get("checked_on") or today
    if checked_on > today:
        raise ValueError(
            _("a credit check cannot be dated in the future ({day})").format(day=checked_on.isoformat())
        )
    if all(values.get(key) is None for key in FIGURES) and values.get("credit_limit") is None:
        raise ValueError(_("give at least one figure of the check (see --help)"))
    return {
        "customer_id": customer_id,
        "checked_on": checked_on,
        "notes": values.get("notes"),
        "created_at": now,
        **{key: values.get(key) for key in OPTIONS},
    }


def record_check(
    store: Store,
    customer: str,
    figures: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
    checked_on: date | None = None,
    notes: str | None = None,
) -> CheckWritten:
    """Record a credit check of a customer: `figures` by OPTIONS key (text as typed, or ints and
    Decimals), dated today unless `checked_on`; at least one figure or the limit."""
    from kehu.domain.credit import judge
    from kehu.domain.values import parse_text
    from kehu.store import credit as credit_store
    from kehu.store.lookup import resolve_customer

    unknown = set(figures) - set(OPTIONS)
    if unknown:
        raise UsageError(
            _("not a figure of a credit check: {names}").format(names=", ".join(sorted(unknown)))
        )
    values: dict[str, Any] = {key: _figure(key, value) for key, value in figures.items()}
    try:
        values["notes"] = parse_text(notes.strip()) or None if notes else None
    except ValueError as error:
        raise UsageError(labelled("--notes", error)) from None
    values["checked_on"] = checked_on
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        try:
            row = _new_check(card["id"], values, today=today, now=now)
        except ValueError as error:
            raise UsageError(
                labelled("--on", error) if checked_on and checked_on > today else str(error)
            ) from None
        check_id = credit_store.insert_check(connection, row)
    return CheckWritten(check_id, card["name"], row["checked_on"], judge(row, thresholds())[-1].result)


def _standing(connection: Connection, card: Mapping[str, Any]) -> Standing:
    from kehu.domain.credit import judge
    from kehu.store import credit as credit_store

    latest = credit_store.latest_check(connection, card["id"])
    check = dict(latest) if latest is not None else None
    return Standing(card["id"], card["name"], check, judge(check, thresholds()) if check else [])


def standing(store: Store, customer: str) -> Standing:
    """A customer's latest credit check (archived customers too) and each figure's judgement."""
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        return _standing(connection, resolve_customer(connection, customer, include_archived=True))


def checks(store: Store, customer: str | None = None) -> list[dict[str, Any]]:
    """Credit checks (of one customer, latest first, or of all), each with its overall `result`."""
    from kehu.domain.credit import judge
    from kehu.store import credit as credit_store
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        customer_id = (
            resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
        )  # fmt: skip
        rows = [dict(row) for row in credit_store.list_checks(connection, customer_id)]
    in_effect = thresholds()
    for row in rows:
        row["result"] = judge(row, in_effect)[-1].result
    return rows


@dataclass(frozen=True)
class QualifiedWithCredit:
    qualification: Qualification
    credit: Standing


def qualify(store: Store, customer: str, *, now: datetime, **answers: str | None) -> QualifiedWithCredit:
    """`kehu qualify`: record the answers given, as book.funnel.qualify does (its rule, and its
    keyword names), and read the customer's latest credit check beside them, in one transaction."""
    from kehu.book import funnel
    from kehu.store.lookup import resolve_customer

    given = funnel.qualification_given(**answers)
    with store.write() if given else store.read() as connection:
        card = resolve_customer(connection, customer)
        known = funnel.record_qualification(connection, card, given, now)
        return QualifiedWithCredit(known, _standing(connection, card))


def over_limit_warning(connection: Connection, customer_id: int, amount: Decimal) -> str | None:
    """Once a contract of `amount` is added (in the same transaction): when what the customer
    owes, that contract included, is more than the limit of its latest credit check, the warning
    to give, which the caller says (the contract stands: the seed checks credit, it does not
    forbid the sale); None when it is within the limit or there is none."""
    from kehu.domain.credit import over_limit
    from kehu.store import credit as credit_store
    from kehu.store.contracts import outstanding_total

    latest = credit_store.latest_check(connection, customer_id)
    limit = latest["credit_limit"] if latest is not None else None
    if limit is None:
        return None
    owed = outstanding_total(connection, customer_id)
    if not over_limit(limit, owed):
        return None
    return _(
        "warning: with this contract of {amount}, {name} owes {owed}, over its credit limit of "
        "{limit} (checked {day})"
    ).format(
        name=latest["customer"],
        owed=f"{owed:.2f}",
        limit=f"{limit:.2f}",
        day=latest["checked_on"].isoformat(),
        amount=f"{amount:.2f}",
    )


# --- kehu import credit --------------------------------------------------------------------------


def write_credit_checks(
    connection: Connection,
    sheet: Sheet,
    *,
    today: date,
    now: datetime,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    **_unused: Any,  # every row is a new check: no conflicts, no owner
) -> ImportPlan:
    """Check a sheet of credit checks against the book (the customer by exact name) and add
    them, each as `kehu credit` would; refused on any bad row."""
    from kehu.book.cards import Refused
    from kehu.book.needs import resolved_rows, row_error
    from kehu.book.plans import ImportPlan
    from kehu.store import credit as credit_store

    parsed = sheet.read_all(progress)
    plan = ImportPlan(errors=list(parsed.errors))
    for line, customer_id, _contact, values in resolved_rows(connection, parsed, plan, None):
        checked: dict[str, Any] = dict(values)
        for key in ("current_asset_ratio", "net_margin", "return_on_assets"):
            try:
                checked[key] = _figure(key, values.get(key))
            except UsageError:
                row_error(
                    plan, line, parsed.column(key), _("not a percentage: {text}").format(text=values[key])
                )
                break
        else:
            try:
                plan.inserts.append(_new_check(customer_id, checked, today=today, now=now))
            except ValueError as error:
                row_error(plan, line, parsed.column("checked_on"), str(error))
    if plan.errors:
        raise Refused(plan.errors)
    if write:
        credit_store.insert_checks(connection, plan.inserts)
    return plan
