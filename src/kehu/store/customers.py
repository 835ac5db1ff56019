"""Reading and writing customer cards (SQLAlchemy Core over the `customer` table)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql import Select

from kehu.domain.fields import CUSTOMER_FIELDS
from kehu.domain.names import name_key, pinyin_forms
from kehu.store.batching import BATCH_SIZE, rows_where_in
from kehu.store.models import contact_table, customer_table

_referrer = customer_table.alias("referrer")
# Card fields that are plain columns of the customer table (referrer is a join, id is the key).
COLUMN_KEYS = tuple(f.key for f in CUSTOMER_FIELDS if f.key != "referrer")
TEXT_FILTERS = ("region", "address")  # matched as a part of the text; others exactly


@dataclass
class CustomerQuery:
    """What `kehu list` asks for: exact field filters, a text search, order and limit."""

    equals: dict[str, Any] = field(default_factory=dict)
    contains: dict[str, str] = field(default_factory=dict)
    search: str | None = None
    archived: str = "active"  # active | archived | all
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (key, descending)
    limit: int | None = None


def card_select() -> Select:
    """Every card field, the referrer's name included, in CUSTOMER_FIELDS order."""
    columns = [
        _referrer.c.name.label("referrer") if key == "referrer" else customer_table.c[key]
        for key in (f.key for f in CUSTOMER_FIELDS)
    ]
    return (
        select(*columns)
        .select_from(customer_table)
        .outerjoin(_referrer, _referrer.c.id == customer_table.c.referrer_id)
    )


