"""Correcting the record (issue 14): visit plans listed, moved and cancelled; a missed visit
that asks to be moved; touches shown with their ids, edited and removed, the due day following;
a quick call that keeps the next step agreed earlier."""

from __future__ import annotations

import json

import pytest

from tests.helpers import csv_rows, ok, rows

TODAY = "2026-11-23"  # a Monday


def card_follow_up(kehu, name: str) -> dict:
    return json.loads(ok(kehu("show", name, "--format", "json")).stdout)["follow_up"]


@pytest.fixture
def book(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("contact", "add", "海纳", "沈国强", "--phone", "13800000001"))
    return kehu


# --- kehu log keeps the next step agreed earlier ---------------------------------------------------


def test_a_quick_call_keeps_the_next_step_still_ahead_and_says_so(book):
    ok(book("log", "海纳", "约了周五送样品", "--next", "周五 送样品"))
    result = ok(book("log", "海纳", "电话确认地址"))
    assert "2026-11-27" in result.stderr and "送样品" in result.stderr
    assert card_follow_up(book, "海纳")["next_step_on"] == "2026-11-27"
    assert card_follow_up(book, "海纳")["next_due"] == "2026-11-27"
    [latest, *_] = csv_rows(book("history", "海纳", "--format", "csv"))
    assert (latest["summary"], latest["next_step_on"], latest["next_step"]) == (
        "电话确认地址",
        "2026-11-27",
        "送样品",
    )


def test_next_empty_clears_the_step_and_the_cadence_takes_over(book):
    ok(book("log", "海纳", "约了周五送样品", "--next", "周五 送样品"))
    result = ok(book("log", "海纳", "客户说样品不用了", "--next", ""))
    assert "送样品" not in result.stderr
    state = card_follow_up(book, "海纳")
    assert state["next_step_on"] is None and state["next_step"] is None
    assert state["next_due"] == "2026-11-30"  # grade B: 7 days after today's touch


def test_a_next_step_already_past_is_not_carried_on(book, on):
    ok(on("2026-11-16", "log", "海纳", "约周三", "--next", "2026-11-18 电话"))
    ok(book("log", "海纳", "补记电话"))
    assert card_follow_up(book, "海纳")["next_step_on"] is None


# --- visit plans ---------------------------------------------------------------------------------


def test_plans_are_listed_moved_and_cancelled_with_a_reason(book):
    ok(book("plan", "海纳", "周三", "--purpose", "送样品", "--contact", "沈国强"))
    ok(book("plan", "海纳", "周五", "--purpose", "技术交流"))
    listed = csv_rows(book("plan", "list", "--format", "csv"))
    assert [(r["id"], r["planned_on"], r["purpose"], r["contact"], r["status"]) for r in listed] == [
        ("1", "2026-11-25", "送样品", "沈国强", "planned"),
        ("2", "2026-11-27", "技术交流", "", "planned")]  # fmt: skip
    assert "moved to 2026-11-30" in ok(book("plan", "move", "1", "下周一")).stderr
    ok(book("plan", "cancel", "2", "--reason", "客户出差"))
    assert [r["id"] for r in csv_rows(book("plan", "list", "海纳", "--format", "csv"))] == ["1"]
    everything = csv_rows(book("plan", "list", "--all", "--format", "csv"))
    assert [(r["id"], r["planned_on"], r["status"], r["cancel_reason"]) for r in everything] == [
        ("2", "2026-11-27", "cancelled", "客户出差"), ("1", "2026-11-30", "planned", "")]  # fmt: skip


def test_a_plan_that_is_gone_or_closed_cannot_change_and_nothing_is_written(book):
    ok(book("plan", "海纳", "周三", "--purpose", "送样品"))
    ok(book("plan", "cancel", "1"))
    for args in (("plan", "move", "1", "周五"), ("plan", "cancel", "1"), ("plan", "move", "9", "周五")):
        result = book(*args)
        assert result.exit_code == 1 and result.stderr.count("kehu:") == 1, result.stderr
    ok(book("plan", "海纳", "周四", "--purpose", "再约"))
    assert book("plan", "move", "2", "上周一").exit_code == 2  # a visit in the past is a log
    assert [r["planned_on"] for r in csv_rows(book("plan", "list", "--format", "csv"))] == ["2026-11-26"]


