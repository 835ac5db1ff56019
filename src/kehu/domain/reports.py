"""The numbers behind `kehu report` (DOMAIN.md §3, §4, §8): the funnel, grade compliance, sources,
referrals, the 80/20 concentration of won value, lost reasons and activity by week.

Inputs are plain records the store produces (StageVisit, CustomerFacts, TouchFact); nothing here
reads the clock or the database. Choices every report shares:

* Shares (conversion, compliance, win rate, the Pareto share) are exact `Fraction`s: 3 of 5 is
  Fraction(3, 5), and a total is never off by a float's last digit. Renderers round them for
  display (`f"{float(share):.0%}"`); None means there is nothing to divide by.
* Money sums are exact Decimals; a missing value (None) counts as 0.
* Won means `won_on` is set, lost means `lost_on` is set. A lost customer keeps its stage
  (DOMAIN §4) but leaves the funnel's counts; a won one stays in the funnel while it has a stage
  (after 赢取承诺 comes 回收账款, collecting the money), until the store clears the stage. Open
  (still being negotiated, 在谈) is the card's status, not lost: `open_pipeline` sums only those.
  A won customer's next deal (kehu reopen --new-deal) is open, though the card keeps the old
  deal's won day and value until this one is won: it counts as won (that deal) and open (this one).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from operator import itemgetter
from typing import NamedTuple

from kehu.domain.grades import GRADES

__all__ = [
    "ComplaintFact",
    "ComplaintRow",
    "CustomerComplaints",
    "CustomerFacts",
    "CustomerGroup",
    "FunnelRow",
    "GradeRow",
    "IdleCustomer",
    "ParetoResult",
    "ReferrerRow",
    "RepeatContract",
    "RepeatRow",
    "RivalFact",
    "RivalRow",
    "SourceRow",
    "StagePosition",
    "StageVisit",
    "TouchFact",
    "WeekRow",
    "WonCustomer",
    "activity_by_week",
    "complaints",
    "complaints_by_customer",
    "customer_groups",
    "funnel",
    "grade_compliance",
    "grade_rows",
    "lost_reasons",
    "lost_rivals",
    "on_time_since",
    "open_pipeline",
    "open_pipeline_of",
    "pareto",
    "referrals",
    "repeat_business",
    "rivals",
    "sources",
    "stage_funnel",
]

_ZERO = Decimal("0.00")
_CENT = Decimal("0.01")
# (key, label, win probability 0..1, max idle days or None): a pipelines.Stage as the report needs it.
FunnelStage = tuple[str, str, float | Decimal, int | None]


class StageVisit(NamedTuple):
    """One stay of a customer in a funnel stage; `left_on` is None while it is still there.

    A named tuple, not a dataclass: a dashboard at 100,000 customers makes 220,000 of them, and
    a frozen dataclass takes two and a half times as long to make (0.73 against 0.29 µs)."""

    customer_id: int
    stage_key: str
    entered_on: date
    left_on: date | None = None


@dataclass(frozen=True)
class CustomerFacts:
    """What the reports read of one customer card."""

    id: int
    name: str
    owner: str | None = None
    source: str | None = None  # a SOURCE code
    referrer_id: int | None = None
    grade: str | None = None
    stage_key: str | None = None
    expected_value: Decimal | None = None
    won_on: date | None = None
    won_value: Decimal | None = None
    lost_on: date | None = None
    lost_reason: str | None = None
    created_on: date | None = None
    status: str = "open"  # open | won | lost, as the card says, whatever the report's days

    @property
    def open(self) -> bool:
        """Still being negotiated (在谈): the card is open and not lost (a won customer's next
        deal is open, its old won day kept)."""
        return self.status == "open" and self.lost_on is None


@dataclass(frozen=True)
class CustomerGroup:
    """The customers alike in what the funnel, the grades and the dashboard count them by, and
    their sums: the store sums them in SQL (store.report_data.customer_groups), `customer_groups`
    in Python from CustomerFacts."""

    stage_key: str | None
    grade: str | None
    lost: bool
    open: bool  # CustomerFacts.open
    customers: int
    expected_value: Decimal  # their expected deal values (None counts as 0)
    won: int  # of them won (won_on set)
    won_value: Decimal
    on_time: int  # of them touched on time: their last touch on or after on_time_since's day


class StagePosition(NamedTuple):
    """Where a customer stands in the funnel, what its stays and idle days are read from."""

    customer_id: int
    name: str
    stage_key: str | None
    lost: bool
    created_on: date | None  # the local day it was added: its first stay starts then


def customer_groups(
    customers: Iterable[CustomerFacts], on_time: Callable[[CustomerFacts], bool] = lambda customer: False
) -> list[CustomerGroup]:
    """The customers as CustomerGroups; `on_time` says whether one was touched on time."""
    groups: dict[tuple, list[CustomerFacts]] = defaultdict(list)
    for c in customers:
        groups[(c.stage_key, c.grade, c.lost_on is not None, c.open)].append(c)
    return [
        CustomerGroup(*key, len(group), sum((_money(c.expected_value) for c in group), _ZERO), *_won(group),
                      sum(1 for c in group if on_time(c)))
        for key, group in groups.items()
    ]  # fmt: skip


@dataclass(frozen=True)
class TouchFact:
    customer_id: int
    on: date
    channel: str | None = None  # a CHANNEL code
    owner: str | None = None


def _money(value: Decimal | None) -> Decimal:
    return _ZERO if value is None else value


def _won(group: list[CustomerFacts]) -> tuple[int, Decimal]:
    """How many of `group` were won, and for how much in all."""
    won = [c for c in group if c.won_on is not None]
    return len(won), sum((_money(c.won_value) for c in won), _ZERO)


# --- the funnel (销售漏斗) ------------------------------------------------------------------


class IdleCustomer(NamedTuple):  # a tuple, as StageVisit: most of 100,000 customers can be idle
    customer_id: int
    name: str
    days: int  # days in the stage by today


@dataclass(frozen=True)
class FunnelRow:
    key: str
    label: str
    probability: Decimal
    count: int  # customers now in the stage, lost ones left out
    value: Decimal  # their expected deal value (预计成交额)
    weighted: Decimal  # value × probability, to the cent (half up)
    # Of those who ever entered, the share that entered the next stage; None for the last stage
    # and for a stage nobody has passed through yet (no one left it, nor was lost in it).
    conversion: Fraction | None
    median_days: float | None  # over completed stays; int-valued unless the middle is a pair
    idle: tuple[IdleCustomer, ...]  # longer than the stage's max idle days, longest first


def funnel(
    stages: Sequence[FunnelStage],
    customers: Iterable[CustomerFacts],
    visits: Iterable[StageVisit],
    today: date,
) -> list[FunnelRow]:
    """One row per stage, in the pipeline's order, with the numbers DOMAIN §4 asks for, from the
    customers' cards (`stage_funnel` from their groups and positions)."""
    customers = list(customers)
    positions = [
        StagePosition(c.id, c.name, c.stage_key, c.lost_on is not None, c.created_on) for c in customers
    ]
    return stage_funnel(stages, customer_groups(customers), positions, visits, today)


