"""What the after-sale suggestions (维护) are made from: the won customers in an after-sale stage,
with the days their touches are due from (domain.agenda.after_sale_items decides)."""

from __future__ import annotations

from kehu.store.sql import Connection, Row

# The referrer's name to thank, the latest delivery (a satisfaction visit after it) and the
# latest signing (the next purchase cycle) of each won customer in one of the given stages. The
# condition is ix_customer_won's (revision 0011), word for word, so the few thousand won customers
# are read by stage instead of the whole customer table; each one's two contract dates are then
# index searches (ix_contract_customer), cheaper than grouping every contract.
AFTER_SALE = (
    "SELECT c.id AS customer_id, c.name AS customer, c.grade, c.pipeline, c.stage, c.stage_since,"
    " c.last_touch_on, r.name AS referrer,"
    " (SELECT MAX(k.delivered_on) FROM contract k WHERE k.customer_id = c.id) AS delivered_on,"
    " (SELECT MAX(k.signed_on) FROM contract k WHERE k.customer_id = c.id) AS signed_on"
    " FROM customer c LEFT JOIN customer r ON r.id = c.referrer_id"
    " WHERE c.status = 'won' AND c.archived_at IS NULL"
)


def after_sale_customers(
    connection: Connection, stages: list[str], *, owner: str | None = None, grade: str | None = None
) -> list[Row]:
    """Won, active customers whose stage is one of `stages` (the pipelines' after-sale stage keys;
    the caller keeps those whose pipeline has it as its after-sale stage), by id."""
    if not stages:
        return []
    from kehu.store.followups import owner_and_grade

    narrowed, params = owner_and_grade("c", owner, grade)
    statement = f"{AFTER_SALE} AND c.stage {connection.backend.among(':stages')}{narrowed} ORDER BY c.id"
    return connection.execute(statement, {"stages": stages, **params}).all()
