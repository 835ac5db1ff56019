"""What a customer import changes beyond the cards: grade history and stored due dates.

Kept apart from the row planning in importing.py: these are the same follow-up rules that
`kehu grade` and `kehu log` apply, run once for the whole file inside its transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from kehu.i18n import _
from kehu.io.importing import ImportPlan
from kehu.store.followups import Shift, computed_due, record_grade_changes, refresh_due
from kehu.store.sql import Connection


def grades_before(connection: Connection, plan: ImportPlan) -> dict[int, str | None]:
    """The current grade of every customer whose grade the import is about to change."""
    ids = [customer_id for customer_id, changes in plan.updates if "grade" in changes]
    if not ids:
        return {}
    sql = f"SELECT id, grade FROM customer WHERE id {connection.backend.among(':ids')}"  # noqa: S608
    return dict(connection.execute(sql, {"ids": ids}).tuples())


def set_due_of_new(plan: ImportPlan, shift: Shift) -> None:
    """Give each new card its due date before it is written: one pass over 100,000 rows in
    memory instead of reading them back and updating each."""
    # A new card has no follow-up history yet: never touched, no next step, no snooze.
    never_touched = {"last_touch_on": None, "next_step_on": None, "snoozed_until": None}
    for row in plan.inserts:
        card = {"grade": row["grade"], "created_at": row["created_at"], **never_touched}
        row["next_due"] = computed_due(card, shift)


def follow_up_imported(
    connection: Connection,
    plan: ImportPlan,
    old_grades: dict[int, str | None],
    today: date,
    now: datetime,
    shift: Shift,
) -> None:
    """Keep grade changes in the history and recompute due dates of the updated customers (the
    new ones got theirs in set_due_of_new)."""
    changes = [
        {"customer_id": customer_id, "changed_on": today, "old_grade": old_grades.get(customer_id),
         "new_grade": values["grade"], "reason": _("import"), "created_at": now}
        for customer_id, values in plan.updates
        if "grade" in values and values["grade"] != old_grades.get(customer_id)
    ]  # fmt: skip
    record_grade_changes(connection, changes)
    refresh_due(connection, [customer_id for customer_id, _changes in plan.updates], shift)
