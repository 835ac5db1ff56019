"""The reports' numbers (kehu report): what each covers, read from the book, computed by
domain.reports and domain.aging. Rendering (shares as percentages, bars, labels) is the caller's.

A report covers a `Scope`: the customers of one owner and one pipeline (or all), and the days
from `start` to `end` for what happened on a day (won, lost, touches). A customer won outside
those days still counts as a customer, but not as won. Each report reads in one transaction;
the dashboard sums the customers once for all its parts (in SQL: store.report_data's
CustomerGroups), and reads where each one stands for the funnel's stays only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kehu.domain.aging import AgingTable
    from kehu.domain.reports import (
        ComplaintRow,
        CustomerComplaints,
        CustomerFacts,
        CustomerGroup,
        FunnelRow,
        GradeRow,
        ParetoResult,
        ReferrerRow,
        RepeatRow,
        RivalRow,
        SourceRow,
        WeekRow,
    )
    from kehu.store.db import Store
    from kehu.store.sql import Connection

ACTIVITY_WEEKS = 8  # the activity report's days when no start is given


@dataclass(frozen=True)
class Scope:
    """What a report covers: the customers (owner, pipeline; None: all) and the days (from
    `start`, None: from the beginning, to `end`) of what happened on a day. `today` is the day
    ages and idle days are counted to."""

    today: date
    end: date
    start: date | None = None
    owner: str | None = None
    pipeline: str | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end < self.start:
            from kehu.errors import UsageError
            from kehu.i18n import _

            raise UsageError(_("the period ends ({end}) before it starts ({start})").format(
                end=self.end.isoformat(), start=self.start.isoformat()))  # fmt: skip

    def covers(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and day <= self.end


class _Reading:
    """One transaction's reads for a scope, the customers read once."""

    def __init__(self, connection: Connection, scope: Scope) -> None:
        self.connection, self.scope = connection, scope
        self._facts: list[CustomerFacts] | None = None
        self._groups: list[CustomerGroup] | None = None

    def facts(self) -> list[CustomerFacts]:
        """The customers covered; one won outside the days is not won here."""
        from kehu.store.report_data import customer_facts

        if self._facts is None:
            scope = self.scope
            facts = customer_facts(self.connection, owner=scope.owner, pipeline=scope.pipeline)
            self._facts = [replace(f, won_on=None, won_value=None) if f.won_on and not scope.covers(f.won_on)
                           else f for f in facts]  # fmt: skip
        return self._facts

    def groups(self) -> list[CustomerGroup]:
        """The customers covered, summed in groups (domain.reports.CustomerGroup): won within the
        days, on time by their grade's cadence on today."""
        from kehu.domain.cadence import cadence_days
        from kehu.domain.reports import on_time_since
        from kehu.store.report_data import customer_groups

        if self._groups is None:
            scope = self.scope
            self._groups = customer_groups(
                self.connection, start=scope.start, end=scope.end, owner=scope.owner, pipeline=scope.pipeline,
                on_time_since=on_time_since(scope.today, cadence_days),
            )  # fmt: skip
        return self._groups


@dataclass(frozen=True)
class Funnel:
    pipeline: str  # the pipeline's label
    stages: list[FunnelRow]
    # The open customers' weighted value (在谈机会（加权）): the stages' weighted values count
    # won customers too, collecting their money at 100%.
    open_weighted: Decimal = Decimal("0.00")


def _funnel(reading: _Reading) -> Funnel:
    from kehu.domain import reports
    from kehu.io.pipeline_files import get_pipeline
    from kehu.store.funnel import default_pipeline_key
    from kehu.store.report_data import stage_positions, stage_visits

    scope, groups = reading.scope, reading.groups()
    pipeline = get_pipeline(scope.pipeline or default_pipeline_key(reading.connection))
    positions = stage_positions(reading.connection, owner=scope.owner, pipeline=scope.pipeline)
    visits = stage_visits(reading.connection, positions)
    stages = [(s.key, s.label, s.probability, s.max_idle_days) for s in pipeline.stages]
    return Funnel(pipeline.label, reports.stage_funnel(stages, groups, positions, visits, scope.today),
                  reports.open_pipeline_of(stages, groups))  # fmt: skip


def _compliance(reading: _Reading) -> list[GradeRow]:
    from kehu.domain import reports
    from kehu.domain.cadence import cadence_days

    return reports.grade_rows([g for g in reading.groups() if not g.lost], cadence_days)


