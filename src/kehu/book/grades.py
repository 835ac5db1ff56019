"""Grades A–E (客户等级): set one with a reason, the history, the suggestion, the review.

One write rule, `change_grade`: a grade that changes is stored, the change (old, new, day,
reason) is kept in the history, and the customer's due date follows the new cadence. `kehu
grade`, `kehu grade review --apply` and `kehu edit --grade` all go through it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kehu.store.db import Store
    from kehu.store.followups import Shift
    from kehu.store.sql import Connection


def change_grade(
    connection: Connection,
    card: Mapping[str, Any],
    new: str | None,
    reason: str | None,
    *,
    now: datetime,
    shift: Shift,
) -> bool:
    """Give the customer `card` (its id and grade) the grade `new` in the caller's transaction:
    stored, kept in the history dated `now`'s local day with the reason, due date recomputed.
    False (and nothing written) when it already has that grade."""
    from kehu.store import followups

    if card["grade"] == new:
        return False
    followups.write_grade(connection, card["id"], new, now)
    followups.record_grade_change(
        connection, card["id"], card["grade"], new, reason, now.astimezone().date(), now
    )
    followups.refresh_due(connection, [card["id"]], shift)
    return True


@dataclass(frozen=True)
class Graded:
    customer_id: int
    customer: str
    old: str | None
    new: str
    changed: bool  # False: it already had that grade, nothing was recorded
    next_due: date | None  # None: never (grade E)


def set_grade(
    store: Store, customer: str, grade: str, reason: str | None = None, *, now: datetime, shift: Shift = None
) -> Graded:
    """Set a customer's grade (named as `kehu grade` takes it; the grade as a code or a label:
    B, B级), keeping the change with its reason."""
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    code = grade_code(grade)
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        changed = change_grade(connection, card, code, reason, now=now, shift=shift)
        due = followups.follow_up_state(connection, card["id"])["next_due"]
    return Graded(card["id"], card["name"], card["grade"], code, changed, due)


def grade_code(text: str) -> str:
    """A grade's code from what a person types (A, a, A级 …); anything else is the usage error
    that lists A–E."""
    from kehu.book.words import word_code
    from kehu.domain.vocabulary import GRADE

    code = word_code(GRADE, "grade", text)
    assert code is not None
    return code


@dataclass(frozen=True)
class GradeHistory:
    customer_id: int
    customer: str
    changes: list[dict[str, Any]]  # newest first: changed_on, old_grade, new_grade, reason


def history(store: Store, customer: str) -> GradeHistory:
    """Every grade change of a customer (archived ones too), newest first."""
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        changes = [dict(row) for row in followups.grade_history(connection, card["id"])]
    return GradeHistory(card["id"], card["name"], changes)


def suggestions(store: Store, *, today: date, customer: str | None = None) -> list[dict[str, Any]]:
    """The grade the A–E rule gives from the expected close date, with the reason: for one
    customer, or every active one (id, name, grade, suggested, reason)."""
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        only = resolve_customer(connection, customer)["id"] if customer else None
        return _suggested(followups.grade_inputs(connection, only), today, review=False)


@dataclass(frozen=True)
class Review:
    misfits: list[dict[str, Any]]  # id, name, grade, suggested, reason: grades that no longer fit
    applied: int = 0  # how many of them were changed (with apply)


def review(store: Store, *, today: date, apply: bool = False, now: datetime | None = None,
           shift: Shift = None) -> Review:  # fmt: skip
    """The active customers whose grade no longer fits (close date passed, untouched for months
    …); with `apply`, each gets the suggested grade, kept in the history with the reason."""
    from kehu.store import followups

    if not apply:
        with store.read() as connection:
            return Review(_suggested(followups.grade_inputs(connection), today, review=True))
    assert now is not None, "applying a review writes: it needs the moment"
    with store.write() as connection:
        misfits = _suggested(followups.grade_inputs(connection), today, review=True)
        applied = sum(change_grade(connection, row, row["suggested"], row["reason"], now=now, shift=shift)
                      for row in misfits)  # fmt: skip
    return Review(misfits, applied)


def _suggested(cards: list[Mapping[str, Any]], today: date, *, review: bool) -> list[dict[str, Any]]:
    from kehu.domain.grades import review_grade, suggest_grade

    rows = []
    for card in cards:
        if review:
            suggestion = review_grade(
                current=card["grade"], expected_close=card["expected_close"],
                last_touch_on=card["last_touch_on"], added_on=card["created_at"].astimezone().date(),
                today=today,
            )  # fmt: skip
        else:
            suggestion = suggest_grade(
                current=card["grade"], expected_close=card["expected_close"], today=today
            )
        if suggestion is not None:
            rows.append({"id": card["id"], "name": card["name"], "grade": card["grade"],
                         "suggested": suggestion.grade, "reason": suggestion.reason})  # fmt: skip
    return rows
