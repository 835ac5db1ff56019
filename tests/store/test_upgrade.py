"""A customer book from before follow-ups (schema 0001) is upgraded on first use, due dates included.

Revision 0002 adds the follow-up tables and columns and sets each customer's stored next due date
(never touched: due from the day the card was added; grade E: never), which `kehu check`
recomputes from scratch, so the two must agree.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kehu.domain.names import name_key, pinyin_forms
from kehu.store.migrate import run_alembic_upgrade
from kehu.store.schema import HEAD_REVISION

CHINA_TZ = "CST-8"  # POSIX spelling of UTC+8 (China Standard Time): needs no tz database


@pytest.fixture
def china_time():
    """Run in-process commands with the local time zone of China, whatever the host's is."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = CHINA_TZ
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def make_0001_book(path: Path, created_at: str) -> None:
    """A database at schema revision 0001 with a grade B and a grade E customer."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        run_alembic_upgrade(connection, "0001")
        for number, (name, grade) in enumerate([("杭州海纳科技", "B"), ("死亡客户公司", "E")], start=1):
            full, initials = pinyin_forms(name)
            connection.execute(
                text(
                    "INSERT INTO customer (id, name, name_key, pinyin_full, pinyin_initials, kind,"
                    " grade, currency, created_at, updated_at) VALUES (:id, :name, :key, :full,"
                    " :initials, 'company', :grade, 'CNY', :created, :created)"
                ),
                {
                    "id": number,
                    "name": name,
                    "key": name_key(name),
                    "full": full,
                    "initials": initials,
                    "grade": grade,
                    "created": created_at,
                },  # fmt: skip
            )
    engine.dispose()


def revision(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        found = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    connection.close()
    return found


def test_a_0001_book_is_upgraded_and_its_customers_are_due_from_the_day_they_were_added(
    kehu, db_path, china_time
):
    make_0001_book(db_path, "2026-11-01 08:00:00")  # 16:00 in China, the same day
    assert revision(db_path) == "0001"

    result = kehu("followups", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert revision(db_path) == HEAD_REVISION  # 0002 (follow-ups) and 0003 (funnel) both applied
    with sqlite3.connect(db_path) as connection:
        funnel = connection.execute("SELECT DISTINCT pipeline, stage, status FROM customer").fetchall()
    assert funnel == [("key-account", "analyse", "open")]
    rows = json.loads(result.stdout)
    assert [(r["kind"], r["customer"], r["grade"], r["day"], r["days_overdue"]) for r in rows] == [
        ("overdue", "杭州海纳科技", "B", "2026-11-01", 22)
    ]
    assert rows[0]["last_touch_on"] is None
    assert result.stderr.endswith("1 overdue, 0 due, 0 planned visits, 0 birthdays, 0 to collect\n")

    check = kehu("check")
    assert check.exit_code == 0, check.stderr
    assert "ok: integrity, foreign keys and due dates all hold" in check.stderr


def test_the_upgraded_book_takes_part_in_the_daily_loop(kehu, db_path, china_time):
    make_0001_book(db_path, "2026-11-01 08:00:00")
    assert kehu("log", "hnkj", "电话沟通报价", "--channel", "电话").exit_code == 0
    history = json.loads(kehu("history", "杭州海纳科技", "--format", "json").stdout)
    assert [(t["happened_on"], t["channel"], t["summary"]) for t in history] == [
        ("2026-11-23", "phone", "电话沟通报价")
    ]
    assert json.loads(kehu("followups", "--format", "json").stdout) == []
    [row] = json.loads(kehu("followups", "2026-11-30", "--format", "json").stdout)
    assert (row["customer"], row["day"]) == ("杭州海纳科技", "2026-11-30")
    assert kehu("grade", "死亡客户公司", "D", "--reason", "重新有需求").exit_code == 0
    due = json.loads(kehu("followups", "--format", "json").stdout)
    assert [(r["customer"], r["day"]) for r in due] == [("死亡客户公司", "2026-11-01")]
    assert kehu("check").exit_code == 0


def test_the_upgrade_agrees_with_check_for_a_card_added_early_in_the_morning_in_china(
    kehu, db_path, china_time
):
    make_0001_book(db_path, "2026-11-01 20:00:00")  # 04:00 on 2026-11-02 in China
    [row] = json.loads(kehu("followups", "2026-11-23", "--format", "json").stdout)
    check = kehu("check")
    assert check.exit_code == 0, check.stderr
    assert row["day"] == "2026-11-02"
