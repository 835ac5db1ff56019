"""`kehu dump` / `kehu load`: the whole book as JSON Lines, into an empty database and back."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app
from kehu.io.dump import TABLES
from kehu.store.schema import HEAD_REVISION
from tests.conftest import TODAY
from tests.helpers import ok

EXAMPLES = Path(__file__).parents[2] / "examples"


def run(db: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(app, ["--db", str(db), "--today", TODAY, *args], input=input)


def records(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        counts = {t.name: connection.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0] for t in TABLES}
    connection.close()
    return counts


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A book with a record in every table: cards with a referral, contacts, touches, a plan, grade
    changes, funnel moves, qualification, a chosen pipeline, contracts and a payment."""
    db = tmp_path / "book.db"
    ok(run(db, "import", "customers", str(EXAMPLES / "customers.csv")))
    ok(run(db, "import", "contacts", str(EXAMPLES / "contacts.csv")))
    ok(run(db, "import", "touches", str(EXAMPLES / "touches.csv")))
    ok(run(db, "add", "新客户（介绍）", "--referrer", "杭州海纳科技有限公司", "--expected-value", "120万"))
    ok(run(db, "plan", "杭州海纳科技", "明天", "--purpose", "送合同草稿"))
    ok(run(db, "grade", "杭州海纳科技", "B", "--reason", "预算推迟"))
    ok(run(db, "advance", "杭州海纳科技", "2", "--evidence", "确认年底有预算"))
    ok(run(db, "answer", "杭州海纳科技", "2", "沈总已表态支持"))  # a stage's question answered
    ok(run(db, "qualify", "杭州海纳科技", "--need", "yes", "--budget", "yes"))
    ok(run(db, "won", "南京钟山软件", "--amount", "78万"))
    ok(run(db, "contract", "add", "南京钟山软件", "-a", "78万", "--signed", "2026-06-20", "--terms", "60天"))
    ok(run(db, "pay", "南京钟山软件", "30万"))
    # A contract in instalments, delivered and accepted: its instalments dated, a payment split.
    ok(run(db, "contract", "add", "南京钟山软件", "-a", "10万", "--signed", "2026-07-01", "--number", "ZS-2",
           "--schedule", "30% 签约, 60% 验收后30天, 10% 质保1年"))  # fmt: skip
    ok(run(db, "deliver", "ZS-2", "--date", "2026-08-01", "--note", "首批到货"))
    ok(run(db, "accept", "ZS-2", "--date", "2026-08-20"))
    ok(run(db, "pay", "南京钟山软件", "50万"))
    # Needs, a proposal in two versions (one with its file) and a quote with a discount (呈现价值).
    ok(run(db, "need", "add", "杭州海纳科技", "年底前上线新仓库系统", "--kind", "业务", "--priority", "高",
           "--from", "沈国强", "--notes", "总经理亲口说的"))  # fmt: skip
    (tmp_path / "方案.pdf").write_bytes(b"%PDF")
    ok(run(db, "proposal", "add", "杭州海纳科技", "--title", "仓储方案", "--amount", "120万",
           "--sent", "2026-11-20", "--file", str(tmp_path / "方案.pdf")))  # fmt: skip
    ok(run(db, "proposal", "add", "杭州海纳科技", "--amount", "118万", "--status", "accepted"))
    ok(run(db, "quote", "add", "杭州海纳科技", "--amount", "118万", "--discount", "5",
           "--valid-until", "2026-12-31"))  # fmt: skip
    ok(run(db, "pipeline", "use", "key-account"))
    ok(run(db, "rival", "add", "杭州海纳科技", "金蝶", "--share", "30%", "--price", "120万",
           "--since", "2025-03-01", "--strengths", "老关系", "--weaknesses", "二次开发慢",
           "--their-contact", "王经理"))  # fmt: skip
    ok(run(db, "lost", "苏州恒瑞精密机械", "--to", "用友"))  # a rival that took the deal: won_on
    # The organisation and a relationship's history (组织结构, 建立信任): every new contact column.
    ok(run(db, "contact", "edit", "杭州海纳科技", "吴晓丽", "--department", "信息中心",
           "--reports-to", "沈国强", "--years", "8", "--authority", "技术选型",
           "--authority-limit", "50万"))  # fmt: skip
    ok(run(db, "contact", "relate", "杭州海纳科技", "沈国强", "约会", "--on", "2026-11-02"))
    ok(run(db, "contact", "relate", "杭州海纳科技", "沈国强", "认识", "--reason", "换了分管"))
    # A credit check with every figure, and a month's targets (信用审查, 销售目标).
    ok(run(db, "credit", "杭州海纳科技", "--capital", "2000万", "--years", "12", "--history", "good",
           "--collection-days", "45", "--limit", "150万", "--current-asset-ratio", "180",
           "--net-margin", "-2.5", "--roa", "6", "--inventory-days", "80", "--receivable-days", "95",
           "--notes", "年报"))  # fmt: skip
    ok(run(db, "target", "set", "2026-11", "--amount", "300万", "--collect", "200万", "--new-customers", "10",
           "--touches-per-day", "4.5"))  # fmt: skip
    # A collection visit with a promise, and a complaint resolved (催款, 维护).
    ok(run(db, "collect", "南京钟山软件", "上门", "--result", "同意月底前付清", "--promise", "2026-11-30",
           "30万", "--contract", "ZS-2"))  # fmt: skip
    ok(run(db, "complaint", "add", "南京钟山软件", "交货晚了两周", "--severity", "高"))
    ok(run(db, "complaint", "add", "南京钟山软件", "发票抬头错了", "--severity", "低"))
    ok(run(db, "complaint", "resolve", "1", "--resolution", "补发了货，道歉"))
    return db


