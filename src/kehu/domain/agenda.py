"""The morning list: who is due, planned visits and birthdays in a range, most urgent first.

Pure: it takes the rows the store found (plain mappings) and the range, and returns items. The
CLI decides how to print them; `kehu followups --format csv` gives the same items as the table.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from kehu.domain.birthdays import birthday_in_range
from kehu.domain.urgency import OVERDUE_CAP_DAYS, Urgency, urgency, value_tenths

if TYPE_CHECKING:
    from kehu.domain.collection import Ladder

KINDS = ("overdue", "due", "plan", "birthday", "collect", "complaint", "after_sale", "promise")
MISSED_DAYS = 3  # a visit missed longer ago than this asks to be moved or cancelled


@dataclass(frozen=True)
class Window:
    """The days a view covers; customers due on or before `end` are in it."""

    name: str
    start: date
    end: date
    today: date

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def window(view: str, today: date, on: date | None = None) -> Window:
    """today | tomorrow | week (Monday–Sunday of today's week) | overdue | a given day."""
    if view == "today":
        return Window(view, today, today, today)
    if view == "tomorrow":
        tomorrow = today + timedelta(days=1)
        return Window(view, tomorrow, tomorrow, today)
    if view == "week":
        monday = today - timedelta(days=today.weekday())
        return Window(view, monday, monday + timedelta(days=6), today)
    if view == "overdue":
        yesterday = today - timedelta(days=1)
        return Window(view, yesterday, yesterday, today)
    assert on is not None
    return Window("day", on, on, today)


@dataclass
class Item:
    kind: str  # overdue | due | plan | birthday
    day: date  # due date, visit day or birthday (the Gregorian day it falls on)
    customer_id: int
    customer: str
    grade: str | None
    days_overdue: int | None = None
    last_touch_on: date | None = None
    last_channel: str | None = None
    next_step: str | None = None
    contact: str | None = None
    phone: str | None = None
    note: str | None = None  # plan purpose, the birthday's kind, or the collection step's key
    score: Urgency | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        parts = self.score
        return {
            "kind": self.kind, "day": self.day, "customer_id": self.customer_id,
            "customer": self.customer, "grade": self.grade, "days_overdue": self.days_overdue,
            "last_touch_on": self.last_touch_on, "last_channel": self.last_channel,
            "next_step": self.next_step, "contact": self.contact, "phone": self.phone,
            "note": self.note, "document": self.extra.get("document"),
            "promised_amount": self.extra.get("promised_amount"), "score": parts.total if parts else None,
            "score_overdue": parts.overdue if parts else None,
            "score_grade": parts.grade if parts else None,
            "score_stage": parts.stage if parts else None,
            "score_value": parts.value if parts else None,
        }  # fmt: skip


class DueRow(NamedTuple):
    """What ordering and counting a due customer takes; the rest of its line is read later, for
    the few shown. Money in whole cents, as stored, so 100,000 rows need no Decimal each."""

    customer_id: int
    next_due: date
    grade: str | None
    expected_cents: int | None
    pipeline: str | None
    stage: str | None
    status: str


class Ranking(NamedTuple):
    ranked: list[tuple[int, date, int, Urgency]]  # (customer_id, due day, days overdue, score)
    counts: dict[str, int]  # overdue / due: of all, not only the ranked ones


def reference_day(span: Window) -> date:
    """The day lateness is counted to: today, or the window's first day when it lies ahead
    (tomorrow's list: who will be overdue by tomorrow)."""
    return max(span.start, span.today) if span.name != "overdue" else span.today


def rank_due(
    rows: Iterable[DueRow],
    span: Window,
    stage_probability: Callable[[str | None, str | None], float | None],
    limit: int | None = None,
) -> Ranking:
    """Order the customers due in the window, most urgent first (see domain.urgency), and keep
    the first `limit` (all when None). Equal scores go by due day, then id.

    `kehu followups` has the database do this (store/morning.py); this is the same ranking in
    Python, for rows at hand, and the reference the SQL is tested against."""
    reference = reference_day(span)
    # Few distinct inputs: score each (lateness, grade, stage) and each amount once, not per row.
    bases: dict[tuple, Urgency] = {}
    value_points: dict[int | None, float] = {None: 0.0}
    keyed = []
    counts = {"overdue": 0, "due": 0}
    for customer_id, next_due, grade, cents, pipeline, stage, status in rows:  # fields of DueRow
        overdue_days = (reference - next_due).days
        if span.name == "overdue" and overdue_days <= 0:
            continue
        counts["overdue" if overdue_days > 0 else "due"] += 1
        probability = 0.0 if status == "lost" else stage_probability(pipeline, stage)
        key = (min(max(overdue_days, 0), OVERDUE_CAP_DAYS), grade, probability)
        base = bases.get(key)
        if base is None:
            base = bases[key] = urgency(days_overdue=key[0], grade=grade, stage_probability=probability,
                                        expected_value=None)  # fmt: skip
        value = value_points.get(cents)
        if value is None:
            value = value_points[cents] = value_tenths(cents) / 10
        total = round(base.overdue + base.grade + base.stage + value, 1)  # as Urgency.total
        keyed.append((-total, next_due, customer_id, overdue_days, base, value))
    chosen = heapq.nsmallest(limit, keyed) if limit is not None else sorted(keyed)
    ranked = [(customer_id, day, days, Urgency(base.overdue, base.grade, base.stage, value))
              for _, day, customer_id, days, base, value in chosen]  # fmt: skip
    return Ranking(ranked, counts)


def due_items(ranking: Ranking, details: Mapping[int, Mapping[str, Any]]) -> list[Item]:
    """The ranked customers as list items, with their details (name, last touch, key contact)."""
    items = []
    for customer_id, day, overdue_days, score in ranking.ranked:
        row = details[customer_id]
        items.append(Item(
            kind="overdue" if overdue_days > 0 else "due", day=day, customer_id=customer_id,
            customer=row["name"], grade=row["grade"], days_overdue=overdue_days,
            last_touch_on=row["last_touch_on"], last_channel=row["last_channel"],
            next_step=row["next_step"], contact=row["key_contact"],
            phone=row["key_phone"] or row["customer_phone"], score=score,
        ))  # fmt: skip
    return items


def plan_items(rows: Iterable[Mapping[str, Any]], span: Window) -> list[Item]:
    """Planned visits of the window's days, and missed ones (a past day, still open). A visit
    missed more than MISSED_DAYS ago is `stale`: it asks to be moved or cancelled rather than
    counting its days overdue for ever.

    Each item's extra: `plan_id` (for kehu plan move/cancel), `missed` (days since the planned
    day, 0 for a visit still ahead or today's) and `stale` (missed over MISSED_DAYS days ago)."""
    rows = [r for r in rows if span.start <= r["planned_on"] <= span.end or r["planned_on"] < span.today]
    items = []
    for row in rows:
        missed = max((span.today - row["planned_on"]).days, 0)
        items.append(Item(
            kind="plan", day=row["planned_on"], customer_id=row["customer_id"], customer=row["customer"],
            grade=row["grade"], contact=row["contact"], phone=row["contact_phone"], note=row["purpose"],
            extra={"plan_id": row["id"], "missed": missed, "stale": missed > MISSED_DAYS},
            days_overdue=missed or None,
        ))  # fmt: skip
    return items


def collection_items(
    receivables: Iterable[Mapping[str, Any]], span: Window, ladder: Ladder | None = None
) -> list[Item]:
    """Contracts whose money is overdue, with the collection step its amount and age call for by
    the ladder (DOMAIN §6; kehu's default when None) and the document to send, oldest debt first."""
    from kehu.domain.aging import collection_step, days_overdue

    items = []
    for row in receivables:
        days = days_overdue(row["due_on"], span.today)
        step = collection_step(days, row["outstanding"], ladder)
        if step is None:
            continue
        items.append(Item(
            kind="collect", day=row["due_on"], customer_id=row["customer_id"], customer=row["customer"],
            grade=None, days_overdue=days, note=step.key,
            extra={"contract_id": row["id"], "outstanding": row["outstanding"], "step": step.key,
                   "document": step.document},
        ))  # fmt: skip
    items.sort(key=lambda item: (-(item.days_overdue or 0), item.customer_id))
    return items


def promise_items(rows: Iterable[Mapping[str, Any]], span: Window) -> list[Item]:
    """Promises to pay (kehu collect --promise) due by the window's end and not kept: an open one
    on its day, a broken one (its day past, the money not come) with its days overdue, oldest
    first. Each item's note is the status; extra: the action's id and the amount promised."""
    from kehu.domain.collection import promise_status

    items = []
    for row in rows:
        status = promise_status(row["promised_on"], row["promised_amount"], row["paid_since"], span.today)
        if status not in ("open", "broken") or row["promised_on"] > span.end:
            continue
        late = max((span.today - row["promised_on"]).days, 0)
        items.append(Item(
            kind="promise", day=row["promised_on"], customer_id=row["customer_id"], customer=row["customer"],
            grade=None, days_overdue=late, note=status,
            extra={"action_id": row["id"], "promised_amount": row["promised_amount"]},
        ))  # fmt: skip
    items.sort(key=lambda item: (item.day, item.customer_id))
    return items


# How severe a complaint is, most first: the order complaints are due in (None: unrated, last).
SEVERITY_ORDER = ("critical", "high", "medium", "low", None)


def complaint_items(rows: Iterable[Mapping[str, Any]], span: Window) -> list[Item]:
    """Open complaints (seed 002: 处理客户投诉, in time): each due from the day it was raised
    until resolved, whatever the window, the most severe first, then the oldest. Each item's
    note is its severity's code; extra `complaint_id` and the complaint's `description`."""
    items = []
    for row in rows:
        items.append(Item(
            kind="complaint", day=row["raised_on"], customer_id=row["customer_id"], customer=row["customer"],
            grade=None, days_overdue=max((span.today - row["raised_on"]).days, 0), contact=row["contact"],
            note=row["severity"], extra={"complaint_id": row["id"], "description": row["description"]},
        ))  # fmt: skip
    rank = {severity: n for n, severity in enumerate(SEVERITY_ORDER)}
    items.sort(key=lambda item: (rank.get(item.note, len(rank)), item.day, item.extra["complaint_id"]))
    return items


# The after-sale touches of seed 002's 维护策略, with the day each is due from (DOMAIN §6):
# a satisfaction visit (定期回访) a week after the last delivery; thanks to the referrer who
# brought the customer, the day it reached 维护; asking for a referral (转介绍) a month after;
# the next purchase a month before a year has passed since the last contract was signed.
SATISFACTION_AFTER_DAYS = 7
REFERRAL_AFTER_DAYS = 30
NEXT_PURCHASE_AFTER_DAYS = 365 - 30
AFTER_SALE_TOUCHES = ("satisfaction", "thank_referrer", "ask_referral", "next_purchase")


def after_sale_items(rows: Iterable[Mapping[str, Any]], span: Window) -> list[Item]:
    """One suggestion per customer in 维护 (not many rows of noise): the earliest after-sale
    touch not yet done, when its day falls on or before the window's end. A touch is done once
    the customer has a touch (kehu log) on or after its day; the note is its key
    (AFTER_SALE_TOUCHES), extra `referrer` names whom to thank. Earliest day first."""
    items = []
    for row in rows:
        entered, touched = row["stage_since"], row["last_touch_on"]
        touches = []
        if row["delivered_on"] is not None:
            touches.append((row["delivered_on"] + timedelta(days=SATISFACTION_AFTER_DAYS), "satisfaction"))
        if row["referrer"] and entered is not None:
            touches.append((entered, "thank_referrer"))
        if entered is not None:
            touches.append((entered + timedelta(days=REFERRAL_AFTER_DAYS), "ask_referral"))
        if row["signed_on"] is not None:
            touches.append((row["signed_on"] + timedelta(days=NEXT_PURCHASE_AFTER_DAYS), "next_purchase"))
        touches.sort(key=lambda touch: (touch[0], AFTER_SALE_TOUCHES.index(touch[1])))
        waiting = [(day, key) for day, key in touches
                   if (touched is None or touched < day) and day <= span.end]  # fmt: skip
        if not waiting:
            continue
        day, key = waiting[0]
        items.append(Item(
            kind="after_sale", day=day, customer_id=row["customer_id"], customer=row["customer"],
            grade=row["grade"], days_overdue=max((reference_day(span) - day).days, 0),
            last_touch_on=touched, note=key, extra={"referrer": row["referrer"]},
        ))  # fmt: skip
    items.sort(key=lambda item: (item.day, item.customer_id))
    return items


def birthday_items(rows: Iterable[Mapping[str, Any]], span: Window) -> list[Item]:
    """The contacts' birthdays falling in the window. Each item's extra `age`: the age the contact
    turns that day (lunar birthdays: in lunar years), None when the birthday has no year."""
    items = []
    for row in rows:
        lunar = bool(row["birthday_lunar"])
        day = birthday_in_range(row["birthday"], lunar, span.start, span.end)
        if day is None:
            continue
        items.append(Item(
            kind="birthday", day=day, customer_id=row["customer_id"], customer=row["customer"],
            grade=row["grade"], contact=row["name"], phone=row["phone"],
            note="lunar" if lunar else "gregorian", extra={"age": _turns(row["birthday"], lunar, day)},
        ))  # fmt: skip
    items.sort(key=lambda item: (item.day, item.customer_id))
    return items


def _turns(born: Any, lunar: bool, day: date) -> int | None:
    """The age a birthday on `day` completes; None for a birthday kept without its year."""
    if not isinstance(born, date):
        return None
    if lunar:
        from lunardate import LunarDate

        return LunarDate.from_solar_date(day.year, day.month, day.day).year - born.year
    return day.year - born.year


def month_days(span: Window) -> set[int]:
    """month*100+day of every day in the window, and 229 when a Feb 28 of a common year is in
    it (a Feb 29 birthday is kept on Feb 28 then)."""
    found = set()
    for day in span.days():
        found.add(day.month * 100 + day.day)
        if (day.month, day.day) == (2, 28) and not _leap(day.year):
            found.add(229)
    return found


def lunar_month_days(span: Window) -> set[int]:
    """month*100+day of every lunar date (regular month) a window's day falls on, and day 30 of
    a month whose day 29 is in it (a 三十 birthday is kept on 廿九 in a short month): the lunar
    birthdays worth reading. A superset is fine (birthday_items decides), a missing one is not."""
    from lunardate import LunarDate

    found = set()
    for day in span.days():
        lunar = LunarDate.from_solar_date(day.year, day.month, day.day)
        found.add(lunar.month * 100 + lunar.day)
        if lunar.day == 29:
            found.add(lunar.month * 100 + 30)
    return found


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