def _aging(reading: _Reading) -> AgingTable:
    from kehu.domain.aging import Receivable, aging_table
    from kehu.store.contracts import open_receivables

    # One receivable per open instalment, aged from its own due day.
    receivables = [Receivable(r["contract_id"], r["customer_id"], r["customer"], r["amount"], r["paid"],
                              r["due_on"], r["id"])
                   for r in open_receivables(reading.connection, owner=reading.scope.owner)]  # fmt: skip
    return aging_table(receivables, reading.scope.today)


def funnel(store: Store, scope: Scope) -> Funnel:
    """Per stage of the scope's pipeline (default: the book's): customers, value, weighted value,
    conversion to the next stage, median days, idle customers."""
    with store.read() as connection:
        return _funnel(_Reading(connection, scope))


def grade_compliance(store: Store, scope: Scope) -> list[GradeRow]:
    """Per grade: the customers not lost, and how many were touched within their cadence."""
    with store.read() as connection:
        return _compliance(_Reading(connection, scope))


def receivables(store: Store, scope: Scope) -> AgingTable:
    """What the scope's owner (or everyone) is owed, by age bucket and by customer."""
    with store.read() as connection:
        return _aging(_Reading(connection, scope))


@dataclass(frozen=True)
class Sources:
    sources: list[SourceRow]
    referrals: list[ReferrerRow]


def sources(store: Store, scope: Scope) -> Sources:
    """Customers, won and won value per source, and the referrals traced to each referrer."""
    from kehu.domain import reports

    with store.read() as connection:
        facts = _Reading(connection, scope).facts()
    return Sources(reports.sources(facts), reports.referrals(facts))


def pareto(store: Store, scope: Scope) -> ParetoResult:
    """The share of the won value the top 20% of won customers bring, and who they are."""
    from kehu.domain import reports

    with store.read() as connection:
        return reports.pareto(_Reading(connection, scope).facts())


def activity(store: Store, scope: Scope) -> list[WeekRow]:
    """Touches per week, by channel and by owner, from `start` (default: ACTIVITY_WEEKS before
    the end) to the end; the scope's owner's customers only when it names one."""
    from kehu.domain import reports
    from kehu.store.report_data import touch_facts

    start = scope.start or scope.end - timedelta(weeks=ACTIVITY_WEEKS)
    with store.read() as connection:
        touches = [t for t in touch_facts(connection, start, scope.end)
                   if scope.owner is None or t.owner == scope.owner]  # fmt: skip
    return reports.activity_by_week(touches, start, scope.end)


def lost_reasons(store: Store, scope: Scope) -> list[tuple[str | None, int]]:
    """Why customers were lost within the days, most frequent first (None: no reason given)."""
    from kehu.domain import reports

    with store.read() as connection:
        facts = [
            f for f in _Reading(connection, scope).facts() if f.lost_on is None or scope.covers(f.lost_on)
        ]
    return reports.lost_reasons(facts)


@dataclass(frozen=True)
class Lost:
    """Why customers were lost within the days, and to which rival (None: no reason given, or
    lost to no rival named), each most frequent first."""

    reasons: list[tuple[str | None, int]]
    rivals: list[tuple[str | None, int]]


def lost(store: Store, scope: Scope) -> Lost:
    """The customers lost within the days, by reason and by the rival that took the deal."""
    from kehu.domain import reports
    from kehu.store.report_data import rival_facts

    with store.read() as connection:
        facts = [
            f for f in _Reading(connection, scope).facts() if f.lost_on is None or scope.covers(f.lost_on)
        ]
        presences = rival_facts(connection)
    return Lost(reports.lost_reasons(facts), reports.lost_rivals(facts, presences))


def rivals(store: Store, scope: Scope) -> list[RivalRow]:
    """Per rival across the covered customers: where present, open and worth what, customers
    lost to it and won against it within the days."""
    from kehu.domain import reports
    from kehu.store.report_data import rival_facts

    with store.read() as connection:
        facts = _Reading(connection, scope).facts()
        presences = rival_facts(connection)
    return reports.rivals(facts, presences, scope.covers)


@dataclass(frozen=True)
class Complaints:
    """The complaints raised within the days: per severity and a total row, and per customer."""

    severities: list[ComplaintRow]
    customers: list[CustomerComplaints]


