"""`kehu import customers|contacts`: encodings, headers, every bad row reported, conflicts, referrers."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HEADER_ZH = "客户名称,客户类型,行业,客户来源,客户等级,预计成交额,预计成交日期,备注"
APEX = "美国Apex Solutions, Inc.上海代表处"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def exported(kehu, what: str = "customers") -> list[dict]:
    result = kehu("export", what, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def by_name(kehu, what: str = "customers") -> dict[str, dict]:
    return {row["name"]: row for row in exported(kehu, what)}


def db_bytes(db_path: Path) -> bytes:
    """The whole database on disk (a left-over -wal file would hold uncheckpointed writes)."""
    wal = Path(f"{db_path}-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def seed(kehu, tmp_path: Path, text: str) -> None:
    result = kehu("import", "customers", str(write(tmp_path / "seed.csv", text)))
    assert result.exit_code == 0, result.stderr


def excel_rows() -> str:
    """Chinese headers, CRLF between records, a quoted multi-line 备注, a name with a comma."""
    rows = [
        HEADER_ZH,
        f'"{APEX}",单位,软件,转介绍,B级,120万,2026年12月1日,"第一行\n第二行，有逗号, 和""引号"""',
        '张三,个人,it,展会,A,"1,200,000.50",2026/12/1,',
        "杭州海纳,企业,制造业,网络,c,¥850000,2027-01-15,",
    ]
    return "\r\n".join(rows) + "\r\n"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_excel_file_in_gb18030_or_utf8_bom_is_imported_exactly(kehu, tmp_path, encoding):
    data = excel_rows().encode(encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # the test would prove nothing if the bytes were UTF-8 too
    else:
        assert data.startswith(b"\xef\xbb\xbf")
    (tmp_path / "客户.csv").write_bytes(data)
    result = kehu("import", "customers", str(tmp_path / "客户.csv"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "imported customers: 3 added, 0 updated, 0 unchanged, 0 skipped\n"
    cards = by_name(kehu)
    assert list(cards) == [APEX, "张三", "杭州海纳"]
    apex, zhang, hangzhou = cards.values()
    assert apex["kind"] == "company" and apex["industry"] == "software"
    assert (apex["source"], apex["grade"]) == ("referral", "B")
    assert (apex["expected_value"], apex["expected_close"]) == ("1200000.00", "2026-12-01")
    assert apex["notes"] == '第一行\n第二行，有逗号, 和"引号"'
    assert (zhang["kind"], zhang["industry"], zhang["source"]) == ("person", "software", "trade_show")
    assert (zhang["expected_value"], zhang["expected_close"], zhang["notes"]) == (
        "1200000.50",
        "2026-12-01",
        None,
    )
    assert (hangzhou["industry"], hangzhou["source"], hangzhou["grade"]) == ("manufacturing", "web", "C")
    assert hangzhou["expected_value"] == "850000.00"


def test_gb18030_file_through_a_real_process(kehu_process, tmp_path):
    path = write(tmp_path / "客户.csv", excel_rows(), "gb18030")
    imported = kehu_process("import", "customers", str(path))
    assert imported.returncode == 0, imported.stderr.decode()
    shown = kehu_process("show", APEX, "--format", "json")
    assert shown.returncode == 0, shown.stderr.decode()
    assert json.loads(shown.stdout)["notes"] == '第一行\n第二行，有逗号, 和"引号"'


@pytest.mark.skipif(not (EXAMPLES / "contacts.csv").exists(), reason="no demo data")
def test_demo_files_import(kehu):
    customers = kehu("import", "customers", str(EXAMPLES / "customers.csv"))
    assert customers.exit_code == 0, customers.stderr
    contacts = kehu("import", "contacts", str(EXAMPLES / "contacts.csv"))
    assert contacts.exit_code == 0, contacts.stderr
    cards = by_name(kehu)
    assert len(cards) == 48
    assert {'北京"新思路"教育科技有限公司', APEX} <= set(cards)
    assert len(exported(kehu, "contacts")) == 116


# ---- every bad row is reported and nothing is written ------------------------------------------


def thousand_rows() -> tuple[str, list[str]]:
    """1,000 rows, one with a two-line 备注, and 3 bad ones; returns the text and the expected errors."""
    lines = ["客户名称,客户等级,预计成交额,预计成交日期,备注"]
    expected: list[str] = []
    for number in range(1, 1001):
        line = "\n".join(lines).count("\n") + 2  # the physical line this record starts on
        grade, money, close, notes = "B", "100000", "2027-01-31", ""
        if number == 10:
            notes = '"两行\n备注"'
        if number == 100:
            grade = "F"
            expected.append(f"line {line}, 客户等级: unknown value 'F'; one of: A, B, C, D, E")
        if number == 500:
            money = "12.345"
            expected.append(f"line {line}, 预计成交额: more than two decimal places: 12.345")
        if number == 1000:
            close = "2026-13-01"
            expected.append(f"line {line}, 预计成交日期: not a valid date: '2026-13-01'")
        lines.append(f"客户{number:04d},{grade},{money},{close},{notes}")
    return "\r\n".join(lines) + "\r\n", expected


def test_thousand_rows_with_three_bad_ones_write_nothing(kehu, tmp_path, db_path):
    text, expected = thousand_rows()
    assert [e.split(",")[0] for e in expected] == ["line 102", "line 502", "line 1002"]
    result = kehu("import", "customers", str(write(tmp_path / "big.csv", text)))
    assert result.exit_code == 65
    assert result.stderr.splitlines() == ["kehu: big.csv: 3 bad rows; nothing was imported", *expected]
    assert exported(kehu) == []


def test_a_refused_file_leaves_the_database_byte_identical(kehu, tmp_path, db_path):
    seed(kehu, tmp_path, "name,grade\n老客户,B\n")
    before = db_bytes(db_path)
    text, _expected = thousand_rows()
    assert kehu("import", "customers", str(write(tmp_path / "big.csv", text))).exit_code == 65
    assert db_bytes(db_path) == before
    # and the same file without its bad rows is imported whole, in one go
    good = text.replace(",F,", ",B,").replace("12.345", "12.34").replace("2026-13-01", "2026-12-01")
    result = kehu("import", "customers", str(write(tmp_path / "good.csv", good)))
    assert result.exit_code == 0, result.stderr
    assert len(exported(kehu)) == 1001


def test_after_twenty_bad_rows_the_rest_are_counted(kehu, tmp_path):
    text = "name,grade\n" + "".join(f"c{n},F\n" for n in range(25))
    result = kehu("import", "customers", str(write(tmp_path / "bad.csv", text)))
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert lines[0] == "kehu: bad.csv: 25 bad rows; nothing was imported"
    assert [line.split(",")[0] for line in lines[1:21]] == [f"line {n}" for n in range(2, 22)]
    assert lines[21:] == ["… and 5 more"]


# ---- the shape of the file ---------------------------------------------------------------------

REFUSED_FILES = {
    "unknown column": (b"name,foo\nA,1\n", "kehu: bad header: unknown column 'foo' (use --ignore-extra"),
    "same field twice": ("客户名称,name\nA,A\n".encode(),
                         "kehu: bad header: columns '客户名称' and 'name' are the same field\n"),
    "no name column": (b"grade\nB\n", "kehu: bad header: missing column '客户名称/name'\n"),
    "empty": (b"", "kehu: the file is empty\n"),
    "more cells than headers": (b"name,grade\nA,B,C\n", "line 2: 3 cells but 2 columns\n"),
    "value under an empty header": (b"name,\nA,x\n", "line 2: a value in column 2, which has no header"),
    "NUL bytes": (b"name\nA\x00B\n", "kehu: the file contains NUL bytes: not a text CSV file\n"),
    "binary junk": (random.Random(7).randbytes(4000).replace(b"\0", b"\1"),
                    "kehu: cannot decode the file as utf-8 / gb18030; name its encoding with --encoding\n"),
    "unterminated quote": (b'name,notes\nA,ok\nB,"never closed\nC,x\n',
                           "kehu: line 3: malformed CSV (unexpected end of data)\n"),
    "empty name": (b"name,grade\n ,B\n", "line 2, name: a value is required\n"),
}  # fmt: skip


@pytest.mark.parametrize("case", REFUSED_FILES)
def test_a_malformed_file_is_refused_without_a_traceback(kehu, tmp_path, case):
    data, message = REFUSED_FILES[case]
    (tmp_path / "in.csv").write_bytes(data)
    result = kehu("import", "customers", str(tmp_path / "in.csv"))
    assert result.exit_code == 65
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert exported(kehu) == []


def test_ignore_extra_skips_unknown_and_unnamed_columns(kehu, tmp_path):
    path = write(tmp_path / "in.csv", "name,微信群,grade,\nA,销售群,B,x\n")
    result = kehu("import", "customers", str(path), "--ignore-extra")
    assert result.exit_code == 0, result.stderr
    assert [(c["name"], c["grade"], c["notes"]) for c in exported(kehu)] == [("A", "B", None)]


def test_header_only_file_and_trailing_empty_excel_columns_are_fine(kehu, tmp_path):
    result = kehu("import", "customers", str(write(tmp_path / "h.csv", "name,grade\n")))
    assert (result.exit_code, result.stderr) == (
        0,
        "imported customers: 0 added, 0 updated, 0 unchanged, 0 skipped\n",
    )
    result = kehu("import", "customers", str(write(tmp_path / "t.csv", "name,grade,,\r\nA,B,,\r\n,,,\r\n")))
    assert result.exit_code == 0, result.stderr
    assert [(c["name"], c["grade"]) for c in exported(kehu)] == [("A", "B")]


def test_encoding_can_be_forced(kehu, tmp_path):
    path = write(tmp_path / "in.csv", "客户名称,备注\n华为,深圳\n", "gb18030")
    wrong = kehu("import", "customers", str(path), "--encoding", "utf-8")
    assert wrong.exit_code == 65 and "cannot decode the file as utf-8;" in wrong.stderr
    unknown = kehu("import", "customers", str(path), "--encoding", "klingon")
    assert (unknown.exit_code, unknown.stderr) == (2, "kehu: unknown encoding 'klingon'\n")
    assert exported(kehu) == []
    forced = kehu("import", "customers", str(path), "--encoding", "gb18030")
    assert forced.exit_code == 0, forced.stderr
    assert [(c["name"], c["notes"]) for c in exported(kehu)] == [("华为", "深圳")]


def test_tsv_by_extension_by_option_and_from_stdin(kehu, tmp_path):
    by_extension = write(tmp_path / "a.tsv", "name\tnotes\nT1\t有, 逗号\n")
    assert kehu("import", "customers", str(by_extension)).exit_code == 0
    # a comma in the header would make kehu guess commas: the option must win
    by_option = write(tmp_path / "b.txt", "name\tgrade\tmemo,extra\nT2\tC\tx\n")
    assert kehu("import", "customers", str(by_option), "--ignore-extra").exit_code == 65
    result = kehu("import", "customers", str(by_option), "--ignore-extra", "--delimiter", "\\t")
    assert result.exit_code == 0, result.stderr
    semicolons = b"name;grade\nT3;D\n"
    assert kehu("import", "customers", "-", "-d", ";", input=semicolons).exit_code == 0
    gb_stdin = "客户名称\t客户等级\nT4\tE\n".encode("gb18030")
    assert kehu("import", "customers", "-", input=gb_stdin).exit_code == 0
    cards = by_name(kehu)
    assert {n: (c["grade"], c["notes"]) for n, c in cards.items()} == {
        "T1": (None, "有, 逗号"), "T2": ("C", None), "T3": ("D", None), "T4": ("E", None)}  # fmt: skip
    bad = kehu("import", "customers", "-", input=b"name,grade\nX,Z\n")
    assert bad.stderr.splitlines()[0] == "kehu: standard input: 1 bad row; nothing was imported"


# ---- rows that match the book --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "exit_code", "grades"),
    [("update", 0, {"Acme": "A", "New": "C"}), ("skip", 0, {"Acme": "B", "New": "C"}),
     ("error", 65, {"Acme": "B"})],
)  # fmt: skip
def test_on_conflict(kehu, tmp_path, mode, exit_code, grades):
    seed(kehu, tmp_path, "name,grade,owner,referrer\nRef,,,\nAcme,B,王磊,\n")
    path = write(tmp_path / "in.csv", "name,grade,referrer\n ａｃｍｅ ,A,Ref\nNew,C,\n")
    result = kehu("import", "customers", str(path), "--on-conflict", mode)
    assert result.exit_code == exit_code
    cards = by_name(kehu)
    if mode == "update":  # the file's spelling of the name wins, trimmed
        assert result.stderr == "imported customers: 1 added, 1 updated, 0 unchanged, 0 skipped\n"
        cards["Acme"] = cards.pop("ａｃｍｅ")
        assert (cards["Acme"]["id"], cards["Acme"]["owner"]) == (
            2,
            "王磊",
        )  # a column not in the file is kept
        assert cards["Acme"]["referrer"] == "Ref"
    assert {n: c["grade"] for n, c in cards.items() if n != "Ref"} == grades
    if mode == "skip":
        assert result.stderr == "imported customers: 1 added, 0 updated, 0 unchanged, 1 skipped\n"
        assert cards["Acme"]["referrer"] is None  # a skipped row changes nothing, not even its referrer
    if mode == "error":
        assert "line 2, name: customer 'ａｃｍｅ' already exists (id 2)" in result.stderr


def test_dry_run_counts_and_writes_nothing(kehu, tmp_path, db_path):
    seed(kehu, tmp_path, "name,grade\nAcme,B\nSame,C\n")
    before = db_bytes(db_path)
    path = write(tmp_path / "in.csv", "name,grade\nACME,A\nSame,C\nNew,D\n")
    result = kehu("import", "customers", str(path), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "dry run: would import 1 added, 1 updated, 1 unchanged, 0 skipped\n"
    assert db_bytes(db_path) == before
    result = kehu("import", "customers", str(path))
    assert result.stderr == "imported customers: 1 added, 1 updated, 1 unchanged, 0 skipped\n"


def test_full_width_and_case_match_the_same_customer(kehu, tmp_path):
    seed(kehu, tmp_path, "name,grade\nABC电子,B\n")
    path = write(tmp_path / "in.csv", "客户名称,客户等级\n  ａｂｃ电子 ,A\n")
    result = kehu("import", "customers", str(path))
    assert result.stderr == "imported customers: 0 added, 1 updated, 0 unchanged, 0 skipped\n"
    [card] = exported(kehu)
    assert (card["id"], card["grade"]) == (1, "A")
    duplicate = write(tmp_path / "dup.csv", "name\nXYZ\nｘｙｚ\n")
    result = kehu("import", "customers", str(duplicate))
    assert result.exit_code == 65
    assert result.stderr.splitlines()[1:] == ["line 3, name: same customer as line 2"]


def test_empty_cells_of_required_columns_keep_the_stored_value_on_update(kehu, tmp_path):
    seed(kehu, tmp_path, "name,kind,currency\n张三,个人,USD\n")
    path = write(tmp_path / "in.csv", "name,kind,currency,created_at,updated_at,grade\n张三,,,,,B\n")
    result = kehu("import", "customers", str(path))
    assert result.exit_code == 0, result.stderr
    [card] = exported(kehu)
    assert (card["kind"], card["currency"], card["grade"]) == ("person", "USD", "B")
    assert card["created_at"] and card["updated_at"]


def test_two_new_rows_with_one_id_keep_it_for_the_first(kehu, tmp_path):
    path = write(tmp_path / "in.csv", "id,name\n7,First\n7,Second\n")
    assert kehu("import", "customers", str(path)).exit_code == 0
    assert [(c["id"], c["name"]) for c in exported(kehu)] == [(7, "First"), (8, "Second")]


def test_referrers_in_the_file_or_the_book(kehu, tmp_path):
    seed(kehu, tmp_path, "name\n老客户\n")
    path = write(tmp_path / "in.csv", "客户名称,介绍人\n甲,乙\n乙,老客户\n")
    assert kehu("import", "customers", str(path)).exit_code == 0
    assert {n: c["referrer"] for n, c in by_name(kehu).items()} == {
        "老客户": None,
        "甲": "乙",
        "乙": "老客户",
    }
    bad = write(tmp_path / "bad.csv", "客户名称,介绍人\n丙,查无此人\n丁,丁\n")
    result = kehu("import", "customers", str(bad))
    assert result.exit_code == 65
    assert result.stderr.splitlines()[1:] == [
        "line 2, 介绍人: referrer '查无此人' is not a customer",
        "line 3, 介绍人: a customer cannot refer itself",
    ]


# ---- contacts --------------------------------------------------------------------------------------

CONTACT_HEADER = "客户名称,姓名,采购角色,沟通风格,内线级别,生日,农历生日,关键联系人"


def test_contacts_with_labels_in_either_language(kehu, tmp_path):
    seed(kehu, tmp_path, "name\nAcme\n")
    rows = (
        f"{CONTACT_HEADER}\n"
        "acme,张伟,决策者,猫头鹰,高级,1975年3月8日,是,是\n"
        "Acme,Li,decision maker,owl,high,,no,no\n"
    )
    result = kehu("import", "contacts", str(write(tmp_path / "c.csv", rows, "gb18030")))
    assert result.exit_code == 0, result.stderr
    keys = ("customer", "role", "style", "insider", "birthday", "birthday_lunar", "is_key")
    people = {n: tuple(c[k] for k in keys) for n, c in by_name(kehu, "contacts").items()}
    assert people == {
        "张伟": ("Acme", "decision_maker", "owl", "high", "1975-03-08", True, True),
        "Li": ("Acme", "decision_maker", "owl", "high", None, False, False),
    }


def test_contacts_of_an_unknown_customer_or_two_key_contacts_are_refused(kehu, tmp_path):
    seed(kehu, tmp_path, "name\nAcme\n")
    text = "客户名称,姓名,关键联系人\nNobody,王五,\nAcme,张伟,是\nAcme,李娜,是\n"
    result = kehu("import", "contacts", str(write(tmp_path / "c.csv", text)))
    assert result.exit_code == 65
    assert result.stderr.splitlines() == [
        "kehu: c.csv: 2 bad rows; nothing was imported",
        "line 2, 客户名称: no customer named 'Nobody' (import the customers first)",
        "line 4, 关键联系人: a second key contact for 'Acme' (line 3)",
    ]
    assert exported(kehu, "contacts") == []


def test_a_key_contact_in_the_file_unmarks_the_previous_one(kehu, tmp_path):
    seed(kehu, tmp_path, "name\nAcme\nOther\n")
    first = write(tmp_path / "a.csv", "customer,name,is_key\nAcme,Zhang,yes\nAcme,Li,no\nOther,Zhao,yes\n")
    assert kehu("import", "contacts", str(first)).exit_code == 0
    skipped = write(tmp_path / "b.csv", "customer,name,is_key\nAcme,Li,yes\n")
    assert kehu("import", "contacts", str(skipped), "--on-conflict", "skip").exit_code == 0
    assert {n: c["is_key"] for n, c in by_name(kehu, "contacts").items()} == {
        "Zhang": True, "Li": False, "Zhao": True}  # fmt: skip
    second = write(tmp_path / "c.csv", "customer,name,is_key,birthday_lunar\nAcme,Wang,是,\nAcme,Li,,\n")
    result = kehu("import", "contacts", str(second))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "imported contacts: 1 added, 0 updated, 1 unchanged, 0 skipped\n"
    assert {n: c["is_key"] for n, c in by_name(kehu, "contacts").items()} == {
        "Zhang": False, "Li": False, "Wang": True, "Zhao": True}  # fmt: skip


def test_contacts_dry_run_and_the_same_contact_twice(kehu, tmp_path, db_path):
    seed(kehu, tmp_path, "name\nAcme\n")
    first = write(tmp_path / "a.csv", "customer,name,title\nAcme,Zhang,CEO\nAcme,Li,CTO\n")
    assert kehu("import", "contacts", str(first)).exit_code == 0
    before = db_bytes(db_path)
    second = write(tmp_path / "b.csv", "customer,name,title\nACME,Zhang,CEO\nAcme,Li,CFO\nAcme,Wang,\n")
    result = kehu("import", "contacts", str(second), "--dry-run")
    assert (result.exit_code, result.stdout) == (
        0,
        "dry run: would import 1 added, 1 updated, 1 unchanged, 0 skipped\n",
    )
    assert db_bytes(db_path) == before
    twice = write(tmp_path / "c.csv", "customer,name\nAcme,Wang\nacme, wang \n")
    result = kehu("import", "contacts", str(twice))
    assert result.exit_code == 65
    assert result.stderr.splitlines()[1:] == ["line 3, name: same contact as line 2"]
    assert db_bytes(db_path) == before
