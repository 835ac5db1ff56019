"""Amounts typed in either language (120万, 1.5亿, 1.5M, 300k, 1,200,000): each exact to the cent
as a Decimal, never through a float; and the ones refused, with a message saying why."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kehu.domain.values import parse_count, parse_money

AMOUNTS = [
    ("850000", "850000.00"),
    ("1,200,000", "1200000.00"),
    ("1,200,000.50", "1200000.50"),
    ("120万", "1200000.00"),
    ("120w", "1200000.00"),
    ("1.5亿", "150000000.00"),
    ("1.5亿元", "150000000.00"),
    ("¥120万", "1200000.00"),
    ("1.5M", "1500000.00"),
    ("2.5m", "2500000.00"),
    ("300k", "300000.00"),
    ("300K", "300000.00"),
    ("1.5 M", "1500000.00"),
    ("2mn", "2000000.00"),
    ("1.5million", "1500000.00"),
    ("1bn", "1000000000.00"),
    ("3千", "3000.00"),
    ("3百万", "3000000.00"),
    ("1.2千万", "12000000.00"),
    ("１.５Ｍ", "1500000.00"),  # full width, NFKC
    ("$300k", "300000.00"),
    ("RMB 1.5M", "1500000.00"),
    ("1,200.5万", "12005000.00"),
    # exact: digits a float would lose or round
    ("1.23456789m", "1234567.89"),
    ("0.1k", "100.00"),
    ("0.29m", "290000.00"),
    ("999999999.99", "999999999.99"),
    ("9999999.99999999m", "9999999999999.99"),
    ("0.0000001亿", "10.00"),
    ("0.005m", "5000.00"),
]

REFUSED = [
    ("1,5M", "commas group thousands"),  # not 15M
    ("1,2", "commas group thousands"),
    ("12,00", "commas group thousands"),
    ("1,2345", "commas group thousands"),
    ("1.5x", "not an amount of money"),
    ("1.5 mm", "not an amount of money"),
    ("M", "not an amount of money"),
    ("-5", "not an amount of money"),
    ("1.5e3", "not an amount of money"),
    ("1..5", "not an amount of money"),
    ("万", "not an amount of money"),
    ("1.234567891m", "more than two decimal places"),
    ("0.000001k", "more than two decimal places"),  # 0.001
    ("1000000bn", "amount too large"),
    ("99999999亿", "amount too large"),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_amounts_in_either_language_are_exact(text: str, expected: str) -> None:
    value = parse_money(text)
    assert isinstance(value, Decimal)
    assert (value, str(value)) == (Decimal(expected), expected)


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_a_refused_amount_says_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as error:
        parse_money(text)
    assert text in str(error.value)
    assert "\n" not in str(error.value)


def test_the_examples_under_a_refused_amount_speak_the_interface_language(monkeypatch) -> None:
    monkeypatch.setenv("KEHU_LANG", "en")
    with pytest.raises(ValueError) as english:
        parse_money("lots")
    assert str(english.value) == "not an amount of money: lots (e.g. 850000, 1,200,000.50, 300k, 1.5M)"
    monkeypatch.setenv("KEHU_LANG", "zh")
    with pytest.raises(ValueError) as chinese:
        parse_money("lots")
    assert "120万、1.5亿" in str(chinese.value)
    assert "300k" not in str(chinese.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,200", 1200), ("1200人", 1200), ("3万", 30000), ("2k", 2000), ("1.5k", 1500), ("1.2M", 1_200_000)],
)
def test_counts_take_the_same_words(text: str, expected: int) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["1,2", "1,5k", "1.5", "0.0001k", "2x"])
def test_a_count_that_is_no_whole_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a whole number"):
        parse_count(text)
