"""Monthly targets against results (销售目标): `kehu target set|list|remove`, `kehu report targets`,
import/export — on both backends."""

from __future__ import annotations

import json

import pytest

from tests.helpers import csv_rows, ok


def report(kehu, *args: str) -> list[tuple]:
    found = json.loads(ok(kehu("report", "targets", *args, "--format", "json")).stdout)
    return [(r["month"], r["owner"], r["measure"], r["actual"], r["target"], r["rate"]) for r in found]


def test_a_target_is_set_replaced_listed_and_removed(kehu):
    first = ok(kehu("target", "set", "2027-01", "--amount", "300万", "--collect", "200万", "--new-customers", "10",  # noqa: E501
                    "--touches-per-day", "5"))  # fmt: skip
    assert first.stderr == "set the target of 2027-01 (the book)\n"
    ok(kehu("target", "set", "2027年1月", "--amount", "100万", "--owner", "王磊"))
    again = ok(kehu("target", "set", "2027-1", "--amount", "350万", "--new-customers", "12"))
    assert again.stderr == "replaced the target of 2027-01 (the book)\n"
    assert csv_rows(kehu("target", "list", "--format", "csv")) == [
        {"month": "2027-01", "owner": "", "amount": "3500000.00", "collect_amount": "", "new_customers": "12",
         "touches_per_day": ""},
        {"month": "2027-01", "owner": "王磊", "amount": "1000000.00", "collect_amount": "", "new_customers": "",  # noqa: E501
         "touches_per_day": ""},
    ]  # fmt: skip
    assert ok(kehu("target", "remove", "2027-01", "--owner", "王磊")).stderr == (
        "removed the target of 2027-01 (王磊)\n")  # fmt: skip
    missing = kehu("target", "remove", "2027-01", "--owner", "王磊")
    assert (missing.exit_code, missing.stderr) == (1, "kehu: no target for 2027-01 (王磊)\n")
    assert len(csv_rows(kehu("target", "list", "--format", "csv"))) == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["2027-13", "--amount", "1"], "MONTH: not a month: 2027-13 (e.g. 2027-01)"),
        (["2027-01"], "give at least one target"),
        (["2027-01", "--amount", "lots"], "--amount: not an amount of money"),
        (["2027-01", "--new-customers", "many"], "--new-customers: not a whole number: many"),
    ],
)
def test_a_bad_target_is_a_clear_usage_error_and_nothing_is_set(kehu, args, words):
    refused = kehu("target", "set", *args)
    assert refused.exit_code == 2
    assert words in refused.stderr
    assert csv_rows(kehu("target", "list", "--format", "csv")) == []


@pytest.fixture
def small_book(kehu, on):
    """October and November 2026: 18 and 16 working days (to 2026-11-23, a Monday; National Day
    took October's first week)."""
    on("2026-10-12", "add", "甲公司", "--owner", "王磊")
    ok(kehu("add", "乙公司", "--owner", "李娜"))
    ok(kehu("add", "丙公司"))
    ok(kehu("contract", "add", "甲公司", "-a", "50万", "--signed", "2026-10-15", "--terms", "30天"))
    ok(kehu("contract", "add", "甲公司", "-a", "120万", "--signed", "2026-11-02", "--terms", "30天"))
    ok(kehu("contract", "add", "乙公司", "-a", "60万", "--signed", "2026-11-20", "--terms", "30天"))
    ok(kehu("pay", "甲公司", "20万", "--date", "2026-11-10"))
    ok(kehu("log", "甲公司", "电话", "--date", "2026-10-20"))
    for day, customer in (("2026-11-02", "甲公司"), ("2026-11-03", "乙公司"), ("2026-11-16", "乙公司"),
                          ("2026-11-23", "丙公司")):  # fmt: skip
        ok(kehu("log", customer, "拜访", "--date", day))
    ok(
        kehu(
            "target", "set", "2026-10", "--amount", "100万", "--new-customers", "2", "--touches-per-day", "1"
        )
    )
    ok(kehu("target", "set", "2026-11", "--amount", "300万", "--collect", "40万", "--new-customers", "4",
            "--touches-per-day", "0.5"))  # fmt: skip
    ok(kehu("target", "set", "2026-11", "--amount", "100万", "--owner", "王磊"))
    return kehu


