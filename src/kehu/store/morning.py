"""The morning list's due customers, ranked by the database: only the top N rows come back.

One statement scores every active customer due by `until` with domain.urgency's formula (the SQL
is built here from its constants, in whole tenths of a point, so scores tie exactly where the
Python ones do), keeps the first `limit` by score, then due day, then id (the order
domain.agenda.rank_due gives), and counts the overdue and due ones over all of them. The due
customers are scored once (a MATERIALIZED CTE); the parts of the few shown are computed again
from their rows, for --explain. Row-level security (team mode) applies to it like to any query.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select, text, type_coerce
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import OperationalError

from kehu.domain.agenda import Ranking
from kehu.domain.urgency import (
    GRADE_POINTS,
    OVERDUE_CAP_DAYS,
    OVERDUE_POINTS_PER_DAY,
    UNGRADED_POINTS,
    VALUE_POINTS_PER_TENFOLD,
    Urgency,
    stage_tenths,
)
from kehu.store.contracts import paid_by_contract
from kehu.store.models import contract_table, customer_table
from kehu.store.types import Money

# The days from next_due to the reference day (negative: not yet due), in each dialect.
_DAYS = {
    "sqlite": "CAST(:reference_jd - julianday(c.next_due) AS INTEGER)",
    "postgresql": "(:reference - c.next_due)",
}
_CLAMP = {"sqlite": "min(max({x}, 0), {cap})", "postgresql": "least(greatest({x}, 0), {cap})"}
# 10 × 5 × log10(cents / 100) + 0.5, floored, as domain.urgency.value_tenths does it in Python.
# SQLite truncates toward zero, which for this non-negative number is the floor.
_VALUE = {
    "sqlite": "CAST({k} * log10(c.expected_value / 100.0) + 0.5 AS INTEGER)",
    "postgresql": "CAST(floor({k} * log(CAST(c.expected_value AS DOUBLE PRECISION) / 100) + 0.5) AS INTEGER)",
}


def score_parts_sql(dialect: str, stage_points: Mapping[tuple[str, str], int]) -> tuple[str, str, str, str]:
    """The four parts of the urgency score over the customer row `c`, as SQL in tenths of a point:
    overdue, grade, stage, value. `stage_points` holds tenths per (pipeline, stage); its keys
    become bound parameters (:pipeline_N, :stage_N_M), see `stage_params`."""
    days = _CLAMP[dialect].format(x=_DAYS[dialect], cap=OVERDUE_CAP_DAYS)
    overdue = f"{10 * OVERDUE_POINTS_PER_DAY} * {days}"
    grades = " ".join(f"WHEN '{grade}' THEN {10 * points}" for grade, points in GRADE_POINTS.items())
    grade = f"CASE c.grade {grades} ELSE {10 * UNGRADED_POINTS} END"
    pipelines = []
    for n, stages in enumerate(_by_pipeline(stage_points).values()):
        whens = " ".join(f"WHEN :stage_{n}_{m} THEN {points}" for m, (_stage, points) in enumerate(stages))
        pipelines.append(f"WHEN :pipeline_{n} THEN CASE c.stage {whens} ELSE 0 END")
    # A lost customer's stage keeps its name but no longer its chance.
    stage = f"CASE WHEN c.status = 'lost' THEN 0 ELSE CASE c.pipeline {' '.join(pipelines)} ELSE 0 END END"
    if not pipelines:
        stage = "0"
    value = _VALUE[dialect].format(k=10 * VALUE_POINTS_PER_TENFOLD)
    value = f"CASE WHEN c.expected_value >= 100 THEN {value} ELSE 0 END"  # under ¥1: none
    return overdue, grade, stage, value


def _by_pipeline(stage_points: Mapping[tuple[str, str], int]) -> dict[str, list[tuple[str, int]]]:
    """Stages worth any points, grouped by pipeline in a fixed order (the SQL text is then the
    same for the same pipelines, and a statement cache can keep it)."""
    grouped: dict[str, list[tuple[str, int]]] = {}
    for (pipeline, stage), points in sorted(stage_points.items()):
        if points:
            grouped.setdefault(pipeline, []).append((stage, points))
    return grouped


def stage_params(stage_points: Mapping[tuple[str, str], int]) -> dict[str, str]:
    params = {}
    for n, (pipeline, stages) in enumerate(_by_pipeline(stage_points).items()):
        params[f"pipeline_{n}"] = pipeline
        params.update({f"stage_{n}_{m}": stage for m, (stage, _points) in enumerate(stages)})
    return params


def stage_points_of(probabilities: Mapping[tuple[str, str], float | None]) -> dict[tuple[str, str], int]:
    """Tenths of a point per (pipeline, stage), from the pipelines' win probabilities."""
    return {key: stage_tenths(p) for key, p in probabilities.items() if p is not None}


