"""A contract's payment schedule (付款方式, DOMAIN.md §6): its instalments as a person writes them.

`30% 签约, 60% 验收后30天, 10% 质保1年` or `30% on signing, 60% 30 days after acceptance, 10% a
year after acceptance`: each part is a share (a percentage) or an amount, and when it is due:

* an event, possibly with an offset: 签约/signing, 交货/发货/到货/delivery, 验收/acceptance;
  `验收后30天`, `交货后2周`, `30 days after acceptance`, `a year after delivery`;
* `质保1年` (质保金, the warranty retention): that long after acceptance;
* or a day, in any form the date parser reads (2027-03-31, 下月底), counted from `today`.

An instalment tied to signing is due on the signing day plus its days; one tied to delivery or
acceptance has no due day until that happened. Offsets are kept as days (the schema's
instalment.days): a week is 7, a month 30 and a year 365 days.

Shares must add up to 100% and amounts to the contract's amount; a schedule gives all its parts
one way or the other. The fen a percentage split leaves over go to the last instalment, so the
instalments add up exactly. The functions are pure: `today` is a parameter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from kehu.domain.aging import BUCKET, COLLECTION_STEP
from kehu.domain.dates import DateParseError, parse_date
from kehu.domain.fields import Field
from kehu.domain.vocabulary import INSTALMENT_EVENT
from kehu.i18n import _

__all__ = [
    "EVENTS",
    "Part",
    "Planned",
    "due_after",
    "plan",
    "read_instalment",
    "read_part",
    "read_schedule",
    "read_when",
]

EVENTS = ("signing", "delivery", "acceptance")
# Days an offset's unit counts (instalment.days keeps whole days).
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_CN_UNITS = {"天": "day", "日": "day", "周": "week", "星期": "week", "个月": "month", "月": "month",
             "年": "year"}  # fmt: skip
_CN_EVENTS = {
    "签约": "signing", "签订": "signing", "签合同": "signing", "合同签订": "signing", "预付": "signing",
    "交货": "delivery", "发货": "delivery", "到货": "delivery", "交付": "delivery",
    "验收": "acceptance", "验收合格": "acceptance",
}  # fmt: skip
_EN_EVENTS = {"signing": "signing", "signature": "signing", "delivery": "delivery", "shipment": "delivery",
              "acceptance": "acceptance"}  # fmt: skip
_CN_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
               "十": 10}  # fmt: skip
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}

_CN_EVENT = "|".join(sorted(_CN_EVENTS, key=len, reverse=True))
_CN_N = r"[0-9]{1,4}|[一两二三四五六七八九十]"
_CN_UNIT = "|".join(sorted(_CN_UNITS, key=len, reverse=True))
# 签约, 验收后30天, 交货30天后, 验收后一年内 (after squeezing: no spaces, NFKC, lower case).
_CN_WHEN = re.compile(
    rf"(?:在|于)?(?P<event>{_CN_EVENT})(?:时|当天|后)?(?:(?P<n>{_CN_N})(?P<unit>{_CN_UNIT})(?:后|以后|之后|内)?)?"
)
# 质保1年, 质保金一年, 质保期满1年: after acceptance.
_CN_RETENTION = re.compile(rf"质保(?:金|期)?(?:满)?(?P<n>{_CN_N})(?P<unit>{_CN_UNIT})(?:后|到期)?")
_EN_EVENT = "|".join(_EN_EVENTS)
_EN_N = "|".join(["[0-9]{1,4}", *_EN_NUMBERS])
# on signing, at delivery, 30 days after acceptance, a year after delivery, acceptance + 30 days.
_EN_WHEN = re.compile(
    rf"(?:(?P<n>{_EN_N}) ?(?P<unit>day|week|month|year)s? (?:after|from) )?(?:on |at |upon )?"
    rf"(?:the )?(?P<event>{_EN_EVENT})(?: ?\+ ?(?P<n2>[0-9]{{1,4}}) ?(?P<unit2>day|week|month|year)s?)?"
)
# 1 year warranty, warranty 1 year, retention after 1 year.
_EN_RETENTION = re.compile(
    rf"(?:(?P<n>{_EN_N}) ?(?P<unit>day|week|month|year)s? (?:warranty|retention)|(?:warranty|retention)"
    rf"(?: after)? (?P<n2>{_EN_N}) ?(?P<unit2>day|week|month|year)s?)"
)
# A contract's instalments as `kehu contract show` and `kehu contract list --instalments` print
# them (undated ones, waiting for delivery or acceptance, with an empty due day), and as
# `kehu export instalments` writes them: the schedule itself.
INSTALMENT_FIELDS = (
    Field("contract_id", "合同编号", "contract id", "id"), Field("number", "合同号", "number"),
    Field("customer", "客户", "customer"), Field("seq", "期", "instalment", "count"),
    Field("label", "付款条件", "when"), Field("event", "事件", "event", "choice", INSTALMENT_EVENT),
    Field("days", "天数", "days", "count"), Field("amount", "金额", "amount", "money"),
    Field("due_on", "到期日", "due", "date"), Field("paid", "已回款", "paid", "money"),
    Field("outstanding", "未回款", "outstanding", "money"), Field("bucket", "账龄", "age", "choice", BUCKET),
    Field("step", "催收方式", "collection step", "choice", COLLECTION_STEP),
)  # fmt: skip
_BY_KEY = {f.key: f for f in INSTALMENT_FIELDS}
INSTALMENT_EXPORT_FIELDS = tuple(
    _BY_KEY[key] for key in ("number", "customer", "seq", "amount", "label", "event", "days", "due_on")
)
# At 80 columns: whose, which, how much, what is left, when.
INSTALMENT_PRIORITY = ["customer", "seq", "amount", "outstanding", "due_on", "label", "paid", "step",
                       "number", "bucket", "event", "days", "contract_id"]  # fmt: skip
_PERCENT = re.compile(r"(?P<share>[0-9]{1,3}(?:\.[0-9]{1,2})?)(?:%|percent)")
# Parts are separated by commas (not those grouping an amount's digits: 1,200,000), ，、; or lines.
_SEPARATORS = re.compile(r"(?<![0-9]),|,(?![0-9])|[;，；、\n]")
_HUNDRED = Decimal(100)
_FEN = Decimal("0.01")


@dataclass(frozen=True)
class Part:
    """One instalment as written: a `share` (percent) or an `amount`, due on `due_on` or `days`
    after `event`; `label` is when it is due as the schedule said it."""

    label: str
    share: Decimal | None = None
    amount: Decimal | None = None
    event: str | None = None
    days: int | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class Planned:
    """An instalment to record: its place, exact amount and due day (None until its event)."""

    seq: int
    amount: Decimal
    label: str | None  # None: a contract's one instalment without a schedule
    event: str | None
    days: int | None
    due_on: date | None


def _squeeze(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _count(token: str) -> int:
    if token.isdigit():
        return int(token)
    return _CN_NUMBERS.get(token) or _EN_NUMBERS[token]


def _days(number: str | None, unit: str | None) -> int:
    if number is None:
        return 0
    return _count(number) * _UNIT_DAYS[_CN_UNITS.get(unit, unit)]  # type: ignore[arg-type]


def read_when(text: str, today: date) -> tuple[str | None, int | None, date | None]:
    """(event, days after it, None) or (None, None, the day) that `text` names; ValueError
    (translated) when it names neither."""
    squeezed = _squeeze(text)
    tight = squeezed.replace(" ", "")
    if m := _CN_WHEN.fullmatch(tight):
        return _CN_EVENTS[m["event"]], _days(m["n"], m["unit"]), None
    if m := _CN_RETENTION.fullmatch(tight):
        return "acceptance", _days(m["n"], m["unit"]), None
    if m := _EN_WHEN.fullmatch(squeezed):
        return _EN_EVENTS[m["event"]], _days(m["n"] or m["n2"], m["unit"] or m["unit2"]), None
    if m := _EN_RETENTION.fullmatch(squeezed):
        return "acceptance", _days(m["n"] or m["n2"], m["unit"] or m["unit2"]), None
    try:
        return None, None, parse_date(text, today)
    except DateParseError:
        raise ValueError(
            _("not a due date or event (like 签约, 验收后30天, 质保1年, 30 days after acceptance, "
              "2027-03-31): {text}").format(text=text.strip())
        ) from None  # fmt: skip


def read_part(how_much: str, when: str, today: date) -> Part:
    """One instalment from its amount or percentage (`30%`, `50万`) and when it is due."""
    from kehu.domain.values import parse_money

    event, days, due_on = read_when(when, today)
    label = " ".join(when.split())
    share_text = _squeeze(how_much).replace(" ", "")
    if m := _PERCENT.fullmatch(share_text):
        share = Decimal(m["share"])
        if not 0 < share <= _HUNDRED:
            raise ValueError(_("a share is more than 0 and at most 100%: {text}").format(text=how_much))
        return Part(label, share=share, event=event, days=days, due_on=due_on)
    amount = parse_money(how_much)
    if amount <= 0:
        raise ValueError(_("an instalment must be more than zero: {text}").format(text=how_much))
    return Part(label, amount=amount, event=event, days=days, due_on=due_on)


def _split_part(text: str) -> tuple[str, str]:
    """`30% 签约` or `30%签约` or `50万 交货` → (how much, when)."""
    stripped = text.strip()
    squeezed = unicodedata.normalize("NFKC", stripped)
    if m := re.match(r"\s*([0-9]{1,3}(?:\.[0-9]{1,2})?\s*%)\s*(.*)", squeezed, re.S):
        return m[1], m[2]
    if " " in stripped:
        how_much, when = stripped.split(None, 1)
        return how_much, when
    # 50万交货: the longest leading amount.
    from kehu.domain.values import parse_money

    for end in range(len(stripped) - 1, 0, -1):
        try:
            parse_money(stripped[:end])
        except ValueError:
            continue
        return stripped[:end], stripped[end:]
    return stripped, ""


def read_instalment(text: str, today: date) -> Part:
    """One instalment written as one text: its amount or percentage, then when (`30% 签约`,
    `50万 交货后10天`, `10% a year after acceptance`)."""
    how_much, when = _split_part(text)
    if not when.strip():
        raise ValueError(_("an instalment needs an amount and when it is due: {text}").format(
            text=text.strip()))  # fmt: skip
    return read_part(how_much, when, today)


def read_schedule(text: str, today: date) -> list[Part]:
    """The parts of a schedule written as one text, parts separated by commas (，、; too)."""
    pieces = [piece for piece in _SEPARATORS.split(text) if piece.strip()]
    if not pieces:
        raise ValueError(_("an empty schedule"))
    return [read_instalment(piece, today) for piece in pieces]


def due_after(event_day: date, days: int | None) -> date:
    """The due day of an instalment `days` after an event that happened on `event_day`."""
    return event_day + timedelta(days=days or 0)


def schedule_gap(number: object, added: Decimal, amount: Decimal) -> str | None:
    """What is wrong with a contract's instalments that add up to `added` against its `amount`
    (None: they add up to the fen). One message for every reader of a schedule: the import, the
    dump's check."""
    if added == amount:
        return None
    message = _("contract {number}: the instalments add up to {added}, not its amount {amount} "
                "(a difference of {difference})")  # fmt: skip
    return message.format(number=number, added=f"{added:.2f}", amount=f"{amount:.2f}",
                          difference=f"{added - amount:+.2f}")  # fmt: skip


