"""follow-ups

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Follow-ups: grade history, touches, visit plans, and each customer's stored follow-up state
(last touch, explicit next step, snooze, next due date). Existing customers were never touched,
so they are due from the day they were added (grade E: never).
"""

from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grade_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("old_grade", sa.String(), nullable=True),
        sa.Column("new_grade", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("grade_change", schema=None) as batch_op:
        batch_op.create_index("ix_grade_change_customer", ["customer_id", "changed_on"], unique=False)

    op.create_table(
        "touch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("next_step_on", sa.Date(), nullable=True),
        sa.Column("next_step", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("touch", schema=None) as batch_op:
        batch_op.create_index("ix_touch_customer", ["customer_id", "happened_on"], unique=False)

    op.create_table(
        "visit_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("people", sa.String(), nullable=True),
        sa.Column("preparation", sa.String(), nullable=True),
        sa.Column("content", sa.String(), nullable=True),
        sa.Column("expected_result", sa.String(), nullable=True),
        sa.Column("next_follow_up", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("touch_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["touch_id"], ["touch.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit_plan", schema=None) as batch_op:
        batch_op.create_index("ix_visit_plan_day", ["planned_on", "status"], unique=False)

    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_touch_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("last_channel", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("last_contact_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_step_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_step", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("snoozed_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_due", sa.Date(), nullable=True))
        batch_op.create_index("ix_customer_next_due", ["next_due"], unique=False)

    # Existing customers were never touched: due from the day they were added, on the local
    # clock as kehu counts days (domain.cadence); grade E is never due.
    customer = sa.table(
        "customer",
        sa.column("id", sa.Integer()),
        sa.column("grade", sa.String()),
        sa.column("created_at", sa.DateTime()),
        sa.column("next_due", sa.Date()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(customer.c.id, customer.c.grade, customer.c.created_at)).all()
    updates = [{"target": row.id, "due": _local_day(row.created_at)} for row in rows if row.grade != "E"]
    if updates:
        connection.execute(
            customer.update()
            .where(customer.c.id == sa.bindparam("target"))
            .values(next_due=sa.bindparam("due")),
            updates,
        )


def _local_day(moment):
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite keeps UTC naive
    return aware.astimezone().date()


def downgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_next_due")
        batch_op.drop_column("next_due")
        batch_op.drop_column("snoozed_until")
        batch_op.drop_column("next_step")
        batch_op.drop_column("next_step_on")
        batch_op.drop_column("last_contact_id")
        batch_op.drop_column("last_channel")
        batch_op.drop_column("last_touch_on")

    with op.batch_alter_table("visit_plan", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_plan_day")

    op.drop_table("visit_plan")
    with op.batch_alter_table("touch", schema=None) as batch_op:
        batch_op.drop_index("ix_touch_customer")

    op.drop_table("touch")
    with op.batch_alter_table("grade_change", schema=None) as batch_op:
        batch_op.drop_index("ix_grade_change_customer")

    op.drop_table("grade_change")
