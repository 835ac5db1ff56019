"""The one date parser behind every command option that takes a date.

A salesperson types `明天`, `下周三`, `12月1日`, `3天后`, `月底` or `+2w`, or in English `tomorrow`,
`next friday`, `dec 1`, `in 3 days`, `2 weeks ago`, `end of month`/`eom`, `eoy`; a CSV cell holds
`2026/12/1`. English words are read in any case (`Next Friday`, `EOM`). Both become a
`datetime.date` here, or a `DateParseError` naming the text that was not understood. The functions
are pure: "today" is always a parameter, never read from the clock, so the same input and
today give the same answer in tests, in the CLI and in scheduled reports.

Decisions on ambiguous input (kept simple so the answer is predictable, not clever):

* A month-day without a year (`12-01`, `3月5号`) is in today's year, even if already past.
  `5号` is that day of today's month, also even if past. A month or year named by its place
  comes first: `下月5号`, `本月20日`, `上个月31号`, `明年3月1号`, `去年12月31日`.
* Weeks run Monday to Sunday. `周五`/`本周五`/`this friday`/`friday` is the Friday of the current
  week, which may be in the past; `下周三`/`next wednesday` is the Wednesday of next week,
  `下下周一` two weeks ahead, `上周一`/`last monday` last week, `上上周一` two weeks back.
  Deeper prefixes (`下下下周一`) are rejected rather than counted.
* `m` and `个月` are calendar months, clamped at month end (Jan 31 + 1 month = Feb 28/29);
  `半个月` is 15 days and `半年` six months. `月` as an offset needs `个` (`3个月后`), so that
  `3月` is never read as "three months".
* Chinese numerals go up to 99 (`九十九`); `两` only stands alone (`两周后`).
* `下周`/`next week` and `下个月`/`下月`/`next month` are the first day of that period (next
  week's Monday, next month's 1st: the day a follow-up "next week" comes up), as `下周一` and
  `下月初` are; one rule in both languages. `下周末` is that week's Saturday, `下月中旬` the 11th
  (上旬 the 1st, 下旬 the 21st). A bare `12月` (no day) is rejected: it names a month,
  and which day of it a follow-up falls on is the salesperson's to say.
* English offsets count like the Chinese ones: `in 3 days`, `in a week`, `in two months`,
  `3 days ago`, `2 weeks from now`; `end of month`/`eom`/`month-end` and `end of year`/`eoy`
  (also `end of next month`, `start of next year`) are that period's last or first day.
* Only dates from FIRST_DATE (1000-01-01) to LAST_DATE (2999-12-31) are accepted, whatever the
  form (`9999-12-31` and `+999y` from 2026 are refused): see there why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

from dateutil.relativedelta import relativedelta

from kehu.i18n import _, is_chinese

__all__ = ["EXAMPLE_FORMATS", "EXAMPLE_FORMATS_EN", "FIRST_DATE", "LAST_DATE", "DateOutOfRange",
           "DateParseError", "example_formats", "example_next_step", "parse_absolute_date",
           "parse_date"]  # fmt: skip

# The dates kehu keeps. Python's run from year 1 to 9999, and the sums done on a date once it is
# in (the Sunday of its week, a due date 365 days of payment terms on, the next touch a cadence
# away, a moment shown on the local clock, a report's last 90 days) must stay inside those: with
# today at 9999-12-31, `kehu followups week` had no Sunday to end on. Refusing dates beyond these
# where they are typed or imported leaves a thousand years of room on either side, and no
# salesperson's customer is founded, born, met or due outside them.
FIRST_DATE = date(1000, 1, 1)
LAST_DATE = date(2999, 12, 31)

# Shown by callers under an error message, as a reminder of what is understood: the Chinese
# forms to a Chinese interface, the English ones otherwise (example_formats picks).
EXAMPLE_FORMATS: tuple[str, ...] = (
    "2026-12-01",
    "12-01",
    "12月1日",
    "明天",
    "3天后",
    "下周三",
    "月底",
    "+2w",
)
EXAMPLE_FORMATS_EN: tuple[str, ...] = (
    "2026-12-01",
    "12-01",
    "tomorrow",
    "in 3 days",
    "next wednesday",
    "end of month",
    "+2w",
)
# A follow-up's date and step (`--next`), as the example for each interface language.
EXAMPLE_NEXT_STEP = "下周三 送样品"
EXAMPLE_NEXT_STEP_EN = "next wednesday send samples"


def example_formats() -> tuple[str, ...]:
    """The date forms to show under an error, in the interface language."""
    return EXAMPLE_FORMATS if is_chinese() else EXAMPLE_FORMATS_EN


def example_next_step() -> str:
    """A date followed by a step (`--next`), in the interface language."""
    return EXAMPLE_NEXT_STEP if is_chinese() else EXAMPLE_NEXT_STEP_EN


class DateParseError(ValueError):
    """The text is not a date this module understands; the message (English) quotes it."""


class DateOutOfRange(DateParseError):
    """The text names a date, but one before FIRST_DATE or after LAST_DATE."""


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# 一十五, 十五, 二十, 九十九: an optional tens digit, 十, an optional ones digit.
_CN_TENS = r"([一二三四五六七八九])?十([一二三四五六七八九])?"  # compiled when used (re caches it)
# A number as typed: ASCII digits (after NFKC) or a run of Chinese numeral characters. 百/千/万
# are matched only so that `一百天后` gets a message about the number, not "not a date".
_N = r"[0-9]{1,4}|[零〇一二两三四五六七八九十百千万]+"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAYS |= {str(n): n - 1 for n in range(1, 8)}  # 周1 … 周7
_WEEK_SHIFT = {"上上": -2, "上": -1, None: 0, "本": 0, "这": 0, "下": 1, "下下": 2}
_EN_WEEK_SHIFT = {"last": -1, None: 0, "this": 0, "next": 1}
_MONTH_SHIFT = {"上": -1, None: 0, "本": 0, "这": 0, "下": 1, "下下": 2}
_YEAR_SHIFT = {"去": -1, None: 0, "今": 0, "明": 1}
_DAY_WORDS = {
    "今天": 0, "今日": 0, "today": 0,
    "明天": 1, "明日": 1, "tomorrow": 1, "后天": 2, "大后天": 3,
    "昨天": -1, "昨日": -1, "yesterday": -1, "前天": -2, "大前天": -3,
    "tmr": 1, "tmrw": 1, "the day after tomorrow": 2, "day after tomorrow": 2,
    "the day before yesterday": -2, "day before yesterday": -2,
}  # fmt: skip
# English counts (`in two weeks`, `a month ago`) and units; a unit's plural is the same unit.
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_EN_NUMBERS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_EN_N = "|".join(["[0-9]{1,4}", *_EN_NUMBERS])
_EN_UNIT = r"(?P<unit>day|week|month|year)s?"
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_MONTH = (
    r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\.?"
)
_EN_DAY = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?"
_EN_YEAR = r"(?:,? (?P<y>[0-9]{4}))?"


def _number(token: str) -> int:
    """The value of `token` (ASCII digits, or a Chinese numeral 0-99); ValueError otherwise."""
    if token.isascii() and token.isdigit():
        return int(token)
    if len(token) == 1 and token in _DIGITS:
        return _DIGITS[token]
    m = re.fullmatch(_CN_TENS, token)
    if m is None:
        raise ValueError(f"Chinese numeral {token!r} not understood (only 0 to 99)")
    tens, ones = m.groups()
    return _DIGITS[tens or "一"] * 10 + (_DIGITS[ones] if ones else 0)


def _ymd(m: re.Match[str]) -> date:
    return date(int(m["y"]), _number(m["m"]), _number(m["d"]))


def _month_day(m: re.Match[str], today: date) -> date:
    return date(today.year, _number(m["m"]), _number(m["d"]))


def _day_of_month(m: re.Match[str], today: date) -> date:
    return today.replace(day=_number(m["d"]))


def _day_of_shifted_month(m: re.Match[str], today: date) -> date:
    """`下月5号`, `本月20日`: a day of this month or one before or after it."""
    first = today.replace(day=1) + relativedelta(months=_MONTH_SHIFT[m["shift"]])
    return first.replace(day=_number(m["d"]))


def _day_of_shifted_year(m: re.Match[str], today: date) -> date:
    """`明年3月1号`, `去年12月31日`: a month and day of this year or the one before or after."""
    return date(today.year + _YEAR_SHIFT[m["shift"]], _number(m["m"]), _number(m["d"]))


def _day_word(m: re.Match[str], today: date) -> date:
    return today + timedelta(days=_DAY_WORDS[m[0]])


def _week_of(today: date, weeks: int, weekday: int) -> date:
    """`weekday` (0 = Monday) of the Monday-Sunday week `weeks` weeks from today's week."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=weeks, days=weekday)


