"""team mode: who is on the team, and row-level security on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Every backend gets `team_member` (a database login, the name customers are owned by, manager or
not), so that a dump carries the team and the schema is the same everywhere. On PostgreSQL the
database itself then enforces who sees what (issue 7), whatever program connects:

* a team member's role sees and changes only customers whose owner is their name, and the
  contacts, touches, plans, stage and grade history, qualification, contracts and payments of
  those customers; a manager sees and changes all; a role not on the team sees nothing;
* the owner of the tables (who ran this migration: the team's administrator) is not subject to
  the policies, as PostgreSQL has it, so a book without a team works exactly as on SQLite.

Privileges are granted per member by `kehu team add-seller/add-manager` (store/team.py), not
here: a migration cannot know the roles. The policies ask two small functions who the current
role is; `(SELECT f())` makes PostgreSQL evaluate them once per statement, not once per row.
`kehu_owner_of` and `kehu_owners_of` (for an import's names) let kehu say "not yours" instead of
"no such customer" or a bare duplicate key: they reveal only the owner's name of a customer
named exactly, and only to team members (EXECUTE is granted to them).
"""

import sqlalchemy as sa
from alembic import op

from kehu.store.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHILD_TABLES = (
    "contact", "grade_change", "touch", "visit_plan", "stage_change", "qualification", "contract", "payment",
)  # fmt: skip
SEES_ALL = "(SELECT kehu_is_manager())"
# The two functions that look past the policies (owner names only), for team members alone.
HELPERS = ("kehu_owner_of(integer, text)", "kehu_owners_of(text[])")
POLICY = "kehu_own_customers"


def upgrade() -> None:
    op.create_table(
        "team_member",
        sa.Column("login", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False, unique=True),
        sa.Column("manager", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    if op.get_context().dialect.name != "postgresql":
        return
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar()
    op.execute("""
        CREATE FUNCTION kehu_me() RETURNS text LANGUAGE sql STABLE AS
        $$ SELECT name FROM team_member WHERE login = current_user $$
    """)
    op.execute("""
        CREATE FUNCTION kehu_is_manager() RETURNS boolean LANGUAGE sql STABLE AS
        $$ SELECT coalesce((SELECT manager FROM team_member WHERE login = current_user), false) $$
    """)
    op.execute(f"""
        CREATE FUNCTION kehu_owner_of(wanted_id integer, wanted_key text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = "{schema}", pg_temp AS
        $$ SELECT coalesce(owner, '') FROM customer
           WHERE id = wanted_id OR name_key = wanted_key ORDER BY id = wanted_id DESC LIMIT 1 $$
    """)
    op.execute(f"""
        CREATE FUNCTION kehu_owners_of(wanted_keys text[]) RETURNS TABLE (name_key text, owner text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = "{schema}", pg_temp AS
        $$ SELECT c.name_key, coalesce(c.owner, '') FROM customer c WHERE c.name_key = ANY (wanted_keys) $$
    """)
    for function in HELPERS:
        op.execute(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")
    op.execute("ALTER TABLE customer ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {POLICY} ON customer USING ({SEES_ALL} OR owner = (SELECT kehu_me()))")
    for table in CHILD_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        # The subquery on customer is itself under customer's policy: the row is visible when
        # its customer is.
        op.execute(
            f"CREATE POLICY {POLICY} ON {table} USING ({SEES_ALL} OR EXISTS "
            f"(SELECT 1 FROM customer WHERE customer.id = {table}.customer_id))"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for table in ("customer", *CHILD_TABLES):
            op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for function in (*HELPERS, "kehu_is_manager()", "kehu_me()"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_table("team_member")
