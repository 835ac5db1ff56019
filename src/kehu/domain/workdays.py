"""Chinese working days (工作日), for users who want follow-ups to land only on days they work.

China moves working days around its public holidays: a holiday week is paid for by make-up
working days (调休), often a Saturday or Sunday. The maintained `chinese-calendar` package
(import name `chinese_calendar`) carries the State Council's yearly schedule, so it knows both
the holidays and the make-up days. It only knows the years published when it was released; for
any other year it raises NotImplementedError, and this module falls back to Monday-Friday.

The package is imported inside the functions: only users with `workdays = true` in their config
need it, and the rest of kehu should not pay for loading its tables.
"""

from __future__ import annotations

from datetime import date, timedelta

__all__ = ["is_workday", "next_workday"]


def is_workday(day: date) -> bool:
    """True when `day` is a working day in mainland China.

    In a year chinese-calendar knows: its answer, with public holidays off and make-up days
    (调休, e.g. Sunday 2026-01-04) on. In any other year: Monday to Friday, holidays unknown.
    """
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # A year the installed package has no schedule for (too old, or not yet published):
        # weekends are still certain, holidays are not, so count every weekday as working.
        return day.weekday() < 5


def next_workday(day: date) -> date:
    """`day` itself when it is a working day (is_workday), otherwise the next working day after it."""
    # Terminates quickly: the longest run of days off (Spring Festival, National Day) is about 9.
    while not is_workday(day):
        day += timedelta(days=1)
    return day
