"""kehu.domain.workdays against chinese-calendar's published schedule, each with its exact answer.

The 2025/2026 dates were checked against chinese-calendar 1.11.0 (the State Council's notices):
National Day 2025 is 10-01 … 10-08 (with Mid-Autumn), Spring Festival 2026 is 02-15 … 02-23,
National Day 2026 is 10-01 … 10-07, and the make-up working days (调休) named below.
"""

from __future__ import annotations

from datetime import date

import pytest

from kehu.domain.workdays import is_workday, next_workday

IS_WORKDAY = [
    (date(2026, 3, 11), True),  # an ordinary Wednesday
    (date(2026, 3, 14), False),  # an ordinary Saturday
    (date(2026, 3, 15), False),  # an ordinary Sunday
    (date(2025, 10, 1), False),  # National Day, a Wednesday
    (date(2025, 10, 8), False),  # last day of the 2025 National Day holiday, a Wednesday
    (date(2026, 2, 16), False),  # Spring Festival 2026, a Monday
    # make-up working days (调休) on weekends
    (date(2025, 9, 28), True),  # Sunday
    (date(2025, 10, 11), True),  # Saturday
    (date(2026, 1, 4), True),  # Sunday
    (date(2026, 2, 14), True),  # Saturday
    (date(2026, 2, 28), True),  # Saturday
    # 2099: no schedule in the package, so Monday-Friday
    (date(2099, 1, 1), True),  # a Thursday: New Year unknown, counted as working
    (date(2099, 1, 3), False),  # Saturday
    (date(2099, 1, 4), False),  # Sunday
    (date(2003, 10, 1), True),  # before the package's first year (2004): a Wednesday
]


@pytest.mark.parametrize(("day", "expected"), IS_WORKDAY)
def test_is_workday(day: date, expected: bool) -> None:
    assert is_workday(day) is expected


NEXT_WORKDAY = [
    (date(2026, 3, 11), date(2026, 3, 11)),  # a working Wednesday stays
    (date(2026, 3, 14), date(2026, 3, 16)),  # Saturday → Monday
    (date(2026, 3, 15), date(2026, 3, 16)),  # Sunday → Monday
    (date(2025, 10, 1), date(2025, 10, 9)),  # National Day 2025 → Thursday 10-09
    (date(2025, 10, 4), date(2025, 10, 9)),
    (date(2025, 9, 28), date(2025, 9, 28)),  # a make-up Sunday is itself a working day
    (date(2026, 1, 1), date(2026, 1, 4)),  # New Year 2026 (01-01 … 01-03) → make-up Sunday 01-04
    (date(2026, 2, 14), date(2026, 2, 14)),  # make-up Saturday before the Spring Festival
    (date(2026, 2, 15), date(2026, 2, 24)),  # Spring Festival 2026 (02-15 … 02-23) → Tuesday
    (date(2026, 2, 17), date(2026, 2, 24)),  # 正月初一
    (date(2026, 10, 3), date(2026, 10, 8)),  # National Day 2026 → Thursday 10-08
    (date(2026, 10, 10), date(2026, 10, 10)),  # make-up Saturday
    (date(2026, 10, 11), date(2026, 10, 12)),  # the Sunday after it is off
    (date(2099, 1, 3), date(2099, 1, 5)),  # 2099: weekends only, Saturday → Monday
    (date(2099, 1, 1), date(2099, 1, 1)),
]


@pytest.mark.parametrize(("day", "expected"), NEXT_WORKDAY)
def test_next_workday(day: date, expected: date) -> None:
    assert next_workday(day) == expected
