"""Needs (挖掘需求): `kehu need add|list|edit|status|remove`, import/export, the card's section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import ok


def needs(kehu, *args: str) -> list[dict]:
    return json.loads(ok(kehu("need", "list", *args, "--format", "json")).stdout)


@pytest.fixture
def book(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("add", "南京钟山软件"))
    ok(kehu("contact", "add", "海纳", "张伟", "--title", "采购经理"))
    ok(kehu("contact", "add", "海纳", "吴晓丽", "--title", "信息中心主任"))
    return kehu


def test_a_need_is_noted_with_its_kind_priority_and_whose(book):
    added = ok(book("need", "add", "hnkj", "年底前上线新仓库系统", "--kind", "业务", "--priority", "高",
                    "--from", "张"))  # fmt: skip
    assert added.stderr == "noted need 1 of 杭州海纳科技: 年底前上线新仓库系统\n"
    assert needs(book) == [{
        "id": 1, "customer": "杭州海纳科技", "description": "年底前上线新仓库系统", "kind": "business",
        "priority": "high", "status": "open", "contact": "张伟", "noted_on": "2026-11-23", "notes": None,
    }]  # fmt: skip
    ok(book("need", "add", "海纳", "接口支持SAP", "--kind", "technical", "-p", "m", "--on", "上周一"))
    assert needs(book)[1]["noted_on"] == "2026-11-16"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["--kind", "奇怪"],
            "--kind: unknown value '奇怪'; one of: business, technical, commercial, personal",
        ),
        (["--priority", "urgent!"], "--priority: unknown value 'urgent!'; one of: high, medium, low"),
        (["--status", "done"], "--status: unknown value 'done'; one of: open, met, dropped"),
        (["--on", "明天"], "--on: a need cannot be noted in the future (2026-11-24)"),
    ],
)
def test_bad_words_are_usage_errors_and_nothing_is_written(book, args, words):
    refused = book("need", "add", "海纳", "要快", *args)
    assert refused.exit_code == 2
    assert words in refused.stderr
    assert needs(book) == []


def test_a_need_from_someone_not_of_the_customer_is_refused(book):
    refused = book("need", "add", "钟山", "x", "--from", "张伟")
    assert (refused.exit_code, refused.stderr) == (1, "kehu: no contact matches '张伟'\n")


def test_open_needs_come_first_the_most_pressing_first(book):
    for text, priority in (("低的", "低"), ("没定", ""), ("高的", "高"), ("中的", "中"), ("已满足的", "高")):
        ok(book("need", "add", "海纳", text, *(["--priority", priority] if priority else [])))
    ok(book("need", "status", "5", "已满足"))
    ok(book("need", "add", "钟山", "钟山的"))
    assert [n["description"] for n in needs(book)] == ["高的", "中的", "低的", "没定", "已满足的", "钟山的"]
    assert [n["description"] for n in needs(book, "海纳", "--status", "open")] == [
        "高的",
        "中的",
        "低的",
        "没定",
    ]
    assert [n["description"] for n in needs(book, "--status", "met")] == ["已满足的"]


def test_status_edit_and_remove(book):
    ok(book("need", "add", "海纳", "要快", "--notes", "老板说的"))
    dropped = ok(book("need", "status", "1", "dropped", "--reason", "预算砍了"))
    assert dropped.stderr == "need 1 of 杭州海纳科技: dropped\n"
    [need] = needs(book)
    assert (need["status"], need["notes"]) == ("dropped", "老板说的; 预算砍了")
    ok(
        book(
            "need", "edit", "1", "--text", "要更快", "--kind", "商务", "--from", "吴晓丽", "--status", "open"
        )
    )
    ok(book("need", "edit", "1", "--notes", ""))
    [need] = needs(book)
    assert (need["description"], need["kind"], need["contact"], need["status"], need["notes"]) == (
        "要更快", "commercial", "吴晓丽", "open", None)  # fmt: skip
    assert book("need", "edit", "1").exit_code == 2  # nothing to change
    assert book("need", "status", "1", "whatever").exit_code == 2
    ok(book("need", "remove", "1"))
    assert needs(book) == []
    missing = book("need", "remove", "1")
    assert (missing.exit_code, missing.stderr) == (1, "kehu: no need 1\n")


def test_every_format_and_labels(book):
    ok(book("need", "add", "海纳", "接口支持SAP", "--kind", "技术", "--priority", "高", "--from", "张伟"))
    assert ok(book("need", "list", "--format", "csv")).stdout == (
        "id,customer,description,kind,priority,status,contact,noted_on,notes\n"
        "1,杭州海纳科技,接口支持SAP,technical,high,open,张伟,2026-11-23,\n"
    )
    assert ok(book("need", "list", "--format", "tsv")).stdout.splitlines()[1].split("\t")[3] == "technical"
    assert json.loads(ok(book("need", "list", "--format", "jsonl")).stdout)["priority"] == "high"
    chinese = ok(book("need", "list", "--format", "csv", "--labels", env={"KEHU_LANG": "zh"})).stdout
    assert chinese.splitlines() == ["编号,客户名称,需求,类别,优先级,状态,提出人,记录日期,备注",
                                    "1,杭州海纳科技,接口支持SAP,技术,高,待满足,张伟,2026-11-23,"]  # fmt: skip
    table = ok(book("need", "list", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert all(len(line) <= 80 for line in table.splitlines())
    for word in ("接口支持SAP", "杭州海纳科技", "high", "open"):
        assert word in table
    assert ok(book("need", "list", "钟山", "--format", "table")).stderr == "no needs\n"


def test_the_card_shows_the_open_needs(book):
    ok(book("need", "add", "海纳", "仓库扫码枪要兼容现有系统", "--kind", "技术", "--priority", "高",
            "--from", "吴晓丽"))  # fmt: skip
    ok(book("need", "add", "海纳", "已经解决的", "--status", "met"))
    card = ok(book("show", "海纳", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert "Needs and offers" in card
    assert "仓库扫码枪要兼容现有系统" in card and "吴晓丽" in card and "technical" in card
    assert "已经解决的" not in card
    assert all(len(line) <= 80 for line in card.splitlines())
    data = json.loads(ok(book("show", "海纳", "--format", "json")).stdout)
    assert [(n["description"], n["kind"], n["priority"], n["contact"]) for n in data["needs"]] == [
        ("仓库扫码枪要兼容现有系统", "technical", "high", "吴晓丽")]  # fmt: skip


def test_import_export_round_trip_and_bad_rows(book, tmp_path: Path, target_db):
    ok(book("need", "add", "海纳", "接口支持SAP", "--kind", "技术", "--priority", "高", "--from", "张伟"))
    ok(book("need", "add", "钟山", "个人：想升职", "--kind", "个人", "--on", "2026-11-01", "--status", "met"))
    exported = ok(book("export", "needs")).stdout
    file = tmp_path / "needs.csv"
    file.write_text(exported, encoding="utf-8")
    for need in needs(book):
        ok(book("need", "remove", str(need["id"])))
    imported = ok(book("import", "needs", str(file)))
    assert imported.stderr == "imported needs: 2 added, 0 updated, 0 unchanged, 0 skipped\n"
    again = ok(book("export", "needs")).stdout
    # new records (numbered as added), otherwise the same
    assert [line.split(",", 1)[1] for line in again.splitlines()] == [
        line.split(",", 1)[1] for line in exported.splitlines()]  # fmt: skip
    assert exported.splitlines()[1:] == [
        "1,杭州海纳科技,接口支持SAP,technical,high,open,张伟,2026-11-23,",
        "2,南京钟山软件,个人：想升职,personal,,met,,2026-11-01,",
    ]
    chinese = tmp_path / "需求.csv"
    chinese.write_text("客户名称,需求,类别,优先级,提出人\n杭州海纳科技,要快,业务,高,张伟\n没有这家,x,业务,高,\n"
                       "杭州海纳科技,y,怪,高,\n杭州海纳科技,z,业务,高,李四\n", encoding="utf-8")  # fmt: skip
    refused = book("import", "needs", str(chinese))
    assert refused.exit_code == 65
    assert refused.stderr.splitlines()[1:] == [
        "line 3, 客户名称: no customer named '没有这家'",
        "line 4, 类别: unknown value '怪'; one of: business, technical, commercial, personal",
        "line 5, 提出人: '杭州海纳科技' has no contact named '李四'",
    ]
    assert len(needs(book)) == 2  # nothing of the refused file
