"""Reading and writing rivals (竞争信息): SQL text over the `rival` table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from kehu.domain.fields import RIVAL_FIELDS
from kehu.domain.names import name_key
from kehu.errors import Ambiguous, NotFound
from kehu.i18n import _
from kehu.store import named
from kehu.store.bulk import insert_many
from kehu.store.customers import escape_like
from kehu.store.sql import Connection, Row

COLUMN_KEYS = tuple(f.key for f in RIVAL_FIELDS if f.key != "customer")
MAX_CANDIDATES_SHOWN = 10

# Every rival field in RIVAL_FIELDS order, the customer's name as `customer`, customer_id, name_key.
RIVAL_SELECT = (
    "SELECT "
    + ", ".join(
        "customer.name AS customer" if f.key == "customer" else f"rival.{f.key}" for f in RIVAL_FIELDS
    )
    + ", rival.customer_id, rival.name_key FROM rival JOIN customer ON customer.id = rival.customer_id"
)
RIVAL_ORDER = " ORDER BY rival.customer_id, rival.id"
RIVAL_BY_NAME_KEY = f"{RIVAL_SELECT} WHERE rival.customer_id = :customer_id AND rival.name_key = :key"
RIVAL_BY_ID = f"{RIVAL_SELECT} WHERE rival.customer_id = :customer_id AND rival.id = :id"
RIVALS_BY_PART = (
    f"{RIVAL_SELECT} WHERE rival.customer_id = :customer_id AND rival.name_key LIKE :part ESCAPE '\\'"
    " ORDER BY rival.id"
)
DELETE_RIVAL = "DELETE FROM rival WHERE id = :id"
# One rival takes a lost deal: setting it clears whichever other rival of the customer had it.
CLEAR_WON = (
    "UPDATE rival SET won_on = NULL, updated_at = :now"
    " WHERE customer_id = :customer_id AND won_on IS NOT NULL AND id <> :except_id"
)
SET_WON = "UPDATE rival SET won_on = :day, updated_at = :now WHERE id = :id"
# What the rivals report reads: every rival of a customer the reports see (not archived).
RIVAL_FACTS = (
    "SELECT rival.id, rival.customer_id, rival.name, rival.name_key, rival.won_on FROM rival"
    " JOIN customer ON customer.id = rival.customer_id WHERE customer.archived_at IS NULL"
    " ORDER BY rival.id"
)
COUNT_ALL = "SELECT COUNT(*) FROM rival"


def list_rivals(connection: Connection, customer_id: int | None = None) -> Iterator[Row]:
    """Rivals of one customer, or of every customer the user sees, by customer and as recorded."""
    where, params = "", {}
    if customer_id is not None:
        where, params = " WHERE rival.customer_id = :customer_id", {"customer_id": customer_id}
    yield from connection.execute(RIVAL_SELECT + where + RIVAL_ORDER, params)


def resolve_rival(connection: Connection, customer_id: int, reference: str) -> Row:
    """The rival of one customer named by id, exact name or a unique part of the name;
    NotFound or Ambiguous otherwise."""
    found = find_rival(connection, customer_id, reference)
    if found is None:
        raise NotFound(_("no rival matches {ref!r}").format(ref=reference))
    return found


def find_rival(connection: Connection, customer_id: int, reference: str) -> Row | None:
    """Like resolve_rival, but None when no rival of the customer matches."""
    text = reference.strip()
    if text.isdigit():
        row = connection.execute(RIVAL_BY_ID, {"customer_id": customer_id, "id": int(text)}).first()
        if row is not None:
            return row
    key = name_key(text)
    row = connection.execute(RIVAL_BY_NAME_KEY, {"customer_id": customer_id, "key": key}).first()
    if row is not None or not key:
        return row
    params = {"customer_id": customer_id, "part": f"%{escape_like(key)}%"}
    candidates = connection.execute(RIVALS_BY_PART, params).all()
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    raise Ambiguous(
        _("{ref!r} matches {count} rivals; name one by id or full name:").format(
            ref=reference, count=len(candidates)
        ),
        [f"  {c['id']}\t{c['name']}" for c in candidates[:MAX_CANDIDATES_SHOWN]],
    )


def storable(values: Mapping[str, Any]) -> dict[str, Any]:
    row = {key: value for key, value in values.items() if key in COLUMN_KEYS or key == "customer_id"}
    if "name" in row:
        row["name_key"] = name_key(row["name"])
    return row


def insert_rivals(connection: Connection, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert many rivals, each a sequence of values in `columns` order."""
    insert_many(connection, "rival", columns, rows)


def update_rival(connection: Connection, rival_id: int, changes: Mapping[str, Any]) -> None:
    connection.update("rival", rival_id, changes)


def delete_rival(connection: Connection, rival_id: int) -> None:
    connection.execute(DELETE_RIVAL, {"id": rival_id})


def set_won(connection: Connection, customer_id: int, rival_id: int, day: date, now: datetime) -> None:
    """The rival took the customer's deal on `day`; no other rival of the customer did."""
    connection.execute(CLEAR_WON, {"customer_id": customer_id, "except_id": rival_id, "now": now})
    connection.execute(SET_WON, {"id": rival_id, "day": day, "now": now})


def clear_won(connection: Connection, customer_id: int, now: datetime, *, keep: int | None = None) -> None:
    """No rival of the customer took its deal (it is open again), or only the one `keep` names."""
    connection.execute(CLEAR_WON, {"customer_id": customer_id, "except_id": -1 if keep is None else keep,
                                   "now": now})  # fmt: skip


def ids_by_customer_and_name(
    connection: Connection, customer_ids: Iterable[int]
) -> dict[tuple[int, str], int]:
    """(customer id, name key) → rival id, for every rival of these customers."""
    return named.ids_by_customer_and_name(connection, "rival", customer_ids)


def rivals_by_ids(connection: Connection, ids: Iterable[int]) -> dict[int, Row]:
    return named.rows_by_ids(connection, RIVAL_SELECT, "rival", ids)


def used_ids(connection: Connection, ids: Iterable[int]) -> set[int]:
    """The ones among `ids` that rivals already have."""
    return named.used_ids(connection, "rival", ids)


def rival_facts(connection: Connection) -> list[Row]:
    """id, customer_id, name, name_key, won_on of every rival of a customer not archived."""
    return connection.execute(RIVAL_FACTS).all()


def count(connection: Connection) -> int:
    return int(connection.execute(COUNT_ALL).scalar())
