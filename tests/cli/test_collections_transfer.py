"""Issue 17's tables through files: `kehu export|import collections` (an action as kehu collect
records it, not a touch), `kehu import instalments` (a contract's schedule replaced, its payments
split again as kehu pay splits them) and the dump's check that instalments add up."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import TODAY
from tests.helpers import csv_rows, customer_count, ok

HNKJ = "杭州海纳科技有限公司"
ZS = "南京钟山软件"
HEADER = "id,customer,contract,happened_on,method,document,result,promised_on,promised_amount,promise_status"
# The actions `collections` records, as of TODAY: the promise of 11-02 was kept by the payment of
# 11-10, the one of 11-05 broken on 11-15, the one of 11-03 still open.
EXPORTED = [
    HEADER,
    f"1,{HNKJ},HN-1,2026-09-10,phone,,财务说下周付,,,",
    f"2,{ZS},,2026-10-08,finance,overdue_notice,已发逾期通知书,,,",
    f"3,{HNKJ},HN-1,2026-11-02,visit,,同意月底前付20万,2026-11-20,200000.00,kept",
    f"4,{ZS},ZS-1,2026-11-03,legal,collection_letter,律师函已寄出,2026-12-15,50000.00,open",
    f"5,{ZS},,2026-11-05,phone,,答应11月15日付,2026-11-15,10000.00,broken",
]


def contracts(run) -> None:
    """Two customers: 海纳's HN-1 of 100万 in instalments (30% on signing, the rest after
    acceptance), 钟山's ZS-1 of 5万 in one payment."""
    for args in (
        ("add", HNKJ),
        ("add", ZS),
        ("contract", "add", "海纳", "--amount", "100万", "--signed", "2026-08-01", "--number", "HN-1",
         "--schedule", "30% 签约, 60% 验收后30天, 10% 质保1年"),
        ("contract", "add", "钟山", "--amount", "5万", "--signed", "2026-08-01", "--due", "2026-09-01",
         "--number", "ZS-1"),
    ):  # fmt: skip
        ok(run("2026-08-01", *args))


def collections(run) -> None:
    ok(run("2026-09-10", "collect", "海纳", "电话", "--result", "财务说下周付", "--contract", "HN-1"))
    ok(run("2026-10-08", "collect", "钟山", "财务", "--result", "已发逾期通知书"))
    ok(run("2026-11-02", "collect", "海纳", "上门", "--result", "同意月底前付20万", "--promise", "2026-11-20",
           "20万", "--contract", "HN-1"))  # fmt: skip
    ok(run("2026-11-03", "collect", "钟山", "法律", "--result", "律师函已寄出", "--promise", "2026-12-15",
           "5万", "--contract", "ZS-1"))  # fmt: skip
    ok(run("2026-11-05", "collect", "钟山", "phone", "--result", "答应11月15日付", "--promise", "2026-11-15",
           "1万"))  # fmt: skip


def paid(run) -> None:
    ok(run("2026-11-10", "pay", "海纳", "20万"))


def in_book(on, db: Path):
    """`on`, on another book (a SQLite file)."""
    return lambda day, *args: on(day, "--db", str(db), *args)


# --- kehu export collections ---------------------------------------------------------------------


def test_export_collections_oldest_first_with_names_numbers_and_status_in_every_format(kehu, on):
    contracts(on)
    collections(on)
    paid(on)
    assert ok(kehu("export", "collections")).stdout.splitlines() == EXPORTED
    assert ok(kehu("export", "collections", "--format", "tsv")).stdout.splitlines() == [
        line.replace(",", "\t") for line in EXPORTED
    ]
    found = json.loads(ok(kehu("export", "collections", "--format", "json")).stdout)
    assert [(r["customer"], r["contract"], r["promised_amount"], r["promise_status"]) for r in found] == [
        (HNKJ, "HN-1", None, None), (ZS, None, None, None), (HNKJ, "HN-1", "200000.00", "kept"),
        (ZS, "ZS-1", "50000.00", "open"), (ZS, None, "10000.00", "broken"),
    ]  # fmt: skip
    lines = ok(kehu("export", "collections", "--format", "jsonl")).stdout.splitlines()
    assert [json.loads(line) for line in lines] == found
    table = ok(kehu("export", "collections", "--format", "table", env={"KEHU_LANG": "zh", "COLUMNS": "200"}))
    assert "承诺状态" in table.stdout and "律师函已寄出" in table.stdout and "HN-1" in table.stdout
    labelled = ok(kehu("export", "collections", "--labels", env={"KEHU_LANG": "zh"})).stdout.splitlines()
    assert labelled[0] == "编号,客户名称,合同,日期,催收方式,催收文书,结果,承诺日期,承诺金额,承诺状态"
    assert labelled[2] == f"2,{ZS},,2026-10-08,财务,逾期通知书,已发逾期通知书,,,"
    # The status is as of the day asked: on 11-12 the promise of 11-15 was still open.
    earlier = csv_rows(on("2026-11-12", "export", "collections"))
    assert [r["promise_status"] for r in earlier] == ["", "", "kept", "open", "open"]


