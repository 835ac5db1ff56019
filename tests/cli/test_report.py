"""kehu report on a small hand-made book whose right answers are written here."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ok


def report(kehu, *args: str) -> list[dict]:
    return json.loads(ok(kehu("report", *args, "--format", "json")).stdout)


@pytest.fixture
def book(kehu, on):
    # Four customers added on 2026-10-01; two move on, one is won, one is lost.
    for name, grade, value, source in [
        ("甲", "A", "100万", "展会"), ("乙", "B", "50万", "展会"),
        ("丙", "C", "20万", "客户介绍"), ("丁", "D", "10万", "网络"),
    ]:  # fmt: skip
        ok(on("2026-10-01", "add", name, "--grade", grade, "--expected-value", value, "--source", source,
              "--owner", "王磊"))  # fmt: skip
    ok(on("2026-10-01", "edit", "丙", "--referrer", "甲"))
    ok(on("2026-10-11", "advance", "甲", "--yes"))  # analyse 10 days, then trust
    ok(on("2026-10-21", "advance", "乙", "--yes"))  # analyse 20 days
    ok(on("2026-10-31", "advance", "甲", "4", "--skip-evidence"))  # trust → needs (skipped) → present value
    ok(on("2026-11-10", "won", "甲", "--amount", "90万"))  # → collect payment
    ok(on("2026-11-12", "lost", "丁", "--reason", "价格"))
    ok(on("2026-11-20", "log", "乙", "电话"))  # B: touched within 7 days of 11-23
    ok(on("2026-11-01", "log", "丙", "电话"))  # C: 22 days ago, cadence 15 → late
    ok(
        on(
            "2026-11-10",
            "contract",
            "add",
            "甲",
            "--amount",
            "90万",
            "--signed",
            "2026-09-01",
            "--terms",
            "30天",
        )
    )
    ok(on("2026-11-10", "pay", "甲", "30万"))
    return kehu


def test_funnel_counts_values_weights_conversion_and_days(book):
    rows = {r["stage"]: r for r in report(book, "funnel")}
    # Stages by key, shares and days as numbers, money as exact decimal strings.
    assert (rows["analyse"]["count"], rows["analyse"]["value"]) == (1, "200000.00")
    assert rows["analyse"]["weighted"] == "20000.00"  # 丙 only: 20万 × 10% (丁 is lost)
    assert rows["analyse"]["probability"] == 0.1
    assert rows["analyse"]["conversion"] == 0.5  # 4 entered, 甲 and 乙 reached trust
    assert rows["analyse"]["median_days"] == 15  # stays of 10 and 20 days
    assert (rows["trust"]["count"], rows["trust"]["weighted"]) == (1, "75000.00")  # 乙 50万 × 15%
    assert rows["trust"]["conversion"] == 0.5  # 甲 passed needs on the way to present value, 乙 stays
    assert (rows["collect"]["count"], rows["collect"]["weighted"]) == (1, "1000000.00")


def test_a_stage_nobody_has_passed_through_shows_no_conversion(book, on):
    ok(on("2026-11-01", "add", "戊", "--expected-value", "30万"))
    ok(on("2026-11-02", "advance", "戊", "commit", "--skip-evidence"))  # in win commitment, nobody left it
    rows = {r["stage"]: r for r in report(book, "funnel")}
    assert (rows["commit"]["count"], rows["commit"]["conversion"]) == (1, None)
    assert rows["commit"]["median_days"] is None
    assert rows["needs"]["conversion"] == 1  # 甲 and 戊 passed it (skipped), both into present value
    assert rows["trust"]["conversion"] == 0.6667  # 甲 and 戊 on to needs, 乙 stays
    table = ok(book("report", "funnel", "--format", "table", env={"COLUMNS": "160"})).stdout
    [commit] = [line.split("│")[1:-1] for line in table.splitlines() if "win commitment" in line]
    shown = ["win commitment", "75%", "1", "300,000.00", "225,000.00", "", ""]  # conversion, median blank
    assert [cell.strip() for cell in commit[:7]] == shown
    narrow = ok(book("report", "funnel", "--format", "table", env={"COLUMNS": "80"})).stdout.splitlines()
    [headers] = [[cell.strip() for cell in line.split("┃")[1:-1]] for line in narrow if line.startswith("┃")]
    assert headers[:4] == ["stage", "customers", "weighted", "conversion"]  # at 80 columns the rate stays


def test_grade_compliance(book):
    rows = {r["grade"]: r for r in report(book, "grades")}
    assert (rows["B"]["count"], rows["B"]["touched"], rows["B"]["share"]) == (1, 1, 1)
    assert (rows["C"]["count"], rows["C"]["touched"], rows["C"]["share"]) == (1, 0, 0)


def test_the_grades_bar_is_the_on_time_rate_and_says_so(book):
    table = ok(book("report", "grades", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert "on time (█ = 10%)" in table
    bars = {cells[0].strip(): cells[-1].strip() for line in table.splitlines()
            if len(cells := line.split("│")[1:-1]) > 1}  # fmt: skip
    # B: 1 of 1 on time, a full bar; C: 0 of 1, none (a bar of customers would give both one).
    assert (bars["B"], bars["C"]) == ("█" * 10, "")
    assert "bar" not in ok(book("report", "grades", "--format", "csv")).stdout


def test_sources_referrals_and_pareto(book):
    sources = {r["source"]: r for r in report(book, "sources")}
    assert (sources["trade_show"]["customers"], sources["trade_show"]["won"]) == (2, 1)
    assert (sources["trade_show"]["win_rate"], sources["trade_show"]["won_value"]) == (0.5, "900000.00")
    assert report(book, "referrals") == [
        {"referrer": "甲", "referred": 1, "referred_won": 0, "referred_won_value": "0.00", "referrer_id": 1}
    ]
    result = ok(book("report", "pareto", "--format", "json"))
    assert json.loads(result.stdout) == [{"rank": 1, "customer": "甲", "won_value": "900000.00"}]
    assert "top 1 of 1 won customers bring 100.0% of the won value" in result.stderr


def test_receivables_by_age_and_lost_reasons(book):
    buckets = {r["bucket"]: r["outstanding"] for r in report(book, "ar")}
    [debtor] = report(book, "ar", "--by-customer")
    assert (debtor["customer"], debtor["total"], debtor["oldest_days"]) == ("甲", "600000.00", 53)
    assert buckets == {
        "not_due": "0.00",
        "1-30": "0.00",
        "31-60": "600000.00",
        "61-90": "0.00",
        "90+": "0.00",
    }
    # 60万 is in the 10万–100万 band of the collection ladder: a visit from day 31 (no document)
    assert (debtor["step"], debtor["document"]) == ("visit", None)
    assert report(book, "lost") == [{"reason": "price", "count": 1}]


def test_the_dashboard_in_a_terminal_and_for_scripts(book):
    [figures] = report(book)
    # Open customers only: 丙 20万 × 10% + 乙 50万 × 15%. The won 甲, collecting its money at
    # 100%, is counted under won, not again as in negotiation. One value a field, numbers numbers.
    assert figures == {"customers": 4, "open_weighted": "95000.00", "won": 1, "won_value": "900000.00",
                       "repeat_value": "0.00", "lost": 1, "outstanding": "600000.00"}  # fmt: skip
    table = ok(book("report", "--format", "table", env={"COLUMNS": "160"})).stdout
    assert "Funnel: six-step key-account funnel" in table and "█" in table
