"""Correcting the record (issue 14), the corners of `kehu touch remove` and `kehu log`: a removed
touch gives back the visit it had marked done; a touch filled in behind a newer one keeps the
card's step without copying it."""

from __future__ import annotations

import json

import pytest

from tests.helpers import csv_rows, ok

TODAY = "2026-11-23"  # a Monday


def plans(kehu) -> list[tuple[str, str, str]]:
    found = csv_rows(kehu("plan", "list", "--all", "--format", "csv"))
    return [(p["id"], p["planned_on"], p["status"]) for p in found]


@pytest.fixture
def book(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("add", "苏州恒瑞精密机械", "--grade", "B"))
    return kehu


def test_removing_the_touch_of_kehu_done_opens_its_visit_again(book):
    ok(book("plan", "海纳", TODAY, "--purpose", "技术交流"))
    ok(book("done", "海纳", "技术交流顺利"))
    [touch] = csv_rows(book("history", "海纳", "--format", "csv"))
    assert plans(book) == [("1", TODAY, "done")]
    result = ok(book("touch", "remove", touch["id"]))
    assert "1" in result.stderr and "plan list" in result.stderr
    assert plans(book) == [("1", TODAY, "planned")]
    ok(book("done", "海纳", "这次真的去了"))  # done again, as if never done
    assert plans(book) == [("1", TODAY, "done")]


def test_removing_a_touch_that_did_no_visit_leaves_the_plans_alone(book, on):
    ok(on("2026-11-16", "plan", "海纳", "2026-11-18", "--purpose", "送样品"))
    ok(on("2026-11-18", "log", "海纳", "送了样品"))  # the day's touch does the visit
    ok(book("log", "海纳", "电话回访"))
    assert plans(book) == [("1", "2026-11-18", "done")]
    newest = csv_rows(book("history", "海纳", "--format", "csv"))[0]
    assert newest["summary"] == "电话回访"
    result = ok(book("touch", "remove", newest["id"]))
    assert "plan list" not in result.stderr
    assert plans(book) == [("1", "2026-11-18", "done")]


def test_a_seller_filling_in_last_weeks_call_keeps_the_step_on_the_newer_touch_only(book, on):
    ok(on("2026-11-20", "log", "海纳", "约了送样品", "--next", "2026-11-27 送样品"))
    result = ok(book("log", "海纳", "上周一的电话补记", "--date", "2026-11-16"))
    assert "送样品" not in result.stderr  # nothing is carried: the step was agreed after this call
    newer, filled_in = csv_rows(book("history", "海纳", "--format", "csv"))
    assert (newer["next_step_on"], newer["next_step"]) == ("2026-11-27", "送样品")
    assert (filled_in["summary"], filled_in["next_step_on"], filled_in["next_step"]) == (
        "上周一的电话补记", "", "")  # fmt: skip
    card = json.loads(ok(book("show", "海纳", "--format", "json")).stdout)["follow_up"]
    assert (card["next_step_on"], card["next_due"]) == ("2026-11-27", "2026-11-27")


def test_a_visit_logged_a_day_late_is_done_once_its_date_is_corrected(book, on):
    ok(on("2026-11-19", "plan", "海纳", "2026-11-20", "--purpose", "送样品"))
    ok(book("log", "海纳", "周五去送了样品", "--channel", "拜访"))  # forgot --date 11-20
    assert plans(book) == [("1", "2026-11-20", "planned")]  # missed, as far as the book knows
    [touch] = csv_rows(book("history", "海纳", "--format", "csv"))
    ok(book("touch", "edit", touch["id"], "--date", "2026-11-20"))
    assert plans(book) == [("1", "2026-11-20", "done")]
    ok(book("touch", "edit", touch["id"], "--date", "2026-11-21"))  # not that day after all
    assert plans(book) == [("1", "2026-11-20", "planned")]


def test_a_touch_moved_off_a_visit_day_leaves_the_visit_to_that_days_other_touch(book, on):
    ok(on("2026-11-19", "plan", "海纳", "2026-11-20", "--purpose", "送样品"))
    ok(on("2026-11-20", "log", "海纳", "上午电话"))  # does the visit: the day's first touch
    ok(on("2026-11-20", "log", "海纳", "下午拜访", "--channel", "拜访"))
    morning = csv_rows(book("history", "海纳", "--format", "csv"))[1]
    assert morning["summary"] == "上午电话"
    ok(book("touch", "edit", morning["id"], "--date", "2026-11-19"))
    assert plans(book) == [("1", "2026-11-20", "done")]
    ok(book("touch", "remove", str(int(morning["id"]) + 1)))  # the afternoon's visit goes too
    assert plans(book) == [("1", "2026-11-20", "planned")]