def morning_list(
    connection: Connection,
    reference: date,
    until: date,
    *,
    owner: str | None = None,
    grade: str | None = None,
    limit: int | None = None,
    probabilities: Mapping[tuple[str, str], float | None],
) -> Ranking:
    """The active customers due on or before `until`, most urgent first, at most `limit` of them
    (all when None), with the counts of all: overdue (due before `reference`, the day lateness
    is counted to) and due. `probabilities` is each (pipeline, stage)'s win probability.

    Returns the ranking domain.agenda.rank_due would give for the same rows: (customer id, due
    day, days overdue, Urgency) per customer, and the counts."""
    dialect = connection.dialect.name
    stage_points = stage_points_of(probabilities)
    overdue, grade_part, stage, value = score_parts_sql(dialect, stage_points)
    where = ["c.next_due <= :until", "c.archived_at IS NULL"]
    if owner:
        where.append("c.owner = :owner")
    if grade:
        where.append("c.grade = :grade")
    reference_param = ":reference_day" if dialect == "sqlite" else ":reference"
    limit_sql = "" if limit is None else "LIMIT :limit"
    # The counts (one pass over the scored rows) ride on every returned row; none returned
    # means none due.
    statement = f"""
WITH due AS MATERIALIZED (
  SELECT c.id, c.next_due, {overdue} + {grade_part} + {stage} + {value} AS score
  FROM customer c WHERE {" AND ".join(where)}
),
totals AS (SELECT count(*) FILTER (WHERE next_due < {reference_param}) AS late, count(*) AS all_due FROM due),
top AS (SELECT id, next_due, score FROM due ORDER BY score DESC, next_due, id {limit_sql})
SELECT top.id, top.next_due, {overdue}, {grade_part}, {stage}, {value}, totals.late, totals.all_due
FROM top JOIN customer c ON c.id = top.id CROSS JOIN totals
ORDER BY top.score DESC, top.next_due, top.id"""
    params: dict[str, Any] = {"until": until, "owner": owner, "grade": grade, "limit": limit,
                              **stage_params(stage_points)}  # fmt: skip
    if dialect == "sqlite":  # dates are ISO text there; lateness from julian day numbers
        params.update(until=until.isoformat(), reference_day=reference.isoformat(),
                      reference_jd=reference.toordinal() + 1721424.5)  # fmt: skip
    else:
        params["reference"] = reference
    params = {key: value for key, value in params.items() if f":{key}" in statement}
    rows = _execute(connection, text(statement), params)
    ranked, counts = [], {"overdue": 0, "due": 0}
    for customer_id, day, *parts, overdue_count, all_count in rows:
        day = day if isinstance(day, date) else date.fromisoformat(day)
        score = Urgency(*(part / 10 for part in parts))
        ranked.append((customer_id, day, (reference - day).days, score))
        counts = {"overdue": overdue_count, "due": all_count - overdue_count}
    return Ranking(ranked, counts)


def _execute(connection: Connection, statement, params: dict[str, Any]) -> list:
    try:
        return connection.execute(statement, params).all()
    except OperationalError as error:
        # An SQLite built without its math functions: Python's log10 (the same C library call).
        if "log10" not in str(error) or connection.dialect.name != "sqlite":
            raise
        raw = connection.connection.driver_connection
        raw.create_function("log10", 1, math.log10, deterministic=True)
        return connection.execute(statement, params).all()


def receivables_to_collect(
    connection: Connection, today: date, *, owner: str | None = None
) -> list[RowMapping]:
    """Contracts with money outstanding past their due day (what the list's collection section
    shows: id, customer_id, customer, due_on, outstanding), filtered in SQL rather than every
    contract read: store.contracts.open_receivables less those not yet due."""
    paid = paid_by_contract()
    outstanding = contract_table.c.amount - func.coalesce(paid.c.paid, 0)
    statement = (
        select(contract_table.c.id, contract_table.c.customer_id, customer_table.c.name.label("customer"),
               contract_table.c.due_on, type_coerce(outstanding, Money()).label("outstanding"))
        .join(customer_table, customer_table.c.id == contract_table.c.customer_id)
        .outerjoin(paid, paid.c.contract_id == contract_table.c.id)
        .where(contract_table.c.due_on < today, outstanding > 0)
        .order_by(contract_table.c.due_on, contract_table.c.id)
    )  # fmt: skip
    if owner is not None:
        statement = statement.where(customer_table.c.owner == owner)
    return list(connection.execute(statement).mappings())
