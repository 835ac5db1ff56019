"""kehu.domain.birthdays: Gregorian and lunar birthdays in a range, each with its exact answer.

Lunar dates were checked against lunardate 0.3.0: 2026 中秋 (八月十五) is 2026-09-25, 2027 春节
(正月初一) is 2027-02-06, 2026 十月十六 is 2026-11-24, 2026 冬月 (十一月) runs 2026-12-09 … 2027-01-06,
lunar 2025's 腊月 has 29 days (除夕 2026 is 腊月廿九, 2026-02-16), lunar 2026's 二月 and 四月 have 29
days and its 正月 30, and lunar 2025 has a leap sixth month (闰六月, 2025-07-25 … 2025-08-22).
"""

from __future__ import annotations

from datetime import date

import pytest

from kehu.domain.birthdays import birthday_in_range

GREGORIAN = [
    # (birthday, start, end, expected)
    (date(1980, 3, 15), date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 15)),
    (date(1980, 3, 15), date(2026, 4, 1), date(2026, 4, 30), None),
    (date(1980, 3, 15), date(2026, 3, 16), date(2026, 4, 15), None),  # just after it
    (date(1980, 3, 15), date(2026, 2, 13), date(2026, 3, 14), None),  # just before it
    (date(1980, 3, 15), date(2026, 3, 15), date(2026, 4, 14), date(2026, 3, 15)),  # on the start
    (date(1980, 3, 15), date(2026, 2, 14), date(2026, 3, 15), date(2026, 3, 15)),  # on the end
    (date(1980, 3, 15), date(2026, 3, 15), date(2026, 3, 15), date(2026, 3, 15)),  # a one-day range
    # across a year end
    (date(1975, 12, 30), date(2026, 12, 28), date(2027, 1, 3), date(2026, 12, 30)),
    (date(1975, 1, 2), date(2026, 12, 28), date(2027, 1, 3), date(2027, 1, 2)),
    (date(1975, 1, 5), date(2026, 12, 28), date(2027, 1, 3), None),
    (date(1975, 12, 27), date(2026, 12, 28), date(2027, 1, 3), None),
    # Feb 29: on Feb 28 in years without it
    (date(1988, 2, 29), date(2027, 2, 20), date(2027, 3, 5), date(2027, 2, 28)),
    (date(1988, 2, 29), date(2028, 2, 20), date(2028, 3, 5), date(2028, 2, 29)),
    (date(1988, 2, 29), date(2028, 2, 28), date(2028, 2, 28), None),  # a leap year keeps 02-29
    (date(1988, 2, 29), date(2027, 3, 1), date(2027, 3, 31), None),
    (date(1990, 2, 28), date(2028, 2, 20), date(2028, 3, 5), date(2028, 2, 28)),
    # an empty range
    (date(1980, 3, 15), date(2026, 3, 31), date(2026, 3, 1), None),
]


@pytest.mark.parametrize(("birthday", "start", "end", "expected"), GREGORIAN)
def test_gregorian(birthday: date, start: date, end: date, expected: date | None) -> None:
    assert birthday_in_range(birthday, False, start, end) == expected


LUNAR = [
    # (stored lunar month-day, start, end, expected)
    (date(1978, 8, 15), date(2026, 9, 1), date(2026, 9, 30), date(2026, 9, 25)),  # 中秋 2026
    (date(1978, 8, 15), date(2026, 8, 1), date(2026, 8, 31), None),  # not the Gregorian 08-15
    (date(1978, 8, 15), date(2026, 9, 25), date(2026, 9, 25), date(2026, 9, 25)),  # one-day range
    (date(1978, 8, 15), date(2026, 9, 26), date(2026, 10, 20), None),  # the day after
    (date(1970, 1, 1), date(2027, 2, 1), date(2027, 2, 28), date(2027, 2, 6)),  # 春节 2027
    (date(1965, 10, 16), date(2026, 11, 15), date(2026, 12, 15), date(2026, 11, 24)),  # 十月十六
    # a day-30 birthday: 腊月 2025 (lunar) has 29 days, so 腊月三十 is kept on 廿九 (除夕)
    (date(1982, 12, 30), date(2026, 2, 10), date(2026, 2, 20), date(2026, 2, 16)),
    (date(1982, 4, 30), date(2026, 6, 1), date(2026, 6, 30), date(2026, 6, 14)),  # 四月 2026: 29 days
    (date(1982, 1, 30), date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 18)),  # 正月 2026: 30 days
    # across the Gregorian year end: lunar 2026's 冬月 spans it
    (date(1970, 11, 20), date(2026, 12, 28), date(2027, 1, 3), date(2026, 12, 28)),
    (date(1970, 11, 25), date(2026, 12, 28), date(2027, 1, 3), date(2027, 1, 2)),
    (date(1970, 11, 27), date(2026, 12, 28), date(2027, 1, 3), None),  # 2027-01-04
    # a range across the Spring Festival holds the end of one lunar year and the start of the next
    (date(1970, 12, 20), date(2027, 1, 25), date(2027, 2, 20), date(2027, 1, 27)),  # lunar 2026
    (date(1970, 1, 5), date(2027, 1, 25), date(2027, 2, 20), date(2027, 2, 10)),  # lunar 2027
    # leap months are ignored: 六月初十 is kept in the regular 六月 only
    (date(1970, 6, 10), date(2025, 7, 1), date(2025, 7, 10), date(2025, 7, 4)),
    (date(1970, 6, 10), date(2025, 7, 25), date(2025, 8, 22), None),  # 闰六月初十 is 2025-08-03
    # an empty range
    (date(1978, 8, 15), date(2026, 9, 30), date(2026, 9, 1), None),
]


@pytest.mark.parametrize(("birthday", "start", "end", "expected"), LUNAR)
def test_lunar(birthday: date, start: date, end: date, expected: date | None) -> None:
    assert birthday_in_range(birthday, True, start, end) == expected


def test_lunar_birth_year_is_ignored() -> None:
    assert birthday_in_range(date(2001, 8, 15), True, date(2026, 9, 1), date(2026, 9, 30)) == date(
        2026, 9, 25
    )


def test_lunar_outside_the_package_years_is_not_found() -> None:
    # lunardate's tables start with lunar 1900 (正月初一 = 1900-01-31).
    assert birthday_in_range(date(1970, 12, 1), True, date(1890, 1, 1), date(1890, 1, 31)) is None
    assert birthday_in_range(date(1970, 1, 1), True, date(1900, 1, 20), date(1900, 2, 10)) == date(
        1900, 1, 31
    )


def test_lunar_day_31_is_an_error() -> None:
    with pytest.raises(ValueError, match="day out of range"):
        birthday_in_range(date(1970, 1, 31), True, date(2026, 3, 1), date(2026, 3, 31))
