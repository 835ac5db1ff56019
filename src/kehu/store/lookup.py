"""Finding the one customer or contact a user means by what they typed.

A customer is named by id, exact name, pinyin (full or initials: `hzkj` finds 杭州科技), or a part
of the name. More than one match is never guessed: the error lists the candidates.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection, RowMapping

from kehu.domain.names import looks_like_pinyin, name_key
from kehu.errors import Ambiguous, NotFound, NotPermitted
from kehu.i18n import _
from kehu.store.customers import _escape_like, card_select, get_card
from kehu.store.models import contact_table, customer_table

MAX_CANDIDATES_SHOWN = 10


def resolve_customer(connection: Connection, reference: str, *, include_archived: bool = False) -> RowMapping:
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
    exact = connection.execute(card_select().where(customer_table.c.name_key == key)).mappings().first()
    if exact is not None:
        return exact
    refuse_if_hidden(connection, key, reference)

    conditions = [customer_table.c.name_key.like(f"%{_escape_like(key)}%", escape="\\")]
    pinyin = key.replace(" ", "")
    if looks_like_pinyin(pinyin):
        # Names often start with the city (杭州海纳科技): from three letters on, the pinyin may
        # match anywhere (`hnkj`); shorter ones only at the start, or everything would match.
        pattern = f"%{_escape_like(pinyin)}%" if len(pinyin) >= 3 else f"{_escape_like(pinyin)}%"
        conditions += [
            customer_table.c.pinyin_initials.like(pattern, escape="\\"),
            customer_table.c.pinyin_full.like(pattern, escape="\\"),
        ]
    statement = (
        card_select()
        .add_columns(customer_table.c.pinyin_full, customer_table.c.pinyin_initials)
        .where(or_(*conditions))
    )
    if not include_archived:
        statement = statement.where(customer_table.c.archived_at.is_(None))
    candidates = list(connection.execute(statement.order_by(customer_table.c.id).limit(200)).mappings())
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
            ref=reference, count=len(candidates) if len(candidates) < 200 else "200+"
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
) -> RowMapping:
    """The contact of one customer named by id, exact name or a unique part of the name."""
    text = reference.strip()
    base = select(contact_table).where(contact_table.c.customer_id == customer_id)
    if text.isdigit():
        row = connection.execute(base.where(contact_table.c.id == int(text))).mappings().first()
        if row is not None:
            return row
    key = name_key(text)
    row = connection.execute(base.where(contact_table.c.name_key == key)).mappings().first()
    if row is not None:
        return row
    statement = base.where(contact_table.c.name_key.like(f"%{_escape_like(key)}%", escape="\\"))
    if not include_archived:
        statement = statement.where(contact_table.c.archived_at.is_(None))
    candidates = list(connection.execute(statement).mappings())
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
