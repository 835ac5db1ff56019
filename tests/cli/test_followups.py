"""`kehu followups` (the morning list and the week's plan) and `kehu check`, through the real CLI.

Every expectation is a plain date or an exact order; the days used are in the module's comments
so that they can be checked against a calendar by hand.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, timedelta

import pytest

from tests.helpers import ok, rows

TODAY = "2026-11-23"  # a Monday; the conftest's `kehu` fixture acts on this day


@pytest.fixture
def workdays_config(tmp_path):
    """Write `workdays = true` to the config file the autouse fixture points KEHU_CONFIG at."""

    def write(enabled: bool = True) -> None:
        path = tmp_path / "config" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"workdays = {'true' if enabled else 'false'}\n", encoding="utf-8")

    return write


def rows_on(on, day: str, *args: str) -> list[dict]:
    """The JSON rows of `kehu followups ARGS` as if today were `day`."""
    return rows(lambda *a: on(day, *a), *args)


def shifted(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def due_day(kehu, customer: str, until: str = "2027-12-31") -> str | None:
    """The customer's due date as `kehu followups` shows it (None: not due up to `until`)."""
    found = [r["day"] for r in rows(kehu, until) if r["customer"] == customer and r["kind"] != "birthday"]
    return found[0] if found else None


def add_touched(kehu, name: str, touched: str | None, *card: str) -> None:
    """A customer whose last touch was on `touched` (None: never touched)."""
    ok(kehu("add", name, *card))
    if touched is not None:
        ok(kehu("log", name, "跟进", "--channel", "电话", "--date", touched))


# --- cadence through the calendar ------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "touched", "due"),
    [
        ("B", "2028-02-25", "2028-03-03"),  # across a leap day: 25, 26, 27, 28, 29, 1, 2, 3
        ("A", "2028-02-28", "2028-02-29"),  # the leap day itself
        ("C", "2027-02-20", "2027-03-07"),  # a common February: 8 days in Feb, 7 in March
        ("D", "2028-01-31", "2028-03-01"),  # 30 days from a month end, through Feb 29
        ("D", "2026-11-30", "2026-12-30"),
        ("B", "2026-12-28", "2027-01-04"),  # across a year end
    ],
)
def test_the_cadence_counts_days_across_month_ends_and_leap_days(on, grade, touched, due):
    ok(on(touched, "add", "杭州海纳科技", "--grade", grade))
    assert rows_on(on, touched, "today")[0]["day"] == touched  # new: due at once
    result = ok(on(touched, "log", "杭州海纳科技", "电话沟通", "--channel", "电话"))
    assert f"next due {due}" in result.stderr

    assert rows_on(on, shifted(due, -1), "today") == []
    [row] = rows_on(on, due, "today")
    assert (row["kind"], row["day"], row["days_overdue"], row["last_touch_on"]) == ("due", due, 0, touched)
    [late] = rows_on(on, shifted(due, 1), "overdue")
    assert (late["kind"], late["day"], late["days_overdue"]) == ("overdue", due, 1)


# --- urgency order ---------------------------------------------------------------------------


@pytest.fixture
def book(kehu):
    """Seven customers due on 2026-11-23 (scores: overdue + grade + stage + value), two not.

    Every new customer starts in the six-step funnel's first stage (10% → 3 stage points)."""
    add_touched(kehu, "庚-B-35天", "2026-10-12", "--grade", "B")  # due 10-19: 300 (cap) + 25 + 3 = 328
    add_touched(kehu, "己-D-40天", "2026-09-14", "--grade", "D")  # due 10-14: 300 (cap) + 5 + 3 = 308
    add_touched(kehu, "丙-未分级-20天", "2026-10-04")  # due 11-03: 200 + 5 + 3 = 208
    add_touched(kehu, "丁-C-百万", "2026-11-08", "--grade", "C", "--expected-value", "100万")  # 12+3+30 = 45
    add_touched(kehu, "甲-A-今天", "2026-11-22", "--grade", "A")  # due today: 40 + 3 = 43
    add_touched(kehu, "戊-C-一万", "2026-11-08", "--grade", "C", "--expected-value", "10000")  # 12+3+20 = 35
    add_touched(kehu, "乙-D-1天", "2026-10-23", "--grade", "D")  # due 11-22: 10 + 5 + 3 = 18
    add_touched(kehu, "辛-B-未到期", TODAY, "--grade", "B")  # due 11-30
    add_touched(kehu, "壬-E", None, "--grade", "E")  # never
    return kehu


