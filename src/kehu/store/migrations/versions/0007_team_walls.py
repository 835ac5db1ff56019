"""team mode holds against a hostile seller: fixed search paths, references inside the wall

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Issue 12 attacked revision 0006 with plain SQL as a seller's role and got through four ways;
this revision closes them on PostgreSQL (nothing changes on SQLite, which has no team):

* `kehu_me()` and `kehu_is_manager()` found `team_member` through the caller's search_path, and
  a temporary table of that name comes first in it: a seller made themself manager of the whole
  book. Every function the policies use now has a fixed `search_path` (pg_catalog, the book's
  schema, pg_temp last) and names its tables with the schema; and nobody but the database's
  owner may create temporary tables or objects in the schema (TEMP and CREATE revoked from
  PUBLIC).
* References crossed the wall: a payment on one's own customer pointing at a colleague's
  contract, a touch or plan pointing at a colleague's contact or touch. A row's contract,
  contact and touch must now be of the row's own customer (WITH CHECK; the subquery is itself
  under the referenced table's policy). A customer's referrer must be a customer its seller may
  see, and a seller may not delete a customer that a colleague's customer names as its
  referrer (the foreign key's SET NULL would change the colleague's row): a trigger checks both,
  as a policy on customer cannot look at customer again.
* A manager could write `team_member` and make a seller a manager: only the tables' owner
  changes the team now (privileges revoked from every manager).
* `kehu_owner_of(id, key)` answered for any id, listing the owner of every customer in the book
  by counting; it now answers only for an exact name, as its docstring always said.
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

POLICY = "kehu_own_customers"
SEES_ALL = "(SELECT kehu_is_manager())"
# Every reference a row of these tables holds to another row, which must be of the same customer.
SAME_CUSTOMER = {
    "touch": (("contact", "contact_id"),),
    "visit_plan": (("contact", "contact_id"), ("touch", "touch_id")),
    "payment": (("contract", "contract_id"),),
}
GUARD = "kehu_guard_referrals"


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    bind = op.get_bind()
    schema = _quoted(bind.exec_driver_sql("SELECT current_schema()").scalar())
    database = _quoted(bind.exec_driver_sql("SELECT current_database()").scalar())
    fixed = f"SET search_path = pg_catalog, {schema}, pg_temp"
    op.execute(f"""
        CREATE OR REPLACE FUNCTION kehu_me() RETURNS text LANGUAGE sql STABLE {fixed} AS
        $$ SELECT name FROM {schema}.team_member WHERE login = current_user $$
    """)
    op.execute(f"""
        CREATE OR REPLACE FUNCTION kehu_is_manager() RETURNS boolean LANGUAGE sql STABLE {fixed} AS
        $$ SELECT coalesce((SELECT manager FROM {schema}.team_member WHERE login = current_user), false) $$
    """)
    op.execute("DROP FUNCTION kehu_owner_of(integer, text)")
    op.execute(f"""
        CREATE FUNCTION kehu_owner_of(wanted_key text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER {fixed} AS
        $$ SELECT coalesce(owner, '') FROM {schema}.customer WHERE name_key = wanted_key LIMIT 1 $$
    """)
    op.execute(f"""
        CREATE OR REPLACE FUNCTION kehu_owners_of(wanted_keys text[])
        RETURNS TABLE (name_key text, owner text) LANGUAGE sql STABLE SECURITY DEFINER {fixed} AS
        $$ SELECT c.name_key, coalesce(c.owner, '') FROM {schema}.customer c
           WHERE c.name_key = ANY (wanted_keys) $$
    """)
    op.execute("REVOKE EXECUTE ON FUNCTION kehu_owner_of(text) FROM PUBLIC")
    for (login,) in bind.exec_driver_sql("SELECT login FROM team_member"):
        op.execute(f"GRANT EXECUTE ON FUNCTION kehu_owner_of(text) TO {_quoted(login)}")
    for (login,) in bind.exec_driver_sql("SELECT login FROM team_member WHERE manager"):
        op.execute(f"REVOKE INSERT, UPDATE, DELETE ON team_member FROM {_quoted(login)}")
    # Revoking what PUBLIC has needs the database's (or schema's) owner; from anyone else
    # PostgreSQL only warns, and the README's team section says to run kehu as that owner.
    op.execute(f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC")
    op.execute(f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC")
    for table, references in SAME_CUSTOMER.items():
        same = " AND ".join(
            f"({column} IS NULL OR EXISTS (SELECT 1 FROM {schema}.{target} t "
            f"WHERE t.id = {table}.{column} AND t.customer_id = {table}.customer_id))"
            for target, column in references
        )
        visible = f"EXISTS (SELECT 1 FROM {schema}.customer WHERE customer.id = {table}.customer_id)"
        op.execute(f"ALTER POLICY {POLICY} ON {table} WITH CHECK (({SEES_ALL} OR {visible}) AND {same})")
    _create_referral_guard(schema, fixed)


def _create_referral_guard(schema: str, fixed: str) -> None:
    # SECURITY DEFINER: it must see the colleague's rows the caller cannot. Inside it
    # current_user is the definer, so the caller is session_user (kehu never uses SET ROLE).
    # Whoever is not a seller (the tables' owner, a manager) is not restricted here.
    op.execute(f"""
        CREATE FUNCTION {GUARD}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER {fixed} AS $$
        DECLARE
            seller text;
        BEGIN
            SELECT name INTO seller FROM {schema}.team_member WHERE login = session_user AND NOT manager;
            IF seller IS NULL THEN
                RETURN coalesce(NEW, OLD);
            END IF;
            IF TG_OP = 'DELETE' THEN
                IF EXISTS (SELECT 1 FROM {schema}.customer c
                           WHERE c.referrer_id = OLD.id AND c.owner IS DISTINCT FROM seller) THEN
                    RAISE EXCEPTION 'row-level security: a colleague''s customer names % as its referrer',
                        OLD.id USING ERRCODE = '42501';
                END IF;
                RETURN OLD;
            END IF;
            IF NEW.referrer_id IS NOT NULL
               AND (TG_OP = 'INSERT' OR NEW.referrer_id IS DISTINCT FROM OLD.referrer_id)
               AND NOT EXISTS (SELECT 1 FROM {schema}.customer c
                               WHERE c.id = NEW.referrer_id AND c.owner = seller) THEN
                RAISE EXCEPTION 'row-level security: the referrer % is not a customer of yours',
                    NEW.referrer_id USING ERRCODE = '42501';
            END IF;
            RETURN NEW;
        END
        $$
    """)
    op.execute(f"REVOKE EXECUTE ON FUNCTION {GUARD}() FROM PUBLIC")
    op.execute(f"""
        CREATE TRIGGER {GUARD} BEFORE INSERT OR UPDATE OF referrer_id OR DELETE ON customer
        FOR EACH ROW EXECUTE FUNCTION {GUARD}()
    """)


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(f"DROP TRIGGER IF EXISTS {GUARD} ON customer")
    op.execute(f"DROP FUNCTION IF EXISTS {GUARD}()")
    for table in SAME_CUSTOMER:
        op.execute(f"ALTER POLICY {POLICY} ON {table} WITH CHECK ({SEES_ALL} OR EXISTS "
                   f"(SELECT 1 FROM customer WHERE customer.id = {table}.customer_id))")  # fmt: skip
    op.execute("DROP FUNCTION IF EXISTS kehu_owner_of(text)")
    op.execute("""
        CREATE FUNCTION kehu_owner_of(wanted_id integer, wanted_key text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER AS
        $$ SELECT coalesce(owner, '') FROM customer
           WHERE id = wanted_id OR name_key = wanted_key ORDER BY id = wanted_id DESC LIMIT 1 $$
    """)
    op.execute("REVOKE EXECUTE ON FUNCTION kehu_owner_of(integer, text) FROM PUBLIC")
    for (login,) in op.get_bind().exec_driver_sql("SELECT login FROM team_member"):
        op.execute(f"GRANT EXECUTE ON FUNCTION kehu_owner_of(integer, text) TO {_quoted(login)}")


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