def _weekday(m: re.Match[str], today: date) -> date:
    return _week_of(today, _WEEK_SHIFT[m["shift"]], _WEEKDAYS[m["day"]])


def _weekend(m: re.Match[str], today: date) -> date:
    """`周末`/`下周末`: the Saturday of that week."""
    return _week_of(today, _WEEK_SHIFT[m["shift"]], 5)


def _ten_days(m: re.Match[str], today: date) -> date:
    """`下月中旬`: the first day of the month's early (上旬), middle (中旬) or late (下旬) ten days."""
    first = today.replace(day=1) + relativedelta(months=_MONTH_SHIFT[m["shift"]])
    return first.replace(day={"上": 1, "中": 11, "下": 21}[m["part"]])


def _en_weekday(m: re.Match[str], today: date) -> date:
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(m["day"][:3])
    return _week_of(today, _EN_WEEK_SHIFT[m["shift"]], weekday)


def _en_month_day(m: re.Match[str], today: date) -> date:
    """`dec 1`, `1 December`, `Dec 1st, 2027`: in today's year unless one is given."""
    year = int(m["y"]) if m["y"] else today.year
    return date(year, _EN_MONTHS.index(m["mon"][:3]) + 1, int(m["d"]))


def _en_offset(m: re.Match[str], today: date) -> date:
    count = int(m["n"]) if m["n"].isdigit() else _EN_NUMBERS[m["n"]]
    return _offset(today, -count if m["ago"] else count, m["unit"][0])