URGENCY_ORDER = [
    "庚-B-35天",
    "己-D-40天",
    "丙-未分级-20天",
    "丁-C-百万",
    "甲-A-今天",
    "戊-C-一万",
    "乙-D-1天",
]


def test_the_list_is_ordered_by_urgency(book):
    found = rows(book, "today")
    assert [r["customer"] for r in found] == URGENCY_ORDER
    assert [(r["kind"], r["days_overdue"]) for r in found] == [
        ("overdue", 35), ("overdue", 40), ("overdue", 20), ("due", 0), ("due", 0), ("due", 0), ("overdue", 1),
    ]  # fmt: skip
    assert [float(r["score"]) for r in found] == [328, 308, 208, 45, 43, 35, 18]
    assert "score_overdue" not in found[0]


def test_explain_adds_the_score_parts(book):
    found = {r["customer"]: r for r in rows(book, "today", "--explain")}
    parts = ("score", "score_overdue", "score_grade", "score_stage", "score_value")
    assert [float(found["丁-C-百万"][p]) for p in parts] == [45, 0, 12, 3, 30]
    assert [float(found["庚-B-35天"][p]) for p in parts] == [328, 300, 25, 3, 0]
    assert [float(found["乙-D-1天"][p]) for p in parts] == [18, 10, 5, 3, 0]


def test_explain_in_a_table_shows_the_sum_and_the_weights(book):
    result = ok(book("followups", "--explain", "--format", "table", env={"COLUMNS": "200"}))
    assert "45 = 0+12+3+30" in result.stdout
    assert "208 = 200+5+3+0" in result.stdout
    assert "Urgency = overdue + grade + stage + value" in result.stderr
    positions = [result.stdout.index(name) for name in URGENCY_ORDER if name != "乙-D-1天"]
    overdue, due = positions[:3], positions[3:]
    assert overdue == sorted(overdue) and due == sorted(due)
    assert result.stdout.index("Overdue") < result.stdout.index("乙-D-1天") < result.stdout.index("Due")


def test_explain_in_an_80_column_table_still_shows_the_score(book):
    result = ok(book("followups", "--explain", "--format", "table", env={"COLUMNS": "80"}))
    assert "45 = 0+12+3+30" in result.stdout


# --- views: overdue, tomorrow, a given day ---------------------------------------------------


def test_overdue_shows_only_overdue_customers(book):
    ok(book("plan", "辛-B-未到期", "今天", "--purpose", "技术交流"))
    ok(book("contact", "add", "甲-A-今天", "张伟", "--birthday", "1985-11-23"))
    found = rows(book, "overdue")
    assert [r["customer"] for r in found] == ["庚-B-35天", "己-D-40天", "丙-未分级-20天", "乙-D-1天"]
    assert {r["kind"] for r in found} == {"overdue"}
    assert [r["days_overdue"] for r in found] == [35, 40, 20, 1]
    assert [r["kind"] for r in rows(book, "逾期")] == ["overdue"] * 4
    today = rows(book, "today")  # the plan and the birthday are in today's list
    assert [r["kind"] for r in today if r["kind"] in ("plan", "birthday")] == ["plan", "birthday"]


