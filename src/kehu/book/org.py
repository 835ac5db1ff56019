"""The organisation and each key person's relationship (seed 001 第一步 组织结构, 第二步 建立信任).

One write rule for the relationship stage, `relate`: the contact's stage is set and the change
(old, new, day, reason) is kept; moving down a stage (信赖 → 认识) needs a reason, and a change
is never dated before the contact's latest one. `kehu contact relate` is a batch of one of what
`kehu import relationships` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.domain.names import name_key
from kehu.domain.vocabulary import RELATIONSHIP, RELATIONSHIPS
from kehu.errors import Conflict, KehuError, UsageError
from kehu.i18n import _

if TYPE_CHECKING:
    from kehu.io.csv_in import ParsedFile, Sheet
    from kehu.store.db import Store
    from kehu.store.sql import Connection, Row


@dataclass(frozen=True)
class Related:
    contact_id: int
    contact: str
    customer: str
    old: str | None
    new: str
    changed: bool  # False: they already were at that stage (nothing written)


def relationship_code(text: str) -> str:
    """A stage's code from what a person types (信赖, trusted, 信任 …), or the usage error that
    lists the four."""
    from kehu.book.words import word_code

    code = word_code(RELATIONSHIP, "relationship", text)
    assert code is not None
    return code


def refusal(name: str, old: str | None, new: str, day: date, reason: str | None,
            latest: date | None) -> KehuError | None:  # fmt: skip
    """Why a change of `name`'s stage from `old` to `new` on `day` cannot be kept, or None: a
    move down without a reason (a usage error), a day before their latest change (a conflict)."""
    if old is not None and RELATIONSHIPS.index(new) < RELATIONSHIPS.index(old) and not reason:
        return UsageError(_("{name} moves down from {old} to {new}: say why with --reason").format(
            name=name, old=RELATIONSHIP.label(old), new=RELATIONSHIP.label(new)))  # fmt: skip
    if latest is not None and day < latest:
        return Conflict(_("{name}'s latest relationship change is of {latest}; a change cannot go before it")
                        .format(name=name, latest=latest.isoformat()))  # fmt: skip
    return None


def relate(
    store: Store,
    customer: str,
    contact: str,
    stage: str,
    *,
    reason: str | None = None,
    on: date,
    now: datetime,
) -> Related:
    """Set a contact's relationship stage (认识 → 约会 → 信赖 → 同盟) on day `on`, keeping the
    change; the stage they already have writes nothing."""
    from kehu.store import org
    from kehu.store.lookup import resolve_contact, resolve_customer

    code = relationship_code(stage)
    reason = (reason or "").strip() or None
    with store.write() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        person = resolve_contact(connection, card["id"], contact, include_archived=True)
        old = person["relationship"]
        if old == code:
            return Related(person["id"], person["name"], card["name"], old, code, False)
        why = refusal(person["name"], old, code, on, reason, org.latest_change_on(connection, person["id"]))
        if why is not None:
            raise why
        _write(connection, card["id"], person["id"], old, code, on, reason, now)
    return Related(person["id"], person["name"], card["name"], old, code, True)


def _write(connection: Connection, customer_id: int, contact_id: int, old: str | None, new: str, day: date,
           reason: str | None, now: datetime) -> None:  # fmt: skip
    from kehu.store import org

    org.set_relationship(connection, contact_id, new, now)
    org.record_changes(connection, [{
        "customer_id": customer_id, "contact_id": contact_id, "changed_on": day, "old_relationship": old,
        "new_relationship": new, "reason": reason, "created_at": now,
    }])  # fmt: skip


@dataclass(frozen=True)
class Relations:
    customer: str | None  # None: the whole book
    changes: list[dict[str, Any]]  # newest first: customer, contact, changed_on, old, new, reason


def relations(store: Store, customer: str | None = None, contact: str | None = None) -> Relations:
    """The relationship history of one contact, one customer's contacts, or the whole book."""
    from kehu.store import org
    from kehu.store.lookup import resolve_contact, resolve_customer

    with store.read() as connection:
        if customer is None:
            return Relations(None, [dict(row) for row in org.history(connection)])
        card = resolve_customer(connection, customer, include_archived=True)
        person = resolve_contact(connection, card["id"], contact, include_archived=True) if contact else None
        rows = org.history(connection, card["id"], person["id"] if person else None)
        return Relations(card["name"], [dict(row) for row in rows])


@dataclass(frozen=True)
class OrgChart:
    customer_id: int
    customer: str
    people: list[tuple[int, Row]]  # (depth, contact) in drawing order, with `reports_to` named