def _en_edge(m: re.Match[str], today: date) -> date:
    """`end of month`, `start of next year`, `month-end`, `eom`/`eoy` (end of month/year)."""
    groups = m.groupdict()
    shift = _EN_WEEK_SHIFT[groups.get("shift")]
    if groups["period"].startswith("m"):
        first = today.replace(day=1) + relativedelta(months=shift)
        last = first + relativedelta(day=31)  # clamps to the month's last day
    else:
        first = date(today.year + shift, 1, 1)
        last = date(today.year + shift, 12, 31)
    return first if groups.get("edge") in ("start", "beginning") else last


def _next_period(m: re.Match[str], today: date) -> date:
    """`next week`/`下周` is that week's Monday, `next month`/`下个月` that month's first day."""
    if m["period"] in ("week", "周", "星期", "礼拜"):
        return _week_of(today, 1, 0)
    return today.replace(day=1) + relativedelta(months=1)


def _month_edge(m: re.Match[str], today: date) -> date:
    first = today.replace(day=1) + relativedelta(months=_MONTH_SHIFT[m["shift"]])
    # relativedelta(day=31) clamps to the month's last day (Feb 29 in a leap year).
    return first if m["edge"] == "初" else first + relativedelta(day=31)


def _year_edge(m: re.Match[str], today: date) -> date:
    year = today.year + _YEAR_SHIFT[m["shift"]]
    return date(year, 1, 1) if m["edge"] == "初" else date(year, 12, 31)


def _offset(today: date, count: int, unit: str) -> date:
    """today moved by `count` units: d (days), w (weeks), m (calendar months), y (years)."""
    if unit == "d":
        return today + timedelta(days=count)
    if unit == "w":
        return today + timedelta(weeks=count)
    return today + relativedelta(months=count if unit == "m" else 12 * count)


