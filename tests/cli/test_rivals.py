"""Rivals at a customer (竞争信息, issue 16): kehu rival, lost --to, the card, the reports, CSV."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

from tests.helpers import csv_rows, ok

HNKJ = "杭州海纳科技有限公司"


def rivals(kehu, *args: str) -> list[dict]:
    return json.loads(ok(kehu("rival", "list", *args, "--format", "json")).stdout)


@pytest.fixture
def book(kehu):
    ok(kehu("add", HNKJ, "--expected-value", "120万"))
    ok(kehu("add", "南京钟山软件", "--expected-value", "80万"))
    return kehu


def test_rival_add_with_every_field_and_list(book):
    added = book("rival", "add", "hnkj", "金蝶", "--their-contact", "王经理", "--since", "2025-03-01",
                 "--share", "30%", "--strengths", "老关系", "--weaknesses", "二次开发慢", "--price", "120万",
                 "--notes", "财务部在用")  # fmt: skip
    assert (added.exit_code, added.stderr) == (0, f"added rival 1: 金蝶 ({HNKJ})\n")
    ok(book("rival", "add", "南京钟山", "用友", "--share", "20"))
    [rival] = rivals(book, "hnkj")
    assert rival == {
        "id": 1, "customer": HNKJ, "name": "金蝶", "their_contact": "王经理", "since": "2025-03-01",
        "share": 30, "price": "1200000.00", "strengths": "老关系", "weaknesses": "二次开发慢",
        "notes": "财务部在用", "won_on": None,
        "created_at": rival["created_at"], "updated_at": rival["created_at"],
    }  # fmt: skip
    # Without a customer: every rival, with its customer's name.
    assert [(r["customer"], r["name"], r["share"]) for r in rivals(book)] == [
        (HNKJ, "金蝶", 30),
        ("南京钟山软件", "用友", 20),
    ]
    assert [r["name"] for r in rivals(book, "南京钟山")] == ["用友"]


def test_rival_bad_input_exit_codes_and_nothing_written(book):
    ok(book("rival", "add", "hnkj", "金蝶"))
    duplicate = book("rival", "add", "hnkj", " 金蝶 ")  # the same name key
    assert (duplicate.exit_code, duplicate.stderr) == (1, f"kehu: {HNKJ} already has a rival named '金蝶'\n")
    for share, words in [
        ("101", "a share is 0 to 100%: 101"), ("-5", "a share is 0 to 100%: -5"),
        ("12.5", "not a whole percentage: 12.5"), ("许多", "not a whole percentage: 许多"),
    ]:  # fmt: skip
        bad = book("rival", "add", "hnkj", "用友", "--share", share)
        assert (bad.exit_code, bad.stderr) == (2, f"kehu: --share: {words}\n")
    assert book("rival", "add", "hnkj", "用友", "--price", "很贵").exit_code == 2
    assert book("rival", "add", "hnkj", "用友", "--since", "某天").exit_code == 2
    assert book("rival", "add", "没有这家", "用友").exit_code == 1
    assert book("rival", "add", "hnkj", "  ").exit_code == 2
    assert [r["name"] for r in rivals(book)] == ["金蝶"]
    # The same name at another customer is another record.
    ok(book("rival", "add", "南京钟山", "金蝶"))
    assert [r["customer"] for r in rivals(book)] == [HNKJ, "南京钟山软件"]


def test_rival_edit_rename_and_remove(book):
    ok(book("rival", "add", "hnkj", "金蝶", "--share", "30"))
    ok(book("rival", "add", "hnkj", "用友"))
    edited = book("rival", "edit", "hnkj", "金", "--name", "金蝶软件", "--share", "", "--price", "1.5M")
    assert (edited.exit_code, edited.stderr) == (0, "updated rival 1: 金蝶软件\n")
    first = rivals(book, "hnkj")[0]
    assert (first["name"], first["share"], first["price"]) == ("金蝶软件", None, "1500000.00")
    assert book("rival", "edit", "hnkj", "金蝶软件", "--name", "用友").exit_code == 1  # taken
    assert book("rival", "edit", "hnkj", "金蝶软件").exit_code == 2  # nothing to change
    assert book("rival", "edit", "hnkj", "浪潮", "--share", "5").exit_code == 1  # no such rival
    removed = book("rival", "remove", "hnkj", "用友")
    assert (removed.exit_code, removed.stderr) == (0, f"removed rival 2: 用友 ({HNKJ})\n")
    assert [r["name"] for r in rivals(book)] == ["金蝶软件"]
    assert book("rival", "remove", "hnkj", "用友").exit_code == 1


def test_lost_to_a_new_rival_adds_it_and_reopen_clears_it(book):
    ok(book("rival", "add", "hnkj", "金蝶软件"))
    lost = book("lost", "hnkj", "--to", "浪潮")
    assert (lost.exit_code, lost.stderr) == (
        0, f"{HNKJ} lost to 浪潮 (lost to a competitor); kept in the book\n"
    )  # fmt: skip
    by_name = {r["name"]: r for r in rivals(book, "hnkj")}
    assert (by_name["浪潮"]["won_on"], by_name["金蝶软件"]["won_on"]) == ("2026-11-23", None)
    assert report(book, "lost") == [{"reason": "competitor", "count": 1}]
    ok(book("reopen", "hnkj"))
    assert [r["won_on"] for r in rivals(book, "hnkj")] == [None, None]
    # A unique part of a recorded name links it; a reason given stays; the other rival's loss goes.
    ok(book("lost", "hnkj", "价格", "--to", "金蝶"))
    assert {r["name"]: r["won_on"] for r in rivals(book, "hnkj")} == {"金蝶软件": "2026-11-23", "浪潮": None}
    assert report(book, "lost") == [{"reason": "price", "count": 1}]


def test_won_after_a_loss_clears_the_rival_that_took_it(book):
    ok(book("lost", "hnkj", "--to", "浪潮"))
    ok(book("won", "hnkj", "--amount", "100万"))
    assert [(r["name"], r["won_on"]) for r in rivals(book)] == [("浪潮", None)]
    assert report(book, "rivals")[0]["we_won"] == 1


def test_lost_needs_a_reason_or_a_rival(book):
    assert book("lost", "hnkj").exit_code == 2
    assert book("lost", "hnkj", "价格", "--reason", "价格").exit_code == 2
    assert book("lost", "hnkj", "--to", "  ").exit_code == 2
    assert json.loads(ok(book("show", "hnkj", "--format", "json")).stdout)["funnel"]["status"] == "open"
    assert rivals(book) == []
    ok(book("lost", "hnkj", "--reason", "没有预算"))  # as before: no rival
    assert rivals(book) == []


def test_card_lists_rivals_readable_at_80_columns(book):
    long_strengths = "品牌大，集团总部指定的标准系统，国际化的实施方法论，本地团队二十人"
    ok(book("rival", "add", "hnkj", "SAP中国（思爱普）软件系统有限公司上海分公司", "--share", "15",
            "--strengths", long_strengths))  # fmt: skip
    ok(book("rival", "add", "hnkj", "金蝶", "--price", "120万", "--weaknesses", "二次开发慢"))
    ok(book("lost", "hnkj", "--to", "金蝶"))
    for language, took, strengths, weaknesses in [
        ("C.UTF-8", "took the deal on 2026-11-23", "strengths", "weaknesses"),
        ("zh_CN.UTF-8", "2026-11-23 赢走此单", "优势", "劣势"),
    ]:
        card = ok(book("show", "hnkj", "--format", "table", env={"COLUMNS": "80", "LANG": language})).stdout
        assert max(map(cell_len, card.splitlines())) <= 80
        section = card[card.index("SAP中国") - 10 :]
        flat = "".join(section.split())
        assert long_strengths in flat and "二次开发慢" in flat  # wrapped, never cut
        assert "\n件系统有限公司上海分" in section  # the long name folds in its own column
        assert "15%" in section and "1,200,000.00" in section
        assert strengths in section and weaknesses in section
        assert "".join(took.split()) in flat
    data = json.loads(ok(book("show", "hnkj", "--format", "json")).stdout)
    assert [(r["name"], r["share"], r["price"], r["won_on"]) for r in data["rivals"]] == [
        ("SAP中国（思爱普）软件系统有限公司上海分公司", 15, None, None),
        ("金蝶", None, "1200000.00", "2026-11-23"),
    ]


def test_rival_list_table_at_80_columns_keeps_name_customer_share(book):
    ok(book("rival", "add", "hnkj", "金蝶", "--share", "30", "--price", "120万",
            "--strengths", "老关系，客户财务部长期使用，实施团队在本地",
            "--notes", "很长的备注" * 10))  # fmt: skip
    table = ok(book("rival", "list", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert max(map(cell_len, table.splitlines())) <= 80
    assert "金蝶" in table and HNKJ in table and "30%" in table and "1,200,000.00" in table


def test_import_and_export_round_trip_and_headers(book, tmp_path):
    ok(book("rival", "add", "hnkj", "金蝶", "--share", "30", "--price", "120万", "--since", "2025-03-01",
            "--strengths", "老关系, \"本地\""))  # fmt: skip
    ok(book("rival", "add", "南京钟山", "用友"))
    ok(book("lost", "南京钟山", "--to", "用友"))
    exported = ok(book("export", "rivals")).stdout
    assert exported.splitlines()[0] == (
        "id,customer,name,their_contact,since,share,price,strengths,weaknesses,notes,won_on,created_at,updated_at"
    )
    path = tmp_path / "rivals.csv"
    path.write_text(exported, encoding="utf-8")
    # Into a book that has the same customers and no rivals: the same export back.
    ok(book("rival", "remove", "hnkj", "金蝶"))
    ok(book("rival", "remove", "南京钟山", "用友"))
    imported = book("import", "rivals", str(path))
    assert (imported.exit_code, imported.stderr) == (
        0, "imported rivals: 2 added, 0 updated, 0 unchanged, 0 skipped\n"
    )  # fmt: skip
    assert ok(book("export", "rivals")).stdout == exported
    again = book("import", "rivals", str(path))
    assert again.stderr == "imported rivals: 0 added, 0 updated, 2 unchanged, 0 skipped\n"
    # Chinese headers, as a sheet someone typed; an existing rival is updated.
    chinese = tmp_path / "竞争对手.csv"
    chinese.write_text("客户名称,竞争对手,份额,报价,优势\n杭州海纳科技有限公司,金蝶,40%,1.5M,价格低\n"
                       "南京钟山软件,浪潮,,,\n", encoding="utf-8")  # fmt: skip
    assert book("import", "rivals", str(chinese)).stderr == (
        "imported rivals: 1 added, 1 updated, 0 unchanged, 0 skipped\n"
    )
    by_name = {r["name"]: r for r in csv_rows(book("export", "rivals"))}
    assert (by_name["金蝶"]["share"], by_name["金蝶"]["price"], by_name["金蝶"]["strengths"]) == (
        "40", "1500000.00", "价格低"
    )  # fmt: skip
    assert by_name["浪潮"]["customer"] == "南京钟山软件"
    labelled = ok(book("export", "rivals", "--labels")).stdout.splitlines()[0]
    assert labelled.startswith("id,customer,rival,their contact,since,share,price")


def test_import_refuses_bad_rows_by_line_and_writes_nothing(book, kehu_process, tmp_path):
    ok(book("rival", "add", "hnkj", "金蝶"))
    path = tmp_path / "bad.csv"
    path.write_text("customer,name,share\n杭州海纳科技有限公司,用友,30\n没有这家,x,1\n"
                    "南京钟山软件,浪潮,200\n杭州海纳科技有限公司,用友,20\n"
                    "杭州海纳科技有限公司,金蝶,10\n,y,\n", encoding="utf-8")  # fmt: skip
    result = kehu_process("import", "rivals", str(path), "--on-conflict", "error")
    assert result.returncode == 65
    assert result.stderr.decode().splitlines() == [
        "kehu: bad.csv: 5 bad rows; nothing was imported",
        "line 3, customer: no customer named '没有这家' (import the customers first)",
        "line 4, share: a share is 0 to 100%: 200",
        "line 5, name: same rival as line 2",
        "line 6, name: rival '金蝶' of '杭州海纳科技有限公司' already exists",
        "line 7, customer: a value is required",
    ]
    assert [r["name"] for r in rivals(book)] == ["金蝶"]
    # Two rivals that took one customer's deal: refused.
    path.write_text("customer,name,won_on\n杭州海纳科技有限公司,用友,2026-11-01\n"
                    "杭州海纳科技有限公司,浪潮,2026-11-02\n", encoding="utf-8")  # fmt: skip
    twice = book("import", "rivals", str(path))
    assert twice.exit_code == 65
    assert f"line 3, won_on: a second rival that took the deal of '{HNKJ}' (line 2)" in twice.stderr


@pytest.fixture
def contest(kehu, on):
    """Four customers with rivals; the right answers are written in the tests.

    甲 (100万) open, SAP and 用友 there; 乙 (50万) open, SAP (spelt "sap") there; 丙 won, SAP there;
    丁 lost to SAP on 11-12; 戊 lost on 11-15 to 用友, 王磊's; 己 lost to 浪潮 in September."""
    for name, value in [("甲", "100万"), ("乙", "50万"), ("丙", "30万"), ("丁", "20万"), ("戊", "10万"),
                        ("己", "5万")]:  # fmt: skip
        ok(on("2026-09-01", "add", name, "--expected-value", value, "--owner", "李娜"))
    ok(kehu("edit", "戊", "--owner", "王磊"))
    for customer, rival in [("甲", "SAP"), ("甲", "用友"), ("乙", "sap"), ("丙", "SAP"), ("丁", "ＳＡＰ")]:
        ok(kehu("rival", "add", customer, rival))
    ok(on("2026-11-10", "won", "丙", "--amount", "30万"))
    ok(on("2026-11-12", "lost", "丁", "--to", "SAP"))
    ok(on("2026-11-15", "lost", "戊", "价格", "--to", "用友"))
    ok(on("2026-09-20", "lost", "己", "--to", "浪潮"))
    return kehu


