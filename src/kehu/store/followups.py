"""Follow-up state: touches, visit plans, grade history, and each customer's stored next due date.

`next_due` is derived (domain.cadence.next_due) but stored on the customer and indexed, so the
morning list is an index range scan rather than an aggregate over every touch. Every write that
changes an input of it calls `refresh_due` in the same transaction; `kehu check` recomputes all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.domain.cadence import next_due
from kehu.store.sql import Connection, Row

if TYPE_CHECKING:  # the card reads two statements here: not worth the morning list's rules (4 ms)
    from kehu.domain.agenda import DueRow

Shift = Callable[[date], date] | None

# What domain.cadence.next_due is computed from, with the value stored now.
DUE_INPUTS = (
    "SELECT id, grade, created_at, last_touch_on, next_step_on, snoozed_until, next_due FROM customer"
)
SET_NEXT_DUE = "UPDATE customer SET next_due = :due WHERE id = :target"
SET_GRADE = "UPDATE customer SET grade = :grade, updated_at = :now WHERE id = :id"
INSERT_GRADE_CHANGE = (
    "INSERT INTO grade_change (customer_id, changed_on, old_grade, new_grade, reason, created_at)"
    " VALUES (:customer_id, :changed_on, :old_grade, :new_grade, :reason, :created_at)"
)
# What the grade rule (domain.grades) reads of a customer.
_GRADE_INPUTS = "SELECT id, name, grade, expected_close, created_at, last_touch_on FROM customer"
ACTIVE_GRADE_INPUTS = _GRADE_INPUTS + " WHERE archived_at IS NULL ORDER BY id"
GRADE_INPUTS_OF = _GRADE_INPUTS + " WHERE id = :id"
GRADE_HISTORY = (
    "SELECT id, customer_id, changed_on, old_grade, new_grade, reason, created_at FROM grade_change"
    " WHERE customer_id = :customer_id ORDER BY changed_on DESC, id DESC"
)
# A customer's touches with the contact's name, newest first (a LIMIT may follow).
TOUCHES_OF = (
    "SELECT t.*, ct.name AS contact FROM touch t LEFT JOIN contact ct ON ct.id = t.contact_id"
    " WHERE t.customer_id = :customer_id ORDER BY t.happened_on DESC, t.id DESC"
)
OPEN_PLANS = (
    "SELECT * FROM visit_plan WHERE customer_id = :customer_id AND status = 'planned' ORDER BY planned_on, id"
)
GET_PLAN = "SELECT * FROM visit_plan WHERE id = :id"
# Visit plans with their customer's and contact's names, for `kehu plan list` (conditions follow).
_PLAN_LIST = (
    "SELECT v.id, v.planned_on, v.customer_id, c.name AS customer, ct.name AS contact, v.purpose, v.status,"
    " v.cancel_reason FROM visit_plan v JOIN customer c ON c.id = v.customer_id"
    " LEFT JOIN contact ct ON ct.id = v.contact_id"
)
PLAN_LIST_ORDER = " ORDER BY v.planned_on, v.id"
# Everyone's plans leave out archived customers; one customer named (an archived one is found by
# id or exact name) shows its own, as `plan move`/`cancel` can still change them.
OPEN_PLAN_LIST = _PLAN_LIST + " WHERE c.archived_at IS NULL AND v.status = 'planned'" + PLAN_LIST_ORDER
ALL_PLAN_LIST = _PLAN_LIST + " WHERE c.archived_at IS NULL" + PLAN_LIST_ORDER
OPEN_PLAN_LIST_OF = (
    _PLAN_LIST + " WHERE v.customer_id = :customer_id AND v.status = 'planned'" + PLAN_LIST_ORDER
)
ALL_PLAN_LIST_OF = _PLAN_LIST + " WHERE v.customer_id = :customer_id" + PLAN_LIST_ORDER
MOVE_PLAN = "UPDATE visit_plan SET planned_on = :day, updated_at = :now WHERE id = :id"
CANCEL_PLAN = (
    "UPDATE visit_plan SET status = 'cancelled', cancel_reason = :reason, updated_at = :now WHERE id = :id"
)
CLOSE_PLAN = "UPDATE visit_plan SET status = :status, touch_id = :touch_id, updated_at = :now WHERE id = :id"
# Money stays in cents (`expected_cents`, not converted by name) so no due row pays for a Decimal.
DUE_ROWS = (
    "SELECT c.id, c.next_due, c.grade, c.expected_value AS expected_cents, c.pipeline, c.stage, c.status"
    " FROM customer c WHERE c.next_due <= :until AND c.archived_at IS NULL AND c.status <> 'lost'"
)
# The key contact: any active contact marked key (IS TRUE: SQLite's 1 and PostgreSQL's true).
DUE_DETAILS = (
    "SELECT c.id, c.name, c.grade, c.last_touch_on, c.last_channel, c.next_step,"
    " c.phone AS customer_phone, k.name AS key_contact, k.phone AS key_phone"
    " FROM customer c LEFT JOIN contact k"
    " ON k.customer_id = c.id AND k.is_key IS TRUE AND k.archived_at IS NULL"
)
OPEN_PLANS_UNTIL = (
    "SELECT v.*, c.name AS customer, c.grade, ct.name AS contact, ct.phone AS contact_phone"
    " FROM visit_plan v JOIN customer c ON c.id = v.customer_id"
    " LEFT JOIN contact ct ON ct.id = v.contact_id"
    " WHERE v.status = 'planned' AND v.planned_on <= :end AND c.archived_at IS NULL"
)
BIRTHDAY_CONTACTS = (
    "SELECT ct.id, ct.name, ct.birthday, ct.birthday_lunar, ct.phone, ct.title,"
    " c.id AS customer_id, c.name AS customer, c.grade"
    " FROM contact ct JOIN customer c ON c.id = ct.customer_id"
    " WHERE ct.birthday IS NOT NULL AND ct.archived_at IS NULL AND c.archived_at IS NULL"
)
FOLLOW_UP_STATE = (
    "SELECT id, last_touch_on, last_channel, last_contact_id, grade, next_due FROM customer WHERE id = :id"
)
TOUCH_COLUMNS = (
    "customer_id", "contact_id", "happened_on", "channel", "summary", "outcome", "next_step_on", "next_step",
    "created_at",
)  # fmt: skip
LAST_TOUCH_DAYS = "SELECT id, last_touch_on FROM customer"
# A touch becomes its customer's last: day, channel, contact, next step; any snooze ends.
SET_LAST_TOUCH = (
    "UPDATE customer SET last_touch_on = :on, last_channel = :channel, last_contact_id = :contact,"
    " next_step_on = :step_on, next_step = :step, snoozed_until = NULL WHERE id = :target"
)
GET_TOUCH = "SELECT * FROM touch WHERE id = :id"
DELETE_TOUCH = "DELETE FROM touch WHERE id = :id"
# The visits a touch marked done are open again when the touch is removed (it did not do them).
PLANS_DONE_BY = "SELECT id FROM visit_plan WHERE touch_id = :touch_id AND status = 'done' ORDER BY id"
REOPEN_PLANS_DONE_BY = (
    "UPDATE visit_plan SET status = 'planned', touch_id = NULL, updated_at = :now"
    " WHERE touch_id = :touch_id AND status = 'done'"
)
# After a touch is edited or removed, the newest left is the customer's last again (a snooze stays).
SET_LAST_TOUCH_KEEPING_SNOOZE = (
    "UPDATE customer SET last_touch_on = :on, last_channel = :channel, last_contact_id = :contact,"
    " next_step_on = :step_on, next_step = :step WHERE id = :target"
)
OPEN_PLAN_DAYS = "SELECT id, customer_id, planned_on FROM visit_plan WHERE status = 'planned'"
ALL_TOUCHES = (
    "SELECT c.name AS customer, t.happened_on, t.channel, ct.name AS contact, t.summary, t.outcome,"
    " t.next_step_on, t.next_step"
    " FROM touch t JOIN customer c ON c.id = t.customer_id LEFT JOIN contact ct ON ct.id = t.contact_id"
    " ORDER BY t.happened_on, t.id"
)
COUNT_TOUCHES = "SELECT count(*) FROM touch"


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
    ids = list(customer_ids)
    if not ids:
        return 0
    statement = f"{DUE_INPUTS} WHERE id {connection.backend.among(':ids')}"
    return _store_due(connection, connection.execute(statement, {"ids": ids}), shift)


def _store_due(connection: Connection, rows: Iterable[Row], shift: Shift) -> int:
    changed = []
    for row in rows:
        due = computed_due(row, shift)
        if due != row["next_due"]:
            changed.append({"target": row["id"], "due": due})
    if changed:
        connection.execute_many(SET_NEXT_DUE, changed)
    return len(changed)


def stale_due(connection: Connection, shift: Shift) -> list[tuple[int, date | None, date | None]]:
    """(id, stored, computed) for every customer whose stored next_due is wrong."""
    wrong = []
    for row in connection.execute(DUE_INPUTS):
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
    record_grade_changes(connection, [{"customer_id": customer_id, "changed_on": on, "old_grade": old,
                                       "new_grade": new, "reason": reason, "created_at": now}])  # fmt: skip


def write_grade(connection: Connection, customer_id: int, grade: str | None, now: datetime) -> None:
    """Store a customer's grade (book.grades.change_grade keeps the history and the due date)."""
    connection.execute(SET_GRADE, {"grade": grade, "now": now, "id": customer_id})


