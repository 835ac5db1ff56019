"""customer book: customers and contacts

Revision ID: 0001
Revises:
Create Date: 2026-11-23

The first revision: the schema of the models at 0.1.0, frozen in plain SQLAlchemy types
(money as whole cents, moments in UTC) so that it replays the same whatever the models become.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("pinyin_full", sa.String(), nullable=False),
        sa.Column("pinyin_initials", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("industry", sa.String(), nullable=True),
        sa.Column("region", sa.String(), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("owner", sa.String(), nullable=True),
        sa.Column("nature", sa.String(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("revenue", sa.BigInteger(), nullable=True),
        sa.Column("website", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("wechat", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("referrer_id", sa.Integer(), nullable=True),
        sa.Column("ka_type", sa.String(), nullable=True),
        sa.Column("grade", sa.String(), nullable=True),
        sa.Column("expected_value", sa.BigInteger(), nullable=True),
        sa.Column("expected_close", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["referrer_id"], ["customer.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index("ix_customer_grade", ["grade"], unique=False)
        batch_op.create_index("ix_customer_owner", ["owner"], unique=False)
        batch_op.create_index("ix_customer_pinyin_initials", ["pinyin_initials"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("wechat", sa.String(), nullable=True),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("birthday_lunar", sa.Boolean(), nullable=False),
        sa.Column("hometown", sa.String(), nullable=True),
        sa.Column("hobbies", sa.String(), nullable=True),
        sa.Column("family", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("style", sa.String(), nullable=True),
        sa.Column("insider", sa.String(), nullable=True),
        sa.Column("is_key", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", "name_key", name="uq_contact_customer_name"),
    )


def downgrade() -> None:
    op.drop_table("contact")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_pinyin_initials")
        batch_op.drop_index("ix_customer_owner")
        batch_op.drop_index("ix_customer_grade")

    op.drop_table("customer")
