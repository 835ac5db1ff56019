"""kehu.domain.aging: buckets at every boundary, collection steps, the aging table to the cent,
payments split oldest first, and payment terms.

Messages are English unless a test sets KEHU_LANG=zh (tests/conftest.py clears the language).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kehu.domain.aging import (
    BUCKETS,
    COLLECTION_STEPS,
    AgingTable,
    CustomerAging,
    Receivable,
    aging_table,
    allocate_payment,
    bucket,
    bucket_label,
    collection_step,
    days_overdue,
    parse_terms,
)

TODAY = date(2026, 11, 23)
D = Decimal


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# --- ages and buckets -------------------------------------------------------------------------

AGES = [
    # (due_on, days overdue, bucket, collection step key)
    (TODAY + timedelta(days=10), 0, "not_due", None),
    (TODAY + timedelta(days=1), 0, "not_due", None),
    (TODAY, 0, "not_due", None),  # due today is not yet overdue
    (ago(1), 1, "1-30", "phone"),
    (ago(30), 30, "1-30", "phone"),
    (ago(31), 31, "31-60", "finance"),
    (ago(60), 60, "31-60", "finance"),
    (ago(61), 61, "61-90", "visit"),
    (ago(90), 90, "61-90", "visit"),
    (ago(91), 91, "90+", "legal"),
    (ago(400), 400, "90+", "legal"),
]


@pytest.mark.parametrize(("due_on", "days", "key", "step"), AGES)
def test_age_bucket_and_step(due_on: date, days: int, key: str, step: str | None) -> None:
    assert days_overdue(due_on, TODAY) == days
    assert bucket(due_on, TODAY) == key
    got = collection_step(days)
    assert (got.key if got else None) == step


def test_every_bucket_is_reached_and_steps_escalate_in_bucket_order() -> None:
    assert {key for _d, _n, key, _s in AGES} == set(BUCKETS)
    assert [s.key for s in COLLECTION_STEPS] == ["phone", "finance", "visit", "legal"]
    assert [collection_step(n).key for n in (1, 31, 61, 91)] == ["phone", "finance", "visit", "legal"]
    # a large sum escalates sooner (kehu.domain.collection's ladder): 100万 at 31 days is legal
    assert collection_step(31, Decimal("1000000")).key == "legal"


@pytest.mark.parametrize("days", [0, -1, -365])
def test_no_step_before_the_due_date(days: int) -> None:
    assert collection_step(days) is None


def test_days_overdue_across_a_year_end() -> None:
    assert days_overdue(date(2025, 12, 31), date(2026, 1, 30)) == 30
    assert bucket(date(2025, 12, 31), date(2026, 1, 31)) == "31-60"


def test_labels_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    assert [bucket_label(k) for k in BUCKETS] == [
        "not due", "1–30 days", "31–60 days", "61–90 days", "over 90 days",
    ]  # fmt: skip
    assert [s.label for s in COLLECTION_STEPS] == [
        "phone call", "finance route", "visit in person", "legal route",
    ]  # fmt: skip
    monkeypatch.setenv("KEHU_LANG", "zh")
    assert [bucket_label(k) for k in BUCKETS] == ["未到期", "1–30 天", "31–60 天", "61–90 天", "90 天以上"]
    assert [s.label for s in COLLECTION_STEPS] == ["电话催收", "财务催收", "上门催收", "法律催收"]


# --- receivables and the aging table ------------------------------------------------------------


def test_outstanding_is_exact() -> None:
    assert Receivable(1, 1, "甲", D("0.30"), D("0.10"), TODAY).outstanding == D("0.20")


@pytest.mark.parametrize(
    ("amount", "paid"), [("100.00", "100.01"), ("-1.00", "0"), ("100", "-5"), ("NaN", "0")]
)
def test_impossible_receivables_are_refused(amount: str, paid: str) -> None:
    with pytest.raises(ValueError, match="contract 7"):
        Receivable(7, 1, "甲", D(amount), D(paid), TODAY)


RECEIVABLES = [
    Receivable(101, 1, "甲公司", D("100000.00"), D("40000.00"), TODAY),  # not due: 60000.00
    Receivable(102, 1, "甲公司", D("50000.00"), D("0.00"), ago(30)),  # 1-30
    Receivable(103, 1, "甲公司", D("20000.00"), D("20000.00"), ago(200)),  # paid: left out
    Receivable(202, 2, "乙公司", D("8000.50"), D("0.00"), ago(91)),  # 90+, listed before a younger one
    Receivable(201, 2, "乙公司", D("12345.67"), D("0.01"), ago(31)),  # 31-60: 12345.66
    Receivable(301, 3, "丙公司", D("0.10"), D("0.00"), ago(61)),  # 61-90
    Receivable(
        302, 3, "丙公司", D("0.20"), D("0.00"), ago(90)
    ),  # 61-90: 0.30 in all, not 0.30000000000000004
    Receivable(401, 4, "丁公司", D("500.00"), D("500.00"), ago(10)),  # paid: no row at all
]


def test_aging_table() -> None:
    table = aging_table(RECEIVABLES, TODAY)
    assert table.by_bucket == {
        "not_due": D("60000.00"),
        "1-30": D("50000.00"),
        "31-60": D("12345.66"),
        "61-90": D("0.30"),
        "90+": D("8000.50"),
    }
    assert table.total == D("130346.46")
    assert table.customers == (
        CustomerAging(
            1,
            "甲公司",
            {"not_due": D("60000.00"), "1-30": D("50000.00"), "31-60": 0, "61-90": 0, "90+": 0},
            D("110000.00"),
            30,  # the paid contract 200 days old does not count
        ),
        CustomerAging(
            2,
            "乙公司",
            {"not_due": 0, "1-30": 0, "31-60": D("12345.66"), "61-90": 0, "90+": D("8000.50")},
            D("20346.16"),
            91,
        ),  # fmt: skip
        CustomerAging(
            3, "丙公司", {"not_due": 0, "1-30": 0, "31-60": 0, "61-90": D("0.30"), "90+": 0}, D("0.30"), 90
        ),
    )
    assert [c.step.key for c in table.customers] == ["phone", "legal", "visit"]
    assert str(table.by_bucket["61-90"]) == "0.30"


def test_customer_order_breaks_ties_by_age_then_id() -> None:
    table = aging_table(
        [
            Receivable(1, 5, "戊", D("100.00"), D("0"), ago(5)),
            Receivable(2, 4, "丁", D("100.00"), D("0"), ago(5)),
            Receivable(3, 6, "己", D("100.00"), D("0"), ago(45)),
            Receivable(4, 7, "庚", D("100.00"), D("0"), TODAY + timedelta(days=3)),
        ],
        TODAY,
    )
    assert [(c.customer_id, c.oldest_days) for c in table.customers] == [(6, 45), (4, 5), (5, 5), (7, 0)]
    assert table.customers[-1].step is None  # nothing overdue: no collection step


def test_an_empty_table_has_every_bucket_at_zero() -> None:
    table = aging_table([Receivable(1, 1, "甲", D("5.00"), D("5.00"), ago(100))], TODAY)
    assert table == AgingTable(dict.fromkeys(BUCKETS, D("0")), (), D("0"))


# --- payments ---------------------------------------------------------------------------------

OPEN = [
    (1, D("1000.00"), date(2026, 3, 1)),
    (2, D("2500.50"), date(2026, 1, 15)),  # oldest
    (3, D("333.33"), date(2026, 2, 10)),
]


@pytest.mark.parametrize(
    ("amount", "applied"),
    [
        ("100.00", [(2, D("100.00"))]),
        ("2500.50", [(2, D("2500.50"))]),
        ("2600.00", [(2, D("2500.50")), (3, D("99.50"))]),
        ("3000.00", [(2, D("2500.50")), (3, D("333.33")), (1, D("166.17"))]),
        ("3833.83", [(2, D("2500.50")), (3, D("333.33")), (1, D("1000.00"))]),  # exactly all
        ("0.01", [(2, D("0.01"))]),
    ],
)
def test_allocate_payment_oldest_first(amount: str, applied: list[tuple[int, Decimal]]) -> None:
    got = allocate_payment(OPEN, D(amount))
    assert got == applied
    assert sum(part for _c, part in got) == D(amount)


def test_allocate_payment_same_due_date_by_contract_id_and_skips_settled() -> None:
    due = date(2026, 5, 1)
    rows = [(5, D("100.00"), due), (9, D("0.00"), date(2025, 1, 1)), (4, D("100.00"), due)]
    assert allocate_payment(rows, D("150.00")) == [(4, D("100.00")), (5, D("50.00"))]


def test_overpayment_is_refused() -> None:
    with pytest.raises(ValueError) as error:
        allocate_payment(OPEN, D("3833.84"))
    assert str(error.value) == "payment 3833.84 is more than the 3833.83 outstanding"
    with pytest.raises(ValueError, match="more than the 0.00 outstanding"):
        allocate_payment([], D("1"))


@pytest.mark.parametrize("amount", ["0", "0.00", "-5.00", "NaN"])
def test_a_payment_must_be_positive(amount: str) -> None:
    with pytest.raises(ValueError, match="a payment must be more than zero"):
        allocate_payment(OPEN, D(amount))


def test_negative_outstanding_is_a_bug() -> None:
    with pytest.raises(ValueError, match="negative"):
        allocate_payment([(1, D("-1.00"), TODAY), (2, D("10.00"), TODAY)], D("5.00"))


# --- payment terms ----------------------------------------------------------------------------

TERMS = [
    ("30天", 30),
    ("30 days", 30),
    ("30 Days", 30),
    ("1 day", 1),
    ("30d", 30),
    ("30日", 30),
    ("60", 60),
    ("0", 0),
    ("月结30天", 30),
    ("月结 60 天", 60),
    ("账期45天", 45),
    ("货到付款", 0),
    ("款到发货", 0),
    ("现款", 0),
    ("COD", 0),
    ("cash on delivery", 0),
    ("net 45", 45),
    ("Net45", 45),
    ("NET 30", 30),
    ("n30", 30),
    ("３０天", 30),  # full-width digits from a Chinese input method
    (" 90 天 ", 90),
    ("365天", 365),
]


@pytest.mark.parametrize(("text", "days"), TERMS)
def test_parse_terms(text: str, days: int) -> None:
    assert parse_terms(text) == days


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "天",
        "三十天",
        "366天",
        "3000",
        "-30",
        "30.5天",
        "30天内",
        "net",
        "月结",
        "net -30",
        "2个月",
        "abc",
    ],
)
def test_parse_terms_refuses(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_terms(text)
    assert str(error.value) == f"not a payment term (like net 30, net 45 or cash on delivery): {text}"
