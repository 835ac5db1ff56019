"""Finding the one customer or contact a user means by what they typed.

A customer is named by id, exact name, pinyin (full or initials: `hzkj` finds 杭州科技), or a part
of the name. More than one match is never guessed: the error lists the candidates.
"""

from __future__ import annotations

from collections.abc import Iterable

from kehu.domain.names import looks_like_pinyin, name_key, similarity_key
from kehu.errors import Ambiguous, NotFound, NotPermitted
from kehu.i18n import _
from kehu.store.customers import CARD_COLUMNS, CARD_FROM, card_by_name_key, escape_like, get_card
from kehu.store.sql import Connection, Row

MAX_CANDIDATES_SHOWN = 10
MAX_CANDIDATES_READ = 200
# Customers whose name key holds :part, or whose pinyin matches :pinyin (when it looks like one).
_CANDIDATES = f"SELECT {CARD_COLUMNS}, customer.pinyin_full, customer.pinyin_initials{CARD_FROM}"
CANDIDATES_BY_NAME = _CANDIDATES + " WHERE customer.name_key LIKE :part ESCAPE '\\'"
CANDIDATES_BY_NAME_OR_PINYIN = _CANDIDATES + (
    " WHERE (customer.name_key LIKE :part ESCAPE '\\' OR customer.pinyin_initials LIKE :pinyin ESCAPE '\\'"
    " OR customer.pinyin_full LIKE :pinyin ESCAPE '\\')"
)
# Cards whose name key holds the letters of a similarity key in order, from its start: a
# superset of those with that similarity key (杭%州%海%纳%科%技% finds 杭州海纳科技有限公司), which
# similarity_key then sorts out. EVERY_NAME serves a batch too large to ask name by name.
SIMILAR_NAMES = "SELECT id, name, name_key FROM customer WHERE name_key LIKE :pattern ESCAPE '\\' ORDER BY id"
EVERY_NAME = "SELECT id, name, name_key FROM customer ORDER BY id"
ASKED_ONE_BY_ONE = 20  # more names than this: one pass over the book's names instead
CONTACT_BY_ID = "SELECT * FROM contact WHERE customer_id = :customer_id AND id = :id"
CONTACT_BY_NAME_KEY = "SELECT * FROM contact WHERE customer_id = :customer_id AND name_key = :key"
CONTACTS_BY_PART = (
    "SELECT * FROM contact WHERE customer_id = :customer_id AND name_key LIKE :part ESCAPE '\\'"
)


def resolve_customer(connection: Connection, reference: str, *, include_archived: bool = False) -> Row:
    """Return the card the reference names; NotFound or Ambiguous (listing candidates) otherwise.

    Archived customers are found by id or exact name always, by partial match only when asked.
    """
    text = reference.strip()
    if text.isdigit():
        card = get_card(connection, int(text))
        if card is not None:
            return card
    key = name_key(text)
    if not key:
        raise NotFound(_("no customer matches {ref!r}").format(ref=reference))
    exact = card_by_name_key(connection, key)
    if exact is not None:
        return exact
    refuse_if_hidden(connection, key, reference)

    params = {"part": f"%{escape_like(key)}%", "limit": MAX_CANDIDATES_READ}
    sql = CANDIDATES_BY_NAME
    pinyin = key.replace(" ", "")
    if looks_like_pinyin(pinyin):
        # Names often start with the city (杭州海纳科技): from three letters on, the pinyin may
        # match anywhere (`hnkj`); shorter ones only at the start, or everything would match.
        params["pinyin"] = f"%{escape_like(pinyin)}%" if len(pinyin) >= 3 else f"{escape_like(pinyin)}%"
        sql = CANDIDATES_BY_NAME_OR_PINYIN
    if not include_archived:
        sql += " AND customer.archived_at IS NULL"
    candidates = connection.execute(sql + " ORDER BY customer.id LIMIT :limit", params).all()
    if len(candidates) == 1:
        return candidates[0]
    # Exact pinyin (`hzkj` for 杭州科技) beats prefixes (杭州科技城): a full answer, not a guess.
    whole = [c for c in candidates if pinyin in (c["pinyin_full"], c["pinyin_initials"])]
    if len(whole) == 1:
        return whole[0]
    if not candidates:
        raise NotFound(_("no customer matches {ref!r}").format(ref=reference))
    raise Ambiguous(
        _("{ref!r} matches {count} customers; name one by id or full name:").format(
            ref=reference,
            count=len(candidates) if len(candidates) < MAX_CANDIDATES_READ else f"{MAX_CANDIDATES_READ}+",
        ),
        [f"  {c['id']}\t{c['name']}" for c in candidates[:MAX_CANDIDATES_SHOWN]]
        + ([f"  … (+{len(candidates) - MAX_CANDIDATES_SHOWN})"]
           if len(candidates) > MAX_CANDIDATES_SHOWN else []),
    )  # fmt: skip


def refuse_if_hidden(connection: Connection, key: str, reference: str) -> None:
    """In team mode a colleague's customer is invisible (row-level security): when the exact name
    is one, say "not yours" (exit 77) rather than "no such customer". An id of one is simply not
    found: answering for ids would list the owner of every customer in the book in turn."""
    from kehu.store.team import is_team_backend, not_yours, owner_of

    if is_team_backend(connection):
        owner = owner_of(connection, key)
        if owner is not None:
            raise NotPermitted(not_yours(reference, owner))


def resolve_contact(
    connection: Connection, customer_id: int, reference: str, *, include_archived: bool = False
) -> Row:
    """The contact of one customer named by id, exact name or a unique part of the name."""
    text = reference.strip()
    if text.isdigit():
        row = connection.execute(CONTACT_BY_ID, {"customer_id": customer_id, "id": int(text)}).first()
        if row is not None:
            return row
    key = name_key(text)
    row = connection.execute(CONTACT_BY_NAME_KEY, {"customer_id": customer_id, "key": key}).first()
    if row is not None:
        return row
    sql = CONTACTS_BY_PART + ("" if include_archived else " AND archived_at IS NULL")
    params = {"customer_id": customer_id, "part": f"%{escape_like(key)}%"}
    candidates = connection.execute(sql + " ORDER BY id", params).all()
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFound(_("no contact matches {ref!r}").format(ref=reference))
    raise Ambiguous(
        _("{ref!r} matches {count} contacts; name one by id or full name:").format(
            ref=reference, count=len(candidates)
        ),
        [f"  {c['id']}\t{c['name']}" for c in candidates[:MAX_CANDIDATES_SHOWN]],
    )


def similar_names(connection: Connection, keys: Iterable[str]) -> dict[str, tuple[int, str]]:
    """For each similarity key, the (id, name) of the first card whose name has it: the customer
    a new name is most likely a second spelling of (杭州海纳科技 → 杭州海纳科技有限公司)."""
    wanted = {k for k in keys if k}
    found: dict[str, tuple[int, str]] = {}
    if not wanted:
        return found
    if len(wanted) <= ASKED_ONE_BY_ONE:
        for key in wanted:
            pattern = "%".join(escape_like(ch) for ch in key) + "%"
            for row in connection.execute(SIMILAR_NAMES, {"pattern": pattern}):
                if similarity_key(row["name_key"]) == key:
                    found[key] = (row["id"], row["name"])
                    break
        return found
    for row in connection.stream(EVERY_NAME, {}):
        key = similarity_key(row["name_key"])
        if key in wanted and key not in found:
            found[key] = (row["id"], row["name"])
    return found
