"""The report scope and the dashboard's figures, called directly (no CLI): kehu.book.report.

A small book is written row by row (as the commands would have left it) and each report is
asked for a Scope: the customers of an owner or a pipeline, and the days of what happened.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from kehu.book import report
from kehu.book.report import Scope
from kehu.errors import UsageError
from kehu.store.db import Store
from tests.book.conftest import NOW, TODAY

OCTOBER = date(2026, 10, 1)


def customer(connection, name: str, **values: Any) -> int:
    return connection.insert("customer", {
        "name": name, "name_key": name, "pinyin_full": "", "pinyin_initials": "", "kind": "company",
        "currency": "CNY", "pipeline": "key-account", "stage": "analyse", "status": "open",
        "created_at": NOW - timedelta(days=53), "updated_at": NOW, **values,
    })  # fmt: skip


@pytest.fixture
def book(store: Store) -> dict[str, int]:
    """甲 won in November (王磊), 乙 open at trust (王磊), 丙 won in October (李娜, referred by
    甲), 丁 lost in November (王磊); 甲 owes 60万 of a 90万 contract due on 10-01."""
    with store.write() as connection:
        ids = {
            "甲": customer(connection, "甲", owner="王磊", grade="A", source="fair", stage="collect",
                          status="won", expected_value=Decimal(1_000_000), won_on=date(2026, 11, 10),
                          won_value=Decimal(900_000)),
            "乙": customer(connection, "乙", owner="王磊", grade="B", source="fair", stage="trust",
                          expected_value=Decimal(500_000), last_touch_on=TODAY - timedelta(days=3)),
            "丙": customer(connection, "丙", owner="李娜", grade="C", source="referral", stage="collect",
                          status="won", expected_value=Decimal(200_000), won_on=date(2026, 10, 15),
                          won_value=Decimal(150_000)),
            "丁": customer(connection, "丁", owner="王磊", grade="D", source="web", status="lost",
                          expected_value=Decimal(100_000), lost_on=date(2026, 11, 12), lost_reason="price"),
        }  # fmt: skip
        connection.execute("UPDATE customer SET referrer_id = :id WHERE name = '丙'", {"id": ids["甲"]})
        contract = connection.insert("contract", {
            "customer_id": ids["甲"], "number": "HT-1", "amount": Decimal(900_000), "currency": "CNY",
            "signed_on": date(2026, 9, 1), "due_on": OCTOBER, "terms_days": 30, "created_at": NOW,
        })  # fmt: skip
        # A contract is paid in instalments (issue 17): here one, which the payment settles part of.
        instalment = connection.insert("instalment", {
            "customer_id": ids["甲"], "contract_id": contract, "seq": 1, "amount": Decimal(900_000),
            "due_on": OCTOBER, "created_at": NOW,
        })  # fmt: skip
        connection.insert("payment", {"customer_id": ids["甲"], "contract_id": contract,
                                      "instalment_id": instalment, "amount": Decimal(300_000),
                                      "paid_on": TODAY, "created_at": NOW})  # fmt: skip
        for day, channel in ((TODAY - timedelta(days=3), "phone"), (OCTOBER, "visit")):
            connection.insert("touch", {"customer_id": ids["乙"], "happened_on": day, "channel": channel,
                                        "summary": "电话", "created_at": NOW})  # fmt: skip
    return ids


def test_the_dashboard_sums_the_scope(store: Store, book) -> None:
    board = report.dashboard(store, Scope(today=TODAY, end=TODAY))
    assert (board.customers, board.won, board.won_value, board.lost) == (4, 2, Decimal("1050000.00"), 1)
    # The open pipeline is 乙 alone, at trust (15%): the won 甲 and 丙 (collecting, at 100%) are
    # counted as won, not again as in negotiation, and the lost 丁 is left out.
    assert board.weighted == Decimal("75000.00")
    assert sum(row.weighted for row in board.funnel.stages) == Decimal("75000.00") + Decimal("1200000.00")
    assert board.outstanding == Decimal("600000.00") == board.aging.total
    assert board.funnel.pipeline == "six-step key-account funnel"
    # The lost 丁 is left out of follow-up compliance; 乙 (B) was touched 3 days ago.
    compliance = [(row.grade, row.count, row.touched) for row in board.compliance if row.count]
    assert compliance == [("A", 1, 0), ("B", 1, 1), ("C", 1, 0)]


def test_a_customer_won_outside_the_days_is_a_customer_but_not_won(store: Store, book) -> None:
    november = Scope(today=TODAY, start=date(2026, 11, 1), end=TODAY)
    board = report.dashboard(store, november)
    assert (board.customers, board.won, board.won_value) == (4, 1, Decimal("900000.00"))
    assert board.weighted == Decimal("75000.00")  # 丙, won in October, is still not in negotiation
    assert [(c.name, c.won_value) for c in report.pareto(store, november).top] == [
        ("甲", Decimal("900000.00"))
    ]


def test_an_owner_scope_keeps_that_owners_customers_and_money(store: Store, book) -> None:
    lina = Scope(today=TODAY, end=TODAY, owner="李娜")
    board = report.dashboard(store, lina)
    assert (board.customers, board.won, board.lost, board.outstanding) == (1, 1, 0, Decimal(0))
    assert report.receivables(store, Scope(today=TODAY, end=TODAY, owner="王磊")).total == Decimal(
        "600000.00"
    )


def test_a_pipeline_scope_reads_that_pipeline(store: Store, book) -> None:
    board = report.dashboard(store, Scope(today=TODAY, end=TODAY, pipeline="development"))
    assert (board.customers, board.funnel.pipeline) == (0, "key-account development process")


def test_sources_trace_referrals_to_the_referrer(store: Store, book) -> None:
    found = report.sources(store, Scope(today=TODAY, end=TODAY))
    assert {(row.source, row.customers, row.won) for row in found.sources} == {
        ("fair", 2, 1), ("referral", 1, 1), ("web", 1, 0)}  # fmt: skip
    assert [(r.referrer, r.referred, r.referred_won_value) for r in found.referrals] == [
        ("甲", 1, Decimal("150000.00"))]  # fmt: skip


def test_lost_reasons_count_the_customers_lost_within_the_days(store: Store, book) -> None:
    assert report.lost_reasons(store, Scope(today=TODAY, end=TODAY)) == [("price", 1)]
    assert report.lost_reasons(store, Scope(today=TODAY, start=date(2026, 11, 13), end=TODAY)) == []


def test_activity_defaults_to_eight_weeks_and_keeps_an_owners_touches(store: Store, book) -> None:
    weeks = report.activity(store, Scope(today=TODAY, end=TODAY))
    assert (weeks[0].week, weeks[-1].week) == (date(2026, 9, 28), date(2026, 11, 23))  # 9 ISO weeks
    assert [(w.week, w.total) for w in weeks if w.total] == [(date(2026, 9, 28), 1), (date(2026, 11, 16), 1)]
    assert sum(w.total for w in report.activity(store, Scope(today=TODAY, end=TODAY, owner="李娜"))) == 0


def test_a_period_ending_before_it_starts_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"ends \(2026-11-01\) before it starts \(2026-12-01\)"):
        Scope(today=TODAY, start=date(2026, 12, 1), end=date(2026, 11, 1))
