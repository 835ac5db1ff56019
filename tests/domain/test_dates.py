"""Every form kehu.domain.dates understands, against fixed "todays", each with its exact answer."""

from __future__ import annotations

from datetime import date

import pytest

from kehu.domain.dates import EXAMPLE_FORMATS, DateParseError, parse_absolute_date, parse_date

MONDAY = date(2026, 11, 23)  # week Mon 11-23 … Sun 11-29
SUNDAY = date(2026, 11, 29)  # last day of that same week
YEAR_END = date(2026, 12, 30)  # a Wednesday; week Mon 12-28 … Sun 2027-01-03
NEW_YEAR = date(2027, 1, 2)  # a Saturday


FULL_YEAR = [
    ("2026-12-01", date(2026, 12, 1)),
    ("2026/12/1", date(2026, 12, 1)),
    ("2026.12.1", date(2026, 12, 1)),
    ("2026年12月1日", date(2026, 12, 1)),
    ("2026年12月1号", date(2026, 12, 1)),
    ("20261201", date(2026, 12, 1)),
    ("2027-2-3", date(2027, 2, 3)),
    ("2028-02-29", date(2028, 2, 29)),
    ("２０２６－１２－０１", date(2026, 12, 1)),  # full-width, NFKC
    ("  2026-12-01 ", date(2026, 12, 1)),
    ("2026 年 12 月 1 日", date(2026, 12, 1)),
]

