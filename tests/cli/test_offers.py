"""Proposals and quotes (呈现价值): versions, the expected value, statuses, lists, the card, CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import ok


def listed(kehu, kind: str, *args: str) -> list[dict]:
    return json.loads(ok(kehu(kind, "list", *args, "--format", "json")).stdout)


def expected_value(kehu, customer: str) -> str | None:
    return json.loads(ok(kehu("show", customer, "--format", "json")).stdout)["expected_value"]


@pytest.fixture
def book(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B", "--expected-value", "100万"))
    ok(kehu("add", "南京钟山软件"))
    return kehu


def test_a_proposal_with_an_earlier_title_is_its_next_version(book, tmp_path: Path):
    pdf = tmp_path / "方案.pdf"
    pdf.write_bytes(b"%PDF")
    first = ok(book("proposal", "add", "hnkj", "--amount", "120万"))
    assert first.stderr == "added proposal 1 of 杭州海纳科技: 建议书 v1 (draft)\n"
    sent = ok(book("proposal", "add", "海纳", "--title", "仓储方案", "--amount", "1.25M",
                   "--sent", "2026-11-20",
                   "--file", str(pdf)))  # fmt: skip
    assert sent.stderr == "added proposal 2 of 杭州海纳科技: 仓储方案 v1 (sent)\n"
    # no title: the customer's latest proposal's; a status said wins over --sent
    again = ok(
        book("proposal", "add", "海纳", "--amount", "118万", "--sent", "2026-11-22", "--status", "accepted")
    )
    assert again.stderr == "added proposal 3 of 杭州海纳科技: 仓储方案 v2 (accepted)\n"
    ok(book("proposal", "add", "钟山"))
    found = listed(book, "proposal")
    assert [(p["id"], p["title"], p["version"], p["amount"], p["status"]) for p in found] == [
        (3, "仓储方案", 2, "1180000.00", "accepted"),  # the latest version of each title first
        (1, "建议书", 1, "1200000.00", "draft"),
        (2, "仓储方案", 1, "1250000.00", "sent"),
        (4, "建议书", 1, None, "draft"),
    ]  # fmt: skip
    assert found[2]["file"] == str(pdf.resolve()) and found[2]["sent_on"] == "2026-11-20"
    assert [p["id"] for p in listed(book, "proposal", "海纳", "--latest")] == [3, 1]
    assert expected_value(book, "海纳") == "1000000.00"  # a proposal leaves the expected value


def test_a_missing_file_is_exit_66_and_nothing_is_written(book, kehu_process):
    missing = kehu_process("proposal", "add", "海纳", "--file", "no/such.pdf")
    assert missing.returncode == 66
    assert missing.stderr.decode() == "kehu: --file: no such file: no/such.pdf\n"
    assert listed(book, "proposal") == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["proposal", "add", "海纳", "--status", "done"],
         "--status: unknown value 'done'; one of: draft, sent, accepted, rejected"),
        (["quote", "add", "海纳", "--amount", "0"], "--amount: must be more than zero"),
        (["quote", "add", "海纳", "--amount", "5万", "--discount", "120"],
         "--discount: a share is 0 to 100%"),
        (["quote", "add", "海纳", "--amount", "5万", "--sent", "明天"],
         "--sent: cannot be sent in the future (2026-11-24)"),
        (["quote", "status", "1", "maybe"], "STATUS: unknown value 'maybe'"),
    ],
)  # fmt: skip
def test_bad_values_are_usage_errors(book, args, words):
    ok(book("quote", "add", "钟山", "--amount", "1万"))
    refused = book(*args)
    assert refused.exit_code == 2
    assert words in refused.stderr
    assert len(listed(book, "quote")) == 1


def test_the_latest_quote_becomes_the_expected_value_unless_kept(book):
    first = ok(
        book("quote", "add", "海纳", "--amount", "118万", "--valid-until", "2026-12-31", "--discount", "5%")
    )
    assert first.stderr == (
        "added quote 1 of 杭州海纳科技: v1 (draft)\n"
        "expected value of 杭州海纳科技: 1,000,000.00 → 1,180,000.00 "
        "(the latest quote; --keep-value keeps it)\n"
    )
    assert expected_value(book, "海纳") == "1180000.00"
    kept = ok(book("quote", "add", "海纳", "-a", "99万", "--keep-value", "--sent", "今天"))
    assert kept.stderr.splitlines()[-1] == "expected value of 杭州海纳科技 kept as it was (--keep-value)"
    assert expected_value(book, "海纳") == "1180000.00"
    ok(book("quote", "add", "钟山", "-a", "5万"))
    found = listed(book, "quote")
    assert [(q["customer"], q["version"], q["amount"], q["discount"], q["status"]) for q in found] == [
        ("杭州海纳科技", 2, "990000.00", None, "sent"),
        ("杭州海纳科技", 1, "1180000.00", 5, "draft"),
        ("南京钟山软件", 1, "50000.00", None, "draft"),
    ]  # fmt: skip
    assert expected_value(book, "钟山") == "50000.00"
    # a new amount of the latest quote moves the value too; of an earlier one, not
    ok(book("quote", "edit", "2", "--amount", "112万"))
    assert expected_value(book, "海纳") == "1120000.00"
    ok(book("quote", "edit", "1", "--amount", "130万"))
    assert expected_value(book, "海纳") == "1120000.00"


def test_status_changes_and_remove(book):
    ok(book("quote", "add", "海纳", "--amount", "118万"))
    ok(book("proposal", "add", "海纳", "--title", "方案"))
    sent = ok(book("proposal", "status", "1", "已发送"))
    assert sent.stderr == "proposal 1 of 杭州海纳科技: sent\n"
    [proposal] = listed(book, "proposal")
    assert (proposal["status"], proposal["sent_on"]) == ("sent", "2026-11-23")  # sent today
    ok(book("quote", "status", "1", "accepted"))
    assert listed(book, "quote")[0]["status"] == "accepted"
    ok(book("proposal", "edit", "1", "--title", "新方案", "--amount", "50万", "--notes", "二期"))
    [proposal] = listed(book, "proposal")
    assert (proposal["title"], proposal["version"], proposal["amount"], proposal["notes"]) == (
        "新方案", 1, "500000.00", "二期")  # fmt: skip
    ok(book("quote", "remove", "1"))
    assert listed(book, "quote") == []
    assert expected_value(book, "海纳") == "1180000.00"  # removing a quote leaves the value
    missing = book("quote", "remove", "1")
    assert (missing.exit_code, missing.stderr) == (1, "kehu: no quote 1\n")


def test_a_quote_past_its_day_shows_expired_in_tables_only(book):
    ok(
        book(
            "quote", "add", "海纳", "--amount", "118万", "--valid-until", "2026-11-20", "--sent", "2026-11-10"
        )
    )
    ok(book("quote", "add", "钟山", "--amount", "5万", "--valid-until", "2026-11-01", "--status", "accepted"))
    table = ok(book("quote", "list", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert all(len(line) <= 80 for line in table.splitlines())
    for word in ("expired", "1,180,000.00", "accepted", "杭州海纳科技", "2026-11-20"):
        assert word in table
    assert table.count("expired") == 1  # an accepted quote is not waiting for an answer
    chinese = ok(book("quote", "list", "--format", "table", env={"COLUMNS": "80", "KEHU_LANG": "zh"})).stdout
    assert "已过期" in chinese
    assert ok(book("quote", "list", "--format", "csv")).stdout == (
        "id,customer,version,amount,discount,valid_until,status,sent_on,notes\n"
        "1,杭州海纳科技,1,1180000.00,,2026-11-20,sent,2026-11-10,\n"
        "2,南京钟山软件,1,50000.00,,2026-11-01,accepted,,\n"
    )
    assert ok(book("quote", "list", "--format", "tsv")).stdout.splitlines()[1].split("\t")[6] == "sent"
    assert (
        json.loads(ok(book("quote", "list", "--format", "jsonl")).stdout.splitlines()[0])["status"] == "sent"
    )
    proposals = ok(book("proposal", "list", "--format", "table")).stderr
    assert proposals == "no proposals\n"


def test_the_card_shows_the_latest_proposal_and_quote(book):
    ok(
        book(
            "proposal",
            "add",
            "海纳",
            "--title",
            "仓储数字化整体解决方案",
            "--amount",
            "120万",
            "--sent",
            "2026-11-20",
        )
    )
    ok(book("proposal", "add", "海纳", "--amount", "125万"))
    ok(book("quote", "add", "海纳", "--amount", "118万", "--valid-until", "2026-11-22", "--discount", "5"))
    card = ok(book("show", "海纳", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert all(len(line) <= 80 for line in card.splitlines())
    assert "仓储数字化整体解决方案 v2 · 1,250,000.00 · draft" in card
    assert "v1 · 1,180,000.00 · draft · valid until: 2026-11-22 · discount: 5%" in card
    assert card.split("discount: 5%")[1].split()[0] == "expired"
    data = json.loads(ok(book("show", "海纳", "--format", "json")).stdout)
    assert (data["proposal"]["version"], data["proposal"]["amount"]) == (2, "1250000.00")
    assert (data["quote"]["version"], data["quote"]["status"], data["quote"]["expired"]) == (1, "draft", True)
    assert json.loads(ok(book("show", "钟山", "--format", "json")).stdout)["quote"] is None


def test_import_export_round_trip_versions_and_bad_rows(book, tmp_path: Path):
    ok(book("proposal", "add", "海纳", "--title", "方案", "--amount", "120万"))
    ok(book("proposal", "add", "海纳", "--title", "方案", "--amount", "118万", "--sent", "2026-11-20"))
    ok(book("quote", "add", "海纳", "--amount", "118万", "--discount", "5", "--valid-until", "2026-12-31"))
    ok(book("quote", "add", "钟山", "--amount", "5万"))
    for kind in ("proposals", "quotes"):
        exported = ok(book("export", kind)).stdout
        file = tmp_path / f"{kind}.csv"
        file.write_text(exported, encoding="utf-8")
        for record in listed(book, kind[:-1]):
            ok(book(kind[:-1], "remove", str(record["id"])))
        imported = ok(book("import", kind, str(file)))
        assert imported.stderr == f"imported {kind}: 2 added, 0 updated, 0 unchanged, 0 skipped\n"
        again = ok(book("export", kind)).stdout  # new records, the versions as they were
        assert [line.split(",", 1)[1] for line in again.splitlines()] == [
            line.split(",", 1)[1] for line in exported.splitlines()]  # fmt: skip
    assert [line.split(",", 1)[1] for line in ok(book("export", "quotes")).stdout.splitlines()[1:]] == [
        "杭州海纳科技,1,1180000.00,5,2026-12-31,draft,,", "南京钟山软件,1,50000.00,,,draft,,"]  # fmt: skip
    # Chinese headers; each row as `add`: versions continue those in the book, values move
    sheet = tmp_path / "报价.csv"
    sheet.write_text("客户名称,报价金额,折扣,有效期至\n杭州海纳科技,110万,10,2027-01-15\n", encoding="utf-8")
    ok(book("import", "quotes", str(sheet)))
    assert listed(book, "quote", "海纳")[0]["version"] == 2
    assert expected_value(book, "海纳") == "1100000.00"
    bad = tmp_path / "bad.csv"
    bad.write_text("customer,title,amount,sent,file\n没有这家,a,1万,,\n杭州海纳科技,b,-1,,\n"
                   "杭州海纳科技,c,1万,2027-01-01,\n"
                   "杭州海纳科技,d,,,/no/such.pdf\n", encoding="utf-8")  # fmt: skip
    refused = book("import", "proposals", str(bad))
    assert refused.exit_code == 65
    assert refused.stderr.splitlines() == [
        "kehu: bad.csv: 4 bad rows; nothing was imported",
        "line 2, customer: no customer named '没有这家'",
        "line 3, amount: not an amount of money: -1 (e.g. 850000, 1,200,000.50, 300k, 1.5M)",
        "line 4, sent: cannot be sent in the future (2027-01-01)",
        "line 5, file: no such file: /no/such.pdf",
    ]
    assert len(listed(book, "proposal")) == 2
