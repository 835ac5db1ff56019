"""Contacts and the key contact, through the real CLI."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def company(kehu):
    assert kehu("add", "杭州海纳科技有限公司").exit_code == 0
    return kehu


def contacts(kehu, *args: str) -> list[dict]:
    result = kehu("contact", "list", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_contact_add_with_every_field(company):
    result = company(
        "contact", "add", "hnkj", "沈国强", "--title", "总经理", "--phone", "151-8695-4161",
        "--email", "shen@hn.cn", "--wechat", "sgq", "--birthday", "1972-11-26",
        "--birthday-lunar", "否", "--hometown", "浙江绍兴", "--hobbies", "钓鱼", "--family", "女儿读高三",
        "--role", "决策者", "--style", "tiger", "--insider", "高级", "--is-key", "是", "--notes", "爱喝龙井",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [contact] = contacts(company, "hnkj")
    assert {k: contact[k] for k in ("customer", "name", "birthday", "birthday_lunar", "role",
                                    "style", "insider", "is_key", "hometown")} == {
        "customer": "杭州海纳科技有限公司", "name": "沈国强", "birthday": "1972-11-26",
        "birthday_lunar": False, "role": "decision_maker", "style": "tiger", "insider": "high",
        "is_key": True, "hometown": "浙江绍兴",
    }  # fmt: skip


def test_one_key_contact_per_customer(company):
    assert company("contact", "add", "1", "甲", "--is-key", "yes").exit_code == 0
    assert company("contact", "add", "1", "乙", "--is-key", "是").exit_code == 0
    assert [(c["name"], c["is_key"]) for c in contacts(company)] == [("乙", True), ("甲", False)]
    assert company("contact", "edit", "1", "甲", "--is-key", "是").exit_code == 0
    assert [(c["name"], c["is_key"]) for c in contacts(company)] == [("甲", True), ("乙", False)]


def test_contact_edit_archive_restore_and_duplicates(company):
    assert company("contact", "add", "1", "张伟", "--role", "采购").exit_code == 0
    assert company("contact", "add", "1", "张伟").exit_code == 1  # same name at one customer
    assert company("contact", "edit", "1", "张伟", "--style", "猫头鹰", "--name", "张伟明").exit_code == 0
    [contact] = contacts(company)
    assert (contact["name"], contact["role"], contact["style"]) == ("张伟明", "purchaser", "owl")
    assert company("contact", "archive", "1", "伟明").exit_code == 0
    assert contacts(company) == []
    assert [c["name"] for c in contacts(company, "--archived")] == ["张伟明"]
    assert company("contact", "restore", "1", "张伟明").exit_code == 0
    assert [c["name"] for c in contacts(company)] == ["张伟明"]


def test_contact_bad_values_and_unknown_customer(company):
    assert company("contact", "add", "1", "甲", "--role", "老板").exit_code == 2
    assert company("contact", "add", "1", "甲", "--birthday", "2月30日").exit_code == 2
    assert company("contact", "add", "不存在", "甲").exit_code == 1
    assert contacts(company) == []


def test_show_lists_contacts_key_contact_first(company):
    company("contact", "add", "1", "钱伟", "--role", "采购")
    company("contact", "add", "1", "沈国强", "--role", "决策者", "--is-key", "是")
    data = json.loads(company("show", "1", "--format", "json").stdout)
    assert [c["name"] for c in data["contacts"]] == ["沈国强", "钱伟"]
    table = company("show", "1", "--format", "table").stdout
    assert "沈国强 ★" in table and "decision maker" in table
