"""Contacts (联系人) of customers: add one, import many, edit, archive, restore.

A contact belongs to a customer; one name per customer; one key contact per customer (a new
one unmarks the others). `kehu contact add` is a batch of one of what `kehu import contacts`
does. The plan is made inside the same transaction that applies it, so that what `--dry-run`
counts and what the import writes are decided against the same state of the book.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
_KEEP_WHEN_EMPTY = ("is_key", "birthday_lunar", "created_at", "updated_at", "relationship")


@dataclass
class ContactPlan(ImportPlan):
    """An import's plan, with whom each row reports to and the relationship stages it sets."""

    # (customer id, contact name key, the superior's name key or None): rows whose superior changes
    superiors: list[tuple[int, str, str | None]] = field(default_factory=list)
    # (customer id, contact name key, old stage, new stage, reason): a stage the import changes,
    # kept as relationship history (a new contact's first stage is where its history starts, as
    # a new card's grade is: its changes are what `kehu import relationships` carries)
    relationships: list[tuple[int, str, str | None, str, str | None]] = field(default_factory=list)


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
        apply_contacts(connection, plan, now, reason=_("import"))
    return plan


@dataclass(frozen=True)
class Written:
    """One contact added or changed: its id, its name, its customer's name."""

    contact_id: int
    name: str
    customer: str


def add_contact(connection: Connection, customer: str, name: str, values: Mapping[str, Any], *,
                now: datetime) -> Written:  # fmt: skip
    """Add one contact to a customer (any reference to it): a batch of one of the import's plan.
    Whom they report to is any reference to a contact of the same customer."""
    from kehu.store.lookup import resolve_contact, resolve_customer

    card = resolve_customer(connection, customer)
    key = (card["id"], name_key(name))
    if key in contact_store.ids_by_customer_and_name(connection, [card["id"]]):
        raise _taken(card["name"], name)
    values = dict(values)
    if values.get("reports_to") is not None:  # any reference to a contact of the customer
        values["reports_to"] = resolve_contact(connection, card["id"], values["reports_to"])["name"]
    row = ParsedRow(1, {**values, "customer": card["name"], "name": name})
    plan = plan_contacts(connection, ParsedFile([], rows=[row]), "error", now)
    if plan.errors:
        raise BadData(plan.errors[0].reason)
    apply_contacts(connection, plan, now)
    contact_id = contact_store.ids_by_customer_and_name(connection, [card["id"]])[key]
    return Written(contact_id, name, card["name"])


def _taken(customer: str, name: str) -> Conflict:
    return Conflict(_("{customer} already has a contact named {name!r}").format(customer=customer, name=name))


def edit_contact(connection: Connection, customer: str, contact: str, changes: Mapping[str, Any], *,
                 now: datetime) -> Written:  # fmt: skip
    """Change fields of a contact (None clears a field); marking it key unmarks the others.
    Whom they report to (`reports_to`) is any reference to another contact of the customer, and
    refused (Conflict, nothing written) when the chain of command would come back to them."""
    card, row = _contact_of(connection, customer, contact)
    changes = {k: bool(v) if k in ("is_key", "birthday_lunar") else v for k, v in changes.items()}
    if "reports_to" in changes:
        changes["reports_to_id"] = _superior_id(connection, card, row, changes.pop("reports_to"))
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


def _superior_id(connection: Connection, card: Row, row: Row, reference: str | None) -> int | None:
    """The id of the contact `row` is to report to (None: nobody), or the error that says why not."""
    from kehu.domain.org import cycle_through
    from kehu.store.lookup import resolve_contact
    from kehu.store.org import chain_links

    if reference is None:
        return None
    superior = resolve_contact(connection, card["id"], reference)
    if superior["id"] == row["id"]:
        raise Conflict(_("{name} cannot report to themselves").format(name=row["name"]))
    links = {link["id"]: link for link in chain_links(connection, [card["id"]])}
    chain = {contact_id: link["reports_to_id"] for contact_id, link in links.items()}
    chain[row["id"]] = superior["id"]
    loop = cycle_through(chain, row["id"])
    if loop is not None:
        raise Conflict(_cycle_message(row["name"], superior["name"], [links[i]["name"] for i in loop]))
    return superior["id"]


def _cycle_message(name: str, superior: str, loop: list[str]) -> str:
    return _("{name} cannot report to {superior}: the chain of command would go round, {loop}").format(
        name=name, superior=superior, loop=" → ".join(loop))  # fmt: skip


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


def plan_contacts(connection: Connection, parsed: ParsedFile, on_conflict: str, now: datetime) -> ContactPlan:
    plan = ContactPlan(errors=list(parsed.errors))
    customer_keys = {name_key(r.values["customer"]) for r in parsed.rows if r.values.get("customer")}
    customer_ids = customer_store.ids_by_name_key(connection, customer_keys)
    existing = contact_store.ids_by_customer_and_name(connection, list(customer_ids.values()))
    current = contact_store.contacts_by_ids(connection, list(existing.values()))
    first_line: dict[tuple[int, str], int] = {}
    key_line: dict[int, int] = {}
    columns = tuple(k for k in contact_store.COLUMN_KEYS if k != "id") + ("name_key", "customer_id")
    superiors: dict[int, tuple[str | None, int]] = {}  # row index → (superior's name key, line)
    for index, row in enumerate(parsed.rows):
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
        if "reports_to" in values:  # the file has the column: an empty cell is nobody
            superior = values.pop("reports_to")
            superior_key = name_key(superior) if superior else None
            if superior_key == pair[1]:
                plan.errors.append(RowError(row.line, parsed.column("reports_to"), _(
                    "{name} cannot report to themselves").format(name=name)))  # fmt: skip
                continue
            current_superior = (name_key(current[existing[pair]]["reports_to"] or "")
                                if pair in existing else "")  # fmt: skip
            if (superior_key or "") != current_superior:
                superiors[index] = (superior_key, row.line)
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
            stored = current[existing[pair]]
            changes = _changes(dict(stored), values)
            if not changes and index not in superiors:
                plan.unchanged += 1
                continue
            if "relationship" in changes:
                plan.relationships.append((customer_id, pair[1], stored["relationship"],
                                           changes["relationship"], None))  # fmt: skip
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
    _plan_superiors(connection, parsed, plan, superiors, customer_ids, first_line)
    _free_contact_ids(connection, plan)
    return plan


