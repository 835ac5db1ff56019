"""When a customer is next due for a follow-up (客户追踪志, DOMAIN.md §3 and §7).

The grade sets the cadence: A every day (追踪日志), B every 7 days (周志), C every 15 days (半月志),
D every 30 days (月志), E never (死亡客户). A customer with no grade yet is followed up like D:
not knowing the need is a potential need.

The due date is the first of these that applies:

1. a snooze date (the salesperson said "not before then"), when set;
2. the next step's date recorded with the last follow-up, when set;
3. grade E: never due (None);
4. never touched: due from the day the customer was added;
5. otherwise the last touch plus the grade's cadence in days.

So a snooze or a next step makes even an E customer due: the salesperson asked for it by hand.
The functions are pure: nothing reads the clock or the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from dateutil.relativedelta import relativedelta

__all__ = ["CADENCE_DAYS", "UNGRADED_CADENCE_GRADE", "cadence_days", "next_due"]

# Days between follow-ups for each grade; None means "no follow-up" (E, 死亡客户).
CADENCE_DAYS: dict[str, int | None] = {"A": 1, "B": 7, "C": 15, "D": 30, "E": None}
UNGRADED_CADENCE_GRADE = "D"  # a customer with no grade yet is followed up monthly (potential need)


def cadence_days(grade: str | None) -> int | None:
    """Days between follow-ups for `grade` (None: ungraded, counted as D), or None for E.

    Raises ValueError for a grade that is not a key of CADENCE_DAYS (grades reach here already
    parsed, so an unknown one is a bug, not user input).
    """
    key = UNGRADED_CADENCE_GRADE if grade is None else grade
    if key not in CADENCE_DAYS:
        raise ValueError(f"unknown grade {grade!r}; expected one of {', '.join(CADENCE_DAYS)} or None")
    return CADENCE_DAYS[key]


def next_due(
    *,
    grade: str | None,
    added_on: date,
    last_touch_on: date | None,
    next_step_on: date | None,
    snoozed_until: date | None,
    shift: Callable[[date], date] | None = None,
) -> date | None:
    """The date the customer is next due, by the rules in the module docstring, or None (never).

    `shift`, when given, moves whatever date the rules give (from any rule, snooze included) to
    the date it returns; kehu passes `workdays.next_workday` when the user's config says
    `workdays = true`. The due date may be in the past: that is how "overdue" is read, so no
    rule clamps it to today. Raises ValueError for an unknown grade, even when a snooze or next
    step would have decided, so that bad data is never hidden.
    """
    days = cadence_days(grade)
    if snoozed_until is not None:
        due = snoozed_until
    elif next_step_on is not None:
        due = next_step_on
    elif days is None:  # E: dead customer, followed up only when asked for by hand (above)
        return None
    elif last_touch_on is None:
        # Never touched: the first contact is owed from the day the card was made, not a cadence
        # later, so a new lead shows up in today's list at once.
        due = added_on
    else:
        # The issue asks for dateutil; for days alone relativedelta counts exactly like timedelta.
        due = last_touch_on + relativedelta(days=days)
    return shift(due) if shift is not None else due
