"""What shell completion offers from the book: customer names for what was typed so far.

A tab press must answer at once on a book of 100,000 cards: one LIMITed query, active cards only
(an archived one is named by id or in full), the name completing from the start of the name or of
its pinyin (`hzh` → 杭州海纳科技有限公司).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kehu.domain.names import name_key
from kehu.store.customers import escape_like

if TYPE_CHECKING:
    from kehu.store.sql import Connection

COMPLETED_NAMES = 30  # more than a screen of candidates helps nobody: type on
# PostgreSQL: LIKE over the three columns (a scan of 100,000 short strings is quick there).
CUSTOMER_NAMES_STARTING = (
    "SELECT name FROM customer WHERE archived_at IS NULL AND (name_key LIKE :start ESCAPE '\\'"
    " OR pinyin_initials LIKE :pinyin ESCAPE '\\' OR pinyin_full LIKE :pinyin ESCAPE '\\')"
    " ORDER BY name_key LIMIT :limit"
)
# SQLite: its LIKE folds case character by character (250 ms over 100,000 cards); a prefix is a
# range of the binary order instead, which the indexes of name_key and pinyin_initials serve.
FIRST_CUSTOMER_NAMES = "SELECT name FROM customer WHERE archived_at IS NULL ORDER BY name_key LIMIT :limit"
CUSTOMER_NAMES_IN_RANGE = (
    "SELECT name, name_key FROM customer WHERE name_key >= :low AND name_key < :high"
    " AND archived_at IS NULL"
    " UNION SELECT name, name_key FROM customer WHERE pinyin_initials >= :pinyin_low"
    " AND pinyin_initials < :pinyin_high AND archived_at IS NULL"
    # Full pinyin begins with the first initial: that index narrows the cards to read.
    " UNION SELECT name, name_key FROM customer WHERE pinyin_initials >= :initial"
    " AND pinyin_initials < :initial_high AND pinyin_full >= :pinyin_low AND pinyin_full < :pinyin_high"
    " AND archived_at IS NULL"
    " ORDER BY name_key LIMIT :limit"
)


def customer_names(connection: Connection, typed: str, limit: int = COMPLETED_NAMES) -> list[str]:
    """Names of active customers whose name, pinyin initials or full pinyin begin with `typed`."""
    key = name_key(typed)
    pinyin = key.replace(" ", "")
    if not key:  # nothing typed yet: the first names in order
        return [row["name"] for row in connection.execute(FIRST_CUSTOMER_NAMES, {"limit": limit})]
    if connection.backend.is_postgresql:
        sql = CUSTOMER_NAMES_STARTING
        params = {"start": escape_like(key) + "%", "pinyin": escape_like(pinyin) + "%", "limit": limit}
    else:
        sql = CUSTOMER_NAMES_IN_RANGE
        params = {"low": key, "high": _after_prefix(key), "pinyin_low": pinyin,
                  "pinyin_high": _after_prefix(pinyin), "initial": pinyin[:1],
                  "initial_high": _after_prefix(pinyin[:1]), "limit": limit}  # fmt: skip
    return [row["name"] for row in connection.execute(sql, params)]


def _after_prefix(prefix: str) -> str:
    """The first string in code point order after every string that begins with `prefix`."""
    if not prefix:
        return chr(0x10FFFF)
    last = ord(prefix[-1])
    return prefix[:-1] + chr(last + 1) if last < 0x10FFFF else prefix + chr(0x10FFFF)
