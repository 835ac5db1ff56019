"""The customer grades A–E (客户等级, DOMAIN.md §3): the grade the close date calls for, and a review.

The rule of the table, with need taken as clear whenever a close date is expected:

* E (no need, 死亡客户) is never changed here: only a person revives a dead customer.
* No expected close date → D (potential need).
* An expected close date already passed → D, and the salesperson must set a new date: a stale
  date says nothing about when the deal will close, so no better grade can be read from it.
* Otherwise the calendar-month window the close date falls in: within 1 month of today → A,
  within 3 months → B, within 6 months → C, later → D. Windows are inclusive and clamp at month
  end like dateutil's relativedelta (on Jan 31, "within 1 month" runs to Feb 28/29).

`review_grade` answers "does this customer's grade still fit?" for the grade review list: it
returns a suggestion only when it does not. The functions are pure: today is a parameter, and
reasons are one line in the user's language (translated when called).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from kehu.i18n import _

__all__ = ["GRADES", "STALE_AFTER_DAYS", "GradeSuggestion", "review_grade", "suggest_grade"]

GRADES = ("A", "B", "C", "D", "E")
# Graded A, B or C means "close within 6 months"; three months without any touch says the deal is
# not being worked, whatever the card's close date claims.
STALE_AFTER_DAYS = 90
_ACTIVE = frozenset("ABC")


@dataclass(frozen=True)
class GradeSuggestion:
    grade: str  # the suggested grade, one of GRADES
    reason: str  # one line, in the user's language


def _check_grade(grade: str | None) -> None:
    # Grades reach here already parsed (kehu.domain.vocabulary.GRADE); anything else is a bug.
    if grade is not None and grade not in GRADES:
        raise ValueError(f"unknown grade {grade!r}; expected one of {', '.join(GRADES)} or None")


def _passed(expected_close: date) -> GradeSuggestion:
    return GradeSuggestion(
        "D", _("expected close {date} has passed: set a new date").format(date=expected_close.isoformat())
    )


def suggest_grade(*, current: str | None, expected_close: date | None, today: date) -> GradeSuggestion:
    """The grade DOMAIN §3 gives a customer with this close date on `today`, and why.

    `current` matters only when it is E, which is kept as is. A close date of today counts as
    within 1 month; one before today is "passed" (D). Raises ValueError for a grade not in GRADES.
    """
    _check_grade(current)
    if current == "E":
        return GradeSuggestion("E", _("graded E (no need): not changed automatically"))
    if expected_close is None:
        return GradeSuggestion("D", _("no expected close date: potential need"))
    if expected_close < today:
        return _passed(expected_close)
    when = expected_close.isoformat()
    if expected_close <= today + relativedelta(months=1):
        return GradeSuggestion("A", _("expected close {date} is within 1 month").format(date=when))
    if expected_close <= today + relativedelta(months=3):
        return GradeSuggestion("B", _("expected close {date} is within 3 months").format(date=when))
    if expected_close <= today + relativedelta(months=6):
        return GradeSuggestion("C", _("expected close {date} is within 6 months").format(date=when))
    return GradeSuggestion("D", _("expected close {date} is more than 6 months away").format(date=when))


def review_grade(
    *,
    current: str | None,
    expected_close: date | None,
    last_touch_on: date | None,
    added_on: date,
    today: date,
) -> GradeSuggestion | None:
    """A suggestion when the customer's grade no longer fits on `today`, else None.

    The checks, first match wins:
    (a) the expected close date has passed (any grade but E, even D: the date must be re-set);
    (c) graded A, B or C and no touch for more than STALE_AFTER_DAYS days, counted from
        `last_touch_on`, or from `added_on` if the customer was never touched → D;
    (b) the grade differs from suggest_grade's → that suggestion, except an upgrade of a
        customer idle for more than STALE_AFTER_DAYS (it would undo (c) at the next review).
    An ungraded customer (current None) always gets suggest_grade's suggestion. E is never
    reviewed (suggest_grade keeps E), so it always gives None. The suggested grade may equal the
    current one (case a on a D customer): the reason is what needs attention.
    """
    suggestion = suggest_grade(current=current, expected_close=expected_close, today=today)
    if current is None:
        return suggestion
    if current == "E":
        return None
    if expected_close is not None and expected_close < today:
        return _passed(expected_close)
    idle_days = (today - (last_touch_on or added_on)).days
    if current in _ACTIVE and idle_days > STALE_AFTER_DAYS:
        return GradeSuggestion("D", _("no touch for {days} days").format(days=idle_days))
    if suggestion.grade != current:
        # A customer nobody has touched for months is not upgraded by its close date alone:
        # otherwise (c) demotes it and (b) promotes it again on every other review.
        if idle_days > STALE_AFTER_DAYS and GRADES.index(suggestion.grade) < GRADES.index(current):
            return None
        return suggestion
    return None