def complaints(store: Store, scope: Scope) -> Complaints:
    """`kehu report complaints`: the covered customers' complaints raised within the days, how
    many were resolved by the end of the days (and in how many days on average), how many open."""
    from kehu.domain import reports
    from kehu.store.report_data import complaint_facts

    with store.read() as connection:
        covered = {f.id for f in _Reading(connection, scope).facts()}
        facts = [f for f in complaint_facts(connection, scope.start, scope.end, owner=scope.owner)
                 if f.customer_id in covered]  # fmt: skip
    return Complaints(reports.complaints(facts, scope.end), reports.complaints_by_customer(facts, scope.end))


def _repeat(reading: _Reading) -> list[RepeatRow]:
    from kehu.domain import reports
    from kehu.store.report_data import repeat_contracts

    scope = reading.scope
    customers, contracts = repeat_contracts(reading.connection, owner=scope.owner, pipeline=scope.pipeline)
    return reports.repeat_business(customers, contracts, scope.covers)


def repeat(store: Store, scope: Scope) -> list[RepeatRow]:
    """Repeat business: per covered customer, its contracts signed within the days on or after its
    first new deal (`kehu reopen --new-deal`), and their value; the largest first."""
    with store.read() as connection:
        return _repeat(_Reading(connection, scope))


@dataclass(frozen=True)
class Dashboard:
    """One screen's figures, and the parts they come from."""

    customers: int
    weighted: Decimal  # the open pipeline (在谈): open customers only, not the won ones collecting
    won: int  # customers won within the days
    won_value: Decimal
    lost: int  # customers lost (ever: a lost customer is lost whenever it was)
    outstanding: Decimal  # money to collect, of every age
    funnel: Funnel
    aging: AgingTable
    compliance: list[GradeRow]
    # Repeat revenue: contracts signed within the days by customers on a second or later deal.
    repeat_value: Decimal = Decimal("0.00")


def dashboard(store: Store, scope: Scope) -> Dashboard:
    """The dashboard: the figures, the funnel, the receivables by age and the follow-up
    compliance by grade, all from one read of the book."""
    with store.read() as connection:
        reading = _Reading(connection, scope)
        stages, aging, compliance = _funnel(reading), _aging(reading), _compliance(reading)
        groups, repeat_rows = reading.groups(), _repeat(reading)
    return Dashboard(
        customers=sum(g.customers for g in groups),
        weighted=stages.open_weighted,
        won=sum(g.won for g in groups),
        won_value=sum((g.won_value for g in groups), start=Decimal("0.00")),
        lost=sum(g.customers for g in groups if g.lost),
        outstanding=aging.total,
        funnel=stages,
        aging=aging,
        compliance=compliance,
        repeat_value=sum((r.value for r in repeat_rows), start=Decimal("0.00")),
    )


def targets(store: Store, scope: Scope, first: str | None = None, last: str | None = None) -> list:
    """`kehu report targets`: each month's results against its targets (domain.targets.TargetRow),
    from month `first` to `last` ('YYYY-MM'; without either, the months that have a target, else
    this month). The scope's owner: that seller's results and targets; no owner: the book's total
    against the book's target, then each seller who has a target that month."""
    from kehu.domain.targets import compare, first_day, last_day, month_of, months, working_days
    from kehu.domain.workdays import is_workday
    from kehu.store.report_data import target_results
    from kehu.store.targets import list_targets

    with store.read() as connection:
        set_before = {(r["month"], r["owner"]): dict(r) for r in list_targets(connection, scope.owner)}
        if scope.owner is not None:
            set_before = {key: row for key, row in set_before.items() if key[1] == scope.owner}
        if first is None and last is None:
            shown_months = sorted({month for month, _owner in set_before}) or [month_of(scope.today)]
        else:
            first, last = first or last or month_of(scope.today), last or month_of(scope.today)
            if last < first:
                from kehu.errors import UsageError
                from kehu.i18n import _

                message = _("the period ends ({end}) before it starts ({start})")
                raise UsageError(message.format(end=last, start=first))
            shown_months = months(first, last)
        results = target_results(connection, first_day(shown_months[0]), last_day(shown_months[-1]))
    if scope.owner is not None:
        shown = [(month, scope.owner) for month in shown_months]
    else:
        sellers = sorted({owner for _month, owner in set_before if owner})
        shown = [(month, owner) for month in shown_months
                 for owner in ("", *sellers) if not owner or (month, owner) in set_before]  # fmt: skip
    return compare(results, set_before, shown, lambda month: working_days(month, scope.today, is_workday))
