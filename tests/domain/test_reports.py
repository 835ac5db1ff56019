"""kehu.domain.reports on small hand-made books whose right answers are worked out in the comments.

Shares are exact Fractions (3 of 4 is Fraction(3, 4)), so every expected value below is exact.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from kehu.domain.cadence import cadence_days
from kehu.domain.reports import (
    CustomerFacts,
    FunnelRow,
    GradeRow,
    IdleCustomer,
    ReferrerRow,
    SourceRow,
    StageVisit,
    TouchFact,
    WeekRow,
    WonCustomer,
    activity_by_week,
    funnel,
    grade_compliance,
    lost_reasons,
    open_pipeline,
    pareto,
    referrals,
    sources,
)

TODAY = date(2026, 11, 23)
D = Decimal
F = Fraction


def day(month: int, dom: int) -> date:
    return date(2026, month, dom)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# --- the funnel -------------------------------------------------------------------------------

STAGES = [
    ("analyse", "客户分析", 0.1, 30),
    ("trust", "建立信任", 0.25, 30),
    ("needs", "挖掘需求", 0.4, 45),
    ("value", "呈现价值", 0.6, 30),
    ("commit", "赢取承诺", 0.8, 20),
    ("collect", "回收账款", 1.0, 60),
]

FUNNEL_CUSTOMERS = [
    CustomerFacts(1, "甲", stage_key="needs", expected_value=D("100000.00")),
    CustomerFacts(2, "乙", stage_key="trust", expected_value=D("55555.55")),
    CustomerFacts(3, "丙", stage_key="value", expected_value=D("33333.33")),
    CustomerFacts(4, "丁", stage_key="commit", expected_value=D("200000.00")),
    # lost in trust: keeps its stage (DOMAIN §4) but is not counted there
    CustomerFacts(
        5, "戊", stage_key="trust", expected_value=D("80000.00"), lost_on=day(10, 20), lost_reason="价格太高"
    ),
    # won, now collecting the money: still in the funnel
    CustomerFacts(
        6,
        "己",
        stage_key="collect",
        expected_value=D("150000.00"),
        won_on=day(11, 1),
        won_value=D("150000.00"),
        status="won",
    ),
    CustomerFacts(7, "庚", stage_key="analyse"),  # no expected value: counted, adds 0
    CustomerFacts(8, "辛", stage_key="analyse", expected_value=D("12345.67")),
    CustomerFacts(9, "壬", stage_key="needs", expected_value=D("10000.00")),  # skipped analyse and trust
    CustomerFacts(10, "癸", stage_key="old_stage", expected_value=D("999.00")),  # another pipeline
]


def stays(customer_id: int, *steps: tuple[str, date, date | None]) -> list[StageVisit]:
    return [StageVisit(customer_id, key, entered, left) for key, entered, left in steps]


VISITS = [
    *stays(
        1, ("analyse", day(9, 1), day(9, 11)), ("trust", day(9, 11), day(10, 1)), ("needs", day(10, 1), None)
    ),
    *stays(2, ("analyse", day(10, 1), day(10, 5)), ("trust", day(10, 5), None)),
    *stays(
        3,
        ("analyse", day(8, 1), day(8, 8)),
        ("trust", day(8, 8), day(9, 7)),
        ("needs", day(9, 7), day(10, 7)),
        ("value", day(10, 7), None),
    ),
    *stays(
        4,
        ("analyse", day(7, 1), day(7, 3)),
        ("trust", day(7, 3), day(7, 23)),
        ("needs", day(7, 23), day(9, 1)),
        ("value", day(9, 1), day(11, 10)),
        ("commit", day(11, 10), None),
    ),
    *stays(5, ("analyse", day(6, 1), day(6, 21)), ("trust", day(6, 21), day(10, 20))),
    *stays(
        6,
        ("analyse", day(5, 1), day(5, 6)),
        ("trust", day(5, 6), day(6, 5)),
        ("needs", day(6, 5), day(7, 5)),
        ("value", day(7, 5), day(9, 3)),
        ("commit", day(9, 3), day(11, 1)),
        ("collect", day(11, 1), None),
    ),
    *stays(7, ("analyse", day(11, 20), None)),
    *stays(9, ("needs", day(11, 15), None)),
    # went back from trust to analyse: entered each stage once for conversion, idle from 9-1
    *stays(
        8, ("analyse", day(8, 1), day(8, 15)), ("trust", day(8, 15), day(9, 1)), ("analyse", day(9, 1), None)
    ),
]

# Who ever entered each stage (from the visits):
#   analyse 1 2 3 4 5 6 7 8 (8) · trust 1 2 3 4 5 6 8 (7) · needs 1 3 4 6 9 (5) · value 3 4 6 (3)
#   commit 4 6 (2) · collect 6 (1)
# Conversion counts those of a stage who entered the next: trust → needs is 4 of 7 (壬 entered
#   needs without trust and does not count), needs → value is 3 of 5.
# Completed stays in days:
#   analyse 10 4 7 2 20 5 14 → median 7 · trust 20 30 20 121 30 17 → (20 + 30) / 2 = 25
#   needs 30 40 30 → 30 · value 70 60 → 65 · commit 59 · collect none
# Days in the current stage on 11-23: 辛 analyse since 9-1 = 83 > 30; 乙 trust 10-5 = 49 > 30;
#   甲 needs 10-1 = 53 > 45, 壬 needs 11-15 = 8; 丙 value 10-7 = 47 > 30;
#   丁 commit 11-10 = 13 ≤ 20; 己 collect 11-1 = 22 ≤ 60; 庚 analyse 11-20 = 3.
EXPECTED_FUNNEL = [
    # weighted: 12345.67 × 0.1 = 1234.567 → 1234.57
    FunnelRow(
        "analyse", "客户分析", D("0.1"), 2, D("12345.67"), D("1234.57"), F(7, 8), 7,
        (IdleCustomer(8, "辛", 83),),
    ),
    # 55555.55 × 0.25 = 13888.8875 → 13888.89; 戊 (lost) left out
    FunnelRow(
        "trust", "建立信任", D("0.25"), 1, D("55555.55"), D("13888.89"), F(4, 7), 25,
        (IdleCustomer(2, "乙", 49),),
    ),
    FunnelRow(
        "needs", "挖掘需求", D("0.4"), 2, D("110000.00"), D("44000.00"), F(3, 5), 30,
        (IdleCustomer(1, "甲", 53),),
    ),
    # 33333.33 × 0.6 = 19999.998 → 20000.00
    FunnelRow(
        "value", "呈现价值", D("0.6"), 1, D("33333.33"), D("20000.00"), F(2, 3), 65,
        (IdleCustomer(3, "丙", 47),),
    ),
    FunnelRow("commit", "赢取承诺", D("0.8"), 1, D("200000.00"), D("160000.00"), F(1, 2), 59, ()),
    FunnelRow("collect", "回收账款", D("1.0"), 1, D("150000.00"), D("150000.00"), None, None, ()),
]  # fmt: skip


def test_funnel() -> None:
    rows = funnel(STAGES, FUNNEL_CUSTOMERS, VISITS, TODAY)
    assert rows == EXPECTED_FUNNEL
    assert sum(r.count for r in rows) == 8  # lost 戊 and 癸 of another pipeline left out


def test_funnel_median_of_an_even_count_is_the_mean_of_the_middle_pair() -> None:
    rows = funnel(STAGES, FUNNEL_CUSTOMERS, VISITS, TODAY)
    assert [r.median_days for r in rows] == [7, 25, 30, 65, 59, None]
    assert rows[3].median_days == 65.0


def test_weighted_value_rounds_half_up_to_the_cent() -> None:
    # 10.10 × 0.25 = 2.525: half up gives 2.53 (half even would give 2.52)
    stage = [("s", "s", 0.25, None)]
    row = funnel(stage, [CustomerFacts(1, "甲", stage_key="s", expected_value=D("10.10"))], [], TODAY)[0]
    assert (row.value, row.weighted) == (D("10.10"), D("2.53"))
    # 0.1 × 3 in floats is 0.30000000000000004; the probability goes through str() into a Decimal
    three = [CustomerFacts(i, "x", stage_key="s", expected_value=D("1.00")) for i in range(3)]
    row = funnel([("s", "s", 0.1, None)], three, [], TODAY)[0]
    assert row.weighted == D("0.30")


def test_idle_is_strictly_longer_than_the_limit() -> None:
    customers = [
        CustomerFacts(n, name, stage_key="s") for n, name in ((1, "甲"), (2, "乙"), (3, "丙"), (4, "丁"))
    ]
    # 丙 has no visit to its stage (imported before the funnel): its entry date is unknown
    visits = [StageVisit(1, "s", ago(30)), StageVisit(2, "s", ago(31)), StageVisit(4, "s", ago(45))]
    assert funnel([("s", "s", 0.5, 30)], customers, visits, TODAY)[0].idle == (
        IdleCustomer(4, "丁", 45),
        IdleCustomer(2, "乙", 31),
    )
    assert funnel([("s", "s", 0.5, None)], customers, visits, TODAY)[0].idle == ()  # no limit


def test_conversion_is_none_when_nobody_entered() -> None:
    rows = funnel(STAGES[:2], [], [], TODAY)
    assert [(r.count, r.value, r.weighted, r.conversion, r.median_days) for r in rows] == [
        (0, 0, 0, None, None),
        (0, 0, 0, None, None),
    ]


def test_a_stage_nobody_has_left_has_no_conversion_and_one_lost_in_it_has() -> None:
    stages = [("s1", "一", 0.1, None), ("s2", "二", 0.5, None), ("s3", "三", 1.0, None)]
    waiting = [CustomerFacts(1, "甲", stage_key="s2"), CustomerFacts(2, "乙", stage_key="s2")]
    visits = stays(1, ("s1", ago(20), ago(10)), ("s2", ago(10), None)) + stays(2, ("s2", ago(5), None))
    rows = funnel(stages, waiting, visits, TODAY)
    # s1: 甲 passed through to s2 (100%); s2: both still there, nobody passed through: not 0%
    assert [r.conversion for r in rows] == [F(1), None, None]
    lost = [waiting[0], CustomerFacts(2, "乙", stage_key="s2", lost_on=ago(1))]
    assert [r.conversion for r in funnel(stages, lost, visits, TODAY)] == [F(1), F(0), None]


def test_the_open_pipeline_weighs_open_customers_only() -> None:
    # Open: 甲 100000 × 0.4, 丙 33333.33 × 0.6 → 20000.00 (rounded per stage), 乙 55555.55 × 0.25
    # → 13888.89, 辛 12345.67 × 0.1 → 1234.57, 丁 200000 × 0.8, 壬 10000 × 0.4. Not: 戊 (lost),
    # 己 (won, collecting at 100%), 癸 (another pipeline).
    expected = D("40000.00") + D("20000.00") + D("13888.89") + D("1234.57") + D("160000.00") + D("4000.00")
    assert open_pipeline(STAGES, FUNNEL_CUSTOMERS) == expected
    won_long_ago = CustomerFacts(11, "子", stage_key="collect", expected_value=D("5.00"), status="won")
    assert open_pipeline(STAGES, [won_long_ago]) == D("0.00")  # won outside a report's days: won_on cleared
    # A won customer's next deal (kehu reopen --new-deal) is open, the old deal's won day kept.
    next_deal = CustomerFacts(12, "丑", stage_key="commit", expected_value=D("100.00"), won_on=day(3, 1),
                              won_value=D("80.00"), status="open")  # fmt: skip
    assert open_pipeline(STAGES, [next_deal]) == D("80.00")


@pytest.mark.parametrize("probability", [25, -0.1, 1.01])
def test_probability_outside_0_to_1_is_refused(probability: float) -> None:
    with pytest.raises(ValueError, match="not between 0 and 1"):
        funnel([("s", "s", probability, None)], [], [], TODAY)


# --- grades and cadence -----------------------------------------------------------------------


def graded(cid: int, grade: str | None) -> CustomerFacts:
    return CustomerFacts(cid, f"客户{cid}", grade=grade)


GRADED = [
    graded(1, "A"), graded(2, "A"),
    graded(3, "B"), graded(4, "B"), graded(5, "B"), graded(6, "B"),
    graded(7, "C"),
    graded(8, "E"), graded(9, "E"),
    graded(10, None), graded(11, None),
]  # fmt: skip
LAST_TOUCH = {
    1: ago(1),  # A, 1 ≤ 1 ✓
    2: ago(2),  # A ✗
    3: TODAY,  # B ✓
    4: ago(7),  # B, exactly 7 ✓
    5: ago(3),  # B ✓
    6: ago(8),  # B ✗
    # 7: C never touched ✗
    8: ago(400),  # E: no cadence
    10: ago(30),  # ungraded follows D: 30 ✓
    11: ago(31),  # ✗
}


def test_grade_compliance() -> None:
    assert grade_compliance(GRADED, LAST_TOUCH, TODAY, cadence_days) == [
        GradeRow("A", 2, 1, F(1, 2)),
        GradeRow("B", 4, 3, F(3, 4)),
        GradeRow("C", 1, 0, F(0)),
        GradeRow("D", 0, 0, None),
        GradeRow("E", 2, None, None),
        GradeRow(None, 2, 1, F(1, 2)),
    ]


def test_grade_compliance_has_no_ungraded_row_without_ungraded_customers() -> None:
    rows = grade_compliance(GRADED[:9], LAST_TOUCH, TODAY, cadence_days)
    assert [r.grade for r in rows] == ["A", "B", "C", "D", "E"]


def test_grade_compliance_refuses_an_unknown_grade() -> None:
    with pytest.raises(ValueError, match="unknown grade 'F'"):
        grade_compliance([graded(1, "F")], {}, TODAY, cadence_days)


# --- sources and referrals --------------------------------------------------------------------


def customer(cid: int, source: str | None = None, won: str | None = None, **more) -> CustomerFacts:
    won_fields = {"won_on": day(10, 1), "won_value": D(won) if won != "?" else None} if won else {}
    return CustomerFacts(cid, f"客户{cid}", source=source, **won_fields, **more)


SOURCED = [
    customer(1, "trade_show", "300000.00"), customer(2, "trade_show", "200000.00"),
    customer(3, "trade_show"), customer(4, "trade_show"),
    customer(5, "referral", "250000.00"), customer(6, "referral", "260000.00"), customer(7, "referral"),
    *(customer(n, "web") for n in range(8, 13)),
    customer(13, "cold_call", "?"), customer(14, "cold_call"),  # won, value not recorded
    customer(15, None, "500000.00"),
]  # fmt: skip


def test_sources() -> None:
    assert sources(SOURCED) == [
        SourceRow("referral", 3, 2, F(2, 3), D("510000.00")),
        SourceRow("trade_show", 4, 2, F(1, 2), D("500000.00")),  # tie on value: more customers first
        SourceRow(None, 1, 1, F(1), D("500000.00")),
        SourceRow("web", 5, 0, F(0), D("0")),
        SourceRow("cold_call", 2, 1, F(1, 2), D("0")),
    ]


def test_sources_tie_on_value_and_count_goes_to_the_code_with_unknown_last() -> None:
    rows = sources([customer(1, "walk_in"), customer(2, None), customer(3, "agency")])
    assert [r.source for r in rows] == ["agency", "walk_in", None]


def test_referrals_are_credited_to_the_direct_referrer() -> None:
    book = [
        customer(1, "old_customer", "100000.00"),
        customer(2, "referral", "80000.00", referrer_id=1),
        customer(3, "referral", referrer_id=1),
        customer(4, "referral", "20000.50", referrer_id=1),
        customer(5, "referral", "300000.00", referrer_id=2),  # 乙's referral, not 甲's
        customer(6, "referral", referrer_id=99),  # referrer not in the book
    ]
    assert referrals(book) == [
        ReferrerRow(2, "客户2", 1, 1, D("300000.00")),
        ReferrerRow(1, "客户1", 3, 2, D("100000.50")),
        ReferrerRow(99, None, 1, 0, D("0")),
    ]


# --- 80/20 -----------------------------------------------------------------------------------

WON_VALUES = ["20000", "400000", "6000", "90000", "50000", "200000.00", "40000", "4000", "60000", "30000"]


def test_pareto_ten_won_customers() -> None:
    # total 900000; the top ceil(0.2 × 10) = 2 bring 400000 + 200000 = 600000 → exactly 2/3
    book = [customer(i + 1, won=v) for i, v in enumerate(WON_VALUES)]
    book += [CustomerFacts(50, "大单未成交", expected_value=D("9000000.00")), customer(51, lost_on=day(9, 1))]
    result = pareto(book)
    assert result.won_customers == 10
    assert result.total_won_value == D("900000")
    assert result.top == (WonCustomer(2, "客户2", D("400000")), WonCustomer(6, "客户6", D("200000.00")))
    assert result.top_value == D("600000.00")
    assert result.share == F(2, 3)


@pytest.mark.parametrize(("won", "top"), [(1, 1), (5, 1), (6, 2), (10, 2), (11, 3), (15, 3), (16, 4)])
def test_pareto_top_is_ceil_of_a_fifth(won: int, top: int) -> None:
    # equal values: ties go to the lower ids, and the share is top / won
    result = pareto([customer(n, won="100.00") for n in range(won, 0, -1)])
    assert [w.customer_id for w in result.top] == list(range(1, top + 1))
    assert result.share == F(top, won)


def test_pareto_without_won_value() -> None:
    nothing = pareto([customer(1), CustomerFacts(2, "乙", expected_value=D("5.00"))])
    assert (nothing.won_customers, nothing.top, nothing.top_value, nothing.share) == (0, (), 0, None)
    free = pareto([customer(1, won="0.00"), customer(2, won="?")])  # won, but for nothing recorded
    assert (free.won_customers, len(free.top), free.total_won_value, free.share) == (2, 1, 0, None)


# --- lost reasons ------------------------------------------------------------------------------


def lost(cid: int, reason: str | None) -> CustomerFacts:
    return CustomerFacts(cid, f"客户{cid}", lost_on=day(9, 1), lost_reason=reason)


def test_lost_reasons() -> None:
    book = [
        lost(1, "价格太高"), lost(2, " 价格太高 "), lost(3, "价格太高"),
        lost(4, "选了竞争对手"), lost(5, "选了竞争对手"),
        lost(6, "预算取消"), lost(7, "没有需求"),
        lost(8, None), lost(9, "  "),
        CustomerFacts(10, "复活", lost_reason="价格太高"),  # not lost (any more): not counted
    ]  # fmt: skip
    assert lost_reasons(book) == [
        ("价格太高", 3),
        ("选了竞争对手", 2),
        (None, 2),
        ("没有需求", 1),
        ("预算取消", 1),
    ]


# --- activity by week --------------------------------------------------------------------------


def test_activity_by_week() -> None:
    touches = [
        TouchFact(1, day(11, 3), "phone", "alice"),  # before start
        TouchFact(1, day(11, 4), "phone", "alice"),  # Wednesday of the week of 11-2
        TouchFact(2, day(11, 8), "visit", "bob"),  # its Sunday
        TouchFact(1, day(11, 16), "phone", "alice"),
        TouchFact(3, day(11, 18), "wechat", "alice"),
        TouchFact(2, day(11, 20), None, "bob"),
        TouchFact(4, day(11, 22), "phone", None),
        TouchFact(5, day(11, 23), "email", "bob"),  # the end day, a Monday
        TouchFact(5, day(11, 24), "email", "bob"),  # after end
    ]
    assert activity_by_week(touches, day(11, 4), day(11, 23)) == [
        WeekRow(day(11, 2), 2, {"phone": 1, "visit": 1}, {"alice": 1, "bob": 1}),
        WeekRow(day(11, 9), 0, {}, {}),
        WeekRow(day(11, 16), 4, {"phone": 2, "wechat": 1, None: 1}, {"alice": 2, "bob": 1, None: 1}),
        WeekRow(day(11, 23), 1, {"email": 1}, {"bob": 1}),
    ]
    third = activity_by_week(touches, day(11, 4), day(11, 23))[2]
    assert list(third.by_channel) == ["phone", "wechat", None]  # code order, unknown last


def test_activity_weeks_across_a_year_end() -> None:
    touches = [
        TouchFact(1, date(2027, 1, 1), "phone", "alice"),
        TouchFact(1, date(2027, 1, 4), "phone", "alice"),
    ]
    rows = activity_by_week(touches, date(2026, 12, 30), date(2027, 1, 5))
    assert [(r.week, r.total) for r in rows] == [(date(2026, 12, 28), 1), (date(2027, 1, 4), 1)]
    assert date(2026, 12, 28).isocalendar()[:2] == date(2027, 1, 1).isocalendar()[:2]


def test_activity_one_day_and_a_reversed_period() -> None:
    assert activity_by_week([], TODAY, TODAY) == [WeekRow(TODAY, 0, {}, {})]
    with pytest.raises(ValueError, match="before it starts"):
        activity_by_week([], TODAY, ago(1))
