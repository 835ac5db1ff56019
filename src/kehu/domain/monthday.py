"""A birthday known without its year (`--birthday 12-10`, `12月10日`): a month and a day.

Many people give their birthday but not their age. Such a birthday is a `MonthDay`, not a date
with a guessed year: it is shown without a year (`--12-10`, ISO 8601's form for a date without
a year, in CSV and JSON), it recurs every year for the birthday reminder, and no age is ever
worked out from it. A birthday with its year stays a `date`.

How it is stored: the `birthday` column stays a DATE; a month-day is kept there on the year
NO_YEAR, 1604, which stands for "no year" (store/sql.py and store/types.py convert both ways, so
no layer above the store ever sees it). 1604 is a leap year, so 02-29 can be kept; no living
person was born then, and kehu refuses a birthday with a year before 1900, so the marker never
means a real year. The month and day sit where they always did: the birthday reminder's SQL
(`month_day`) finds both kinds the same way, and a lunar birthday, whose year kehu never used,
may be given without one too. No migration was needed: no stored value changes meaning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from kehu.i18n import _

__all__ = ["FIRST_BIRTH_YEAR", "NO_YEAR", "MonthDay", "age_on", "from_stored", "parse_birthday"]

NO_YEAR = 1604  # the stored year of a birthday given without one (a leap year: 02-29 fits)
FIRST_BIRTH_YEAR = 1900  # an earlier birth year is a typing mistake (and would meet NO_YEAR)

# 12-10, 12-1, --12-10 (ISO 8601 without a year), 12月10日, 12月10号, 12月10, 十二月十日 is not.
_MONTH_DAY = re.compile(r"(?:--)?(?P<month>\d{1,2})-(?P<day>\d{1,2})|(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?")


@dataclass(frozen=True, order=True)
class MonthDay:
    """A birthday's month and day, without a year."""

    month: int
    day: int

    def __post_init__(self) -> None:
        date(NO_YEAR, self.month, self.day)  # ValueError for 02-30, 13-01 …

    def isoformat(self) -> str:
        """ISO 8601 without a year: --12-10."""
        return f"--{self.month:02d}-{self.day:02d}"

    __str__ = isoformat

    def stored(self) -> date:
        """The DATE the store keeps it as (on the year NO_YEAR)."""
        return date(NO_YEAR, self.month, self.day)


def from_stored(day: date) -> date | MonthDay:
    """A stored birthday as kehu hands it out: a month-day when its year is NO_YEAR."""
    return MonthDay(day.month, day.day) if day.year == NO_YEAR else day


def parse_birthday(text: str) -> date | MonthDay:
    """A birthday as typed: a full date (1978-08-15, 1978年8月15日 …) or a month and day without a
    year (12-10, --12-10, 12月10日). ValueError says why not."""
    from kehu.domain.dates import DateParseError, parse_absolute_date

    squeezed = "".join(unicodedata.normalize("NFKC", text).split())
    # `kehu export --excel` writes --12-10 as '--12-10, so that Excel takes it for text, not a formula.
    squeezed = squeezed.removeprefix("'") if squeezed.startswith("'--") else squeezed
    found = _MONTH_DAY.fullmatch(squeezed)
    if found:
        month, day = (found["month"], found["day"]) if found["month"] else (found["m"], found["d"])
        try:
            return MonthDay(int(month), int(day))
        except ValueError:
            raise ValueError(_("not a day of the year: {text!r}").format(text=text)) from None
    try:
        born = parse_absolute_date(squeezed)
    except DateParseError:
        raise ValueError(
            _("not a birthday (like 1978-08-15, or 12-10 without the year): {text!r}").format(text=text)
        ) from None
    if born.year < FIRST_BIRTH_YEAR:
        raise ValueError(_("a birthday before {year}: {text!r}").format(year=FIRST_BIRTH_YEAR, text=text))
    return born


def age_on(birthday: date | MonthDay | None, day: date) -> int | None:
    """How old someone born on `birthday` is on `day`; None when the year is not known."""
    if not isinstance(birthday, date):
        return None
    before_birthday = (day.month, day.day) < (birthday.month, birthday.day)
    return day.year - birthday.year - before_birthday
