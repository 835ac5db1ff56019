"""The grade rule of DOMAIN §3 and the grade review, each case with its exact suggestion and reason.

Messages are English: the autouse fixture in tests/conftest.py clears KEHU_LANG and LC_ALL and sets
LANG=C.UTF-8.
"""

from __future__ import annotations

from datetime import date

import pytest

from kehu.domain import grades
from kehu.domain.grades import (
    GRADES,
    HAND_GRADE_CADENCES,
    STALE_AFTER_DAYS,
    GradeSuggestion,
    HandGrade,
    review_grade,
    suggest_grade,
)

TODAY = date(2026, 11, 23)
JAN_31 = date(2026, 1, 31)  # windows clamp at month end: + 1 month = Feb 28
AUG_31 = date(2026, 8, 31)  # + 3 months = Nov 30, + 6 months = Feb 28 2027

NO_DATE = "no expected close date: potential need"
E_KEPT = "graded E (no need): not changed automatically"


def passed(day: str) -> str:
    return f"expected close {day} has passed: set a new date"


def within(day: str, months: int) -> str:
    unit = "month" if months == 1 else "months"
    return f"expected close {day} is within {months} {unit}"


def beyond(day: str) -> str:
    return f"expected close {day} is more than 6 months away"


SUGGEST = [
    # (current, expected_close, today, grade, reason)
    (None, None, TODAY, "D", NO_DATE),
    ("A", None, TODAY, "D", NO_DATE),
    ("B", date(2026, 11, 22), TODAY, "D", passed("2026-11-22")),
    (None, date(2025, 1, 1), TODAY, "D", passed("2025-01-01")),
    ("C", date(2026, 11, 23), TODAY, "A", within("2026-11-23", 1)),  # today is not passed
    (None, date(2026, 12, 10), TODAY, "A", within("2026-12-10", 1)),
    ("D", date(2026, 12, 23), TODAY, "A", within("2026-12-23", 1)),  # exactly one month
    ("A", date(2026, 12, 24), TODAY, "B", within("2026-12-24", 3)),
    (None, date(2027, 2, 23), TODAY, "B", within("2027-02-23", 3)),  # exactly three months
    (None, date(2027, 2, 24), TODAY, "C", within("2027-02-24", 6)),
    ("B", date(2027, 5, 23), TODAY, "C", within("2027-05-23", 6)),  # exactly six months
    ("C", date(2027, 5, 24), TODAY, "D", beyond("2027-05-24")),
    (None, date(2030, 1, 1), TODAY, "D", beyond("2030-01-01")),
    # month ends: relativedelta clamps Jan 31 + 1 month to Feb 28
    (None, date(2026, 2, 28), JAN_31, "A", within("2026-02-28", 1)),
    (None, date(2026, 3, 1), JAN_31, "B", within("2026-03-01", 3)),
    (None, date(2026, 11, 30), AUG_31, "B", within("2026-11-30", 3)),
    (None, date(2026, 12, 1), AUG_31, "C", within("2026-12-01", 6)),
    (None, date(2027, 2, 28), AUG_31, "C", within("2027-02-28", 6)),
    (None, date(2027, 3, 1), AUG_31, "D", beyond("2027-03-01")),
    # leap year: Jan 31 2028 + 1 month = Feb 29 2028
    (None, date(2028, 2, 29), date(2028, 1, 31), "A", within("2028-02-29", 1)),
    (None, date(2028, 3, 1), date(2028, 1, 31), "B", within("2028-03-01", 3)),
    # E is kept whatever the date says
    ("E", None, TODAY, "E", E_KEPT),
    ("E", date(2026, 12, 1), TODAY, "E", E_KEPT),
    ("E", date(2026, 1, 1), TODAY, "E", E_KEPT),
]


@pytest.mark.parametrize(("current", "close", "today", "grade", "reason"), SUGGEST)
def test_suggest_grade(current, close, today, grade, reason) -> None:
    got = suggest_grade(current=current, expected_close=close, today=today)
    assert got == GradeSuggestion(grade, reason)


def test_suggested_grades_are_known() -> None:
    assert GRADES == ("A", "B", "C", "D", "E")
    assert {grade for _c, _d, _t, grade, _r in SUGGEST} == set(GRADES)


