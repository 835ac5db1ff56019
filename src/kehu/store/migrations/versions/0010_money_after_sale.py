"""the money to the last fen, and the customer after the sale

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Issue 17 follows the seeds' sixth step (回收账款) and the key-account seeds' 维护 chapter past one
due date per contract:

* a contract is paid in instalments (instalment: an amount, due on a day or a given number of
  days after an event, signing, delivery or acceptance, whose day the contract then records:
  contract.delivered_on, accepted_on); a payment settles one instalment (payment.instalment_id:
  one paid across several is split, exact to the fen). Every contract so far becomes one
  instalment of its whole amount, due on its due day, and its payments that instalment's;
* collection_action keeps each collection step taken (method, document, result) and the promise
  it got (a day, an amount, kept or broken);
* credit_check keeps the credit check before the sale and the customer's financial ratios;
* complaint keeps the after-sale complaints until resolved;
* target keeps each month's targets, for the book ('' as owner) or one seller.

On PostgreSQL the customer's tables stand behind the team's wall like the others (revisions 0006,
0007, 0009); a target is its seller's to see, and the manager's to set.
"""

import sqlalchemy as sa
from alembic import op

from kehu.store.types import Money, UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CUSTOMER_TABLES = ("instalment", "collection_action", "credit_check", "complaint")
POLICY = "kehu_own_customers"
SEES_ALL = "(SELECT kehu_is_manager())"
# The references a row holds, which must be of the row's own customer (revision 0007's rule).
SAME_CUSTOMER = {
    "instalment": (("contract", "contract_id"),),
    "collection_action": (("contract", "contract_id"),),
    "complaint": (("contact", "contact_id"),),
    "payment": (("contract", "contract_id"), ("instalment", "instalment_id")),
}


def _keys() -> list[sa.Column]:
    customer = sa.ForeignKey("customer.id", ondelete="CASCADE")
    return [sa.Column("id", sa.Integer(), primary_key=True), sa.Column("customer_id", sa.Integer(), customer,
                                                                       nullable=False)]  # fmt: skip


def _stamps(*, updated: bool = True) -> list[sa.Column]:
    stamps = [sa.Column("created_at", UTCDateTime(), nullable=False)]
    if updated:
        stamps.append(sa.Column("updated_at", UTCDateTime(), nullable=False))
    return stamps


