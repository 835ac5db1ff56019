"""Reading and writing customer cards: SQL text over the `customer` table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kehu.domain.fields import CUSTOMER_FIELDS
from kehu.domain.names import name_key, pinyin_forms
from kehu.store.bulk import insert_many
from kehu.store.sql import Connection, Row

# Card fields that are plain columns of the customer table (referrer is a join, id is the key).
COLUMN_KEYS = tuple(f.key for f in CUSTOMER_FIELDS if f.key != "referrer")
_COLUMNS = frozenset(COLUMN_KEYS)
TEXT_FILTERS = ("region", "address")  # matched as a part of the text; others exactly

# Every card field in CUSTOMER_FIELDS order, the referrer's name as `referrer`.
CARD_COLUMNS = ", ".join(
    "referrer.name AS referrer" if f.key == "referrer" else f"customer.{f.key}" for f in CUSTOMER_FIELDS
)
CARD_FROM = " FROM customer LEFT JOIN customer AS referrer ON referrer.id = customer.referrer_id"
CARD_SELECT = "SELECT " + CARD_COLUMNS + CARD_FROM
GET_CARD = CARD_SELECT + " WHERE customer.id = :id"
CARD_BY_NAME_KEY = CARD_SELECT + " WHERE customer.name_key = :key"
IDS_OF_OWNER = "SELECT id FROM customer WHERE owner = :owner AND archived_at IS NULL ORDER BY id"
COUNT_ALL = "SELECT COUNT(*) FROM customer"
COUNT_ACTIVE = COUNT_ALL + " WHERE archived_at IS NULL"
COUNT_ARCHIVED = COUNT_ALL + " WHERE archived_at IS NOT NULL"
# Where the follow-up of one customer stands (`kehu show`): derived columns the card leaves out.
FOLLOW_UP_OF = (
    "SELECT last_touch_on, last_channel, next_step_on, next_step, snoozed_until, next_due FROM customer"
    " WHERE id = :id"
)
TOUCH_COUNT_OF = "SELECT count(*) FROM touch WHERE customer_id = :id"
SET_REFERRER = "UPDATE customer SET referrer_id = :referrer_id WHERE id = :id"

# A text search: the name (its key and pinyin), a contact's name or phone, phone, address, notes.
# `:needle` is the name key's pattern, `:plain` the typed text's (both LIKE-escaped with \).
SEARCH_CONDITION = (
    "(customer.name_key LIKE :needle ESCAPE '\\' OR customer.pinyin_full LIKE :needle ESCAPE '\\'"
    " OR customer.pinyin_initials LIKE :needle ESCAPE '\\' OR customer.region LIKE :plain ESCAPE '\\'"
    " OR customer.address LIKE :plain ESCAPE '\\' OR customer.phone LIKE :plain ESCAPE '\\'"
    " OR customer.notes LIKE :plain ESCAPE '\\'"
    " OR EXISTS (SELECT 1 FROM contact WHERE contact.customer_id = customer.id"
    " AND (contact.name_key LIKE :needle ESCAPE '\\' OR contact.phone LIKE :plain ESCAPE '\\')))"
)


@dataclass
class CustomerQuery:
    """What `kehu list` asks for: exact field filters, a text search, order and limit."""

    equals: dict[str, Any] = field(default_factory=dict)
    contains: dict[str, str] = field(default_factory=dict)
    search: str | None = None
    archived: str = "active"  # active | archived | all
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (key, descending)
    limit: int | None = None


def escape_like(text: str) -> str:
    """`text` as a LIKE pattern matching itself (with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_params(text: str) -> dict[str, str]:
    """The parameters of SEARCH_CONDITION for what the user typed."""
    return {"needle": f"%{escape_like(name_key(text))}%", "plain": f"%{escape_like(text.strip())}%"}


def _column(key: str) -> str:
    # Keys come from CUSTOMER_FIELDS (parsed options), never from a cell: checked all the same,
    # since they are written into the statement.
    if key not in _COLUMNS:
        raise ValueError(f"not a customer column: {key!r}")
    return f"customer.{key}"


def list_cards(connection: Connection, query: CustomerQuery) -> Iterator[Row]:
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if query.archived == "active":
        conditions.append("customer.archived_at IS NULL")
    elif query.archived == "archived":
        conditions.append("customer.archived_at IS NOT NULL")
    for key, value in query.equals.items():
        conditions.append(f"{_column(key)} = :equals_{key}")
        params[f"equals_{key}"] = value
    for key, value in query.contains.items():
        conditions.append(f"{_column(key)} LIKE :contains_{key} ESCAPE '\\'")
        params[f"contains_{key}"] = f"%{escape_like(value)}%"
    if query.search:
        conditions.append(SEARCH_CONDITION)
        params.update(search_params(query.search))
    order = []
    for key, descending in query.sort or [("id", False)]:
        # Chinese names sort the way a Chinese reader (and Excel) sorts them: by pinyin.
        column = {"referrer": "referrer.name", "name": "customer.pinyin_full"}.get(key) or _column(key)
        order.append(f"{column} {'DESC' if descending else 'ASC'} NULLS LAST")
    sql = CARD_SELECT
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += " ORDER BY " + ", ".join([*order, "customer.id"])
    if query.limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = query.limit
    yield from connection.stream(sql, params)  # an export of every card: never all in memory


def get_card(connection: Connection, customer_id: int) -> Row | None:
    return connection.execute(GET_CARD, {"id": customer_id}).first()


def follow_up_of(connection: Connection, customer_id: int) -> Row:
    return connection.execute(FOLLOW_UP_OF, {"id": customer_id}).one()


def touch_count(connection: Connection, customer_id: int) -> int:
    return connection.execute(TOUCH_COUNT_OF, {"id": customer_id}).scalar()


def card_by_name_key(connection: Connection, key: str) -> Row | None:
    return connection.execute(CARD_BY_NAME_KEY, {"key": key}).first()


def ids_by_name_key(connection: Connection, keys: Iterable[str]) -> dict[str, int]:
    """Map normalised names to customer ids, for the names that exist."""
    wanted = list(keys)
    if not wanted:
        return {}
    sql = f"SELECT name_key, id FROM customer WHERE name_key {connection.backend.among(':keys')}"  # noqa: S608
    return dict(connection.execute(sql, {"keys": wanted}).tuples())


def cards_by_ids(connection: Connection, ids: Iterable[int]) -> dict[int, Row]:
    wanted = list(ids)
    if not wanted:
        return {}
    sql = f"{CARD_SELECT} WHERE customer.id {connection.backend.among(':ids')}"
    return {row["id"]: row for row in connection.execute(sql, {"ids": wanted})}


def storable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values for a card: derive the unique key and the pinyin whenever the name is set."""
    row = {key: value for key, value in values.items() if key in _COLUMNS}
    if "name" in row:
        row["name_key"] = name_key(row["name"])
        row["pinyin_full"], row["pinyin_initials"] = pinyin_forms(row["name"])
    return row


def insert_cards(connection: Connection, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert many cards at once, each a sequence of values in `columns` order (streamed: an
    import of 100,000 needs no list of 100,000 dicts)."""
    insert_many(connection, "customer", columns, rows)


def insert_card(connection: Connection, row: Mapping[str, Any]) -> int:
    """Insert one card (its columns by name); its new id."""
    return connection.insert("customer", row)


def update_card(connection: Connection, customer_id: int, changes: Mapping[str, Any]) -> None:
    connection.update("customer", customer_id, changes)


def set_referrers(connection: Connection, links: Iterable[tuple[int, int | None]]) -> None:
    """Point each (customer id, referrer id or None) at its referrer."""
    connection.execute_many(
        SET_REFERRER, ({"id": target, "referrer_id": referrer} for target, referrer in links)
    )


def ids_of_owner(connection: Connection, owner: str) -> list[int]:
    """The active customers of one owner, by id."""
    return connection.execute(IDS_OF_OWNER, {"owner": owner}).scalars()


def set_archived(
    connection: Connection, customer_id: int, archived_at: datetime | None, now: datetime
) -> None:
    """Archive (archived_at set) or restore (None) a card; its history always stays."""
    update_card(connection, customer_id, {"archived_at": archived_at, "updated_at": now})


def count(connection: Connection, archived: bool | None = None) -> int:
    """How many cards: all of them, or (archived=True/False) the archived or the active ones."""
    sql = COUNT_ALL if archived is None else COUNT_ARCHIVED if archived else COUNT_ACTIVE
    return int(connection.execute(sql).scalar())


def used_ids(connection: Connection, ids: Iterable[int]) -> set[int]:
    """The ones among `ids` that customers already have."""
    wanted = list(ids)
    if not wanted:
        return set()
    sql = f"SELECT id FROM customer WHERE id {connection.backend.among(':ids')}"  # noqa: S608
    return set(connection.execute(sql, {"ids": wanted}).scalars())
