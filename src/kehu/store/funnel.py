"""The funnel in the store: each customer's pipeline and stage, every move, qualification."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from kehu.domain.pipelines import DEFAULT_PIPELINE
from kehu.store.batching import rows_where_in
from kehu.store.models import customer_table, qualification_table, setting_table, stage_change_table

QUALIFICATION_KEYS = ("need", "timetable", "budget", "can_win", "worth_it", "our_strength")


def default_pipeline_key(connection: Connection) -> str:
    """The pipeline new customers start in: the book's choice (`kehu pipeline use`), else the six-step one."""
    value = connection.execute(
        select(setting_table.c.value).where(setting_table.c.key == "pipeline")
    ).scalar()
    return value or DEFAULT_PIPELINE


def set_default_pipeline(connection: Connection, key: str) -> None:
    exists = connection.execute(select(setting_table.c.key).where(setting_table.c.key == "pipeline")).first()
    if exists:
        connection.execute(update(setting_table).where(setting_table.c.key == "pipeline").values(value=key))
    else:
        connection.execute(insert(setting_table).values(key="pipeline", value=key))


def enter_funnel(
    connection: Connection, ids: Iterable[int], pipeline: str, first_stage: str, on: date
) -> None:
    """Put new customers into the first stage of the pipeline (those already in one keep theirs)."""
    wanted = [row["id"] for row in rows_where_in(
        connection, select(customer_table.c.id).where(customer_table.c.pipeline.is_(None)),
        customer_table.c.id, ids)]  # fmt: skip
    if wanted:
        for start in range(0, len(wanted), 500):
            connection.execute(
                update(customer_table)
                .where(customer_table.c.id.in_(wanted[start : start + 500]))
                .values(pipeline=pipeline, stage=first_stage, stage_since=on)
            )


def funnel_state(connection: Connection, customer_id: int) -> RowMapping:
    statement = select(
        customer_table.c.id, customer_table.c.name, customer_table.c.pipeline, customer_table.c.stage,
        customer_table.c.stage_since, customer_table.c.status, customer_table.c.expected_value,
    ).where(customer_table.c.id == customer_id)  # fmt: skip
    return connection.execute(statement).mappings().one()


def move(
    connection: Connection,
    customer_id: int,
    *,
    pipeline: str,
    from_stage: str | None,
    to_stage: str | None,
    event: str,
    on: date,
    evidence: str | None,
    now: datetime,
    changes: dict[str, Any] | None = None,
) -> None:
    """Record one funnel event and apply it to the customer, in the caller's transaction."""
    connection.execute(insert(stage_change_table).values(
        customer_id=customer_id, pipeline=pipeline, from_stage=from_stage, to_stage=to_stage,
        event=event, changed_on=on, evidence=evidence, created_at=now,
    ))  # fmt: skip
    values: dict[str, Any] = {"updated_at": now, **(changes or {})}
    if to_stage is not None and to_stage != from_stage:
        values.update(stage=to_stage, stage_since=on)
    connection.execute(update(customer_table).where(customer_table.c.id == customer_id).values(**values))


def stage_history(connection: Connection, customer_id: int) -> list[RowMapping]:
    statement = (
        select(stage_change_table)
        .where(stage_change_table.c.customer_id == customer_id)
        .order_by(stage_change_table.c.changed_on.desc(), stage_change_table.c.id.desc())
    )
    return list(connection.execute(statement).mappings())


def qualification(connection: Connection, customer_id: int) -> dict[str, str]:
    row = (
        connection.execute(
            select(qualification_table).where(qualification_table.c.customer_id == customer_id)
        )
        .mappings()
        .first()
    )
    return {key: (row[key] if row else "unknown") for key in QUALIFICATION_KEYS}


def save_qualification(
    connection: Connection, customer_id: int, answers: dict[str, str], now: datetime
) -> None:
    exists = connection.execute(
        select(qualification_table.c.customer_id).where(qualification_table.c.customer_id == customer_id)
    ).first()
    if exists:
        connection.execute(
            update(qualification_table)
            .where(qualification_table.c.customer_id == customer_id)
            .values(**answers, updated_at=now)
        )
    else:
        connection.execute(
            insert(qualification_table).values(customer_id=customer_id, **answers, updated_at=now)
        )
