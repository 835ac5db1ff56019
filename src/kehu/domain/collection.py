"""The collection ladder (催款机制, seed 001 回收账款): how money overdue is chased, by its amount
(金额) and its age (账龄) together, and the document each step sends.

Four methods, escalating (DOMAIN.md §6): a phone call 电话催收; the finance route 财务催收 with an
overdue notice 逾期通知书; a visit 上门催收 that ends in a compromise 达成妥协 or a deadline 限期解决
(said in the action's result, no document); the legal route 法律催收 with a collection letter
催款函. The seed chases on both axes, a large sum sooner, so the ladder is a table of amount
bands, each giving the day overdue on which each method begins:

| amount owed      | phone | finance | visit | legal |
|------------------|-------|---------|-------|-------|
| under 10万       | 1     | 31      | 61    | 91    |
| 10万 to 100万    | 1     | 16      | 31    | 61    |
| 100万 and over   | 1     | 8       | 16    | 31    |

The first band is kehu's age-only ladder of before (its ages are the aging buckets'). A book
sets its own in the config file's `[collection]` table (read and checked by kehu.config with
`ladder_problems`, built with `ladder_from_config`). The functions are pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from kehu.domain.vocabulary import Choice, Vocabulary
from kehu.i18n import _, is_chinese

__all__ = [
    "DEFAULT_LADDER",
    "DOCUMENT_OF",
    "METHODS",
    "STEP",
    "STEPS",
    "Band",
    "Ladder",
    "Step",
    "ladder_from_config",
    "ladder_problems",
    "promise_status",
    "step",
]

METHODS = ("phone", "finance", "visit", "legal")  # the codes of vocabulary.COLLECTION_METHOD, in order
# The document a method sends; a call and a visit send none.
DOCUMENT_OF: dict[str, str | None] = {"phone": None, "finance": "overdue_notice", "visit": None,
                                      "legal": "collection_letter"}  # fmt: skip
MAX_DAYS = 3650  # ten years overdue: a day count beyond is a typo


@dataclass(frozen=True)
class Step:
    """A collection step: the method's code, its words as a step, and the document it sends."""

    key: str
    zh: str
    en: str
    document: str | None  # a code of vocabulary.COLLECTION_DOCUMENT

    @property
    def label(self) -> str:
        return self.zh if is_chinese() else self.en


STEPS = (
    Step("phone", "电话催收", "phone call", None),
    Step("finance", "财务催收", "finance route", "overdue_notice"),
    Step("visit", "上门催收", "visit in person", None),
    Step("legal", "法律催收", "legal route", "collection_letter"),
)
# The steps as a word list: data carries the method's code, a table its words.
STEP = Vocabulary("collection step", tuple(Choice(s.key, s.zh, s.en) for s in STEPS))
_BY_KEY = {s.key: s for s in STEPS}


@dataclass(frozen=True)
class Band:
    """Amounts from `start` (up to the next band's): the day overdue each method begins on
    (a method left out is skipped in this band)."""

    start: Decimal
    begins: tuple[tuple[str, int], ...]  # (method, first day overdue), in METHODS order


@dataclass(frozen=True)
class Ladder:
    bands: tuple[Band, ...]  # by start, the first from 0

    def band(self, amount: Decimal) -> Band:
        """The band an amount owed falls in: the last whose start it reaches."""
        found = self.bands[0]
        for band in self.bands:
            if amount >= band.start:
                found = band
        return found


def _band(start: str, phone: int, finance: int, visit: int, legal: int) -> Band:
    return Band(Decimal(start), tuple(zip(METHODS, (phone, finance, visit, legal), strict=True)))


DEFAULT_LADDER = Ladder((
    _band("0", 1, 31, 61, 91),
    _band("100000", 1, 16, 31, 61),
    _band("1000000", 1, 8, 16, 31),
))  # fmt: skip


def step(amount: Decimal | None, days_overdue: int, ladder: Ladder = DEFAULT_LADDER) -> Step | None:
    """The step for `amount` owed `days_overdue` days: the last method of its band that has
    begun. None when nothing is overdue (days ≤ 0) or no method of the band has begun yet.
    No amount: the first band's (the age-only ladder)."""
    if days_overdue <= 0:
        return None
    band = ladder.band(amount if amount is not None else Decimal(0))
    found = None
    for method, first_day in band.begins:
        if days_overdue >= first_day:
            found = method
    return _BY_KEY[found] if found else None