def upgrade() -> None:
    with op.batch_alter_table("contract") as batch:
        batch.add_column(sa.Column("delivered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("delivery_note", sa.String(), nullable=True))
        batch.add_column(sa.Column("accepted_on", sa.Date(), nullable=True))
    op.create_table(
        "instalment",
        *_keys(),
        sa.Column(
            "contract_id", sa.Integer(), sa.ForeignKey("contract.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("label", sa.String(), nullable=True),
        sa.Column("event", sa.String(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        *_stamps(updated=False),
        sa.UniqueConstraint("contract_id", "seq", name="uq_instalment_contract_seq"),
    )
    op.create_index("ix_instalment_due", "instalment", ["due_on"])
    with op.batch_alter_table("payment") as batch:
        batch.add_column(sa.Column("instalment_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_payment_instalment", "instalment", ["instalment_id"], ["id"], ondelete="CASCADE"
        )
    # Every contract so far is one instalment of its whole amount, due on its due day.
    op.execute("""
        INSERT INTO instalment (customer_id, contract_id, seq, amount, due_on, created_at)
        SELECT customer_id, id, 1, amount, due_on, created_at FROM contract ORDER BY id
    """)
    op.execute("""
        UPDATE payment
        SET instalment_id = (SELECT i.id FROM instalment i WHERE i.contract_id = payment.contract_id)
    """)
    op.create_table(
        "collection_action",
        *_keys(),
        sa.Column(
            "contract_id", sa.Integer(), sa.ForeignKey("contract.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("document", sa.String(), nullable=True),
        sa.Column("result", sa.String(), nullable=True),
        sa.Column("promised_on", sa.Date(), nullable=True),
        sa.Column("promised_amount", Money(), nullable=True),
        sa.Column("promise_status", sa.String(), nullable=True),
        *_stamps(),
    )
    op.create_index("ix_collection_action_customer", "collection_action", ["customer_id", "happened_on"])
    op.create_index("ix_collection_action_promise", "collection_action", ["promised_on"])
    op.create_table(
        "credit_check",
        *_keys(),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("registered_capital", Money(), nullable=True),
        sa.Column("years_in_business", sa.Integer(), nullable=True),
        sa.Column("payment_history", sa.String(), nullable=True),
        sa.Column("collection_days", sa.Integer(), nullable=True),
        sa.Column("credit_limit", Money(), nullable=True),
        sa.Column("current_asset_ratio", Money(), nullable=True),
        sa.Column("net_margin", Money(), nullable=True),
        sa.Column("return_on_assets", Money(), nullable=True),
        sa.Column("inventory_days", sa.Integer(), nullable=True),
        sa.Column("receivable_days", sa.Integer(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        *_stamps(updated=False),
    )
    op.create_index("ix_credit_check_customer", "credit_check", ["customer_id", "checked_on"])
    op.create_table(
        "complaint",
        *_keys(),
        sa.Column(
            "contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("severity", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.String(), nullable=True),
        *_stamps(),
    )
    op.create_index("ix_complaint_customer", "complaint", ["customer_id", "status"])
    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("amount", Money(), nullable=True),
        sa.Column("collect_amount", Money(), nullable=True),
        sa.Column("new_customers", sa.Integer(), nullable=True),
        sa.Column("touches_per_day", Money(), nullable=True),
        *_stamps(),
        sa.UniqueConstraint("month", "owner", name="uq_target_month_owner"),
    )
    if op.get_context().dialect.name == "postgresql":
        _build_walls()


def _build_walls() -> None:
    bind = op.get_bind()
    schema = _quoted(bind.exec_driver_sql("SELECT current_schema()").scalar())
    for table in (*CUSTOMER_TABLES, "payment"):
        visible = f"EXISTS (SELECT 1 FROM {schema}.customer WHERE customer.id = {table}.customer_id)"
        same = " AND ".join(
            f"({column} IS NULL OR EXISTS (SELECT 1 FROM {schema}.{target} t "
            f"WHERE t.id = {table}.{column} AND t.customer_id = {table}.customer_id))"
            for target, column in SAME_CUSTOMER.get(table, ())
        )
        check = f"({SEES_ALL} OR {visible})" + (f" AND {same}" if same else "")
        if table == "payment":
            op.execute(f"ALTER POLICY {POLICY} ON payment WITH CHECK ({check})")
            continue
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {POLICY} ON {table} USING ({SEES_ALL} OR {visible}) WITH CHECK ({check})")
    # A seller sees their own targets and the book's; the manager sees and sets them all.
    op.execute("ALTER TABLE target ENABLE ROW LEVEL SECURITY")
    sees = f"{SEES_ALL} OR owner = (SELECT kehu_me()) OR owner = ''"
    op.execute(f"CREATE POLICY {POLICY} ON target USING ({sees}) WITH CHECK ({SEES_ALL})")
    tables = ", ".join((*CUSTOMER_TABLES, "target"))
    for (login,) in bind.exec_driver_sql("SELECT login FROM team_member"):
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {_quoted(login)}")
        op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {_quoted(login)}")


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        visible = "EXISTS (SELECT 1 FROM customer WHERE customer.id = payment.customer_id)"
        same = ("(contract_id IS NULL OR EXISTS (SELECT 1 FROM contract t "
                "WHERE t.id = payment.contract_id AND t.customer_id = payment.customer_id))")  # fmt: skip
        op.execute(f"ALTER POLICY {POLICY} ON payment WITH CHECK (({SEES_ALL} OR {visible}) AND {same})")
    for table in ("target", "complaint", "credit_check", "collection_action"):
        op.drop_table(table)
    with op.batch_alter_table("payment") as batch:
        batch.drop_constraint("fk_payment_instalment", type_="foreignkey")
        batch.drop_column("instalment_id")
    op.drop_table("instalment")
    with op.batch_alter_table("contract") as batch:
        for column in ("accepted_on", "delivery_note", "delivered_on"):
            batch.drop_column(column)


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
