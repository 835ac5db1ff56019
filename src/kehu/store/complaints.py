"""Reading and writing after-sale complaints (维护, 处理客户投诉): SQL text over `complaint`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from kehu.store.bulk import insert_many
from kehu.store.sql import Connection, Row

# Every column COMPLAINT_FIELDS lists: the customer's and the contact's names, not their ids.
COMPLAINT_SELECT = (
    "SELECT complaint.id, customer.name AS customer, complaint.description, complaint.severity, "
    "complaint.status, contact.name AS contact, complaint.raised_on, complaint.resolved_on, "
    "complaint.resolution, complaint.customer_id, complaint.contact_id "
    "FROM complaint JOIN customer ON customer.id = complaint.customer_id "
    "LEFT JOIN contact ON contact.id = complaint.contact_id"
)
# The most severe first (one without a severity after the low ones), then the oldest raised.
SEVERITY_RANK = (
    "CASE complaint.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 "
    "WHEN 'low' THEN 3 ELSE 4 END"
)
# Open ones first, then by severity and age: the list a salesperson works down.
COMPLAINT_ORDER = (
    f" ORDER BY CASE complaint.status WHEN 'open' THEN 0 ELSE 1 END, {SEVERITY_RANK}, "
    "complaint.raised_on, complaint.id"
)
COMPLAINT_COLUMNS = (
    "customer_id", "contact_id", "raised_on", "description", "severity", "status", "resolved_on",
    "resolution", "created_at", "updated_at",
)  # fmt: skip


def list_complaints(
    connection: Connection, customer_id: int | None = None, *, open_only: bool = False
) -> Iterator[Row]:
    """Complaints (of one customer, or all): open first, the most severe first, the oldest first."""
    conditions: list[str] = ["customer.archived_at IS NULL"] if customer_id is None else []
    params: dict[str, Any] = {}
    if customer_id is not None:
        conditions.append("complaint.customer_id = :customer_id")
        params["customer_id"] = customer_id
    if open_only:
        conditions.append("complaint.status = 'open'")
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    yield from connection.stream(COMPLAINT_SELECT + where + COMPLAINT_ORDER, params)


def open_complaints(
    connection: Connection, *, owner: str | None = None, grade: str | None = None
) -> list[Row]:
    """The open complaints of active customers (one owner's, of one grade, or all), most severe
    first: the due items of `kehu followups`, with whom to call (the complainant, else the key
    contact)."""
    from kehu.store.followups import owner_and_grade

    narrowed, params = owner_and_grade("customer", owner, grade)
    statement = (COMPLAINT_SELECT + " WHERE complaint.status = 'open' AND customer.archived_at IS NULL"
                 + narrowed + f" ORDER BY {SEVERITY_RANK}, complaint.raised_on, complaint.id")  # fmt: skip
    return connection.execute(statement, params).all()


def complaints_raised(
    connection: Connection, start: date | None, end: date, *, owner: str | None = None
) -> list[Row]:
    """The complaints of active customers (one owner's, or all) raised from `start` (None: the
    beginning) to `end`: what `kehu report complaints` counts."""
    statement = COMPLAINT_SELECT + " WHERE customer.archived_at IS NULL AND complaint.raised_on <= :end"
    params: dict[str, Any] = {"end": end}
    if start is not None:
        statement += " AND complaint.raised_on >= :start"
        params["start"] = start
    if owner:
        statement += " AND customer.owner = :owner"
        params["owner"] = owner
    return connection.execute(statement + " ORDER BY complaint.id", params).all()


def all_complaints(connection: Connection) -> Iterator[Row]:
    """Every complaint in the order they were raised (an export, re-imported in the same order)."""
    yield from connection.stream(COMPLAINT_SELECT + " ORDER BY complaint.id")


def count(connection: Connection) -> int:
    return int(connection.execute("SELECT COUNT(*) FROM complaint").scalar())


def get_complaint(connection: Connection, complaint_id: int) -> Row | None:
    return connection.execute(COMPLAINT_SELECT + " WHERE complaint.id = :id", {"id": complaint_id}).first()


def insert_complaints(connection: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert new complaints, each a mapping of COMPLAINT_COLUMNS."""
    insert_many(
        connection, "complaint", COMPLAINT_COLUMNS, (tuple(row[c] for c in COMPLAINT_COLUMNS) for row in rows)
    )


def insert_complaint(connection: Connection, row: Mapping[str, Any]) -> int:
    return connection.insert("complaint", {column: row[column] for column in COMPLAINT_COLUMNS})


def update_complaint(connection: Connection, complaint_id: int, changes: Mapping[str, Any]) -> None:
    connection.update("complaint", complaint_id, changes)
