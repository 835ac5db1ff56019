"""The credit check's thresholds and judgement (domain.credit): pure, no book."""

from decimal import Decimal

import pytest

from kehu.domain.credit import (
    THRESHOLDS,
    describe,
    judge,
    over_limit,
    overall,
    parse_ratio,
    threshold_problems,
    thresholds_from_config,
)


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
                    "payment_history": "good"}, THRESHOLDS)  # fmt: skip
    assert [(j.measure, j.result) for j in judged] == [
        ("registered_capital", "pass"), ("years_in_business", "watch"), ("payment_history", "pass"),
        ("collection_days", "missing"), ("current_asset_ratio", "missing"), ("net_margin", "missing"),
        ("return_on_assets", "missing"), ("inventory_days", "missing"), ("receivable_days", "missing"),
        ("overall", "watch"),
    ]  # fmt: skip
    assert judged[0].pass_if == ">= 5000000" and judged[0].fail_if == "< 1000000"
    assert judged[3].pass_if == "<= 60" and judged[3].fail_if == "> 90"
    assert judge({"payment_history": "bad"}, THRESHOLDS)[-1].result == "fail"
    assert judge({"payment_history": "none"}, THRESHOLDS)[-1].result == "watch"
    assert judge({}, THRESHOLDS)[-1].result == "missing"
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


# --- the config file's [credit] table -----------------------------------------------------------


def test_a_table_overrides_the_figures_it_names_and_the_judgement_follows():
    chosen = thresholds_from_config({
        "net_margin": {"pass": 8, "watch": 3},
        "receivable_days": {"pass": 60, "watch": 120},
        "registered_capital": {"pass": "1000万", "watch": 2_000_000.5},
    })  # fmt: skip
    assert (chosen["net_margin"].pass_if, chosen["net_margin"].fail_if) == (">= 8", "< 3")
    assert (chosen["receivable_days"].pass_if, chosen["receivable_days"].fail_if) == ("<= 60", "> 120")
    assert chosen["registered_capital"].pass_if == ">= 10000000"
    assert chosen["registered_capital"].fail_if == "< 2000000.5"
    assert chosen["years_in_business"] == THRESHOLDS["years_in_business"]  # not named: kehu's
    check = {"net_margin": Decimal("6.00"), "receivable_days": 100}
    assert [j.result for j in judge(check, THRESHOLDS) if j.value is not None] == ["pass", "watch"]
    assert [j.result for j in judge(check, chosen) if j.value is not None] == ["watch", "watch"]
    assert judge({"net_margin": Decimal("2.99")}, chosen)[-1].result == "fail"
    assert judge({"receivable_days": 121}, chosen)[-1].result == "fail"
    assert thresholds_from_config(None) == THRESHOLDS == thresholds_from_config({})


def test_pass_equal_to_watch_leaves_nothing_to_watch():
    chosen = thresholds_from_config({"years_in_business": {"pass": 3, "watch": 3}})
    assert [chosen["years_in_business"].judge(years) for years in (2, 3)] == ["fail", "pass"]
    assert threshold_problems({"years_in_business": {"pass": 3, "watch": 3}}) == []


@pytest.mark.parametrize(
    ("table", "place", "says"),
    [
        ([1], (), "credit holds a table per figure"),
        ({"net_margn": {"pass": 1, "watch": 0}}, ("net_margn",), "unknown figure credit.net_margn; one of: "),
        ({"payment_history": {"pass": 1, "watch": 0}}, ("payment_history",), "unknown figure"),
        ({"net_margin": 5}, ("net_margin",), "credit.net_margin is a table of pass and watch"),
        ({"net_margin": {"pass": 5}}, ("net_margin",), "credit.net_margin needs both pass and watch"),
        ({"net_margin": {"pass": 5, "watch": 0, "fail": -1}}, ("net_margin", "fail"),
         "unknown key fail in credit.net_margin; one of: pass, watch"),
        ({"net_margin": {"pass": 1, "watch": 3}}, ("net_margin", "watch"),
         "credit.net_margin: more is better, so pass (1) cannot be under watch (3)"),
        ({"receivable_days": {"pass": 120, "watch": 60}}, ("receivable_days", "watch"),
         "credit.receivable_days: less is better, so pass (120) cannot be over watch (60)"),
        ({"net_margin": {"pass": "5%", "watch": 0}}, ("net_margin", "pass"),
         "credit.net_margin.pass must be a number, in percent"),
        ({"net_margin": {"pass": float("nan"), "watch": 0}}, ("net_margin", "pass"), "must be a number"),
        ({"net_margin": {"pass": True, "watch": 0}}, ("net_margin", "pass"), "must be a number"),
        ({"inventory_days": {"pass": 90, "watch": -1}}, ("inventory_days", "watch"),
         "credit.inventory_days.watch must be a number, 0 or more"),
        ({"registered_capital": {"pass": "五百万", "watch": 0}}, ("registered_capital", "pass"),
         "credit.registered_capital.pass must be an amount of money, like 500万"),
    ],
)  # fmt: skip
def test_each_bad_table_says_where_and_what(table, place, says):
    problems = threshold_problems(table)
    assert [found for found, _message in problems] == [place]
    assert says in problems[0][1]


def test_a_loss_may_be_a_threshold_of_a_percentage_but_not_of_days():
    table = {"net_margin": {"pass": 0, "watch": -5.5}}
    assert threshold_problems(table) == []
    assert thresholds_from_config(table)["net_margin"].fail_if == "< -5.5"


def test_the_thresholds_in_one_line_the_same_in_every_language():
    line = describe(thresholds_from_config({"net_margin": {"pass": 8, "watch": 3}}))
    assert line.startswith("registered_capital: pass >= 5000000, watch >= 1000000; years_in_business: ")
    assert "; net_margin: pass >= 8, watch >= 3; " in line
    assert line.endswith("; receivable_days: pass <= 90, watch <= 180")