def test_tomorrow_lists_who_is_due_by_tomorrow(kehu):
    add_touched(kehu, "海纳科技", "2026-11-17", "--grade", "B")  # due 11-24
    add_touched(kehu, "恒瑞精密", TODAY, "--grade", "A")  # due 11-24
    add_touched(kehu, "蓉城医疗", "2026-11-22", "--grade", "A")  # due today: late by tomorrow
    add_touched(kehu, "深圳电子", TODAY, "--grade", "B")  # due 11-30
    ok(kehu("plan", "深圳电子", "明天", "--purpose", "送样品"))
    ok(kehu("plan", "海纳科技", "后天", "--purpose", "技术交流"))
    found = rows(kehu, "tomorrow")
    assert [(r["kind"], r["customer"], r["day"], r["days_overdue"]) for r in found] == [
        ("overdue", "蓉城医疗", TODAY, 1),
        ("due", "恒瑞精密", "2026-11-24", 0),
        ("due", "海纳科技", "2026-11-24", 0),
        ("plan", "深圳电子", "2026-11-24", None),
    ]
    assert rows(kehu, "明天") == found
    assert [r["customer"] for r in rows(kehu, "today")] == ["蓉城医疗"]


def test_a_given_day_lists_who_is_due_by_then_and_that_days_visits(kehu):
    add_touched(kehu, "海纳科技", "2026-11-20", "--grade", "B")  # due Fri 11-27
    add_touched(kehu, "恒瑞精密", "2026-11-13", "--grade", "C")  # due Sat 11-28
    add_touched(kehu, "蓉城医疗", TODAY, "--grade", "B")  # due Mon 11-30
    ok(kehu("plan", "蓉城医疗", "周五", "--purpose", "商务谈判"))
    ok(kehu("plan", "恒瑞精密", "周四", "--purpose", "技术交流"))
    result = ok(kehu("followups", "周五", "--format", "json"))
    assert "day: 2026-11-27" in result.stderr
    assert [(r["kind"], r["customer"], r["day"]) for r in json.loads(result.stdout)] == [
        ("due", "海纳科技", "2026-11-27"),
        ("plan", "蓉城医疗", "2026-11-27"),
    ]
    # On 11-28 海纳科技 is a day late (10 + 25) and comes before 恒瑞精密, due that day (12).
    assert [(r["kind"], r["customer"]) for r in rows(kehu, "11-28")] == [
        ("overdue", "海纳科技"), ("due", "恒瑞精密"),
    ]  # fmt: skip
    assert kehu("followups", "某天").exit_code == 2


# --- the week --------------------------------------------------------------------------------


@pytest.fixture
def week(kehu):
    """Items on Mon 11-23, Wed 11-25 (birthday), Thu 11-26 (visit) and Sun 11-29 of that week."""
    add_touched(kehu, "海纳科技", "2026-11-22", "--grade", "A")  # due Mon 11-23
    add_touched(kehu, "恒瑞精密", "2026-11-22", "--grade", "B")  # due Sun 11-29
    add_touched(kehu, "蓉城医疗", TODAY, "--grade", "B")  # due Mon 11-30: next week
    add_touched(kehu, "深圳电子", "2026-11-01", "--grade", "B")  # due 11-08: overdue
    ok(kehu("contact", "add", "蓉城医疗", "张伟", "--birthday", "1985-11-25"))
    ok(kehu("plan", "蓉城医疗", "周四", "--purpose", "技术交流"))
    return kehu


def test_week_groups_the_table_by_day_monday_to_sunday(week):
    result = ok(week("followups", "week", "--format", "table", env={"COLUMNS": "200"}))
    titles = ["Overdue", "Mon 2026-11-23", "Wed 2026-11-25", "Thu 2026-11-26", "Sun 2026-11-29"]
    positions = [result.stdout.index(title) for title in titles]
    assert positions == sorted(positions)
    for absent in ("Tue 2026-11-24", "Fri 2026-11-27", "Sat 2026-11-28", "2026-11-30"):
        assert absent not in result.stdout
    out = result.stdout
    assert out.index("深圳电子") < positions[1] < out.index("海纳科技") < positions[2]
    assert positions[2] < out.index("张伟") < positions[3] < out.index("技术交流") < positions[4]
    assert positions[4] < out.index("恒瑞精密")
    assert result.stderr.splitlines()[-1] == "1 overdue, 2 due, 1 planned visit, 1 birthday, 0 to collect"


