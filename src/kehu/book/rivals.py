"""Rivals (竞争信息, seed 001 第一步): the competitors at a customer — add one, import many, edit,
remove, and the one that took a lost deal.

A rival belongs to a customer; one name per customer (compared by name_key, so 金蝶 and "金 蝶"
are one). `kehu rival add` is a batch of one of what `kehu import rivals` does. `won_on` says the
customer was lost to this rival (`kehu lost --to`): one rival per customer at most, cleared when
the customer is reopened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.book.contacts import _changes, _complete_new, _first_of_each_id, _insert_numbered
from kehu.book.plans import ImportPlan
from kehu.domain.names import name_key
from kehu.errors import BadData, Conflict, UsageError
from kehu.i18n import _
from kehu.io.csv_in import ParsedFile, ParsedRow, RowError
from kehu.store import customers as customer_store
from kehu.store import rivals as rival_store

if TYPE_CHECKING:
    from kehu.io.csv_in import Sheet
    from kehu.store.sql import Connection, Row


@dataclass
class RivalPlan(ImportPlan):
    # (customer id, rival name key) of the rows that say the rival took the deal: the only one
    # of its customer once applied.
    winners: list[tuple[int, str]] = field(default_factory=list)
    now: datetime | None = None  # when the plan is applied: what another rival's cleared won_on is stamped


@dataclass(frozen=True)
class Written:
    """One rival added, changed or removed: its id, its name, its customer."""

    rival_id: int
    name: str
    customer: str
    customer_id: int


def list_rivals(connection: Connection, customer: str | None = None) -> list[Row]:
    """The rivals of one customer (any reference to it), or of every customer the user sees."""
    from kehu.store.lookup import resolve_customer

    customer_id = resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
    return list(rival_store.list_rivals(connection, customer_id))


def add_rival(connection: Connection, customer: str, name: str, values: Mapping[str, Any], *,
              now: datetime) -> Written:  # fmt: skip
    """Add one rival at a customer: a batch of one of the import's plan (a name already there is
    a Conflict)."""
    from kehu.store.lookup import resolve_customer

    card = resolve_customer(connection, customer)
    return _add(connection, card, name, values, now)


def _add(connection: Connection, card: Row, name: str, values: Mapping[str, Any], now: datetime) -> Written:
    key = (card["id"], name_key(name))
    if key in rival_store.ids_by_customer_and_name(connection, [card["id"]]):
        raise _taken(card["name"], name)
    row = ParsedRow(1, {**values, "customer": card["name"], "name": name})
    plan = plan_rivals(connection, ParsedFile([], rows=[row]), "error", now)
    if plan.errors:
        raise BadData(plan.errors[0].reason)
    apply_rivals(connection, plan)
    rival_id = rival_store.ids_by_customer_and_name(connection, [card["id"]])[key]
    return Written(rival_id, name, card["name"], card["id"])


def _taken(customer: str, name: str) -> Conflict:
    return Conflict(_("{customer} already has a rival named {name!r}").format(customer=customer, name=name))


def edit_rival(connection: Connection, customer: str, rival: str, changes: Mapping[str, Any], *,
               now: datetime) -> Written:  # fmt: skip
    """Change fields of a rival (None clears a field); a new name must be free at the customer."""
    card, row = _rival_of(connection, customer, rival)
    renamed = "name" in changes and name_key(changes["name"]) != row["name_key"]
    taken = rival_store.ids_by_customer_and_name(connection, [card["id"]]) if renamed else {}
    if renamed and (card["id"], name_key(changes["name"])) in taken:
        raise _taken(card["name"], changes["name"])
    rival_store.update_rival(connection, row["id"], {**rival_store.storable(changes), "updated_at": now})
    return Written(row["id"], changes.get("name", row["name"]), card["name"], card["id"])


def remove_rival(connection: Connection, customer: str, rival: str) -> Written:
    """Remove a rival recorded by mistake (or one that left the customer for good)."""
    card, row = _rival_of(connection, customer, rival)
    rival_store.delete_rival(connection, row["id"])
    return Written(row["id"], row["name"], card["name"], card["id"])


def _rival_of(connection: Connection, customer: str, rival: str) -> tuple[Row, Row]:
    from kehu.store.lookup import resolve_customer

    card = resolve_customer(connection, customer, include_archived=True)
    return card, rival_store.resolve_rival(connection, card["id"], rival)


def lost_to(connection: Connection, card: Row, rival: str, *, day: date, now: datetime) -> Written:
    """The customer was lost to `rival` on `day` (its name, or a unique part of a recorded one):
    the rival takes the deal, recorded at the customer first if it was not; any other rival of
    the customer no longer has it. In the caller's transaction (book.funnel.lost)."""
    from kehu.domain.values import parse_name

    found = rival_store.find_rival(connection, card["id"], rival)
    if found is None:
        try:
            name = parse_name(rival)
        except ValueError as error:
            raise UsageError(_("--to: {error}").format(error=error)) from None
        written = _add(connection, card, name, {}, now)
    else:
        written = Written(found["id"], found["name"], card["name"], card["id"])
    rival_store.set_won(connection, card["id"], written.rival_id, day, now)
    return written


