"""Contacts' birthdays falling in a date range, for the reminders in the follow-up list (DOMAIN.md §2).

Many Chinese contacts celebrate their lunar (农历) birthday, so a contact's birthday is stored as
a `date` plus a flag:

* Gregorian (公历): the stored month and day recur every year. A Feb 29 birthday is celebrated on
  Feb 28 in years without Feb 29.
* Either may be known without its year (a domain.monthday.MonthDay, `--birthday 12-10`): only
  its month and day are ever read here, so it is found the same way.
* Lunar (农历): the stored month and day are a LUNAR month and day (1978-08-15 means 八月十五,
  the Mid-Autumn festival), and the birth year is ignored. Each lunar year they fall on a
  different Gregorian date, found with the `lunardate` package. A lunar month has 29 or 30
  days: a birthday on 三十 in a year whose month has 29 days is celebrated on its last day, 廿九
  (as 除夕 moves to 腊月廿九). Leap months (闰月) are ignored: the birthday is kept in the regular
  month of that number only, the common custom.

The function is pure: the range is a parameter, and nothing reads the clock.
"""

from __future__ import annotations

import calendar
import functools
from datetime import date

from lunardate import LunarDate

from kehu.domain.monthday import MonthDay

__all__ = ["birthday_in_range"]

# The lunar years lunardate has tables for ("from 1900 to 2099", its docs); outside them a lunar
# birthday cannot be placed and is skipped (kehu's ranges are around today, far inside).
_LUNAR_YEARS = range(1900, 2100)


def _gregorian_in_year(birthday: date | MonthDay, year: int) -> date:
    if birthday.month == 2 and birthday.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, birthday.month, birthday.day)


def _lunar_in_year(birthday: date | MonthDay, lunar_year: int) -> date:
    """The Gregorian date of the birthday's lunar month-day in `lunar_year` (regular month)."""
    return _lunar_to_solar(birthday.month, birthday.day, lunar_year)


@functools.lru_cache(maxsize=4096)
def _lunar_to_solar(month: int, day: int, lunar_year: int) -> date:
    # Cached: a big book has thousands of lunar birthdays but at most 384 month-days a year, and
    # lunardate walks its tables from 1900 for each conversion.
    try:
        return LunarDate(lunar_year, month, day).to_solar_date()
    except ValueError:
        if day != 30:
            raise  # day 31 (or a bad month) is not a lunar date in any year: bad data, not a gap
        # That month has only 29 days this year: the last day stands in for 三十.
        return LunarDate(lunar_year, month, 29).to_solar_date()


def birthday_in_range(birthday: date | MonthDay, lunar: bool, start: date, end: date) -> date | None:
    """The Gregorian date in [start, end] (both included) on which the birthday falls, or None.

    `lunar` says whether `birthday`'s month and day are lunar (see the module docstring); its year
    is never used. When the range holds more than one occurrence (a range over a year long), the
    earliest is returned; an empty range (start after end) holds none. Ranges across a year end
    work for both calendars. A lunar birthday whose lunar year lies outside 1900-2099 is not
    found (None). Raises ValueError for a lunar birthday on day 31, which no lunar month has.
    """
    if start > end:
        return None
    if lunar:
        # Gregorian year Y holds the end of lunar year Y-1 (January/February, before the Spring
        # Festival) and most of lunar year Y, so these lunar years cover every day in the range.
        years = [y for y in range(start.year - 1, end.year + 1) if y in _LUNAR_YEARS]
        candidates = (_lunar_in_year(birthday, y) for y in years)
    else:
        candidates = (_gregorian_in_year(birthday, y) for y in range(start.year, end.year + 1))
    # Candidates come in increasing order (one per year), so the first in range is the earliest.
    return next((day for day in candidates if start <= day <= end), None)
