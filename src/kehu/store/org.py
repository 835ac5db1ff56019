"""Reading and writing the organisation and the relationship stages: who reports to whom
(contact.reports_to_id) and the relationship history (relationship_change), as SQL text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from kehu.store.bulk import insert_many
from kehu.store.sql import Connection, Row

SET_SUPERIOR = "UPDATE contact SET reports_to_id = :superior WHERE id = :id"
SET_RELATIONSHIP = "UPDATE contact SET relationship = :relationship, updated_at = :now WHERE id = :id"
HISTORY_COLUMNS = ("customer_id", "contact_id", "changed_on", "old_relationship", "new_relationship",
                   "reason", "created_at")  # fmt: skip
# A change as history shows it and export writes it: whose, when, from what to what, why.
HISTORY_SELECT = (
    "SELECT relationship_change.id, customer.name AS customer, contact.name AS contact,"
    " relationship_change.changed_on, relationship_change.old_relationship,"
    " relationship_change.new_relationship, relationship_change.reason,"
    " relationship_change.customer_id, relationship_change.contact_id"
    " FROM relationship_change JOIN contact ON contact.id = relationship_change.contact_id"
    " JOIN customer ON customer.id = relationship_change.customer_id"
)
LATEST_CHANGE = "SELECT MAX(changed_on) AS changed_on FROM relationship_change WHERE contact_id = :contact_id"
COUNT_CHANGES = "SELECT COUNT(*) FROM relationship_change"


def chain_links(connection: Connection, customer_ids: Iterable[int]) -> list[Row]:
    """id, customer_id, name, name_key, reports_to_id and archived_at of every contact of these
    customers (archived ones too: the chain of command passes through them)."""
    wanted = list(customer_ids)
    if not wanted:
        return []
    among = connection.backend.among(":ids")
    sql = ("SELECT id, customer_id, name, name_key, reports_to_id, archived_at FROM contact"  # noqa: S608
           f" WHERE customer_id {among} ORDER BY id")  # fmt: skip
    return connection.execute(sql, {"ids": wanted}).all()


def set_superiors(connection: Connection, links: Iterable[tuple[int, int | None]]) -> None:
    """Point each (contact id, superior's id or None) at their superior."""
    rows = ({"id": contact, "superior": superior} for contact, superior in links)
    connection.execute_many(SET_SUPERIOR, rows)


def set_relationship(connection: Connection, contact_id: int, relationship: str, now: datetime) -> None:
    connection.execute(SET_RELATIONSHIP, {"id": contact_id, "relationship": relationship, "now": now})


def record_changes(connection: Connection, changes: Iterable[Mapping[str, Any]]) -> None:
    """Keep relationship changes: each with HISTORY_COLUMNS' keys."""
    insert_many(connection, "relationship_change", HISTORY_COLUMNS,
                (tuple(change[column] for column in HISTORY_COLUMNS) for change in changes))  # fmt: skip


def latest_change_on(connection: Connection, contact_id: int) -> date | None:
    """The day of a contact's latest relationship change, None when there is none."""
    return connection.execute(LATEST_CHANGE, {"contact_id": contact_id}).scalar()


def history(connection: Connection, customer_id: int | None = None, contact_id: int | None = None,
            *, newest_first: bool = True) -> Iterator[Row]:  # fmt: skip
    """Relationship changes of one contact, one customer's contacts or the whole book."""
    conditions, params = [], {}
    if customer_id is not None:
        conditions.append("relationship_change.customer_id = :customer_id")
        params["customer_id"] = customer_id
    if contact_id is not None:
        conditions.append("relationship_change.contact_id = :contact_id")
        params["contact_id"] = contact_id
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    direction = "DESC" if newest_first else "ASC"
    order = f" ORDER BY relationship_change.changed_on {direction}, relationship_change.id {direction}"
    yield from connection.execute(HISTORY_SELECT + where + order, params)


def count_changes(connection: Connection) -> int:
    return int(connection.execute(COUNT_CHANGES).scalar())
