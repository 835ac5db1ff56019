"""Monthly targets against results (销售目标估算表, 销售计划表, 销售额提高率表 of seed 000).

A month's target (the whole book's, owner '', or one seller's) names the amount to sign, the
money to collect, the new customers to find and the touches a working day; the results are the
contracts signed in the month, the payments received, the cards created and the touches logged.
The completion rate is the result over the target. Pure: plain values in, rows out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from kehu.domain.fields import Field
from kehu.domain.vocabulary import Choice, Vocabulary
from kehu.i18n import _

MEASURE = Vocabulary(
    "target measure",
    (
        Choice("signed", "签约金额", "signed"),
        Choice("collected", "回款金额", "collected"),
        Choice("new_customers", "新客户数", "new customers"),
        Choice("touches_per_day", "日均跟进", "touches a day"),
    ),
)
# The target column of each measure.
TARGET_COLUMN = {"signed": "amount", "collected": "collect_amount", "new_customers": "new_customers",
                 "touches_per_day": "touches_per_day"}  # fmt: skip

TARGET_FIELDS: tuple[Field, ...] = (
    Field("month", "月份", "month", aliases=("目标月份", "月")),
    Field("owner", "销售员", "owner", aliases=("负责人", "业务员", "销售", "salesperson")),
    Field("amount", "签约目标", "amount", "money", aliases=("销售目标", "目标金额", "销售额")),
    Field("collect_amount", "回款目标", "collect", "money", aliases=("回款金额", "collect amount")),
    Field("new_customers", "新客户目标", "new customers", "count", aliases=("新客户", "新客户数")),
    Field("touches_per_day", "日均跟进目标", "touches per day", "money", aliases=("日均跟进", "每日跟进")),
)  # fmt: skip

_MONTH = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?")


def parse_month(text: str) -> str:
    """A month as typed (2027-01, 2027-1, 2027/01, 2027年1月) as 'YYYY-MM'; ValueError if not one."""
    found = _MONTH.fullmatch(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        raise ValueError(_("not a month: {text} (e.g. 2027-01)").format(text=text))
    return f"{int(found.group(1)):04d}-{int(found.group(2)):02d}"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def last_day(month: str) -> date:
    first = first_day(month)
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def months(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included."""
    found, day = [], first_day(first)
    while month_of(day) <= last:
        found.append(month_of(day))
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return found


def working_days(month: str, today: date, is_workday: Callable[[date], bool]) -> int:
    """The working days of a month that have begun: all of a past month's, this month's up to
    and including today, none of a month to come (touches per working day so far)."""
    day, end = first_day(month), min(last_day(month), today)
    count = 0
    while day <= end:
        count += is_workday(day)
        day += timedelta(days=1)
    return count


@dataclass(frozen=True)
class Results:
    """What happened, each as (day, owner, value): contracts signed (amount), payments (amount),
    cards created (1) and touches logged (1)."""

    signed: Iterable[tuple[date, str | None, Decimal]]
    collected: Iterable[tuple[date, str | None, Decimal]]
    new_customers: Iterable[tuple[date, str | None, int]]
    touches: Iterable[tuple[date, str | None, int]]


@dataclass(frozen=True)
class TargetRow:
    month: str
    owner: str  # '' for the whole book
    measure: str  # a MEASURE code
    actual: Decimal | int | None  # touches a day: None in a month with no working day begun
    target: Decimal | int | None
    rate: Fraction | None  # actual over target; None without a target (or a zero one)


def compare(
    results: Results,
    targets: dict[tuple[str, str], dict],
    shown: list[tuple[str, str]],
    days_of: Callable[[str], int],
) -> list[TargetRow]:
    """For each (month, owner) shown, in that order: each measure's result, target and rate.
    `targets` by (month, owner); owner '' sums every owner's results."""
    totals: dict[tuple[str, str, str], Decimal | int] = defaultdict(int)
    measured = (("signed", results.signed), ("collected", results.collected),
                ("new_customers", results.new_customers), ("touches_per_day", results.touches))  # fmt: skip
    for measure, facts in measured:
        for day, owner, value in facts:
            month = month_of(day)
            totals[(month, "", measure)] += value
            totals[(month, owner or "", measure)] += value if owner else 0
    rows = []
    for month, owner in shown:
        target = targets.get((month, owner), {})
        for measure in TARGET_COLUMN:
            actual: Decimal | int | None = totals.get((month, owner, measure), 0)
            if measure in ("signed", "collected"):
                actual = Decimal(actual).quantize(Decimal("0.01"))
            elif measure == "touches_per_day":
                days = days_of(month)
                actual = (
                    None if not days else (Decimal(actual) / days).quantize(Decimal("0.01"), ROUND_HALF_UP)
                )
            goal = target.get(TARGET_COLUMN[measure])
            rate = Fraction(actual) / Fraction(goal) if goal and actual is not None else None
            rows.append(TargetRow(month, owner, measure, actual, goal, rate))
    return rows