def _cn_offset(m: re.Match[str], today: date) -> date:
    sign = -1 if m["dir"].endswith("前") else 1
    unit = m["unit"].removeprefix("个")
    if m["unit"] in ("个天", "个日", "个年", "月"):  # 月 needs 个, 天/日/年 take none
        raise ValueError(f"{m['unit']} is not a unit")
    if m["n"] == "半":  # only 半个月 (15 days) and 半年 (6 months) are idioms
        if unit == "月":
            return today + timedelta(days=15 * sign)
        if unit == "年":
            return today + relativedelta(months=6 * sign)
        raise ValueError(f"半 cannot be used with {unit}")
    code = {"天": "d", "日": "d", "周": "w", "星期": "w", "礼拜": "w", "月": "m", "年": "y"}[unit]
    return _offset(today, sign * _number(m["n"]), code)


def _short_offset(m: re.Match[str], today: date) -> date:
    count = int(m["n"])
    return _offset(today, -count if m["sign"] == "-" else count, m["unit"])


_Absolute = Callable[[re.Match[str]], date]
_Relative = Callable[[re.Match[str], date], date]
_Forms = tuple[tuple[str, Callable[..., date]], ...]
_Table = tuple[tuple[re.Pattern[str], Callable[..., date]], ...]

# Forms that carry a full year: they need no today, so CSV import can accept exactly these.
_ABSOLUTE: tuple[tuple[str, _Absolute], ...] = (
    (r"(?P<y>[0-9]{4})([-/.])(?P<m>[0-9]{1,2})\2(?P<d>[0-9]{1,2})", _ymd),
    (r"(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})[日号]", _ymd),
    (r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})", _ymd),
)
# Every other form, relative to today. Each pattern must match the whole (normalised) text.
_RELATIVE: tuple[tuple[str, _Relative], ...] = (
    ("|".join(_DAY_WORDS), _day_word),
    (r"(?P<m>[0-9]{1,2})([-/.])(?P<d>[0-9]{1,2})", _month_day),
    (rf"(?P<m>{_N})月(?P<d>{_N})[日号]", _month_day),
    (rf"(?P<d>{_N})[日号]", _day_of_month),
    (rf"(?P<shift>上|本|这|下下|下)个?月(?P<d>{_N})[日号]", _day_of_shifted_month),
    (rf"(?P<shift>今|明|去)年(?P<m>{_N})月(?P<d>{_N})[日号]", _day_of_shifted_year),
    (
        r"(?:(?P<shift>上上|上|本|这|下下|下)个?)?(?:周|星期|礼拜)(?P<day>[一二三四五六日天1-7])",
        _weekday,
    ),
    (r"(?:(?P<shift>上上|上|本|这|下下|下)个?)?(?:周末|星期六日)", _weekend),
    (r"(?:(?P<shift>上|本|这|下下|下)个?)?月?(?P<part>[上中下])旬", _ten_days),
    (
        (
            r"(?:(?P<shift>this|next|last) )?(?P<day>monday|mon|tuesday|tues|tue|wednesday|weds|wed"
            r"|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun)"
        ),
        _en_weekday,
    ),
    (rf"in (?P<n>{_EN_N}) ?{_EN_UNIT}(?P<ago>)", _en_offset),
    (rf"(?P<n>{_EN_N}) ?{_EN_UNIT} (?:(?P<ago>ago)|later|from (?:now|today))", _en_offset),
    (
        (
            r"(?:the )?(?P<edge>end|start|beginning) of (?:the )?(?:(?P<shift>this|next|last) )?"
            r"(?P<period>month|year)"
        ),
        _en_edge,
    ),
    (r"(?:(?P<shift>this|next|last) )?(?P<period>month|year)[- ]?(?P<edge>end)", _en_edge),
    (r"eo(?P<period>m|y)", _en_edge),
    (r"next (?P<period>week|month)", _next_period),
    (r"下个?(?P<period>周|星期|礼拜|月)", _next_period),
    (rf"{_EN_MONTH} {_EN_DAY}{_EN_YEAR}", _en_month_day),
    (rf"{_EN_DAY} (?:of )?{_EN_MONTH}{_EN_YEAR}", _en_month_day),
    (r"(?:(?P<shift>上|本|这|下下|下)个?)?月(?P<edge>初|底|末)", _month_edge),
    (r"(?P<shift>今|明|去)?年(?P<edge>初|底|末)", _year_edge),
    (
        rf"(?P<n>{_N}|半)(?P<unit>个?(?:天|日|周|星期|礼拜|月|年))(?P<dir>[之以]?[后前])",
        _cn_offset,
    ),
    (r"(?P<sign>[+-])?(?P<n>[0-9]{1,4}) ?(?P<unit>[dwmy])", _short_offset),
)