def _plan_superiors(
    connection: Connection,
    parsed: ParsedFile,
    plan: ContactPlan,
    superiors: dict[int, tuple[str | None, int]],
    customer_ids: Mapping[str, int],
    first_line: Mapping[tuple[int, str], int],
) -> None:
    """Check whom the file's rows report to: a contact of the same customer, in the book or
    anywhere in the file (a superior may come later), and no loop in the chain of command once
    the file is applied. The changes go into the plan, linked once every contact is written."""
    from kehu.domain.org import cycle_through
    from kehu.store.org import chain_links

    if not superiors:
        return
    wanted = {customer_ids[name_key(parsed.rows[index].values["customer"])] for index in superiors}
    links = chain_links(connection, wanted)
    by_id = {link["id"]: link for link in links}
    names = {(link["customer_id"], link["name_key"]): link["name"] for link in links}
    chain: dict[tuple[int, str], tuple[int, str] | None] = {}
    for link in links:
        up = by_id.get(link["reports_to_id"])
        chain[(link["customer_id"], link["name_key"])] = (up["customer_id"], up["name_key"]) if up else None
    for customer_id, key in first_line:
        chain.setdefault((customer_id, key), None)
    for index in superiors:
        names.setdefault(_pair(parsed.rows[index], customer_ids), parsed.rows[index].values["name"])
    column = parsed.column("reports_to")
    refused: set[int] = set()
    for index, (superior_key, line) in superiors.items():
        row = parsed.rows[index]
        customer_id, key = _pair(row, customer_ids)
        if superior_key is not None and (customer_id, superior_key) not in chain:
            reason = _("no contact named {name!r} at {customer!r} to report to")
            reason = reason.format(name=row.values["reports_to"], customer=row.values["customer"])
            plan.errors.append(RowError(line, column, reason))
            refused.add(index)
            continue
        chain[(customer_id, key)] = (customer_id, superior_key) if superior_key else None
    for index, (superior_key, line) in superiors.items():
        if index in refused:
            continue
        pair = _pair(parsed.rows[index], customer_ids)
        loop = cycle_through(chain, pair)
        if loop is not None:
            plan.errors.append(RowError(line, column, _cycle_message(
                names[pair], names[loop[1]], [names[p] for p in loop])))  # fmt: skip
            break  # one loop, said once
        plan.superiors.append((pair[0], pair[1], superior_key))


def _pair(row: ParsedRow, customer_ids: Mapping[str, int]) -> tuple[int, str]:
    return customer_ids[name_key(row.values["customer"])], name_key(row.values["name"])


def _free_contact_ids(connection: Connection, plan: ImportPlan) -> None:
    taken = contact_store.used_ids(connection, [row["id"] for row in plan.inserts if row.get("id")])
    for row in plan.inserts:
        if row.get("id") in taken or row.get("id") == 0:
            row["id"] = None
    _first_of_each_id(plan.inserts)


def apply_contacts(
    connection: Connection, plan: ContactPlan, now: datetime, *, reason: str | None = None
) -> None:
    """Write the plan: the new contacts, the changed ones, the key contacts, whom they report to,
    and each relationship stage set (kept in the history, dated `now`'s day, with `reason`)."""
    for customer_id, _key in plan.key_contacts:
        contact_store.clear_key_contact(connection, customer_id, None)
    _insert_numbered(connection, plan.inserts, contact_store.insert_contacts, "contact")
    for contact_id, changes in plan.updates:
        contact_store.update_contact(connection, contact_id, changes)
    if plan.key_contacts:
        # Updates above may have re-set is_key on contacts already in the book; keep the file's.
        contact_store.set_key_contacts(connection, plan.key_contacts)
    if plan.superiors or plan.relationships:
        _link_and_relate(connection, plan, now, reason)


def _link_and_relate(connection: Connection, plan: ContactPlan, now: datetime, reason: str | None) -> None:
    from kehu.store import org

    customers = {customer_id for customer_id, *_rest in (*plan.superiors, *plan.relationships)}
    ids = contact_store.ids_by_customer_and_name(connection, customers)
    org.set_superiors(connection, ((ids[(customer_id, key)], ids[(customer_id, up)] if up else None)
                                   for customer_id, key, up in plan.superiors))  # fmt: skip
    day = now.astimezone().date()
    org.record_changes(connection, ({
        "customer_id": customer_id, "contact_id": ids[(customer_id, key)], "changed_on": day,
        "old_relationship": old, "new_relationship": new, "reason": reason,
        "created_at": now,
    } for customer_id, key, old, new, _none in plan.relationships))  # fmt: skip
