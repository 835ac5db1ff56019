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
_CANDIDATES = (
    f"SELECT {CARD_COLUMNS}, customer.name_key, customer.pinyin_full, customer.pinyin_initials{CARD_FROM}"
)
CANDIDATES_BY_NAME = _CANDIDATES + " WHERE customer.name_key LIKE :part ESCAPE '\\'"
CANDIDATES_BY_NAME_OR_PINYIN = _CANDIDATES + (
    " WHERE (customer.name_key LIKE :part ESCAPE '\\' OR customer.pinyin_initials LIKE :pinyin ESCAPE '\\'"
    " OR customer.pinyin_full LIKE :pinyin ESCAPE '\\')"
)
# Cards whose name key holds the letters of a similarity key in order: a superset of those with
# that similarity key (%杭%州%海%纳%科%技% finds 杭州海纳科技有限公司, and also （中国）杭州海纳… and
# "杭州海纳"科技, whose key starts after what it drops), which similarity_key then sorts out.
# EVERY_NAME serves a batch too large to ask name by name.
SIMILAR_NAMES = "SELECT id, name, name_key FROM customer WHERE name_key LIKE :pattern ESCAPE '\\' ORDER BY id"
EVERY_NAME = "SELECT id, name, name_key FROM customer ORDER BY id"
ASKED_ONE_BY_ONE = 20  # more names than this: one pass over the book's names instead
CANDIDATES_BY_GAPPED_INITIALS = _CANDIDATES + " WHERE customer.pinyin_initials LIKE :gapped ESCAPE '\\'"
# Names like a mistyped one (杭州海钠 → 杭州海纳科技有限公司): those sharing the most of the typed
# text's pieces (:g0 … a LIKE pattern each; '' for a slot not used), best first; then compared
# in Python. One scan of the book, only when nothing was found.
SUGGESTION_GRAMS = 6
SUGGESTIONS_READ = 30
SUGGESTION_LIKENESS = 0.6


def _suggestions(condition: str) -> str:
    shared = " + ".join(f"CASE WHEN {condition.format(g=f':g{i}')} THEN 1 ELSE 0 END"
                        for i in range(SUGGESTION_GRAMS))  # fmt: skip
    return (
        "SELECT id, name, name_key, pinyin_initials, pinyin_full FROM (SELECT id, name, name_key,"
        f" pinyin_initials, pinyin_full, {shared} AS shared FROM customer"
        " WHERE archived_at IS NULL OR :archived) AS scored"
        " WHERE shared > 0 ORDER BY shared DESC, id LIMIT :limit"
    )


SUGGESTIONS_BY_NAME = _suggestions("name_key LIKE {g} ESCAPE '\\'")
SUGGESTIONS_BY_PINYIN = _suggestions(
    "(pinyin_initials LIKE {g} ESCAPE '\\' OR pinyin_full LIKE {g} ESCAPE '\\')"
)
CONTACT_BY_ID = "SELECT * FROM contact WHERE customer_id = :customer_id AND id = :id"
CONTACT_BY_NAME_KEY = "SELECT * FROM contact WHERE customer_id = :customer_id AND name_key = :key"
CONTACTS_BY_PART = (
    "SELECT * FROM contact WHERE customer_id = :customer_id AND name_key LIKE :part ESCAPE '\\'"
)


