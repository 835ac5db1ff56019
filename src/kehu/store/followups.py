"""Follow-up state: touches, visit plans, grade history, and each customer's stored next due date.

`next_due` is derived (domain.cadence.next_due) but stored on the customer and indexed, so the
morning list is an index range scan rather than an aggregate over every touch. Every write that
changes an input of it calls `refresh_due` in the same transaction; `kehu check` recomputes all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, and_, bindparam, extract, func, insert, or_, select, type_coerce, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql import Select

from kehu.domain.agenda import DueRow
from kehu.domain.cadence import next_due
from kehu.store.batching import rows_where_in
from kehu.store.models import (
    contact_table,
    customer_table,
    grade_change_table,
    touch_table,
    visit_plan_table,
)

Shift = Callable[[date], date] | None
_DUE_INPUTS = (
    customer_table.c.id,
    customer_table.c.grade,
    customer_table.c.created_at,
    customer_table.c.last_touch_on,
    customer_table.c.next_step_on,
    customer_table.c.snoozed_until,
    customer_table.c.next_due,
)


def computed_due(row: Mapping[str, Any], shift: Shift) -> date | None:
    return next_due(
        grade=row["grade"],
        added_on=row["created_at"].astimezone().date(),
        last_touch_on=row["last_touch_on"],
        next_step_on=row["next_step_on"],
        snoozed_until=row["snoozed_until"],
        shift=shift,
    )


def refresh_due(connection: Connection, customer_ids: Iterable[int], shift: Shift) -> int:
    """Recompute and store next_due for these customers; return how many changed."""
    changed: list[dict[str, Any]] = []
    for row in rows_where_in(connection, select(*_DUE_INPUTS), customer_table.c.id, customer_ids):
        due = computed_due(row, shift)
        if due != row["next_due"]:
            changed.append({"target": row["id"], "due": due})
    if changed:
        statement = (
            update(customer_table)
            .where(customer_table.c.id == bindparam("target"))
            .values(next_due=bindparam("due"))
        )
        connection.execute(statement, changed)
    return len(changed)


def stale_due(connection: Connection, shift: Shift) -> list[tuple[int, date | None, date | None]]:
    """(id, stored, computed) for every customer whose stored next_due is wrong."""
    wrong = []
    for row in connection.execute(select(*_DUE_INPUTS)).mappings():
        due = computed_due(row, shift)
        if due != row["next_due"]:
            wrong.append((row["id"], row["next_due"], due))
    return wrong


def record_grade_change(
    connection: Connection,
    customer_id: int,
    old: str | None,
    new: str | None,
    reason: str | None,
    on: date,
    now: datetime,
) -> None:
    connection.execute(
        insert(grade_change_table).values(
            customer_id=customer_id, changed_on=on, old_grade=old, new_grade=new, reason=reason,
            created_at=now,
        )
    )  # fmt: skip


def set_grade(
    connection: Connection, card: RowMapping, new: str, reason: str | None, now: datetime, shift: Shift
) -> bool:
    """Set a grade, keep the change in the history, recompute the due date; False if unchanged."""
    if card["grade"] == new:
        return False
    on = now.astimezone().date()
    connection.execute(
        update(customer_table).where(customer_table.c.id == card["id"]).values(grade=new, updated_at=now)
    )
    record_grade_change(connection, card["id"], card["grade"], new, reason, on, now)
    refresh_due(connection, [card["id"]], shift)
    return True


def record_grade_changes(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(grade_change_table), rows)


def grade_history(connection: Connection, customer_id: int) -> list[RowMapping]:
    statement = (
        select(grade_change_table)
        .where(grade_change_table.c.customer_id == customer_id)
        .order_by(grade_change_table.c.changed_on.desc(), grade_change_table.c.id.desc())
    )
    return list(connection.execute(statement).mappings())


def insert_touch(connection: Connection, values: dict[str, Any]) -> int:
    return int(connection.execute(insert(touch_table).values(**values)).inserted_primary_key[0])


def touches(connection: Connection, customer_id: int, limit: int | None = None) -> list[RowMapping]:
    statement = (
        select(touch_table, contact_table.c.name.label("contact"))
        .outerjoin(contact_table, contact_table.c.id == touch_table.c.contact_id)
        .where(touch_table.c.customer_id == customer_id)
        .order_by(touch_table.c.happened_on.desc(), touch_table.c.id.desc())
        .limit(limit)
    )
    return list(connection.execute(statement).mappings())


def insert_plan(connection: Connection, values: dict[str, Any]) -> int:
    return int(connection.execute(insert(visit_plan_table).values(**values)).inserted_primary_key[0])


def open_plans(connection: Connection, customer_id: int) -> list[RowMapping]:
    statement = (
        select(visit_plan_table)
        .where(visit_plan_table.c.customer_id == customer_id, visit_plan_table.c.status == "planned")
        .order_by(visit_plan_table.c.planned_on, visit_plan_table.c.id)
    )
    return list(connection.execute(statement).mappings())


def get_plan(connection: Connection, plan_id: int) -> RowMapping | None:
    statement = select(visit_plan_table).where(visit_plan_table.c.id == plan_id)
    return connection.execute(statement).mappings().first()


def close_plan(connection: Connection, plan_id: int, touch_id: int | None, status: str, now: datetime):
    connection.execute(
        update(visit_plan_table)
        .where(visit_plan_table.c.id == plan_id)
        .values(status=status, touch_id=touch_id, updated_at=now)
    )


def due_rows(
    connection: Connection, until: date, *, owner: str | None = None, grade: str | None = None
) -> Iterator[DueRow]:
    """Active customers due on or before `until`, as the few values ranking needs (an index
    range scan on next_due; money left in cents so no row pays for a Decimal)."""
    statement = select(
        customer_table.c.id, customer_table.c.next_due, customer_table.c.grade,
        type_coerce(customer_table.c.expected_value, BigInteger), customer_table.c.pipeline,
        customer_table.c.stage, customer_table.c.status,
    ).where(customer_table.c.next_due <= until, customer_table.c.archived_at.is_(None))  # fmt: skip
    yield from connection.execute(_for_owner_and_grade(statement, owner, grade))  # rows shaped as DueRow


def due_details(connection: Connection, ids: list[int]) -> dict[int, RowMapping]:
    """Name, last touch, next step and key contact of the given customers, by id."""
    key = contact_table.alias("key_contact")
    statement = select(
        customer_table.c.id, customer_table.c.name, customer_table.c.grade,
        customer_table.c.last_touch_on, customer_table.c.last_channel, customer_table.c.next_step,
        customer_table.c.phone.label("customer_phone"),
        key.c.name.label("key_contact"), key.c.phone.label("key_phone"),
    ).outerjoin(key, and_(key.c.customer_id == customer_table.c.id, key.c.is_key.is_(True),
                          key.c.archived_at.is_(None)))  # fmt: skip
    return {row["id"]: row for row in rows_where_in(connection, statement, customer_table.c.id, ids)}


def open_plans_until(
    connection: Connection, end: date, *, owner: str | None = None, grade: str | None = None
) -> list[RowMapping]:
    """Visits still planned on or before `end`: those of past days were missed and still wait."""
    statement = (
        select(
            visit_plan_table, customer_table.c.name.label("customer"), customer_table.c.grade,
            contact_table.c.name.label("contact"), contact_table.c.phone.label("contact_phone"),
        )
        .join(customer_table, customer_table.c.id == visit_plan_table.c.customer_id)
        .outerjoin(contact_table, contact_table.c.id == visit_plan_table.c.contact_id)
        .where(visit_plan_table.c.status == "planned",
               visit_plan_table.c.planned_on <= end,
               customer_table.c.archived_at.is_(None))
        .order_by(visit_plan_table.c.planned_on, visit_plan_table.c.id)
    )  # fmt: skip
    return list(connection.execute(_for_owner_and_grade(statement, owner, grade)).mappings())


def _for_owner_and_grade(statement: Select, owner: str | None, grade: str | None) -> Select:
    if owner:
        statement = statement.where(customer_table.c.owner == owner)
    if grade:
        statement = statement.where(customer_table.c.grade == grade)
    return statement


def birthday_contacts(
    connection: Connection,
    month_days: set[int],
    *,
    lunar_month_days: set[int] | None = None,
    owner: str | None = None,
    grade: str | None = None,
) -> list[RowMapping]:
    """Active contacts of active customers whose Gregorian birthday month*100+day is in
    `month_days`, and those whose lunar one is in `lunar_month_days` (None: every lunar
    birthday). Python then places each on its day (domain.agenda.birthday_items)."""
    lunar = contact_table.c.birthday_lunar.is_(True)
    gregorian = _month_day_in(connection, month_days)
    if lunar_month_days is None:
        wanted = or_(lunar, gregorian)
    else:
        wanted = or_(and_(lunar, _month_day_in(connection, lunar_month_days)), and_(~lunar, gregorian))
    statement = (
        select(
            contact_table.c.id, contact_table.c.name, contact_table.c.birthday,
            contact_table.c.birthday_lunar, contact_table.c.phone, contact_table.c.title,
            customer_table.c.id.label("customer_id"), customer_table.c.name.label("customer"),
            customer_table.c.grade,
        )
        .join(customer_table, customer_table.c.id == contact_table.c.customer_id)
        .where(contact_table.c.birthday.is_not(None), contact_table.c.archived_at.is_(None),
               customer_table.c.archived_at.is_(None),
               wanted)
    )  # fmt: skip
    return list(connection.execute(_for_owner_and_grade(statement, owner, grade)).mappings())


def _month_day_in(connection: Connection, month_days: set[int]):
    """Is the contact's birthday month*100+day one of these (the year is never compared)?"""
    if connection.dialect.name == "sqlite":  # ISO text there: its 'MM-DD' tail, 3× faster than strftime
        wanted = sorted(f"{md // 100:02d}-{md % 100:02d}" for md in month_days)
        return func.substr(contact_table.c.birthday, 6).in_(wanted)
    birthday = contact_table.c.birthday
    return (extract("month", birthday) * 100 + extract("day", birthday)).in_(sorted(month_days))


