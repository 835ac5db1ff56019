"""The morning list, called directly (no CLI): kehu.book.agenda.morning.

Its sections and counts for a window, with the narrowing `kehu followups` offers (grade, owner,
the overdue view, a limit per section).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kehu.book import agenda as book_agenda
from kehu.book import touches
from kehu.domain import agenda
from kehu.store.db import Store
from tests.book.conftest import NOW, TODAY, add_customer


@pytest.fixture
def book(store: Store) -> dict[str, int]:
    """Three customers added today, so due today (A, B, C); a visit planned for Wednesday; a
    contact whose birthday is tomorrow; a contract of the C customer (one instalment) overdue by 22
    days."""
    cards = (("甲公司", "A", ("张三",)), ("乙公司", "B", ()), ("丙公司", "C", ()))
    ids = {name: add_customer(store, name, grade, contacts=contacts) for name, grade, contacts in cards}
    touches.plan(store, "乙公司", TODAY + timedelta(days=2), "技术交流", today=TODAY, now=NOW)
    with store.write() as connection:
        connection.execute(
            "UPDATE contact SET birthday = :day WHERE name = '张三'", {"day": date(1980, 11, 24)}
        )
        contract = connection.insert("contract", {
            "customer_id": ids["丙公司"], "number": "HT-1", "amount": Decimal(1000), "currency": "CNY",
            "signed_on": date(2026, 10, 1), "due_on": date(2026, 11, 1), "terms_days": 31, "created_at": NOW,
        })  # fmt: skip
        # A contract is paid in instalments (issue 17): the money is owed by its one instalment.
        connection.insert("instalment", {
            "customer_id": ids["丙公司"], "contract_id": contract, "seq": 1, "amount": Decimal(1000),
            "due_on": date(2026, 11, 1), "created_at": NOW,
        })  # fmt: skip
    return ids


def test_the_week_has_every_section_and_counts_them(store: Store, book) -> None:
    week = book_agenda.morning(store, agenda.window("week", TODAY))
    assert [item.customer for item in week.due] == ["甲公司", "乙公司", "丙公司"]  # by grade: A first
    assert [(item.customer, item.day) for item in week.plans] == [("乙公司", TODAY + timedelta(days=2))]
    assert [(item.contact, item.day) for item in week.birthdays] == [("张三", TODAY + timedelta(days=1))]
    assert [(item.customer, item.days_overdue) for item in week.collections] == [("丙公司", 22)]
    # Issue 17's sections (promises to pay, complaints, after-sale touches) are counted too, empty here.
    assert week.counts == {"overdue": 0, "due": 3, "plan": 1, "birthday": 1, "collect": 1, "promise": 0,
                           "complaint": 0, "after_sale": 0}  # fmt: skip
    assert (week.promises, week.complaints, week.after_sale) == ([], [], [])
    assert week.shown == week.total == 6


def test_a_limit_cuts_each_section_but_the_counts_count_all(store: Store, book) -> None:
    week = book_agenda.morning(store, agenda.window("week", TODAY), limit=1)
    assert (len(week.due), len(week.plans), len(week.birthdays), len(week.collections)) == (1, 1, 1, 1)
    assert (week.shown, week.total, week.counts["due"]) == (4, 6, 3)


def test_a_grade_keeps_its_customers_and_leaves_out_the_money_to_collect(store: Store, book) -> None:
    only_b = book_agenda.morning(store, agenda.window("week", TODAY), grade="B")
    assert [item.customer for item in (*only_b.due, *only_b.plans)] == ["乙公司", "乙公司"]
    assert (only_b.birthdays, only_b.collections) == ([], [])


def test_the_overdue_view_has_no_visits_or_birthdays(store: Store, book) -> None:
    later = TODAY + timedelta(days=3)  # the visit was missed, everyone is overdue
    overdue = book_agenda.morning(store, agenda.window("overdue", later))
    assert {item.kind for item in overdue.due} == {"overdue"}
    assert (overdue.plans, overdue.birthdays, len(overdue.collections)) == ([], [], 1)
