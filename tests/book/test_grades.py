"""The grade rules, called directly (no CLI) on a real book: kehu.book.grades.

`change_grade` is the one write rule: the grade is stored, the change kept with its day and
reason, and the due date follows the new grade's cadence. `set_grade` (kehu grade) and
`review(apply=True)` (kehu grade review --apply) go through it, and so does the Python API.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from kehu.book import grades, touches
from kehu.book.api import Book
from kehu.errors import NotFound, UsageError
from kehu.store.db import Store
from tests.book.conftest import NOW, TODAY, add_customer


def grade_set(store: Store, customer: str, grade: str, reason: str | None = None, **options) -> grades.Graded:
    return grades.set_grade(store, customer, grade, reason, now=NOW, **options)


def history(store: Store, customer: str) -> list[tuple]:
    return [(c["changed_on"], c["old_grade"], c["new_grade"], c["reason"])
            for c in grades.history(store, customer).changes]  # fmt: skip


def card(store: Store, customer_id: int) -> dict[str, Any]:
    with store.read() as connection:
        row = connection.execute("SELECT grade, next_due FROM customer WHERE id = :id", {"id": customer_id})
        return dict(row.one())


def expect_close(store: Store, customer_id: int, day: date | None) -> None:
    with store.write() as connection:
        connection.execute(
            "UPDATE customer SET expected_close = :day WHERE id = :id", {"day": day, "id": customer_id}
        )


def test_a_change_is_kept_with_its_day_and_reason_newest_first(store: Store) -> None:
    hnkj = add_customer(store, "杭州海纳科技", "D")
    first = grade_set(store, "杭州海纳科技", "B", "有明确需求")
    assert (first.customer_id, first.customer, first.old, first.new, first.changed) == (
        hnkj, "杭州海纳科技", "D", "B", True)  # fmt: skip
    grade_set(store, "海纳", "A级")  # a label, and no reason
    assert history(store, "杭州海纳科技") == [(TODAY, "B", "A", None), (TODAY, "D", "B", "有明确需求")]
    assert card(store, hnkj)["grade"] == "A"


def test_the_same_grade_again_records_nothing_without_a_reason(store: Store) -> None:
    hnkj = add_customer(store, "杭州海纳科技", "B")
    before = card(store, hnkj)
    again = grade_set(store, "杭州海纳科技", "b")
    assert (again.changed, again.confirmed, again.old, again.new) == (False, False, "B", "B")
    assert grade_set(store, "杭州海纳科技", "B", "  ").confirmed is False  # a blank reason is none
    assert history(store, "杭州海纳科技") == []
    assert card(store, hnkj) == before


def test_the_same_grade_again_with_a_reason_is_kept_as_a_confirmation(store: Store) -> None:
    hnkj = add_customer(store, "杭州海纳科技", "B")
    before = card(store, hnkj)
    again = grade_set(store, "杭州海纳科技", "b", "再确认")
    assert (again.changed, again.confirmed, again.old, again.new) == (False, True, "B", "B")
    assert history(store, "杭州海纳科技") == [(TODAY, "B", "B", "再确认")]
    assert card(store, hnkj) == before  # the grade and its due day stay


def test_an_ungraded_customer_changes_from_none(store: Store) -> None:
    add_customer(store, "杭州海纳科技", None)
    assert grade_set(store, "杭州海纳科技", "C", "半年内有需求").old is None
    assert history(store, "杭州海纳科技") == [(TODAY, None, "C", "半年内有需求")]


@pytest.mark.parametrize(("new", "due"), [("A", date(2026, 11, 24)), ("C", date(2026, 12, 8)),
                                          ("D", date(2026, 12, 23)), ("E", None)])  # fmt: skip
def test_the_due_day_follows_the_new_grade(store: Store, new: str, due: date | None) -> None:
    hnkj = add_customer(store, "杭州海纳科技", "B")
    touches.log(store, "杭州海纳科技", "电话沟通", today=TODAY, now=NOW)
    assert card(store, hnkj)["next_due"] == date(2026, 11, 30)  # B: a week after the touch
    assert grade_set(store, "杭州海纳科技", new).next_due == due
    assert card(store, hnkj)["next_due"] == due


def test_an_explicit_next_step_day_outlives_a_grade_change(store: Store) -> None:
    add_customer(store, "杭州海纳科技", "D")
    touches.log(store, "杭州海纳科技", "报价", today=TODAY, now=NOW, next_step_on=date(2026, 12, 2))
    assert grade_set(store, "杭州海纳科技", "A").next_due == date(2026, 12, 2)


@pytest.mark.parametrize("bad", ["F", "AA", "甲", "0"])
def test_a_grade_not_a_to_e_is_a_usage_error_and_changes_nothing(store: Store, bad: str) -> None:
    hnkj = add_customer(store, "杭州海纳科技", "B")
    with pytest.raises(UsageError, match=f"grade: unknown value {bad!r}; one of: A, B, C, D, E"):
        grade_set(store, "杭州海纳科技", bad)
    assert card(store, hnkj)["grade"] == "B"
    assert history(store, "杭州海纳科技") == []


def test_an_unknown_customer_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        grade_set(store, "不存在的公司", "B")
    with pytest.raises(NotFound):
        grades.history(store, "不存在的公司")


def test_suggestions_read_the_close_date_for_one_customer_or_every_active_one(store: Store) -> None:
    soon = add_customer(store, "杭州海纳科技", "C")
    expect_close(store, soon, TODAY + timedelta(days=14))
    add_customer(store, "宁波远航贸易", "B")  # no close date
    assert grades.suggestions(store, today=TODAY, customer="海纳") == [
        {"id": soon, "name": "杭州海纳科技", "grade": "C", "suggested": "A",
         "reason": "expected close 2026-12-07 is within 1 month", "rule": "close_within_1_month"},
    ]  # fmt: skip
    assert [(row["name"], row["suggested"]) for row in grades.suggestions(store, today=TODAY)] == [
        ("杭州海纳科技", "A"), ("宁波远航贸易", "D")]  # fmt: skip
    assert history(store, "杭州海纳科技") == []  # a suggestion changes nothing


def test_review_lists_the_misfits_and_apply_changes_them_through_the_one_rule(store: Store) -> None:
    passed = add_customer(store, "过期客户", "B")
    expect_close(store, passed, TODAY - timedelta(days=22))
    fits = add_customer(store, "正常客户", "A")
    expect_close(store, fits, TODAY + timedelta(days=17))
    add_customer(store, "死亡客户", "E")
    later = TODAY + timedelta(days=5)  # nobody touched: idle since added, not yet 90 days
    listed = grades.review(store, today=later)
    assert [(r["name"], r["grade"], r["suggested"]) for r in listed.misfits] == [("过期客户", "B", "D")]
    assert (listed.applied, card(store, passed)["grade"]) == (0, "B")

    applied = grades.review(store, today=later, apply=True, now=NOW)
    assert (applied.misfits, applied.applied) == (listed.misfits, 1)
    assert history(store, "过期客户") == [
        (TODAY, "B", "D", "grade review: expected close 2026-11-01 has passed: set a new date")
    ]
    assert card(store, passed)["grade"] == "D"
    # The passed date still needs a new one: listed again, but D is D, so nothing more is kept.
    again = grades.review(store, today=later, apply=True, now=NOW)
    assert (len(again.misfits), again.applied, len(history(store, "过期客户"))) == (1, 0, 1)


def test_a_customer_untouched_for_months_is_reviewed_down_to_d(store: Store) -> None:
    add_customer(store, "冷落客户", "C")
    months_later = TODAY + timedelta(days=114)
    [row] = grades.review(store, today=months_later).misfits
    assert (row["name"], row["suggested"], row["reason"]) == ("冷落客户", "D", "no touch for 114 days")


def test_the_python_api_grades_as_kehu_grade_does(store: Store) -> None:
    hnkj = add_customer(store, "杭州海纳科技", "B")
    book = Book(store, TODAY)
    graded = book.grade(hnkj, "A级", reason="预算已批")
    assert (graded.customer, graded.old, graded.new, graded.changed) == ("杭州海纳科技", "B", "A", True)
    assert history(store, "杭州海纳科技")[0][1:] == ("B", "A", "预算已批")
    with pytest.raises(UsageError):
        book.grade(hnkj, "Z")