# --- the config file's [collection] table -------------------------------------------------------

# A problem in the table: the key path under `collection` it is at (a band by its index), and
# what is wrong, in the user's language.
Problem = tuple[tuple[str | int, ...], str]
BAND_KEYS = ("from", *METHODS)


def ladder_problems(table: Any) -> list[Problem]:
    """What is wrong with a `[collection]` table: each problem with its place in the table."""
    from kehu.domain.values import parse_money

    if not isinstance(table, dict):
        return [((), _("collection holds amount bands, like [[collection.band]]"))]
    problems: list[Problem] = []
    for key in table:
        if key != "band":
            problems.append(((key,), _("unknown key collection.{key}; a band is [[collection.band]]").format(
                key=key)))  # fmt: skip
    bands = table.get("band")
    if bands is None:
        return problems
    if not isinstance(bands, list) or not bands or not all(isinstance(b, dict) for b in bands):
        return [*problems, (("band",), _("collection.band is a list of tables, each [[collection.band]]"))]
    previous: Decimal | None = None
    for index, band in enumerate(bands):
        for key in band:
            if key not in BAND_KEYS:
                unknown = _("unknown key {key} in a collection band; one of: {keys}")
                problems.append(((index, key), unknown.format(
                    key=key, keys=", ".join(BAND_KEYS))))  # fmt: skip
        start = band.get("from")
        try:
            amount = parse_money(str(start)) if isinstance(start, (int, str)) and start is not True else None
        except ValueError:
            amount = None
        if amount is None:
            problems.append(((index, "from"), _('a collection band needs from = the amount it starts at, '
                                                'like from = "10万"')))  # fmt: skip
        elif index == 0 and amount != 0:
            problems.append(((index, "from"), _("the first collection band starts from 0")))
        elif previous is not None and amount <= previous:
            problems.append(((index, "from"), _("collection bands go from the smallest amount up")))
        previous = amount if amount is not None else previous
        last = 0
        days = [(m, band[m]) for m in METHODS if m in band]
        if not days:
            problems.append(((index,), _("a collection band gives the day overdue of at least one method: "
                                         "phone, finance, visit, legal")))  # fmt: skip
        for method, day in days:
            if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= MAX_DAYS:
                problems.append(((index, method), _("{method} must be a day overdue from 1 to {most}").format(
                    method=method, most=MAX_DAYS)))  # fmt: skip
            elif day < last:
                problems.append(((index, method), _("{method} begins before the method above it: the "
                                                    "ladder escalates phone, finance, visit, legal").format(
                    method=method)))  # fmt: skip
            else:
                last = day
    return problems


def ladder_from_config(table: Mapping[str, Any] | None) -> Ladder:
    """The ladder a checked `[collection]` table sets (ladder_problems found nothing wrong with
    it); no table or no bands: DEFAULT_LADDER."""
    from kehu.domain.values import parse_money

    if not table or not table.get("band"):
        return DEFAULT_LADDER
    return Ladder(tuple(
        Band(parse_money(str(band["from"])), tuple((m, band[m]) for m in METHODS if m in band))
        for band in table["band"]
    ))  # fmt: skip


def describe(ladder: Ladder, word: Callable[[str], str] = str) -> str:
    """The ladder in one line (`kehu info`): each band's first amount, then the methods and the
    day overdue each begins on — `0.00: phone 1, finance 31, visit 61, legal 91; 100000.00: phone
    1, …`. With codes (the default) the same in every language, for data; `word` gives a method's
    word instead, for a person (COLLECTION_METHOD.label)."""
    from kehu.domain.values import format_money

    return "; ".join(f"{format_money(band.start)}: " + ", ".join(f"{word(m)} {d}" for m, d in band.begins)
                     for band in ladder.bands)  # fmt: skip


# --- promises to pay ----------------------------------------------------------------------------


def promise_status(
    promised_on: date | None, promised_amount: Decimal | None, paid_since: Decimal, today: date
) -> str | None:
    """What became of a promise (a code of vocabulary.PROMISE_STATUS), seen on `today`: kept once
    the customer's payments on or after the action's day (`paid_since`) reach the amount (any
    payment, for a promise without one); broken once its day is past without; else open. None
    for an action without a promise."""
    if promised_on is None:
        return None
    if (paid_since >= promised_amount) if promised_amount is not None else paid_since > 0:
        return "kept"
    return "broken" if promised_on < today else "open"
