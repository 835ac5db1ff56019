"""`kehu plan list` as a salesperson reads it on an 80-column terminal (issue 14)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import ok

LONG_NAME = "福建海峡农村商业银行股份有限公司"


@pytest.fixture
def book(kehu):
    ok(kehu("add", LONG_NAME, "--grade", "B"))
    ok(kehu("contact", "add", "海峡", "林晓峰", "--phone", "13800000001"))
    ok(kehu("plan", "海峡", "周三", "--purpose", "送信创适配证明，需求文件定稿前沟通", "--contact", "林晓峰"))
    ok(kehu("plan", "海峡", "周五", "--purpose", "技术交流，带样品和数据安全方案"))
    ok(kehu("plan", "cancel", "2", "--reason", "客户出差"))
    return kehu


@pytest.mark.parametrize(("lang", "cancelled"), [("zh_CN.UTF-8", "已取消"), ("C.UTF-8", "cancelled")])
def test_plan_list_all_at_80_columns_tells_a_cancelled_visit_from_an_open_one(book, lang, cancelled):
    env = {"COLUMNS": "80", "LANG": lang, "LC_ALL": lang}
    table = ok(book("plan", "list", "--all", "--format", "table", env=env)).stdout
    assert cancelled in table
    assert max(len(line) for line in table.splitlines()) <= 80


def test_plan_list_of_open_visits_at_80_columns_keeps_whom_to_see(book):
    table = ok(book("plan", "list", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert "林晓峰" in table and "技术交流" not in table  # the cancelled one is not open


def test_an_archived_customer_named_by_id_shows_its_plans_and_everyones_list_leaves_them_out(book):
    ok(book("archive", "1"))
    named = ok(book("plan", "list", "1", "--all", "--format", "csv")).stdout.splitlines()
    assert len(named) == 3 and "送信创适配证明" in named[1]  # the header, the open and the cancelled
    assert "no visit plans" in ok(book("plan", "list", "--all", "--format", "csv")).stderr


@pytest.mark.parametrize(
    "args",
    [
        ("海峡", "周四", "--purpose", "报价"),
        ("--purpose", "报价", "海峡", "周四"),
        ("-p", "报价", "海峡", "周四"),
    ],
    ids=["options-last", "options-first", "short-option-first"],
)
def test_plan_customer_when_keeps_working_as_before_plan_had_subcommands(book, args):
    assert "2026-11-26" in ok(book("plan", *args)).stderr
    assert ok(book("plan", "list", "--format", "csv")).stdout.count("报价") == 1


def test_plan_help_is_the_groups(book):
    for args in (("plan", "--help"), ("plan", "-h"), ("plan",)):
        text = book(*args).stdout
        assert "list" in text and "move" in text and "cancel" in text, args


def offered(words: str, db: str) -> list[str]:
    """What bash gets back on a tab press after `words` (as tests/cli/test_completion.py asks)."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {**os.environ, "_KEHU_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword),
           "KEHU_DB": db}  # fmt: skip
    code = "import sys; from kehu.cli.app import main; sys.argv[0] = 'kehu'; main()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def test_a_tab_after_kehu_plan_offers_the_customers_as_before_and_the_subcommands(book, target_db):
    assert offered("kehu plan 福建", target_db) == [LONG_NAME]
    assert offered("kehu plan fjh", target_db) == [LONG_NAME]  # pinyin initials
    assert offered("kehu plan li", target_db) == ["list"]
    assert {"add", "list", "move", "cancel", LONG_NAME} <= set(offered("kehu plan ", target_db))
