"""How urgent a due follow-up is: the score that orders the morning follow-up list.

The score is a sum of four parts, each a plain number of points a salesperson can check by hand:

* overdue: 10 points per day overdue, capped at 300 (30 days); 0 when due today or later.
* grade:   A 40, B 25, C 12, D 5, E 0; an ungraded customer counts like D (5).
* stage:   30 × the funnel stage's win probability (0 to 1), so 0 to 30; 0 when there is no stage.
* value:   5 points per power of ten of the expected deal value in yuan: 5 × log10(value), so
           ¥10,000 → 20, ¥1,000,000 → 30; 0 when there is no value or it is under ¥1.

Parts are rounded to 1 decimal, and the total is their sum. What the weights are meant to give:

* Overdue dominates. Grade, stage and value together reach at most 40 + 30 + 75 = 145 (the
  largest amount kehu stores is under ¥10^15), so any customer 15 or more days overdue outranks
  every customer not yet overdue: a forgotten promise is the first thing to repair.
* Within a few days overdue the grade still counts: an A customer due today (40) outranks a D
  customer one day overdue (10 + 5), since A customers are meant to be touched every day.
* Stage and value break ties between customers of the same grade and lateness; a tenfold bigger
  deal is worth half a day overdue (5 points).
* The cap stops a customer abandoned for months from sitting on top of the list for ever: past
  30 days overdue, lateness no longer separates customers and the other parts decide.

The value is taken as yuan whatever the card's currency: the score only orders the list, and a
factor of 7 between currencies moves the value part by about 4 points.

The database computes the same score to rank the morning list (store/morning.py builds its SQL
from the constants here): each part is a whole number of tenths (`*_tenths`), and the value part
is taken with the very double operations the SQL does (cents as a double, / 100, log10, × 50,
+ 0.5, floor), so both give the same digits, not merely close ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from kehu.i18n import N_

__all__ = [
    "GRADE_POINTS",
    "OVERDUE_CAP_DAYS",
    "OVERDUE_POINTS_PER_DAY",
    "STAGE_POINTS",
    "UNGRADED_POINTS",
    "VALUE_POINTS_PER_TENFOLD",
    "WEIGHTS_DOC",
    "Urgency",
    "stage_tenths",
    "urgency",
    "value_tenths",
]

OVERDUE_POINTS_PER_DAY = 10
OVERDUE_CAP_DAYS = 30
GRADE_POINTS = {"A": 40, "B": 25, "C": 12, "D": 5, "E": 0}
UNGRADED_POINTS = 5  # not yet graded is most often a new lead with potential need: like D
STAGE_POINTS = 30  # at win probability 1
VALUE_POINTS_PER_TENFOLD = 5

WEIGHTS_DOC = N_("""\
Urgency = overdue + grade + stage + value (higher comes first):
  overdue  10 points per day overdue, at most 300 (30 days); 0 if due today or later
  grade    A 40, B 25, C 12, D 5, E 0; ungraded 5
  stage    30 x the stage's win probability (0 to 1); 0 without a stage
  value    5 x log10(expected value in yuan): 10,000 -> 20, 1,000,000 -> 30; 0 without a value
Any customer 15 or more days overdue comes before every customer not yet overdue.
Example: 3 days overdue, grade B, stage at 25%, expected 200,000 -> 30 + 25 + 7.5 + 26.5 = 89.0""")


@dataclass(frozen=True)
class Urgency:
    overdue: float  # from days overdue
    grade: float  # from the grade
    stage: float  # from the funnel stage's win probability (0 until the funnel exists)
    value: float  # from the expected deal value

    @property
    def total(self) -> float:
        """The sum of the parts, rounded to 1 decimal (so 0.1 + 0.2 shows as 0.3)."""
        return round(self.overdue + self.grade + self.stage + self.value, 1)


def urgency(
    *, days_overdue: int, grade: str | None, stage_probability: float | None, expected_value: Decimal | None
) -> Urgency:
    """The urgency parts of one due follow-up; see the module docstring for the weights.

    `days_overdue` ≤ 0 means not yet overdue. Raises ValueError for a grade not in A–E, a stage
    probability outside 0..1 (a percentage such as 25 passed by mistake would swamp the list)
    and a non-finite expected value.
    """
    if grade is not None and grade not in GRADE_POINTS:
        raise ValueError(f"unknown grade {grade!r}")
    if stage_probability is not None and not 0 <= stage_probability <= 1:
        raise ValueError(f"stage probability {stage_probability!r} is not between 0 and 1")
    if expected_value is not None and not expected_value.is_finite():
        raise ValueError(f"expected value {expected_value!r} is not a number")

    overdue = OVERDUE_POINTS_PER_DAY * min(max(days_overdue, 0), OVERDUE_CAP_DAYS)
    grade_points = UNGRADED_POINTS if grade is None else GRADE_POINTS[grade]
    cents = None if expected_value is None else int((expected_value * 100).to_integral_value())  # as stored
    return Urgency(
        overdue=float(overdue),
        grade=float(grade_points),
        stage=0.0 if stage_probability is None else stage_tenths(stage_probability) / 10,
        value=value_tenths(cents) / 10,
    )


def stage_tenths(probability: float) -> int:
    """The stage part in tenths of a point: 30 × the win probability, rounded to 1 decimal."""
    return round(round(STAGE_POINTS * probability, 1) * 10)


def value_tenths(cents: int | None) -> int:
    """The value part in tenths of a point, from the expected value in cents as stored: 5 ×
    log10(yuan) rounded half up to 1 decimal, by the same double operations as the SQL (see the
    module docstring). Under ¥1 the logarithm turns negative: a token amount is no deal, not a
    penalty, so 0."""
    if cents is None or cents < 100:
        return 0
    return math.floor(10 * VALUE_POINTS_PER_TENFOLD * math.log10(float(cents) / 100) + 0.5)
