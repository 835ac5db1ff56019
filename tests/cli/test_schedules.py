"""Payment schedules (issue 17): instalments, delivery and acceptance, payments across instalments
and contracts exact to the fen, aging and `report ar` per instalment, the instalments' export."""

from __future__ import annotations

import json

import pytest

from tests.helpers import csv_rows, ok, rows

SCHEDULE = "30% 签约, 60% 验收后30天, 10% 质保1年"


def instalments(kehu, *args: str) -> list[tuple]:
    found = json.loads(ok(kehu("contract", "list", *args, "--instalments", "--format", "json")).stdout)
    return [(i["number"], i["seq"], i["amount"], i["due_on"], i["paid"], i["outstanding"]) for i in found]


@pytest.fixture
def scheduled(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("won", "海纳", "--amount", "100万"))
    added = ok(kehu("contract", "add", "海纳", "--amount", "1,000,000.01", "--signed", "2026-08-01",
                    "--number", "HN-1", "--schedule", SCHEDULE))  # fmt: skip
    assert added.stderr.splitlines()[:4] == [
        "contract 1 for 杭州海纳科技: 1000000.01 in 3 instalments",
        "  1. 300000.00 签约 (2026-08-01)",
        "  2. 600000.00 验收后30天 (when it happens)",
        "  3. 100000.01 质保1年 (when it happens)",
    ]
    return kehu


def test_a_schedule_becomes_instalments_the_remainder_on_the_last(scheduled):
    shown = csv_rows(ok(scheduled("contract", "show", "HN-1", "--format", "csv")))
    assert [(r["seq"], r["label"], r["event"], r["days"], r["amount"], r["due_on"]) for r in shown] == [
        ("1", "签约", "signing", "0", "300000.00", "2026-08-01"),
        ("2", "验收后30天", "acceptance", "30", "600000.00", ""),
        ("3", "质保1年", "acceptance", "365", "100000.01", ""),
    ]
    # The signing instalment is 114 days overdue on 2026-11-23; the others wait for acceptance.
    assert [(r["bucket"], r["step"]) for r in shown] == [("90+", shown[0]["step"]), ("not_due", ""),
                                                           ("not_due", "")]  # fmt: skip
    assert shown[0]["step"]
    listed = json.loads(ok(scheduled("contract", "list", "--format", "json")).stdout)
    assert [(c["due_on"], c["amount"], c["outstanding"], c["bucket"]) for c in listed] == [
        ("2026-08-01", "1000000.01", "1000000.01", "90+")]  # fmt: skip


def test_english_instalments_one_by_one(kehu):
    ok(kehu("add", "Acme"))
    ok(kehu("contract", "add", "Acme", "--amount", "1000", "--signed", "2026-11-01", "-n", "AC-1",
            "--instalment", "300 on signing", "--instalment", "500 2 weeks after delivery",
            "--instalment", "200 2026-12-31"))  # fmt: skip
    assert instalments(kehu, "Acme") == [
        ("AC-1", 1, "300.00", "2026-11-01", "0.00", "300.00"),
        ("AC-1", 3, "200.00", "2026-12-31", "0.00", "200.00"),
        ("AC-1", 2, "500.00", None, "0.00", "500.00"),
    ]
    ok(kehu("deliver", "AC-1", "--date", "2026-11-10", "--note", "20 units"))
    assert instalments(kehu, "Acme")[1] == ("AC-1", 2, "500.00", "2026-11-24", "0.00", "500.00")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--schedule", "30% 签约, 60% 验收"], "kehu: --schedule: the percentages add up to 90%, not 100%"),
        (["--schedule", "30% 签约, 70% 下雨天"],
         "kehu: --schedule: not a due date or event (like 签约, 验收后30天, 质保1年, "
         "30 days after acceptance, 2027-03-31): 下雨天"),
        (["--instalment", "40万 签约", "--instalment", "50万 交货"],
         "kehu: --instalment: the instalments add up to 900000.00, not the contract's 1000000.00"),
        (["--schedule", SCHEDULE, "--terms", "30天"],
         "kehu: give a schedule (--schedule, --instalment) or --due/--terms, not both"),
        (["--schedule", SCHEDULE, "--instalment", "100% 签约"],
         "kehu: give --schedule or --instalment, not both"),
    ],
)  # fmt: skip
def test_a_bad_schedule_is_a_one_line_usage_error_and_nothing_is_written(kehu, args, message):
    ok(kehu("add", "杭州海纳科技"))
    refused = kehu("contract", "add", "海纳", "--amount", "100万", *args)
    assert (refused.exit_code, refused.stderr) == (2, message + "\n")
    assert ok(kehu("export", "instalments")).stdout == "number,customer,seq,amount,label,event,days,due_on\n"
    assert json.loads(ok(kehu("contract", "list", "--format", "json")).stdout) == []