def test_suggestion_is_frozen() -> None:
    suggestion = suggest_grade(current=None, expected_close=None, today=TODAY)
    with pytest.raises(AttributeError):
        suggestion.grade = "A"  # type: ignore[misc]


@pytest.mark.parametrize("bad", ["a", "F", "", "A级"])
def test_unknown_grade_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="unknown grade"):
        suggest_grade(current=bad, expected_close=None, today=TODAY)
    with pytest.raises(ValueError, match="unknown grade"):
        review_grade(current=bad, expected_close=None, last_touch_on=None, added_on=TODAY, today=TODAY)


RECENT = date(2026, 11, 20)  # touched three days before TODAY
ADDED = date(2026, 10, 1)

REVIEW = [
    # (current, expected_close, last_touch_on, added_on, suggestion or None)
    # grades that fit
    ("A", date(2026, 12, 10), RECENT, ADDED, None),
    ("B", date(2027, 1, 10), RECENT, ADDED, None),
    ("C", date(2027, 4, 1), RECENT, ADDED, None),
    ("D", date(2027, 8, 1), RECENT, ADDED, None),
    ("D", None, None, date(2020, 1, 1), None),  # D is not stale-checked
    # (b) the grade differs from the rule
    ("A", date(2027, 1, 10), RECENT, ADDED, GradeSuggestion("B", within("2027-01-10", 3))),
    ("C", date(2026, 12, 1), RECENT, ADDED, GradeSuggestion("A", within("2026-12-01", 1))),
    ("D", date(2027, 4, 1), RECENT, ADDED, GradeSuggestion("C", within("2027-04-01", 6))),
    ("B", None, RECENT, ADDED, GradeSuggestion("D", NO_DATE)),
    ("A", date(2027, 8, 1), RECENT, ADDED, GradeSuggestion("D", beyond("2027-08-01"))),
    # (a) a passed close date, even when the grade is already D
    ("A", date(2026, 11, 1), RECENT, ADDED, GradeSuggestion("D", passed("2026-11-01"))),
    ("D", date(2026, 11, 22), RECENT, ADDED, GradeSuggestion("D", passed("2026-11-22"))),
    # (a) comes before (c): passed and not touched for 200 days
    ("B", date(2026, 10, 1), date(2026, 5, 7), ADDED, GradeSuggestion("D", passed("2026-10-01"))),
    # (c) no touch for more than 90 days: last touch 2026-08-24 is 91 days before TODAY
    ("A", date(2026, 12, 10), date(2026, 8, 24), ADDED, GradeSuggestion("D", "no touch for 91 days")),
    ("C", date(2027, 4, 1), date(2026, 8, 24), ADDED, GradeSuggestion("D", "no touch for 91 days")),
    ("B", date(2027, 1, 10), date(2026, 8, 25), ADDED, None),  # exactly 90 days is not stale
    # (c) comes before (b): grade C with a close date for A, untouched for 100 days
    ("C", date(2026, 12, 1), date(2026, 8, 15), ADDED, GradeSuggestion("D", "no touch for 100 days")),
    # (c) never touched: counted from added_on
    ("B", date(2027, 1, 10), None, date(2026, 8, 24), GradeSuggestion("D", "no touch for 91 days")),
    ("B", date(2027, 1, 10), None, date(2026, 8, 25), None),
    # a touch after adding is what counts, not added_on
    ("B", date(2027, 1, 10), RECENT, date(2025, 1, 1), None),
    # E is never reviewed
    ("E", None, None, date(2020, 1, 1), None),
    ("E", date(2026, 1, 1), None, date(2020, 1, 1), None),
    ("E", date(2026, 12, 1), RECENT, ADDED, None),
    # ungraded: always suggest_grade's suggestion, touched or not
    (None, None, None, ADDED, GradeSuggestion("D", NO_DATE)),
    (None, date(2026, 12, 1), RECENT, ADDED, GradeSuggestion("A", within("2026-12-01", 1))),
    (None, date(2026, 12, 1), None, date(2025, 1, 1), GradeSuggestion("A", within("2026-12-01", 1))),
    (None, date(2026, 11, 1), None, ADDED, GradeSuggestion("D", passed("2026-11-01"))),
]