def test_week_as_csv_and_json_gives_the_same_rows_with_their_days(week):
    csv_out = ok(week("followups", "week", "--format", "csv")).stdout
    csv_rows = list(csv.DictReader(io.StringIO(csv_out)))
    expected = [
        ("overdue", "深圳电子", "2026-11-08"),
        ("due", "海纳科技", "2026-11-23"),
        ("due", "恒瑞精密", "2026-11-29"),
        ("plan", "蓉城医疗", "2026-11-26"),
        ("birthday", "蓉城医疗", "2026-11-25"),
    ]
    assert [(r["kind"], r["customer"], r["day"]) for r in csv_rows] == expected
    json_rows = rows(week, "week")
    assert [(r["kind"], r["customer"], r["day"]) for r in json_rows] == expected
    assert [r["contact"] for r in json_rows][3:] == [None, "张伟"]
    assert rows(week, "本周") == json_rows


def test_week_later_in_the_week_still_runs_monday_to_sunday(week, on):
    found = rows_on(on, "2026-11-26", "week")
    assert [(r["kind"], r["customer"], r["day"], r["days_overdue"]) for r in found] == [
        ("overdue", "深圳电子", "2026-11-08", 18),
        ("overdue", "海纳科技", "2026-11-23", 3),
        ("due", "恒瑞精密", "2026-11-29", -3),
        ("plan", "蓉城医疗", "2026-11-26", None),
        ("birthday", "蓉城医疗", "2026-11-25", None),
    ]


# --- planned visits --------------------------------------------------------------------------


def test_a_planned_visit_shows_on_its_day_with_its_contact(kehu):
    add_touched(kehu, "海纳科技", TODAY, "--grade", "B")
    ok(kehu("contact", "add", "海纳科技", "吴晓丽", "--phone", "13912345678"))
    ok(kehu("plan", "海纳科技", "下周二", "--purpose", "技术交流", "--contact", "吴晓丽"))
    [row] = [r for r in rows(kehu, "下周二") if r["kind"] == "plan"]
    assert (row["kind"], row["day"], row["customer"], row["contact"], row["phone"], row["note"]) == (
        "plan", "2026-12-01", "海纳科技", "吴晓丽", "13912345678", "技术交流",
    )  # fmt: skip
    assert [r for r in rows(kehu, "12-02") if r["kind"] == "plan"] == []
    assert rows(kehu, "week") == []
    table = ok(kehu("followups", "下周二", "--format", "table", env={"COLUMNS": "200"})).stdout
    assert "Planned visits" in table and "visit: 技术交流" in table


# --- birthdays -------------------------------------------------------------------------------


@pytest.fixture
def birthdays(kehu):
    ok(kehu("add", "海纳科技", "--grade", "E"))  # never due: only birthdays show
    ok(kehu("contact", "add", "海纳科技", "张伟", "--birthday", "1985-11-25", "--phone", "13800000000"))
    ok(kehu("contact", "add", "海纳科技", "李娜", "--birthday", "1988-02-29"))
    # 农历十月十六, which falls on 2026-11-24 this year.
    ok(kehu("contact", "add", "海纳科技", "老刘", "--birthday", "1970-10-16", "--birthday-lunar", "是"))
    return kehu


def test_a_gregorian_birthday_shows_on_its_day_in_the_week_and_not_today(birthdays):
    found = [(r["kind"], r["day"], r["contact"], r["note"]) for r in rows(birthdays, "week")]
    assert ("birthday", "2026-11-25", "张伟", "gregorian") in found
    assert rows(birthdays, "today") == []
    assert [r["contact"] for r in rows(birthdays, "11-25")] == ["张伟"]
    assert [r["phone"] for r in rows(birthdays, "11-25")] == ["13800000000"]


