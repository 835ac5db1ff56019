"""After-sale complaints (维护, seed 002: 处理客户投诉 — deal with complaints in time): raise one,
resolve it, list them; an open one is due in `kehu followups` until resolved, the most severe
first, and shown on the card. `kehu complaint add` is a batch of one of what `kehu import
complaints` does: both go through `_new_complaint`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.errors import Conflict, NotFound, UsageError
from kehu.i18n import _, labelled

if TYPE_CHECKING:
    from kehu.book.plans import ImportPlan
    from kehu.io.csv_in import Sheet
    from kehu.store.db import Store
    from kehu.store.sql import Connection


@dataclass(frozen=True)
class ComplaintWritten:
    complaint_id: int
    customer: str
    description: str
    status: str
    severity: str | None = None


def _text(option: str, text: str | None, *, required: bool = False) -> str | None:
    from kehu.domain.values import parse_text

    text = (text or "").strip()
    if required and not text:
        raise UsageError(_("say what the customer complains about"))
    try:
        return parse_text(text) or None
    except ValueError as error:
        raise UsageError(labelled(option, error)) from None


def _severity(text: str | None) -> str | None:
    from kehu.book.words import word_code
    from kehu.domain.vocabulary import SEVERITY

    return word_code(SEVERITY, "--severity", text if text and text.strip() else None)


def _new_complaint(customer_id: int, contact_id: int | None, values: Mapping[str, Any], *, today: date,
                   now: datetime) -> dict[str, Any]:  # fmt: skip
    """The complaint row to insert, from checked values (codes, dates): the one rule of add and
    import. ValueError says what is wrong with it."""
    raised_on = values.get("raised_on") or today
    if raised_on > today:
        raise ValueError(
            _("a complaint cannot be raised in the future ({day})").format(day=raised_on.isoformat())
        )
    resolved_on = values.get("resolved_on")
    status = values.get("status") or ("resolved" if resolved_on else "open")
    if status == "resolved":
        resolved_on = resolved_on or raised_on
        _check_resolved(raised_on, resolved_on, today)
    elif resolved_on is not None:
        raise ValueError(_("an open complaint has no resolved date"))
    return {
        "customer_id": customer_id, "contact_id": contact_id, "raised_on": raised_on,
        "description": values["description"], "severity": values.get("severity"), "status": status,
        "resolved_on": resolved_on, "resolution": values.get("resolution"), "created_at": now,
        "updated_at": now,
    }  # fmt: skip


def _check_resolved(raised_on: date, resolved_on: date, today: date) -> None:
    if resolved_on < raised_on:
        raise ValueError(_("resolved ({resolved}) before it was raised ({raised})").format(
            resolved=resolved_on.isoformat(), raised=raised_on.isoformat()))  # fmt: skip
    if resolved_on > today:
        raise ValueError(_("a complaint cannot be resolved in the future ({day})").format(
            day=resolved_on.isoformat()))  # fmt: skip


def add_complaint(
    store: Store,
    customer: str,
    description: str,
    *,
    today: date,
    now: datetime,
    severity: str | None = None,
    contact: str | None = None,
    raised_on: date | None = None,
) -> ComplaintWritten:
    """Record a complaint of a customer (named as `kehu complaint add` takes it), from a contact
    of it, raised today unless `raised_on`: open until resolved."""
    from kehu.store import complaints as complaint_store
    from kehu.store.lookup import resolve_contact, resolve_customer

    values = {"description": _text("COMPLAINT", description, required=True), "severity": _severity(severity),
              "raised_on": raised_on}  # fmt: skip
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        contact_id = resolve_contact(connection, card["id"], contact)["id"] if contact else None
        try:
            row = _new_complaint(card["id"], contact_id, values, today=today, now=now)
        except ValueError as error:
            raise UsageError(labelled("--on", error)) from None
        complaint_id = complaint_store.insert_complaint(connection, row)
    return ComplaintWritten(complaint_id, card["name"], row["description"], row["status"], row["severity"])


def resolve_complaint(
    store: Store,
    complaint_id: int,
    *,
    today: date,
    now: datetime,
    resolution: str | None = None,
    resolved_on: date | None = None,
) -> ComplaintWritten:
    """Mark an open complaint resolved, today unless `resolved_on`, with how it was resolved."""
    from kehu.store import complaints as complaint_store
    from kehu.store.customers import get_card

    resolution = _text("--resolution", resolution)
    resolved_on = resolved_on or today
    with store.write() as connection:
        found = complaint_store.get_complaint(connection, complaint_id)
        if found is None or get_card(connection, found["customer_id"]) is None:
            raise NotFound(_("no complaint {id}").format(id=complaint_id))
        if found["status"] == "resolved":
            raise Conflict(_("complaint {id} is resolved already ({day})").format(
                id=complaint_id, day=found["resolved_on"].isoformat()))  # fmt: skip
        try:
            _check_resolved(found["raised_on"], resolved_on, today)
        except ValueError as error:
            raise UsageError(labelled("--on", error)) from None
        changes = {
            "status": "resolved",
            "resolved_on": resolved_on,
            "resolution": resolution,
            "updated_at": now,
        }
        complaint_store.update_complaint(connection, complaint_id, changes)
    return ComplaintWritten(
        complaint_id, found["customer"], found["description"], "resolved", found["severity"]
    )


def complaints(
    store: Store, customer: str | None = None, *, today: date, open_only: bool = False
) -> list[dict[str, Any]]:
    """Complaints (of one customer, archived ones too, or all active customers'): open first, the
    most severe first, the oldest first; each with `days`: open so far, or taken to resolve."""
    from kehu.store import complaints as complaint_store
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        customer_id = (
            resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
        )  # fmt: skip
        rows = [
            dict(r) for r in complaint_store.list_complaints(connection, customer_id, open_only=open_only)
        ]
    for row in rows:
        row["days"] = ((row["resolved_on"] or today) - row["raised_on"]).days
    return rows


# --- kehu import complaints ---------------------------------------------------------------------


def write_complaints(
    connection: Connection,
    sheet: Sheet,
    *,
    today: date,
    now: datetime,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    **_unused: Any,  # every row is a new complaint: no conflicts, no owner
) -> ImportPlan:
    """Check a sheet of complaints against the book (customer and contact by exact name) and add
    them, each as `kehu complaint add` (and resolve, for a resolved one) would; refused on any
    bad row."""
    from kehu.book.needs import import_new_records
    from kehu.store.complaints import insert_complaints

    return import_new_records(connection, sheet, _new_complaint, "raised_on", insert_complaints, today=today,
                              now=now, write=write, progress=progress)  # fmt: skip