def stage_funnel(
    stages: Sequence[FunnelStage],
    groups: Iterable[CustomerGroup],
    positions: Iterable[StagePosition],
    visits: Iterable[StageVisit],
    today: date,
) -> list[FunnelRow]:
    """One row per stage, in the pipeline's order, with the numbers DOMAIN §4 asks for.

    Conversion reads the visits, and the last stage has none (there is no next stage); nor has a
    stage nobody has passed through: while everyone who entered is still in it, 0% would say
    they all failed and is not known yet. A customer lost in the stage has passed through it
    (and not converted). A customer's days in its stage count from its latest visit to that
    stage; one with no visit recorded there is never flagged idle (its entry date is unknown).
    Customers on a stage key not in `stages` belong to another pipeline and are left out.
    Raises ValueError for a probability outside 0..1.
    """
    groups = list(groups)
    entered, latest_entry, stays, left = _history(visits)
    standing: dict[str | None, list[StagePosition]] = defaultdict(list)  # the customers in each, not lost
    for position in positions:
        if not position.lost:
            standing[position.stage_key].append(position)
    rows = []
    for index, (key, label, probability, max_idle_days) in enumerate(stages):
        chance = Decimal(str(probability))
        if not 0 <= chance <= 1:
            raise ValueError(f"stage {key!r}: win probability {probability!r} is not between 0 and 1")
        here = [g for g in groups if g.stage_key == key and not g.lost]
        value = sum((g.expected_value for g in here), _ZERO)
        weighted = (value * chance).quantize(_CENT, rounding=ROUND_HALF_UP)
        entered_next = entered[stages[index + 1][0]] if index + 1 < len(stages) else None
        lost_here = any(g.stage_key == key and g.lost and g.customers for g in groups)
        conversion = _conversion(entered[key], entered_next) if left[key] or lost_here else None
        median = statistics.median(stays[key]) if stays[key] else None
        idle = _idle(standing[key], key, latest_entry, max_idle_days, today)
        count = sum(g.customers for g in here)
        rows.append(FunnelRow(key, label, chance, count, value, weighted, conversion, median, idle))
    return rows