# --- kehu import collections ---------------------------------------------------------------------


def test_an_export_imports_into_a_book_with_the_same_contracts_and_logs_no_touch(kehu, on, tmp_path):
    source = in_book(on, tmp_path / "source.db")
    contracts(source)
    collections(source)
    paid(source)
    exported = ok(source(TODAY, "export", "collections")).stdout
    contracts(on)
    paid(on)
    said = ok(kehu("import", "collections", "-", input=exported)).stderr
    assert said == "imported collection actions: 5 added, 0 updated, 0 unchanged, 0 skipped\n"
    assert ok(kehu("export", "collections")).stdout == exported
    # The touches the actions were travel in the follow-up log (kehu export|import touches): the
    # import logs none, so a book moved by its exports does not get each one twice.
    assert json.loads(ok(kehu("history", "海纳", "--format", "json")).stdout) == []
    assert {r["last_touch_on"] for r in csv_rows(kehu("export", "customers"))} == {""}
    assert len(json.loads(ok(source(TODAY, "history", "海纳", "--format", "json")).stdout)) == 2


def test_chinese_and_english_headers_words_and_labelled_exports_import(kehu, on, tmp_path):
    contracts(on)
    chinese = (
        "客户名称,合同编号,日期,方式,文书,结果,承诺日期,承诺金额\n"
        f"{HNKJ},HN-1,2026-11-02,上门,,同意月底前付20万,2026-11-20,20万\n"
        f"{ZS},,2026-11-03,法律,律师函,律师函已寄出,,\n"
    )
    assert ok(kehu("import", "collections", "-", input=chinese)).stderr.startswith(
        "imported collection actions: 2 added"
    )
    english = f"customer,contract,day,method,result,promised on,promised amount\n{ZS},ZS-1,2026-11-05,call,答应付款,2026-11-30,1万\n"  # noqa: E501
    ok(kehu("import", "collections", "-", input=english))
    assert ok(kehu("export", "collections")).stdout.splitlines() == [
        HEADER,
        f"1,{HNKJ},HN-1,2026-11-02,visit,,同意月底前付20万,2026-11-20,200000.00,broken",
        f"2,{ZS},,2026-11-03,legal,collection_letter,律师函已寄出,,,",
        f"3,{ZS},ZS-1,2026-11-05,phone,,答应付款,2026-11-30,10000.00,open",
    ]
    # A labelled Chinese export, and what kehu collections prints (stamps and paid since, which
    # kehu computes, read past), import into a copy as they are.
    plain = ok(kehu("export", "collections")).stdout
    listings = {"labelled": ok(kehu("export", "collections", "--labels", env={"KEHU_LANG": "zh"})).stdout,
                "listed": ok(kehu("collections", "--format", "csv")).stdout}  # fmt: skip
    for name, listing in listings.items():
        copy = str(tmp_path / f"{name}.db")
        contracts(in_book(on, copy))
        dry = ok(kehu("--db", copy, "import", "collections", "-", "--dry-run", input=listing)).stdout
        assert dry == "dry run: would import 3 added, 0 updated, 0 unchanged, 0 skipped\n"
        assert ok(kehu("--db", copy, "export", "collections")).stdout == HEADER + "\n"
        ok(kehu("--db", copy, "import", "collections", "-", input=listing))
        assert ok(kehu("--db", copy, "export", "collections")).stdout == plain, name


def test_bad_rows_are_all_listed_and_nothing_is_imported(kehu, on):
    contracts(on)
    ok(on("2026-11-02", "collect", "海纳", "上门", "--result", "约了下周"))
    before = ok(kehu("export", "collections")).stdout
    bad = (
        "customer,contract,day,method,result,promised_on,promised_amount\n"
        "无此客户,,2026-11-01,phone,x,,\n"
        f"{HNKJ},HN-9,2026-11-01,phone,x,,\n"
        f"{HNKJ},,2026-12-01,phone,x,,\n"
        f"{HNKJ},,2026-11-10,visit,x,2026-11-01,5万\n"
        f"{HNKJ},,2026-11-10,visit,x,2026-11-30,\n"
        f"{HNKJ},,2026-11-10,email,x,,\n"
        f"{HNKJ},,2026-11-10,phone,,,\n"
        f"{ZS},,2026-11-10,phone,x,2026-11-30,0\n"
        f"{ZS},ZS-1,2026-11-10,phone,这一行没有错,,\n"
    )
    refused = kehu("import", "collections", "-", input=bad)
    assert refused.exit_code == 65, refused.stderr
    assert refused.stderr.splitlines() == [
        "kehu: standard input: 8 bad rows; nothing was imported",
        "line 2, customer: no customer named '无此客户'",
        f"line 3, contract: '{HNKJ}' has no contract 'HN-9'",
        "line 4, day: a collection action cannot be in the future",
        "line 5, promised_on: the day promised is before the action itself",
        "line 6, promised_amount: a promise has a day and an amount, or neither",
        "line 7, method: unknown value 'email'; one of: phone, finance, visit, legal",
        "line 8, result: a value is required",
        "line 9, promised_amount: the amount must be more than zero",
    ]
    assert ok(kehu("export", "collections")).stdout == before


