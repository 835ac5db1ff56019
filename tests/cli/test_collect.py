"""Collecting money (issue 17): the ladder by amount and age in followups and report ar, the
[collection] config table, kehu collect with its promise coming back, kept and broken."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import csv_rows, ok

HNKJ = "杭州海纳科技有限公司"


def as_json(result) -> list[dict]:
    return json.loads(ok(result).stdout)


@pytest.fixture
def book(on):
    """海纳 owes 200万 due 2026-10-01; 钟山 owes 5万 due 2026-10-01."""
    for args in (
        ("add", HNKJ),
        ("add", "南京钟山软件"),
        (
            "contract",
            "add",
            "hnkj",
            "--amount",
            "200万",
            "--signed",
            "2026-09-01",
            "--due",
            "2026-10-01",
            "--number",
            "HN-1",
        ),
        ("contract", "add", "南京钟山", "--amount", "5万", "--signed", "2026-09-01", "--due", "2026-10-01"),
    ):
        assert on("2026-09-01", *args).exit_code == 0
    return on


def test_followups_and_report_ar_show_method_and_document_by_amount_and_age(book):
    # 40 days overdue: 200万 is past the legal day (31) of its band, 5万 at the finance route
    items = [
        i for i in as_json(book("2026-11-10", "followups", "--format", "json")) if i["kind"] == "collect"
    ]
    assert [(i["customer"], i["days_overdue"], i["note"], i["document"]) for i in items] == [
        (HNKJ, 40, "legal", "collection_letter"),
        ("南京钟山软件", 40, "finance", "overdue_notice"),
    ]
    customers = as_json(book("2026-11-10", "report", "ar", "--by-customer", "--format", "json"))
    assert [(c["customer"], c["step"], c["document"]) for c in customers] == [
        (HNKJ, "legal", "collection_letter"),
        ("南京钟山软件", "finance", "overdue_notice"),
    ]
    table = book("2026-11-10", "followups", "--format", "table", env={"COLUMNS": "120"})
    assert "collect 2,000,000.00: legal route, send the collection letter" in table.stdout
    assert "collect 50,000.00: finance route, send the overdue notice" in table.stdout
    zh = book("2026-11-10", "report", "ar", "--by-customer", "--format", "table",
              env={"KEHU_LANG": "zh", "COLUMNS": "120"})  # fmt: skip
    assert "法律催收" in zh.stdout and "催款函" in zh.stdout and "逾期通知书" in zh.stdout


def test_a_users_ladder_from_the_config(book):
    Path(os.environ["KEHU_CONFIG"]).parent.mkdir(parents=True, exist_ok=True)
    Path(os.environ["KEHU_CONFIG"]).write_text(
        "[[collection.band]]\nfrom = 0\nphone = 1\nvisit = 30\n\n"
        '[[collection.band]]\nfrom = "1000万"\nlegal = 1\n', encoding="utf-8")  # fmt: skip
    items = [
        i for i in as_json(book("2026-11-10", "followups", "--format", "json")) if i["kind"] == "collect"
    ]
    assert [(i["note"], i["document"]) for i in items] == [("visit", None), ("visit", None)]
    [info] = as_json(book("2026-11-10", "info", "--format", "json"))
    assert info["collection_ladder"] == "0.00: phone 1, visit 30; 10000000.00: legal 1"


@pytest.mark.parametrize(("content", "line", "says"), [
    ("[collection]\nband = 3\n", 2, "collection.band is a list of tables"),
    ("[[collection.band]]\nfrom = 0\nphone = 1\n\n[[collection.band]]\nfrom = 0\nphone = 1\n", 6,
     "collection bands go from the smallest amount up"),
    ("[[collection.band]]\nfrom = 0\nphone = 10\nfinance = 5\n", 4,
     "finance begins before the method above it"),
    ("[collection]\nladder = 1\n", 2, "unknown key collection.ladder"),
])  # fmt: skip
def test_a_bad_collection_table_is_exit_78_with_file_and_line(kehu, content, line, says):
    path = Path(os.environ["KEHU_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    result = kehu("followups")
    assert result.exit_code == 78
    assert result.stderr.startswith(f"kehu: bad config file {path}, line {line}: {says}")


def test_collect_with_a_promise_coming_back_on_its_day_then_broken(book):
    done = book("2026-11-10", "collect", "hnkj", "上门", "--result", "同意月底前付50%",
                "--promise", "月底", "50万",
                "--contract", "HN-1")  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert done.stderr == ("--promise: 2026-11-30\n"  # 月底 resolved, as every typed date is shown
                           f"collection 1 for {HNKJ}: visit in person\n"
                           "promise of 500000.00 by 2026-11-30: "
                           "kehu followups brings it back that day\n")  # fmt: skip
    # logging it is a touch: the customer's last touch moves, by the visit's channel
    [touch] = as_json(book("2026-11-10", "history", "hnkj", "--format", "json"))
    assert (touch["happened_on"], touch["channel"], touch["summary"]) == (
        "2026-11-10",
        "visit",
        "同意月底前付50%",
    )
    promises = lambda day: [i for i in as_json(book(day, "followups", "--format", "json"))  # noqa: E731
                            if i["kind"] == "promise"]  # fmt: skip
    assert promises("2026-11-29") == []  # not before its day
    [due] = promises("2026-11-30")
    assert (due["day"], due["note"], due["days_overdue"], due["promised_amount"]) == (
        "2026-11-30",
        "open",
        0,
        "500000.00",
    )
    [broken] = promises("2026-12-03")
    assert (broken["note"], broken["days_overdue"]) == ("broken", 3)
    table = book("2026-11-30", "followups", "--format", "table", env={"COLUMNS": "120"})
    assert "promised 500,000.00 by 11-30: check" in table.stdout
    table = book("2026-12-03", "followups", "--format", "table", env={"COLUMNS": "120"})
    assert "promised 500,000.00 by 11-30: broken" in table.stdout and "3 days overdue" in table.stdout
    [action] = as_json(book("2026-12-03", "collections", "hnkj", "--format", "json"))
    assert {k: action[k] for k in ("customer", "contract", "happened_on", "method", "document", "result",
                                   "promised_on", "promised_amount", "promise_status", "paid_since")} == {
        "customer": HNKJ, "contract": "HN-1", "happened_on": "2026-11-10", "method": "visit",
        "document": None,
        "result": "同意月底前付50%", "promised_on": "2026-11-30", "promised_amount": "500000.00",
        "promise_status": "broken", "paid_since": "0.00",
    }  # fmt: skip
    # the money comes (in two payments on or after the action's day): the promise is kept
    ok(book("2026-12-04", "pay", "hnkj", "30万"))
    assert as_json(book("2026-12-04", "collections", "--format", "json"))[0]["promise_status"] == "broken"
    ok(book("2026-12-05", "pay", "hnkj", "20万"))
    [kept] = as_json(book("2026-12-05", "collections", "--format", "json"))
    assert (kept["promise_status"], kept["paid_since"]) == ("kept", "500000.00")
    assert promises("2026-12-05") == []


def test_finance_and_legal_send_their_documents_and_every_format(book):
    ok(book("2026-11-10", "collect", "南京钟山", "财务", "--result", "已发函"))
    ok(book("2026-11-11", "collect", "hnkj", "legal", "--result", "律师函已寄出", "--on", "2026-11-11"))
    rows = csv_rows(ok(book("2026-11-12", "collections", "--format", "csv")))
    assert [(r["customer"], r["method"], r["document"], r["promise_status"]) for r in rows] == [
        ("南京钟山软件", "finance", "overdue_notice", ""),
        (HNKJ, "legal", "collection_letter", ""),
    ]
    tsv = ok(book("2026-11-12", "collections", "--format", "tsv")).stdout.splitlines()
    assert tsv[0].split("\t")[:5] == ["id", "customer", "contract", "happened_on", "method"]
    jsonl = [
        json.loads(line)
        for line in ok(book("2026-11-12", "collections", "--format", "jsonl")).stdout.splitlines()
    ]
    assert [r["method"] for r in jsonl] == ["finance", "legal"]
    labelled = csv_rows(ok(book("2026-11-12", "collections", "--format", "csv", "--labels")))
    assert labelled[0]["method"] == "finance"  # --labels: the words are in their own column
    table = book("2026-11-12", "collections", "--format", "table", env={"KEHU_LANG": "zh", "COLUMNS": "120"})
    assert "财务" in table.stdout and "逾期通知书" in table.stdout


@pytest.mark.parametrize(("args", "code", "says"), [
    (("hnkj", "email", "--result", "x"), 2, "method"),
    (("hnkj", "phone", "--result", " "), 2, "--result"),
    (("hnkj", "phone", "--result", "x", "--on", "2026-12-01"), 2, "--on"),
    (("hnkj", "phone", "--result", "x", "--promise", "2026-11-01", "1万"), 2, "--promise"),
    (("hnkj", "phone", "--result", "x", "--promise", "月底", "lots"), 2, "--promise"),
    (("hnkj", "phone", "--result", "x", "--contract", "NOPE"), 1, "--contract"),
    (("nobody", "phone", "--result", "x"), 1, "nobody"),
])  # fmt: skip
def test_bad_input_is_one_line_and_nothing_written(book, args, code, says):
    result = book("2026-11-10", "collect", *args)
    assert result.exit_code == code, result.stderr
    assert says in result.stderr and result.stderr.count("\n") <= 3 and "Traceback" not in result.stderr
    assert ok(book("2026-11-10", "collections", "--format", "json")).stdout.strip() == "[]"
    assert as_json(book("2026-11-10", "history", "hnkj", "--format", "json")) == []