def _history(
    visits: Iterable[StageVisit],
) -> tuple[dict[str, set[int]], dict[tuple[int, str], date], dict[str, list[int]], dict[str, set[int]]]:
    """What the funnel reads from the visits, in one pass.

    Per stage: the ids of everyone who ever entered it, the days of each completed stay and the
    ids of those who left it; per (customer id, stage): the customer's latest entry into it.
    """
    entered: dict[str, set[int]] = defaultdict(set)
    latest_entry: dict[tuple[int, str], date] = {}
    stays: dict[str, list[int]] = defaultdict(list)
    left: dict[str, set[int]] = defaultdict(set)
    for customer_id, stage_key, entered_on, left_on in visits:
        entered[stage_key].add(customer_id)
        key = (customer_id, stage_key)
        if key not in latest_entry or entered_on > latest_entry[key]:
            latest_entry[key] = entered_on
        if left_on is not None:
            stays[stage_key].append((left_on - entered_on).days)
            left[stage_key].add(customer_id)
    return entered, latest_entry, stays, left


def _conversion(entered: set[int], entered_next: set[int] | None) -> Fraction | None:
    if entered_next is None or not entered:
        return None
    return Fraction(len(entered & entered_next), len(entered))


def open_pipeline(stages: Sequence[FunnelStage], customers: Iterable[CustomerFacts]) -> Decimal:
    """The open pipeline, weighted, of the customers' cards (`open_pipeline_of`)."""
    return open_pipeline_of(stages, customer_groups(customers))


def open_pipeline_of(stages: Sequence[FunnelStage], groups: Iterable[CustomerGroup]) -> Decimal:
    """The open pipeline, weighted (在谈机会（加权）): each open customer's expected value times
    its stage's win probability, to the cent (half up) per stage as `funnel` rounds it.

    Won customers are not in it (their money is won, or to collect), nor lost ones, nor those on
    a stage not in `stages`.
    """
    by_stage: dict[str, Decimal] = defaultdict(lambda: _ZERO)
    for group in groups:
        if group.open and group.stage_key is not None:
            by_stage[group.stage_key] += group.expected_value
    total = _ZERO
    for key, _label, probability, _idle_days in stages:
        total += (by_stage[key] * Decimal(str(probability))).quantize(_CENT, rounding=ROUND_HALF_UP)
    return total


def _idle(
    here: list[StagePosition],
    key: str,
    latest_entry: Mapping[tuple[int, str], date],
    max_idle_days: int | None,
    today: date,
) -> tuple[IdleCustomer, ...]:
    if max_idle_days is None:
        return ()
    idle = []
    for customer in here:
        entry = latest_entry.get((customer.customer_id, key))
        if entry is not None and (days := (today - entry).days) > max_idle_days:
            idle.append(IdleCustomer(customer.customer_id, customer.name, days))
    idle.sort(key=itemgetter(0))  # by id, then (a stable sort) the longest first
    idle.sort(key=itemgetter(2), reverse=True)
    return tuple(idle)


