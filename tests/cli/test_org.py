"""The organisation (issue 16): department, superior, years, authority on contacts; `kehu org`
draws it; loops in the chain of command are refused; 采购审批者 is a role of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.helpers import csv_rows, ok

HNKJ = "杭州海纳科技有限公司"
WIDE = {"COLUMNS": "80"}


@pytest.fixture
def org(kehu):
    """海纳's people: the general manager at the top, two under him, one under each of them,
    and an outside adviser who reports to nobody."""
    ok(kehu("add", HNKJ))
    ok(kehu("add", "深圳ＡＢＣ电子"))
    ok(kehu("contact", "add", "hnkj", "沈国强", "--title", "总经理", "--department", "总经办",
            "--years", "12", "--role", "决策者", "--style", "老虎", "--relationship", "信赖",
            "--authority", "合同审批", "--authority-limit", "50万", "--is-key", "是"))  # fmt: skip
    ok(kehu("contact", "add", "hnkj", "吴晓丽", "--title", "信息中心主任", "--department", "信息中心",
            "--reports-to", "沈国强", "--role", "设计者", "--insider", "高级", "--style", "猫头鹰",
            "--relationship", "同盟"))  # fmt: skip
    ok(kehu("contact", "add", "hnkj", "钱伟", "--title", "采购经理", "--department", "采购部",
            "--reports-to", "国强", "--role", "采购执行者", "--style", "考拉",
            "--authority-limit", "10万"))  # fmt: skip
    ok(kehu("contact", "add", "hnkj", "孙浩然", "--title", "研发工程师", "--reports-to", "吴晓丽",
            "--role", "使用者", "--style", "孔雀", "--relationship", "认识"))  # fmt: skip
    ok(kehu("contact", "add", "hnkj", "周静", "--reports-to", "钱伟", "--role", "采购审批者",
            "--authority", "采购付款"))  # fmt: skip
    ok(kehu("contact", "add", "hnkj", "郑顾问", "--title", "外聘专家", "--role", "技术论证者"))
    return kehu


TREE_EN = """\
杭州海纳科技有限公司
├── 沈国强 ★  总经理 · 总经办 · 12 yrs
│   decision maker · tiger · relationship: trusted · approves 合同审批 up to
│   500,000.00
│   ├── 吴晓丽  信息中心主任 · 信息中心
│   │   designer · insider: high · owl · relationship: ally
│   │   └── 孙浩然  研发工程师
│   │       user · peacock · relationship: acquainted
│   └── 钱伟  采购经理 · 采购部
│       purchaser · koala · approves up to 100,000.00
│       └── 周静
│           purchase approver · approves 采购付款
└── 郑顾问  外聘专家
    technical assessor
