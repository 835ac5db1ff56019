"""indexes for the morning list's after-sale sections

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

Issue 17 put three sections on `kehu followups` that read tables no index answered (H5, issue 17's
regression: followups over its 5× target on 100,000 customers):

* the after-sale touches read the won customers in 维护: with no index on status or stage that
  was a scan of the whole customer table on every run (42 ms warm, 150 ms as a command, for 2,000
  of 100,000 rows). ix_customer_won holds the won, active customers only, by stage: a few
  thousand entries, and the same condition the statement writes, so both backends use it;
* a promise to pay is kept by the customer's payments since the action's day, and payment had no
  index on its customer: each promise scanned every payment (18 ms for 75 promises on 4,400
  payments, growing with both). ix_payment_customer answers it, and the card's and
  `kehu collect list`'s same sum, by (customer_id, paid_on).

Indexes only: nothing to fill in.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The condition store/after_sale.py writes: a partial index serves a query that states it.
WON_AND_ACTIVE = sa.text("status = 'won' AND archived_at IS NULL")


def upgrade() -> None:
    op.create_index("ix_customer_won", "customer", ["stage"], sqlite_where=WON_AND_ACTIVE,
                    postgresql_where=WON_AND_ACTIVE)  # fmt: skip
    op.create_index("ix_payment_customer", "payment", ["customer_id", "paid_on"])


def downgrade() -> None:
    op.drop_index("ix_payment_customer", table_name="payment")
    op.drop_index("ix_customer_won", table_name="customer")
