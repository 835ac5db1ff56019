"""After the sale in the reports (issue 17): `kehu report complaints` and repeat revenue (`kehu
report repeat`, the dashboard's repeat_value), with exact numbers on a small book."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

from tests.helpers import ok

HNKJ = "杭州海纳科技"


def data(kehu, *args: str) -> list[dict]:
    return json.loads(ok(kehu(*args, "--format", "json")).stdout)


def csv_of(kehu, *args: str) -> str:
    return ok(kehu(*args, "--format", "csv")).stdout


@pytest.fixture
def book(kehu):
    """Three customers won in 2026; two start a new deal (kehu reopen --new-deal) and sign again.
    苏州天成 also signed a contract of its first deal before its new deal: not repeat revenue."""
    on = lambda day, *args: ok(kehu("--today", day, *args))  # noqa: E731
    on("2026-03-02", "add", HNKJ, "--owner", "王磊")
    on("2026-03-02", "add", "南京钟山软件")
    on("2026-03-02", "add", "苏州天成")
    for day, name, amount in [("2026-03-02", HNKJ, "100万"), ("2026-05-01", "南京钟山", "80万"),
                              ("2026-06-01", "苏州天成", "30万")]:  # fmt: skip
        on(day, "won", name, "--amount", amount)
        on(day, "contract", "add", name, "--amount", amount, "--signed", day, "--terms", "30天")
    on(
        "2026-07-15",
        "contract",
        "add",
        "苏州天成",
        "--amount",
        "5万",
        "--signed",
        "2026-07-15",
        "--terms",
        "30天",
    )
    on("2026-08-01", "reopen", "苏州天成", "--new-deal")
    on(
        "2026-08-20",
        "contract",
        "add",
        "苏州天成",
        "--amount",
        "40万",
        "--signed",
        "2026-08-20",
        "--terms",
        "30天",
    )
    on("2026-09-01", "reopen", HNKJ, "--new-deal")
    on("2026-10-10", "contract", "add", HNKJ, "--amount", "50万", "--signed", "2026-10-10", "--terms", "30天")
    on("2026-11-05", "contract", "add", HNKJ, "--amount", "20万", "--signed", "2026-11-05", "--terms", "30天")
    for name, text, severity, raised in [
        (HNKJ, "交货晚", "高", "2026-10-01"), (HNKJ, "包装破", "低", "2026-11-01"),
        ("南京钟山", "发票错", "high", "2026-10-10"), ("南京钟山", "系统宕机", "紧急", "2026-11-20"),
        ("南京钟山", "态度", "", "2026-06-01"), ("苏州天成", "少货", "中", "2026-11-10"),
    ]:  # fmt: skip
        ok(
            kehu(
                "complaint",
                "add",
                name,
                text,
                *(("--severity", severity) if severity else ()),
                "--on",
                raised,
            )
        )
    for number, day in [("1", "2026-10-05"), ("3", "2026-10-17"), ("5", "2026-06-03"), ("6", "2026-11-21")]:
        ok(kehu("complaint", "resolve", number, "--on", day))
    return kehu


def test_report_complaints_per_severity_with_a_total(book):
    # Days to resolve: high 4 and 7, medium 11, none said 2; all 24 / 4 = 6.0.
    assert csv_of(book, "report", "complaints") == (
        "severity,raised,resolved,open,average_days\n"
        "low,1,0,1,\nmedium,1,1,0,11.0\nhigh,2,2,0,5.5\ncritical,1,0,1,\n,1,1,0,2.0\ntotal,6,4,2,6.0\n"
    )
    rows = data(book, "report", "complaints")
    assert rows[-1] == {"severity": "total", "raised": 6, "resolved": 4, "open": 2, "average_days": 6.0}
    assert rows[0] == {"severity": "low", "raised": 1, "resolved": 0, "open": 1, "average_days": None}
    # The days: raised from --from; (4 + 7 + 11) / 3 = 7.33 → 7.3.
    assert csv_of(book, "report", "complaints", "--from", "2026-10-01").splitlines()[-1] == "total,5,3,2,7.3"
    # Resolved by the end of the days: 发票错 (resolved 10-17) was still open on 10-15.
    assert csv_of(book, "report", "complaints", "--to", "2026-10-15") == (
        "severity,raised,resolved,open,average_days\nhigh,2,1,1,4.0\n,1,1,0,2.0\ntotal,3,2,1,3.0\n"
    )
    # One owner's customers.
    assert csv_of(book, "report", "complaints", "--owner", "王磊") == (
        "severity,raised,resolved,open,average_days\nlow,1,0,1,\nhigh,1,1,0,4.0\ntotal,2,1,1,4.0\n"
    )
    # Nothing raised: the total row only.
    assert csv_of(book, "report", "complaints", "--from", "2026-12-01", "--to", "2026-12-31") == (
        "severity,raised,resolved,open,average_days\ntotal,0,0,0,\n"
    )


def test_report_complaints_by_customer(book):
    assert csv_of(book, "report", "complaints", "--by-customer") == (
        "customer,open,resolved,customer_id\n南京钟山软件,1,2,2\n杭州海纳科技,1,1,1\n苏州天成,0,1,3\n"
    )
    assert data(book, "report", "complaints", "--by-customer", "--from", "2026-11-01") == [
        {"customer": "南京钟山软件", "open": 1, "resolved": 0, "customer_id": 2},
        {"customer": HNKJ, "open": 1, "resolved": 0, "customer_id": 1},
        {"customer": "苏州天成", "open": 0, "resolved": 1, "customer_id": 3},
    ]


def test_report_complaints_words_in_tables_codes_in_data(book):
    table = ok(book("report", "complaints", "--format", "table", env={"COLUMNS": "80"})).stdout
    lines = table.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert any(line.startswith("│total ") and "6.0" in line for line in lines)
    assert any(line.startswith("│-  ") for line in lines)  # no severity said
    chinese = ok(book("report", "complaints", "--format", "table", env={"COLUMNS": "80", "KEHU_LANG": "zh"}))
    assert "紧急" in chinese.stdout and "critical" not in chinese.stdout
    labelled = csv_of(book, "report", "complaints", "--labels").splitlines()
    assert labelled[0] == "severity,raised,resolved,still open,average days to resolve"


def test_report_repeat_lists_the_second_and_later_deals(book):
    # 杭州海纳科技: 50万 + 20万 after its new deal of 09-01; 苏州天成: 40万 after 08-01, not the 5万
    # of 07-15 (still its first deal's).
    assert csv_of(book, "report", "repeat") == (
        "customer,owner,since,contracts,value,customer_id\n"
        "杭州海纳科技,王磊,2026-09-01,2,700000.00,1\n苏州天成,,2026-08-01,1,400000.00,3\n"
    )
    done = book("report", "repeat", "--format", "csv")
    assert done.stderr == "repeat business in all: 1100000.00\n"
    # Signed within the days.
    assert data(book, "report", "repeat", "--from", "2026-11-01") == [
        {"customer": HNKJ, "owner": "王磊", "since": "2026-09-01", "contracts": 1, "value": "200000.00",
         "customer_id": 1},
    ]  # fmt: skip
    assert data(book, "report", "repeat", "--to", "2026-08-31")[0]["value"] == "400000.00"
    assert [r["customer"] for r in data(book, "report", "repeat", "--owner", "王磊")] == [HNKJ]
    table = ok(book("report", "repeat", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert all(cell_len(line) <= 80 for line in table.splitlines())
    assert "700,000.00" in table and "customer_id" not in table


def test_the_dashboard_counts_repeat_revenue_beside_won_value(book):
    [figures] = data(book, "report")
    assert (figures["won"], figures["won_value"], figures["repeat_value"]) == (3, "2100000.00", "1100000.00")
    assert list(figures)[:5] == ["customers", "open_weighted", "won", "won_value", "repeat_value"]
    [november] = data(book, "report", "--from", "2026-11-01")
    assert (november["won"], november["won_value"], november["repeat_value"]) == (0, "0.00", "200000.00")
    table = ok(book("report", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert any("repeat business" in line and "1,100,000.00" in line for line in table.splitlines())


def test_no_repeat_business_without_a_new_deal(kehu):
    ok(kehu("add", HNKJ))
    ok(kehu("won", HNKJ, "--amount", "10万"))
    ok(kehu("contract", "add", HNKJ, "--amount", "10万", "--signed", "2026-11-23", "--terms", "30天"))
    assert csv_of(kehu, "report", "repeat") == "customer,owner,since,contracts,value,customer_id\n"
    assert data(kehu, "report")[0]["repeat_value"] == "0.00"