def plan(parts: list[Part], total: Decimal, signed_on: date) -> list[Planned]:
    """The instalments of a contract of `total` signed on `signed_on`, exact to the fen: shares
    are rounded down to the fen and the last instalment takes what is left. ValueError
    (translated) when shares do not add up to 100%, amounts not to `total`, or both are mixed."""
    if not parts:
        raise ValueError(_("an empty schedule"))
    shares = [p for p in parts if p.share is not None]
    if shares and len(shares) != len(parts):
        raise ValueError(_("give every instalment as a percentage or every one as an amount, not both"))
    if shares:
        added = sum((p.share for p in parts if p.share is not None), Decimal(0))
        if added != _HUNDRED:
            message = _("the percentages add up to {share}%, not 100%")
            raise ValueError(message.format(share=f"{added.normalize():f}"))
        amounts = [(total * p.share / _HUNDRED).quantize(_FEN, rounding=ROUND_DOWN) for p in parts]  # type: ignore[operator]
        amounts[-1] = total - sum(amounts[:-1], Decimal(0))
    else:
        amounts = [p.amount for p in parts]  # type: ignore[misc]
        added = sum(amounts, Decimal(0))
        if added != total:
            raise ValueError(_("the instalments add up to {added}, not the contract's {total}").format(
                added=f"{added:.2f}", total=f"{total:.2f}"))  # fmt: skip
    planned = []
    for seq, (part, amount) in enumerate(zip(parts, amounts, strict=True), start=1):
        if amount <= 0:
            raise ValueError(_("instalment {seq} comes to {amount}").format(seq=seq, amount=f"{amount:.2f}"))
        due_on = part.due_on
        if part.event == "signing":
            due_on = due_after(signed_on, part.days)
        if due_on is not None and due_on < signed_on:
            raise ValueError(_("instalment {seq} is due before the signing date: {due}").format(
                seq=seq, due=due_on.isoformat()))  # fmt: skip
        planned.append(Planned(seq, amount, part.label, part.event, part.days, due_on))
    return planned
