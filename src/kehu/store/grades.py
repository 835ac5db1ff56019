"""What the grade review reads (book.grades.review): each active customer's grade inputs with the
latest change of its grade, and when the card last moved in the funnel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kehu.store.schema import DAY, MOMENT

if TYPE_CHECKING:
    from kehu.store.sql import Connection, Row

# The card's grade inputs (store.followups' grade_inputs), when it was last written (updated_at),
# its latest grade change (grade, day, reason, moment: NULL when it has none) and the moment of
# its latest funnel move, which writes updated_at too: a card written then was moved, not edited.
REVIEW_INPUTS = (
    "SELECT c.id, c.name, c.grade, c.expected_close, c.created_at, c.last_touch_on, c.updated_at,"
    " g.new_grade AS set_grade, g.changed_on AS set_on, g.reason AS set_reason, g.created_at AS set_at,"
    " (SELECT max(s.created_at) FROM stage_change s WHERE s.customer_id = c.id) AS moved_at"
    " FROM customer c LEFT JOIN grade_change g ON g.id = (SELECT h.id FROM grade_change h"
    " WHERE h.customer_id = c.id ORDER BY h.changed_on DESC, h.id DESC LIMIT 1)"
    " WHERE c.archived_at IS NULL ORDER BY c.id"
)
_KINDS = {"set_on": DAY, "set_at": MOMENT, "moved_at": MOMENT}


def review_inputs(connection: Connection) -> list[Row]:
    """Every active customer by id: id, name, grade, expected_close, created_at, last_touch_on,
    updated_at, and set_grade, set_on, set_reason, set_at (its latest grade change, or None),
    moved_at (its latest funnel move, or None)."""
    return connection.execute(REVIEW_INPUTS, kinds=_KINDS).all()