# --- grades and their cadence (客户追踪志) ----------------------------------------------------


@dataclass(frozen=True)
class GradeRow:
    grade: str | None  # None: customers not yet graded
    count: int
    touched: int | None  # touched within the grade's cadence; None for E (no cadence)
    share: Fraction | None  # touched / count; None for E and for an empty grade


def on_time_since(today: date, cadence_days: Callable[[str | None], int | None]) -> dict[str | None, date]:
    """Per grade with a cadence (A–D, and None: ungraded), the earliest last touch that is within
    it on `today`: touched within cadence means the last touch is at most `cadence_days(grade)`
    days before `today`, i.e. the customer is not overdue by its cadence (snoozes and next steps
    aside). A never-touched customer is not."""
    since = {}
    for grade in (*GRADES, None):
        days = cadence_days(grade)
        if days is not None:
            since[grade] = today - timedelta(days=days)
    return since


def grade_compliance(
    customers: Iterable[CustomerFacts],
    last_touch_by_customer: Mapping[int, date],
    today: date,
    cadence_days: Callable[[str | None], int | None],
) -> list[GradeRow]:
    """Per grade A–E, how many of the customers there are and the share touched within their
    cadence (`grade_rows`, `on_time_since`). Raises ValueError for a grade not in A–E."""
    since = on_time_since(today, cadence_days)

    def on_time(customer: CustomerFacts) -> bool:
        last_touch, earliest = last_touch_by_customer.get(customer.id), since.get(customer.grade)
        return last_touch is not None and earliest is not None and last_touch >= earliest

    return grade_rows(customer_groups(customers, on_time), cadence_days)


def grade_rows(
    groups: Iterable[CustomerGroup], cadence_days: Callable[[str | None], int | None]
) -> list[GradeRow]:
    """Per grade A–E, how many customers the groups hold and the share touched on time.

    Rows A–E always come, then a row for ungraded customers (who follow `cadence_days(None)`)
    when there are any. Raises ValueError for a grade not in A–E.
    """
    count: Counter[str | None] = Counter()
    touched: Counter[str | None] = Counter()
    for group in groups:
        if group.grade is not None and group.grade not in GRADES:
            raise ValueError(f"unknown grade {group.grade!r}")
        count[group.grade] += group.customers
        touched[group.grade] += group.on_time
    rows = []
    for grade in (*GRADES, None) if count[None] else GRADES:
        if cadence_days(grade) is None:
            rows.append(GradeRow(grade, count[grade], None, None))
            continue
        share = Fraction(touched[grade], count[grade]) if count[grade] else None
        rows.append(GradeRow(grade, count[grade], touched[grade], share))
    return rows


# --- sources and referrals (客户来源, 转介绍) ---------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    source: str | None  # None: no source recorded
    customers: int
    won: int
    win_rate: Fraction  # won / customers
    won_value: Decimal


def sources(customers: Iterable[CustomerFacts]) -> list[SourceRow]:
    """Per source: customers, won, win rate and won value; the most won value first.

    Ties go to more customers, then to the source code (unknown source last).
    """
    groups: dict[str | None, list[CustomerFacts]] = defaultdict(list)
    for customer in customers:
        groups[customer.source].append(customer)
    rows = []
    for source, group in groups.items():
        won, value = _won(group)
        rows.append(SourceRow(source, len(group), won, Fraction(won, len(group)), value))
    return sorted(rows, key=lambda r: (-r.won_value, -r.customers, r.source is None, r.source or ""))


@dataclass(frozen=True)
class ReferrerRow:
    referrer_id: int
    referrer: str | None  # None when the referrer is not among the customers given
    referred: int
    referred_won: int
    referred_won_value: Decimal


