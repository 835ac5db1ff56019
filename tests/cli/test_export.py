"""`kehu export customers|contacts`: the pinned columns, every format, --excel, --labels, pipes."""

from __future__ import annotations

import csv
import io
import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kehu.render.formats import excel_safe

CUSTOMER_KEYS = [
    "id", "name", "kind", "industry", "region", "address", "owner", "nature", "employees", "revenue",
    "website", "phone", "email", "wechat", "source", "referrer", "ka_type", "grade", "expected_value",
    "expected_close", "currency", "notes", "created_at", "updated_at", "archived_at",
    # where the customer stands: computed by kehu, read past by an import
    "pipeline", "stage", "status", "next_due", "last_touch_on",
]  # fmt: skip
CONTACT_KEYS = [
    "id", "customer", "name", "title", "phone", "email", "wechat", "birthday", "birthday_lunar",
    "hometown", "hobbies", "family", "role", "style", "insider", "is_key",
    # the organisation and the relationship stage (issue 16)
    "department", "reports_to", "years_at_company", "authority", "authority_limit", "relationship",
    "notes", "created_at", "updated_at", "archived_at",
]  # fmt: skip
CUSTOMERS_CSV = (
    "name,kind,industry,region,owner,nature,employees,revenue,source,referrer,ka_type,grade,"
    "expected_value,expected_close,currency,notes,phone,created_at,updated_at\n"
    "杭州海纳科技,单位,软件,浙江杭州,王磊,民营,320,8500万,展会,,伙伴式,A,120万,2026-12-10,,"
    '"=SUM(A1)",+86 571 7043,2026-01-02T03:04:05Z,2026-02-03T04:05:06Z\n'
    "张三,个人,,,,,,,转介绍,杭州海纳科技,,B,,,USD,@home,-,2026-01-02T03:04:05Z,2026-01-02T03:04:05Z\n"
)
CONTACTS_CSV = (
    "customer,name,title,birthday,birthday_lunar,role,style,insider,is_key,created_at,updated_at\n"
    "杭州海纳科技,沈国强,总经理,1972-11-26,是,决策者,老虎,高级,是,2026-03-04T05:06:07Z,2026-03-04T05:06:07Z\n"
)


@pytest.fixture
def book(kehu, tmp_path: Path):
    """Two customers (one archived, one referred by the other) and a key contact."""
    (tmp_path / "c.csv").write_text(CUSTOMERS_CSV, encoding="utf-8")
    (tmp_path / "p.csv").write_text(CONTACTS_CSV, encoding="utf-8")
    assert kehu("import", "customers", str(tmp_path / "c.csv")).exit_code == 0
    assert kehu("import", "contacts", str(tmp_path / "p.csv")).exit_code == 0
    assert kehu("archive", "张三").exit_code == 0
    return kehu


def test_csv_headers_are_the_stable_keys(book):
    customers = book("export", "customers")
    assert customers.exit_code == 0, customers.stderr
    lines = customers.stdout.split("\n")
    assert lines[0] == ",".join(CUSTOMER_KEYS)
    assert len(lines) == 4 and lines[3] == ""  # two rows, archived 张三 too, LF line ends
    contacts = book("export", "contacts")
    assert contacts.stdout.split("\n")[0] == ",".join(CONTACT_KEYS)
    active = book("export", "customers", "--active-only")
    assert [row["name"] for row in csv.DictReader(io.StringIO(active.stdout))] == ["杭州海纳科技"]