def test_every_table_round_trips_byte_for_byte(book: Path, tmp_path: Path):
    assert all(records(book).values()), records(book)  # the fixture fills every table
    first = tmp_path / "first.jsonl"
    ok(run(book, "dump", str(first)))
    copy = tmp_path / "copy.db"
    loaded = ok(run(copy, "load", str(first)))
    assert loaded.stderr == f"loaded {sum(records(book).values())} records into {copy}\n"
    second = tmp_path / "second.jsonl"
    ok(run(copy, "dump", str(second)))
    assert second.read_bytes() == first.read_bytes()
    assert records(copy) == records(book)
    for command in (["export", "customers"], ["report", "-f", "csv"], ["followups", "week", "-f", "csv"]):
        assert run(copy, *command).stdout == run(book, *command).stdout, command


def test_the_dump_spells_every_value_exactly(book: Path):
    lines = run(book, "dump").stdout.splitlines()
    header = json.loads(lines[0])
    assert header == {"format": "kehu-dump", "schema": HEAD_REVISION, "kehu": header["kehu"]}
    by_table: dict[str, list[dict]] = {}
    for line in lines[1:]:
        record = json.loads(line)
        by_table.setdefault(record["table"], []).append(record["row"])
    assert [name for name in by_table] == [t.name for t in TABLES]  # parents first
    new = next(r for r in by_table["customer"] if r["name"] == "新客户（介绍）")
    assert new["expected_value"] == "1200000.00" and isinstance(new["referrer_id"], int)
    assert new["created_at"].endswith("Z") and new["next_due"] == TODAY
    assert by_table["payment"][0]["amount"] == "300000.00"


def test_a_superior_added_after_their_report_loads(tmp_path: Path):
    db = tmp_path / "a.db"
    ok(run(db, "add", "甲公司"))
    ok(run(db, "contact", "add", "甲公司", "孙工"))
    ok(run(db, "contact", "add", "甲公司", "沈总"))
    ok(run(db, "contact", "edit", "甲公司", "孙工", "--reports-to", "沈总"))  # 1 reports to 2: forward
    dump = run(db, "dump").stdout
    copy = tmp_path / "b.db"
    ok(run(copy, "load", "-", input=dump))
    assert run(copy, "dump").stdout == dump


def test_a_referral_to_a_later_customer_loads(tmp_path: Path):
    db = tmp_path / "a.db"
    ok(run(db, "add", "甲公司"))
    ok(run(db, "add", "乙公司"))
    ok(run(db, "edit", "甲公司", "--referrer", "乙公司"))  # 1 refers to 2: a forward reference
    dump = run(db, "dump").stdout
    copy = tmp_path / "b.db"
    ok(run(copy, "load", "-", input=dump))
    assert run(copy, "dump").stdout == dump


