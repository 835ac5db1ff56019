"""Export, import into an empty database, export again: the same bytes, customers and contacts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = "2026-11-23"


def run(db: Path, *args: str) -> str:
    """Run kehu on the database `db`; return its stdout, failing the test on a non-zero exit."""
    result = CliRunner().invoke(app, ["--db", str(db), "--today", TODAY, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, f"kehu {' '.join(args)}: {result.stderr}"
    return result.stdout


def export_both(db: Path, fmt: str = "csv") -> tuple[str, str]:
    return (
        run(db, "export", "customers", "--format", fmt),
        run(db, "export", "contacts", "--format", fmt),
    )


def copy_into_empty(source: Path, target: Path, tmp_path: Path, fmt: str = "csv") -> tuple[str, str]:
    """Export `source` as `fmt`, import both files into the new database `target`, export it."""
    assert not target.exists()
    customers, contacts = export_both(source, fmt)
    suffix = ".tsv" if fmt == "tsv" else ".csv"
    (tmp_path / f"customers{suffix}").write_text(customers, encoding="utf-8", newline="")
    (tmp_path / f"contacts{suffix}").write_text(contacts, encoding="utf-8", newline="")
    run(target, "import", "customers", str(tmp_path / f"customers{suffix}"))
    run(target, "import", "contacts", str(tmp_path / f"contacts{suffix}"))
    return export_both(target, fmt)


CUSTOMERS = (
    "id,客户名称,客户类型,行业,销售员,员工人数,营业额,客户来源,介绍人,客户等级,预计成交额,预计成交日期,币种,备注\n"
    # 1 is referred by 3, later in the file; 10 leaves a gap in the ids
    '1,杭州海纳科技,单位,软件,王磊,"1,200",8500万,转介绍,深圳ＡＢＣ电子,A,"1,200,000.50",2026年12月10日,,'
    '"两行\n备注, 有逗号和""引号"""\n'
    "10,张三,个人,,李娜,,,朋友,,B,¥850000,2027/1/5,USD,=SUM(A1)\n"
    "3,深圳ＡＢＣ电子,企业,电子,王磊,,,展会,,C,,,,\n"
    "4,成都蓉城医疗,,医疗,陈晨,,,客户介绍,张三,E,,,,已流失\n"
)
CONTACTS = (
    "客户名称,姓名,职务,生日,农历生日,采购角色,沟通风格,内线级别,关键联系人,备注\n"
    "杭州海纳科技,吴晓丽,信息中心主任,1983-05-12,,设计者,猫头鹰,高级,否,\n"
    "杭州海纳科技,沈国强,总经理,1972-11-26,是,决策者,老虎,,是,拍板快\n"
    "深圳ＡＢＣ电子,Robert Lee,VP,,,decision maker,tiger,,yes,\n"
    "张三,张三,,1992-02-29,否,,,,,\n"
)


