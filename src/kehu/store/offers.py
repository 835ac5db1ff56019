"""Reading and writing proposals (建议书) and quotes (报价): SQL text over `proposal` and `quote`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kehu.store.bulk import insert_many
from kehu.store.sql import Connection, Row

PROPOSAL_SELECT = (
    "SELECT proposal.id, customer.name AS customer, proposal.title, proposal.version, proposal.amount, "
    "proposal.status, proposal.sent_on, proposal.file, proposal.notes, proposal.customer_id "
    "FROM proposal JOIN customer ON customer.id = proposal.customer_id"
)
# Within a customer: the latest version of each title first (the newest title first), then the
# earlier versions, each title's newest first.
PROPOSAL_ORDER = (
    " ORDER BY proposal.customer_id, "
    "CASE WHEN proposal.version = (SELECT MAX(p.version) FROM proposal p WHERE p.customer_id = "
    "proposal.customer_id AND p.title = proposal.title) THEN 0 ELSE 1 END, "
    "(SELECT MAX(p.id) FROM proposal p WHERE p.customer_id = proposal.customer_id "
    "AND p.title = proposal.title) DESC, proposal.version DESC, proposal.id DESC"
)
PROPOSAL_COLUMNS = (
    "customer_id", "title", "version", "amount", "sent_on", "file", "status", "notes", "created_at",
    "updated_at",
)  # fmt: skip

QUOTE_SELECT = (
    "SELECT quote.id, customer.name AS customer, quote.version, quote.amount, quote.discount, "
    "quote.valid_until, quote.status, quote.sent_on, quote.notes, quote.customer_id "
    "FROM quote JOIN customer ON customer.id = quote.customer_id"
)
QUOTE_ORDER = " ORDER BY quote.customer_id, quote.version DESC, quote.id DESC"
QUOTE_COLUMNS = (
    "customer_id", "version", "amount", "discount", "valid_until", "sent_on", "status", "notes", "created_at",
    "updated_at",
)  # fmt: skip

_SELECT = {"proposal": PROPOSAL_SELECT, "quote": QUOTE_SELECT}
_ORDER = {"proposal": PROPOSAL_ORDER, "quote": QUOTE_ORDER}
_COLUMNS = {"proposal": PROPOSAL_COLUMNS, "quote": QUOTE_COLUMNS}


def _whole_percent(row: Row) -> dict[str, Any]:
    """A row as a dict; a quote's discount (kept as money, in whole percent) as the int it is."""
    record = dict(row)
    if record.get("discount") is not None:
        record["discount"] = int(record["discount"])
    return record


def list_offers(
    connection: Connection, table: str, customer_id: int | None = None, *, status: str | None = None
) -> Iterator[dict[str, Any]]:
    """Proposals or quotes (`table`), of one customer or all, the latest versions first."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if customer_id is not None:
        conditions.append(f"{table}.customer_id = :customer_id")
        params["customer_id"] = customer_id
    if status is not None:
        conditions.append(f"{table}.status = :status")
        params["status"] = status
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    for row in connection.execute(_SELECT[table] + where + _ORDER[table], params):
        yield _whole_percent(row)


def all_offers(connection: Connection, table: str) -> Iterator[dict[str, Any]]:
    """Every proposal or quote in the order they were made (an export: re-imported, the versions
    come out the same)."""
    for row in connection.stream(f"{_SELECT[table]} ORDER BY {table}.id"):
        yield _whole_percent(row)


def count(connection: Connection, table: str) -> int:
    return int(connection.execute(f"SELECT COUNT(*) FROM {table}").scalar())  # noqa: S608


def get_offer(connection: Connection, table: str, offer_id: int) -> dict[str, Any] | None:
    row = connection.execute(f"{_SELECT[table]} WHERE {table}.id = :id", {"id": offer_id}).first()
    return None if row is None else _whole_percent(row)


def latest_offer(connection: Connection, table: str, customer_id: int) -> dict[str, Any] | None:
    """A customer's latest proposal (the one made last) or quote (its highest version)."""
    order = "proposal.id DESC" if table == "proposal" else "quote.version DESC, quote.id DESC"
    sql = f"{_SELECT[table]} WHERE {table}.customer_id = :customer_id ORDER BY {order} LIMIT 1"
    row = connection.execute(sql, {"customer_id": customer_id}).first()
    return None if row is None else _whole_percent(row)


def proposal_versions(connection: Connection, customer_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    """(customer id, title) → its highest version, for these customers."""
    wanted = list(customer_ids)
    if not wanted:
        return {}
    sql = (f"SELECT customer_id, title, MAX(version) FROM proposal WHERE customer_id "  # noqa: S608
           f"{connection.backend.among(':ids')} GROUP BY customer_id, title")  # fmt: skip
    return {(c, title): v for c, title, v in connection.execute(sql, {"ids": wanted}).tuples()}


def latest_titles(connection: Connection, customer_ids: Iterable[int]) -> dict[int, str]:
    """customer id → the title of its latest proposal (the one made last)."""
    wanted = list(customer_ids)
    if not wanted:
        return {}
    sql = (f"SELECT customer_id, title FROM proposal WHERE id IN (SELECT MAX(id) FROM proposal "  # noqa: S608
           f"WHERE customer_id {connection.backend.among(':ids')} GROUP BY customer_id)")  # fmt: skip
    return dict(connection.execute(sql, {"ids": wanted}).tuples())


def quote_versions(connection: Connection, customer_ids: Iterable[int]) -> dict[int, int]:
    """customer id → its highest quote version."""
    wanted = list(customer_ids)
    if not wanted:
        return {}
    sql = (f"SELECT customer_id, MAX(version) FROM quote WHERE customer_id "  # noqa: S608
           f"{connection.backend.among(':ids')} GROUP BY customer_id")  # fmt: skip
    return dict(connection.execute(sql, {"ids": wanted}).tuples())


def insert_offers(connection: Connection, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert new proposals or quotes, each a mapping of the table's columns."""
    columns = _COLUMNS[table]
    insert_many(connection, table, columns, (tuple(row[c] for c in columns) for row in rows))


def insert_offer(connection: Connection, table: str, row: Mapping[str, Any]) -> int:
    return connection.insert(table, {column: row[column] for column in _COLUMNS[table]})


def update_offer(connection: Connection, table: str, offer_id: int, changes: Mapping[str, Any]) -> None:
    connection.update(table, offer_id, changes)


def delete_offer(connection: Connection, table: str, offer_id: int) -> None:
    connection.execute(f"DELETE FROM {table} WHERE id = :id", {"id": offer_id})  # noqa: S608
