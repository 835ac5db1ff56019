"""A customer's needs (挖掘需求, seed 001 第三步): note one, list them, edit, change status, remove.

The seed asks for the whole of what a customer wants: 目标愿望, 问题挑战, 解决方案, 产品服务 and
采购指标, each business, technical, commercial or personal (NEED_KIND), how pressing (PRIORITY),
whose (a contact of the customer), and whether it is met (NEED_STATUS). `kehu need add` is a batch
of one of what `kehu import needs` does: both go through `_new_need`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.errors import NotFound, UsageError
from kehu.i18n import _, labelled

if TYPE_CHECKING:
    from kehu.book.plans import ImportPlan
    from kehu.io.csv_in import Sheet
    from kehu.store.db import Store
    from kehu.store.sql import Connection, Row

# What `need edit` may change, by key, and the option that names it in messages.
EDIT_OPTIONS = {"description": "--text", "kind": "--kind", "priority": "--priority", "contact": "--from",
                "noted_on": "--on", "notes": "--notes", "status": "--status"}  # fmt: skip


@dataclass(frozen=True)
class NeedWritten:
    need_id: int
    customer: str
    description: str
    status: str


def _description(text: str | None, option: str = "need") -> str:
    """A need's text: required, trimmed, within kehu's limits."""
    from kehu.domain.values import parse_text

    text = (text or "").strip()
    if not text:
        raise UsageError(_("say what the customer needs"))
    try:
        return parse_text(text)
    except ValueError as error:
        raise UsageError(labelled(option, error)) from None


def _optional_text(option: str, text: str | None) -> str | None:
    from kehu.domain.values import parse_text

    text = (text or "").strip()
    try:
        return parse_text(text) or None
    except ValueError as error:
        raise UsageError(labelled(option, error)) from None


def _code(vocabulary_name: str, option: str, text: str | None) -> str | None:
    from kehu.book.words import word_code
    from kehu.domain import vocabulary

    words = {"kind": vocabulary.NEED_KIND, "priority": vocabulary.PRIORITY, "status": vocabulary.NEED_STATUS}
    text = None if text is None or not text.strip() else text
    return word_code(words[vocabulary_name], option, text)


def _new_need(customer_id: int, contact_id: int | None, values: Mapping[str, Any], *, today: date,
              now: datetime) -> dict[str, Any]:  # fmt: skip
    """The need row to insert, from checked values (codes, a date): the one rule of add and import.
    ValueError says what is wrong with it."""
    noted_on = values.get("noted_on") or today
    if noted_on > today:
        raise ValueError(_("a need cannot be noted in the future ({day})").format(day=noted_on.isoformat()))
    return {
        "customer_id": customer_id, "contact_id": contact_id, "description": values["description"],
        "kind": values.get("kind"), "priority": values.get("priority"),
        "status": values.get("status") or "open", "noted_on": noted_on, "notes": values.get("notes"),
        "created_at": now, "updated_at": now,
    }  # fmt: skip


def add_need(
    store: Store,
    customer: str,
    description: str,
    *,
    today: date,
    now: datetime,
    kind: str | None = None,
    priority: str | None = None,
    contact: str | None = None,
    noted_on: date | None = None,
    notes: str | None = None,
    status: str | None = None,
) -> NeedWritten:
    """Note a need of a customer (named as `kehu need add` takes it), from a contact of it
    (id, name or part), noted today unless `noted_on`; open unless `status` says otherwise."""
    from kehu.store import needs as need_store
    from kehu.store.lookup import resolve_contact, resolve_customer

    values = {
        "description": _description(description), "kind": _code("kind", "--kind", kind),
        "priority": _code("priority", "--priority", priority), "status": _code("status", "--status", status),
        "noted_on": noted_on, "notes": _optional_text("--notes", notes),
    }  # fmt: skip
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        contact_id = resolve_contact(connection, card["id"], contact)["id"] if contact else None
        try:
            row = _new_need(card["id"], contact_id, values, today=today, now=now)
        except ValueError as error:
            raise UsageError(labelled("--on", error)) from None
        need_id = need_store.insert_need(connection, row)
    return NeedWritten(need_id, card["name"], row["description"], row["status"])


def needs(
    store: Store, customer: str | None = None, *, status: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    """Needs (of one customer, archived ones too, or all): open first, the most pressing first."""
    from kehu.store import needs as need_store
    from kehu.store.lookup import resolve_customer

    status = _code("status", "--status", status)
    kind = _code("kind", "--kind", kind)
    with store.read() as connection:
        customer_id = (
            resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
        )  # fmt: skip
        return [dict(row) for row in need_store.list_needs(connection, customer_id, status=status, kind=kind)]


def _need_and_card(connection: Connection, need_id: int) -> tuple[Row, Row]:
    """The need (one the user may see: another seller's is not found in team mode) and its card."""
    from kehu.store import needs as need_store
    from kehu.store.customers import get_card

    need = need_store.get_need(connection, need_id)
    card = get_card(connection, need["customer_id"]) if need is not None else None
    if need is None or card is None:
        raise NotFound(_("no need {id}").format(id=need_id))
    return need, card


def edit_need(
    store: Store, need_id: int, changes: Mapping[str, Any], *, today: date, now: datetime
) -> NeedWritten:
    """Change a need: `changes` by EDIT_OPTIONS key, words as typed (an empty text clears an
    optional field), noted_on a date."""
    from kehu.store import needs as need_store
    from kehu.store.lookup import resolve_contact

    if not changes:
        raise UsageError(_("nothing to change; give at least one field option (see --help)"))
    row: dict[str, Any] = {}
    for key, value in changes.items():
        option = EDIT_OPTIONS[key]
        if key == "description":
            row[key] = _description(value, option)
        elif key in ("kind", "priority"):
            row[key] = _code(key, option, value)
        elif key == "status":
            code = _code(key, option, value)
            if code is None:
                raise UsageError(_("{option}: cannot be empty").format(option=option))
            row[key] = code
        elif key == "notes":
            row[key] = _optional_text(option, value)
        elif key == "noted_on":
            if value > today:
                raise UsageError(labelled(option, _("a need cannot be noted in the future ({day})").format(
                    day=value.isoformat())))  # fmt: skip
            row[key] = value
    with store.write() as connection:
        need, card = _need_and_card(connection, need_id)
        if "contact" in changes:
            text = changes["contact"]
            row["contact_id"] = resolve_contact(connection, card["id"], text)["id"] if text.strip() else None
        row["updated_at"] = now
        need_store.update_need(connection, need_id, row)
    return NeedWritten(need_id, card["name"], row.get("description", need["description"]),
                       row.get("status", need["status"]))  # fmt: skip


def set_status(
    store: Store, need_id: int, status: str, *, now: datetime, reason: str | None = None
) -> NeedWritten:
    """Mark a need met, dropped or open again; a reason is added to its notes."""
    from kehu.store import needs as need_store

    code = _code("status", "STATUS", status)
    if code is None:
        raise UsageError(_("STATUS: cannot be empty"))
    reason = _optional_text("--reason", reason)
    with store.write() as connection:
        need, card = _need_and_card(connection, need_id)
        row: dict[str, Any] = {"status": code, "updated_at": now}
        if reason:
            row["notes"] = f"{need['notes']}; {reason}" if need["notes"] else reason
        need_store.update_need(connection, need_id, row)
    return NeedWritten(need_id, card["name"], need["description"], code)


def remove_need(store: Store, need_id: int) -> NeedWritten:
    """Remove a need noted by mistake (one met or given up is better marked so: kehu need status)."""
    from kehu.store import needs as need_store

    with store.write() as connection:
        need, card = _need_and_card(connection, need_id)
        need_store.delete_need(connection, need_id)
    return NeedWritten(need_id, card["name"], need["description"], need["status"])


# --- kehu import needs ---------------------------------------------------------------------------


def write_needs(
    connection: Connection,
    sheet: Sheet,
    *,
    today: date,
    now: datetime,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    **_unused: Any,  # every row is a new need: no conflicts, no owner
) -> ImportPlan:
    """Check a sheet of needs against the book (customer and contact by exact name) and add them,
    each as `kehu need add` would; refused on any bad row."""
    from kehu.store import needs as need_store

    return import_new_records(connection, sheet, _new_need, "noted_on", need_store.insert_needs, today=today,
                              now=now, write=write, progress=progress)  # fmt: skip


def import_new_records(
    connection: Connection,
    sheet: Any,
    new_record: Callable[..., dict[str, Any]],
    day_column: str,
    insert: Callable[[Connection, list], None],
    *,
    today: date,
    now: datetime,
    write: bool,
    progress: Callable[[int], None] | None,
) -> ImportPlan:
    """A sheet of a customer's records that are each new (needs, complaints): every row resolved
    (customer and contact by exact name) and made as its `add` makes it, `new_record(customer id,
    contact id, values, today=, now=)` (ValueError: blamed on `day_column`); all inserted, or
    Refused on any bad row."""
    from kehu.book.cards import Refused
    from kehu.book.plans import ImportPlan

    parsed = sheet.read_all(progress)
    plan = ImportPlan(errors=list(parsed.errors))
    for line, customer_id, contact_id, values in resolved_rows(connection, parsed, plan, "description"):
        try:
            plan.inserts.append(new_record(customer_id, contact_id, values, today=today, now=now))
        except ValueError as error:
            row_error(plan, line, parsed.column(day_column), str(error))
    if plan.errors:
        raise Refused(plan.errors)
    if write:
        insert(connection, plan.inserts)
    return plan


def row_error(plan: ImportPlan, line: int, column: str, reason: str) -> None:
    from kehu.io.csv_in import RowError

    plan.errors.append(RowError(line, column, reason))


def resolved_rows(connection: Connection, parsed: Any, plan: ImportPlan, required: str | None):
    """Each row with its required cells as (line, customer id, contact id, values): the customer and
    the contact (a `contact` column) by exact name, as the other imports name them; a row naming
    one the book does not have is an error of the plan. (book/offers.py reads its sheets so too.)"""
    from kehu.domain.names import name_key
    from kehu.store import contacts as contact_store
    from kehu.store import customers as customer_store

    keys = {name_key(r.values["customer"]) for r in parsed.rows if r.values.get("customer")}
    customer_ids = customer_store.ids_by_name_key(connection, keys)
    contacts = contact_store.ids_by_customer_and_name(connection, list(customer_ids.values()))
    for row in parsed.rows:
        values = row.values
        if values.get("customer") is None or (required and not values.get(required)):
            continue  # already reported as a missing required value
        customer_id = customer_ids.get(name_key(values["customer"]))
        if customer_id is None:
            row_error(plan, row.line, parsed.column("customer"), _("no customer named {name!r}").format(
                name=values["customer"]))  # fmt: skip
            continue
        contact_id = None
        if values.get("contact"):
            contact_id = contacts.get((customer_id, name_key(values["contact"])))
            if contact_id is None:
                row_error(plan, row.line, parsed.column("contact"), _(
                    "{customer!r} has no contact named {name!r}").format(
                    customer=values["customer"], name=values["contact"]))  # fmt: skip
                continue
        yield row.line, customer_id, contact_id, values