def test_load_refuses_a_database_that_is_not_empty(book: Path, tmp_path: Path):
    dump = run(book, "dump").stdout
    before = records(book)
    result = run(book, "load", "-", input=dump)
    assert result.exit_code == 1 and "not empty" in result.stderr
    assert records(book) == before


@pytest.mark.parametrize(
    ("damage", "code", "words"),
    [
        (lambda lines: lines[:3] + ["{not json"] + lines[3:], 65, "line 4: not JSON"),
        (lambda lines: lines[:5] + ['{"table": "secrets", "row": {}}'] + lines[5:], 65, "line 6: not a"),
        (lambda lines: [lines[0], lines[1].replace('"name":', '"nom":')] + lines[2:], 65, "no column nom"),
        (
            lambda lines: [lines[0], lines[1].replace('"kind": "company"', '"kind": 7')] + lines[2:],
            65,
            "customer.kind: not a valid value: 7",
        ),
        (
            lambda lines: [lines[0]] + [line for line in lines[1:] if '"table": "customer"' not in line],
            65,
            "line 2, contact.customer_id: no customer with id 1 before this line",
        ),  # contacts of customers that are not there
        (lambda lines: lines[1:], 65, "not a kehu dump"),
        (lambda lines: [lines[0].replace(f'"{HEAD_REVISION}"', '"9999"')] + lines[1:], 78, "newer kehu"),
        # 0010 added tables and columns: a dump from before it holds other records.
        (lambda lines: [lines[0].replace(f'"{HEAD_REVISION}"', '"0009"')] + lines[1:], 65, "dump it again"),
    ],
    ids=["bad-json", "unknown-table", "unknown-column", "bad-value", "missing-parents", "no-header", "newer",
         "older-records"],  # fmt: skip
)
def test_a_damaged_dump_is_refused_and_nothing_is_loaded(book: Path, tmp_path: Path, damage, code, words):
    lines = run(book, "dump").stdout.splitlines()
    target = tmp_path / "target.db"
    ok(run(target, "info"))
    result = run(target, "load", "-", input="\n".join(damage(lines)) + "\n")
    assert result.exit_code == code, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert sum(records(target).values()) == 0


def test_a_dump_from_before_an_index_or_a_wall_loads(book: Path, tmp_path: Path):
    """0011 (indexes) and 0012 (a wall on PostgreSQL) change no record: a dump an older kehu wrote
    at 0010 loads as it is, and dumps again the same but for its header."""
    lines = run(book, "dump").stdout.splitlines()
    older = [lines[0].replace(f'"{HEAD_REVISION}"', '"0010"')] + lines[1:]
    target = tmp_path / "target.db"
    ok(run(target, "load", "-", input="\n".join(older) + "\n"))
    assert run(target, "dump").stdout.splitlines() == lines


def test_missing_file_and_existing_target(book: Path, tmp_path: Path):
    assert run(tmp_path / "x.db", "load", str(tmp_path / "none.jsonl")).exit_code == 66
    existing = tmp_path / "dump.jsonl"
    existing.write_text("keep me")
    result = run(book, "dump", str(existing))
    assert result.exit_code == 73 and existing.read_text() == "keep me"
    ok(run(book, "dump", str(existing), "--force"))
    assert existing.read_text().startswith('{"format": "kehu-dump"')


def test_a_dump_piped_into_load_as_processes(book: Path, tmp_path: Path):
    copy = tmp_path / "piped.db"
    kehu = [sys.executable, "-m", "kehu", "--today", TODAY]
    dump = subprocess.Popen([*kehu, "--db", str(book), "dump"], stdout=subprocess.PIPE)
    load = subprocess.run([*kehu, "--db", str(copy), "load", "-"], stdin=dump.stdout, capture_output=True)
    dump.stdout.close()
    assert dump.wait() == 0 and load.returncode == 0, load.stderr
    assert records(copy) == records(book)
