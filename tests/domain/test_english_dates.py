"""The English date words kehu.domain.dates reads beside the Chinese ones, each against a fixed
today with its exact answer; what they must not be mistaken for; and the examples an error
shows, in the interface language."""

from __future__ import annotations

from datetime import date

import pytest

from kehu.domain.dates import (
    EXAMPLE_FORMATS,
    EXAMPLE_FORMATS_EN,
    DateOutOfRange,
    DateParseError,
    example_formats,
    example_next_step,
    parse_date,
    parse_date_and_text,
)

MONDAY = date(2026, 11, 23)  # week Mon 11-23 … Sun 11-29
FRIDAY = date(2026, 11, 27)
SUNDAY = date(2026, 11, 29)
YEAR_END = date(2026, 12, 30)  # a Wednesday
LEAP_JAN = date(2028, 1, 31)

ENGLISH = [
    # day words, in any case
    ("today", MONDAY, date(2026, 11, 23)),
    ("TODAY", MONDAY, date(2026, 11, 23)),
    ("tomorrow", MONDAY, date(2026, 11, 24)),
    ("Tomorrow", SUNDAY, date(2026, 11, 30)),
    ("tmr", MONDAY, date(2026, 11, 24)),
    ("yesterday", MONDAY, date(2026, 11, 22)),
    ("the day after tomorrow", MONDAY, date(2026, 11, 25)),
    ("day before yesterday", MONDAY, date(2026, 11, 21)),
    ("tomorrow", YEAR_END, date(2026, 12, 31)),
    # weekdays: the Monday-Sunday week, as 周五 / 下周五
    ("friday", MONDAY, date(2026, 11, 27)),
    ("Friday", SUNDAY, date(2026, 11, 27)),  # this week's, already past
    ("this friday", MONDAY, date(2026, 11, 27)),
    ("fri", MONDAY, date(2026, 11, 27)),
    ("FRI", FRIDAY, date(2026, 11, 27)),
    ("next friday", MONDAY, date(2026, 12, 4)),
    ("Next Friday", FRIDAY, date(2026, 12, 4)),
    ("next  fri", SUNDAY, date(2026, 12, 4)),
    ("last friday", MONDAY, date(2026, 11, 20)),
    ("weds", MONDAY, date(2026, 11, 25)),
    ("thur", MONDAY, date(2026, 11, 26)),
    ("next monday", YEAR_END, date(2027, 1, 4)),
    # offsets: days and weeks exact, months and years calendar ones clamped at month end
    ("in 3 days", MONDAY, date(2026, 11, 26)),
    ("In 3 Days", MONDAY, date(2026, 11, 26)),
    ("in 1 day", MONDAY, date(2026, 11, 24)),
    ("in 3days", MONDAY, date(2026, 11, 26)),
    ("in 2 weeks", MONDAY, date(2026, 12, 7)),
    ("in a week", MONDAY, date(2026, 11, 30)),
    ("in two weeks", MONDAY, date(2026, 12, 7)),
    ("in 1 month", MONDAY, date(2026, 12, 23)),
    ("in 1 month", LEAP_JAN, date(2028, 2, 29)),
    ("in twelve months", MONDAY, date(2027, 11, 23)),
    ("in 1 year", MONDAY, date(2027, 11, 23)),
    ("in 3 days", YEAR_END, date(2027, 1, 2)),
    ("3 days ago", MONDAY, date(2026, 11, 20)),
    ("a week ago", MONDAY, date(2026, 11, 16)),
    ("2 weeks ago", MONDAY, date(2026, 11, 9)),
    ("1 month ago", date(2026, 3, 31), date(2026, 2, 28)),
    ("2 weeks from now", MONDAY, date(2026, 12, 7)),
    ("3 days later", MONDAY, date(2026, 11, 26)),
    # month and year edges
    ("end of month", MONDAY, date(2026, 11, 30)),
    ("End of the Month", MONDAY, date(2026, 11, 30)),
    ("eom", MONDAY, date(2026, 11, 30)),
    ("EOM", date(2028, 2, 3), date(2028, 2, 29)),
    ("eom", date(2027, 2, 3), date(2027, 2, 28)),
    ("month-end", MONDAY, date(2026, 11, 30)),
    ("month end", MONDAY, date(2026, 11, 30)),
    ("end of next month", MONDAY, date(2026, 12, 31)),
    ("next month end", LEAP_JAN, date(2028, 2, 29)),
    ("end of last month", MONDAY, date(2026, 10, 31)),
    ("start of next month", YEAR_END, date(2027, 1, 1)),
    ("beginning of the month", MONDAY, date(2026, 11, 1)),
    ("end of year", MONDAY, date(2026, 12, 31)),
    ("eoy", MONDAY, date(2026, 12, 31)),
    ("EOY", YEAR_END, date(2026, 12, 31)),
    ("year-end", MONDAY, date(2026, 12, 31)),
    ("end of next year", MONDAY, date(2027, 12, 31)),
    ("start of next year", MONDAY, date(2027, 1, 1)),
    # next week / next month: the first day of that period
    ("next week", MONDAY, date(2026, 11, 30)),
    ("next week", SUNDAY, date(2026, 11, 30)),
    ("Next Week", YEAR_END, date(2027, 1, 4)),
    ("next month", MONDAY, date(2026, 12, 1)),
    ("next month", YEAR_END, date(2027, 1, 1)),
    ("next month", LEAP_JAN, date(2028, 2, 1)),
    # month names: in today's year unless one is given, as 12月1日
    ("dec 1", MONDAY, date(2026, 12, 1)),
    ("December 1", MONDAY, date(2026, 12, 1)),
    ("Dec. 1st", MONDAY, date(2026, 12, 1)),
    ("1 dec", MONDAY, date(2026, 12, 1)),
    ("1st of December", MONDAY, date(2026, 12, 1)),
    ("sept 30", MONDAY, date(2026, 9, 30)),
    ("march 3rd", MONDAY, date(2026, 3, 3)),
    ("Dec 1, 2027", MONDAY, date(2027, 12, 1)),
    ("1 Dec 2027", MONDAY, date(2027, 12, 1)),
    ("feb 29", LEAP_JAN, date(2028, 2, 29)),
]

