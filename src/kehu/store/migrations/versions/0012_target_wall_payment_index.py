"""a seller reads targets, only the manager writes them; payments by instalment

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

Revision 0010 put one policy on target for every command: USING (the manager, the seller's own
or the book's) WITH CHECK (the manager). PostgreSQL checks a DELETE against USING alone, so a
seller could delete, with plain SQL, every target they could read: their own and the book's
(tests/store/test_team_money.py). Now the reading policy is for SELECT only, and a second one
lets the manager, and nobody else, insert, update and delete. kehu itself refused a seller's
`target set|remove` already (book/targets.py); this is the wall under it.

What an instalment has been paid (report ar, the morning's money to collect, a card) is summed
from its payments, and payment had no index on instalment_id: each such sum read every payment,
as did replacing a schedule (kehu import instalments). ix_payment_instalment answers both, on
both backends. SQLite has no walls: the index is all it gets.
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

POLICY = "kehu_own_customers"
WRITES = "kehu_manager_writes"
SEES_ALL = "(SELECT kehu_is_manager())"
SEES = f"{SEES_ALL} OR owner = (SELECT kehu_me()) OR owner = ''"


def upgrade() -> None:
    op.create_index("ix_payment_instalment", "payment", ["instalment_id"])
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(f"DROP POLICY {POLICY} ON target")
    op.execute(f"CREATE POLICY {POLICY} ON target FOR SELECT USING ({SEES})")
    op.execute(f"CREATE POLICY {WRITES} ON target FOR ALL USING ({SEES_ALL}) WITH CHECK ({SEES_ALL})")


def downgrade() -> None:
    op.drop_index("ix_payment_instalment", table_name="payment")
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(f"DROP POLICY {WRITES} ON target")
    op.execute(f"DROP POLICY {POLICY} ON target")
    op.execute(f"CREATE POLICY {POLICY} ON target USING ({SEES}) WITH CHECK ({SEES_ALL})")