def test_a_lunar_birthday_shows_on_its_gregorian_day_this_year(birthdays):
    assert [(r["kind"], r["day"], r["contact"], r["note"]) for r in rows(birthdays, "tomorrow")] == [
        ("birthday", "2026-11-24", "老刘", "lunar")
    ]
    assert rows(birthdays, "2026-10-16") == []  # the stored month-day is lunar, not Gregorian
    assert [r["day"] for r in rows(birthdays, "week")] == ["2026-11-24", "2026-11-25"]


def test_a_feb_29_birthday_shows_on_feb_28_in_a_common_year(birthdays):
    assert [(r["day"], r["contact"]) for r in rows(birthdays, "2027-02-28")] == [("2027-02-28", "李娜")]
    assert rows(birthdays, "2027-03-01") == []
    assert rows(birthdays, "2028-02-28") == []
    assert [(r["day"], r["contact"]) for r in rows(birthdays, "2028-02-29")] == [("2028-02-29", "李娜")]


def test_birthdays_in_the_table_are_their_own_section(birthdays):
    result = ok(birthdays("followups", "11-25", "--format", "table", env={"COLUMNS": "200"}))
    assert "Birthdays" in result.stdout and "张伟" in result.stdout
    assert result.stderr.splitlines()[-1] == "0 overdue, 0 due, 0 planned visits, 1 birthday, 0 to collect"


# --- filters ---------------------------------------------------------------------------------


@pytest.fixture
def team(kehu):
    add_touched(kehu, "王的A客户", "2026-11-22", "--grade", "A", "--owner", "王磊")
    add_touched(kehu, "王的B客户", "2026-11-12", "--grade", "B", "--owner", "王磊")
    add_touched(kehu, "李的B客户", "2026-11-10", "--grade", "B", "--owner", "李娜")
    ok(kehu("add", "李的E客户", "--grade", "E", "--owner", "李娜"))
    ok(kehu("contact", "add", "李的E客户", "赵强", "--birthday", "1980-11-23"))
    ok(kehu("plan", "李的B客户", "今天", "--purpose", "催款"))
    return kehu


def test_owner_filters_due_customers_visits_and_birthdays(team):
    assert [(r["kind"], r["customer"]) for r in rows(team, "today", "--owner", "王磊")] == [
        ("overdue", "王的B客户"), ("due", "王的A客户"),
    ]  # fmt: skip
    assert [(r["kind"], r["customer"]) for r in rows(team, "today", "--owner", "李娜")] == [
        ("overdue", "李的B客户"), ("plan", "李的B客户"), ("birthday", "李的E客户"),
    ]  # fmt: skip
    result = ok(team("followups", "--owner", "无此人", "--format", "table"))
    assert result.stdout == ""
    assert "nothing due" in result.stderr


def test_grade_filters_the_due_customers(team):
    due = [r for r in rows(team, "today", "--grade", "B") if r["kind"] in ("due", "overdue")]
    assert [r["customer"] for r in due] == ["李的B客户", "王的B客户"]
    assert [r["customer"] for r in rows(team, "overdue", "-g", "b")] == ["李的B客户", "王的B客户"]
    assert [r["customer"] for r in rows(team, "overdue", "--grade", "A")] == []


def test_grade_filters_visits_and_birthdays_too(team):
    found = rows(team, "today", "--grade", "A")
    assert [(r["kind"], r["customer"]) for r in found] == [("due", "王的A客户")]


def test_an_unknown_grade_filter_exits_2(team):
    result = team("followups", "--grade", "F")
    assert result.exit_code == 2
    assert "internal error" not in result.stderr


# --- nothing due, counts, limit --------------------------------------------------------------


