"""Reading and writing customer cards: SQL text over the `customer` table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kehu.domain.fields import CUSTOMER_FIELDS, CUSTOMER_STATE_FIELDS
from kehu.domain.names import name_key, pinyin_forms
from kehu.domain.vocabulary import STATUSES
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
# A list or an export: the card, then where the customer stands (CUSTOMER_STATE_FIELDS).
STATE_KEYS = tuple(f.key for f in CUSTOMER_STATE_FIELDS)
LIST_SELECT = "SELECT " + CARD_COLUMNS + "".join(f", customer.{key}" for key in STATE_KEYS) + CARD_FROM
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
    """What `kehu list` asks for: exact field filters, a text search, where customers stand in
    the funnel and the follow-ups, order and limit. Every condition is one SQL statement's."""

    equals: dict[str, Any] = field(default_factory=dict)
    contains: dict[str, str] = field(default_factory=dict)
    search: str | None = None
    archived: str = "active"  # active | archived | all
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (key, descending)
    limit: int | None = None
    # A card that never entered a pipeline (imported before the funnel) is in the book's.
    book_pipeline: str = ""
    pipeline: str | None = None
    stages: list[tuple[str, str]] | None = None  # (pipeline, stage) pairs: in any of them
    status: str | None = None
    min_value: Decimal | None = None  # expected value, inclusive
    max_value: Decimal | None = None
    due_before: date | None = None  # next_due before the day
    touched_before: date | None = None  # last touch before the day, or never touched
    rival_key: str | None = None  # a rival of this name key is recorded at the customer
    # (pipeline, stage) → its position: how `--sort stage` orders (the funnel's order).
    stage_order: dict[tuple[str, str], int] = field(default_factory=dict)


def escape_like(text: str) -> str:
    """`text` as a LIKE pattern matching itself (with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_params(text: str) -> dict[str, str]:
    """The parameters of SEARCH_CONDITION for what the user typed."""
    return {"needle": f"%{escape_like(name_key(text))}%", "plain": f"%{escape_like(text.strip())}%"}


def _column(key: str) -> str:
    # Keys come from CUSTOMER_FIELDS (parsed options), never from a cell: checked all the same,
    # since they are written into the statement.
    if key not in _COLUMNS and key not in STATE_KEYS:
        raise ValueError(f"not a customer column: {key!r}")
    return f"customer.{key}"


def list_cards(connection: Connection, query: CustomerQuery) -> Iterator[Row]:
    """The cards the query asks for, each with where it stands (STATE_KEYS), streamed."""
    conditions: list[str] = []
    params: dict[str, Any] = {"book_pipeline": query.book_pipeline}
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
    _standing(query, conditions, params)
    order = [_order(key, descending, query, params) for key, descending in query.sort or [("id", False)]]
    sql = LIST_SELECT
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += " ORDER BY " + ", ".join([*order, "customer.id"])
    if query.limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = query.limit
    yield from connection.stream(sql, params)  # an export of every card: never all in memory


_PIPELINE = "COALESCE(customer.pipeline, :book_pipeline)"


def _standing(query: CustomerQuery, conditions: list[str], params: dict[str, Any]) -> None:
    """The conditions on where customers stand: pipeline, stage, status, value, due, last touch,
    rival. All are columns of the card (next_due is indexed), the rival an indexed subquery."""
    if query.pipeline is not None:
        conditions.append(f"{_PIPELINE} = :pipeline")
        params["pipeline"] = query.pipeline
    if query.stages is not None:
        pairs = [f"({_PIPELINE} = :pipeline_{n} AND customer.stage = :stage_{n})"
                 for n in range(len(query.stages))]  # fmt: skip
        conditions.append("(" + (" OR ".join(pairs) or "1 = 0") + ")")
        for n, (pipeline, stage) in enumerate(query.stages):
            params[f"pipeline_{n}"], params[f"stage_{n}"] = pipeline, stage
    for name, condition in _WHERE_THEY_STAND:
        if getattr(query, name) is not None:
            conditions.append(condition)
            params[name] = getattr(query, name)


# The filters of where customers stand (kehu list), each a query field and its condition.
_WHERE_THEY_STAND = (
    ("status", "customer.status = :status"),
    ("min_value", "customer.expected_value >= :min_value"),
    ("max_value", "customer.expected_value <= :max_value"),
    ("due_before", "customer.next_due < :due_before"),
    ("touched_before", "(customer.last_touch_on IS NULL OR customer.last_touch_on < :touched_before)"),
    ("rival_key", "customer.id IN (SELECT customer_id FROM rival WHERE name_key = :rival_key)"),
)


def _order(key: str, descending: bool, query: CustomerQuery, params: dict[str, Any]) -> str:
    """One ORDER BY term, NULLs last either way. Names sort by pinyin (as a Chinese reader and
    Excel sort them), stages in the funnel's order, statuses open → won → lost."""
    if key == "stage":
        whens = []
        for n, ((pipeline, stage), position) in enumerate(query.stage_order.items()):
            whens.append(f"WHEN {_PIPELINE} = :order_pipeline_{n} AND customer.stage = :order_stage_{n}"
                         f" THEN {int(position)}")  # fmt: skip
            params[f"order_pipeline_{n}"], params[f"order_stage_{n}"] = pipeline, stage
        column = f"(CASE {' '.join(whens)} END)" if whens else "customer.stage"
    elif key == "status":
        whens = [f"WHEN '{code}' THEN {position}" for position, code in enumerate(STATUSES)]
        column = f"(CASE customer.status {' '.join(whens)} END)"
    elif key == "pipeline":
        column = _PIPELINE
    else:
        column = {"referrer": "referrer.name", "name": "customer.pinyin_full"}.get(key) or _column(key)
    return f"{column} {'DESC' if descending else 'ASC'} NULLS LAST"


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
