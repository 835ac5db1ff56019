"""The plain facts the reports are computed from (domain.reports), read in a few queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from kehu.domain.reports import (
    ComplaintFact,
    CustomerFacts,
    RepeatContract,
    RivalFact,
    StageVisit,
    TouchFact,
)
from kehu.store.sql import Connection

CUSTOMER_FACTS = (
    "SELECT id, name, owner, source, referrer_id, grade, stage, expected_value, won_on, won_value, lost_on,"
    " lost_reason, created_at, pipeline, status FROM customer WHERE archived_at IS NULL"
)
# Each move to another stage, per customer in the order they happened.
STAGE_MOVES = (
    "SELECT customer_id, from_stage, to_stage, changed_on FROM stage_change WHERE to_stage != from_stage"
    " ORDER BY customer_id, changed_on, id"
)
TOUCH_FACTS = (
    "SELECT t.customer_id, t.happened_on, t.channel, c.owner"
    " FROM touch t JOIN customer c ON c.id = t.customer_id WHERE t.happened_on BETWEEN :start AND :end"
)
LAST_TOUCHES = "SELECT id, last_touch_on FROM customer WHERE last_touch_on IS NOT NULL"
RIVAL_FACTS = "SELECT id, customer_id, name, name_key, won_on FROM rival ORDER BY id"


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
    statement, params = CUSTOMER_FACTS, {}
    if owner:
        statement += " AND owner = :owner"
        params["owner"] = owner
    if pipeline:
        statement += " AND pipeline = :pipeline"
        params["pipeline"] = pipeline
    return [
        CustomerFacts(
            id=row.id, name=row.name, owner=row.owner, source=row.source, referrer_id=row.referrer_id,
            grade=row.grade, stage_key=row.stage, expected_value=row.expected_value, won_on=row.won_on,
            won_value=row.won_value, lost_on=row.lost_on, lost_reason=row.lost_reason,
            created_on=_local_day(row.created_at), status=row.status,
        )
        for row in connection.execute(statement, params)
    ]  # fmt: skip


def stage_visits(connection: Connection, customers: list[CustomerFacts]) -> list[StageVisit]:
    """Each customer's stays in its stages: from the day added (in the stage its first move left,
    or its current one) and then one stay per move to another stage."""
    moves: dict[int, list] = defaultdict(list)
    for row in connection.execute(STAGE_MOVES):
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
    return [
        TouchFact(r.customer_id, r.happened_on, r.channel, r.owner)
        for r in connection.execute(TOUCH_FACTS, {"start": start, "end": end})
    ]


def last_touches(connection: Connection) -> dict[int, date]:
    return dict(connection.execute(LAST_TOUCHES).tuples())


def rival_facts(connection: Connection) -> list[RivalFact]:
    """Every rival recorded at a customer (the reports keep those of the customers they cover)."""
    return [
        RivalFact(r.id, r.customer_id, r.name, r.name_key, r.won_on) for r in connection.execute(RIVAL_FACTS)
    ]


# What `kehu report targets` compares with the targets: each (day, owner, amount) signed and
# collected, each card created (its local day) and each touch logged, within the days.
SIGNED_FACTS = (
    "SELECT k.signed_on, c.owner, k.amount FROM contract k JOIN customer c ON c.id = k.customer_id"
    " WHERE k.signed_on BETWEEN :start AND :end"
)
COLLECTED_FACTS = (
    "SELECT p.paid_on, c.owner, p.amount FROM payment p JOIN customer c ON c.id = p.customer_id"
    " WHERE p.paid_on BETWEEN :start AND :end"
)
# A card's created_at is a UTC moment: its local day decides the month it is new in.
CREATED_FACTS = "SELECT created_at, owner FROM customer"


def target_results(connection: Connection, start: date, end: date):
    """The results a month's targets are measured against, from `start` to `end` (domain.targets)."""
    from kehu.domain.targets import Results

    days = {"start": start, "end": end}
    created = [(_local_day(r.created_at), r.owner, 1) for r in connection.execute(CREATED_FACTS)]
    return Results(
        signed=[(r.signed_on, r.owner, r.amount) for r in connection.execute(SIGNED_FACTS, days)],
        collected=[(r.paid_on, r.owner, r.amount) for r in connection.execute(COLLECTED_FACTS, days)],
        new_customers=[fact for fact in created if start <= fact[0] <= end],
        touches=[(t.on, t.owner, 1) for t in touch_facts(connection, start, end)],
    )


def complaint_facts(
    connection: Connection, start: date | None, end: date, *, owner: str | None = None
) -> list[ComplaintFact]:
    """The complaints `kehu report complaints` counts: those of active customers raised from
    `start` (None: the beginning) to `end` (store.complaints.complaints_raised)."""
    from kehu.store.complaints import complaints_raised

    return [
        ComplaintFact(r.customer_id, r.customer, r.raised_on, r.severity,
                      r.resolved_on if r.status == "resolved" else None)
        for r in complaints_raised(connection, start, end, owner=owner)
    ]  # fmt: skip


# Repeat business: each contract signed on or after its customer's first new deal (the
# stage_change event `new_deal` that `kehu reopen --new-deal` writes).
REPEAT_CONTRACTS = (
    "SELECT k.customer_id, n.first_on, k.signed_on, k.amount FROM contract k"
    " JOIN (SELECT customer_id, MIN(changed_on) AS first_on FROM stage_change WHERE event = 'new_deal'"
    " GROUP BY customer_id) n ON n.customer_id = k.customer_id"
    " WHERE k.signed_on >= n.first_on ORDER BY k.customer_id, k.signed_on, k.id"
)


def repeat_contracts(connection: Connection) -> list[RepeatContract]:
    from kehu.store.schema import DAY

    return [
        RepeatContract(r.customer_id, r.first_on, r.signed_on, r.amount)
        for r in connection.execute(REPEAT_CONTRACTS, kinds={"first_on": DAY})
    ]