# --- kehu import instalments ---------------------------------------------------------------------

INSTALMENTS = [
    "number,customer,seq,amount,label,event,days,due_on",
    f"HN-1,{HNKJ},1,300000.00,签约,signing,0,2026-08-01",
    f"HN-1,{HNKJ},2,600000.00,验收后30天,acceptance,30,2026-10-31",
    f"HN-1,{HNKJ},3,100000.00,质保1年,acceptance,365,2027-10-01",
    f"ZS-1,{ZS},1,50000.00,,,,2026-09-01",
]


def schedules(run, *args: str) -> str:
    return ok(run(TODAY, "contract", "list", "--instalments", "--format", "csv", *args)).stdout


def test_an_instalments_export_imports_back_unchanged_and_gives_a_copy_the_same_schedules(kehu, on, tmp_path):
    contracts(on)
    ok(on("2026-10-01", "accept", "HN-1"))
    exported = ok(kehu("export", "instalments")).stdout
    assert exported.splitlines() == INSTALMENTS
    said = ok(kehu("import", "instalments", "-", input=exported)).stderr
    assert said == "imported payment schedules: 0 added, 0 updated, 2 unchanged, 0 skipped\n"
    # A copy whose HN-1 was recorded in one payment, then accepted: the file's schedule, dated
    # from the copy's own acceptance.
    copy = in_book(on, tmp_path / "copy.db")
    for args in (("add", HNKJ), ("add", ZS),
                 ("contract", "add", "海纳", "-a", "100万", "--signed", "2026-08-01", "--due", "2026-09-30",
                  "--number", "HN-1"),
                 ("contract", "add", "钟山", "-a", "5万", "--signed", "2026-08-01", "--due", "2026-09-01",
                  "--number", "ZS-1")):  # fmt: skip
        ok(copy("2026-08-01", *args))
    ok(copy("2026-10-01", "accept", "HN-1"))
    labelled = ok(kehu("export", "instalments", "--labels", env={"KEHU_LANG": "zh"})).stdout
    assert labelled.splitlines()[0] == "合同号,客户,期,金额,付款条件,事件,天数,到期日"
    said = ok(kehu("--db", str(tmp_path / "copy.db"), "import", "instalments", "-", input=labelled)).stderr
    assert said == "imported payment schedules: 0 added, 1 updated, 1 unchanged, 0 skipped\n"
    assert ok(copy(TODAY, "export", "instalments")).stdout == exported
    assert schedules(copy) == schedules(on)
    contract_list = ("contract", "list", "--format", "csv")
    assert ok(copy(TODAY, *contract_list)).stdout == ok(on(TODAY, *contract_list)).stdout


def test_payments_go_to_the_new_instalments_as_kehu_pay_splits_them(kehu, on, tmp_path):
    ok(on("2026-08-01", "add", HNKJ))
    ok(on("2026-08-01", "contract", "add", "海纳", "-a", "100万", "--signed", "2026-08-01", "--due",
          "2026-09-01", "--number", "HN-1"))  # fmt: skip
    ok(on("2026-09-01", "pay", "海纳", "45万"))
    ok(on("2026-10-01", "pay", "海纳", "10万"))
    chinese = "合同号,期,金额,付款条件\nHN-1,1,30万,签约\nHN-1,2,50万,交货后10天\nHN-1,3,20万,2026-10-15\n"
    said = ok(kehu("import", "instalments", "-", input=chinese)).stderr
    assert said == "imported payment schedules: 0 added, 1 updated, 0 unchanged, 0 skipped\n"
    # The same book had the contract been signed with that schedule and paid the same.
    reference = in_book(on, tmp_path / "reference.db")
    ok(reference("2026-08-01", "add", HNKJ))
    schedule = "30万 签约, 50万 交货后10天, 20万 2026-10-15"
    ok(reference("2026-08-01", "contract", "add", "海纳", "-a", "100万", "--signed", "2026-08-01",
                 "--number", "HN-1", "--schedule", schedule))  # fmt: skip
    ok(reference("2026-09-01", "pay", "海纳", "45万"))
    ok(reference("2026-10-01", "pay", "海纳", "10万"))
    assert schedules(on) == schedules(reference)
    found = csv_rows(on(TODAY, "contract", "list", "--instalments", "--format", "csv"))
    assert [(r["seq"], r["due_on"], r["paid"]) for r in found] == [
        ("1", "2026-08-01", "300000.00"), ("3", "2026-10-15", "200000.00"), ("2", "", "50000.00"),
    ]  # fmt: skip

    def payments(run) -> list[tuple[str, str]]:
        dumped = [json.loads(line) for line in ok(run(TODAY, "dump")).stdout.splitlines()[1:]]
        return [(r["row"]["paid_on"], r["row"]["amount"]) for r in dumped if r["table"] == "payment"]

    assert payments(on) == payments(reference) == [
        ("2026-09-01", "300000.00"), ("2026-09-01", "150000.00"), ("2026-10-01", "50000.00"),
        ("2026-10-01", "50000.00"),
    ]  # fmt: skip


