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
import sqlite3
from collections.abc import Mapping
from datetime import date
from typing import Any

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
from kehu.store.contracts import PAID_BY_INSTALMENT
from kehu.store.schema import MONEY
from kehu.store.sql import Backend, Connection, Row


def score_parts_sql(
    backend: Backend, stage_points: Mapping[tuple[str, str], int]
) -> tuple[str, str, str, str]:
    """The four parts of the urgency score over the customer row `c`, as SQL in tenths of a point:
    overdue, grade, stage, value. `stage_points` holds tenths per (pipeline, stage); its keys
    become bound parameters (:pipeline_N, :stage_N_M), see `stage_params`; the day lateness is
    counted to is :reference."""
    # The days from next_due to the reference day (negative: not yet due), at most the cap.
    late = f"{backend.day_number(':reference')} - {backend.day_number('c.next_due')}"
    days = backend.clamp(late, 0, OVERDUE_CAP_DAYS)
    overdue = f"{10 * OVERDUE_POINTS_PER_DAY} * {days}"
    grades = " ".join(f"WHEN '{grade}' THEN {10 * points}" for grade, points in GRADE_POINTS.items())
    grade = f"CASE c.grade {grades} ELSE {10 * UNGRADED_POINTS} END"
    pipelines = []
    for n, stages in enumerate(_by_pipeline(stage_points).values()):
        whens = " ".join(f"WHEN :stage_{n}_{m} THEN {points}" for m, (_stage, points) in enumerate(stages))
        pipelines.append(f"WHEN :pipeline_{n} THEN CASE c.stage {whens} ELSE 0 END")
    # A lost customer's stage keeps its name but no longer its chance (the morning list leaves
    # lost customers out; the score stays the one domain.urgency gives any row).
    stage = f"CASE WHEN c.status = 'lost' THEN 0 ELSE CASE c.pipeline {' '.join(pipelines)} ELSE 0 END END"
    if not pipelines:
        stage = "0"
    # 10 × 5 × log10(cents / 100) + 0.5, floored, as domain.urgency.value_tenths does it in Python.
    # SQLite truncates toward zero, which for this non-negative number is the floor.
    k = 10 * VALUE_POINTS_PER_TENFOLD
    value = backend.floor_of_positive(f"{k} * {backend.log10('c.expected_value / 100.0')} + 0.5")
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
    (all when None), with the counts of all. A lost customer is not followed up: it keeps its
    next_due (a reopen brings it back as it was) but is not on the list. Counts: overdue (due
    before `reference`, the day lateness is counted to) and due. `probabilities` is each
    (pipeline, stage)'s win probability.

    Returns the ranking domain.agenda.rank_due would give for the same rows: (customer id, due
    day, days overdue, Urgency) per customer, and the counts."""
    backend = connection.backend
    stage_points = stage_points_of(probabilities)
    overdue, grade_part, stage, value = score_parts_sql(backend, stage_points)
    # status is in ix_customer_due_rank: leaving lost customers out costs no table lookup.
    where = ["c.next_due <= :until", "c.archived_at IS NULL", "c.status <> 'lost'"]
    if owner:
        where.append("c.owner = :owner")
    if grade:
        where.append("c.grade = :grade")
    limit_sql = "" if limit is None else "LIMIT :limit"
    # The counts (one pass over the scored rows) ride on every returned row; none returned
    # means none due.
    statement = f"""
WITH due AS MATERIALIZED (
  SELECT c.id, c.next_due, {overdue} + {grade_part} + {stage} + {value} AS score
  FROM customer c WHERE {" AND ".join(where)}
),
totals AS (SELECT count(*) FILTER (WHERE next_due < :reference) AS late, count(*) AS all_due FROM due),
top AS (SELECT id, next_due, score FROM due ORDER BY score DESC, next_due, id {limit_sql})
SELECT top.id, top.next_due, {overdue} AS overdue_tenths, {grade_part} AS grade_tenths,
  {stage} AS stage_tenths, {value} AS value_tenths, totals.late, totals.all_due
FROM top JOIN customer c ON c.id = top.id CROSS JOIN totals
ORDER BY top.score DESC, top.next_due, top.id"""
    params: dict[str, Any] = {"until": until, "reference": reference, "owner": owner, "grade": grade,
                              "limit": limit, **stage_params(stage_points)}  # fmt: skip
    params = {key: value for key, value in params.items() if f":{key}" in statement}
    ranked, counts = [], {"overdue": 0, "due": 0}
    for customer_id, day, *parts, overdue_count, all_count in _scored(connection, statement, params):
        score = Urgency(*(part / 10 for part in parts))
        ranked.append((customer_id, day, (reference - day).days, score))
        counts = {"overdue": overdue_count, "due": all_count - overdue_count}
    return Ranking(ranked, counts)


def _scored(connection: Connection, statement: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    try:
        return list(connection.execute(statement, params).tuples())
    except sqlite3.OperationalError as error:
        # An SQLite built without its math functions: Python's log10 (the same C library call).
        if "log10" not in str(error):
            raise
        connection.driver.create_function("log10", 1, math.log10, deterministic=True)
        return list(connection.execute(statement, params).tuples())


# Instalments with money outstanding past their due day (undated ones are not due), oldest debt
# first; `id` is the contract's, `instalment_id` and `seq` the instalment's.
RECEIVABLES_TO_COLLECT = f"""
SELECT i.contract_id AS id, i.id AS instalment_id, i.seq, i.customer_id, c.name AS customer, i.due_on,
  i.amount - COALESCE(paid.paid, 0) AS outstanding
FROM instalment i JOIN customer c ON c.id = i.customer_id
LEFT JOIN {PAID_BY_INSTALMENT} paid ON paid.instalment_id = i.id
WHERE i.due_on < :today AND i.amount - COALESCE(paid.paid, 0) > 0"""


def receivables_to_collect(connection: Connection, today: date, *, owner: str | None = None) -> list[Row]:
    """Instalments with money outstanding past their due day (what the list's collection section
    shows: id (the contract's), instalment_id, seq, customer_id, customer, due_on, outstanding),
    filtered in SQL rather than every one read: store.contracts.open_receivables less those not
    yet due."""
    scope = "" if owner is None else " AND c.owner = :owner"
    statement = f"{RECEIVABLES_TO_COLLECT}{scope} ORDER BY i.due_on, i.contract_id, i.seq"
    return connection.execute(statement, {"today": today, "owner": owner}, kinds={"outstanding": MONEY}).all()
