"""Contracts and money: exact amounts, oldest-first payments, aging, collection in follow-ups."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ok, rows


def contracts(kehu, *args: str) -> list[dict]:
    return json.loads(ok(kehu("contract", "list", *args, "--format", "json")).stdout)


@pytest.fixture
def signed(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B", "--owner", "王磊"))
    ok(kehu("won", "海纳", "--amount", "100万"))
    first = ["--amount", "60万", "--signed", "2026-08-01", "--terms", "30天", "--number", "HN-1"]
    ok(kehu("contract", "add", "海纳", *first))  # due 2026-08-31: 84 days overdue on 2026-11-23
    second = ["--amount", "400,000.10", "--signed", "2026-10-01", "--due", "2026-12-31"]
    ok(kehu("contract", "add", "海纳", *second))
    return kehu


def test_contract_amounts_are_exact_and_aged(signed):
    found = contracts(signed)
    keys = ("number", "due_on", "amount", "outstanding", "bucket", "step")
    assert [tuple(c[k] for k in keys) for c in found] == [
        ("HN-1", "2026-08-31", "600000.00", "600000.00", "61-90", "legal"),  # 60万, 84 days: legal
        (None, "2026-12-31", "400000.10", "400000.10", "not_due", None),
    ]  # fmt: skip
    labelled = json.loads(ok(signed("contract", "list", "--format", "json", "--labels")).stdout)
    assert (labelled[0]["age"], labelled[0]["collection step"]) == ("61–90 days", "legal route")


def test_payments_go_to_the_oldest_due_contract_first_to_the_cent(signed):
    ok(signed("pay", "海纳", "600,000.05", "--date", "昨天"))
    found = contracts(signed)
    assert [(c["paid"], c["outstanding"]) for c in found] == [("600000.00", "0.00"), ("0.05", "400000.05")]
    assert [c["id"] for c in contracts(signed, "--open")] == [2]
    over = signed("pay", "海纳", "400000.06")
    assert over.exit_code == 1
    assert "more than the 400000.05 outstanding" in over.stderr
    done = ok(signed("pay", "海纳", "400000.05"))
    assert "all money collected" in done.stderr
    events = json.loads(ok(signed("stages", "海纳", "--format", "json")).stdout)
    assert [e["event"] for e in events] == ["collected", "won"]


def test_a_payment_dated_before_the_signing_exits_65_and_writes_nothing(signed):
    refused = signed("pay", "海纳", "1万", "--date", "2026-07-15")
    assert refused.exit_code == 65
    line = "kehu: a payment dated 2026-07-15 is before the contract was signed (2026-08-01)\n"
    assert refused.stderr == line  # one line
    assert [c["paid"] for c in contracts(signed)] == ["0.00", "0.00"]


def test_a_contract_early_in_the_funnel_is_recorded_and_offers_kehu_won(kehu):
    ok(kehu("add", "宁波远航贸易"))  # in the first stage, 客户分析
    added = ok(kehu("contract", "add", "远航", "--amount", "5万", "--terms", "30天"))
    assert added.stderr.splitlines()[1] == (
        "宁波远航贸易 is still at analyse the customer, before win commitment; if the deal is signed, "
        "mark it won: kehu won 宁波远航贸易"
    )
    assert [c["amount"] for c in contracts(kehu)] == ["50000.00"]
    ok(kehu("won", "远航"))
    assert "kehu won" not in ok(kehu("contract", "add", "远航", "--amount", "1万", "--terms", "30天")).stderr


def test_contract_list_at_80_columns_keeps_the_amounts(signed):
    ok(signed("add", "Zhejiang Long Name International Trading Co., Ltd."))
    ok(signed("contract", "add", "Zhejiang", "--amount", "1,234,567.89", "--terms", "30天", "--number",
              "ZJ-2026-0001-LONG"))  # fmt: skip
    for language in ("C.UTF-8", "zh_CN.UTF-8"):
        table = ok(signed("contract", "list", "--format", "table", env={"COLUMNS": "80", "LANG": language}))
        lines = table.stdout.splitlines()
        assert max(len(line) for line in lines) <= 80
        for shown in ("600,000.00", "400,000.10", "1,234,567.89", "2026-08-31", "2026-12-31", "0.00"):
            assert shown in table.stdout, (language, shown)
        header = " ".join(lines[:3])
        for label in (("amount", "paid", "outstanding", "due") if language == "C.UTF-8"
                      else ("合同金额", "已回款", "未回款", "到期日")):  # fmt: skip
            assert label in header, (language, label)


def test_bad_contract_input_exits_2(signed):
    assert signed("contract", "add", "海纳", "--amount", "1万").exit_code == 2  # neither --due nor --terms
    assert signed("contract", "add", "海纳", "--amount", "1万", "--terms", "看心情").exit_code == 2
    assert signed("contract", "add", "海纳", "--amount", "0", "--terms", "30天").exit_code == 2
    assert (
        signed("contract", "add", "海纳", "--amount", "1万", "--terms", "30天", "--number", "HN-1").exit_code
        == 1
    )
    assert signed("pay", "海纳", "-5").exit_code == 2


def test_overdue_money_is_a_collection_item_in_the_morning_list(signed):
    found = [r for r in rows(signed, "today") if r["kind"] == "collect"]
    assert [(r["customer"], r["day"], r["days_overdue"], r["note"]) for r in found] == [
        # The step's key (data in any language), by the collection ladder of issue 17: 60万 owed is
        # in the 10万–100万 band, whose legal route begins on day 61 overdue.
        ("杭州海纳科技", "2026-08-31", 84, "legal"),
    ]
    table = ok(signed("followups", "--format", "table", env={"COLUMNS": "200"})).stdout
    assert "To collect" in table
    assert "collect 600,000.00: legal route, send the collection letter" in table
    ok(signed("pay", "海纳", "60万"))
    assert [r for r in rows(signed, "today") if r["kind"] == "collect"] == []