def test_json_has_exact_values(book):
    result = book("export", "customers", "--format", "json")
    assert result.exit_code == 0, result.stderr
    hainan, zhang = json.loads(result.stdout)
    assert list(hainan) == CUSTOMER_KEYS
    assert hainan == {
        "id": 1, "name": "杭州海纳科技", "kind": "company", "industry": "software",
        "region": "浙江杭州", "address": None, "owner": "王磊", "nature": "private",
        "employees": 320, "revenue": "85000000.00", "website": None, "phone": "+86 571 7043",
        "email": None, "wechat": None, "source": "trade_show", "referrer": None, "ka_type": "partner",
        "grade": "A", "expected_value": "1200000.00", "expected_close": "2026-12-10",
        "currency": "CNY", "notes": "=SUM(A1)", "created_at": "2026-01-02T03:04:05Z",
        "updated_at": "2026-02-03T04:05:06Z", "archived_at": None, "pipeline": "key-account",
        "stage": "analyse", "status": "open", "next_due": "2026-01-02", "last_touch_on": None,
    }  # fmt: skip
    assert (zhang["kind"], zhang["referrer"], zhang["currency"]) == ("person", "杭州海纳科技", "USD")
    assert zhang["archived_at"] is not None and zhang["archived_at"].endswith("Z")
    [contact] = json.loads(book("export", "contacts", "--format", "json").stdout)
    assert contact == {
        "id": 1, "customer": "杭州海纳科技", "name": "沈国强", "title": "总经理", "phone": None,
        "email": None, "wechat": None, "birthday": "1972-11-26", "birthday_lunar": True,
        "hometown": None, "hobbies": None, "family": None, "role": "decision_maker", "style": "tiger",
        "insider": "high", "is_key": True, "department": None, "reports_to": None,
        "years_at_company": None, "authority": None, "authority_limit": None, "relationship": None,
        "notes": None, "created_at": "2026-03-04T05:06:07Z", "updated_at": "2026-03-04T05:06:07Z",
        "archived_at": None,
    }  # fmt: skip


def test_jsonl_and_tsv_hold_the_same_records(book):
    records = json.loads(book("export", "customers", "--format", "json").stdout)
    jsonl = book("export", "customers", "--format", "jsonl").stdout
    assert jsonl.endswith("\n")
    assert [json.loads(line) for line in jsonl.splitlines()] == records
    tsv = book("export", "customers", "--format", "tsv").stdout
    rows = list(csv.DictReader(io.StringIO(tsv), delimiter="\t"))
    assert [r["name"] for r in rows] == ["杭州海纳科技", "张三"]
    assert rows[0]["revenue"] == "85000000.00" and rows[0]["address"] == ""
    active = json.loads(book("export", "contacts", "--format", "json", "--active-only").stdout)
    assert [person["name"] for person in active] == ["沈国强"]


def test_empty_book_exports_a_header_or_an_empty_list(kehu):
    assert kehu("export", "customers").stdout == ",".join(CUSTOMER_KEYS) + "\n"
    assert kehu("export", "contacts", "--format", "json").stdout == "[]\n"
    assert kehu("export", "contacts", "--format", "jsonl").stdout == ""


def test_excel_output_has_a_bom_crlf_and_no_formulas(book, kehu_process):
    result = kehu_process("export", "customers", "--excel")
    assert result.returncode == 0, result.stderr.decode()
    data = result.stdout
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(CUSTOMER_KEYS).encode() + b"\r\n")
    assert data.count(b"\r\n") == 3 and b"\n" not in data.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert (rows[0]["notes"], rows[0]["phone"]) == ("'=SUM(A1)", "'+86 571 7043")
    assert (rows[1]["notes"], rows[1]["phone"]) == ("'@home", "'-")
    assert rows[0]["name"] == "杭州海纳科技" and rows[0]["revenue"] == "85000000.00"
    plain = kehu_process("export", "customers").stdout
    assert not plain.startswith(b"\xef\xbb\xbf") and b"\r" not in plain and b",=SUM(A1)," in plain


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("a=b", "a=b"), ("", ""), ("'=x", "'=x")],
)  # fmt: skip
def test_excel_safe_prefixes_exactly_the_formula_starts(cell, safe):
    assert excel_safe(cell) == safe


