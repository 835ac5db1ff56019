"""Grades A–E (客户等级): set one with a reason, the history, the suggestion, the review.

One write rule, `change_grade`: a grade that changes is stored, the change (old, new, day,
reason) is kept in the history, and the customer's due date follows the new cadence. `kehu
grade`, `kehu grade review --apply` and `kehu edit --grade` all go through it.

A grade a person set with a reason of their own (`kehu grade X B --reason …`, also the same
grade again: a confirmation, kept in the history as B → B) is their judgement, and the review
leaves it alone until it no longer holds (domain.grades.review_grade). Reasons kehu writes
itself (edited, import, a review's) are not a person's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kehu.domain.grades import HandGrade
    from kehu.store.db import Store
    from kehu.store.followups import Shift
    from kehu.store.sql import Connection, Row


def _review_note(reason: str) -> str:
    """A grade the review changed is kept with the review's reason, so marked: it is the rule's
    grade, not a person's judgement."""
    from kehu.i18n import _

    return _("grade review: {reason}").format(reason=reason)


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
    changed: bool  # False: it already had that grade
    next_due: date | None  # None: never (grade E)
    confirmed: bool = False  # it already had that grade, and the reason was kept (B → B)


def set_grade(
    store: Store, customer: str, grade: str, reason: str | None = None, *, now: datetime, shift: Shift = None
) -> Graded:
    """Set a customer's grade (named as `kehu grade` takes it; the grade as a code or a label:
    B, B级), keeping the change with its reason. The grade it already has, with a reason, is
    kept as a confirmation (the review then leaves it alone); without one nothing is written."""
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    code = grade_code(grade)
    reason = (reason or "").strip() or None
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        changed = change_grade(connection, card, code, reason, now=now, shift=shift)
        confirmed = not changed and reason is not None
        if confirmed:
            followups.record_grade_change(connection, card["id"], code, code, reason,
                                          now.astimezone().date(), now)  # fmt: skip
        due = followups.follow_up_state(connection, card["id"])["next_due"]
    return Graded(card["id"], card["name"], card["grade"], code, changed, due, confirmed)


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
    customer, or every active one (id, name, grade, suggested, reason, and the rule's code)."""
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
    …); with `apply`, each gets the suggested grade, kept in the history with the reason. A
    grade a person set with a reason is listed only once it no longer holds (see the module)."""
    from kehu.store.grades import review_inputs

    if not apply:
        with store.read() as connection:
            return Review(_suggested(review_inputs(connection), today, review=True))
    assert now is not None, "applying a review writes: it needs the moment"
    with store.write() as connection:
        misfits = _suggested(review_inputs(connection), today, review=True)
        applied = sum(change_grade(connection, row, row["suggested"],
                                   _review_note(row["reason"]), now=now, shift=shift)
                      for row in misfits)  # fmt: skip
    return Review(misfits, applied)


def _hand_grade(card: Row) -> HandGrade | None:
    """The card's grade as a person set it with a reason of their own, if it is that: its
    latest grade change set the grade it has, with a reason kehu did not write."""
    from kehu.domain.grades import HandGrade
    from kehu.i18n import _

    reason = (card["set_reason"] or "").strip()
    if card["set_grade"] != card["grade"] or not reason:
        return None
    written_by_kehu = {"edited", "import", _("edited"), _("import")}
    review_marks = {"grade review: ", _review_note("")}  # the English msgid's, the user's language's
    if reason in written_by_kehu or reason.startswith(tuple(review_marks)):
        return None
    # Written after the grade was set, other than by a funnel move (which writes updated_at at
    # the moment of its stage_change row): edited. A transfer counts too; the book keeps no
    # history of the close date itself. Moments are stored to the second: an edit in the very
    # second of a move reads as the move.
    updated = card["updated_at"]
    edited = updated > card["set_at"] and updated != card["moved_at"]
    return HandGrade(card["set_on"], edited_since=edited)


def _suggested(cards: list[Mapping[str, Any]], today: date, *, review: bool) -> list[dict[str, Any]]:
    from kehu.domain.grades import review_grade, suggest_grade

    rows = []
    for card in cards:
        if review:
            suggestion = review_grade(
                current=card["grade"], expected_close=card["expected_close"],
                last_touch_on=card["last_touch_on"], added_on=card["created_at"].astimezone().date(),
                today=today, hand=_hand_grade(card),
            )  # fmt: skip
        else:
            suggestion = suggest_grade(
                current=card["grade"], expected_close=card["expected_close"], today=today
            )
        if suggestion is not None:
            rows.append({"id": card["id"], "name": card["name"], "grade": card["grade"],
                         "suggested": suggestion.grade, "reason": suggestion.reason,
                         "rule": suggestion.rule})  # fmt: skip
    return rows