def test_a_missed_visit_is_missed_for_three_days_then_asks_to_be_moved_or_cancelled(book, on):
    ok(on("2026-11-18", "plan", "海纳", "2026-11-20", "--purpose", "送样品"))
    table = ok(book("followups", "--format", "table", env={"COLUMNS": "200"})).stdout
    assert "missed 3 days ago" in table and "visit: 送样品" in table and "kehu plan move" not in table
    later = ok(on("2026-11-24", "followups", "--format", "table", env={"COLUMNS": "200"})).stdout
    assert "missed 4 days ago" in later and "kehu plan move 1 WHEN, or kehu plan cancel 1" in later
    ok(on("2026-11-24", "plan", "move", "1", "周五"))
    assert [r for r in rows(lambda *a: on("2026-11-24", *a), "today") if r["kind"] == "plan"] == []


def test_done_takes_the_one_plan_of_today_among_several(book):
    ok(book("plan", "海纳", "今天", "--purpose", "送样品"))
    ok(book("plan", "海纳", "周五", "--purpose", "技术交流"))
    ok(book("done", "海纳", "样品已送到"))
    left = csv_rows(book("plan", "list", "--format", "csv"))
    assert [r["purpose"] for r in left] == ["技术交流"]
    ok(book("plan", "海纳", "周四", "--purpose", "报价"))
    assert book("done", "海纳").exit_code == 1  # none today, two open: which one must be said


# --- touches corrected ---------------------------------------------------------------------------


def test_history_shows_each_touch_id_and_its_next_step(book):
    ok(book("log", "海纳", "电话沟通", "--next", "周五 送样品"))
    [touch] = csv_rows(book("history", "海纳", "--format", "csv"))
    assert touch["id"] == "1" and touch["next_step"] == "送样品"
    table = ok(book("history", "海纳", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert "送样品" in table and "│ 1 │" in table.replace("│1 │", "│ 1 │")


def test_editing_a_touch_recomputes_the_due_day(book, on):
    ok(on("2026-11-20", "log", "海纳", "电话沟通"))
    assert card_follow_up(book, "海纳")["next_due"] == "2026-11-27"
    ok(book("touch", "edit", "1", "--date", "2026-11-16", "--summary", "电话沟通报价", "--channel", "微信"))
    [touch] = csv_rows(book("history", "海纳", "--format", "csv"))
    assert (touch["happened_on"], touch["summary"], touch["channel"]) == (
        "2026-11-16",
        "电话沟通报价",
        "wechat",
    )
    state = card_follow_up(book, "海纳")
    assert (state["last_touch_on"], state["last_channel"], state["next_due"]) == (
        "2026-11-16",
        "wechat",
        "2026-11-23",
    )
    ok(book("touch", "edit", "1", "--next", "周三 送样品"))
    assert card_follow_up(book, "海纳")["next_due"] == "2026-11-25"
    ok(book("touch", "edit", "1", "--next", ""))
    assert card_follow_up(book, "海纳")["next_due"] == "2026-11-23"


def test_removing_a_touch_makes_the_one_before_the_last_again(book, on):
    ok(on("2026-11-10", "log", "海纳", "第一次", "--channel", "拜访"))
    ok(on("2026-11-20", "log", "海纳", "第二次", "--channel", "电话", "--next", "2026-11-26 报价"))
    ok(book("touch", "remove", "2"))
    state = card_follow_up(book, "海纳")
    assert (state["last_touch_on"], state["last_channel"], state["next_step"]) == (
        "2026-11-10",
        "visit",
        None,
    )
    assert state["next_due"] == "2026-11-17"
    ok(book("touch", "remove", "1"))
    state = card_follow_up(book, "海纳")
    assert state["last_touch_on"] is None and state["next_due"] == "2026-11-23"  # due from the day added


def test_a_bad_correction_is_refused_and_changes_nothing(book):
    ok(book("log", "海纳", "电话沟通"))
    assert book("touch", "edit", "1", "--date", "2027-01-01").exit_code == 2
    assert book("touch", "edit", "1", "--summary", " ").exit_code == 2
    assert book("touch", "edit", "1", "--contact", "没有这个人").exit_code == 1
    assert book("touch", "edit", "7", "--summary", "x").exit_code == 1
    assert book("touch", "remove", "7").exit_code == 1
    [touch] = csv_rows(book("history", "海纳", "--format", "csv"))
    assert (touch["summary"], touch["happened_on"]) == ("电话沟通", TODAY)
