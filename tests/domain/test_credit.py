"""The credit check's thresholds and judgement (domain.credit): pure, no book."""

from decimal import Decimal

import pytest

from kehu.domain.credit import THRESHOLDS, judge, over_limit, overall, parse_ratio


@pytest.mark.parametrize(
    ("measure", "value", "result"),
    [
        ("registered_capital", Decimal("5000000.00"), "pass"),
        ("registered_capital", Decimal("4999999.99"), "watch"),
        ("registered_capital", Decimal("1000000.00"), "watch"),
        ("registered_capital", Decimal("999999.99"), "fail"),
        ("years_in_business", 5, "pass"),
        ("years_in_business", 2, "watch"),
        ("years_in_business", 1, "fail"),
        ("collection_days", 60, "pass"),
        ("collection_days", 90, "watch"),
        ("collection_days", 91, "fail"),
        ("current_asset_ratio", Decimal("200.00"), "pass"),
        ("current_asset_ratio", Decimal("99.99"), "fail"),
        ("net_margin", Decimal("-0.01"), "fail"),
        ("net_margin", Decimal("0.00"), "watch"),
        ("return_on_assets", Decimal("5.00"), "pass"),
        ("inventory_days", 180, "watch"),
        ("inventory_days", 181, "fail"),
        ("receivable_days", 90, "pass"),
    ],
)
def test_each_threshold_is_inclusive_on_the_passing_side(measure, value, result):
    assert THRESHOLDS[measure].judge(value) == result


def test_a_check_is_as_good_as_its_worst_figure_and_missing_ones_do_not_count():
    judged = judge({"registered_capital": Decimal("20000000.00"), "years_in_business": 3,
                    "payment_history": "good"})  # fmt: skip
    assert [(j.measure, j.result) for j in judged] == [
        ("registered_capital", "pass"), ("years_in_business", "watch"), ("payment_history", "pass"),
        ("collection_days", "missing"), ("current_asset_ratio", "missing"), ("net_margin", "missing"),
        ("return_on_assets", "missing"), ("inventory_days", "missing"), ("receivable_days", "missing"),
        ("overall", "watch"),
    ]  # fmt: skip
    assert judged[0].pass_if == ">= 5000000" and judged[0].fail_if == "< 1000000"
    assert judged[3].pass_if == "<= 60" and judged[3].fail_if == "> 90"
    assert judge({"payment_history": "bad"})[-1].result == "fail"
    assert judge({"payment_history": "none"})[-1].result == "watch"
    assert judge({})[-1].result == "missing"
    assert overall(["pass", "missing", "pass"]) == "pass"


def test_over_the_limit_is_strictly_more_and_no_limit_is_never_over():
    assert over_limit(Decimal("100.00"), Decimal("100.01"))
    assert not over_limit(Decimal("100.00"), Decimal("100.00"))
    assert not over_limit(None, Decimal("1e9"))


@pytest.mark.parametrize(("text", "value"), [("12.5", "12.50"), ("-3%", "-3.00"), ("180 ％", "180.00")])
def test_ratios_in_percent_may_be_a_loss_or_over_a_hundred(text, value):
    assert parse_ratio(text) == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "1.234", "", "5%%"])
def test_a_ratio_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError, match="not a percentage"):
        parse_ratio(text)