def _normalise(text: str) -> str:
    """NFKC (full-width digits, ＋, －), lower case, spaces dropped around Chinese characters."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    folded = re.sub(r"\s*([^\x00-\x7f])\s*", r"\1", folded)  # `3 天 后` -> `3天后`
    return " ".join(folded.split())  # `next   monday` -> `next monday`


@cache
def _compiled(forms: _Forms) -> _Table:
    """The patterns of _ABSOLUTE or _RELATIVE compiled, the first time a date is read: compiling
    them all when the module loaded took 16 ms of every command's start, most reading no date (H6)."""
    return tuple((re.compile(pattern), handler) for pattern, handler in forms)


def _apply(text: str, forms: _Forms, *args: date) -> date | None:
    """Run the handler of the first pattern in `forms` that matches all of `text`, or None."""
    key = _normalise(text)
    for pattern, handler in _compiled(forms):
        m = pattern.fullmatch(key)
        if m is None:
            continue
        try:
            return handler(m, *args)
        except (ValueError, OverflowError):  # date() out of range, bad numeral, …
            raise DateParseError(_("not a valid date: {text!r}").format(text=text)) from None
    return None


def in_range(day: date, text: str) -> date:
    """`day` if kehu keeps it (see FIRST_DATE), else DateOutOfRange quoting the `text` it came from."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise DateOutOfRange(
            _("date out of range: {text!r} (kehu keeps dates from {first} to {last})").format(
                text=text, first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat()
            )
        )
    return day


def parse_absolute_date(text: str) -> date:
    """A date written with its full year: 2026-12-01, 2026/12/1, 2026.12.1, 2026年12月1日, 20261201.

    Raises DateParseError for anything else, including valid relative input such as `12-01`, and
    DateOutOfRange for a date outside FIRST_DATE to LAST_DATE.
    """
    if (result := _apply(text, _ABSOLUTE)) is None:
        raise DateParseError(_("not a date with a full year (like 2026-12-01): {text!r}").format(text=text))
    return in_range(result, text)


def parse_date(text: str, today: date) -> date:
    """The date `text` names when typed on `today`; DateParseError if it names none.

    Accepts the full-year forms of parse_absolute_date plus month-days (12-01, dec 1, 下月5号,
    明年3月1号), day words
    (明天, today), offsets (3天后, 两周前, +2w, -3d, 1m, in 3 days, 2 weeks ago), weekdays (周五,
    下周三, next monday), month or year edges (月底, 下月初, 年底, 明年初, eom, end of year) and
    next week / next month. See the module docstring for the rules on ambiguous forms.
    A date outside FIRST_DATE to LAST_DATE raises DateOutOfRange.
    """
    if not _normalise(text):
        raise DateParseError(_("empty date"))
    result = _apply(text, _ABSOLUTE)
    if result is None:
        result = _apply(text, _RELATIVE, today)
    if result is None:
        raise DateParseError(_("date not understood: {text!r}").format(text=text))
    return in_range(result, text)


def parse_date_and_text(text: str, today: date) -> tuple[date, str]:
    """Split "下周三 送样品" (or "下周三送样品", "12-01 call back") into its date and the rest.

    The longest leading part that reads as a date wins, first by words, then by characters (a
    Chinese step is often typed without a space). Raises DateParseError when no part is a date,
    DateOutOfRange when the longest part that is one is out of range (not a shorter part then).
    """
    stripped = text.strip()
    words = stripped.split()
    for count in range(len(words), 0, -1):
        try:
            return parse_date(" ".join(words[:count]), today), " ".join(words[count:])
        except DateOutOfRange:
            raise
        except DateParseError:
            continue
    for end in range(min(len(stripped), 12), 0, -1):
        try:
            return parse_date(stripped[:end], today), stripped[end:].strip()
        except DateOutOfRange:
            raise
        except DateParseError:
            continue
    raise DateParseError(_("no date at the start of {text!r}").format(text=text))
