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
returns a suggestion only when it does not. A grade a person set with a reason (`HandGrade`) is
their judgement, made knowing the card: the review leaves it alone until something it rested on
changes (the close date passes, the card is edited, no touch for two cadences). The functions
are pure: today is a parameter, and reasons are one line in the user's language (translated
when called).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from kehu.domain.cadence import cadence_days
from kehu.i18n import _

__all__ = [
    "GRADES",
    "HAND_GRADE_CADENCES",
    "STALE_AFTER_DAYS",
    "GradeSuggestion",
    "HandGrade",
    "review_grade",
    "suggest_grade",
]

GRADES = ("A", "B", "C", "D", "E")
# Graded A, B or C means "close within 6 months"; three months without any touch says the deal is
# not being worked, whatever the card's close date claims.
STALE_AFTER_DAYS = 90
# A grade set by hand holds while the customer is worked: untouched for this many of its grade's
# cadences (A: 2 days, B: 14, C: 30, D: 60) it rests on nothing any more.
HAND_GRADE_CADENCES = 2
_ACTIVE = frozenset("ABC")


@dataclass(frozen=True)
class GradeSuggestion:
    grade: str  # the suggested grade, one of GRADES
    reason: str  # one line, in the user's language
    # Which rule gave it, a stable code for data in any language: kept_e, no_close_date,
    # close_passed, close_within_1_month, close_within_3_months, close_within_6_months,
    # close_later, no_touch. The reason says it to people; two suggestions are equal by grade
    # and reason.
    rule: str = field(default="", compare=False)


@dataclass(frozen=True)
class HandGrade:
    """The customer's grade as a person set it, with a reason (kehu grade X B --reason …)."""

    set_on: date  # the day it was set
    # The card was edited after (kehu edit, an import): its close date may have moved. The book
    # keeps no history of the close date, so any edit counts.
    edited_since: bool = False


def _check_grade(grade: str | None) -> None:
    # Grades reach here already parsed (kehu.domain.vocabulary.GRADE); anything else is a bug.
    if grade is not None and grade not in GRADES:
        raise ValueError(f"unknown grade {grade!r}; expected one of {', '.join(GRADES)} or None")


def _passed(expected_close: date) -> GradeSuggestion:
    return GradeSuggestion(
        "D",
        _("expected close {date} has passed: set a new date").format(date=expected_close.isoformat()),
        "close_passed",
    )


def suggest_grade(*, current: str | None, expected_close: date | None, today: date) -> GradeSuggestion:
    """The grade DOMAIN §3 gives a customer with this close date on `today`, and why.

    `current` matters only when it is E, which is kept as is. A close date of today counts as
    within 1 month; one before today is "passed" (D). Raises ValueError for a grade not in GRADES.
    """
    _check_grade(current)
    if current == "E":
        return GradeSuggestion("E", _("graded E (no need): not changed automatically"), "kept_e")
    if expected_close is None:
        return GradeSuggestion("D", _("no expected close date: potential need"), "no_close_date")
    if expected_close < today:
        return _passed(expected_close)
    when = expected_close.isoformat()
    if expected_close <= today + relativedelta(months=1):
        return GradeSuggestion("A", _("expected close {date} is within 1 month").format(date=when),
                               "close_within_1_month")  # fmt: skip
    if expected_close <= today + relativedelta(months=3):
        return GradeSuggestion("B", _("expected close {date} is within 3 months").format(date=when),
                               "close_within_3_months")  # fmt: skip
    if expected_close <= today + relativedelta(months=6):
        return GradeSuggestion("C", _("expected close {date} is within 6 months").format(date=when),
                               "close_within_6_months")  # fmt: skip
    return GradeSuggestion("D", _("expected close {date} is more than 6 months away").format(date=when),
                           "close_later")  # fmt: skip


def review_grade(
    *,
    current: str | None,
    expected_close: date | None,
    last_touch_on: date | None,
    added_on: date,
    today: date,
    hand: HandGrade | None = None,
) -> GradeSuggestion | None:
    """A suggestion when the customer's grade no longer fits on `today`, else None.

    The checks, first match wins:
    (a) the expected close date has passed (any grade but E, even D: the date must be re-set);
    (h) the grade was set by hand with a reason (`hand`) and still holds: None. It holds until
        the card is edited after it was set, or no touch for more than HAND_GRADE_CADENCES of
        its cadences, counted from the later of the last touch and the day it was set; then
        (c) and (b) judge it, their reason saying what changed;
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
    found = _by_the_rule(current, suggestion, (today - (last_touch_on or added_on)).days)
    if hand is None or found is None:
        return found
    lapsed = _lapsed(current, hand, last_touch_on, today)
    if lapsed is None:
        return None  # the person's judgement still holds
    return GradeSuggestion(found.grade, _("{reason} ({what_changed})").format(
        reason=found.reason, what_changed=lapsed), found.rule)  # fmt: skip


def _lapsed(current: str, hand: HandGrade, last_touch_on: date | None, today: date) -> str | None:
    """What no longer holds of a grade set by hand (one line), or None while it all does."""
    days = cadence_days(current)
    since = max(hand.set_on, last_touch_on or hand.set_on)
    idle_days = (today - since).days
    if days is not None and idle_days > HAND_GRADE_CADENCES * days:
        return _("grade set by hand on {day}; no touch for {days} days").format(
            day=hand.set_on.isoformat(), days=idle_days)  # fmt: skip
    if hand.edited_since:
        return _("grade set by hand on {day}; the card was edited since").format(day=hand.set_on.isoformat())
    return None


def _by_the_rule(current: str, suggestion: GradeSuggestion, idle_days: int) -> GradeSuggestion | None:
    """Checks (c) and (b) of review_grade."""
    if current in _ACTIVE and idle_days > STALE_AFTER_DAYS:
        return GradeSuggestion("D", _("no touch for {days} days").format(days=idle_days), "no_touch")
    if suggestion.grade != current:
        # A customer nobody has touched for months is not upgraded by its close date alone:
        # otherwise (c) demotes it and (b) promotes it again on every other review.
        if idle_days > STALE_AFTER_DAYS and GRADES.index(suggestion.grade) < GRADES.index(current):
            return None
        return suggestion
    return None
