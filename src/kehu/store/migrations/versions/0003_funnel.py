"""funnel

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

The funnel: each customer's pipeline, stage and won/lost state, every stage move with its
evidence, the six qualification questions, and book-wide settings. Existing customers start in
the first stage of the default six-step funnel, counted from the day they were added.
"""

from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "qualification",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("need", sa.String(), nullable=False),
        sa.Column("timetable", sa.String(), nullable=False),
        sa.Column("budget", sa.String(), nullable=False),
        sa.Column("can_win", sa.String(), nullable=False),
        sa.Column("worth_it", sa.String(), nullable=False),
        sa.Column("our_strength", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id"),
    )
    op.create_table(
        "stage_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("pipeline", sa.String(), nullable=False),
        sa.Column("from_stage", sa.String(), nullable=True),
        sa.Column("to_stage", sa.String(), nullable=True),
        sa.Column("event", sa.String(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stage_change", schema=None) as batch_op:
        batch_op.create_index("ix_stage_change_customer", ["customer_id", "changed_on"], unique=False)

    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pipeline", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("stage", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("stage_since", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(), nullable=False, server_default="open"))
        batch_op.add_column(sa.Column("won_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("won_value", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("lost_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("lost_reason", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("lost_detail", sa.String(), nullable=True))

    # Existing customers start in the first stage of the six-step key-account funnel (the
    # default), since the day they were added, on the local clock as kehu counts days.
    customer = sa.table(
        "customer",
        sa.column("id", sa.Integer()),
        sa.column("created_at", sa.DateTime()),
        sa.column("pipeline", sa.String()),
        sa.column("stage", sa.String()),
        sa.column("stage_since", sa.Date()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(customer.c.id, customer.c.created_at)).all()
    if rows:
        connection.execute(
            customer.update()
            .where(customer.c.id == sa.bindparam("target"))
            .values(pipeline="key-account", stage="analyse", stage_since=sa.bindparam("since")),
            [{"target": row.id, "since": _local_day(row.created_at)} for row in rows],
        )


def _local_day(moment):
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite keeps UTC naive
    return aware.astimezone().date()


def downgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_column("lost_detail")
        batch_op.drop_column("lost_reason")
        batch_op.drop_column("lost_on")
        batch_op.drop_column("won_value")
        batch_op.drop_column("won_on")
        batch_op.drop_column("status")
        batch_op.drop_column("stage_since")
        batch_op.drop_column("stage")
        batch_op.drop_column("pipeline")

    with op.batch_alter_table("stage_change", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_change_customer")

    op.drop_table("stage_change")
    op.drop_table("qualification")
    op.drop_table("setting")