def test_nothing_due_is_a_friendly_line_on_stderr_and_exit_0(kehu):
    add_touched(kehu, "海纳科技", TODAY, "--grade", "B")  # due next Monday
    ok(kehu("add", "死亡客户", "--grade", "E"))
    for view in ("today", "tomorrow", "overdue", "周五"):
        result = kehu("followups", view, "--format", "table")
        assert (result.exit_code, result.stdout) == (0, "")
        assert result.stderr.endswith("\nnothing due: a good day to find new customers ☕\n") or (
            result.stderr == "nothing due: a good day to find new customers ☕\n"
        )
    assert json.loads(ok(kehu("followups", "--format", "json")).stdout) == []


def test_nothing_due_on_an_empty_book(kehu):
    result = kehu("followups", "week", "--format", "table")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "nothing due: a good day to find new customers ☕\n"


def test_the_closing_line_counts_each_section_on_stderr(book):
    ok(book("plan", "辛-B-未到期", "今天", "--purpose", "技术交流"))
    ok(book("plan", "壬-E", "今天", "--purpose", "回访"))
    ok(book("contact", "add", "壬-E", "张伟", "--birthday", "1985-11-23"))
    result = ok(book("followups", "--format", "csv"))
    assert result.stderr == "4 overdue, 3 due, 2 planned visits, 1 birthday, 0 to collect\n"
    assert "planned visits" not in result.stdout
    assert len(result.stdout.splitlines()) == 1 + 7 + 2 + 1


def test_limit_shows_the_most_urgent_and_says_how_many_are_left_out(book):
    result = ok(book("followups", "--limit", "2", "--format", "json"))
    assert [r["customer"] for r in json.loads(result.stdout)] == URGENCY_ORDER[:2]
    assert (
        result.stderr == "4 overdue, 3 due, 0 planned visits, 0 birthdays, 0 to collect"
        " (showing 2 of 7; --limit 0 for all)\n"
    )


# --- working days ----------------------------------------------------------------------------

WORKDAY_CASES = [
    # (grade, touched, due with workdays off, due with workdays = true)
    ("B", "2026-09-25", "2026-10-02", "2026-10-08"),  # National Day holiday, Oct 1-7
    ("B", "2025-12-28", "2026-01-04", "2026-01-04"),  # Sunday 01-04 is a make-up working day (调休)
    ("A", "2025-12-31", "2026-01-01", "2026-01-04"),  # New Year off, Fri 2 and Sat 3 off, Sun 4 works
    ("B", "2026-11-21", "2026-11-28", "2026-11-30"),  # a plain Saturday
    ("C", "2026-11-08", "2026-11-23", "2026-11-23"),  # a plain Monday stays
]


@pytest.mark.parametrize("workdays", [False, True], ids=["workdays-off", "workdays-on"])
@pytest.mark.parametrize(("grade", "touched", "plain_due", "workday_due"), WORKDAY_CASES)
def test_workdays_move_due_dates_off_weekends_and_holidays(
    on, workdays_config, workdays, grade, touched, plain_due, workday_due
):
    workdays_config(workdays)
    due = workday_due if workdays else plain_due
    ok(on(touched, "add", "海纳科技", "--grade", grade))
    result = ok(on(touched, "log", "海纳科技", "电话沟通"))
    assert f"next due {due}" in result.stderr
    [row] = rows_on(on, due, "today")
    assert (row["kind"], row["day"]) == ("due", due)
    assert rows_on(on, shifted(due, -1), "today") == []
    assert ok(on(due, "check")).exit_code == 0


def test_workdays_move_a_next_step_and_a_snooze_too(kehu, workdays_config):
    workdays_config(True)
    ok(kehu("add", "海纳科技", "--grade", "B"))
    ok(kehu("add", "恒瑞精密", "--grade", "B"))
    result = ok(kehu("log", "海纳科技", "报价", "--next", "周六 送样品"))  # Sat 11-28
    assert "next due 2026-11-30" in result.stderr
    result = ok(kehu("snooze", "恒瑞精密", "2026-10-03"))  # inside the National Day holiday
    assert "next due 2026-10-08" in result.stderr