def referrals(customers: Iterable[CustomerFacts]) -> list[ReferrerRow]:
    """Per referrer, the customers it referred and the value they were won for; most value first.

    Only direct referrals count: a customer referred by someone the referrer brought in is
    credited to that someone, not down the chain. Ties go to more referred, then to the id.
    """
    customers = list(customers)
    names = {c.id: c.name for c in customers}
    referred: dict[int, list[CustomerFacts]] = defaultdict(list)
    for customer in customers:
        if customer.referrer_id is not None:
            referred[customer.referrer_id].append(customer)
    rows = [
        ReferrerRow(referrer_id, names.get(referrer_id), len(group), *_won(group))
        for referrer_id, group in referred.items()
    ]
    return sorted(rows, key=lambda r: (-r.referred_won_value, -r.referred, r.referrer_id))


# --- 80/20 (大客户), lost reasons --------------------------------------------------------------


@dataclass(frozen=True)
class WonCustomer:
    customer_id: int
    name: str
    won_value: Decimal


@dataclass(frozen=True)
class ParetoResult:
    won_customers: int
    total_won_value: Decimal
    top: tuple[WonCustomer, ...]  # the top 20%: ceil(0.2 × won customers), most value first
    top_value: Decimal
    share: Fraction | None  # top_value / total_won_value; None when nothing was won for money


