"""Turning what a salesperson types (or an Excel cell holds) into typed values.

Each parser takes the stripped text of one cell or option and returns the value, or raises
ValueError with a message in the user's language. Empty text never reaches them: an empty cell
means "no value" and is handled by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from kehu.domain.dates import in_range
from kehu.domain.names import INVISIBLE
from kehu.domain.vocabulary import CURRENCY_NAMES, FALSE_WORDS, TRUE_WORDS, Vocabulary, fold
from kehu.i18n import _, is_chinese

MAX_TEXT_LENGTH = 10_000
MAX_MONEY = Decimal("999999999999999.99")  # fits a signed 64-bit count of cents
# Characters a name must not hold: C0 controls (but tab, LF, CR: refused as line breaks below),
# DEL, C1 (\x9b is a one-byte CSI), and every character that shows nothing (zero-width spaces and
# joiners, the BOM, bidi overrides and isolates that reorder text, …: INVISIBLE lists them).
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{INVISIBLE}]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A number, its thousands maybe grouped by commas (1,200,000.50; a comma elsewhere is refused, not
# dropped: `1,5M` must not become 15M), then a unit word: 120万, 1.5亿, 300k, 1.5M, 2.5m.
_MONEY = re.compile(r"(?P<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?P<unit>\D*)")
_UNIT = {
    "": 1, "k": 1000, "千": 1000, "w": 10_000, "万": 10_000, "m": 10**6, "mn": 10**6,
    "million": 10**6, "百万": 10**6, "千万": 10**7, "亿": 10**8, "bn": 10**9, "billion": 10**9,
}  # fmt: skip
# Shown under a refused amount, in the interface language.
_MONEY_EXAMPLES = ("850000", "1,200,000.50", "120万", "1.5亿")
_MONEY_EXAMPLES_EN = ("850000", "1,200,000.50", "300k", "1.5M")


def normalise_spaces(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_text(text: str) -> str:
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(_("longer than {limit} characters").format(limit=MAX_TEXT_LENGTH))
    if "\x00" in text:
        raise ValueError(_("contains a NUL character"))
    return text


def parse_name(text: str) -> str:
    """A customer or contact name: one line, no control or invisible characters, at most 200 characters."""
    name = " ".join(text.split())
    if not name:
        raise ValueError(_("a name is required"))
    if _CONTROL.search(text) or "\n" in text or "\r" in text:
        raise ValueError(_("contains control characters, invisible characters or line breaks"))
    if len(name) > 200:
        raise ValueError(_("longer than {limit} characters").format(limit=200))
    return name


def parse_count(text: str) -> int:
    """A whole number such as an employee count: `1,200`, `1200人`, `3万`."""
    cleaned = normalise_spaces(text).removesuffix("人")
    value = _money_number(cleaned)
    if value is None or value != value.to_integral_value() or value > 10**12:
        raise ValueError(_("not a whole number: {text}").format(text=text))
    return int(value)


def parse_percent(text: str) -> int:
    """A share in whole percent, 0 to 100: `30`, `30%`, `30 ％`."""
    cleaned = normalise_spaces(text).replace(" ", "").removesuffix("%").removesuffix("％")
    if not re.fullmatch(r"[+-]?\d{1,12}", cleaned):
        raise ValueError(_("not a whole percentage: {text}").format(text=text))
    if not 0 <= int(cleaned) <= 100:
        raise ValueError(_("a share is 0 to 100%: {text}").format(text=text))
    return int(cleaned)


def parse_money(text: str) -> Decimal:
    """An amount of money, exact to the cent: `850000`, `1,200,000.50`, `¥120万`, `1.5亿元`, `300k`,
    `1.5M` (a million; `m` too). The unit multiplies the exact decimal typed, never a float."""
    cleaned = normalise_spaces(text).replace(" ", "")
    cleaned = cleaned.lstrip("¥￥$").removeprefix("RMB").removeprefix("rmb")
    cleaned = cleaned.removesuffix("元").removesuffix("RMB").removesuffix("rmb")
    value = _money_number(cleaned)
    if value is None:
        raise _not_money(text, cleaned)
    # The size first: quantize needs more digits than Decimal keeps for an amount of 10^27.
    if value > MAX_MONEY:
        raise ValueError(_("amount too large: {text}").format(text=text))
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(_("more than two decimal places: {text}").format(text=text))
    return value.quantize(Decimal("0.01"))


def _not_money(text: str, cleaned: str) -> ValueError:
    """Why `text` is no amount: a misplaced comma, or else what amounts look like."""
    if "," in cleaned:
        return ValueError(_("commas group thousands, as in 1,200,000 (decimals take a point): {text}").format(
            text=text))  # fmt: skip
    chinese = is_chinese()
    examples = ("、" if chinese else ", ").join(_MONEY_EXAMPLES if chinese else _MONEY_EXAMPLES_EN)
    return ValueError(_("not an amount of money: {text} (e.g. {examples})").format(
        text=text, examples=examples))  # fmt: skip


def _money_number(text: str) -> Decimal | None:
    """The amount `text` writes (grouped digits, a unit word in any case), or None."""
    match = _MONEY.fullmatch(text)
    if not match or match["unit"].lower() not in _UNIT:
        return None
    try:
        return Decimal(match["number"].replace(",", "")) * _UNIT[match["unit"].lower()]
    except InvalidOperation:
        return None


def parse_currency(text: str) -> str:
    word = fold(text)
    if word in CURRENCY_NAMES:
        return CURRENCY_NAMES[word]
    code = normalise_spaces(text).upper()
    if re.fullmatch(r"[A-Z]{3}", code):
        return code
    raise ValueError(_("not a currency code (CNY, USD, …): {text}").format(text=text))


def parse_email(text: str) -> str:
    email = normalise_spaces(text)
    if not _EMAIL.match(email):
        raise ValueError(_("not an e-mail address: {text}").format(text=text))
    return email


def parse_flag(text: str) -> bool:
    word = fold(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("not yes or no (是/否): {text}").format(text=text))


def parse_choice(vocabulary: Vocabulary, text: str) -> str:
    try:
        return vocabulary.parse(text)
    except ValueError:
        choices = ("、" if is_chinese() else ", ").join(vocabulary.words())
        raise ValueError(
            _("unknown value {text!r}; one of: {choices}").format(text=text, choices=choices)
        ) from None


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 moment (`2026-11-23T09:30:00Z`); one without a zone is taken as UTC.

    A moment on a day outside kehu.domain.dates.FIRST_DATE to LAST_DATE is refused.
    """
    try:
        moment = datetime.fromisoformat(normalise_spaces(text).replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(_("not an ISO date and time: {text}").format(text=text)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # Its day must be one kehu keeps, where it was written (9999-12-31T23:00-05:00 has no UTC
    # moment Python can hold) and in UTC.
    in_range(moment.date(), text)
    moment = moment.astimezone(UTC)
    in_range(moment.date(), text)
    return moment.replace(microsecond=0)


def format_money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def format_money_for_people(value: Decimal | None) -> str:
    """Money in a table or on a card: 1,200,000.00 reads at a glance (files keep 1200000.00)."""
    return "" if value is None else f"{value:,.2f}"


def format_date(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def format_timestamp(value: datetime | None) -> str:
    if value is None:
        return ""
    # isoformat, not strftime: five times faster, and an export formats 300,000 of these.
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(timespec="seconds")[:-6] + "Z"  # 2026-11-23T08:00:00+00:00 → …Z


def now_utc() -> datetime:
    """The current moment, to the second (what the store keeps, so exports round-trip exactly)."""
    return datetime.now(UTC).replace(microsecond=0)