def set_grade(
    connection: Connection, card: Mapping[str, Any], new: str, reason: str | None, now: datetime, shift: Shift
) -> bool:
    """book.grades.change_grade, for `kehu edit --grade` (cli/customers.py) until it calls that
    itself: the rule exists there once."""
    from kehu.book.grades import change_grade

    return change_grade(connection, card, new, reason, now=now, shift=shift)


def record_grade_changes(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Keep grade changes (customer_id, changed_on, old_grade, new_grade, reason, created_at)."""
    if rows:
        connection.execute_many(INSERT_GRADE_CHANGE, rows)


def grade_inputs(connection: Connection, customer_id: int | None = None) -> list[Row]:
    """What the grade rule reads of one customer, or of every active one by id: id, name, grade,
    expected_close, created_at, last_touch_on."""
    if customer_id is None:
        return connection.execute(ACTIVE_GRADE_INPUTS).all()
    return connection.execute(GRADE_INPUTS_OF, {"id": customer_id}).all()


def grade_history(connection: Connection, customer_id: int) -> list[Row]:
    return connection.execute(GRADE_HISTORY, {"customer_id": customer_id}).all()


def insert_touch(connection: Connection, values: dict[str, Any]) -> int:
    return connection.insert("touch", values)


def touches(connection: Connection, customer_id: int, limit: int | None = None) -> list[Row]:
    statement = TOUCHES_OF if limit is None else f"{TOUCHES_OF} LIMIT :limit"
    return connection.execute(statement, {"customer_id": customer_id, "limit": limit}).all()


def insert_plan(connection: Connection, values: dict[str, Any]) -> int:
    """A new visit plan, still planned (the schema's default is the models', not the table's)."""
    return connection.insert("visit_plan", {"status": "planned", **values})


def open_plans(connection: Connection, customer_id: int) -> list[Row]:
    return connection.execute(OPEN_PLANS, {"customer_id": customer_id}).all()


def get_plan(connection: Connection, plan_id: int) -> Row | None:
    return connection.execute(GET_PLAN, {"id": plan_id}).first()


def plan_list(connection: Connection, customer_id: int | None, *, everything: bool) -> list[Row]:
    """Visit plans, earliest first: the open ones, or `everything` (done and cancelled too)."""
    if customer_id is None:
        return connection.execute(ALL_PLAN_LIST if everything else OPEN_PLAN_LIST).all()
    statement = ALL_PLAN_LIST_OF if everything else OPEN_PLAN_LIST_OF
    return connection.execute(statement, {"customer_id": customer_id}).all()


def move_plan(connection: Connection, plan_id: int, day: date, now: datetime) -> None:
    connection.execute(MOVE_PLAN, {"day": day, "now": now, "id": plan_id})


def cancel_plan(connection: Connection, plan_id: int, reason: str | None, now: datetime) -> None:
    connection.execute(CANCEL_PLAN, {"reason": reason, "now": now, "id": plan_id})


def close_plan(
    connection: Connection, plan_id: int, touch_id: int | None, status: str, now: datetime
) -> None:
    connection.execute(CLOSE_PLAN, {"status": status, "touch_id": touch_id, "now": now, "id": plan_id})


def due_rows(
    connection: Connection, until: date, *, owner: str | None = None, grade: str | None = None
) -> Iterator[DueRow]:
    """Active customers due on or before `until` (lost ones left out, as store.morning does),
    as the few values ranking needs (an index range scan on next_due; money left in cents so no
    row pays for a Decimal)."""
    where, params = owner_and_grade("c", owner, grade)
    yield from connection.execute(DUE_ROWS + where, {"until": until, **params}).tuples()  # shaped as DueRow


def due_details(connection: Connection, ids: list[int]) -> dict[int, Row]:
    """Name, last touch, next step and key contact of the given customers, by id."""
    if not ids:
        return {}
    statement = f"{DUE_DETAILS} WHERE c.id {connection.backend.among(':ids')}"
    return {row["id"]: row for row in connection.execute(statement, {"ids": ids})}


def open_plans_until(
    connection: Connection, end: date, *, owner: str | None = None, grade: str | None = None
) -> list[Row]:
    """Visits still planned on or before `end`: those of past days were missed and still wait."""
    where, params = owner_and_grade("c", owner, grade)
    statement = f"{OPEN_PLANS_UNTIL}{where} ORDER BY v.planned_on, v.id"
    return connection.execute(statement, {"end": end, **params}).all()


def owner_and_grade(customer: str, owner: str | None, grade: str | None) -> tuple[str, dict[str, str]]:
    """The conditions (to follow a WHERE) and parameters that keep one owner's or one grade's
    customers (`customer` is the customer table's alias)."""
    where, params = "", {}
    if owner:
        where += f" AND {customer}.owner = :owner"
        params["owner"] = owner
    if grade:
        where += f" AND {customer}.grade = :grade"
        params["grade"] = grade
    return where, params


def birthday_contacts(
    connection: Connection,
    month_days: set[int],
    *,
    lunar_month_days: set[int] | None = None,
    owner: str | None = None,
    grade: str | None = None,
) -> list[Row]:
    """Active contacts of active customers whose Gregorian birthday month*100+day is in
    `month_days`, and those whose lunar one is in `lunar_month_days` (None: every lunar
    birthday). Python then places each on its day (domain.agenda.birthday_items)."""
    backend = connection.backend
    month_day = backend.month_day("ct.birthday")
    params: dict[str, Any] = {"gregorian": backend.month_day_keys(month_days)}
    gregorian = f"{month_day} {backend.among(':gregorian')}"
    if lunar_month_days is None:
        wanted = f"(ct.birthday_lunar IS TRUE OR {gregorian})"
    else:
        params["lunar"] = backend.month_day_keys(lunar_month_days)
        wanted = (f"(ct.birthday_lunar IS TRUE AND {month_day} {backend.among(':lunar')}"
                  f" OR ct.birthday_lunar IS NOT TRUE AND {gregorian})")  # fmt: skip
    where, scope = owner_and_grade("c", owner, grade)
    return connection.execute(f"{BIRTHDAY_CONTACTS} AND {wanted}{where}", {**params, **scope}).all()


def follow_up_state(connection: Connection, customer_id: int) -> Row:
    return connection.execute(FOLLOW_UP_STATE, {"id": customer_id}).one()


def insert_touches(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert touches at once, in the order given (their ids follow it)."""
    if rows:
        connection.insert_rows("touch", TOUCH_COLUMNS, ([row.get(c) for c in TOUCH_COLUMNS] for row in rows))


def last_touch_days(connection: Connection, customer_ids: Iterable[int]) -> dict[int, date | None]:
    """Each customer's last touch day (None: never touched), by id."""
    ids = list(customer_ids)
    if not ids:
        return {}
    statement = f"{LAST_TOUCH_DAYS} WHERE id {connection.backend.among(':ids')}"
    return dict(connection.execute(statement, {"ids": ids}).tuples())


def set_last_touches(connection: Connection, touches: Iterable[Mapping[str, Any]]) -> None:
    """Make each of these touches its customer's last: day, channel and contact (remembered for
    the next log), the explicit next step (none: the grade's cadence again); any snooze ends."""
    rows = [
        {"target": t["customer_id"], "on": t["happened_on"], "channel": t.get("channel"),
         "contact": t.get("contact_id"), "step_on": t.get("next_step_on"), "step": t.get("next_step")}
        for t in touches
    ]  # fmt: skip
    if rows:
        connection.execute_many(SET_LAST_TOUCH, rows)


def get_touch(connection: Connection, touch_id: int) -> Row | None:
    return connection.execute(GET_TOUCH, {"id": touch_id}).first()


def update_touch(connection: Connection, touch_id: int, changes: dict[str, Any]) -> None:
    connection.update("touch", touch_id, changes)


def delete_touch(connection: Connection, touch_id: int) -> None:
    connection.execute(DELETE_TOUCH, {"id": touch_id})


def reopen_plans_done_by(connection: Connection, touch_id: int, now: datetime) -> list[int]:
    """Open again the visit plans this touch marked done; their ids."""
    ids = list(connection.execute(PLANS_DONE_BY, {"touch_id": touch_id}).scalars())
    if ids:
        connection.execute(REOPEN_PLANS_DONE_BY, {"touch_id": touch_id, "now": now})
    return ids


def reset_last_touch(connection: Connection, customer_id: int) -> None:
    """Make the customer's newest touch its last again (none left: no last touch, no next step)."""
    newest = connection.execute(TOUCHES_OF + " LIMIT 1", {"customer_id": customer_id}).first()
    values = {
        "target": customer_id,
        "on": None,
        "channel": None,
        "contact": None,
        "step_on": None,
        "step": None,
    }
    if newest is not None:
        values.update(on=newest["happened_on"], channel=newest["channel"], contact=newest["contact_id"],
                      step_on=newest["next_step_on"], step=newest["next_step"])  # fmt: skip
    connection.execute(SET_LAST_TOUCH_KEEPING_SNOOZE, values)


def open_plans_of(connection: Connection, customer_ids: Iterable[int]) -> list[Row]:
    """The still planned visits of these customers: id, customer_id, planned_on."""
    ids = list(customer_ids)
    if not ids:
        return []
    statement = f"{OPEN_PLAN_DAYS} AND customer_id {connection.backend.among(':ids')}"
    return connection.execute(statement, {"ids": ids}).all()


def all_touches(connection: Connection) -> Iterator[Row]:
    """Every touch with its customer's and contact's names (TOUCH_FIELDS), oldest first."""
    yield from connection.execute(ALL_TOUCHES)


def count_touches(connection: Connection) -> int:
    return int(connection.execute(COUNT_TOUCHES).scalar())
