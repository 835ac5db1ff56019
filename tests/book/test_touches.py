"""The touch rules, called directly (no CLI) on a real book: kehu.book.touches.

`record_touches` is the one write rule; `log` is a batch of one of it and an import a batch of
many, so logging touches one by one and importing them must leave the same book.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from kehu.book import touches
from kehu.domain.fields import TOUCH_FIELDS
from kehu.errors import Ambiguous, NotFound, UsageError
from kehu.io.csv_in import parse_file
from kehu.store.db import Store
from tests.book.conftest import NOW, TODAY, add_customer

WEDNESDAY = TODAY + timedelta(days=2)


def log(store: Store, customer: str, summary: str, today: date = TODAY, **options: Any) -> touches.Logged:
    return touches.log(store, customer, summary, today=today, now=NOW, **options)


def state(store: Store, customer_id: int) -> dict[str, Any]:
    """What a touch moves on a card."""
    query = ("SELECT last_touch_on, last_channel, last_contact_id, next_step_on, next_step, snoozed_until,"
             " next_due FROM customer WHERE id = :id")  # fmt: skip
    with store.read() as connection:
        return dict(connection.execute(query, {"id": customer_id}).one())


def plans(store: Store, customer_id: int) -> list[tuple]:
    """Each visit plan: day, purpose, status, and the summary of the touch that closed it."""
    query = ("SELECT p.planned_on, p.purpose, p.status, t.summary FROM visit_plan p"
             " LEFT JOIN touch t ON t.id = p.touch_id WHERE p.customer_id = :id ORDER BY p.id")  # fmt: skip
    with store.read() as connection:
        return list(connection.execute(query, {"id": customer_id}).tuples())


def plan(store: Store, customer: str, day: date, purpose: str) -> touches.Planned:
    return touches.plan(store, customer, day, purpose, today=TODAY, now=NOW)


def imported(store: Store, csv: str, today: date) -> touches.Recorded:
    """`kehu import touches` without the CLI: parse, check against the book, apply."""
    parsed = parse_file(csv, TOUCH_FIELDS, required=("customer", "happened_on", "summary"), delimiter=",")
    with store.write() as connection:
        checked = touches.plan_import(connection, parsed, today, NOW)
        assert checked.errors == []
        return touches.apply_import(connection, checked, None)


# --- log -------------------------------------------------------------------------------------


def test_log_sets_the_last_touch_and_the_next_due_day_by_the_grade(store):
    add_customer(store, "杭州海纳科技", "B", contacts=("吴晓丽",))
    logged = log(store, "hnkj", "电话沟通报价", channel="电话", contact="吴晓丽")
    assert (logged.customer, logged.next_due, logged.plans_closed) == ("杭州海纳科技", date(2026, 11, 30), [])
    card = state(store, logged.customer_id)
    assert (card["last_touch_on"], card["last_channel"]) == (TODAY, "phone")
    assert card["next_due"] == date(2026, 11, 30)
    assert card["last_contact_id"] is not None
    [touch] = touches.history(store, "杭州海纳科技").touches
    assert (touch["summary"], touch["contact"], touch["id"]) == ("电话沟通报价", "吴晓丽", logged.touch_id)


def test_log_without_channel_or_contact_takes_the_last_touchs(store):
    customer_id = add_customer(store, "杭州海纳科技", contacts=("吴晓丽",))
    log(store, "杭州海纳科技", "第一次", channel="微信", contact="吴晓丽")
    log(store, "杭州海纳科技", "第二次")
    newest = touches.history(store, "杭州海纳科技", limit=1).touches[0]
    assert (newest["summary"], newest["channel"], newest["contact"]) == ("第二次", "wechat", "吴晓丽")
    assert state(store, customer_id)["last_channel"] == "wechat"


def test_next_step_replaces_the_cadence_a_later_touch_keeps_it_and_keep_next_false_ends_it(store):
    customer_id = add_customer(store, "杭州海纳科技", "D")
    logged = log(store, "杭州海纳科技", "要样品", next_step_on=date(2026, 12, 2), next_step="送样品")
    assert logged.next_due == date(2026, 12, 2)
    kept = log(store, "杭州海纳科技", "电话确认地址", today=WEDNESDAY)  # 12-02 still ahead (issue 14)
    assert (kept.next_due, kept.kept_next) == (date(2026, 12, 2), (date(2026, 12, 2), "送样品"))
    ended = log(store, "杭州海纳科技", "样品已送", today=WEDNESDAY, keep_next=False)  # --next ""
    assert (ended.next_due, ended.kept_next) == (WEDNESDAY + timedelta(days=30), None)
    assert state(store, customer_id)["next_step"] is None


def test_a_next_step_on_the_day_of_the_touch_is_not_carried_on(store):
    customer_id = add_customer(store, "杭州海纳科技", "D")
    log(store, "杭州海纳科技", "要样品", next_step_on=WEDNESDAY, next_step="送样品")
    logged = log(store, "杭州海纳科技", "样品已送", today=WEDNESDAY)  # the step is today's: done now
    assert (logged.next_due, logged.kept_next) == (WEDNESDAY + timedelta(days=30), None)
    assert state(store, customer_id)["next_step"] is None


def test_a_touch_filled_in_behind_a_newer_one_gets_no_step_agreed_after_it(store):
    customer_id = add_customer(store, "杭州海纳科技", "D")
    log(store, "杭州海纳科技", "要样品", next_step_on=date(2026, 12, 2), next_step="送样品")
    older = log(store, "杭州海纳科技", "上周的电话补记", happened_on=TODAY - timedelta(days=7))
    assert (older.kept_next, older.next_due) == (None, date(2026, 12, 2))  # the card's step is untouched
    [_newest, filled_in] = touches.history(store, "杭州海纳科技").touches
    assert (filled_in["summary"], filled_in["next_step_on"], filled_in["next_step"]) == (
        "上周的电话补记", None, None)  # fmt: skip
    assert (state(store, customer_id)["next_step_on"], state(store, customer_id)["next_step"]) == (
        date(2026, 12, 2), "送样品")  # fmt: skip


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"happened_on": TODAY + timedelta(days=1)}, "cannot be in the future"),
        ({"next_step_on": TODAY - timedelta(days=1)}, "before the touch itself"),
        ({"channel": "飞鸽传书"}, "unknown value"),
    ],
    ids=["future", "next-before", "channel"],
)
def test_a_refused_log_writes_nothing(store, options, message):
    customer_id = add_customer(store, "杭州海纳科技")
    with pytest.raises(UsageError, match=message):
        log(store, "杭州海纳科技", "电话", **options)
    with pytest.raises(UsageError):
        log(store, "杭州海纳科技", "   ")
    assert touches.history(store, "杭州海纳科技").touches == []
    assert state(store, customer_id)["last_touch_on"] is None


def test_a_customer_or_contact_not_found_is_not_found(store):
    add_customer(store, "杭州海纳科技")
    with pytest.raises(NotFound):
        log(store, "上海某某", "电话")
    with pytest.raises(NotFound):
        log(store, "杭州海纳科技", "电话", contact="不存在")


def test_an_older_touch_leaves_the_last_touch_alone(store):
    customer_id = add_customer(store, "杭州海纳科技")
    log(store, "杭州海纳科技", "今天", channel="电话")
    log(store, "杭州海纳科技", "上周补记", channel="拜访", happened_on=TODAY - timedelta(days=7))
    card = state(store, customer_id)
    assert (card["last_touch_on"], card["last_channel"]) == (TODAY, "phone")


# --- the planned visit of a touch's day ------------------------------------------------------


def test_the_first_touch_on_a_planned_day_closes_every_plan_of_that_day(store):
    customer_id = add_customer(store, "杭州海纳科技")
    plan(store, "杭州海纳科技", WEDNESDAY, "技术交流")
    plan(store, "杭州海纳科技", WEDNESDAY, "送样品")
    plan(store, "杭州海纳科技", WEDNESDAY + timedelta(days=2), "商务谈判")
    log(store, "杭州海纳科技", "电话确认", channel="电话")  # another day: nothing closes
    first = log(store, "杭州海纳科技", "拜访顺利", today=WEDNESDAY, channel="拜访")
    log(store, "杭州海纳科技", "发了纪要", today=WEDNESDAY, channel="微信")
    assert len(first.plans_closed) == 2
    assert plans(store, customer_id) == [
        (WEDNESDAY, "技术交流", "done", "拜访顺利"),
        (WEDNESDAY, "送样品", "done", "拜访顺利"),
        (WEDNESDAY + timedelta(days=2), "商务谈判", "planned", None),
    ]


def test_importing_touches_leaves_the_book_logging_them_one_by_one_would(store):
    """甲 gets its touches by `log`, 乙 the same by import, in the same order: same cards, same
    plans closed by the same touches, same histories, same ids order within a day."""
    day = {name: add_customer(store, name, "B", contacts=("张三",)) for name in ("甲公司", "乙公司")}
    for name in day:
        plan(store, name, TODAY, "送样品")  # missed by Wednesday; the import's 11-23 touch does it
        plan(store, name, WEDNESDAY, "技术交流")
        plan(store, name, WEDNESDAY + timedelta(days=3), "商务谈判")
    rows = [
        (WEDNESDAY, "visit", "张三", "技术交流顺利", date(2026, 11, 30), "报价"),
        (TODAY, "phone", "", "电话约拜访", None, ""),
        (WEDNESDAY, "wechat", "", "发了纪要", None, ""),
        (TODAY - timedelta(days=30), "email", "张三", "上月的邮件", None, ""),
    ]
    for on, channel, contact, summary, next_on, step in rows:
        # keep_next=False: a file's empty next step is none (`log` would keep the one still ahead)
        log(store, "甲公司", summary, today=WEDNESDAY, happened_on=on, channel=channel,
            contact=contact or None, next_step_on=next_on, next_step=step or None,
            keep_next=False)  # fmt: skip
    csv = "customer,date,channel,contact,summary,next date,next step\n" + "".join(
        f"乙公司,{on},{channel},{contact},{summary},{next_on or ''},{step}\n"
        for on, channel, contact, summary, next_on, step in rows
    )
    recorded = imported(store, csv, WEDNESDAY)
    assert len(recorded.plans_closed) == 2

    # `log` remembers the last channel/contact when none is given; the import keeps the file's
    # empty cells: 甲's "发了纪要" has 张三 from the touch before, 乙's has none.
    def comparable(history: list[dict]) -> list[tuple]:
        return [(t["happened_on"], t["channel"], t["summary"], t["next_step_on"], t["next_step"])
                for t in history]  # fmt: skip

    logged, imported_ = (comparable(touches.history(store, name).touches) for name in ("甲公司", "乙公司"))
    assert logged == imported_
    assert (
        plans(store, day["甲公司"])
        == plans(store, day["乙公司"])
        == [
            (TODAY, "送样品", "done", "电话约拜访"),
            (WEDNESDAY, "技术交流", "done", "技术交流顺利"),
            (WEDNESDAY + timedelta(days=3), "商务谈判", "planned", None),
        ]
    )
    a, b = state(store, day["甲公司"]), state(store, day["乙公司"])
    assert {**a, "last_contact_id": None} == {**b, "last_contact_id": None}
    assert (a["last_touch_on"], a["last_channel"], a["next_step_on"], a["next_due"]) == (
        WEDNESDAY, "wechat", None, WEDNESDAY + timedelta(days=7))  # fmt: skip


def test_an_import_checks_every_row_before_anything_is_written(store):
    add_customer(store, "甲公司")
    csv = "customer,date,summary,contact\n甲公司,2026-11-20,电话,\n乙公司,2026-11-20,电话,\n甲公司,2026-11-30,电话,\n甲公司,2026-11-20,电话,李四\n"  # noqa: E501
    parsed = parse_file(csv, TOUCH_FIELDS, required=("customer", "happened_on", "summary"), delimiter=",")
    with store.read() as connection:
        checked = touches.plan_import(connection, parsed, TODAY, NOW)
    assert [error.line for error in checked.errors] == [3, 4, 5]
    assert len(checked.inserts) == 1


def test_record_touches_of_nothing_writes_nothing(store):
    with store.write() as connection:
        assert touches.record_touches(connection, [], None) == touches.Recorded({}, [])


# --- plan, done, snooze, history -------------------------------------------------------------


def test_a_visit_cannot_be_planned_in_the_past(store):
    add_customer(store, "杭州海纳科技")
    with pytest.raises(UsageError, match="in the past"):
        plan(store, "杭州海纳科技", TODAY - timedelta(days=1), "技术交流")


def test_done_logs_the_visit_and_closes_the_plan_it_names(store):
    customer_id = add_customer(store, "杭州海纳科技", contacts=("吴晓丽",))
    first = plan(store, "杭州海纳科技", WEDNESDAY, "技术交流")
    touches.plan(store, "杭州海纳科技", WEDNESDAY + timedelta(days=2), "商务谈判", today=TODAY, now=NOW,
                 contact="吴晓丽")  # fmt: skip
    with pytest.raises(Ambiguous) as refused:
        touches.done(store, "杭州海纳科技", today=TODAY, now=NOW)
    assert len(refused.value.details) == 2
    with pytest.raises(NotFound):
        touches.done(store, "杭州海纳科技", today=TODAY, now=NOW, plan_id=99)
    finished = touches.done(store, "杭州海纳科技", today=TODAY, now=NOW, plan_id=first.plan_id + 1)
    assert finished.plan_id == first.plan_id + 1
    [touch] = touches.history(store, "杭州海纳科技").touches
    assert (touch["id"], touch["channel"], touch["contact"], touch["summary"]) == (
        finished.touch_id, "visit", "吴晓丽", "商务谈判")  # fmt: skip
    assert [p[2] for p in plans(store, customer_id)] == ["planned", "done"]


def test_snooze_moves_the_due_day_until_the_next_touch(store):
    add_customer(store, "杭州海纳科技", "B")
    assert touches.snooze(store, "杭州海纳科技", date(2026, 12, 5)).next_due == date(2026, 12, 5)
    assert log(store, "杭州海纳科技", "来电", today=WEDNESDAY).next_due == WEDNESDAY + timedelta(days=7)


def test_history_is_newest_first_and_limited(store):
    add_customer(store, "杭州海纳科技")
    for days_ago, summary in ((3, "三天前"), (0, "今天"), (1, "昨天")):
        log(store, "杭州海纳科技", summary, happened_on=TODAY - timedelta(days=days_ago))
    past = touches.history(store, "杭州海纳科技", limit=2)
    assert (past.customer, [t["summary"] for t in past.touches]) == ("杭州海纳科技", ["今天", "昨天"])


def test_a_touch_edit_that_changes_nothing_is_refused_and_leaves_the_touch(store):
    customer_id = add_customer(store, "杭州海纳科技", "B")
    logged = log(store, "杭州海纳科技", "电话沟通", next_step_on=WEDNESDAY, next_step="送样品")
    with pytest.raises(UsageError, match="nothing to change"):
        touches.edit_touch(store, logged.touch_id, today=TODAY)
    assert state(store, customer_id)["next_step"] == "送样品"
    edited = touches.edit_touch(store, logged.touch_id, today=TODAY, clear_next=True)  # a change
    assert (edited.next_due, state(store, customer_id)["next_step"]) == (TODAY + timedelta(days=7), None)
