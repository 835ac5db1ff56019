"""domain.agenda.plan_items: a visit missed for a few days is missed; after MISSED_DAYS it is
stale and asks to be moved or cancelled (issue 14)."""

from __future__ import annotations

from datetime import date, timedelta

from kehu.domain.agenda import MISSED_DAYS, plan_items, window

TODAY = date(2026, 11, 23)


def plan_row(plan_id: int, day: date) -> dict:
    return {"id": plan_id, "planned_on": day, "customer_id": 1, "customer": "杭州海纳科技", "grade": "B",
            "contact": "沈国强", "contact_phone": "13800000001", "purpose": "送样品"}  # fmt: skip


def test_a_missed_visit_counts_its_days_and_turns_stale_after_the_named_number():
    assert MISSED_DAYS == 3
    rows = [plan_row(n, TODAY - timedelta(days=n)) for n in (0, 1, 3, 4, 42)]
    items = {item.extra["plan_id"]: item for item in plan_items(rows, window("today", TODAY))}
    assert {n: (i.extra["missed"], i.extra["stale"], i.days_overdue) for n, i in items.items()} == {
        0: (0, False, None),
        1: (1, False, 1),
        3: (3, False, 3),
        4: (4, True, 4),
        42: (42, True, 42),
    }


def test_a_visit_ahead_in_the_week_is_neither_missed_nor_stale():
    [item] = plan_items([plan_row(9, TODAY + timedelta(days=4))], window("week", TODAY))
    assert (item.extra["missed"], item.extra["stale"], item.days_overdue) == (0, False, None)
    assert plan_items([plan_row(9, TODAY + timedelta(days=8))], window("week", TODAY)) == []