def test_each_months_results_against_its_targets_exactly(small_book):
    assert report(small_book) == [
        ("2026-10", "", "signed", "500000.00", "1000000.00", 0.5),
        ("2026-10", "", "collected", "0.00", None, None),
        ("2026-10", "", "new_customers", "1", "2", 0.5),
        ("2026-10", "", "touches_per_day", "0.06", "1.00", 0.06),  # 1 touch / 18 working days
        ("2026-11", "", "signed", "1800000.00", "3000000.00", 0.6),
        ("2026-11", "", "collected", "200000.00", "400000.00", 0.5),
        ("2026-11", "", "new_customers", "2", "4", 0.5),
        ("2026-11", "", "touches_per_day", "0.25", "0.50", 0.5),  # 4 touches / 16 working days so far
        ("2026-11", "王磊", "signed", "1200000.00", "1000000.00", 1.2),
        ("2026-11", "王磊", "collected", "200000.00", None, None),
        ("2026-11", "王磊", "new_customers", "0", None, None),
        ("2026-11", "王磊", "touches_per_day", "0.06", None, None),
    ]


def test_one_sellers_months_and_a_chosen_period(small_book):
    assert report(small_book, "--owner", "李娜", "--from", "2026-11") == [
        ("2026-11", "李娜", "signed", "600000.00", None, None),
        ("2026-11", "李娜", "collected", "0.00", None, None),
        ("2026-11", "李娜", "new_customers", "1", None, None),
        ("2026-11", "李娜", "touches_per_day", "0.13", None, None),
    ]
    # A month to come has no working day begun: no touches a day to show yet.
    ahead = report(small_book, "--from", "2026-12", "--to", "2026-12")
    assert ahead[3] == ("2026-12", "", "touches_per_day", None, None, None)
    refused = small_book("report", "targets", "--from", "2026-12", "--to", "2026-11")
    assert refused.exit_code == 2 and "before it starts" in refused.stderr


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "table"])
def test_every_format(small_book, fmt):
    shown = ok(small_book("report", "targets", "--format", fmt)).stdout
    assert ("3,000,000.00" if fmt == "table" else "3000000.00") in shown
    assert ("60.0%" if fmt == "table" else "0.6") in shown
    listed = ok(small_book("target", "list", "--format", fmt)).stdout
    assert "2026-11" in listed and "王磊" in listed


def test_export_and_import_targets(small_book, tmp_path):
    exported = ok(small_book("export", "targets")).stdout
    assert exported.splitlines() == [
        "month,owner,amount,collect_amount,new_customers,touches_per_day",
        "2026-10,,1000000.00,,2,1.00",
        "2026-11,,3000000.00,400000.00,4,0.50",
        "2026-11,王磊,1000000.00,,,",
    ]
    path = tmp_path / "targets.csv"
    path.write_text(exported.replace("2026-11,,3000000.00", "2026-11,,3100000.00") + "2026-12,,1,,,\n")
    imported = ok(small_book("import", "targets", str(path)))
    assert imported.stderr == "imported targets: 1 added, 3 updated, 0 unchanged, 0 skipped\n"
    assert "2026-11,,3100000.00,400000.00,4,0.50" in ok(small_book("export", "targets")).stdout
    refused = small_book("import", "targets", str(path), "--on-conflict", "error")
    assert refused.exit_code == 65 and "already has a target" in refused.stderr


def test_a_target_set_again_keeps_when_it_was_first_set(kehu, tmp_path):
    """Replacing a month's target, by `target set` or by an import, keeps its created_at (the
    dump carries it); only what it sets changes."""

    def created() -> str:
        dumped = [json.loads(line) for line in ok(kehu("dump")).stdout.splitlines()[1:]]
        [target] = [r["row"] for r in dumped if r["table"] == "target"]
        return target["created_at"]

    ok(kehu("--today", "2026-11-02", "target", "set", "2026-12", "--amount", "100万"))
    first = created()
    ok(kehu("--today", "2026-11-20", "target", "set", "2026-12", "--amount", "120万"))
    assert created() == first
    path = tmp_path / "targets.csv"
    path.write_text("month,owner,amount\n2026-12,,1300000.00\n", encoding="utf-8")
    ok(kehu("--today", "2026-11-23", "import", "targets", str(path)))
    assert created() == first
    assert csv_rows(kehu("target", "list", "--format", "csv"))[0]["amount"] == "1300000.00"