def search_condition(text: str):
    """Rows whose name, pinyin, contacts, phone, address or notes contain `text`."""
    needle = f"%{_escape_like(name_key(text))}%"
    plain = f"%{_escape_like(text.strip())}%"
    contact_hit = (
        select(contact_table.c.id)
        .where(contact_table.c.customer_id == customer_table.c.id)
        .where(or_(contact_table.c.name_key.like(needle, escape="\\"),
                   contact_table.c.phone.like(plain, escape="\\")))
        .exists()
    )  # fmt: skip
    return or_(
        customer_table.c.name_key.like(needle, escape="\\"),
        customer_table.c.pinyin_full.like(needle, escape="\\"),
        customer_table.c.pinyin_initials.like(needle, escape="\\"),
        customer_table.c.region.like(plain, escape="\\"),
        customer_table.c.address.like(plain, escape="\\"),
        customer_table.c.phone.like(plain, escape="\\"),
        customer_table.c.notes.like(plain, escape="\\"),
        contact_hit,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_cards(connection: Connection, query: CustomerQuery) -> Iterator[RowMapping]:
    statement = card_select()
    conditions = []
    if query.archived == "active":
        conditions.append(customer_table.c.archived_at.is_(None))
    elif query.archived == "archived":
        conditions.append(customer_table.c.archived_at.is_not(None))
    for key, value in query.equals.items():
        conditions.append(customer_table.c[key] == value)
    for key, value in query.contains.items():
        conditions.append(customer_table.c[key].like(f"%{_escape_like(value)}%", escape="\\"))
    if query.search:
        conditions.append(search_condition(query.search))
    if conditions:
        statement = statement.where(and_(*conditions))
    order = []
    for key, descending in query.sort or [("id", False)]:
        # Chinese names sort the way a Chinese reader (and Excel) sorts them: by pinyin.
        column = {"referrer": _referrer.c.name, "name": customer_table.c.pinyin_full}.get(
            key, customer_table.c[key]
        )
        order.append(column.desc().nulls_last() if descending else column.asc().nulls_last())
    statement = statement.order_by(*order, customer_table.c.id)
    if query.limit is not None:
        statement = statement.limit(query.limit)
    # Fetched in batches, not row by row: an export reads 100,000 of them.
    # Per statement: Connection.execution_options() would change the connection for good, and
    # every later statement (an UPDATE too) would run through a server-side cursor on PostgreSQL.
    yield from connection.execute(statement, execution_options={"yield_per": 1000}).mappings()


def get_card(connection: Connection, customer_id: int) -> RowMapping | None:
    statement = card_select().where(customer_table.c.id == customer_id)
    return connection.execute(statement).mappings().first()


def ids_by_name_key(connection: Connection, keys: Iterable[str]) -> dict[str, int]:
    """Map normalised names to customer ids, for the names that exist."""
    statement = select(customer_table.c.name_key, customer_table.c.id)
    return {
        r["name_key"]: r["id"] for r in rows_where_in(connection, statement, customer_table.c.name_key, keys)
    }


def cards_by_ids(connection: Connection, ids: list[int]) -> dict[int, RowMapping]:
    return {row["id"]: row for row in rows_where_in(connection, card_select(), customer_table.c.id, ids)}


def storable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values for a card: derive the unique key and the pinyin whenever the name is set."""
    row = {key: value for key, value in values.items() if key in COLUMN_KEYS}
    if "name" in row:
        row["name_key"] = name_key(row["name"])
        row["pinyin_full"], row["pinyin_initials"] = pinyin_forms(row["name"])
    return row


def insert_cards(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert many cards, 5,000 to a statement (the driver's copy of 100,000 rows' parameters
    would double an import's memory); each row has all columns (None where empty)."""
    if rows and connection.dialect.name == "postgresql":
        from kehu.store.team import current_seat

        # PostgreSQL refuses COPY into a table under row-level security: only for its owner.
        if current_seat(connection).administrator:
            copy_rows(connection, customer_table, rows)
            return
    for start in range(0, len(rows), BATCH_SIZE):
        connection.execute(insert(customer_table), rows[start : start + BATCH_SIZE])


def insert_card(connection: Connection, row: dict[str, Any]) -> int:
    result = connection.execute(insert(customer_table).values(**row))
    return int(result.inserted_primary_key[0])


def copy_rows(connection: Connection, table, rows: list[dict[str, Any]]) -> None:
    """Insert rows with PostgreSQL's COPY, in the caller's transaction: psycopg's executemany
    sends an INSERT a row (21 s for 100,000 cards; COPY takes about one). Every row has the same
    keys; values go through the columns' own bind processing (money to cents, UTC moments)."""
    keys = list(rows[0])
    dialect = connection.dialect
    processors = [table.c[key].type.bind_processor(dialect) for key in keys]
    columns = ", ".join(dialect.identifier_preparer.quote(key) for key in keys)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([
                value if process is None or value is None else process(value)
                for process, value in zip(processors, (row[key] for key in keys), strict=True)
            ])  # fmt: skip


def update_card(connection: Connection, customer_id: int, changes: dict[str, Any]) -> None:
    if changes:
        statement = update(customer_table).where(customer_table.c.id == customer_id)
        connection.execute(statement.values(**changes))


def ids_of_owner(connection: Connection, owner: str) -> list[int]:
    """The active customers of one owner, by id."""
    statement = select(customer_table.c.id).where(
        customer_table.c.owner == owner, customer_table.c.archived_at.is_(None)
    )
    return list(connection.execute(statement.order_by(customer_table.c.id)).scalars())


def set_archived(
    connection: Connection, customer_id: int, archived_at: datetime | None, now: datetime
) -> None:
    """Archive (archived_at set) or restore (None) a card; its history always stays."""
    update_card(connection, customer_id, {"archived_at": archived_at, "updated_at": now})


def count(connection: Connection, archived: bool | None = None) -> int:
    statement = select(func.count()).select_from(customer_table)
    if archived is True:
        statement = statement.where(customer_table.c.archived_at.is_not(None))
    elif archived is False:
        statement = statement.where(customer_table.c.archived_at.is_(None))
    return int(connection.execute(statement).scalar_one())


def used_ids(connection: Connection, ids: Iterable[int]) -> set[int]:
    """The ones among `ids` that customers already have."""
    statement = select(customer_table.c.id)
    return {row["id"] for row in rows_where_in(connection, statement, customer_table.c.id, ids)}