def org_chart(store: Store, customer: str) -> OrgChart:
    """A customer's active contacts as an org chart: each under their superior, the key contact
    first among peers. Someone whose superior is archived stands under the next one up the
    chain who is not (else at the top): the way up stays drawn, and comes back on a restore."""
    from kehu.domain.org import chart
    from kehu.store.contacts import list_contacts
    from kehu.store.lookup import resolve_customer
    from kehu.store.org import chain_links

    with store.read() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        people = list(list_contacts(connection, card["id"]))
        above = {link["id"]: link["reports_to_id"] for link in chain_links(connection, [card["id"]])
                 if link["archived_at"] is not None}  # fmt: skip
    return OrgChart(card["id"], card["name"], chart(people, above))


# --- many changes: kehu import relationships ------------------------------------------------


@dataclass
class RelationshipPlan:
    changes: list[dict[str, Any]] = field(default_factory=list)
    errors: list = field(default_factory=list)
    stages: dict[int, str] = field(default_factory=dict)  # contact id → the stage they end at, if new
    unchanged: int = 0
    skipped: int = 0

    @property
    def added(self) -> int:
        return len(self.changes)

    updated = 0


def write_relationships(
    connection: Connection,
    sheet: Sheet,
    *,
    now: datetime,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    **_unused: Any,  # a history has no conflicts and no owner: every row is a change
) -> RelationshipPlan:
    """Each row is what `kehu contact relate` does, in the order of the days (the file's within a
    day): the contact moves to the row's stage and the change is kept, its old stage the row's
    "from" when the file has that column (the history as exported), else the contact's stage at
    that point. Moving down needs a reason; refused whole on any bad row."""
    from kehu.book.cards import Refused

    plan = plan_relationships(connection, sheet.read_all(progress), now)
    if plan.errors:
        raise Refused(plan.errors)
    if write:
        from kehu.store import org

        for contact_id, stage in plan.stages.items():
            org.set_relationship(connection, contact_id, stage, now)
        org.record_changes(connection, plan.changes)
    return plan


def plan_relationships(connection: Connection, parsed: ParsedFile, now: datetime) -> RelationshipPlan:
    from kehu.io.csv_in import RowError
    from kehu.store import contacts as contact_store
    from kehu.store import customers as customer_store

    plan = RelationshipPlan(errors=list(parsed.errors))
    rows = sorted(parsed.rows, key=lambda row: row.values.get("changed_on") or date.min)
    customer_ids = customer_store.ids_by_name_key(
        connection, {name_key(r.values["customer"]) for r in rows if r.values.get("customer")}
    )
    contact_ids = contact_store.ids_by_customer_and_name(connection, customer_ids.values())
    stored = contact_store.contacts_by_ids(connection, contact_ids.values())
    stage: dict[int, str | None] = {i: row["relationship"] for i, row in stored.items()}
    latest: dict[int, date | None] = {}
    for row in rows:
        values = row.values
        customer_id = customer_ids.get(name_key(values.get("customer") or ""))
        if customer_id is None:
            reason = _("no customer named {name!r} (import the customers first)").format(
                name=values["customer"]
            )
            plan.errors.append(RowError(row.line, parsed.column("customer"), reason))
            continue
        contact_id = contact_ids.get((customer_id, name_key(values.get("contact") or "")))
        if contact_id is None:
            plan.errors.append(RowError(row.line, parsed.column("contact"), _(
                "{customer!r} has no contact named {name!r}").format(
                customer=values["customer"], name=values["contact"])))  # fmt: skip
            continue
        if contact_id not in latest:
            from kehu.store.org import latest_change_on

            latest[contact_id] = latest_change_on(connection, contact_id)
        # The history as the file tells it, when it has a "from" column (export's round trip:
        # the contacts' import already set their stages); else the stage the contact has.
        old = values["old_relationship"] if "old_relationship" in values else stage[contact_id]
        new, day = values["new_relationship"], values["changed_on"]
        if old == new:
            plan.unchanged += 1
            continue
        why = refusal(values["contact"], old, new, day, values.get("reason"), latest[contact_id])
        if why is not None:
            plan.errors.append(RowError(row.line, parsed.column("new_relationship"), why.message))
            continue
        plan.changes.append({
            "customer_id": customer_id, "contact_id": contact_id, "changed_on": day, "old_relationship": old,
            "new_relationship": new, "reason": values.get("reason"), "created_at": now,
        })  # fmt: skip
        stage[contact_id], latest[contact_id] = new, day
    # Only a stage that differs is written: the contacts' import may have set it already.
    plan.stages = {i: new for i, new in stage.items() if new is not None and new != stored[i]["relationship"]}
    plan.errors.sort(key=lambda error: error.line)
    return plan