@pytest.fixture
def full_book(tmp_path: Path) -> Path:
    """A book with every kind of value: referrers, archived rows, edits, birthdays and flags."""
    db = tmp_path / "first.db"
    (tmp_path / "seed_customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "seed_contacts.csv").write_text(CONTACTS, encoding="utf-8")
    run(db, "import", "customers", str(tmp_path / "seed_customers.csv"))
    run(db, "import", "contacts", str(tmp_path / "seed_contacts.csv"))
    run(db, "add", "北京新思路", "--grade", "D", "--referrer", "杭州海纳科技", "--nature", "集体企业")
    run(db, "contact", "add", "北京新思路", "马晓东", "--birthday", "1977-02-14", "--is-key", "是")
    run(db, "edit", "深圳ＡＢＣ电子", "--notes", "改过", "--referrer", "杭州海纳科技")  # a cycle
    run(db, "archive", "成都蓉城医疗")
    run(db, "contact", "archive", "杭州海纳科技", "吴晓丽")
    return db


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_round_trip_through_an_empty_database_gives_the_same_bytes(full_book, tmp_path, fmt):
    first = export_both(full_book, fmt)
    second = copy_into_empty(full_book, tmp_path / "second.db", tmp_path, fmt)
    assert second[0] == first[0]
    assert second[1] == first[1]


def test_the_round_tripped_book_holds_what_was_put_in(full_book, tmp_path):
    customers, contacts = copy_into_empty(full_book, tmp_path / "second.db", tmp_path)
    cards = {row["name"]: row for row in csv.DictReader(io.StringIO(customers))}
    assert {n: (c["id"], c["referrer"]) for n, c in cards.items()} == {
        "杭州海纳科技": ("1", "深圳ＡＢＣ电子"),
        "深圳ＡＢＣ电子": ("3", "杭州海纳科技"),
        "成都蓉城医疗": ("4", "张三"),
        "张三": ("10", ""),
        "北京新思路": ("11", "杭州海纳科技"),
    }
    assert list(cards) == ["杭州海纳科技", "深圳ＡＢＣ电子", "成都蓉城医疗", "张三", "北京新思路"]
    hainan = cards["杭州海纳科技"]
    assert (hainan["employees"], hainan["revenue"], hainan["expected_value"]) == (
        "1200",
        "85000000.00",
        "1200000.50",
    )
    assert hainan["notes"] == '两行\n备注, 有逗号和"引号"'
    assert (cards["张三"]["notes"], cards["张三"]["currency"]) == ("=SUM(A1)", "USD")
    assert cards["北京新思路"]["nature"] == "集体企业"  # an open list keeps an unknown word
    assert [n for n, c in cards.items() if c["archived_at"]] == ["成都蓉城医疗"]
    people = {row["name"]: row for row in csv.DictReader(io.StringIO(contacts))}
    keys = ("customer", "is_key", "birthday", "birthday_lunar")
    assert {n: tuple(p[k] for k in keys) for n, p in people.items()} == {
        "沈国强": ("杭州海纳科技", "yes", "1972-11-26", "yes"),
        "吴晓丽": ("杭州海纳科技", "no", "1983-05-12", "no"),
        "Robert Lee": ("深圳ＡＢＣ电子", "yes", "", "no"),
        "张三": ("张三", "no", "1992-02-29", "no"),
        "马晓东": ("北京新思路", "yes", "1977-02-14", "no"),
    }  # fmt: skip
    assert [n for n, p in people.items() if p["archived_at"]] == ["吴晓丽"]


def test_importing_an_export_into_its_own_book_changes_nothing(full_book, tmp_path):
    before = export_both(full_book)
    (tmp_path / "again.csv").write_text(before[0], encoding="utf-8")
    (tmp_path / "again_contacts.csv").write_text(before[1], encoding="utf-8")
    customers = CliRunner().invoke(
        app, ["--db", str(full_book), "import", "customers", str(tmp_path / "again.csv")]
    )
    assert customers.stderr == "imported customers: 0 added, 0 updated, 5 unchanged, 0 skipped\n"
    contacts = CliRunner().invoke(
        app, ["--db", str(full_book), "import", "contacts", str(tmp_path / "again_contacts.csv")]
    )
    assert contacts.stderr == "imported contacts: 0 added, 0 updated, 5 unchanged, 0 skipped\n"
    assert export_both(full_book) == before


@pytest.mark.skipif(not (EXAMPLES / "contacts.csv").exists(), reason="no demo data")
def test_demo_data_round_trips(tmp_path):
    first = tmp_path / "first.db"
    run(first, "import", "customers", str(EXAMPLES / "customers.csv"))
    run(first, "import", "contacts", str(EXAMPLES / "contacts.csv"))
    run(first, "archive", "杭州海纳科技有限公司")
    exported = export_both(first)
    assert copy_into_empty(first, tmp_path / "second.db", tmp_path) == exported
    assert exported[0].count("\n") > 48 and exported[1].count("\n") > 116  # multi-line notes too