def test_delivery_and_acceptance_date_the_instalments_tied_to_them(scheduled):
    accepted = ok(scheduled("accept", "HN-1", "--date", "2026-10-01"))
    assert accepted.stderr.splitlines() == [
        "contract HN-1 of 杭州海纳科技 accepted on 2026-10-01",
        "no delivery was recorded: taken as delivered the same day",
        "instalment 2: 600000.00 due 2026-10-31",
        "instalment 3: 100000.01 due 2027-10-01",
    ]
    assert [i[3] for i in instalments(scheduled)] == ["2026-08-01", "2026-10-31", "2027-10-01"]
    exported = ok(scheduled("export", "instalments")).stdout.splitlines()
    assert exported == [
        "number,customer,seq,amount,label,event,days,due_on",
        "HN-1,杭州海纳科技,1,300000.00,签约,signing,0,2026-08-01",
        "HN-1,杭州海纳科技,2,600000.00,验收后30天,acceptance,30,2026-10-31",
        "HN-1,杭州海纳科技,3,100000.01,质保1年,acceptance,365,2027-10-01",
    ]
    # A customer with one open contract names it; an acceptance before the delivery is bad data.
    ok(scheduled("deliver", "海纳", "--date", "2026-09-20", "--note", "第一批"))
    early = scheduled("accept", "海纳", "--date", "2026-09-01")
    assert (early.exit_code, early.stderr) == (65, "kehu: 2026-09-01 is before the delivery (2026-09-20)\n")
    before = scheduled("deliver", "HN-1", "--date", "2026-07-01")
    assert (before.exit_code, before.stderr) == (
        65,
        "kehu: 2026-07-01 is before the contract was signed (2026-08-01)\n",
    )
    missing = scheduled("deliver", "HN-9")
    assert (missing.exit_code, missing.stderr) == (
        1,
        "kehu: no contract HN-9 (a contract number, an id or a customer)\n",
    )


def test_payments_settle_the_oldest_instalment_first_across_contracts_to_the_fen(scheduled):
    ok(scheduled("contract", "add", "海纳", "--amount", "0.10", "--signed", "2026-09-01", "-n", "HN-2",
                 "--schedule", "33% 2026-09-15, 33% 交货, 34% 验收"))  # fmt: skip
    ok(scheduled("pay", "海纳", "300000.04", "--date", "2026-11-01"))
    # HN-1's deposit (due 08-01) then HN-2's first (09-15); the 0.01 left pays HN-1's undated 2nd.
    assert instalments(scheduled) == [
        ("HN-1", 1, "300000.00", "2026-08-01", "300000.00", "0.00"),
        ("HN-2", 1, "0.03", "2026-09-15", "0.03", "0.00"),
        ("HN-1", 2, "600000.00", None, "0.01", "599999.99"),
        ("HN-1", 3, "100000.01", None, "0.00", "100000.01"),
        ("HN-2", 2, "0.03", None, "0.00", "0.03"),
        ("HN-2", 3, "0.04", None, "0.00", "0.04"),
    ]
    ok(scheduled("deliver", "HN-2", "--date", "2026-10-01"))
    ok(scheduled("pay", "海纳", "0.03"))  # now HN-2's delivery instalment is the oldest due
    assert instalments(scheduled, "--open")[0] == ("HN-1", 2, "600000.00", None, "0.01", "599999.99")
    # One payment row per instalment (payment.instalment_id), as the dump carries them.
    dumped = [json.loads(line) for line in ok(scheduled("dump")).stdout.splitlines()]
    paid = [(r["row"]["instalment_id"], r["row"]["amount"]) for r in dumped if r.get("table") == "payment"]
    assert paid == [(1, "300000.00"), (4, "0.03"), (2, "0.01"), (5, "0.03")]
    over = scheduled("pay", "海纳", "700000.05")
    assert (over.exit_code, over.stderr) == (
        1,
        "kehu: payment 700000.05 is more than the 700000.04 outstanding\n",
    )


def test_aging_report_ar_and_followups_work_per_instalment(scheduled):
    ok(scheduled("accept", "HN-1", "--date", "2026-10-01"))  # instalment 2 due 10-31: 23 days late
    ok(scheduled("pay", "海纳", "100000"))  # part of the deposit
    report = {
        r["bucket"]: r["outstanding"] for r in csv_rows(ok(scheduled("report", "ar", "--format", "csv")))
    }
    assert report == {"not_due": "100000.01", "1-30": "600000.00", "31-60": "0.00", "61-90": "0.00",
                      "90+": "200000.00"}  # fmt: skip
    collect = [r for r in rows(scheduled, "today") if r["kind"] == "collect"]
    assert [(r["day"], r["days_overdue"]) for r in collect] == [("2026-08-01", 114), ("2026-10-31", 23)]


def test_the_card_shows_a_scheduled_contracts_instalments(scheduled):
    ok(scheduled("pay", "海纳", "100000"))
    card = ok(scheduled("show", "海纳", "--format", "table", env={"COLUMNS": "100"})).stdout
    lines = card.splitlines()
    start = lines.index("Instalments of HN-1")
    shown = [line for line in lines[start:] if line.startswith("│")][:3]
    assert [line.split("│")[1:7] for line in shown] == [
        ["         1 ", " 签约       ", " 300,000.00 ", " 2026-08-01 ", " 100,000.00 ", "  200,000.00"],
        ["         2 ", " 验收后30天 ", " 600,000.00 ", "            ", "       0.00 ", "  600,000.00"],
        ["         3 ", " 质保1年    ", " 100,000.01 ", "            ", "       0.00 ", "  100,000.01"],
    ]
    # What is overdue is the deposit's rest, not the whole contract.
    assert "200,000.00 overdue, the oldest 114 days" in card