"""


def test_the_tree_at_80_columns(org):
    result = ok(org("org", "hnkj", "--format", "table", env=WIDE))
    assert result.stdout == TREE_EN


def test_the_tree_in_chinese_keeps_each_person_under_their_superior_within_80_columns(org):
    lines = ok(
        org("org", "hnkj", "--format", "table", env={**WIDE, "LANG": "zh_CN.UTF-8"})
    ).stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    names = ("沈国强 ★", "吴晓丽", "孙浩然", "钱伟", "周静", "郑顾问")
    who = [line[: line.index(name) + len(name)] for line in lines for name in names if name in line]
    assert who == [
        "├── 沈国强 ★", "│   ├── 吴晓丽", "│   │   └── 孙浩然", "│   └── 钱伟", "│       └── 周静",
        "└── 郑顾问",
    ]  # fmt: skip
    assert lines[0] == HNKJ
    # each person's standing on the line below their name, under the same guides
    chart = "\n".join(lines)
    assert "├── 沈国强 ★  总经理 · 总经办" in chart and "\n│   决策者 · 老虎 · " in chart
    assert "\n│   │   设计者 · 内线：高级 · 猫头鹰 · " in chart and "同盟" in chart and "500,000.00" in chart
    assert "\n│   └── 钱伟  采购经理 · 采购部\n│       采购执行者 · 考拉 · " in chart
    assert "\n│       └── 周静\n│           采购审批者 · " in chart
    assert lines[-2:] == ["└── 郑顾问  外聘专家", "    技术论证者"]


def test_flat_records_name_the_superior(org):
    data = ok(org("org", "hnkj", "--format", "csv")).stdout
    assert data.splitlines() == [
        "id,name,reports_to,depth,title,department,years_at_company,role,insider,style,relationship,"
        "authority,authority_limit,is_key",
        "1,沈国强,,0,总经理,总经办,12,decision_maker,,tiger,trusted,合同审批,500000.00,yes",
        "2,吴晓丽,沈国强,1,信息中心主任,信息中心,,designer,high,owl,ally,,,no",
        "4,孙浩然,吴晓丽,2,研发工程师,,,user,,peacock,acquainted,,,no",
        "3,钱伟,沈国强,1,采购经理,采购部,,purchaser,,koala,,,100000.00,no",
        "5,周静,钱伟,2,,,,approver,,,,采购付款,,no",
        "6,郑顾问,,0,外聘专家,,,technical_assessor,,,,,,no",
    ]
    [first, *_rest] = json.loads(ok(org("org", "hnkj", "--format", "json")).stdout)
    assert first["authority_limit"] == "500000.00" and first["depth"] == 0 and first["reports_to"] is None
    assert (
        ok(org("org", "hnkj", "--format", "json", "--labels")).stdout.count('"上级"') == 0
    )  # English labels


def test_contact_list_and_export_carry_the_new_columns(org):
    [row] = [
        r for r in csv_rows(ok(org("contact", "list", "hnkj", "--format", "csv"))) if r["name"] == "钱伟"
    ]
    assert {k: row[k] for k in ("department", "reports_to", "years_at_company", "authority",
                                "authority_limit", "relationship", "role")} == {
        "department": "采购部", "reports_to": "沈国强", "years_at_company": "", "authority": "",
        "authority_limit": "100000.00", "relationship": "", "role": "purchaser",
    }  # fmt: skip
    ok(org("contact", "edit", "hnkj", "钱伟", "--years", "3", "--authority-limit", "", "--reports-to", ""))
    [row] = [r for r in csv_rows(ok(org("export", "contacts"))) if r["name"] == "钱伟"]
    assert (row["years_at_company"], row["authority_limit"], row["reports_to"]) == ("3", "", "")
    assert org("contact", "edit", "hnkj", "钱伟", "--years", "三年").exit_code == 2


def test_a_loop_in_the_chain_of_command_is_refused_and_nothing_written(org, kehu_process):
    before = ok(org("org", "hnkj", "--format", "csv")).stdout
    refused = kehu_process("contact", "edit", "hnkj", "沈国强", "--reports-to", "孙浩然")
    assert refused.returncode == 1
    assert refused.stderr.decode() == (
        "kehu: 沈国强 cannot report to 孙浩然: the chain of command would go round, "
        "沈国强 → 孙浩然 → 吴晓丽 → 沈国强\n"
    )
    assert refused.stdout == b""
    itself = org("contact", "edit", "hnkj", "钱伟", "--reports-to", "钱伟", "--title", "采购总监")
    assert (itself.exit_code, itself.stderr) == (1, "kehu: 钱伟 cannot report to themselves\n")
    assert ok(org("org", "hnkj", "--format", "csv")).stdout == before  # the title did not change either


def test_the_superior_is_a_contact_of_the_same_customer(org):
    ok(org("contact", "add", "深圳ＡＢＣ电子", "陈家豪"))
    result = org("contact", "add", "深圳ＡＢＣ电子", "黄晓燕", "--reports-to", "沈国强")
    assert (result.exit_code, result.stderr) == (1, "kehu: no contact matches '沈国强'\n")
    assert org("contact", "edit", "hnkj", "周静", "--reports-to", "陈家豪").exit_code == 1
    assert [r["name"] for r in csv_rows(org("contact", "list", "深圳ＡＢＣ电子", "-f", "csv"))] == ["陈家豪"]


def test_archiving_a_superior_keeps_the_way_up(org):
    ok(org("contact", "archive", "hnkj", "吴晓丽"))
    rows = csv_rows(ok(org("org", "hnkj", "--format", "csv")))
    assert [(r["name"], r["reports_to"], r["depth"]) for r in rows] == [
        ("沈国强", "", "0"),
        ("钱伟", "沈国强", "1"),
        ("周静", "钱伟", "2"),
        ("孙浩然", "吴晓丽", "1"),
        ("郑顾问", "", "0"),
    ]  # fmt: skip — 孙浩然 stands under 沈国强 while 吴晓丽 is archived, and still names her
    ok(org("contact", "restore", "hnkj", "吴晓丽"))
    rows = csv_rows(ok(org("org", "hnkj", "--format", "csv")))
    assert [(r["name"], r["depth"]) for r in rows][:3] == [("沈国强", "0"), ("吴晓丽", "1"), ("孙浩然", "2")]


def test_import_names_a_superior_later_in_the_file(kehu, tmp_path: Path):
    ok(kehu("add", HNKJ))
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "客户名称,姓名,部门,上级,司龄,权限,权限金额,关系阶段\n"
        f"{HNKJ},吴晓丽,信息中心,沈国强,8,,,约会\n"
        f"{HNKJ},沈国强,总经办,,12,合同审批,50万,信赖\n",
        encoding="utf-8",
    )
    assert ok(kehu("import", "contacts", str(sheet))).stderr == (
        "imported contacts: 2 added, 0 updated, 0 unchanged, 0 skipped\n"
    )
    rows = csv_rows(ok(kehu("org", "hnkj", "--format", "csv")))
    assert [(r["name"], r["reports_to"], r["years_at_company"], r["relationship"]) for r in rows] == [
        ("沈国强", "", "12", "trusted"), ("吴晓丽", "沈国强", "8", "meeting"),
    ]  # fmt: skip
    exported = tmp_path / "exported.csv"
    exported.write_text(ok(kehu("export", "contacts")).stdout, encoding="utf-8")
    assert ok(kehu("import", "contacts", str(exported))).stderr == (
        "imported contacts: 0 added, 0 updated, 2 unchanged, 0 skipped\n"
    )


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        (("吴晓丽,沈国强", "沈国强,吴晓丽"),
         "line 2, 上级: 吴晓丽 cannot report to 沈国强: the chain of command would go round, "
         "吴晓丽 → 沈国强 → 吴晓丽"),
        (("吴晓丽,吴晓丽",), "line 2, 上级: 吴晓丽 cannot report to themselves"),
        (("吴晓丽,王总",), "line 2, 上级: no contact named '王总' at '杭州海纳科技有限公司' to report to"),
    ],
)  # fmt: skip
def test_an_import_with_a_bad_superior_writes_nothing(kehu, tmp_path: Path, rows, error):
    ok(kehu("add", HNKJ))
    sheet = tmp_path / "people.csv"
    sheet.write_text("客户名称,姓名,上级\n" + "".join(f"{HNKJ},{row}\n" for row in rows), encoding="utf-8")
    result = kehu("import", "contacts", str(sheet))
    assert result.exit_code == 65
    assert error in result.stderr.splitlines()
    assert csv_rows(kehu("contact", "list", "-f", "csv")) == []


def test_a_loop_through_the_book_is_refused_on_import(org, tmp_path: Path):
    sheet = tmp_path / "people.csv"
    sheet.write_text(f"customer,name,reports_to\n{HNKJ},沈国强,周静\n", encoding="utf-8")
    result = org("import", "contacts", str(sheet))
    assert result.exit_code == 65
    assert "沈国强 → 周静 → 钱伟 → 沈国强" in result.stderr


def test_the_approver_is_a_role_of_its_own(org):
    rows = {r["name"]: r["role"] for r in csv_rows(ok(org("contact", "list", "hnkj", "-f", "csv")))}
    assert (rows["钱伟"], rows["周静"]) == ("purchaser", "approver")
    table = ok(org("show", "hnkj", "--format", "table", env={"LANG": "zh_CN.UTF-8", "COLUMNS": "120"})).stdout
    chain = table[table.index("决策链") :] if "决策链" in table else table
    # a purchaser stored before revision 0009 still reads 采购执行者; the approver is its own branch after it
    assert chain.index("采购执行者") < chain.index("钱伟") < chain.index("采购审批者") < chain.index("周静")
    help_text = ok(org("contact", "add", "--help", env={"COLUMNS": "200"})).stdout
    assert "purchaser, purchase approver" in help_text


def test_org_of_a_customer_without_contacts(org):
    result = org("org", "深圳ＡＢＣ电子", "--format", "table")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no contacts yet: kehu contact add 2 NAME\n"
    assert ok(org("org", "深圳ＡＢＣ电子", "--format", "json")).stdout.strip() == "[]"
