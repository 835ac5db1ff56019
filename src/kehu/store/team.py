"""Team mode on PostgreSQL: who the connected role is, and making roles into team members.

What a member may see is enforced by the database (revision 0006's row-level security); this
module only reads the team and grants a member's role the privileges the policies then narrow.
On SQLite there is no team: one file, one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from kehu.errors import NotPermitted
from kehu.i18n import _
from kehu.store.models import customer_table, team_member_table

# What a member's role may touch; row-level security narrows it to their own customers.
MEMBER_WRITES = (
    "customer", "contact", "grade_change", "touch", "visit_plan", "stage_change", "qualification",
    "contract", "payment",
)  # fmt: skip
MEMBER_READS = ("alembic_version", "team_member", "setting")
# The book's settings (the default pipeline) and the team are the manager's to change.
MANAGER_WRITES = ("setting", "team_member")
# Revision 0006's functions that look past the policies (owner names only), for members alone.
HELPERS = ("kehu_owner_of(integer, text)", "kehu_owners_of(text[])")


@dataclass(frozen=True)
class Seat:
    """The connected role: its login, its team name (None: not on the team), manager or not,
    and whether it owns the tables (the administrator, whom the policies do not restrict)."""

    login: str
    name: str | None
    manager: bool
    administrator: bool

    @property
    def sees_all(self) -> bool:
        return self.manager or self.administrator


def is_team_backend(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def current_seat(connection: Connection) -> Seat:
    row = connection.execute(text("""
        SELECT current_user,
               (SELECT name FROM team_member WHERE login = current_user),
               coalesce((SELECT manager FROM team_member WHERE login = current_user), false),
               pg_has_role(current_user, (SELECT tableowner FROM pg_tables
                                          WHERE schemaname = current_schema() AND tablename = 'customer'),
                           'USAGE')
    """)).one()  # fmt: skip
    return Seat(login=row[0], name=row[1], manager=bool(row[2]), administrator=bool(row[3]))


def members(connection: Connection) -> list[dict]:
    """Every member with how many active customers they own."""
    owned = (
        select(customer_table.c.owner, func.count().label("customers"))
        .where(customer_table.c.archived_at.is_(None))
        .group_by(customer_table.c.owner)
        .subquery()
    )
    statement = (
        select(team_member_table, owned.c.customers)
        .outerjoin(owned, owned.c.owner == team_member_table.c.name)
        .order_by(team_member_table.c.manager.desc(), team_member_table.c.name)
    )
    return [{**row, "customers": row["customers"] or 0} for row in connection.execute(statement).mappings()]


def member_named(connection: Connection, name: str) -> dict | None:
    statement = select(team_member_table).where(
        (team_member_table.c.name == name) | (team_member_table.c.login == name)
    )
    row = connection.execute(statement).mappings().first()
    return dict(row) if row else None


def require_administrator(connection: Connection) -> None:
    """Only the owner of the tables changes the team: it alone may grant on them."""
    seat = current_seat(connection)
    if not seat.administrator:
        message = _("only the owner of the book's tables can change the team (you are {login})")
        raise NotPermitted(message.format(login=seat.login))


def not_yours(reference: str, owner: str) -> str:
    """The message for a customer that is a colleague's (owner '' when it has none)."""
    return _("not yours: customer {ref!r} belongs to {owner}").format(
        ref=reference, owner=owner or _("nobody")
    )


def add_member(
    connection: Connection, *, login: str, name: str, manager: bool, password: str | None, now: datetime
) -> bool:
    """Make `login` (created if it does not exist) a member named `name`; True if the role was
    created. Needs a role that may create roles and grant on the tables (their owner)."""
    require_administrator(connection)
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}
    ).first()
    role = _quoted(login)
    if exists is None:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    if password is not None:
        connection.execute(text(f"ALTER ROLE {role} PASSWORD {_literal(connection, password)}"))
    _grant(connection, role, manager)
    values = {"name": name, "manager": manager}
    if connection.execute(
        select(team_member_table.c.login).where(team_member_table.c.login == login)
    ).first():
        connection.execute(
            update(team_member_table).where(team_member_table.c.login == login).values(**values)
        )
    else:
        connection.execute(insert(team_member_table).values(login=login, created_at=now, **values))
    return exists is None


def remove_member(connection: Connection, login: str) -> None:
    """Take `login` off the team: its privileges on the book go; the role itself stays (it may
    have other uses on the server), and so do its customers, for a manager to reassign. The
    caller has checked require_administrator (before saying whether NAME is on the team)."""
    role = _quoted(login)
    tables = ", ".join(sorted({*MEMBER_WRITES, *MEMBER_READS, *MANAGER_WRITES}))
    connection.execute(text(f"REVOKE ALL ON {tables} FROM {role}"))
    connection.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_schema(connection)} FROM {role}"))
    connection.execute(text(f"REVOKE EXECUTE ON FUNCTION {', '.join(HELPERS)} FROM {role}"))
    connection.execute(delete(team_member_table).where(team_member_table.c.login == login))


def owner_of(connection: Connection, customer_id: int | None, key: str | None) -> str | None:
    """The owner of a customer the connected role cannot see ('' for none), or None when no such
    customer exists at all. Only members may ask (revision 0006's kehu_owner_of)."""
    row = connection.execute(
        text("SELECT kehu_owner_of(:id, :key)"), {"id": customer_id, "key": key}
    ).first()  # fmt: skip
    return row[0] if row else None


def hidden_owners(connection: Connection, keys: list[str]) -> dict[str, str]:
    """Of these name keys, those of customers the connected role cannot see, with their owners
    ('' for none): an import names them "not yours" rather than failing on a duplicate key.
    Empty on SQLite and for whoever sees every customer."""
    if not keys or not is_team_backend(connection) or current_seat(connection).sees_all:
        return {}
    rows = connection.execute(text("SELECT name_key, owner FROM kehu_owners_of(:keys)"), {"keys": keys})
    return dict(rows.all())


def _grant(connection: Connection, role: str, manager: bool) -> None:
    database = _quoted(connection.execute(text("SELECT current_database()")).scalar())
    schema = _schema(connection)
    statements = [
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(MEMBER_WRITES)} TO {role}",
        f"GRANT SELECT ON {', '.join(MEMBER_READS)} TO {role}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"GRANT EXECUTE ON FUNCTION {', '.join(HELPERS)} TO {role}",
        f"{'GRANT' if manager else 'REVOKE'} INSERT, UPDATE, DELETE ON {', '.join(MANAGER_WRITES)} "
        f"{'TO' if manager else 'FROM'} {role}",
    ]
    for statement in statements:
        connection.execute(text(statement))


def _schema(connection: Connection) -> str:
    return _quoted(connection.execute(text("SELECT current_schema()")).scalar())


def _quoted(identifier: str) -> str:
    # Always quoted: a login may be any name PostgreSQL accepts, upper case and Chinese included.
    return '"' + identifier.replace('"', '""') + '"'


def _literal(connection: Connection, value: str) -> str:
    """A string literal for statements that take no parameters (ALTER ROLE … PASSWORD)."""
    from sqlalchemy import String

    return String().literal_processor(connection.dialect)(value)
