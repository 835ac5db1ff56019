"""The urgency score of kehu.domain.urgency: exact parts for given inputs, and the order it gives."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehu.domain.urgency import (
    GRADE_POINTS,
    UNGRADED_POINTS,
    WEIGHTS_DOC,
    Urgency,
    stage_tenths,
    urgency,
    value_tenths,
)
from kehu.domain.values import MAX_MONEY

PARTS = [
    # (days_overdue, grade, stage_probability, expected_value) -> Urgency(overdue, grade, stage, value)
    ((0, "A", None, None), Urgency(0.0, 40.0, 0.0, 0.0)),
    ((-5, "B", 0.25, Decimal("10000")), Urgency(0.0, 25.0, 7.5, 20.0)),  # not yet due
    ((1, "D", None, None), Urgency(10.0, 5.0, 0.0, 0.0)),
    ((3, "B", 0.25, Decimal("200000")), Urgency(30.0, 25.0, 7.5, 26.5)),  # 5 × 5.30103 = 26.505
    ((30, "C", 0.5, Decimal("1000000")), Urgency(300.0, 12.0, 15.0, 30.0)),  # at the cap
    ((31, None, 1.0, Decimal("50000")), Urgency(300.0, 5.0, 30.0, 23.5)),  # past the cap; 23.495
    ((400, "E", 0.0, Decimal("5000000")), Urgency(300.0, 0.0, 0.0, 33.5)),
    ((2, None, 0.1, Decimal("1")), Urgency(20.0, 5.0, 3.0, 0.0)),  # log10(1) = 0; 30 × 0.1 = 3.0000…4
    ((0, "C", 1 / 3, Decimal("123456.78")), Urgency(0.0, 12.0, 10.0, 25.5)),  # 25.4576
    ((0, "D", 0.123, Decimal("0.99")), Urgency(0.0, 5.0, 3.7, 0.0)),  # under ¥1: no value points
    ((0, "D", None, Decimal("0.50")), Urgency(0.0, 5.0, 0.0, 0.0)),  # not 5 × log10(0.5) = -1.5
    ((0, "D", None, Decimal("0")), Urgency(0.0, 5.0, 0.0, 0.0)),
    ((0, "D", None, Decimal("-100")), Urgency(0.0, 5.0, 0.0, 0.0)),
    ((0, "A", 1.0, MAX_MONEY), Urgency(0.0, 40.0, 30.0, 75.0)),  # the most a non-overdue one gets
]


@pytest.mark.parametrize(("args", "expected"), PARTS)
def test_parts(args, expected: Urgency) -> None:
    days, grade, stage, value = args
    got = urgency(days_overdue=days, grade=grade, stage_probability=stage, expected_value=value)
    assert got == expected


@pytest.mark.parametrize(
    ("parts", "total"),
    [
        (Urgency(0.0, 40.0, 0.0, 0.0), 40.0),
        (Urgency(30.0, 25.0, 7.5, 26.5), 89.0),
        (Urgency(300.0, 5.0, 30.0, 23.5), 358.5),
        (Urgency(0.1, 0.2, 0.0, 0.0), 0.3),  # rounded, not 0.30000000000000004
    ],
)
def test_total(parts: Urgency, total: float) -> None:
    assert parts.total == total


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"grade": "F"}, "unknown grade"),
        ({"grade": "a"}, "unknown grade"),
        ({"stage_probability": 25.0}, "not between 0 and 1"),
        ({"stage_probability": -0.1}, "not between 0 and 1"),
        ({"expected_value": Decimal("NaN")}, "not a number"),
        ({"expected_value": Decimal("Infinity")}, "not a number"),
    ],
)
def test_bad_input_is_refused(kwargs: dict, message: str) -> None:
    args = {"days_overdue": 0, "grade": "B", "stage_probability": 0.5, "expected_value": None} | kwargs
    with pytest.raises(ValueError, match=message):
        urgency(**args)


def score(days: int, grade: str | None = "B", stage: float | None = 0.5, value: str | None = "100000"):
    return urgency(
        days_overdue=days,
        grade=grade,
        stage_probability=stage,
        expected_value=None if value is None else Decimal(value),
    ).total


@pytest.mark.parametrize(("more", "fewer"), [(1, 0), (2, 1), (15, 14), (29, 5), (30, 29)])
def test_more_days_overdue_comes_first(more: int, fewer: int) -> None:
    assert score(more) > score(fewer)


def test_lateness_stops_counting_at_thirty_days_and_before_due() -> None:
    assert score(30) == score(31) == score(365)
    assert score(0) == score(-1) == score(-30)


def test_a_due_today_outranks_d_one_day_overdue() -> None:
    assert score(0, "A", None, None) > score(1, "D", None, None)
    assert score(0, "A", 0.5, "100000") > score(1, "D", 0.5, "100000")


def test_bigger_deal_comes_first() -> None:
    assert score(3, value="5000000") > score(3, value="50000")
    assert score(0, "C", None, "5000000") > score(0, "C", None, "50000")


def test_twenty_days_overdue_outranks_a_fresh_a() -> None:
    assert score(20, "D", None, None) > score(0, "A", None, None)
    # even the weakest card against the strongest one not yet overdue
    assert score(20, "E", None, None) > score(0, "A", 1.0, str(MAX_MONEY))
    assert score(15, "E", None, None) > score(0, "A", 1.0, str(MAX_MONEY))


def test_grades_rank_in_order() -> None:
    assert [score(2, grade) for grade in ("A", "B", "C", "D", "E")] == [100.0, 85.0, 72.0, 65.0, 60.0]
    assert score(2, None) == score(2, "D")


def test_morning_list_order() -> None:
    due = {
        "forgotten D, 20 days late": score(20, "D", None, None),
        "A due today, big deal": score(0, "A", 0.75, "2000000"),
        "A due today": score(0, "A", None, None),
        "D one day late": score(1, "D", None, None),
        "E not due": score(-3, "E", None, "1000"),
    }
    order = sorted(due, key=due.__getitem__, reverse=True)
    assert order == [
        "forgotten D, 20 days late",
        "A due today, big deal",
        "A due today",
        "D one day late",
        "E not due",
    ]


def test_weights_doc_states_the_grade_points() -> None:
    line = next(line for line in WEIGHTS_DOC.splitlines() if line.strip().startswith("grade"))
    stated = dict(re.findall(r"\b([A-E]) (\d+)", line))
    assert {grade: int(points) for grade, points in stated.items()} == GRADE_POINTS
    assert re.search(rf"ungraded {UNGRADED_POINTS}\b", line)


def test_weights_doc_example_is_what_urgency_computes() -> None:
    m = re.search(
        r"Example: (\d+) days overdue, grade ([A-E]), stage at (\d+)%, expected ([\d,]+) -> "
        r"([\d.]+) \+ ([\d.]+) \+ ([\d.]+) \+ ([\d.]+) = ([\d.]+)",
        WEIGHTS_DOC,
    )
    assert m is not None
    got = urgency(
        days_overdue=int(m[1]),
        grade=m[2],
        stage_probability=int(m[3]) / 100,
        expected_value=Decimal(m[4].replace(",", "")),
    )
    assert got == Urgency(float(m[5]), float(m[6]), float(m[7]), float(m[8]))
    assert got.total == float(m[9])


@pytest.mark.parametrize(
    ("cents", "tenths"),
    [(None, 0), (-100, 0), (0, 0), (99, 0), (100, 0), (101, 0), (1_000_000, 200), (20_000_000, 265),
     (5_000_000, 235), (99_999_999_999_999_999, 750)],
)  # fmt: skip
def test_value_tenths_from_stored_cents(cents: int | None, tenths: int) -> None:
    assert value_tenths(cents) == tenths


@given(st.integers(100, 99_999_999_999_999_999))
def test_value_tenths_is_5_log10_rounded_to_a_tenth(cents: int) -> None:
    """Half up on the double the SQL computes too (store/morning.py): the same as rounding the
    exact value, but for amounts within a hair of a .05 boundary, where either is fair."""
    exact = 50 * math.log10(cents / 100)
    if abs(exact - math.floor(exact) - 0.5) > 1e-9:
        assert value_tenths(cents) == round(exact)


@given(st.floats(0, 1))
def test_stage_tenths_are_the_rounded_stage_part(probability: float) -> None:
    got = urgency(days_overdue=0, grade=None, stage_probability=probability, expected_value=None)
    assert got.stage == stage_tenths(probability) / 10 == round(30 * probability, 1)
