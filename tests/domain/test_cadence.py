"""kehu.domain.cadence: the due date of every grade and rule, each with its exact answer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kehu.domain.cadence import CADENCE_DAYS, UNGRADED_CADENCE_GRADE, cadence_days, next_due
from kehu.domain.workdays import next_workday

ADDED = date(2026, 1, 5)  # the card was made before every touch below


def due(
    grade: str | None,
    last_touch_on: date | None,
    *,
    next_step_on: date | None = None,
    snoozed_until: date | None = None,
    added_on: date = ADDED,
) -> date | None:
    return next_due(
        grade=grade,
        added_on=added_on,
        last_touch_on=last_touch_on,
        next_step_on=next_step_on,
        snoozed_until=snoozed_until,
    )


@pytest.mark.parametrize(
    ("grade", "days"),
    [("A", 1), ("B", 7), ("C", 15), ("D", 30), ("E", None), (None, 30)],
)
def test_cadence_days(grade: str | None, days: int | None) -> None:
    assert cadence_days(grade) == days


def test_ungraded_counts_as_d() -> None:
    assert UNGRADED_CADENCE_GRADE == "D"
    assert cadence_days(None) == CADENCE_DAYS["D"]


@pytest.mark.parametrize("grade", ["F", "a", "", "AA"])
def test_unknown_grade_is_an_error(grade: str) -> None:
    with pytest.raises(ValueError, match="unknown grade"):
        cadence_days(grade)
    with pytest.raises(ValueError, match="unknown grade"):
        due(grade, date(2026, 3, 10), snoozed_until=date(2026, 3, 12))


CADENCE = [
    # every grade from one ordinary touch
    ("A", date(2026, 3, 10), date(2026, 3, 11)),
    ("B", date(2026, 3, 10), date(2026, 3, 17)),
    ("C", date(2026, 3, 10), date(2026, 3, 25)),
    ("D", date(2026, 3, 10), date(2026, 4, 9)),
    (None, date(2026, 3, 10), date(2026, 4, 9)),  # ungraded: like D
    # month ends
    ("A", date(2026, 1, 31), date(2026, 2, 1)),
    ("D", date(2026, 1, 31), date(2026, 3, 2)),  # 2026: February has 28 days
    ("D", date(2028, 1, 31), date(2028, 3, 1)),  # 2028: February has 29 days
    ("C", date(2026, 4, 20), date(2026, 5, 5)),
    # leap days
    ("A", date(2028, 2, 28), date(2028, 2, 29)),
    ("B", date(2028, 2, 29), date(2028, 3, 7)),
    ("A", date(2027, 2, 28), date(2027, 3, 1)),
    ("D", date(2028, 2, 15), date(2028, 3, 16)),
    # year end
    ("B", date(2026, 12, 25), date(2027, 1, 1)),
    ("A", date(2026, 12, 31), date(2027, 1, 1)),
    ("C", date(2026, 12, 20), date(2027, 1, 4)),
    ("D", date(2026, 12, 15), date(2027, 1, 14)),
]


@pytest.mark.parametrize(("grade", "last_touch", "expected"), CADENCE)
def test_last_touch_plus_cadence(grade: str | None, last_touch: date, expected: date) -> None:
    assert due(grade, last_touch) == expected


@pytest.mark.parametrize("last_touch", [None, date(2026, 3, 10)])
def test_e_is_never_due_by_itself(last_touch: date | None) -> None:
    assert due("E", last_touch) is None


STEP = date(2026, 6, 1)
SNOOZE = date(2026, 6, 8)

OVERRIDES = [
    # (grade, last touch, next step, snooze, expected)
    ("E", date(2026, 3, 10), STEP, None, STEP),
    ("E", date(2026, 3, 10), None, SNOOZE, SNOOZE),
    ("E", None, STEP, None, STEP),
    ("A", date(2026, 3, 10), STEP, None, STEP),  # next step beats cadence (would be 03-11)
    ("D", None, STEP, None, STEP),  # next step beats "never touched" (would be ADDED)
    ("B", date(2026, 3, 10), STEP, SNOOZE, SNOOZE),  # snooze beats next step
    ("B", date(2026, 3, 10), SNOOZE, STEP, STEP),  # … even when the snooze is earlier
    ("C", date(2026, 3, 10), None, SNOOZE, SNOOZE),  # snooze beats cadence
    ("D", date(2026, 5, 20), date(2026, 5, 21), None, date(2026, 5, 21)),  # earlier than cadence too
]


@pytest.mark.parametrize(("grade", "last_touch", "step", "snooze", "expected"), OVERRIDES)
def test_snooze_beats_next_step_beats_cadence(
    grade: str, last_touch: date | None, step: date | None, snooze: date | None, expected: date
) -> None:
    assert due(grade, last_touch, next_step_on=step, snoozed_until=snooze) == expected


@pytest.mark.parametrize("grade", ["A", "B", "C", "D", None])
def test_never_touched_is_due_from_added_on(grade: str | None) -> None:
    assert due(grade, None, added_on=date(2026, 2, 27)) == date(2026, 2, 27)


def _plus_100(day: date) -> date:
    return day + timedelta(days=100)


SHIFTED = [
    # (grade, last touch, next step, snooze, expected after +100 days)
    ("B", date(2026, 3, 10), None, None, date(2026, 6, 25)),  # cadence 03-17 + 100
    (None, None, None, None, date(2026, 4, 15)),  # added_on 01-05 + 100
    ("E", None, STEP, None, date(2026, 9, 9)),  # next step 06-01 + 100
    ("E", None, None, SNOOZE, date(2026, 9, 16)),  # snooze 06-08 + 100
]


@pytest.mark.parametrize(("grade", "last_touch", "step", "snooze", "expected"), SHIFTED)
def test_shift_is_applied_to_whatever_rule_decided(
    grade: str | None, last_touch: date | None, step: date | None, snooze: date | None, expected: date
) -> None:
    result = next_due(
        grade=grade,
        added_on=ADDED,
        last_touch_on=last_touch,
        next_step_on=step,
        snoozed_until=snooze,
        shift=_plus_100,
    )
    assert result == expected


def test_shift_is_not_called_when_never_due() -> None:
    def fail(day: date) -> date:
        raise AssertionError(f"shift called with {day}")

    result = next_due(
        grade="E", added_on=ADDED, last_touch_on=None, next_step_on=None, snoozed_until=None, shift=fail
    )
    assert result is None


@pytest.mark.parametrize(
    ("grade", "last_touch", "expected"),
    [
        ("B", date(2026, 9, 25), date(2026, 10, 8)),  # 10-02 is National Day; 10-08 the first workday
        ("A", date(2026, 3, 13), date(2026, 3, 16)),  # Friday + 1 = Saturday → Monday
        ("A", date(2026, 3, 11), date(2026, 3, 12)),  # a working day stays
        ("A", date(2026, 2, 13), date(2026, 2, 14)),  # Saturday 02-14 is a make-up working day (调休)
    ],
)
def test_shift_to_chinese_workdays(grade: str, last_touch: date, expected: date) -> None:
    result = next_due(
        grade=grade,
        added_on=ADDED,
        last_touch_on=last_touch,
        next_step_on=None,
        snoozed_until=None,
        shift=next_workday,
    )
    assert result == expected
