"""Whom to contact: the customers due by a day, most urgent first (`kehu followups`' due part).

A thin call through what the morning list uses (store.morning ranks in the database,
domain.agenda makes the items), so the Python API gives what the command prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kehu.domain.agenda import Item, Window
    from kehu.store.db import Store
    from kehu.store.sql import Connection


def due_customers(
    store: Store,
    span: Window,
    *,
    owner: str | None = None,
    grade: str | None = None,
    limit: int | None = None,
) -> list[Item]:
    """The customers due on or before the window's end (overdue ones too), most urgent first."""
    with store.read() as connection:
        return ranked_due(connection, span, owner=owner, grade=grade, limit=limit)[0]


def ranked_due(
    connection: Connection, span: Window, *, owner: str | None, grade: str | None, limit: int | None
) -> tuple[list[Item], dict[str, int]]:
    """The top `limit` due customers as items, and how many are overdue and due in all, in the
    caller's transaction (`kehu followups` reads the rest of the list in the same one)."""
    from kehu.domain import agenda
    from kehu.store import followups
    from kehu.store.morning import morning_list

    ranking = morning_list(connection, agenda.reference_day(span), span.end, owner=owner, grade=grade,
                           limit=limit, probabilities=stage_probabilities())  # fmt: skip
    details = followups.due_details(connection, [r[0] for r in ranking.ranked])
    return agenda.due_items(ranking, details), ranking.counts


def stage_probabilities() -> dict[tuple[str, str], float]:
    """(pipeline, stage) → the stage's win probability, over every known pipeline."""
    from kehu.io.pipeline_files import all_pipelines

    return {(p.key, s.key): s.probability for p in all_pipelines().values() for s in p.stages}
