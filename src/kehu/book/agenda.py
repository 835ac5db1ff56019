"""Whom to contact: the customers due by a day, most urgent first (`kehu followups`' due part).

A thin call through what the morning list uses (store.morning ranks in the database,
domain.agenda makes the items), so the Python API gives what the command prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kehu.domain.agenda import Item, Window
    from kehu.store.db import Store


def due_customers(
    store: Store,
    span: Window,
    *,
    owner: str | None = None,
    grade: str | None = None,
    limit: int | None = None,
) -> list[Item]:
    """The customers due on or before the window's end (overdue ones too), most urgent first."""
    from kehu.domain import agenda
    from kehu.io.pipeline_files import all_pipelines
    from kehu.store import followups
    from kehu.store.morning import morning_list

    probabilities = {(p.key, s.key): s.probability for p in all_pipelines().values() for s in p.stages}
    with store.read() as connection:
        ranking = morning_list(connection, agenda.reference_day(span), span.end, owner=owner, grade=grade,
                               limit=limit, probabilities=probabilities)  # fmt: skip
        details = followups.due_details(connection, [r[0] for r in ranking.ranked])
    return agenda.due_items(ranking, details)
