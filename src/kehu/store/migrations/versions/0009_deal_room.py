"""the deal room: rivals, the organisation, relationships, needs, proposals, quotes, stage answers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

Issue 16 makes first-class records of what the seeds ask a salesperson to collect between 建立信任
and 赢取承诺:

* contact gets the organisation (department, reports_to_id, years_at_company, authority and
  authority_limit) and the relationship stage (relationship), whose history is
  relationship_change;
* rival (竞争信息), need (挖掘需求), proposal and quote (呈现价值) and stage_answer (the answers to
  a stage's 推进问题) are new tables of a customer.

Seed 000 names 采购执行者 and 采购审批者 as two roles, which kehu had kept as one. The role stored
so far is the code `purchaser`, which stays 采购执行者: nothing to move, and 采购审批者 (`approver`)
is a new word of the vocabulary only.

On PostgreSQL the new tables stand behind the same wall as the others (revisions 0006, 0007): a
seller sees and writes the rows of their own customers only, every contact a row names is of the
row's own customer, and the team's members get the privileges they have on the other tables.
"""

import sqlalchemy as sa
from alembic import op

from kehu.store.types import Money, UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NEW_TABLES = ("rival", "relationship_change", "need", "proposal", "quote", "stage_answer")
POLICY = "kehu_own_customers"
SEES_ALL = "(SELECT kehu_is_manager())"
# The contacts a row names, which must be of the row's own customer.
SAME_CUSTOMER_CONTACT = {
    "contact": "reports_to_id",
    "relationship_change": "contact_id",
    "need": "contact_id",
}


def _keys() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "customer_id", sa.Integer(), sa.ForeignKey("customer.id", ondelete="CASCADE"), nullable=False
        ),
    ]


def _stamps(*, updated: bool = True) -> list[sa.Column]:
    stamps = [sa.Column("created_at", UTCDateTime(), nullable=False)]
    if updated:
        stamps.append(sa.Column("updated_at", UTCDateTime(), nullable=False))
    return stamps


def upgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("department", sa.String(), nullable=True))
        batch.add_column(sa.Column("reports_to_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("years_at_company", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("authority", sa.String(), nullable=True))
        batch.add_column(sa.Column("authority_limit", Money(), nullable=True))
        batch.add_column(sa.Column("relationship", sa.String(), nullable=True))
        batch.create_foreign_key(
            "fk_contact_reports_to", "contact", ["reports_to_id"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "rival",
        *_keys(),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("their_contact", sa.String(), nullable=True),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("share", sa.Integer(), nullable=True),
        sa.Column("strengths", sa.String(), nullable=True),
        sa.Column("weaknesses", sa.String(), nullable=True),
        sa.Column("price", Money(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        sa.Column("won_on", sa.Date(), nullable=True),
        *_stamps(),
        sa.UniqueConstraint("customer_id", "name_key", name="uq_rival_customer_name"),
    )
    op.create_index("ix_rival_name_key", "rival", ["name_key"])
    op.create_table(
        "relationship_change",
        *_keys(),
        sa.Column(
            "contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("old_relationship", sa.String(), nullable=True),
        sa.Column("new_relationship", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        *_stamps(updated=False),
    )
    op.create_index("ix_relationship_change_contact", "relationship_change", ["contact_id", "changed_on"])
    op.create_table(
        "need",
        *_keys(),
        sa.Column(
            "contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=True),
        sa.Column("priority", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.String(), nullable=True),
        *_stamps(),
    )
    op.create_index("ix_need_customer", "need", ["customer_id"])
    op.create_table(
        "proposal",
        *_keys(),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("amount", Money(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("file", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=True),
        *_stamps(),
    )
    op.create_index("ix_proposal_customer", "proposal", ["customer_id"])
    op.create_table(
        "quote",
        *_keys(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("discount", Money(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=True),
        *_stamps(),
    )
    op.create_index("ix_quote_customer", "quote", ["customer_id"])
    op.create_table(
        "stage_answer",
        *_keys(),
        sa.Column("pipeline", sa.String(), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("customer_id", "pipeline", "stage", "question", name="uq_stage_answer_question"),
    )
    if op.get_context().dialect.name == "postgresql":
        _build_walls()


def _build_walls() -> None:
    bind = op.get_bind()
    schema = _quoted(bind.exec_driver_sql("SELECT current_schema()").scalar())
    for table in (*NEW_TABLES, "contact"):
        visible = f"EXISTS (SELECT 1 FROM {schema}.customer WHERE customer.id = {table}.customer_id)"
        check = f"({SEES_ALL} OR {visible})"
        if table in SAME_CUSTOMER_CONTACT:
            column = SAME_CUSTOMER_CONTACT[table]
            check += (f" AND ({column} IS NULL OR EXISTS (SELECT 1 FROM {schema}.contact t "
                      f"WHERE t.id = {table}.{column} AND t.customer_id = {table}.customer_id))")  # fmt: skip
        if table == "contact":
            op.execute(f"ALTER POLICY {POLICY} ON contact WITH CHECK ({check})")
            continue
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {POLICY} ON {table} USING ({SEES_ALL} OR {visible}) WITH CHECK ({check})")
    tables = ", ".join(NEW_TABLES)
    for (login,) in bind.exec_driver_sql("SELECT login FROM team_member"):
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {_quoted(login)}")
        op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {_quoted(login)}")


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"ALTER POLICY {POLICY} ON contact WITH CHECK ({SEES_ALL} OR EXISTS "
                   "(SELECT 1 FROM customer WHERE customer.id = contact.customer_id))")  # fmt: skip
    for table in reversed(NEW_TABLES):
        op.drop_table(table)
    with op.batch_alter_table("contact") as batch:
        batch.drop_constraint("fk_contact_reports_to", type_="foreignkey")
        for column in ("relationship", "authority_limit", "authority", "years_at_company", "reports_to_id",
                       "department"):  # fmt: skip
            batch.drop_column(column)


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