def pareto(customers: Iterable[CustomerFacts]) -> ParetoResult:
    """The share of all won value that the top 20% of won customers bring (seed 002: 80/20).

    The top is ceil(n / 5) of the n won customers, by won value, ties to the lower id. The
    share is exact (a Fraction): a Decimal quotient would round a third.
    """
    won = [WonCustomer(c.id, c.name, _money(c.won_value)) for c in customers if c.won_on is not None]
    won.sort(key=lambda w: (-w.won_value, w.customer_id))
    top = tuple(won[: -(-len(won) // 5)])  # ceil(n / 5) in integers: no float on the way
    total = sum((w.won_value for w in won), _ZERO)
    top_value = sum((w.won_value for w in top), _ZERO)
    share = Fraction(top_value) / Fraction(total) if total else None
    return ParetoResult(len(won), total, top, top_value, share)


def lost_reasons(customers: Iterable[CustomerFacts]) -> list[tuple[str | None, int]]:
    """(reason, count) over lost customers, most frequent first, ties in reason order.

    Reasons are free text compared after collapsing white space; a lost customer with no reason
    counts under None, listed after the reasons of the same count.
    """
    counts = Counter(_reason(c.lost_reason) for c in customers if c.lost_on is not None)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))


def _reason(text: str | None) -> str | None:
    # "价格太高 " and "价格太高" are one reason; a blank one is none.
    return " ".join((text or "").split()) or None


# --- rivals (竞争信息) -------------------------------------------------------------------------


@dataclass(frozen=True)
class RivalFact:
    """A rival recorded at a customer; `won_on` when the customer was lost to it."""

    rival_id: int
    customer_id: int
    name: str
    name_key: str  # the same rival at several customers (domain.names.name_key)
    won_on: date | None = None


@dataclass(frozen=True)
class RivalRow:
    rival: str  # the spelling most of its records use (ties: the first recorded)
    name_key: str
    customers: int  # customers where it is recorded
    open: int  # of them still being negotiated (在谈)
    they_won: int  # customers lost to it
    we_won: int  # customers we won where it was present
    open_value: Decimal  # the expected value of the open ones: what is at stake against it


def _spellings(presences: Iterable[RivalFact]) -> dict[str, str]:
    """Each name key's most common spelling; ties go to the spelling recorded first."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[tuple[str, str], int] = {}
    for fact in presences:
        counts[fact.name_key][fact.name] += 1
        spelt = (fact.name_key, fact.name)
        first[spelt] = min(first.get(spelt, fact.rival_id), fact.rival_id)
    return {
        key: min(names, key=lambda name, key=key, names=names: (-names[name], first[(key, name)]))
        for key, names in counts.items()
    }


def rivals(
    customers: Iterable[CustomerFacts],
    presences: Iterable[RivalFact],
    covers: Callable[[date], bool] = lambda day: True,
) -> list[RivalRow]:
    """Per rival (its records grouped by name key, across the customers given): where it is
    present, how many of those are open and worth what, how many it won from us (lost to it on a
    day `covers`), how many we won against it (won_on is set: the caller keeps only the won ones
    of its days). Most present first, then most won from us, then by name."""
    by_id = {c.id: c for c in customers}
    facts = [p for p in presences if p.customer_id in by_id]
    spelling = _spellings(facts)
    groups: dict[str, dict[int, RivalFact]] = defaultdict(dict)
    for fact in facts:
        groups[fact.name_key].setdefault(fact.customer_id, fact)
    rows = []
    for key, at in groups.items():
        present = [by_id[customer_id] for customer_id in at]
        open_ = [c for c in present if c.open]
        they_won = sum(1 for c in present if at[c.id].won_on is not None and c.lost_on is not None
                       and covers(c.lost_on))  # fmt: skip
        rows.append(RivalRow(
            rival=spelling[key], name_key=key, customers=len(present), open=len(open_), they_won=they_won,
            we_won=sum(1 for c in present if c.won_on is not None),
            open_value=sum((_money(c.expected_value) for c in open_), _ZERO),
        ))  # fmt: skip
    return sorted(rows, key=lambda r: (-r.customers, -r.they_won, r.rival))


def lost_rivals(
    customers: Iterable[CustomerFacts], presences: Iterable[RivalFact]
) -> list[tuple[str | None, int]]:
    """(rival, count) over the lost ones of the customers: the rival each was lost to (`kehu lost
    --to`), None for those lost to no rival named; most frequent first, None after the rivals of
    its count. A rival is named as in `rivals` (its most common spelling among these customers)."""
    customers = list(customers)
    ids = {c.id for c in customers}
    lost = {c.id for c in customers if c.lost_on is not None}
    facts = [f for f in presences if f.customer_id in ids]
    spelling = _spellings(facts)
    taken = {f.customer_id: spelling[f.name_key] for f in facts
             if f.won_on is not None and f.customer_id in lost}  # fmt: skip
    counts = Counter(taken.get(customer_id) for customer_id in lost)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))


# --- activity (跟进) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekRow:
    week: date  # the Monday of the ISO week
    total: int
    by_channel: dict[str | None, int]  # channels with touches only, in code order, None last
    by_owner: dict[str | None, int]  # owners with touches only, in name order, None last


def activity_by_week(touches: Iterable[TouchFact], start: date, end: date) -> list[WeekRow]:
    """Touches from `start` to `end` (both included) per ISO week, by channel and by owner.

    Every week from the one holding `start` to the one holding `end` has a row, empty weeks
    too, so a chart's time axis has no gaps. Raises ValueError when `end` is before `start`.
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    first = start - timedelta(days=start.weekday())
    weeks = [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]
    channels: dict[date, Counter[str | None]] = {week: Counter() for week in weeks}
    owners: dict[date, Counter[str | None]] = {week: Counter() for week in weeks}
    for touch in touches:
        if start <= touch.on <= end:
            week = touch.on - timedelta(days=touch.on.weekday())
            channels[week][touch.channel] += 1
            owners[week][touch.owner] += 1
    return [
        WeekRow(week, channels[week].total(), _in_order(channels[week]), _in_order(owners[week]))
        for week in weeks
    ]


def _in_order(counts: Counter[str | None]) -> dict[str | None, int]:
    return dict(sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or "")))


# --- after the sale (维护): complaints and repeat business ---------------------------------------

# The severities in order, the mildest first (domain.vocabulary.SEVERITY's codes).
SEVERITY_ORDER = ("low", "medium", "high", "critical")
TOTAL = "total"  # the complaints report's last row: every severity together


@dataclass(frozen=True)
class ComplaintFact:
    """A complaint as the report reads it: `resolved_on` is set once it is resolved."""

    customer_id: int
    customer: str
    raised_on: date
    severity: str | None = None  # a SEVERITY code; None: not said
    resolved_on: date | None = None


