"""The plain facts the reports are computed from (domain.reports), read in a few queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Connection

from kehu.domain.reports import CustomerFacts, StageVisit, TouchFact
from kehu.store.models import customer_table, stage_change_table, touch_table


def _local_day(moment: datetime) -> date:
    """The local calendar day of a UTC moment. The local offset is looked up once per UTC day
    (per moment only on a day the zone changes it): 100,000 astimezone calls were a third of
    the dashboard's time."""
    day = moment.date()
    if day not in _offsets:
        start = datetime(day.year, day.month, day.day, tzinfo=moment.tzinfo)
        first, last = (
            start.astimezone().utcoffset(),
            (start + timedelta(hours=23, minutes=59)).astimezone().utcoffset(),
        )
        _offsets[day] = first if first == last else None
    offset = _offsets[day]
    return (moment + offset).date() if offset is not None else moment.astimezone().date()


_offsets: dict[date, timedelta | None] = {}


def customer_facts(
    connection: Connection, *, owner: str | None = None, pipeline: str | None = None
) -> list[CustomerFacts]:
    c = customer_table.c
    statement = select(
        c.id, c.name, c.owner, c.source, c.referrer_id, c.grade, c.stage, c.expected_value, c.won_on,
        c.won_value, c.lost_on, c.lost_reason, c.created_at, c.pipeline,
    ).where(c.archived_at.is_(None))  # fmt: skip
    if owner:
        statement = statement.where(c.owner == owner)
    if pipeline:
        statement = statement.where(c.pipeline == pipeline)
    return [
        CustomerFacts(
            id=row.id, name=row.name, owner=row.owner, source=row.source, referrer_id=row.referrer_id,
            grade=row.grade, stage_key=row.stage, expected_value=row.expected_value, won_on=row.won_on,
            won_value=row.won_value, lost_on=row.lost_on, lost_reason=row.lost_reason,
            created_on=_local_day(row.created_at),
        )
        for row in connection.execute(statement)
    ]  # fmt: skip


def stage_visits(connection: Connection, customers: list[CustomerFacts]) -> list[StageVisit]:
    """Each customer's stays in its stages: from the day added (in the stage its first move left,
    or its current one) and then one stay per move to another stage."""
    moves: dict[int, list] = defaultdict(list)
    statement = (
        select(stage_change_table.c.customer_id, stage_change_table.c.from_stage,
               stage_change_table.c.to_stage, stage_change_table.c.changed_on)
        .where(stage_change_table.c.to_stage != stage_change_table.c.from_stage)
        .order_by(stage_change_table.c.customer_id, stage_change_table.c.changed_on, stage_change_table.c.id)
    )  # fmt: skip
    for row in connection.execute(statement):
        moves[row.customer_id].append(row)
    visits: list[StageVisit] = []
    for customer in customers:
        history = moves.get(customer.id, [])
        stage = history[0].from_stage if history else customer.stage_key
        entered = customer.created_on
        for move in history:
            if stage:
                visits.append(StageVisit(customer.id, stage, entered, move.changed_on))
            stage, entered = move.to_stage, move.changed_on
        if stage and entered is not None:
            visits.append(StageVisit(customer.id, stage, entered))
    return visits


def touch_facts(connection: Connection, start: date, end: date) -> list[TouchFact]:
    statement = (
        select(touch_table.c.customer_id, touch_table.c.happened_on, touch_table.c.channel,
               customer_table.c.owner)
        .join(customer_table, customer_table.c.id == touch_table.c.customer_id)
        .where(touch_table.c.happened_on.between(start, end))
    )  # fmt: skip
    return [
        TouchFact(r.customer_id, r.happened_on, r.channel, r.owner) for r in connection.execute(statement)
    ]


def last_touches(connection: Connection) -> dict[int, date]:
    statement = select(customer_table.c.id, customer_table.c.last_touch_on).where(
        customer_table.c.last_touch_on.is_not(None)
    )
    return {row.id: row.last_touch_on for row in connection.execute(statement)}
