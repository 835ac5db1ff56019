"""The daily follow-up loop through the real CLI: `kehu log`, `plan`, `done`, `history`, `snooze`.

Due dates are read back the way a script would: the JSON rows of `kehu followups DAY`, which
list every customer due on or before DAY with its due date in `day`.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.helpers import ok, rows

TODAY = "2026-11-23"  # a Monday; the conftest's `kehu` fixture acts on this day


def due_rows(kehu, day: str) -> dict[str, dict]:
    """Customer name → its overdue/due row in `kehu followups DAY`."""
    return {r["customer"]: r for r in rows(kehu, day) if r["kind"] in ("overdue", "due")}


def history(kehu, customer: str) -> list[dict]:
    result = ok(kehu("history", customer, "--format", "json"))
    return json.loads(result.stdout)


def shifted(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


# --- log: last touch and next due ------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade_args", "due"),
    [
        (["--grade", "A"], "2026-11-24"),
        (["--grade", "B"], "2026-11-30"),
        (["--grade", "C"], "2026-12-08"),
        (["--grade", "D"], "2026-12-23"),
        ([], "2026-12-23"),  # ungraded is followed up like D
    ],
    ids=["A", "B", "C", "D", "ungraded"],
)
def test_log_sets_last_touch_and_next_due_by_the_grades_cadence(kehu, grade_args, due):
    ok(kehu("add", "杭州海纳科技", *grade_args))
    assert due_rows(kehu, TODAY)["杭州海纳科技"]["day"] == TODAY  # never touched: due from today

    result = ok(kehu("log", "杭州海纳科技", "电话沟通报价", "--channel", "电话"))
    assert f"next due {due}" in result.stderr

    assert "杭州海纳科技" not in due_rows(kehu, shifted(due, -1))
    row = due_rows(kehu, due)["杭州海纳科技"]
    assert (row["kind"], row["day"], row["days_overdue"]) == ("due", due, 0)
    assert (row["last_touch_on"], row["last_channel"]) == (TODAY, "phone")


def test_log_of_a_grade_e_customer_makes_it_never_due(kehu):
    ok(kehu("add", "死亡客户公司", "--grade", "E"))
    result = ok(kehu("log", "死亡客户公司", "对方已选别家", "--channel", "电话"))
    assert "never (grade E)" in result.stderr
    assert "死亡客户公司" not in due_rows(kehu, "2027-12-31")


def test_log_next_sets_the_due_date_and_the_next_step(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "D"))
    result = ok(
        kehu("log", "hnkj", "电话沟通报价，对方要样品", "--channel", "电话", "--next", "下周三 送样品")
    )
    assert "--next: 2026-12-02 送样品" in result.stderr
    assert "next due 2026-12-02" in result.stderr

    assert "杭州海纳科技" not in due_rows(kehu, "2026-12-01")
    row = due_rows(kehu, "2026-12-02")["杭州海纳科技"]
    assert (row["kind"], row["day"], row["next_step"]) == ("due", "2026-12-02", "送样品")
    [touch] = history(kehu, "hnkj")
    assert (touch["next_step_on"], touch["next_step"]) == ("2026-12-02", "送样品")


def test_a_later_log_keeps_the_step_ahead_and_next_empty_goes_back_to_the_cadence(kehu, on):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("log", "杭州海纳科技", "报价", "--next", "下周三 送样品"))
    ok(on("2026-11-25", "log", "杭州海纳科技", "又打了电话"))  # 12-02 is still ahead: kept (issue 14)
    row = due_rows(kehu, "2026-12-02")["杭州海纳科技"]
    assert (row["day"], row["next_step"]) == ("2026-12-02", "送样品")
    ok(on("2026-11-26", "log", "杭州海纳科技", "样品不要了", "--next", ""))
    row = due_rows(kehu, "2026-12-03")["杭州海纳科技"]
    assert (row["day"], row["next_step"]) == ("2026-12-03", None)  # 11-26 + 7 days, no step
    assert "杭州海纳科技" not in due_rows(kehu, "2026-12-02")


@pytest.mark.parametrize("text", ["送样品", "回头 送样品"])
def test_log_next_without_a_date_exits_2_and_logs_nothing(kehu, text):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    result = kehu("log", "杭州海纳科技", "电话沟通", "--next", text)
    assert result.exit_code == 2
    assert "--next" in result.stderr
    assert kehu("history", "杭州海纳科技", "--format", "json").stdout == "[]\n"
    assert due_rows(kehu, TODAY)["杭州海纳科技"]["last_touch_on"] is None


def test_log_next_before_the_touch_exits_2(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    result = kehu("log", "杭州海纳科技", "电话沟通", "--next", "昨天 送样品")
    assert result.exit_code == 2
    assert "before the touch" in result.stderr


def test_log_date_yesterday_counts_the_cadence_from_yesterday(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    result = ok(kehu("log", "杭州海纳科技", "昨天去拜访了", "--channel", "拜访", "--date", "昨天"))
    assert "--date: 2026-11-22" in result.stderr
    assert "next due 2026-11-29" in result.stderr
    [touch] = history(kehu, "杭州海纳科技")
    assert (touch["happened_on"], touch["channel"]) == ("2026-11-22", "visit")
    row = due_rows(kehu, "2026-11-29")["杭州海纳科技"]
    assert (row["day"], row["last_touch_on"]) == ("2026-11-29", "2026-11-22")


@pytest.mark.parametrize("when", ["明天", "2026-11-24", "下周一"])
def test_log_date_in_the_future_exits_2_and_logs_nothing(kehu, when):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    result = kehu("log", "杭州海纳科技", "电话沟通", "--date", when)
    assert result.exit_code == 2
    assert "cannot be in the future" in result.stderr
    assert kehu("history", "杭州海纳科技", "--format", "json").stdout == "[]\n"


def test_log_unreadable_date_exits_2(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    result = kehu("log", "杭州海纳科技", "电话沟通", "--date", "前些天")
    assert result.exit_code == 2
    assert "cannot read date" in result.stderr


def test_an_older_log_does_not_move_the_last_touch_back(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("log", "杭州海纳科技", "今天电话", "--channel", "电话"))
    ok(kehu("log", "杭州海纳科技", "补记上周的拜访", "--channel", "拜访", "--date", "2026-11-16"))
    row = due_rows(kehu, "2026-11-30")["杭州海纳科技"]
    assert (row["day"], row["last_touch_on"], row["last_channel"]) == ("2026-11-30", TODAY, "phone")


# --- channel and contact ---------------------------------------------------------------------


def test_channel_and_contact_are_remembered_from_the_last_touch(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("contact", "add", "杭州海纳科技", "张伟", "--title", "采购经理"))
    ok(kehu("contact", "add", "杭州海纳科技", "吴晓丽", "--title", "技术总监"))
    ok(kehu("log", "杭州海纳科技", "加了微信，发了资料", "--channel", "微信", "--contact", "张伟",
            "--date", "2026-11-20"))  # fmt: skip
    ok(kehu("log", "杭州海纳科技", "微信上问了报价", "--date", "2026-11-21"))
    ok(kehu("log", "杭州海纳科技", "电话约了技术交流", "--channel", "phone", "--contact", "吴晓丽"))
    ok(kehu("log", "杭州海纳科技", "确认了时间"))
    assert [(t["happened_on"], t["channel"], t["contact"]) for t in history(kehu, "杭州海纳科技")] == [
        (TODAY, "phone", "吴晓丽"),
        (TODAY, "phone", "吴晓丽"),
        ("2026-11-21", "wechat", "张伟"),
        ("2026-11-20", "wechat", "张伟"),
    ]


def test_the_first_log_without_channel_or_contact_leaves_them_empty(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("log", "杭州海纳科技", "第一次联系"))
    [touch] = history(kehu, "杭州海纳科技")
    assert (touch["channel"], touch["contact"]) == (None, None)


@pytest.mark.parametrize("channel", ["飞鸽传书", "carrier pigeon"])
def test_an_unknown_channel_exits_2_and_logs_nothing(kehu, channel):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    result = kehu("log", "杭州海纳科技", "电话沟通", "--channel", channel)
    assert result.exit_code == 2
    assert "--channel" in result.stderr
    assert kehu("history", "杭州海纳科技", "--format", "json").stdout == "[]\n"


def test_an_unknown_contact_exits_1_and_logs_nothing(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    result = kehu("log", "杭州海纳科技", "电话沟通", "--contact", "不存在的人")
    assert result.exit_code == 1
    assert kehu("history", "杭州海纳科技", "--format", "json").stdout == "[]\n"


def test_an_empty_summary_exits_2(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    assert kehu("log", "杭州海纳科技", "   ").exit_code == 2


# --- history ---------------------------------------------------------------------------------


def test_history_is_newest_first(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("log", "杭州海纳科技", "第二次", "--date", "2026-11-18"))
    ok(kehu("log", "杭州海纳科技", "第四次"))
    ok(kehu("log", "杭州海纳科技", "第一次", "--date", "2026-11-02"))
    ok(kehu("log", "杭州海纳科技", "第三次", "--date", "2026-11-20", "--outcome", "要样品"))
    ok(kehu("log", "杭州海纳科技", "第五次"))  # same day: the later log first
    touches = history(kehu, "杭州海纳科技")
    assert [t["summary"] for t in touches] == ["第五次", "第四次", "第三次", "第二次", "第一次"]
    assert touches[2]["outcome"] == "要样品"
    limited = ok(kehu("history", "杭州海纳科技", "--limit", "2", "--format", "csv"))
    assert [line.split(",")[4] for line in limited.stdout.splitlines()[1:]] == ["第五次", "第四次"]


def test_history_of_a_customer_never_touched_says_so(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    result = ok(kehu("history", "杭州海纳科技", "--format", "json"))
    assert result.stdout == "[]\n"
    assert "no touches with 杭州海纳科技 yet" in result.stderr


# --- plans and done --------------------------------------------------------------------------


def test_a_planned_visit_shows_on_its_day_and_a_log_that_day_marks_it_done(kehu, on):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("log", "杭州海纳科技", "电话约拜访"))  # due 11-30, so only the plan shows on 11-25
    result = ok(kehu("plan", "杭州海纳科技", "周三", "--purpose", "技术交流"))
    assert "on 2026-11-25" in result.stderr
    assert [(r["kind"], r["day"], r["note"]) for r in rows(kehu, "周三")] == [
        ("plan", "2026-11-25", "技术交流")
    ]
    assert rows(kehu, "周二") == []
    assert rows(kehu, "周四") == []

    ok(on("2026-11-25", "log", "杭州海纳科技", "技术交流顺利", "--channel", "拜访"))
    assert rows(kehu, "周三") == []
    done = on("2026-11-25", "done", "杭州海纳科技")
    assert done.exit_code == 1
    assert "no open visit plan" in done.stderr
    assert [t["summary"] for t in history(kehu, "杭州海纳科技")] == ["技术交流顺利", "电话约拜访"]


def test_a_log_on_another_day_leaves_the_plan_open(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("plan", "杭州海纳科技", "周三", "--purpose", "技术交流"))
    ok(kehu("log", "杭州海纳科技", "电话确认拜访时间"))
    assert [r["kind"] for r in rows(kehu, "周三")] == ["plan"]


def test_done_with_one_open_plan_logs_a_visit(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("contact", "add", "杭州海纳科技", "吴晓丽"))
    ok(kehu("plan", "杭州海纳科技", "周三", "--purpose", "技术交流", "--contact", "吴晓丽"))
    result = ok(kehu("done", "hnkj", "看了样品，下周报价", "--next", "下周一 报价"))
    assert "visit plan 1 done" in result.stderr
    [touch] = history(kehu, "杭州海纳科技")
    assert (touch["happened_on"], touch["channel"], touch["contact"], touch["summary"]) == (
        TODAY, "visit", "吴晓丽", "看了样品，下周报价",
    )  # fmt: skip
    assert (touch["next_step_on"], touch["next_step"]) == ("2026-11-30", "报价")
    assert rows(kehu, "周三") == []  # the plan is no longer open
    row = due_rows(kehu, "2026-11-30")["杭州海纳科技"]
    assert (row["day"], row["next_step"], row["last_channel"]) == ("2026-11-30", "报价", "visit")


def test_done_without_a_summary_logs_the_purpose(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("plan", "杭州海纳科技", "今天", "--purpose", "送样品"))
    ok(kehu("done", "杭州海纳科技"))
    assert [t["summary"] for t in history(kehu, "杭州海纳科技")] == ["送样品"]


def test_done_with_two_open_plans_exits_1_listing_them(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("plan", "杭州海纳科技", "周三", "--purpose", "技术交流"))
    ok(kehu("plan", "杭州海纳科技", "周五", "--purpose", "商务谈判"))
    result = kehu("done", "杭州海纳科技")
    assert result.exit_code == 1
    assert "2 open plans; pick one with --plan" in result.stderr
    assert "1\t2026-11-25\t技术交流" in result.stderr
    assert "2\t2026-11-27\t商务谈判" in result.stderr
    assert kehu("history", "杭州海纳科技", "--format", "json").stdout == "[]\n"

    ok(kehu("done", "杭州海纳科技", "谈了价格", "--plan", "2"))  # the one listed as 2
    assert [t["summary"] for t in history(kehu, "杭州海纳科技")] == ["谈了价格"]
    assert [(r["kind"], r["note"]) for r in rows(kehu, "周三")] == [("plan", "技术交流")]
    assert [r for r in rows(kehu, "周五") if r["kind"] == "plan"] == []


def test_done_next_before_the_touch_exits_2_like_log(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("plan", "杭州海纳科技", "周三", "--purpose", "技术交流"))
    result = kehu("done", "杭州海纳科技", "--next", "昨天 报价")
    assert result.exit_code == 2
    assert kehu("history", "杭州海纳科技", "--format", "json").stdout == "[]\n"


def test_done_for_a_customer_without_plans_exits_1(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    result = kehu("done", "杭州海纳科技")
    assert result.exit_code == 1
    assert "no open visit plan" in result.stderr


# --- snooze ----------------------------------------------------------------------------------


def test_snooze_moves_the_due_date_until_the_next_log(kehu, on):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("log", "杭州海纳科技", "电话沟通", "--channel", "电话"))  # due 11-30
    result = ok(kehu("snooze", "杭州海纳科技", "12-05"))
    assert "next due 2026-12-05" in result.stderr
    assert "杭州海纳科技" not in due_rows(kehu, "2026-12-04")
    row = due_rows(kehu, "2026-12-05")["杭州海纳科技"]
    assert (row["day"], row["last_touch_on"]) == ("2026-12-05", TODAY)  # no touch was logged
    assert len(history(kehu, "杭州海纳科技")) == 1

    result = ok(on("2026-11-25", "log", "杭州海纳科技", "对方主动来电"))
    assert "next due 2026-12-02" in result.stderr  # the cadence again: the snooze ended
    assert due_rows(kehu, "2026-12-02")["杭州海纳科技"]["day"] == "2026-12-02"
    assert "杭州海纳科技" not in due_rows(kehu, "2026-12-01")


def test_snooze_can_bring_a_due_date_forward_and_wake_a_grade_e_customer(kehu):
    ok(kehu("add", "死亡客户公司", "--grade", "E"))
    assert "死亡客户公司" not in due_rows(kehu, "2027-12-31")
    ok(kehu("snooze", "死亡客户公司", "下周一"))
    assert due_rows(kehu, "2027-12-31")["死亡客户公司"]["day"] == "2026-11-30"


def test_snooze_with_an_unreadable_date_exits_2(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    assert kehu("snooze", "杭州海纳科技", "以后再说").exit_code == 2
    assert due_rows(kehu, TODAY)["杭州海纳科技"]["day"] == TODAY


def test_a_visit_cannot_be_planned_in_the_past(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    result = kehu("plan", "杭州海纳科技", "昨天", "--purpose", "技术交流")
    assert result.exit_code == 2
    assert "cannot be planned in the past (2026-11-22)" in result.stderr


def test_done_with_a_plan_id_that_is_not_the_customers_says_so(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("plan", "杭州海纳科技", "周三", "--purpose", "技术交流"))
    result = kehu("done", "杭州海纳科技", "--plan", "9")
    assert result.exit_code == 1
    assert "has no open visit plan 9" in result.stderr


# --- kehu import touches follows the same rule -----------------------------------------------


def test_an_imported_touch_closes_a_planned_visit_of_its_day_exactly_as_log_does(kehu, on, tmp_path):
    """Two customers alike: 甲 has its touches logged with `kehu log`, 乙 the same touches imported.
    Missed and today's planned visits, the due list, the history: all must come out the same."""
    for name in ("甲公司", "乙公司"):
        ok(kehu("add", name, "--grade", "B"))
        ok(kehu("plan", name, TODAY, "--purpose", "送样品"))  # missed by 11-25, done by the 11-23 touch
        ok(kehu("plan", name, "周三", "--purpose", "技术交流"))  # done by the first 11-25 touch
        ok(kehu("plan", name, "周五", "--purpose", "商务谈判"))  # stays open
    touches = [
        ("2026-11-25", "拜访", "技术交流顺利", "下周一 报价"),
        ("2026-11-23", "电话", "电话约拜访", None),
        ("2026-11-25", "微信", "发了会议纪要", None),
    ]
    for day, channel, summary, next_ in touches:
        # A file's empty next step is none; a log without --next would keep the one ahead.
        ok(on("2026-11-25", "log", "甲公司", summary, "--date", day, "--channel", channel,
              "--next", next_ or ""))  # fmt: skip
    lines = ["客户名称,日期,方式,内容,下次跟进日期,下一步"]
    for day, channel, summary, next_ in touches:
        next_on, step = next_.split() if next_ else ("", "")
        next_on = "2026-11-30" if next_on == "下周一" else next_on
        lines.append(f"乙公司,{day},{channel},{summary},{next_on},{step}")
    csv_file = tmp_path / "跟进记录.csv"
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok(on("2026-11-25", "import", "touches", str(csv_file)))

    def as_of_wednesday(*args: str):
        return on("2026-11-25", *args)

    def of(customer: str, records: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k not in ("customer", "customer_id")}
                for r in records if r["customer"] == customer]  # fmt: skip

    for view in ("today", "week", "2026-12-07"):
        listed = rows(as_of_wednesday, view)
        assert of("甲公司", listed) == of("乙公司", listed), view
    assert [(r["kind"], r["day"], r["note"]) for r in of("乙公司", rows(as_of_wednesday, "week"))] == [
        ("plan", "2026-11-27", "商务谈判"),
    ]  # the visits of 11-23 and 11-25 are done, not missed

    def without_ids(touches: list[dict]) -> list[dict]:
        return [{k: v for k, v in t.items() if k != "id"} for t in touches]

    assert without_ids(history(kehu, "甲公司")) == without_ids(history(kehu, "乙公司"))
    for name in ("甲公司", "乙公司"):  # the one plan left is the one `done` finds
        assert "visit plan" in ok(on("2026-11-27", "done", name, "谈了价格")).stderr