RELATIVE = [
    # month-day without a year: today's year, even if past
    ("12-01", MONDAY, date(2026, 12, 1)),
    ("12/1", MONDAY, date(2026, 12, 1)),
    ("12.1", MONDAY, date(2026, 12, 1)),
    ("12月1日", MONDAY, date(2026, 12, 1)),
    ("12月1号", MONDAY, date(2026, 12, 1)),
    ("12 月 1 日", MONDAY, date(2026, 12, 1)),
    ("3月5号", MONDAY, date(2026, 3, 5)),
    ("十二月一日", MONDAY, date(2026, 12, 1)),
    ("１２月１日", MONDAY, date(2026, 12, 1)),
    ("2月29日", date(2028, 1, 31), date(2028, 2, 29)),
    # day of today's month, even if past
    ("1日", MONDAY, date(2026, 11, 1)),
    ("1号", MONDAY, date(2026, 11, 1)),
    ("30号", MONDAY, date(2026, 11, 30)),
    ("十五号", MONDAY, date(2026, 11, 15)),
    # day words
    ("今天", MONDAY, date(2026, 11, 23)),
    ("今日", MONDAY, date(2026, 11, 23)),
    ("明天", MONDAY, date(2026, 11, 24)),
    ("明日", MONDAY, date(2026, 11, 24)),
    ("后天", MONDAY, date(2026, 11, 25)),
    ("大后天", MONDAY, date(2026, 11, 26)),
    ("昨天", MONDAY, date(2026, 11, 22)),
    ("前天", MONDAY, date(2026, 11, 21)),
    ("大前天", MONDAY, date(2026, 11, 20)),
    ("today", MONDAY, date(2026, 11, 23)),
    ("Tomorrow", MONDAY, date(2026, 11, 24)),
    ("YESTERDAY", MONDAY, date(2026, 11, 22)),
    ("明天", date(2001, 1, 1), date(2001, 1, 2)),  # today is the parameter, not the clock
    # Chinese offsets
    ("3天后", MONDAY, date(2026, 11, 26)),
    ("三天后", MONDAY, date(2026, 11, 26)),
    ("３天后", MONDAY, date(2026, 11, 26)),
    ("3 天 后", MONDAY, date(2026, 11, 26)),
    ("3天之后", MONDAY, date(2026, 11, 26)),
    ("3天以后", MONDAY, date(2026, 11, 26)),
    ("3日后", MONDAY, date(2026, 11, 26)),
    ("3天前", MONDAY, date(2026, 11, 20)),
    ("3天之前", MONDAY, date(2026, 11, 20)),
    ("3天以前", MONDAY, date(2026, 11, 20)),
    ("两周后", MONDAY, date(2026, 12, 7)),
    ("2周后", MONDAY, date(2026, 12, 7)),
    ("2星期后", MONDAY, date(2026, 12, 7)),
    ("两个星期后", MONDAY, date(2026, 12, 7)),
    ("2个礼拜后", MONDAY, date(2026, 12, 7)),
    ("一周前", MONDAY, date(2026, 11, 16)),
    ("1个月后", MONDAY, date(2026, 12, 23)),
    ("一个月后", MONDAY, date(2026, 12, 23)),
    ("12个月后", MONDAY, date(2027, 11, 23)),
    ("半个月后", MONDAY, date(2026, 12, 8)),
    ("半个月前", MONDAY, date(2026, 11, 8)),
    ("1年后", MONDAY, date(2027, 11, 23)),
    ("半年后", MONDAY, date(2027, 5, 23)),
    ("零天后", MONDAY, date(2026, 11, 23)),
    ("〇天后", MONDAY, date(2026, 11, 23)),
    ("0天后", MONDAY, date(2026, 11, 23)),
    ("十天后", MONDAY, date(2026, 12, 3)),
    ("十一天后", MONDAY, date(2026, 12, 4)),
    ("一十五天后", MONDAY, date(2026, 12, 8)),
    ("二十天后", MONDAY, date(2026, 12, 13)),
    ("二十五天后", MONDAY, date(2026, 12, 18)),
    ("九十九天后", MONDAY, date(2027, 3, 2)),
    ("100天后", MONDAY, date(2027, 3, 3)),  # the 99 limit is for Chinese numerals only
    # short offsets
    ("+3d", MONDAY, date(2026, 11, 26)),
    ("+2w", MONDAY, date(2026, 12, 7)),
    ("+1m", MONDAY, date(2026, 12, 23)),
    ("+1y", MONDAY, date(2027, 11, 23)),
    ("-3d", MONDAY, date(2026, 11, 20)),
    ("-2w", MONDAY, date(2026, 11, 9)),
    ("-1m", MONDAY, date(2026, 10, 23)),
    ("3d", MONDAY, date(2026, 11, 26)),
    ("2w", MONDAY, date(2026, 12, 7)),
    ("＋3D", MONDAY, date(2026, 11, 26)),
    ("+3 d", MONDAY, date(2026, 11, 26)),
    # weekdays, today a Monday
    ("周一", MONDAY, date(2026, 11, 23)),
    ("周五", MONDAY, date(2026, 11, 27)),
    ("本周五", MONDAY, date(2026, 11, 27)),
    ("这周五", MONDAY, date(2026, 11, 27)),
    ("这个星期五", MONDAY, date(2026, 11, 27)),
    ("礼拜三", MONDAY, date(2026, 11, 25)),
    ("星期日", MONDAY, date(2026, 11, 29)),
    ("星期天", MONDAY, date(2026, 11, 29)),
    ("周日", MONDAY, date(2026, 11, 29)),
    ("周天", MONDAY, date(2026, 11, 29)),
    ("礼拜天", MONDAY, date(2026, 11, 29)),
    ("周1", MONDAY, date(2026, 11, 23)),
    ("周7", MONDAY, date(2026, 11, 29)),
    ("下周一", MONDAY, date(2026, 11, 30)),
    ("下周三", MONDAY, date(2026, 12, 2)),
    ("下星期三", MONDAY, date(2026, 12, 2)),
    ("下个礼拜三", MONDAY, date(2026, 12, 2)),
    ("下下周一", MONDAY, date(2026, 12, 7)),
    ("上周一", MONDAY, date(2026, 11, 16)),
    ("上周日", MONDAY, date(2026, 11, 22)),
    ("上上周五", MONDAY, date(2026, 11, 13)),
    ("monday", MONDAY, date(2026, 11, 23)),
    ("this friday", MONDAY, date(2026, 11, 27)),
    ("Fri", MONDAY, date(2026, 11, 27)),
    ("next monday", MONDAY, date(2026, 11, 30)),
    ("Next  Monday", MONDAY, date(2026, 11, 30)),
    ("next sun", MONDAY, date(2026, 12, 6)),
    ("last monday", MONDAY, date(2026, 11, 16)),
    # weekdays, today a Sunday: still the same Monday-Sunday week
    ("周五", SUNDAY, date(2026, 11, 27)),
    ("周一", SUNDAY, date(2026, 11, 23)),
    ("周日", SUNDAY, date(2026, 11, 29)),
    ("下周一", SUNDAY, date(2026, 11, 30)),
    ("下周日", SUNDAY, date(2026, 12, 6)),
    ("下下周一", SUNDAY, date(2026, 12, 7)),
    ("上周一", SUNDAY, date(2026, 11, 16)),
    ("monday", SUNDAY, date(2026, 11, 23)),
    ("this sunday", SUNDAY, date(2026, 11, 29)),
    ("next monday", SUNDAY, date(2026, 11, 30)),
    ("明天", SUNDAY, date(2026, 11, 30)),
    # month and year edges
    ("月底", MONDAY, date(2026, 11, 30)),
    ("月末", MONDAY, date(2026, 11, 30)),
    ("本月底", MONDAY, date(2026, 11, 30)),
    ("这个月底", MONDAY, date(2026, 11, 30)),
    ("月初", MONDAY, date(2026, 11, 1)),
    ("下月初", MONDAY, date(2026, 12, 1)),
    ("下个月初", MONDAY, date(2026, 12, 1)),
    ("下个月", MONDAY, date(2026, 12, 1)),  # the first day of the period, as `next month`
    ("下周末", MONDAY, date(2026, 12, 5)),  # that week's Saturday
    ("周末", MONDAY, date(2026, 11, 28)),
    ("下月中旬", MONDAY, date(2026, 12, 11)),
    ("本月下旬", MONDAY, date(2026, 11, 21)),
    ("下个月上旬", MONDAY, date(2026, 12, 1)),
    ("下周", date(2026, 11, 29), date(2026, 11, 30)),  # from a Sunday: tomorrow's Monday
    ("下月底", MONDAY, date(2026, 12, 31)),
    ("下个月底", MONDAY, date(2026, 12, 31)),
    ("下下月初", MONDAY, date(2027, 1, 1)),
    ("上月初", MONDAY, date(2026, 10, 1)),
    ("上个月底", MONDAY, date(2026, 10, 31)),
    ("年底", MONDAY, date(2026, 12, 31)),
    ("今年底", MONDAY, date(2026, 12, 31)),
    ("年初", MONDAY, date(2026, 1, 1)),
    ("明年初", MONDAY, date(2027, 1, 1)),
    ("明年底", MONDAY, date(2027, 12, 31)),
    ("去年底", MONDAY, date(2025, 12, 31)),
    # a day of a month named by its place: how a promise to pay is written down
    ("下月5号", MONDAY, date(2026, 12, 5)),
    ("下个月5日", MONDAY, date(2026, 12, 5)),
    ("本月二十号", MONDAY, date(2026, 11, 20)),
    ("上个月三十一号", MONDAY, date(2026, 10, 31)),
    ("下下月1号", MONDAY, date(2027, 1, 1)),
    ("下月15号", YEAR_END, date(2027, 1, 15)),
    ("明年3月1号", MONDAY, date(2027, 3, 1)),
    ("去年十二月三十一日", MONDAY, date(2025, 12, 31)),
    # month ends and leap years
    ("+1m", date(2028, 1, 31), date(2028, 2, 29)),
    ("1个月后", date(2028, 1, 31), date(2028, 2, 29)),
    ("+1m", date(2027, 1, 31), date(2027, 2, 28)),
    ("-1m", date(2026, 3, 31), date(2026, 2, 28)),
    ("+1y", date(2028, 2, 29), date(2029, 2, 28)),
    ("1年后", date(2028, 2, 29), date(2029, 2, 28)),
    ("下月底", date(2028, 1, 31), date(2028, 2, 29)),
    ("下个月初", date(2028, 1, 31), date(2028, 2, 1)),
    ("月底", date(2028, 2, 10), date(2028, 2, 29)),
    ("月底", date(2027, 2, 10), date(2027, 2, 28)),
    # crossing a year
    ("3天后", YEAR_END, date(2027, 1, 2)),
    ("下月初", YEAR_END, date(2027, 1, 1)),
    ("后天", YEAR_END, date(2027, 1, 1)),
    ("周五", YEAR_END, date(2027, 1, 1)),
    ("下周一", YEAR_END, date(2027, 1, 4)),
    ("+1m", YEAR_END, date(2027, 1, 30)),
    ("年底", YEAR_END, date(2026, 12, 31)),
    ("3天前", NEW_YEAR, date(2026, 12, 30)),
    ("上周一", NEW_YEAR, date(2026, 12, 21)),
    ("上个月底", NEW_YEAR, date(2026, 12, 31)),
]

