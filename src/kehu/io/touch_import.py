"""Importing a follow-up log (跟进记录) from CSV: every row checked, then one transaction.

Each touch names its customer (and optionally a contact of that customer) by exact name. After
the inserts, each customer's follow-up state is set from its newest touch, exactly as if the
touches had been logged one by one with `kehu log`, and the due dates are recomputed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from kehu.domain.names import name_key
from kehu.i18n import _
from kehu.io.csv_in import ParsedFile, RowError
from kehu.io.importing import ImportPlan
from kehu.store import contacts as contact_store
from kehu.store import customers as customer_store
from kehu.store.batching import rows_where_in
from kehu.store.followups import Shift, refresh_due
from kehu.store.models import customer_table, touch_table


def plan_touches(connection: Connection, parsed: ParsedFile, today: date, now: datetime) -> ImportPlan:
    plan = ImportPlan(errors=list(parsed.errors))
    keys = {name_key(r.values["customer"]) for r in parsed.rows if r.values.get("customer")}
    customer_ids = customer_store.ids_by_name_key(connection, keys)
    contacts = contact_store.ids_by_customer_and_name(connection, list(customer_ids.values()))
    for row in parsed.rows:
        values = row.values
        if values.get("customer") is None or values.get("happened_on") is None or not values.get("summary"):
            continue  # already reported as a missing required value
        customer_id = customer_ids.get(name_key(values["customer"]))
        if customer_id is None:
            plan.errors.append(RowError(row.line, "", _("no customer named {name!r}").format(
                name=values["customer"])))  # fmt: skip
            continue
        contact_id = None
        if values.get("contact"):
            contact_id = contacts.get((customer_id, name_key(values["contact"])))
            if contact_id is None:
                plan.errors.append(RowError(row.line, "", _(
                    "{customer!r} has no contact named {name!r}").format(
                    customer=values["customer"], name=values["contact"])))  # fmt: skip
                continue
        if values["happened_on"] > today:
            plan.errors.append(RowError(row.line, "", _("a touch cannot be in the future")))
            continue
        plan.inserts.append({
            "customer_id": customer_id, "contact_id": contact_id, "happened_on": values["happened_on"],
            "channel": values.get("channel"), "summary": values["summary"],
            "outcome": values.get("outcome"), "next_step_on": values.get("next_step_on"),
            "next_step": values.get("next_step"), "created_at": now,
        })  # fmt: skip
    return plan


def apply_touches(connection: Connection, plan: ImportPlan, shift: Shift) -> None:
    if not plan.inserts:
        return
    connection.execute(insert(touch_table), plan.inserts)
    newest: dict[int, dict[str, Any]] = {}
    for touch in plan.inserts:  # file order breaks ties between touches of one day
        current = newest.get(touch["customer_id"])
        if current is None or touch["happened_on"] >= current["happened_on"]:
            newest[touch["customer_id"]] = touch
    statement = select(customer_table.c.id, customer_table.c.last_touch_on)
    states = {
        row["id"]: row["last_touch_on"]
        for row in rows_where_in(connection, statement, customer_table.c.id, list(newest))
    }
    for customer_id, touch in newest.items():
        last = states.get(customer_id)
        if last is not None and touch["happened_on"] < last:
            continue  # the book already knows a newer touch
        connection.execute(
            update(customer_table)
            .where(customer_table.c.id == customer_id)
            .values(
                last_touch_on=touch["happened_on"], last_channel=touch["channel"],
                last_contact_id=touch["contact_id"], next_step_on=touch["next_step_on"],
                next_step=touch["next_step"], snoozed_until=None,
            )
        )  # fmt: skip
    refresh_due(connection, list(newest), shift)