def follow_up_state(connection: Connection, customer_id: int) -> RowMapping:
    statement = select(
        customer_table.c.id, customer_table.c.last_touch_on, customer_table.c.last_channel,
        customer_table.c.last_contact_id, customer_table.c.grade, customer_table.c.next_due,
    ).where(customer_table.c.id == customer_id)  # fmt: skip
    return connection.execute(statement).mappings().one()


def insert_touches(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert touches in one executemany, in the order given (their ids follow it)."""
    if rows:
        connection.execute(insert(touch_table), rows)


def last_touch_days(connection: Connection, customer_ids: Iterable[int]) -> dict[int, date | None]:
    """Each customer's last touch day (None: never touched), by id."""
    statement = select(customer_table.c.id, customer_table.c.last_touch_on)
    rows = rows_where_in(connection, statement, customer_table.c.id, customer_ids)
    return {row["id"]: row["last_touch_on"] for row in rows}


def set_last_touches(connection: Connection, touches: Iterable[Mapping[str, Any]]) -> None:
    """Make each of these touches its customer's last: day, channel and contact (remembered for
    the next log), the explicit next step (none: the grade's cadence again); any snooze ends."""
    rows = [
        {"target": t["customer_id"], "on": t["happened_on"], "channel": t.get("channel"),
         "contact": t.get("contact_id"), "step_on": t.get("next_step_on"), "step": t.get("next_step")}
        for t in touches
    ]  # fmt: skip
    if rows:
        statement = (
            update(customer_table)
            .where(customer_table.c.id == bindparam("target"))
            .values(
                last_touch_on=bindparam("on"), last_channel=bindparam("channel"),
                last_contact_id=bindparam("contact"), next_step_on=bindparam("step_on"),
                next_step=bindparam("step"), snoozed_until=None,
            )
        )  # fmt: skip
        connection.execute(statement, rows)


def open_plans_of(connection: Connection, customer_ids: Iterable[int]) -> list[RowMapping]:
    """The still planned visits of these customers: id, customer_id, planned_on."""
    plan = visit_plan_table.c
    statement = select(plan.id, plan.customer_id, plan.planned_on).where(plan.status == "planned")
    return list(rows_where_in(connection, statement, visit_plan_table.c.customer_id, customer_ids))


def all_touches(connection: Connection) -> Iterator[RowMapping]:
    """Every touch with its customer's and contact's names (TOUCH_FIELDS), oldest first."""
    statement = (
        select(
            customer_table.c.name.label("customer"), touch_table.c.happened_on, touch_table.c.channel,
            contact_table.c.name.label("contact"), touch_table.c.summary, touch_table.c.outcome,
            touch_table.c.next_step_on, touch_table.c.next_step,
        )
        .join(customer_table, customer_table.c.id == touch_table.c.customer_id)
        .outerjoin(contact_table, contact_table.c.id == touch_table.c.contact_id)
        .order_by(touch_table.c.happened_on, touch_table.c.id)
    )  # fmt: skip
    yield from connection.execute(statement).mappings()


def count_touches(connection: Connection) -> int:
    from sqlalchemy import func

    return int(connection.execute(select(func.count()).select_from(touch_table)).scalar_one())
