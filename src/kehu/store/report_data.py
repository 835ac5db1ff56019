"""The plain facts the reports are computed from (domain.reports), read in a few queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from kehu.domain.reports import (
    ComplaintFact,
    CustomerFacts,
    CustomerGroup,
    RepeatContract,
    RivalFact,
    StagePosition,
    StageVisit,
    TouchFact,
)
from kehu.store.sql import Connection

_ZERO = Decimal("0.00")
# The customers a report covers: those not archived, of one owner and one pipeline when given.
COVERED = "{c}archived_at IS NULL"
CUSTOMER_FACTS = (
    "SELECT id, name, owner, source, referrer_id, grade, stage, expected_value, won_on, won_value, lost_on,"
    " lost_reason, created_at, pipeline, status FROM {customer} WHERE {covered}"
)
# The covered customers summed by what the funnel, the grades and the dashboard count them by
# (domain.reports.CustomerGroup), in one scan: won means won within the report's days ({won}),
# on time a last touch on or after the day the grade's cadence allows ({on_time_since}).
CUSTOMER_GROUPS = (
    "SELECT stage, grade, lost_on IS NOT NULL AS lost,"
    " status = 'open' AND lost_on IS NULL AS is_open, count(*) AS customers,"
    " sum(expected_value) AS expected_value, sum(CASE WHEN {won} THEN 1 ELSE 0 END) AS won,"
    " sum(CASE WHEN {won} THEN won_value END) AS won_value,"
    " sum(CASE WHEN last_touch_on >= {on_time_since} THEN 1 ELSE 0 END) AS on_time"
    " FROM {customer} WHERE {covered} GROUP BY 1, 2, 3, 4"
)
STAGE_POSITIONS = (
    "SELECT id, name, stage, lost_on IS NOT NULL AS lost, created_at FROM {customer} WHERE {covered}"
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


def _covered(
    connection: Connection, owner: str | None, pipeline: str | None, alias: str = ""
) -> tuple[dict[str, str], dict]:
    """What a statement fills in to read the customers a report covers, and its parameters:
    {covered}, the condition on them (the customer table as `alias`), and {customer}, the table
    to read them from when the statement reads them all.

    SQLite reads the table as it lies, NOT INDEXED: it would read it through ix_customer_due_rank
    (a partial index on archived_at IS NULL), in due order, a lookup of the row for each entry:
    twice as long (400 against 225 ms for 98,000 customers). One owner's customers are found by
    ix_customer_owner."""
    prefix = f"{alias}." if alias else ""
    condition, params = COVERED.format(c=prefix), {}
    if owner:
        condition += f" AND {prefix}owner = :owner"
        params["owner"] = owner
    if pipeline:
        condition += f" AND {prefix}pipeline = :pipeline"
        params["pipeline"] = pipeline
    whole = not owner and not connection.backend.is_postgresql
    return {"covered": condition, "customer": "customer NOT INDEXED" if whole else "customer"}, params


def customer_facts(
    connection: Connection, *, owner: str | None = None, pipeline: str | None = None
) -> list[CustomerFacts]:
    fields, params = _covered(connection, owner, pipeline)
    statement = CUSTOMER_FACTS.format(**fields)
    return [
        CustomerFacts(
            id=row.id, name=row.name, owner=row.owner, source=row.source, referrer_id=row.referrer_id,
            grade=row.grade, stage_key=row.stage, expected_value=row.expected_value, won_on=row.won_on,
            won_value=row.won_value, lost_on=row.lost_on, lost_reason=row.lost_reason,
            created_on=_local_day(row.created_at), status=row.status,
        )
        for row in connection.execute(statement, params)
    ]  # fmt: skip


def customer_groups(
    connection: Connection,
    *,
    start: date | None,
    end: date,
    on_time_since: Mapping[str | None, date],
    owner: str | None = None,
    pipeline: str | None = None,
) -> list[CustomerGroup]:
    """The covered customers in CustomerGroups: won from `start` (None: the beginning) to `end`,
    on time by the earliest last touch per grade (None: ungraded; a grade not in it has none)."""
    fields, params = _covered(connection, owner, pipeline)
    won = "won_on IS NOT NULL AND won_on <= :end"
    params["end"] = end
    if start:
        won += " AND won_on >= :start"
        params["start"] = start
    since = []
    for n, (grade, day) in enumerate(on_time_since.items()):
        if grade is None:
            since.append(f"WHEN grade IS NULL THEN :since_{n}")
        else:
            since.append(f"WHEN grade = :grade_{n} THEN :since_{n}")
            params[f"grade_{n}"] = grade
        params[f"since_{n}"] = day
    on_time = f"CASE {' '.join(since)} END" if since else "NULL"
    statement = CUSTOMER_GROUPS.format(**fields, won=won, on_time_since=on_time)
    return [
        CustomerGroup(stage, grade, bool(lost), bool(is_open), customers, expected_value or _ZERO, won,
                      won_value or _ZERO, on_time)
        for stage, grade, lost, is_open, customers, expected_value, won, won_value, on_time
        in connection.execute(statement, params).tuples()
    ]  # fmt: skip


def stage_positions(
    connection: Connection, *, owner: str | None = None, pipeline: str | None = None
) -> list[StagePosition]:
    """Where each covered customer stands in the funnel."""
    fields, params = _covered(connection, owner, pipeline)
    statement = STAGE_POSITIONS.format(**fields)
    return [
        StagePosition(customer_id, name, stage, bool(lost), _local_day(created_at))
        for customer_id, name, stage, lost, created_at in connection.execute(statement, params).tuples()
    ]


def stage_visits(connection: Connection, positions: list[StagePosition]) -> list[StageVisit]:
    """Each customer's stays in its stages: from the day added (in the stage its first move left,
    or its current one) and then one stay per move to another stage."""
    moves: dict[int, list[tuple]] = defaultdict(list)
    for move in connection.execute(STAGE_MOVES).tuples():  # (customer_id, from, to, changed_on)
        moves[move[0]].append(move)
    visits: list[StageVisit] = []
    add = visits.append  # 220,000 visits at 100,000 customers
    for customer_id, _name, stage, _lost, entered in positions:
        history = moves.get(customer_id, ())
        if history:
            stage = history[0][1]
        for _customer_id, _from_stage, to_stage, changed_on in history:
            if stage:
                add(StageVisit(customer_id, stage, entered, changed_on))
            stage, entered = to_stage, changed_on
        if stage and entered is not None:
            add(StageVisit(customer_id, stage, entered))
    return visits


def touch_facts(connection: Connection, start: date, end: date) -> list[TouchFact]:
    return [
        TouchFact(r.customer_id, r.happened_on, r.channel, r.owner)
        for r in connection.execute(TOUCH_FACTS, {"start": start, "end": end})
    ]


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


# Repeat business: each contract of a covered customer signed on or after its customer's first
# new deal (the stage_change event `new_deal` that `kehu reopen --new-deal` writes).
REPEAT_CONTRACTS = (
    "SELECT k.customer_id, c.name, c.owner, n.first_on, k.signed_on, k.amount FROM contract k"
    " JOIN (SELECT customer_id, MIN(changed_on) AS first_on FROM stage_change WHERE event = 'new_deal'"
    " GROUP BY customer_id) n ON n.customer_id = k.customer_id JOIN customer c ON c.id = k.customer_id"
    " WHERE k.signed_on >= n.first_on AND {covered} ORDER BY k.customer_id, k.signed_on, k.id"
)


def repeat_contracts(
    connection: Connection, *, owner: str | None = None, pipeline: str | None = None
) -> tuple[list[CustomerFacts], list[RepeatContract]]:
    """The covered customers with repeat contracts (their names and owners), and those contracts."""
    from kehu.store.schema import DAY

    fields, params = _covered(connection, owner, pipeline, alias="c")
    statement = REPEAT_CONTRACTS.format(**fields)
    customers: dict[int, CustomerFacts] = {}
    contracts = []
    for r in connection.execute(statement, params, kinds={"first_on": DAY}):
        customers.setdefault(r.customer_id, CustomerFacts(r.customer_id, r.name, r.owner))
        contracts.append(RepeatContract(r.customer_id, r.first_on, r.signed_on, r.amount))
    return list(customers.values()), contracts
