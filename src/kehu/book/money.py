"""An amount of money as either way in gives it: text a person typed (118万, 1,180,000.00, ¥5000)
or a Decimal from Python code. Both are held to the same rules, so that no amount is rounded
on its way to the store (which keeps whole cents)."""

from __future__ import annotations

from decimal import Decimal

from kehu.errors import UsageError
from kehu.i18n import _, labelled


def read_money(label: str, value: Decimal | str) -> Decimal:
    """The amount, exact to the cent; else the usage error naming `label` (the option or
    argument it came from): not an amount, more than two decimal places, too large."""
    from kehu.domain.values import parse_money

    text = format(value, "f") if isinstance(value, Decimal) else value
    try:
        return parse_money(text)
    except ValueError as error:
        raise UsageError(labelled(label, error)) from None


def read_positive_money(label: str, value: Decimal | str) -> Decimal:
    """An amount that must be more than zero (a contract, a payment)."""
    amount = read_money(label, value)
    if amount <= 0:
        raise UsageError(_("{option}: must be more than zero").format(option=label))
    return amount