@pytest.mark.parametrize(("current", "close", "touched", "added", "expected"), REVIEW)
def test_review_grade(current, close, touched, added, expected) -> None:
    got = review_grade(
        current=current, expected_close=close, last_touch_on=touched, added_on=added, today=TODAY
    )
    assert got == expected


def by_hand(day: str, what: str) -> str:
    return f"grade set by hand on {day}; {what}"


SET_TODAY = HandGrade(TODAY)
SET_2_DAYS_AGO = HandGrade(date(2026, 11, 21))
HAND = [
    # (current, expected_close, last touch, hand, expected): added on ADDED, reviewed on TODAY
    # Set today with a reason: left alone whatever the rule says of its close date.
    ("A", None, None, SET_TODAY, None),
    ("A", date(2027, 8, 1), None, SET_TODAY, None),
    ("B", None, date(2026, 5, 1), SET_TODAY, None),  # idle 206 days before, but judged today
    ("C", date(2026, 12, 1), RECENT, SET_TODAY, None),
    # Two cadences without a touch, counted from the later of the last touch and the day set:
    # A's is 1 day, so 2 days still hold and 3 do not.
    ("A", None, None, SET_2_DAYS_AGO, None),
    ("A", None, None, HandGrade(date(2026, 11, 20)),
     GradeSuggestion("D", f"{NO_DATE} ({by_hand('2026-11-20', 'no touch for 3 days')})")),
    ("A", None, date(2026, 11, 22), HandGrade(date(2026, 11, 1)), None),  # touched since: holds
    ("B", None, date(2026, 11, 9), HandGrade(date(2026, 11, 1)), None),  # 14 days: B's two cadences
    ("B", None, date(2026, 11, 8), HandGrade(date(2026, 11, 1)),
     GradeSuggestion("D", f"{NO_DATE} ({by_hand('2026-11-01', 'no touch for 15 days')})")),
    # Lapsed, but the rule agrees with the grade: nothing to say.
    ("A", date(2026, 12, 10), None, HandGrade(date(2026, 11, 1)), None),
    # The card edited since (its close date may have moved): the rule judges it again.
    ("A", date(2027, 8, 1), RECENT, HandGrade(TODAY, edited_since=True),
     GradeSuggestion("D", f"{beyond('2027-08-01')} ({by_hand('2026-11-23', 'the card was edited since')})")),
    ("A", date(2026, 12, 10), RECENT, HandGrade(TODAY, edited_since=True), None),
    # A passed close date always speaks, in its own words.
    ("A", date(2026, 11, 1), RECENT, SET_TODAY, GradeSuggestion("D", passed("2026-11-01"))),
    # E is never reviewed, by hand or not.
    ("E", date(2026, 11, 1), None, SET_TODAY, None),
]  # fmt: skip


@pytest.mark.parametrize(("current", "close", "touched", "hand", "expected"), HAND)
def test_a_grade_set_by_hand_holds_until_what_it_rested_on_changes(current, close, touched, hand, expected):
    got = review_grade(current=current, expected_close=close, last_touch_on=touched, added_on=ADDED,
                       today=TODAY, hand=hand)  # fmt: skip
    assert got == expected


def test_a_hand_grade_holds_for_two_cadences() -> None:
    assert HAND_GRADE_CADENCES == 2


def test_stale_threshold_is_ninety_days() -> None:
    assert STALE_AFTER_DAYS == 90


def test_reasons_are_translated_then_filled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The English msgid goes through `_`, and the date and days are filled in after translating."""
    catalogue = {
        "expected close {date} is within 1 month": "预计 {date} 成交，1 个月内",
        "no touch for {days} days": "{days} 天未跟进",
    }
    monkeypatch.setattr(grades, "_", lambda message: catalogue.get(message, message))
    got = suggest_grade(current=None, expected_close=date(2026, 12, 10), today=TODAY)
    assert got == GradeSuggestion("A", "预计 2026-12-10 成交，1 个月内")
    got = review_grade(
        current="B", expected_close=None, last_touch_on=date(2026, 8, 15), added_on=ADDED, today=TODAY
    )
    assert got == GradeSuggestion("D", "100 天未跟进")