def test_an_instalment_tied_to_an_event_is_dated_once_the_event_happened(kehu, on):
    contracts(on)
    english = (
        "number,instalment,amount,when,event,days,due\n"
        "HN-1,1,500000,on signing,signing,,\n"
        "HN-1,2,500000,10 days after delivery,delivery,10,2026-12-31\n"
    )
    ok(kehu("import", "instalments", "-", input=english))
    exported = csv_rows(kehu("export", "instalments"))
    assert [(r["label"], r["event"], r["days"], r["due_on"]) for r in exported][:2] == [
        ("on signing", "signing", "0", "2026-08-01"),
        ("10 days after delivery", "delivery", "10", ""),  # the file's due day is read past
    ]  # fmt: skip
    ok(on("2026-11-01", "deliver", "HN-1"))
    ok(kehu("import", "instalments", "-", input=english.replace(",10,2026-12-31", ",20,")))
    assert [r["due_on"] for r in csv_rows(kehu("export", "instalments"))][:2] == ["2026-08-01", "2026-11-21"]


def test_bad_schedules_are_refused_naming_the_contract_and_the_row(kehu, on):
    contracts(on)
    before = ok(kehu("export", "instalments")).stdout
    bad = (
        "number,amount,label,event,days\n"
        "HN-1,30万,签约,,\n"
        "HN-1,69万,验收后30天,,\n"
        "NOPE,1万,签约,,\n"
        "ZS-1,5万,,,30\n"
    )
    refused = kehu("import", "instalments", "-", input=bad)
    assert refused.exit_code == 65, refused.stderr
    assert refused.stderr.splitlines() == [
        "kehu: standard input: 3 bad rows; nothing was imported",
        "line 2, amount: contract HN-1: the instalments add up to 990000.00, not its amount 1000000.00 (a "
        "difference of -10000.00)",
        "line 4, number: no contract numbered 'NOPE'",
        "line 5, days: days after no event",
    ]
    assert ok(kehu("export", "instalments")).stdout == before


# --- kehu dump / load ----------------------------------------------------------------------------


def test_load_refuses_a_dump_whose_instalments_do_not_add_up_to_the_contract(kehu, on, tmp_path):
    contracts(on)
    collections(on)
    paid(on)
    dump = ok(kehu("dump")).stdout
    good = tmp_path / "good.db"
    ok(kehu("--db", str(good), "load", "-", input=dump))
    loaded = ok(kehu("--db", str(good), "export", "instalments")).stdout
    assert loaded == ok(kehu("export", "instalments")).stdout
    lines = dump.splitlines(keepends=True)
    contract_line = next(n for n, line in enumerate(lines, 1) if '"number": "HN-1"' in line)
    retention = next(i for i, line in enumerate(lines) if '"label": "质保1年"' in line)
    damages = {
        "a fen more": (retention, lines[retention].replace('"100000.00"', '"100000.01"'), "+0.01"),
        "one left out": (retention, "", "-100000.00"),
    }
    for name, (index, replaced, difference) in damages.items():
        target = tmp_path / f"{name}.db"
        damaged = "".join(lines[:index]) + replaced + "".join(lines[index + 1 :])
        refused = kehu("--db", str(target), "load", "-", input=damaged)
        assert refused.exit_code == 65, (name, refused.stderr)
        added = f"{1000000 + float(difference):.2f}"
        assert refused.stderr == (
            f"kehu: line {contract_line}, contract.amount: contract HN-1: the instalments add up to {added}, "
            f"not its amount 1000000.00 (a difference of {difference})\n"
        ), name
        assert customer_count(target) == 0
