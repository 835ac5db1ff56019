"""Customer cards through the real CLI on a real SQLite file."""

from __future__ import annotations

import json

import pytest


def names(kehu, *args: str) -> list[str]:
    result = kehu("list", "--format", "csv", "--columns", "name", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()[1:]


def card(kehu, reference: str) -> dict:
    result = kehu("show", reference, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def book(kehu):
    for name, args in [
        ("杭州科技", ["--grade", "A", "--region", "浙江杭州", "--owner", "王磊",
                      "--expected-value", "120万"]),
        ("杭州科技城发展有限公司", ["--grade", "C", "--region", "浙江杭州", "--owner", "李娜"]),
        ("苏州恒瑞精密机械", ["--grade", "B", "--region", "江苏苏州", "--owner", "王磊",
                              "--source", "展会", "--expected-value", "850000"]),
        ("深圳ABC电子", ["--grade", "D", "--region", "广东深圳", "--source", "trade show"]),
    ]:  # fmt: skip
        assert kehu("add", name, *args).exit_code == 0
    return kehu


def test_add_stores_every_typed_field(kehu):
    result = kehu(
        "add", "成都蓉城医疗器械有限公司", "--kind", "单位", "--industry", "医疗", "--region", "四川成都",
        "--owner", "陈晨", "--nature", "民营", "--employees", "1,200人", "--revenue", "1.5亿",
        "--website", "www.rcyl.cn", "--phone", "028-8888 6666", "--email", "info@rcyl.cn",
        "--wechat", "rcyl2020", "--source", "展会", "--ka-type", "战略性", "--grade", "b",
        "--expected-value", "¥1,200,000.50", "--expected-close", "下月初", "--currency", "人民币",
        "--notes", "设备科长是关键人",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "added customer 1" in result.stderr
    assert "2026-12-01" in result.stderr  # the resolved date is echoed
    data = card(kehu, "1")
    assert {k: data[k] for k in ("kind", "industry", "nature", "employees", "revenue", "source",
                                 "ka_type", "grade", "expected_value", "expected_close",
                                 "currency")} == {
        "kind": "company", "industry": "healthcare", "nature": "private", "employees": 1200,
        "revenue": "150000000.00", "source": "trade_show", "ka_type": "strategic", "grade": "B",
        "expected_value": "1200000.50", "expected_close": "2026-12-01", "currency": "CNY",
    }  # fmt: skip
    assert data["contacts"] == []


def test_a_second_add_of_the_same_name_points_to_the_existing_customer(book):
    result = book("add", "  杭州科技 ")
    assert result.exit_code == 1
    assert "already exists (id 1)" in result.stderr
    full_width = book("add", "深圳ＡＢＣ电子")  # NFKC: full-width letters are the same name
    assert full_width.exit_code == 1
    assert "(id 4)" in full_width.stderr


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("1", "杭州科技"),
        ("杭州科技", "杭州科技"),  # exact name beats the longer 杭州科技城…
        ("恒瑞", "苏州恒瑞精密机械"),  # a unique part of the name
        ("hzkj", "杭州科技"),  # pinyin initials, exact, over the prefix of hzkjc…
        ("szhr", "苏州恒瑞精密机械"),  # initials prefix
        ("suzhouhengrui", "苏州恒瑞精密机械"),  # full pinyin prefix
        ("SZABC", "深圳ABC电子"),  # Latin letters kept whole among the initials
        ("abc", "深圳ABC电子"),
    ],
)
def test_a_customer_is_found_by_id_name_part_or_pinyin(book, reference, expected):
    assert card(book, reference)["name"] == expected


def test_an_ambiguous_reference_lists_the_candidates_and_exits_1(book):
    result = book("show", "杭州")
    assert result.exit_code == 1
    assert "matches 2 customers" in result.stderr
    assert "1\t杭州科技" in result.stderr and "2\t杭州科技城发展有限公司" in result.stderr
    assert result.stdout == ""


def test_an_unknown_reference_exits_1(book):
    result = book("show", "不存在")
    assert result.exit_code == 1
    assert "no customer matches '不存在'" in result.stderr


def test_list_filters_search_sort_and_limit(book):
    assert names(book, "--grade", "A") == ["杭州科技"]
    assert names(book, "--region", "浙江") == ["杭州科技", "杭州科技城发展有限公司"]
    assert names(book, "--owner", "王磊", "--sort", "-expected_value") == ["杭州科技", "苏州恒瑞精密机械"]
    assert names(book, "--source", "展会") == ["苏州恒瑞精密机械", "深圳ABC电子"]
    assert names(book, "--source", "trade show") == ["苏州恒瑞精密机械", "深圳ABC电子"]
    assert names(book, "--search", "hengrui") == ["苏州恒瑞精密机械"]
    # Names sort by pinyin (hangzhou < shenzhen < suzhou), not by code point.
    assert names(book, "--sort", "name") == [
        "杭州科技",
        "杭州科技城发展有限公司",
        "深圳ABC电子",
        "苏州恒瑞精密机械",
    ]
    assert names(book, "--sort", "-name", "--limit", "2") == ["苏州恒瑞精密机械", "深圳ABC电子"]
    assert names(book, "--sort", "-grade,name", "--limit", "1") == ["深圳ABC电子"]


def test_edit_changes_and_clears_fields(book):
    result = book("edit", "hzkj", "--grade", "B", "--expected-close", "月底", "--region", "")
    assert result.exit_code == 0, result.stderr
    data = card(book, "1")
    assert (data["grade"], data["expected_close"], data["region"]) == ("B", "2026-11-30", None)
    assert book("edit", "1", "--name", "杭州科技城发展有限公司").exit_code == 1  # name taken
    assert book("edit", "1").exit_code == 2  # nothing to change
    assert book("edit", "1", "--kind", "").exit_code == 2  # a required field cannot be cleared


def test_edit_referrer_and_rename(book):
    assert book("edit", "szhr", "--referrer", "hzkj", "--source", "客户介绍").exit_code == 0
    assert card(book, "szhr")["referrer"] == "杭州科技"
    assert book("edit", "1", "--name", "杭州新科技").exit_code == 0
    assert card(book, "szhr")["referrer"] == "杭州新科技"
    assert card(book, "hzxkj")["name"] == "杭州新科技"  # pinyin follows the new name
    assert book("edit", "1", "--referrer", "1").exit_code == 2


def test_archive_hides_and_restore_returns_never_deleting(book):
    assert book("archive", "hzkj").exit_code == 0
    assert "杭州科技" not in names(book)
    assert names(book, "--archived") == ["杭州科技"]
    assert len(names(book, "--all")) == 4
    assert card(book, "1")["archived_at"] is not None  # still shown by id
    assert book("restore", "1").exit_code == 0
    assert "杭州科技" in names(book)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--grade", "F"], "unknown value 'F'"),
        (["--expected-close", "13月40日"], "cannot read date '13月40日'"),
        (["--email", "not-an-email"], "not an e-mail address"),
        (["--expected-value", "12.345"], "more than two decimal places"),
        (["--source", "火星"], "unknown value '火星'"),
    ],
)
def test_bad_option_values_exit_2_with_one_line(kehu, args, fragment):
    result = kehu("add", "甲公司", *args)
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert kehu("list", "--format", "csv").stdout.count("\n") == 1  # header only: nothing added


def test_table_output_keeps_data_from_driving_the_terminal(kehu):
    assert kehu("add", "x'; DROP TABLE customer;--").exit_code == 0
    assert kehu("add", "恶意\x1b[31m公司", "--notes", "[bold]not markup[/bold]").exit_code == 2
    assert kehu("edit", "1", "--notes", "red \x1b[31m text").exit_code == 0
    result = kehu("show", "1", "--format", "table")
    assert "\x1b[31m" not in result.stdout
    assert "\\x1b[31m" in result.stdout
    assert "DROP TABLE" in result.stdout
    assert kehu("list", "--format", "csv", "--columns", "name").stdout == (
        "name\nx'; DROP TABLE customer;--\n"
    )
