"""A birthday given without its year (issue 15): kept and shown without one, still reminded,
and no age made up for it; on both backends, through add/edit, import/export and dump/load."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kehu.domain.monthday import MonthDay, age_on, parse_birthday
from tests.helpers import csv_rows, ok, rows


@pytest.fixture
def book(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("contact", "add", "海纳", "张伟", "--birthday", "12-10"))
    ok(kehu("contact", "add", "海纳", "李明", "--birthday", "12月24日", "--birthday-lunar", "yes"))
    ok(kehu("contact", "add", "海纳", "王芳", "--birthday", "1980-12-11"))
    ok(kehu("contact", "add", "海纳", "赵敏", "--birthday", "2-29"))
    return kehu


def contacts(kehu) -> dict[str, dict]:
    return {c["name"]: c for c in json.loads(ok(kehu("contact", "list", "--format", "json")).stdout)}


def test_a_birthday_without_a_year_is_kept_and_shown_without_one(book):
    found = contacts(book)
    assert {name: c["birthday"] for name, c in found.items()} == {
        "张伟": "--12-10", "李明": "--12-24", "王芳": "1980-12-11", "赵敏": "--02-29",
    }  # fmt: skip
    assert found["李明"]["birthday_lunar"] is True
    assert {r["name"]: r["birthday"] for r in csv_rows(book("contact", "list", "--format", "csv"))}[
        "张伟"
    ] == ("--12-10")
    card = ok(book("show", "海纳", "--format", "table", env={"COLUMNS": "160"})).stdout
    assert "12-10" in card and "1980-12-11" in card and "1604" not in card
    ok(book("contact", "edit", "海纳", "张伟", "--birthday", "1975-12-10"))  # the year learnt later
    assert contacts(book)["张伟"]["birthday"] == "1975-12-10"
    ok(book("contact", "edit", "海纳", "张伟", "--birthday", "--12-10"))  # and given up again
    assert contacts(book)["张伟"]["birthday"] == "--12-10"


def test_the_reminder_finds_it_and_tells_an_age_only_when_the_year_is_known(book):
    found = {r["contact"]: r for r in rows(book, "2026-12-10") if r["kind"] == "birthday"}
    assert set(found) == {"张伟"} and found["张伟"]["day"] == "2026-12-10"
    monday = json.loads(ok(book("--today", "2026-12-07", "followups", "week", "--format", "json")).stdout)
    week = {r["contact"]: r["day"] for r in monday if r["kind"] == "birthday"}
    assert week == {"张伟": "2026-12-10", "王芳": "2026-12-11"}
    table = ok(
        book("--today", "2026-12-07", "followups", "week", "--format", "table", env={"COLUMNS": "160"})
    )
    assert "王芳's birthday (turns 46)" in table.stdout
    assert "张伟's birthday" in table.stdout and "张伟's birthday (turns" not in table.stdout
    # 农历十二月廿四 (小年) of lunar year 2026 falls on 2027-01-31; a February 29 on the 28th.
    assert [r["contact"] for r in rows(book, "2027-01-31") if r["kind"] == "birthday"] == ["李明"]
    assert [r["contact"] for r in rows(book, "2027-02-28") if r["kind"] == "birthday"] == ["赵敏"]


def test_export_import_and_dump_load_keep_it_without_a_year(book, tmp_path):
    exported = ok(book("export", "contacts")).stdout
    assert ",--12-10," in exported
    (tmp_path / "contacts.csv").write_text(exported.replace("张伟", "张伟伟"), encoding="utf-8")
    ok(book("import", "contacts", str(tmp_path / "contacts.csv"), "--on-conflict", "update"))
    assert contacts(book)["张伟伟"]["birthday"] == "--12-10"
    for_excel = ok(book("export", "contacts", "--excel")).stdout
    assert ",'--12-10," in for_excel  # text to Excel, not a formula; read back as written
    (tmp_path / "excel.csv").write_text(for_excel, encoding="utf-8")
    checked = ok(book("import", "contacts", str(tmp_path / "excel.csv"), "--dry-run"))
    assert "0 added, 0 updated" in checked.stdout + checked.stderr
    dump = ok(book("dump")).stdout
    assert '"birthday": "--12-10"' in dump and "1604" not in dump
    (tmp_path / "book.jsonl").write_text(dump, encoding="utf-8")
    copy = tmp_path / "copy.db"
    ok(book("--db", str(copy), "load", str(tmp_path / "book.jsonl")))
    again = json.loads(ok(book("--db", str(copy), "contact", "list", "--format", "json")).stdout)
    assert {c["name"]: c["birthday"] for c in again}["张伟伟"] == "--12-10"


@pytest.mark.parametrize("typed", ["13-01", "2-30", "1600-01-01", "生日"])
def test_a_birthday_that_is_no_day_is_refused(kehu, typed):
    ok(kehu("add", "杭州海纳科技"))
    result = kehu("contact", "add", "海纳", "张伟", "--birthday", typed)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_the_month_day_and_the_age():
    assert parse_birthday("１２月１０号") == parse_birthday("--12-10") == MonthDay(12, 10)
    assert parse_birthday("1978年8月15日") == date(1978, 8, 15)
    assert str(MonthDay(2, 29)) == "--02-29"
    assert age_on(date(1980, 12, 11), date(2026, 12, 10)) == 45
    assert age_on(date(1980, 12, 11), date(2026, 12, 11)) == 46
    assert age_on(MonthDay(12, 11), date(2026, 12, 11)) is None
