"""Reading a payment schedule (domain.schedule): the forms people write, zh and en, exact fen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kehu.domain.aging import allocate_payment
from kehu.domain.schedule import plan, read_instalment, read_schedule, read_when

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("签约", ("signing", 0, None)),
        ("签订后10天", ("signing", 10, None)),
        ("交货", ("delivery", 0, None)),
        ("发货后两周", ("delivery", 14, None)),
        ("到货30天后", ("delivery", 30, None)),
        ("验收", ("acceptance", 0, None)),
        ("验收后30天", ("acceptance", 30, None)),
        ("验收后 30 天", ("acceptance", 30, None)),
        ("验收后3个月", ("acceptance", 90, None)),
        ("质保1年", ("acceptance", 365, None)),
        ("质保金一年", ("acceptance", 365, None)),
        ("on signing", ("signing", 0, None)),
        ("Upon Delivery", ("delivery", 0, None)),
        ("at acceptance", ("acceptance", 0, None)),
        ("30 days after acceptance", ("acceptance", 30, None)),
        ("a year after acceptance", ("acceptance", 365, None)),
        ("2 weeks after delivery", ("delivery", 14, None)),
        ("acceptance + 45 days", ("acceptance", 45, None)),
        ("1 year warranty", ("acceptance", 365, None)),
        ("2027-03-31", (None, None, date(2027, 3, 31))),
        ("下月底", (None, None, date(2026, 12, 31))),
        ("end of next month", (None, None, date(2026, 12, 31))),
    ],
)
def test_when_an_instalment_is_due(text, expected):
    assert read_when(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "交货前", "after lunch", "验收后100年后后", "sometime"])
def test_what_is_no_due_day_or_event_is_refused(text):
    with pytest.raises(ValueError, match="not a due date or event"):
        read_when(text, TODAY)


def test_the_issue_schedule_in_both_languages():
    zh = read_schedule("30% 签约, 60% 验收后30天, 10% 质保1年", TODAY)
    en = read_schedule("30% on signing, 60% 30 days after acceptance, 10% a year after acceptance", TODAY)
    for parts in (zh, en):
        assert [(p.share, p.event, p.days) for p in parts] == [
            (Decimal(30), "signing", 0), (Decimal(60), "acceptance", 30),
            (Decimal(10), "acceptance", 365)]  # fmt: skip
    assert [p.label for p in zh] == ["签约", "验收后30天", "质保1年"]
    planned = plan(zh, Decimal("1180000.00"), date(2026, 11, 20))
    assert [(p.seq, p.amount, p.due_on) for p in planned] == [
        (1, Decimal("354000.00"), date(2026, 11, 20)),
        (2, Decimal("708000.00"), None),
        (3, Decimal("118000.00"), None),
    ]


def test_separators_and_amounts_with_grouping_commas():
    parts = read_schedule("1,200,000 签约；300,000.50交货、50万 2027-03-31", TODAY)
    assert [(p.amount, p.event, p.due_on) for p in parts] == [
        (Decimal("1200000.00"), "signing", None), (Decimal("300000.50"), "delivery", None),
        (Decimal("500000.00"), None, date(2027, 3, 31))]  # fmt: skip
    assert read_instalment("30%签约", TODAY).share == Decimal(30)
    assert read_instalment("12.5 % 交货", TODAY).share == Decimal("12.5")


def test_the_rounding_remainder_goes_to_the_last_instalment_exact_to_the_fen():
    parts = read_schedule("33% 签约, 33% 交货, 34% 验收", TODAY)
    planned = plan(parts, Decimal("1000000.01"), TODAY)
    assert [p.amount for p in planned] == [Decimal("330000.00"), Decimal("330000.00"), Decimal("340000.01")]
    thirds = plan(read_schedule("33.33% 签约, 33.33% 交货, 33.34% 验收", TODAY), Decimal("0.10"), TODAY)
    assert [p.amount for p in thirds] == [Decimal("0.03"), Decimal("0.03"), Decimal("0.04")]
    assert sum(p.amount for p in thirds) == Decimal("0.10")


def test_signing_instalments_are_dated_from_the_signing_day_others_wait():
    planned = plan(
        read_schedule("50% 签约后10天, 30% 交货, 20% 2027-01-31", TODAY), Decimal(100), date(2026, 11, 1)
    )
    assert [p.due_on for p in planned] == [date(2026, 11, 11), None, date(2027, 1, 31)]


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("30% 签约, 60% 验收", "the percentages add up to 90%, not 100%"),
        ("60% 签约, 60% 验收", "the percentages add up to 120%, not 100%"),
        ("50万 签约, 40万 验收", "the instalments add up to 900000.00, not the contract's 1000000.00"),
        ("50% 签约, 50万 验收", "every instalment as a percentage or every one as an amount"),
        ("30% 签约, 70%", "an instalment needs an amount and when it is due: 70%"),
        ("签约", "an instalment needs an amount and when it is due"),
        ("0% 签约, 100% 验收", "a share is more than 0 and at most 100%: 0%"),
        ("30% 签约, 70% 下雨天", "not a due date or event"),
        ("abc 签约", "not an amount of money: abc"),
        (" , ", "an empty schedule"),
        ("50% 签约, 50% 2026-10-01", "instalment 2 is due before the signing date: 2026-10-01"),
    ],
)
def test_bad_schedules_are_refused_with_the_reason(schedule, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        plan(read_schedule(schedule, TODAY), Decimal("1000000.00"), date(2026, 11, 1))


def test_a_payment_pays_the_oldest_due_instalment_first_undated_ones_last():
    owed = [(1, Decimal("300.00"), None), (2, Decimal("100.00"), date(2026, 12, 1)),
            (3, Decimal("50.00"), date(2026, 11, 1)), (4, Decimal("10.00"), None)]  # fmt: skip
    assert allocate_payment(owed, Decimal("150.01")) == [(3, Decimal("50.00")), (2, Decimal("100.00")),
                                                          (1, Decimal("0.01"))]  # fmt: skip
    with pytest.raises(ValueError, match="more than the 460.00 outstanding"):
        allocate_payment(owed, Decimal("460.01"))
