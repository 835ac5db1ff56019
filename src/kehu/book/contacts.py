"""Contacts (联系人) of customers: add one, import many, edit, archive, restore.

A contact belongs to a customer; one name per customer; one key contact per customer (a new
one unmarks the others). `kehu contact add` is a batch of one of what `kehu import contacts`
does. The plan is made inside the same transaction that applies it, so that what `--dry-run`
counts and what the import writes are decided against the same state of the book.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.book.plans import ImportPlan
from kehu.domain.names import name_key
from kehu.errors import BadData, Conflict
from kehu.i18n import _
from kehu.io.csv_in import ParsedFile, ParsedRow, RowError
from kehu.store import contacts as contact_store
from kehu.store import customers as customer_store
from kehu.store.sequences import continue_numbering

if TYPE_CHECKING:
    from kehu.io.csv_in import Sheet
    from kehu.store.followups import Shift
    from kehu.store.sql import Connection, Row

# Columns that cannot be empty: an empty cell in a row that updates a contact leaves them as
# they are (a new contact gets the default).
_KEEP_WHEN_EMPTY = ("is_key", "birthday_lunar", "created_at", "updated_at")


def write_contacts(
    connection: Connection,
    sheet: Sheet,
    *,
    on_conflict: str,
    today: date,
    now: datetime,
    owner: str | None,
    shift: Shift,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Add the sheet's new contacts and (on_conflict="update") update those the book holds, in
    the caller's transaction; with write=False only count. Refused on any problem of any row."""
    from kehu.book.cards import Refused

    plan = plan_contacts(connection, sheet.read_all(progress), on_conflict, now)
    if plan.errors:
        raise Refused(plan.errors)
    if write:
        apply_contacts(connection, plan)
    return plan


@dataclass(frozen=True)
class Written:
    """One contact added or changed: its id, its name, its customer's name."""

    contact_id: int
    name: str
    customer: str


def add_contact(connection: Connection, customer: str, name: str, values: Mapping[str, Any], *,
                now: datetime) -> Written:  # fmt: skip
    """Add one contact to a customer (any reference to it): a batch of one of the import's plan."""
    from kehu.store.lookup import resolve_customer

    card = resolve_customer(connection, customer)
    key = (card["id"], name_key(name))
    if key in contact_store.ids_by_customer_and_name(connection, [card["id"]]):
        raise _taken(card["name"], name)
    row = ParsedRow(1, {**values, "customer": card["name"], "name": name})
    plan = plan_contacts(connection, ParsedFile([], rows=[row]), "error", now)
    if plan.errors:
        raise BadData(plan.errors[0].reason)
    apply_contacts(connection, plan)
    contact_id = contact_store.ids_by_customer_and_name(connection, [card["id"]])[key]
    return Written(contact_id, name, card["name"])


def _taken(customer: str, name: str) -> Conflict:
    return Conflict(_("{customer} already has a contact named {name!r}").format(customer=customer, name=name))


def edit_contact(connection: Connection, customer: str, contact: str, changes: Mapping[str, Any], *,
                 now: datetime) -> Written:  # fmt: skip
    """Change fields of a contact (None clears a field); marking it key unmarks the others."""
    card, row = _contact_of(connection, customer, contact)
    changes = {k: bool(v) if k in ("is_key", "birthday_lunar") else v for k, v in changes.items()}
    renamed = "name" in changes and name_key(changes["name"]) != row["name_key"]
    taken = contact_store.ids_by_customer_and_name(connection, [card["id"]]) if renamed else {}
    if renamed and (card["id"], name_key(changes["name"])) in taken:
        raise _taken(card["name"], changes["name"])
    contact_store.update_contact(
        connection, row["id"], {**contact_store.storable(changes), "updated_at": now}
    )
    if changes.get("is_key"):
        contact_store.clear_key_contact(connection, card["id"], row["id"])
    return Written(row["id"], changes.get("name", row["name"]), card["name"])


def set_archived(
    connection: Connection, customer: str, contact: str, *, archive: bool, now: datetime
) -> Written:
    """Archive a contact (who left the company, say) or bring it back; it is never deleted."""
    card, row = _contact_of(connection, customer, contact)
    contact_store.update_contact(
        connection, row["id"], {"archived_at": now if archive else None, "updated_at": now}
    )
    return Written(row["id"], row["name"], card["name"])


def _contact_of(connection: Connection, customer: str, contact: str) -> tuple[Row, Row]:
    from kehu.store.lookup import resolve_contact, resolve_customer

    card = resolve_customer(connection, customer, include_archived=True)
    return card, resolve_contact(connection, card["id"], contact, include_archived=True)


def _changes(current: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in values.items()
        if k in current and current[k] != v and not (v is None and k in _KEEP_WHEN_EMPTY)
    }


def _first_of_each_id(inserts: list[dict[str, Any]]) -> None:
    """An id that two new rows of one file carry stays with the first; the others get new ids."""
    seen: set[int] = set()
    for row in inserts:
        if row.get("id") is None:
            continue
        if row["id"] in seen:
            row["id"] = None
        else:
            seen.add(row["id"])