def test_turning_workdays_on_is_found_by_check_and_repaired_by_fix(on, workdays_config):
    ok(on("2026-09-25", "add", "海纳科技", "--grade", "B"))
    ok(on("2026-09-25", "log", "海纳科技", "电话沟通"))  # due Fri 10-02, a holiday
    ok(on("2026-09-25", "add", "恒瑞精密", "--grade", "B"))
    ok(on("2026-09-25", "log", "恒瑞精密", "电话沟通", "--date", "2026-09-24"))  # due Thu 10-01
    assert ok(on("2026-09-25", "check")).exit_code == 0
    workdays_config(True)
    result = on("2026-09-25", "check")
    assert result.exit_code == 1
    assert "stored next due 2026-10-02, should be 2026-10-08" in result.stderr
    assert "stored next due 2026-10-01, should be 2026-10-08" in result.stderr
    assert "fixed 2 due dates" in ok(on("2026-09-25", "check", "--fix")).stderr
    assert ok(on("2026-09-25", "check")).exit_code == 0
    assert [r["day"] for r in rows_on(on, "2026-10-08", "today")] == ["2026-10-08"] * 2


# --- check -----------------------------------------------------------------------------------


def test_check_exits_0_on_a_consistent_book(book):
    ok(book("snooze", "辛-B-未到期", "12-05"))
    ok(book("log", "丁-C-百万", "签约前沟通", "--next", "下周三 送合同"))
    result = book("check")
    assert result.exit_code == 0
    assert "ok: integrity, foreign keys and due dates all hold" in result.stderr


def test_check_finds_a_corrupted_due_date_and_fix_repairs_it(book, db_path):
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE customer SET next_due = '2030-01-01' WHERE name = '辛-B-未到期'")
        connection.execute("UPDATE customer SET next_due = NULL WHERE name = '甲-A-今天'")
    connection.close()
    assert "甲-A-今天" not in [r["customer"] for r in rows(book, "today")]

    result = book("check")
    assert result.exit_code == 1
    assert "check failed: 2 problems" in result.stderr
    assert "stored next due 2030-01-01, should be 2026-11-30" in result.stderr
    assert "stored next due None, should be 2026-11-23" in result.stderr

    fixed = book("check", "--fix")
    assert fixed.exit_code == 0
    assert "fixed 2 due dates" in fixed.stderr
    assert book("check").exit_code == 0
    assert due_day(book, "辛-B-未到期") == "2026-11-30"
    assert [r["customer"] for r in rows(book, "today")] == URGENCY_ORDER


# --- the day a customer is added -------------------------------------------------------------


def test_a_customer_added_on_another_day_is_due_from_that_day(on):
    """`--today` decides the day a card counts as added, not the wall clock."""
    ok(on("2028-02-25", "add", "海纳科技", "--grade", "B"))
    [row] = rows_on(on, "2028-02-25", "today")
    assert (row["kind"], row["day"]) == ("due", "2028-02-25")


def test_a_missed_visit_stays_on_the_list_as_overdue_until_done(kehu, on):
    add_touched(kehu, "海纳科技", TODAY, "--grade", "B")  # due 11-30: only the plan can show
    ok(on("2026-11-18", "plan", "海纳科技", "2026-11-20", "--purpose", "送样品"))
    [row] = rows(kehu, "today")
    assert (row["kind"], row["day"], row["days_overdue"], row["note"]) == ("plan", "2026-11-20", 3, "送样品")
    table = ok(kehu("followups", "--format", "table", env={"COLUMNS": "200"})).stdout
    assert "missed 3 days ago" in table and "visit: 送样品" in table
    week = ok(kehu("followups", "week", "--format", "table", env={"COLUMNS": "200"})).stdout
    assert week.index("Overdue") < week.index("送样品")  # before Monday: in the overdue table
    ok(kehu("done", "海纳科技", "样品已送到"))
    assert rows(kehu, "today") == []
