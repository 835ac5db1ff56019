"""a cancelled visit plan keeps why

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

`kehu plan cancel ID --reason …` (issue 14) keeps the plan, status cancelled, with the reason, so
the plan list can say why a visit did not happen. A nullable column: nothing to fill in.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit_plan") as batch:
        batch.add_column(sa.Column("cancel_reason", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visit_plan") as batch:
        batch.drop_column("cancel_reason")
