"""The Python API (`import kehu`): the same use cases as the commands, on a real book."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

import kehu
from kehu import open_book
from kehu.errors import NotFound, UsageError
from tests.book.conftest import add_customer


def test_import_kehu_loads_no_database_stack():
    code = "import sys, kehu; print([m for m in ('sqlalchemy', 'kehu.book', 'typer') if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout == "[]\n"


def test_a_book_lists_whom_to_call_logs_plans_and_reads_history(store, target_db):
    for name, grade in (("杭州海纳科技", "A"), ("苏州恒瑞精密", "B"), ("温州瓯江阀门", "A")):
        add_customer(store, name, grade)  # added 2026-11-23: due that day
    with kehu.open_book(target_db, today="2026-11-25") as book:
        assert book.today == date(2026, 11, 25)
        due = book.due("week", grade="A")
        assert {(r["customer"], r["kind"], r["days_overdue"]) for r in due} == {
            ("杭州海纳科技", "overdue", 2), ("温州瓯江阀门", "overdue", 2)}  # fmt: skip
        assert len(book.due("today", grade="A", limit=1)) == 1
        assert [r["customer"] for r in book.due(date(2026, 11, 24), grade="B")] == ["苏州恒瑞精密"]

        logged = book.log(due[0]["customer_id"], "电话沟通报价", channel="电话", next_on="下周一",
                          next_step="报价")  # fmt: skip
        assert logged.next_due == date(2026, 11, 30)
        assert logged.customer not in {r["customer"] for r in book.due("week")}

        planned = book.plan("苏州恒瑞", "周五", "技术交流", people="李娜")
        assert planned.planned_on == date(2026, 11, 27)
        assert book.snooze("温州", "12-05").next_due == date(2026, 12, 5)
        [touch] = book.history(logged.customer).touches
        assert (touch["summary"], touch["channel"], touch["next_step"]) == ("电话沟通报价", "phone", "报价")

        with pytest.raises(UsageError, match="cannot read date"):
            book.log("苏州恒瑞", "电话", on="某天")
        with pytest.raises(UsageError, match="grade"):
            book.due(grade="Z")
        with pytest.raises(NotFound):
            book.history("不存在的公司")
        assert len(book.store._idle) == 1  # one connection kept between the calls
    assert book.store._idle == []  # the with block closed the book


def test_book_due_gives_the_rows_kehu_followups_prints(store, target_db, kehu):
    """`kehu` here is the fixture that runs the command line on the same book."""
    for name, grade in (("杭州海纳科技", "A"), ("苏州恒瑞精密", "B"), ("温州瓯江阀门", "C"), ("长沙", None)):
        add_customer(store, name, grade)
    with open_book(target_db, today="2026-11-23") as book:
        book.log("苏州恒瑞", "电话", on="2026-11-16")  # B: due again today
        book.log("温州", "电话", next_on="2026-11-26", next_step="报价")
        listed = book.due("week")
    printed = json.loads(kehu("followups", "week", "--format", "json").stdout)
    # JSON writes dates as ISO text and the score (without --explain, alone) as its digits.
    as_json = [{k: v.isoformat() if isinstance(v, date) else str(v) if k == "score" else v
                for k, v in r.items() if not k.startswith("score_")} for r in listed]  # fmt: skip
    assert {r["customer"] for r in as_json} == {"杭州海纳科技", "苏州恒瑞精密", "温州瓯江阀门", "长沙"}
    assert as_json == [r for r in printed if r["kind"] in ("overdue", "due")]


def test_a_book_adds_edits_moves_and_collects_with_sqlmodel_records(target_db):
    """Cards come back as the SQLModel `Customer` (the schema's own class); the funnel and the
    money go through the same use cases as `kehu advance`, `won` and `pay`."""
    from decimal import Decimal

    from kehu.errors import Conflict
    from kehu.store.models import Customer

    with kehu.open_book(target_db, today="2026-11-23") as book:
        card = book.add("杭州海纳科技", grade="B", expected_value=Decimal("500000"), region="浙江杭州")
        assert isinstance(card, Customer)
        assert (card.name, card.grade, card.expected_value, card.pinyin_initials) == (
            "杭州海纳科技", "B", Decimal("500000.00"), "hzhnkj")  # fmt: skip
        assert card.next_due == date(2026, 11, 23) and card.created_at.tzinfo is not None
        with pytest.raises(Conflict):
            book.add("杭州海纳科技 ")  # the same name, as kehu add would refuse it
        with pytest.raises(UsageError):
            book.add("  ")
        edited = book.edit("hzhn", grade="A", phone="0571-88886666")
        assert (edited.grade, edited.phone) == ("A", "0571-88886666")
        assert book.customer(card.id).grade == "A"

        first_stage = book.customer(card.id).stage
        moved = book.advance(card.id, evidence="需求已确认")
        assert book.customer(card.id).stage != first_stage and moved is not None
        book.won(card.id, value="50万")
        assert (book.customer(card.id).status, book.customer(card.id).won_value) == (
            "won",
            Decimal("500000.00"),
        )
        book.reopen(card.id)
        book.lost(card.id, "价格")
        assert book.customer(card.id).status == "lost"


def test_a_book_corrects_the_record_plans_moved_and_cancelled_touches_edited_and_removed(store, target_db):
    add_customer(store, "杭州海纳科技", "B")
    with kehu.open_book(target_db, today="2026-11-23") as book:
        first = book.plan("海纳", "周三", "送样品")
        second = book.plan("海纳", "周五", "技术交流")
        assert book.move_plan(first.plan_id, "下周一").planned_on == date(2026, 11, 30)
        assert book.cancel_plan(second.plan_id, "客户出差").status == "cancelled"
        assert [(p["purpose"], p["status"]) for p in book.plans("海纳")] == [("送样品", "planned")]
        assert len(book.plans(everything=True)) == 2
        logged = book.log("海纳", "电话沟通")
        assert book.edit_touch(logged.touch_id, next_step_on="周四", next_step="报价").next_due == date(
            2026, 11, 26
        )
        assert book.remove_touch(logged.touch_id).next_due == date(2026, 11, 23)  # due from the day added
        with pytest.raises(NotFound):
            book.remove_touch(logged.touch_id)
