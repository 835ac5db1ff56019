"""The day a book acts on, and the moment: shared by the command line and the Python API.

kehu acts "as if it were" a given day (`--today`, `open_book(today=…)`): what it writes is dated
then, and due days may move to the next working day. Both ways in ask here, so that they agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from kehu.errors import UsageError
from kehu.i18n import _, labelled


def moment_on(today: date) -> datetime:
    """This moment in UTC, on `today`'s date when kehu acts as if it were another day: a card
    added "on" that day must count as added then (it is due from that day)."""
    from kehu.domain.values import now_utc

    real = now_utc()
    local = real.astimezone()
    if local.date() == today:
        return real
    return datetime.combine(today, local.timetz()).astimezone(UTC)


def due_shift() -> Callable[[date], date] | None:
    """The date shift for due dates: to the next Chinese working day when the config has
    `workdays = true` (public holidays and 调休 make-up days included), else none."""
    from kehu.config import load_settings

    if load_settings().get("workdays") is True:
        from kehu.domain.workdays import next_workday

        return next_workday
    return None


def read_date(label: str, text: str, today: date) -> date:
    """The date `text` names when typed on `today`, or the usage error that says what is
    understood (the one "cannot read date" of kehu); `label` names the option or argument."""
    from kehu.domain.dates import DateOutOfRange, DateParseError, parse_date

    try:
        return parse_date(text, today)
    except DateOutOfRange as error:
        raise UsageError(labelled(label, error)) from None
    except DateParseError:
        raise UsageError(_("{option}: cannot read date {text!r}; try e.g. {examples}").format(
            option=label, text=text, examples=_examples())) from None  # fmt: skip


def read_date_and_step(label: str, text: str, today: date) -> tuple[date, str]:
    """`--next "下周三 送样品"` / `"next friday send samples"`: the date the text starts with and
    the step after it (maybe empty), or the usage error with an example in the user's language."""
    from kehu.domain.dates import DateOutOfRange, DateParseError, example_next_step, parse_date_and_text

    try:
        return parse_date_and_text(text, today)
    except DateOutOfRange as error:
        raise UsageError(labelled(label, error)) from None
    except DateParseError:
        raise UsageError(_("{option}: start with a date, e.g. \"{example}\" ({examples})").format(
            option=label, example=example_next_step(), examples=_examples())) from None  # fmt: skip


def _examples() -> str:
    """The date forms kehu reads, in the user's language, as one list to quote in a message."""
    from kehu.domain.dates import example_formats
    from kehu.i18n import is_chinese

    return ("、" if is_chinese() else ", ").join(example_formats())