@dataclass(frozen=True)
class ComplaintRow:
    severity: str | None  # a SEVERITY code, None (not said) or TOTAL
    raised: int  # raised within the days
    resolved: int  # of them resolved by the end of the days
    open: int  # of them still open at the end of the days
    average_days: Decimal | None  # days from raised to resolved, to one place; None: none resolved


@dataclass(frozen=True)
class CustomerComplaints:
    customer_id: int
    customer: str
    open: int
    resolved: int


def _resolved_by(fact: ComplaintFact, end: date) -> bool:
    return fact.resolved_on is not None and fact.resolved_on <= end


def _complaint_row(severity: str | None, facts: list[ComplaintFact], end: date) -> ComplaintRow:
    resolved = [f for f in facts if _resolved_by(f, end)]
    days = sum((f.resolved_on - f.raised_on).days for f in resolved)  # type: ignore[operator]
    average = (Decimal(days) / len(resolved)).quantize(Decimal("0.1"), ROUND_HALF_UP) if resolved else None
    return ComplaintRow(severity, len(facts), len(resolved), len(facts) - len(resolved), average)


def complaints(facts: Iterable[ComplaintFact], end: date) -> list[ComplaintRow]:
    """Per severity (the mildest first, then those without one, each only when it has complaints),
    then a TOTAL row: the complaints given (those raised within the report's days), how many were
    resolved by `end` and how many were still open then, and the average days to resolve them."""
    facts = list(facts)
    known = [s for s in SEVERITY_ORDER if any(f.severity == s for f in facts)]
    others = sorted({f.severity for f in facts if f.severity and f.severity not in SEVERITY_ORDER})
    severities: list[str | None] = [*known, *others]
    if any(f.severity is None for f in facts):
        severities.append(None)
    rows = [_complaint_row(s, [f for f in facts if f.severity == s], end) for s in severities]
    return [*rows, _complaint_row(TOTAL, facts, end)]


def complaints_by_customer(facts: Iterable[ComplaintFact], end: date) -> list[CustomerComplaints]:
    """Per customer with complaints: how many are open and resolved at `end`; the most open
    first, then the most resolved, then by name."""
    groups: dict[int, list[ComplaintFact]] = defaultdict(list)
    for fact in facts:
        groups[fact.customer_id].append(fact)
    rows = []
    for customer_id, group in groups.items():
        resolved = sum(1 for f in group if _resolved_by(f, end))
        rows.append(CustomerComplaints(customer_id, group[0].customer, len(group) - resolved, resolved))
    return sorted(rows, key=lambda r: (-r.open, -r.resolved, r.customer, r.customer_id))


@dataclass(frozen=True)
class RepeatContract:
    """A contract signed on or after its customer's first new deal (`kehu reopen --new-deal`)."""

    customer_id: int
    first_new_deal: date  # the day of the customer's first new_deal stage change
    signed_on: date
    amount: Decimal


@dataclass(frozen=True)
class RepeatRow:
    customer_id: int
    customer: str
    owner: str | None
    since: date  # its first new deal
    contracts: int  # repeat contracts signed within the days
    value: Decimal  # their amounts in all


def repeat_business(
    customers: Iterable[CustomerFacts],
    contracts: Iterable[RepeatContract],
    covers: Callable[[date], bool] = lambda day: True,
) -> list[RepeatRow]:
    """Repeat revenue (重复采购): per customer given, the money of its second and later deals, its
    contracts signed on or after its first new deal, signed on a day `covers`. Customers with such
    contracts only; the largest value first, then by name."""
    by_id = {c.id: c for c in customers}
    groups: dict[int, list[RepeatContract]] = defaultdict(list)
    for contract in contracts:
        repeat = contract.signed_on >= contract.first_new_deal and covers(contract.signed_on)
        if contract.customer_id in by_id and repeat:
            groups[contract.customer_id].append(contract)
    rows = [
        RepeatRow(customer_id, by_id[customer_id].name, by_id[customer_id].owner, group[0].first_new_deal,
                  len(group), sum((c.amount for c in group), _ZERO))
        for customer_id, group in groups.items()
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (-r.value, r.customer, r.customer_id))
