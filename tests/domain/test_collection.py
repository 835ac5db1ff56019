"""The collection ladder (amount × age → method and document) and promises to pay, pure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kehu.domain.collection import (
    DEFAULT_LADDER,
    STEP,
    ladder_from_config,
    ladder_problems,
    promise_status,
    step,
)
from kehu.domain.vocabulary import COLLECTION_METHOD

D = Decimal


@pytest.mark.parametrize(("amount", "days", "method", "document"), [
    # under 10万: the age-only ladder of before
    ("99999.99", 1, "phone", None), ("99999.99", 30, "phone", None),
    ("99999.99", 31, "finance", "overdue_notice"), ("99999.99", 60, "finance", "overdue_notice"),
    ("99999.99", 61, "visit", None), ("99999.99", 90, "visit", None),
    ("99999.99", 91, "legal", "collection_letter"),
    # 10万 to under 100万: sooner
    ("100000", 15, "phone", None), ("100000", 16, "finance", "overdue_notice"),
    ("999999.99", 30, "finance", "overdue_notice"),
    ("500000", 31, "visit", None), ("500000", 60, "visit", None),
    ("500000", 61, "legal", "collection_letter"),
    # 100万 and over: soonest
    ("1000000", 7, "phone", None), ("1000000", 8, "finance", "overdue_notice"),
    ("5000000", 16, "visit", None), ("5000000", 30, "visit", None),
    ("5000000", 31, "legal", "collection_letter"),
])  # fmt: skip
def test_each_band_and_edge_of_the_default_ladder(amount, days, method, document):
    found = step(D(amount), days)
    assert (found.key, found.document) == (method, document)


@pytest.mark.parametrize("days", [0, -5])
def test_nothing_to_do_before_the_money_is_overdue(days):
    assert step(D("5000000"), days) is None


def test_without_an_amount_the_first_band_and_the_steps_are_the_methods():
    assert [step(None, n).key for n in (1, 31, 61, 91)] == ["phone", "finance", "visit", "legal"]
    assert STEP.codes() == COLLECTION_METHOD.codes()


def test_a_users_table_and_a_band_that_skips_the_phone():
    table = {"band": [{"from": 0, "phone": 3, "legal": 200},
                      {"from": "50万", "finance": 1, "legal": 10}]}  # fmt: skip
    assert ladder_problems(table) == []
    ladder = ladder_from_config(table)
    assert step(D("100"), 2, ladder) is None  # the band's phone begins on day 3
    assert step(D("100"), 3, ladder).key == "phone"
    assert step(D("100"), 199, ladder).key == "phone"
    assert step(D("500000"), 1, ladder).key == "finance"
    assert step(D("500000"), 10, ladder).key == "legal"
    assert ladder_from_config(None) is DEFAULT_LADDER
    assert ladder_from_config({}) is DEFAULT_LADDER


@pytest.mark.parametrize(("table", "place"), [
    ({"bands": []}, ("bands",)),
    ({"band": {"from": 0}}, ("band",)),
    ({"band": [{"from": 5, "phone": 1}]}, (0, "from")),
    ({"band": [{"phone": 1}]}, (0, "from")),
    ({"band": [{"from": "lots", "phone": 1}]}, (0, "from")),
    ({"band": [{"from": 0, "phone": 1}, {"from": 0, "phone": 1}]}, (1, "from")),
    ({"band": [{"from": 0, "phone": 0}]}, (0, "phone")),
    ({"band": [{"from": 0, "phone": "1"}]}, (0, "phone")),
    ({"band": [{"from": 0, "phone": True}]}, (0, "phone")),
    ({"band": [{"from": 0, "phone": 5000}]}, (0, "phone")),
    ({"band": [{"from": 0, "phone": 30, "finance": 10}]}, (0, "finance")),
    ({"band": [{"from": 0}]}, (0,)),
    ({"band": [{"from": 0, "phone": 1, "email": 3}]}, (0, "email")),
])  # fmt: skip
def test_bad_tables_say_where(table, place):
    assert [p for p, _message in ladder_problems(table)] == [place]


TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(("promised_on", "amount", "paid", "status"), [
    (date(2026, 12, 1), D("500000"), D("0"), "open"),  # its day: still open
    (date(2026, 11, 30), D("500000"), D("499999.99"), "broken"),  # a fen short, day past
    (date(2026, 11, 30), D("500000"), D("500000"), "kept"),
    (date(2026, 12, 20), D("500000"), D("600000"), "kept"),  # kept before its day
    (date(2026, 11, 30), None, D("0.01"), "kept"),  # a promise without an amount: any payment
    (date(2026, 11, 30), None, D("0"), "broken"),
    (None, None, D("0"), None),
])  # fmt: skip
def test_promise_status(promised_on, amount, paid, status):
    assert promise_status(promised_on, amount, paid, TODAY) == status