def report(kehu, *args: str) -> list[dict]:
    return json.loads(ok(kehu("report", *args, "--format", "json")).stdout)


def test_report_rivals_numbers(contest):
    assert report(contest, "rivals") == [
        {"rival": "SAP", "customers": 4, "open": 2, "they_won": 1, "we_won": 1, "open_value": "1500000.00"},
        {"rival": "用友", "customers": 2, "open": 1, "they_won": 1, "we_won": 0, "open_value": "1000000.00"},
        {"rival": "浪潮", "customers": 1, "open": 0, "they_won": 1, "we_won": 0, "open_value": "0.00"},
    ]
    # The days: lost and won within them only; presence and open value as of now.
    assert report(contest, "rivals", "--from", "2026-11-11") == [
        {"rival": "SAP", "customers": 4, "open": 2, "they_won": 1, "we_won": 0, "open_value": "1500000.00"},
        {"rival": "用友", "customers": 2, "open": 1, "they_won": 1, "we_won": 0, "open_value": "1000000.00"},
        {"rival": "浪潮", "customers": 1, "open": 0, "they_won": 0, "we_won": 0, "open_value": "0.00"},
    ]
    # The owner's customers only.
    assert report(contest, "rivals", "--owner", "王磊") == [
        {"rival": "用友", "customers": 1, "open": 0, "they_won": 1, "we_won": 0, "open_value": "0.00"},
    ]
    csv = ok(contest("report", "rivals", "--format", "csv")).stdout.splitlines()
    assert csv[:2] == ["rival,customers,open,they_won,we_won,open_value", "SAP,4,2,1,1,1500000.00"]
    labelled = json.loads(ok(contest("report", "rivals", "--format", "json", "--labels",
                                     env={"LANG": "zh_CN.UTF-8"})).stdout)  # fmt: skip
    assert list(labelled[0]) == ["竞争对手", "出现客户数", "在谈客户数", "对手赢单", "我方赢单", "在谈金额"]
    table = ok(contest("report", "rivals", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert max(map(cell_len, table.splitlines())) <= 80
    assert "SAP" in table and "1,500,000.00" in table


def test_report_rivals_spelling_is_the_most_common(contest):
    ok(contest("rival", "add", "戊", "sap"))
    assert [r["rival"] for r in report(contest, "rivals")][0] == "SAP"  # SAP ×2, sap ×2, ＳＡＰ ×1: a tie
    ok(contest("rival", "add", "己", "sap"))
    assert [r["rival"] for r in report(contest, "rivals")][0] == "sap"  # sap ×3
    ok(contest("rival", "remove", "己", "sap"))
    ok(contest("rival", "edit", "甲", "sap", "--name", "ＳＡＰ"))  # the first recorded, renamed
    # ＳＡＰ ×2 (甲, 丁), sap ×2 (乙, 戊), SAP ×1 (丙): the tie goes to the first recorded, 甲's.
    assert [(r["rival"], r["customers"]) for r in report(contest, "rivals")] == [
        ("ＳＡＰ", 5),
        ("用友", 2),
        ("浪潮", 1),
    ]


def test_report_lost_by_reason_and_by_rival(contest):
    assert report(contest, "lost") == [
        {"reason": "competitor", "count": 2}, {"reason": "price", "count": 1},
    ]  # fmt: skip
    assert report(contest, "lost", "--by-rival") == [
        {"rival": "SAP", "count": 1}, {"rival": "浪潮", "count": 1}, {"rival": "用友", "count": 1},
    ]  # fmt: skip
    assert report(contest, "lost", "--by-rival", "--from", "2026-11-01") == [
        {"rival": "SAP", "count": 1}, {"rival": "用友", "count": 1},
    ]  # fmt: skip
    ok(contest("reopen", "戊"))
    ok(contest("lost", "戊", "价格"))  # lost again, to no rival named
    assert report(contest, "lost", "--by-rival", "--from", "2026-11-01") == [
        {"rival": "SAP", "count": 1}, {"rival": None, "count": 1},
    ]  # fmt: skip
    table = ok(contest("report", "lost", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert "Lost reasons" in table and "Lost to" in table and "浪潮" in table


def test_python_api_rivals_and_lost_to(target_db):
    import kehu
    from kehu.errors import Conflict, UsageError

    with kehu.open_book(target_db, today="2026-11-23") as book:
        book.add(HNKJ)
        book.add_rival("hnkj", "金蝶", share="30%", price="120万")
        with pytest.raises(Conflict):
            book.add_rival("hnkj", "金蝶")
        with pytest.raises(UsageError):
            book.add_rival("hnkj", "用友", share=120)
        closed = book.lost("hnkj", to="浪潮")
        assert (closed.lost_reason, closed.rival) == ("competitor", "浪潮")
        assert {r["name"]: (r["share"], r["won_on"]) for r in book.rivals("hnkj")} == {
            "金蝶": (30, None), "浪潮": (None, kehu_date("2026-11-23")),
        }  # fmt: skip
        book.reopen("hnkj")
        assert [r["won_on"] for r in book.rivals()] == [None, None]
        book.edit_rival("hnkj", "金蝶", share=None, name="金蝶软件")
        book.remove_rival("hnkj", "浪潮")
        assert [(r["name"], r["share"]) for r in book.rivals()] == [("金蝶软件", None)]


def kehu_date(text: str):
    from datetime import date

    return date.fromisoformat(text)