def test_labels_in_chinese(book):
    result = book("export", "customers", "--labels", env={"KEHU_LANG": "zh"})
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "编号", "客户名称", "客户类型", "行业", "地区", "地址", "销售员", "企业性质", "员工人数", "营业额",
        "网址", "电话", "邮箱", "微信", "客户来源", "介绍人", "大客户类型", "客户等级", "预计成交额",
        "预计成交日期", "币种", "备注", "创建时间", "更新时间", "归档时间",
        "销售流程", "销售阶段", "状态", "下次跟进", "上次跟进",
    ]  # fmt: skip
    hainan = dict(zip(rows[0], rows[1], strict=True))
    # Where it stands, in words: the stage by the pipeline's name for it, the status, ISO dates.
    assert [hainan[k] for k in ("销售流程", "销售阶段", "状态", "下次跟进", "上次跟进")] == [
        "大客户拓展六部曲", "客户分析", "进行中", "2026-01-02", ""]  # fmt: skip
    assert [hainan[k] for k in ("客户类型", "行业", "企业性质", "客户来源", "大客户类型")] == [
        "单位", "软件/IT", "民营", "展会", "伙伴式"]  # fmt: skip
    assert (hainan["营业额"], hainan["预计成交日期"]) == ("85000000.00", "2026-12-10")
    zhang = dict(zip(rows[0], rows[2], strict=True))
    assert (zhang["客户类型"], zhang["客户来源"], zhang["介绍人"]) == ("个人", "客户介绍", "杭州海纳科技")
    csv_contacts = book("export", "contacts", "--labels", env={"KEHU_LANG": "zh"}).stdout
    person = next(csv.DictReader(io.StringIO(csv_contacts)))
    keys = ("客户名称", "采购角色", "沟通风格", "内线级别", "关键联系人", "农历生日")
    assert [person[k] for k in keys] == ["杭州海纳科技", "决策者", "老虎", "高级", "是", "是"]


def test_labels_in_chinese_json_values(book):
    contacts = book("export", "contacts", "--labels", "--format", "json", env={"KEHU_LANG": "zh"})
    [person] = json.loads(contacts.stdout)
    assert (person["客户名称"], person["关键联系人"], person["农历生日"]) == ("杭州海纳科技", True, True)
    assert (person["采购角色"], person["沟通风格"], person["内线级别"]) == ("决策者", "老虎", "高级")


def test_labels_in_english(book):
    header = book("export", "customers", "--labels").stdout.split("\n")[0].split(",")
    assert header[:4] == ["id", "name", "kind", "industry"]
    assert header[13] == "WeChat" and header[16] == "key-account type" and header[24] == "archived"
    assert header[25:] == ["pipeline", "stage", "status", "next due", "last touch"]
    row = next(csv.DictReader(io.StringIO(book("export", "customers", "--labels").stdout)))
    assert (row["industry"], row["source"], row["key-account type"]) == (
        "software/IT",
        "trade show",
        "partner",
    )
    assert (row["pipeline"], row["stage"], row["status"]) == (
        "six-step key-account funnel", "analyse the customer", "open")  # fmt: skip


def test_a_shell_pipeline_edits_the_book(kehu_process, tmp_path, db_path):
    seed = (
        "name,owner,grade,created_at,updated_at\n"
        "甲公司,王磊,B,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z\n"
        "乙公司,李娜,B,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z\n"
        "丙公司,王磊,C,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z\n"
    )
    loaded = kehu_process("import", "customers", "-", input=seed.encode())
    assert loaded.returncode == 0, loaded.stderr.decode()
    kehu = [sys.executable, "-m", "kehu", "--db", str(db_path), "--today", "2026-11-23"]
    listing = shlex.join([*kehu, "list", "--format", "csv"])
    importing = shlex.join([*kehu, "import", "customers", "-"])
    pipeline = f"{listing} | grep -e '^id,' -e ',王磊,' | sed -e 's/,B,/,A,/' | {importing}"
    done = subprocess.run(["sh", "-c", pipeline], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode() == "imported customers: 0 added, 1 updated, 1 unchanged, 0 skipped\n"
    cards = {c["name"]: c for c in json.loads(kehu_process("export", "customers", "--format", "json").stdout)}
    assert {n: c["grade"] for n, c in cards.items()} == {"甲公司": "A", "乙公司": "B", "丙公司": "C"}
    # the edited card was changed now, even though its updated_at cell still held the old moment
    assert cards["甲公司"]["updated_at"] > "2026-01-01T00:00:00Z"
    assert cards["丙公司"]["updated_at"] == cards["乙公司"]["updated_at"] == "2026-01-01T00:00:00Z"