def reopened(connection: Connection, customer_id: int, now: datetime) -> None:
    """The customer is open again: no rival took its deal (book.funnel.reopen)."""
    rival_store.clear_won(connection, customer_id, now)


# --- import: every rival a batch of rows --------------------------------------------------------


def write_rivals(
    connection: Connection,
    sheet: Sheet,
    *,
    on_conflict: str,
    now: datetime,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    **_unused: Any,  # today, owner, shift: a rival has no dates to resolve nor an owner
) -> ImportPlan:
    """Add the sheet's new rivals and (on_conflict="update") update those the book holds, in
    the caller's transaction; with write=False only count. Refused on any problem of any row."""
    from kehu.book.cards import Refused

    plan = plan_rivals(connection, sheet.read_all(progress), on_conflict, now)
    if plan.errors:
        raise Refused(plan.errors)
    if write:
        apply_rivals(connection, plan)
    return plan


def plan_rivals(connection: Connection, parsed: ParsedFile, on_conflict: str, now: datetime) -> RivalPlan:
    """What a sheet of rivals would add and change, and every row it refuses (by line)."""
    plan = RivalPlan(errors=list(parsed.errors), now=now)
    customer_keys = {name_key(r.values["customer"]) for r in parsed.rows if r.values.get("customer")}
    customer_ids = customer_store.ids_by_name_key(connection, customer_keys)
    existing = rival_store.ids_by_customer_and_name(connection, list(customer_ids.values()))
    current = rival_store.rivals_by_ids(connection, list(existing.values()))
    first_line: dict[tuple[int, str], int] = {}
    winner_line: dict[int, int] = {}
    columns = tuple(k for k in rival_store.COLUMN_KEYS if k != "id") + ("name_key", "customer_id")
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
                "same rival as line {line}").format(line=first_line[pair])))  # fmt: skip
            continue
        first_line[pair] = row.line
        if values.get("won_on"):
            if customer_id in winner_line:
                plan.errors.append(RowError(row.line, parsed.column("won_on"), _(
                    "a second rival that took the deal of {name!r} (line {line})").format(
                    name=customer, line=winner_line[customer_id])))  # fmt: skip
                continue
            winner_line[customer_id] = row.line
        if pair in existing:
            if on_conflict == "error":
                plan.errors.append(RowError(row.line, parsed.column("name"), _(
                    "rival {name!r} of {customer!r} already exists").format(
                    name=name, customer=customer)))  # fmt: skip
                continue
            if on_conflict == "skip":
                plan.skipped += 1
                continue
            if values.get("won_on"):
                plan.winners.append(pair)
            values.pop("id", None)
            values.pop("created_at", None)
            changes = _changes(dict(current[existing[pair]]), values)
            if not changes:
                plan.unchanged += 1
                continue
            if "updated_at" not in changes:
                changes["updated_at"] = now  # changed now, whatever the file's updated_at cell said
            plan.updates.append((existing[pair], rival_store.storable(changes)))
        else:
            if values.get("won_on"):
                plan.winners.append(pair)
            new = rival_store.storable({**values, "customer_id": customer_id})
            new["id"] = values.get("id")
            plan.inserts.append(_complete_new(new, (*columns, "id"), now))
    taken = rival_store.used_ids(connection, [row["id"] for row in plan.inserts if row.get("id")])
    for new in plan.inserts:
        if new.get("id") in taken or new.get("id") == 0:
            new["id"] = None
    _first_of_each_id(plan.inserts)
    return plan


def apply_rivals(connection: Connection, plan: RivalPlan) -> None:
    _insert_numbered(connection, plan.inserts, rival_store.insert_rivals, "rival")
    for rival_id, changes in plan.updates:
        rival_store.update_rival(connection, rival_id, changes)
    if plan.winners:  # the file's rival took the deal: no other of its customer did
        ids = rival_store.ids_by_customer_and_name(
            connection, {customer_id for customer_id, _key in plan.winners}
        )
        for customer_id, key in plan.winners:
            rival_store.clear_won(connection, customer_id, plan.now, keep=ids[(customer_id, key)])