NONSENSE = [
    "",
    "   ",
    "abc",
    "monkey",
    "next",
    "明天abc",
    "abc明天",
    "13月40日",
    "１３月４０日",
    "2026-02-30",
    "2026-13-01",
    "2026-12/01",  # mixed separators
    "12-01-2026",  # month-day-year order is not guessed
    "2026-12-01abc",
    "2026年12月1",
    "00000000",
    "2月30日",
    "2月29日",  # 2026 is not a leap year
    "0日",
    "32日",
    "31号",  # November has 30 days
    "本月31号",  # November has 30 days
    "明年2月29号",  # 2027 is not a leap year
    "一百天后",
    "一百零一天后",
    "两十天后",
    "十十天后",
    "3个天后",
    "3月后",  # 月 as an offset needs 个
    "半天后",
    "下下下周一",
    "下下周",  # two weeks on: say which day
    "12月",
    "月",
    "周八",
    "+3x",
    "+d",
    "3",
    "2026",
    "99999d",
    "+9999y",  # past year 9999
]


@pytest.mark.parametrize(("text", "expected"), FULL_YEAR)
def test_parse_absolute_date_accepts_full_year_forms(text: str, expected: date) -> None:
    assert parse_absolute_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), FULL_YEAR)
def test_parse_date_accepts_full_year_forms_whatever_today(text: str, expected: date) -> None:
    assert parse_date(text, MONDAY) == expected
    assert parse_date(text, date(1999, 6, 15)) == expected