def _complete_new(row: dict[str, Any], columns: tuple[str, ...], now: datetime) -> dict[str, Any]:
    complete = dict.fromkeys(columns)
    complete.update(row)
    complete["created_at"] = complete.get("created_at") or now
    complete["updated_at"] = complete.get("updated_at") or complete["created_at"]
    return complete


def _insert_numbered(connection: Connection, inserts: list[dict[str, Any]], insert, table: str) -> None:
    """Insert rows keeping the ids the file gave them, then the rows the database numbers (one
    bulk insert needs the same columns in every row). Between the two, PostgreSQL's sequence is
    moved past the kept ids, so a numbered row follows the largest id as it does on SQLite."""
    if not inserts:
        return
    columns = tuple(inserts[0])
    unnumbered = tuple(column for column in columns if column != "id")
    with_id = [row for row in inserts if row.get("id") is not None]
    insert(connection, columns, (tuple(row[column] for column in columns) for row in with_id))
    if with_id:
        continue_numbering(connection, [table])
    insert(connection, unnumbered, (tuple(row[column] for column in unnumbered) for row in inserts
                                    if row.get("id") is None))  # fmt: skip


def plan_contacts(connection: Connection, parsed: ParsedFile, on_conflict: str, now: datetime) -> ImportPlan:
    plan = ImportPlan(errors=list(parsed.errors))
    customer_keys = {name_key(r.values["customer"]) for r in parsed.rows if r.values.get("customer")}
    customer_ids = customer_store.ids_by_name_key(connection, customer_keys)
    existing = contact_store.ids_by_customer_and_name(connection, list(customer_ids.values()))
    current = contact_store.contacts_by_ids(connection, list(existing.values()))
    first_line: dict[tuple[int, str], int] = {}
    key_line: dict[int, int] = {}
    columns = tuple(k for k in contact_store.COLUMN_KEYS if k != "id") + ("name_key", "customer_id")
    for row in parsed.rows:
        values = dict(row.values)
        customer, name = values.pop("customer", None), values.get("name")
        if customer is None or name is None:
            continue
        customer_id = customer_ids.get(name_key(customer))
        if customer_id is None:
            reason = _("no customer named {name!r} (import the customers first)")
            plan.errors.append(RowError(row.line, parsed.column("customer"), reason.format(name=customer)))
            continue
        pair = (customer_id, name_key(name))
        if pair in first_line:
            plan.errors.append(RowError(row.line, parsed.column("name"), _(
                "same contact as line {line}").format(line=first_line[pair])))  # fmt: skip
            continue
        first_line[pair] = row.line
        if values.get("is_key"):
            if customer_id in key_line:
                plan.errors.append(RowError(row.line, parsed.column("is_key"), _(
                    "a second key contact for {name!r} (line {line})").format(
                    name=customer, line=key_line[customer_id])))  # fmt: skip
                continue
            key_line[customer_id] = row.line
        if pair in existing:
            if on_conflict == "error":
                plan.errors.append(RowError(row.line, parsed.column("name"), _(
                    "contact {name!r} of {customer!r} already exists").format(
                    name=name, customer=customer)))  # fmt: skip
                continue
            if on_conflict == "skip":
                plan.skipped += 1
                continue
            if values.get("is_key"):
                plan.key_contacts.append(pair)
            values.pop("id", None)
            values.pop("created_at", None)
            changes = _changes(dict(current[existing[pair]]), values)
            if not changes:
                plan.unchanged += 1
                continue
            if "updated_at" not in changes:
                # A changed row whose updated_at cell still holds the stored moment (a list
                # piped through a filter, an export edited in Excel) was changed now.
                changes["updated_at"] = now
            plan.updates.append((existing[pair], contact_store.storable(changes)))
        else:
            if values.get("is_key"):
                plan.key_contacts.append(pair)
            new = contact_store.storable({**values, "customer_id": customer_id})
            new["is_key"] = bool(new.get("is_key"))
            new["birthday_lunar"] = bool(new.get("birthday_lunar"))
            new["id"] = values.get("id")
            plan.inserts.append(_complete_new(new, (*columns, "id"), now))
    _free_contact_ids(connection, plan)
    return plan


def _free_contact_ids(connection: Connection, plan: ImportPlan) -> None:
    taken = contact_store.used_ids(connection, [row["id"] for row in plan.inserts if row.get("id")])
    for row in plan.inserts:
        if row.get("id") in taken or row.get("id") == 0:
            row["id"] = None
    _first_of_each_id(plan.inserts)


def apply_contacts(connection: Connection, plan: ImportPlan) -> None:
    for customer_id, _key in plan.key_contacts:
        contact_store.clear_key_contact(connection, customer_id, None)
    _insert_numbered(connection, plan.inserts, contact_store.insert_contacts, "contact")
    for contact_id, changes in plan.updates:
        contact_store.update_contact(connection, contact_id, changes)
    if plan.key_contacts:
        # Updates above may have re-set is_key on contacts already in the book; keep the file's.
        contact_store.set_key_contacts(connection, plan.key_contacts)
