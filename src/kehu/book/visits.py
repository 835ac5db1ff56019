"""Visit plans once made (走访计划): list them, move one to another day, cancel one with a reason.

Plans are made by `kehu plan` and done by the first touch on their day (book/touches.py); a plan
whose day passed stays open, shown as missed, until it is done, moved or cancelled. A cancelled
plan is kept, with its reason, for the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.errors import Conflict, NotFound, UsageError
from kehu.i18n import _

if TYPE_CHECKING:
    from kehu.store.db import Store
    from kehu.store.sql import Connection, Row


def plans(store: Store, customer: str | None = None, *, everything: bool = False) -> list[dict[str, Any]]:
    """The open visit plans (of one customer, or all), earliest first; `everything`: done and
    cancelled ones too."""
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        customer_id = (
            resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
        )
        return [dict(row) for row in followups.plan_list(connection, customer_id, everything=everything)]


@dataclass(frozen=True)
class PlanChanged:
    plan_id: int
    customer: str
    planned_on: date
    status: str


def move(store: Store, plan_id: int, day: date, *, today: date, now: datetime) -> PlanChanged:
    """Move an open visit plan to another day, today or later."""
    from kehu.store import followups

    if day < today:
        raise UsageError(_("a visit cannot be planned in the past ({day}); record it with kehu log").format(
            day=day.isoformat()))  # fmt: skip
    with store.write() as connection:
        plan, name = _open_plan(connection, plan_id)
        followups.move_plan(connection, plan_id, day, now)
    return PlanChanged(plan_id, name, day, plan["status"])


def cancel(store: Store, plan_id: int, reason: str | None, *, now: datetime) -> PlanChanged:
    """Cancel an open visit plan; it is kept, status cancelled, with the reason."""
    from kehu.store import followups

    reason = (reason or "").strip() or None
    with store.write() as connection:
        plan, name = _open_plan(connection, plan_id)
        followups.cancel_plan(connection, plan_id, reason, now)
    return PlanChanged(plan_id, name, plan["planned_on"], "cancelled")


def _open_plan(connection: Connection, plan_id: int) -> tuple[Row, str]:
    """The plan (one the user may see: another seller's is not found in team mode) and its
    customer's name; a plan already done or cancelled cannot change."""
    from kehu.store import followups
    from kehu.store.customers import get_card

    plan = followups.get_plan(connection, plan_id)
    card = get_card(connection, plan["customer_id"]) if plan is not None else None
    if plan is None or card is None:
        raise NotFound(_("no visit plan {id}").format(id=plan_id))
    if plan["status"] != "planned":
        raise Conflict(
            _("visit plan {id} is already {status}").format(id=plan_id, status=_status_word(plan["status"]))
        )
    return plan, card["name"]


def _status_word(status: str) -> str:
    return {"done": _("done"), "cancelled": _("cancelled"), "planned": _("planned")}.get(status, status)