def resolve_customer(
    connection: Connection, reference: str, *, include_archived: bool = False, archived_first: bool = False
) -> Row:
    """Return the card the reference names; NotFound (with suggestions) or Ambiguous (listing
    candidates) otherwise.

    Matches rank exact (id, name, whole pinyin), then a part of the name or pinyin (prefixes
    listed first), then pinyin initials in order with gaps (`hzkj` finds 杭州海纳科技): a lower
    rank is tried only when the one above finds nobody. An archived customer is found by id or
    exact name; by a part or by pinyin only with `include_archived` (--archived, or a command
    about archived cards), and then only when no active customer matches: archiving a duplicate
    gives the short name back to the card that stays. `archived_first` (kehu restore) looks among
    the archived before the active.
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

    pinyin = key.replace(" ", "")
    if not looks_like_pinyin(pinyin):
        pinyin = ""
    candidates = _matching(connection, key, pinyin, archived=archived_first)
    if not candidates and (include_archived or archived_first):
        candidates = _matching(connection, key, pinyin, archived=not archived_first)
    if len(candidates) == 1:
        return candidates[0]
    # Exact pinyin (`hzkj` for 杭州科技) beats prefixes (杭州科技城): a full answer, not a guess.
    whole = [c for c in candidates if pinyin and pinyin in (c["pinyin_full"], c["pinyin_initials"])]
    if len(whole) == 1:
        return whole[0]
    if not candidates:
        raise NotFound(_not_found(connection, reference, key, pinyin, include_archived))
    candidates.sort(key=lambda c: _rank(c, key, pinyin))  # stable: by id within a rank
    raise Ambiguous(
        _("{ref!r} matches {count} customers; name one by id or full name:").format(
            ref=reference,
            count=len(candidates) if len(candidates) < MAX_CANDIDATES_READ else f"{MAX_CANDIDATES_READ}+",
        ),
        [f"  {c['id']}\t{c['name']}" for c in candidates[:MAX_CANDIDATES_SHOWN]]
        + ([f"  … (+{len(candidates) - MAX_CANDIDATES_SHOWN})"]
           if len(candidates) > MAX_CANDIDATES_SHOWN else []),
    )  # fmt: skip


def _matching(connection: Connection, key: str, pinyin: str, *, archived: bool) -> list[Row]:
    """The active (or the archived) customers whose name holds the key or whose pinyin holds
    the typed pinyin; failing those, whose pinyin initials hold its letters in order."""
    params: dict[str, object] = {"part": f"%{escape_like(key)}%", "limit": MAX_CANDIDATES_READ}
    sql = CANDIDATES_BY_NAME
    if pinyin:
        # Names often start with the city (杭州海纳科技): from three letters on, the pinyin may
        # match anywhere (`hnkj`); shorter ones only at the start, or everything would match.
        params["pinyin"] = f"%{escape_like(pinyin)}%" if len(pinyin) >= 3 else f"{escape_like(pinyin)}%"
        sql = CANDIDATES_BY_NAME_OR_PINYIN
    which = " AND customer.archived_at IS NOT NULL" if archived else " AND customer.archived_at IS NULL"
    order = " ORDER BY customer.id LIMIT :limit"
    candidates = connection.execute(sql + which + order, params).all()
    if candidates or len(pinyin) < 3:
        return candidates
    # Initials in order with gaps, from the start (hzkj: h%z%k%j%, 杭州海纳科技 hzhnkj).
    params = {"gapped": "%".join(escape_like(ch) for ch in pinyin) + "%", "limit": MAX_CANDIDATES_READ}
    return connection.execute(CANDIDATES_BY_GAPPED_INITIALS + which + order, params).all()


def _rank(card: Row, key: str, pinyin: str) -> int:
    """0 exact, 1 prefix, 2 a part, 3 letters with gaps: how an ambiguous list is ordered."""
    forms = (card["name_key"],)
    if pinyin:
        forms += (card["pinyin_full"], card["pinyin_initials"])
    typed = (key, pinyin, pinyin) if pinyin else (key,)
    if any(form == t for form, t in zip(forms, typed, strict=True)):
        return 0
    if any(form.startswith(t) for form, t in zip(forms, typed, strict=True)):
        return 1
    if any(t in form for form, t in zip(forms, typed, strict=True)):
        return 2
    return 3


def _not_found(connection: Connection, reference: str, key: str, pinyin: str, include_archived: bool) -> str:
    """ "no customer 杭州海钠; did you mean 杭州海纳科技有限公司 (hzhnkj)?" — or without suggestions
    the plain "no customer matches …" when nothing is like it."""
    names = suggestions(connection, key, pinyin, include_archived=include_archived)
    if not names:
        return _("no customer matches {ref!r}").format(ref=reference)
    return _("no customer {ref}; did you mean {names}?").format(
        ref=reference.strip(),
        names=_(", ").join(
            _("{name} ({initials})").format(name=name, initials=initials) for name, initials in names
        ),
    )


def suggestions(
    connection: Connection, key: str, pinyin: str = "", *, include_archived: bool = False, count: int = 3
) -> list[tuple[str, str]]:
    """Up to `count` customers whose names are most like what was typed, most alike first, each
    with the pinyin initials that find it (of the name without its legal form: hzhnkj)."""
    from kehu.domain.names import likeness, pinyin_forms

    typed = similarity_key(key) or key.replace(" ", "")
    grams = _grams(pinyin or typed, 3 if pinyin else 2)
    if not grams:
        return []
    params: dict[str, object] = {f"g{i}": "" for i in range(SUGGESTION_GRAMS)}  # '' matches no name
    params.update({f"g{i}": f"%{escape_like(gram)}%" for i, gram in enumerate(grams)})
    params.update({"archived": include_archived, "limit": SUGGESTIONS_READ})
    scored = []
    for row in connection.execute(SUGGESTIONS_BY_PINYIN if pinyin else SUGGESTIONS_BY_NAME, params):
        # Pinyin is compared also with the initials shown (of the name without its legal form):
        # hzhnjk is like hzhnkj, less so the hzhnkjgfyxgs of 杭州海纳科技股份有限公司.
        similar = similarity_key(row["name_key"])
        forms = (similar,)
        if pinyin:
            forms = (pinyin_forms(similar)[1], row["pinyin_initials"], row["pinyin_full"])
        alike, form = max((likeness(pinyin or typed, form), form) for form in forms)
        if alike >= SUGGESTION_LIKENESS:  # equally alike: the one nearer in length first
            scored.append((-alike, abs(len(form) - len(pinyin or typed)), row["id"], row["name"]))
    scored.sort()
    return [(name, pinyin_forms(similarity_key(name) or name)[1]) for *_order, name in scored[:count]]


def _grams(text: str, size: int) -> list[str]:
    """Up to SUGGESTION_GRAMS pieces of `size` characters spread over the text (the text itself
    when shorter): what a name like it most likely shares with it despite a typo."""
    if len(text) <= size:
        return [text] if text else []
    pieces = [text[i : i + size] for i in range(len(text) - size + 1)]
    if len(pieces) <= SUGGESTION_GRAMS:
        return pieces
    step = (len(pieces) - 1) / (SUGGESTION_GRAMS - 1)
    return list(dict.fromkeys(pieces[round(i * step)] for i in range(SUGGESTION_GRAMS)))


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
            pattern = "%" + "%".join(escape_like(ch) for ch in key) + "%"  # not anchored: the
            # index on name_key serves no LIKE anyway (100,000 cards: 50 ms either way)
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