NOT_DATES = [
    "in",
    "in days",
    "in 3",
    "3 days",  # neither `in` nor `ago`: which way is not guessed
    "ago",
    "3 days ago later",
    "in 3 fortnights",
    "in 99999 days",
    "next",
    "next year",
    "next day",
    "this week",
    "end of week",
    "end of",
    "eow",
    "dec",
    "dec 32",
    "feb 29",  # 2026 is not a leap year
    "31 nov",
    "friday next",
    "tomorrow tomorrow",
]


@pytest.mark.parametrize(("text", "today", "expected"), ENGLISH)
def test_english_date_words(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize("text", NOT_DATES)
def test_english_words_that_name_no_date_are_refused(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_date(text, MONDAY)


@pytest.mark.parametrize("today", [MONDAY, FRIDAY, SUNDAY, YEAR_END, LEAP_JAN])
def test_next_week_and_next_month_are_their_first_days_as_in_chinese(today: date) -> None:
    assert parse_date("next week", today) == parse_date("下周一", today) == parse_date("next monday", today)
    assert parse_date("下周", today) == parse_date("下星期", today) == parse_date("next week", today)
    assert parse_date("next month", today) == parse_date("下月初", today)
    assert parse_date("下个月", today) == parse_date("下月", today) == parse_date("next month", today)
    assert parse_date("eom", today) == parse_date("月底", today)
    assert parse_date("eoy", today) == parse_date("年底", today)
    assert parse_date("in 2 weeks", today) == parse_date("两周后", today)
    assert parse_date("a month ago", today) == parse_date("一个月前", today)


def test_an_offset_past_the_last_date_kehu_keeps_is_out_of_range() -> None:
    with pytest.raises(DateOutOfRange):
        parse_date("in 999 years", MONDAY)
    with pytest.raises(DateParseError):
        parse_date("in 9999 years", MONDAY)  # beyond any date Python holds


@pytest.mark.parametrize(
    ("text", "day", "step"),
    [
        ("next friday 送样品", date(2026, 12, 4), "送样品"),
        ("Next Friday send samples", date(2026, 12, 4), "send samples"),
        ("in 3 days call back", date(2026, 11, 26), "call back"),
        ("end of month send the quote", date(2026, 11, 30), "send the quote"),
        ("eom", date(2026, 11, 30), ""),
        ("next week 回访", date(2026, 11, 30), "回访"),
        ("dec 1 demo", date(2026, 12, 1), "demo"),
        ("tomorrow a call", date(2026, 11, 24), "a call"),
        ("下周三送样品", date(2026, 12, 2), "送样品"),
    ],
)
def test_a_date_and_the_step_after_it(text: str, day: date, step: str) -> None:
    assert parse_date_and_text(text, MONDAY) == (day, step)


def test_the_examples_speak_the_interface_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHU_LANG", "en")
    assert example_formats() == EXAMPLE_FORMATS_EN
    assert not any(ord(c) > 0x7F for text in example_formats() for c in text)
    assert example_next_step().isascii()
    monkeypatch.setenv("KEHU_LANG", "zh")
    assert example_formats() == EXAMPLE_FORMATS
    assert "明天" in example_formats()
    assert "送样品" in example_next_step()


@pytest.mark.parametrize("examples", [EXAMPLE_FORMATS, EXAMPLE_FORMATS_EN])
def test_every_example_shown_is_read(examples: tuple[str, ...]) -> None:
    for text in examples:
        parse_date(text, MONDAY)
    assert parse_date_and_text("下周三 送样品", MONDAY) == (date(2026, 12, 2), "送样品")
    assert parse_date_and_text("next wednesday send samples", MONDAY) == (date(2026, 12, 2), "send samples")
