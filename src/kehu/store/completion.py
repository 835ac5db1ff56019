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
CUSTOMER_NAMES_STARTING = (
    "SELECT name FROM customer WHERE archived_at IS NULL AND (name_key LIKE :start ESCAPE '\\'"
    " OR pinyin_initials LIKE :pinyin ESCAPE '\\' OR pinyin_full LIKE :pinyin ESCAPE '\\')"
    " ORDER BY name_key LIMIT :limit"
)


def customer_names(connection: Connection, typed: str, limit: int = COMPLETED_NAMES) -> list[str]:
    """Names of active customers whose name, pinyin initials or full pinyin begin with `typed`."""
    key = name_key(typed)
    params = {"start": escape_like(key) + "%", "pinyin": escape_like(key.replace(" ", "")) + "%", "limit": limit}
    return [row["name"] for row in connection.execute(CUSTOMER_NAMES_STARTING, params)]