@pytest.mark.parametrize(("text", "today", "expected"), RELATIVE)
def test_parse_date(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize("text", NONSENSE)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_date(text, MONDAY)


@pytest.mark.parametrize(
    "text",
    [
        "12-01",
        "12月1日",
        "1日",
        "明天",
        "today",
        "+1d",
        "3天后",
        "下周三",
        "月底",
        "",
        "2026-02-30",
    ],
)
def test_parse_absolute_date_rejects_forms_without_a_full_year(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_absolute_date(text)


def test_error_is_a_value_error_quoting_the_text() -> None:
    with pytest.raises(ValueError, match="明天abc"):
        parse_date("明天abc", MONDAY)
    with pytest.raises(DateParseError, match="2026-02-30"):
        parse_date("2026-02-30", MONDAY)
    with pytest.raises(DateParseError, match="一百"):
        parse_date("一百天后", MONDAY)


def test_example_formats_all_parse() -> None:
    expected = {
        "2026-12-01": date(2026, 12, 1),
        "12-01": date(2026, 12, 1),
        "12月1日": date(2026, 12, 1),
        "明天": date(2026, 11, 24),
        "3天后": date(2026, 11, 26),
        "下周三": date(2026, 12, 2),
        "月底": date(2026, 11, 30),
        "+2w": date(2026, 12, 7),
    }
    assert tuple(expected) == EXAMPLE_FORMATS
    assert {text: parse_date(text, MONDAY) for text in EXAMPLE_FORMATS} == expected
